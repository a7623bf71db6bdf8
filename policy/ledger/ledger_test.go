package ledger

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/policy"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

var t0 = time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC)

func openTest(t testing.TB) (*DB, string, *clock) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ledger.db")
	c := &clock{t: t0}
	db, err := Open(context.Background(), path, c.now)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path, c
}

func mustTx(t testing.TB, db *DB, fn func(*Tx) error) {
	t.Helper()
	if err := db.Tx(context.Background(), fn); err != nil {
		t.Fatalf("tx: %v", err)
	}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// sampleInvoice has every field set to a non-zero value.
func sampleInvoice() policy.Invoice {
	return policy.Invoice{
		Number:         "2026/117",
		Client:         "Amministrazione@Rossi.example",
		ClientName:     "Rossi Logistica S.r.l.",
		ClientVAT:      "IT03391280926",
		IssueDate:      date(2026, 9, 30),
		DueDate:        date(2026, 10, 30),
		Amount:         decimal.RequireFromString("1234.5"),
		Currency:       "EUR",
		Lang:           "it",
		State:          policy.Paused,
		Stage:          2,
		CourtesySent:   true,
		Anchor:         date(2026, 10, 30),
		LastStageAt:    time.Date(2026, 11, 19, 9, 0, 0, 123e6, time.UTC),
		PauseUntil:     time.Date(2026, 12, 4, 0, 0, 0, 0, time.FixedZone("CET", 3600)),
		PromisedDate:   date(2026, 12, 1),
		PromisesBroken: 1,
		CitePromise:    true,
		PaidAmount:     decimal.RequireFromString("300"),
		SettleAmount:   decimal.RequireFromString("600.5"),
		SettleBy:       date(2026, 12, 28),
		NoticeAt:       time.Date(2026, 12, 14, 10, 0, 0, 0, time.FixedZone("CET", 3600)),
	}
}

func sampleSource(mid string) Source {
	return Source{
		MessageID: mid,
		Subject:   "Fattura 2026/117",
		Raw:       []byte("Message-ID: <" + mid + ">\r\nSubject: Fattura 2026/117\r\n\r\nbody " + mid + "\r\n"),
		Attachments: []Attachment{
			{Filename: "fattura.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 ...")},
			{Filename: "fattura.xml", ContentType: "application/xml", Data: []byte("<x/>")},
		},
		Contacts: []string{"Amministrazione@Rossi.example", "mario@rossi.example"},
	}
}

// equalInvoice compares invoices the way they are stored: instants as the
// same instant, amounts as the same number.
func equalInvoice(t *testing.T, got, want policy.Invoice) {
	t.Helper()
	norm := func(i policy.Invoice) policy.Invoice {
		i.Amount = decimal.RequireFromString(i.Amount.StringFixed(2))
		for _, p := range []*time.Time{&i.IssueDate, &i.DueDate, &i.Anchor, &i.LastStageAt, &i.PauseUntil, &i.PromisedDate, &i.SettleBy, &i.NoticeAt} {
			if !p.IsZero() {
				*p = p.UTC()
			}
		}
		return i
	}
	g, w := norm(got), norm(want)
	if !g.Amount.Equal(w.Amount) {
		t.Errorf("amount: got %s, want %s", g.Amount, w.Amount)
	}
	g.Amount, w.Amount = decimal.Decimal{}, decimal.Decimal{}
	for _, p := range []struct{ g, w *decimal.Decimal }{{&g.PaidAmount, &w.PaidAmount}, {&g.SettleAmount, &w.SettleAmount}} {
		if !p.g.Equal(*p.w) {
			t.Errorf("amount: got %s, want %s", p.g, p.w)
		}
		*p.g, *p.w = decimal.Decimal{}, decimal.Decimal{}
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("invoice:\n got %+v\nwant %+v", g, w)
	}
}

func TestInvoiceRoundTrip(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	tests := []struct {
		name string
		inv  policy.Invoice
	}{
		{"every field", sampleInvoice()},
		{"zero values", policy.Invoice{Number: "", State: policy.Incomplete}},
		{"cents", policy.Invoice{Number: "7", Client: "a@b.example", Amount: decimal.RequireFromString("0.1"), Currency: "EUR", State: policy.Open}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var id int64
			mustTx(t, db, func(tx *Tx) error {
				var err error
				id, err = tx.CreateInvoice(tt.inv, sampleSource(tt.name))
				return err
			})
			if id != int64(i+1) {
				t.Errorf("id: got %d, want %d", id, i+1)
			}
			got, err := db.Invoice(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.inv
			want.ID = id
			equalInvoice(t, got, want)

			// Update every field and read it back.
			upd := sampleInvoice()
			upd.ID = id
			upd.State = policy.Open
			upd.Stage = 3
			upd.Amount = decimal.RequireFromString("99.999")
			upd.Client = "new@client.example"
			mustTx(t, db, func(tx *Tx) error { return tx.UpdateInvoice(upd) })
			got, err = db.Invoice(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			upd.Amount = decimal.RequireFromString("100.00") // StringFixed(2) rounds
			equalInvoice(t, got, upd)
		})
	}

	if _, err := db.Invoice(context.Background(), 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Invoice(999): got %v, want ErrNotFound", err)
	}
	err := db.Tx(ctx, func(tx *Tx) error { return tx.UpdateInvoice(policy.Invoice{ID: 999, State: policy.Open}) })
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("UpdateInvoice(999): got %v, want ErrNotFound", err)
	}
}

func TestCreateInvoiceIdempotent(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	inv := sampleInvoice()
	var first int64
	mustTx(t, db, func(tx *Tx) error {
		var err error
		first, err = tx.CreateInvoice(inv, sampleSource("inv-1@owner.example"))
		return err
	})
	tests := []struct {
		name    string
		src     Source
		wantErr error
		wantID  int64
	}{
		{"same Message-ID", sampleSource("inv-1@owner.example"), ErrExists, first},
		{"same Message-ID in brackets", Source{MessageID: " <inv-1@owner.example> "}, ErrExists, first},
		{"other Message-ID", sampleSource("inv-2@owner.example"), nil, first + 1},
		{"no Message-ID", Source{Raw: []byte("Subject: x\r\n\r\nsame bytes")}, nil, first + 2},
		{"no Message-ID, same bytes", Source{Raw: []byte("Subject: x\r\n\r\nsame bytes")}, ErrExists, first + 2},
		{"no Message-ID, other bytes", Source{Raw: []byte("Subject: x\r\n\r\nother bytes")}, nil, first + 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var id int64
			var cerr error
			mustTx(t, db, func(tx *Tx) error {
				id, cerr = tx.CreateInvoice(inv, tt.src)
				return nil
			})
			if !errors.Is(cerr, tt.wantErr) || id != tt.wantID {
				t.Errorf("got (%d, %v), want (%d, %v)", id, cerr, tt.wantID, tt.wantErr)
			}
		})
	}
	err := db.Tx(ctx, func(tx *Tx) error { _, err := tx.CreateInvoice(inv, Source{}); return err })
	if err == nil {
		t.Error("CreateInvoice with an empty source: no error")
	}
	all, err := db.AllInvoices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 {
		t.Errorf("AllInvoices: got %d, want 4", len(all))
	}
}

func TestInvoiceQueries(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	mk := func(number, client string, state policy.State, contacts ...string) int64 {
		var id int64
		mustTx(t, db, func(tx *Tx) error {
			var err error
			src := Source{MessageID: number + "-" + client, Contacts: contacts}
			id, err = tx.CreateInvoice(policy.Invoice{Number: number, Client: client, State: state}, src)
			return err
		})
		return id
	}
	a := mk("1", "a@x.example", policy.Open)
	b := mk("2", "B@x.example", policy.Paid, "cc@x.example")
	c := mk("1", "c@y.example", policy.WrittenOff)
	d := mk("3", "a@x.example", policy.Disputed, "dd@x.example")
	mustTx(t, db, func(tx *Tx) error { return tx.AddContact(d, " CC@X.example ", "reply from") })

	ids := func(invs []policy.Invoice, err error) []int64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, i := range invs {
			out = append(out, i.ID)
		}
		return out
	}
	tests := []struct {
		name string
		got  []int64
		want []int64
	}{
		{"by number 1", ids(db.InvoiceByNumber(context.Background(), "1")), []int64{a, c}},
		{"by number 2", ids(db.InvoiceByNumber(context.Background(), " 2 ")), []int64{b}},
		{"by number none", ids(db.InvoiceByNumber(context.Background(), "9")), nil},
		{"open", ids(db.OpenInvoices(context.Background())), []int64{a, d}},
		{"all", ids(db.AllInvoices(context.Background())), []int64{a, b, c, d}},
		{"by contact client", ids(db.InvoicesByContact(context.Background(), "A@X.EXAMPLE")), []int64{a, d}},
		{"by contact upper-case client", ids(db.InvoicesByContact(context.Background(), "b@x.example")), []int64{b}},
		{"by contact cc", ids(db.InvoicesByContact(context.Background(), "cc@x.example")), []int64{b, d}},
		{"by contact none", ids(db.InvoicesByContact(context.Background(), "zz@x.example")), nil},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}

	for domain, want := range map[string]bool{"x.example": true, "Y.EXAMPLE": true, "z.example": false, "": false, "example": false} {
		var got bool
		err := db.View(ctx, func(tx *Tx) (err error) { got, err = tx.KnowsDomain(domain); return err })
		if err != nil || got != want {
			t.Errorf("KnowsDomain(%q) = %v, %v; want %v", domain, got, err, want)
		}
	}
	var plan string
	if err := db.sql.QueryRowContext(ctx, `EXPLAIN QUERY PLAN SELECT 1 FROM contacts WHERE substr(email, instr(email, '@') + 1) = 'x.example'`).Scan(new(int), new(int), new(int), &plan); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "contacts_domain") {
		t.Errorf("KnowsDomain's query does not use the domain index: %s", plan)
	}

	contacts, err := db.Contacts(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"dd@x.example", "a@x.example", "cc@x.example"}; !reflect.DeepEqual(contacts, want) {
		t.Errorf("Contacts: got %v, want %v", contacts, want)
	}
	// A new client address becomes a contact.
	inv, err := db.Invoice(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	inv.Client = "Right@X.example"
	mustTx(t, db, func(tx *Tx) error { return tx.UpdateInvoice(inv) })
	if got := ids(db.InvoicesByContact(context.Background(), "right@x.example")); !reflect.DeepEqual(got, []int64{a}) {
		t.Errorf("after redirect: got %v, want [%d]", got, a)
	}

	for _, tc := range []struct {
		name  string
		id    int64
		email string
		want  error
	}{
		{"no invoice", 999, "x@y.example", ErrNotFound},
		{"empty address", a, "  ", nil},
	} {
		err := db.Tx(ctx, func(tx *Tx) error { return tx.AddContact(tc.id, tc.email, "") })
		if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("AddContact %s: got %v, want an error (%v)", tc.name, err, tc.want)
		}
	}
}

func TestInvoiceSource(t *testing.T) {
	db, _, _ := openTest(t)
	src := sampleSource("inv@owner.example")
	var id int64
	mustTx(t, db, func(tx *Tx) error {
		var err error
		id, err = tx.CreateInvoice(sampleInvoice(), src)
		if err != nil {
			return err
		}
		return tx.AddContact(id, "later@rossi.example", "redirect")
	})
	got, err := db.InvoiceSource(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	want := src
	want.Contacts = []string{"amministrazione@rossi.example", "mario@rossi.example"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("InvoiceSource:\n got %+v\nwant %+v", got, want)
	}
	if _, err := db.InvoiceSource(context.Background(), id+1); !errors.Is(err, ErrNotFound) {
		t.Errorf("InvoiceSource(unknown): got %v, want ErrNotFound", err)
	}
}

func TestFileModeAndMigrationsOnce(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub dir?#", "ledger.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range 3 {
		db, err := Open(ctx, path, func() time.Time { return t0.Add(time.Duration(i) * time.Hour) })
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		if i == 0 {
			mustTx(t, db, func(tx *Tx) error { return tx.AddEvent(Event{Kind: "intake"}) })
		}
		var n int
		var applied string
		if err := db.sql.QueryRowContext(ctx, `SELECT count(*), max(applied_at) FROM migrations`).Scan(&n, &applied); err != nil {
			t.Fatal(err)
		}
		names, _ := migrations.ReadDir("migrations")
		if n != len(names) {
			t.Errorf("open %d: %d migrations recorded, want %d", i, n, len(names))
		}
		if applied != "2026-11-22T09:30:00.000Z" {
			t.Errorf("open %d: migrations applied at %s, want the first open's time", i, applied)
		}
		evs, err := db.EventsSince(context.Background(), time.Time{})
		if err != nil || len(evs) != 1 {
			t.Errorf("open %d: events %v, %v; want the one written at first", i, evs, err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if errors.Is(err, os.ErrNotExist) && p != path {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if mode := fi.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s: mode %o, want 600", filepath.Base(p), mode)
		}
	}

	// An existing file keeps its mode.
	other := filepath.Join(dir, "other.db")
	if err := os.WriteFile(other, nil, 0o640); err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, other, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if fi, err := os.Stat(other); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("existing file: mode %v, %v; want 640 kept", fi.Mode().Perm(), err)
	}

	if _, err := Open(ctx, filepath.Join(dir, "missing", "x.db"), nil); err == nil {
		t.Error("open in a missing directory: no error")
	}
	if _, err := Open(ctx, "", nil); err == nil {
		t.Error("open of an empty path: no error")
	}
}

func TestPragmas(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	// Several connections: every one must have the pragmas.
	conns := make([]interface{ Close() error }, 0, 3)
	for range 3 {
		c, err := db.sql.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var journal string
		var fk, busy int
		if err := c.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&journal); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy); err != nil {
			t.Fatal(err)
		}
		if journal != "wal" || fk != 1 || busy != 5000 {
			t.Errorf("journal_mode %s, foreign_keys %d, busy_timeout %d; want wal, 1, 5000", journal, fk, busy)
		}
	}
	for _, c := range conns {
		c.Close()
	}
	// Foreign keys are enforced.
	err := db.Tx(ctx, func(tx *Tx) error {
		_, _, err := tx.RecordMessage(Message{Direction: In, MessageID: "x@y", InvoiceID: 42})
		return err
	})
	if err == nil {
		t.Error("message for a missing invoice: no error")
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	db, path, _ := openTest(t)
	if _, err := db.sql.Exec(`INSERT INTO migrations (name, applied_at) VALUES ('migrations/9999_future.sql', '2030-01-01T00:00:00.000Z')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err := Open(context.Background(), path, nil)
	if err == nil || !strings.Contains(err.Error(), "newer version") {
		t.Errorf("open of a newer ledger: got %v, want an error naming a newer version", err)
	}
}

func TestTxRollsBackOnPanic(t *testing.T) {
	db, _, _ := openTest(t)
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic not propagated")
			}
		}()
		db.Tx(context.Background(), func(tx *Tx) error {
			if err := tx.AddEvent(Event{Kind: "half"}); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	evs, err := db.EventsSince(context.Background(), time.Time{})
	if err != nil || len(evs) != 0 {
		t.Errorf("after a panic: events %v, %v; want none", evs, err)
	}
	// The ledger still takes writes.
	mustTx(t, db, func(tx *Tx) error { return tx.AddEvent(Event{Kind: "after"}) })
}

// TestSecret: each ledger gets its own installation secret, kept across a
// reopen (Message-IDs stay the same after a restart, and differ between
// installations).
func TestSecret(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	open := func(name string) []byte {
		db, err := Open(ctx, filepath.Join(dir, name), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		return db.Secret()
	}
	a, b := open("a.db"), open("b.db")
	if len(a) != 32 || len(b) != 32 {
		t.Fatalf("secret lengths %d, %d, want 32", len(a), len(b))
	}
	if bytes.Equal(a, b) {
		t.Error("two ledgers share a secret")
	}
	if again := open("a.db"); !bytes.Equal(a, again) {
		t.Error("the secret changed across a reopen")
	}
}

// TestInvoicesByNumbers: the number index finds every invoice a list of
// words names, across query chunks, each once; numbers a word cannot hold
// are listed apart.
func TestInvoicesByNumbers(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	err := db.Tx(ctx, func(tx *Tx) error {
		for i := range 150 {
			if _, err := tx.CreateInvoice(policy.Invoice{Number: fmt.Sprintf("2026/%d", i), State: policy.Open},
				Source{MessageID: fmt.Sprintf("inv%d@x", i)}); err != nil {
				return err
			}
		}
		_, err := tx.CreateInvoice(policy.Invoice{Number: "FT 12.2026", State: policy.Open}, Source{MessageID: "spaced@x"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for i := 0; i < 150; i += 2 {
		words = append(words, fmt.Sprintf("2026/%d", i), "noise", fmt.Sprintf("2026/%d", i))
	}
	err = db.View(ctx, func(tx *Tx) error {
		got, err := tx.InvoicesByNumbers(words)
		if err != nil {
			return err
		}
		if len(got) != 75 {
			t.Errorf("%d invoices for 75 distinct numbers over %d words", len(got), len(words))
		}
		spaced, err := tx.InvoicesWithSpacedNumbers()
		if err != nil {
			return err
		}
		if len(spaced) != 1 || spaced[0].Number != "FT 12.2026" {
			t.Errorf("spaced numbers %+v", spaced)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestLookupsUseIndexes: the lookups by Message-ID or hash go through
// their (partial) indexes, never a scan of the table.
func TestLookupsUseIndexes(t *testing.T) {
	db, _, _ := openTest(t)
	for _, q := range []string{sourceByMessageID, sourceByHash, messageByHash, capCountPrefix} {
		var rows *sql.Rows
		var err error
		for n := 1; n <= 3 && (rows == nil || err != nil); n++ {
			args := []any{"x", "x", "x"}[:n]
			rows, err = db.sql.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q, args...)
		}
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(detail, "SCAN") {
				t.Errorf("%s: %s", q, detail)
			}
		}
		rows.Close()
	}
}
