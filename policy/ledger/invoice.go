package ledger

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sollecito/sollecito/policy"
)

// invoiceField maps one policy.Invoice field to its column. This table is
// the only place that knows the mapping: to store a new field, add a line
// here and a migration that adds the column.
type invoiceField struct {
	col   string
	value func(*policy.Invoice) any // what to store
	dest  func(*policy.Invoice) any // where to scan
}

var invoiceFields = []invoiceField{
	{"number", func(i *policy.Invoice) any { return i.Number }, func(i *policy.Invoice) any { return &i.Number }},
	{"client", func(i *policy.Invoice) any { return i.Client }, func(i *policy.Invoice) any { return &i.Client }},
	{"client_name", func(i *policy.Invoice) any { return i.ClientName }, func(i *policy.Invoice) any { return &i.ClientName }},
	{"client_vat", func(i *policy.Invoice) any { return i.ClientVAT }, func(i *policy.Invoice) any { return &i.ClientVAT }},
	{"issue_date", func(i *policy.Invoice) any { return dateValue(i.IssueDate) }, func(i *policy.Invoice) any { return dateScan{&i.IssueDate} }},
	{"due_date", func(i *policy.Invoice) any { return dateValue(i.DueDate) }, func(i *policy.Invoice) any { return dateScan{&i.DueDate} }},
	{"amount", func(i *policy.Invoice) any { return decimalValue(i.Amount) }, func(i *policy.Invoice) any { return decimalScan{&i.Amount} }},
	{"currency", func(i *policy.Invoice) any { return i.Currency }, func(i *policy.Invoice) any { return &i.Currency }},
	{"lang", func(i *policy.Invoice) any { return i.Lang }, func(i *policy.Invoice) any { return &i.Lang }},
	{"state", func(i *policy.Invoice) any { return string(i.State) }, func(i *policy.Invoice) any { return (*string)(&i.State) }},
	{"stage", func(i *policy.Invoice) any { return i.Stage }, func(i *policy.Invoice) any { return &i.Stage }},
	{"courtesy_sent", func(i *policy.Invoice) any { return boolInt(i.CourtesySent) }, func(i *policy.Invoice) any { return &i.CourtesySent }},
	{"anchor", func(i *policy.Invoice) any { return dateValue(i.Anchor) }, func(i *policy.Invoice) any { return dateScan{&i.Anchor} }},
	{"last_stage_at", func(i *policy.Invoice) any { return instantValue(i.LastStageAt) }, func(i *policy.Invoice) any { return instantScan{&i.LastStageAt} }},
	{"pause_until", func(i *policy.Invoice) any { return instantValue(i.PauseUntil) }, func(i *policy.Invoice) any { return instantScan{&i.PauseUntil} }},
	{"promised_date", func(i *policy.Invoice) any { return dateValue(i.PromisedDate) }, func(i *policy.Invoice) any { return dateScan{&i.PromisedDate} }},
	{"promises_broken", func(i *policy.Invoice) any { return i.PromisesBroken }, func(i *policy.Invoice) any { return &i.PromisesBroken }},
	{"cite_promise", func(i *policy.Invoice) any { return boolInt(i.CitePromise) }, func(i *policy.Invoice) any { return &i.CitePromise }},
	{"paid_amount", func(i *policy.Invoice) any { return decimalValue(i.PaidAmount) }, func(i *policy.Invoice) any { return decimalScan{&i.PaidAmount} }},
	{"settle_amount", func(i *policy.Invoice) any { return decimalValue(i.SettleAmount) }, func(i *policy.Invoice) any { return decimalScan{&i.SettleAmount} }},
	{"settle_by", func(i *policy.Invoice) any { return dateValue(i.SettleBy) }, func(i *policy.Invoice) any { return dateScan{&i.SettleBy} }},
	{"notice_at", func(i *policy.Invoice) any { return instantValue(i.NoticeAt) }, func(i *policy.Invoice) any { return instantScan{&i.NoticeAt} }},
	{"notice_lapsed_at", func(i *policy.Invoice) any { return instantValue(i.NoticeLapsedAt) }, func(i *policy.Invoice) any { return instantScan{&i.NoticeLapsedAt} }},
}

// Queries built from invoiceFields.
var (
	invoiceSelect string // SELECT id, <fields> FROM invoices
	invoiceInsert string // INSERT ... (<fields>, created_at, updated_at)
	invoiceUpdate string // UPDATE ... SET <fields>, updated_at WHERE id
)

func init() {
	cols := make([]string, len(invoiceFields))
	sets := make([]string, len(invoiceFields))
	for i, f := range invoiceFields {
		cols[i] = f.col
		sets[i] = f.col + " = ?"
	}
	invoiceSelect = "SELECT invoices.id, " + strings.Join(qualify("invoices.", cols), ", ") + " FROM invoices"
	invoiceInsert = "INSERT INTO invoices (" + strings.Join(cols, ", ") + ", created_at, updated_at) VALUES (" +
		strings.Repeat("?, ", len(cols)) + "?, ?)"
	// A changed invoice has its next step decided again (DueInvoices).
	invoiceUpdate = "UPDATE invoices SET " + strings.Join(sets, ", ") + ", next_due = '', updated_at = ? WHERE id = ?"
}

func qualify(prefix string, cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = prefix + c
	}
	return out
}

func invoiceValues(inv *policy.Invoice) []any {
	args := make([]any, 0, len(invoiceFields)+3)
	for _, f := range invoiceFields {
		args = append(args, f.value(inv))
	}
	return args
}

type scanner interface{ Scan(dest ...any) error }

func scanInvoice(row scanner) (policy.Invoice, error) {
	var inv policy.Invoice
	dest := make([]any, 0, len(invoiceFields)+1)
	dest = append(dest, &inv.ID)
	for _, f := range invoiceFields {
		dest = append(dest, f.dest(&inv))
	}
	if err := row.Scan(dest...); err != nil {
		return policy.Invoice{}, err
	}
	return inv, nil
}

// Source is the invoice mail an invoice came from: kept to thread reminders
// under it and to send the invoice again with its attachments.
type Source struct {
	MessageID   string // without angle brackets; the key for idempotency
	Subject     string
	Raw         []byte // the whole message as received
	Attachments []Attachment
	// Contacts are the client addresses the invoice mail names. On the way
	// out of InvoiceSource, only those given to CreateInvoice.
	Contacts []string
}

// Attachment is one file of the invoice mail.
type Attachment struct {
	Filename    string
	ContentType string
	Data        []byte
}

// CreateInvoice stores a new invoice (inv.ID is ignored) and the mail it
// came from, and returns its id. The invoice's Client and src.Contacts become
// its contacts. A message already recorded with the same Message-ID (direction
// in, no invoice) is linked to the new invoice.
//
// It is idempotent: when an invoice from the same src.MessageID exists (or,
// when MessageID is "", from a byte-identical Raw), it changes nothing and
// returns that invoice's id with ErrExists.
func (tx *Tx) CreateInvoice(inv policy.Invoice, src Source) (int64, error) {
	if err := tx.writable(); err != nil {
		return 0, err
	}
	src.MessageID = normalizeID(src.MessageID)
	hash := hashRaw(src.Raw)
	if src.MessageID == "" && len(src.Raw) == 0 {
		return 0, errors.New("ledger: create invoice: source has neither Message-ID nor raw message")
	}
	var id int64
	var err error
	if src.MessageID != "" {
		err = tx.queryRow(sourceByMessageID, []any{src.MessageID}, &id)
	} else {
		err = tx.queryRow(sourceByHash, []any{hash}, &id)
	}
	if err == nil {
		return id, ErrExists
	} else if !errors.Is(err, ErrNotFound) {
		return 0, fmt.Errorf("ledger: create invoice: look up source %q: %w", src.MessageID, err)
	}

	now := instantValue(tx.now)
	res, err := tx.exec(invoiceInsert, append(invoiceValues(&inv), now, now)...)
	if err != nil {
		return 0, fmt.Errorf("ledger: create invoice %q: %w", inv.Number, err)
	}
	if id, err = res.LastInsertId(); err != nil {
		return 0, fmt.Errorf("ledger: create invoice %q: %w", inv.Number, err)
	}
	if _, err := tx.exec(`INSERT INTO invoice_sources (invoice_id, message_id, hash, subject, raw) VALUES (?, ?, ?, ?, ?)`,
		id, src.MessageID, hash, src.Subject, src.Raw); err != nil {
		return 0, fmt.Errorf("ledger: create invoice %q: store source: %w", inv.Number, err)
	}
	for _, a := range src.Attachments {
		if _, err := tx.exec(`INSERT INTO attachments (invoice_id, filename, content_type, data) VALUES (?, ?, ?, ?)`,
			id, a.Filename, a.ContentType, nonNil(a.Data)); err != nil {
			return 0, fmt.Errorf("ledger: create invoice %q: store attachment %q: %w", inv.Number, a.Filename, err)
		}
	}
	for _, c := range src.Contacts {
		if err := tx.addContact(id, c, "invoice mail", true); err != nil {
			return 0, fmt.Errorf("ledger: create invoice %q: %w", inv.Number, err)
		}
	}
	if err := tx.addContact(id, inv.Client, "client", false); err != nil {
		return 0, fmt.Errorf("ledger: create invoice %q: %w", inv.Number, err)
	}
	if src.MessageID != "" {
		if _, err := tx.exec(`UPDATE messages SET invoice_id = ? WHERE direction = 'in' AND message_id = ? AND invoice_id IS NULL`, id, src.MessageID); err != nil {
			return 0, fmt.Errorf("ledger: create invoice %q: link message: %w", inv.Number, err)
		}
	}
	return id, nil
}

// The lookups of an invoice's source mail. Their indexes are partial
// (message_id <> ”, and hash <> ” where there is no Message-ID): SQLite
// uses one only when the query says its condition, so each says it, or
// every intake would read every source (TestLookupsUseIndexes).
const (
	sourceByMessageID = `SELECT invoice_id FROM invoice_sources WHERE message_id = ? AND message_id <> ''`
	sourceByHash      = `SELECT invoice_id FROM invoice_sources WHERE message_id = '' AND hash = ? AND hash <> ''`
)

func hashRaw(raw []byte) string {
	if len(raw) == 0 {
		return ""
	}
	h := sha256.Sum256(raw)
	return hex.EncodeToString(h[:])
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// UpdateInvoice stores every field of inv over the invoice inv.ID
// (ErrNotFound if there is none). A new Client address also becomes a
// contact of the invoice.
func (tx *Tx) UpdateInvoice(inv policy.Invoice) error {
	if err := tx.writable(); err != nil {
		return err
	}
	res, err := tx.exec(invoiceUpdate, append(invoiceValues(&inv), instantValue(tx.now), inv.ID)...)
	if err != nil {
		return fmt.Errorf("ledger: update invoice %d: %w", inv.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("ledger: update invoice %d: %w", inv.ID, err)
	} else if n == 0 {
		return fmt.Errorf("ledger: update invoice %d: %w", inv.ID, ErrNotFound)
	}
	if err := tx.addContact(inv.ID, inv.Client, "client", false); err != nil {
		return fmt.Errorf("ledger: update invoice %d: %w", inv.ID, err)
	}
	return nil
}

// Invoice returns the invoice with that id, or ErrNotFound.
func (tx *Tx) Invoice(id int64) (policy.Invoice, error) {
	invs, err := tx.invoices(invoiceSelect+" WHERE invoices.id = ?", id)
	if err != nil {
		return policy.Invoice{}, fmt.Errorf("ledger: invoice %d: %w", id, err)
	}
	if len(invs) == 0 {
		return policy.Invoice{}, fmt.Errorf("ledger: invoice %d: %w", id, ErrNotFound)
	}
	return invs[0], nil
}

// InvoiceByNumber returns the invoices with that number (exact match, any
// state; numbers repeat across years or businesses), oldest first.
func (tx *Tx) InvoiceByNumber(number string) ([]policy.Invoice, error) {
	invs, err := tx.invoices(invoiceSelect+" WHERE number = ? ORDER BY id", strings.TrimSpace(number))
	if err != nil {
		return nil, fmt.Errorf("ledger: invoices numbered %q: %w", number, err)
	}
	return invs, nil
}

// OpenInvoices returns the invoices whose state is not closed (see
// policy.State.Closed), oldest first.
func (tx *Tx) OpenInvoices() ([]policy.Invoice, error) {
	invs, err := tx.invoices(invoiceSelect+" WHERE state NOT IN (?, ?) ORDER BY id", string(policy.Paid), string(policy.WrittenOff))
	if err != nil {
		return nil, fmt.Errorf("ledger: open invoices: %w", err)
	}
	return invs, nil
}

// neverDue is the next_due of an invoice with nothing scheduled: it sorts
// after every instant.
const neverDue = "9999-12-31T00:00:00.000Z"

// DueInvoices returns the open invoices whose next step may be due at now,
// oldest first: those whose hint (SetNextDue) is at or before now, and those
// with none — new invoices, and every invoice changed since its hint was
// stored (UpdateInvoice clears it). The others are left unread: nothing
// about them can have changed.
func (tx *Tx) DueInvoices(now time.Time) ([]policy.Invoice, error) {
	// The literal states match the partial index invoices_next_due; sorted
	// here, since ORDER BY id would make SQLite walk the whole table in id
	// order instead of the index.
	invs, err := tx.invoices(invoiceSelect+" WHERE state NOT IN ('paid', 'written_off') AND next_due <= ?", instantValue(now))
	if err != nil {
		return nil, fmt.Errorf("ledger: due invoices: %w", err)
	}
	slices.SortFunc(invs, func(a, b policy.Invoice) int { return cmp.Compare(a.ID, b.ID) })
	return invs, nil
}

// NextDue is when an invoice's next scheduled step is due, as the schedule
// decided it: At zero means nothing is scheduled until the invoice changes.
type NextDue struct {
	ID int64
	At time.Time
}

// ScheduleBasis returns what the stored hints were computed under: the
// basis SetNextDue was given and the latest instant a hint was computed at
// ("" and zero when none was).
func (tx *Tx) ScheduleBasis() (basis string, latest time.Time, err error) {
	err = tx.queryRow(`SELECT basis, latest FROM schedule_hints WHERE id = 1`, nil, &basis, instantScan{&latest})
	if errors.Is(err, ErrNotFound) {
		return "", time.Time{}, nil
	}
	if err != nil {
		return "", time.Time{}, fmt.Errorf("ledger: schedule basis: %w", err)
	}
	return basis, latest, nil
}

// ClearNextDue forgets every hint, so that the next DueInvoices returns
// every open invoice: the schedule's settings or rules changed, or the
// clock went back.
func (tx *Tx) ClearNextDue() error {
	if err := tx.writable(); err != nil {
		return err
	}
	if _, err := tx.exec(`UPDATE invoices SET next_due = '' WHERE next_due <> ''`); err != nil {
		return fmt.Errorf("ledger: clear next due: %w", err)
	}
	if _, err := tx.exec(`DELETE FROM schedule_hints`); err != nil {
		return fmt.Errorf("ledger: clear next due: %w", err)
	}
	return nil
}

// SetNextDue stores hints computed at now under basis (a fingerprint of
// the settings and rules that decided them). Hints stored under another
// basis are cleared first. An invoice changed since it was read keeps no
// stale hint only if the caller computed from what this transaction reads.
func (tx *Tx) SetNextDue(basis string, now time.Time, hints []NextDue) error {
	if err := tx.writable(); err != nil {
		return err
	}
	old, latest, err := tx.ScheduleBasis()
	if err != nil {
		return err
	}
	if old != basis {
		if err := tx.ClearNextDue(); err != nil {
			return err
		}
		latest = time.Time{}
	}
	for _, h := range hints {
		at := neverDue
		if !h.At.IsZero() {
			at = h.At.UTC().Format(instantLayout)
		}
		if _, err := tx.exec(`UPDATE invoices SET next_due = ? WHERE id = ?`, at, h.ID); err != nil {
			return fmt.Errorf("ledger: next due of invoice %d: %w", h.ID, err)
		}
	}
	_, err = tx.exec(`INSERT INTO schedule_hints (id, basis, latest) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET basis = excluded.basis, latest = excluded.latest`, basis, instantValue(later(latest, now)))
	if err != nil {
		return fmt.Errorf("ledger: schedule basis: %w", err)
	}
	return nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// AllInvoices returns every invoice, oldest first.
func (tx *Tx) AllInvoices() ([]policy.Invoice, error) {
	invs, err := tx.invoices(invoiceSelect + " ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("ledger: all invoices: %w", err)
	}
	return invs, nil
}

// InvoicesByContact returns the invoices (any state) that have email among
// their contacts, case-insensitively, oldest first.
func (tx *Tx) InvoicesByContact(email string) ([]policy.Invoice, error) {
	invs, err := tx.invoices(invoiceSelect+" JOIN contacts ON contacts.invoice_id = invoices.id WHERE contacts.email = ? ORDER BY invoices.id", normalizeAddr(email))
	if err != nil {
		return nil, fmt.Errorf("ledger: invoices of %q: %w", email, err)
	}
	return invs, nil
}

// KnowsDomain reports whether any invoice, in any state, has a contact
// address at domain (case-insensitively), through the domain index.
func (tx *Tx) KnowsDomain(domain string) (bool, error) {
	domain = strings.ToLower(strings.TrimSpace(domain))
	if domain == "" {
		return false, nil
	}
	var n int
	if err := tx.queryRow(`SELECT EXISTS (SELECT 1 FROM contacts WHERE substr(email, instr(email, '@') + 1) = ?)`, []any{domain}, &n); err != nil {
		return false, fmt.Errorf("ledger: contacts at %q: %w", domain, err)
	}
	return n == 1, nil
}

// numberChunks are how many numbers one InvoicesByNumbers query asks for:
// a few fixed query texts, padded, so that their prepared statements are
// reused and a mail naming two numbers does not probe the index 64 times.
var numberChunks = []int{4, 16, 64}

// numbersQuery is the query of InvoicesByNumbers for size numbers.
func numbersQuery(size int) string {
	return invoiceSelect + " WHERE number != '' AND number IN (?" + strings.Repeat(", ?", size-1) + ") ORDER BY invoices.id"
}

// InvoicesByNumbers returns the invoices whose number is one of nums
// (exactly, through the number index), in id order, each once.
func (tx *Tx) InvoicesByNumbers(nums []string) ([]policy.Invoice, error) {
	seen := map[int64]bool{}
	var out []policy.Invoice
	for len(nums) > 0 {
		size := numberChunks[len(numberChunks)-1]
		for _, c := range numberChunks {
			if len(nums) <= c {
				size = c
				break
			}
		}
		query := numbersQuery(size)
		n := min(len(nums), size)
		args := make([]any, size)
		for i := range args {
			args[i] = ""
			if i < n {
				args[i] = nums[i]
			}
		}
		nums = nums[n:]
		invs, err := tx.invoices(query, args...)
		if err != nil {
			return nil, fmt.Errorf("ledger: invoices by number: %w", err)
		}
		for _, inv := range invs {
			if !seen[inv.ID] {
				seen[inv.ID] = true
				out = append(out, inv)
			}
		}
	}
	slices.SortFunc(out, func(a, b policy.Invoice) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// InvoicesWithSpacedNumbers returns the invoices whose number holds a
// character other than a letter, a digit, '/' or '-' (a space, a dot):
// those a word-by-word lookup cannot find.
func (tx *Tx) InvoicesWithSpacedNumbers() ([]policy.Invoice, error) {
	invs, err := tx.invoices(invoiceSelect + " WHERE number GLOB '*[^A-Za-z0-9/-]*' ORDER BY invoices.id")
	if err != nil {
		return nil, fmt.Errorf("ledger: invoices with spaced numbers: %w", err)
	}
	return invs, nil
}

func (tx *Tx) invoices(query string, args ...any) ([]policy.Invoice, error) {
	rows, err := tx.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var invs []policy.Invoice
	for rows.Next() {
		inv, err := scanInvoice(rows)
		if err != nil {
			return nil, err
		}
		invs = append(invs, inv)
	}
	return invs, rows.Err()
}

// AddContact adds a client address to an invoice (stored lower-case), with a
// note saying where it came from. Adding an address the invoice already has
// changes nothing. ErrNotFound if there is no such invoice.
func (tx *Tx) AddContact(invoiceID int64, email string, note string) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if normalizeAddr(email) == "" {
		return fmt.Errorf("ledger: add contact to invoice %d: empty address", invoiceID)
	}
	if err := tx.addContact(invoiceID, email, note, false); err != nil {
		return fmt.Errorf("ledger: invoice %d: %w", invoiceID, err)
	}
	return nil
}

func (tx *Tx) addContact(invoiceID int64, email, note string, intake bool) error {
	email = normalizeAddr(email)
	if email == "" {
		return nil
	}
	var n int
	if err := tx.queryRow(`SELECT count(*) FROM invoices WHERE id = ?`, []any{invoiceID}, &n); err != nil {
		return fmt.Errorf("add contact %q: %w", email, err)
	}
	if n == 0 {
		return fmt.Errorf("add contact %q: %w", email, ErrNotFound)
	}
	if _, err := tx.exec(`INSERT INTO contacts (invoice_id, email, note, intake, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (invoice_id, email) DO NOTHING`,
		invoiceID, email, note, boolInt(intake), instantValue(tx.now)); err != nil {
		return fmt.Errorf("add contact %q: %w", email, err)
	}
	return nil
}

// Contacts returns an invoice's client addresses, lower-case, in the order
// they were added (none, not an error, for an unknown invoice).
func (tx *Tx) Contacts(invoiceID int64) ([]string, error) {
	out, err := tx.contacts(`SELECT email FROM contacts WHERE invoice_id = ? ORDER BY id`, invoiceID)
	if err != nil {
		return nil, fmt.Errorf("ledger: contacts of invoice %d: %w", invoiceID, err)
	}
	return out, nil
}

func (tx *Tx) contacts(query string, args ...any) ([]string, error) {
	rows, err := tx.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// InvoiceSource returns the mail the invoice came from: Message-ID, subject,
// raw message, attachments in their order, and the contacts it named.
// ErrNotFound if there is no such invoice.
func (tx *Tx) InvoiceSource(invoiceID int64) (Source, error) {
	var src Source
	err := tx.queryRow(`SELECT message_id, subject, raw FROM invoice_sources WHERE invoice_id = ?`, []any{invoiceID},
		&src.MessageID, &src.Subject, &src.Raw)
	if err != nil {
		return Source{}, fmt.Errorf("ledger: source of invoice %d: %w", invoiceID, err)
	}
	rows, err := tx.query(`SELECT filename, content_type, data FROM attachments WHERE invoice_id = ? ORDER BY id`, invoiceID)
	if err != nil {
		return Source{}, fmt.Errorf("ledger: attachments of invoice %d: %w", invoiceID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var a Attachment
		if err := rows.Scan(&a.Filename, &a.ContentType, &a.Data); err != nil {
			return Source{}, fmt.Errorf("ledger: attachments of invoice %d: %w", invoiceID, err)
		}
		src.Attachments = append(src.Attachments, a)
	}
	if err := rows.Err(); err != nil {
		return Source{}, fmt.Errorf("ledger: attachments of invoice %d: %w", invoiceID, err)
	}
	if src.Contacts, err = tx.contacts(`SELECT email FROM contacts WHERE invoice_id = ? AND intake = 1 ORDER BY id`, invoiceID); err != nil {
		return Source{}, fmt.Errorf("ledger: contacts of invoice %d: %w", invoiceID, err)
	}
	return src, nil
}

// Read helpers: each runs in its own read-only transaction.

// Invoice is Tx.Invoice in a read transaction.
func (db *DB) Invoice(ctx context.Context, id int64) (policy.Invoice, error) {
	return view(ctx, db, func(tx *Tx) (policy.Invoice, error) { return tx.Invoice(id) })
}

// InvoiceByNumber is Tx.InvoiceByNumber in a read transaction.
func (db *DB) InvoiceByNumber(ctx context.Context, number string) ([]policy.Invoice, error) {
	return view(ctx, db, func(tx *Tx) ([]policy.Invoice, error) { return tx.InvoiceByNumber(number) })
}

// OpenInvoices is Tx.OpenInvoices in a read transaction.
func (db *DB) OpenInvoices(ctx context.Context) ([]policy.Invoice, error) {
	return view(ctx, db, (*Tx).OpenInvoices)
}

// DueInvoices is Tx.DueInvoices in a read transaction.
func (db *DB) DueInvoices(ctx context.Context, now time.Time) ([]policy.Invoice, error) {
	return view(ctx, db, func(tx *Tx) ([]policy.Invoice, error) { return tx.DueInvoices(now) })
}

// AllInvoices is Tx.AllInvoices in a read transaction.
func (db *DB) AllInvoices(ctx context.Context) ([]policy.Invoice, error) {
	return view(ctx, db, (*Tx).AllInvoices)
}

// InvoicesByContact is Tx.InvoicesByContact in a read transaction.
func (db *DB) InvoicesByContact(ctx context.Context, email string) ([]policy.Invoice, error) {
	return view(ctx, db, func(tx *Tx) ([]policy.Invoice, error) { return tx.InvoicesByContact(email) })
}

// Contacts is Tx.Contacts in a read transaction.
func (db *DB) Contacts(ctx context.Context, invoiceID int64) ([]string, error) {
	return view(ctx, db, func(tx *Tx) ([]string, error) { return tx.Contacts(invoiceID) })
}

// InvoiceSource is Tx.InvoiceSource in a read transaction.
func (db *DB) InvoiceSource(ctx context.Context, invoiceID int64) (Source, error) {
	return view(ctx, db, func(tx *Tx) (Source, error) { return tx.InvoiceSource(invoiceID) })
}
