package invoice_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/reply/invoice"
	"github.com/sollecito/sollecito/reply/invoice/corpuseval"
)

// corpusDir is shared/corpus/invoices, found from this package's folder.
func corpusDir(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "corpus", "invoices")
	if _, err := os.Stat(filepath.Join(dir, "labels.jsonl")); err != nil {
		t.Skipf("invoice corpus not found at %s: %v", dir, err)
	}
	return dir
}

// TestCorpus checks every labelled invoice mail. A field that differs from
// its label fails; so does, more loudly, an amount or due date presented as
// found that differs from the label (the bot would chase a wrong figure).
func TestCorpus(t *testing.T) {
	rep, err := corpuseval.Run(corpusDir(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Cases) < 50 {
		t.Fatalf("only %d cases read", len(rep.Cases))
	}
	for _, c := range rep.Cases {
		t.Run(c.File, func(t *testing.T) {
			if c.Err != nil {
				t.Fatal(c.Err)
			}
			for _, f := range corpuseval.Fields {
				got, want := c.Got[f], c.Want[f]
				switch {
				case got == want:
				case got != "" && (f == "amount" || f == "due_date"):
					t.Errorf("WRONG %s presented as found: got %q, want %q (notes %v)", f, got, want, c.Fields.Notes)
				default:
					t.Errorf("%s: got %q, want %q (notes %v)", f, got, want, c.Fields.Notes)
				}
			}
		})
	}
	for _, f := range corpuseval.Fields {
		s := rep.Scores[f]
		acc := float64(s.Exact) / float64(s.Total())
		t.Logf("%-12s exact %d/%d (%.1f%%), wrong %d, missing %d, spurious %d", f, s.Exact, s.Total(), 100*acc, s.Wrong, s.Missing, s.Spurious)
		if acc < 0.98 {
			t.Errorf("%s accuracy %.1f%%, target 98%%", f, 100*acc)
		}
	}
}

func BenchmarkExtractCorpus(b *testing.B) {
	dir := corpusDir(b)
	files, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no corpus files: %v", err)
	}
	var msgs []*mailbox.Message
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		m, err := mailbox.Parse(raw)
		if err != nil {
			b.Fatalf("%s: %v", f, err)
		}
		msgs = append(msgs, m)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, m := range msgs {
			invoice.Extract(m, invoice.Options{Own: corpuseval.OwnAddresses(m)})
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(msgs))/1e3, "µs/mail")
}
