package engine

import (
	"context"
	"fmt"
	"sort"
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
//     the message, so one flooding sender cannot bury the others.
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
	return "owner:" + strings.ToLower(a.m.Sender())
}

// applyCap counts the message id under key. It returns when the message may
// go (notBefore, or a later day for a client message), or hold true when
// the message must not be queued (held for the digest, or a duplicate).
func (e *Engine) applyCap(tx *ledger.Tx, key, id string, inv policy.Invoice, t policy.Template, a about, notBefore, now time.Time) (time.Time, bool, error) {
	counted, held, err := tx.CapState(id)
	if err != nil || counted || held {
		return notBefore, held, err
	}
	limit := e.cfg.Policy.MaxMessagesPerDay
	if limit < 1 {
		limit = 1
	}
	loc := e.cfg.Settings.Location
	day := notBefore.In(loc).Format(dayLayout)
	n, err := tx.CapCount(key, day)
	if err != nil {
		return notBefore, false, err
	}
	if n < limit {
		return notBefore, false, tx.CapUse(id, key, day)
	}
	if t.Recipient() == policy.ToOwner {
		h := ledger.Held{MessageID: id, Key: key, InvoiceID: inv.ID, Template: string(t), Reading: a.reading, At: now}
		if a.m != nil {
			h.From, h.Subject = a.m.Sender(), a.m.Subject
		}
		if err := tx.Hold(h); err != nil {
			return notBefore, false, err
		}
		reason := fmt.Sprintf("%s to the owner held for the next digest: %s already caused %d message(s) to the owner today (the cap)", t, orNone(h.From), n)
		return notBefore, true, tx.AddEvent(ledger.Event{InvoiceID: inv.ID, At: now, Kind: "cap:held", Reason: reason, MessageID: msgIDOf(a)})
	}
	// A client message: never twice the same, never over the cap.
	if inv.ID != 0 {
		queued, err := tx.Queued(inv.ID, string(t), inv.Client)
		if err != nil {
			return notBefore, false, err
		}
		if queued {
			reason := fmt.Sprintf("%s to %s not queued again: one is already waiting to go out", t, inv.Client)
			return notBefore, true, tx.AddEvent(ledger.Event{InvoiceID: inv.ID, At: now, Kind: "cap:dropped", Reason: reason, MessageID: msgIDOf(a)})
		}
	}
	next := notBefore
	for range 366 {
		d := next.In(loc)
		next = policy.SendWindow(time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc), e.cfg.ClientSettings(inv.Client), e.cfg.Settings, time.Time{})
		day = next.In(loc).Format(dayLayout)
		if n, err = tx.CapCount(key, day); err != nil {
			return notBefore, false, err
		}
		if n < limit {
			break
		}
	}
	if err := tx.CapUse(id, key, day); err != nil {
		return notBefore, false, err
	}
	reason := fmt.Sprintf("%s to %s moved to %s: the cap of %d message(s) a day to one recipient is reached", t, inv.Client, next.In(loc).Format("2006-01-02 15:04"), limit)
	return next, false, tx.AddEvent(ledger.Event{InvoiceID: inv.ID, At: now, Kind: "cap:held", Reason: reason, MessageID: msgIDOf(a)})
}

func msgIDOf(a about) string {
	if a.m != nil {
		return a.m.MessageID
	}
	return ""
}

// releaseHeld sends, for every cause with held messages and room under
// today's cap, one digest of them.
func (e *Engine) releaseHeld(ctx context.Context, now time.Time) error {
	return e.db.Tx(ctx, func(tx *ledger.Tx) error {
		waiting, err := tx.Waiting()
		if err != nil || len(waiting) == 0 {
			return err
		}
		byKey := map[string][]ledger.Held{}
		for _, h := range waiting {
			byKey[h.Key] = append(byKey[h.Key], h)
		}
		keys := make([]string, 0, len(byKey))
		for k := range byKey {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		loc := e.cfg.Settings.Location
		day := now.In(loc).Format(dayLayout)
		for _, key := range keys {
			n, err := tx.CapCount(key, day)
			if err != nil {
				return err
			}
			if n >= max(e.cfg.Policy.MaxMessagesPerDay, 1) {
				continue
			}
			items := byKey[key]
			var list []templates.Held
			for _, h := range items {
				th := templates.Held{At: h.At.In(loc), From: h.From, Subject: h.Subject, Reading: readingWords(h.Reading, e.cfg.Owner.Language), Sent: policy.Template(h.Template)}
				if h.InvoiceID != 0 {
					inv, err := tx.Invoice(h.InvoiceID)
					if err != nil {
						return err
					}
					th.Invoice = inv.Number
				}
				list = append(list, th)
			}
			a := about{held: list, capKey: key, key: "digest-" + key + "-" + day}
			id := e.messageID(policy.Invoice{}, policy.Digest, a)
			if err := e.enqueue(tx, policy.Invoice{}, policy.Digest, now, a); err != nil {
				return err
			}
			for _, h := range items {
				if err := tx.Release(h.ID, id); err != nil {
					return err
				}
			}
			reason := fmt.Sprintf("digest of %d message(s) held by the cap for %s sent to the owner", len(items), strings.TrimPrefix(key, "owner:"))
			if err := tx.AddEvent(ledger.Event{At: now, Kind: "cap:digest", Reason: reason, MessageID: id}); err != nil {
				return err
			}
		}
		return nil
	})
}

// messageID is the deterministic Message-ID of the message t about inv for a.
func (e *Engine) messageID(inv policy.Invoice, t policy.Template, a about) string {
	return mailbox.MessageID(e.db.Secret(), domainOf(e.cfg.Bot.Address), "sollecito", fmt.Sprint(inv.ID), string(t), a.key)
}

// heldReadings name the readings of a held mail that are not reply kinds.
var heldReadings = map[string]map[string]string{
	"it": {"unverified": "mittente non verificato", "malformed": "messaggio illeggibile"},
	"en": {"unverified": "sender not verified", "malformed": "unreadable mail"},
}

// readingWords is how a digest names the bot's reading of a mail.
func readingWords(kind, lang string) string {
	if w, ok := heldReadings[lang][kind]; ok {
		return w
	}
	return templates.ReadingName(lang, kind)
}
