package templates

import (
	"html"
	"strings"
)

// toHTML turns a plain-text message into a simple HTML document: text is
// escaped, blocks separated by a blank line become paragraphs, lines within
// a block are kept with <br>, and a block whose every line starts with ">"
// becomes a blockquote.
func toHTML(text string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\n<body style=\"font-family: sans-serif; line-height: 1.4\">\n")
	for _, block := range strings.Split(strings.TrimSpace(text), "\n\n") {
		lines := strings.Split(strings.Trim(block, "\n"), "\n")
		quoted := true
		for _, l := range lines {
			if !strings.HasPrefix(l, ">") {
				quoted = false
				break
			}
		}
		for i, l := range lines {
			if quoted {
				l = strings.TrimPrefix(strings.TrimPrefix(l, ">"), " ")
			}
			lines[i] = html.EscapeString(l)
		}
		inner := strings.Join(lines, "<br>\n")
		if quoted {
			b.WriteString("<blockquote style=\"margin: 0 0 1em 0; padding-left: 1em; border-left: 3px solid #ccc\">" + inner + "</blockquote>\n")
		} else {
			b.WriteString("<p>" + inner + "</p>\n")
		}
	}
	b.WriteString("</body></html>\n")
	return b.String()
}
