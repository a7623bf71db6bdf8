package policy

import (
	"slices"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/it"
)

// sanFrancesco is 4 October, the feast of Saint Francis of Assisi, a national
// holiday again from 2026 (Legge 151/2025). rickar/cal does not know it yet.
var sanFrancesco = &cal.Holiday{
	Name:      "San Francesco d'Assisi",
	Type:      cal.ObservancePublic,
	StartYear: 2026,
	Month:     time.October,
	Day:       4,
	Func:      cal.CalcDayOfMonth,
}

// italy holds the national public holidays. It is not Cacheable, so
// IsHoliday only reads it and concurrent use is safe.
var italy = &cal.Calendar{
	Name:     "Italy",
	Holidays: append(slices.Clone(it.Holidays), sanFrancesco),
}

// BusinessDay reports whether the calendar day d names, in d's own location,
// is a business day: not a Saturday or Sunday, not an Italian national public
// holiday (4 October included from 2026 on), and not one of s.ExtraHolidays.
// Pass an instant through t.In(s.Location) first to ask about the local day.
func BusinessDay(d time.Time, s Settings) bool {
	switch d.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	y, m, day := d.Date()
	for _, h := range s.ExtraHolidays {
		if h.Month == m && h.Day == day {
			return false
		}
	}
	// IsHoliday compares only year, month and day; noon UTC keeps the date.
	actual, observed, _ := italy.IsHoliday(time.Date(y, m, day, 12, 0, 0, 0, time.UTC))
	return !actual && !observed
}

// AddBusinessDays returns d moved by n business days (backwards when n is
// negative), keeping its clock time and location. With n = 0 it returns d
// even when d is not a business day.
func AddBusinessDays(d time.Time, n int, s Settings) time.Time {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDate(0, 0, step)
		if BusinessDay(d, s) {
			n--
		}
	}
	return d
}

// SendWindow returns the first instant at or after earliest, in s.Location,
// at which a message may go to client c: a business day, within office hours
// (before OfficeOpen moves to OfficeOpen, at or after OfficeClose to the next
// business day's OfficeOpen), on or after the client's next payment day when
// c.PaymentDays is set (a payment day that is not a business day counts on
// the next business day; a day past the end of a month counts on its last
// day), and not on the local day of lastToClient (at most one message per
// client per day; zero lastToClient means none).
func SendWindow(earliest time.Time, c Client, s Settings, lastToClient time.Time) time.Time {
	loc := location(s)
	t := earliest.In(loc)
	if pd, ok := nextPaymentDay(midnight(t), c.PaymentDays, s); ok && pd.After(t) {
		t = pd
	}
	var lastDay time.Time
	if !lastToClient.IsZero() {
		lastDay = midnight(lastToClient.In(loc))
	}
	open, close := officeHours(s)
	// Every turn moves t to a later day or returns; a year of holidays and
	// weekends is far below the bound.
	for range 3660 {
		day := midnight(t)
		if !BusinessDay(day, s) || day.Equal(lastDay) {
			t = day.AddDate(0, 0, 1)
			continue
		}
		if o := atClock(day, open); t.Before(o) {
			t = o
		}
		if !t.Before(atClock(day, close)) {
			t = day.AddDate(0, 0, 1)
			continue
		}
		return t
	}
	return t
}

// officeOpenFrom returns the first instant at or after t in office hours of a
// business day, with no client constraints: when owner messages go and
// pauses end.
func officeOpenFrom(t time.Time, s Settings) time.Time {
	return SendWindow(t, Client{}, s, time.Time{})
}

// nextPaymentDay returns local midnight of the first day on or after day on
// which a client with these payment days pays, and false when days holds no
// day of the month.
func nextPaymentDay(day time.Time, days []int, s Settings) (time.Time, bool) {
	var valid []int
	for _, d := range days {
		if d >= 1 && d <= 31 {
			valid = append(valid, d)
		}
	}
	if len(valid) == 0 {
		return time.Time{}, false
	}
	slices.Sort(valid)
	y, m, _ := day.Date()
	// Start a month early: a payment day on a holiday at the end of last
	// month may move into this one.
	first := time.Date(y, m-1, 1, 0, 0, 0, 0, day.Location())
	for i := range 14 {
		month := first.AddDate(0, i, 0)
		last := month.AddDate(0, 1, -1).Day()
		for _, d := range valid {
			p := month.AddDate(0, 0, min(d, last)-1)
			for !BusinessDay(p, s) {
				p = p.AddDate(0, 0, 1)
			}
			// Moving to a business day keeps the order of payment
			// days, so the first one on or after day is the answer.
			if !p.Before(day) {
				return p, true
			}
		}
	}
	return time.Time{}, false
}

// location returns s.Location, or UTC when unset.
func location(s Settings) *time.Location {
	if s.Location == nil {
		return time.UTC
	}
	return s.Location
}

// officeHours returns the opening and closing offsets, the whole day when
// they do not make a window.
func officeHours(s Settings) (open, close time.Duration) {
	open, close = s.OfficeOpen, s.OfficeClose
	if open < 0 || close > 24*time.Hour || close <= open {
		return 0, 24 * time.Hour
	}
	return open, close
}

// midnight returns the start of t's calendar day in t's location.
func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// atClock returns the wall-clock time off after midnight on day (so 09:00 is
// 09:00 on daylight-saving change days too).
func atClock(day time.Time, off time.Duration) time.Time {
	if off >= 24*time.Hour {
		return day.AddDate(0, 0, 1)
	}
	y, m, d := day.Date()
	return time.Date(y, m, d, int(off/time.Hour), int(off%time.Hour/time.Minute), int(off%time.Minute/time.Second), 0, day.Location())
}

// localDate returns the calendar date d names (an Invoice date, 00:00 UTC)
// as local midnight in s.Location.
func localDate(d time.Time, s Settings) time.Time {
	y, m, day := d.Date()
	return time.Date(y, m, day, 0, 0, 0, 0, location(s))
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
