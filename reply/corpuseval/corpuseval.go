// Package corpuseval loads labelled replies in the corpus format (raw .eml
// files and a labels.jsonl, see corpus/SPEC.md) and scores the reply
// reader on them: what it acts on by itself, how often that is right, and
// the errors that matter.
package corpuseval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sollecito/sollecito/mailbox/message"
	"github.com/sollecito/sollecito/reply"
)

// Label is one line of labels.jsonl.
type Label struct {
	File         string     `json:"file"`
	Kind         reply.Kind `json:"kind"`
	PromisedDate string     `json:"promised_date"`
	RedirectTo   string     `json:"redirect_to"`
	Lang         string     `json:"lang"`
}

// Case is a labelled reply.
type Case struct {
	Label Label
	Msg   *message.Message
	Err   error // the file could not be read or parsed
}

// Load reads every case of dir.
// Context is the reader's context for a case as the bot has it in
// production: base (owner addresses, say) and the bot's own address, which
// a reply to a reminder is addressed to (its To).
func Context(base reply.Context, c Case) reply.Context {
	ctx := reply.Context{Own: append([]string(nil), base.Own...)}
	if c.Msg != nil {
		for _, a := range c.Msg.To {
			ctx.Own = append(ctx.Own, a.Email)
		}
	}
	return ctx
}

func Load(dir string) ([]Case, error) {
	f, err := os.Open(filepath.Join(dir, "labels.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("open labels: %w", err)
	}
	defer f.Close()
	var out []Case
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var l Label
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", filepath.Join(dir, "labels.jsonl"), n, err)
		}
		c := Case{Label: l}
		raw, err := os.ReadFile(filepath.Join(dir, l.File))
		if err != nil {
			c.Err = err
		} else if c.Msg, err = message.Parse(raw); c.Msg == nil {
			c.Err = fmt.Errorf("parse %s: %w", l.File, err)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read labels: %w", err)
	}
	return out, nil
}

// Scores are the figures of a reader over a set of cases.
type Scores struct {
	Cases int
	// Correct counts the verdicts whose kind is the label's, where an
	// unsure verdict counts as right only when the label is other.
	Correct int
	// Read counts the cases whose best reading (the guess when unsure) is
	// the label's kind.
	Read int
	// Auto counts what the bot acts on by itself (a kind other than
	// Other); AutoCorrect how many of those are the label's kind.
	Auto, AutoCorrect int
	// NoOwner counts what the bot handles with no owner reading at all
	// (a promise, a resend, a new contact, an auto-reply: the kinds that
	// are not forwarded to the owner); NoOwnerCorrect how many are right.
	NoOwner, NoOwnerCorrect int
	// Dangerous counts proof or dispute read as anything but proof,
	// dispute, installment or other, and an auto-reply or bounce read as
	// something that writes to the client (not_received, redirect).
	Dangerous int
	// DateN cases need a promised date (the label has one, or both say
	// promise); DateOK have it exact. RedirN and RedirOK likewise for the
	// address of a redirect.
	DateN, DateOK, RedirN, RedirOK int
	// Confusion counts label → verdict kind.
	Confusion map[reply.Kind]map[reply.Kind]int
}

// noOwner are the kinds the bot acts on without forwarding the reply to the
// owner.
var noOwner = map[reply.Kind]bool{reply.Promise: true, reply.NotReceived: true, reply.Redirect: true, reply.AutoReply: true}

// Dangerous reports whether reading a reply labelled want as got is an
// error that harms: chasing or ignoring someone who paid or disputes, or
// writing to a machine.
func Dangerous(want, got reply.Kind) bool {
	switch want {
	case reply.PaymentProof, reply.Dispute:
		return got != reply.PaymentProof && got != reply.Dispute && got != reply.Installment && got != reply.Other
	case reply.AutoReply, reply.Bounce:
		return got == reply.NotReceived || got == reply.Redirect
	}
	return false
}

func dateOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// Miss is a case the reader got wrong, for a report.
type Miss struct {
	Case    Case
	Verdict reply.Verdict
}

// Score scores verdicts (one per case, in order; a case with Err is
// skipped) and returns the misses.
func Score(cases []Case, verdicts []reply.Verdict) (Scores, []Miss) {
	s := Scores{Confusion: map[reply.Kind]map[reply.Kind]int{}}
	var misses []Miss
	for i, c := range cases {
		if c.Err != nil {
			continue
		}
		l, v := c.Label, verdicts[i]
		s.Cases++
		if s.Confusion[l.Kind] == nil {
			s.Confusion[l.Kind] = map[reply.Kind]int{}
		}
		s.Confusion[l.Kind][v.Kind]++
		read := v.Kind
		if v.Guess != "" {
			read = v.Guess
		}
		ok := v.Kind == l.Kind
		if ok {
			s.Correct++
		}
		if read == l.Kind {
			s.Read++
		}
		if v.Kind != reply.Other {
			s.Auto++
			if ok {
				s.AutoCorrect++
			}
		}
		if noOwner[v.Kind] {
			s.NoOwner++
			if ok {
				s.NoOwnerCorrect++
			}
		}
		if Dangerous(l.Kind, v.Kind) {
			s.Dangerous++
		}
		if l.PromisedDate != "" || (l.Kind == reply.Promise && read == reply.Promise) {
			s.DateN++
			if dateOf(v.PromisedDate) == l.PromisedDate {
				s.DateOK++
			} else {
				ok = false
			}
		}
		if l.Kind == reply.Redirect {
			s.RedirN++
			if v.RedirectTo == l.RedirectTo {
				s.RedirOK++
			} else {
				ok = false
			}
		}
		if !ok {
			misses = append(misses, Miss{Case: c, Verdict: v})
		}
	}
	return s, misses
}

// Pct formats n of d as a percentage with the counts.
func Pct(n, d int) string {
	if d == 0 {
		return "n/a (0 cases)"
	}
	return fmt.Sprintf("%.1f%% (%d/%d)", 100*float64(n)/float64(d), n, d)
}

// Line is the one-line summary of s.
func (s Scores) Line() string {
	return fmt.Sprintf("kind %s · best reading %s · acted on %s, right %s · no owner reading %s, right %s · dangerous %d · dates %s · redirects %s",
		Pct(s.Correct, s.Cases), Pct(s.Read, s.Cases), Pct(s.Auto, s.Cases), Pct(s.AutoCorrect, s.Auto),
		Pct(s.NoOwner, s.Cases), Pct(s.NoOwnerCorrect, s.NoOwner), s.Dangerous,
		Pct(s.DateOK, s.DateN), Pct(s.RedirOK, s.RedirN))
}
