package ledger

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/mail"
	"strings"
	"time"
)

// Outgoing is a message in the outbox. The engine queues it in the same
// transaction as the decision that wrote it; the sender marks it attempted,
// sends it, then marks it sent (and, once a copy is in the Sent folder,
// appended). A row attempted but not sent is in doubt: the server may have
// accepted it; see Due and ConfirmSent.
type Outgoing struct {
	ID        int64     // set by the ledger
	MessageID string    // without angle brackets; deterministic, computed by the caller; the key for idempotency
	InvoiceID int64     // 0: none
	Template  string    // a policy.Template
	To        []string  // bare addresses (the SMTP envelope); stored lower-case
	Raw       []byte    // the whole message, headers included
	NotBefore time.Time // not sent before this instant; zero: at once
	// Account names the account that sends it: "" the bot's own [smtp],
	// AccountPEC the [pec] account (formal notices).
	Account string

	// Kept by the ledger.
	EnqueuedAt  time.Time
	Attempts    int       // failed attempts so far
	LastError   string    // reason of the last failure
	AttemptedAt time.Time // when it was last handed to the server and not refused; zero: never, or refused since
	SentAt      time.Time
	AppendedAt  time.Time // when the copy reached the Sent folder
	// AppendAttemptedAt is when the copy was last handed to the IMAP server
	// for the Sent folder; set and AppendedAt zero: the copy may be there.
	AppendAttemptedAt time.Time
	Failed            bool // failed for good; never sent again
}

// AccountPEC is Outgoing.Account for a message sent through the PEC account.
const AccountPEC = "pec"

// Retry delays after a temporary failure: 5 minutes after the first, doubling
// each time, never more than 6 hours.
const (
	retryFirst = 5 * time.Minute
	retryMax   = 6 * time.Hour
)

// retryDelay is the wait after the attempts-th temporary failure.
func retryDelay(attempts int) time.Duration {
	d := retryFirst
	for i := 1; i < attempts && d < retryMax; i++ {
		d *= 2
	}
	return min(d, retryMax)
}

// Enqueue queues o and returns its id. A second Enqueue of the same
// MessageID changes nothing and returns the first one's id (no error).
func (tx *Tx) Enqueue(o Outgoing) (id int64, err error) {
	if err := tx.writable(); err != nil {
		return 0, err
	}
	o.MessageID = normalizeID(o.MessageID)
	if o.MessageID == "" {
		return 0, errors.New("ledger: enqueue: empty Message-ID")
	}
	err = tx.queryRow(`SELECT id FROM outbox WHERE message_id = ?`, []any{o.MessageID}, &id)
	if err == nil {
		return id, nil
	} else if !errors.Is(err, ErrNotFound) {
		return 0, fmt.Errorf("ledger: enqueue %q: %w", o.MessageID, err)
	}
	to, addrs, err := addrList(o.To)
	if err != nil {
		return 0, fmt.Errorf("ledger: enqueue %q: %w", o.MessageID, err)
	}
	if len(addrs) == 0 {
		return 0, fmt.Errorf("ledger: enqueue %q: no recipient", o.MessageID)
	}
	if len(o.Raw) == 0 {
		return 0, fmt.Errorf("ledger: enqueue %q: empty message", o.MessageID)
	}
	res, err := tx.exec(`INSERT INTO outbox (message_id, invoice_id, template, to_addrs, raw, not_before, enqueued_at, account) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		o.MessageID, invoiceRef(o.InvoiceID), o.Template, to, o.Raw, instantValue(o.NotBefore), instantValue(tx.now), o.Account)
	if err != nil {
		return 0, fmt.Errorf("ledger: enqueue %q: %w", o.MessageID, err)
	}
	if id, err = res.LastInsertId(); err != nil {
		return 0, fmt.Errorf("ledger: enqueue %q: %w", o.MessageID, err)
	}
	for _, a := range addrs {
		if _, err := tx.exec(`INSERT INTO outbox_recipients (addr, outbox_row) VALUES (?, ?)`, a, id); err != nil {
			return 0, fmt.Errorf("ledger: enqueue %q: recipient %q: %w", o.MessageID, a, err)
		}
	}
	return id, nil
}

const outgoingSelect = `SELECT id, message_id, coalesce(invoice_id, 0), template, to_addrs, raw, not_before, enqueued_at, attempts, last_error, attempted_at, sent_at, appended_at, failed, account, append_attempted_at FROM outbox`

func (tx *Tx) outgoing(query string, args ...any) ([]Outgoing, error) {
	rows, err := tx.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Outgoing
	for rows.Next() {
		var o Outgoing
		var to string
		if err := rows.Scan(&o.ID, &o.MessageID, &o.InvoiceID, &o.Template, &to, &o.Raw, instantScan{&o.NotBefore},
			instantScan{&o.EnqueuedAt}, &o.Attempts, &o.LastError, instantScan{&o.AttemptedAt}, instantScan{&o.SentAt}, instantScan{&o.AppendedAt}, &o.Failed, &o.Account, instantScan{&o.AppendAttemptedAt}); err != nil {
			return nil, err
		}
		o.To = splitAddrs(to)
		out = append(out, o)
	}
	return out, rows.Err()
}

// Outgoing returns the outbox row id, or ErrNotFound.
func (tx *Tx) Outgoing(id int64) (Outgoing, error) {
	out, err := tx.outgoing(outgoingSelect+` WHERE id = ?`, id)
	if err != nil {
		return Outgoing{}, fmt.Errorf("ledger: outgoing %d: %w", id, err)
	}
	if len(out) == 0 {
		return Outgoing{}, fmt.Errorf("ledger: outgoing %d: %w", id, ErrNotFound)
	}
	return out[0], nil
}

// OutgoingByMessageID returns the outbox row with that Message-ID, or
// ErrNotFound.
func (tx *Tx) OutgoingByMessageID(messageID string) (Outgoing, error) {
	out, err := tx.outgoing(outgoingSelect+` WHERE message_id = ?`, normalizeID(messageID))
	if err != nil {
		return Outgoing{}, fmt.Errorf("ledger: outgoing %q: %w", messageID, err)
	}
	if len(out) == 0 {
		return Outgoing{}, fmt.Errorf("ledger: outgoing %q: %w", messageID, ErrNotFound)
	}
	return out[0], nil
}

// Pending returns the messages to send now: not sent, not failed for good,
// NotBefore at or before now (zero: the transaction's clock); oldest first.
func (tx *Tx) Pending(now time.Time) ([]Outgoing, error) {
	if now.IsZero() {
		now = tx.now
	}
	out, err := tx.outgoing(outgoingSelect+` WHERE sent_at IS NULL AND failed = 0 AND (not_before IS NULL OR not_before <= ?) ORDER BY id`, instantValue(now))
	if err != nil {
		return nil, fmt.Errorf("ledger: pending: %w", err)
	}
	return out, nil
}

// Due returns the messages to hand to the server now, oldest first: those
// of Pending, less the rows in doubt (attempted, not confirmed sent) whose
// attempt is more recent than wait before now. A row in doubt may have been
// accepted by the server; it is sent again only when its confirmation (see
// ConfirmSent) has not come within wait.
func (tx *Tx) Due(now time.Time, wait time.Duration) ([]Outgoing, error) {
	if now.IsZero() {
		now = tx.now
	}
	out, err := tx.outgoing(outgoingSelect+` WHERE sent_at IS NULL AND failed = 0 AND (not_before IS NULL OR not_before <= ?)
		AND (attempted_at IS NULL OR attempted_at <= ?) ORDER BY id`, instantValue(now), instantValue(now.Add(-wait)))
	if err != nil {
		return nil, fmt.Errorf("ledger: due: %w", err)
	}
	return out, nil
}

// InDoubt returns the rows attempted but neither confirmed sent nor failed,
// oldest first.
func (tx *Tx) InDoubt() ([]Outgoing, error) {
	out, err := tx.outgoing(outgoingSelect + ` WHERE sent_at IS NULL AND failed = 0 AND attempted_at IS NOT NULL ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("ledger: in doubt: %w", err)
	}
	return out, nil
}

// MarkAttempted records, in a transaction committed before the message goes
// to the server, that the outbox row id is being sent now. Until MarkSent,
// MarkFailed or ConfirmSent, the row is in doubt. A row sent or failed for
// good is an error.
func (tx *Tx) MarkAttempted(id int64) error {
	if err := tx.writable(); err != nil {
		return err
	}
	o, err := tx.Outgoing(id)
	if err != nil {
		return fmt.Errorf("ledger: mark attempted: %w", err)
	}
	if !o.SentAt.IsZero() || o.Failed {
		return fmt.Errorf("ledger: mark attempted %d (%s): already sent or failed", id, o.MessageID)
	}
	if _, err := tx.exec(`UPDATE outbox SET attempted_at = ? WHERE id = ?`, instantValue(tx.now), id); err != nil {
		return fmt.Errorf("ledger: mark attempted %d: %w", id, err)
	}
	return nil
}

// MarkInDoubt records why the attempt on row id ended without an answer
// from the server after the message data went out. The row stays attempted
// (in doubt): Due leaves it alone until its wait has passed.
func (tx *Tx) MarkInDoubt(id int64, reason string) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if _, err := tx.exec(`UPDATE outbox SET last_error = ? WHERE id = ? AND sent_at IS NULL`, reason, id); err != nil {
		return fmt.Errorf("ledger: mark in doubt %d: %w", id, err)
	}
	return nil
}

// ConfirmSent is called with the Message-ID of a copy of the bot's own mail
// read from its mailbox. When an outbox row with that Message-ID was handed
// to the server (attempted or sent), the copy is evidence that the server
// accepted it: a row still in doubt is marked sent as of its attempt, and
// known is true (the copy is the bot's and must not be acted on). A row
// never attempted is not confirmed by a copy (known is false): only a
// message the bot really handed over can have one. confirmed is true when
// this call changed the row from in doubt to sent.
func (tx *Tx) ConfirmSent(messageID string) (known, confirmed bool, err error) {
	if err := tx.writable(); err != nil {
		return false, false, err
	}
	messageID = normalizeID(messageID)
	if messageID == "" {
		return false, false, nil
	}
	o, err := tx.OutgoingByMessageID(messageID)
	if errors.Is(err, ErrNotFound) {
		return false, false, nil
	} else if err != nil {
		return false, false, fmt.Errorf("ledger: confirm sent: %w", err)
	}
	switch {
	case !o.SentAt.IsZero():
		return true, false, nil
	case o.AttemptedAt.IsZero():
		return false, false, nil
	case o.Failed:
		// Refused for good, yet a copy arrived: the record says failed,
		// and the owner was told; the copy changes nothing.
		return true, false, nil
	}
	if err := tx.MarkSent(o.ID, o.AttemptedAt); err != nil {
		return false, false, fmt.Errorf("ledger: confirm sent %q: %w", messageID, err)
	}
	return true, true, nil
}

// Unappended returns the messages sent whose copy is not yet in the Sent
// folder, oldest first.
func (tx *Tx) Unappended() ([]Outgoing, error) {
	out, err := tx.outgoing(outgoingSelect + ` WHERE sent_at IS NOT NULL AND appended_at IS NULL ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("ledger: unappended: %w", err)
	}
	return out, nil
}

// MarkSent records that the outbox row id was sent at at, and records the
// outgoing Message (direction Out, its From and Subject read from the raw
// headers, Kind the template) so that replies thread to its invoice. Marking
// a row already sent changes nothing; a row failed for good is an error.
func (tx *Tx) MarkSent(id int64, at time.Time) error {
	if err := tx.writable(); err != nil {
		return err
	}
	o, err := tx.Outgoing(id)
	if err != nil {
		return fmt.Errorf("ledger: mark sent: %w", err)
	}
	if !o.SentAt.IsZero() {
		return nil
	}
	if o.Failed {
		return fmt.Errorf("ledger: mark sent %d (%s): it failed for good: %s", id, o.MessageID, o.LastError)
	}
	if at.IsZero() {
		at = tx.now
	}
	if _, err := tx.exec(`UPDATE outbox SET sent_at = ? WHERE id = ?`, instantValue(at), id); err != nil {
		return fmt.Errorf("ledger: mark sent %d: %w", id, err)
	}
	from, subject := headerFields(o.Raw)
	_, _, err = tx.RecordMessage(Message{
		Direction: Out,
		MessageID: o.MessageID,
		Hash:      hashRaw(o.Raw),
		InvoiceID: o.InvoiceID,
		From:      from,
		To:        strings.Join(o.To, ", "),
		Subject:   subject,
		Date:      at,
		Kind:      o.Template,
	})
	if err != nil {
		return fmt.Errorf("ledger: mark sent %d: %w", id, err)
	}
	return nil
}

// headerFields returns the From address and the decoded Subject of a raw
// message; "" for what cannot be read.
func headerFields(raw []byte) (from, subject string) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return "", ""
	}
	if a, err := mail.ParseAddress(m.Header.Get("From")); err == nil {
		from = a.Address
	}
	subject = m.Header.Get("Subject")
	if s, err := new(mime.WordDecoder).DecodeHeader(subject); err == nil {
		subject = s
	}
	return from, subject
}

// MarkFailed records a failed attempt to send the outbox row id: the server
// refused it (or was never reached), so it is no longer in doubt. A temporary
// failure counts the attempt and moves NotBefore to now plus the retry delay
// (5 minutes, doubling, at most 6 hours); a permanent one marks the row
// failed for good. A row already sent is an error.
func (tx *Tx) MarkFailed(id int64, reason string, permanent bool) error {
	if err := tx.writable(); err != nil {
		return err
	}
	o, err := tx.Outgoing(id)
	if err != nil {
		return fmt.Errorf("ledger: mark failed: %w", err)
	}
	if !o.SentAt.IsZero() {
		return fmt.Errorf("ledger: mark failed %d (%s): already sent", id, o.MessageID)
	}
	attempts := o.Attempts + 1
	if permanent {
		_, err = tx.exec(`UPDATE outbox SET attempts = ?, last_error = ?, failed = 1, attempted_at = NULL WHERE id = ?`, attempts, reason, id)
		if err == nil {
			// A message that will never go no longer spaces the next one
			// to its recipient (LastSentTo): decide their invoices again.
			_, err = tx.exec(`UPDATE invoices SET next_due = '' WHERE next_due <> '' AND lower(client) IN (SELECT addr FROM outbox_recipients WHERE outbox_row = ?)`, id)
		}
	} else {
		_, err = tx.exec(`UPDATE outbox SET attempts = ?, last_error = ?, not_before = ?, attempted_at = NULL WHERE id = ?`,
			attempts, reason, instantValue(tx.now.Add(retryDelay(attempts))), id)
	}
	if err != nil {
		return fmt.Errorf("ledger: mark failed %d: %w", id, err)
	}
	return nil
}

// MarkAppended records that the copy of the sent row id reached the Sent
// folder. Marking it again changes nothing; a row not sent is an error.
func (tx *Tx) MarkAppended(id int64) error {
	if err := tx.writable(); err != nil {
		return err
	}
	o, err := tx.Outgoing(id)
	if err != nil {
		return fmt.Errorf("ledger: mark appended: %w", err)
	}
	if o.SentAt.IsZero() {
		return fmt.Errorf("ledger: mark appended %d (%s): not sent", id, o.MessageID)
	}
	if !o.AppendedAt.IsZero() {
		return nil
	}
	if _, err := tx.exec(`UPDATE outbox SET appended_at = ? WHERE id = ?`, instantValue(tx.now), id); err != nil {
		return fmt.Errorf("ledger: mark appended %d: %w", id, err)
	}
	return nil
}

// MarkAppendAttempted records that the copy of the sent row id is about to
// be handed to the IMAP server for the Sent folder. The engine commits it
// before the APPEND, so that after a crash it knows the copy may already be
// there and looks for it before appending again. A row not sent is an error.
func (tx *Tx) MarkAppendAttempted(id int64) error {
	if err := tx.writable(); err != nil {
		return err
	}
	o, err := tx.Outgoing(id)
	if err != nil {
		return fmt.Errorf("ledger: mark append attempted: %w", err)
	}
	if o.SentAt.IsZero() {
		return fmt.Errorf("ledger: mark append attempted %d (%s): not sent", id, o.MessageID)
	}
	if _, err := tx.exec(`UPDATE outbox SET append_attempted_at = ? WHERE id = ?`, instantValue(tx.now), id); err != nil {
		return fmt.Errorf("ledger: mark append attempted %d: %w", id, err)
	}
	return nil
}

// Outgoing is Tx.Outgoing in a read transaction.
func (db *DB) Outgoing(ctx context.Context, id int64) (Outgoing, error) {
	return view(ctx, db, func(tx *Tx) (Outgoing, error) { return tx.Outgoing(id) })
}

// Pending is Tx.Pending in a read transaction.
func (db *DB) Pending(ctx context.Context, now time.Time) ([]Outgoing, error) {
	return view(ctx, db, func(tx *Tx) ([]Outgoing, error) { return tx.Pending(now) })
}

// Due is Tx.Due in a read transaction.
func (db *DB) Due(ctx context.Context, now time.Time, wait time.Duration) ([]Outgoing, error) {
	return view(ctx, db, func(tx *Tx) ([]Outgoing, error) { return tx.Due(now, wait) })
}

// InDoubt is Tx.InDoubt in a read transaction.
func (db *DB) InDoubt(ctx context.Context) ([]Outgoing, error) {
	return view(ctx, db, (*Tx).InDoubt)
}

// MarkAttempted is Tx.MarkAttempted in a transaction of its own.
func (db *DB) MarkAttempted(ctx context.Context, id int64) error {
	return db.Tx(ctx, func(tx *Tx) error { return tx.MarkAttempted(id) })
}

// MarkInDoubt is Tx.MarkInDoubt in a transaction of its own.
func (db *DB) MarkInDoubt(ctx context.Context, id int64, reason string) error {
	return db.Tx(ctx, func(tx *Tx) error { return tx.MarkInDoubt(id, reason) })
}

// Unappended is Tx.Unappended in a read transaction.
func (db *DB) Unappended(ctx context.Context) ([]Outgoing, error) {
	return view(ctx, db, (*Tx).Unappended)
}

// MarkSent is Tx.MarkSent in a transaction of its own.
func (db *DB) MarkSent(ctx context.Context, id int64, at time.Time) error {
	return db.Tx(ctx, func(tx *Tx) error { return tx.MarkSent(id, at) })
}

// MarkFailed is Tx.MarkFailed in a transaction of its own.
func (db *DB) MarkFailed(ctx context.Context, id int64, reason string, permanent bool) error {
	return db.Tx(ctx, func(tx *Tx) error { return tx.MarkFailed(id, reason, permanent) })
}

// MarkAppendAttempted is Tx.MarkAppendAttempted of every row in one
// transaction.
func (db *DB) MarkAppendAttempted(ctx context.Context, ids ...int64) error {
	return db.Tx(ctx, func(tx *Tx) error {
		for _, id := range ids {
			if err := tx.MarkAppendAttempted(id); err != nil {
				return err
			}
		}
		return nil
	})
}

// MarkAppended is Tx.MarkAppended of every row in one transaction.
func (db *DB) MarkAppended(ctx context.Context, ids ...int64) error {
	return db.Tx(ctx, func(tx *Tx) error {
		for _, id := range ids {
			if err := tx.MarkAppended(id); err != nil {
				return err
			}
		}
		return nil
	})
}

// EnqueuedSince counts the outbox rows addressed to addr that were queued
// at or after since; with a template, only rows of that template.
func (tx *Tx) EnqueuedSince(addr string, since time.Time, template string) (int, error) {
	var n int
	err := tx.queryRow(`SELECT count(*) FROM outbox_recipients r JOIN outbox o ON o.id = r.outbox_row
			WHERE r.addr = ?1 AND o.enqueued_at >= ?2 AND (?3 = '' OR o.template = ?3)`,
		[]any{normalizeAddr(addr), instantValue(since), template}, &n)
	if err != nil {
		return 0, fmt.Errorf("ledger: messages queued to %q since %s: %w", addr, since.Format(time.RFC3339), err)
	}
	return n, nil
}
