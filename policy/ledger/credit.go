package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/policy/bank"
)

// What the bot made of a credit (Credit.Match).
const (
	CreditPaid     = "paid"     // a certain match: the invoices were marked paid
	CreditProbable = "probable" // the owner decides
	CreditNone     = "none"     // no open invoice fits
)

// Credit is a credit as recorded: what the bank said, where it came
// from, and what the bot made of it.
type Credit struct {
	ID int64
	bank.Credit
	Source     string // the file or message it was read from
	ImportedAt time.Time
	Match      string  // CreditPaid, CreditProbable or CreditNone
	Invoices   []int64 // the invoices it paid or may pay
	Why        string  // how the match was found, in English
}

// RecordCredit stores c, read from source, unless a credit with its
// reference is recorded already: fresh is false then, and nothing
// changes (the same statement imported twice, or overlapping ones).
func (tx *Tx) RecordCredit(c bank.Credit, source string) (id int64, fresh bool, err error) {
	if err := tx.writable(); err != nil {
		return 0, false, err
	}
	if c.Ref == "" {
		return 0, false, errors.New("ledger: record credit: no reference")
	}
	err = tx.queryRow(`SELECT id FROM credits WHERE ref = ?`, []any{c.Ref}, &id)
	if err == nil {
		return id, false, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return 0, false, fmt.Errorf("ledger: credit %q: %w", c.Ref, err)
	}
	res, err := tx.exec(`INSERT INTO credits (ref, booking_date, value_date, amount, currency, payer, payer_iban, remittance, source, imported_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.Ref, dateValue(c.BookingDate), dateValue(c.ValueDate), c.Amount.String(), c.Currency,
		c.Payer, c.PayerIBAN, c.Remittance, source, instantValue(tx.now))
	if err != nil {
		return 0, false, fmt.Errorf("ledger: record credit %q: %w", c.Ref, err)
	}
	if id, err = res.LastInsertId(); err != nil {
		return 0, false, fmt.Errorf("ledger: record credit %q: %w", c.Ref, err)
	}
	return id, true, nil
}

// SetCreditMatch records what the bot made of credit id.
func (tx *Tx) SetCreditMatch(id int64, match string, invoices []int64, why string) error {
	if err := tx.writable(); err != nil {
		return err
	}
	ids := make([]string, len(invoices))
	for i, v := range invoices {
		ids[i] = strconv.FormatInt(v, 10)
	}
	if _, err := tx.exec(`UPDATE credits SET match = ?, invoices = ?, why = ? WHERE id = ?`, match, strings.Join(ids, ","), why, id); err != nil {
		return fmt.Errorf("ledger: match of credit %d: %w", id, err)
	}
	return nil
}

// UnpayCredits puts the credits that paid invoice back to waiting for the
// owner (CreditProbable), saying why: the owner took the payment back.
func (tx *Tx) UnpayCredits(invoice int64, why string) error {
	if err := tx.writable(); err != nil {
		return err
	}
	id := strconv.FormatInt(invoice, 10)
	if _, err := tx.exec(`UPDATE credits SET match = ?, why = ? WHERE match = ? AND (',' || invoices || ',') LIKE ?`,
		CreditProbable, why, CreditPaid, "%,"+id+",%"); err != nil {
		return fmt.Errorf("ledger: credits of invoice %d: %w", invoice, err)
	}
	return nil
}

// ClientsPaidBy returns the client addresses of the invoices that credits
// from the same payer paid before: by its IBAN when the bank gives one,
// else by its name (in any case); none for a payer with neither.
func (tx *Tx) ClientsPaidBy(iban, name string) ([]string, error) {
	var rows *sql.Rows
	var err error
	switch {
	case strings.TrimSpace(iban) != "":
		rows, err = tx.query(`SELECT invoices FROM credits WHERE match = ? AND payer_iban = ?`, CreditPaid, strings.TrimSpace(iban))
	case strings.TrimSpace(name) != "":
		rows, err = tx.query(`SELECT invoices FROM credits WHERE match = ? AND payer_iban = '' AND upper(payer) = upper(?)`, CreditPaid, strings.TrimSpace(name))
	default:
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ledger: credits of payer: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return nil, fmt.Errorf("ledger: credits of payer: %w", err)
		}
		for _, f := range strings.Split(s, ",") {
			if v, err := strconv.ParseInt(f, 10, 64); err == nil {
				ids = append(ids, v)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ledger: credits of payer: %w", err)
	}
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		inv, err := tx.Invoice(id)
		if err != nil {
			return nil, err
		}
		if a := strings.ToLower(inv.Client); a != "" && !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out, nil
}

// Credits returns every credit recorded, the latest value date first.
func (tx *Tx) Credits() ([]Credit, error) {
	rows, err := tx.query(`SELECT id, ref, booking_date, value_date, amount, currency, payer, payer_iban, remittance, source, imported_at, match, invoices, why
		FROM credits ORDER BY value_date DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("ledger: credits: %w", err)
	}
	defer rows.Close()
	var out []Credit
	for rows.Next() {
		var c Credit
		var amount, ids string
		if err := rows.Scan(&c.ID, &c.Ref, dateScan{&c.BookingDate}, dateScan{&c.ValueDate}, &amount, &c.Currency, &c.Payer, &c.PayerIBAN,
			&c.Remittance, &c.Source, instantScan{&c.ImportedAt}, &c.Match, &ids, &c.Why); err != nil {
			return nil, fmt.Errorf("ledger: credits: %w", err)
		}
		if c.Amount, err = decimal.NewFromString(amount); err != nil {
			return nil, fmt.Errorf("ledger: credit %d: amount %q: %w", c.ID, amount, err)
		}
		for _, s := range strings.Split(ids, ",") {
			if v, err := strconv.ParseInt(s, 10, 64); err == nil {
				c.Invoices = append(c.Invoices, v)
			}
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Credits is Tx.Credits in a read transaction.
func (db *DB) Credits(ctx context.Context) ([]Credit, error) {
	return view(ctx, db, (*Tx).Credits)
}
