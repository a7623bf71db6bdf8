package invoice

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ledongthuc/pdf"
)

const (
	maxPDFSize  = 20 << 20
	maxPDFPages = 10
	// maxPageTreeDepth bounds the page tree: real files nest a few levels;
	// a tree that lists itself among its kids never ends.
	maxPageTreeDepth = 32
	// pdfReadFactor bounds what reading one PDF may read of it, in all:
	// this many times its size. Every object the reader resolves, every
	// stream it decodes, is read again from the file, so a file whose
	// objects refer to each other in a loop runs into this bound.
	pdfReadFactor = 64
)

// PDFTimeBudget is how long reading the text of one PDF may take. Past it
// the PDF is given up as unreadable: the reader stops at its next read of
// the file.
var PDFTimeBudget = 5 * time.Second

// errPDFBudget is the error of a PDF that ran over its budget.
var errPDFBudget = errors.New("pdf: over its budget (a loop in the file, or too much to read)")

// budgetReader is the PDF reader's view of the file: it stops the reader
// (by a panic that pdfText recovers) once it has read more than left bytes
// or once stop is set.
type budgetReader struct {
	r    *bytes.Reader
	left atomic.Int64
	stop atomic.Bool
}

func (b *budgetReader) ReadAt(p []byte, off int64) (int, error) {
	if b.stop.Load() || b.left.Add(-int64(len(p))) < 0 {
		panic(errPDFBudget)
	}
	return b.r.ReadAt(p, off)
}

// pdfText extracts the text of a PDF as lines: glyphs are grouped by their
// baseline, ordered left to right, and a space is put where the gap between
// two glyphs is wider than a fraction of the font size. A PDF the reader
// cannot interpret returns an error, never a panic. Reading runs under a
// budget: at most pdfReadFactor times the file's size read, a page tree at
// most maxPageTreeDepth deep, and PDFTimeBudget of time; past any of them
// the PDF is unreadable.
func pdfText(data []byte) (string, error) {
	if len(data) > maxPDFSize {
		return "", fmt.Errorf("pdf: %d bytes, over the %d limit", len(data), maxPDFSize)
	}
	br := &budgetReader{r: bytes.NewReader(data)}
	br.left.Store(int64(len(data))*pdfReadFactor + 1<<20)
	type result struct {
		text string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		text, err := readPDF(br, int64(len(data)))
		done <- result{text, err}
	}()
	timer := time.NewTimer(PDFTimeBudget)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.text, r.err
	case <-timer.C:
		br.stop.Store(true) // the reader panics out at its next read of the file
		return "", fmt.Errorf("%w: still reading after %s", errPDFBudget, PDFTimeBudget)
	}
}

// readPDF reads the text of the first maxPDFPages pages.
func readPDF(f *budgetReader, size int64) (text string, err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok && errors.Is(e, errPDFBudget) {
				text, err = "", errPDFBudget
				return
			}
			text, err = "", fmt.Errorf("pdf: unreadable: %v", r)
		}
	}()
	rd, err := pdf.NewReader(f, size)
	if err != nil {
		return "", fmt.Errorf("pdf: %w", err)
	}
	pages, err := pageLeaves(rd.Trailer().Key("Root").Key("Pages"), 0, nil)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, p := range pages {
		if err := parentsEnd(p); err != nil {
			return "", err
		}
		b.WriteString(layoutLines(pdf.Page{V: p}.Content().Text))
		b.WriteString("\n")
	}
	return b.String(), nil
}

// pageLeaves returns the first maxPDFPages pages under the page tree node
// v, in order. A tree deeper than maxPageTreeDepth is an error: it is
// where a node that lists itself, or an ancestor, among its kids leads.
func pageLeaves(v pdf.Value, depth int, out []pdf.Value) ([]pdf.Value, error) {
	if depth > maxPageTreeDepth {
		return nil, fmt.Errorf("pdf: page tree deeper than %d (a loop?)", maxPageTreeDepth)
	}
	switch v.Key("Type").Name() {
	case "Page":
		return append(out, v), nil
	case "Pages":
		kids := v.Key("Kids")
		for i := 0; i < kids.Len() && len(out) < maxPDFPages; i++ {
			var err error
			if out, err = pageLeaves(kids.Index(i), depth+1, out); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// parentsEnd checks that a page's chain of /Parent links ends within
// maxPageTreeDepth: the reader follows it for inherited attributes.
func parentsEnd(p pdf.Value) error {
	for i := 0; i <= maxPageTreeDepth; i++ {
		if p = p.Key("Parent"); p.IsNull() {
			return nil
		}
	}
	return fmt.Errorf("pdf: /Parent chain longer than %d (a loop?)", maxPageTreeDepth)
}

func layoutLines(glyphs []pdf.Text) string {
	type line struct {
		y  float64
		gs []pdf.Text
	}
	var lines []*line
	for _, g := range glyphs {
		if g.S == "" {
			continue
		}
		var found *line
		for _, l := range lines {
			tol := math.Max(g.FontSize*0.4, 1)
			if math.Abs(l.y-g.Y) <= tol {
				found = l
				break
			}
		}
		if found == nil {
			found = &line{y: g.Y}
			lines = append(lines, found)
		}
		found.gs = append(found.gs, g)
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].y > lines[j].y })
	var b strings.Builder
	var above []cell
	for _, l := range lines {
		sort.SliceStable(l.gs, func(i, j int) bool { return l.gs[i].X < l.gs[j].X })
		end := math.Inf(-1)
		for _, g := range l.gs {
			if end != math.Inf(-1) && g.X-end > g.FontSize*0.25 && !strings.HasSuffix(b.String(), " ") {
				b.WriteString(" ")
			}
			b.WriteString(g.S)
			end = g.X + g.W
		}
		b.WriteString("\n")
		cells := lineCells(l.gs)
		for _, p := range columnPairs(above, cells) {
			b.WriteString(p)
			b.WriteString("\n")
		}
		above = cells
	}
	return b.String()
}

// cell is a run of text on a line, apart from the next by a column's gap.
type cell struct {
	x0, x1 float64
	s      string
}

// lineCells splits a line's glyphs (sorted by X) into cells: a gap wider
// than the font's size separates two columns; a word space does not.
func lineCells(gs []pdf.Text) []cell {
	var out []cell
	var cur *cell
	var b strings.Builder
	flush := func() {
		if cur != nil {
			cur.s = strings.TrimSpace(b.String())
			if cur.s != "" {
				out = append(out, *cur)
			}
		}
		b.Reset()
	}
	lastX := math.Inf(-1)
	for _, g := range gs {
		x, w := g.X, g.W
		if w <= 0 {
			// A font without widths (the standard 14 often come so): every
			// glyph of a string stands at its start; lay them out at half
			// the font's size each.
			w = math.Max(g.FontSize, 1) * 0.5
			if cur != nil && x == lastX {
				x = cur.x1
			}
		}
		lastX = g.X
		if cur == nil || x-cur.x1 > math.Max(g.FontSize, 1) {
			flush()
			cur = &cell{x0: x}
		} else if x-cur.x1 > g.FontSize*0.25 {
			b.WriteString(" ")
		}
		b.WriteString(g.S)
		cur.x1 = x + w
	}
	flush()
	return out
}

// columnLabels are the labels of a document's header table whose value
// stands below them, in the same column ("Numero | Data" over
// "407/V2 | 11/11/2026"), lower case without trailing punctuation.
var columnLabels = setOf(
	"numero", "n", "nr", "n°", "nº", "num", "number", "no", "invoice no", "invoice number", "invoice #", "numero fattura",
	"numero documento", "n. documento", "nr. documento", "fattura n", "rechnungsnummer", "rechnung nr", "rechnungs-nr",
	"numéro", "facture n°", "n° facture", "número", "data", "data documento", "data fattura", "data emissione", "date",
	"invoice date", "datum", "rechnungsdatum", "date de facture", "fecha", "scadenza", "data scadenza", "scadenza pagamento",
	"due date", "payment due", "fälligkeit", "fällig am", "zahlbar bis", "échéance", "date d'échéance", "vencimiento",
	"totale documento", "totale fattura", "totale da pagare", "netto a pagare", "importo da pagare", "total due",
	"amount due", "balance due", "total to pay", "rechnungsbetrag", "zahlbetrag", "montant ttc", "net à payer")

func setOf(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// itemWords mark the header of a table of goods or services: its values
// are the items', never the document's.
var itemWords = []string{"descrizione", "description", "beschreibung", "bezeichnung", "désignation", "descripción",
	"quantità", "q.tà", "qtà", "qty", "quantity", "menge", "quantité", "cantidad", "prezzo", "price", "preis", "prix", "precio",
	"ore", "hours", "stunden", "heures", "tariffa", "rate", "articolo", "item"}

// columnPairs reads a header row over a row of values: for each cell of
// the row above that is one of the document's labels (columnLabels), the
// cell below it that shares its column, written "label: value" so that
// the text rules read it as a labelled line. A row above with a figure in
// it, or that heads a table of items, pairs nothing.
func columnPairs(above, below []cell) []string {
	if len(above) < 2 || len(below) < 2 {
		return nil
	}
	for _, c := range above {
		l := strings.ToLower(c.s)
		if strings.ContainsAny(l, "0123456789") {
			return nil
		}
		for _, w := range itemWords {
			if strings.Contains(l, w) {
				return nil
			}
		}
	}
	var out []string
	for _, h := range above {
		if !columnLabels[strings.TrimRight(strings.ToLower(h.s), " .:#")] {
			continue
		}
		best, most := -1, 0.0
		for i, v := range below {
			if o := math.Min(h.x1, v.x1) - math.Max(h.x0, v.x0); o > most {
				best, most = i, o
			}
		}
		if best >= 0 && strings.ContainsAny(below[best].s, "0123456789") {
			out = append(out, strings.TrimRight(h.s, " .:#")+": "+below[best].s)
		}
	}
	return out
}
