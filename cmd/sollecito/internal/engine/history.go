package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/view"
	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/ledger"
	"github.com/sollecito/sollecito/reply/command"
	"github.com/sollecito/sollecito/templates"
)

// ErrNoInvoice means no invoice has the number or id asked for.
var ErrNoInvoice = errors.New("engine: no such invoice")

// Find returns the invoices with this number (more than one when two
// series share it), as status rows. It only reads the ledger.
func (e *Engine) Find(ctx context.Context, number string) ([]view.StatusRow, error) {
	var rows []view.StatusRow
	err := e.db.View(ctx, func(tx *ledger.Tx) error {
		invs, err := tx.InvoiceByNumber(number)
		if err != nil {
			return err
		}
		now := e.now()
		for _, inv := range invs {
			r, err := e.statusRow(tx, inv, now)
			if err != nil {
				return err
			}
			rows = append(rows, r)
		}
		return nil
	})
	return rows, err
}

// History returns the story of the invoice with this ledger id;
// ErrNoInvoice when there is none. It only reads the ledger.
func (e *Engine) History(ctx context.Context, id int64) (view.History, error) {
	var h view.History
	err := e.db.View(ctx, func(tx *ledger.Tx) error {
		inv, err := tx.Invoice(id)
		if errors.Is(err, ledger.ErrNotFound) {
			return ErrNoInvoice
		} else if err != nil {
			return fmt.Errorf("invoice %d: %w", id, err)
		}
		if h.Invoice, err = e.statusRow(tx, inv, e.now()); err != nil {
			return err
		}
		if h.Contacts, err = tx.Contacts(id); err != nil {
			return err
		}
		h.Entries, err = e.timeline(tx, inv)
		return err
	})
	return h, err
}

// messageTime is when a message counts as having happened: its Date, but
// never later than when the bot recorded a mail received (a sender's clock
// may be wrong), and when it was recorded if it has no Date.
func messageTime(m ledger.Message) time.Time {
	if m.Date.IsZero() || m.Direction == ledger.In && m.Date.After(m.RecordedAt) {
		return m.RecordedAt
	}
	return m.Date
}

// folded reports whether an event caused by a mail received is shown as
// part of that mail's entry: its intake, its reading, its commands, or the
// refusal to act for its sender.
func folded(kind policy.EventKind) bool {
	_, reply := kind.Reply()
	_, command := kind.Command()
	_, unverified := kind.Unverified()
	return kind == policy.EventIntake || reply || command || unverified
}

// timeline builds the timeline of inv, oldest first: the one list that the
// case file, `sollecito history` and the web page show. Every mail received
// is an entry with how it was matched and read (Evidence) and what that
// made the bot do (Reason); an owner's mail is one entry per command in it;
// every message sent is an entry with the decision of the schedule that
// sent it, if any (Reason); the events no mail carries (a failed send, a
// message held back, a decision whose message has not gone yet) are entries
// of their own. At one instant a mail received comes before the decision it
// caused, and the decision before the messages it sent.
func (e *Engine) timeline(tx *ledger.Tx, inv policy.Invoice) ([]templates.Entry, error) {
	loc := e.cfg.Settings.Location
	msgs, err := tx.Messages(inv.ID)
	if err != nil {
		return nil, err
	}
	events, err := tx.Events(inv.ID)
	if err != nil {
		return nil, err
	}
	byMsg := map[string][]int{}
	for i, ev := range events {
		if ev.MessageID != "" && folded(ev.Kind) {
			byMsg[ev.MessageID] = append(byMsg[ev.MessageID], i)
		}
	}
	used := make([]bool, len(events))
	var out []templates.Entry
	for _, m := range msgs {
		at := messageTime(m).In(loc)
		if m.Direction == ledger.Out {
			en := templates.Entry{At: at, Sent: policy.Template(m.Kind), To: m.To, Subject: m.Subject}
			if i := decisionFor(events, used, m.Kind, at); i >= 0 {
				used[i] = true
				en.Reason, en.Why = events[i].Reason, events[i].Why
			}
			out = append(out, en)
			continue
		}
		mail := templates.Entry{At: at, Received: true, Kind: m.Kind, From: m.From, Subject: m.Subject, Evidence: m.Note}
		var caused []int
		if m.MessageID != "" {
			caused = byMsg[m.MessageID]
		}
		if m.Kind == "command" {
			n := 0
			for _, i := range caused {
				if verb, ok := events[i].Kind.Command(); ok {
					used[i] = true
					c := mail
					c.Kind, c.Reason, c.Why = string(events[i].Kind), events[i].Reason, events[i].Why
					c.What = e.commandDetail(verb, events[i], inv.Currency)
					out = append(out, c)
					n++
				}
			}
			if n == 0 {
				mail.Kind = string(policy.CommandEvent("unknown"))
				out = append(out, mail)
			}
			continue
		}
		var reasons []string
		for _, i := range caused {
			used[i] = true
			ev := events[i]
			reasons = append(reasons, ev.Reason)
			if m.Kind == "promise" && !ev.Date.IsZero() {
				mail.Promised = ev.Date
			}
			if m.Kind == "bounce" && ev.Address != "" {
				mail.What = ev.Address
			}
		}
		mail.Reason = strings.Join(reasons, "; ")
		if len(caused) == 1 {
			// One decision: the views say it in the owner's words.
			mail.Why = events[caused[0]].Why
		}
		out = append(out, mail)
	}
	for i, ev := range events {
		if !used[i] {
			out = append(out, templates.Entry{At: ev.At.In(loc), Kind: string(ev.Kind), Reason: ev.Reason, Why: ev.Why})
		}
	}
	// Within a minute (what the views show), causes come before what they
	// caused: a mail received before the bot's answer and decisions, a
	// message sent before the bounce that reports it.
	rank := func(en templates.Entry) int {
		switch {
		case en.Received && en.Kind == "bounce":
			return 3
		case en.Received:
			return 0
		case en.Sent != "":
			return 2
		}
		return 1
	}
	sort.SliceStable(out, func(i, j int) bool {
		mi, mj := out[i].At.Truncate(time.Minute), out[j].At.Truncate(time.Minute)
		if !mi.Equal(mj) {
			return mi.Before(mj)
		}
		if ri, rj := rank(out[i]), rank(out[j]); ri != rj {
			return ri < rj
		}
		return out[i].At.Before(out[j].At)
	})
	return out, nil
}

// decisionFor returns the index of the unused event that decided to send a
// message of template kind at time at: the latest one at or before at,
// else the earliest after it; -1 when there is none (a message an owner
// command or a client's mail caused, whose mail carries the reason).
func decisionFor(events []ledger.Event, used []bool, kind string, at time.Time) int {
	if !slices.Contains(templates.Names(), policy.Template(kind)) {
		return -1
	}
	best := -1
	for i, ev := range events {
		if used[i] || ev.Kind != policy.TemplateEvent(policy.Template(kind)) {
			continue
		}
		if ev.At.After(at) {
			if best < 0 {
				return i
			}
			break
		}
		best = i
	}
	return best
}

// payments returns the partial payments recorded on an invoice ("pagata
// in parte", a bank credit), dated by the value date a bank credit gave,
// else by the day (in loc) the bot learnt of each.
func payments(events []ledger.Event, loc *time.Location) []policy.Payment {
	var ps []policy.Payment
	for _, ev := range events {
		partial := ev.Kind == policy.CommandEvent(string(command.PartlyPaid)) || ev.Kind == policy.EventPaymentBank
		if !partial || !ev.Amount.IsPositive() {
			continue
		}
		on := ev.Date
		if on.IsZero() {
			y, m, d := ev.At.In(loc).Date()
			on = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		}
		ps = append(ps, policy.Payment{On: on, Amount: ev.Amount})
	}
	return ps
}

// commandDetail is what the timeline shows after an owner command's name,
// in the owner's language where the bot has words for it: the note's text,
// the new contact, the pause's end, the money received; for the commands
// with nothing to add "", and the ledger's reason for the others.
func (e *Engine) commandDetail(verb string, ev ledger.Event, currency string) string {
	lang, reason := e.cfg.Owner.Language, ev.Reason
	switch verb {
	case "paid", "stop", "resume", "status", "unknown", "send_notice", "write_off":
		return ""
	case "note":
		return strings.TrimPrefix(reason, "owner note: ")
	case "contact":
		return strings.TrimPrefix(reason, "owner: the client's contact is now ")
	case "partly_paid":
		if ev.Amount.IsPositive() {
			return templates.MoneyText(lang, ev.Amount, currency)
		}
	case "pause":
		if s, ok := strings.CutPrefix(reason, "owner: paused until "); ok && len(s) >= 10 {
			if t, err := time.Parse("2006-01-02", s[:10]); err == nil {
				if lang == "it" {
					return templates.Prep("fino al", templates.Date(lang, t))
				}
				return "until " + templates.Date(lang, t)
			}
		}
	}
	if ev.Why != nil {
		return "" // the reason, in the owner's words, says it
	}
	return strings.TrimPrefix(reason, "owner: ")
}
