package policy

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/reply"
	"github.com/sollecito/sollecito/reply/command"
	"github.com/sollecito/sollecito/reply/invoice"
)

// ErrNotApplicable is wrapped by OnCommand's errors: the command does not
// apply to the invoice as it stands; the error says why.
var ErrNotApplicable = errors.New("policy: command does not apply")

// held reports whether the owner holds the case (or it cannot be chased
// yet): client replies that would restart or pause the chase go to the owner
// instead.
func held(s State) bool {
	switch s {
	case Disputed, WithOwner, Stopped, Incomplete, Settling:
		return true
	}
	return false
}

// Intake returns the invoices an owner's invoice mail registers, as its
// reading f says them: none for a credit note; one, Open, or Incomplete when a field or the
// client's address is missing (the owner is asked); or, when the mail
// gives an instalment plan and nothing is missing, one invoice per
// instalment ("2026/12 (1/3)"), each with its own due date and amount, so
// that each is chased on its own day. lang is the owner's language, for an
// invoice whose own language the reading does not tell.
func Intake(f invoice.Fields, lang string) []Invoice {
	if f.CreditNote {
		return nil // money owed to the client: nothing to chase
	}
	base := Invoice{
		Number: f.Number, IssueDate: f.IssueDate, DueDate: f.DueDate, Currency: f.Currency, Lang: f.Lang,
		State: Open, Anchor: f.DueDate, ClientName: f.ClientName, ClientVAT: f.ClientVAT,
	}
	if f.HasAmount {
		base.Amount = f.Amount
	}
	if len(f.ClientEmails) > 0 {
		base.Client = f.ClientEmails[0]
	}
	if base.Lang == "" {
		base.Lang = lang
	}
	if len(f.Missing) > 0 || base.Client == "" {
		base.State = Incomplete
	}
	if len(f.Instalments) < 2 || len(f.Missing) > 0 {
		return []Invoice{base}
	}
	parts := make([]Invoice, 0, len(f.Instalments))
	for i, in := range f.Instalments {
		p := base
		p.Number = fmt.Sprintf("%s (%d/%d)", f.Number, i+1, len(f.Instalments))
		p.DueDate, p.Anchor, p.Amount = in.DueDate, in.DueDate, in.Amount
		parts = append(parts, p)
	}
	return parts
}

// NeverAnswered is step for a mail that is automatic, bulk or a list's
// (why says which, as RFC 3834 and the list headers tell): such mail is
// never answered. A step that would write to the client becomes a forward
// to the owner that changes nothing; any other step stands.
func NeverAnswered(inv Invoice, step Step, why string, at time.Time) Step {
	for _, t := range step.Send {
		if t.Recipient() == ToClient {
			return Step{At: at, Then: inv, Send: []Template{ForwardOther},
				Reason: fmt.Sprintf("automatic or list mail (%s) is never answered: forwarded to the owner, invoice unchanged", why)}
		}
	}
	return step
}

// OnReply returns the step a classified client reply causes, received at
// time at. Messages to the owner have At = at; a message to the client (the
// invoice sent again) has At in the next send window (a business day, in
// office hours), since it answers the client's own mail.
//
// The actions are the corpus SPEC's: payment_proof → ClaimedPaid and
// ConfirmPayment; promise with a date → Paused until the office opens after
// PromisedDate + PromiseGraceBusinessDays, PromisedDate set; promise without
// a date → Paused for StageIntervalDays; dispute → Disputed and
// ForwardDispute; not_received → Resend, the stage clock restarts; instalment
// → WithOwner and ForwardInstallment; redirect → the next message goes to
// RedirectTo; autoreply → nothing; bounce → BounceAlert and, when the
// failing address is the client's, WithOwner until the owner gives another; other →
// ForwardOther. A closed invoice only forwards what a person wrote. While
// the owner holds the case (disputed, with the owner, stopped, incomplete) a
// promise or "never got it" is forwarded (ForwardOther) instead of pausing
// or restarting the chase, and an instalment request is forwarded without
// changing the state.
// MaxPromiseDays is the farthest a promised date may lie for the bot to
// accept it as a promise; a later date goes to the owner as an extension request.
const MaxPromiseDays = 60

func OnReply(inv Invoice, v reply.Verdict, at time.Time, s Settings) Step {
	then := inv
	step := Step{At: at, Then: then}
	if inv.State.Closed() {
		switch v.Kind {
		case reply.AutoReply, reply.Bounce:
			step = step.withWhy(Why{Code: WhyClosedReply, Kind: string(v.Kind)})
		default:
			step.Send = []Template{ForwardOther}
			step = step.withWhy(Why{Code: WhyClosedReply, Kind: string(v.Kind), Forward: true})
		}
		return step
	}
	loc := location(s)
	switch v.Kind {
	case reply.PaymentProof:
		step.Then.State = ClaimedPaid
		step.Then.PauseUntil = time.Time{}
		step.Send = []Template{ConfirmPayment}
		step = step.withWhy(Why{Code: WhyPaidReply, Settle: inv.SettleAmount.IsPositive(), Amount: inv.SettleAmount, Currency: inv.Currency})
	case reply.Promise:
		if held(inv.State) {
			step.Send = []Template{ForwardOther}
			step = step.withWhy(Why{Code: WhyPromiseHeld, State: inv.State, Forward: true})
			break
		}
		today := midnight(at.In(loc))
		step.Then.State = Paused
		if v.PromisedDate.IsZero() {
			step.Then.PromisedDate = time.Time{}
			step.Then.PauseUntil = officeOpenFrom(today.AddDate(0, 0, s.StageIntervalDays), s)
			step = step.withWhy(Why{Code: WhyPromiseNoDate, Days: s.StageIntervalDays, Until: step.Then.PauseUntil})
			break
		}
		promised := localDate(v.PromisedDate, s)
		if promised.Before(today) {
			promised = today
		}
		if promised.After(today.AddDate(0, 0, MaxPromiseDays)) {
			// A date that far away is an extension, not a promise: the bot
			// does not grant one by itself.
			step.Then.State = WithOwner
			step.Then.PauseUntil = time.Time{}
			step.Send = []Template{ForwardInstallment}
			step = step.withWhy(Why{Code: WhyPromiseFar, From: v.PromisedDate, Days: MaxPromiseDays, Forward: true})
			break
		}
		end := AddBusinessDays(promised, s.PromiseGraceBusinessDays, s)
		step.Then.PromisedDate = v.PromisedDate
		step.Then.PauseUntil = officeOpenFrom(end.AddDate(0, 0, 1), s)
		step = step.withWhy(Why{Code: WhyPromiseReply, From: v.PromisedDate, Until: step.Then.PauseUntil, Grace: s.PromiseGraceBusinessDays})
	case reply.Dispute:
		step.Then.State = Disputed
		step.Then.PauseUntil = time.Time{}
		step.Send = []Template{ForwardDispute}
		if inv.State == Settling {
			step.Then.SettleAmount, step.Then.SettleBy = decimal.Decimal{}, time.Time{}
		}
		step = step.withWhy(Why{Code: WhyDisputeReply, Settle: inv.State == Settling, Forward: true})
	case reply.NotReceived:
		if held(inv.State) {
			step.Send = []Template{ForwardOther}
			step = step.withWhy(Why{Code: WhyNotReceivedHeld, State: inv.State, Forward: true})
			break
		}
		anchor := time.Date(at.In(loc).Year(), at.In(loc).Month(), at.In(loc).Day(), 0, 0, 0, 0, time.UTC)
		if anchor.Before(inv.DueDate) {
			// Sent again before it is due: the clock cannot start
			// before the due date.
			anchor = inv.DueDate
		}
		step.At = officeOpenFrom(at, s)
		step.Send = []Template{Resend}
		step.Then.State = Open
		step.Then.Stage = 0
		step.Then.Anchor = anchor
		step.Then.PauseUntil = time.Time{}
		step = step.withWhy(Why{Code: WhyResend, From: anchor})
	case reply.Installment:
		step.Send = []Template{ForwardInstallment}
		if held(inv.State) {
			step = step.withWhy(Why{Code: WhyInstallment, Forward: true})
			break
		}
		step.Then.State = WithOwner
		step.Then.PauseUntil = time.Time{}
		step = step.withWhy(Why{Code: WhyInstallment})
	case reply.Redirect:
		addr := strings.ToLower(strings.TrimSpace(v.RedirectTo))
		if addr == "" {
			step.Send = []Template{ForwardOther}
			step = step.withWhy(Why{Code: WhyRedirectReply, Forward: true})
			break
		}
		step.Then.Client = addr
		step.Send = []Template{ContactChanged}
		step = step.withWhy(Why{Code: WhyRedirectReply, Address: addr})
	case reply.AutoReply:
		step = step.withWhy(Why{Code: WhyAutoReply})
	case reply.Bounce:
		step.Send = []Template{BounceAlert}
		// Chasing an address that bounces only bounces again: the case waits
		// for the owner ("contatto x@y" and "riprendi").
		waits := (v.FailedRecipient == "" || strings.EqualFold(v.FailedRecipient, inv.Client)) && (inv.State == Open || inv.State == Paused || inv.State == Settling)
		if waits {
			step.Then.State = WithOwner
		}
		step = step.withWhy(Why{Code: WhyBounceReply, Address: v.FailedRecipient, Waits: waits})
	default:
		step.Send = []Template{ForwardOther}
		step = step.withWhy(Why{Code: WhyOtherReply, Forward: true})
		if v.Guess != "" && !held(inv.State) {
			// The bot is not sure what the client said: it may have paid or
			// disputed, so nothing is written to it until the owner decides.
			step.Then.State = WithOwner
			step.Then.PauseUntil = time.Time{}
			step = step.withWhy(Why{Code: WhyUnsureReply, Kind: string(v.Guess), Percent: int(math.Round(100 * v.GuessConfidence)), Forward: true})
		}
	}
	return step
}

// required are the fields an invoice needs before it can be chased.
var required = []string{command.FieldNumber, command.FieldDueDate, command.FieldAmount, fieldClient}

// fieldClient is the client address field (reply/invoice's FieldClient).
const fieldClient = "client_email"

// Missing returns the names of inv's empty fields, in the reply/invoice
// Field* spelling: number, issue_date, due_date, amount, client_email. An
// invoice can be chased once all but issue_date are present.
func Missing(inv Invoice) []string {
	var out []string
	if strings.TrimSpace(inv.Number) == "" {
		out = append(out, command.FieldNumber)
	}
	if inv.IssueDate.IsZero() {
		out = append(out, command.FieldIssueDate)
	}
	if inv.DueDate.IsZero() {
		out = append(out, command.FieldDueDate)
	}
	if !inv.Amount.IsPositive() {
		out = append(out, command.FieldAmount)
	}
	if strings.TrimSpace(inv.Client) == "" {
		out = append(out, fieldClient)
	}
	return out
}

// missingRequired returns the fields inv lacks to be chased.
func missingRequired(inv Invoice) []string {
	var out []string
	for _, f := range Missing(inv) {
		for _, r := range required {
			if f == r {
				out = append(out, f)
			}
		}
	}
	return out
}

// Refusal is why a command does not apply, as data: its English words
// (Format, with Args as fmt fills them in) are the error's, and a view says
// them in the owner's language by Format. It wraps ErrNotApplicable.
type Refusal struct {
	Format string
	Args   []any
}

// Error is "not applicable: " and the English words.
func (r *Refusal) Error() string {
	return ErrNotApplicable.Error() + ": " + fmt.Sprintf(r.Format, r.Args...)
}

// Unwrap makes errors.Is(r, ErrNotApplicable) hold.
func (r *Refusal) Unwrap() error { return ErrNotApplicable }

// Fields are invoice field names (Missing's) in a refusal: shown joined
// by ", " in English, by name in the owner's language.
type Fields []string

// String joins the names.
func (f Fields) String() string { return strings.Join(f, ", ") }

// notApplicable returns a *Refusal.
func notApplicable(format string, args ...any) error {
	return &Refusal{Format: format, Args: args}
}

// OnCommand returns the step an owner command causes, at time at. Every
// applied command sends CommandDone to the owner. The error (wrapping
// ErrNotApplicable) says why a command does not apply, e.g. resume on a
// paid invoice; the caller then tells the owner and changes nothing.
//
// paid → Paid; pause → Paused until the office opens on cmd.Until, any
// promise forgotten; stop → Stopped; resume → Open (from Stopped, WithOwner,
// Disputed, Paused or ClaimedPaid) with the stage clock counting from at
// (after stage 4 the chase resumes at stage 3), or Incomplete when a field
// is still missing; note → unchanged; contact → the next message goes to
// cmd.Address; set → fills the field (or corrects the client's name or VAT
// number, on any invoice), and an Incomplete invoice with number,
// due date, amount and client address becomes Open with Anchor = DueDate.
//
// partly paid → PaidAmount grows by cmd.Amount; when it covers Amount the
// invoice is Paid; a ClaimedPaid invoice is chased again for the rest (Open,
// counting from at); during a settlement the payment counts against
// SettleAmount. settle → Settling with SettleAmount (less than Outstanding)
// and SettleBy (cmd.Until, else StageIntervalDays from at, on a business
// day), and the Settlement offer goes to the client. write off → WrittenOff.
// send notice → the Notice goes to the client (NoticeAt = at); an invoice
// being chased, paused, in settlement or claimed paid is then WithOwner.
// paid collects what is due: SettleAmount when an offer was made, else
// the whole Amount. Resume, stop and pause end a settlement offer.
// Per-client commands (cmd.Verb.PerClient) are OnClientCommand's.
func OnCommand(inv Invoice, cmd command.Command, at time.Time, s Settings) (Step, error) {
	step := Step{At: at, Then: inv, Send: []Template{CommandDone}}
	id := inv.Number
	if id == "" {
		id = fmt.Sprintf("#%d", inv.ID)
	}
	switch cmd.Verb {
	case command.Paid:
		if inv.State == Paid {
			return Step{}, notApplicable("invoice %s is already paid", id)
		}
		step.Then.State = Paid
		step.Then.PauseUntil = time.Time{}
		step = step.withWhy(Why{Code: WhyPaidCmd, Settle: inv.SettleAmount.IsPositive(), Amount: inv.SettleAmount,
			Rest: inv.Outstanding().Sub(inv.SettleAmount), Currency: inv.Currency})
		if inv.SettleAmount.IsPositive() {
			step.Then.PaidAmount = inv.PaidAmount.Add(inv.SettleAmount)
		} else if inv.PaidAmount.LessThan(inv.Amount) {
			step.Then.PaidAmount = inv.Amount
		}
	case command.PartlyPaid:
		if err := chaseable(inv, id); err != nil {
			return Step{}, err
		}
		if !cmd.Amount.IsPositive() {
			return Step{}, notApplicable("partly paid needs the amount received")
		}
		if cmd.Currency != "" && inv.Currency != "" && cmd.Currency != inv.Currency {
			return Step{}, notApplicable("invoice %s is in %s, not %s", id, inv.Currency, cmd.Currency)
		}
		step.Then.PaidAmount = inv.PaidAmount.Add(cmd.Amount)
		w := Why{Code: WhyPartlyPaid, Amount: cmd.Amount, Currency: inv.Currency}
		switch {
		case !step.Then.PaidAmount.LessThan(inv.Amount):
			step.Then.State = Paid
			step.Then.PauseUntil = time.Time{}
			w.Part, w.Rest = PartFull, inv.PaidAmount
		case inv.SettleAmount.IsPositive() && !cmd.Amount.LessThan(inv.SettleAmount):
			step.Then.State = Paid
			step.Then.PauseUntil = time.Time{}
			w.Part, w.Rest = PartSettled, step.Then.Outstanding()
		default:
			w.Part, w.Rest = PartOutstanding, step.Then.Outstanding()
			if inv.SettleAmount.IsPositive() {
				step.Then.SettleAmount = inv.SettleAmount.Sub(cmd.Amount)
				w.Part, w.Rest = PartSettleLeft, step.Then.SettleAmount
			}
			if inv.State == ClaimedPaid && !inv.SettleAmount.IsPositive() {
				step.Then.State = Open
				step.Then.LastStageAt = at
				next := resumeCount(step.Then, s)
				w.Stage, w.Days, w.FirstDays = next.Stage, next.Days, next.FirstDays
				if next.FirstDays > 0 {
					w.From = next.From
				}
			}
		}
		step = step.withWhy(w)
	case command.Settle:
		if err := chaseable(inv, id); err != nil {
			return Step{}, err
		}
		out := inv.Outstanding()
		if !cmd.Amount.IsPositive() {
			return Step{}, notApplicable("a settlement needs the amount to offer")
		}
		if cmd.Currency != "" && inv.Currency != "" && cmd.Currency != inv.Currency {
			return Step{}, notApplicable("invoice %s is in %s, not %s", id, inv.Currency, cmd.Currency)
		}
		if !cmd.Amount.LessThan(out) {
			return Step{}, notApplicable("a settlement is for less than the %s outstanding; to ask for all of it, resume the chase", out.StringFixed(2))
		}
		loc := location(s)
		today := midnight(at.In(loc))
		by := today.AddDate(0, 0, s.StageIntervalDays)
		if !cmd.Until.IsZero() {
			by = localDate(cmd.Until, s)
			if !by.After(today) {
				return Step{}, notApplicable("the offer's deadline %s is not after today", cmd.Until.Format(dateFmt))
			}
		}
		for !BusinessDay(by, s) {
			by = by.AddDate(0, 0, 1)
		}
		step.Then.State = Settling
		step.Then.SettleAmount = cmd.Amount
		step.Then.SettleBy = time.Date(by.Year(), by.Month(), by.Day(), 0, 0, 0, 0, time.UTC)
		step.Then.PauseUntil = time.Time{}
		step.Then.PromisedDate = time.Time{}
		step.Send = []Template{Settlement, CommandDone}
		step = step.withWhy(Why{Code: WhySettleCmd, Amount: cmd.Amount, Rest: out, Currency: inv.Currency, From: step.Then.SettleBy})
	case command.WriteOff:
		if cmd.Amount.IsPositive() {
			// An irreversible command one letter from another: never guessed.
			return Step{}, notApplicable("a write-off takes no amount: %q closes invoice %s as lost, nothing more asked "+
				"(«stralcia» / «write off», alone); to offer the client to close it by paying %s, write «stralcio %s» / «settle %s»",
				"stralcia "+cmd.Amount.StringFixed(2), id, cmd.Amount.StringFixed(2), cmd.Amount.StringFixed(2), cmd.Amount.StringFixed(2))
		}
		if inv.State.Closed() {
			return Step{}, notApplicable("invoice %s is already %s", id, inv.State)
		}
		step.Then.State = WrittenOff
		step.Then.PauseUntil = time.Time{}
		step = step.withWhy(Why{Code: WhyWriteOff, Rest: inv.Outstanding(), Currency: inv.Currency})
	case command.SendNotice:
		if err := chaseable(inv, id); err != nil {
			return Step{}, err
		}
		step.Then.NoticeAt = at
		step.Send = []Template{Notice, CommandDone}
		w := Why{Code: WhyNoticeCmd}
		switch inv.State {
		case Open, Paused, Settling, ClaimedPaid:
			step.Then.State = WithOwner
			step.Then.PauseUntil = time.Time{}
			w.Waits = true
		}
		step = step.withWhy(w)
	case command.Pause:
		if inv.State.Closed() {
			return Step{}, notApplicable("invoice %s is %s", id, inv.State)
		}
		if inv.State == Incomplete {
			return Step{}, notApplicable("invoice %s still misses %s", id, Fields(missingRequired(inv)))
		}
		if cmd.Until.IsZero() {
			return Step{}, notApplicable("a pause needs the day it ends")
		}
		until := officeOpenFrom(atClock(localDate(cmd.Until, s), officeOpen(s)), s)
		if !until.After(at) {
			return Step{}, notApplicable("the pause would end %s, which is not after now", cmd.Until.Format(dateFmt))
		}
		step.Then.State = Paused
		step.Then.PauseUntil = until
		step.Then.PromisedDate = time.Time{}
		step = step.withWhy(Why{Code: WhyPauseCmd, Until: until})
	case command.Stop:
		if inv.State.Closed() {
			return Step{}, notApplicable("invoice %s is %s", id, inv.State)
		}
		step.Then.State = Stopped
		step.Then.PauseUntil = time.Time{}
		step = step.withWhy(Why{Code: WhyStopCmd})
	case command.Resume:
		switch inv.State {
		case Stopped, WithOwner, Disputed, Paused, ClaimedPaid, Settling:
		case Open:
			return Step{}, notApplicable("invoice %s is already being chased", id)
		default:
			return Step{}, notApplicable("invoice %s is %s and cannot be resumed", id, inv.State)
		}
		step.Then.PauseUntil = time.Time{}
		if miss := missingRequired(inv); len(miss) > 0 {
			step.Then.State = Incomplete
			step.Reason = fmt.Sprintf("owner: resume; the invoice still misses %s", strings.Join(miss, ", "))
			break
		}
		step.Then.State = Open
		step.Then.LastStageAt = at
		back := inv.Stage >= 4
		if back {
			step.Then.Stage = 2
		}
		w := resumeCount(step.Then, s)
		w.Back = back
		step = step.withWhy(w)
	case command.Note:
		step = step.withWhy(Why{Code: WhyNoteCmd, Text: cmd.Text})
	case command.Contact:
		if cmd.Address == "" {
			return Step{}, notApplicable("contact needs an address")
		}
		step.Then.Client = cmd.Address
		step = step.withWhy(Why{Code: WhyContactCmd, Address: cmd.Address})
		completeIfReady(&step)
	case command.Set:
		switch cmd.Field {
		case command.FieldNumber:
			if cmd.Text == "" {
				return Step{}, notApplicable("no invoice number given")
			}
			step.Then.Number = cmd.Text
			step = step.withWhy(Why{Code: WhySetCmd, Kind: "number", Text: cmd.Text})
		case command.FieldIssueDate:
			if cmd.Date.IsZero() {
				return Step{}, notApplicable("no issue date given")
			}
			step.Then.IssueDate = cmd.Date
			step = step.withWhy(Why{Code: WhySetCmd, Kind: "issue_date", From: cmd.Date})
		case command.FieldDueDate:
			if cmd.Date.IsZero() {
				return Step{}, notApplicable("no due date given")
			}
			if inv.Stage == 0 && (inv.Anchor.IsZero() || inv.Anchor.Equal(inv.DueDate)) && inv.State != Incomplete {
				step.Then.Anchor = cmd.Date
			}
			step.Then.DueDate = cmd.Date
			step = step.withWhy(Why{Code: WhySetCmd, Kind: "due_date", From: cmd.Date})
		case command.FieldAmount:
			if !cmd.Amount.IsPositive() {
				return Step{}, notApplicable("no amount given")
			}
			step.Then.Amount = cmd.Amount
			if cmd.Currency != "" {
				step.Then.Currency = cmd.Currency
			} else if inv.Currency == "" {
				step.Then.Currency = "EUR"
			}
			step = step.withWhy(Why{Code: WhySetCmd, Kind: "amount", Amount: cmd.Amount, Currency: step.Then.Currency})
		case command.FieldClientName:
			if cmd.Text == "" {
				return Step{}, notApplicable("no client name given")
			}
			step.Then.ClientName = cmd.Text
			step = step.withWhy(Why{Code: WhySetCmd, Kind: "client_name", Text: cmd.Text})
		case command.FieldClientVAT:
			if cmd.Text == "" {
				return Step{}, notApplicable("no VAT number given")
			}
			step.Then.ClientVAT = cmd.Text
			step = step.withWhy(Why{Code: WhySetCmd, Kind: "client_vat", Text: cmd.Text})
		default:
			return Step{}, notApplicable("unknown field %q", cmd.Field)
		}
		completeIfReady(&step)
	case command.Status:
		step.Reason = "owner asked for the status"
	default:
		if cmd.Verb.PerClient() {
			return Step{}, notApplicable("%s is a client setting, not an invoice command", cmd.Verb)
		}
		return Step{}, notApplicable("command not understood")
	}
	switch cmd.Verb {
	case command.Resume, command.Stop, command.Pause:
		// The chase, a stop or a pause replaces a standing offer.
		if inv.SettleAmount.IsPositive() {
			step.Then.SettleAmount, step.Then.SettleBy = decimal.Decimal{}, time.Time{}
			w := *step.Why
			w.Settle = true
			step = step.withWhy(w)
		}
	case command.SendNotice:
		if inv.State == Settling {
			step.Then.SettleAmount, step.Then.SettleBy = decimal.Decimal{}, time.Time{}
			w := *step.Why
			w.Settle = true
			step = step.withWhy(w)
		}
	}
	return step, nil
}

// resumeCount says, as nextOpen will apply it, when the next reminder of a
// chase that restarts today goes out: the stage clock counts from today
// (LastStageAt), but stage 1 never goes before its days after the due date.
func resumeCount(then Invoice, s Settings) Why {
	w := Why{Code: WhyResume, Since: SinceToday, Days: s.StageIntervalDays, Stage: min(then.Stage+1, 4)}
	if then.Stage <= 0 && !then.DueDate.IsZero() {
		anchor := then.Anchor
		if anchor.IsZero() {
			anchor = then.DueDate
		}
		w.FirstDays, w.From = s.Stage1DaysAfterDue, localDate(anchor, s)
	}
	return w
}

// chaseable returns an error unless the invoice is open and complete enough
// to ask the client for money.
func chaseable(inv Invoice, id string) error {
	if inv.State.Closed() {
		return notApplicable("invoice %s is %s", id, inv.State)
	}
	if miss := missingRequired(inv); len(miss) > 0 {
		return notApplicable("invoice %s still misses %s", id, Fields(miss))
	}
	return nil
}

// OnClientCommand returns a client's settings after a per-client command
// (tolerance, language, payment days, exclude, include) and says what
// changed, in plain English. It never touches an invoice: the caller stores
// the setting for the client's address, where it overrides the
// configuration file's [clients] section for that key.
func OnClientCommand(c Client, cmd command.Command) (Client, string, error) {
	switch cmd.Verb {
	case command.Tolerance:
		if len(cmd.Days) != 1 || cmd.Days[0] < 0 || cmd.Days[0] > 180 {
			return c, "", notApplicable("tolerance needs a number of days from 0 to 180")
		}
		c.ToleranceDays = cmd.Days[0]
		return c, fmt.Sprintf("%d days of tolerance before each stage", c.ToleranceDays), nil
	case command.Language:
		if cmd.Lang != "it" && cmd.Lang != "en" {
			return c, "", notApplicable("the bot writes in it or en, not %q", cmd.Lang)
		}
		c.Language = cmd.Lang
		return c, "messages in " + cmd.Lang, nil
	case command.PaymentDays:
		for _, d := range cmd.Days {
			if d < 1 || d > 31 {
				return c, "", notApplicable("%d is not a day of the month", d)
			}
		}
		c.PaymentDays = append([]int{}, cmd.Days...)
		if len(c.PaymentDays) == 0 {
			return c, "no fixed payment days", nil
		}
		return c, fmt.Sprintf("reminders wait for payment days %v", c.PaymentDays), nil
	case command.Exclude:
		c.Exclude = true
		return c, "excluded: never chased", nil
	case command.Include:
		if !c.Exclude {
			return c, "", notApplicable("the client is not excluded")
		}
		c.Exclude = false
		return c, "chased again", nil
	}
	return c, "", notApplicable("%s is not a client setting", cmd.Verb)
}

// completeIfReady opens an Incomplete invoice once it has every field it
// needs, its stage clock anchored at the due date.
func completeIfReady(step *Step) {
	if step.Then.State != Incomplete {
		return
	}
	miss := missingRequired(step.Then)
	if len(miss) == 0 {
		step.Then.State = Open
		step.Then.Anchor = step.Then.DueDate
	}
	if step.Why != nil {
		w := *step.Why
		w.Missing, w.Ready = miss, len(miss) == 0
		*step = step.withWhy(w)
		return
	}
	if len(miss) > 0 {
		step.Reason += "; still missing " + strings.Join(miss, ", ")
		return
	}
	step.Reason += "; the invoice is complete and the chase starts"
}

// officeOpen returns the opening offset in use.
func officeOpen(s Settings) time.Duration {
	open, _ := officeHours(s)
	return open
}

// OnBankCredit is what a credit in the bank statement that certainly pays
// inv does (bank.MatchCredit): the invoice is paid as when the owner says
// "pagata", the amount received recorded, and nothing more goes to the
// client; no message to the owner either (the summary lists it). An
// invoice already closed is left as it is.
func OnBankCredit(inv Invoice, amount decimal.Decimal, currency string, valueDate time.Time, payer, words, ref string, at time.Time) (Step, error) {
	if inv.State.Closed() {
		return Step{}, fmt.Errorf("invoice %s is already %s", inv.Number, inv.State)
	}
	step := Step{At: at, Then: inv}
	step.Then.State = Paid
	step.Then.PauseUntil = time.Time{}
	step.Then.PaidAmount = inv.PaidAmount.Add(amount)
	return step.withWhy(Why{Code: WhyBankPaid, Amount: amount, Currency: currency, From: valueDate, Address: payer, Text: words, Number: ref}), nil
}
