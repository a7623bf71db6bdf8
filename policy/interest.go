package policy

// Statutory late-payment interest in commercial transactions, as Italy
// applies Directive 2011/7/EU: D.Lgs. 231/2002 as amended by D.Lgs. 192/2012.
//
//   - The rate is the reference rate plus Spread (8 points). The reference
//     rate of a half-year is the ECB main refinancing operations rate in force
//     on its first day, 1 January or 1 July (art. 5); the table is data
//     (rates.toml, extendable by the owner's own file).
//   - Interest is simple ("interessi semplici di mora su base giornaliera",
//     art. 2): it accrues day by day from the day after the due date up to and
//     including the day of computation (art. 4), each day at the rate of the
//     half-year it falls in.
//   - Interest runs on the sum unpaid: a partial payment's day still accrues
//     on the sum before it, the next day on what remains (Payment,
//     InterestAfterPayments). The ledger dates a payment by the day the
//     owner reported it ("pagata in parte"): the money may have come a day
//     or two earlier, so the figure errs by those days' interest on the sum
//     paid; reporting a payment the day it arrives makes it exact.
//   - Day count: actual days over a divisor of 365 in every year, leap years
//     included (I = C × R × days / 36500). This is the "anno civile" of Italian
//     practice: the calculators lawyers and accountants check figures with use
//     it, and the Agenzia delle Entrate prescribes it for the same question on
//     late tax interest (risoluzione 296/E of 14 July 2008), so that a day of
//     delay costs the same in every year. 29 February therefore accrues a day's
//     interest like any other day.
//   - Rounding: each period's amount is rounded to the cent (half away from
//     zero) and the total is the sum of the rounded periods, so that the
//     figures a notice shows always add up. The total can differ from rounding
//     once at the end by at most half a cent per period.
//   - A half-year missing from the table is never computed at 0: the latest
//     earlier half-year's rate is used and the period is marked Assumed, which
//     every message that shows it says; a half-year before the whole table is
//     an error (ErrNoRate).

import (
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/shopspring/decimal"
)

// Spread is the points D.Lgs. 231/2002 art. 5 adds to the reference rate
// (as amended by D.Lgs. 192/2012, for contracts concluded from 1 January 2013).
var Spread = decimal.NewFromInt(8)

// Compensation is the fixed sum for recovery costs, in euro, due for each
// late invoice between businesses (D.Lgs. 231/2002 art. 6).
var Compensation = decimal.NewFromInt(40)

// daysInYear is the divisor of the day count (see the package comment above).
var daysInYear = decimal.NewFromInt(365)

// ErrNoRate is returned when a day falls before the first half-year of the
// rate table, so that no rate can be assumed for it.
var ErrNoRate = errors.New("policy: no reference rate for the period")

// Rate is the reference rate of one half-year.
type Rate struct {
	Start     time.Time       // 1 January or 1 July, 00:00 UTC
	Reference decimal.Decimal // ECB main refinancing operations rate on Start, percent
	Source    string          // where the figure comes from
}

// Rates is a table of half-yearly reference rates, ordered by Start. The
// zero value is an empty table; DefaultRates is the shipped one.
type Rates struct {
	list []Rate
}

//go:embed rates.toml
var ratesTOML []byte

// defaultRates is the embedded table, parsed once.
var defaultRates = func() Rates {
	r, err := ParseRates(ratesTOML, "policy/rates.toml")
	if err != nil {
		panic(err) // the embedded file is tested
	}
	return r
}()

// DefaultRates returns the table shipped with the binary (policy/rates.toml).
func DefaultRates() Rates { return defaultRates }

// Len returns the number of half-years in the table.
func (r Rates) Len() int { return len(r.list) }

// All returns the table's half-years, oldest first.
func (r Rates) All() []Rate { return slices.Clone(r.list) }

// Merge returns r with the half-years of o added; those of o replace those
// of r with the same Start.
func (r Rates) Merge(o Rates) Rates {
	byStart := map[time.Time]Rate{}
	for _, x := range r.list {
		byStart[x.Start] = x
	}
	for _, x := range o.list {
		byStart[x.Start] = x
	}
	out := Rates{list: make([]Rate, 0, len(byStart))}
	for _, x := range byStart {
		out.list = append(out.list, x)
	}
	slices.SortFunc(out.list, func(a, b Rate) int { return a.Start.Compare(b.Start) })
	return out
}

// halfStart returns the first day of the half-year of the calendar day d.
func halfStart(d time.Time) time.Time {
	y, m, _ := d.Date()
	if m >= time.July {
		return time.Date(y, time.July, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC)
}

// For returns the rate of the half-year of calendar day d: its own entry
// (exact true), or else the latest entry before it (exact false). ok is false
// when the table has nothing at or before that half-year.
func (r Rates) For(d time.Time) (rate Rate, exact, ok bool) {
	hs := halfStart(d)
	i, found := slices.BinarySearchFunc(r.list, hs, func(x Rate, t time.Time) int { return x.Start.Compare(t) })
	if found {
		return r.list[i], true, true
	}
	if i == 0 {
		return Rate{}, false, false
	}
	return r.list[i-1], false, true
}

// ParseRates reads a rate table in the format of policy/rates.toml: one
// [[rate]] table per half-year with from (a TOML date or "YYYY-MM-DD", the
// 1st of January or July), reference (percent, a string or a number) and an
// optional source. name is used in errors. Unknown keys, a half-year given
// twice and rates outside -5…50 are errors.
func ParseRates(data []byte, name string) (Rates, error) {
	var f struct {
		Rate []struct {
			From      any    `toml:"from"`
			Reference any    `toml:"reference"`
			Source    string `toml:"source"`
		} `toml:"rate"`
	}
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		return Rates{}, fmt.Errorf("rates %s: %w", name, err)
	}
	if u := md.Undecoded(); len(u) > 0 {
		var keys []string
		for _, k := range u {
			keys = append(keys, k.String())
		}
		return Rates{}, fmt.Errorf("rates %s: unknown keys %s (each [[rate]] has from, reference, source)", name, strings.Join(keys, ", "))
	}
	var r Rates
	seen := map[time.Time]bool{}
	for i, e := range f.Rate {
		where := fmt.Sprintf("rates %s: [[rate]] #%d", name, i+1)
		start, err := rateDate(e.From)
		if err != nil {
			return Rates{}, fmt.Errorf("%s: from: %w", where, err)
		}
		if start.Day() != 1 || (start.Month() != time.January && start.Month() != time.July) {
			return Rates{}, fmt.Errorf("%s: from %s is not the first day of a half-year (1 January or 1 July)", where, start.Format("2006-01-02"))
		}
		if seen[start] {
			return Rates{}, fmt.Errorf("%s: the half-year from %s is given twice", where, start.Format("2006-01-02"))
		}
		seen[start] = true
		ref, err := rateNumber(e.Reference)
		if err != nil {
			return Rates{}, fmt.Errorf("%s (from %s): reference: %w", where, start.Format("2006-01-02"), err)
		}
		if ref.LessThan(decimal.NewFromInt(-5)) || ref.GreaterThan(decimal.NewFromInt(50)) {
			return Rates{}, fmt.Errorf("%s (from %s): reference %s%% is not a plausible ECB rate (give it in percent, e.g. \"2.15\")", where, start.Format("2006-01-02"), ref)
		}
		r.list = append(r.list, Rate{Start: start, Reference: ref, Source: e.Source})
	}
	return Rates{}.Merge(r), nil
}

// rateDate reads a TOML date or a "YYYY-MM-DD" string as a calendar date.
func rateDate(v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		y, m, d := x.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	case string:
		t, err := time.Parse("2006-01-02", strings.TrimSpace(x))
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not YYYY-MM-DD", x)
		}
		return t, nil
	case nil:
		return time.Time{}, errors.New("missing")
	}
	return time.Time{}, fmt.Errorf("%v is not a date", v)
}

// rateNumber reads a percentage given as a string or a TOML number.
func rateNumber(v any) (decimal.Decimal, error) {
	switch x := v.(type) {
	case string:
		d, err := decimal.NewFromString(strings.TrimSpace(strings.ReplaceAll(x, ",", ".")))
		if err != nil {
			return decimal.Decimal{}, fmt.Errorf("%q is not a number", x)
		}
		return d, nil
	case int64:
		return decimal.NewFromInt(x), nil
	case float64:
		return decimal.NewFromFloat(x), nil
	case nil:
		return decimal.Decimal{}, errors.New("missing")
	}
	return decimal.Decimal{}, fmt.Errorf("%v is not a number", v)
}

// InterestPeriod is a stretch of days within one half-year, at one rate,
// on one capital.
type InterestPeriod struct {
	From, To  time.Time       // first and last day counted, inclusive; calendar dates at 00:00 UTC
	Days      int             // To − From + 1
	Capital   decimal.Decimal // the sum unpaid during the period
	Reference decimal.Decimal // the reference rate used, percent
	Rate      decimal.Decimal // Reference + Spread: the annual rate applied, percent
	Amount    decimal.Decimal // Capital × Rate/100 × Days/365, rounded to the cent
	// Assumed is set when the table lacks this half-year: the rate is that of
	// the latest earlier half-year in the table, which Basis names.
	Assumed bool
	Basis   time.Time // first day of the half-year whose reference rate was used
}

// HalfYear returns the first day (1 January or 1 July, 00:00 UTC) of the
// half-year the period lies in: periods never cross a half-year's end.
func (p InterestPeriod) HalfYear() time.Time {
	m := time.January
	if p.From.Month() >= time.July {
		m = time.July
	}
	return time.Date(p.From.Year(), m, 1, 0, 0, 0, 0, time.UTC)
}

// Payment is money received on an invoice that did not pay all of it.
type Payment struct {
	On     time.Time       // the calendar day it was received, 00:00 UTC
	Amount decimal.Decimal // positive, in the invoice currency
}

// LateInterest is statutory interest on a capital, period by period.
type LateInterest struct {
	// Capital is the sum interest first ran on (the invoice amount, less
	// any payment received on a day the ledger does not know: see
	// LateClaim); Unpaid what of it is still unpaid on To, after Payments.
	Capital, Unpaid decimal.Decimal
	// Payments are the payments that reduced the capital, oldest first; a
	// payment on or before the due date reduces it from the start.
	Payments []Payment
	// From is the first day interest accrues (the day after the due date), To
	// the last (the day of computation). Both zero when nothing accrued.
	From, To time.Time
	Periods  []InterestPeriod // in date order; a new one at each half-year and each payment
	Amount   decimal.Decimal  // the sum of the periods' Amounts
}

// Days returns the number of days interest accrued on.
func (li LateInterest) Days() int {
	n := 0
	for _, p := range li.Periods {
		n += p.Days
	}
	return n
}

// Assumed reports whether any period used an assumed rate.
func (li LateInterest) Assumed() bool {
	for _, p := range li.Periods {
		if p.Assumed {
			return true
		}
	}
	return false
}

// calendarDay returns the calendar date of t (in t's own location) at 00:00 UTC.
func calendarDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// StatutoryInterest computes the interest on capital due on the calendar
// date due, accrued up to and including the calendar date asOf, at the
// rates of table r (see the comment at the top of this file for the
// method). Dates are read in their own location. Nothing accrues when asOf
// is not after due or capital is not positive. It fails with ErrNoRate when
// a day falls before the first half-year of the table.
func StatutoryInterest(capital decimal.Decimal, due, asOf time.Time, r Rates) (LateInterest, error) {
	return InterestAfterPayments(capital, due, asOf, nil, r)
}

// InterestAfterPayments is StatutoryInterest on a capital partly paid:
// interest runs on the sum unpaid (D.Lgs. 231/2002 art. 4), so each
// payment's day still accrues on the sum before it, and the day after it on
// what remains. A payment on or before the due date reduces the capital
// from the start; payments after asOf, and amounts not positive, are left
// out; once nothing is unpaid nothing more accrues. Payments may come in
// any order.
func InterestAfterPayments(capital decimal.Decimal, due, asOf time.Time, payments []Payment, r Rates) (LateInterest, error) {
	li := LateInterest{Capital: capital, Unpaid: capital}
	first := calendarDay(due).AddDate(0, 0, 1)
	last := calendarDay(asOf)
	if due.IsZero() || asOf.IsZero() || last.Before(first) || !capital.IsPositive() {
		return li, nil
	}
	for _, p := range payments {
		if p.Amount.IsPositive() && !calendarDay(p.On).After(last) {
			li.Payments = append(li.Payments, Payment{On: calendarDay(p.On), Amount: p.Amount})
		}
	}
	slices.SortStableFunc(li.Payments, func(a, b Payment) int { return a.On.Compare(b.On) })
	from := first
	for _, p := range li.Payments {
		if !p.On.Before(from) {
			if err := li.accrue(from, p.On, r); err != nil {
				return LateInterest{}, err
			}
			from = p.On.AddDate(0, 0, 1)
		}
		li.Unpaid = decimal.Max(li.Unpaid.Sub(p.Amount), decimal.Zero)
	}
	if err := li.accrue(from, last, r); err != nil {
		return LateInterest{}, err
	}
	if len(li.Periods) > 0 {
		li.From, li.To = li.Periods[0].From, last
	}
	return li, nil
}

// accrue adds the periods from–to (inclusive) on li.Unpaid, one per
// half-year touched; nothing when to is before from or nothing is unpaid.
func (li *LateInterest) accrue(from, last time.Time, r Rates) error {
	for !from.After(last) && li.Unpaid.IsPositive() {
		next := halfStart(from).AddDate(0, 6, 0) // first day of the next half-year
		to := next.AddDate(0, 0, -1)
		if to.After(last) {
			to = last
		}
		rate, exact, ok := r.For(from)
		if !ok {
			return fmt.Errorf("%w: the half-year from %s is not in the table, which starts at %s; add it to the rates file (policy.rates_file)",
				ErrNoRate, halfStart(from).Format("2006-01-02"), r.startText())
		}
		days := int(to.Sub(from).Hours()/24) + 1
		annual := rate.Reference.Add(Spread)
		amount := li.Unpaid.Mul(annual).Mul(decimal.NewFromInt(int64(days))).
			Div(daysInYear.Mul(decimal.NewFromInt(100))).Round(2)
		li.Periods = append(li.Periods, InterestPeriod{
			From: from, To: to, Days: days, Capital: li.Unpaid,
			Reference: rate.Reference, Rate: annual, Amount: amount,
			Assumed: !exact, Basis: rate.Start,
		})
		li.Amount = li.Amount.Add(amount)
		from = to.AddDate(0, 0, 1)
	}
	return nil
}

func (r Rates) startText() string {
	if len(r.list) == 0 {
		return "nothing (the table is empty)"
	}
	return r.list[0].Start.Format("2006-01-02")
}

// Claim is what the creditor may claim on a late invoice besides its amount.
type Claim struct {
	LateInterest
	// Compensation is the fixed sum of art. 6 (Compensation, 40 euro), or
	// zero when not claimed (see LateClaim).
	Compensation decimal.Decimal
}

// LateClaim returns the statutory interest on inv up to the calendar day of
// asOf (in s.Location) and the fixed compensation. Interest runs on the sum
// unpaid: payments are the partial payments the ledger dates (see
// InterestAfterPayments); what inv.PaidAmount holds beyond them, received
// on a day nobody recorded, is taken off the capital from the start
// (Claim.Capital is then less than the invoice amount), so that no interest
// is ever claimed on it. ok is false, with no error, when D.Lgs.
// 231/2002 gives nothing to claim: the client is a consumer (c.Consumer;
// the decree covers only transactions between businesses or with a public
// administration), the invoice has no positive amount or due date, or
// asOf's day is not after the due date. The compensation is claimed only on
// euro invoices (the decree fixes it in euro; adding it to a total in
// another currency would be wrong).
func LateClaim(inv Invoice, c Client, payments []Payment, asOf time.Time, s Settings, r Rates) (cl Claim, ok bool, err error) {
	if c.Consumer || inv.DueDate.IsZero() || !inv.Amount.IsPositive() {
		return Claim{}, false, nil
	}
	if s.Location != nil {
		asOf = asOf.In(s.Location)
	}
	known := decimal.Zero
	for _, p := range payments {
		known = known.Add(p.Amount)
	}
	capital := inv.Amount
	if undated := inv.PaidAmount.Sub(known); undated.IsPositive() {
		capital = capital.Sub(undated)
	}
	li, err := InterestAfterPayments(capital, inv.DueDate, asOf, payments, r)
	if err != nil {
		return Claim{}, false, fmt.Errorf("interest on invoice %s: %w", inv.Number, err)
	}
	if len(li.Periods) == 0 {
		return Claim{}, false, nil
	}
	cl = Claim{LateInterest: li}
	if cur := strings.ToUpper(strings.TrimSpace(inv.Currency)); cur == "" || cur == "EUR" {
		cl.Compensation = Compensation
	}
	return cl, true, nil
}
