package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/view"
)

// exportHeader names the CSV columns per language (the owner's).
var exportHeader = map[string][]string{
	"it": {"numero", "cliente", "nome cliente", "partita IVA o codice fiscale", "data emissione", "scadenza", "importo", "valuta", "da incassare", "richiesto con interessi", "tasso provvisorio", "stato", "fase",
		"giorni di ritardo", "anzianità", "ultimo sollecito", "data promessa", "prossimo passo", "data prossimo passo", "note", "data pagamento", "riferimento pagamento"},
	"en": {"number", "client", "client name", "VAT number or tax code", "issue date", "due date", "amount", "currency", "outstanding", "claimed with interest", "provisional rate", "state", "stage",
		"days overdue", "aging", "last reminder", "promised date", "next step", "next step date", "notes", "payment date", "payment reference"},
}

func cmdExport(ctx context.Context, args []string, stdout io.Writer, getenv func(string) string) error {
	fs := newFlags("export")
	cfgPath := fs.String("config", "", "configuration file")
	nowFlag := fs.String("now", "", "the time to compute days overdue at")
	_ = fs.Bool("csv", true, "write CSV (RFC 4180): the only format, and the default")
	out := fs.String("out", "", "write to this file instead of standard output")
	sep := fs.String("sep", ",", `field separator: "," (decimal point) or ";" (Italian Excel: decimal comma and a UTF-8 byte-order mark)`)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *sep != "," && *sep != ";" {
		return usageError{fmt.Errorf(`--sep %q: want "," or ";"`, *sep)}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	a, rows, err := readStatus(ctx, *cfgPath, *nowFlag, getenv)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := writeCSV(&b, rows, a.cfg.Owner.Language, rune((*sep)[0]), a.cfg.Settings.Location); err != nil {
		return err
	}
	if *out == "" {
		_, err := stdout.Write(b.Bytes())
		return err
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	return nil
}

// writeCSV writes one row per invoice. With sep ',' amounts use a decimal
// point; with ';' (what Italian Excel expects) a decimal comma, and the file
// starts with a UTF-8 byte-order mark so that Excel reads "€" and accents.
// Dates are YYYY-MM-DD; amounts have two decimals and no grouping.
func writeCSV(w io.Writer, rows []view.StatusRow, lang string, sep rune, loc *time.Location) error {
	if lang != "it" {
		lang = "en"
	}
	if sep == ';' {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
	}
	amount := func(d decimal.Decimal) string {
		s := d.StringFixed(2)
		if sep == ';' {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	}
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02")
	}
	cw := csv.NewWriter(w)
	cw.Comma = sep
	cw.UseCRLF = true // RFC 4180
	if err := cw.Write(exportHeader[lang]); err != nil {
		return err
	}
	for _, r := range rows {
		overdue, stage, next := "", "", ""
		if r.DaysOverdue > 0 {
			overdue = strconv.Itoa(r.DaysOverdue)
		}
		if r.Stage > 0 {
			stage = strconv.Itoa(r.Stage)
		}
		if !r.NextAt.IsZero() {
			next = r.NextAt.In(loc).Format("2006-01-02 15:04")
		}
		claimed, provisional := "", ""
		if r.Claim != nil {
			claimed = amount(r.Claim.Total)
			if r.Claim.Provisional {
				// A half-year's rate is missing from the table: the
				// figure is not one to put in a settlement as it is.
				provisional = map[string]string{"it": "sì", "en": "yes"}[lang]
			}
		}
		last := ""
		if !r.LastReminder.IsZero() {
			last = day(r.LastReminder.In(loc))
		}
		if err := cw.Write([]string{
			r.Number, r.Client, r.ClientName, r.ClientVAT, day(r.IssueDate), day(r.DueDate), amount(r.Amount), r.Currency, amount(r.Outstanding), claimed, provisional,
			r.StateText(), stage, overdue, r.AgingText(), last, day(r.PromisedDate), r.NextText(), next, strings.Join(r.Notes, " · "),
			day(r.PaidOn), r.PaidRef,
		}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
