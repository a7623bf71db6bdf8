package templates

import "fmt"

// NoticeRoute says, in lang, how a formal notice to addr goes, for the
// owner's confirmation: through the PEC account pec (when havePEC),
// noting when addr is not a PEC mailbox (toPEC false: no delivery receipt
// with legal value), else by ordinary mail. It begins with a space, to
// follow the words that announce the notice.
func NoticeRoute(lang, pec, addr string, havePEC, toPEC bool) string {
	it := lang == "it"
	switch {
	case havePEC && !toPEC && it:
		return fmt.Sprintf(" tramite PEC (%s) a %s, che non è una casella PEC: avrà la ricevuta di accettazione del Suo gestore, non una ricevuta di consegna con valore legale", pec, addr)
	case havePEC && !toPEC:
		return fmt.Sprintf(" through PEC (%s) to %s, which is not a PEC mailbox: you will have your provider's acceptance receipt, not a delivery receipt with legal value", pec, addr)
	case havePEC && it:
		return fmt.Sprintf(" tramite PEC (%s) a %s: le ricevute di accettazione e di consegna arrivano nella casella PEC e valgono come prova", pec, addr)
	case havePEC:
		return fmt.Sprintf(" through PEC (%s) to %s: the acceptance and delivery receipts arrive in the PEC mailbox and are your proof", pec, addr)
	case it:
		return fmt.Sprintf(" per email ordinaria a %s (nessuna PEC configurata: non avrà una prova di consegna con valore legale)", addr)
	}
	return fmt.Sprintf(" by ordinary email to %s (no PEC account configured: you will have no proof of delivery with legal value)", addr)
}
