package policy

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestBucketOf(t *testing.T) {
	for _, c := range []struct {
		days int
		want Bucket
	}{
		{-30, NotYetDue}, {0, NotYetDue}, {1, Overdue1to30}, {30, Overdue1to30},
		{31, Overdue31to60}, {60, Overdue31to60}, {61, Overdue61to90}, {90, Overdue61to90},
		{91, OverdueOver90}, {4000, OverdueOver90},
	} {
		if got := BucketOf(c.days); got != c.want {
			t.Errorf("BucketOf(%d) = %d, want %d", c.days, got, c.want)
		}
	}
}

func TestDaysOverdue(t *testing.T) {
	loc := DefaultSettings().Location
	for _, c := range []struct {
		due, now string
		want     int
	}{
		{"2026-12-03", "2026-12-03 10:00", 0},
		{"2026-12-03", "2026-12-02 23:59", -1},
		{"2026-12-03", "2026-12-04 00:30", 1}, // 00:30 in Rome is still 23:30 UTC of the 3rd
		{"2026-12-03", "2027-01-25 10:00", 53},
		{"2026-03-01", "2026-03-30 10:00", 29}, // across the change to summer time
		{"", "2027-01-25 10:00", 0},
	} {
		inv := Invoice{}
		if c.due != "" {
			inv.DueDate = date(t, c.due)
		}
		if got := DaysOverdue(inv, rome(t, c.now), loc); got != c.want {
			t.Errorf("DaysOverdue(due %s, now %s) = %d, want %d", c.due, c.now, got, c.want)
		}
	}
}

func TestAgeInvoices(t *testing.T) {
	loc := DefaultSettings().Location
	now := rome(t, "2027-01-25 10:00")
	inv := func(due, amount, cur string, st State) Invoice {
		i := Invoice{Amount: decimal.RequireFromString(amount), Currency: cur, State: st}
		if due != "" {
			i.DueDate = date(t, due)
		}
		return i
	}
	partly := func(i Invoice, paid string) Invoice { i.PaidAmount = decimal.RequireFromString(paid); return i }
	invs := []Invoice{
		inv("2027-02-10", "1000.00", "EUR", Open),                  // not yet due
		inv("2027-01-25", "200.00", "", Open),                      // due today: not yet due; "" is EUR
		inv("2027-01-24", "100.00", "EUR", Paused),                 // 1 day
		inv("2026-12-26", "50.00", "EUR", ClaimedPaid),             // 30 days: still owed until the owner confirms
		inv("2026-12-25", "25.50", "EUR", Disputed),                // 31 days
		inv("2026-11-25", "10.00", "EUR", WithOwner),               // 61 days
		inv("2026-10-27", "7.00", "EUR", Stopped),                  // 90 days
		inv("2026-10-26", "3.00", "EUR", Open),                     // 91 days
		inv("2026-12-01", "900.00", "gbp", Open),                   // 55 days, in pounds
		inv("2026-12-01", "999.00", "EUR", Paid),                   // closed: not counted
		inv("2026-12-01", "999.00", "EUR", WrittenOff),             // closed: not counted
		inv("", "999.00", "EUR", Incomplete),                       // no due date: missing data, not aged
		inv("2026-12-01", "0", "EUR", Incomplete),                  // no amount: not aged
		inv("2026-12-01", "40.00", "EUR", Incomplete),              // a number missing, but aged: 55 days
		inv("2027-03-01", "500.00", "USD", Open),                   // not yet due, in dollars
		inv("2026-11-01", "5.00", "CHF", Open),                     // 85 days, in francs
		inv("2026-09-01", "1.00", "usd", Open),                     // 146 days
		inv("2026-09-01", "0.01", "EUR", OverdueStateX),            // an unknown state still owes
		partly(inv("2026-12-20", "300.00", "EUR", Open), "280.00"), // 36 days, 20.00 still owed
		partly(inv("2026-12-20", "300.00", "EUR", Open), "300.00"), // paid in full, not yet closed: nothing owed
	}
	got := AgeInvoices(invs, now, loc)
	if len(got) != 4 {
		t.Fatalf("%d rows, want EUR, CHF, GBP, USD: %+v", len(got), got)
	}
	for i, cur := range []string{"EUR", "CHF", "GBP", "USD"} {
		if got[i].Currency != cur {
			t.Errorf("row %d is %s, want %s", i, got[i].Currency, cur)
		}
	}
	type cell struct {
		n   int
		amt string
	}
	eur := [NumBuckets]cell{{2, "1200"}, {2, "150"}, {3, "85.5"}, {2, "17"}, {2, "3.01"}}
	for b, want := range eur {
		c := got[0].Cells[b]
		if c.Count != want.n || !c.Amount.Equal(decimal.RequireFromString(want.amt)) {
			t.Errorf("EUR band %d: %d %s, want %d %s", b, c.Count, c.Amount, want.n, want.amt)
		}
	}
	if c := got[0].Overdue; c.Count != 9 || !c.Amount.Equal(decimal.RequireFromString("255.51")) {
		t.Errorf("EUR overdue: %d %s, want 9 255.51", c.Count, c.Amount)
	}
	if c := got[0].Total; c.Count != 11 || !c.Amount.Equal(decimal.RequireFromString("1455.51")) {
		t.Errorf("EUR total: %d %s, want 11 1455.51", c.Count, c.Amount)
	}
	if c := got[2].Cells[Overdue31to60]; c.Count != 1 || !c.Amount.Equal(decimal.NewFromInt(900)) {
		t.Errorf("GBP 31–60: %+v", c)
	}
	if c := got[3]; c.Cells[NotYetDue].Count != 1 || c.Cells[OverdueOver90].Count != 1 || c.Overdue.Count != 1 {
		t.Errorf("USD: %+v", c)
	}
	if !got.AnyOverdue() {
		t.Error("AnyOverdue = false")
	}
	if AgeInvoices(invs[:2], now, loc).AnyOverdue() {
		t.Error("AnyOverdue with nothing overdue = true")
	}
	if len(AgeInvoices(nil, now, loc)) != 0 {
		t.Error("rows from no invoices")
	}
}

// OverdueStateX is a state this package does not know (a newer ledger's).
const OverdueStateX State = "something_new"

func TestBarWidths(t *testing.T) {
	row := func(amts ...string) AgingRow {
		var r AgingRow
		for i, a := range amts {
			r.Cells[i].Amount = decimal.RequireFromString(a)
		}
		return r
	}
	for _, c := range []struct {
		r     AgingRow
		width int
		want  [NumBuckets]int
	}{
		{row("1000", "500", "0", "250", "1"), 20, [NumBuckets]int{20, 10, 0, 5, 1}},
		{row("0", "0", "0", "0", "0"), 20, [NumBuckets]int{}},
		{row("3", "2", "1", "0", "0"), 10, [NumBuckets]int{10, 7, 3, 0, 0}},
		{row("3", "2", "1", "0", "0"), 0, [NumBuckets]int{}},
	} {
		if got := BarWidths(c.r, c.width); got != c.want {
			t.Errorf("BarWidths(%v, %d) = %v, want %v", c.r.Cells, c.width, got, c.want)
		}
	}
}

func TestLastSummarySlot(t *testing.T) {
	s := DefaultSettings()
	weekly := DefaultSummarySchedule()
	friday := SummarySchedule{Every: SummaryWeekly, Weekday: time.Friday, At: 17*time.Hour + 30*time.Minute}
	daily := SummarySchedule{Every: SummaryDaily}
	for _, c := range []struct {
		name string
		sch  SummarySchedule
		now  string
		want string // "" for none
	}{
		{"Monday after opening", weekly, "2026-11-09 10:00", "2026-11-09 09:00"},
		{"Monday at opening", weekly, "2026-11-09 09:00", "2026-11-09 09:00"},
		{"Monday before opening", weekly, "2026-11-09 08:59", "2026-11-02 09:00"},
		{"Sunday", weekly, "2026-11-15 23:00", "2026-11-09 09:00"},
		{"Easter Monday moves to Tuesday", weekly, "2026-04-07 10:00", "2026-04-07 09:00"},
		{"before the moved slot", weekly, "2026-04-06 12:00", "2026-03-30 09:00"},
		{"Friday evening", friday, "2026-11-13 18:00", "2026-11-13 17:30"},
		{"Friday before time", friday, "2026-11-13 17:00", "2026-11-06 17:30"},
		{"Christmas Friday moves to Monday", friday, "2026-12-28 18:00", "2026-12-28 17:30"},
		{"daily", daily, "2026-11-10 09:30", "2026-11-10 09:00"},
		{"daily before opening", daily, "2026-11-10 08:00", "2026-11-09 09:00"},
		{"daily on Saturday", daily, "2026-11-14 10:00", "2026-11-13 09:00"},
		{"daily after Christmas", daily, "2026-12-27 10:00", "2026-12-24 09:00"},
		{"off", SummarySchedule{Every: SummaryOff}, "2026-11-09 10:00", ""},
		{"unset", SummarySchedule{}, "2026-11-09 10:00", ""},
	} {
		got, ok := LastSummarySlot(c.sch, rome(t, c.now), s)
		if c.want == "" {
			if ok {
				t.Errorf("%s: slot %s, want none", c.name, got)
			}
			continue
		}
		if want := rome(t, c.want); !ok || !got.Equal(want) {
			t.Errorf("%s: LastSummarySlot(now %s) = %s %v, want %s", c.name, c.now, got.Format("Mon 2006-01-02 15:04"), ok, want.Format("Mon 2006-01-02 15:04"))
		}
	}
}
