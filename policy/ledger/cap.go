package ledger

import (
	"context"
	"fmt"
	"time"
)

// The per-recipient cap. The engine counts every capped message under a key
// (who it is for) and a day; what is over the cap is either moved to a later
// day (client messages, still in the outbox) or held here (owner messages)
// until a digest carries it. Both happen in the transaction of the decision
// that caused the message, so a crash never loses a held message.

// CapCount returns how many messages are counted under key on day (YYYY-MM-DD).
func (tx *Tx) CapCount(key, day string) (int, error) {
	var n int
	if err := tx.queryRow(`SELECT count(*) FROM cap_log WHERE cap_key = ? AND day = ?`, []any{key, day}, &n); err != nil {
		return 0, fmt.Errorf("ledger: cap count %q %s: %w", key, day, err)
	}
	return n, nil
}

// capCountPrefix counts the cap keys of a day in a range of keys.
const capCountPrefix = `SELECT count(*) FROM cap_log WHERE day = ? AND cap_key >= ? AND cap_key < ?`

// CapCountPrefix returns how many messages are counted on day under every
// key that starts with prefix (e.g. "owner:": everything incoming mail
// caused the owner to get that day).
func (tx *Tx) CapCountPrefix(prefix, day string) (int, error) {
	var n int
	// The keys that begin with prefix are those from prefix (included) to
	// prefix with its last byte the next one (excluded): a range the
	// (day, cap_key) index reads, where a LIKE would read every key.
	end := "\xff" // every key: text is UTF-8, which never holds the byte 0xff
	if prefix != "" {
		if prefix[len(prefix)-1] == 0xff {
			return 0, fmt.Errorf("ledger: cap count: bad prefix %q", prefix)
		}
		end = prefix[:len(prefix)-1] + string([]byte{prefix[len(prefix)-1] + 1})
	}
	if err := tx.queryRow(capCountPrefix, []any{day, prefix, end}, &n); err != nil {
		return 0, fmt.Errorf("ledger: cap count %q* %s: %w", prefix, day, err)
	}
	return n, nil
}

// CapState reports whether the message messageID is already counted or
// held: a decision met again must come out as it did the first time.
func (tx *Tx) CapState(messageID string) (counted, held bool, err error) {
	var n int
	if err := tx.queryRow(`SELECT count(*) FROM cap_log WHERE message_id = ?`, []any{normalizeID(messageID)}, &n); err != nil {
		return false, false, fmt.Errorf("ledger: cap state %q: %w", messageID, err)
	}
	if n > 0 {
		return true, false, nil
	}
	if err := tx.queryRow(`SELECT count(*) FROM held WHERE message_id = ?`, []any{normalizeID(messageID)}, &n); err != nil {
		return false, false, fmt.Errorf("ledger: cap state %q: %w", messageID, err)
	}
	return false, n > 0, nil
}

// CapUse records that messageID counts under key on day. Counting the same
// message again changes nothing.
func (tx *Tx) CapUse(messageID, key, day string) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if _, err := tx.exec(`INSERT OR IGNORE INTO cap_log (message_id, cap_key, day) VALUES (?, ?, ?)`, normalizeID(messageID), key, day); err != nil {
		return fmt.Errorf("ledger: cap use %q: %w", messageID, err)
	}
	return nil
}

// Held is an owner message the cap held back.
type Held struct {
	ID        int64
	MessageID string // the Message-ID it would have had: holding it twice changes nothing
	Key       string
	InvoiceID int64 // 0: none
	Template  string
	From      string // who wrote the mail that caused it
	Subject   string
	Reading   string // how the bot read that mail
	At        time.Time
	Digest    string // the Message-ID of the digest that carried it; "" while held
}

// Hold stores h; holding the same MessageID again changes nothing.
func (tx *Tx) Hold(h Held) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if h.At.IsZero() {
		h.At = tx.now
	}
	_, err := tx.exec(`INSERT OR IGNORE INTO held (message_id, cap_key, invoice_id, template, sender, subject, reading, held_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		normalizeID(h.MessageID), h.Key, invoiceRef(h.InvoiceID), h.Template, h.From, h.Subject, h.Reading, instantValue(h.At))
	if err != nil {
		return fmt.Errorf("ledger: hold %q: %w", h.MessageID, err)
	}
	return nil
}

// Waiting returns the held messages no digest has carried yet, oldest first.
func (tx *Tx) Waiting() ([]Held, error) {
	rows, err := tx.query(`SELECT id, message_id, cap_key, coalesce(invoice_id, 0), template, sender, subject, reading, held_at FROM held WHERE digest_id IS NULL ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("ledger: waiting: %w", err)
	}
	defer rows.Close()
	var out []Held
	for rows.Next() {
		var h Held
		if err := rows.Scan(&h.ID, &h.MessageID, &h.Key, &h.InvoiceID, &h.Template, &h.From, &h.Subject, &h.Reading, instantScan{&h.At}); err != nil {
			return nil, fmt.Errorf("ledger: waiting: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// Release records that the digest digestID carries the held message id.
func (tx *Tx) Release(id int64, digestID string) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if _, err := tx.exec(`UPDATE held SET digest_id = ? WHERE id = ? AND digest_id IS NULL`, normalizeID(digestID), id); err != nil {
		return fmt.Errorf("ledger: release %d: %w", id, err)
	}
	return nil
}

// Queued reports whether a message from template for invoiceID to addr is
// in the outbox, not yet sent nor failed.
func (tx *Tx) Queued(invoiceID int64, template, addr string) (bool, error) {
	var n int
	err := tx.queryRow(`SELECT count(*) FROM outbox o JOIN outbox_recipients r ON r.outbox_row = o.id
		WHERE o.invoice_id = ? AND o.template = ? AND r.addr = ? AND o.sent_at IS NULL AND o.failed = 0`,
		[]any{invoiceID, template, normalizeAddr(addr)}, &n)
	if err != nil {
		return false, fmt.Errorf("ledger: queued: %w", err)
	}
	return n > 0, nil
}

// Waiting is Tx.Waiting in a read transaction.
func (db *DB) Waiting(ctx context.Context) ([]Held, error) { return view(ctx, db, (*Tx).Waiting) }
