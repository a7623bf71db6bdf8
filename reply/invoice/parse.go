package invoice

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Currency markers as people write them, and the ISO 4217 code each stands for.
var currencyCodes = map[string]string{
	"€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
	"£": "GBP", "gbp": "GBP",
	"$": "USD", "us$": "USD", "usd": "USD",
	"chf": "CHF",
}

const (
	curPattern = `(?:€|£|US\$|\$|\b(?i:EUR|GBP|USD|CHF)\b|\b(?i:euros?)\b)`
	// numPattern is a money figure: grouped thousands ("1.220,00", "1,220.00",
	// "12,500") or plain digits with up to two decimals ("1220", "1220.5").
	numPattern = `-?\d{1,3}(?:[.,' \x{00A0}\x{202F}]\d{3})+(?:[.,]\d{1,2})?|-?\d+(?:[.,]\d{1,2})?`
)

// amountRe finds a figure with a currency marker before or after it.
var amountRe = regexp.MustCompile(`(` + curPattern + `)\s?(` + numPattern + `)\b|\b(` + numPattern + `)\s?(` + curPattern + `)`)

var bareNumRe = regexp.MustCompile(`^(?:` + numPattern + `)$`)

// ParseAmount reads one amount of money written as people write it, in Italian
// or English notation: "€ 1.220,00", "EUR 1,220.00", "1.220,00 euro", "£950.00",
// "1.037 euro". It returns the value and the ISO 4217 code of its currency
// ("" when s names none). A single separator followed by exactly three digits
// groups thousands ("1.037" and "12,500" are whole units); one or two digits
// after the last separator are decimals. The whole of s must be the amount.
func ParseAmount(s string) (decimal.Decimal, string, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return decimal.Zero, "", errors.New("parse amount: empty")
	}
	if bareNumRe.MatchString(t) {
		d, err := parseFigure(t)
		if err != nil {
			return decimal.Zero, "", fmt.Errorf("parse amount %q: %w", s, err)
		}
		return d, "", nil
	}
	loc := amountRe.FindStringSubmatchIndex(t)
	if loc == nil || loc[0] != 0 || loc[1] != len(t) {
		return decimal.Zero, "", fmt.Errorf("parse amount %q: not an amount with a currency", s)
	}
	cur, num := submatch(t, loc, 1), submatch(t, loc, 2)
	if num == "" {
		num, cur = submatch(t, loc, 3), submatch(t, loc, 4)
	}
	d, err := parseFigure(num)
	if err != nil {
		return decimal.Zero, "", fmt.Errorf("parse amount %q: %w", s, err)
	}
	return d, currencyCodes[strings.ToLower(cur)], nil
}

func submatch(s string, loc []int, i int) string {
	if loc[2*i] < 0 {
		return ""
	}
	return s[loc[2*i]:loc[2*i+1]]
}

// parseFigure turns "1.220,00", "1,220.00", "12,500" or "-500" into a decimal.
func parseFigure(s string) (decimal.Decimal, error) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	s = strings.NewReplacer("'", "", "\u00a0", "", "\u202f", "", " ", "").Replace(s)
	lastDot, lastComma := strings.LastIndex(s, "."), strings.LastIndex(s, ",")
	dec := -1 // index of the decimal separator
	switch {
	case lastDot >= 0 && lastComma >= 0:
		dec = max(lastDot, lastComma)
	case lastDot >= 0 || lastComma >= 0:
		i := max(lastDot, lastComma)
		sep := s[i : i+1]
		if strings.Count(s, sep) == 1 && len(s)-i-1 != 3 {
			dec = i
		}
	}
	var intPart, frac string
	if dec >= 0 {
		intPart, frac = s[:dec], s[dec+1:]
	} else {
		intPart = s
	}
	intPart = strings.NewReplacer(".", "", ",", "").Replace(intPart)
	if intPart == "" || strings.ContainsAny(frac, ".,") || len(frac) > 2 {
		return decimal.Zero, fmt.Errorf("bad figure %q", s)
	}
	for _, r := range intPart + frac {
		if r < '0' || r > '9' {
			return decimal.Zero, fmt.Errorf("bad figure %q", s)
		}
	}
	if frac == "" {
		frac = "0"
	}
	d, err := decimal.NewFromString(intPart + "." + frac)
	if err != nil {
		return decimal.Zero, err
	}
	if neg {
		d = d.Neg()
	}
	return d, nil
}

// Month names and common abbreviations, Italian and English, to month numbers.
var monthNames = map[string]time.Month{
	"gennaio": 1, "febbraio": 2, "marzo": 3, "aprile": 4, "maggio": 5, "giugno": 6,
	"luglio": 7, "agosto": 8, "settembre": 9, "ottobre": 10, "novembre": 11, "dicembre": 12,
	"gen": 1, "mag": 5, "giu": 6, "lug": 7, "ago": 8, "set": 9, "ott": 10, "dic": 12,
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
	"july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
	"oct": 10, "nov": 11, "dec": 12,
}

// monthPattern is written in lower case and matched against text whose
// ASCII letters are lowered first (asciiLower): month names are ASCII, and
// a case-insensitive search costs several times more.
const monthPattern = `(?:gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre|` +
	`january|february|march|april|may|june|july|august|september|october|november|december|` +
	`sept|gen|feb|mar|apr|mag|giu|lug|ago|set|ott|nov|dic|jan|jun|jul|aug|sep|oct|dec)`

var (
	isoDateRe = regexp.MustCompile(`\b(\d{4})-(\d{1,2})-(\d{1,2})\b`)
	// numDateRe: 05/02/2027, 5.2.2027, 05-02-2027, 05/02/27 (same separator twice).
	numDateRe = regexp.MustCompile(`\b(\d{1,2})([/.\-])(\d{1,2})([/.\-])(\d{4}|\d{2})\b`)
	// shortDateRe is a day and month with no year: "22/11".
	shortDateRe = regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})\b`)
	// dmyRe: "29 March 2027", "1° marzo 2027", "3rd December 2026", "28 febbraio".
	dmyRe = regexp.MustCompile(`\b(\d{1,2})(?:°|º|st|nd|rd|th)?\s+(?:of\s+)?(` + monthPattern + `)\b\.?,?(?:\s+(\d{4})\b)?`)
	// mdyRe: "March 1, 2027", "Dec 15th 2026", "March 31".
	mdyRe = regexp.MustCompile(`\b(` + monthPattern + `)\b\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?`)
	// The same two, tried at one place only (writtenDates).
	dmyAtRe = regexp.MustCompile(`^` + dmyRe.String())
	mdyAtRe = regexp.MustCompile(`^` + mdyRe.String())
)

// writtenDates returns the matches of dmyRe and of mdyRe in lower (text
// whose ASCII letters are lowered), as FindAllStringSubmatchIndex would
// give them, but tries each pattern only where a match can begin: at a
// month name (mdyRe), and at the word before a month name and the spaces
// and "of" between them (dmyRe). A text of many numbers and few month
// names costs a scan for words, not two patterns at every byte.
func writtenDates(lower string) (dmy, mdy [][]int) {
	var dmyAt, mdyAt []int
	for i := 0; i < len(lower); {
		if !isWordByte(lower[i]) {
			i++
			continue
		}
		j := i
		for j < len(lower) && isWordByte(lower[j]) {
			j++
		}
		if _, ok := monthNames[lower[i:j]]; ok {
			mdyAt = append(mdyAt, i)
			if p, ok := dayBefore(lower, i); ok {
				dmyAt = append(dmyAt, p)
			}
		}
		i = j
	}
	return matchesAt(dmyAtRe, lower, dmyAt), matchesAt(mdyAtRe, lower, mdyAt)
}

// dayBefore returns where the day of a "15 marzo", "3rd of March", "1° marzo"
// ending before the month name at i would begin: the start of the word
// before the spaces (and an "of") that precede it.
func dayBefore(lower string, i int) (int, bool) {
	q := skipSpaceBack(lower, i)
	if q == i {
		return 0, false
	}
	if q >= 2 && lower[q-2:q] == "of" && (q == 2 || !isWordByte(lower[q-3])) {
		if r := skipSpaceBack(lower, q-2); r < q-2 {
			q = r
		}
	}
	if strings.HasSuffix(lower[:q], "°") || strings.HasSuffix(lower[:q], "º") {
		q -= len("°")
	}
	p := q
	for p > 0 && isWordByte(lower[p-1]) {
		p--
	}
	return p, p < q
}

func skipSpaceBack(s string, i int) int {
	for i > 0 && strings.IndexByte(" \t\n\f\r", s[i-1]) >= 0 {
		i--
	}
	return i
}

// isWordByte is what \b counts as a word character: an ASCII letter, digit
// or underscore.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// matchesAt runs an anchored pattern at each start (ascending) in text,
// leftmost first and without overlaps, as FindAllStringSubmatchIndex does
// with the unanchored pattern when its matches can begin only there.
func matchesAt(re *regexp.Regexp, text string, starts []int) [][]int {
	slices.Sort(starts)
	var out [][]int
	end := 0
	for _, p := range starts {
		if p < end {
			continue
		}
		m := re.FindStringSubmatchIndex(text[p:])
		if m == nil {
			continue
		}
		for k := range m {
			if m[k] >= 0 {
				m[k] += p
			}
		}
		out = append(out, m)
		end = max(m[1], p+1)
	}
	return out
}

// ParseDate reads one calendar date, Italian or English, numeric or written:
// "05/02/2027", "5.2.2027", "2027-02-05", "5 febbraio 2027", "1° marzo 2027",
// "5th February 2027", "February 5, 2027". Numeric dates are day/month/year;
// month/day/year is accepted only when it cannot be read the other way
// ("01/27/2027"). A two-digit year means 20YY. The year is required. The
// result is the date at 00:00 UTC.
func ParseDate(s string) (time.Time, error) {
	t := strings.TrimSpace(s)
	full := func(loc []int) bool { return loc != nil && loc[0] == 0 && loc[1] == len(t) }
	if m := isoDateRe.FindStringSubmatchIndex(t); full(m) {
		return mkDate(atoi(submatch(t, m, 1)), atoi(submatch(t, m, 2)), atoi(submatch(t, m, 3)))
	}
	if m := numDateRe.FindStringSubmatchIndex(t); full(m) && submatch(t, m, 2) == submatch(t, m, 4) {
		a, b, y := atoi(submatch(t, m, 1)), atoi(submatch(t, m, 3)), fullYear(submatch(t, m, 5))
		if b > 12 && a <= 12 {
			a, b = b, a
		}
		d, err := mkDate(y, b, a)
		if err != nil {
			return time.Time{}, fmt.Errorf("parse date %q: %w", s, err)
		}
		return d, nil
	}
	t = asciiLower(t)
	if m := dmyRe.FindStringSubmatchIndex(t); full(m) {
		if submatch(t, m, 3) == "" {
			return time.Time{}, fmt.Errorf("parse date %q: no year", s)
		}
		d, err := mkDate(atoi(submatch(t, m, 3)), int(monthNames[strings.ToLower(submatch(t, m, 2))]), atoi(submatch(t, m, 1)))
		if err != nil {
			return time.Time{}, fmt.Errorf("parse date %q: %w", s, err)
		}
		return d, nil
	}
	if m := mdyRe.FindStringSubmatchIndex(t); full(m) {
		if submatch(t, m, 3) == "" {
			return time.Time{}, fmt.Errorf("parse date %q: no year", s)
		}
		d, err := mkDate(atoi(submatch(t, m, 3)), int(monthNames[strings.ToLower(submatch(t, m, 1))]), atoi(submatch(t, m, 2)))
		if err != nil {
			return time.Time{}, fmt.Errorf("parse date %q: %w", s, err)
		}
		return d, nil
	}
	return time.Time{}, fmt.Errorf("parse date %q: not a date", s)
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

func fullYear(s string) int {
	y := atoi(s)
	if len(s) == 2 {
		y += 2000
	}
	return y
}

// mkDate builds a calendar date, refusing impossible ones (31 February).
func mkDate(y, m, d int) (time.Time, error) {
	if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, fmt.Errorf("no such date %04d-%02d-%02d", y, m, d)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, fmt.Errorf("no such date %04d-%02d-%02d", y, m, d)
	}
	return t, nil
}

// asciiLower returns s with its ASCII capitals lowered and every other byte
// unchanged, so that offsets into it are offsets into s.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
