package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/ledger"
	"github.com/sollecito/sollecito/templates"
)

// The per-recipient cap (policy.max_messages_per_day, default 1): no
// recipient gets more than that many messages from the bot in one calendar
// day of the business, however much mail arrives.
//
//   - A client message over the cap moves to the next day with room (in
//     office hours, on the client's payment days); one identical to a message
//     already waiting in the outbox is dropped.
//   - An owner message over the cap is held in the ledger; the first pass of
//     a day with room sends one digest listing everything held for that
//     cause. The owner's cap counts per cause: the address whose mail caused
//     the message, so one flooding sender cannot bury the others; mail that
//     matches no invoice is one cause, whoever sends it.
//   - Exempt (never capped): the answers to the owner's own mail
//     (command_done, command_help, missing_fields, and the summary that
//     answers "stato"), which the owner caused and expects at once; and owner
//     messages no incoming mail caused — the periodic summary, the
//     schedule's call_task, case_file and broken_promise, at most one per
//     invoice per stage, and the alert for a send refused for good, at most
//     one per outgoing message.
//
// The count, the move and the hold are written in the transaction of the
// decision, so a crash loses no held message and counts nothing twice.

// dayLayout names a calendar day in the cap's ledger rows.
const dayLayout = "2006-01-02"

// capKey returns who the cap counts a message under, or "" when exempt.
func (e *Engine) capKey(inv policy.Invoice, t policy.Template, a about) string {
	if t.Recipient() == policy.ToClient {
		if t == policy.Notice && a.to != "" {
			return "client:" + strings.ToLower(a.to)
		}
		return "client:" + strings.ToLower(inv.Client)
	}
	switch t {
	case policy.Digest:
		return a.capKey
	case policy.CommandDone, policy.CommandHelp, policy.MissingFields, policy.Summary:
		return ""
	}
	if a.m == nil {
		return ""
	}
	if t == policy.ForwardUnmatched && a.reading != "malformed" {
		// Mail that concerns no invoice is one cause, whoever sends it:
		// a thousand strangers give the owner one forward and one digest.
		return ownerKeyPrefix + "unmatched"
	}
	return ownerKeyPrefix + strings.ToLower(a.m.Sender())
}

// applyCap counts the message id under key. It returns when the message may
// go (notBefore, or a later day for a client message), or hold true when
// the message must not be queued (held for the digest, or a duplicate).
func (e *Engine) applyCap(tx *ledger.Tx, key, id string, inv policy.Invoice, t policy.Template, a about, notBefore, now time.Time) (time.Time, bool, error) {
	counted, held, err := tx.CapState(id)
	if err != nil || counted || held {
		return notBefore, held, err
	}
	limit := max(e.cfg.Policy.MaxMessagesPerDay, 1)
	loc := e.cfg.Settings.Location
	day := notBefore.In(loc).Format(dayLayout)
	owner := t.Recipient() == policy.ToOwner
	st := policy.CapState{Template: t, ToOwner: owner, Limit: limit, OwnerLimit: e.ownerLimit(), Address: inv.Client}
	if owner {
		st.Address = ""
		if a.m != nil {
			st.Address = a.m.Sender()
		}
	}
	if st.Sent, err = tx.CapCount(key, day); err != nil {
		return notBefore, false, err
	}
	if owner {
		// Whatever arrives, the owner gets at most OwnerMessagesPerDay
		// messages a day because of incoming mail.
		if st.OwnerSent, err = tx.CapCountPrefix(ownerKeyPrefix, day); err != nil {
			return notBefore, false, err
		}
	} else if st.Sent >= limit && inv.ID != 0 {
		if st.Queued, err = tx.Queued(inv.ID, string(t), inv.Client); err != nil {
			return notBefore, false, err
		}
	}
	action, why := policy.Cap(st)
	switch action {
	case policy.CapSend:
		return notBefore, false, tx.CapUse(id, key, day)
	case policy.CapHold:
		h := ledger.Held{MessageID: id, Key: key, InvoiceID: inv.ID, Template: string(t), Reading: a.reading, At: now, From: st.Address}
		if a.m != nil {
			h.Subject = a.m.Subject
		}
		if err := tx.Hold(h); err != nil {
			return notBefore, false, err
		}
		return notBefore, true, tx.AddEvent(ledger.Event{InvoiceID: inv.ID, At: now, Kind: policy.EventCapHeld, Reason: why.English(), Why: &why, MessageID: msgIDOf(a)})
	case policy.CapDrop:
		return notBefore, true, tx.AddEvent(ledger.Event{InvoiceID: inv.ID, At: now, Kind: policy.EventCapDropped, Reason: why.English(), Why: &why, MessageID: msgIDOf(a)})
	}
	// Moved to the next day with room, in office hours on the client's
	// payment days.
	client, err := e.clientSettings(tx, inv.Client)
	if err != nil {
		return notBefore, false, err
	}
	next := notBefore
	for range 366 {
		d := next.In(loc)
		next = policy.SendWindow(time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc), client, e.cfg.Settings, time.Time{})
		day = next.In(loc).Format(dayLayout)
		n, err := tx.CapCount(key, day)
		if err != nil {
			return notBefore, false, err
		}
		if n < limit {
			break
		}
	}
	if err := tx.CapUse(id, key, day); err != nil {
		return notBefore, false, err
	}
	why.At = next.In(loc)
	return next, false, tx.AddEvent(ledger.Event{InvoiceID: inv.ID, At: now, Kind: policy.EventCapHeld, Reason: why.English(), Why: &why, MessageID: msgIDOf(a)})
}

func msgIDOf(a about) string {
	if a.m != nil {
		return a.m.MessageID
	}
	return ""
}

// ownerKeyPrefix starts the cap key of every owner message incoming mail
// caused ("owner:" + the cause), the digest's included.
const ownerKeyPrefix = "owner:"

// digestKey is the cap key the daily digest counts under.
const digestKey = ownerKeyPrefix + "digest"

// maxDigestItems is the most held mails one digest lists one by one; the
// rest are counted (they are in the ledger and the mailbox).
const maxDigestItems = 100

// ownerLimit is policy.owner_messages_per_day, at least 1.
func (e *Engine) ownerLimit() int {
	return max(e.cfg.Policy.OwnerMessagesPerDay, 1)
}

// releaseHeld sends, once a day and when the owner's daily bound has room,
// one digest of every owner message held before today, whatever caused
// it: however many causes were held, the owner gets one message.
func (e *Engine) releaseHeld(ctx context.Context, now time.Time) error {
	return e.db.Tx(ctx, func(tx *ledger.Tx) error {
		waiting, err := tx.Waiting()
		if err != nil || len(waiting) == 0 {
			return err
		}
		loc := e.cfg.Settings.Location
		day := now.In(loc).Format(dayLayout)
		if n, err := tx.CapCount(digestKey, day); err != nil || n > 0 {
			return err // one digest a day
		}
		if total, err := tx.CapCountPrefix(ownerKeyPrefix, day); err != nil || total >= e.ownerLimit() {
			return err
		}
		// What was held today waits for tomorrow: its cause, or the
		// owner's bound, is full today. Waiting lists them in the order
		// they were held.
		var items []ledger.Held
		for _, h := range waiting {
			if h.At.In(loc).Format(dayLayout) < day {
				items = append(items, h)
			}
		}
		if len(items) == 0 {
			return nil
		}
		var list []templates.Held
		for _, h := range items[:min(len(items), maxDigestItems)] {
			th := templates.Held{At: h.At.In(loc), From: h.From, Subject: h.Subject, Reading: templates.HeldReading(e.cfg.Owner.Language, h.Reading), Sent: policy.Template(h.Template)}
			if h.InvoiceID != 0 {
				inv, err := tx.Invoice(h.InvoiceID)
				if err != nil {
					return err
				}
				th.Invoice = inv.Number
			}
			list = append(list, th)
		}
		a := about{held: list, heldMore: len(items) - len(list), capKey: digestKey, key: "digest-" + day}
		id := e.messageID(policy.Invoice{}, policy.Digest, a)
		if err := e.enqueue(tx, policy.Invoice{}, policy.Digest, now, a); err != nil {
			return err
		}
		for _, h := range items {
			if err := tx.Release(h.ID, id); err != nil {
				return err
			}
		}
		why := policy.Why{Code: policy.WhyCapDigest, Count: len(items)}
		if err := tx.AddEvent(ledger.Event{At: now, Kind: policy.EventCapDigest, Reason: why.English(), Why: &why, MessageID: id}); err != nil {
			return err
		}
		return nil
	})
}

// messageID is the deterministic Message-ID of the message t about inv for a.
func (e *Engine) messageID(inv policy.Invoice, t policy.Template, a about) string {
	return mailbox.MessageID(e.db.Secret(), domainOf(e.cfg.Bot.Address), "sollecito", fmt.Sprint(inv.ID), string(t), a.key)
}

// loopLimit is the most messages the bot queues to one owner address in an
// hour, whatever their kind, exempt from the daily cap or not. Nothing the
// bot does on its own comes near it (a pass writes one summary, one
// confirmation per command); only a robot answering the bot, and the bot
// answering it, does. Client messages are under the daily cap, which moves
// what is over it to a later day.
const loopLimit = 10

// loopBreak reports whether message id (template t) must not be queued to
// the owner because one of the addresses in to already got loopLimit
// messages in the last hour: the loop breaker. The first time in an hour it
// stops an address, it says so in the log (ERROR) and in the ledger
// ("loop:stopped"), where the summary and history show it; the messages it
// stops later that hour are recorded as "loop:held". A message already
// queued (a decision taken again after a crash) is never stopped.
func (e *Engine) loopBreak(tx *ledger.Tx, inv policy.Invoice, t policy.Template, to []mailbox.Address, id string, a about, now time.Time) (bool, error) {
	if _, err := tx.OutgoingByMessageID(id); err == nil {
		return false, nil
	} else if !errors.Is(err, ledger.ErrNotFound) {
		return false, err
	}
	since := now.Add(-time.Hour)
	for _, addr := range to {
		n, err := tx.EnqueuedSince(addr.Email, since, "")
		if err != nil {
			return false, err
		}
		if n < loopLimit {
			continue
		}
		evs, err := tx.EventsSince(since)
		if err != nil {
			return false, err
		}
		kind := policy.EventLoopStopped
		for _, ev := range evs {
			if (ev.Kind == policy.EventLoopStopped || ev.Kind == policy.EventLoopHeld) && (ev.Why != nil && ev.Why.Address == addr.Email || ev.Why == nil && strings.Contains(ev.Reason, " to "+addr.Email+" ")) {
				kind = policy.EventLoopHeld
				break
			}
		}
		if kind == policy.EventLoopStopped {
			e.log.Error("loop breaker: the bot stops writing to an address for an hour", "to", addr.Email, "template", string(t), "queued_last_hour", n)
		}
		why := policy.Why{Code: policy.WhyLoop, Template: t, Address: addr.Email, Count: n}
		return true, tx.AddEvent(ledger.Event{InvoiceID: inv.ID, At: now, Kind: kind, Reason: why.English(), Why: &why, MessageID: msgIDOf(a)})
	}
	return false, nil
}
