package invoice

import (
	"strings"
	"testing"
	"time"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in, want, cur string
		bad           bool
	}{
		{in: "€ 1.220,00", want: "1220", cur: "EUR"},
		{in: "EUR 1,220.00", want: "1220", cur: "EUR"},
		{in: "1.220,00 euro", want: "1220", cur: "EUR"},
		{in: "£950.00", want: "950", cur: "GBP"},
		{in: "$2,310.00", want: "2310", cur: "USD"},
		{in: "USD 1,250.00", want: "1250", cur: "USD"},
		{in: "GBP 570.83", want: "570.83", cur: "GBP"},
		{in: "1.037 euro", want: "1037", cur: "EUR"},
		{in: "€12,500", want: "12500", cur: "EUR"},
		{in: "487,50 euro", want: "487.5", cur: "EUR"},
		{in: "EUR -500,00", want: "-500", cur: "EUR"},
		{in: "1.234.567,89 €", want: "1234567.89", cur: "EUR"},
		{in: "1,234,567.89", want: "1234567.89", cur: ""},
		{in: "12.5", want: "12.5", cur: ""},
		{in: "  € 3,00  ", want: "3", cur: "EUR"},
		{in: "", bad: true},
		{in: "euro", bad: true},
		{in: "€ 1.22.00", bad: true},
		{in: "€ 12 e 50", bad: true},
		{in: "about € 100", bad: true},
	}
	for _, tt := range tests {
		got, cur, err := ParseAmount(tt.in)
		if tt.bad {
			if err == nil {
				t.Errorf("ParseAmount(%q) = %s %s, want an error", tt.in, got, cur)
			}
			continue
		}
		if err != nil || got.String() != tt.want || cur != tt.cur {
			t.Errorf("ParseAmount(%q) = %s %q, %v; want %s %q", tt.in, got, cur, err, tt.want, tt.cur)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"05/02/2027", "2027-02-05"},
		{"5.2.2027", "2027-02-05"},
		{"05-02-2027", "2027-02-05"},
		{"05/02/27", "2027-02-05"},
		{"2027-02-05", "2027-02-05"},
		{"5 febbraio 2027", "2027-02-05"},
		{"5 FEBBRAIO 2027", "2027-02-05"}, // month names in any case
		{"March 1ST, 2027", "2027-03-01"},
		{"1° marzo 2027", "2027-03-01"},
		{"3rd December 2026", "2026-12-03"},
		{"14 Oct 2027", "2027-10-14"},
		{"March 1, 2027", "2027-03-01"},
		{"December 4 2026", "2026-12-04"},
		{"01/27/2027", "2027-01-27"}, // only readable month first
		{"29 febbraio 2027", ""},     // no such day
		{"31/04/2026", ""},
		{"28 febbraio", ""}, // no year
		{"13/13/2026", ""},
		{"05/02-2027", ""},
		{"yesterday", ""},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("ParseDate(%q) = %s, want an error", tt.in, got.Format(time.DateOnly))
			}
			continue
		}
		if err != nil || got.Format(time.DateOnly) != tt.want || got.Location() != time.UTC {
			t.Errorf("ParseDate(%q) = %v, %v; want %s UTC", tt.in, got, err, tt.want)
		}
	}
}

func TestValidIBAN(t *testing.T) {
	tests := []struct{ in, errHas string }{
		{"IT60X0542811101000000123456", ""},
		{"IT60 X054 2811 1010 0000 0123 456", ""},
		{"it60x0542811101000000123456", ""},
		{"GB82WEST12345698765432", ""},
		{"DE89370400440532013000", ""},
		{"IT60X054281110100000012345", "26 characters, a IT IBAN has 27"},
		{"IT61X0542811101000000123456", "check digits 61 do not match"},
		{"ZZ60X0542811101000000123456", "unknown country"},
		{"IT6OX0542811101000000123456", "check digits"},
		{"IT60-X054", "not a letter or digit"},
		{"", "empty"},
		{"1234", "country code"},
	}
	for _, tt := range tests {
		err := ValidIBAN(tt.in)
		switch {
		case tt.errHas == "" && err != nil:
			t.Errorf("ValidIBAN(%q) = %v, want nil", tt.in, err)
		case tt.errHas != "" && (err == nil || !strings.Contains(err.Error(), tt.errHas)):
			t.Errorf("ValidIBAN(%q) = %v, want an error saying %q", tt.in, err, tt.errHas)
		}
	}
}
