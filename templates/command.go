package templates

import (
	"fmt"
	"strings"
	"time"

	"github.com/sollecito/sollecito/reply/command"
	"github.com/sollecito/sollecito/reply/invoice"
)

// commandWords are the owner's own words for each command, per language.
var commandWords = map[string]map[string]string{
	"it": {"paid": "pagata", "pause": "pausa fino al", "stop": "stop", "resume": "riprendi", "note": "nota", "contact": "contatto", "status": "stato", "help": "aiuto",
		invoice.FieldNumber: "numero", invoice.FieldIssueDate: "data", invoice.FieldDueDate: "scadenza", invoice.FieldAmount: "importo",
		command.FieldClientName: "cliente", command.FieldClientVAT: "partita IVA",
		"partly_paid": "pagata in parte", "settle": "stralcio", "write_off": "stralcia (a perdita)", "send_notice": "invia diffida", "undo": "annulla",
		"tolerance": "tolleranza", "language": "lingua", "payment_days": "giorni di pagamento", "exclude": "escludi", "include": "includi",
		"days": "giorni", "none": "nessuno", "by": "entro il", "it": "italiano", "en": "inglese"},
	"en": {"paid": "paid", "pause": "pause until", "stop": "stop", "resume": "resume", "note": "note", "contact": "contact", "status": "status", "help": "help",
		invoice.FieldNumber: "number", invoice.FieldIssueDate: "issued", invoice.FieldDueDate: "due", invoice.FieldAmount: "amount",
		command.FieldClientName: "client", command.FieldClientVAT: "client VAT",
		"partly_paid": "partly paid", "settle": "settle", "write_off": "write off", "send_notice": "send notice", "undo": "undo",
		"tolerance": "tolerance", "language": "language", "payment_days": "payment days", "exclude": "exclude", "include": "include",
		"days": "days", "none": "none", "by": "by", "it": "Italian", "en": "English"},
}

// Command says the command back in the owner's language, as the
// owner would write it; amounts as every message writes them
// (templates.Money), in the command's currency, else the invoice's
// (currency), else euros.
func Command(c command.Command, lang, currency string) string {
	words, ok := commandWords[lang]
	if !ok {
		words = commandWords["en"]
	}
	date := func(t time.Time) string {
		if lang == "it" {
			return t.Format("02/01/2006")
		}
		return t.Format("2006-01-02")
	}
	s := words[string(c.Verb)]
	money := func() string {
		cur := c.Currency
		if cur == "" {
			cur = currency
		}
		if cur == "" {
			cur = "EUR"
		}
		return MoneyText(lang, c.Amount, cur)
	}
	switch {
	case c.Verb == command.PartlyPaid:
		s += " " + money()
	case c.Verb == command.Settle:
		s += " " + money()
		if !c.Until.IsZero() {
			s += " " + Prep(words["by"], date(c.Until))
		}
	case c.Verb == command.Tolerance && len(c.Days) == 1:
		s += fmt.Sprintf(" %d %s", c.Days[0], words["days"])
	case c.Verb == command.Language:
		s += " " + words[c.Lang]
	case c.Verb == command.PaymentDays:
		if len(c.Days) == 0 {
			s += " " + words["none"]
		}
		for _, d := range c.Days {
			s += fmt.Sprintf(" %d", d)
		}
	}
	if c.Verb.PerClient() {
		if c.Client != "" {
			s += " " + c.Client
		}
		return s
	}
	switch {
	case c.Verb == command.PartlyPaid, c.Verb == command.Settle, c.Verb == command.SendNotice:
	case c.Verb == command.Set:
		s = words[c.Field]
		switch {
		case !c.Date.IsZero():
			s += " " + date(c.Date)
		case c.Field == invoice.FieldAmount:
			s += " " + strings.TrimSpace(c.Amount.StringFixed(2)+" "+c.Currency)
		default:
			s += " " + c.Text
		}
	case !c.Until.IsZero():
		s = Prep(s, date(c.Until))
	case c.Address != "":
		s += " " + c.Address
	case c.Text != "":
		s += ": " + c.Text
	}
	return s
}
