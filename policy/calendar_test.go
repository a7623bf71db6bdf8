package policy

import (
	"testing"
	"time"
)

// rome parses "2006-01-02 15:04" (or with seconds) in Europe/Rome.
func rome(t testing.TB, s string) time.Time {
	t.Helper()
	loc := DefaultSettings().Location
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02 15:04:05"} {
		if v, err := time.ParseInLocation(layout, s, loc); err == nil {
			return v
		}
	}
	t.Fatalf("bad time %q", s)
	return time.Time{}
}

// date parses "2006-01-02" as a calendar date at 00:00 UTC, as Invoice holds them.
func date(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatalf("bad date %q", s)
	}
	return v
}

func TestBusinessDay(t *testing.T) {
	milan := DefaultSettings()
	milan.ExtraHolidays = []MonthDay{{time.December, 7}}
	tests := []struct {
		day  string
		want bool
		s    *Settings
	}{
		{"2026-11-23", true, nil},  // Monday
		{"2026-11-28", false, nil}, // Saturday
		{"2026-11-29", false, nil}, // Sunday
		{"2026-11-30", true, nil},  // month end, Monday
		{"2026-12-08", false, nil}, // Immacolata
		{"2026-12-07", true, nil},  // Sant'Ambrogio, not national
		{"2026-12-07", false, &milan},
		{"2027-12-07", false, &milan}, // every year
		{"2026-12-24", true, nil},     // Christmas Eve is a working day
		{"2026-12-25", false, nil},    // Natale
		{"2026-12-26", false, nil},    // Santo Stefano (a Saturday anyway)
		{"2028-12-26", false, nil},    // Santo Stefano on a Tuesday
		{"2026-12-31", true, nil},
		{"2027-01-01", false, nil}, // Capodanno
		{"2027-01-06", false, nil}, // Epifania
		{"2027-03-29", false, nil}, // Pasquetta 2027
		{"2027-03-30", true, nil},
		{"2026-04-06", false, nil}, // Pasquetta 2026
		{"2028-04-25", false, nil}, // Liberazione on a Tuesday
		{"2027-05-01", false, nil}, // Saturday and Festa del Lavoro
		{"2028-05-01", false, nil}, // Festa del Lavoro on a Monday
		{"2027-06-02", false, nil}, // Festa della Repubblica
		{"2028-08-15", false, nil}, // Ferragosto
		{"2028-08-16", true, nil},
		{"2027-11-01", false, nil}, // Ognissanti
		{"2024-10-04", true, nil},  // San Francesco: not yet a holiday before 2026
		{"2026-10-04", false, nil}, // Sunday
		{"2027-10-04", false, nil}, // San Francesco on a Monday
		{"2030-10-04", false, nil}, // on a Friday
		{"2027-10-05", true, nil},
		{"2028-02-29", true, nil}, // leap day, Tuesday
	}
	for _, tt := range tests {
		s := DefaultSettings()
		if tt.s != nil {
			s = *tt.s
		}
		if got := BusinessDay(date(t, tt.day), s); got != tt.want {
			t.Errorf("BusinessDay(%s, extra %v) = %v, want %v", tt.day, s.ExtraHolidays, got, tt.want)
		}
		// The same day as a local instant in the evening reads the same.
		if got := BusinessDay(rome(t, tt.day+" 23:30"), s); got != tt.want {
			t.Errorf("BusinessDay(%s 23:30 Rome) = %v, want %v", tt.day, got, tt.want)
		}
	}
}

func TestAddBusinessDays(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-12-04", 0, "2026-12-04"},
		{"2026-12-05", 0, "2026-12-05"}, // n = 0 keeps a Saturday
		{"2026-12-04", 1, "2026-12-07"}, // Friday → Monday
		{"2026-12-04", 2, "2026-12-09"}, // over the Immacolata
		{"2026-12-23", 3, "2026-12-29"}, // over Christmas
		{"2026-12-30", 2, "2027-01-04"}, // over New Year
		{"2027-03-26", 1, "2027-03-30"}, // over Easter Monday
		{"2028-02-28", 1, "2028-02-29"},
		{"2027-10-01", 1, "2027-10-05"}, // over San Francesco
		{"2026-12-07", -1, "2026-12-04"},
		{"2026-12-09", -1, "2026-12-07"},
	}
	s := DefaultSettings()
	for _, tt := range tests {
		got := AddBusinessDays(date(t, tt.from), tt.n, s)
		if got.Format("2006-01-02") != tt.want {
			t.Errorf("AddBusinessDays(%s, %d) = %s, want %s", tt.from, tt.n, got.Format("2006-01-02"), tt.want)
		}
	}
	// The clock time and location are kept.
	got := AddBusinessDays(rome(t, "2026-12-04 10:30"), 1, s)
	if want := rome(t, "2026-12-07 10:30"); !got.Equal(want) || got.Location().String() != s.Location.String() {
		t.Errorf("AddBusinessDays keeps the clock: got %v, want %v", got, want)
	}
}

func TestSendWindow(t *testing.T) {
	milan := DefaultSettings()
	milan.ExtraHolidays = []MonthDay{{time.December, 7}}
	tests := []struct {
		name     string
		earliest time.Time
		client   Client
		last     time.Time
		s        *Settings
		want     string
	}{
		{name: "in hours", earliest: rome(t, "2026-12-01 10:00"), want: "2026-12-01 10:00"},
		{name: "before open", earliest: rome(t, "2026-12-01 08:59"), want: "2026-12-01 09:00"},
		{name: "at open", earliest: rome(t, "2026-12-01 09:00"), want: "2026-12-01 09:00"},
		{name: "last second", earliest: rome(t, "2026-12-01 17:59:59"), want: "2026-12-01 17:59:59"},
		{name: "at close", earliest: rome(t, "2026-12-01 18:00"), want: "2026-12-02 09:00"},
		{name: "midnight", earliest: rome(t, "2026-12-02 00:00"), want: "2026-12-02 09:00"},
		{name: "friday evening", earliest: rome(t, "2026-12-04 18:30"), want: "2026-12-07 09:00"},
		{name: "patron saint and immacolata", earliest: rome(t, "2026-12-04 18:30"), s: &milan, want: "2026-12-09 09:00"},
		{name: "christmas", earliest: rome(t, "2026-12-24 19:00"), want: "2026-12-28 09:00"},
		{name: "new year", earliest: rome(t, "2026-12-31 18:00"), want: "2027-01-04 09:00"},
		{name: "easter monday", earliest: rome(t, "2027-03-26 18:00"), want: "2027-03-30 09:00"},
		{name: "san francesco", earliest: rome(t, "2027-10-01 20:00"), want: "2027-10-05 09:00"},
		{name: "ferragosto", earliest: rome(t, "2028-08-15 10:00"), want: "2028-08-16 09:00"},
		{name: "utc input", earliest: time.Date(2026, 12, 1, 7, 30, 0, 0, time.UTC), want: "2026-12-01 09:00"},
		{name: "summer time", earliest: time.Date(2027, 6, 1, 6, 30, 0, 0, time.UTC), want: "2027-06-01 09:00"},
		{name: "leap day", earliest: rome(t, "2028-02-28 18:00"), want: "2028-02-29 09:00"},

		{name: "payment day ahead", earliest: rome(t, "2027-01-12 10:00"), client: Client{PaymentDays: []int{10, 25}}, want: "2027-01-25 09:00"},
		{name: "payment day on sunday moves to monday", earliest: rome(t, "2027-01-05 10:00"), client: Client{PaymentDays: []int{10, 25}}, want: "2027-01-11 09:00"},
		{name: "on the moved payment day", earliest: rome(t, "2027-01-11 10:00"), client: Client{PaymentDays: []int{25, 10}}, want: "2027-01-11 10:00"},
		{name: "after hours on payment day", earliest: rome(t, "2027-01-11 19:00"), client: Client{PaymentDays: []int{10, 25}}, want: "2027-01-12 09:00"},
		{name: "payment day on christmas", earliest: rome(t, "2026-12-20 10:00"), client: Client{PaymentDays: []int{25}}, want: "2026-12-28 09:00"},
		{name: "payment day 31 in february", earliest: rome(t, "2027-02-15 10:00"), client: Client{PaymentDays: []int{31}}, want: "2027-03-01 09:00"},
		{name: "payment day 30 in leap february", earliest: rome(t, "2028-02-15 10:00"), client: Client{PaymentDays: []int{30}}, want: "2028-02-29 09:00"},
		{name: "payment day next year", earliest: rome(t, "2026-12-29 10:00"), client: Client{PaymentDays: []int{10, 25}}, want: "2027-01-11 09:00"},
		{name: "bad payment days ignored", earliest: rome(t, "2026-12-01 10:00"), client: Client{PaymentDays: []int{0, 40}}, want: "2026-12-01 10:00"},
		{name: "payment day on immacolata", earliest: rome(t, "2026-12-02 10:00"), client: Client{PaymentDays: []int{8}}, want: "2026-12-09 09:00"},

		{name: "one a day", earliest: rome(t, "2026-12-01 10:00"), last: rome(t, "2026-12-01 09:30"), want: "2026-12-02 09:00"},
		{name: "yesterday's message", earliest: rome(t, "2026-12-02 10:00"), last: rome(t, "2026-12-01 17:00"), want: "2026-12-02 10:00"},
		{name: "last in utc, local next day", earliest: rome(t, "2026-12-02 10:00"), last: time.Date(2026, 12, 1, 23, 30, 0, 0, time.UTC), want: "2026-12-03 09:00"},
		{name: "one a day on friday", earliest: rome(t, "2026-12-04 10:00"), last: rome(t, "2026-12-04 09:00"), want: "2026-12-07 09:00"},
		{name: "one a day and payment day", earliest: rome(t, "2027-01-25 08:00"), last: rome(t, "2027-01-25 09:00"), client: Client{PaymentDays: []int{10, 25}}, want: "2027-01-26 09:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSettings()
			if tt.s != nil {
				s = *tt.s
			}
			got := SendWindow(tt.earliest, tt.client, s, tt.last)
			if want := rome(t, tt.want); !got.Equal(want) {
				t.Errorf("SendWindow(%v) = %v, want %v", tt.earliest, got, want)
			}
			if got.Location().String() != s.Location.String() {
				t.Errorf("SendWindow returned %v, not in %v", got.Location(), s.Location)
			}
			if got.Before(tt.earliest) {
				t.Errorf("SendWindow went back in time")
			}
		})
	}
}

// TestSendWindowHours checks other office hours, and hours that make no
// window.
func TestSendWindowHours(t *testing.T) {
	s := DefaultSettings()
	s.OfficeOpen, s.OfficeClose = 8*time.Hour+30*time.Minute, 12*time.Hour+30*time.Minute
	if got, want := SendWindow(rome(t, "2026-12-01 12:29"), Client{}, s, time.Time{}), rome(t, "2026-12-01 12:29"); !got.Equal(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got, want := SendWindow(rome(t, "2026-12-01 12:30"), Client{}, s, time.Time{}), rome(t, "2026-12-02 08:30"); !got.Equal(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	s.OfficeOpen, s.OfficeClose = 18*time.Hour, 9*time.Hour // nonsense: the whole day
	if got, want := SendWindow(rome(t, "2026-12-01 23:00"), Client{}, s, time.Time{}), rome(t, "2026-12-01 23:00"); !got.Equal(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	s = DefaultSettings()
	s.Location = nil // UTC
	if got, want := SendWindow(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC), Client{}, s, time.Time{}), time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("nil location: got %v, want %v", got, want)
	}
}
