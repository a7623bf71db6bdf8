package ledger

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sollecito/sollecito/policy"
)

// Undo is what an owner's command changed: the invoice as it was before.
type Undo struct {
	ID     int64
	At     time.Time
	Verb   string
	Before policy.Invoice
}

// SaveUndo records the invoice before the owner's command verb at at, for
// a later TakeUndo.
func (tx *Tx) SaveUndo(at time.Time, verb string, before policy.Invoice) error {
	if err := tx.writable(); err != nil {
		return err
	}
	b, err := json.Marshal(before)
	if err != nil {
		return fmt.Errorf("ledger: undo of %s on invoice %d: %w", verb, before.ID, err)
	}
	if _, err := tx.exec(`INSERT INTO command_undo (invoice_id, at, verb, before) VALUES (?, ?, ?, ?)`,
		before.ID, instantValue(at), verb, string(b)); err != nil {
		return fmt.Errorf("ledger: undo of %s on invoice %d: %w", verb, before.ID, err)
	}
	return nil
}

// LastUndo returns the latest command on the invoice recorded at or after
// since and not undone yet; ErrNotFound when there is none.
func (tx *Tx) LastUndo(invoiceID int64, since time.Time) (Undo, error) {
	var u Undo
	var before string
	err := tx.queryRow(`SELECT id, at, verb, before FROM command_undo
			WHERE invoice_id = ? AND at >= ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1`,
		[]any{invoiceID, instantValue(since)}, &u.ID, instantScan{&u.At}, &u.Verb, &before)
	if errors.Is(err, ErrNotFound) {
		return Undo{}, fmt.Errorf("ledger: command to undo on invoice %d: %w", invoiceID, ErrNotFound)
	} else if err != nil {
		return Undo{}, fmt.Errorf("ledger: command to undo on invoice %d: %w", invoiceID, err)
	}
	if err := json.Unmarshal([]byte(before), &u.Before); err != nil {
		return Undo{}, fmt.Errorf("ledger: command to undo on invoice %d: %w", invoiceID, err)
	}
	return u, nil
}

// MarkUndone records that the command u was undone at at.
func (tx *Tx) MarkUndone(id int64, at time.Time) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if _, err := tx.exec(`UPDATE command_undo SET undone_at = ? WHERE id = ?`, instantValue(at), id); err != nil {
		return fmt.Errorf("ledger: mark undo %d done: %w", id, err)
	}
	return nil
}
