package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/sollecito/sollecito/policy/bank"
	"github.com/sollecito/sollecito/policy/ledger"
)

// cmdPayments is "payments import FILE..." (camt.053/054, MT940 or a CSV export: the
// credits recorded once, the certain matches marked paid) and "payments
// list" (every credit and what the bot made of it).
func cmdPayments(ctx context.Context, args []string, stdout io.Writer, getenv func(string) string) error {
	fs := newFlags("payments")
	cfgPath := fs.String("config", "", "configuration file")
	nowFlag := fs.String("now", "", "the time the import believes it is (RFC 3339 or YYYY-MM-DD)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 || pos[0] != "import" && pos[0] != "list" {
		return usageError{errors.New(`want "import FILE..." or "list"`)}
	}
	if pos[0] == "import" && len(pos) == 1 {
		return usageError{errors.New("import: no statement file given")}
	}
	a, err := openLedgerApp(ctx, *cfgPath, *nowFlag, getenv)
	if err != nil {
		return err
	}
	defer a.db.Close()
	// Read every file first: a file that is not a statement stops the
	// import before anything is recorded.
	type statement struct {
		name    string
		credits []bank.Credit
	}
	var sts []statement
	for _, name := range pos[1:] {
		data, err := readLimited(name, bank.MaxStatementSize)
		if err != nil {
			return err
		}
		cs, err := bank.ParseStatement(data, a.cfg.CSVColumns())
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		sts = append(sts, statement{name, cs})
	}
	if pos[0] == "list" {
		cs, err := a.eng.Credits(ctx)
		if err != nil {
			return err
		}
		return writeCredits(stdout, cs)
	}
	for _, st := range sts {
		r, err := a.eng.ImportCredits(ctx, st.name, st.credits)
		if err != nil {
			return fmt.Errorf("%s: %w", st.name, err)
		}
		fmt.Fprintf(stdout, "%s: %d credits, %d new: %d invoices paid, %d to confirm, %d matching no invoice\n",
			st.name, r.Read, r.New, r.Paid, r.Probable, r.None)
	}
	return nil
}

// readLimited reads a file of at most limit bytes; a bigger one is an
// error, not a truncated read.
func readLimited(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, limit)
	}
	return data, nil
}

func writeCredits(w io.Writer, cs []ledger.Credit) error {
	if len(cs) == 0 {
		_, err := fmt.Fprintln(w, "no credits imported yet: sollecito payments import FILE")
		return err
	}
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "VALUE DATE\tAMOUNT\tPAYER\tREMITTANCE\tMATCH\tWHY")
	for _, c := range cs {
		words, _, _ := strings.Cut(c.Remittance, "\n")
		fmt.Fprintf(tw, "%s\t%s %s\t%s\t%s\t%s\t%s\n", c.ValueDate.Format("2006-01-02"), c.Amount.StringFixed(2), c.Currency,
			clipText(c.Payer, 28), clipText(words, 40), c.Match, c.Why)
	}
	return tw.Flush()
}

func clipText(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
