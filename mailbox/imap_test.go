package mailbox

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
)

func testMessage(n int) []byte {
	return fmt.Appendf(nil, "From: Cliente <cliente@example.test>\r\n"+
		"To: bot@example.test\r\n"+
		"Subject: messaggio %d\r\n"+
		"Message-ID: <m%d@example.test>\r\n"+
		"Date: Sun, 22 Nov 2026 10:00:00 +0100\r\n"+
		"\r\n"+
		"Corpo del messaggio %d.\r\n", n, n, n)
}

func dialMem(t *testing.T, s *memIMAP, folder string) *IMAP {
	t.Helper()
	c, err := DialIMAP(testContext(t), s.config(), folder, testLogger(t))
	if err != nil {
		t.Fatalf("DialIMAP: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestIMAPFetchAfterUID(t *testing.T) {
	s := newMemIMAP(t, nil)
	c := dialMem(t, s, "INBOX")
	ctx := testContext(t)
	if c.UIDValidity() == 0 {
		t.Errorf("UIDValidity = 0")
	}
	got, err := c.Fetch(ctx, 0, 10)
	if err != nil || len(got) != 0 {
		t.Fatalf("Fetch on empty INBOX = %d messages, %v; want 0, nil", len(got), err)
	}
	for i := 1; i <= 5; i++ {
		if err := c.Append(ctx, "INBOX", testMessage(i), nil); err != nil {
			t.Fatalf("Append: %v", err)
		}
	}
	tests := []struct {
		after uint32
		max   int
		want  []uint32
	}{
		{0, 10, []uint32{1, 2, 3, 4, 5}},
		{0, 0, []uint32{1, 2, 3, 4, 5}},
		{0, 2, []uint32{1, 2}},
		{2, 2, []uint32{3, 4}},
		{4, 10, []uint32{5}},
		{5, 10, nil}, // "6:*" matches UID 5 on the wire: must be filtered
		{99, 10, nil},
	}
	for _, tt := range tests {
		msgs, err := c.Fetch(ctx, tt.after, tt.max)
		if err != nil {
			t.Fatalf("Fetch(%d, %d): %v", tt.after, tt.max, err)
		}
		var uids []uint32
		for _, m := range msgs {
			uids = append(uids, m.UID)
			if want := testMessage(int(m.UID)); string(m.Raw) != string(want) {
				t.Errorf("UID %d: raw = %q, want %q", m.UID, m.Raw, want)
			}
			if m.InternalDate.IsZero() {
				t.Errorf("UID %d: no internal date", m.UID)
			}
			if slices.Contains(m.Flags, string(imap.FlagSeen)) {
				t.Errorf("UID %d: fetching set \\Seen (flags %v)", m.UID, m.Flags)
			}
		}
		if !slices.Equal(uids, tt.want) {
			t.Errorf("Fetch(%d, %d) UIDs = %v, want %v", tt.after, tt.max, uids, tt.want)
		}
	}
}

func TestIMAPMarkHandled(t *testing.T) {
	s := newMemIMAP(t, nil)
	c := dialMem(t, s, "INBOX")
	ctx := testContext(t)
	for i := 1; i <= 2; i++ {
		if err := c.Append(ctx, "INBOX", testMessage(i), nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.MarkHandled(ctx, 2); err != nil {
		t.Fatalf("MarkHandled: %v", err)
	}
	msgs, err := c.Fetch(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 {
		t.Fatalf("after MarkHandled: %d messages, want 2 (nothing deleted)", len(msgs))
	}
	for _, m := range msgs {
		// Keywords are case-insensitive; servers may change their case.
		has := slices.ContainsFunc(m.Flags, func(f string) bool { return strings.EqualFold(f, HandledKeyword) })
		if has != (m.UID == 2) {
			t.Errorf("UID %d flags %v: handled keyword = %v, want %v", m.UID, m.Flags, has, m.UID == 2)
		}
		if slices.Contains(m.Flags, string(imap.FlagDeleted)) || slices.Contains(m.Flags, string(imap.FlagSeen)) {
			t.Errorf("UID %d flags %v: want neither \\Deleted nor \\Seen", m.UID, m.Flags)
		}
	}
}

func TestIMAPAppendSent(t *testing.T) {
	s := newMemIMAP(t, nil)
	c := dialMem(t, s, "INBOX")
	ctx := testContext(t)
	sent, err := c.SentFolder(ctx)
	if err != nil {
		t.Fatalf("SentFolder: %v", err)
	}
	if sent != "Sent" {
		t.Errorf("SentFolder = %q, want Sent", sent)
	}
	again, err := c.SentFolder(ctx)
	if err != nil || again != sent {
		t.Errorf("second SentFolder = %q, %v; want %q (found, not created twice)", again, err, sent)
	}
	// Append to a folder that does not exist yet: created on TRYCREATE.
	raw := testMessage(7)
	if err := c.Append(ctx, "Archivio", raw, []string{string(imap.FlagSeen)}); err != nil {
		t.Fatalf("Append to missing folder: %v", err)
	}
	if err := c.Append(ctx, sent, raw, []string{string(imap.FlagSeen)}); err != nil {
		t.Fatalf("Append to Sent: %v", err)
	}
	for _, folder := range []string{"Archivio", sent} {
		other := dialMem(t, s, folder)
		msgs, err := other.Fetch(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 || string(msgs[0].Raw) != string(raw) || !slices.Contains(msgs[0].Flags, string(imap.FlagSeen)) {
			t.Errorf("%s holds %+v, want the appended message, \\Seen", folder, msgs)
		}
	}
}

func TestIMAPIdleWakesOnNewMail(t *testing.T) {
	s := newMemIMAP(t, nil)
	c := dialMem(t, s, "INBOX")
	if !c.SupportsIdle() {
		t.Fatal("SupportsIdle = false on an IMAP4rev2 server")
	}
	ctx := testContext(t)
	deliverer := dialMem(t, s, "INBOX") // another connection, as a delivery agent
	go func() {
		time.Sleep(200 * time.Millisecond)
		if err := deliverer.Append(ctx, "INBOX", testMessage(1), nil); err != nil {
			t.Errorf("deliver: %v", err)
		}
	}()
	start := time.Now()
	if err := c.Wait(ctx, 10*time.Second); err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Wait returned after %v, want soon after the delivery at 200ms", d)
	}
	t.Logf("IDLE woke %v after start (delivery at 200ms)", time.Since(start))
	msgs, err := c.Fetch(ctx, 0, 0)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("Fetch after Wait = %d messages, %v; want 1 (connection usable after IDLE)", len(msgs), err)
	}

	// No mail: Wait returns nil at max.
	start = time.Now()
	if err := c.Wait(ctx, 300*time.Millisecond); err != nil {
		t.Fatalf("Wait timeout: %v", err)
	}
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Errorf("Wait with no mail returned after %v, want about 300ms", d)
	}

	// Cancelled context: Wait returns its error, and the connection still works.
	cctx, cancel := context.WithCancel(ctx)
	go func() { time.Sleep(100 * time.Millisecond); cancel() }()
	if err := c.Wait(cctx, 10*time.Second); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait on cancelled ctx = %v, want context.Canceled", err)
	}
	if _, err := c.Fetch(ctx, 0, 0); err != nil {
		t.Fatalf("Fetch after cancelled Wait: %v", err)
	}
}

func TestIMAPWaitPollsWithoutIdle(t *testing.T) {
	s := newMemIMAP(t, nil)
	c := dialMem(t, s, "INBOX")
	c.idle = false // go-imap's server always offers IDLE: pretend it did not
	start := time.Now()
	if err := c.Wait(testContext(t), 200*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 190*time.Millisecond {
		t.Errorf("Wait without IDLE returned after %v, want 200ms", d)
	}
}

func TestIMAPStartTLSWithCAFile(t *testing.T) {
	s := newMemIMAP(t, nil)
	implicit := s.config()
	implicit.Addr, implicit.Security, implicit.CAFile = s.TLSAddr, "tls", s.CAFile
	c, err := DialIMAP(testContext(t), implicit, "INBOX", testLogger(t))
	if err != nil {
		t.Fatalf("implicit TLS with CAFile: %v", err)
	}
	c.Close()

	cfg := s.config()
	cfg.Security = "starttls"
	cfg.CAFile = s.CAFile
	c, err = DialIMAP(testContext(t), cfg, "INBOX", testLogger(t))
	if err != nil {
		t.Fatalf("STARTTLS with CAFile: %v", err)
	}
	c.Close()

	cfg.CAFile = "" // self-signed: verification must fail without it
	_, err = DialIMAP(testContext(t), cfg, "INBOX", testLogger(t))
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("STARTTLS without CAFile = %v, want a certificate error naming STARTTLS", err)
	}
}

func TestIMAPDialErrors(t *testing.T) {
	s := newMemIMAP(t, nil)
	closed := "127.0.0.1:1"
	tests := []struct {
		name   string
		cfg    func(ServerConfig) ServerConfig
		folder string
		want   []string
	}{
		{"wrong password", func(c ServerConfig) ServerConfig { c.Password = "Wr0ng-" + testPassword; return c }, "INBOX",
			[]string{"login", s.Addr, testUser}},
		{"missing folder", func(c ServerConfig) ServerConfig { return c }, "Nonexistent", []string{"select folder", "Nonexistent", s.Addr}},
		{"connect refused", func(c ServerConfig) ServerConfig { c.Addr = closed; return c }, "INBOX", []string{"connect", closed}},
		{"DNS", func(c ServerConfig) ServerConfig { c.Addr = "no-such-host.invalid:993"; c.Security = "tls"; return c }, "INBOX",
			[]string{"DNS", "no-such-host.invalid"}},
		{"plaintext to a remote host", func(c ServerConfig) ServerConfig { c.Addr = "imap.example.com:143"; return c }, "INBOX",
			[]string{"loopback", "imap.example.com"}},
		{"unknown security", func(c ServerConfig) ServerConfig { c.Security = "ssl"; return c }, "INBOX", []string{"unknown security"}},
		{"TLS to a plaintext port", func(c ServerConfig) ServerConfig { c.Security = "tls"; return c }, "INBOX", []string{"TLS"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg(s.config())
			cfg.Timeout = 3 * time.Second
			c, err := DialIMAP(testContext(t), cfg, tt.folder, testLogger(t))
			if err == nil {
				c.Close()
				t.Fatalf("DialIMAP succeeded, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), testPassword) {
				t.Errorf("error %q contains the password", err)
			}
		})
	}
}

func TestIMAPTrace(t *testing.T) {
	s := newMemIMAP(t, nil)
	cfg := s.config()
	var trace strings.Builder
	cfg.Trace = &trace
	c, err := DialIMAP(testContext(t), cfg, "INBOX", testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if !strings.Contains(trace.String(), "SELECT INBOX") {
		t.Errorf("trace = %q, want the protocol exchange", trace.String())
	}
}

func TestIMAPTimeout(t *testing.T) {
	// A server that accepts and never greets.
	ln := listenSilent(t)
	cfg := ServerConfig{Addr: ln, Security: "none", Username: testUser, Password: testPassword, Timeout: 300 * time.Millisecond}
	start := time.Now()
	_, err := DialIMAP(testContext(t), cfg, "INBOX", testLogger(t))
	if err == nil || !strings.Contains(err.Error(), "no answer within") {
		t.Errorf("DialIMAP to a silent server = %v, want a timeout", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("timeout took %v, want about 300ms", d)
	}
}

// TestIMAPAppendAll: a batch of copies, pipelined, into a folder created on
// TRYCREATE: each stored once, in order, \Seen.
func TestIMAPAppendAll(t *testing.T) {
	s := newMemIMAP(t, nil)
	c := dialMem(t, s, "INBOX")
	ctx := testContext(t)
	raws := [][]byte{testMessage(1), testMessage(2), testMessage(3)}
	if err := c.AppendAll(ctx, "Inviati", raws, []string{string(imap.FlagSeen)}); err != nil {
		t.Fatalf("AppendAll: %v", err)
	}
	msgs, err := dialMem(t, s, "Inviati").Fetch(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != len(raws) {
		t.Fatalf("%d messages stored, want %d", len(msgs), len(raws))
	}
	for i, m := range msgs {
		if string(m.Raw) != string(raws[i]) || !slices.Contains(m.Flags, string(imap.FlagSeen)) {
			t.Errorf("message %d: %+v", i+1, m)
		}
	}
}
