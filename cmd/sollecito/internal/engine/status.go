package engine

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/ledger"
)

// StatusRow is one invoice as `sollecito status` shows it.
type StatusRow struct {
	Number, Client, Amount, Due, Overdue string
	Stage                                int
	State                                string
	Next, When                           string // the next scheduled action and when ("" when none)
}

// Status returns every invoice with the next thing the bot will do about it,
// open ones first, oldest due date first.
func (e *Engine) Status(ctx context.Context) ([]StatusRow, error) {
	var rows []StatusRow
	err := e.db.View(ctx, func(tx *ledger.Tx) (err error) {
		rows, err = e.statusRows(tx, e.now())
		return err
	})
	return rows, err
}

func (e *Engine) statusRows(tx *ledger.Tx, now time.Time) ([]StatusRow, error) {
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
	rows := make([]StatusRow, 0, len(invs))
	for _, inv := range invs {
		r := StatusRow{
			Number: orNone(inv.Number), Client: orNone(inv.Client),
			Amount: strings.TrimSpace(inv.Amount.StringFixed(2) + " " + inv.Currency),
			Due:    dateOrNone(inv.DueDate), Stage: inv.Stage, State: string(inv.State),
		}
		if d := DaysOverdue(inv, now, e.cfg.Settings.Location); d > 0 && !inv.State.Closed() {
			r.Overdue = fmt.Sprint(d)
		}
		last, err := tx.LastSentTo(inv.Client)
		if err != nil {
			return nil, err
		}
		if step, ok := policy.Next(inv, e.cfg.ClientSettings(inv.Client), e.cfg.Settings, last, now); ok {
			r.Next = describeStep(step)
			r.When = step.At.In(e.cfg.Settings.Location).Format("2006-01-02 15:04")
		} else {
			r.Next = waitingFor(inv.State)
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// DaysOverdue counts calendar days from the due date to now (0 when not yet due).
func DaysOverdue(inv policy.Invoice, now time.Time, loc *time.Location) int {
	if inv.DueDate.IsZero() {
		return 0
	}
	y, m, d := now.In(loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	days := int(today.Sub(inv.DueDate).Hours() / 24)
	return max(days, 0)
}

func describeStep(s policy.Step) string {
	if len(s.Send) == 0 {
		return "resume"
	}
	names := make([]string, len(s.Send))
	for i, t := range s.Send {
		names[i] = string(t)
	}
	return strings.Join(names, "+")
}

func waitingFor(s policy.State) string {
	switch s {
	case policy.Incomplete:
		return "waiting for the owner: missing fields"
	case policy.ClaimedPaid:
		return "waiting for the owner: confirm payment"
	case policy.Disputed:
		return "waiting for the owner: dispute"
	case policy.WithOwner:
		return "waiting for the owner"
	case policy.Stopped:
		return "stopped by the owner"
	}
	return ""
}

// WriteStatus prints rows as an aligned table.
func WriteStatus(w io.Writer, rows []StatusRow) error { return writeStatusTable(w, rows) }

func writeStatusTable(w io.Writer, rows []StatusRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "INVOICE\tCLIENT\tAMOUNT\tDUE\tOVERDUE\tSTAGE\tSTATE\tNEXT\tWHEN")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", r.Number, r.Client, r.Amount, r.Due, r.Overdue, r.Stage, r.State, r.Next, r.When)
	}
	return tw.Flush()
}
