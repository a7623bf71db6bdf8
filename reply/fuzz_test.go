package reply

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sollecito/sollecito/mailbox"
)

// seedCorpus adds every corpus message (or its body) to a fuzz target. An
// absent corpus adds nothing: the target still runs on its own seeds.
func seedCorpus(f *testing.F, add func(c corpusCase)) {
	_, file, _, _ := runtime.Caller(0)
	if _, err := os.Stat(filepath.Join(filepath.Dir(file), "..", "..", "shared", "corpus", "replies", "labels.jsonl")); err != nil {
		return
	}
	for _, c := range loadCorpus(f) {
		add(c)
	}
}

// FuzzNewText checks that quote stripping never panics, returns valid
// UTF-8 when given it, and never adds text: every kept line was in the body.
func FuzzNewText(f *testing.F) {
	f.Add("Pagheremo domani.\n\nIl giorno lun 1 gen 2026 alle ore 08:00 X <x@y.it> ha scritto:\n> Gentile cliente")
	f.Add("Paid.\n-----Original Message-----\nFrom: a\nSent: b\nTo: c\nSubject: d\n\nold")
	seedCorpus(f, func(c corpusCase) { f.Add(c.msg.Body()) })
	f.Fuzz(func(t *testing.T, body string) {
		got := NewText(body)
		if utf8.ValidString(body) && !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 from valid input")
		}
		norm := strings.ReplaceAll(body, "\r\n", "\n")
		for _, line := range strings.Split(got, "\n") {
			if !strings.Contains(norm, strings.TrimSpace(line)) {
				t.Fatalf("line %q is not in the body", line)
			}
		}
	})
}

// FuzzClassify checks that any raw message classifies without panicking,
// to one of the kinds, with a promised date only on a promise and a
// redirect address only on a redirect, never one of Context.Own.
func FuzzClassify(f *testing.F) {
	f.Add([]byte("From: a@b.it\r\nDate: Wed, 4 Nov 2026 10:00:00 +0100\r\n\r\nPagheremo il 15, scrivete a c@d.it"))
	f.Add([]byte("Auto-Submitted: auto-replied\r\n\r\nOut of office"))
	seedCorpus(f, func(c corpusCase) { f.Add(c.msg.Raw) })
	kinds := map[Kind]bool{}
	for _, k := range Kinds {
		kinds[k] = true
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, _ := mailbox.Parse(raw)
		if m == nil {
			return
		}
		v := Classify(m, corpusOwn)
		if !kinds[v.Kind] {
			t.Fatalf("unknown kind %q", v.Kind)
		}
		read := v.Kind
		if v.Guess != "" {
			if v.Kind != Other || !kinds[v.Guess] {
				t.Fatalf("guess %q on %s", v.Guess, v.Kind)
			}
			read = v.Guess
		}
		if !v.PromisedDate.IsZero() && (read != Promise || v.PromisedDate.Location() != time.UTC) {
			t.Fatalf("promised date %v on %s (guess %q)", v.PromisedDate, v.Kind, v.Guess)
		}
		if v.RedirectTo != "" && read != Redirect {
			t.Fatalf("redirect_to %q on %s (guess %q)", v.RedirectTo, v.Kind, v.Guess)
		}
		if v.Confidence < 0 || v.Confidence > 1 || v.GuessConfidence < 0 || v.GuessConfidence > 1 {
			t.Fatalf("confidence %v, guess confidence %v", v.Confidence, v.GuessConfidence)
		}
		for _, o := range corpusOwn.Own {
			if v.RedirectTo == o {
				t.Fatalf("redirect to our own address %q", o)
			}
		}
		_ = Explain(v)
	})
}

// FuzzFindDates checks that date finding never panics and that every date
// it finds is a valid calendar date not before the message's day unless
// written with its year.
func FuzzFindDates(f *testing.F) {
	for _, s := range []string{"pagheremo il 31", "entro fine mese", "the 10th of next month", "15/12/2026",
		"December 15, 2026", "within 400 days", "il 29 febbraio", "next Friday", "31/02", "in 3 working days"} {
		f.Add(s, int64(1793000000))
	}
	seedCorpus(f, func(c corpusCase) {
		if c.msg != nil {
			f.Add(c.msg.Body(), c.msg.Date.Unix())
		}
	})
	f.Fuzz(func(t *testing.T, text string, unix int64) {
		if unix < 0 || unix > 4102444800 {
			return
		}
		base := time.Unix(unix, 0).UTC().Truncate(24 * time.Hour)
		d := parseDoc(text)
		for _, s := range d.sentences {
			for _, h := range findDates(d, s.first, s.end, base, false) {
				if h.date.Hour() != 0 || h.date.Location() != time.UTC {
					t.Fatalf("%q: date %v is not a calendar date", h.text, h.date)
				}
				if h.date.Before(base) && !strings.ContainsAny(h.text, "0123456789") {
					t.Fatalf("%q: relative date %v before base %v", h.text, h.date, base)
				}
			}
		}
	})
}

// FuzzFindAddresses: the scan around each '@' finds what the address
// pattern finds over the whole text, wherever no address is longer than
// the window (64 bytes before the '@', 256 after).
func FuzzFindAddresses(f *testing.F) {
	for _, s := range []string{"scrivete a anna.rossi@studio.it o a b@c.co.uk.", "a@b@c.de x@y", "@@@ mario@@rossi.it", "paolo@ditta-x.com,luca@ditta.it"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := emailRe.FindAllStringIndex(s, -1)
		for _, m := range want {
			if at := strings.IndexByte(s[m[0]:m[1]], '@'); at > 64 || m[1]-m[0]-at > 256 {
				return
			}
		}
		got := findAddresses(s, -1)
		if len(got) != len(want) {
			t.Fatalf("%q: got %v, want %v", s, got, want)
		}
		for i := range got {
			if got[i][0] != want[i][0] || got[i][1] != want[i][1] {
				t.Fatalf("%q: got %v, want %v", s, got, want)
			}
		}
	})
}
