package policy

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/reply/command"
)

func d(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// TestStatutoryInterest checks worked examples against the shipped table.
// Every amount is Capital × Rate × Days / 36500, rounded to the cent per
// period; the rate is the ECB reference of the half-year + 8 points.
func TestStatutoryInterest(t *testing.T) {
	type period struct {
		from, to time.Time
		days     int
		rate     string
		amount   string
		assumed  bool
	}
	for _, c := range []struct {
		name     string
		capital  string
		due, now time.Time
		periods  []period
		total    string
	}{
		{
			// One half-year. 2H2025: ECB 2.15% + 8 = 10.15%.
			// 1–30 October 2025 = 30 days: 1000 × 10.15 × 30 / 36500 = 8.3424… → 8.34.
			name: "one half-year", capital: "1000.00", due: d(2025, 9, 30), now: d(2025, 10, 30),
			periods: []period{{d(2025, 10, 1), d(2025, 10, 30), 30, "10.15", "8.34", false}},
			total:   "8.34",
		},
		{
			// Across the change of 1 July 2025: 1H2025 ECB 3.15% + 8 = 11.15%, 2H2025 10.15%.
			// 16 May – 30 June = 16 + 30 = 46 days: 1220 × 11.15 × 46 / 36500 = 625738 / 36500 = 17.1435… → 17.14
			// 1 July – 14 August = 31 + 14 = 45 days: 1220 × 10.15 × 45 / 36500 = 557235 / 36500 = 15.2667… → 15.27
			// total 17.14 + 15.27 = 32.41.
			name: "half-year change", capital: "1220.00", due: d(2025, 5, 15), now: d(2025, 8, 14),
			periods: []period{
				{d(2025, 5, 16), d(2025, 6, 30), 46, "11.15", "17.14", false},
				{d(2025, 7, 1), d(2025, 8, 14), 45, "10.15", "15.27", false},
			},
			total: "32.41",
		},
		{
			// Over 29 February 2024 (leap year). 1H2024: ECB 4.50% + 8 = 12.50%.
			// 16–29 February = 14 days, 1–15 March = 15 days: 29 days.
			// Divisor 365 in a leap year too: 5000 × 12.50 × 29 / 36500 = 1812500 / 36500 = 49.6575… → 49.66
			// (with 366 it would be 49.52).
			name: "leap day", capital: "5000.00", due: d(2024, 2, 15), now: d(2024, 3, 15),
			periods: []period{{d(2024, 2, 16), d(2024, 3, 15), 29, "12.50", "49.66", false}},
			total:   "49.66",
		},
		{
			// Three half-years and a leap year.
			// 1–31 December 2023 = 31 days at 2H2023 4.00 + 8 = 12.00%: 2500 × 12 × 31 / 36500 = 25.4794… → 25.48
			// 1 January – 30 June 2024 = 31+29+31+30+31+30 = 182 days at 12.50%: 2500 × 12.5 × 182 / 36500 = 155.8219… → 155.82
			// 1–10 July 2024 = 10 days at 2H2024 4.25 + 8 = 12.25%: 2500 × 12.25 × 10 / 36500 = 8.3904… → 8.39
			// total 25.48 + 155.82 + 8.39 = 189.69.
			name: "three half-years", capital: "2500.00", due: d(2023, 11, 30), now: d(2024, 7, 10),
			periods: []period{
				{d(2023, 12, 1), d(2023, 12, 31), 31, "12.00", "25.48", false},
				{d(2024, 1, 1), d(2024, 6, 30), 182, "12.50", "155.82", false},
				{d(2024, 7, 1), d(2024, 7, 10), 10, "12.25", "8.39", false},
			},
			total: "189.69",
		},
		{
			// The zero-rate years: 2H2020, ECB 0.00% + 8 = 8.00%.
			// 1–31 July 2020 = 31 days: 100 × 8 × 31 / 36500 = 0.6794… → 0.68.
			name: "zero reference", capital: "100", due: d(2020, 6, 30), now: d(2020, 7, 31),
			periods: []period{{d(2020, 7, 1), d(2020, 7, 31), 31, "8.00", "0.68", false}},
			total:   "0.68",
		},
		{
			// One day: the day after the due date. 1H2026 10.15%: 1000 × 10.15 × 1 / 36500 = 0.2780… → 0.28.
			name: "one day", capital: "1000", due: d(2026, 3, 31), now: d(2026, 4, 1),
			periods: []period{{d(2026, 4, 1), d(2026, 4, 1), 1, "10.15", "0.28", false}},
			total:   "0.28",
		},
		{
			// 2H2026 is not in the shipped table: the rate of 1H2026 (2.15 + 8 = 10.15%) is assumed.
			// 1 January – 30 June 2026 = 181 days: 1000 × 10.15 × 181 / 36500 = 50.3328… → 50.33
			// 1 July – 22 November 2026 = 31+31+30+31+22 = 145 days: 1000 × 10.15 × 145 / 36500 = 40.3219… → 40.32 (assumed)
			// total 90.65.
			name: "assumed half-year", capital: "1000", due: d(2025, 12, 31), now: d(2026, 11, 22),
			periods: []period{
				{d(2026, 1, 1), d(2026, 6, 30), 181, "10.15", "50.33", false},
				{d(2026, 7, 1), d(2026, 11, 22), 145, "10.15", "40.32", true},
			},
			total: "90.65",
		},
		{name: "due today", capital: "1000", due: d(2026, 3, 31), now: d(2026, 3, 31), total: "0"},
		{name: "not yet due", capital: "1000", due: d(2026, 3, 31), now: d(2026, 3, 1), total: "0"},
		{name: "nothing owed", capital: "0", due: d(2025, 3, 31), now: d(2026, 3, 1), total: "0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			li, err := StatutoryInterest(dec(c.capital), c.due, c.now, DefaultRates())
			if err != nil {
				t.Fatal(err)
			}
			if !li.Amount.Equal(dec(c.total)) {
				t.Errorf("total %s, want %s", li.Amount, c.total)
			}
			if len(li.Periods) != len(c.periods) {
				t.Fatalf("%d periods %+v, want %d", len(li.Periods), li.Periods, len(c.periods))
			}
			for i, w := range c.periods {
				g := li.Periods[i]
				if !g.From.Equal(w.from) || !g.To.Equal(w.to) || g.Days != w.days || !g.Rate.Equal(dec(w.rate)) || !g.Amount.Equal(dec(w.amount)) || g.Assumed != w.assumed {
					t.Errorf("period %d: got %s–%s %d days at %s%% = %s assumed=%v; want %s–%s %d days at %s%% = %s assumed=%v", i,
						g.From.Format("2006-01-02"), g.To.Format("2006-01-02"), g.Days, g.Rate, g.Amount, g.Assumed,
						w.from.Format("2006-01-02"), w.to.Format("2006-01-02"), w.days, w.rate, w.amount, w.assumed)
				}
			}
			if li.Assumed() != (len(c.periods) > 0 && c.periods[len(c.periods)-1].assumed) {
				t.Errorf("Assumed() = %v", li.Assumed())
			}
		})
	}
}

// TestStatutoryInterestLocalDay reads the dates in their own zone: 23:30 in
// Rome on 30 October is still 30 October (22:30 UTC).
func TestStatutoryInterestLocalDay(t *testing.T) {
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Skip(err)
	}
	li, err := StatutoryInterest(dec("1000"), d(2025, 9, 30), time.Date(2025, 10, 30, 23, 30, 0, 0, rome), DefaultRates())
	if err != nil {
		t.Fatal(err)
	}
	if li.Days() != 30 || !li.Amount.Equal(dec("8.34")) {
		t.Errorf("got %d days, %s; want 30 days, 8.34", li.Days(), li.Amount)
	}
}

func TestStatutoryInterestBeforeTable(t *testing.T) {
	_, err := StatutoryInterest(dec("1000"), d(2011, 6, 1), d(2012, 2, 1), DefaultRates())
	if !errors.Is(err, ErrNoRate) || !strings.Contains(err.Error(), "2011-01-01") {
		t.Errorf("err = %v, want ErrNoRate naming the half-year from 2011-01-01", err)
	}
	if _, err := StatutoryInterest(dec("1000"), d(2025, 6, 1), d(2025, 7, 1), Rates{}); !errors.Is(err, ErrNoRate) {
		t.Errorf("empty table: err = %v, want ErrNoRate", err)
	}
}

// TestDefaultRates checks the shipped table: one entry per half-year, with
// no gap, from 2012 to at least 1H2026, and the published figures.
func TestDefaultRates(t *testing.T) {
	all := DefaultRates().All()
	if len(all) == 0 || !all[0].Start.Equal(d(2012, 1, 1)) {
		t.Fatalf("table starts at %v, want 2012-01-01", all)
	}
	for i := 1; i < len(all); i++ {
		if want := all[i-1].Start.AddDate(0, 6, 0); !all[i].Start.Equal(want) {
			t.Errorf("gap: %s follows %s", all[i].Start.Format("2006-01-02"), all[i-1].Start.Format("2006-01-02"))
		}
	}
	for _, c := range []struct {
		start time.Time
		ref   string
	}{
		{d(2013, 1, 1), "0.75"}, {d(2014, 7, 1), "0.15"}, {d(2016, 7, 1), "0"}, {d(2022, 7, 1), "0"},
		{d(2023, 1, 1), "2.50"}, {d(2023, 7, 1), "4.00"}, {d(2024, 1, 1), "4.50"}, {d(2024, 7, 1), "4.25"},
		{d(2025, 1, 1), "3.15"}, {d(2025, 7, 1), "2.15"}, {d(2026, 1, 1), "2.15"},
	} {
		r, exact, ok := DefaultRates().For(c.start.AddDate(0, 2, 0))
		if !ok || !exact || !r.Reference.Equal(dec(c.ref)) || r.Source == "" {
			t.Errorf("For(%s) = %+v exact=%v ok=%v, want %s with a source", c.start.Format("2006-01"), r, exact, ok, c.ref)
		}
	}
}

func TestParseRates(t *testing.T) {
	own, err := ParseRates([]byte(`
[[rate]]
from = 2026-07-01
reference = "2.40"
source = "MEF, GU n. 999"

[[rate]]
from = "2026-01-01"
reference = 2.5
`), "own.toml")
	if err != nil {
		t.Fatal(err)
	}
	r := DefaultRates().Merge(own)
	if r.Len() != DefaultRates().Len()+1 {
		t.Errorf("merged table has %d half-years, want %d", r.Len(), DefaultRates().Len()+1)
	}
	for _, c := range []struct {
		day   time.Time
		ref   string
		exact bool
	}{
		{d(2026, 8, 1), "2.40", true},  // added
		{d(2026, 2, 1), "2.5", true},   // replaced
		{d(2027, 2, 1), "2.40", false}, // beyond the table: the latest
		{d(2025, 8, 1), "2.15", true},  // untouched
	} {
		got, exact, ok := r.For(c.day)
		if !ok || exact != c.exact || !got.Reference.Equal(dec(c.ref)) {
			t.Errorf("For(%s) = %s exact=%v ok=%v, want %s exact=%v", c.day.Format("2006-01-02"), got.Reference, exact, ok, c.ref, c.exact)
		}
	}
	// The assumed period now has its own rate: 1 July – 22 November 2026 = 145 days at 10.40%:
	// 1000 × 10.40 × 145 / 36500 = 41.3150… → 41.32.
	li, err := StatutoryInterest(dec("1000"), d(2026, 6, 30), d(2026, 11, 22), r)
	if err != nil || !li.Amount.Equal(dec("41.32")) || li.Assumed() {
		t.Errorf("with the owner's rate: %s assumed=%v err=%v, want 41.32 not assumed", li.Amount, li.Assumed(), err)
	}

	for _, c := range []struct{ text, want string }{
		{"[[rate]]\nfrom = 2026-02-01\nreference = \"2\"\n", "not the first day of a half-year"},
		{"[[rate]]\nfrom = 2026-01-01\nreference = \"2\"\n[[rate]]\nfrom = 2026-01-01\nreference = \"3\"\n", "given twice"},
		{"[[rate]]\nfrom = 2026-01-01\nrate = \"2\"\n", "unknown keys rate.rate"},
		{"[[rate]]\nfrom = 2026-01-01\nreference = \"215\"\n", "not a plausible"},
		{"[[rate]]\nfrom = 2026-01-01\nreference = \"due\"\n", "not a number"},
		{"[[rate]]\nreference = \"2\"\n", "from: missing"},
		{"[[rate]]\nfrom = \"1/7/2026\"\nreference = \"2\"\n", "not YYYY-MM-DD"},
		{"[[rate]\n", "own.toml"},
	} {
		if _, err := ParseRates([]byte(c.text), "own.toml"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseRates(%q): err = %v, want it to say %q", c.text, err, c.want)
		}
	}
}

// TestInterestAfterPayments checks worked examples of interest on the sum
// unpaid: a payment's day accrues on the sum before it, the next day on
// what remains.
func TestInterestAfterPayments(t *testing.T) {
	type period struct {
		from, to time.Time
		days     int
		capital  string
		rate     string
		amount   string
	}
	for _, c := range []struct {
		name     string
		payments []Payment
		periods  []period
		total    string
		unpaid   string
	}{
		{
			// Invoice of 1220.00 due 15 May 2025, 600.00 received on 10 June
			// 2025, computed on 14 August 2025. 1H2025: ECB 3.15% + 8 = 11.15%;
			// 2H2025: 2.15% + 8 = 10.15%.
			// 16 May – 10 June = 16 + 10 = 26 days on 1220.00:
			//   1220 × 11.15 × 26 / 36500 = 353678 / 36500 = 9.6898… → 9.69
			// 11 – 30 June = 20 days on 1220 − 600 = 620.00:
			//   620 × 11.15 × 20 / 36500 = 138260 / 36500 = 3.7879… → 3.79
			// 1 July – 14 August = 31 + 14 = 45 days on 620.00:
			//   620 × 10.15 × 45 / 36500 = 283185 / 36500 = 7.7585… → 7.76
			// total 9.69 + 3.79 + 7.76 = 21.24 (32.41 with no payment, as in
			// TestStatutoryInterest "half-year change").
			name:     "payment mid-period",
			payments: []Payment{{On: d(2025, 6, 10), Amount: dec("600.00")}},
			periods: []period{
				{d(2025, 5, 16), d(2025, 6, 10), 26, "1220.00", "11.15", "9.69"},
				{d(2025, 6, 11), d(2025, 6, 30), 20, "620.00", "11.15", "3.79"},
				{d(2025, 7, 1), d(2025, 8, 14), 45, "620.00", "10.15", "7.76"},
			},
			total: "21.24", unpaid: "620.00",
		},
		{
			// 220.00 paid before the due date, 1000.00 on 10 July (given out of
			// order): 16 May – 30 June = 46 days on 1000.00:
			//   1000 × 11.15 × 46 / 36500 = 512900 / 36500 = 14.0521… → 14.05
			// 1 – 10 July = 10 days on 1000.00:
			//   1000 × 10.15 × 10 / 36500 = 101500 / 36500 = 2.7808… → 2.78
			// then nothing is unpaid: total 16.83.
			name: "paid before due, then in full",
			payments: []Payment{
				{On: time.Date(2025, 7, 10, 16, 0, 0, 0, time.UTC), Amount: dec("1000.00")},
				{On: d(2025, 5, 2), Amount: dec("220.00")},
			},
			periods: []period{
				{d(2025, 5, 16), d(2025, 6, 30), 46, "1000.00", "11.15", "14.05"},
				{d(2025, 7, 1), d(2025, 7, 10), 10, "1000.00", "10.15", "2.78"},
			},
			total: "16.83", unpaid: "0",
		},
		{
			// A payment after the day of computation is not counted yet.
			name:     "payment after asOf",
			payments: []Payment{{On: d(2025, 9, 1), Amount: dec("600.00")}},
			periods: []period{
				{d(2025, 5, 16), d(2025, 6, 30), 46, "1220.00", "11.15", "17.14"},
				{d(2025, 7, 1), d(2025, 8, 14), 45, "1220.00", "10.15", "15.27"},
			},
			total: "32.41", unpaid: "1220.00",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			li, err := InterestAfterPayments(dec("1220.00"), d(2025, 5, 15), d(2025, 8, 14), c.payments, DefaultRates())
			if err != nil {
				t.Fatal(err)
			}
			if len(li.Periods) != len(c.periods) {
				t.Fatalf("got %d periods %+v, want %d", len(li.Periods), li.Periods, len(c.periods))
			}
			for i, w := range c.periods {
				p := li.Periods[i]
				if !p.From.Equal(w.from) || !p.To.Equal(w.to) || p.Days != w.days || !p.Capital.Equal(dec(w.capital)) ||
					!p.Rate.Equal(dec(w.rate)) || !p.Amount.Equal(dec(w.amount)) {
					t.Errorf("period %d: got %s–%s %d days on %s at %s = %s, want %s–%s %d days on %s at %s = %s", i,
						p.From.Format("2006-01-02"), p.To.Format("2006-01-02"), p.Days, p.Capital, p.Rate, p.Amount,
						w.from.Format("2006-01-02"), w.to.Format("2006-01-02"), w.days, w.capital, w.rate, w.amount)
				}
			}
			if !li.Amount.Equal(dec(c.total)) || !li.Unpaid.Equal(dec(c.unpaid)) {
				t.Errorf("total %s, unpaid %s; want %s, %s", li.Amount, li.Unpaid, c.total, c.unpaid)
			}
		})
	}
}

// The engine records a payment as what a step adds to PaidAmount: a partly
// paid step adds exactly the amount received, whatever else it decides.
func TestPartlyPaidAddsThePayment(t *testing.T) {
	inv := Invoice{Number: "7", Client: "a@b.example", Amount: dec("1220.00"), Currency: "EUR", DueDate: d(2025, 5, 15), State: Open}
	for _, c := range []struct{ paidBefore, amount string }{{"0", "600"}, {"600", "620"}, {"600", "100"}} {
		inv.PaidAmount = dec(c.paidBefore)
		step, err := OnCommand(inv, command.Command{Verb: command.PartlyPaid, Amount: dec(c.amount)}, d(2025, 6, 10), DefaultSettings())
		if err != nil {
			t.Fatal(err)
		}
		if got := step.Then.PaidAmount.Sub(inv.PaidAmount); !got.Equal(dec(c.amount)) {
			t.Errorf("paid before %s, partly paid %s: the step adds %s", c.paidBefore, c.amount, got)
		}
	}
	step, err := OnCommand(inv, command.Command{Verb: command.Note, Text: "600.00 received"}, d(2025, 6, 10), DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	if !step.Then.PaidAmount.Equal(inv.PaidAmount) {
		t.Errorf("a note changed PaidAmount to %s", step.Then.PaidAmount)
	}
}

func TestLateClaim(t *testing.T) {
	inv := Invoice{Number: "7", Amount: dec("1220.00"), Currency: "EUR", DueDate: d(2025, 5, 15)}
	now := time.Date(2025, 8, 14, 10, 0, 0, 0, time.UTC)
	s := DefaultSettings()
	cl, ok, err := LateClaim(inv, Client{}, nil, now, s, DefaultRates())
	if err != nil || !ok {
		t.Fatalf("LateClaim: ok=%v err=%v", ok, err)
	}
	// As in TestStatutoryInterest "half-year change": 32.41, plus 40 euro.
	if !cl.Amount.Equal(dec("32.41")) || !cl.Compensation.Equal(dec("40")) {
		t.Errorf("claim %s + %s, want 32.41 + 40", cl.Amount, cl.Compensation)
	}
	if _, ok, _ := LateClaim(inv, Client{Consumer: true}, nil, now, s, DefaultRates()); ok {
		t.Error("a consumer is charged statutory interest")
	}
	gbp := inv
	gbp.Currency = "GBP"
	if cl, ok, _ := LateClaim(gbp, Client{}, nil, now, s, DefaultRates()); !ok || !cl.Compensation.IsZero() {
		t.Errorf("GBP invoice: ok=%v compensation %s, want interest without the euro compensation", ok, cl.Compensation)
	}
	if _, ok, _ := LateClaim(inv, Client{}, nil, time.Date(2025, 5, 15, 21, 0, 0, 0, time.UTC), s, DefaultRates()); ok { // 23:00 in Rome
		t.Error("claim on the due date itself")
	}
	// 600.00 reported on 10 June: as in TestInterestAfterPayments "payment
	// mid-period", 21.24. The same 600.00 with no dated payment counts as
	// paid on the due date: 620 × 11.15 × 46 / 36500 = 8.7123… → 8.71 and
	// 620 × 10.15 × 45 / 36500 = 7.7585… → 7.76, 16.47 in all.
	part := inv
	part.PaidAmount = dec("600.00")
	if cl, _, _ := LateClaim(part, Client{}, []Payment{{On: d(2025, 6, 10), Amount: dec("600.00")}}, now, s, DefaultRates()); !cl.Amount.Equal(dec("21.24")) || !cl.Unpaid.Equal(dec("620.00")) {
		t.Errorf("dated partial payment: interest %s on %s unpaid, want 21.24 on 620.00", cl.Amount, cl.Unpaid)
	}
	if cl, _, _ := LateClaim(part, Client{}, nil, now, s, DefaultRates()); !cl.Amount.Equal(dec("16.47")) {
		t.Errorf("undated partial payment: interest %s, want 16.47", cl.Amount)
	}
	old := inv
	old.DueDate = d(2010, 1, 1)
	if _, _, err := LateClaim(old, Client{}, nil, now, s, DefaultRates()); !errors.Is(err, ErrNoRate) {
		t.Errorf("invoice due before the table: err = %v, want ErrNoRate", err)
	}
}

// FuzzStatutoryInterest checks properties over arbitrary dates and amounts:
// the days add up to the span, periods never cross a half-year, and the
// total never falls as the end date moves later.
func FuzzStatutoryInterest(f *testing.F) {
	f.Add(uint32(122000), uint16(100), uint16(91), uint16(30))
	f.Add(uint32(1), uint16(4400), uint16(1), uint16(1))
	f.Add(uint32(99999999), uint16(0), uint16(5000), uint16(400))
	base := d(2012, 1, 1)
	f.Fuzz(func(t *testing.T, cents uint32, dueOff, span, more uint16) {
		capital := decimal.New(int64(cents), -2)
		due := base.AddDate(0, 0, int(dueOff%6000))
		end := due.AddDate(0, 0, int(span%4000))
		a, err := StatutoryInterest(capital, due, end, DefaultRates())
		if err != nil {
			t.Fatal(err)
		}
		b, err := StatutoryInterest(capital, due, end.AddDate(0, 0, int(more%400)), DefaultRates())
		if err != nil {
			t.Fatal(err)
		}
		if b.Amount.LessThan(a.Amount) {
			t.Errorf("total fell from %s to %s as the end moved later", a.Amount, b.Amount)
		}
		if capital.IsPositive() && a.Days() != int(span%4000) {
			t.Errorf("%d days accrued over a span of %d", a.Days(), span%4000)
		}
		sum := decimal.Zero
		for _, p := range a.Periods {
			if halfStart(p.From) != halfStart(p.To) || p.Days != int(p.To.Sub(p.From).Hours()/24)+1 || p.Amount.IsNegative() {
				t.Errorf("bad period %+v", p)
			}
			sum = sum.Add(p.Amount)
		}
		if !sum.Equal(a.Amount) {
			t.Errorf("periods sum to %s, total %s", sum, a.Amount)
		}
	})
}

func TestInterestPeriodHalfYear(t *testing.T) {
	for _, tc := range []struct{ from, want string }{
		{"2026-01-01", "2026-01-01"},
		{"2026-06-30", "2026-01-01"},
		{"2026-07-01", "2026-07-01"},
		{"2026-11-07", "2026-07-01"},
		{"2024-12-31", "2024-07-01"},
	} {
		from, _ := time.Parse(time.DateOnly, tc.from)
		got := InterestPeriod{From: from}.HalfYear().Format(time.DateOnly)
		if got != tc.want {
			t.Errorf("HalfYear of a period from %s = %s, want %s", tc.from, got, tc.want)
		}
	}
}
