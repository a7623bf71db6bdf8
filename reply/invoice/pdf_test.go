package invoice

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestPDFBudget: files that loop end in an error at once, never in a
// reader spinning forever (the trial's 238-byte PDF whose /Pages lists
// itself in /Kids held `run --once` at 100% CPU for ten minutes).
func TestPDFBudget(t *testing.T) {
	for _, name := range []string{"loop_kids.pdf", "loop_parent.pdf"} {
		_, err := pdfText(readTestdata(t, name))
		if err == nil || !strings.Contains(err.Error(), "a loop?") {
			t.Errorf("%s: err %v, want a loop detected", name, err)
		}
	}
	// The read budget: whatever loops through the file's objects runs out.
	data := pdfOf(t)
	br := &budgetReader{r: bytes.NewReader(data)}
	br.left.Store(100)
	if _, err := readPDF(br, int64(len(data))); !errors.Is(err, errPDFBudget) {
		t.Errorf("read budget of 100 bytes: err %v, want errPDFBudget", err)
	}
	// Stopped from outside (the time budget ran out): the reader stops.
	br = &budgetReader{r: bytes.NewReader(data)}
	br.left.Store(1 << 30)
	br.stop.Store(true)
	if _, err := readPDF(br, int64(len(data))); !errors.Is(err, errPDFBudget) {
		t.Errorf("stopped reader: err %v, want errPDFBudget", err)
	}
	// A good PDF reads within the budget.
	if text, err := pdfText(data); err != nil || !strings.Contains(text, "Totale") {
		t.Errorf("a good PDF: %q, %v", text, err)
	}
}

// pdfOf returns a one-page PDF that shows a total.
func pdfOf(t testing.TB) []byte { return readTestdata(t, "text.pdf") }

// FuzzPDFText checks that any input ends, within its budget, in text or
// an error: never a panic, never a hang.
//
//	go test ./reply/invoice -run '^$' -fuzz '^FuzzPDFText$' -fuzztime 60s
func FuzzPDFText(f *testing.F) {
	for _, p := range corpusAttachments(f, ".pdf") {
		f.Add(p)
	}
	f.Add(readTestdata(f, "loop_kids.pdf"))
	f.Add(readTestdata(f, "loop_parent.pdf"))
	f.Add(readTestdata(f, "text.pdf"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pdfText(data)
	})
}
