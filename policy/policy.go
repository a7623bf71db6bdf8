// Package policy holds the rules of the chase: when each reminder is due,
// which days are business days, what a client reply or an owner command does
// to an invoice. Every function here is pure: (invoice, history, now,
// settings) in, decisions out. The ledger sub-package stores what it decides.
package policy

import (
	"time"

	"github.com/shopspring/decimal"
)

// State is where an invoice stands in the chase.
type State string

// Invoice states.
const (
	// Incomplete: a field is missing; the owner has been asked; nothing is sent to the client.
	Incomplete State = "incomplete"
	// Open: being chased on schedule (courtesy notice, stages 1–3).
	Open State = "open"
	// Paused: nothing goes out before PauseUntil (a client promise or an owner pause).
	Paused State = "paused"
	// ClaimedPaid: the client says it paid; the owner is asked to confirm the money arrived.
	ClaimedPaid State = "claimed_paid"
	// Disputed: the client contests the invoice; with the owner, never chased.
	Disputed State = "disputed"
	// WithOwner: an instalment request, a second broken promise or stage 4; the bot
	// stops writing to the client until the owner resumes.
	WithOwner State = "with_owner"
	// Stopped: the owner said stop.
	Stopped State = "stopped"
	// Settling: the owner offered the client to close the invoice for
	// SettleAmount by SettleBy; nothing else goes to the client. Paid in
	// time, the client's "paid" asks the owner to confirm (ClaimedPaid); a
	// refusal read as a dispute is Disputed; past SettleBy plus the promise
	// grace, unpaid, the case goes back to the owner (WithOwner).
	Settling State = "settling"
	// Paid: closed, the owner confirmed payment.
	Paid State = "paid"
	// WrittenOff: closed, the owner wrote it off.
	WrittenOff State = "written_off"
)

// Closed reports whether the state is final.
func (s State) Closed() bool { return s == Paid || s == WrittenOff }

// Invoice is one chased invoice as the rules see it. Dates (IssueDate,
// DueDate, Anchor, PromisedDate) are calendar dates at 00:00 UTC; instants
// (LastStageAt, PauseUntil) are times.
type Invoice struct {
	ID     int64
	Number string
	Client string // the address the next message goes to
	// ClientName is the client's name as the invoice gives it or the owner
	// set it ("Neri Costruzioni S.r.l."), "" when unknown; ClientVAT its
	// VAT number ("IT01234567897") or codice fiscale, "" when unknown.
	ClientName string
	ClientVAT  string
	IssueDate  time.Time
	DueDate    time.Time
	Amount     decimal.Decimal
	Currency   string
	// Lang is the language the invoice was written in ("it", "en"): the
	// client's language unless the client's settings say otherwise.
	Lang  string
	State State
	// Stage is the last stage sent: 0 none, 1–4.
	Stage int
	// CourtesySent is set once the courtesy notice went out.
	CourtesySent bool
	// Anchor is the date the stage clock counts from: the due date, or the day
	// the invoice was sent again after "never got it".
	Anchor time.Time
	// LastStageAt is when the last stage (or promise-missed) reminder went
	// out, or when the owner resumed the chase: the next stage counts from
	// its day. Zero with Stage > 0 schedules nothing (never early).
	LastStageAt time.Time
	// PauseUntil: no message before this instant (Paused state).
	PauseUntil time.Time
	// PromisedDate is the client's last promised date (zero when none). A
	// Paused invoice with a PromisedDate waits on a promise, which breaks at
	// PauseUntil; without one it is an owner's pause (or a promise with no
	// date) and ends silently.
	PromisedDate time.Time
	// PromisesBroken counts promises whose date (plus grace) passed unpaid.
	PromisesBroken int
	// CitePromise is set when a promise was broken and the next reminder must
	// cite it. The schedule cites a broken promise in the PromiseMissed
	// reminder itself and clears it with every reminder it sends.
	CitePromise bool
	// PaidAmount is the money received so far ("pagata in parte"), in
	// Currency; zero when none. Once the owner confirms full payment it is
	// what was collected: Amount, or what a settlement brought in.
	PaidAmount decimal.Decimal
	// SettleAmount is what a settlement offer asks the client to pay to close
	// the invoice, and SettleBy (a calendar date) the offer's deadline; both
	// zero when no offer stands. They stay set while the offer is open
	// (Settling), when the client says it paid (ClaimedPaid), and after the
	// offer lapsed (WithOwner), so that the owner's "paid" collects
	// SettleAmount; resuming the chase clears them.
	SettleAmount decimal.Decimal
	SettleBy     time.Time
	// NoticeAt is when the owner last had the formal notice sent (zero: never).
	NoticeAt time.Time
	// NoticeLapsedAt is when the owner was told that the term the notice
	// of NoticeAt gave had run out unpaid (NoticeLapsed); zero, or before
	// NoticeAt, when not yet.
	NoticeLapsedAt time.Time
}

// Outstanding returns what is still owed on the invoice: Amount less
// PaidAmount, never below zero. Reminders ask for it and late interest
// accrues on it; a closed invoice owes nothing.
func (inv Invoice) Outstanding() decimal.Decimal {
	if inv.State.Closed() {
		return decimal.Zero
	}
	o := inv.Amount.Sub(inv.PaidAmount)
	if o.IsNegative() {
		return decimal.Zero
	}
	return o
}

// Due returns what the client is asked to pay now: SettleAmount while a
// settlement offer stands, else Outstanding.
func (inv Invoice) Due() decimal.Decimal {
	if inv.SettleAmount.IsPositive() && (inv.State == Settling || inv.State == ClaimedPaid) {
		return inv.SettleAmount
	}
	return inv.Outstanding()
}

// Client holds one client's own settings (zero values mean the defaults).
type Client struct {
	Language      string // "it" or "en"; "" means the owner's language
	ToleranceDays int    // extra days before each stage
	PaymentDays   []int  // days of the month the client pays on; reminders wait for the next one
	Exclude       bool   // never chase this client
	// Consumer marks a private person: D.Lgs. 231/2002 does not apply, so no
	// statutory late interest nor the fixed compensation is claimed.
	Consumer bool
}

// Settings is the schedule, as configured (see DefaultSettings).
type Settings struct {
	Location                 *time.Location
	OfficeOpen, OfficeClose  time.Duration // offsets from midnight, e.g. 9h and 18h
	CourtesyDaysBeforeDue    int
	Stage1DaysAfterDue       int
	StageIntervalDays        int
	PromiseGraceBusinessDays int
	ExtraHolidays            []MonthDay // e.g. a patron saint's day
}

// MonthDay is a day that recurs every year.
type MonthDay struct {
	Month time.Month
	Day   int
}

// DefaultSettings returns the procedure's defaults: courtesy 7 days before
// due, stage 1 ten days after, ten days between stages, three business days
// of grace after a promise, office hours 09:00–18:00 in Europe/Rome.
func DefaultSettings() Settings {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		loc = time.UTC
	}
	return Settings{
		Location:                 loc,
		OfficeOpen:               9 * time.Hour,
		OfficeClose:              18 * time.Hour,
		CourtesyDaysBeforeDue:    7,
		Stage1DaysAfterDue:       10,
		StageIntervalDays:        10,
		PromiseGraceBusinessDays: 3,
	}
}

// Template names a message the bot writes. The templates package has one
// text per name and language.
type Template string

// Messages to the client.
const (
	Courtesy      Template = "courtesy"
	Stage1        Template = "stage1"
	Stage2        Template = "stage2"
	Stage3        Template = "stage3"
	PromiseMissed Template = "promise_missed" // a reminder that cites a broken promise
	Resend        Template = "resend"         // the invoice again, with its attachment and bank details
	Notice        Template = "notice"         // the formal notice (diffida), when the owner says so
	Settlement    Template = "settlement"     // an offer to close the invoice for less, when the owner says so
)

// Messages to the owner.
const (
	CallTask           Template = "call_task"           // stage 3: please phone the client
	CaseFile           Template = "case_file"           // stage 4: the case and a draft formal notice
	ConfirmPayment     Template = "confirm_payment"     // the client says paid: did the money arrive?
	ForwardDispute     Template = "forward_dispute"     // the client contests
	ForwardInstallment Template = "forward_installment" // the client asks for a plan or more time
	ForwardOther       Template = "forward_other"       // a reply the bot does not act on
	ForwardUnmatched   Template = "forward_unmatched"   // mail that matches no invoice
	BrokenPromise      Template = "broken_promise"      // a second broken promise
	BounceAlert        Template = "bounce_alert"        // a client address fails
	MissingFields      Template = "missing_fields"      // an invoice mail lacks a field
	CommandDone        Template = "command_done"        // an owner command applied
	CommandHelp        Template = "command_help"        // an owner mail the bot did not understand
	Summary            Template = "summary"             // the periodic summary, and the answer to "stato"/"status"
	SettlementLapsed   Template = "settlement_lapsed"   // a settlement offer's deadline passed unpaid
	NoticeLapsed       Template = "notice_lapsed"       // the formal notice's term passed unpaid
	Unverified         Template = "unverified"          // a mail the bot did not act on: its sender is not who may act
	ContactChanged     Template = "contact_changed"     // a client's contact named another address: the bot writes there now
	Digest             Template = "digest"              // the messages the per-recipient cap held back
	CreditQuestion     Template = "credit_question"     // a bank credit that may pay an invoice: is it? ("sì")
	AuthAlert          Template = "auth_alert"          // the bot cannot log in to its mailbox: the owner must act
)

// Recipient says who a message goes to.
type Recipient string

// Recipients.
const (
	ToClient Recipient = "client"
	ToOwner  Recipient = "owner"
)

// Recipient returns who a template is written to.
func (t Template) Recipient() Recipient {
	switch t {
	case Courtesy, Stage1, Stage2, Stage3, PromiseMissed, Resend, Notice, Settlement:
		return ToClient
	}
	return ToOwner
}
