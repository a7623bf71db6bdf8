// Command evalreplies measures the reply classifier against a labelled
// folder in the corpus format (raw .eml files and a labels.jsonl with
// file, kind, promised_date and redirect_to): accuracy per kind, the
// confusion matrix, promised_date and redirect_to accuracy, and every
// miss with the evidence the classifier gave.
//
// Usage:
//
//	go run ./cmd/evalreplies [-own a@b,c@d] [-q] DIR
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/reply"
)

// label is one line of labels.jsonl.
type label struct {
	File         string     `json:"file"`
	Kind         reply.Kind `json:"kind"`
	PromisedDate string     `json:"promised_date"`
	RedirectTo   string     `json:"redirect_to"`
}

// result is the outcome of one case.
type result struct {
	label   label
	verdict reply.Verdict
	err     error
}

func main() {
	own := flag.String("own", "", "comma-separated addresses of the bot and the owner (never a redirect target)")
	quiet := flag.Bool("q", false, "print the summary only, not each miss")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: evalreplies [-own a@b,c@d] [-q] DIR\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	var ctx reply.Context
	for _, a := range strings.Split(*own, ",") {
		if a = strings.ToLower(strings.TrimSpace(a)); a != "" {
			ctx.Own = append(ctx.Own, a)
		}
	}
	results, err := run(flag.Arg(0), ctx)
	if err != nil {
		fmt.Fprintf(os.Stderr, "evalreplies: %v\n", err)
		os.Exit(1)
	}
	report(os.Stdout, results, !*quiet)
}

// run classifies every labelled file of dir.
func run(dir string, ctx reply.Context) ([]result, error) {
	f, err := os.Open(filepath.Join(dir, "labels.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("open labels: %w", err)
	}
	defer f.Close()
	var out []result
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var l label
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("labels.jsonl line %d: %w", n, err)
		}
		r := result{label: l}
		raw, err := os.ReadFile(filepath.Join(dir, l.File))
		if err != nil {
			r.err = err
			out = append(out, r)
			continue
		}
		m, err := mailbox.Parse(raw)
		if m == nil {
			r.err = fmt.Errorf("parse %s: %w", l.File, err)
			out = append(out, r)
			continue
		}
		r.verdict = reply.Classify(m, ctx)
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read labels: %w", err)
	}
	return out, nil
}

func dateOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// report prints the per-kind accuracy, the confusion matrix (rows: label,
// columns: verdict), the date and redirect accuracy, and the misses.
func report(w io.Writer, results []result, misses bool) {
	kinds := reply.Kinds
	confusion := map[reply.Kind]map[reply.Kind]int{}
	total, correct := 0, 0
	dateN, dateOK, redirN, redirOK, unsafe := 0, 0, 0, 0, 0
	clientFacing := map[reply.Kind]bool{reply.Promise: true, reply.NotReceived: true, reply.Redirect: true}
	neverToClient := map[reply.Kind]bool{reply.PaymentProof: true, reply.Dispute: true, reply.AutoReply: true, reply.Bounce: true}
	var missLines []string
	for _, r := range results {
		if r.err != nil {
			missLines = append(missLines, fmt.Sprintf("%s: error: %v", r.label.File, r.err))
			continue
		}
		l, v := r.label, r.verdict
		total++
		if confusion[l.Kind] == nil {
			confusion[l.Kind] = map[reply.Kind]int{}
		}
		confusion[l.Kind][v.Kind]++
		ok := v.Kind == l.Kind
		if ok {
			correct++
		}
		if neverToClient[l.Kind] && clientFacing[v.Kind] {
			unsafe++
		}
		if l.PromisedDate != "" || (l.Kind == reply.Promise && v.Kind == reply.Promise) {
			dateN++
			if dateOf(v.PromisedDate) == l.PromisedDate {
				dateOK++
			} else {
				ok = false
			}
		}
		if l.Kind == reply.Redirect {
			redirN++
			if v.RedirectTo == l.RedirectTo {
				redirOK++
			} else {
				ok = false
			}
		}
		if !ok {
			missLines = append(missLines, fmt.Sprintf("%s: want %s %q %q, got %s %q %q\n    %s",
				l.File, l.Kind, l.PromisedDate, l.RedirectTo, v.Kind, dateOf(v.PromisedDate), v.RedirectTo, reply.Explain(v)))
		}
	}
	fmt.Fprintf(w, "kind accuracy: %s\n\n", pct(correct, total))
	fmt.Fprintf(w, "%-14s %6s %8s\n", "kind", "cases", "correct")
	for _, k := range kinds {
		n := 0
		for _, c := range confusion[k] {
			n += c
		}
		if n > 0 {
			fmt.Fprintf(w, "%-14s %6d %8s\n", k, n, pct(confusion[k][k], n))
		}
	}
	fmt.Fprintf(w, "\nconfusion (rows: label, columns: verdict)\n%-14s", "")
	for _, k := range kinds {
		fmt.Fprintf(w, " %5.5s", k)
	}
	fmt.Fprintln(w)
	for _, row := range kinds {
		fmt.Fprintf(w, "%-14s", row)
		for _, col := range kinds {
			fmt.Fprintf(w, " %5d", confusion[row][col])
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\npromised_date exact: %s\n", pct(dateOK, dateN))
	fmt.Fprintf(w, "redirect_to exact:   %s\n", pct(redirOK, redirN))
	fmt.Fprintf(w, "proof/dispute/autoreply/bounce read as a client-facing kind: %d\n", unsafe)
	if misses && len(missLines) > 0 {
		fmt.Fprintf(w, "\nmisses:\n%s\n", strings.Join(missLines, "\n"))
	}
}

func pct(n, d int) string {
	if d == 0 {
		return "n/a (0 cases)"
	}
	return fmt.Sprintf("%.1f%% (%d/%d)", 100*float64(n)/float64(d), n, d)
}
