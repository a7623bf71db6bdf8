package ledger

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"
)

func TestEvents(t *testing.T) {
	db, _, c := openTest(t)
	a := createInvoice(t, db, "1", "a@x.example", "inv-a@owner.example")
	b := createInvoice(t, db, "2", "b@x.example", "inv-b@owner.example")
	h := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Hour) }
	c.set(h(5))
	mustTx(t, db, func(tx *Tx) error {
		for _, e := range []Event{
			{InvoiceID: a, At: h(3), Kind: "stage1", Reason: "10 days overdue"},
			{InvoiceID: b, At: h(1), Kind: "intake", Reason: "new invoice", MessageID: "<inv-b@owner.example>"},
			{InvoiceID: a, At: h(1).In(time.FixedZone("CET", 3600)), Kind: "intake", Reason: "new invoice", MessageID: "inv-a@owner.example"},
			{Kind: "unmatched", Reason: "no invoice", MessageID: "x@y"}, // At zero: the clock
		} {
			if err := tx.AddEvent(e); err != nil {
				return err
			}
		}
		return nil
	})
	kinds := func(evs []Event, err error) []string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range evs {
			out = append(out, fmt.Sprintf("%d:%s@%d", e.InvoiceID, e.Kind, int(e.At.Sub(t0).Hours())))
		}
		return out
	}
	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"invoice a", kinds(db.Events(context.Background(), a)), []string{"1:intake@1", "1:stage1@3"}},
		{"invoice b", kinds(db.Events(context.Background(), b)), []string{"2:intake@1"}},
		{"no invoice", kinds(db.Events(context.Background(), 0)), []string{"0:unmatched@5"}},
		{"since 0", kinds(db.EventsSince(context.Background(), time.Time{})), []string{"2:intake@1", "1:intake@1", "1:stage1@3", "0:unmatched@5"}},
		{"since 3h", kinds(db.EventsSince(context.Background(), h(3))), []string{"1:stage1@3", "0:unmatched@5"}},
		{"since 3h in another zone", kinds(db.EventsSince(context.Background(), h(3).In(time.FixedZone("X", -7*3600)))), []string{"1:stage1@3", "0:unmatched@5"}},
		{"since later", kinds(db.EventsSince(context.Background(), h(6))), nil},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	evs, _ := db.Events(context.Background(), b)
	want := Event{ID: 2, InvoiceID: b, At: h(1), Kind: "intake", Reason: "new invoice", MessageID: "inv-b@owner.example"}
	if len(evs) != 1 || evs[0] != want {
		t.Errorf("event: got %+v, want %+v", evs, want)
	}

	// Append-only.
	for _, q := range []string{`UPDATE events SET reason = 'x'`, `DELETE FROM events`} {
		if _, err := db.sql.Exec(q); err == nil {
			t.Errorf("%s: no error", q)
		}
	}
	if err := db.Tx(context.Background(), func(tx *Tx) error { return tx.AddEvent(Event{Kind: " "}) }); err == nil {
		t.Error("event without kind: no error")
	}
	if err := db.Tx(context.Background(), func(tx *Tx) error { return tx.AddEvent(Event{InvoiceID: 99, Kind: "x"}) }); err == nil {
		t.Error("event of a missing invoice: no error")
	}
}

func TestSyncState(t *testing.T) {
	db, _, _ := openTest(t)
	steps := []struct {
		folder        string
		set           bool
		validity, uid uint32
		wantV, wantU  uint32
	}{
		{folder: "INBOX", wantV: 0, wantU: 0},
		{folder: "INBOX", set: true, validity: 1700000000, uid: 12, wantV: 1700000000, wantU: 12},
		{folder: "INBOX", set: true, validity: 1700000000, uid: 4294967295, wantV: 1700000000, wantU: 4294967295},
		{folder: "Sollecito", wantV: 0, wantU: 0},
		{folder: "INBOX", set: true, validity: 4294967295, uid: 0, wantV: 4294967295, wantU: 0},
	}
	for i, s := range steps {
		if s.set {
			mustTx(t, db, func(tx *Tx) error { return tx.SetSyncState(s.folder, s.validity, s.uid) })
		}
		v, u, err := db.SyncState(context.Background(), s.folder)
		if err != nil {
			t.Fatal(err)
		}
		if v != s.wantV || u != s.wantU {
			t.Errorf("step %d: SyncState(%s) = (%d, %d), want (%d, %d)", i, s.folder, v, u, s.wantV, s.wantU)
		}
	}
}

func TestViewIsReadOnly(t *testing.T) {
	db, _, _ := openTest(t)
	err := db.View(context.Background(), func(tx *Tx) error { return tx.AddEvent(Event{Kind: "x"}) })
	if !errors.Is(err, errReadOnly) {
		t.Errorf("write in View: got %v, want errReadOnly", err)
	}
}

// Readers go on while a writer holds its transaction open, and a second
// writer waits for the first (busy timeout) instead of failing.
func TestConcurrentReadersAndWriters(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	inv := createInvoice(t, db, "1", "a@x.example", "inv@owner.example")

	inTx := make(chan struct{})
	release := make(chan struct{})
	writerDone := make(chan error, 1)
	go func() {
		writerDone <- db.Tx(ctx, func(tx *Tx) error {
			if err := tx.AddEvent(Event{InvoiceID: inv, Kind: "first"}); err != nil {
				return err
			}
			close(inTx)
			<-release
			return nil
		})
	}()
	<-inTx

	// Readers see the last committed state, at once, while the writer holds the lock.
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			evs, err := db.Events(context.Background(), inv)
			if err != nil {
				errs <- err
				return
			}
			if len(evs) != 0 {
				errs <- fmt.Errorf("reader saw uncommitted events: %v", evs)
			}
			if d := time.Since(start); d > 2*time.Second {
				errs <- fmt.Errorf("reader waited %v for the writer", d)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	// A second writer that reads before it writes (as every decision does)
	// waits, then succeeds once the first commits: it must not read a
	// snapshot that the first writer's commit makes stale (SQLITE_BUSY_SNAPSHOT).
	second := make(chan error, 1)
	go func() {
		second <- db.Tx(ctx, func(tx *Tx) error {
			evs, err := tx.Events(inv)
			if err != nil {
				return err
			}
			return tx.AddEvent(Event{InvoiceID: inv, Kind: "second", Reason: fmt.Sprintf("after %d events", len(evs))})
		})
	}()
	select {
	case err := <-second:
		t.Fatalf("second writer did not wait: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	if err := <-writerDone; err != nil {
		t.Fatal(err)
	}
	if err := <-second; err != nil {
		t.Fatalf("second writer: %v", err)
	}
	evs, err := db.Events(context.Background(), inv)
	if err != nil || len(evs) != 2 || evs[0].Kind != "first" || evs[1].Kind != "second" || evs[1].Reason != "after 1 events" {
		t.Errorf("events: %+v, %v; want first then second", evs, err)
	}
}

// BenchmarkRecordAndEnqueue measures one engine decision's worth of writes:
// a received message recorded, a reminder queued and an event, in one Tx.
func BenchmarkRecordAndEnqueue(b *testing.B) {
	db, _, _ := openTest(b)
	inv := createInvoice(b, db, "1", "a@x.example", "inv@owner.example")
	raw := rawMail("x@bot", "Promemoria fattura 1")
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		err := db.Tx(ctx, func(tx *Tx) error {
			if _, _, err := tx.RecordMessage(Message{Direction: In, MessageID: fmt.Sprintf("in%d@x.example", i), InvoiceID: inv, From: "a@x.example", To: "bot@me.example", Kind: "promise"}); err != nil {
				return err
			}
			if _, err := tx.Enqueue(Outgoing{MessageID: fmt.Sprintf("out%d@bot", i), InvoiceID: inv, Template: "stage1", To: []string{"a@x.example"}, Raw: raw}); err != nil {
				return err
			}
			return tx.AddEvent(Event{InvoiceID: inv, Kind: "reply:promise", Reason: "promised"})
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
