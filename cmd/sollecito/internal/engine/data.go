package engine

import (
	"errors"
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
			Address: e.cfg.Business.Address, VATNumber: e.cfg.Business.VATNumber,
		},
		Invoice:       inv,
		Missing:       a.missing,
		Command:       a.command,
		HelpAsked:     a.help,
		UndoBy:        a.undoBy,
		CommandDetail: a.detail,
		Words:         a.words,
		Now:           now.In(loc),

		Untrusted:  a.untrusted,
		NewContact: a.contact,
		Credit:     a.credit,
		Held:       a.held,
		HeldMore:   a.heldMore,
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
		if g := a.verdict.Guess; g != "" {
			d.Guess = &templates.Guess{Kind: string(g), Percent: int(100*a.verdict.GuessConfidence + 0.5),
				Date: a.verdict.PromisedDate, Address: a.verdict.RedirectTo}
		}
	}
	d.Summary = a.summary
	if a.login != "" {
		d.From = a.login
	}
	d.ClientName = inv.ClientName // every template names the client when the invoice or the owner does
	if inv.ID == 0 {
		return d, nil
	}
	contacts, err := tx.Contacts(inv.ID)
	if err != nil {
		return d, err
	}
	d.Contacts = contacts
	if d.History, err = e.timeline(tx, inv); err != nil {
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
	if t == policy.NoticeLapsed {
		d.NoticeTerm = policy.NoticeTermEnd(inv.NoticeAt, e.cfg.Settings)
	}
	if t == policy.CaseFile || t == policy.Notice || t == policy.NoticeLapsed {
		// The figures as of the day the message goes: the notice waits for
		// office hours as enqueue makes it wait.
		asOf := now
		if t.Recipient() == policy.ToClient {
			asOf = a.at
			if asOf.IsZero() {
				asOf = policy.SendWindow(now, policy.Client{}, e.cfg.Settings, time.Time{})
			}
		}
		// An invoice older than the rate table has no claim: the notice
		// claims interest without figures rather than not going at all.
		claim, ok, err := e.claim(tx, inv, asOf)
		switch {
		case err != nil:
			return d, err
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
		// The client is asked to pay by the last business day before the
		// next step (inv is the invoice after this reminder's step).
		cs, err := e.clientSettings(tx, inv.Client)
		if err != nil {
			return d, err
		}
		d.PayBy, _ = policy.PayBy(inv, cs, e.cfg.Settings)
	default:
		if t.Recipient() == policy.ToOwner {
			step, ok, err := e.nextStep(tx, inv, now)
			if err != nil {
				return d, err
			}
			if ok && len(step.Send) > 0 {
				d.Next = templates.Step{At: step.At.In(loc), Template: step.Send[0]}
			}
		}
	}
	return d, nil
}

// nextStep is what the schedule will do next about inv as of now (see
// policy.Next), with the client's settings and the last message sent to it.
func (e *Engine) nextStep(tx *ledger.Tx, inv policy.Invoice, now time.Time) (policy.Step, bool, error) {
	last, err := tx.LastSentTo(inv.Client)
	if err != nil {
		return policy.Step{}, false, err
	}
	cs, err := e.clientSettings(tx, inv.Client)
	if err != nil {
		return policy.Step{}, false, err
	}
	step, ok := policy.Next(inv, cs, e.cfg.Settings, last, now)
	return step, ok, nil
}
