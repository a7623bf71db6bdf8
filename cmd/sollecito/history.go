package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/config"
	"github.com/sollecito/sollecito/cmd/sollecito/internal/engine"
	"github.com/sollecito/sollecito/cmd/sollecito/internal/view"
	"github.com/sollecito/sollecito/templates"
)

// openLedgerApp opens the configuration and an existing ledger for a
// read-only command (status, history, export): no passwords needed, and a
// missing ledger is an error rather than a new empty file.
func openLedgerApp(ctx context.Context, cfgPath, nowFlag string, getenv func(string) string) (*app, error) {
	if cfg, err := config.Load(cfgPath, getenv, false); err == nil {
		if _, err := os.Stat(cfg.Store.Path); err != nil {
			return nil, fmt.Errorf("no ledger at %s (store.path): `sollecito run` creates it on its first pass", cfg.Store.Path)
		}
	}
	return openApp(ctx, cfgPath, nowFlag, getenv, false, newLogger(io.Discard, slog.LevelError))
}

// readStatus reads every invoice's status row (engine.Status) from an
// existing ledger, for status and export, and closes the ledger; the app's
// configuration stays usable.
func readStatus(ctx context.Context, cfgPath, nowFlag string, getenv func(string) string) (*app, []view.StatusRow, error) {
	a, err := openLedgerApp(ctx, cfgPath, nowFlag, getenv)
	if err != nil {
		return nil, nil, err
	}
	defer a.db.Close()
	rows, err := a.eng.Status(ctx)
	return a, rows, err
}

// parseInterspersed parses flags before and after the positional arguments
// (`history 2026/12 --config f` as well as `history --config f 2026/12`).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func cmdHistory(ctx context.Context, args []string, stdout io.Writer, getenv func(string) string) error {
	fs := newFlags("history")
	cfgPath := fs.String("config", "", "configuration file")
	nowFlag := fs.String("now", "", "the time to compute days overdue and the next step at")
	id := fs.Int64("id", 0, "the invoice's ledger id, when its number is ambiguous")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 || (len(pos) == 0 && *id == 0) {
		return usageError{errors.New("want one invoice number: sollecito history --config FILE INVOICE")}
	}
	a, err := openLedgerApp(ctx, *cfgPath, *nowFlag, getenv)
	if err != nil {
		return err
	}
	defer a.db.Close()
	if *id == 0 {
		rows, err := a.eng.Find(ctx, pos[0])
		if err != nil {
			return err
		}
		switch len(rows) {
		case 0:
			return fmt.Errorf("no invoice numbered %q in the ledger (`sollecito status` lists them)", pos[0])
		case 1:
			*id = rows[0].ID
		default:
			var b strings.Builder
			fmt.Fprintf(&b, "invoice number %q is ambiguous: %d invoices have it; choose one with --id:", pos[0], len(rows))
			for _, r := range rows {
				fmt.Fprintf(&b, "\n  --id %d  %s  %s  due %s  %s", r.ID, r.ClientText(), r.AmountText(), dateString(r.DueDate), r.StateText())
			}
			return errors.New(b.String())
		}
	}
	h, err := a.eng.History(ctx, *id)
	if errors.Is(err, engine.ErrNoInvoice) {
		return fmt.Errorf("no invoice with id %d in the ledger", *id)
	} else if err != nil {
		return err
	}
	return writeHistory(stdout, h)
}

// historyWords are the labels of `sollecito history` per language.
var historyWords = map[string]map[string]string{
	"it": {"invoice": "Fattura", "amount": "importo", "outstanding": "da incassare", "issued": "emessa il", "due": "scadenza",
		"overdue": "giorni di ritardo", "state": "Stato", "stage": "fase", "next": "prossimo passo", "contacts": "Contatti",
		"notes": "Note", "from": "mittente", "to": "destinatario", "reading": "lettura", "why": "perché", "promised": "promessa per il",
		"claim": "Richiesto con interessi e risarcimento"},
	"en": {"invoice": "Invoice", "amount": "amount", "outstanding": "outstanding", "issued": "issued", "due": "due",
		"overdue": "days overdue", "state": "State", "stage": "stage", "next": "next step", "contacts": "Contacts",
		"notes": "Notes", "from": "from", "to": "to", "reading": "reading", "why": "why", "promised": "promised for",
		"claim": "Claimed with interest and compensation"},
}

// writeHistory prints an invoice's story in the owner's language: where it
// stands, then every message and event, oldest first.
func writeHistory(w io.Writer, h view.History) error {
	r := h.Invoice
	lang := "en"
	if r.Lang == "it" {
		lang = "it"
	}
	ww := historyWords[lang]
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s · %s", ww["invoice"], orDashStr(r.Number), orDashStr(r.ClientText()))
	if r.ClientVAT != "" {
		fmt.Fprintf(&b, " · %s", templates.TaxID(lang, r.ClientVAT))
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "%s %s · %s %s", ww["amount"], r.AmountText(), ww["outstanding"], r.OutstandingText())
	if !r.IssueDate.IsZero() {
		fmt.Fprintf(&b, " · %s", templates.Prep(ww["issued"], templates.Date(lang, r.IssueDate)))
	}
	fmt.Fprintf(&b, " · %s %s", ww["due"], orDashStr(templates.Date(lang, r.DueDate)))
	if r.DaysOverdue > 0 {
		fmt.Fprintf(&b, " (%s: %d)", ww["overdue"], r.DaysOverdue)
	}
	fmt.Fprintf(&b, "\n%s: %s · %s %s", ww["state"], r.StateText(), ww["stage"], r.StageText())
	if next := r.NextText(); next != "" {
		// A closed case has no next step: the line ends with its state.
		fmt.Fprintf(&b, " · %s: %s", ww["next"], next)
		if when := r.WhenText(); when != "" {
			fmt.Fprintf(&b, ", %s", when)
		}
	}
	b.WriteString("\n")
	if c := r.ClaimText(); c != "" {
		fmt.Fprintf(&b, "%s: %s\n", ww["claim"], c)
	}
	if len(h.Contacts) > 0 {
		fmt.Fprintf(&b, "%s: %s\n", ww["contacts"], strings.Join(h.Contacts, ", "))
	}
	if len(r.Notes) > 0 {
		fmt.Fprintf(&b, "%s: %s\n", ww["notes"], strings.Join(r.Notes, " · "))
	}
	b.WriteString("\n")
	const indent = "                   "
	for _, e := range h.Entries {
		stamp := templates.Date(lang, e.At) + " " + e.At.Format("15:04")
		switch {
		case e.Received:
			fmt.Fprintf(&b, "%s  ← %s\n", stamp, templates.Headline(lang, e))
			fmt.Fprintf(&b, "%s%s %s: “%s”\n", indent, ww["from"], e.From, e.Subject)
		case e.Sent != "":
			fmt.Fprintf(&b, "%s  → %s\n", stamp, templates.Headline(lang, e))
			fmt.Fprintf(&b, "%s%s %s: “%s”\n", indent, ww["to"], e.To, e.Subject)
		default:
			fmt.Fprintf(&b, "%s  ● %s\n", stamp, templates.Headline(lang, e))
		}
		if e.Evidence != "" {
			fmt.Fprintf(&b, "%s%s: %s\n", indent, ww["reading"], e.Evidence)
		}
		if e.Reason != "" {
			fmt.Fprintf(&b, "%s%s: %s\n", indent, ww["why"], templates.Reason(lang, e))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func orDashStr(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
