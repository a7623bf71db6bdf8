// Command evalinvoices scores the invoice field extractor over a folder in
// the corpus format: raw .eml files and a labels.jsonl (see corpus/SPEC.md).
// It prints, per field, how many cases were exact, wrong (a value that
// differs from the label), missing and spurious, then every case that
// differs, with the extractor's notes when -v is given. With -names it lists
// the client name (and VAT number) read from every case, which the corpus
// does not label: they are for reading by eye.
//
//	go run ./cmd/evalinvoices [-v] [-names] DIR
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
		fmt.Fprintln(os.Stderr, "usage: evalinvoices [-v] [-names] DIR")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	rep, err := corpuseval.Run(flag.Arg(0))
	if err != nil {
		fmt.Fprintf(os.Stderr, "evalinvoices: %v\n", err)
		os.Exit(1)
	}
	var b strings.Builder
	rep.Print(&b)
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
	fmt.Print(b.String())
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
