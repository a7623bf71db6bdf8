package engine

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/config"
	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/bank"
	"github.com/sollecito/sollecito/policy/ledger"
	"github.com/sollecito/sollecito/templates"
)

// ImportReport says what an import of credits did.
type ImportReport struct {
	Read     int // credits in the statements
	New      int // not recorded before
	Paid     int // invoices marked paid by a certain match
	Probable int // credits that may pay an invoice: the owner decides
	None     int // credits that match no open invoice
	// PaidNumbers are the numbers of the invoices marked paid.
	PaidNumbers []string
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
			var one ImportReport
			if err := e.importCredit(tx, c, source, &one); err != nil {
				return err
			}
			r.add(one) // only once the transaction holds
			return nil
		})
		if err != nil {
			return r, fmt.Errorf("credit %s: %w", c.Ref, err)
		}
	}
	return r, nil
}

func (r *ImportReport) add(o ImportReport) {
	r.New += o.New
	r.Paid += o.Paid
	r.Probable += o.Probable
	r.None += o.None
	r.PaidNumbers = append(r.PaidNumbers, o.PaidNumbers...)
}

// importCredit records one credit in tx and acts on it when new (see
// ImportCredits), counting what it did in r.
func (e *Engine) importCredit(tx *ledger.Tx, c bank.Credit, source string, r *ImportReport) error {
	id, fresh, err := tx.RecordCredit(c, source)
	if err != nil || !fresh {
		return err
	}
	r.New++
	open, err := tx.OpenInvoices()
	if err != nil {
		return err
	}
	paidFor, err := tx.ClientsPaidBy(c.PayerIBAN, c.Payer)
	if err != nil {
		return err
	}
	m := bank.MatchCredit(c, open, paidFor)
	switch e.cfg.Payments.Auto {
	case config.PaymentsAsk:
		if m.Certain {
			m.Certain, m.Why = false, m.Why+" (payments.auto = ask: the owner confirms)"
		}
	case config.PaymentsOff:
		m = bank.Match{Why: "payments.auto = off: credits are only recorded"}
	}
	switch {
	case m.Certain:
		now := e.now()
		for _, invID := range m.Invoices {
			inv, err := tx.Invoice(invID)
			if err != nil {
				return err
			}
			words, _, _ := strings.Cut(c.Remittance, "\n")
			step, err := policy.OnBankCredit(inv, inv.Outstanding(), c.Currency, c.ValueDate, c.Payer, words, bankRef(c.Ref), now)
			if err != nil {
				return err
			}
			// The owner may take it back within a week ("annulla"), as a
			// "pagata" of theirs.
			if err := tx.SaveUndo(now, string(policy.EventPaymentBank), inv); err != nil {
				return err
			}
			if err := e.apply(tx, inv, step, now, policy.EventPaymentBank, step.Reason, about{key: "credit-" + c.Ref, valueDate: c.ValueDate}); err != nil {
				return fmt.Errorf("invoice %s: %w", inv.Number, err)
			}
			r.Paid++
			r.PaidNumbers = append(r.PaidNumbers, inv.Number)
		}
		return tx.SetCreditMatch(id, ledger.CreditPaid, m.Invoices, m.Why)
	case len(m.Invoices) > 0:
		r.Probable++
		if err := tx.SetCreditMatch(id, ledger.CreditProbable, m.Invoices, m.Why); err != nil {
			return err
		}
		if len(m.Invoices) != 1 || e.cfg.Payments.Auto == config.PaymentsOff {
			return nil // several invoices: the summary lists it, the owner says which
		}
		// One invoice it may pay: the owner is asked in one line, and a
		// "sì" in answer records it (creditAnswer).
		inv, err := tx.Invoice(m.Invoices[0])
		if err != nil {
			return err
		}
		words, _, _ := strings.Cut(c.Remittance, "\n")
		q := templates.Credit{Amount: c.Amount, Currency: c.Currency, Value: c.ValueDate, Payer: c.Payer, Words: words,
			Full: c.Currency == inv.Currency && c.Amount.GreaterThanOrEqual(inv.Outstanding())}
		return e.enqueue(tx, inv, policy.CreditQuestion, e.now(), about{credit: &q, key: "creditq-" + c.Ref})
	default:
		r.None++
		return tx.SetCreditMatch(id, ledger.CreditNone, nil, m.Why)
	}
}

// statementIn returns the credits of the bank statements attached to m
// (camt.053/054 XML, MT940, a CSV export: a .csv file or text/csv), and
// for an attachment that claims to be one but cannot be read, why. Other
// attachments (a FatturaPA, a PDF) are not statements.
func statementIn(m *mailbox.Message, columns bank.CSVColumns) (credits []bank.Credit, names []string, problems []string) {
	for _, a := range m.Attachments {
		camt := bytes.Contains(a.Data, []byte("camt.05")) && bytes.Contains(a.Data, []byte("<"))
		mt940 := bytes.Contains(a.Data, []byte(":20:")) && bytes.Contains(a.Data, []byte(":61:"))
		csv := strings.HasSuffix(strings.ToLower(a.Filename), ".csv") || a.ContentType == "text/csv"
		if !camt && !mt940 && !csv {
			continue
		}
		cs, err := bank.ParseStatement(a.Data, columns)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", a.Filename, err))
			continue
		}
		credits = append(credits, cs...)
		names = append(names, a.Filename)
	}
	return credits, names, problems
}

// describeImport says what importing a mailed statement did, in lang.
func describeImport(lang string, r ImportReport, problems []string) string {
	return templates.Imported(lang, r.Read, r.New, r.Paid, r.PaidNumbers, r.Probable, r.None, problems)
}

// Credits returns the credits recorded, the latest first, with what the
// bot made of each.
func (e *Engine) Credits(ctx context.Context) ([]ledger.Credit, error) { return e.db.Credits(ctx) }

// bankRef is a credit's reference as the bank gave it, "" for one made of
// the credit's contents.
func bankRef(ref string) string {
	ref = strings.TrimPrefix(ref, "notice:")
	if strings.HasPrefix(ref, "h:") {
		return ""
	}
	return strings.TrimPrefix(ref, "mt940:")
}
