// Package reply understands mail: it separates what a person wrote from
// quoted text and signatures, recognises auto-replies and bounces, and
// classifies client replies into the kinds the bot acts on. It does no I/O.
package reply

import (
	"time"

	"github.com/sollecito/sollecito/mailbox"
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
}

// Classify reads a message and returns its verdict. It never fails: what it
// cannot read is Other, which goes to the owner.
func Classify(m *mailbox.Message, c Context) Verdict {
	return classify(m, c)
}
