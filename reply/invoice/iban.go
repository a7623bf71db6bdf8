package invoice

import (
	"fmt"
	"math/big"
	"strings"
)

// ibanLengths is the IBAN length of each country of the SWIFT IBAN registry.
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
	"BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
	"EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
	"GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
	"JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25,
	"MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18,
	"NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33,
	"SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
	"TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

// NormalizeIBAN removes the spaces people put in an IBAN and upper-cases it.
func NormalizeIBAN(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// ValidIBAN checks an IBAN (spaces allowed) against ISO 13616: letters and
// digits only, a known country, that country's length, and the mod-97 check
// digits. The error says which of these failed, for a person to fix.
func ValidIBAN(s string) error {
	iban := NormalizeIBAN(s)
	if iban == "" {
		return fmt.Errorf("iban: empty")
	}
	for i, r := range iban {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return fmt.Errorf("iban %q: character %q at position %d is not a letter or digit", s, r, i+1)
		}
	}
	if len(iban) < 4 || iban[0] < 'A' || iban[0] > 'Z' || iban[1] < 'A' || iban[1] > 'Z' {
		return fmt.Errorf("iban %q: must start with a two-letter country code", s)
	}
	country := iban[:2]
	want, ok := ibanLengths[country]
	if !ok {
		return fmt.Errorf("iban %q: unknown country code %q", s, country)
	}
	if len(iban) != want {
		return fmt.Errorf("iban %q: %d characters, a %s IBAN has %d", s, len(iban), country, want)
	}
	if iban[2] < '0' || iban[2] > '9' || iban[3] < '0' || iban[3] > '9' {
		return fmt.Errorf("iban %q: check digits %q are not digits", s, iban[2:4])
	}
	var digits strings.Builder
	for _, r := range iban[4:] + iban[:4] {
		if r >= 'A' && r <= 'Z' {
			fmt.Fprintf(&digits, "%d", r-'A'+10)
		} else {
			digits.WriteRune(r)
		}
	}
	n, _ := new(big.Int).SetString(digits.String(), 10)
	if new(big.Int).Mod(n, big.NewInt(97)).Int64() != 1 {
		return fmt.Errorf("iban %q: check digits %s do not match (mistyped character?)", s, iban[2:4])
	}
	return nil
}
