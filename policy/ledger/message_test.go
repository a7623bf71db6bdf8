package ledger

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/sollecito/sollecito/policy"
)

func createInvoice(t testing.TB, db *DB, number, client, mid string) int64 {
	t.Helper()
	var id int64
	mustTx(t, db, func(tx *Tx) error {
		var err error
		id, err = tx.CreateInvoice(policy.Invoice{Number: number, Client: client, State: policy.Open}, Source{MessageID: mid})
		return err
	})
	return id
}

func TestRecordMessageDedupe(t *testing.T) {
	db, _, _ := openTest(t)
	inv := createInvoice(t, db, "1", "a@x.example", "inv1@owner.example")
	date := time.Date(2026, 11, 20, 10, 0, 0, 0, time.FixedZone("CET", 3600))
	tests := []struct {
		name      string
		m         Message
		wantFresh bool
		wantID    int64
		wantErr   bool
	}{
		{"first", Message{Direction: In, MessageID: "r1@x.example", Hash: "aa", InvoiceID: inv, From: "A@X.example", To: "bot@me.example", Date: date, Kind: "promise", Folder: "INBOX", UID: 7, UIDValidity: 99}, true, 1, false},
		{"same id, other hash (resync)", Message{Direction: In, MessageID: "<r1@x.example>", Hash: "bb", UID: 1, UIDValidity: 100}, false, 1, false},
		{"same id, other direction", Message{Direction: Out, MessageID: "r1@x.example", Hash: "aa"}, true, 2, false},
		{"no id, new hash", Message{Direction: In, Hash: "CC"}, true, 3, false},
		{"no id, same hash", Message{Direction: In, Hash: "cc"}, false, 3, false},
		{"no id, same hash, out", Message{Direction: Out, Hash: "cc"}, true, 4, false},
		{"no id, no hash", Message{Direction: In}, true, 5, false},
		{"no id, no hash again", Message{Direction: In}, true, 6, false},
		{"bad direction", Message{Direction: "sideways", MessageID: "z@z"}, false, 0, true},
		{"unknown invoice", Message{Direction: In, MessageID: "z@z", InvoiceID: 999}, false, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var id int64
			var fresh bool
			err := db.Tx(context.Background(), func(tx *Tx) error {
				var err error
				id, fresh, err = tx.RecordMessage(tt.m)
				return err
			})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err: %v, want error %v", err, tt.wantErr)
			}
			if err == nil && (id != tt.wantID || fresh != tt.wantFresh) {
				t.Errorf("got (%d, %v), want (%d, %v)", id, fresh, tt.wantID, tt.wantFresh)
			}
		})
	}

	msgs, err := db.Messages(context.Background(), inv)
	if err != nil {
		t.Fatal(err)
	}
	want := []Message{{ID: 1, Direction: In, MessageID: "r1@x.example", Hash: "aa", InvoiceID: inv, From: "a@x.example", To: "bot@me.example",
		Date: date.UTC(), Kind: "promise", Folder: "INBOX", UID: 7, UIDValidity: 99, RecordedAt: t0}}
	if !reflect.DeepEqual(msgs, want) {
		t.Errorf("Messages:\n got %+v\nwant %+v", msgs, want)
	}
}

func TestInvoiceForMessageIDs(t *testing.T) {
	db, _, _ := openTest(t)
	a := createInvoice(t, db, "1", "a@x.example", "inv-a@owner.example")
	b := createInvoice(t, db, "2", "b@x.example", "inv-b@owner.example")
	mustTx(t, db, func(tx *Tx) error {
		for _, m := range []Message{
			{Direction: Out, MessageID: "stage1-a@bot.example", InvoiceID: a, To: "a@x.example"},
			{Direction: In, MessageID: "reply-b@x.example", InvoiceID: b, From: "b@x.example"},
			{Direction: In, MessageID: "unmatched@x.example"},
		} {
			if _, _, err := tx.RecordMessage(m); err != nil {
				return err
			}
		}
		_, err := tx.Enqueue(Outgoing{MessageID: "queued-b@bot.example", InvoiceID: b, Template: "stage2", To: []string{"b@x.example"}, Raw: []byte("x")})
		return err
	})
	tests := []struct {
		name   string
		ids    []string
		wantID int64
		wantOK bool
	}{
		{"invoice mail", []string{"inv-a@owner.example"}, a, true},
		{"invoice mail in brackets", []string{"<inv-b@owner.example>"}, b, true},
		{"our reminder", []string{"stage1-a@bot.example"}, a, true},
		{"client's earlier reply", []string{"reply-b@x.example"}, b, true},
		{"queued, not yet marked sent", []string{"queued-b@bot.example"}, b, true},
		{"first known wins", []string{"nope@x", "stage1-a@bot.example", "inv-b@owner.example"}, a, true},
		{"message without invoice", []string{"unmatched@x.example"}, 0, false},
		{"unknown", []string{"nope@x", ""}, 0, false},
		{"none", nil, 0, false},
	}
	for _, tt := range tests {
		id, ok, err := db.InvoiceForMessageIDs(context.Background(), tt.ids)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if id != tt.wantID || ok != tt.wantOK {
			t.Errorf("%s: got (%d, %v), want (%d, %v)", tt.name, id, ok, tt.wantID, tt.wantOK)
		}
	}

	// The invoice mail recorded before the invoice existed is linked to it.
	mustTx(t, db, func(tx *Tx) error {
		if _, _, err := tx.RecordMessage(Message{Direction: In, MessageID: "inv-c@owner.example", Kind: "invoice"}); err != nil {
			return err
		}
		_, err := tx.CreateInvoice(policy.Invoice{Number: "3", State: policy.Open}, Source{MessageID: "inv-c@owner.example"})
		return err
	})
	msgs, err := db.Messages(context.Background(), b+1)
	if err != nil || len(msgs) != 1 || msgs[0].MessageID != "inv-c@owner.example" {
		t.Errorf("invoice mail recorded first: messages %+v, %v; want it linked", msgs, err)
	}

	// SetMessageInvoice links an unmatched message.
	mustTx(t, db, func(tx *Tx) error { return tx.SetMessageInvoice(3, a) })
	if id, ok, _ := db.InvoiceForMessageIDs(context.Background(), []string{"unmatched@x.example"}); !ok || id != a {
		t.Errorf("after SetMessageInvoice: got (%d, %v), want (%d, true)", id, ok, a)
	}
	if err := db.Tx(context.Background(), func(tx *Tx) error { return tx.SetMessageInvoice(999, a) }); err == nil {
		t.Error("SetMessageInvoice(999): no error")
	}
}

func TestLastSentTo(t *testing.T) {
	db, _, c := openTest(t)
	inv := createInvoice(t, db, "1", "a@x.example", "inv@owner.example")
	at := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }

	check := func(name, addr string, want time.Time) {
		t.Helper()
		got, err := db.LastSentTo(context.Background(), addr)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(want) {
			t.Errorf("%s: LastSentTo(%s) = %v, want %v", name, addr, got, want)
		}
	}
	check("nothing yet", "a@x.example", time.Time{})

	mustTx(t, db, func(tx *Tx) error {
		// Incoming mail from the address does not count.
		if _, _, err := tx.RecordMessage(Message{Direction: In, MessageID: "in@x", From: "a@x.example", To: "a@x.example", Date: at(21, 9)}); err != nil {
			return err
		}
		_, _, err := tx.RecordMessage(Message{Direction: Out, MessageID: "out1@bot", InvoiceID: inv, To: "bot-cc@me.example, A@X.example", Date: at(10, 9)})
		return err
	})
	check("recorded out, second of two", "a@x.example", at(10, 9))
	check("case-insensitive", "A@x.EXAMPLE", at(10, 9))
	check("other address", "b@x.example", time.Time{})

	// A queued message counts from when it may go.
	c.set(at(22, 8))
	var queued, later int64
	mustTx(t, db, func(tx *Tx) error {
		var err error
		queued, err = tx.Enqueue(Outgoing{MessageID: "q1@bot", To: []string{"a@x.example"}, Raw: []byte("x"), NotBefore: at(23, 9)})
		if err != nil {
			return err
		}
		later, err = tx.Enqueue(Outgoing{MessageID: "q2@bot", To: []string{"c@x.example"}, Raw: []byte("x")})
		return err
	})
	check("queued for tomorrow", "a@x.example", at(23, 9))
	check("queued now", "c@x.example", at(22, 8))

	// Failed for good: it never went.
	mustTx(t, db, func(tx *Tx) error { return tx.MarkFailed(queued, "550 no such user", true) })
	check("failed for good", "a@x.example", at(10, 9))

	// Sent: the send time counts.
	if err := db.MarkSent(context.Background(), later, at(22, 10)); err != nil {
		t.Fatal(err)
	}
	check("sent", "c@x.example", at(22, 10))
}
