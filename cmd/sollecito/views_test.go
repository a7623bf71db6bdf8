package main

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/ledger"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// demoViewsEnd is the --now of the views over the demo ledger: its last day.
const demoViewsEnd = "2027-01-15"

var demoLedgerOnce struct {
	sync.Once
	dir string
	err error
}

// demoLedger runs the demo once for the package's tests and returns the
// path of its configuration; the ledger beside it is filled by the engine.
func demoLedger(t *testing.T) string {
	t.Helper()
	d := &demoLedgerOnce
	d.Do(func() {
		d.dir, d.err = os.MkdirTemp("", "sollecito-views-")
		if d.err != nil {
			return
		}
		var run *demoRun
		run, d.err = runDemo(context.Background(), d.dir, 75, demoStart, io.Discard, slog.New(slog.DiscardHandler))
		if d.err == nil {
			d.err = run.db.Close()
		}
	})
	if d.err != nil {
		t.Fatalf("demo ledger: %v", d.err)
	}
	return filepath.Join(d.dir, "demo.toml")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoLedgerOnce.dir != "" {
		os.RemoveAll(demoLedgerOnce.dir)
	}
	os.Exit(code)
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./cmd/sollecito -run %s -update` to write it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (rerun with -update if the change is meant):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestHistoryGolden(t *testing.T) {
	cfg := demoLedger(t)
	for _, tt := range []struct{ number, file string }{
		{"2026/101", "history-2026-101.golden"},         // partly paid, then paid
		{"2026/102", "history-2026-102.golden"},         // promise, broken promise, dispute
		{"INV-2026-105", "history-inv-2026-105.golden"}, // out of office, promise, paid
		{"2026/106", "history-2026-106.golden"},         // bounce, new contact from the owner, paid
		{"2026/104", "history-2026-104.golden"},         // stage 4, formal notice, its term lapsed: the claim
	} {
		t.Run(tt.number, func(t *testing.T) {
			code, out, errs := run(t, "history", tt.number, "--config", cfg, "--now", demoViewsEnd)
			if code != 0 {
				t.Fatalf("history: exit %d: %s", code, errs)
			}
			golden(t, tt.file, out)
		})
	}
	code, _, errs := run(t, "history", "--config", cfg, "1999/999")
	if code != 1 || !strings.Contains(errs, `no invoice numbered "1999/999"`) {
		t.Errorf("unknown number: exit %d, %q", code, errs)
	}
	if code, _, _ := run(t, "history", "--config", cfg); code != 2 {
		t.Errorf("no number: exit %d, want 2", code)
	}
}

func TestExportGolden(t *testing.T) {
	cfg := demoLedger(t)
	code, out, errs := run(t, "export", "--csv", "--config", cfg, "--now", demoViewsEnd)
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, errs)
	}
	golden(t, "export.csv.golden", out)

	file := filepath.Join(t.TempDir(), "ledger.csv")
	code, out, errs = run(t, "export", "--csv", "--sep", ";", "--out", file, "--config", cfg, "--now", demoViewsEnd)
	if code != 0 || out != "" {
		t.Fatalf("export --out: exit %d, stdout %q: %s", code, out, errs)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "export-semicolon.csv.golden", string(b))

	// CSV is the only format: --csv may be given or left out.
	withFlag, _, _ := run(t, "export", "--csv", "--config", cfg)
	code, without, errs := run(t, "export", "--config", cfg)
	if code != 0 || without == "" || withFlag != 0 {
		t.Errorf("export without --csv: exit %d %q", code, errs)
	}
	if code, _, _ := run(t, "export", "--csv", "--sep", "|", "--config", cfg); code != 2 {
		t.Errorf("export --sep '|': exit %d, want 2", code)
	}
}

func TestStatusReadsWell(t *testing.T) {
	cfg := demoLedger(t)
	code, out, errs := run(t, "status", "--config", cfg, "--now", demoViewsEnd)
	if code != 0 {
		t.Fatalf("status: exit %d: %s", code, errs)
	}
	golden(t, "status.golden", out)
	for _, want := range []string{"FATTURA", "DA INCASSARE", "€ 850,00", "€ 430,00", "£ 0,00", "contestata", "pagata", "in mano al titolare", "06/11/2026"} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
}

// TestHistoryAmbiguous builds a ledger where two series share a number.
func TestHistoryAmbiguous(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "s.toml")
	text := `
[imap]
addr = "127.0.0.1:1143"
security = "none"
username = "bot@studio.test"
password = "x"
[smtp]
addr = "127.0.0.1:1025"
security = "none"
username = "bot@studio.test"
password = "x"
[bot]
address = "bot@studio.test"
[owner]
email = ["owner@studio.test"]
language = "en"
[business]
name = "Studio"
iban = "IT60X0542811101000000123456"
[store]
path = "l.db"
`
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := ledger.Open(ctx, filepath.Join(dir, "l.db"), func() time.Time { return time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC) })
	if err != nil {
		t.Fatal(err)
	}
	due := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	err = db.Tx(ctx, func(tx *ledger.Tx) error {
		for i, client := range []string{"a@one.test", "b@two.test"} {
			inv := policy.Invoice{Number: "7", Client: client, DueDate: due, Anchor: due, Amount: decimal.NewFromInt(int64(100 * (i + 1))), Currency: "EUR", State: policy.Open}
			if _, err := tx.CreateInvoice(inv, ledger.Source{MessageID: client + "-inv"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, _, errs := run(t, "history", "--config", cfg, "7")
	if code != 1 {
		t.Fatalf("ambiguous number: exit %d, want 1", code)
	}
	for _, want := range []string{"ambiguous", "--id 1", "a@one.test", "--id 2", "b@two.test", "€200.00"} {
		if !strings.Contains(errs, want) {
			t.Errorf("the message lacks %q:\n%s", want, errs)
		}
	}
	code, out, errs := run(t, "history", "--config", cfg, "--id", "2")
	if code != 0 || !strings.Contains(out, "Invoice 7 · b@two.test") {
		t.Errorf("history --id 2: exit %d %s\n%s", code, errs, out)
	}
}
