// Command evalnotices scores bank.ReadNotice on folders of labelled
// payment notices (policy/bank/testdata/notices/…: raw .eml files and a
// labels.jsonl), field by field, and counts the notices read as money that
// arrived when none did: those could mark an invoice paid.
//
//	go run ./cmd/evalnotices policy/bank/testdata/notices/test/*/
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/mailbox/message"
	"github.com/sollecito/sollecito/policy/bank"
)

type label struct {
	File          string `json:"file"`
	Credit        bool   `json:"credit"`
	Amount        string `json:"amount"`
	Currency      string `json:"currency"`
	Payer         string `json:"payer"`
	Reference     string `json:"reference"`
	TransactionID string `json:"transaction_id"`
	Date          string `json:"date"`
}

func main() {
	quiet := flag.Bool("q", false, "print only the figures")
	flag.Parse()
	var total, kindOK, falseCredit, missedCredit, credits, amountOK, payerOK, refOK, dateOK, txOK, txWant int
	for _, dir := range flag.Args() {
		labels, err := readLabels(filepath.Join(dir, "labels.jsonl"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for _, l := range labels {
			raw, err := os.ReadFile(filepath.Join(dir, l.File))
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			m, _ := message.Parse(raw)
			if m == nil {
				m = &message.Message{}
			}
			c, ok, why := bank.ReadNotice(m.Subject, m.Body(), m.Date)
			total++
			switch {
			case ok == l.Credit:
				kindOK++
			case ok:
				falseCredit++
				if !*quiet {
					fmt.Printf("%s: FALSE CREDIT %s %s (%s)\n", l.File, c.Amount, c.Currency, why)
				}
			default:
				missedCredit++
				if !*quiet {
					fmt.Printf("%s: missed credit %s: %s\n", l.File, l.Amount, why)
				}
			}
			if !l.Credit || !ok {
				continue
			}
			credits++
			want, _ := decimal.NewFromString(l.Amount)
			if c.Amount.Equal(want) && (l.Currency == "" || c.Currency == l.Currency) {
				amountOK++
			} else if !*quiet {
				fmt.Printf("%s: amount %s %s, want %s %s\n", l.File, c.Amount, c.Currency, l.Amount, l.Currency)
			}
			if same(c.Payer, l.Payer) {
				payerOK++
			} else if !*quiet {
				fmt.Printf("%s: payer %q, want %q\n", l.File, c.Payer, l.Payer)
			}
			if l.Reference == "" && !strings.Contains(c.Remittance, "\n") || l.Reference != "" && strings.Contains(strings.ToLower(c.Remittance), strings.ToLower(l.Reference)) {
				refOK++
			} else if !*quiet {
				fmt.Printf("%s: reference %q, want %q\n", l.File, c.Remittance, l.Reference)
			}
			if c.ValueDate.Format("2006-01-02") == l.Date {
				dateOK++
			} else if !*quiet {
				fmt.Printf("%s: date %s, want %s\n", l.File, c.ValueDate.Format("2006-01-02"), l.Date)
			}
			if l.TransactionID != "" {
				txWant++
				if strings.EqualFold(strings.TrimPrefix(c.Ref, "notice:"), l.TransactionID) {
					txOK++
				} else if !*quiet {
					fmt.Printf("%s: transaction id %q, want %q\n", l.File, c.Ref, l.TransactionID)
				}
			}
		}
	}
	pct := func(a, b int) string {
		if b == 0 {
			return "-"
		}
		return fmt.Sprintf("%.1f%% (%d/%d)", 100*float64(a)/float64(b), a, b)
	}
	fmt.Printf("notices %d · credit or not %s · FALSE CREDITS %d · missed credits %d · of credits read: amount %s, payer %s, reference %s, date %s, transaction id %s\n",
		total, pct(kindOK, total), falseCredit, missedCredit, pct(amountOK, credits), pct(payerOK, credits), pct(refOK, credits), pct(dateOK, credits), pct(txOK, txWant))
}

// same compares names as people write them: case and spacing aside.
func same(a, b string) bool {
	norm := func(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }
	return norm(a) == norm(b)
}

func readLabels(path string) ([]label, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []label
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var l label
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		out = append(out, l)
	}
	return out, sc.Err()
}
