package policy

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// openInvoice returns an invoice being chased, due on due.
func openInvoice(t testing.TB, due string) Invoice {
	return Invoice{
		ID:        1,
		Number:    "2026/123",
		Client:    "amministrazione@rossi.example",
		IssueDate: date(t, "2026-11-03"),
		DueDate:   date(t, due),
		Amount:    decimal.RequireFromString("1220.00"),
		Currency:  "EUR",
		State:     Open,
		Anchor:    date(t, due),
	}
}

// fired is one step carried out by walk.
type fired struct {
	at   string // local "2006-01-02 15:04"
	send string // templates, comma-separated
}

// walk steps now hour by hour from from to to, carrying out every step that
// is due, as the daemon would, and returns what fired and the invoice at the end.
func walk(t *testing.T, inv Invoice, c Client, s Settings, from, to time.Time) ([]fired, Invoice) {
	t.Helper()
	var out []fired
	var last, payBy time.Time
	for now := from; !now.After(to); now = now.Add(time.Hour) {
		for range 5 {
			step, ok := Next(inv, c, s, last, now)
			if !ok || step.At.After(now) {
				break
			}
			if step.At.Before(now.Add(-time.Hour)) {
				t.Fatalf("%v: step %q due since %v, an hour earlier than seen", now, step.Reason, step.At)
			}
			if !payBy.IsZero() && !localDate(payBy, s).Before(midnight(step.At.In(s.Location))) {
				t.Fatalf("%v: step %q fires before the pay-by date %s has passed", now, step.Reason, payBy.Format(dateFmt))
			}
			payBy = time.Time{}
			if slices.ContainsFunc(step.Send, asksToPayBy) {
				var ok bool
				if payBy, ok = PayBy(step.Then, c, s); !ok {
					t.Fatalf("%v: no pay-by date for %q", now, step.Reason)
				}
			}
			var names []string
			for _, tpl := range step.Send {
				names = append(names, string(tpl))
				if tpl.Recipient() == ToClient {
					if !last.IsZero() && midnight(last.In(s.Location)).Equal(midnight(now.In(s.Location))) {
						t.Fatalf("%v: second client message on one day (%s)", now, step.Reason)
					}
					last = step.At
				}
			}
			out = append(out, fired{step.At.In(s.Location).Format("2006-01-02 15:04"), strings.Join(names, ",")})
			inv = step.Then
		}
	}
	return out, inv
}

// asksToPayBy reports whether a reminder gives the client a date to pay by.
func asksToPayBy(tpl Template) bool {
	return tpl == Stage2 || tpl == Stage3 || tpl == PromiseMissed
}

func TestWalk(t *testing.T) {
	tests := []struct {
		name   string
		inv    func(Invoice) Invoice
		client Client
		s      func(*Settings)
		want   []fired
	}{
		{
			name: "defaults",
			want: []fired{
				{"2026-11-26 09:00", "courtesy"},
				{"2026-12-14 09:00", "stage1"}, // 13 December is a Sunday
				{"2026-12-24 09:00", "stage2"},
				{"2027-01-04 09:00", "stage3,call_task"}, // 3 January is a Sunday
				{"2027-01-14 09:00", "case_file"},
			},
		},
		{
			name:   "tolerance",
			client: Client{ToleranceDays: 5},
			want: []fired{
				{"2026-11-26 09:00", "courtesy"},
				{"2026-12-18 09:00", "stage1"},
				{"2027-01-04 09:00", "stage2"}, // 2 January is a Saturday
				{"2027-01-19 09:00", "stage3,call_task"},
				{"2027-02-03 09:00", "case_file"},
			},
		},
		{
			name:   "payment days",
			client: Client{PaymentDays: []int{10, 25}},
			want: []fired{
				// Courtesy would wait for 10 December, after the due date: skipped.
				{"2026-12-28 09:00", "stage1"},           // 25 December moves to Monday 28
				{"2027-01-11 09:00", "stage2"},           // 10 January is a Sunday
				{"2027-01-25 09:00", "stage3,call_task"}, // 21 → payment day 25
				{"2027-02-04 09:00", "case_file"},        // the owner has no payment days
			},
		},
		{
			name: "registered after its courtesy date",
			inv:  func(i Invoice) Invoice { i.DueDate, i.Anchor = date(t, "2026-11-25"), date(t, "2026-11-25"); return i },
			want: []fired{
				{"2026-11-23 09:00", "courtesy"}, // first office hour after registration (Sunday 22)
				{"2026-12-07 09:00", "stage1"},   // 5 December is a Saturday
				{"2026-12-17 09:00", "stage2"},
				{"2026-12-28 09:00", "stage3,call_task"}, // 27 December is a Sunday
				{"2027-01-07 09:00", "case_file"},
			},
		},
		{
			name: "registered already due",
			inv:  func(i Invoice) Invoice { i.DueDate, i.Anchor = date(t, "2026-11-20"), date(t, "2026-11-20"); return i },
			want: []fired{
				{"2026-11-30 09:00", "stage1"},
				{"2026-12-10 09:00", "stage2"},
				{"2026-12-21 09:00", "stage3,call_task"}, // 20 December is a Sunday
				{"2026-12-31 09:00", "case_file"},
			},
		},
		{
			name: "courtesy would land on the due date",
			inv:  func(i Invoice) Invoice { i.DueDate, i.Anchor = date(t, "2026-12-09"), date(t, "2026-12-09"); return i },
			s:    func(s *Settings) { s.CourtesyDaysBeforeDue = 1 }, // 8 December is a holiday
			want: []fired{
				{"2026-12-21 09:00", "stage1"}, // 19 December is a Saturday
				{"2026-12-31 09:00", "stage2"},
				{"2027-01-11 09:00", "stage3,call_task"}, // 10 January is a Sunday
				{"2027-01-21 09:00", "case_file"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := openInvoice(t, "2026-12-03")
			if tt.inv != nil {
				inv = tt.inv(inv)
			}
			s := DefaultSettings()
			if tt.s != nil {
				tt.s(&s)
			}
			got, end := walk(t, inv, tt.client, s, rome(t, "2026-11-22 00:00"), rome(t, "2027-03-31 00:00"))
			if !slices.Equal(got, tt.want) {
				t.Errorf("fired:\n%v\nwant:\n%v", got, tt.want)
			}
			if end.State != WithOwner || end.Stage != 4 {
				t.Errorf("ends %s at stage %d, want with_owner at stage 4", end.State, end.Stage)
			}
			if _, ok := Next(end, tt.client, s, time.Time{}, rome(t, "2027-06-01 10:00")); ok {
				t.Errorf("a step is scheduled after stage 4")
			}
		})
	}
}

func TestNextNothingScheduled(t *testing.T) {
	now := rome(t, "2027-02-01 10:00")
	base := openInvoice(t, "2026-12-03")
	tests := []struct {
		name   string
		inv    func(Invoice) Invoice
		client Client
	}{
		{name: "paid", inv: func(i Invoice) Invoice { i.State = Paid; return i }},
		{name: "written off", inv: func(i Invoice) Invoice { i.State = WrittenOff; return i }},
		{name: "disputed", inv: func(i Invoice) Invoice { i.State = Disputed; return i }},
		{name: "with owner", inv: func(i Invoice) Invoice { i.State = WithOwner; return i }},
		{name: "stopped", inv: func(i Invoice) Invoice { i.State = Stopped; return i }},
		{name: "incomplete", inv: func(i Invoice) Invoice { i.State = Incomplete; return i }},
		{name: "claimed paid", inv: func(i Invoice) Invoice { i.State = ClaimedPaid; return i }},
		{name: "excluded client", client: Client{Exclude: true}},
		{name: "no address", inv: func(i Invoice) Invoice { i.Client = ""; return i }},
		{name: "no due date nor anchor", inv: func(i Invoice) Invoice { i.DueDate, i.Anchor = time.Time{}, time.Time{}; return i }},
		{name: "stage 2 without its date", inv: func(i Invoice) Invoice { i.Stage = 2; return i }},
		{name: "paused without an end", inv: func(i Invoice) Invoice { i.State = Paused; return i }},
		{name: "unknown state", inv: func(i Invoice) Invoice { i.State = "bogus"; return i }},
	}
	for _, tt := range tests {
		inv := base
		if tt.inv != nil {
			inv = tt.inv(inv)
		}
		if step, ok := Next(inv, tt.client, DefaultSettings(), time.Time{}, now); ok {
			t.Errorf("%s: scheduled %v at %v (%s), want nothing", tt.name, step.Send, step.At, step.Reason)
		}
	}
}

func TestNextStatus(t *testing.T) {
	s := DefaultSettings()
	inv := openInvoice(t, "2026-12-03")
	// Before the courtesy day: the step is in the future, for status.
	step, ok := Next(inv, Client{}, s, time.Time{}, rome(t, "2026-11-22 10:00"))
	if !ok || !step.At.Equal(rome(t, "2026-11-26 09:00")) || !slices.Equal(step.Send, []Template{Courtesy}) {
		t.Fatalf("got %v %v %v, want courtesy at 2026-11-26 09:00", ok, step.At, step.Send)
	}
	if want := "courtesy notice: 7 days before due date 2026-12-03"; step.Reason != want {
		t.Errorf("reason %q, want %q", step.Reason, want)
	}
	if inv.CourtesySent || !step.Then.CourtesySent {
		t.Errorf("Then must mark the courtesy sent, and inv must be untouched")
	}

	// Overdue since days (the bot was down): due at once, in hours.
	inv.CourtesySent = true
	step, _ = Next(inv, Client{}, s, time.Time{}, rome(t, "2026-12-22 11:15"))
	if !step.At.Equal(rome(t, "2026-12-22 11:15")) || step.Then.Stage != 1 || !step.Then.LastStageAt.Equal(step.At) {
		t.Errorf("overdue stage 1: got %v stage %d last %v", step.At, step.Then.Stage, step.Then.LastStageAt)
	}
	if want := "stage 1: 10 days after due date 2026-12-03"; step.Reason != want {
		t.Errorf("reason %q, want %q", step.Reason, want)
	}
	// Overdue but now after hours: the next office hour, not now.
	step, _ = Next(inv, Client{}, s, time.Time{}, rome(t, "2026-12-22 20:00"))
	if !step.At.Equal(rome(t, "2026-12-23 09:00")) {
		t.Errorf("after hours: got %v, want 2026-12-23 09:00", step.At)
	}
	// Another invoice of the same client was written to today: tomorrow.
	step, _ = Next(inv, Client{}, s, rome(t, "2026-12-22 09:00"), rome(t, "2026-12-22 11:15"))
	if !step.At.Equal(rome(t, "2026-12-23 09:00")) {
		t.Errorf("one a day: got %v, want 2026-12-23 09:00", step.At)
	}
	// Tolerance shows in the reason.
	step, _ = Next(inv, Client{ToleranceDays: 5}, s, time.Time{}, rome(t, "2026-12-01 10:00"))
	if want := "stage 1: 10 days after due date 2026-12-03 + 5 days of tolerance"; step.Reason != want {
		t.Errorf("reason %q, want %q", step.Reason, want)
	}
	// A negative tolerance is no tolerance: never earlier than the procedure.
	step, _ = Next(inv, Client{ToleranceDays: -5}, s, time.Time{}, rome(t, "2026-12-01 10:00"))
	if !step.At.Equal(rome(t, "2026-12-14 09:00")) {
		t.Errorf("negative tolerance: got %v, want 2026-12-14 09:00", step.At)
	}
}

// TestNextAfterResend checks that the stage clock restarts from the day the
// invoice was sent again, and never before the due date.
func TestNextAfterResend(t *testing.T) {
	s := DefaultSettings()
	inv := openInvoice(t, "2026-12-03")
	inv.CourtesySent = true
	inv.Stage, inv.LastStageAt = 2, rome(t, "2026-12-24 09:00")
	inv.Anchor, inv.Stage = date(t, "2026-12-28"), 0
	step, ok := Next(inv, Client{}, s, time.Time{}, rome(t, "2026-12-28 10:00"))
	if !ok || step.Then.Stage != 1 || !step.At.Equal(rome(t, "2027-01-07 09:00")) {
		t.Errorf("got stage %d at %v, want stage 1 at 2027-01-07 09:00", step.Then.Stage, step.At)
	}
	if want := "stage 1: 10 days after the invoice was sent again on 2026-12-28"; step.Reason != want {
		t.Errorf("reason %q, want %q", step.Reason, want)
	}
	// A promise-missed reminder after the anchor pushes stage 1 further.
	inv.LastStageAt = rome(t, "2027-01-05 09:00")
	step, _ = Next(inv, Client{}, s, time.Time{}, rome(t, "2027-01-07 10:00"))
	if !step.At.Equal(rome(t, "2027-01-15 09:00")) {
		t.Errorf("got %v, want 2027-01-15 09:00 (10 days after the last reminder)", step.At)
	}
}

// TestScheduleProperties follows one invoice due on every day of four years,
// with several client settings, moving the clock straight to each step as
// the daemon's timer does, and checks the rules every step must keep.
func TestScheduleProperties(t *testing.T) {
	s := DefaultSettings()
	s.ExtraHolidays = []MonthDay{{time.June, 24}} // San Giovanni, Florence
	clients := []Client{{}, {ToleranceDays: 5}, {PaymentDays: []int{10, 25}}, {ToleranceDays: 3, PaymentDays: []int{31}}}
	steps := 0
	for due := date(t, "2026-01-01"); due.Before(date(t, "2030-01-01")); due = due.AddDate(0, 0, 1) {
		for ci, c := range clients {
			inv := openInvoice(t, "2026-01-01")
			inv.DueDate, inv.Anchor = due, due
			now := localDate(due, s).AddDate(0, 0, -30)
			var last time.Time
			var stages []time.Time
			courtesy := 0
			fail := func(format string, args ...any) {
				t.Helper()
				t.Fatalf("due %s client %d: %s", due.Format(dateFmt), ci, fmt.Sprintf(format, args...))
			}
			for range 10 {
				st, ok := Next(inv, c, s, last, now)
				if !ok {
					break
				}
				steps++
				if st.At.Before(now) {
					fail("step at %v before now %v", st.At, now)
				}
				now = st.At
				if again, ok := Next(inv, c, s, last, now); !ok || !again.At.Equal(st.At) || !slices.Equal(again.Send, st.Send) {
					fail("Next is not stable at its own At: %v then %v", st.At, again.At)
				}
				local := st.At.In(s.Location)
				client := st.Send[0].Recipient() == ToClient
				if client {
					if !BusinessDay(local, s) {
						fail("%v sent on %v, not a business day", st.Send, local)
					}
					if h := local.Hour(); h < 9 || h >= 18 {
						fail("%v sent at %v, out of office hours", st.Send, local)
					}
					if !last.IsZero() && midnight(last.In(s.Location)).Equal(midnight(local)) {
						fail("two client messages on %v", local)
					}
					last = st.At
				}
				switch st.Send[0] {
				case Courtesy:
					courtesy++
					if !local.Before(localDate(due, s)) || local.Before(localDate(due, s).AddDate(0, 0, -s.CourtesyDaysBeforeDue)) {
						fail("courtesy on %v for due %v", local, due)
					}
				case Stage1, Stage2, Stage3, CaseFile:
					n := len(stages) + 1
					if st.Then.Stage != n {
						fail("stage %d after %d stages", st.Then.Stage, n-1)
					}
					min := localDate(due, s).AddDate(0, 0, s.Stage1DaysAfterDue+max(c.ToleranceDays, 0))
					if n > 1 {
						min = midnight(stages[n-2].In(s.Location)).AddDate(0, 0, s.StageIntervalDays+max(c.ToleranceDays, 0))
					}
					if local.Before(min) {
						fail("stage %d on %v, before %v", n, local, min)
					}
					if pd, ok := nextPaymentDay(min, c.PaymentDays, s); ok && client && local.Before(pd) {
						fail("stage %d on %v, before the payment day %v", n, local, pd)
					}
					if local.Sub(min) > 40*24*time.Hour {
						fail("stage %d on %v, long after %v", n, local, min)
					}
					stages = append(stages, st.At)
				default:
					fail("unexpected %v", st.Send)
				}
				inv = st.Then
			}
			if len(stages) != 4 || inv.State != WithOwner || courtesy > 1 {
				fail("ended %s after %d stages and %d courtesy notices", inv.State, len(stages), courtesy)
			}
		}
	}
	t.Logf("%d steps checked", steps)
}

func TestPayBy(t *testing.T) {
	s := DefaultSettings()
	tests := []struct {
		name   string
		sent   string // the reminder, local time
		client Client
		s      func(*Settings)
		want   string // "" means none
	}{
		{name: "Thursday: the next step on Sunday 6 moves to Monday, pay by Friday 4", sent: "2026-11-26 10:00", want: "2026-12-04"},
		{name: "Monday: next step Thursday, pay by Wednesday", sent: "2026-11-16 10:00", want: "2026-11-25"},
		{name: "Friday: next step Monday 7, pay by Friday 4", sent: "2026-11-27 09:00", want: "2026-12-04"},
		{name: "tolerance moves both", sent: "2026-11-26 10:00", client: Client{ToleranceDays: 5}, want: "2026-12-10"}, // next day 11 Dec (Fri), pay by Thu 10
		{name: "Christmas", sent: "2026-12-16 09:00", want: "2026-12-24"},                                              // next 26 Dec (holiday): pay by Thu 24
		{name: "extra holiday before the next step", sent: "2026-11-26 10:00", s: func(s *Settings) { s.ExtraHolidays = []MonthDay{{time.December, 4}} }, want: "2026-12-03"},
		{name: "interval of one day: the reminder's own day", sent: "2026-11-26 10:00", s: func(s *Settings) { s.StageIntervalDays = 1 }, want: "2026-11-26"},
		{name: "no reminder", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := s
			if tt.s != nil {
				tt.s(&s)
			}
			inv := openInvoice(t, "2026-11-01")
			inv.Stage = 2
			if tt.sent != "" {
				inv.LastStageAt = rome(t, tt.sent)
			}
			got, ok := PayBy(inv, tt.client, s)
			if tt.want == "" {
				if ok {
					t.Fatalf("PayBy = %v, want none", got)
				}
				return
			}
			if !ok || got.Format(dateFmt) != tt.want || got.Location() != time.UTC || got.Hour() != 0 {
				t.Fatalf("PayBy = %v, %v; want %s 00:00 UTC", got, ok, tt.want)
			}
			if !BusinessDay(got, s) && tt.want != tt.sent[:10] {
				t.Errorf("%s is not a business day", tt.want)
			}
			// The next step waits for the day after it.
			step, ok := Next(inv, tt.client, s, inv.LastStageAt, inv.LastStageAt)
			if !ok {
				t.Fatal("no next step")
			}
			if !localDate(got, s).Before(midnight(step.At.In(s.Location))) {
				t.Errorf("next step %s at %v, not after the pay-by date %s", step.Send, step.At, tt.want)
			}
		})
	}
}

func TestCourtesyTooSoon(t *testing.T) {
	s := DefaultSettings()
	tests := []struct {
		issue, due string
		want       string // when the courtesy notice goes, "" when skipped
	}{
		{"2026-11-02", "2026-11-06", ""},                 // issued Monday, due Friday: the notice would go on Monday
		{"2026-11-02", "2026-11-10", ""},                 // notice on Tuesday 3, the first business day after issue
		{"2026-11-02", "2026-11-11", "2026-11-04 09:00"}, // Wednesday: two days after issue
		{"2026-11-06", "2026-11-11", ""},                 // issued Friday: the notice would go that day; Monday 9 is the limit
		{"2026-11-06", "2026-11-17", "2026-11-10 09:00"},
		{"", "2026-11-06", "2026-11-02 09:00"}, // no issue date: no limit
		{"2026-10-01", "2026-12-03", "2026-11-26 09:00"},
	}
	for _, tt := range tests {
		inv := openInvoice(t, tt.due)
		inv.IssueDate = time.Time{}
		if tt.issue != "" {
			inv.IssueDate = date(t, tt.issue)
		}
		now := rome(t, "2026-11-02 08:00") // registered the day it is issued
		if tt.issue != "" {
			now = rome(t, tt.issue+" 08:00")
		}
		step, ok := Next(inv, Client{}, s, time.Time{}, now)
		if !ok {
			t.Fatalf("%s→%s: nothing scheduled", tt.issue, tt.due)
		}
		got := ""
		if slices.Contains(step.Send, Courtesy) {
			got = step.At.In(s.Location).Format("2006-01-02 15:04")
		} else if !slices.Contains(step.Send, Stage1) {
			t.Fatalf("%s→%s: %v, want courtesy or stage 1", tt.issue, tt.due, step.Send)
		}
		if got != tt.want {
			t.Errorf("issued %s, due %s: courtesy %q, want %q", tt.issue, tt.due, got, tt.want)
		}
		if tt.want == "" {
			// Skipped for good: not sent later either, once the day after
			// the issue date has passed.
			late := localDate(date(t, tt.due), s).AddDate(0, 0, -1).Add(8 * time.Hour)
			if step, ok := Next(inv, Client{}, s, time.Time{}, late); ok && slices.Contains(step.Send, Courtesy) {
				t.Errorf("issued %s, due %s: courtesy at %v, asked the day before the due date", tt.issue, tt.due, step.At)
			}
		}
	}
}
