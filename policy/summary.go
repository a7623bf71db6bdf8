package policy

import (
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Bucket is an aging band: how long an unpaid invoice is past its due date.
type Bucket int

// The aging bands, in order. NumBuckets counts them.
const (
	NotYetDue     Bucket = iota // due today or later
	Overdue1to30                // 1–30 days past the due date
	Overdue31to60               // 31–60 days
	Overdue61to90               // 61–90 days
	OverdueOver90               // more than 90 days
	NumBuckets    = 5
)

// BucketOf returns the band of an invoice daysOverdue days past its due date
// (zero or negative: not yet due).
func BucketOf(daysOverdue int) Bucket {
	switch {
	case daysOverdue <= 0:
		return NotYetDue
	case daysOverdue <= 30:
		return Overdue1to30
	case daysOverdue <= 60:
		return Overdue31to60
	case daysOverdue <= 90:
		return Overdue61to90
	}
	return OverdueOver90
}

// DaysOverdue counts the calendar days from inv's due date to now's date in
// loc (nil: UTC): 0 on the due date, negative before it, 0 when the due date
// is unknown.
func DaysOverdue(inv Invoice, now time.Time, loc *time.Location) int {
	if inv.DueDate.IsZero() {
		return 0
	}
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := now.In(loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	y, m, d = inv.DueDate.Date()
	due := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return int(today.Sub(due).Hours() / 24)
}

// Aged reports whether inv counts in the aging table: not closed, with a due
// date and something still owed (Invoice.Outstanding). Invoices missing
// their due date or amount are listed apart, as missing data.
func Aged(inv Invoice) bool {
	return !inv.State.Closed() && !inv.DueDate.IsZero() && inv.Outstanding().IsPositive()
}

// AgingCell is how many invoices fall in a band and what they owe.
type AgingCell struct {
	Count  int
	Amount decimal.Decimal
}

func (c *AgingCell) add(amount decimal.Decimal) {
	c.Count++
	c.Amount = c.Amount.Add(amount)
}

// AgingRow is the aging of one currency.
type AgingRow struct {
	Currency string                // ISO 4217 code; "" on an invoice counts as EUR
	Cells    [NumBuckets]AgingCell // by Bucket
	Overdue  AgingCell             // every band but NotYetDue
	Total    AgingCell             // every band
}

// Aging is the aging table: one row per currency, EUR first, then the others
// in alphabetical order. Amounts of different currencies are never added.
type Aging []AgingRow

// AgeInvoices builds the aging table of the invoices that count (see Aged)
// at now, days counted in loc (the business's clock).
func AgeInvoices(invs []Invoice, now time.Time, loc *time.Location) Aging {
	rows := map[string]*AgingRow{}
	for _, inv := range invs {
		if !Aged(inv) {
			continue
		}
		cur := currencyOf(inv)
		r, ok := rows[cur]
		if !ok {
			r = &AgingRow{Currency: cur}
			rows[cur] = r
		}
		owed := inv.Outstanding()
		b := BucketOf(DaysOverdue(inv, now, loc))
		r.Cells[b].add(owed)
		r.Total.add(owed)
		if b != NotYetDue {
			r.Overdue.add(owed)
		}
	}
	out := make(Aging, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Currency, out[j].Currency
		if (a == "EUR") != (b == "EUR") {
			return a == "EUR"
		}
		return a < b
	})
	return out
}

// currencyOf returns inv's currency code, upper case, EUR when unset.
func currencyOf(inv Invoice) string {
	c := strings.ToUpper(strings.TrimSpace(inv.Currency))
	if c == "" {
		return "EUR"
	}
	return c
}

// AnyOverdue reports whether any invoice of the table is past its due date.
func (a Aging) AnyOverdue() bool {
	for _, r := range a {
		if r.Overdue.Count > 0 {
			return true
		}
	}
	return false
}

// BarWidths scales the row's band amounts to bars of at most width units:
// the largest band gets width, every band with money at least 1, empty bands
// 0. Widths are rounded to the nearest unit.
func BarWidths(r AgingRow, width int) [NumBuckets]int {
	var out [NumBuckets]int
	largest := decimal.Zero
	for _, c := range r.Cells {
		if c.Amount.GreaterThan(largest) {
			largest = c.Amount
		}
	}
	if width <= 0 || !largest.IsPositive() {
		return out
	}
	w := decimal.NewFromInt(int64(width))
	for i, c := range r.Cells {
		if !c.Amount.IsPositive() {
			continue
		}
		n := int(c.Amount.Mul(w).Div(largest).Round(0).IntPart())
		out[i] = max(n, 1)
	}
	return out
}

// SummaryEvery says how often the owner gets the summary.
type SummaryEvery string

// Summary frequencies.
const (
	SummaryWeekly SummaryEvery = "weekly"
	SummaryDaily  SummaryEvery = "daily"
	SummaryOff    SummaryEvery = "off"
)

// SummarySchedule is when the periodic summary goes to the owner.
type SummarySchedule struct {
	Every SummaryEvery
	// Weekday is the day of a weekly summary; when it is not a business day
	// the summary goes on the next one.
	Weekday time.Weekday
	// At is the time of day (offset from midnight in Settings.Location);
	// zero means the office opening.
	At time.Duration
}

// DefaultSummarySchedule is weekly, on Monday, at the office opening.
func DefaultSummarySchedule() SummarySchedule {
	return SummarySchedule{Every: SummaryWeekly, Weekday: time.Monday}
}

// LastSummarySlot returns the latest instant at or before now when a
// summary was due, and false when summaries are off. Slots fall on business
// days (see BusinessDay) at sch.At in s.Location: every business day for a
// daily summary; for a weekly one, sch.Weekday of each week, moved to the
// next business day when it is a holiday. A summary is owed for the slot
// when none was made at or after it.
func LastSummarySlot(sch SummarySchedule, now time.Time, s Settings) (time.Time, bool) {
	loc := location(s)
	at := sch.At
	if at <= 0 {
		at = officeOpen(s)
	}
	today := midnight(now.In(loc))
	var best time.Time
	consider := func(day time.Time) {
		for !BusinessDay(day, s) {
			day = day.AddDate(0, 0, 1)
		}
		slot := atClock(day, at)
		if !slot.After(now) && slot.After(best) {
			best = slot
		}
	}
	switch sch.Every {
	case SummaryDaily:
		// The latest business day whose slot has passed lies within the
		// last few weeks even around the longest holidays.
		for i := 0; i < 21; i++ {
			consider(today.AddDate(0, 0, -i))
		}
	case SummaryWeekly:
		monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
		offset := (int(sch.Weekday) + 6) % 7 // days after Monday
		for w := 0; w < 4; w++ {
			consider(monday.AddDate(0, 0, offset-7*w))
		}
	default:
		return time.Time{}, false
	}
	return best, !best.IsZero()
}
