package engine

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
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
	if a.status {
		var b bytes.Buffer
		rows, err := e.statusRows(tx, now)
		if err != nil {
			return d, err
		}
		if err := writeStatusTable(&b, rows); err != nil {
			return d, err
		}
		d.Command = "status\n\n" + b.String()
	}
	if inv.ID == 0 {
		return d, nil
	}
	contacts, err := tx.Contacts(inv.ID)
	if err != nil {
		return d, err
	}
	d.Contacts = contacts
	msgs, err := tx.Messages(inv.ID)
	if err != nil {
		return d, err
	}
	for _, m := range msgs {
		switch {
		case m.Direction == "out":
			d.History = append(d.History, templates.Entry{At: m.Date.In(loc), Sent: policy.Template(m.Kind)})
		case m.Kind == "invoice":
			d.History = append(d.History, templates.Entry{At: m.Date.In(loc), What: "invoice mail: " + m.Subject})
		default:
			d.History = append(d.History, templates.Entry{At: m.Date.In(loc), What: fmt.Sprintf("%s: %s (%s)", m.From, m.Subject, m.Kind)})
		}
	}
	sort.SliceStable(d.History, func(i, j int) bool { return d.History[i].At.Before(d.History[j].At) })
	if t == policy.Resend {
		src, err := tx.InvoiceSource(inv.ID)
		if err != nil && !errors.Is(err, ledger.ErrNotFound) {
			return d, err
		}
		if len(src.Attachments) > 0 {
			d.Attachment = src.Attachments[0].Filename
		}
	}
	switch t {
	case policy.Stage2, policy.Stage3, policy.PromiseMissed:
		// The client is asked to pay before the next stage would be due.
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
			if step, ok := policy.Next(inv, e.cfg.ClientSettings(inv.Client), e.cfg.Settings, last, now); ok && len(step.Send) > 0 {
				d.Next = templates.Step{At: step.At.In(loc), Template: step.Send[0]}
			}
		}
	}
	return d, nil
}
