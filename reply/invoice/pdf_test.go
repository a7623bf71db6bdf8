package invoice

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"
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

// TestColumnPairs: a header row of the document's labels over a row of
// values pairs each label with the value in its column, whether the font
// gives glyph widths or not; a table of items pairs nothing.
func TestColumnPairs(t *testing.T) {
	run := func(s string, x float64, zeroWidth bool) []pdf.Text {
		var gs []pdf.Text
		for i, r := range s {
			g := pdf.Text{S: string(r), X: x + float64(i)*5, W: 5, FontSize: 9}
			if zeroWidth {
				g.X, g.W = x, 0
			}
			gs = append(gs, g)
		}
		return gs
	}
	row := func(zero bool, cells ...any) []cell {
		var gs []pdf.Text
		for i := 0; i < len(cells); i += 2 {
			gs = append(gs, run(cells[i].(string), cells[i+1].(float64), zero)...)
		}
		return lineCells(gs)
	}
	for _, zero := range []bool{false, true} {
		head := row(zero, "Tipo documento", 40.0, "Numero", 150.0, "Data", 240.0, "Cod. cliente", 330.0)
		vals := row(zero, "Fattura di vendita", 40.0, "405/V2", 150.0, "06/11/2026", 240.0, "C02918", 330.0)
		got := strings.Join(columnPairs(head, vals), "; ")
		if want := "Numero: 405/V2; Data: 06/11/2026"; got != want {
			t.Errorf("zero widths %v: %q, want %q", zero, got, want)
		}
		items := row(zero, "Descrizione", 40.0, "Totale documento", 240.0)
		if got := columnPairs(items, row(zero, "Consulenza", 40.0, "200,00", 240.0)); got != nil {
			t.Errorf("zero widths %v: a table of items paired %q", zero, got)
		}
	}
}
