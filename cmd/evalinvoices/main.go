// Command evalinvoices scores the invoice field extractor over folders in
// the corpus format: raw .eml files and a labels.jsonl (see corpus/SPEC.md).
// For each folder it prints one line: the accuracy of every field and the
// confidently wrong amounts and due dates (a value that differs from the
// label, or one where the label has none), then, for one folder or with -v,
// per field how many cases were exact, wrong, missing and spurious and every
// case that differs (with -v the extractor's notes). With -names it lists
// the client name (and VAT number) read from every case, which the corpus
// does not label: they are for reading by eye. List the held-out test
// folders first.
//
//	go run ./cmd/evalinvoices [-v] [-names] DIR...
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/sollecito/sollecito/reply/invoice/corpuseval"
)

func main() {
	verbose := flag.Bool("v", false, "print the extractor's notes for every case that differs")
	names := flag.Bool("names", false, "list the client name and VAT number read from every case (not labelled in the corpus)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: evalinvoices [-v] [-names] DIR...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	var b strings.Builder
	for _, dir := range flag.Args() {
		rep, err := corpuseval.Run(dir)
		if err != nil {
			fmt.Fprintf(os.Stderr, "evalinvoices: %s: %v\n", dir, err)
			os.Exit(1)
		}
		fmt.Fprintf(&b, "%s: %s\n", dir, summary(rep))
		if flag.NArg() == 1 || *verbose {
			rep.Print(&b)
		}
		if *verbose {
			for _, c := range rep.Cases {
				differs := false
				for _, f := range corpuseval.Fields {
					differs = differs || c.Got[f] != c.Want[f]
				}
				if differs {
					for _, n := range c.Fields.Notes {
						fmt.Fprintf(&b, "%s note: %s\n", c.File, n)
					}
				}
			}
		}
		if *names {
			for _, c := range rep.Cases {
				fmt.Fprintf(&b, "%s\t%s\t%s\t%s\n", c.File, c.Got["client_email"], orDash(c.Fields.ClientName), orDash(c.Fields.ClientVAT))
			}
		}
	}
	fmt.Print(b.String())
}

// summary is one line: each field's accuracy and the confidently wrong
// amounts and due dates.
func summary(rep *corpuseval.Report) string {
	var parts []string
	for _, f := range corpuseval.Fields {
		s := rep.Scores[f]
		parts = append(parts, fmt.Sprintf("%s %.1f%%", f, 100*float64(s.Exact)/float64(max(s.Total(), 1))))
	}
	a, d := rep.Scores["amount"], rep.Scores["due_date"]
	return fmt.Sprintf("%d cases · %s · confidently wrong: amount %d, due_date %d", len(rep.Cases), strings.Join(parts, " · "), a.Wrong+a.Spurious, d.Wrong+d.Spurious)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
