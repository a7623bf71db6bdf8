// Command evalinvoices scores the invoice field extractor over a folder in
// the corpus format: raw .eml files and a labels.jsonl (see corpus/SPEC.md).
// It prints, per field, how many cases were exact, wrong (a value that
// differs from the label), missing and spurious, then every case that
// differs, with the extractor's notes when -v is given.
//
//	go run ./cmd/evalinvoices [-v] DIR
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
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: evalinvoices [-v] DIR")
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
	fmt.Print(b.String())
}
