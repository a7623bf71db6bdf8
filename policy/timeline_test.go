package policy

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sollecito/sollecito/reply"
	"github.com/sollecito/sollecito/reply/command"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestTimeline plays one invoice's whole story (schedule, client replies,
// owner commands) and compares the log with testdata/timeline.golden, so a
// change in any rule or reason shows as a diff. Run with -update to accept.
func TestTimeline(t *testing.T) {
	s := DefaultSettings()
	c := Client{ToleranceDays: 2}
	inv := openInvoice(t, "2026-12-03")
	type event struct {
		at   string
		name string
		do   func(Invoice, time.Time) (Step, error)
	}
	replyEv := func(v reply.Verdict) func(Invoice, time.Time) (Step, error) {
		return func(i Invoice, at time.Time) (Step, error) { return OnReply(i, v, at, s), nil }
	}
	cmdEv := func(text string) func(Invoice, time.Time) (Step, error) {
		return func(i Invoice, at time.Time) (Step, error) { return OnCommand(i, command.Parse(text, at), at, s) }
	}
	events := []event{
		{"2026-11-30 11:00", "autoreply", replyEv(reply.Verdict{Kind: reply.AutoReply})},
		{"2026-12-17 16:40", "promise 22/12", replyEv(reply.Verdict{Kind: reply.Promise, PromisedDate: date(t, "2026-12-22")})},
		{"2027-01-12 10:30", "not received", replyEv(reply.Verdict{Kind: reply.NotReceived})},
		{"2027-01-13 08:00", "owner: nota ha chiamato", cmdEv("nota ha chiamato, dice che paga a fine mese")},
		{"2027-01-20 12:00", "redirect", replyEv(reply.Verdict{Kind: reply.Redirect, RedirectTo: "contabilita@rossi.example"})},
		{"2027-02-01 10:00", "owner: pausa fino al 10/02", cmdEv("pausa fino al 10/02")},
		{"2027-02-20 09:30", "promise, no date", replyEv(reply.Verdict{Kind: reply.Promise})},
		{"2027-03-25 15:00", "promise 2 aprile", replyEv(reply.Verdict{Kind: reply.Promise, PromisedDate: date(t, "2027-04-02")})},
		{"2027-04-20 10:00", "owner: riprendi", cmdEv("riprendi")},
		{"2027-05-03 10:00", "owner: riprendi", cmdEv("riprendi")},
		{"2027-05-10 11:00", "installment", replyEv(reply.Verdict{Kind: reply.Installment})},
		{"2027-05-12 11:00", "payment proof", replyEv(reply.Verdict{Kind: reply.PaymentProof})},
		{"2027-05-14 09:00", "owner: pagata", cmdEv("pagata")},
		{"2027-05-15 09:00", "dispute after paid", replyEv(reply.Verdict{Kind: reply.Dispute})},
	}
	var b strings.Builder
	logStep := func(what string, st Step) {
		var send []string
		for _, tpl := range st.Send {
			send = append(send, string(tpl))
		}
		reason := st.Reason
		if slices.ContainsFunc(st.Send, asksToPayBy) {
			payBy, _ := PayBy(st.Then, c, s)
			reason += " [pay by " + payBy.Format("2006-01-02 Mon") + "]"
		}
		fmt.Fprintf(&b, "%s  %-24s %-22s %-12s stage %d  %s\n", st.At.In(s.Location).Format("2006-01-02 15:04 Mon"), what,
			strings.Join(send, "+"), st.Then.State, st.Then.Stage, reason)
	}
	var last time.Time
	now := rome(t, "2026-11-22 10:00")
	end := rome(t, "2027-06-30 00:00")
	for now.Before(end) {
		// The next thing to happen: a scheduled step or an outside event.
		st, ok := Next(inv, c, s, last, now)
		var ev *event
		if len(events) > 0 {
			ev = &events[0]
		}
		evAt := end
		if ev != nil {
			evAt = rome(t, ev.at)
		}
		if ok && st.At.Before(evAt) {
			now = st.At
			logStep("schedule", st)
			for _, tpl := range st.Send {
				if tpl.Recipient() == ToClient {
					last = st.At
				}
			}
			inv = st.Then
			continue
		}
		if ev == nil {
			break
		}
		events = events[1:]
		now = evAt
		st, err := ev.do(inv, now)
		if err != nil {
			fmt.Fprintf(&b, "%s  %-24s error: %v\n", now.In(s.Location).Format("2006-01-02 15:04 Mon"), ev.name, err)
			continue
		}
		logStep(ev.name, st)
		for _, tpl := range st.Send {
			if tpl.Recipient() == ToClient {
				last = st.At
			}
		}
		inv = st.Then
	}
	golden := filepath.Join("testdata", "timeline.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("timeline differs from %s (run with -update to accept):\n%s", golden, got)
	}
}
