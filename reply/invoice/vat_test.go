package invoice

import "testing"

// TestVAT: a Partita IVA's check digit (the Luhn-like sum of its first ten
// digits), other countries' numbers by their shape, and the forms people
// write them in.
func TestVAT(t *testing.T) {
	for _, tt := range []struct {
		in, norm string
		ok       bool
	}{
		{"01234567897", "01234567897", true},
		{"IT 012 345 678 97", "01234567897", true},
		{"it01234567897", "01234567897", true},
		{"01234567890", "01234567890", false}, // check digit wrong
		{"0123456789", "0123456789", false},   // ten digits
		{"DE123456789", "DE123456789", true},
		{"FR-12.345.678.901", "FR12345678901", true},
		{"X1", "X1", false},
		{"GB12345*789", "GB12345*789", false},
	} {
		n := NormalizeVAT(tt.in)
		if n != tt.norm {
			t.Errorf("NormalizeVAT(%q) = %q, want %q", tt.in, n, tt.norm)
		}
		if err := ValidVAT(n); (err == nil) != tt.ok {
			t.Errorf("ValidVAT(%q) = %v, want ok %v", n, err, tt.ok)
		}
	}
}
