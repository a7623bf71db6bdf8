package templates

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// The owner's words for what the bot did or refused, besides the
// templates: each says it in lang ("it", else English).

// NoInvoiceNamed says an owner's command names no invoice.
func NoInvoiceNamed(lang string) string {
	if lang == "it" {
		return "nessuna fattura: risponda a un mio messaggio su una fattura, o ne scriva il numero"
	}
	return "no invoice: reply to one of the bot's messages about an invoice, or write its number"
}

// NothingToUndo says "annulla" found nothing to take back on the invoice
// in the last days.
func NothingToUndo(lang, number string, days int) string {
	if lang == "it" {
		return fmt.Sprintf("nessun comando da annullare sulla fattura %s negli ultimi %d giorni («annulla» riprende pagata, stralcia, stop e un pagamento letto nell'estratto conto)", number, days)
	}
	return fmt.Sprintf("no command to take back on invoice %s in the last %d days (\"undo\" takes back paid, write off, stop and a payment read in a bank statement)", number, days)
}

// Undone says an undo back.
func Undone(lang, number string) string {
	if lang == "it" {
		return "annulla: la fattura " + number + " torna com'era, i solleciti riprendono dal punto in cui erano"
	}
	return "undo: invoice " + number + " is back as it was, the reminders go on from where they were"
}

// ClaimSum says the sum a formal notice claims and how it is made up, for
// the owner's confirmation: " — somma richiesta € 1.277,98 (capitale
// € 1.220,00 + interessi di mora € 17,98 + risarcimento € 40,00)";
// provisional when a half-year's rate was assumed.
func ClaimSum(lang, currency string, capital, interest, compensation decimal.Decimal, provisional bool) string {
	money := func(d decimal.Decimal) string { return MoneyText(lang, d, currency) }
	total := capital.Add(interest).Add(compensation)
	if lang == "it" {
		s := fmt.Sprintf(" — somma richiesta %s (capitale %s + interessi di mora %s + risarcimento %s", money(total), money(capital), money(interest), money(compensation))
		if provisional {
			s += "; calcolo provvisorio, salvo conguaglio"
		}
		return s + ")"
	}
	s := fmt.Sprintf(" — sum claimed %s (capital %s + late interest %s + compensation %s", money(total), money(capital), money(interest), money(compensation))
	if provisional {
		s += "; provisional figure, subject to adjustment"
	}
	return s + ")"
}

// WriteOffRefusal explains why "stralcia 300" is refused: the two commands
// one letter apart and what each does.
func WriteOffRefusal(lang, number, currency string, amount decimal.Decimal) string {
	amt := MoneyText(lang, amount, currency)
	if lang == "it" {
		return fmt.Sprintf("«stralcia» non prende un importo. «stralcia» da solo chiude la fattura %s a perdita, senza chiedere altro al cliente; "+
			"per proporre al cliente di chiuderla pagando %s, scriva «stralcio %s»", number, amt, amount.StringFixed(2))
	}
	return fmt.Sprintf(`"write off" takes no amount. "write off" alone closes invoice %s as lost, asking the client nothing more; `+
		`to offer the client to close it by paying %s, write "settle %s"`, number, amt, amount.StringFixed(2))
}

// heldReadings name the readings of a held mail that are not reply kinds.
var heldReadings = map[string]map[string]string{
	"it": {"unverified": "mittente non verificato", "malformed": "messaggio illeggibile"},
	"en": {"unverified": "sender not verified", "malformed": "unreadable mail"},
}

// HeldReading is how a digest names the bot's reading of a mail it held:
// a reply kind, "unverified" or "malformed".
func HeldReading(lang, kind string) string {
	if w, ok := heldReadings[lang][kind]; ok {
		return w
	}
	return ReadingName(lang, kind)
}

// importWords say what importing a mailed statement did: counts, the
// rest, a file that could not be read.
var importWords = map[string][3]string{
	"it": {"estratto conto: %d accrediti, %d nuovi; fatture pagate: %d", "; da confermare: %d; senza fattura: %d (sollecito payments list)", "; illeggibile: "},
	"en": {"bank statement: %d credits, %d new; invoices paid: %d", "; to confirm: %d; matching no invoice: %d (sollecito payments list)", "; unreadable: "},
}

// Imported says what importing a mailed statement did, for the owner's
// confirmation: credits read and new, invoices paid (with their numbers),
// to confirm, matching none, and the files that could not be read.
func Imported(lang string, read, fresh, paid int, paidNumbers []string, probable, none int, problems []string) string {
	w, ok := importWords[lang]
	if !ok {
		w = importWords["en"]
	}
	var b strings.Builder
	fmt.Fprintf(&b, w[0], read, fresh, paid)
	if len(paidNumbers) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(paidNumbers, ", "))
	}
	fmt.Fprintf(&b, w[1], probable, none)
	for _, p := range problems {
		b.WriteString(w[2] + p)
	}
	return b.String()
}
