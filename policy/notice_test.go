package policy

import (
	"slices"
	"testing"
	"time"

	"github.com/sollecito/sollecito/reply"
	"github.com/sollecito/sollecito/reply/command"
)

// noticed returns an invoice whose case file went out on Thursday 17
// December 2026 and whose formal notice the owner sent on Friday the 18th.
func noticed(t testing.TB) Invoice {
	inv := chased(t)
	inv.State, inv.Stage = WithOwner, 4
	inv.LastStageAt = rome(t, "2026-12-17 09:00")
	inv.NoticeAt = rome(t, "2026-12-18 10:05")
	return inv
}

func TestNoticeTermEnd(t *testing.T) {
	s := DefaultSettings()
	for _, tt := range []struct{ sent, end, lapses string }{
		// 18 Dec + 15 = Saturday 2 January: the term moves to Monday the
		// 4th; + 3 business days (6 January is a holiday) = Friday the
		// 8th; the owner hears on Monday the 11th at the opening.
		{"2026-12-18 10:05", "2027-01-04", "2027-01-11 09:00"},
		// 2 Nov + 15 = Tuesday 17 November; + 3 business days = Friday
		// the 20th; Monday the 23rd at the opening.
		{"2026-11-02 17:59", "2026-11-17", "2026-11-23 09:00"},
		// Sent late in the evening, local time: the day counts in Rome.
		{"2026-11-02 23:30", "2026-11-17", "2026-11-23 09:00"},
		// 13 March + 15 = Sunday 28 March 2027 (Easter), Monday 29 is
		// Easter Monday: the term ends on Tuesday the 30th; + 3 = Friday 2
		// April; Monday the 5th at the opening.
		{"2027-03-13 11:00", "2027-03-30", "2027-04-05 09:00"},
	} {
		sent := rome(t, tt.sent)
		if got := NoticeTermEnd(sent, s).Format(dateFmt); got != tt.end {
			t.Errorf("notice of %s: term ends %s, want %s", tt.sent, got, tt.end)
		}
		if got := NoticeLapsesAt(sent, s); !got.Equal(rome(t, tt.lapses)) {
			t.Errorf("notice of %s: lapses %v, want %s", tt.sent, got, tt.lapses)
		}
	}
	if !NoticeTermEnd(time.Time{}, s).IsZero() || !NoticeLapsesAt(time.Time{}, s).IsZero() {
		t.Error("no notice, yet a term")
	}
}

// TestNoticeLapses: after the notice, Next tells the owner once, not before
// the term and its grace, and only while the case is still with the owner.
func TestNoticeLapses(t *testing.T) {
	s := DefaultSettings()
	inv := noticed(t)
	want := rome(t, "2027-01-11 09:00")

	st, ok := Next(inv, Client{}, s, time.Time{}, rome(t, "2026-12-18 11:00"))
	if !ok || !st.At.Equal(want) || !slices.Equal(st.Send, []Template{NoticeLapsed}) {
		t.Fatalf("got %v %v %v, want notice_lapsed at %v", ok, st.At, st.Send, want)
	}
	if st.Then.State != WithOwner || !st.Then.NoticeLapsedAt.Equal(want) || st.Then.Stage != 4 || !st.Then.LastStageAt.Equal(inv.LastStageAt) {
		t.Errorf("then %+v: the invoice must stay with the owner, only NoticeLapsedAt set", st.Then)
	}
	if wantWhy := "formal notice of 2026-12-18: the 15 days to pay ended 2027-01-04 and the payment did not arrive within 3 business days of grace; the owner decides what next"; st.Reason != wantWhy {
		t.Errorf("reason %q, want %q", st.Reason, wantWhy)
	}
	// Deterministic: asked again later (a rerun, a pass after a crash) it
	// is the same step, already due.
	again, _ := Next(inv, Client{}, s, time.Time{}, rome(t, "2027-01-13 15:00"))
	if !again.At.Equal(st.At) || again.Reason != st.Reason {
		t.Errorf("asked again: %v %q", again.At, again.Reason)
	}

	// Once: walking the days fires it on the 11th and never again.
	fired, end := walk(t, inv, Client{}, s, rome(t, "2026-12-18 11:00"), rome(t, "2027-03-31 18:00"))
	if len(fired) != 1 || fired[0].at != "2027-01-11 09:00" || fired[0].send != "notice_lapsed" {
		t.Errorf("fired %v, want notice_lapsed once on 2027-01-11 09:00", fired)
	}
	if end.State != WithOwner {
		t.Errorf("state %s after the lapse", end.State)
	}
	// A second notice (the owner sends it again) lapses in its turn.
	second := end
	second.NoticeAt = rome(t, "2027-02-01 10:00")
	if st, ok := Next(second, Client{}, s, time.Time{}, rome(t, "2027-02-01 10:00")); !ok || st.Send[0] != NoticeLapsed || !st.At.After(second.NoticeAt) {
		t.Errorf("second notice: %v %v", ok, st)
	}

	for _, tt := range []struct {
		name string
		edit func(*Invoice)
	}{
		{"paid", func(i *Invoice) { i.State = Paid }},
		{"written off", func(i *Invoice) { i.State = WrittenOff }},
		{"claimed paid", func(i *Invoice) { i.State = ClaimedPaid }},
		{"disputed", func(i *Invoice) { i.State = Disputed }},
		{"stopped", func(i *Invoice) { i.State = Stopped }},
		{"no notice", func(i *Invoice) { i.NoticeAt = time.Time{} }},
		{"already told", func(i *Invoice) { i.NoticeLapsedAt = rome(t, "2027-01-11 09:00") }},
		{"chase resumed after the notice", func(i *Invoice) { i.LastStageAt = rome(t, "2026-12-21 10:00") }},
		{"excluded client too", func(i *Invoice) { i.State = Stopped; i.Client = "" }},
	} {
		i := inv
		tt.edit(&i)
		if st, ok := Next(i, Client{}, s, time.Time{}, rome(t, "2027-02-01 10:00")); ok && slices.Contains(st.Send, NoticeLapsed) {
			t.Errorf("%s: notice_lapsed scheduled at %v", tt.name, st.At)
		}
	}
	settling := inv
	settling.State, settling.SettleAmount, settling.SettleBy = Settling, eur("600"), date(t, "2027-01-20")
	if st, _ := Next(settling, Client{}, s, time.Time{}, rome(t, "2027-01-12 10:00")); slices.Contains(st.Send, NoticeLapsed) {
		t.Errorf("settling: %v, want the settlement's own lapse only", st.Send)
	}
}

// TestRepliesAfterNotice: the client's answers to the notice are handled as
// before it; a payment proof or a dispute ends the wait for the term, a
// promise or anything else is forwarded and the term still runs.
func TestRepliesAfterNotice(t *testing.T) {
	s := DefaultSettings()
	inv := noticed(t)
	at := rome(t, "2026-12-22 15:00")
	for _, tt := range []struct {
		kind   reply.Kind
		want   State
		send   []Template
		lapses bool
	}{
		{reply.PaymentProof, ClaimedPaid, []Template{ConfirmPayment}, false},
		{reply.Dispute, Disputed, []Template{ForwardDispute}, false},
		{reply.Promise, WithOwner, []Template{ForwardOther}, true},
		{reply.Installment, WithOwner, []Template{ForwardInstallment}, true},
		{reply.NotReceived, WithOwner, []Template{ForwardOther}, true},
		{reply.Other, WithOwner, []Template{ForwardOther}, true},
		{reply.AutoReply, WithOwner, nil, true},
	} {
		st := OnReply(inv, reply.Verdict{Kind: tt.kind, PromisedDate: date(t, "2026-12-30")}, at, s)
		if st.Then.State != tt.want || !slices.Equal(st.Send, tt.send) {
			t.Errorf("%s: state %s send %v, want %s %v", tt.kind, st.Then.State, st.Send, tt.want, tt.send)
		}
		next, ok := Next(st.Then, Client{}, s, time.Time{}, rome(t, "2027-01-12 10:00"))
		if got := ok && slices.Contains(next.Send, NoticeLapsed); got != tt.lapses {
			t.Errorf("%s: notice_lapsed scheduled %v, want %v", tt.kind, got, tt.lapses)
		}
	}

	// "I paid": the owner confirms, or finds only part of it arrived.
	claimed := OnReply(inv, reply.Verdict{Kind: reply.PaymentProof}, at, s).Then
	paid, err := OnCommand(claimed, command.Command{Verb: command.Paid}, at.Add(24*time.Hour), s)
	if err != nil || paid.Then.State != Paid {
		t.Fatalf("paid after the notice: %v %v", err, paid.Then.State)
	}
	part, err := OnCommand(claimed, command.Command{Verb: command.PartlyPaid, Amount: eur("600")}, at.Add(24*time.Hour), s)
	if err != nil || part.Then.State != Open {
		t.Fatalf("partly paid after the notice: %v %v", err, part.Then.State)
	}
	// The chase resumes for the rest from today: the next step is the
	// case file again, for the rest, never the old notice's lapse.
	if next, ok := Next(part.Then, Client{}, s, time.Time{}, rome(t, "2027-01-12 10:00")); !ok || !slices.Equal(next.Send, []Template{CaseFile}) {
		t.Errorf("after a part payment: %v %v, want the case file again", ok, next.Send)
	}
}
