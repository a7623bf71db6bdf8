package invoice

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/ledongthuc/pdf"
)

const (
	maxPDFSize  = 20 << 20
	maxPDFPages = 10
)

// pdfText extracts the text of a PDF as lines: glyphs are grouped by their
// baseline, ordered left to right, and a space is put where the gap between
// two glyphs is wider than a fraction of the font size. A PDF the reader
// cannot interpret returns an error, never a panic.
func pdfText(data []byte) (text string, err error) {
	if len(data) > maxPDFSize {
		return "", fmt.Errorf("pdf: %d bytes, over the %d limit", len(data), maxPDFSize)
	}
	defer func() {
		if r := recover(); r != nil {
			text, err = "", fmt.Errorf("pdf: unreadable: %v", r)
		}
	}()
	rd, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("pdf: %w", err)
	}
	var b strings.Builder
	for i := 1; i <= rd.NumPage() && i <= maxPDFPages; i++ {
		p := rd.Page(i)
		if p.V.IsNull() {
			continue
		}
		b.WriteString(layoutLines(p.Content().Text))
		b.WriteString("\n")
	}
	return b.String(), nil
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
	}
	return b.String()
}
