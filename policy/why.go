package policy

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// WhyCode names the rule a scheduled step applied.
type WhyCode string

// The rules of the schedule (Next), each a reason a message went or a state
// changed without anyone writing.
const (
	WhyCourtesy      WhyCode = "courtesy"         // courtesy notice before the due date
	WhyStage         WhyCode = "stage"            // a stage reminder (1–3) or the case file (4)
	WhyPauseEnded    WhyCode = "pause_ended"      // an owner's pause ran out
	WhyPromiseBroken WhyCode = "promise_broken"   // a promised payment did not arrive
	WhyBrokenAgain   WhyCode = "promise_broken_2" // the second broken promise: to the owner
	WhyNoticeLapsed  WhyCode = "notice_lapsed"    // the formal notice's term ran out
	WhySettleLapsed  WhyCode = "settle_lapsed"    // a settlement offer was not paid in time
	WhyResume        WhyCode = "resume"           // the owner resumed the chase

	// What a client's reply made the bot do (OnReply).
	WhyClosedReply     WhyCode = "reply_closed"         // any reply on a closed invoice
	WhyPaidReply       WhyCode = "reply_paid"           // says it paid
	WhyPromiseHeld     WhyCode = "reply_promise_held"   // a promise while the owner holds the case
	WhyPromiseNoDate   WhyCode = "reply_promise_nodate" // a promise without a date
	WhyPromiseFar      WhyCode = "reply_promise_far"    // a date too far away: an extension
	WhyPromiseReply    WhyCode = "reply_promise"        // a promise with a date
	WhyDisputeReply    WhyCode = "reply_dispute"        // contests the invoice (or the settlement)
	WhyNotReceivedHeld WhyCode = "reply_notrec_held"    // never got it, while the owner holds the case
	WhyResend          WhyCode = "reply_resend"         // never got it: sent again
	WhyInstallment     WhyCode = "reply_installment"    // asks for a plan or more time
	WhyRedirectReply   WhyCode = "reply_redirect"       // names another contact
	WhyAutoReply       WhyCode = "reply_auto"           // an automatic reply
	WhyBounceReply     WhyCode = "reply_bounce"         // a delivery failure
	WhyOtherReply      WhyCode = "reply_other"          // nothing the bot acts on
	WhyUnsureReply     WhyCode = "reply_unsure"         // the reader is not sure

	// What an owner's command did (OnCommand).
	WhyPaidCmd    WhyCode = "cmd_paid"     // paid: closed (for the settlement, when Settle)
	WhyPartlyPaid WhyCode = "cmd_partly"   // Amount received; see Part
	WhySettleCmd  WhyCode = "cmd_settle"   // an offer of Amount instead of Rest, by From
	WhyWriteOff   WhyCode = "cmd_writeoff" // Rest given up
	WhyPauseCmd   WhyCode = "cmd_pause"    // paused until Until
	WhyStopCmd    WhyCode = "cmd_stop"     // nothing more to the client
	WhyNoteCmd    WhyCode = "cmd_note"     // the owner's Text in the history
	WhyContactCmd WhyCode = "cmd_contact"  // the client's contact is now Address
	WhyNoticeCmd  WhyCode = "cmd_notice"   // the formal notice, to Address by route Kind
	WhySetCmd     WhyCode = "cmd_set"      // a field (Kind) set to Text, From or Amount

	// An invoice registered from the owner's mail (intake).
	WhyIntake WhyCode = "intake"

	// What became of the bot's own mail: held or moved by the daily cap,
	// stopped by the loop breaker, refused by the server, or found sent.
	WhyCapOwnerSender WhyCode = "cap_owner_sender" // to the owner: one sender caused Count today
	WhyCapOwnerDay    WhyCode = "cap_owner_day"    // to the owner: Count today from incoming mail
	WhyCapQueued      WhyCode = "cap_queued"       // to Address: the same one is already waiting
	WhyCapMoved       WhyCode = "cap_moved"        // to Address: moved to At, Count a day reached
	WhyCapDigest      WhyCode = "cap_digest"       // the digest of Count held messages went
	WhyLoop           WhyCode = "loop"             // to Address: Count in the last hour
	WhySendConfirmed  WhyCode = "send_confirmed"   // to Address: accepted though cut off
	WhySendFailed     WhyCode = "send_failed"      // to Address: refused, the server's Text

	// A credit in the bank statement paid the invoice (OnBankCredit):
	// Amount in Currency, value date From, payer Address, the payer's
	// words Text, the bank's reference Number.
	WhyBankPaid WhyCode = "bank_paid"

	// The owner's mail that asked for something other than a change to an
	// invoice, or that the bot did not apply.
	WhyCmdHelp    WhyCode = "cmd_help"    // the owner asked for the commands
	WhyCmdStatus  WhyCode = "cmd_status"  // the owner asked for the status
	WhyCmdUnknown WhyCode = "cmd_unknown" // no command known; Ready: help sent, else Text says why not
	WhyCmdRefused WhyCode = "cmd_refused" // not applied: Text, in the owner's language when recorded
	WhyUndo       WhyCode = "cmd_undo"    // the owner's Kind command of At taken back: the invoice is State again
	// Mail whose sender the bot may not obey (Kind: "owner", "contact" or
	// "redirect"): Address wrote it; for a contact, Text is what it was
	// read as; for a redirect, Text is the address it named; for the
	// owner, Text says why the server did not vouch for it. Forward: shown
	// to the owner (else automatic mail, recorded only).
	WhyUnverified WhyCode = "unverified"
	// The bot failed at Text (its words, with the cause) and tries again.
	WhyEngineFailed WhyCode = "engine_failed"
	// The bot cannot log in to Address (a server) for a reason only the
	// owner can remove, Text: its OAuth2 authorization is revoked or was
	// never given.
	WhyLoginRefused WhyCode = "login_refused"
	// A per-client setting the owner gave by email for Address: Text says
	// it, in the owner's language when recorded.
	WhyClientSet WhyCode = "cmd_client"
)

// What a part payment did (Why.Part).
const (
	PartFull        = "full"        // with Rest received before, paid in full
	PartSettled     = "settled"     // the settlement asked: closed, Rest given up
	PartOutstanding = "outstanding" // Rest still outstanding
	PartSettleLeft  = "settle_left" // Rest of the settlement still to pay
)

// How a formal notice went (Why.Kind for WhyNoticeCmd).
const (
	RoutePEC           = "pec"          // through the PEC account to a PEC mailbox
	RoutePECToOrdinary = "pec_ordinary" // through the PEC account to an ordinary mailbox
	RouteMail          = "mail"         // by the bot's ordinary mail: no PEC account
)

// Since says what a stage counts its days from.
type Since string

// What Why.From is, for a stage.
const (
	SinceDue        Since = "due"     // the due date
	SinceResent     Since = "resent"  // the day the invoice was sent again
	SinceLast       Since = "last"    // the last reminder
	SinceRestart    Since = "restart" // the chase restarted (no reminder that day)
	SinceLastOrRest Since = "last_or_restart"
	SinceToday      Since = "today" // a resume: from the day of the command
)

// Why is the reason for a step as data, so that each view says it in the
// owner's language; Step.Reason is English() of it (the log's words). Only
// the fields the Code uses are set.
type Why struct {
	Code WhyCode `json:"code"`
	// Stage is the stage sent (WhyStage) or the next one (WhyResume*).
	Stage int `json:"stage,omitempty"`
	// Days are the days counted (stage interval, courtesy, notice term).
	Days int `json:"days,omitempty"`
	// From is the day counted from, or the date the rule names (promised
	// date, end of a pause, day of the notice, settlement's pay-by date).
	From  time.Time `json:"from,omitzero"`
	Since Since     `json:"since,omitempty"`
	// Until is a second date: the end of the notice's term.
	Until time.Time `json:"until,omitzero"`
	// Tolerance is the client's days of tolerance added to Days.
	Tolerance int `json:"tolerance,omitempty"`
	// Grace is the business days of grace after a date before a payment is
	// called missing.
	Grace int `json:"grace,omitempty"`
	// FirstDays is, for a resume before stage 1, the days after the due
	// date (From) stage 1 waits for at least; Days then count from today.
	FirstDays int `json:"first_days,omitempty"`
	// Broken is the number of promises broken so far.
	Broken int `json:"broken,omitempty"`
	// Amount is the settlement asked (WhySettleLapsed) or the money a
	// command names; Rest the other sum it speaks of (given up, still
	// outstanding, received before); both in Currency.
	Amount   decimal.Decimal `json:"amount,omitzero"`
	Rest     decimal.Decimal `json:"rest,omitzero"`
	Currency string          `json:"currency,omitempty"`
	// Part says what a part payment did (Part* constants).
	Part string `json:"part,omitempty"`
	// For intake: the invoice's Number, where it was read (Kind: "pdf",
	// "body"…), its client (Address), amount (Amount, Currency), due date
	// (From) and the fields still Missing, which the owner is asked for.
	Number  string   `json:"number,omitempty"`
	Missing []string `json:"missing,omitempty"`
	// Text is the owner's note (WhyNoteCmd), the PEC account a notice
	// went from (WhyNoticeCmd), or the text a field was set to (WhySetCmd).
	Text string `json:"text,omitempty"`
	// Ready: the command completed an invoice, whose chase starts; with
	// Missing, the fields it still lacks (WhySetCmd, WhyContactCmd).
	Ready bool `json:"ready,omitempty"`
	// Call: the owner is asked to phone (stage 3). CitePromise: the
	// reminder cites the broken promise. Back: a resume after stage 4,
	// which takes the chase back to stage 3.
	Call        bool `json:"call,omitempty"`
	CitePromise bool `json:"cite_promise,omitempty"`
	Back        bool `json:"back,omitempty"`

	// For a reply: Kind is what it was read as (reply.Kind, or the
	// reader's guess for WhyUnsureReply, Percent sure); State the
	// invoice's state when it matters; Address the contact it names or
	// the address that failed ("" for the client's).
	Kind    string `json:"kind,omitempty"`
	Percent int    `json:"percent,omitempty"`
	State   State  `json:"state,omitempty"`
	Address string `json:"address,omitempty"`
	// Forward: the mail went to the owner. Settle: it was about the
	// settlement offer. Waits: the chase waits for the owner.
	Forward bool `json:"forward,omitempty"`
	Settle  bool `json:"settle,omitempty"`
	Waits   bool `json:"waits,omitempty"`

	// For the bot's own mail (WhyCap*, WhyLoop, WhySend*): the Template,
	// its recipients (Address), a number of messages (Count), the instant
	// a message was moved to (At), and the server's words (Text, as the
	// server wrote them).
	Template Template  `json:"template,omitempty"`
	Count    int       `json:"count,omitempty"`
	At       time.Time `json:"at,omitzero"`
}

// English says w in plain English, e.g. "stage 1: 10 days after due date
// 2026-12-03": the words of Step.Reason and of the log.
func (w Why) English() string {
	d := func(t time.Time) string { return t.Format(dateFmt) }
	switch w.Code {
	case WhyCourtesy:
		return fmt.Sprintf("courtesy notice: %d days before due date %s", w.Days, d(w.From))
	case WhyStage:
		var since string
		switch w.Since {
		case SinceDue:
			since = "due date " + d(w.From)
		case SinceResent:
			since = "the invoice was sent again on " + d(w.From)
		case SinceLast:
			since = "the last reminder of " + d(w.From)
		case SinceRestart:
			since = "the chase restarted on " + d(w.From) + " (no reminder went out that day)"
		default:
			since = "the last reminder or restart of the chase on " + d(w.From)
		}
		s := fmt.Sprintf("stage %d: %d days after %s", w.Stage, w.Days, since)
		if w.Tolerance > 0 {
			s += fmt.Sprintf(" + %d days of tolerance", w.Tolerance)
		}
		switch {
		case w.Stage >= 4:
			s += "; the case goes to the owner and the bot stops writing to the client"
		case w.Call:
			s += "; the owner is asked to phone the client"
		}
		if w.CitePromise {
			s += "; citing the broken promise"
		}
		return s
	case WhyPauseEnded:
		return fmt.Sprintf("pause ended %s; the chase resumes", d(w.From))
	case WhyPromiseBroken:
		return fmt.Sprintf("promise broken: payment promised for %s did not arrive within %d business days of grace", d(w.From), w.Grace)
	case WhyBrokenAgain:
		return fmt.Sprintf("promise broken again: payment promised for %s did not arrive (%d broken promises); the case goes to the owner", d(w.From), w.Broken)
	case WhyNoticeLapsed:
		return fmt.Sprintf("formal notice of %s: the %d days to pay ended %s and the payment did not arrive within %d business days of grace; the owner decides what next",
			d(w.From), w.Days, d(w.Until), w.Grace)
	case WhySettleLapsed:
		return fmt.Sprintf("settlement offer lapsed: %s asked by %s did not arrive within %d business days of grace; the case goes back to the owner",
			w.Amount.StringFixed(2), d(w.From), w.Grace)
	case WhyClosedReply:
		if w.Forward {
			return fmt.Sprintf("client wrote (%s) about a closed invoice: forwarded to the owner", w.Kind)
		}
		return fmt.Sprintf("%s on a closed invoice: nothing to do", w.Kind)
	case WhyPaidReply:
		if w.Settle {
			return fmt.Sprintf("client says it paid the settlement of %s: the owner is asked to confirm the money arrived", w.Amount.StringFixed(2))
		}
		return "client says it paid: chase stopped; the owner is asked to confirm the money arrived"
	case WhyPromiseHeld:
		return fmt.Sprintf("client promises to pay, but the invoice is %s: forwarded to the owner", w.State)
	case WhyPromiseNoDate:
		return fmt.Sprintf("client promises to pay without a date: paused for %d days, until %s", w.Days, d(w.Until))
	case WhyPromiseFar:
		return fmt.Sprintf("client promises to pay on %s, more than %d days away: an extension the owner decides on", d(w.From), w.Days)
	case WhyPromiseReply:
		return fmt.Sprintf("client promises to pay by %s: paused until %s (%d business days of grace)",
			d(w.From), w.Until.Format("2006-01-02 15:04"), w.Grace)
	case WhyDisputeReply:
		if w.Settle {
			return "client refuses or contests the settlement offer: the offer ends; forwarded to the owner at once"
		}
		return "client contests the invoice: never chased; forwarded to the owner at once"
	case WhyNotReceivedHeld:
		return fmt.Sprintf("client says it never got the invoice, but the invoice is %s: forwarded to the owner", w.State)
	case WhyResend:
		return fmt.Sprintf("client says it never got the invoice or lacks the bank details: sent again; the stage clock restarts from %s", d(w.From))
	case WhyInstallment:
		if w.Forward {
			return "client asks for a payment plan or more time: forwarded to the owner"
		}
		return "client asks for a payment plan or more time: the bot does not negotiate; with the owner"
	case WhyRedirectReply:
		if w.Address == "" {
			return "client points to another contact without an address: forwarded to the owner"
		}
		return fmt.Sprintf("client names another contact: the next message goes to %s; the owner is told", w.Address)
	case WhyAutoReply:
		return "automatic reply: ignored"
	case WhyBounceReply:
		failed := w.Address
		if failed == "" {
			failed = "the client address"
		}
		s := fmt.Sprintf("delivery to %s failed: the owner is alerted", failed)
		if w.Waits {
			s += "; the chase waits for a working address from the owner"
		}
		return s
	case WhyOtherReply:
		return "client wrote something the bot does not act on: forwarded to the owner"
	case WhyUnsureReply:
		return fmt.Sprintf("the bot is not sure of the reply (it reads as %s, %d%% sure): forwarded to the owner, who decides; the chase waits", w.Kind, w.Percent)
	case WhyPaidCmd:
		if w.Settle {
			return fmt.Sprintf("owner: paid; the invoice is closed for the settlement of %s (%s given up)", w.Amount.StringFixed(2), w.Rest.StringFixed(2))
		}
		return "owner: paid; the invoice is closed"
	case WhyPartlyPaid:
		got := w.Amount.StringFixed(2)
		var s string
		switch w.Part {
		case PartFull:
			s = fmt.Sprintf("owner: %s received; with the %s received before, the invoice is paid in full and closed", got, w.Rest.StringFixed(2))
		case PartSettled:
			s = fmt.Sprintf("owner: %s received, the settlement asked; the invoice is closed (%s given up)", got, w.Rest.StringFixed(2))
		case PartSettleLeft:
			s = fmt.Sprintf("owner: %s received; %s of the settlement still to pay", got, w.Rest.StringFixed(2))
		default:
			s = fmt.Sprintf("owner: %s received; %s still outstanding", got, w.Rest.StringFixed(2))
		}
		if w.Days > 0 {
			s += "; the client said it paid, so the chase resumes for the rest: " + w.nextFromToday()
		}
		return s
	case WhySettleCmd:
		return fmt.Sprintf("owner: settle for %s instead of %s; the offer goes to the client, to pay by %s", w.Amount.StringFixed(2), w.Rest.StringFixed(2), d(w.From))
	case WhyWriteOff:
		return fmt.Sprintf("owner: write off; %s given up, the invoice is closed", w.Rest.StringFixed(2))
	case WhyPauseCmd:
		return fmt.Sprintf("owner: paused until %s", w.Until.Format("2006-01-02 15:04"))
	case WhyStopCmd:
		return "owner: stop; nothing more goes to the client"
	case WhyNoteCmd:
		return "owner note: " + w.Text
	case WhyContactCmd:
		return "owner: the client's contact is now " + w.Address + w.completion()
	case WhySetCmd:
		var s string
		switch w.Kind {
		case "number":
			s = "owner: invoice number " + w.Text
		case "issue_date":
			s = "owner: issue date " + d(w.From)
		case "due_date":
			s = "owner: due date " + d(w.From)
		case "amount":
			s = fmt.Sprintf("owner: amount %s %s", w.Amount.StringFixed(2), w.Currency)
		case "client_name":
			s = "owner: client name " + w.Text
		case "client_vat":
			s = "owner: client VAT number " + w.Text
		}
		return s + w.completion()
	case WhyNoticeCmd:
		s := "owner: send the formal notice to the client"
		if w.Waits {
			s += "; no more reminders: the case waits for the owner"
		}
		if w.Settle {
			s += "; the settlement offer is withdrawn"
		}
		switch w.Kind {
		case RoutePEC:
			s += fmt.Sprintf("; sent to %s through the PEC account %s", w.Address, w.Text)
		case RoutePECToOrdinary:
			s += fmt.Sprintf("; sent to %s through the PEC account %s (not a PEC mailbox: acceptance receipt only)", w.Address, w.Text)
		case RouteMail:
			s += fmt.Sprintf("; sent to %s by ordinary mail (no [pec] account configured)", w.Address)
		}
		return s
	case WhyIntake:
		none := func(s string) string {
			if s == "" {
				return "(none)"
			}
			return s
		}
		due := "(none)"
		if !w.From.IsZero() {
			due = d(w.From)
		}
		s := fmt.Sprintf("invoice %s for %s registered from the owner's mail (%s): amount %s %s, due %s",
			none(w.Number), none(w.Address), w.Kind, w.Amount.StringFixed(2), w.Currency, due)
		if len(w.Missing) > 0 {
			s += "; missing " + strings.Join(w.Missing, ", ") + ": the owner is asked"
		}
		return s
	case WhyResume:
		s := "owner: resume; "
		if w.Back {
			s = "owner: resume after stage 4; the chase resumes at stage 3; "
		}
		return s + w.nextFromToday()
	case WhyCapOwnerSender:
		return fmt.Sprintf("%s to the owner held for the next digest: %s already caused %d message(s) to the owner today (the cap)", w.Template, orNone(w.Address), w.Count)
	case WhyCapOwnerDay:
		return fmt.Sprintf("%s to the owner held for the next digest: the owner already got %d message(s) caused by incoming mail today (policy.owner_messages_per_day)", w.Template, w.Count)
	case WhyCapQueued:
		return fmt.Sprintf("%s to %s not queued again: one is already waiting to go out", w.Template, w.Address)
	case WhyCapMoved:
		return fmt.Sprintf("%s to %s moved to %s: the cap of %d message(s) a day to one recipient is reached", w.Template, w.Address, w.At.Format("2006-01-02 15:04"), w.Count)
	case WhyCapDigest:
		return fmt.Sprintf("digest of %d message(s) held by the cap sent to the owner", w.Count)
	case WhyLoop:
		return fmt.Sprintf("%s to %s not queued: %d messages went to that address in the last hour (the loop breaker; writing resumes when the hour has passed)", w.Template, w.Address, w.Count)
	case WhySendConfirmed:
		return fmt.Sprintf("%s to %s: the server had accepted it (the bot's own copy arrived) although the sending was cut off", w.Template, w.Address)
	case WhySendFailed:
		return fmt.Sprintf("the mail server refused %s to %s: %s", w.Template, w.Address, w.Text)
	case WhyCmdHelp:
		return "the owner asked for the commands: the list is sent now"
	case WhyCmdStatus:
		return "the owner asked for the status: the summary is sent now"
	case WhyCmdUnknown:
		if w.Ready {
			return "the owner's mail holds no command the bot knows; help sent"
		}
		return "the owner's mail holds no command the bot knows; no help sent: " + w.Text
	case WhyCmdRefused:
		return "not applied: " + w.Text
	case WhyUndo:
		if EventKind(w.Kind) == EventPaymentBank {
			return fmt.Sprintf("owner: undo of the payment read in the bank statement %s; the invoice is back to %s", w.At.Format("2006-01-02 15:04"), w.State)
		}
		return fmt.Sprintf("owner: undo of %s given %s; the invoice is back to %s", w.Kind, w.At.Format("2006-01-02 15:04"), w.State)
	case WhyUnverified:
		var s string
		switch w.Kind {
		case "owner":
			s = fmt.Sprintf("mail from the owner's address %s is not verified (%s)", w.Address, w.Text)
		case "redirect":
			s = fmt.Sprintf("mail from %s names %s as the client's contact, but %s is not a contact of invoice %s nor of its domain: the contact is unchanged", orNone(w.Address), w.Text, orNone(w.Address), w.Number)
		default:
			s = fmt.Sprintf("mail from %s read as %s, but %s is not a contact of invoice %s and the mail is not threaded under the bot's", orNone(w.Address), w.Text, orNone(w.Address), w.Number)
		}
		if w.Forward {
			return s + "; acted on by no one, shown to the owner"
		}
		return s + "; automatic mail: recorded only"
	case WhyEngineFailed:
		return w.Text + "; the bot tries again at the next pass"
	case WhyLoginRefused:
		return fmt.Sprintf("the bot cannot log in to %s: %s; it keeps trying, and tells the owner once a day", w.Address, w.Text)
	case WhyClientSet:
		return fmt.Sprintf("owner: client %s: %s (set by email; overrides the configuration file for this client)", w.Address, w.Text)
	case WhyBankPaid:
		s := fmt.Sprintf("paid: a credit of %s %s, value date %s, from %s in the bank statement", w.Amount.StringFixed(2), w.Currency, d(w.From), orNone(w.Address))
		if w.Text != "" {
			s += fmt.Sprintf(" (%q)", w.Text)
		}
		return s + "; no more reminders"
	}
	return string(w.Code)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// nextFromToday says when the next reminder of a chase restarted today
// goes out (Days from today; for stage 1, not before FirstDays after From).
func (w Why) nextFromToday() string {
	if w.FirstDays > 0 {
		return fmt.Sprintf("stage 1 goes out %d days after %s or %d days from today, whichever is later", w.FirstDays, w.From.Format(dateFmt), w.Days)
	}
	return fmt.Sprintf("stage %d goes out %d days from today", w.Stage, w.Days)
}

// completion says what a command did to an incomplete invoice.
func (w Why) completion() string {
	switch {
	case len(w.Missing) > 0:
		return "; still missing " + strings.Join(w.Missing, ", ")
	case w.Ready:
		return "; the invoice is complete and the chase starts"
	}
	return ""
}
