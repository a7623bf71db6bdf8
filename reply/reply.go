// Package reply understands mail: it separates what a person wrote from
// quoted text and signatures, recognises auto-replies and bounces, and
// classifies client replies into the kinds the bot acts on. It does no I/O.
package reply

import (
	"fmt"
	"strings"
	"time"

	"github.com/sollecito/sollecito/mailbox/message"
)

// Kind is what a reply asks the bot to do, exactly the kinds of the corpus SPEC.
type Kind string

// The reply kinds, in the corpus SPEC's words.
const (
	PaymentProof Kind = "payment_proof" // the client says the invoice is paid
	Promise      Kind = "promise"       // the client commits to pay, maybe on a date
	Dispute      Kind = "dispute"       // the client contests the invoice
	NotReceived  Kind = "not_received"  // never got it, wants a copy or the bank details
	Installment  Kind = "installment"   // asks for a plan, an extension or to pay in parts
	Redirect     Kind = "redirect"      // names another contact
	AutoReply    Kind = "autoreply"     // out-of-office or automatic acknowledgement
	Bounce       Kind = "bounce"        // delivery failure report
	Other        Kind = "other"         // anything else a person wrote
)

// Kinds lists every kind, in the order reports show them.
var Kinds = []Kind{PaymentProof, Promise, Dispute, NotReceived, Installment, Redirect, AutoReply, Bounce, Other}

// Context is what the classifier knows beyond the message itself.
type Context struct {
	// Own lists the bot's and the owner's addresses (lower-case): never a
	// redirect target.
	Own []string
}

// Verdict is the classifier's reading of one message.
type Verdict struct {
	Kind Kind
	// PromisedDate is set only for Promise when a date can be derived: a
	// calendar date at 00:00 UTC. Zero otherwise.
	PromisedDate time.Time
	// RedirectTo is the address the writer points to, for Redirect; "" otherwise.
	RedirectTo string
	// FailedRecipient is the address that failed, for Bounce ("" when not stated).
	FailedRecipient string
	// Lang is the language of the new text ("it", "en", …; "" when unknown).
	Lang string
	// Text is what the writer wrote, without quotes, signatures and disclaimers.
	Text string
	// Evidence lists the words or headers that decided the kind, for --explain
	// and for the owner.
	Evidence []string
	// Confidence is how sure the bot is of Kind, 0 to 1: 1 for what
	// headers or a delivery report state, else the learned reader's
	// probability of Kind.
	Confidence float64
	// Guess is set when the bot does not act on the reply by itself: Kind
	// is then Other (the owner decides) and Guess is its best reading,
	// with GuessConfidence its probability. PromisedDate and RedirectTo
	// belong to the guess then.
	Guess           Kind
	GuessConfidence float64

	// named is, when the rules read nothing to act on, an address the
	// writer's own text names that is neither theirs nor the bot's or the
	// owner's (Context.Own): the new contact should Decide read a redirect.
	named string
}

// Classify reads a message and returns its verdict. It never fails: what it
// cannot read is Other, which goes to the owner.
//
// Two readers decide together. The rules read what is structural and
// certain (headers, delivery reports, PEC receipts, quotes and
// signatures, dates) and what people write, phrase by phrase; a learned
// reader (reply/model, trained on the training corpus) gives the
// probability of each kind. The bot acts on a reply by itself when its
// headers decide; when the rules read a kind whose action hands the case
// to the owner anyway (proof, dispute, instalment); when the learned reader
// gives the rules' reading a probability of at least
// DefaultThresholds.Min; or when the learned reader is
// DefaultThresholds.Alone sure of a proof, a dispute or an instalment
// request, DefaultThresholds.Promise sure of a promise whose writer names
// a date ahead, DefaultThresholds.Redirect sure of a redirect whose writer
// names an address (not theirs, the bot's or the owner's), or
// DefaultThresholds.NotReceived sure the writer never got the invoice or
// the bank details (the bot sends them again). Otherwise the reply goes to the owner as Other, with the best
// reading in Guess, and the chase waits: a person's reply is never acted
// on against the learned reader's judgment, and never ignored.
func Classify(m *message.Message, c Context) Verdict {
	m = pecContent(m)
	if m == nil {
		v, _ := classify(nil, c, texts{})
		return Decide(m, v, true, Reading{}, DefaultThresholds)
	}
	t := textsOf(m)
	v, certain := classify(m, c, t)
	if certain {
		return Decide(m, v, true, Reading{}, DefaultThresholds)
	}
	r, err := learnedReading(m.Subject, t)
	if err != nil {
		// A broken build: the rules alone, and nothing is acted on by itself.
		v.Evidence = append(v.Evidence, err.Error())
		return unsure(v, v.Kind, 0)
	}
	return Decide(m, v, false, r, DefaultThresholds)
}

// Notice is the first step of Classify alone: whether m is a machine's
// notice — a delivery failure (with the address that failed), a
// certified-mail receipt, an automatic reply — recognised from headers,
// delivery reports and what such notices say at their top, without
// reading a person's words. It costs a small part of Classify; where it
// says ok, Classify reads m as such a notice too (an automatic reply that
// names a new address for good becomes a redirect there).
func Notice(m *message.Message) (v Verdict, ok bool) {
	m = pecContent(m)
	if m == nil {
		return Verdict{}, false
	}
	mv, ok := notice(m, textsOf(m))
	if !ok {
		return Verdict{}, false
	}
	return Verdict{Kind: mv.kind, FailedRecipient: mv.failed, Evidence: mv.evidence}, true
}

// Unread is the verdict on a mail the bot chose not to read (its sender
// is no one the bot knows and it names no invoice): Other, with
// why in its evidence and the head of its body (within the reader's
// budget, quotes and all: nothing of it was read) for whoever reads it
// instead.
func Unread(m *message.Message, why string) Verdict {
	v := Verdict{Kind: Other, Evidence: []string{"not read: " + why}}
	if m != nil {
		v.Text = strings.TrimSpace(clip(m.Body(), maxOwnText))
	}
	return v
}

// pecContent is the message a certified-mail (PEC) transport envelope
// carries — what the person wrote, in its postacert.eml — or m itself.
// Only the envelope (X-Trasporto: posta-certificata) is opened: a PEC
// receipt carries the bot's own message there.
func pecContent(m *message.Message) *message.Message {
	if m == nil || !strings.EqualFold(strings.TrimSpace(m.Get("X-Trasporto")), "posta-certificata") {
		return m
	}
	for _, a := range m.Attachments {
		if a.ContentType == "message/rfc822" && strings.EqualFold(a.Filename, "postacert.eml") {
			if in, _ := message.Parse(a.Data); in != nil && len(in.From) > 0 {
				return in
			}
		}
	}
	return m
}

// Rules is the rules' reading alone; certain says headers or a delivery
// report decided it, which no learned reading overrules. Classify is what
// the bot acts on: Rules is for tools that measure each reader.
func Rules(m *message.Message, c Context) (v Verdict, certain bool) {
	m = pecContent(m)
	if m == nil {
		return classify(nil, c, texts{})
	}
	return classify(m, c, textsOf(m))
}

// Thresholds say when the bot acts on a reply by itself.
type Thresholds struct {
	// Min is the least probability the learned reader must give the kind
	// the rules found.
	Min float64
	// Alone is how sure the learned reader must be of a proof, a dispute
	// or an instalment request (ownerBound: each stops the chase and goes
	// to the owner) to act on it alone, where the rules read something
	// else or nothing; 0 never.
	Alone float64
	// Promise is how sure the learned reader must be of a promise to act
	// on it where the rules read nothing, when the writer's own text names
	// a date ahead to pay by (aheadDate): the chase pauses until then, as
	// for any promise; 0 never.
	Promise float64
	// Redirect is how sure the learned reader must be of a redirect to act
	// on it where the rules read nothing, when the writer's own text names
	// an address other than theirs, the bot's and the owner's; 0 never.
	Redirect float64
	// NotReceived is how sure the learned reader must be that the writer
	// never got the invoice (or lacks the bank details) to send it again
	// where the rules read nothing; 0 never.
	NotReceived float64
}

// DefaultThresholds are Classify's, chosen by cross-validation on the
// training split only (go run ./cmd/trainreplies -cv 5 …).
var DefaultThresholds = Thresholds{Min: 0.3, Alone: 0.6, Promise: 0.6, Redirect: 0.6, NotReceived: 0.7}

// ownerBound are the kinds whose action stops the chase and hands the
// reply to the owner (confirm a payment, a dispute, a plan): acting on the
// rules' reading of them is already the owner deciding, so the learned
// reader does not hold them back.
var ownerBound = map[Kind]bool{PaymentProof: true, Dispute: true, Installment: true}

// Decide joins the rules' verdict v on m (certain as Rules says) and the
// learned reading r as Classify does under the thresholds t. Classify uses
// DefaultThresholds; tools use others to measure the trade-off.
func Decide(m *message.Message, v Verdict, certain bool, r Reading, t Thresholds) Verdict {
	if certain {
		v.Confidence = 1
		return v
	}
	rulesPromise := v.Kind == Promise
	if (v.Kind == Other || v.Kind == Promise) && r.Kind == NotReceived && t.NotReceived > 0 && r.P >= t.NotReceived {
		v.Kind, v.Confidence = NotReceived, r.P
		v.Evidence = append(v.Evidence, fmt.Sprintf("learned reader: not_received %.0f%%", 100*r.P), "the learned reader, sure the invoice or the bank details did not arrive")
		return v
	}
	if v.Kind == Other && r.Kind == Redirect && t.Redirect > 0 && r.P >= t.Redirect && v.named != "" {
		// The rules found nothing; the learned reader is sure the writer
		// points to someone else, and the text names one address.
		v.Kind, v.Confidence, v.RedirectTo = Redirect, r.P, v.named
		v.Evidence = append(v.Evidence, fmt.Sprintf("learned reader: redirect %.0f%%", 100*r.P), "new address "+v.named,
			"the learned reader, sure of a redirect to the address named")
		return v
	}
	if v.Kind == Other && r.Kind == Promise && t.Promise > 0 && r.P >= t.Promise {
		// The rules found nothing; the learned reader is sure of a
		// promise: with a date ahead in the writer's own words, it is one.
		if d, ev, ok := aheadDate(m, v.Lang); ok {
			v.Kind, v.Confidence, v.PromisedDate = Promise, r.P, d
			v.Evidence = append(v.Evidence, fmt.Sprintf("learned reader: promise %.0f%%", 100*r.P), ev,
				"the learned reader, sure of a promise with a date ahead")
			return v
		}
	}
	v = decide(v, r, t)
	if read := v.Kind; (read == Promise || v.Guess == Promise) && !rulesPromise && v.PromisedDate.IsZero() {
		// The rules saw no promise, so they read no date for it: the
		// first date ahead in the writer's text, within the time a
		// promise may run, is the one the owner is shown.
		if d, ev, ok := aheadDate(m, v.Lang); ok {
			v.PromisedDate = d
			v.Evidence = append(v.Evidence, ev)
		}
	}
	return v
}

func decide(v Verdict, r Reading, t Thresholds) Verdict {
	v.Confidence = r.All[v.Kind]
	v.Evidence = append(v.Evidence, fmt.Sprintf("learned reader: %s %.0f%%", r.Kind, 100*r.P))
	if ownerBound[v.Kind] {
		return v // the case goes to the owner anyway, the chase stopped
	}
	if ownerBound[r.Kind] && t.Alone > 0 && r.P >= t.Alone {
		// The learned reader is sure of a kind that hands the case to the
		// owner (a dispute outranks everything): acting on it is the owner
		// deciding, with the right words.
		v.Kind, v.Confidence, v.PromisedDate, v.RedirectTo = r.Kind, r.P, time.Time{}, ""
		v.Evidence = append(v.Evidence, fmt.Sprintf("the learned reader, sure of: %s", r.Kind))
		return v
	}
	if r.All[v.Kind] >= t.Min {
		return v
	}
	if v.Kind == Other && r.Kind == Other {
		return v // nothing to act on, and the owner reads it anyway
	}
	// The best reading: the rules' when they found something and the
	// learned reader is not surer of another kind; else the learned one.
	// "Other" tells the owner nothing: a kind found by either is the guess.
	guess := v.Kind
	if v.Kind == Other || r.Kind != Other && r.P >= 2*r.All[v.Kind] {
		guess = r.Kind
	}
	return unsure(v, guess, r.All[guess])
}

// unsure turns v into an Other the owner decides on, with its best reading.
func unsure(v Verdict, guess Kind, p float64) Verdict {
	if guess == Other {
		v.Kind = Other
		v.Confidence = p
		return v
	}
	if guess != Promise {
		v.PromisedDate = time.Time{}
	}
	if guess != Redirect {
		v.RedirectTo = ""
	}
	v.Guess, v.GuessConfidence = guess, p
	v.Kind, v.Confidence = Other, 1-p
	v.Evidence = append(v.Evidence, fmt.Sprintf("unsure: reads as %s (%.0f%%), the owner decides", guess, 100*p))
	return v
}
