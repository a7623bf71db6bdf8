package ledger

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"
)

func rawMail(mid, subject string) []byte {
	return []byte("From: Studio Bianchi <solleciti@bianchi.example>\r\nTo: a@x.example\r\nSubject: " + subject +
		"\r\nMessage-ID: <" + mid + ">\r\n\r\nGentile cliente,\r\n")
}

func ids(out []Outgoing) []int64 {
	var r []int64
	for _, o := range out {
		r = append(r, o.ID)
	}
	return r
}

func TestEnqueue(t *testing.T) {
	db, _, _ := openTest(t)
	inv := createInvoice(t, db, "1", "a@x.example", "inv@owner.example")
	first := Outgoing{MessageID: "s1@bot", InvoiceID: inv, Template: "stage1", To: []string{"A@x.example", "a@x.example", " b@x.example "}, Raw: rawMail("s1@bot", "Promemoria")}
	tests := []struct {
		name    string
		o       Outgoing
		wantID  int64
		wantErr bool
	}{
		{"first", first, 1, false},
		{"same Message-ID again", Outgoing{MessageID: "<s1@bot>", Template: "stage2", To: []string{"z@x"}, Raw: []byte("other")}, 1, false},
		{"second", Outgoing{MessageID: "s2@bot", Template: "confirm_payment", To: []string{"owner@me"}, Raw: []byte("x")}, 2, false},
		{"no Message-ID", Outgoing{To: []string{"a@x"}, Raw: []byte("x")}, 0, true},
		{"no recipient", Outgoing{MessageID: "s3@bot", To: []string{" "}, Raw: []byte("x")}, 0, true},
		{"two addresses in one", Outgoing{MessageID: "s3@bot", To: []string{"a@x, b@x"}, Raw: []byte("x")}, 0, true},
		{"no body", Outgoing{MessageID: "s3@bot", To: []string{"a@x"}}, 0, true},
		{"unknown invoice", Outgoing{MessageID: "s3@bot", InvoiceID: 99, To: []string{"a@x"}, Raw: []byte("x")}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var id int64
			err := db.Tx(context.Background(), func(tx *Tx) error {
				var err error
				id, err = tx.Enqueue(tt.o)
				return err
			})
			if (err != nil) != tt.wantErr || id != tt.wantID {
				t.Errorf("got (%d, %v), want (%d, error %v)", id, err, tt.wantID, tt.wantErr)
			}
		})
	}
	got, err := db.Outgoing(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	want := first
	want.ID, want.To, want.EnqueuedAt = 1, []string{"a@x.example", "b@x.example"}, t0
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Outgoing(1):\n got %+v\nwant %+v", got, want)
	}
	if _, err := db.Outgoing(context.Background(), 99); !errors.Is(err, ErrNotFound) {
		t.Errorf("Outgoing(99): got %v, want ErrNotFound", err)
	}
}

func TestOutboxLifecycle(t *testing.T) {
	db, _, c := openTest(t)
	inv := createInvoice(t, db, "1", "a@x.example", "inv@owner.example")
	h := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Hour) }
	mustTx(t, db, func(tx *Tx) error {
		for _, o := range []Outgoing{
			{MessageID: "m1@bot", InvoiceID: inv, Template: "stage1", To: []string{"a@x.example"}, Raw: rawMail("m1@bot", "=?utf-8?q?Fattura_n=C2=B0_1?=")},
			{MessageID: "m2@bot", Template: "case_file", To: []string{"owner@me.example"}, Raw: []byte("x"), NotBefore: h(2)},
			{MessageID: "m3@bot", Template: "stage2", To: []string{"b@x.example"}, Raw: []byte("x"), NotBefore: h(1)},
		} {
			if _, err := tx.Enqueue(o); err != nil {
				return err
			}
		}
		return nil
	})
	pending := func(at time.Time) []int64 {
		t.Helper()
		p, err := db.Pending(context.Background(), at)
		if err != nil {
			t.Fatal(err)
		}
		return ids(p)
	}
	steps := []struct {
		name    string
		do      func() error
		at      time.Time
		pending []int64
		unapp   []int64
	}{
		{"queued", nil, t0, []int64{1}, nil},
		{"an hour later", nil, h(1), []int64{1, 3}, nil},
		{"two hours later", nil, h(2), []int64{1, 2, 3}, nil},
		{"1 sent", func() error { c.set(h(2)); return db.MarkSent(context.Background(), 1, h(2)) }, h(2), []int64{2, 3}, []int64{1}},
		{"1 sent again: no-op", func() error { return db.MarkSent(context.Background(), 1, h(3)) }, h(2), []int64{2, 3}, []int64{1}},
		{"2 fails, temporary", func() error { c.set(h(2)); return db.MarkFailed(context.Background(), 2, "421 try later", false) }, h(2), []int64{3}, []int64{1}},
		{"2 back after 5 minutes", nil, h(2).Add(5 * time.Minute), []int64{2, 3}, []int64{1}},
		{"2 fails again", func() error {
			c.set(h(2).Add(5 * time.Minute))
			return db.MarkFailed(context.Background(), 2, "421 still", false)
		}, h(2).Add(14 * time.Minute), []int64{3}, []int64{1}},
		{"2 back after 10 more", nil, h(2).Add(15 * time.Minute), []int64{2, 3}, []int64{1}},
		{"3 fails for good", func() error { return db.MarkFailed(context.Background(), 3, "550 no such user", true) }, h(9), []int64{2}, []int64{1}},
		{"1 append attempted: still unappended", func() error { return db.MarkAppendAttempted(context.Background(), 1) }, h(9), []int64{2}, []int64{1}},
		{"1 appended", func() error { return db.MarkAppended(context.Background(), 1) }, h(9), []int64{2}, nil},
		{"1 appended again: no-op", func() error { return db.MarkAppended(context.Background(), 1) }, h(9), []int64{2}, nil},
		{"2 sent", func() error { return db.MarkSent(context.Background(), 2, h(9)) }, h(9), nil, []int64{2}},
	}
	for _, s := range steps {
		if s.do != nil {
			if err := s.do(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
		}
		if got := pending(s.at); !reflect.DeepEqual(got, s.pending) {
			t.Errorf("%s: pending %v, want %v", s.name, got, s.pending)
		}
		un, err := db.Unappended(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(un); !reflect.DeepEqual(got, s.unapp) {
			t.Errorf("%s: unappended %v, want %v", s.name, got, s.unapp)
		}
	}

	o2, _ := db.Outgoing(context.Background(), 2)
	if o2.Attempts != 2 || o2.LastError != "421 still" || o2.Failed || !o2.SentAt.Equal(h(9)) {
		t.Errorf("row 2: %+v", o2)
	}
	o3, _ := db.Outgoing(context.Background(), 3)
	if o3.Attempts != 1 || o3.LastError != "550 no such user" || !o3.Failed || !o3.SentAt.IsZero() {
		t.Errorf("row 3: %+v", o3)
	}
	o1, _ := db.Outgoing(context.Background(), 1)
	if !o1.SentAt.Equal(h(2)) || !o1.AppendedAt.Equal(h(2).Add(5*time.Minute)) || !o1.AppendAttemptedAt.Equal(h(2).Add(5*time.Minute)) {
		t.Errorf("row 1: sent %v append attempted %v appended %v", o1.SentAt, o1.AppendAttemptedAt, o1.AppendedAt)
	}

	// Sending recorded the outgoing message for threading and history.
	msgs, err := db.Messages(context.Background(), inv)
	if err != nil {
		t.Fatal(err)
	}
	want := []Message{{ID: 1, Direction: Out, MessageID: "m1@bot", Hash: hashRaw(rawMail("m1@bot", "=?utf-8?q?Fattura_n=C2=B0_1?=")), InvoiceID: inv,
		From: "solleciti@bianchi.example", To: "a@x.example", Subject: "Fattura n° 1", Date: h(2), Kind: "stage1", RecordedAt: h(2)}}
	if !reflect.DeepEqual(msgs, want) {
		t.Errorf("messages:\n got %+v\nwant %+v", msgs, want)
	}
	if id, ok, _ := db.InvoiceForMessageIDs(context.Background(), []string{"m1@bot"}); !ok || id != inv {
		t.Errorf("thread of a sent reminder: (%d, %v)", id, ok)
	}

	// Wrong moves.
	for _, tc := range []struct {
		name string
		err  error
		is   error
	}{
		{"fail a sent row", db.MarkFailed(context.Background(), 1, "x", false), nil},
		{"send a failed row", db.MarkSent(context.Background(), 3, h(10)), nil},
		{"append an unsent row", db.MarkAppended(context.Background(), 3), nil},
		{"send a missing row", db.MarkSent(context.Background(), 99, h(10)), ErrNotFound},
		{"fail a missing row", db.MarkFailed(context.Background(), 99, "x", true), ErrNotFound},
		{"append a missing row", db.MarkAppended(context.Background(), 99), ErrNotFound},
		{"attempt to append an unsent row", db.MarkAppendAttempted(context.Background(), 3), nil},
		{"attempt to append a missing row", db.MarkAppendAttempted(context.Background(), 99), ErrNotFound},
	} {
		if tc.err == nil || (tc.is != nil && !errors.Is(tc.err, tc.is)) {
			t.Errorf("%s: got %v, want an error (%v)", tc.name, tc.err, tc.is)
		}
	}
}

func TestRetryDelay(t *testing.T) {
	tests := []struct {
		attempts int
		want     time.Duration
	}{
		{0, 5 * time.Minute}, {1, 5 * time.Minute}, {2, 10 * time.Minute}, {3, 20 * time.Minute},
		{7, 320 * time.Minute}, {8, 6 * time.Hour}, {1000, 6 * time.Hour},
	}
	for _, tt := range tests {
		if got := retryDelay(tt.attempts); got != tt.want {
			t.Errorf("retryDelay(%d) = %v, want %v", tt.attempts, got, tt.want)
		}
	}
}

// A crash after a decision committed but before its message was marked sent
// leaves the message pending: after a restart it is sent.
func TestCrashBetweenEnqueueAndMarkSent(t *testing.T) {
	db, path, c := openTest(t)
	inv := createInvoice(t, db, "1", "a@x.example", "inv@owner.example")
	mustTx(t, db, func(tx *Tx) error {
		if _, err := tx.Enqueue(Outgoing{MessageID: "s1@bot", InvoiceID: inv, Template: "stage1", To: []string{"a@x.example"}, Raw: []byte("x")}); err != nil {
			return err
		}
		return tx.AddEvent(Event{InvoiceID: inv, Kind: "stage1", Reason: "10 days overdue"})
	})
	// A decision that fails halfway leaves nothing behind.
	boom := errors.New("boom")
	err := db.Tx(context.Background(), func(tx *Tx) error {
		if _, err := tx.Enqueue(Outgoing{MessageID: "s2@bot", InvoiceID: inv, Template: "stage2", To: []string{"a@x.example"}, Raw: []byte("x")}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("failed decision: got %v, want boom", err)
	}
	// The sender took the pending row, sent it, and the process died before
	// MarkSent: simulate by closing without marking.
	p, err := db.Pending(context.Background(), c.now())
	if err != nil || len(p) != 1 {
		t.Fatalf("pending before crash: %v, %v", ids(p), err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db2, err := Open(context.Background(), path, c.now)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	p, err = db2.Pending(context.Background(), c.now())
	if err != nil {
		t.Fatal(err)
	}
	if len(p) != 1 || p[0].MessageID != "s1@bot" || !p[0].SentAt.IsZero() {
		t.Fatalf("pending after restart: %+v, want s1@bot only", p)
	}
	evs, err := db2.Events(context.Background(), inv)
	if err != nil || len(evs) != 1 {
		t.Errorf("events after restart: %v, %v; want the stage1 decision", evs, err)
	}
	// The engine decides again after the restart: the deterministic
	// Message-ID makes the second Enqueue a no-op.
	var again int64
	mustTx(t, db2, func(tx *Tx) error {
		var err error
		again, err = tx.Enqueue(Outgoing{MessageID: "s1@bot", InvoiceID: inv, Template: "stage1", To: []string{"a@x.example"}, Raw: []byte("x")})
		return err
	})
	if again != p[0].ID {
		t.Errorf("re-enqueue after restart: id %d, want %d", again, p[0].ID)
	}
	if err := db2.MarkSent(context.Background(), p[0].ID, c.now()); err != nil {
		t.Fatal(err)
	}
	if p, _ := db2.Pending(context.Background(), c.now()); len(p) != 0 {
		t.Errorf("pending after MarkSent: %v", ids(p))
	}
}

// A row handed to the server and not confirmed is in doubt: Due leaves it
// alone for the wait, a copy read back confirms it as of the attempt, a
// refusal makes it plain pending again.
func TestOutboxInDoubt(t *testing.T) {
	db, _, c := openTest(t)
	inv := createInvoice(t, db, "1", "a@x.example", "inv@owner.example")
	mustTx(t, db, func(tx *Tx) error {
		for _, mid := range []string{"d1@bot", "d2@bot", "d3@bot", "d4@bot"} {
			if _, err := tx.Enqueue(Outgoing{MessageID: mid, InvoiceID: inv, Template: "stage1", To: []string{"a@x.example"}, Raw: rawMail(mid, "x")}); err != nil {
				return err
			}
		}
		return nil
	})
	const wait = 15 * time.Minute
	due := func(at time.Time) []int64 {
		t.Helper()
		d, err := db.Due(context.Background(), at, wait)
		if err != nil {
			t.Fatal(err)
		}
		return ids(d)
	}
	confirm := func(mid string) (bool, bool) {
		t.Helper()
		var known, confirmed bool
		mustTx(t, db, func(tx *Tx) error {
			var err error
			known, confirmed, err = tx.ConfirmSent(mid)
			return err
		})
		return known, confirmed
	}
	for _, id := range []int64{1, 2, 3} {
		if err := db.MarkAttempted(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.MarkInDoubt(context.Background(), 2, "EOF after the data"); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkFailed(context.Background(), 3, "421 later", false); err != nil { // refused: not in doubt
		t.Fatal(err)
	}
	if got, want := due(t0), []int64{4}; !reflect.DeepEqual(got, want) {
		t.Errorf("due at the attempt: %v, want %v", got, want)
	}
	if d, _ := db.InDoubt(context.Background()); !reflect.DeepEqual(ids(d), []int64{1, 2}) {
		t.Errorf("in doubt: %v, want [1 2]", ids(d))
	}
	// A copy of a message never handed over confirms nothing.
	if known, _ := confirm("<d4@bot>"); known {
		t.Errorf("a copy of an unattempted row counted as the bot's")
	}
	if known, confirmed := confirm("<d1@bot>"); !known || !confirmed {
		t.Errorf("confirm d1: known %v confirmed %v", known, confirmed)
	}
	if known, confirmed := confirm("d1@bot"); !known || confirmed {
		t.Errorf("confirm d1 again: known %v confirmed %v, want known only", known, confirmed)
	}
	if known, _ := confirm("nobody@else"); known {
		t.Errorf("an unknown Message-ID counted as the bot's")
	}
	o1, _ := db.Outgoing(context.Background(), 1)
	if !o1.SentAt.Equal(t0) {
		t.Errorf("confirmed row sent at %v, want the attempt %v", o1.SentAt, t0)
	}
	if got, want := due(t0.Add(wait-time.Minute)), []int64{3, 4}; !reflect.DeepEqual(got, want) {
		t.Errorf("due before the wait: %v, want %v (3 after its retry delay)", got, want)
	}
	if got, want := due(t0.Add(wait)), []int64{2, 3, 4}; !reflect.DeepEqual(got, want) {
		t.Errorf("due after the wait: %v, want %v", got, want)
	}
	if got, want := due(t0.Add(time.Hour)), []int64{2, 3, 4}; !reflect.DeepEqual(got, want) {
		t.Errorf("due an hour later: %v, want %v", got, want)
	}
	c.set(t0.Add(time.Hour))
	if err := db.MarkAttempted(context.Background(), 2); err != nil { // sent again after the wait
		t.Fatal(err)
	}
	if got, want := due(t0.Add(time.Hour)), []int64{3, 4}; !reflect.DeepEqual(got, want) {
		t.Errorf("due after the second attempt: %v, want %v", got, want)
	}
	if err := db.MarkAttempted(context.Background(), 1); err == nil {
		t.Errorf("attempting a sent row: no error")
	}
}
