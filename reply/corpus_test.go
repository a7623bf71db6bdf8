package reply

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/sollecito/sollecito/mailbox"
)

// corpusLabel is one line of the corpus labels.jsonl.
type corpusLabel struct {
	File         string `json:"file"`
	Kind         Kind   `json:"kind"`
	PromisedDate string `json:"promised_date"`
	RedirectTo   string `json:"redirect_to"`
	Lang         string `json:"lang"`
	Note         string `json:"note"`
}

// corpusOwn are the bots' and owners' addresses the corpus README names.
var corpusOwn = Context{Own: []string{
	"pagamenti@officina-verdi.it", "officinaverdi@pec.it", "promemoria@luciaferri.it",
	"billing@northwind-studio.com", "invoices@whitlockcreative.com",
}}

// corpusDir returns the shared reply corpus, computed from this package's
// directory, or skips the test when it is absent.
func corpusDir(tb testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "shared", "corpus", "replies")
	if _, err := os.Stat(filepath.Join(dir, "labels.jsonl")); err != nil {
		tb.Skipf("reply corpus not found at %s: %v", dir, err)
	}
	return dir
}

type corpusCase struct {
	label corpusLabel
	msg   *mailbox.Message
}

func loadCorpus(tb testing.TB) []corpusCase {
	dir := corpusDir(tb)
	f, err := os.Open(filepath.Join(dir, "labels.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var cases []corpusCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l corpusLabel
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			tb.Fatalf("labels.jsonl: %v", err)
		}
		raw, err := os.ReadFile(filepath.Join(dir, l.File))
		if err != nil {
			tb.Fatal(err)
		}
		m, err := mailbox.Parse(raw)
		if err != nil {
			tb.Errorf("%s: parse: %v", l.File, err)
		}
		cases = append(cases, corpusCase{label: l, msg: m})
	}
	return cases
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
