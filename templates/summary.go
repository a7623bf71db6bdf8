package templates

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/policy"
)

// Summary is what the owner's periodic summary shows (Data.Summary; the
// summary template requires it). Its period runs from From to Data.Now.
type Summary struct {
	// Every is "weekly" or "daily" for a periodic summary, "" for one the
	// owner asked for ("stato"/"status").
	Every string
	// From is the start of the period the activity covers: the last
	// summary, or the first invoice for the first one.
	From time.Time
	// Aging is the open invoices by age, one row per currency (policy.AgeInvoices).
	Aging policy.Aging
	// Activity is what happened with each client in the period, clients in
	// the order of their first entry.
	Activity []ClientActivity
	// PromisesDue are promises whose date falls before the end of the next
	// week (or has passed, within the grace days); PromisesBroken those
	// found broken in the period.
	PromisesDue, PromisesBroken []Promise
	// Waiting are the cases that wait for the owner's decision.
	Waiting []Waiting
	// Bounces are addresses that failed in the period, Unmatched the mail
	// that matched no invoice.
	Bounces, Unmatched []Notice
	// Incomplete are the invoices the bot cannot chase for missing data.
	Incomplete []Incomplete
	// Credits are the bank credits imported in the period that paid no
	// invoice by themselves (sollecito payments).
	Credits []CreditNote
	// Omitted counts, per list, the entries left out so that a summary
	// stays short at any size of mailbox: the rest are in `sollecito
	// status` and on the web page.
	Omitted Omitted
}

// Omitted counts what a summary left out of each list.
type Omitted struct {
	Activity, PromisesDue, PromisesBroken, Waiting, Bounces, Unmatched, Incomplete, Credits int
}

// CreditNote is a credit from a bank statement for the owner to look at.
type CreditNote struct {
	ValueDate time.Time
	Amount    decimal.Decimal
	Currency  string
	Payer     string   // "" when the bank gives none
	Words     string   // the first line of the payer's remittance
	Invoices  []string // the numbers of the invoices it may pay; none: no open invoice fits
}

// Any reports whether anything was left out.
func (o Omitted) Any() bool { return o != Omitted{} }

// omitted says in the language what a summary left out, and where the rest is.
func (l locale) omitted(o Omitted) string {
	type part struct {
		n        int
		it, en   string
		it1, en1 string
	}
	parts := []part{
		{o.Activity, "voci di attività", "activity entries", "voce di attività", "activity entry"},
		{o.PromisesDue, "promesse in scadenza", "promises due", "promessa in scadenza", "promise due"},
		{o.PromisesBroken, "promesse non mantenute", "broken promises", "promessa non mantenuta", "broken promise"},
		{o.Waiting, "pratiche in attesa di Lei", "cases waiting for you", "pratica in attesa di Lei", "case waiting for you"},
		{o.Bounces, "mancate consegne", "delivery failures", "mancata consegna", "delivery failure"},
		{o.Unmatched, "messaggi non abbinati", "unmatched messages", "messaggio non abbinato", "unmatched message"},
		{o.Incomplete, "fatture con dati mancanti", "invoices missing data", "fattura con dati mancanti", "invoice missing data"},
		{o.Credits, "accrediti in banca", "bank credits", "accredito in banca", "bank credit"},
	}
	var items []string
	for _, p := range parts {
		if p.n == 0 {
			continue
		}
		w := map[bool]string{true: p.it, false: p.en}[l.lang == "it"]
		if p.n == 1 {
			w = map[bool]string{true: p.it1, false: p.en1}[l.lang == "it"]
		}
		items = append(items, l.count(p.n)+" "+w)
	}
	if len(items) == 0 {
		return ""
	}
	if l.lang == "it" {
		return "Per tenere breve questo messaggio non ho elencato: " + l.list(items) + ". L'elenco completo è in «sollecito status» e nella pagina web."
	}
	return "To keep this message short I left out: " + l.list(items) + ". The full lists are in `sollecito status` and on the web page."
}

// count writes a whole number with the language's thousands separator.
func (l locale) count(n int) string {
	s := fmt.Sprint(n)
	sep := ","
	if l.lang == "it" {
		sep = "."
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	return s
}

// ClientActivity is one client's messages of the period, oldest first.
type ClientActivity struct {
	Client  string // the client: its name and the address the invoices now go to ("Neri Costruzioni <ufficio@neri.it>"), or the address alone
	Entries []Activity
}

// Activity is one entry: a reminder the bot sent (Sent set, To its
// recipients), a reply it read (Kind set, From its writer), the owner's
// word that closed the invoice (Closed set) or that recorded a part
// payment (Received set).
type Activity struct {
	At      time.Time
	Invoice string // the invoice number
	Sent    policy.Template
	To      string
	Kind    string    // a reply kind: "promise", "dispute", …
	From    string    // who wrote the reply
	Promise time.Time // for a promise, the date promised (zero when none or unknown)
	// Closed is the state the owner's command closed the invoice in
	// (policy.Paid or policy.WrittenOff); "" for other entries.
	Closed policy.State
	// Received is a part payment the owner recorded, in Currency (zero
	// for other entries).
	Received decimal.Decimal
	Currency string
}

// Promise is a client's promise to pay.
type Promise struct {
	Invoice, Client string
	Amount          decimal.Decimal
	Currency        string
	Date            time.Time // the date promised (a calendar date); zero when unknown
	Until           time.Time // pending: when the pause ends; broken: when it was found broken
	Second          bool      // broken: the second broken promise, now with the owner
}

// Waiting is a case waiting for the owner.
type Waiting struct {
	Invoice, Client string
	Amount          decimal.Decimal
	Currency        string
	// Why is what the owner must decide: "dispute", "installment",
	// "case_file" (stage 4), "broken_promise", "bounce", "confirm_payment",
	// "settling" (a settlement offer runs: the owner tells the bot when
	// the money arrives), "settlement_lapsed", "notice_lapsed" (the formal
	// notice's term ran out unpaid), "notice" (the formal notice
	// went out), or the invoice's state when the cause is not known.
	Why   string
	Since time.Time // zero when unknown
}

// Notice is a bounce or a mail that matched no invoice.
type Notice struct {
	At      time.Time
	Invoice string // the invoice concerned, "" when none
	Address string // bounce: the address that failed ("" when unknown); unmatched: the sender
	Subject string // unmatched: the mail's subject
	Kind    string // unmatched: how the mail was read ("malformed" when unreadable); bounce: "bounce" or "send_failed"
}

// Incomplete is an invoice missing data.
type Incomplete struct {
	Invoice, Client string   // "" when unknown
	Missing         []string // field names as policy.Missing gives them
}

// barUnits and barPixels are the longest bars of the text and HTML charts.
const (
	barUnits  = 20
	barPixels = 160
)

// AgingTable is one currency of the aging table as the summary shows it.
type AgingTable struct {
	Currency string
	Lines    []AgingLine
	Overdue  policy.AgingCell
	Total    policy.AgingCell
}

// AgingLine is one band of an AgingTable, with its bar.
type AgingLine struct {
	Bucket policy.Bucket
	Count  int
	Amount decimal.Decimal
	Bar    string // the text bar: up to 20 "█"
	Px     int    // the HTML bar's width in pixels, up to 160; 0: none
	Color  string // the HTML bar's colour
}

// bucketColors go from grey (not yet due) to red (over 90 days).
var bucketColors = [policy.NumBuckets]string{"#95a5a6", "#f1c40f", "#e67e22", "#d35400", "#c0392b"}

// Tables returns the aging table ready to show, bars scaled per currency.
func (s Summary) Tables() []AgingTable {
	var out []AgingTable
	for _, r := range s.Aging {
		units := policy.BarWidths(r, barUnits)
		px := policy.BarWidths(r, barPixels)
		t := AgingTable{Currency: r.Currency, Overdue: r.Overdue, Total: r.Total}
		for b, c := range r.Cells {
			t.Lines = append(t.Lines, AgingLine{
				Bucket: policy.Bucket(b), Count: c.Count, Amount: c.Amount,
				Bar: strings.Repeat("█", units[b]), Px: px[b], Color: bucketColors[b],
			})
		}
		out = append(out, t)
	}
	return out
}

// OverdueRows returns the rows of the aging table with something overdue.
func (s Summary) OverdueRows() []policy.AgingRow {
	var out []policy.AgingRow
	for _, r := range s.Aging {
		if r.Overdue.Count > 0 {
			out = append(out, r)
		}
	}
	return out
}

// Quiet reports whether nothing needs the owner: nothing waiting, no
// bounce, no unmatched mail, no missing data, no promise broken, no bank
// credit to confirm.
func (s Summary) Quiet() bool {
	return len(s.Waiting)+len(s.Bounces)+len(s.Unmatched)+len(s.Incomplete)+len(s.PromisesBroken)+len(s.Credits) == 0
}

// bucketNames name the aging bands, under a heading that says they count
// days overdue.
var bucketNames = map[string][policy.NumBuckets]string{
	"it": {"non ancora scadute", "1–30 giorni", "31–60 giorni", "61–90 giorni", "oltre 90 giorni"},
	"en": {"not yet due", "1–30 days", "31–60 days", "61–90 days", "over 90 days"},
}

// bucketLabels name the aging band of one invoice, for the rows of the
// owner's views.
var bucketLabels = map[string][policy.NumBuckets]string{
	"it": {"non scaduta", "1–30 gg", "31–60 gg", "61–90 gg", "oltre 90 gg"},
	"en": {"not yet due", "1–30 days", "31–60 days", "61–90 days", "over 90 days"},
}

// BucketLabel names the aging band (policy.BucketOf) of one invoice in lang
// ("it", else English), e.g. "31–60 gg", for a row of the status views;
// the summary's table names its columns with its own words.
func BucketLabel(lang string, b policy.Bucket) string {
	if b < 0 || b >= policy.NumBuckets {
		return ""
	}
	return bucketLabels[lookup(lang).lang][b]
}

// ReadingName says how the bot read a mail (a reply kind, "invoice",
// "unverified", "malformed") in lang ("it", else English), with the words
// of the case timeline and the summary.
func ReadingName(lang, kind string) string { return lookup(lang).kind(kind) }

// bucket names an aging band in the language.
func (l locale) bucket(b policy.Bucket) string {
	if b < 0 || b >= policy.NumBuckets {
		return ""
	}
	return bucketNames[l.lang][b]
}

// kind says how a reply was read, in the language, as the case timeline
// says it (readings); "malformed" is a mail that could not be read.
func (l locale) kind(k string) string {
	if k == "malformed" {
		if l.lang == "it" {
			return "illeggibile"
		}
		return "unreadable"
	}
	if n, ok := readings[l.lang][k]; ok {
		return n
	}
	return k
}

// whyNames say what a case waiting for the owner needs.
var whyNames = map[string]map[string]string{
	"it": {
		"dispute":           "il cliente contesta la fattura",
		"installment":       "il cliente chiede una dilazione o più tempo",
		"case_file":         "solleciti esauriti, Le ho mandato il fascicolo della pratica",
		"broken_promise":    "seconda promessa non mantenuta",
		"bounce":            "l'indirizzo del cliente non riceve: serve un nuovo contatto",
		"confirm_payment":   "il cliente dice di aver pagato: mi confermi che il denaro è arrivato",
		"settling":          "proposta di saldo e stralcio in corso: quando arriva il pagamento, mi scriva «pagata»",
		"settlement_lapsed": "la proposta di saldo e stralcio è scaduta senza pagamento",
		"notice":            "diffida inviata al cliente: se non paga nel termine, decida come procedere",
		"notice_lapsed":     "il termine della diffida è scaduto senza pagamento: decida come procedere",
	},
	"en": {
		"dispute":           "the client disputes the invoice",
		"installment":       "the client asks for a payment plan or more time",
		"case_file":         "reminders exhausted, I sent you the case file",
		"broken_promise":    "second broken promise",
		"bounce":            "the client's address does not receive mail: a new contact is needed",
		"confirm_payment":   "the client says it has paid: please confirm the money arrived",
		"settling":          "settlement offered: when the money arrives, reply \"paid\"",
		"settlement_lapsed": "the settlement offer lapsed unpaid",
		"notice":            "letter before action sent: if the client does not pay in time, decide how to proceed",
		"notice_lapsed":     "the letter before action's term ran out unpaid: decide how to proceed",
	},
}

// why says what a waiting case needs, in the language.
func (l locale) why(w string) string {
	if n, ok := whyNames[l.lang][w]; ok {
		return n
	}
	return w
}

// fieldNames name invoice fields.
var fieldNames = map[string]map[string]string{
	"it": {"number": "numero", "issue_date": "data di emissione", "due_date": "scadenza", "amount": "importo", "client_email": "indirizzo del cliente"},
	"en": {"number": "number", "issue_date": "issue date", "due_date": "due date", "amount": "amount", "client_email": "client address"},
}

// fields names invoice fields as a list in the language.
// FieldNames says invoice field names (policy.Missing's) in the language,
// as a list: "scadenza e importo".
func FieldNames(lang string, fs []string) string { return lookup(lang).fields(fs) }

func (l locale) fields(fs []string) string {
	var s []string
	for _, f := range fs {
		if n, ok := fieldNames[l.lang][f]; ok {
			s = append(s, n)
		} else {
			s = append(s, f)
		}
	}
	return l.list(s)
}

// datetime formats an instant to the minute: Italian "09/11/2026 10:00",
// English "9 November 2026 10:00".
func (l locale) datetime(t time.Time) (string, error) {
	d, err := l.date(t)
	if err != nil {
		return "", err
	}
	return d + " " + t.Format("15:04"), nil
}
