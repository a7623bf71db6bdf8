package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/sollecito/sollecito/bank"
	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/ledger"
)

// ImportReport says what an import of credits did.
type ImportReport struct {
	Read     int // credits in the statements
	New      int // not recorded before
	Paid     int // invoices marked paid by a certain match
	Probable int // credits that may pay an invoice: the owner decides
	None     int // credits that match no open invoice
}

// ImportCredits records the credits read from source, each once however
// often it is imported, and acts on the new ones: a certain match
// (bank.MatchCredit: the remittance names the invoices and the credit is
// what they still owe) marks them paid as the owner's "pagata" would,
// dated by the credit's value date in the history, and stops the chase;
// a probable match or none is recorded for `payments list` and the owner.
// Each credit is one transaction: an import cut short loses nothing and
// pays nothing twice.
func (e *Engine) ImportCredits(ctx context.Context, source string, credits []bank.Credit) (ImportReport, error) {
	op := context.WithoutCancel(ctx)
	r := ImportReport{Read: len(credits)}
	for _, c := range credits {
		if err := ctx.Err(); err != nil {
			return r, err
		}
		err := e.db.Tx(op, func(tx *ledger.Tx) error {
			id, fresh, err := tx.RecordCredit(c, source)
			if err != nil || !fresh {
				return err
			}
			r.New++
			open, err := tx.OpenInvoices()
			if err != nil {
				return err
			}
			m := bank.MatchCredit(c, open)
			switch {
			case m.Certain:
				now := e.now()
				for _, invID := range m.Invoices {
					inv, err := tx.Invoice(invID)
					if err != nil {
						return err
					}
					words, _, _ := strings.Cut(c.Remittance, "\n")
					step, err := policy.OnBankCredit(inv, inv.Outstanding(), c.Currency, c.ValueDate, c.Payer, words, now)
					if err != nil {
						return err
					}
					if err := e.apply(tx, inv, step, now, "payment:bank", step.Reason, about{key: "credit-" + c.Ref}); err != nil {
						return fmt.Errorf("invoice %s: %w", inv.Number, err)
					}
					r.Paid++
				}
				return tx.SetCreditMatch(id, ledger.CreditPaid, m.Invoices, m.Why)
			case len(m.Invoices) > 0:
				r.Probable++
				return tx.SetCreditMatch(id, ledger.CreditProbable, m.Invoices, m.Why)
			default:
				r.None++
				return tx.SetCreditMatch(id, ledger.CreditNone, nil, m.Why)
			}
		})
		if err != nil {
			return r, fmt.Errorf("credit %s: %w", c.Ref, err)
		}
	}
	return r, nil
}

// Credits returns the credits recorded, the latest first, with what the
// bot made of each.
func (e *Engine) Credits() ([]ledger.Credit, error) { return e.db.Credits() }
