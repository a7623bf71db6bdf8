package bank

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/reply/invoice"
)

// A payment notice is the mail a bank or a payment service sends when
// money moves: "Hai ricevuto un pagamento", "Bonifico in entrata",
// "You've received money". ReadNotice reads one: whether it says money
// arrived, and the credit it reports. What it reads is the words such
// mails use in Italian, English, German, French and Spanish, never one
// provider's layout.

// noticeBudget is how much of a notice's text is read: notices say what
// they are at the top; the rest is footers.
const noticeBudget = 16 << 10

// Words that say money came in, and words that say it did not (it went
// out, is not there yet, was refused or is only offered).
var (
	creditCues = []string{"hai ricevuto", "avete ricevuto", "ricevuto un pagamento", "ricevuto denaro", "bonifico in entrata",
		"bonifico ricevuto", "bonifico in arrivo accreditato", "accredito", "accreditat", "ti ha inviato", "ti ha mandato",
		"ha inviato un pagamento", "ti ha pagato", "incasso", "incassato", "entrata di", "a vostro favore", "a tuo favore",
		"a suo favore", "ha ricevuto un nuovo pagamento", "ha ricevuto un pagamento", "pagamento riuscito", "pagamento ricevuto",
		"nuovo pagamento", "received a new payment", "succeeded", "successful payment", "hat dir", "geld erhalten",
		"ricevuto un bonifico", "ricevuto bonifico", "esito: positivo", "esito | positivo", "esito positivo", "paid invoice",
		"paid your invoice",
		"zahlung eingegangen", "paiement réussi",
		"you've received", "you have received", "you received", "received a payment", "payment received", "sent you",
		"incoming transfer", "incoming payment", "money in", "has been credited", "credited to your", "you've got money",
		"you got paid", "zahlung erhalten", "zahlungseingang", "gutschrift", "eingegangen", "hat ihnen",
		"vous avez reçu", "virement reçu", "paiement reçu", "a été crédité", "has recibido", "pago recibido", "abono"}
	notCreditCues = []string{"hai inviato", "avete inviato", "hai pagato", "hai effettuato un pagamento", "bonifico in uscita",
		"bonifico disposto", "bonifico eseguito a favore", "addebito", "addebitat", "acquisto con carta",
		"prelievo", "rimborso emesso", "hai emesso un rimborso", "hai rimborsato", "rifiutat", "respint", "non riuscit",
		"in attesa", "sospes", "in sospeso", "bloccat", "trattenut", "codice di sicurezza", "codice otp", "codice di verifica",
		"estratto conto è disponibile", "estratto conto disponibile", "documento disponibile", "contestazione", "reclamo aperto",
		"richiesta di pagamento inviata", "hai richiesto", "offerta", "prestito",
		"you sent", "you paid", "payment sent", "you've sent", "outgoing", "debited", "refund issued",
		"you refunded", "declined", "failed", "pending", "on hold", "security code", "verification code", "one-time",
		"statement is available", "statement is ready", "dispute", "chargeback", "you requested", "request sent",
		"sie haben gesendet", "lastschrift", "abbuchung", "ausstehend", "abgelehnt", "vous avez envoyé", "en attente",
		"refusé", "has enviado", "pendiente", "rechazado",
		// on its way, not there yet
		"on its way", "on the way", "estimated arrival", "in transito", "arrivo previsto", "unterwegs"}
	// payoutCues, in a subject, say a payment service moves the business's
	// own balance to its bank (a payout, a disbursement): no client's
	// payment. In a body they are often only a line about the next payout.
	payoutCues = []string{"payout", "disbursement", "liquidazione", "auszahlung", "versement de vos fonds"}
)

// Labels of the fields a notice writes out, in the languages read.
var (
	noticeAmountLabel = regexp.MustCompile(`(?i)(?:importo(?: netto| ricevuto| accreditato)?|netto|net amount|amount received|you received|amount|totale|total|betrag|montant|importe)\s*[:=]?\s*$`)
	noticeNotAmount   = regexp.MustCompile(`(?i)(?:saldo(?: disponibile| contabile)?|balance|available|fino a|up to|commissione|commissioni|fee|fees|tariffa|gebühr|frais|comisión)\b[^\n€$£\d]{0,25}$`)
	noticeFromNameRe  = regexp.MustCompile(`(?i:\b(?:da|from|von|de))[ \t]+([A-ZÀ-Ý][\pL.'&-]*(?:[ \t]+[A-ZÀ-Ý][\pL.'&-]*){0,5})`)
	noticeSentYouRe   = regexp.MustCompile(`([A-ZÀ-Ý][\pL.'&-]*(?:[ \t]+[A-ZÀ-Ý][\pL.'&-]*){0,5})[ \t]+(?:ti ha inviato|ti ha mandato|ti ha pagato|ha inviato un pagamento|sent you|has sent you|paid you|hat ihnen|vous a envoyé|te ha enviado)`)
	noticeDateRe      = regexp.MustCompile(`(?im)(?:data valuta|valuta|data contabile|data operazione|data|value date|date|datum|wertstellung|fecha)\s*[:\-]?\s*(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.?\s+\pL+\.?\s+\d{4}|\pL+\.?\s+\d{1,2},?\s+\d{4})`)
	noticeMoneyRe     = regexp.MustCompile(`[+]?(?:€|EUR|USD|GBP|CHF|\$|£)[\s\x{00A0}\x{202F}]?[+]?\d{1,3}(?:[.,' \x{00A0}\x{202F}]\d{3})*(?:[.,]\d{1,2})?|[+]?\d{1,3}(?:[.,' \x{00A0}\x{202F}]\d{3})*(?:[.,]\d{1,2})?[\s\x{00A0}\x{202F}]?(?:€|£|\$|(?:EUR|USD|GBP|CHF|euro)\b)`)
)

// ReadNotice reads a payment notice: its subject, its text (the owner's
// forward included, above the notice) and the day it was sent. ok says it
// reports money that arrived; why says what decided, or why it is no
// credit. The credit's reference is the notice's transaction id, else a
// fingerprint of what it says; its remittance holds what the payer wrote
// and the owner's own words above a forward ("è la fattura 118").
func ReadNotice(subject, text string, sent time.Time) (c Credit, ok bool, why string) {
	text = text[:min(len(text), noticeBudget)]
	owner, notice := splitForward(text)
	lower := strings.ToLower(subject + "\n" + notice)
	if p := firstCue(strings.ToLower(subject), payoutCues); p >= 0 {
		return Credit{}, false, "a payout of the business's own balance, not a client's payment"
	}
	credit := firstCue(lower, creditCues)
	if credit < 0 {
		return Credit{}, false, "no words saying money arrived"
	}
	if not := firstCue(lower, notCreditCues); not >= 0 && not <= credit+200 {
		return Credit{}, false, fmt.Sprintf("says money did not arrive (%q)", cueAt(lower, not, notCreditCues))
	}
	amount, ccy, err := noticeAmount(notice, subject)
	if err != nil {
		return Credit{}, false, err.Error()
	}
	c = Credit{Amount: amount, Currency: ccy, BookingDate: noticeDay(notice, sent)}
	c.ValueDate = c.BookingDate
	c.Payer = noticePayer(subject, notice, lower, credit)
	var rem []string
	refs := noticeFields(notice, refLabels)
	for _, r := range refs {
		if !txIDRe.MatchString(r) || !hasLetterAndDigit(r) { // a bank's "Riferimento 0538…IT" is its id, not the payer's words
			rem = append(rem, r)
			break
		}
	}
	if len(rem) == 0 {
		if m := inlineCausaleRe.FindStringSubmatch(notice); m != nil {
			rem = append(rem, cleanField(m[1]))
		}
	}
	if o := strings.TrimSpace(owner); o != "" {
		rem = append(rem, o[:min(len(o), 500)])
	}
	c.Remittance = strings.Join(rem, "\n")
	tx := ""
	for _, t := range append(noticeFields(notice, txLabels), refs...) {
		if txIDRe.MatchString(t) && hasDigit(t) {
			tx = t
			break
		}
	}
	if tx != "" {
		c.Ref = "notice:" + tx
	} else {
		h := sha256.Sum256(fmt.Appendf(nil, "%s|%s|%s|%s", c.BookingDate.Format(time.DateOnly), c.Amount.StringFixed(2), c.Payer, subject))
		c.Ref = "notice:h:" + hex.EncodeToString(h[:10])
	}
	return c, true, fmt.Sprintf("says money arrived (%q)", cueAt(lower, credit, creditCues))
}

// The labels notices give their fields, lower case, in the languages read.
var (
	payerLabels = []string{"ordinante", "nome ordinante", "da", "nome titolare", "titolare carta", "cardholder", "card holder", "mittente", "pagatore", "da parte di", "inviato da", "cliente", "customer",
		"from", "payer", "sender", "sent by", "paid by", "auftraggeber", "absender", "kunde", "zahler", "émetteur",
		"de la part de", "payeur", "remitente", "ordenante"}
	refLabels = []string{"causale", "descrizione", "descrizione operazione", "nota", "nota del pagatore", "note", "messaggio",
		"message", "motivo", "riferimento", "riferimento del pagatore", "reference", "payment reference", "description", "memo",
		"verwendungszweck", "referenz", "motif", "référence", "libellé", "concepto", "referencia", "info", "dettagli"}
	txLabels = []string{"transfer #", "cro/trn", "trn/cro", "charge", "identificativo", "identificativo operazione", "numero bonifico", "id transazione", "codice transazione", "numero transazione", "id operazione", "numero operazione",
		"riferimento operazione", "codice operazione", "id pagamento", "transaction id", "transaction code", "payment id",
		"transaction reference", "cro", "trn", "transaktionscode", "transaktions-id", "transaktionsnummer",
		"identifiant de transaction", "numéro de transaction", "id de transacción"}
	// txIDRe is what a transaction id looks like: no words, no spaces.
	txIDRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_\-]{5,60}$`)
	// "BONIFICO DA: SANTORO FRANCESCO - CAUS: CAPARRA", a bank's one-line
	// description.
	inlinePayerRe   = regexp.MustCompile(`(?i:\b(?:da|ord\.?|ordinante)\s*:\s*([^|\n]+?)\s*(?:\s-\s|\||$|\n))|\b(?:BONIFICO|GIROCONTO)(?: SEPA| ISTANTANEO| ESTERO)? DA\s+([A-Z0-9][A-Z0-9 &.'-]*[A-Z0-9.])`)
	inlineCausaleRe = regexp.MustCompile(`(?i)\bcaus(?:ale)?\s*[.:]\s*([^|\n]+)`)
)

// noticeFields returns the values a notice gives labels, in order: "Label:
// value" or "Label ...... value" on a line, "Label value" at the start of
// a line, or the cell after a cell holding only the label ("Importo | €
// 1.220,00 | Ordinante | ROSSI SRL"). A forward's own header lines are
// not the notice's (splitForward drops them).
func noticeFields(text string, labels []string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = dotLeaders.ReplaceAllString(line, ": ")
		cells := strings.Split(line, "|")
		for i, cell := range cells {
			trimmed := strings.TrimSpace(strings.Trim(strings.TrimSpace(cell), "*_"))
			c := strings.ToLower(trimmed)
			for _, l := range labels {
				var v string
				switch {
				case c == l || c == l+":":
					for _, next := range cells[i+1:] {
						if v = cleanField(next); v != "" {
							break
						}
					}
				case strings.HasPrefix(c, l+":") || strings.HasPrefix(c, l+" :") || strings.HasPrefix(c, l+"\t"):
					v = cleanField(strings.TrimLeft(trimmed[len(l):], " \t:"))
				case len(cells) == 1 && strings.HasPrefix(c, l+" ") && !strings.Contains(c, ":"):
					v = cleanField(trimmed[len(l):]) // "Ordinante DE LUCA MARTINA"
				}
				if v != "" {
					out = append(out, v)
					break
				}
			}
		}
	}
	return out
}

// nbsp are the no-break spaces amounts are written with.
var nbsp = strings.NewReplacer("\u00a0", " ", "\u202f", " ", "+", "")

// dotLeaders are the dots that join a label to its value ("Importo .....
// € 280,00").
var dotLeaders = regexp.MustCompile(`[ \t]*\.{3,}[ \t]*`)

// noticePayer is who paid, as the notice names them: a labelled field
// (not a forward's address), a bank's "DA: NAME -" line, a name before
// "ti ha inviato" / "sent you", or after "da"/"from" following the words
// that said money came in.
func noticePayer(subject, notice, lower string, credit int) string {
	for _, p := range noticeFields(notice, payerLabels) {
		if !strings.Contains(p, "@") {
			return p
		}
	}
	if m := inlinePayerRe.FindStringSubmatch(notice); m != nil {
		return cleanField(m[1] + m[2])
	}
	both := subject + "\n" + notice
	if m := noticeSentYouRe.FindStringSubmatch(both); m != nil {
		return cleanField(m[1])
	}
	if credit < len(both) {
		if m := noticeFromNameRe.FindStringSubmatch(both[credit:]); m != nil {
			return cleanField(m[1])
		}
	}
	return ""
}

// splitForward cuts an owner's forward into the owner's own words and the
// notice below the forward's header; a notice received as it is has no
// owner's words.
func splitForward(text string) (owner, notice string) {
	lower := strings.ToLower(text)
	for _, mark := range []string{"---------- forwarded message", "-------- messaggio inoltrato", "inizio messaggio inoltrato",
		"messaggio inoltrato", "-----original message", "-----messaggio originale", "begin forwarded message",
		"---------- weitergeleitete nachricht", "message transféré", "mensaje reenviado"} {
		if i := strings.Index(lower, mark); i >= 0 {
			return text[:i], dropForwardHeader(text[i:])
		}
	}
	// Outlook's: a line of underscores over the forwarded header.
	if m := outlookForward.FindStringIndex(text); m != nil {
		return text[:m[0]], dropForwardHeader(text[m[0]:])
	}
	return "", text
}

// forwardHeader is a header line of a forwarded message ("Da: PayPal
// <service@paypal.it>", "Sent: …").
var forwardHeader = regexp.MustCompile(`(?i)^[ \t]*(?:da|from|von|de|a|to|an|à|para|cc|data|date|datum|inviato|sent|gesendet|envoyé|enviado|oggetto|subject|betreff|objet|asunto|mittente|destinatario)[ \t]*:`)

var outlookForward = regexp.MustCompile(`(?im)^_{10,}[ \t]*\r?\n[ \t]*(?:da|from|von|de)[ \t]*:`)

// dropForwardHeader removes the header lines under a forward's mark, up
// to the first blank line or the first line that is no header.
func dropForwardHeader(s string) string {
	lines := strings.Split(s, "\n")
	out := []string{lines[0]}
	i := 1
	for ; i < len(lines) && i < 12; i++ {
		l := strings.TrimSpace(lines[i])
		if l == "" {
			if i > 1 {
				break
			}
			continue
		}
		if !forwardHeader.MatchString(l) {
			break
		}
	}
	return strings.Join(append(out, lines[i:]...), "\n")
}

func firstCue(lower string, cues []string) int {
	best := -1
	for _, c := range cues {
		if i := strings.Index(lower, c); i >= 0 && (best < 0 || i < best) {
			best = i
		}
	}
	return best
}

func cueAt(lower string, at int, cues []string) string {
	for _, c := range cues {
		if strings.HasPrefix(lower[at:], c) {
			return c
		}
	}
	return ""
}

// noticeAmount is the money the notice says arrived: a labelled amount
// (the net one when fees are taken), else the first amount that is no
// balance, fee or offer.
func noticeAmount(notice, subject string) (decimal.Decimal, string, error) {
	type cand struct {
		v        decimal.Decimal
		ccy      string
		labelled bool
		net      bool
	}
	var cands []cand
	for _, src := range []string{subject, notice} {
		for _, loc := range noticeMoneyRe.FindAllStringIndex(src, -1) {
			before := src[max(0, loc[0]-40):loc[0]]
			if nl := strings.LastIndexByte(before, '\n'); nl >= 0 && len(before)-nl > 3 {
				before = before[nl+1:]
			}
			if noticeNotAmount.MatchString(before) {
				continue
			}
			v, ccy, err := invoice.ParseAmount(nbsp.Replace(strings.TrimPrefix(src[loc[0]:loc[1]], "+")))
			if err != nil || !v.IsPositive() {
				continue
			}
			if ccy == "" {
				ccy = "EUR"
			}
			lb := strings.ToLower(before)
			cands = append(cands, cand{v, ccy, noticeAmountLabel.MatchString(before),
				strings.Contains(lb, "nett") || strings.Contains(lb, "net ")})
		}
	}
	if len(cands) == 0 {
		return decimal.Decimal{}, "", fmt.Errorf("no amount of money in the notice")
	}
	for _, c := range cands {
		if c.net {
			return c.v, c.ccy, nil
		}
	}
	for _, c := range cands {
		if c.labelled {
			return c.v, c.ccy, nil
		}
	}
	return cands[0].v, cands[0].ccy, nil
}

// dateTokenRe is a date as notices write it.
var dateTokenRe = regexp.MustCompile(`\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.?\s+\pL+\.?\s+\d{4}|\pL+\.?\s+\d{1,2},?\s+\d{4}`)

var noticeMonths = map[string]time.Month{
	"gen": 1, "gennaio": 1, "jan": 1, "january": 1, "januar": 1, "janvier": 1, "enero": 1,
	"feb": 2, "febbraio": 2, "february": 2, "februar": 2, "février": 2, "febrero": 2,
	"mar": 3, "marzo": 3, "march": 3, "märz": 3, "mars": 3,
	"apr": 4, "aprile": 4, "april": 4, "avril": 4, "abril": 4,
	"mag": 5, "maggio": 5, "may": 5, "mai": 5, "mayo": 5,
	"giu": 6, "giugno": 6, "jun": 6, "june": 6, "juni": 6, "juin": 6, "junio": 6,
	"lug": 7, "luglio": 7, "jul": 7, "july": 7, "juli": 7, "juillet": 7, "julio": 7,
	"ago": 8, "agosto": 8, "aug": 8, "august": 8, "août": 8,
	"set": 9, "settembre": 9, "sep": 9, "sept": 9, "september": 9, "septembre": 9, "septiembre": 9,
	"ott": 10, "ottobre": 10, "oct": 10, "october": 10, "oktober": 10, "octobre": 10, "octubre": 10,
	"nov": 11, "novembre": 11, "november": 11, "noviembre": 11,
	"dic": 12, "dicembre": 12, "dec": 12, "december": 12, "dezember": 12, "décembre": 12, "diciembre": 12,
}

// noticeDay is the value or booking date the notice writes, else the day
// it was sent.
func noticeDay(notice string, sent time.Time) time.Time {
	// The value date first, then the booking or operation date.
	for _, labels := range [][]string{{"data valuta", "valuta", "value date", "wertstellung", "date de valeur", "fecha valor"},
		{"data contabile", "data operazione", "data della transazione", "data/ora", "data e ora", "data", "booking date", "date/time",
			"date", "datum/uhrzeit", "datum", "buchungstag", "fecha"}} {
		for _, v := range noticeFields(notice, labels) {
			if m := dateTokenRe.FindString(v); m != "" {
				if t, ok := parseNoticeDate(m); ok {
					return t
				}
			}
		}
	}
	for _, m := range noticeDateRe.FindAllStringSubmatch(notice, -1) {
		if t, ok := parseNoticeDate(m[1]); ok {
			return t
		}
	}
	y, mo, d := sent.Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}

func parseNoticeDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := parseCSVDate(s, ""); err == nil {
		return t, true
	}
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ' ' || r == ',' || r == '.' })
	if len(f) != 3 {
		return time.Time{}, false
	}
	day, mon, year := f[0], f[1], f[2]
	if _, err := strconv.Atoi(day); err != nil {
		day, mon = f[1], f[0] // "December 3, 2026"
	}
	d, err1 := strconv.Atoi(day)
	y, err2 := strconv.Atoi(year)
	m, ok := noticeMonths[mon]
	if err1 != nil || err2 != nil || !ok || d < 1 || d > 31 || y < 2000 || y > 2100 {
		return time.Time{}, false
	}
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true
}

// cleanField is a field's value as written, without trailing punctuation
// or what a table cell runs into.
func cleanField(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\t|"); i >= 0 {
		s = s[:i]
	}
	s = strings.Trim(strings.TrimSpace(s), "*_\"«»“”")
	return strings.TrimRight(s, ",;: ")
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

func hasLetterAndDigit(s string) bool {
	return hasDigit(s) && strings.IndexFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' }) >= 0
}
