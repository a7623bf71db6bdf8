// Package ledger is Sollecito's store: invoices, every message in and out,
// the outbox, the mailbox sync state and the append-only log of decisions,
// in one SQLite file (modernc.org/sqlite, no cgo).
//
// Every decision of the engine is one transaction (DB.Tx): the invoice
// update, the messages it queues and the events that explain it commit
// together or not at all, so a crash never separates a decision from its
// messages. Reads that need no write open their own read-only transaction
// (the methods on DB) and run alongside a writer (WAL).
//
// Storage conventions: calendar dates are TEXT 'YYYY-MM-DD'; instants are
// TEXT RFC 3339 in UTC with milliseconds (fixed width, so text order is time
// order), NULL when zero; money is TEXT with two decimals; addresses used for
// matching are lower-case; Message-IDs are stored without angle brackets.
//
// To store a new policy.Invoice field: add one line to invoiceFields
// (invoice.go) and a migration file migrations/NNNN_name.sql with the next
// number; Open applies it once, in order, in the same transaction as the
// other pending ones. Never edit a migration that has shipped.
package ledger

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // driver "sqlite"
)

// Sentinel errors. Test with errors.Is.
var (
	// ErrNotFound: no row with that key.
	ErrNotFound = errors.New("ledger: not found")
	// ErrExists: the row was already there; the call returned its id and changed nothing.
	ErrExists = errors.New("ledger: already exists")
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is an open ledger. It is safe for concurrent use.
type DB struct {
	sql *sql.DB
	now func() time.Time

	mu    sync.Mutex
	stmts map[string]*sql.Stmt // prepared once per query text, reused by every Tx

	secret []byte // this installation's secret (migration 0012)

	observe func([]Event) // ObserveEvents; guarded by mu
}

// Open opens or creates the ledger at path and brings its schema up to date.
// A new file is created with mode 0600 (the WAL and shared-memory files
// inherit it). Connections use WAL, foreign_keys=ON and busy_timeout=5000 ms;
// write transactions take the write lock when they begin (BEGIN IMMEDIATE),
// so two writers wait for each other instead of failing. The embedded
// migrations not yet recorded in the migrations table are applied in name
// order in one transaction. now is the clock that stamps rows; nil means
// time.Now.
func Open(ctx context.Context, path string, now func() time.Time) (*DB, error) {
	if path == "" {
		return nil, errors.New("ledger: open: empty path")
	}
	if now == nil {
		now = time.Now
	}
	// SQLite would create the file with the umask's mode; create it first.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		err = f.Close()
	} else if errors.Is(err, fs.ErrExist) {
		err = nil
	}
	if err != nil {
		return nil, fmt.Errorf("ledger: create %s: %w", path, err)
	}

	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("ledger: open %s: %w", path, err)
	}
	db := &DB{sql: sdb, now: now, stmts: map[string]*sql.Stmt{}}
	if err := db.migrate(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("ledger: open %s: %w", path, err)
	}
	if err := sdb.QueryRowContext(ctx, `SELECT secret FROM install WHERE id = 1`).Scan(&db.secret); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("ledger: open %s: read the installation secret: %w", path, err)
	}
	return db, nil
}

// Secret returns this installation's secret: 32 random bytes made once,
// when the ledger was created (or upgraded to hold one), never changed and
// stored only in the ledger file. The engine keys its Message-IDs with it.
func (db *DB) Secret() []byte { return append([]byte(nil), db.secret...) }

// migrate applies the embedded migrations not yet recorded, in one transaction.
func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	sort.Strings(names)
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin migrations: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	// A migration recorded here but not embedded: a newer Sollecito wrote
	// this file, and this one would misread it.
	known := map[string]bool{}
	for _, name := range names {
		known[name] = true
	}
	rows, err := tx.QueryContext(ctx, `SELECT name FROM migrations ORDER BY name`)
	if err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	var unknown []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return fmt.Errorf("read migrations: %w", err)
		}
		if !known[name] {
			unknown = append(unknown, name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	if len(unknown) > 0 {
		return fmt.Errorf("the ledger was written by a newer version of Sollecito (unknown migrations %s): upgrade, or restore a backup", strings.Join(unknown, ", "))
	}
	for _, name := range names {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if n > 0 {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`, name, instantValue(db.now())); err != nil {
			return fmt.Errorf("record migration %s: %w", name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit migrations: %w", err)
	}
	return nil
}

// Close closes the database. A transaction in progress is rolled back by SQLite.
func (db *DB) Close() error {
	db.mu.Lock()
	for _, s := range db.stmts {
		s.Close()
	}
	db.stmts = map[string]*sql.Stmt{}
	db.mu.Unlock()
	if err := db.sql.Close(); err != nil {
		return fmt.Errorf("ledger: close: %w", err)
	}
	return nil
}

// Tx is one transaction. Its methods use the context given to DB.Tx and the
// clock read once when the transaction began. A Tx must not be used after
// the function it was given to returns.
type Tx struct {
	ctx context.Context
	tx  *sql.Tx
	db  *DB
	now time.Time

	readOnly bool
	added    []Event // the events this transaction recorded, for the observer
}

// errReadOnly is returned by a write method called inside DB.View.
var errReadOnly = errors.New("ledger: write in a read-only transaction")

// writable returns an error when tx is read-only.
func (tx *Tx) writable() error {
	if tx.readOnly {
		return errReadOnly
	}
	return nil
}

// Tx runs fn in one write transaction: committed when fn returns nil, rolled
// back when it returns an error (returned as is) or panics.
func (db *DB) Tx(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, false, fn)
}

// View runs fn in one read-only transaction: a consistent snapshot that does
// not wait for writers. Write methods return an error inside it.
func (db *DB) View(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, true, fn)
}

func (db *DB) run(ctx context.Context, readOnly bool, fn func(*Tx) error) error {
	stx, err := db.sql.BeginTx(ctx, &sql.TxOptions{ReadOnly: readOnly})
	if err != nil {
		return fmt.Errorf("ledger: begin: %w", err)
	}
	defer stx.Rollback() // after Commit, a no-op
	tx := &Tx{ctx: ctx, tx: stx, db: db, now: db.now(), readOnly: readOnly}
	if err := fn(tx); err != nil {
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("ledger: commit: %w", err)
	}
	if obs := db.observer(); obs != nil && len(tx.added) > 0 {
		obs(tx.added)
	}
	return nil
}

// ObserveEvents sets fn to be called with the events each transaction
// recorded, once it has committed (never for one rolled back): the
// engine logs every decision with it. fn must not use the ledger.
func (db *DB) ObserveEvents(fn func([]Event)) {
	db.mu.Lock()
	db.observe = fn
	db.mu.Unlock()
}

func (db *DB) observer() func([]Event) {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.observe
}

// stmt returns the prepared statement for query, bound to the transaction.
func (tx *Tx) stmt(query string) (*sql.Stmt, error) {
	db := tx.db
	db.mu.Lock()
	s, ok := db.stmts[query]
	if !ok {
		var err error
		s, err = db.sql.PrepareContext(tx.ctx, query)
		if err != nil {
			db.mu.Unlock()
			return nil, fmt.Errorf("prepare %q: %w", firstLine(query), err)
		}
		db.stmts[query] = s
	}
	db.mu.Unlock()
	return tx.tx.StmtContext(tx.ctx, s), nil
}

func (tx *Tx) exec(query string, args ...any) (sql.Result, error) {
	s, err := tx.stmt(query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(tx.ctx, args...)
}

func (tx *Tx) query(query string, args ...any) (*sql.Rows, error) {
	s, err := tx.stmt(query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(tx.ctx, args...)
}

// queryRow scans the single row of query into dest; sql.ErrNoRows becomes ErrNotFound.
func (tx *Tx) queryRow(query string, args []any, dest ...any) error {
	s, err := tx.stmt(query)
	if err != nil {
		return err
	}
	err = s.QueryRowContext(tx.ctx, args...).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// view runs fn in a read-only transaction under ctx and returns its
// result. The read helpers on DB use it.
func view[T any](ctx context.Context, db *DB, fn func(*Tx) (T, error)) (T, error) {
	var v T
	err := db.View(ctx, func(tx *Tx) error {
		var err error
		v, err = fn(tx)
		return err
	})
	return v, err
}
