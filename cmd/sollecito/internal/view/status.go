// Package view holds what the owner's views show of an invoice — the
// status table, the CSV export, the history and the web page — and says
// it in the owner's words. The engine fills it; nothing here reads the
// ledger or the network.
package view

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/templates"
)

// StatusRow is one invoice as the owner's views show it: `sollecito status`,
// the CSV export and the web page. Dates are calendar dates at 00:00 UTC;
// instants are in the business's time zone.
type StatusRow struct {
	ID                 int64
	Number, Client     string // "" when unknown
	IssueDate, DueDate time.Time
	Amount             decimal.Decimal
	Currency           string
	// Outstanding is what the client still owes: nothing once paid.
	Outstanding decimal.Decimal
	// DaysOverdue counts calendar days since the due date at the view's
	// time: 0 when not yet due, when the due date is unknown, or when closed.
	DaysOverdue int
	// Aged is set when the invoice counts in the aging table (policy.Aged).
	Aged  bool
	Stage int
	State policy.State
	// LastReminder is when the last message to the client went out (zero: none).
	LastReminder time.Time
	// PromisedDate is the client's pending promise (zero: none).
	PromisedDate time.Time
	// Next is what the bot will send next (empty with NextAt set: the pause
	// ends and the chase resumes), NextAt when (zero: nothing scheduled).
	Next   []policy.Template
	NextAt time.Time
	// Notes are the owner's notes on the invoice, oldest first.
	Notes []string
	// PaidOn is when the invoice was paid, for a paid one: the value date
	// of the bank credit that paid it, else the day the owner said so;
	// PaidRef is that credit's reference (the bank's, and the payer's
	// words), "" when the owner said it.
	PaidOn  time.Time
	PaidRef string
	// Lang is the owner's language: the one the texts below are written in.
	Lang string

	// ClientName and ClientVAT are the client's name and VAT number (or
	// codice fiscale), "" when unknown; ClientText shows name and address.
	ClientName, ClientVAT string

	// Claim is what the owner may claim at the view's time for an open
	// invoice past stage 4 or with a formal notice sent: Outstanding plus
	// statutory interest to that day and the fixed compensation; nil for
	// any other invoice, or when no statutory interest applies (a consumer,
	// a currency or date the rate table does not cover).
	Claim *Claim
}

// Claim is what the owner may claim on an invoice at a day.
type Claim struct {
	Capital, Interest, Compensation, Total decimal.Decimal
	To                                     time.Time // the last day interest counts (a calendar date)
	// Provisional is set when a half-year's rate was assumed (the table
	// lacks it): the figures are subject to adjustment.
	Provisional bool
}

// ClaimText says the claim in the owner's words: "€ 477,90 al 15/01/2027
// (capitale € 430,00 + interessi € 7,90 + risarcimento € 40,00)"; "" when
// there is none.
func (r StatusRow) ClaimText() string {
	c := r.Claim
	if c == nil {
		return ""
	}
	m := func(d decimal.Decimal) string { return templates.MoneyText(r.Lang, d, r.Currency) }
	lang, ww := "en", claimWords["en"]
	if r.Lang == "it" {
		lang, ww = "it", claimWords["it"]
	}
	s := fmt.Sprintf("%s %s (%s %s + %s %s", m(c.Total), templates.Prep(ww["to"], templates.Date(lang, c.To)), ww["capital"], m(c.Capital), ww["interest"], m(c.Interest))
	if c.Compensation.IsPositive() {
		s += fmt.Sprintf(" + %s %s", ww["compensation"], m(c.Compensation))
	}
	s += ")"
	if c.Provisional {
		s += " " + ww["provisional"]
	}
	return s
}

// claimWords are ClaimText's words.
var claimWords = map[string]map[string]string{
	"it": {"to": "al", "capital": "capitale", "interest": "interessi", "compensation": "risarcimento", "provisional": "(provvisorio: manca un tasso)"},
	"en": {"to": "to", "capital": "principal", "interest": "interest", "compensation": "compensation", "provisional": "(provisional: a rate is missing)"},
}

// History is an invoice's whole story: where it stands now, its contacts,
// and its timeline, oldest first.
type History struct {
	Invoice  StatusRow
	Contacts []string
	Entries  []templates.Entry
}

// AmountText is the amount as the owner's messages write it ("€ 1.220,00").
func (r StatusRow) AmountText() string { return templates.MoneyText(r.Lang, r.Amount, r.Currency) }

// OutstandingText is the outstanding amount as the owner's messages write it.
func (r StatusRow) OutstandingText() string {
	return templates.MoneyText(r.Lang, r.Outstanding, r.Currency)
}

// StateText says where the invoice stands, in words for the owner: e.g.
// "in attesa di conferma del pagamento" / "waiting for the owner to confirm
// payment"; a pending promise names its date.
func (r StatusRow) StateText() string {
	s := templates.StateName(r.Lang, r.State)
	if r.State == policy.Paused && !r.PromisedDate.IsZero() {
		if r.Lang == "it" {
			return "promessa di pagamento " + templates.Prep("entro il", templates.Date(r.Lang, r.PromisedDate))
		}
		return "promised to pay by " + templates.Date(r.Lang, r.PromisedDate)
	}
	return s
}

// StageText is the last stage sent (1–4), "—" before stage 1.
func (r StatusRow) StageText() string {
	if r.Stage > 0 {
		return strconv.Itoa(r.Stage)
	}
	return "—"
}

// NextText says what the bot does next, in the owner's words, or what it
// waits for.
func (r StatusRow) NextText() string {
	if r.NextAt.IsZero() {
		return templates.WaitingFor(r.Lang, r.State)
	}
	if len(r.Next) == 0 {
		if r.Lang == "it" {
			return "fine della pausa: si riprende"
		}
		return "the pause ends: the chase resumes"
	}
	names := make([]string, len(r.Next))
	for i, t := range r.Next {
		names[i] = templates.Name(r.Lang, t)
	}
	return strings.Join(names, " + ")
}

// WhenText is when the next step happens ("" when none): "04/12/2026 09:00".
func (r StatusRow) WhenText() string {
	if r.NextAt.IsZero() {
		return ""
	}
	return templates.Date(r.Lang, r.NextAt) + " " + r.NextAt.Format("15:04")
}

// AgingText names the invoice's aging band (policy.BucketOf, the bands of
// the summary's aging table) in the owner's words: "non scaduta"/"not yet
// due", "1–30 gg"/"1–30 days", …; "" when it does not count in the aging
// (Aged).
func (r StatusRow) AgingText() string {
	if !r.Aged {
		return ""
	}
	return templates.BucketLabel(r.Lang, policy.BucketOf(r.DaysOverdue))
}

// ClientText is the client as the views show it: "Neri Costruzioni
// <ufficio@neri.it>", the address alone when the name is unknown, "" when
// neither is known.
func (r StatusRow) ClientText() string {
	switch {
	case r.ClientName != "" && r.Client != "":
		return r.ClientName + " <" + r.Client + ">"
	case r.ClientName != "":
		return r.ClientName
	}
	return r.Client
}

// WriteStatus prints rows as an aligned table in the owner's language
// lang ("it", else English), the amount column being what is still owed.
func WriteStatus(w io.Writer, rows []StatusRow, lang string) error {
	return writeStatusTable(w, rows, lang)
}

var statusHeader = map[string]string{
	"it": "FATTURA\tCLIENTE\tDA INCASSARE\tSCADENZA\tGG RITARDO\tFASE\tSTATO\tPROSSIMO PASSO\tQUANDO",
	"en": "INVOICE\tCLIENT\tOUTSTANDING\tDUE\tDAYS OVERDUE\tSTAGE\tSTATE\tNEXT\tWHEN",
}

func writeStatusTable(w io.Writer, rows []StatusRow, lang string) error {
	if lang != "it" {
		lang = "en"
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, statusHeader[lang])
	for _, r := range rows {
		overdue := ""
		if r.DaysOverdue > 0 {
			overdue = strconv.Itoa(r.DaysOverdue)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", orNone(r.Number), orNone(r.ClientText()), r.OutstandingText(),
			orDash(templates.Date(lang, r.DueDate)), overdue, r.StageText(), r.StateText(), r.NextText(), r.WhenText())
	}
	return tw.Flush()
}

// orNone shows an unknown number or client.
func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
