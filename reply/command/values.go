package command

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/reply/invoice"
)

// months maps Italian and English month names and their usual
// abbreviations to months.
var months = map[string]time.Month{}

func init() {
	names := []struct {
		m     time.Month
		names []string
	}{
		{time.January, []string{"gennaio", "gen", "january", "jan"}},
		{time.February, []string{"febbraio", "feb", "february"}},
		{time.March, []string{"marzo", "mar", "march"}},
		{time.April, []string{"aprile", "apr", "april"}},
		{time.May, []string{"maggio", "mag", "may"}},
		{time.June, []string{"giugno", "giu", "june", "jun"}},
		{time.July, []string{"luglio", "lug", "july", "jul"}},
		{time.August, []string{"agosto", "ago", "august", "aug"}},
		{time.September, []string{"settembre", "set", "sett", "september", "sep", "sept"}},
		{time.October, []string{"ottobre", "ott", "october", "oct"}},
		{time.November, []string{"novembre", "nov", "november"}},
		{time.December, []string{"dicembre", "dic", "december", "dec"}},
	}
	for _, n := range names {
		for _, s := range n.names {
			months[s] = n.m
		}
	}
}

// weekdays maps Italian and English weekday names to weekdays.
var weekdays = map[string]time.Weekday{
	"lunedì": time.Monday, "lunedi": time.Monday, "monday": time.Monday,
	"martedì": time.Tuesday, "martedi": time.Tuesday, "tuesday": time.Tuesday,
	"mercoledì": time.Wednesday, "mercoledi": time.Wednesday, "wednesday": time.Wednesday,
	"giovedì": time.Thursday, "giovedi": time.Thursday, "thursday": time.Thursday,
	"venerdì": time.Friday, "venerdi": time.Friday, "friday": time.Friday,
	"sabato": time.Saturday, "saturday": time.Saturday,
	"domenica": time.Sunday, "sunday": time.Sunday,
}

var (
	isoDate     = regexp.MustCompile(`\b(\d{4})-(\d{1,2})-(\d{1,2})\b`)
	numericDate = regexp.MustCompile(`\b(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?\b`)
	// dayMonth: "15 gennaio 2027", "15th of January", "15 gen".
	dayMonth = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th|°)?\s+(?:of\s+)?(\p{L}+)\.?(?:,?\s+(\d{4}))?`)
	// monthDay: "January 15, 2027", "Jan 15th".
	monthDay = regexp.MustCompile(`(?i)\b(\p{L}+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?`)
	// span: "10 giorni", "2 weeks", "un mese".
	span = regexp.MustCompile(`(?i)\b(\d{1,3}|un|una|uno|a|an|one)\s+(giorni|giorno|days?|settimane|settimana|weeks?|mesi|mese|months?)\b`)
)

// findDate returns the first date written in s as a calendar date at 00:00
// UTC, and the byte offset where it starts. Numeric dates are day/month (as Italians write them), month/day only
// when day/month cannot be a date. A date without a year is the next one on
// or after ref's day when future is set, else the last one on or before it.
func findDate(s string, ref time.Time, future bool) (time.Time, int, bool) {
	type cand struct {
		pos  int
		date time.Time
	}
	var best *cand
	offer := func(pos int, d time.Time, ok bool) {
		if ok && (best == nil || pos < best.pos) {
			best = &cand{pos, d}
		}
	}
	if m := isoDate.FindStringSubmatchIndex(s); m != nil {
		y, mo, day := atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]])
		d, ok := makeDate(y, time.Month(mo), day)
		offer(m[0], d, ok)
	}
	// Blank ISO dates out (same length, so positions hold) before looking
	// for day/month inside them.
	s = isoDate.ReplaceAllStringFunc(s, func(x string) string { return strings.Repeat(" ", len(x)) })
	for _, m := range numericDate.FindAllStringSubmatchIndex(s, -1) {
		a, b := atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]])
		if m[6] >= 0 {
			y := atoi(s[m[6]:m[7]])
			if y < 100 {
				y += 2000
			}
			d, ok := makeDate(y, time.Month(b), a)
			if !ok {
				d, ok = makeDate(y, time.Month(a), b)
			}
			offer(m[0], d, ok)
			continue
		}
		mo, day := b, a
		if _, ok := makeDate(2028, time.Month(mo), day); !ok {
			mo, day = a, b
		}
		d, ok := yearless(time.Month(mo), day, ref, future)
		offer(m[0], d, ok)
	}
	// A month by name, before or after the day (group 3, when matched, is the year).
	named := func(re *regexp.Regexp, monthGroup, dayGroup int) {
		for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
			mo, ok := months[strings.ToLower(s[m[2*monthGroup]:m[2*monthGroup+1]])]
			if !ok {
				continue
			}
			day := atoi(s[m[2*dayGroup]:m[2*dayGroup+1]])
			if m[6] >= 0 {
				d, ok := makeDate(atoi(s[m[6]:m[7]]), mo, day)
				offer(m[0], d, ok)
			} else {
				d, ok := yearless(mo, day, ref, future)
				offer(m[0], d, ok)
			}
		}
	}
	named(dayMonth, 2, 1)
	named(monthDay, 1, 2)
	if best != nil {
		return best.date, best.pos, true
	}
	// Relative words, for pauses: "domani", "lunedì".
	for _, t := range tokens(s) {
		switch t.word {
		case "domani", "tomorrow":
			return refDate(ref).AddDate(0, 0, 1), t.pos, true
		case "dopodomani":
			return refDate(ref).AddDate(0, 0, 2), t.pos, true
		}
		if wd, ok := weekdays[t.word]; ok {
			d := refDate(ref).AddDate(0, 0, 1)
			for d.Weekday() != wd {
				d = d.AddDate(0, 0, 1)
			}
			return d, t.pos, true
		}
	}
	return time.Time{}, 0, false
}

// pauseDate reads the end of a pause: a date ("fino al 15/01", "until
// 2027-01-15", "fino a lunedì") or a span from ref ("per 2 settimane", "for
// 10 days").
func pauseDate(s string, ref time.Time) (time.Time, bool) {
	if m := span.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil {
			n = 1 // un, una, a, an, one
		}
		unit := strings.ToLower(m[2])
		d := refDate(ref)
		switch {
		case strings.HasPrefix(unit, "giorn"), strings.HasPrefix(unit, "day"):
			d = d.AddDate(0, 0, n)
		case strings.HasPrefix(unit, "settiman"), strings.HasPrefix(unit, "week"):
			d = d.AddDate(0, 0, 7*n)
		default:
			d = d.AddDate(0, n, 0)
		}
		if n > 0 {
			return d, true
		}
	}
	d, _, ok := findDate(s, ref, true)
	return d, ok
}

// refDate returns ref's calendar day (in ref's own location) at 00:00 UTC.
func refDate(ref time.Time) time.Time {
	y, m, d := ref.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// yearless returns month/day in the year that makes it the next such date on
// or after ref's day (future) or the last one on or before it.
func yearless(m time.Month, day int, ref time.Time, future bool) (time.Time, bool) {
	r := refDate(ref)
	// Up to 8 years ahead or back, so that 29 February finds a leap year.
	for i := range 9 {
		y := r.Year() + i
		if !future {
			y = r.Year() - i
		}
		d, ok := makeDate(y, m, day)
		if !ok {
			continue
		}
		if future && !d.Before(r) || !future && !d.After(r) {
			return d, true
		}
	}
	return time.Time{}, false
}

// makeDate returns y-m-d at 00:00 UTC, and false when it is not a date or
// the year is not plausible for an invoice.
func makeDate(y int, m time.Month, d int) (time.Time, bool) {
	if y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// atoi converts a run of digits the patterns matched.
func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

var (
	amountNumber = regexp.MustCompile(`\d[\d.,']*`)
	currencyWord = regexp.MustCompile(`(?i)(€|\$|£|\b(eur|euro|euros|usd|dollari|dollars?|gbp|sterline|pounds?|chf|franchi)\b)`)
)

// currencies maps what people write to ISO 4217 codes.
var currencies = map[string]string{
	"€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
	"$": "USD", "usd": "USD", "dollari": "USD", "dollar": "USD", "dollars": "USD",
	"£": "GBP", "gbp": "GBP", "sterline": "GBP", "pound": "GBP", "pounds": "GBP",
	"chf": "CHF", "franchi": "CHF",
}

// parseAmount reads the amount s starts with (after a currency sign or
// code), in Italian ("1.220,00") or English ("1,220.00") writing, and the
// currency written with it ("" when none); false when s does not start with
// a positive amount. A lone separator followed by exactly three digits groups thousands
// ("1.220" is 1220); otherwise the last separator is the decimal one. after
// is what follows the number.
func parseAmount(s string) (amount decimal.Decimal, currency, after string, ok bool) {
	loc := amountNumber.FindStringIndex(s)
	if loc == nil || strings.TrimSpace(currencyWord.ReplaceAllString(s[:loc[0]], "")) != "" {
		return decimal.Decimal{}, "", "", false
	}
	raw := strings.TrimRight(strings.ReplaceAll(s[loc[0]:loc[1]], "'", ""), ".,")
	d, _, err := invoice.ParseAmount(raw)
	if err != nil || !d.IsPositive() {
		return decimal.Decimal{}, "", "", false
	}
	cur := ""
	if m := currencyWord.FindString(s); m != "" {
		cur = currencies[strings.ToLower(m)]
	}
	return d, cur, s[loc[1]:], true
}
