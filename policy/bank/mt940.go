package bank

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"golang.org/x/text/encoding/charmap"
)

// ErrNotMT940 is the error of a file that is not a SWIFT MT940 statement.
var ErrNotMT940 = errors.New("not a SWIFT MT940 statement")

var (
	// mtTagRe opens a field: ":61:", ":28C:", ":60F:".
	mtTagRe = regexp.MustCompile(`^:(\d{2}[A-Z]?):`)
	// mt61Re is a statement line: value date YYMMDD, entry date MMDD, the
	// debit/credit mark (C, D, RC, RD), a funds code, the amount with a
	// decimal comma, the transaction type (N + 3), the account owner's
	// reference, "//" and the bank's reference.
	mt61Re = regexp.MustCompile(`^(\d{6})(\d{4})?(RC|RD|C|D)([A-Z])?(\d{1,12},\d{0,3})([NSF][A-Z0-9]{3})([^/\n]{0,16})(?://([^\n]{0,16}))?`)
)

type mtLine struct {
	credit                  bool
	value, entry            time.Time
	amount                  decimal.Decimal
	ccy, custRef, bankRef   string
	narrative, supplemental string
}

// ParseMT940 returns the credits of a SWIFT MT940 statement (one or more
// messages, with or without the SWIFT block wrapper), in order: debits and
// reversals are left out. The narrative of field 86 is the remittance; in
// its structured form ("?20"…"?29" the remittance, "?32"/"?33" the payer,
// "?31" the payer's account) its parts are read. A file that is not such a
// statement, or a malformed statement line, is an error naming the line.
func ParseMT940(data []byte) ([]Credit, error) {
	if len(data) > MaxStatementSize {
		return nil, fmt.Errorf("statement of %d bytes: larger than %d", len(data), MaxStatementSize)
	}
	if !bytes.Contains(data, []byte(":61:")) && !bytes.Contains(data, []byte(":20:")) {
		return nil, ErrNotMT940
	}
	text := string(data)
	if !isUTF8(data) {
		// Banks' MT940 files are Latin-1 when they are not ASCII.
		text, _ = charmap.ISO8859_1.NewDecoder().String(text)
	}
	var fields []mtField
	for i, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		l = strings.TrimRight(l, " \r")
		if m := mtTagRe.FindStringSubmatch(l); m != nil {
			fields = append(fields, mtField{m[1], l[len(m[0]):], i + 1})
			continue
		}
		if l == "" || l == "-" || strings.HasPrefix(l, "-}") || strings.HasPrefix(l, "{") {
			continue
		}
		if len(fields) > 0 {
			fields[len(fields)-1].value += "\n" + l
		}
	}
	if len(fields) == 0 || !hasTag(fields, "61") && !hasTag(fields, "20") {
		return nil, ErrNotMT940
	}
	ccy := ""
	var lines []mtLine
	for _, f := range fields {
		switch f.tag {
		case "20":
			ccy = ""
		case "60F", "60M":
			if len(f.value) >= 10 {
				ccy = strings.ToUpper(f.value[7:10])
			}
		case "61":
			l, err := parse61(f.value, ccy)
			if err != nil {
				return nil, fmt.Errorf("line %d: statement line %q: %w", f.line, firstLineOf(f.value), err)
			}
			lines = append(lines, l)
		case "86":
			if n := len(lines); n > 0 && lines[n-1].narrative == "" {
				lines[n-1].narrative = f.value
			}
		}
	}
	var out []Credit
	for _, l := range lines {
		if !l.credit {
			continue
		}
		if len(l.ccy) != 3 {
			return nil, fmt.Errorf("credit of %s on %s: no currency (field 60F missing)", l.amount.StringFixed(2), l.value.Format(time.DateOnly))
		}
		c := Credit{BookingDate: l.entry, ValueDate: l.value, Amount: l.amount, Currency: l.ccy}
		c.Remittance, c.Payer, c.PayerIBAN = narrative86(l.narrative)
		if l.supplemental != "" {
			c.Remittance = strings.TrimSpace(c.Remittance + "\n" + l.supplemental)
		}
		switch {
		case l.bankRef != "":
			c.Ref = "mt940:" + l.value.Format("20060102") + ":" + l.bankRef
		case l.custRef != "" && !strings.EqualFold(l.custRef, "NONREF"):
			c.Ref = "mt940:" + l.value.Format("20060102") + ":" + l.custRef + ":" + l.amount.StringFixed(2)
		}
		out = append(out, withRef(c))
		if len(out) > MaxCredits {
			return nil, fmt.Errorf("more than %d credits in one statement", MaxCredits)
		}
	}
	return out, nil
}

// mtField is one field of an MT940 message: its tag, its value (lines
// joined with "\n") and the line it starts on.
type mtField struct {
	tag, value string
	line       int
}

func hasTag(fs []mtField, tag string) bool {
	for _, f := range fs {
		if f.tag == tag {
			return true
		}
	}
	return false
}

func isUTF8(b []byte) bool { return utf8.Valid(b) }

func firstLineOf(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// parse61 reads a statement line (field 61) in the currency of its
// statement.
func parse61(v, ccy string) (mtLine, error) {
	m := mt61Re.FindStringSubmatch(v)
	if m == nil {
		return mtLine{}, errors.New("not value date, mark, amount and type")
	}
	value, err := time.Parse("060102", m[1])
	if err != nil {
		return mtLine{}, fmt.Errorf("value date %q", m[1])
	}
	entry := value
	if m[2] != "" {
		e, err := time.Parse("0102", m[2])
		if err != nil {
			return mtLine{}, fmt.Errorf("entry date %q", m[2])
		}
		// The entry date has no year: the one nearest the value date.
		entry = time.Date(value.Year(), e.Month(), e.Day(), 0, 0, 0, 0, time.UTC)
		if entry.Sub(value) > 180*24*time.Hour {
			entry = entry.AddDate(-1, 0, 0)
		} else if value.Sub(entry) > 180*24*time.Hour {
			entry = entry.AddDate(1, 0, 0)
		}
	}
	amount, err := decimal.NewFromString(strings.Replace(m[5], ",", ".", 1))
	if err != nil || !amount.IsPositive() {
		return mtLine{}, fmt.Errorf("amount %q", m[5])
	}
	l := mtLine{credit: m[3] == "C", value: value, entry: entry, amount: amount, ccy: ccy,
		custRef: strings.TrimSpace(m[7]), bankRef: strings.TrimSpace(m[8])}
	if _, rest, ok := strings.Cut(v, "\n"); ok {
		l.supplemental = strings.TrimSpace(rest)
	}
	return l, nil
}

// mt86SubRe finds the subfields of a structured narrative: "?20SALDO".
var mt86SubRe = regexp.MustCompile(`\?(\d{2})`)

// narrative86 reads field 86: in its structured form the remittance
// (?20–?29, ?60–?63), the payer (?32, ?33) and the payer's account (?31);
// otherwise the whole text is the remittance.
func narrative86(n string) (remittance, payer, iban string) {
	flat := strings.ReplaceAll(n, "\n", "")
	locs := mt86SubRe.FindAllStringSubmatchIndex(flat, -1)
	if len(locs) < 2 {
		return strings.TrimSpace(strings.ReplaceAll(n, "\n", " ")), "", ""
	}
	var rem, pay []string
	for i, l := range locs {
		end := len(flat)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		code, val := flat[l[2]:l[3]], strings.TrimSpace(flat[l[1]:end])
		switch {
		case code >= "20" && code <= "29", code >= "60" && code <= "63":
			rem = append(rem, val)
		case code == "32", code == "33":
			pay = append(pay, val)
		case code == "31":
			iban = strings.ToUpper(strings.ReplaceAll(val, " ", ""))
		}
	}
	return strings.TrimSpace(strings.Join(rem, "")), strings.TrimSpace(strings.Join(pay, "")), iban
}

// ErrNotStatement is the error of a file that is neither an ISO 20022
// camt.052/053/054 statement, a SWIFT MT940 one nor a CSV export with a
// date and an amount column.
var ErrNotStatement = errors.New("not a bank statement (ISO 20022 camt.053/054, SWIFT MT940 or a home-banking CSV export)")

// ParseStatement reads a bank statement in any format it knows, telling
// them apart by their first bytes: XML is camt, a field tag or a SWIFT
// block is MT940, anything else is read as a CSV export with columns.
func ParseStatement(data []byte, columns CSVColumns) ([]Credit, error) {
	head := bytes.TrimLeft(data, " \t\r\n\ufeff")
	switch {
	case bytes.HasPrefix(head, []byte("<")):
		cs, err := ParseCAMT(data)
		if errors.Is(err, ErrNotCAMT) {
			return nil, fmt.Errorf("%w: %v", ErrNotStatement, err)
		}
		return cs, err
	case bytes.HasPrefix(head, []byte(":")), bytes.HasPrefix(head, []byte("{1:")):
		cs, err := ParseMT940(data)
		if errors.Is(err, ErrNotMT940) {
			return nil, fmt.Errorf("%w: %v", ErrNotStatement, err)
		}
		return cs, err
	}
	return ParseCSV(data, columns)
}
