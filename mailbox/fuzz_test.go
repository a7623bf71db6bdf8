package mailbox

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// corpusFiles returns the .eml files of the shared labelled corpus, or skips
// the test when it is absent (a clone of the project alone).
func corpusFiles(tb testing.TB) []string {
	tb.Helper()
	dir := filepath.Join("..", "..", "shared", "corpus")
	var files []string
	for _, sub := range []string{"replies", "invoices"} {
		m, err := filepath.Glob(filepath.Join(dir, sub, "*.eml"))
		if err != nil {
			tb.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		tb.Skipf("mail corpus not found at %s: seeds from it are skipped", dir)
	}
	return files
}

// FuzzParse checks that Parse never panics, keeps Raw, and returns text
// that is valid UTF-8, whatever the input.
//
//	go test ./mailbox -run '^$' -fuzz FuzzParse -fuzztime 60s
func FuzzParse(f *testing.F) {
	f.Add([]byte("Subject: =?utf-8?q?=C3=A8?=\r\n\r\nciao\r\n"))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\na\r\n--x--\r\n"))
	if raw, err := Compose(sampleOutgoing()); err == nil {
		f.Add(raw)
	}
	dir := filepath.Join("..", "..", "shared", "corpus")
	for _, sub := range []string{"replies", "invoices"} {
		files, _ := filepath.Glob(filepath.Join(dir, sub, "*.eml"))
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(raw)
		if m == nil {
			if err == nil {
				t.Fatal("Parse returned neither a message nor an error")
			}
			return
		}
		if string(m.Raw) != string(raw) {
			t.Error("Raw differs from the input")
		}
		_ = m.Body()
		_ = m.Hash()
		for _, s := range []string{m.Subject, m.Text, m.HTMLText} {
			if !utf8.ValidString(s) {
				t.Errorf("invalid UTF-8 in decoded text %q", s)
			}
		}
	})
}

// TestParseCorpus parses every corpus message and checks the basics every
// one of them has: a sender and some text or an attachment.
func TestParseCorpus(t *testing.T) {
	for _, name := range corpusFiles(t) {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Parse(raw)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(name), err)
			continue
		}
		if m.Sender() == "" {
			t.Errorf("%s: no sender", filepath.Base(name))
		}
		if m.Body() == "" && len(m.Attachments) == 0 {
			t.Errorf("%s: neither text nor attachments", filepath.Base(name))
		}
	}
}
