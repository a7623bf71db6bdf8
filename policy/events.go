package policy

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sollecito/sollecito/reply"
	"github.com/sollecito/sollecito/reply/command"
)

// ErrNotApplicable is wrapped by OnCommand's errors: the command does not
// apply to the invoice as it stands; the error says why.
var ErrNotApplicable = errors.New("policy: command does not apply")

// held reports whether the owner holds the case (or it cannot be chased
// yet): client replies that would restart or pause the chase go to the owner
// instead.
func held(s State) bool {
	switch s {
	case Disputed, WithOwner, Stopped, Incomplete:
		return true
	}
	return false
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
			step.Reason = fmt.Sprintf("%s on a closed invoice: nothing to do", v.Kind)
		default:
			step.Send = []Template{ForwardOther}
			step.Reason = fmt.Sprintf("client wrote (%s) about a closed invoice: forwarded to the owner", v.Kind)
		}
		return step
	}
	loc := location(s)
	switch v.Kind {
	case reply.PaymentProof:
		step.Then.State = ClaimedPaid
		step.Then.PauseUntil = time.Time{}
		step.Send = []Template{ConfirmPayment}
		step.Reason = "client says it paid: chase stopped; the owner is asked to confirm the money arrived"
	case reply.Promise:
		if held(inv.State) {
			step.Send = []Template{ForwardOther}
			step.Reason = fmt.Sprintf("client promises to pay, but the invoice is %s: forwarded to the owner", inv.State)
			break
		}
		today := midnight(at.In(loc))
		step.Then.State = Paused
		if v.PromisedDate.IsZero() {
			step.Then.PromisedDate = time.Time{}
			step.Then.PauseUntil = officeOpenFrom(today.AddDate(0, 0, s.StageIntervalDays), s)
			step.Reason = fmt.Sprintf("client promises to pay without a date: paused for %d days, until %s",
				s.StageIntervalDays, step.Then.PauseUntil.Format(dateFmt))
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
			step.Reason = fmt.Sprintf("client promises to pay on %s, more than %d days away: an extension the owner decides on",
				v.PromisedDate.Format(dateFmt), MaxPromiseDays)
			break
		}
		end := AddBusinessDays(promised, s.PromiseGraceBusinessDays, s)
		step.Then.PromisedDate = v.PromisedDate
		step.Then.PauseUntil = officeOpenFrom(end.AddDate(0, 0, 1), s)
		step.Reason = fmt.Sprintf("client promises to pay by %s: paused until %s (%d business days of grace)",
			v.PromisedDate.Format(dateFmt), step.Then.PauseUntil.Format("2006-01-02 15:04"), s.PromiseGraceBusinessDays)
	case reply.Dispute:
		step.Then.State = Disputed
		step.Then.PauseUntil = time.Time{}
		step.Send = []Template{ForwardDispute}
		step.Reason = "client contests the invoice: never chased; forwarded to the owner at once"
	case reply.NotReceived:
		if held(inv.State) {
			step.Send = []Template{ForwardOther}
			step.Reason = fmt.Sprintf("client says it never got the invoice, but the invoice is %s: forwarded to the owner", inv.State)
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
		step.Reason = fmt.Sprintf("client says it never got the invoice or lacks the bank details: sent again; the stage clock restarts from %s",
			anchor.Format(dateFmt))
	case reply.Installment:
		step.Send = []Template{ForwardInstallment}
		if held(inv.State) {
			step.Reason = "client asks for a payment plan or more time: forwarded to the owner"
			break
		}
		step.Then.State = WithOwner
		step.Then.PauseUntil = time.Time{}
		step.Reason = "client asks for a payment plan or more time: the bot does not negotiate; with the owner"
	case reply.Redirect:
		addr := strings.ToLower(strings.TrimSpace(v.RedirectTo))
		if addr == "" {
			step.Send = []Template{ForwardOther}
			step.Reason = "client points to another contact without an address: forwarded to the owner"
			break
		}
		step.Then.Client = addr
		step.Reason = fmt.Sprintf("client names another contact: the next message goes to %s", addr)
	case reply.AutoReply:
		step.Reason = "automatic reply: ignored"
	case reply.Bounce:
		step.Send = []Template{BounceAlert}
		failed := v.FailedRecipient
		if failed == "" {
			failed = "the client address"
		}
		step.Reason = fmt.Sprintf("delivery to %s failed: the owner is alerted", failed)
		// Chasing an address that bounces only bounces again: the case waits
		// for the owner ("contatto x@y" and "riprendi").
		if (v.FailedRecipient == "" || strings.EqualFold(v.FailedRecipient, inv.Client)) && (inv.State == Open || inv.State == Paused) {
			step.Then.State = WithOwner
			step.Reason += "; the chase waits for a working address from the owner"
		}
	default:
		step.Send = []Template{ForwardOther}
		step.Reason = "client wrote something the bot does not act on: forwarded to the owner"
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

// notApplicable returns an error wrapping ErrNotApplicable.
func notApplicable(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrNotApplicable, fmt.Sprintf(format, args...))
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
// cmd.Address; set → fills the field, and an Incomplete invoice with number,
// due date, amount and client address becomes Open with Anchor = DueDate.
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
		step.Reason = "owner: paid; the invoice is closed"
	case command.Pause:
		if inv.State.Closed() {
			return Step{}, notApplicable("invoice %s is %s", id, inv.State)
		}
		if inv.State == Incomplete {
			return Step{}, notApplicable("invoice %s still misses %s", id, strings.Join(missingRequired(inv), ", "))
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
		step.Reason = fmt.Sprintf("owner: paused until %s", until.Format("2006-01-02 15:04"))
	case command.Stop:
		if inv.State.Closed() {
			return Step{}, notApplicable("invoice %s is %s", id, inv.State)
		}
		step.Then.State = Stopped
		step.Then.PauseUntil = time.Time{}
		step.Reason = "owner: stop; nothing more goes to the client"
	case command.Resume:
		switch inv.State {
		case Stopped, WithOwner, Disputed, Paused, ClaimedPaid:
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
		step.Reason = "owner: resume; the next reminder counts from today"
		if inv.Stage >= 4 {
			step.Then.Stage = 2
			step.Reason = "owner: resume after stage 4; the chase resumes at stage 3, counting from today"
		}
	case command.Note:
		step.Reason = "owner note: " + cmd.Text
	case command.Contact:
		if cmd.Address == "" {
			return Step{}, notApplicable("contact needs an address")
		}
		step.Then.Client = cmd.Address
		step.Reason = fmt.Sprintf("owner: the client's contact is now %s", cmd.Address)
		completeIfReady(&step)
	case command.Set:
		switch cmd.Field {
		case command.FieldNumber:
			if cmd.Text == "" {
				return Step{}, notApplicable("no invoice number given")
			}
			step.Then.Number = cmd.Text
			step.Reason = fmt.Sprintf("owner: invoice number %s", cmd.Text)
		case command.FieldIssueDate:
			if cmd.Date.IsZero() {
				return Step{}, notApplicable("no issue date given")
			}
			step.Then.IssueDate = cmd.Date
			step.Reason = fmt.Sprintf("owner: issue date %s", cmd.Date.Format(dateFmt))
		case command.FieldDueDate:
			if cmd.Date.IsZero() {
				return Step{}, notApplicable("no due date given")
			}
			if inv.Stage == 0 && (inv.Anchor.IsZero() || inv.Anchor.Equal(inv.DueDate)) && inv.State != Incomplete {
				step.Then.Anchor = cmd.Date
			}
			step.Then.DueDate = cmd.Date
			step.Reason = fmt.Sprintf("owner: due date %s", cmd.Date.Format(dateFmt))
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
			step.Reason = fmt.Sprintf("owner: amount %s %s", cmd.Amount.StringFixed(2), step.Then.Currency)
		default:
			return Step{}, notApplicable("unknown field %q", cmd.Field)
		}
		completeIfReady(&step)
	case command.Status:
		step.Reason = "owner asked for the status"
	default:
		return Step{}, notApplicable("command not understood")
	}
	return step, nil
}

// completeIfReady opens an Incomplete invoice once it has every field it
// needs, its stage clock anchored at the due date.
func completeIfReady(step *Step) {
	if step.Then.State != Incomplete {
		return
	}
	if miss := missingRequired(step.Then); len(miss) > 0 {
		step.Reason += "; still missing " + strings.Join(miss, ", ")
		return
	}
	step.Then.State = Open
	step.Then.Anchor = step.Then.DueDate
	step.Reason += "; the invoice is complete and the chase starts"
}

// officeOpen returns the opening offset in use.
func officeOpen(s Settings) time.Duration {
	open, _ := officeHours(s)
	return open
}
