package engine

import (
	"errors"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/ledger"
	"github.com/sollecito/sollecito/templates"
)

// data gathers what a template shows about an invoice: the business, the
// invoice, its history (every message in and out, oldest first), the
// client's words, and what the bot will do next.
func (e *Engine) data(tx *ledger.Tx, inv policy.Invoice, t policy.Template, a about, now time.Time) (templates.Data, error) {
	loc := e.cfg.Settings.Location
	d := templates.Data{
		Business: templates.Business{
			Name: e.cfg.Business.Name, IBAN: e.cfg.Business.IBAN, OwnerName: e.cfg.Owner.Name,
			Signature: e.cfg.Business.Signature, BotAddress: e.cfg.Bot.Address,
		},
		Invoice: inv,
		Missing: a.missing,
		Command: a.command,
		Words:   a.words,
		Now:     now.In(loc),

		Untrusted: a.untrusted,
		Held:      a.held,
	}
	if a.m != nil {
		d.Subject = a.m.Subject
		d.From = a.m.Sender()
		if d.Words == "" {
			d.Words = a.m.Body()
		}
	}
	if a.verdict != nil {
		if a.verdict.Text != "" {
			d.Words = a.verdict.Text
		}
		if a.verdict.FailedRecipient != "" {
			d.From = a.verdict.FailedRecipient
		}
	}
	d.Summary = a.summary
	if inv.ID == 0 {
		return d, nil
	}
	contacts, err := tx.Contacts(inv.ID)
	if err != nil {
		return d, err
	}
	d.Contacts = contacts
	if d.History, err = e.history(tx, inv.ID); err != nil {
		return d, err
	}
	if t == policy.Resend {
		src, err := tx.InvoiceSource(inv.ID)
		if err != nil && !errors.Is(err, ledger.ErrNotFound) {
			return d, err
		}
		if len(src.Attachments) > 0 {
			d.Attachment = src.Attachments[0].Filename
		}
	}
	if t == policy.CaseFile || t == policy.Notice {
		// The figures as of the day the message goes: the notice waits for
		// office hours as enqueue makes it wait.
		asOf := now
		if t.Recipient() == policy.ToClient {
			asOf = a.at
			if asOf.IsZero() {
				asOf = policy.SendWindow(now, policy.Client{}, e.cfg.Settings, time.Time{})
			}
		}
		rates := e.cfg.Rates
		if rates.Len() == 0 {
			rates = policy.DefaultRates()
		}
		cs, err := e.clientSettings(tx, inv.Client)
		if err != nil {
			return d, err
		}
		claim, ok, err := policy.LateClaim(inv, cs, asOf, e.cfg.Settings, rates)
		switch {
		case err != nil:
			// An invoice older than the rate table: the notice claims
			// interest without figures rather than not going at all.
			e.log.Warn("statutory interest not computed", "invoice", inv.Number, "err", err)
		case ok:
			d.Interest = templates.NewInterest(claim)
			if claim.Assumed() {
				e.log.Warn("statutory interest: a half-year is missing from the rate table; the latest known rate is assumed (add it to policy.rates_file)",
					"invoice", inv.Number, "to", claim.To.Format("2006-01-02"))
			}
		}
	}
	switch t {
	case policy.Stage2, policy.Stage3, policy.PromiseMissed:
		// The client is asked to pay before the next stage would be due, on a business day.
		payBy := now.In(loc).AddDate(0, 0, e.cfg.Settings.StageIntervalDays)
		for !policy.BusinessDay(payBy, e.cfg.Settings) {
			payBy = payBy.AddDate(0, 0, 1)
		}
		d.Next = templates.Step{At: payBy}
	default:
		if t.Recipient() == policy.ToOwner {
			last, err := tx.LastSentTo(inv.Client)
			if err != nil {
				return d, err
			}
			cs, err := e.clientSettings(tx, inv.Client)
			if err != nil {
				return d, err
			}
			if step, ok := policy.Next(inv, cs, e.cfg.Settings, last, now); ok && len(step.Send) > 0 {
				d.Next = templates.Step{At: step.At.In(loc), Template: step.Send[0]}
			}
		}
	}
	return d, nil
}

// promisedIn finds the promised date the engine writes into a reply's event
// reason (", promised 2006-01-02"); failedIn the address of a bounce's
// ("delivery to ADDR failed").
var (
	promisedIn = regexp.MustCompile(`promised (\d{4}-\d{2}-\d{2})`)
	failedIn   = regexp.MustCompile(`delivery to (\S+) failed`)
)

// history returns the case timeline of an invoice, oldest first: every
// message in and out, how the bot read each client mail (with the date a
// promise named), each owner command, and the other events the ledger
// holds (a failed send, say). Schedule decisions show as the messages they
// sent.
func (e *Engine) history(tx *ledger.Tx, invoiceID int64) ([]templates.Entry, error) {
	loc := e.cfg.Settings.Location
	msgs, err := tx.Messages(invoiceID)
	if err != nil {
		return nil, err
	}
	events, err := tx.Events(invoiceID)
	if err != nil {
		return nil, err
	}
	byMsg := map[string][]int{}
	for i, ev := range events {
		if ev.MessageID != "" {
			byMsg[ev.MessageID] = append(byMsg[ev.MessageID], i)
		}
	}
	used := make([]bool, len(events))
	var h []templates.Entry
	for _, m := range msgs {
		at := m.Date.In(loc)
		var evs []ledger.Event
		if m.MessageID != "" && m.Direction == ledger.In {
			for _, i := range byMsg[m.MessageID] {
				used[i] = true
				evs = append(evs, events[i])
			}
		}
		switch {
		case m.Direction == ledger.Out:
			h = append(h, templates.Entry{At: at, Sent: policy.Template(m.Kind), To: m.To})
		case m.Kind == "invoice":
			h = append(h, templates.Entry{At: at, Kind: "invoice", What: m.Subject})
		case m.Kind == "command":
			n := 0
			for _, ev := range evs {
				if verb, ok := strings.CutPrefix(ev.Kind, "command:"); ok {
					h = append(h, templates.Entry{At: at, Kind: ev.Kind, From: m.From, What: e.commandDetail(verb, ev.Reason)})
					n++
				}
			}
			if n == 0 {
				h = append(h, templates.Entry{At: at, Kind: "command:unknown", From: m.From})
			}
		default:
			en := templates.Entry{At: at, Kind: m.Kind, From: m.From}
			for _, ev := range evs {
				if x := promisedIn.FindStringSubmatch(ev.Reason); x != nil && m.Kind == "promise" {
					en.Promised, _ = time.Parse("2006-01-02", x[1])
				}
				if x := failedIn.FindStringSubmatch(ev.Reason); x != nil && m.Kind == "bounce" {
					en.What = x[1]
				}
			}
			h = append(h, en)
		}
	}
	for i, ev := range events {
		if used[i] || ev.Kind == "intake" || ev.Kind == "schedule" || strings.HasPrefix(ev.Kind, "reply:") || strings.HasPrefix(ev.Kind, "command:") {
			continue
		}
		if slices.Contains(templates.Names(), policy.Template(ev.Kind)) {
			continue // a schedule decision: the message it sent is in the timeline
		}
		h = append(h, templates.Entry{At: ev.At.In(loc), Kind: ev.Kind, What: ev.Reason})
	}
	sort.SliceStable(h, func(i, j int) bool { return h[i].At.Before(h[j].At) })
	return h, nil
}

// commandDetail is what the timeline shows after an owner command's name:
// the note's text, the new contact, the pause's end, or the reason the
// ledger gives for commands the timeline has no words of its own for.
func (e *Engine) commandDetail(verb, reason string) string {
	switch verb {
	case "paid", "stop", "resume", "status", "unknown":
		return ""
	case "note":
		return strings.TrimPrefix(reason, "owner note: ")
	case "contact":
		return strings.TrimPrefix(reason, "owner: the client's contact is now ")
	case "pause":
		if s, ok := strings.CutPrefix(reason, "owner: paused until "); ok && len(s) >= 10 {
			if t, err := time.Parse("2006-01-02", s[:10]); err == nil {
				if e.cfg.Owner.Language == "it" {
					return "fino al " + t.Format("02/01/2006")
				}
				return "until " + t.Format("2006-01-02")
			}
		}
	}
	return strings.TrimPrefix(reason, "owner: ")
}
