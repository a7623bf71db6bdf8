package engine

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/view"
	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/ledger"
	"github.com/sollecito/sollecito/reply/command"
)

// claim returns the statutory claim on inv as of asOf (see policy.LateClaim),
// false when none applies. An invoice older than the rate table is logged
// and has none.
func (e *Engine) claim(tx *ledger.Tx, inv policy.Invoice, asOf time.Time) (policy.Claim, bool, error) {
	rates := e.cfg.Rates
	if rates.Len() == 0 {
		rates = policy.DefaultRates()
	}
	cs, err := e.clientSettings(tx, inv.Client)
	if err != nil {
		return policy.Claim{}, false, err
	}
	events, err := tx.Events(inv.ID)
	if err != nil {
		return policy.Claim{}, false, err
	}
	claim, ok, err := policy.LateClaim(inv, cs, payments(events, e.cfg.Settings.Location), asOf, e.cfg.Settings, rates)
	if err != nil {
		e.log.Warn("statutory interest not computed", "invoice", inv.Number, "err", err)
		return policy.Claim{}, false, nil
	}
	return claim, ok, nil
}

// Status returns every invoice with the next thing the bot will do about it,
// open ones first, oldest due date first. It only reads the ledger.
func (e *Engine) Status(ctx context.Context) ([]view.StatusRow, error) {
	var rows []view.StatusRow
	err := e.db.View(ctx, func(tx *ledger.Tx) (err error) {
		rows, err = e.statusRows(tx, e.now())
		return err
	})
	return rows, err
}

func (e *Engine) statusRows(tx *ledger.Tx, now time.Time) ([]view.StatusRow, error) {
	invs, err := tx.AllInvoices()
	if err != nil {
		return nil, fmt.Errorf("invoices: %w", err)
	}
	sort.SliceStable(invs, func(i, j int) bool {
		ci, cj := invs[i].State.Closed(), invs[j].State.Closed()
		if ci != cj {
			return !ci
		}
		return invs[i].DueDate.Before(invs[j].DueDate)
	})
	rows := make([]view.StatusRow, 0, len(invs))
	for _, inv := range invs {
		r, err := e.statusRow(tx, inv, now)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// statusRow describes one invoice at now.
func (e *Engine) statusRow(tx *ledger.Tx, inv policy.Invoice, now time.Time) (view.StatusRow, error) {
	loc := e.cfg.Settings.Location
	r := view.StatusRow{
		ID: inv.ID, Number: inv.Number, Client: inv.Client, IssueDate: inv.IssueDate, DueDate: inv.DueDate,
		Amount: inv.Amount, Currency: inv.Currency, Outstanding: inv.Outstanding(),
		Stage: inv.Stage, State: inv.State, Lang: e.cfg.Owner.Language, Aged: policy.Aged(inv),
	}
	r.ClientName, r.ClientVAT = inv.ClientName, inv.ClientVAT
	if !inv.State.Closed() && (inv.Stage >= 4 || !inv.NoticeAt.IsZero()) {
		c, ok, err := e.claim(tx, inv, now)
		if err != nil {
			return r, err
		}
		if ok {
			out := inv.Outstanding()
			r.Claim = &view.Claim{Capital: out, Interest: c.Amount, Compensation: c.Compensation,
				Total: out.Add(c.Amount).Add(c.Compensation), To: c.To, Provisional: c.Assumed()}
		}
	}
	if !inv.State.Closed() {
		r.DaysOverdue = max(policy.DaysOverdue(inv, now, loc), 0)
	}
	if inv.State == policy.Paused {
		r.PromisedDate = inv.PromisedDate
	}
	msgs, err := tx.Messages(inv.ID)
	if err != nil {
		return r, err
	}
	for _, m := range msgs {
		if m.Direction == ledger.Out && policy.Template(m.Kind).Recipient() == policy.ToClient && m.Date.After(r.LastReminder) {
			r.LastReminder = m.Date.In(loc)
		}
	}
	events, err := tx.Events(inv.ID)
	if err != nil {
		return r, err
	}
	for _, ev := range events {
		switch ev.Kind {
		case policy.CommandEvent(string(command.Note)):
			r.Notes = append(r.Notes, strings.TrimPrefix(ev.Reason, "owner note: "))
		case policy.CommandEvent(string(command.Paid)), policy.CommandEvent(string(command.PartlyPaid)):
			if inv.State == policy.Paid {
				r.PaidOn, r.PaidRef = ev.At.In(loc), ""
			}
		case policy.EventPaymentBank:
			if inv.State == policy.Paid && ev.Why != nil {
				r.PaidOn, r.PaidRef = ev.Why.From, strings.TrimSpace(ev.Why.Number+" "+ev.Why.Text)
			}
		}
	}
	step, ok, err := e.nextStep(tx, inv, now)
	if err != nil {
		return r, err
	}
	if ok {
		r.Next, r.NextAt = step.Send, step.At.In(loc)
	}
	return r, nil
}
