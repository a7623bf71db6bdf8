package reply

import "testing"

// TestCorpusHTMLOnly reads every corpus reply that has both a plain and an
// HTML body through its HTML alone, as if it had been sent HTML-only:
// quoted reminders in blockquotes and Outlook's quoted header blocks must
// be set aside just as in plain text, so the kind must not change.
func TestCorpusHTMLOnly(t *testing.T) {
	for _, c := range loadCorpus(t) {
		if c.msg.Text == "" || c.msg.HTMLText == "" {
			continue
		}
		h := *c.msg
		h.Text = ""
		got, _ := Rules(&h, corpusOwn)
		if got.Kind != c.label.Kind || dateString(got.PromisedDate) != c.label.PromisedDate || got.RedirectTo != c.label.RedirectTo {
			t.Errorf("%s as HTML: got %s %q %q, want %s %q %q; text %q", c.label.File, got.Kind, dateString(got.PromisedDate), got.RedirectTo,
				c.label.Kind, c.label.PromisedDate, c.label.RedirectTo, got.Text)
		}
	}
}
