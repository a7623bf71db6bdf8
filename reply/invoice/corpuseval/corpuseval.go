// Package corpuseval scores invoice.Extract against a labelled folder in the
// corpus format (raw .eml files and a labels.jsonl, see corpus/SPEC.md).
package corpuseval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/reply/invoice"
)

// Label is one line of labels.jsonl. Empty strings mean "not in the mail".
type Label struct {
	File        string `json:"file"`
	Number      string `json:"number"`
	IssueDate   string `json:"issue_date"`
	DueDate     string `json:"due_date"`
	Amount      string `json:"amount"`
	Currency    string `json:"currency"`
	ClientEmail string `json:"client_email"`
	Lang        string `json:"lang"`
}

// Fields are the compared fields, in report order.
var Fields = []string{"number", "issue_date", "due_date", "amount", "currency", "client_email"}

// LoadLabels reads dir/labels.jsonl.
func LoadLabels(dir string) ([]Label, error) {
	data, err := os.ReadFile(filepath.Join(dir, "labels.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("load labels: %w", err)
	}
	var out []Label
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var l Label
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			return nil, fmt.Errorf("labels.jsonl line %d: %w", n, err)
		}
		out = append(out, l)
	}
	return out, sc.Err()
}

// OwnAddresses are the addresses that are not the client's in a corpus mail:
// the sender, Cc and Bcc (where the bot and the owner's colleagues stand), and
// the delivery headers of a Bcc copy.
func OwnAddresses(m *mailbox.Message) []string {
	var own []string
	for _, list := range [][]mailbox.Address{m.From, m.Cc, m.Bcc} {
		for _, a := range list {
			own = append(own, a.Email)
		}
	}
	for _, h := range []string{"Delivered-To", "X-Original-To", "Envelope-To"} {
		for _, v := range m.Header[h] {
			own = append(own, strings.ToLower(strings.Trim(strings.TrimSpace(v), "<>")))
		}
	}
	return own
}

// Got renders extracted fields as label strings.
func Got(f invoice.Fields) map[string]string {
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	g := map[string]string{
		"number":     f.Number,
		"issue_date": date(f.IssueDate),
		"due_date":   date(f.DueDate),
		"currency":   f.Currency,
	}
	if f.HasAmount {
		g["amount"] = f.Amount.StringFixed(2)
	} else {
		g["amount"] = ""
	}
	if len(f.ClientEmails) > 0 {
		g["client_email"] = f.ClientEmails[0]
	} else {
		g["client_email"] = ""
	}
	return g
}

// Want renders a label as the same map as Got.
func Want(l Label) map[string]string {
	return map[string]string{
		"number": l.Number, "issue_date": l.IssueDate, "due_date": l.DueDate,
		"amount": l.Amount, "currency": l.Currency, "client_email": l.ClientEmail,
	}
}

// Case is the outcome of one file.
type Case struct {
	File      string
	Got, Want map[string]string
	Fields    invoice.Fields
	Err       error
}

// Score counts, for one field, how the cases came out.
type Score struct {
	Exact    int // got what the label says (including both empty)
	Wrong    int // got a value that differs from a non-empty label
	Missing  int // got nothing where the label has a value
	Spurious int // got a value where the label is empty
}

// Total is the number of cases counted.
func (s Score) Total() int { return s.Exact + s.Wrong + s.Missing + s.Spurious }

// Report is the result over a folder.
type Report struct {
	Cases  []Case
	Scores map[string]*Score
}

// Run extracts every labelled file of dir and compares it with its label.
func Run(dir string) (*Report, error) {
	labels, err := LoadLabels(dir)
	if err != nil {
		return nil, err
	}
	rep := &Report{Scores: map[string]*Score{}}
	for _, f := range Fields {
		rep.Scores[f] = &Score{}
	}
	for _, l := range labels {
		c := Case{File: l.File, Want: Want(l)}
		raw, err := os.ReadFile(filepath.Join(dir, l.File))
		if err == nil {
			var m *mailbox.Message
			m, err = mailbox.Parse(raw)
			if m != nil {
				c.Fields = invoice.Extract(m, invoice.Options{Own: OwnAddresses(m)})
				err = nil
			}
		}
		c.Err = err
		c.Got = Got(c.Fields)
		for _, f := range Fields {
			s := rep.Scores[f]
			g, w := c.Got[f], c.Want[f]
			switch {
			case g == w:
				s.Exact++
			case g == "":
				s.Missing++
			case w == "":
				s.Spurious++
			default:
				s.Wrong++
			}
		}
		rep.Cases = append(rep.Cases, c)
	}
	sort.Slice(rep.Cases, func(i, j int) bool { return rep.Cases[i].File < rep.Cases[j].File })
	return rep, nil
}

// Print writes the per-field table and every case that differs.
func (r *Report) Print(w *strings.Builder) {
	fmt.Fprintf(w, "%-13s %7s %6s %6s %8s %9s\n", "field", "exact", "wrong", "missing", "spurious", "accuracy")
	for _, f := range Fields {
		s := r.Scores[f]
		fmt.Fprintf(w, "%-13s %7d %6d %7d %8d %8.1f%%\n", f, s.Exact, s.Wrong, s.Missing, s.Spurious,
			100*float64(s.Exact)/float64(max(s.Total(), 1)))
	}
	for _, c := range r.Cases {
		if c.Err != nil {
			fmt.Fprintf(w, "%s: error: %v\n", c.File, c.Err)
		}
		for _, f := range Fields {
			if c.Got[f] != c.Want[f] {
				kind := "wrong"
				if c.Got[f] == "" {
					kind = "missing"
				} else if c.Want[f] == "" {
					kind = "spurious"
				}
				fmt.Fprintf(w, "%s %s %s: got %q, want %q\n", c.File, f, kind, c.Got[f], c.Want[f])
			}
		}
	}
}
