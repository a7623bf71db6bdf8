package templates

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/policy"
)

// Data is everything a message may show. Which fields a template needs is
// listed in the package documentation; fields a template does not need may be
// left zero.
type Data struct {
	// Template is the message being written; Render sets it, so that a
	// partial can fit the message (the commands that fit the case).
	Template policy.Template
	// HelpAsked: the owner asked for the list of commands ("aiuto"), so
	// command_help lists them without saying anything went wrong.
	HelpAsked bool
	// Business is who the bot writes for. Name and IBAN are required by every
	// client message that asks for payment.
	Business Business
	// Invoice is the invoice the message is about. Its calendar dates
	// (IssueDate, DueDate, PromisedDate) are shown as they are (00:00 UTC).
	Invoice policy.Invoice
	// ClientName is the client's display name, "" when unknown (the messages
	// then use a neutral greeting and, to the owner, the address).
	ClientName string
	// Contacts lists every address (or phone number) known for the client,
	// for the call task and the case file. Empty means Invoice.Client only.
	Contacts []string
	// History is the invoice's timeline so far, oldest first. Client
	// reminders in it (stage 1–3 and promise-missed entries with Sent set)
	// are what stage 2 and stage 3 cite by date.
	History []Entry
	// Subject is the subject of the mail the message is about: the invoice
	// mail for missing_fields, the client's or owner's mail for forwards and
	// command_help.
	Subject string
	// From is who wrote the mail being forwarded; for bounce_alert, the
	// address that failed ("" means Invoice.Client).
	From string
	// Words are the writer's own words (quotes and signatures removed) for
	// forwards, confirm_payment, command_help, and the server's explanation
	// for bounce_alert.
	Words string
	// Missing lists the invoice fields missing for missing_fields: "number",
	// "issue_date", "due_date", "amount" (others are shown as they are).
	Missing []string
	// Command is the owner command applied and its result, for command_done,
	// in the owner's language (e.g. "pausa fino al 15/01/2027").
	Command string
	// CommandDetail is, for command_done, what the command did beyond its
	// echo, said after it in the body (a notice: " — somma richiesta …
	// tramite PEC …"); "" when nothing more.
	CommandDetail string
	// UndoBy is, for command_done of a closing command (paid, write off,
	// stop), the last day «annulla»/"undo" takes it back; zero: none.
	UndoBy time.Time
	// Next is what the bot will do next for this invoice, for the owner's
	// messages. Zero means nothing: the bot waits for the owner.
	Next Step
	// PayBy is the date a reminder (stage2, stage3, promise_missed) asks
	// the client to pay by, as policy.PayBy gives it: the last business day
	// before the next step, never that step's own day. A calendar date
	// (00:00 UTC); zero means none is given.
	PayBy time.Time
	// Interest is statutory late interest, shown in stage 2, stage 3, the
	// notice and the case file; nil means not shown.
	Interest *Interest
	// NoticeTerm is the last day of the term the formal notice of
	// Invoice.NoticeAt gave the client to pay (policy.NoticeTermEnd), for
	// notice_lapsed; zero means not shown.
	NoticeTerm time.Time
	// Attachment is the file name of the invoice attached to this message
	// (resend, notice), "" when none is attached.
	Attachment string
	// Summary is the owner's summary, for the summary template only.
	Summary *Summary
	// Untrusted says why the bot did not act on the mail shown, for
	// unverified: "contact" (the sender is not a contact of the invoice and
	// the mail is not threaded under the bot's), "redirect" (a sender who is
	// not a contact names another address to write to: NewContact) or
	// "owner" (an owner address the receiving mail server does not vouch
	// for).
	Untrusted string
	// Guess is, for forward_other, the bot's best reading of a reply it was
	// not sure enough of to act on: the owner confirms it or decides.
	// nil when the reply simply holds nothing to act on.
	Guess *Guess
	// NewContact is the address a mail names as the client's contact from
	// now on, for contact_changed and an unverified "redirect".
	NewContact string
	// Credit is, for credit_question, the bank credit that may pay the
	// invoice; nil otherwise.
	Credit *Credit
	// Held lists the messages the per-recipient cap held back, oldest
	// first, for digest.
	Held []Held
	// HeldMore counts the held messages a digest does not list one by one
	// (they are in the ledger and the mailbox); 0 when it lists them all.
	HeldMore int
	// Now is the instant of writing, in the business's time zone: instants
	// (History[].At, Next.At) are shown in Now's zone and days overdue are
	// counted from Now's calendar date. Required.
	Now time.Time
}

// Credit is money a bank statement shows arrived, as credit_question
// asks the owner about it.
type Credit struct {
	Amount   decimal.Decimal
	Currency string
	Value    time.Time // the value date (00:00 UTC)
	Payer    string    // "" when the bank gives none
	Words    string    // the remittance's first line (the causale)
	// Full: the credit pays all the invoice still owes; otherwise "sì"
	// records it as a part payment.
	Full bool
}

// Guess is a reading of a reply the bot did not act on by itself.
type Guess struct {
	Kind    string    // a reply kind, as reply.Kind spells it ("promise"…)
	Percent int       // how sure the bot is of it, 0 to 100
	Date    time.Time // the promised date read, for a promise; zero when none
	Address string    // the address named, for a redirect
}

// Business is who the bot writes for.
type Business struct {
	Name      string // e.g. "Studio Bianchi"; signs client messages
	IBAN      string // any spacing; shown grouped by four
	OwnerName string // greets the owner; "" for a neutral greeting
	Signature string // optional extra lines under the name in client messages
	// Address and VATNumber identify the business at the head of the
	// formal notice (e.g. "Via Roma 1, 20121 Milano", "01234567890");
	// "" leaves them out.
	Address    string
	VATNumber  string
	BotAddress string // the bot's own address, shown in owner messages
}

// VATID returns the business's VAT number as the EU writes it, with its
// country prefix: "IT01234567897" for an Italian Partita IVA given as 11
// digits; "" when none is set.
func (b Business) VATID() string {
	v := b.VATNumber
	if v != "" && v[0] >= '0' && v[0] <= '9' {
		return "IT" + v
	}
	return v
}

// Entry is one line of an invoice's timeline: a mail received, a message
// the bot sent, or an event of the ledger that no message carries. The
// engine builds the one timeline that the case file, `sollecito history`
// and the web page all show.
type Entry struct {
	At time.Time
	// Sent names the message the bot wrote, if the entry is one; it is shown
	// in the reader's language.
	Sent policy.Template
	// To is where a Sent message went ("" when unknown).
	To string
	// Received is set for a mail received: the invoice, a client's reply, an
	// owner's command.
	Received bool
	// Kind says what an entry without Sent is, so that views can say it in
	// the reader's language (Reading): "invoice" (the invoice mail), a kind
	// the bot read a client's mail as ("payment_proof", "promise",
	// "dispute", "not_received", "installment", "redirect", "autoreply",
	// "bounce", "other"), "unverified" (a mail from a sender the bot may not
	// act for), "command:VERB" for an owner command (VERB as reply/command
	// names it), or the kind of a ledger event (EventName). "" means What
	// alone.
	Kind string
	// From is who wrote the mail the entry is about (a reply, a command).
	From string
	// Subject is the subject of the mail received or sent ("" for an event).
	Subject string
	// Promised is the date a client's promise named (Kind "promise").
	Promised time.Time
	// What says anything else in the reader's language (the invoice mail's
	// subject, an owner command's argument, a note), shown after the rest.
	What string
	// Evidence is, for a mail received, how it was matched to the invoice
	// and the words that decided its reading, as the ledger notes them
	// (English).
	Evidence string
	// Reason is why the bot acted, as the policy logs it (English): for a
	// mail received, what its reading made the bot do; for a message sent,
	// the decision that sent it; for an event, the event's reason.
	Reason string
	// Why is the decision in Reason as data when a rule decided it (the
	// ledger's Event.Why): views say it in the owner's language (Reason),
	// leaving out what they show apart (who wrote, how it was read).
	Why *policy.Why
}

// Event reports whether the entry is a ledger event rather than a mail.
func (e Entry) Event() bool { return !e.Received && e.Sent == "" }

// Decision reports whether the entry is a decision of the schedule whose
// message is not (yet) in the timeline: the message, once sent, carries it.
func (e Entry) Decision() bool {
	return e.Event() && (e.Kind == "schedule" || slices.Contains(Names(), policy.Template(e.Kind)))
}

// Held is one message the per-recipient cap held back: the mail that caused
// it and how the bot read it.
type Held struct {
	At      time.Time // when the mail was handled
	From    string    // who wrote it
	Subject string
	// Reading is how the bot read it, in the reader's language (e.g.
	// "pagamento dichiarato"); "" when not read as a reply.
	Reading string
	Invoice string          // the invoice number it was matched to; "" when none
	Sent    policy.Template // the message it would have caused
}

// Step is the next thing the bot will do.
type Step struct {
	At       time.Time       // when; zero means as soon as possible
	Template policy.Template // what; "" means nothing
}

// Interest is statutory late interest (D.Lgs. 231/2002) on the invoice, as
// policy.LateClaim computes it: day by day from the day after the due date,
// at the rate of each half-year.
type Interest struct {
	// Periods are the stretches of days at one rate, oldest first; their
	// Amounts add up to Amount. A period with Assumed set used the rate of
	// an earlier half-year (Basis) because the table lacks its own: every
	// message showing it must say so.
	Periods []policy.InterestPeriod
	// Rate is the annual rate of the last period (the one in force on To),
	// in percent, e.g. 10.15 for 10.15%; for texts that show a single rate.
	Rate     decimal.Decimal
	From, To time.Time       // the first and last day interest is counted on
	Amount   decimal.Decimal // interest due for the period, in the invoice currency
	// Compensation is the fixed compensation for recovery costs (art. 6
	// D.Lgs. 231/2002: 40 euro), in the invoice currency; zero means not claimed.
	Compensation decimal.Decimal
	// Payments are the partial payments received, oldest first, each of
	// which lowered the capital interest runs on (Periods[].Capital); empty
	// when none.
	Payments []policy.Payment
}

// NewInterest returns the Interest a template shows for a claim.
func NewInterest(c policy.Claim) *Interest {
	i := &Interest{Periods: c.Periods, From: c.From, To: c.To, Amount: c.Amount, Compensation: c.Compensation, Payments: c.Payments}
	if n := len(c.Periods); n > 0 {
		i.Rate = c.Periods[n-1].Rate
	}
	return i
}

// Assumed returns the periods whose rate was assumed (the table lacks their
// half-year), oldest first.
func (i Interest) Assumed() []policy.InterestPeriod {
	var a []policy.InterestPeriod
	for _, p := range i.Periods {
		if p.Assumed {
			a = append(a, p)
		}
	}
	return a
}

// HeldCount is how many messages a digest carries: those it lists and
// HeldMore.
func (d Data) HeldCount() int { return len(d.Held) + d.HeldMore }

// AssumedHalfYears returns, oldest first and each once, the half-years
// (their first day) whose rate the table lacks: every one of them must be
// named, since the owner has to add each to policy.rates_file.
func (i Interest) AssumedHalfYears() []time.Time {
	var h []time.Time
	for _, p := range i.Assumed() {
		if y := p.HalfYear(); len(h) == 0 || !h[len(h)-1].Equal(y) {
			h = append(h, y)
		}
	}
	return h
}

// Timeline returns the entries of History a case timeline shows, oldest
// first: all but the decisions whose messages are not sent yet (Decision).
func (d Data) Timeline() []Entry {
	var t []Entry
	for _, e := range d.History {
		if !e.Decision() {
			t = append(t, e)
		}
	}
	return t
}

// reminder reports whether a template is a payment reminder to the client,
// the kind stage 2 and 3 cite by date.
func reminder(t policy.Template) bool {
	switch t {
	case policy.Stage1, policy.Stage2, policy.Stage3, policy.PromiseMissed:
		return true
	}
	return false
}

// Reminders returns the reminders sent to the client, oldest first.
func (d Data) Reminders() []Entry {
	var r []Entry
	for _, e := range d.History {
		if reminder(e.Sent) && !e.At.IsZero() {
			r = append(r, e)
		}
	}
	return r
}

// ReminderDates returns when the reminders of Reminders were sent.
func (d Data) ReminderDates() []time.Time {
	var r []time.Time
	for _, e := range d.Reminders() {
		r = append(r, e.At)
	}
	return r
}

// FirstReminder returns the first reminder sent to the client, nil when none.
func (d Data) FirstReminder() *Entry {
	r := d.Reminders()
	if len(r) == 0 {
		return nil
	}
	return &r[0]
}

// DaysOverdue returns the whole days from the due date to Now's calendar
// date: negative before the due date, 0 when either date is missing.
func (d Data) DaysOverdue() int {
	if d.Now.IsZero() || d.Invoice.DueDate.IsZero() {
		return 0
	}
	y, m, day := d.Now.Date()
	today := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	y, m, day = d.Invoice.DueDate.Date()
	due := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	return int(today.Sub(due).Hours() / 24)
}

// Total returns the amount claimed: what is outstanding on the invoice
// (Invoice.Outstanding: the amount less partial payments) plus, when
// Interest is set, the interest and the fixed compensation.
func (d Data) Total() decimal.Decimal {
	t := d.Invoice.Outstanding()
	if d.Interest != nil {
		t = t.Add(d.Interest.Amount).Add(d.Interest.Compensation)
	}
	return t
}

// SettleExample returns an example figure for the owner's settle command:
// about 80% of what is outstanding, rounded down to a multiple of ten (of
// one below 10), as the owner would type it ("970" for 1220.00).
func (d Data) SettleExample() string {
	x := d.Invoice.Outstanding().Mul(decimal.RequireFromString("0.8"))
	if x.GreaterThanOrEqual(decimal.NewFromInt(10)) {
		x = x.Div(decimal.NewFromInt(10)).Floor().Mul(decimal.NewFromInt(10))
	} else {
		x = x.Floor()
	}
	return x.StringFixed(0)
}

// Known reports whether the invoice fields named ("number", "issue_date",
// "due_date", "amount") are all known: set in Invoice and not listed in
// Missing. With no names it reports whether any of the four is known.
func (d Data) Known(fields ...string) bool {
	known := func(f string) bool {
		if slices.Contains(d.Missing, f) {
			return false
		}
		switch f {
		case "number":
			return d.Invoice.Number != ""
		case "issue_date":
			return !d.Invoice.IssueDate.IsZero()
		case "due_date":
			return !d.Invoice.DueDate.IsZero()
		case "amount":
			return !d.Invoice.Amount.IsZero()
		}
		return false
	}
	if len(fields) == 0 {
		return known("number") || known("issue_date") || known("due_date") || known("amount")
	}
	for _, f := range fields {
		if !known(f) {
			return false
		}
	}
	return true
}

// local returns d with its instants moved to Now's time zone.
func (d Data) local() Data {
	if d.Now.IsZero() {
		return d
	}
	loc := d.Now.Location()
	h := make([]Entry, len(d.History))
	for i, e := range d.History {
		e.At = e.At.In(loc)
		h[i] = e
	}
	d.History = h
	if !d.Next.At.IsZero() {
		d.Next.At = d.Next.At.In(loc)
	}
	return d
}
