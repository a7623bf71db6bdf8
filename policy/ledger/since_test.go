package ledger

import (
	"errors"
	"testing"
	"time"
)

func TestFirstAndLastEvent(t *testing.T) {
	db, _, _ := openTest(t)
	h := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Hour) }
	mustTx(t, db, func(tx *Tx) error {
		if _, err := tx.FirstEvent(); !errors.Is(err, ErrNotFound) {
			t.Errorf("FirstEvent of an empty log: %v, want ErrNotFound", err)
		}
		if _, err := tx.LastEvent("summary"); !errors.Is(err, ErrNotFound) {
			t.Errorf("LastEvent of an empty log: %v, want ErrNotFound", err)
		}
		for _, e := range []Event{
			{At: h(5), Kind: "summary", Reason: "second"},
			{At: h(2), Kind: "summary", Reason: "first"},
			{At: h(1), Kind: "unmatched", Reason: "earliest"},
			{At: h(7), Kind: "unmatched", Reason: "latest"},
		} {
			if err := tx.AddEvent(e); err != nil {
				return err
			}
		}
		for _, c := range []struct {
			kind, want string
		}{{"summary", "second"}, {"unmatched", "latest"}, {"", "latest"}} {
			e, err := tx.LastEvent(c.kind)
			if err != nil || e.Reason != c.want {
				t.Errorf("LastEvent(%q) = %q, %v; want %q", c.kind, e.Reason, err, c.want)
			}
		}
		if e, err := tx.FirstEvent(); err != nil || e.Reason != "earliest" || !e.At.Equal(h(1)) {
			t.Errorf("FirstEvent = %+v, %v", e, err)
		}
		if _, err := tx.LastEvent("nonesuch"); !errors.Is(err, ErrNotFound) {
			t.Errorf("LastEvent of a kind never logged: %v", err)
		}
		return nil
	})
}

func TestMessagesSince(t *testing.T) {
	db, _, c := openTest(t)
	inv := createInvoice(t, db, "1", "a@x.example", "inv-a@owner.example")
	h := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Hour) }
	for i, m := range []Message{
		{Direction: In, MessageID: "r1@x", InvoiceID: inv, From: "a@x.example", Kind: "promise", Date: h(-30)}, // an old Date: recorded counts
		{Direction: Out, MessageID: "s1@bot", InvoiceID: inv, To: "a@x.example", Kind: "stage1", Date: h(2)},
		{Direction: In, MessageID: "u1@y", From: "who@y.example", Kind: "unmatched:other", Date: h(3)},
	} {
		c.set(h(i + 1))
		mustTx(t, db, func(tx *Tx) error { _, _, err := tx.RecordMessage(m); return err })
	}
	for _, tt := range []struct {
		since time.Time
		want  []string
	}{
		{time.Time{}, []string{"r1@x", "s1@bot", "u1@y"}},
		{h(1), []string{"r1@x", "s1@bot", "u1@y"}},
		{h(2).In(time.FixedZone("X", 5*3600)), []string{"s1@bot", "u1@y"}},
		{h(3).Add(time.Millisecond), nil},
	} {
		var got []string
		mustTx(t, db, func(tx *Tx) error {
			ms, err := tx.MessagesSince(tt.since)
			for _, m := range ms {
				got = append(got, m.MessageID)
			}
			return err
		})
		if len(got) != len(tt.want) {
			t.Errorf("since %s: %v, want %v", tt.since, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("since %s: %v, want %v", tt.since, got, tt.want)
				break
			}
		}
	}
}
