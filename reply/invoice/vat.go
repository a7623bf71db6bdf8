package invoice

import (
	"fmt"
	"strings"
)

// NormalizeVAT returns a VAT number without spaces, dots or dashes, in upper
// case, and without the "IT" prefix of an Italian one (the notice writes
// "P.IVA 01234567897").
func NormalizeVAT(v string) string {
	v = strings.ToUpper(strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, v))
	if rest, ok := strings.CutPrefix(v, "IT"); ok {
		return rest
	}
	return v
}

// ValidVAT checks a VAT number as NormalizeVAT leaves it: an Italian Partita
// IVA (11 digits whose last is the check digit of the other ten), or
// another country's, a two-letter prefix and 2 to 13 letters or digits.
func ValidVAT(v string) error {
	isDigit := func(r byte) bool { return r >= '0' && r <= '9' }
	if len(v) > 0 && isDigit(v[0]) {
		if len(v) != 11 || strings.Trim(v, "0123456789") != "" {
			return fmt.Errorf("%q is not a Partita IVA: it has 11 digits", v)
		}
		sum := 0
		for i := range 10 {
			d := int(v[i] - '0')
			if i%2 == 1 {
				if d *= 2; d > 9 {
					d -= 9
				}
			}
			sum += d
		}
		if want := (10 - sum%10) % 10; int(v[10]-'0') != want {
			return fmt.Errorf("%q is not a valid Partita IVA: its check digit is wrong", v)
		}
		return nil
	}
	if len(v) < 4 || len(v) > 15 || v[0] < 'A' || v[0] > 'Z' || v[1] < 'A' || v[1] > 'Z' {
		return fmt.Errorf("%q is not a VAT number", v)
	}
	for i := 2; i < len(v); i++ {
		if !isDigit(v[i]) && (v[i] < 'A' || v[i] > 'Z') {
			return fmt.Errorf("%q is not a VAT number", v)
		}
	}
	return nil
}
