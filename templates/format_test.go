package templates

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/reply"
	"github.com/sollecito/sollecito/reply/command"
)

func TestMoney(t *testing.T) {
	for _, c := range []struct {
		lang, amount, currency, want string
	}{
		{"it", "0", "EUR", "€ 0,00"},
		{"it", "0.004", "EUR", "€ 0,00"},
		{"it", "0.005", "EUR", "€ 0,01"},
		{"it", "1", "", "€ 1,00"},
		{"it", "999.999", "EUR", "€ 1.000,00"},
		{"it", "1220", "EUR", "€ 1.220,00"},
		{"it", "1220.5", "eur", "€ 1.220,50"},
		{"it", "1000000.50", "EUR", "€ 1.000.000,50"},
		{"it", "123456789.99", "EUR", "€ 123.456.789,99"},
		{"it", "950", "GBP", "£ 950,00"},
		{"it", "1000", "USD", "USD 1.000,00"},
		{"it", "12.3", "CHF", "CHF 12,30"},
		{"en", "0", "EUR", "€0.00"},
		{"en", "1220", "EUR", "€1,220.00"},
		{"en", "1000000.50", "EUR", "€1,000,000.50"},
		{"en", "950", "GBP", "£950.00"},
		{"en", "1000", "USD", "$1,000.00"},
		{"en", "100", "CHF", "CHF 100.00"},
		{"en", "100", "", "€100.00"},
	} {
		got, err := locales[c.lang].money(decimal.RequireFromString(c.amount), c.currency)
		if err != nil || got != c.want {
			t.Errorf("%s money(%s, %q) = %q, %v; want %q", c.lang, c.amount, c.currency, got, err, c.want)
		}
	}
	for _, lang := range Languages {
		for _, bad := range []string{"-1", "-0.01", "-1000000.50"} {
			if got, err := locales[lang].money(decimal.RequireFromString(bad), "EUR"); err == nil {
				t.Errorf("%s money(%s) = %q, want an error", lang, bad, got)
			}
		}
	}
}

func TestPercent(t *testing.T) {
	for _, c := range []struct{ lang, rate, want string }{
		{"it", "10.15", "10,15%"},
		{"it", "8", "8,00%"},
		{"en", "12.15", "12.15%"},
	} {
		if got := locales[c.lang].percent(decimal.RequireFromString(c.rate)); got != c.want {
			t.Errorf("%s percent(%s) = %q, want %q", c.lang, c.rate, got, c.want)
		}
	}
}

func TestDates(t *testing.T) {
	rome := time.FixedZone("CET", 3600)
	for _, c := range []struct {
		lang  string
		t     time.Time
		long  string
		short string
	}{
		{"it", day(2026, time.December, 31), "31/12/2026", "31/12"},
		{"it", day(2027, time.January, 2), "02/01/2027", "02/01"},
		{"it", day(2028, time.February, 29), "29/02/2028", "29/02"},
		// An instant is shown in its own zone: 23:30 UTC is the next day in Rome.
		{"it", time.Date(2026, time.December, 31, 23, 30, 0, 0, time.UTC).In(rome), "01/01/2027", "01/01"},
		{"en", day(2026, time.December, 31), "31 December 2026", "31 December"},
		{"en", day(2027, time.January, 2), "2 January 2027", "2 January"},
	} {
		l := locales[c.lang]
		long, err := l.date(c.t)
		if err != nil || long != c.long {
			t.Errorf("%s date(%v) = %q, %v; want %q", c.lang, c.t, long, err, c.long)
		}
		short, err := l.shortdate(c.t)
		if err != nil || short != c.short {
			t.Errorf("%s shortdate(%v) = %q, %v; want %q", c.lang, c.t, short, err, c.short)
		}
	}
	for _, lang := range Languages {
		if _, err := locales[lang].date(time.Time{}); err == nil {
			t.Errorf("%s date(zero): no error", lang)
		}
		if _, err := locales[lang].shortdate(time.Time{}); err == nil {
			t.Errorf("%s shortdate(zero): no error", lang)
		}
	}
	ts := []time.Time{day(2026, time.December, 10), day(2026, time.December, 20), day(2026, time.December, 30)}
	if got, _ := locales["it"].shortdates(ts); got != "10/12, 20/12 e 30/12" {
		t.Errorf("it shortdates = %q", got)
	}
	if got, _ := locales["en"].dates(ts[:2]); got != "10 December 2026 and 20 December 2026" {
		t.Errorf("en dates = %q", got)
	}
}

func TestIBAN(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"IT60X0542811101000000123456", "IT60 X054 2811 1010 0000 0123 456"},
		{"it60 x054 2811 1010 0000 0123 456", "IT60 X054 2811 1010 0000 0123 456"},
		{" GB29NWBK60161331926819 ", "GB29 NWBK 6016 1331 9268 19"},
		{"DE89", "DE89"},
	} {
		if got, err := iban(c.in); err != nil || got != c.want {
			t.Errorf("iban(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	if _, err := iban("  "); err == nil {
		t.Error("iban(blank): no error")
	}
}

func TestQuote(t *testing.T) {
	got := quote("  Buongiorno,\r\n\r\npagheremo venerdì.  \n")
	want := "> Buongiorno,\n>\n> pagheremo venerdì."
	if got != want {
		t.Errorf("quote = %q, want %q", got, want)
	}
}

func TestDaysOverdue(t *testing.T) {
	rome := time.FixedZone("CET", 3600)
	for _, c := range []struct {
		now  time.Time
		want int
	}{
		{time.Date(2026, time.December, 3, 10, 0, 0, 0, rome), 0},
		{time.Date(2026, time.December, 13, 0, 30, 0, 0, rome), 10}, // still 12 Dec in UTC, 13 Dec in Rome
		{time.Date(2026, time.November, 26, 9, 0, 0, 0, rome), -7},
		{time.Date(2027, time.March, 3, 9, 0, 0, 0, rome), 90},
	} {
		d := Data{Now: c.now, Invoice: minimal("stage1").Invoice}
		if got := d.DaysOverdue(); got != c.want {
			t.Errorf("DaysOverdue at %v = %d, want %d", c.now, got, c.want)
		}
	}
	if got := (Data{}).DaysOverdue(); got != 0 {
		t.Errorf("DaysOverdue of empty data = %d", got)
	}
}

func TestNamesInLanguage(t *testing.T) {
	if got := locales["it"].name("stage1"); got != "primo sollecito" {
		t.Errorf("it name(stage1) = %q", got)
	}
	if got := locales["en"].name("whatever"); got != "whatever" {
		t.Errorf("en name(unknown) = %q", got)
	}
	if !strings.Contains(locales["en"].list([]string{"a", "b", "c"}), "a, b and c") {
		t.Error("en list")
	}
}

func TestPrep(t *testing.T) {
	for _, c := range []struct{ prep, word, want string }{
		{"il", "11/12/2026", "l'11/12/2026"},
		{"il", "08/12/2026", "l'08/12/2026"},
		{"il", "8", "l'8"},
		{"il", "18/12/2026", "il 18/12/2026"},
		{"il", "01/12/2026", "il 01/12/2026"},
		{"il", "10,15%", "il 10,15%"},
		{"il", "8,15%", "l'8,15%"},
		{"dal", "11/12/2026", "dall'11/12/2026"},
		{"dal", "08/01", "dall'08/01"},
		{"al", "8", "all'8"},
		{"al", "80", "all'80"},
		{"al", "89", "all'89"},
		{"al", "800", "all'800"},
		{"al", "8.000", "all'8.000"},
		{"al", "8000", "all'8000"},
		{"del", "11", "dell'11"},
		{"del", "110", "del 110"},
		{"del", "1100", "del 1100"},
		{"del", "1.100", "del 1.100"},
		{"del", "11.000", "dell'11.000"},
		{"del", "11000", "dell'11000"},
		{"del", "110.000", "del 110.000"},
		{"del", "11.000.000", "dell'11.000.000"},
		{"del", "19/11", "del 19/11"},
		{"nel", "2026", "nel 2026"},
		{"nel", "800", "nell'800"},
		{"sul", "11", "sull'11"},
		{"dallo", "8", "dall'8"},
		{"alla", "11", "all'11"},
		{"entro il", "11/12/2026", "entro l'11/12/2026"},
		{"fino al", "08/02/2027", "fino all'08/02/2027"},
		{"Il", "11/12/2026", "L'11/12/2026"},
		{"Dal", "8", "Dall'8"},
		{"il", "0", "il 0"},
		{"il", "", "il "},
		{"il", "€ 800,00", "il € 800,00"},
		{"il", "otto", "il otto"}, // words are the caller's business
		{"a", "11", "a 11"},
		{"per", "8 giorni", "per 8 giorni"},
		{"da", "11", "da 11"},
	} {
		if got := Prep(c.prep, c.word); got != c.want {
			t.Errorf("Prep(%q, %q) = %q, want %q", c.prep, c.word, got, c.want)
		}
	}
	it := locales["it"]
	for _, c := range []struct {
		value any
		want  string
	}{
		{"11/12", "dell'11/12"},
		{time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC), "dell'08/12/2026"},
		{[]time.Time{time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 11, 0, 0, 0, 0, time.UTC)},
			"del 16/11/2026, del 26/11/2026 e dell'11/12/2026"},
		{[]string{"8", "9"}, "dell'8 e del 9"},
		{11, "dell'11"},
	} {
		got, err := it.prep("del", c.value)
		if err != nil || got != c.want {
			t.Errorf("prep(del, %v) = %q, %v; want %q", c.value, got, err, c.want)
		}
	}
	if got, err := locales["en"].prep("on", time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)); err != nil || got != "on 8 December 2026" {
		t.Errorf("en prep = %q, %v", got, err)
	}
	if _, err := it.prep("il", time.Time{}); err == nil {
		t.Error("prep of a zero date: no error")
	}
	if _, err := it.prep("il", 1.5); err == nil {
		t.Error("prep of a float: no error")
	}
}

// TestItalianElision renders every Italian template with dates on the 8th
// and the 11th and rates from 8%: no article or preposition may stand
// unelided before them ("il 11/12" must be "l'11/12").
func TestItalianElision(t *testing.T) {
	s, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	d := sample()
	on := func(tm time.Time, day int) time.Time {
		return time.Date(tm.Year(), tm.Month(), day, tm.Hour(), tm.Minute(), 0, 0, tm.Location())
	}
	d.Invoice.IssueDate = on(d.Invoice.IssueDate, 11)
	d.Invoice.DueDate = on(d.Invoice.DueDate, 11)
	d.Invoice.SettleBy = on(d.Invoice.SettleBy, 8)
	d.Invoice.NoticeAt = on(d.Now, 8)
	d.PayBy = on(d.PayBy, 8)
	d.Next.At = on(d.Next.At, 11)
	for i := range d.History {
		d.History[i].At = on(d.History[i].At, 8+3*(i%2))
	}
	in := *d.Interest
	in.From, in.To = on(in.From, 11), on(in.To, 8)
	in.Periods = append([]policy.InterestPeriod(nil), in.Periods...)
	for i := range in.Periods {
		in.Periods[i].From, in.Periods[i].To, in.Periods[i].Basis = on(in.Periods[i].From, 8), on(in.Periods[i].To, 11), on(in.Periods[i].Basis, 8)
		in.Periods[i].Rate = decimal.RequireFromString("8.15")
	}
	d.Interest = &in
	sum := *d.Summary
	sum.From = on(sum.From, 11)
	d.Summary = &sum
	bad := regexp.MustCompile(`(?i)(^|[^\p{L}'])(il|lo|dal|dallo|al|allo|del|dello|nel|sul) (0?8|11|8\d)[^\d]`)
	for _, name := range Names() {
		m, err := s.Render(name, "it", d)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, text := range []string{m.Subject, m.Text, m.HTML} {
			if x := bad.FindString(text); x != "" {
				t.Errorf("it/%s: %q not elided", name, x)
			}
		}
	}
}

func TestTaxID(t *testing.T) {
	tests := []struct{ lang, code, want string }{
		{"it", "IT01234567897", "P.IVA IT01234567897"},
		{"it", "91204560372", "C.F. 91204560372"},
		{"it", "RSSMRA80A01H501U", "C.F. RSSMRA80A01H501U"},
		{"en", "GB123456789", "VAT no. GB123456789"},
		{"en", "RSSMRA80A01H501U", "tax code RSSMRA80A01H501U"},
		{"it", "", ""},
	}
	for _, tc := range tests {
		if got := lookup(tc.lang).taxID(tc.code); got != tc.want {
			t.Errorf("taxID(%s, %q) = %q, want %q", tc.lang, tc.code, got, tc.want)
		}
	}
}

// TestEveryEventKindHasWords: every event kind the engine writes is said in
// words in each language, never shown raw (history, web page, summary).
func TestEveryEventKindHasWords(t *testing.T) {
	kinds := append([]policy.EventKind{}, policy.EventKinds...)
	for _, k := range reply.Kinds {
		kinds = append(kinds, policy.ReplyEvent(string(k)))
	}
	for _, v := range command.Verbs {
		kinds = append(kinds, policy.CommandEvent(string(v)))
	}
	for _, v := range []string{"refused", "unknown", "help", "status", "undo"} {
		kinds = append(kinds, policy.CommandEvent(v))
	}
	for _, who := range []string{"owner", "contact", "redirect"} {
		kinds = append(kinds, policy.UnverifiedEvent(who))
	}
	for _, n := range Names() {
		kinds = append(kinds, policy.TemplateEvent(n))
	}
	for _, k := range kinds {
		for _, lang := range Languages {
			got := EventName(lang, k)
			// Raw is the kind itself, or its code-like parts ("partly_paid",
			// "reply:") inside the words.
			raw := got == string(k)
			for _, part := range strings.FieldsFunc(string(k), func(r rune) bool { return r == ':' }) {
				raw = raw || strings.Contains(part, "_") && strings.Contains(got, part)
			}
			if raw || strings.Contains(got, ":"+string(k)) || strings.ContainsAny(got, "_") {
				t.Errorf("event kind %q is shown raw in %s: %q", k, lang, got)
			}
		}
	}
}
