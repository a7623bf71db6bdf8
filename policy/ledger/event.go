package ledger

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/policy"
)

// Event is one entry of the append-only log of decisions: what the bot did
// or learnt, when and why.
type Event struct {
	ID        int64     // set by the ledger
	InvoiceID int64     // 0: about no single invoice
	At        time.Time // zero: the transaction's clock; stored in UTC
	// Kind names the decision (policy.EventKind: intake, stage1, a reply
	// read as promise, the command paid…).
	Kind   policy.EventKind
	Reason string // in words the owner understands
	// MessageID is the message that caused it; "" when the clock did.
	MessageID string
	// The facts the event names, as data (its Reason says them in words):
	// Amount is money the decision recorded as received (zero: none); Date
	// a date it names, such as a promised date or the value date of the
	// money a bank credit brought (zero: none); Address an
	// address it names, such as one that bounced ("": none).
	Amount  decimal.Decimal
	Date    time.Time
	Address string
	// Why is the Reason as data when a rule of the schedule decided the
	// event (policy.Step.Why), for views in the owner's language; nil when
	// the event has words only.
	Why *policy.Why
}

// AddEvent appends e to the log. Events are never changed or removed.
func (tx *Tx) AddEvent(e Event) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if strings.TrimSpace(string(e.Kind)) == "" {
		return errors.New("ledger: add event: empty kind")
	}
	if e.At.IsZero() {
		e.At = tx.now
	}
	var amount any
	if !e.Amount.IsZero() {
		amount = decimalValue(e.Amount)
	}
	var why any
	if e.Why != nil {
		b, err := json.Marshal(e.Why)
		if err != nil {
			return fmt.Errorf("ledger: add event %q: encode why: %w", e.Kind, err)
		}
		why = string(b)
	}
	if _, err := tx.exec(`INSERT INTO events (invoice_id, at, kind, reason, message_id, amount, on_date, address, why) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		invoiceRef(e.InvoiceID), instantValue(e.At), string(e.Kind), e.Reason, normalizeID(e.MessageID), amount, dateValue(e.Date), e.Address, why); err != nil {
		return fmt.Errorf("ledger: add event %q for invoice %d: %w", e.Kind, e.InvoiceID, err)
	}
	tx.added = append(tx.added, e)
	return nil
}

const eventSelect = `SELECT id, coalesce(invoice_id, 0), at, kind, reason, message_id, amount, on_date, address, why FROM events`

func (tx *Tx) events(query string, args ...any) ([]Event, error) {
	rows, err := tx.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var why sql.NullString
		if err := rows.Scan(&e.ID, &e.InvoiceID, instantScan{&e.At}, &e.Kind, &e.Reason, &e.MessageID,
			decimalScan{&e.Amount}, dateScan{&e.Date}, &e.Address, &why); err != nil {
			return nil, err
		}
		if why.Valid {
			// A why that no longer decodes (a field renamed) leaves
			// the event with its words: Reason still says it.
			var w policy.Why
			if err := json.Unmarshal([]byte(why.String), &w); err == nil {
				e.Why = &w
			}
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Events returns the events of an invoice in time order (0: the events
// about no single invoice).
func (tx *Tx) Events(invoiceID int64) ([]Event, error) {
	var out []Event
	var err error
	if invoiceID == 0 {
		out, err = tx.events(eventSelect + ` WHERE invoice_id IS NULL ORDER BY at, id`)
	} else {
		out, err = tx.events(eventSelect+` WHERE invoice_id = ? ORDER BY at, id`, invoiceID)
	}
	if err != nil {
		return nil, fmt.Errorf("ledger: events of invoice %d: %w", invoiceID, err)
	}
	return out, nil
}

// EventsSince returns every event at or after t, in time order.
func (tx *Tx) EventsSince(t time.Time) ([]Event, error) {
	since := "" // zero t: every event
	if !t.IsZero() {
		since = t.UTC().Format(instantLayout)
	}
	out, err := tx.events(eventSelect+` WHERE at >= ? ORDER BY at, id`, since)
	if err != nil {
		return nil, fmt.Errorf("ledger: events since %s: %w", t.Format(time.RFC3339), err)
	}
	return out, nil
}

// LastEvent returns the latest event of that kind (any invoice), or
// ErrNotFound; "" means any kind.
func (tx *Tx) LastEvent(kind string) (Event, error) {
	var out []Event
	var err error
	if kind == "" {
		out, err = tx.events(eventSelect + ` ORDER BY at DESC, id DESC LIMIT 1`)
	} else {
		out, err = tx.events(eventSelect+` WHERE kind = ? ORDER BY at DESC, id DESC LIMIT 1`, kind)
	}
	if err != nil {
		return Event{}, fmt.Errorf("ledger: last %q event: %w", kind, err)
	}
	if len(out) == 0 {
		return Event{}, fmt.Errorf("ledger: last %q event: %w", kind, ErrNotFound)
	}
	return out[0], nil
}

// FirstEvent returns the earliest event of the log (when the bot first
// learnt anything), or ErrNotFound for an empty log.
func (tx *Tx) FirstEvent() (Event, error) {
	out, err := tx.events(eventSelect + ` ORDER BY at, id LIMIT 1`)
	if err != nil {
		return Event{}, fmt.Errorf("ledger: first event: %w", err)
	}
	if len(out) == 0 {
		return Event{}, fmt.Errorf("ledger: first event: %w", ErrNotFound)
	}
	return out[0], nil
}

// SyncState returns what was last read from a mailbox folder: its
// UIDVALIDITY and the highest UID handled; zeros for a folder never read.
func (tx *Tx) SyncState(folder string) (uidValidity, lastUID uint32, err error) {
	err = tx.queryRow(`SELECT uid_validity, last_uid FROM sync_state WHERE folder = ?`, []any{folder}, &uidValidity, &lastUID)
	if errors.Is(err, ErrNotFound) {
		return 0, 0, nil
	} else if err != nil {
		return 0, 0, fmt.Errorf("ledger: sync state of %q: %w", folder, err)
	}
	return uidValidity, lastUID, nil
}

// SetSyncState stores what was last read from a mailbox folder.
func (tx *Tx) SetSyncState(folder string, uidValidity, lastUID uint32) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if _, err := tx.exec(`INSERT INTO sync_state (folder, uid_validity, last_uid, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (folder) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid, updated_at = excluded.updated_at,
			attempt_validity = 0, attempt_uid = 0, attempts = 0`,
		folder, int64(uidValidity), int64(lastUID), instantValue(tx.now)); err != nil {
		return fmt.Errorf("ledger: set sync state of %q: %w", folder, err)
	}
	return nil
}

// StartAttempt records that the bot begins handling message uid of folder,
// before any parser of outside input runs on it; SetSyncState clears it.
// Commit it on its own: if the process then dies or hangs, the next pass
// finds the mark (Attempt) and skips the message as poisoned.
func (tx *Tx) StartAttempt(folder string, uidValidity, uid uint32) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if _, err := tx.exec(`INSERT INTO sync_state (folder, uid_validity, last_uid, updated_at, attempt_validity, attempt_uid, attempts) VALUES (?, 0, 0, ?, ?, ?, 1)
			ON CONFLICT (folder) DO UPDATE SET
			attempts = CASE WHEN attempt_validity = excluded.attempt_validity AND attempt_uid = excluded.attempt_uid THEN attempts + 1 ELSE 1 END,
			attempt_validity = excluded.attempt_validity, attempt_uid = excluded.attempt_uid`,
		folder, instantValue(tx.now), int64(uidValidity), int64(uid)); err != nil {
		return fmt.Errorf("ledger: mark uid %d of %q as being handled: %w", uid, folder, err)
	}
	return nil
}

// Attempt returns the message of folder that a pass began to handle and
// never finished (StartAttempt without a later SetSyncState), and how many
// passes began it; uid 0 when none.
func (db *DB) Attempt(ctx context.Context, folder string) (uidValidity, uid uint32, attempts int, err error) {
	err = db.View(ctx, func(tx *Tx) error {
		var v, u int64
		err := tx.queryRow(`SELECT attempt_validity, attempt_uid, attempts FROM sync_state WHERE folder = ?`, []any{folder}, &v, &u, &attempts)
		if errors.Is(err, ErrNotFound) {
			return nil
		} else if err != nil {
			return fmt.Errorf("ledger: message being handled in %q: %w", folder, err)
		}
		uidValidity, uid = uint32(v), uint32(u)
		return nil
	})
	return uidValidity, uid, attempts, err
}

// Events is Tx.Events in a read transaction.
func (db *DB) Events(ctx context.Context, invoiceID int64) ([]Event, error) {
	return view(ctx, db, func(tx *Tx) ([]Event, error) { return tx.Events(invoiceID) })
}

// EventsSince is Tx.EventsSince in a read transaction.
func (db *DB) EventsSince(ctx context.Context, t time.Time) ([]Event, error) {
	return view(ctx, db, func(tx *Tx) ([]Event, error) { return tx.EventsSince(t) })
}

// SyncState is Tx.SyncState in a read transaction.
func (db *DB) SyncState(ctx context.Context, folder string) (uidValidity, lastUID uint32, err error) {
	err = db.View(ctx, func(tx *Tx) error {
		uidValidity, lastUID, err = tx.SyncState(folder)
		return err
	})
	return uidValidity, lastUID, err
}
