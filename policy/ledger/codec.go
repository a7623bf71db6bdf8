package ledger

import (
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// How values are written to and read from columns. Every table uses these,
// so each kind of value has one representation in the file.

const (
	dateLayout    = "2006-01-02"
	instantLayout = "2006-01-02T15:04:05.000Z07:00" // always in UTC, so it ends in Z
)

// dateValue stores a calendar date as 'YYYY-MM-DD' (the date as written in
// t's own location), NULL when t is zero.
func dateValue(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(dateLayout)
}

// instantValue stores an instant as RFC 3339 UTC with milliseconds, NULL when t is zero.
func instantValue(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(instantLayout)
}

// decimalValue stores money with two decimals.
func decimalValue(d decimal.Decimal) any { return d.StringFixed(2) }

// dateScan reads a date column into a time at 00:00 UTC (zero for NULL).
type dateScan struct{ t *time.Time }

func (s dateScan) Scan(src any) error {
	v, ok, err := text(src)
	if err != nil || !ok {
		*s.t = time.Time{}
		return err
	}
	t, err := time.Parse(dateLayout, v)
	if err != nil {
		return fmt.Errorf("date %q: %w", v, err)
	}
	*s.t = t
	return nil
}

// instantScan reads an instant column into a UTC time (zero for NULL).
type instantScan struct{ t *time.Time }

func (s instantScan) Scan(src any) error {
	v, ok, err := text(src)
	if err != nil || !ok {
		*s.t = time.Time{}
		return err
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return fmt.Errorf("instant %q: %w", v, err)
	}
	*s.t = t.UTC()
	return nil
}

// decimalScan reads a money column.
type decimalScan struct{ d *decimal.Decimal }

func (s decimalScan) Scan(src any) error {
	v, ok, err := text(src)
	if err != nil || !ok {
		*s.d = decimal.Decimal{}
		return err
	}
	d, err := decimal.NewFromString(v)
	if err != nil {
		return fmt.Errorf("amount %q: %w", v, err)
	}
	*s.d = d
	return nil
}

// text returns a TEXT (or BLOB) column's value; ok is false for NULL.
func text(src any) (string, bool, error) {
	switch v := src.(type) {
	case nil:
		return "", false, nil
	case string:
		return v, true, nil
	case []byte:
		return string(v), true, nil
	}
	return "", false, fmt.Errorf("want text, got %T", src)
}

var (
	_ sql.Scanner = dateScan{}
	_ sql.Scanner = instantScan{}
	_ sql.Scanner = decimalScan{}
)

// normalizeID returns a Message-ID without surrounding space and angle brackets.
func normalizeID(id string) string {
	id = strings.TrimSpace(id)
	id = strings.TrimPrefix(id, "<")
	id = strings.TrimSuffix(id, ">")
	return strings.TrimSpace(id)
}

// normalizeAddr returns an address as stored for matching: trimmed, lower-case.
func normalizeAddr(addr string) string {
	return strings.ToLower(strings.TrimSpace(addr))
}

// addrList normalizes a list of bare addresses for storage: trimmed,
// lower-case, without empties or duplicates. It returns them joined by ", "
// and as a slice. An address with a comma or a line break inside is an error.
func addrList(addrs []string) (string, []string, error) {
	var out []string
	seen := map[string]bool{}
	for _, a := range addrs {
		a = normalizeAddr(a)
		if strings.ContainsAny(a, ",\r\n") {
			return "", nil, fmt.Errorf("address %q: want one bare address", a)
		}
		if a == "" || seen[a] {
			continue
		}
		seen[a] = true
		out = append(out, a)
	}
	return strings.Join(out, ", "), out, nil
}

// splitAddrs reads a list of addresses separated by commas (or line breaks),
// as addrList stores it and as a To field is written; it never fails.
func splitAddrs(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' }) {
		a = normalizeAddr(a)
		if a == "" || seen[a] {
			continue
		}
		seen[a] = true
		out = append(out, a)
	}
	return out
}

// boolInt stores a bool as 0 or 1.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
