package policy

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/sollecito/sollecito/reply"
	"github.com/sollecito/sollecito/reply/command"
	"github.com/sollecito/sollecito/reply/invoice"
)

// chased returns an invoice at stage 1, sent on 2026-12-14.
func chased(t testing.TB) Invoice {
	inv := openInvoice(t, "2026-12-03")
	inv.CourtesySent = true
	inv.Stage = 1
	inv.LastStageAt = rome(t, "2026-12-14 09:00")
	return inv
}

func TestOnReply(t *testing.T) {
	s := DefaultSettings()
	at := rome(t, "2026-12-16 14:20") // a Wednesday
	tests := []struct {
		name  string
		state State
		v     reply.Verdict
		send  []Template
		want  State
		same  bool // the invoice is unchanged
		check func(t *testing.T, st Step)
	}{
		{name: "payment proof", v: reply.Verdict{Kind: reply.PaymentProof}, send: []Template{ConfirmPayment}, want: ClaimedPaid},
		{name: "payment proof while paused", state: Paused, v: reply.Verdict{Kind: reply.PaymentProof}, send: []Template{ConfirmPayment}, want: ClaimedPaid,
			check: func(t *testing.T, st Step) {
				if !st.Then.PauseUntil.IsZero() {
					t.Errorf("pause kept")
				}
			}},
		{name: "promise with a date", v: reply.Verdict{Kind: reply.Promise, PromisedDate: date(t, "2026-12-22")}, want: Paused,
			check: func(t *testing.T, st Step) {
				// 22 Tue + 3 business days = 28 Mon (25, 26, 27 are not): paused to Tue 29 09:00.
				if want := rome(t, "2026-12-29 09:00"); !st.Then.PauseUntil.Equal(want) {
					t.Errorf("PauseUntil %v, want %v", st.Then.PauseUntil, want)
				}
				if !st.Then.PromisedDate.Equal(date(t, "2026-12-22")) {
					t.Errorf("PromisedDate %v", st.Then.PromisedDate)
				}
			}},
		{name: "promise in the past counts from today", v: reply.Verdict{Kind: reply.Promise, PromisedDate: date(t, "2026-12-01")}, want: Paused,
			check: func(t *testing.T, st Step) {
				if want := rome(t, "2026-12-22 09:00"); !st.Then.PauseUntil.Equal(want) {
					t.Errorf("PauseUntil %v, want %v", st.Then.PauseUntil, want)
				}
			}},
		{name: "promise without a date", v: reply.Verdict{Kind: reply.Promise}, want: Paused,
			check: func(t *testing.T, st Step) {
				if want := rome(t, "2026-12-28 09:00"); !st.Then.PauseUntil.Equal(want) { // 26 is a Saturday
					t.Errorf("PauseUntil %v, want %v", st.Then.PauseUntil, want)
				}
				if !st.Then.PromisedDate.IsZero() {
					t.Errorf("PromisedDate %v, want zero", st.Then.PromisedDate)
				}
				if !strings.Contains(st.Reason, "without a date: paused for 10 days") {
					t.Errorf("reason %q", st.Reason)
				}
			}},
		{name: "promise while disputed", state: Disputed, v: reply.Verdict{Kind: reply.Promise, PromisedDate: date(t, "2026-12-22")}, send: []Template{ForwardOther}, want: Disputed},
		{name: "dispute", v: reply.Verdict{Kind: reply.Dispute}, send: []Template{ForwardDispute}, want: Disputed},
		{name: "dispute while with owner", state: WithOwner, v: reply.Verdict{Kind: reply.Dispute}, send: []Template{ForwardDispute}, want: Disputed},
		{name: "not received", v: reply.Verdict{Kind: reply.NotReceived}, send: []Template{Resend}, want: Open,
			check: func(t *testing.T, st Step) {
				if st.Then.Stage != 0 || !st.Then.Anchor.Equal(date(t, "2026-12-16")) {
					t.Errorf("stage %d anchor %v, want 0 and 2026-12-16", st.Then.Stage, st.Then.Anchor)
				}
				if !st.At.Equal(at) {
					t.Errorf("At %v, want %v (office hours)", st.At, at)
				}
			}},
		{name: "not received while paused", state: Paused, v: reply.Verdict{Kind: reply.NotReceived}, send: []Template{Resend}, want: Open},
		{name: "not received while stopped", state: Stopped, v: reply.Verdict{Kind: reply.NotReceived}, send: []Template{ForwardOther}, want: Stopped},
		{name: "installment", v: reply.Verdict{Kind: reply.Installment}, send: []Template{ForwardInstallment}, want: WithOwner},
		{name: "installment while stopped", state: Stopped, v: reply.Verdict{Kind: reply.Installment}, send: []Template{ForwardInstallment}, want: Stopped},
		{name: "redirect", v: reply.Verdict{Kind: reply.Redirect, RedirectTo: " Contabilita@Rossi.example "}, send: []Template{ContactChanged}, want: Open,
			check: func(t *testing.T, st Step) {
				if st.Then.Client != "contabilita@rossi.example" {
					t.Errorf("Client %q", st.Then.Client)
				}
			}},
		{name: "redirect without address", v: reply.Verdict{Kind: reply.Redirect}, send: []Template{ForwardOther}, want: Open},
		{name: "autoreply", v: reply.Verdict{Kind: reply.AutoReply}, want: Open, same: true},
		{name: "promise too far away", v: reply.Verdict{Kind: reply.Promise, PromisedDate: time.Date(2027, 10, 1, 0, 0, 0, 0, time.UTC)}, send: []Template{ForwardInstallment}, want: WithOwner},
		{name: "bounce of another address", v: reply.Verdict{Kind: reply.Bounce, FailedRecipient: "x@rossi.example"}, send: []Template{BounceAlert}, want: Open, same: true},
		{name: "bounce of the client address", v: reply.Verdict{Kind: reply.Bounce, FailedRecipient: "AMMINISTRAZIONE@rossi.example"}, send: []Template{BounceAlert}, want: WithOwner},
		{name: "bounce naming no address", v: reply.Verdict{Kind: reply.Bounce}, send: []Template{BounceAlert}, want: WithOwner},
		{name: "other", v: reply.Verdict{Kind: reply.Other}, send: []Template{ForwardOther}, want: Open},
		{name: "unknown kind", v: reply.Verdict{Kind: "nonsense"}, send: []Template{ForwardOther}, want: Open},
		{name: "paid invoice, payment proof", state: Paid, v: reply.Verdict{Kind: reply.PaymentProof}, send: []Template{ForwardOther}, want: Paid, same: true},
		{name: "paid invoice, dispute", state: Paid, v: reply.Verdict{Kind: reply.Dispute}, send: []Template{ForwardOther}, want: Paid, same: true},
		{name: "written off, promise", state: WrittenOff, v: reply.Verdict{Kind: reply.Promise}, send: []Template{ForwardOther}, want: WrittenOff, same: true},
		{name: "written off, not received", state: WrittenOff, v: reply.Verdict{Kind: reply.NotReceived}, send: []Template{ForwardOther}, want: WrittenOff, same: true},
		{name: "paid invoice, autoreply", state: Paid, v: reply.Verdict{Kind: reply.AutoReply}, want: Paid, same: true},
		{name: "paid invoice, bounce", state: Paid, v: reply.Verdict{Kind: reply.Bounce}, want: Paid, same: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := chased(t)
			if tt.state != "" {
				inv.State = tt.state
				if tt.state == Paused {
					inv.PauseUntil = rome(t, "2027-01-10 09:00")
				}
			}
			st := OnReply(inv, tt.v, at, s)
			if !slices.Equal(st.Send, tt.send) {
				t.Errorf("Send %v, want %v", st.Send, tt.send)
			}
			if st.Then.State != tt.want {
				t.Errorf("state %s, want %s", st.Then.State, tt.want)
			}
			if st.Reason == "" {
				t.Errorf("no reason")
			}
			if tt.same && st.Then != inv {
				t.Errorf("invoice changed: %+v", st.Then)
			}
			if tt.check != nil {
				tt.check(t, st)
			}
		})
	}
}

// TestResendBeforeDue checks that "never got it" before the due date does
// not start the stage clock early.
func TestResendBeforeDue(t *testing.T) {
	inv := openInvoice(t, "2026-12-03")
	st := OnReply(inv, reply.Verdict{Kind: reply.NotReceived}, rome(t, "2026-11-28 11:00"), DefaultSettings())
	if !st.Then.Anchor.Equal(inv.DueDate) {
		t.Errorf("Anchor %v, want the due date", st.Then.Anchor)
	}
	if want := rome(t, "2026-11-30 09:00"); !st.At.Equal(want) { // a Saturday: Monday's office hours
		t.Errorf("At %v, want %v", st.At, want)
	}
}

// carry applies Next repeatedly at now, as the daemon would, and returns
// the templates sent.
func carry(t *testing.T, inv *Invoice, c Client, s Settings, last *time.Time, now time.Time) []Template {
	t.Helper()
	var sent []Template
	for range 5 {
		st, ok := Next(*inv, c, s, *last, now)
		if !ok || st.At.After(now) {
			break
		}
		for _, tpl := range st.Send {
			if tpl.Recipient() == ToClient {
				*last = st.At
			}
		}
		sent = append(sent, st.Send...)
		*inv = st.Then
	}
	return sent
}

func TestPromises(t *testing.T) {
	s := DefaultSettings()
	c := Client{}
	var last time.Time

	// Kept: the client promises, then says it paid.
	inv := chased(t)
	inv = OnReply(inv, reply.Verdict{Kind: reply.Promise, PromisedDate: date(t, "2026-12-22")}, rome(t, "2026-12-16 14:00"), s).Then
	if sent := carry(t, &inv, c, s, &last, rome(t, "2026-12-28 17:00")); len(sent) != 0 || inv.State != Paused {
		t.Fatalf("during grace: sent %v, state %s", sent, inv.State)
	}
	kept := OnReply(inv, reply.Verdict{Kind: reply.PaymentProof}, rome(t, "2026-12-28 17:30"), s).Then
	if _, ok := Next(kept, c, s, last, rome(t, "2027-03-01 10:00")); ok || kept.State != ClaimedPaid {
		t.Errorf("kept promise: state %s, still scheduled %v", kept.State, ok)
	}

	// Broken once: the reminder cites it, and the stages count from it.
	if sent := carry(t, &inv, c, s, &last, rome(t, "2026-12-29 09:00")); !slices.Equal(sent, []Template{PromiseMissed}) {
		t.Fatalf("broken promise: sent %v, want promise_missed", sent)
	}
	if inv.State != Open || inv.PromisesBroken != 1 || inv.CitePromise || !inv.LastStageAt.Equal(rome(t, "2026-12-29 09:00")) || inv.Stage != 1 {
		t.Fatalf("after the first broken promise: %+v", inv)
	}
	if sent := carry(t, &inv, c, s, &last, rome(t, "2026-12-29 17:00")); len(sent) != 0 {
		t.Fatalf("sent again the same day: %v", sent)
	}
	if sent := carry(t, &inv, c, s, &last, rome(t, "2027-01-07 17:00")); len(sent) != 0 {
		t.Fatalf("stage 2 before ten days: %v", sent)
	}
	if sent := carry(t, &inv, c, s, &last, rome(t, "2027-01-08 09:00")); !slices.Equal(sent, []Template{Stage2}) {
		t.Fatalf("stage 2 ten days after the promise reminder: %v", sent)
	}

	// Broken twice: to the owner, and the bot stops writing.
	inv = OnReply(inv, reply.Verdict{Kind: reply.Promise, PromisedDate: date(t, "2027-01-15")}, rome(t, "2027-01-11 10:00"), s).Then
	// 15 Fri + 3 business days = 20 Wed: paused until Thu 21 09:00.
	if sent := carry(t, &inv, c, s, &last, rome(t, "2027-01-21 08:59")); len(sent) != 0 {
		t.Fatalf("before the grace ended: %v", sent)
	}
	if sent := carry(t, &inv, c, s, &last, rome(t, "2027-01-21 09:00")); !slices.Equal(sent, []Template{BrokenPromise}) {
		t.Fatalf("second broken promise: sent %v, want broken_promise", sent)
	}
	if inv.State != WithOwner || inv.PromisesBroken != 2 {
		t.Fatalf("after the second broken promise: %s, %d broken", inv.State, inv.PromisesBroken)
	}
	if sent := carry(t, &inv, c, s, &last, rome(t, "2027-06-01 10:00")); len(sent) != 0 {
		t.Fatalf("wrote after handing to the owner: %v", sent)
	}
}

// TestPauseEnds checks that a pause without a promise ends silently and the
// chase goes on at once when a stage is overdue.
func TestPauseEnds(t *testing.T) {
	s := DefaultSettings()
	var last time.Time
	inv := chased(t)
	st, err := OnCommand(inv, command.Command{Verb: command.Pause, Until: date(t, "2027-01-09")}, rome(t, "2026-12-16 10:00"), s)
	if err != nil {
		t.Fatal(err)
	}
	inv = st.Then
	if want := rome(t, "2027-01-11 09:00"); !inv.PauseUntil.Equal(want) { // 9 January is a Saturday
		t.Fatalf("PauseUntil %v, want %v", inv.PauseUntil, want)
	}
	if sent := carry(t, &inv, Client{}, s, &last, rome(t, "2027-01-11 08:00")); len(sent) != 0 {
		t.Fatalf("before the end: %v", sent)
	}
	if sent := carry(t, &inv, Client{}, s, &last, rome(t, "2027-01-11 09:00")); !slices.Equal(sent, []Template{Stage2}) {
		t.Fatalf("after the pause: %v, want stage2 (overdue)", sent)
	}
	if inv.PromisesBroken != 0 {
		t.Errorf("an owner pause broke a promise")
	}
}

func TestOnCommand(t *testing.T) {
	s := DefaultSettings()
	at := rome(t, "2026-12-16 10:00")
	incomplete := func(i Invoice) Invoice {
		i.State, i.DueDate, i.Anchor, i.Amount = Incomplete, time.Time{}, time.Time{}, decimal.Decimal{}
		return i
	}
	tests := []struct {
		name  string
		inv   func(Invoice) Invoice
		cmd   command.Command
		want  State
		err   string
		same  bool // the invoice is unchanged
		check func(t *testing.T, i Invoice)
	}{
		{name: "paid", cmd: command.Command{Verb: command.Paid}, want: Paid},
		{name: "paid when claimed", inv: func(i Invoice) Invoice { i.State = ClaimedPaid; return i }, cmd: command.Command{Verb: command.Paid}, want: Paid},
		{name: "paid twice", inv: func(i Invoice) Invoice { i.State = Paid; return i }, cmd: command.Command{Verb: command.Paid}, err: "already paid"},
		{name: "pause", inv: func(i Invoice) Invoice { i.PromisedDate = date(t, "2026-12-10"); return i },
			cmd: command.Command{Verb: command.Pause, Until: date(t, "2027-01-15")}, want: Paused,
			check: func(t *testing.T, i Invoice) {
				if !i.PauseUntil.Equal(rome(t, "2027-01-15 09:00")) || !i.PromisedDate.IsZero() {
					t.Errorf("PauseUntil %v PromisedDate %v", i.PauseUntil, i.PromisedDate)
				}
			}},
		{name: "pause without date", cmd: command.Command{Verb: command.Pause}, err: "needs the day"},
		{name: "pause in the past", cmd: command.Command{Verb: command.Pause, Until: date(t, "2026-12-01")}, err: "not after now"},
		{name: "pause paid", inv: func(i Invoice) Invoice { i.State = Paid; return i }, cmd: command.Command{Verb: command.Pause, Until: date(t, "2027-01-15")}, err: "is paid"},
		{name: "pause incomplete", inv: incomplete, cmd: command.Command{Verb: command.Pause, Until: date(t, "2027-01-15")}, err: "misses due_date, amount"},
		{name: "stop", cmd: command.Command{Verb: command.Stop}, want: Stopped},
		{name: "stop written off", inv: func(i Invoice) Invoice { i.State = WrittenOff; return i }, cmd: command.Command{Verb: command.Stop}, err: "written_off"},
		{name: "resume stopped", inv: func(i Invoice) Invoice { i.State = Stopped; return i }, cmd: command.Command{Verb: command.Resume}, want: Open,
			check: func(t *testing.T, i Invoice) {
				if !i.LastStageAt.Equal(at) || i.Stage != 1 {
					t.Errorf("LastStageAt %v stage %d", i.LastStageAt, i.Stage)
				}
			}},
		{name: "resume with owner after stage 4", inv: func(i Invoice) Invoice { i.State, i.Stage = WithOwner, 4; return i }, cmd: command.Command{Verb: command.Resume}, want: Open,
			check: func(t *testing.T, i Invoice) {
				if i.Stage != 2 {
					t.Errorf("stage %d, want 2 (stage 3 next)", i.Stage)
				}
			}},
		{name: "resume disputed", inv: func(i Invoice) Invoice { i.State = Disputed; return i }, cmd: command.Command{Verb: command.Resume}, want: Open},
		{name: "resume paused", inv: func(i Invoice) Invoice { i.State, i.PauseUntil = Paused, rome(t, "2027-01-01 09:00"); return i }, cmd: command.Command{Verb: command.Resume}, want: Open,
			check: func(t *testing.T, i Invoice) {
				if !i.PauseUntil.IsZero() {
					t.Errorf("pause kept")
				}
			}},
		{name: "resume claimed paid", inv: func(i Invoice) Invoice { i.State = ClaimedPaid; return i }, cmd: command.Command{Verb: command.Resume}, want: Open},
		{name: "resume stopped incomplete", inv: func(i Invoice) Invoice { i = incomplete(i); i.State = Stopped; return i }, cmd: command.Command{Verb: command.Resume}, want: Incomplete},
		{name: "resume paid", inv: func(i Invoice) Invoice { i.State = Paid; return i }, cmd: command.Command{Verb: command.Resume}, err: "cannot be resumed"},
		{name: "resume open", cmd: command.Command{Verb: command.Resume}, err: "already being chased"},
		{name: "note", cmd: command.Command{Verb: command.Note, Text: "ha chiamato"}, want: Open, same: true},
		{name: "note on paid", inv: func(i Invoice) Invoice { i.State = Paid; return i }, cmd: command.Command{Verb: command.Note, Text: "x"}, want: Paid},
		{name: "contact", cmd: command.Command{Verb: command.Contact, Address: "new@rossi.example"}, want: Open,
			check: func(t *testing.T, i Invoice) {
				if i.Client != "new@rossi.example" {
					t.Errorf("Client %q", i.Client)
				}
			}},
		{name: "contact without address", cmd: command.Command{Verb: command.Contact}, err: "needs an address"},
		{name: "status", cmd: command.Command{Verb: command.Status}, want: Open, same: true},
		{name: "unknown", cmd: command.Command{Verb: command.Unknown}, err: "not understood"},
		{name: "set number", inv: func(i Invoice) Invoice { i.Number = ""; i.State = Incomplete; return i },
			cmd: command.Command{Verb: command.Set, Field: command.FieldNumber, Text: "2026/12"}, want: Open,
			check: func(t *testing.T, i Invoice) {
				if i.Number != "2026/12" || !i.Anchor.Equal(i.DueDate) {
					t.Errorf("Number %q Anchor %v", i.Number, i.Anchor)
				}
			}},
		{name: "set due date, amount still missing", inv: incomplete,
			cmd: command.Command{Verb: command.Set, Field: command.FieldDueDate, Date: date(t, "2026-12-31")}, want: Incomplete,
			check: func(t *testing.T, i Invoice) {
				if !i.DueDate.Equal(date(t, "2026-12-31")) || !i.Anchor.IsZero() {
					t.Errorf("DueDate %v Anchor %v", i.DueDate, i.Anchor)
				}
			}},
		{name: "set amount completes", inv: func(i Invoice) Invoice {
			i = incomplete(i)
			i.DueDate = date(t, "2026-12-31")
			i.Currency = ""
			return i
		},
			cmd: command.Command{Verb: command.Set, Field: command.FieldAmount, Amount: decimal.RequireFromString("1220")}, want: Open,
			check: func(t *testing.T, i Invoice) {
				if !i.Amount.Equal(decimal.RequireFromString("1220")) || i.Currency != "EUR" || !i.Anchor.Equal(date(t, "2026-12-31")) {
					t.Errorf("Amount %v %s Anchor %v", i.Amount, i.Currency, i.Anchor)
				}
			}},
		{name: "set amount in dollars", cmd: command.Command{Verb: command.Set, Field: command.FieldAmount, Amount: decimal.RequireFromString("5"), Currency: "USD"}, want: Open,
			check: func(t *testing.T, i Invoice) {
				if i.Currency != "USD" {
					t.Errorf("Currency %q", i.Currency)
				}
			}},
		{name: "set issue date", cmd: command.Command{Verb: command.Set, Field: command.FieldIssueDate, Date: date(t, "2026-11-02")}, want: Open,
			check: func(t *testing.T, i Invoice) {
				if !i.IssueDate.Equal(date(t, "2026-11-02")) {
					t.Errorf("IssueDate %v", i.IssueDate)
				}
			}},
		{name: "correct the due date before stage 1", inv: func(i Invoice) Invoice { i.Stage = 0; return i },
			cmd: command.Command{Verb: command.Set, Field: command.FieldDueDate, Date: date(t, "2026-12-20")}, want: Open,
			check: func(t *testing.T, i Invoice) {
				if !i.Anchor.Equal(date(t, "2026-12-20")) {
					t.Errorf("Anchor %v, want the new due date", i.Anchor)
				}
			}},
		{name: "contact completes", inv: func(i Invoice) Invoice { i.Client, i.State = "", Incomplete; return i },
			cmd: command.Command{Verb: command.Contact, Address: "a@b.example"}, want: Open},
		{name: "set without value", cmd: command.Command{Verb: command.Set, Field: command.FieldAmount}, err: "no amount"},
		{name: "set unknown field", cmd: command.Command{Verb: command.Set, Field: "iban"}, err: "unknown field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := chased(t)
			if tt.inv != nil {
				inv = tt.inv(inv)
			}
			st, err := OnCommand(inv, tt.cmd, at, s)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, ErrNotApplicable) {
					t.Fatalf("err %v, want one saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(st.Send, []Template{CommandDone}) || !st.At.Equal(at) || st.Reason == "" {
				t.Errorf("step %+v", st)
			}
			if st.Then.State != tt.want {
				t.Errorf("state %s, want %s", st.Then.State, tt.want)
			}
			if tt.same && st.Then != inv {
				t.Errorf("invoice changed: %+v", st.Then)
			}
			if tt.check != nil {
				tt.check(t, st.Then)
			}
		})
	}
}

func TestMissing(t *testing.T) {
	inv := chased(t)
	if got := Missing(inv); len(got) != 0 {
		t.Errorf("complete invoice misses %v", got)
	}
	if got, want := Missing(Invoice{}), []string{"number", "issue_date", "due_date", "amount", "client_email"}; !slices.Equal(got, want) {
		t.Errorf("Missing(empty) = %v, want %v", got, want)
	}
}

// TestUnsureReplyWaitsForTheOwner: a reply the bot is not sure of goes to
// the owner with its best reading, and nothing is written to the client
// until the owner answers.
func TestUnsureReplyWaitsForTheOwner(t *testing.T) {
	inv := Invoice{ID: 1, Number: "1", Client: "a@b.it", State: Open, Stage: 1}
	at := time.Date(2026, 11, 4, 10, 0, 0, 0, time.UTC)
	st := OnReply(inv, reply.Verdict{Kind: reply.Other, Guess: reply.Promise, GuessConfidence: 0.45}, at, Settings{})
	if st.Then.State != WithOwner || len(st.Send) != 1 || st.Send[0] != ForwardOther {
		t.Fatalf("state %s, send %v: want with the owner and the reply forwarded", st.Then.State, st.Send)
	}
	// A plain "other" (a question, thanks) is forwarded and the chase goes on.
	st = OnReply(inv, reply.Verdict{Kind: reply.Other}, at, Settings{})
	if st.Then.State != Open {
		t.Fatalf("a plain other moved the invoice to %s", st.Then.State)
	}
}

// TestResumeSaysWhenTheNextReminderGoes checks that the words of a resume
// agree with the rule Next applies: resumed before stage 1, the first
// reminder still waits for its days after the due date when those end
// later; resumed later in the chase, it counts from the day of the resume.
func TestResumeSaysWhenTheNextReminderGoes(t *testing.T) {
	s := DefaultSettings()
	tests := []struct {
		name      string
		due, at   string
		stage     int
		want      string // in the reason
		wantStage string // the day the next reminder is planned for
	}{
		{name: "before the due date", due: "2026-11-16", at: "2026-11-12 10:00", want: "stage 1 goes out 10 days after 2026-11-16 or 10 days from today, whichever is later", wantStage: "2026-11-26"},
		{name: "long after the due date", due: "2026-11-16", at: "2026-12-14 10:00", want: "stage 1 goes out 10 days after 2026-11-16 or 10 days from today, whichever is later", wantStage: "2026-12-24"},
		{name: "after stage 2", due: "2026-11-16", at: "2026-12-14 10:00", stage: 2, want: "stage 3 goes out 10 days from today", wantStage: "2026-12-24"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := openInvoice(t, tt.due)
			inv.State, inv.Stage, inv.PauseUntil = Paused, tt.stage, rome(t, "2027-06-01 09:00")
			inv.CourtesySent = true
			st, err := OnCommand(inv, command.Command{Verb: command.Resume}, rome(t, tt.at), s)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(st.Reason, tt.want) {
				t.Errorf("reason %q lacks %q", st.Reason, tt.want)
			}
			next, ok := Next(st.Then, Client{}, s, time.Time{}, rome(t, tt.at))
			if !ok {
				t.Fatal("nothing scheduled after the resume")
			}
			if got := next.At.In(rome(t, tt.at).Location()).Format("2006-01-02"); got != tt.wantStage {
				t.Errorf("next reminder on %s (%s), want %s", got, next.Reason, tt.wantStage)
			}
		})
	}
}

// TestNeverAnswered: a step that would write to the client in answer to
// automatic mail becomes a forward to the owner, the invoice unchanged; a
// step that writes only to the owner stands.
func TestNeverAnswered(t *testing.T) {
	at := time.Date(2026, 11, 4, 10, 0, 0, 0, time.UTC)
	inv := Invoice{ID: 1, Number: "12", State: Open}
	resend := Step{At: at, Then: Invoice{ID: 1, Number: "12", State: Open, Stage: 0}, Send: []Template{Resend}}
	got := NeverAnswered(inv, resend, "Auto-Submitted: auto-replied", at)
	if len(got.Send) != 1 || got.Send[0] != ForwardOther || got.Then != inv {
		t.Errorf("a resend in answer to automatic mail: %+v", got)
	}
	fwd := Step{At: at, Then: Invoice{ID: 1, Number: "12", State: Disputed}, Send: []Template{ForwardDispute}}
	if got := NeverAnswered(inv, fwd, "List-Id", at); got.Then.State != Disputed || got.Send[0] != ForwardDispute {
		t.Errorf("a step to the owner changed: %+v", got)
	}
}

// TestIntake: an invoice mail registers one invoice, Incomplete when a
// field or the client is missing; a plan of instalments registers one
// invoice per instalment with its own due date and amount, unless
// something is missing.
func TestIntake(t *testing.T) {
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	f := invoice.Fields{Number: "2026/12", IssueDate: day(10, 1), DueDate: day(10, 31), Amount: decimal.RequireFromString("900"),
		HasAmount: true, Currency: "EUR", ClientEmails: []string{"ap@client.test"}}
	got := Intake(f, "it")
	if len(got) != 1 || got[0].State != Open || got[0].Lang != "it" || got[0].Anchor != f.DueDate {
		t.Errorf("one invoice: %+v", got)
	}
	f.Instalments = []invoice.Instalment{{DueDate: day(10, 31), Amount: decimal.RequireFromString("300")},
		{DueDate: day(11, 30), Amount: decimal.RequireFromString("600")}}
	got = Intake(f, "it")
	if len(got) != 2 || got[1].Number != "2026/12 (2/2)" || got[1].DueDate != day(11, 30) || !got[1].Amount.Equal(decimal.RequireFromString("600")) {
		t.Errorf("two instalments: %+v", got)
	}
	f.Missing = []string{invoice.FieldDueDate}
	if got := Intake(f, "it"); len(got) != 1 || got[0].State != Incomplete {
		t.Errorf("a field missing: %+v", got)
	}
}
