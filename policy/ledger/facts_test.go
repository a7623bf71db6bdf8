package ledger

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/policy"
)

// Events carry their facts as data, and a ledger written before migration
// 0011 gets them from the reasons the engine wrote then.
func TestEventFacts(t *testing.T) {
	db, _, _ := openTest(t)
	id := createInvoice(t, db, "1", "a@x.example", "inv-a@owner.example")
	promised := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	mustTx(t, db, func(tx *Tx) error {
		return tx.AddEvent(Event{InvoiceID: id, Kind: "reply:promise", Reason: "…", Date: promised,
			Amount: decimal.RequireFromString("600"), Address: "a@x.example"})
	})
	evs, err := db.Events(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	last := evs[len(evs)-1]
	if !last.Date.Equal(promised) || last.Amount.StringFixed(2) != "600.00" || last.Address != "a@x.example" {
		t.Errorf("facts read back: date %v amount %v address %q", last.Date, last.Amount, last.Address)
	}
}

// An event keeps the rule that decided it as data (policy.Why), and one
// without it reads back with none.
func TestEventWhy(t *testing.T) {
	db, _, _ := openTest(t)
	id := createInvoice(t, db, "1", "a@x.example", "inv-a@owner.example")
	w := policy.Why{Code: policy.WhyStage, Stage: 2, Days: 10, Since: policy.SinceLast,
		From: time.Date(2026, 12, 11, 0, 0, 0, 0, time.UTC), Tolerance: 2, CitePromise: true}
	mustTx(t, db, func(tx *Tx) error {
		if err := tx.AddEvent(Event{InvoiceID: id, Kind: "stage2", Reason: w.English(), Why: &w}); err != nil {
			return err
		}
		return tx.AddEvent(Event{InvoiceID: id, Kind: "command:note", Reason: "owner note: x"})
	})
	evs, err := db.Events(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	got, plain := evs[len(evs)-2], evs[len(evs)-1]
	if got.Why == nil || got.Why.English() != w.English() || !got.Why.From.Equal(w.From) {
		t.Errorf("why read back as %+v, want %+v", got.Why, w)
	}
	if plain.Why != nil {
		t.Errorf("an event without a rule reads back with %+v", plain.Why)
	}
}

func TestEventFactsBackfill(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	sort.Strings(names)
	mustExec := func(q string, args ...any) {
		t.Helper()
		if _, err := old.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	mustExec(`CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`)
	for _, name := range names {
		if name >= "migrations/0011" {
			break
		}
		body, _ := migrations.ReadFile(name)
		mustExec(string(body))
		mustExec(`INSERT INTO migrations VALUES (?, '2026-11-01T00:00:00.000Z')`, name)
	}
	// The reasons as the engine wrote them before 0011.
	for _, e := range [][2]string{
		{"command:partly_paid", "owner: 600.00 received; 620.00 still outstanding"},
		{"reply:promise", "reply from a@x.example (threaded under the bot's message) read as promise, promised 2026-12-04: client promises to pay by 2026-12-04: paused"},
		{"reply:bounce", "reply from mailer-daemon@x.example (threaded) read as bounce: delivery to a@x.example failed: the owner is alerted"},
		{"stage1", "stage 1: 10 days after due date 2026-11-06"},
	} {
		mustExec(`INSERT INTO events (at, kind, reason, message_id) VALUES ('2026-11-02T10:00:00.000Z', ?, ?, '')`, e[0], e[1])
	}
	old.Close()

	db, err := Open(ctx, path, func() time.Time { return t0 })
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	evs, err := db.Events(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Event{}
	for _, e := range evs {
		got[string(e.Kind)] = e
	}
	if a := got["command:partly_paid"].Amount; a.StringFixed(2) != "600.00" {
		t.Errorf("partly paid amount %v, want 600.00", a)
	}
	if d := got["reply:promise"].Date; !d.Equal(time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("promised date %v, want 2026-12-04", d)
	}
	if a := got["reply:bounce"].Address; a != "a@x.example" {
		t.Errorf("bounced address %q, want a@x.example", a)
	}
	if s := got["stage1"]; !s.Amount.IsZero() || !s.Date.IsZero() || s.Address != "" {
		t.Errorf("stage1 got facts %+v", s)
	}
	// The guard is back: events stay append-only.
	if err := db.Tx(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE events SET reason = 'x'`)
		return err
	}); err == nil {
		t.Error("an UPDATE of events went through after the migration")
	}
}
