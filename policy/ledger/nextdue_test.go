package ledger

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/sollecito/sollecito/policy"
)

// TestNextDueHints: DueInvoices returns what has no hint or a hint at or
// before now, never a closed invoice; every change that could make a step
// earlier (the invoice, a client's settings, a message that will never go,
// another basis) clears the hints it touches.
func TestNextDueHints(t *testing.T) {
	db, _, _ := openTest(t)
	var ids []int64
	mustTx(t, db, func(tx *Tx) error {
		for i, st := range []policy.State{policy.Open, policy.Open, policy.Paused, policy.Paid} {
			id, err := tx.CreateInvoice(policy.Invoice{Number: fmt.Sprint(i), Client: fmt.Sprintf("C%d@x.test", i), State: st},
				Source{MessageID: fmt.Sprintf("m%d@x", i)})
			ids = append(ids, id)
			if err != nil {
				return err
			}
		}
		return nil
	})
	due := func(now time.Time) []int64 {
		t.Helper()
		var got []int64
		mustTx(t, db, func(tx *Tx) error {
			invs, err := tx.DueInvoices(now)
			for _, inv := range invs {
				got = append(got, inv.ID)
			}
			return err
		})
		return got
	}
	want := func(now time.Time, w ...int64) {
		t.Helper()
		if got := due(now); !slices.Equal(got, w) {
			t.Errorf("due at %s: %v, want %v", now.Format(time.DateTime), got, w)
		}
	}
	now := t0
	want(now, ids[0], ids[1], ids[2]) // new: no hint; the paid one never
	mustTx(t, db, func(tx *Tx) error {
		return tx.SetNextDue("b1", now, []NextDue{{ids[0], now.Add(48 * time.Hour)}, {ids[1], time.Time{}}, {ids[2], now.Add(time.Hour)}})
	})
	want(now)
	want(now.Add(time.Hour), ids[2])
	want(now.Add(72*time.Hour), ids[0], ids[2])
	var basis string
	var latest time.Time
	mustTx(t, db, func(tx *Tx) (err error) { basis, latest, err = tx.ScheduleBasis(); return err })
	if basis != "b1" || !latest.Equal(now) {
		t.Fatalf("basis %q at %s", basis, latest)
	}

	// A changed invoice is decided again.
	mustTx(t, db, func(tx *Tx) error {
		inv, err := tx.Invoice(ids[1])
		if err != nil {
			return err
		}
		inv.Stage = 1
		return tx.UpdateInvoice(inv)
	})
	want(now, ids[1])

	// A client's settings changed: everything is decided again.
	mustTx(t, db, func(tx *Tx) error {
		return tx.SetNextDue("b1", now, []NextDue{{ids[1], time.Time{}}})
	})
	want(now)
	tol := 3
	mustTx(t, db, func(tx *Tx) error {
		return tx.SetClientOverride(ClientOverride{Address: "c1@x.test", ToleranceDays: &tol})
	})
	want(now, ids[0], ids[1], ids[2])

	// A message that will never go to C0 clears C0's invoice only.
	mustTx(t, db, func(tx *Tx) error {
		return tx.SetNextDue("b1", now, []NextDue{{ids[0], time.Time{}}, {ids[1], time.Time{}}, {ids[2], time.Time{}}})
	})
	var row int64
	mustTx(t, db, func(tx *Tx) error {
		var err error
		row, err = tx.Enqueue(Outgoing{MessageID: "out1@x", InvoiceID: ids[0], Template: "stage1", To: []string{"c0@x.test"}, Raw: []byte("Subject: x\r\n\r\nx\r\n"), NotBefore: now})
		return err
	})
	mustTx(t, db, func(tx *Tx) error { return tx.MarkFailed(row, "550 no such user", true) })
	want(now, ids[0])

	// Hints stored under another basis clear the old ones.
	mustTx(t, db, func(tx *Tx) error { return tx.SetNextDue("b2", now, []NextDue{{ids[0], time.Time{}}}) })
	want(now, ids[1], ids[2])
	mustTx(t, db, func(tx *Tx) error { return tx.ClearNextDue() })
	want(now, ids[0], ids[1], ids[2])
	mustTx(t, db, func(tx *Tx) (err error) { basis, latest, err = tx.ScheduleBasis(); return err })
	if basis != "" || !latest.IsZero() {
		t.Fatalf("basis after clear %q at %s", basis, latest)
	}
}

// TestObserveEvents: the observer hears the events of a committed
// transaction, once each, and nothing of one rolled back.
func TestObserveEvents(t *testing.T) {
	db, _, _ := openTest(t)
	var heard []string
	db.ObserveEvents(func(evs []Event) {
		for _, e := range evs {
			heard = append(heard, string(e.Kind))
		}
	})
	mustTx(t, db, func(tx *Tx) error {
		if err := tx.AddEvent(Event{At: t0, Kind: "intake", Reason: "a"}); err != nil {
			return err
		}
		return tx.AddEvent(Event{At: t0, Kind: "reply:promise", Reason: "b"})
	})
	err := db.Tx(context.Background(), func(tx *Tx) error {
		if err := tx.AddEvent(Event{At: t0, Kind: "lost", Reason: "c"}); err != nil {
			return err
		}
		return errors.New("roll back")
	})
	if err == nil || !slices.Equal(heard, []string{"intake", "reply:promise"}) {
		t.Errorf("heard %v (%v)", heard, err)
	}
}
