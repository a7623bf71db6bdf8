// Command evalreplies measures the reply reader against labelled folders in
// the corpus format (raw .eml files and a labels.jsonl with file, kind,
// promised_date and redirect_to): for each folder and in all, kind
// accuracy, the best reading's accuracy, the share the bot acts on by
// itself and how often that is right, the dangerous errors, dates and
// redirects, the confusion matrix and every miss with the evidence the
// reader gave.
//
// Usage:
//
//	go run ./cmd/evalreplies [-own a@b,c@d] [-rules] [-q] DIR...
//
// List the held-out test folders first: they are the figures that count.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sollecito/sollecito/reply"
	"github.com/sollecito/sollecito/reply/corpuseval"
)

func main() {
	own := flag.String("own", "", "comma-separated addresses of the bot and the owner (never a redirect target)")
	quiet := flag.Bool("q", false, "print the summary only, not the matrix and each miss")
	rulesOnly := flag.Bool("rules", false, "score the rules alone, without the learned reader")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: evalreplies [-own a@b,c@d] [-rules] [-q] DIR...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	var ctx reply.Context
	for _, a := range strings.Split(*own, ",") {
		if a = strings.ToLower(strings.TrimSpace(a)); a != "" {
			ctx.Own = append(ctx.Own, a)
		}
	}
	var allCases []corpuseval.Case
	var allVerdicts []reply.Verdict
	for _, dir := range flag.Args() {
		cases, err := corpuseval.Load(dir)
		if err != nil {
			fmt.Fprintf(os.Stderr, "evalreplies: %s: %v\n", dir, err)
			os.Exit(1)
		}
		verdicts := make([]reply.Verdict, len(cases))
		for i, c := range cases {
			if c.Err != nil {
				continue
			}
			cc := corpuseval.Context(ctx, c) // the bot's own address, as in production
			if *rulesOnly {
				verdicts[i], _ = reply.Rules(c.Msg, cc)
			} else {
				verdicts[i] = reply.Classify(c.Msg, cc)
			}
		}
		s, misses := corpuseval.Score(cases, verdicts)
		fmt.Printf("%s: %s\n", dir, s.Line())
		if !*quiet {
			report(os.Stdout, s, misses)
		}
		allCases, allVerdicts = append(allCases, cases...), append(allVerdicts, verdicts...)
	}
	if flag.NArg() > 1 {
		s, _ := corpuseval.Score(allCases, allVerdicts)
		fmt.Printf("all: %s\n", s.Line())
	}
}

// report prints the per-kind accuracy, the confusion matrix (rows: label,
// columns: verdict) and the misses.
func report(w io.Writer, s corpuseval.Scores, misses []corpuseval.Miss) {
	fmt.Fprintf(w, "\n%-14s %6s %8s\n", "kind", "cases", "correct")
	for _, k := range reply.Kinds {
		n := 0
		for _, c := range s.Confusion[k] {
			n += c
		}
		if n > 0 {
			fmt.Fprintf(w, "%-14s %6d %8s\n", k, n, corpuseval.Pct(s.Confusion[k][k], n))
		}
	}
	fmt.Fprintf(w, "\nconfusion (rows: label, columns: verdict)\n%-14s", "")
	for _, k := range reply.Kinds {
		fmt.Fprintf(w, " %5.5s", k)
	}
	fmt.Fprintln(w)
	for _, row := range reply.Kinds {
		fmt.Fprintf(w, "%-14s", row)
		for _, col := range reply.Kinds {
			fmt.Fprintf(w, " %5d", s.Confusion[row][col])
		}
		fmt.Fprintln(w)
	}
	if len(misses) > 0 {
		fmt.Fprintln(w, "\nmisses:")
		for _, m := range misses {
			l, v := m.Case.Label, m.Verdict
			fmt.Fprintf(w, "%s: want %s %q %q, got %s %q %q\n    %s\n", l.File, l.Kind, l.PromisedDate, l.RedirectTo,
				v.Kind, date(v), v.RedirectTo, reply.Explain(v))
		}
	}
	fmt.Fprintln(w)
}

func date(v reply.Verdict) string {
	if v.PromisedDate.IsZero() {
		return ""
	}
	return v.PromisedDate.Format("2006-01-02")
}
