package policy

import "strings"

// EventKind names the decision an event of an invoice's history records.
// The ledger stores its text. Make one with the Event… constants or with
// ReplyEvent, CommandEvent, UnverifiedEvent and TemplateEvent, and read it
// back with its methods: no other code joins or cuts these strings, so a
// view can say every kind (templates has words for each of EventKinds).
type EventKind string

// The kinds of events that carry no reading, verb or template.
const (
	EventIntake         EventKind = "intake"          // an invoice registered from the owner's mail
	EventCreditNote     EventKind = "credit_note"     // a credit note the owner copied the bot on: not chased
	EventSchedule       EventKind = "schedule"        // a step of the schedule that sends nothing
	EventUnmatched      EventKind = "unmatched"       // mail that concerns no invoice
	EventMalformed      EventKind = "malformed"       // mail that could not be read
	EventOwnerAutomatic EventKind = "owner:automatic" // automatic mail from an owner's address
	EventSendFailed     EventKind = "send:failed"     // a message the server refused for good
	EventSendConfirmed  EventKind = "send:confirmed"  // a send in doubt whose copy arrived
	EventEngineFailed   EventKind = "engine:failed"   // an internal error, tried again next pass
	EventCapHeld        EventKind = "cap:held"        // a message held back by the daily cap
	EventCapDropped     EventKind = "cap:dropped"     // a message the daily cap will never send
	EventCapDigest      EventKind = "cap:digest"      // the digest of what the cap held
	EventLoopStopped    EventKind = "loop:stopped"    // sending to an address stopped by the hourly limit
	EventLoopHeld       EventKind = "loop:held"       // a message the hourly limit held
	EventPaymentBank    EventKind = "payment:bank"    // a payment found in a bank statement
	EventPaymentsImport EventKind = "payments:import" // a bank statement read
	EventSummary        EventKind = "summary"         // the owner's periodic summary sent
	EventLoginRefused   EventKind = "login:refused"   // the bot could not log in: the owner must renew its authorization
)

// EventKinds are the fixed kinds, and one of each made kind (a reply read
// as promise, the command paid, a stranger's redirect): what every view
// must have words for.
var EventKinds = []EventKind{
	EventIntake, EventCreditNote, EventSchedule, EventUnmatched, EventMalformed, EventOwnerAutomatic, EventSendFailed,
	EventSendConfirmed, EventEngineFailed, EventCapHeld, EventCapDropped, EventCapDigest, EventLoopStopped,
	EventLoopHeld, EventPaymentBank, EventPaymentsImport, EventSummary, EventLoginRefused,
}

const (
	replyPrefix      = "reply:"
	commandPrefix    = "command:"
	unverifiedPrefix = "unverified:"
)

// ReplyEvent is the kind of the decision a client's mail read as reading
// (a reply.Kind's text, such as "promise") caused.
func ReplyEvent(reading string) EventKind { return EventKind(replyPrefix + reading) }

// CommandEvent is the kind of an owner's command with verb (a
// command.Verb's text, such as "paid"), or of what became of it:
// "refused", "unknown", "help", "status", "undo".
func CommandEvent(verb string) EventKind { return EventKind(commandPrefix + verb) }

// UnverifiedEvent is the kind of mail the bot may not obey, by who sent it:
// "owner" (an owner's address the server does not vouch for), "contact" (a
// stranger writing about an invoice), "redirect" (a stranger naming a new
// contact).
func UnverifiedEvent(who string) EventKind { return EventKind(unverifiedPrefix + who) }

// TemplateEvent is the kind of a decision to send template t.
func TemplateEvent(t Template) EventKind { return EventKind(t) }

// Reply returns the reading of a ReplyEvent.
func (k EventKind) Reply() (reading string, ok bool) {
	return strings.CutPrefix(string(k), replyPrefix)
}

// Command returns the verb of a CommandEvent.
func (k EventKind) Command() (verb string, ok bool) {
	return strings.CutPrefix(string(k), commandPrefix)
}

// Unverified returns who sent the mail of an UnverifiedEvent.
func (k EventKind) Unverified() (who string, ok bool) {
	return strings.CutPrefix(string(k), unverifiedPrefix)
}

// Template returns the template of a TemplateEvent: ok when k names one of
// templates (the set the caller knows; policy does not list them).
func (k EventKind) Template(templates []Template) (Template, bool) {
	for _, t := range templates {
		if string(t) == string(k) {
			return t, true
		}
	}
	return "", false
}
