package ledger

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Directions of a Message.
const (
	In  = "in"  // received by the bot
	Out = "out" // written by the bot
)

// Message is one message in or out, as recorded. The engine threads replies
// to invoices through it and the owner reads the history from it.
type Message struct {
	ID        int64  // set by the ledger
	Direction string // In or Out
	MessageID string // without angle brackets; "" when the message had none
	Hash      string // sha256 hex of the raw message; the key when MessageID is ""
	InvoiceID int64  // 0: none
	From      string // bare address; stored lower-case
	To        string // addresses separated by commas; stored lower-case, separated by ", "
	Subject   string
	Date      time.Time // the message's date (for Out: when it was sent); stored in UTC
	// Kind is the reply kind, the template name, or "invoice", "command",
	// "malformed", "own", "unverified", or a mail that matched no invoice
	// (UnmatchedKind; Message.Unmatched reads it back).
	Kind        string
	Folder      string // the mailbox folder it was read from ("" for Out)
	UID         uint32
	UIDValidity uint32
	Note        string
	RecordedAt  time.Time // set by the ledger
}

const unmatchedPrefix = "unmatched:"

// UnmatchedKind is the Kind of a mail received that concerns no invoice,
// read as reading (a reply kind, or "bulk" for a list's mail not read).
func UnmatchedKind(reading string) string { return unmatchedPrefix + reading }

// Unmatched returns how a mail that concerns no invoice was read; ok is
// false for every other message.
func (m Message) Unmatched() (reading string, ok bool) {
	return strings.CutPrefix(m.Kind, unmatchedPrefix)
}

// RecordMessage records m and returns its id. fresh is false, and nothing
// changes, when a message with the same direction and Message-ID (or, when
// MessageID is "", the same Hash) was recorded before: that is the dedupe for
// a crash-restart or a UIDVALIDITY resync. A message with neither MessageID
// nor Hash cannot be recognised again and is always fresh.
func (tx *Tx) RecordMessage(m Message) (id int64, fresh bool, err error) {
	if err := tx.writable(); err != nil {
		return 0, false, err
	}
	if m.Direction != In && m.Direction != Out {
		return 0, false, fmt.Errorf("ledger: record message: direction %q, want %q or %q", m.Direction, In, Out)
	}
	m.MessageID = normalizeID(m.MessageID)
	m.Hash = strings.ToLower(strings.TrimSpace(m.Hash))
	switch {
	case m.MessageID != "":
		err = tx.queryRow(`SELECT id FROM messages WHERE direction = ? AND message_id = ?`, []any{m.Direction, m.MessageID}, &id)
	case m.Hash != "":
		err = tx.queryRow(messageByHash, []any{m.Direction, m.Hash}, &id)
	default:
		err = ErrNotFound
	}
	if err == nil {
		return id, false, nil
	} else if !errors.Is(err, ErrNotFound) {
		return 0, false, fmt.Errorf("ledger: record message %q: %w", m.MessageID, err)
	}
	addrs := splitAddrs(m.To)
	to := strings.Join(addrs, ", ")
	res, err := tx.exec(`INSERT INTO messages (direction, message_id, hash, invoice_id, from_addr, to_addrs, subject, date, kind, folder, uid, uid_validity, note, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.Direction, m.MessageID, m.Hash, invoiceRef(m.InvoiceID), normalizeAddr(m.From), to, m.Subject, instantValue(m.Date),
		m.Kind, m.Folder, int64(m.UID), int64(m.UIDValidity), m.Note, instantValue(tx.now))
	if err != nil {
		return 0, false, fmt.Errorf("ledger: record message %q: %w", m.MessageID, err)
	}
	if id, err = res.LastInsertId(); err != nil {
		return 0, false, fmt.Errorf("ledger: record message %q: %w", m.MessageID, err)
	}
	for _, a := range addrs {
		if _, err := tx.exec(`INSERT INTO message_recipients (addr, message_row) VALUES (?, ?)`, a, id); err != nil {
			return 0, false, fmt.Errorf("ledger: record message %q: recipient %q: %w", m.MessageID, a, err)
		}
	}
	return id, true, nil
}

// invoiceRef stores an invoice reference: NULL for 0.
func invoiceRef(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// SetMessageInvoice links the recorded message id to an invoice (0 unlinks),
// e.g. when the owner says which invoice an unmatched reply is about.
func (tx *Tx) SetMessageInvoice(id, invoiceID int64) error {
	if err := tx.writable(); err != nil {
		return err
	}
	res, err := tx.exec(`UPDATE messages SET invoice_id = ? WHERE id = ?`, invoiceRef(invoiceID), id)
	if err != nil {
		return fmt.Errorf("ledger: link message %d to invoice %d: %w", id, invoiceID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("ledger: link message %d: %w", id, err)
	} else if n == 0 {
		return fmt.Errorf("ledger: link message %d: %w", id, ErrNotFound)
	}
	return nil
}

// messageByHash finds a message recorded without a Message-ID by its
// hash, through the partial index whose condition it repeats.
const messageByHash = `SELECT id FROM messages WHERE direction = ? AND message_id = '' AND hash = ? AND hash <> ''`

// InvoiceForMessageIDs returns the invoice of a message known by one of these
// Message-IDs: a recorded message in or out, a queued message, or the invoice
// mail itself. The ids are tried in order (pass In-Reply-To first, then
// References from newest to oldest); the first that belongs to an invoice
// wins. ok is false when none does.
func (tx *Tx) InvoiceForMessageIDs(ids []string) (invoiceID int64, ok bool, err error) {
	for _, mid := range ids {
		mid = normalizeID(mid)
		if mid == "" {
			continue
		}
		err := tx.queryRow(`SELECT invoice_id FROM (
				SELECT invoice_id, 0 AS pref, invoice_id AS id FROM invoice_sources WHERE message_id = ?1 AND message_id <> ''
				UNION ALL SELECT invoice_id, 1, id FROM messages WHERE message_id = ?1 AND invoice_id IS NOT NULL
				UNION ALL SELECT invoice_id, 2, id FROM outbox WHERE message_id = ?1 AND invoice_id IS NOT NULL
			) ORDER BY pref, id LIMIT 1`, []any{mid}, &invoiceID)
		if err == nil {
			return invoiceID, true, nil
		} else if !errors.Is(err, ErrNotFound) {
			return 0, false, fmt.Errorf("ledger: invoice of message %q: %w", mid, err)
		}
	}
	return 0, false, nil
}

// LastSentTo returns when the bot last wrote to email: the latest of the
// dates of recorded outgoing messages to it and, for messages still queued
// to it, the time they may go (NotBefore, or when queued if later). Zero when
// it never did.
func (tx *Tx) LastSentTo(email string) (time.Time, error) {
	addr := normalizeAddr(email)
	var t time.Time
	err := tx.queryRow(`SELECT max(t) FROM (
			SELECT coalesce(m.date, m.recorded_at) AS t FROM message_recipients r JOIN messages m ON m.id = r.message_row
				WHERE r.addr = ?1 AND m.direction = 'out'
			UNION ALL SELECT max(o.enqueued_at, coalesce(o.not_before, '')) FROM outbox_recipients r JOIN outbox o ON o.id = r.outbox_row
				WHERE r.addr = ?1 AND o.sent_at IS NULL AND o.failed = 0
		)`, []any{addr}, instantScan{&t})
	if err != nil {
		return time.Time{}, fmt.Errorf("ledger: last sent to %q: %w", email, err)
	}
	return t, nil
}

const messageSelect = `SELECT id, direction, message_id, hash, coalesce(invoice_id, 0), from_addr, to_addrs, subject, date, kind, folder, uid, uid_validity, note, recorded_at FROM messages`

// Messages returns the messages of an invoice in time order (their dates,
// or when recorded for those without one).
func (tx *Tx) Messages(invoiceID int64) ([]Message, error) {
	rows, err := tx.query(messageSelect+` WHERE invoice_id = ? ORDER BY coalesce(date, recorded_at), id`, invoiceID)
	if err != nil {
		return nil, fmt.Errorf("ledger: messages of invoice %d: %w", invoiceID, err)
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		var m Message
		if err := rows.Scan(&m.ID, &m.Direction, &m.MessageID, &m.Hash, &m.InvoiceID, &m.From, &m.To, &m.Subject, instantScan{&m.Date},
			&m.Kind, &m.Folder, &m.UID, &m.UIDValidity, &m.Note, instantScan{&m.RecordedAt}); err != nil {
			return nil, fmt.Errorf("ledger: messages of invoice %d: %w", invoiceID, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ledger: messages of invoice %d: %w", invoiceID, err)
	}
	return out, nil
}

// MessagesSince returns the messages recorded at or after t (in: read by
// the bot; out: sent), every invoice's and none's, in the order recorded.
func (tx *Tx) MessagesSince(t time.Time) ([]Message, error) {
	since := "" // zero t: every message
	if !t.IsZero() {
		since = t.UTC().Format(instantLayout)
	}
	rows, err := tx.query(messageSelect+` WHERE recorded_at >= ? ORDER BY recorded_at, id`, since)
	if err != nil {
		return nil, fmt.Errorf("ledger: messages since %s: %w", t.Format(time.RFC3339), err)
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		var m Message
		if err := rows.Scan(&m.ID, &m.Direction, &m.MessageID, &m.Hash, &m.InvoiceID, &m.From, &m.To, &m.Subject, instantScan{&m.Date},
			&m.Kind, &m.Folder, &m.UID, &m.UIDValidity, &m.Note, instantScan{&m.RecordedAt}); err != nil {
			return nil, fmt.Errorf("ledger: messages since %s: %w", t.Format(time.RFC3339), err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ledger: messages since %s: %w", t.Format(time.RFC3339), err)
	}
	return out, nil
}

// InvoiceForMessageIDs is Tx.InvoiceForMessageIDs in a read transaction.
func (db *DB) InvoiceForMessageIDs(ctx context.Context, ids []string) (int64, bool, error) {
	var id int64
	var ok bool
	err := db.View(ctx, func(tx *Tx) error {
		var err error
		id, ok, err = tx.InvoiceForMessageIDs(ids)
		return err
	})
	return id, ok, err
}

// LastSentTo is Tx.LastSentTo in a read transaction.
func (db *DB) LastSentTo(ctx context.Context, email string) (time.Time, error) {
	return view(ctx, db, func(tx *Tx) (time.Time, error) { return tx.LastSentTo(email) })
}

// Messages is Tx.Messages in a read transaction.
func (db *DB) Messages(ctx context.Context, invoiceID int64) ([]Message, error) {
	return view(ctx, db, func(tx *Tx) ([]Message, error) { return tx.Messages(invoiceID) })
}
