package mailbox

import (
	"context"
	"errors"
	"net"
	"net/textproto"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// listenSilent returns the address of a listener that accepts connections
// and never writes.
func listenSilent(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	return ln.Addr().String()
}

func (m *memSMTP) config(security string) ServerConfig {
	return ServerConfig{Addr: m.Addr, Security: security, Username: testUser, Password: testPassword,
		CAFile: m.CAFile, Timeout: 5 * time.Second}
}

func TestSMTPSendRawUnchanged(t *testing.T) {
	srv := newMemSMTP(t)
	raw, err := Compose(sampleOutgoing())
	if err != nil {
		t.Fatal(err)
	}
	for _, sec := range []string{"starttls", "none", "tls"} {
		cfg := srv.config(sec)
		if sec == "tls" {
			cfg.Addr = srv.TLSAddr
		}
		s := NewSMTP(cfg, testLogger(t))
		if err := s.Check(testContext(t)); err != nil {
			t.Fatalf("%s: Check: %v", sec, err)
		}
		if err := s.Send(testContext(t), "bot@example.test", []string{"a@example.test", "b@example.test"}, raw); err != nil {
			t.Fatalf("%s: Send: %v", sec, err)
		}
	}
	got := srv.received()
	if len(got) != 3 {
		t.Fatalf("server received %d messages, want 3", len(got))
	}
	for _, g := range got {
		if g.From != "bot@example.test" || !slices.Equal(g.To, []string{"a@example.test", "b@example.test"}) {
			t.Errorf("envelope = %s -> %v", g.From, g.To)
		}
		if string(g.Data) != string(raw) {
			t.Errorf("data differs from what was given:\n got %q\nwant %q", g.Data, raw)
		}
	}
}

func TestSMTPErrors(t *testing.T) {
	srv := newMemSMTP(t)
	srv.reject["gone@example.test"] = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	srv.reject["busy@example.test"] = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
	raw := testMessage(1)
	tests := []struct {
		name      string
		cfg       func(ServerConfig) ServerConfig
		to        string
		stage     string
		code      int
		permanent bool
		says      string // what the error says after "SMTP server ADDR: " (network errors read as IMAP's)
	}{
		{"unknown recipient", nil, "gone@example.test", "rcpt", 550, true, "rcpt <gone@example.test> (permanent): "},
		{"greylisted recipient", nil, "busy@example.test", "rcpt", 451, false, "rcpt <busy@example.test>: "},
		{"wrong password", func(c ServerConfig) ServerConfig { c.Password = "Wr0ng-" + testPassword; return c }, "a@example.test", "auth", 535, false, "auth: "},
		{"refused connection", func(c ServerConfig) ServerConfig { c.Addr = "127.0.0.1:1"; return c }, "a@example.test", "connect", 0, false, "connect: dial tcp 127.0.0.1:1: "},
		{"DNS", func(c ServerConfig) ServerConfig { c.Addr = "no-such-host.invalid:587"; return c }, "a@example.test", "dns", 0, false, `DNS lookup of "no-such-host.invalid" failed: dial tcp: lookup no-such-host.invalid`},
		{"untrusted certificate", func(c ServerConfig) ServerConfig { c.CAFile = ""; return c }, "a@example.test", "tls", 0, false, "STARTTLS: tls: failed to verify certificate"},
		{"untrusted certificate, TLS", func(c ServerConfig) ServerConfig { c.CAFile = ""; c.Addr = srv.TLSAddr; c.Security = "tls"; return c }, "a@example.test", "tls", 0, false, "TLS handshake: tls: failed to verify certificate"},
		{"plaintext to a remote host", func(c ServerConfig) ServerConfig { c.Addr = "smtp.example.com:25"; c.Security = "none"; return c }, "a@example.test", "config", 0, false, "config: "},
		{"silent server", func(c ServerConfig) ServerConfig {
			c.Addr = listenSilent(t)
			c.Timeout = 300 * time.Millisecond
			return c
		}, "a@example.test", "greeting", 0, false, "greeting: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := srv.config("starttls")
			if tt.cfg != nil {
				cfg = tt.cfg(cfg)
			}
			err := NewSMTP(cfg, testLogger(t)).Send(testContext(t), "bot@example.test", []string{"ok@example.test", tt.to}, raw)
			var se *SendError
			if !errors.As(err, &se) {
				t.Fatalf("Send = %v, want a *SendError", err)
			}
			if se.Stage != tt.stage || se.Code != tt.code || se.Permanent != tt.permanent || IsPermanent(err) != tt.permanent {
				t.Errorf("Send = %v: stage %q code %d permanent %v, want %q %d %v", err, se.Stage, se.Code, se.Permanent, tt.stage, tt.code, tt.permanent)
			}
			if strings.Contains(err.Error(), testPassword) {
				t.Errorf("error %q contains the password", err)
			}
			if !strings.Contains(err.Error(), cfg.Addr) {
				t.Errorf("error %q does not name the server %s", err, cfg.Addr)
			}
			if want := "SMTP server " + cfg.Addr + ": " + tt.says; tt.says != "" && !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error %q, want it to begin %q", err, want)
			}
		})
	}
	if n := len(srv.received()); n != 0 {
		t.Errorf("server received %d messages, want 0 (a refused recipient sends nothing)", n)
	}
	if IsPermanent(errors.New("plain")) || IsPermanent(nil) {
		t.Error("IsPermanent of a non-SendError = true")
	}
}

func TestSMTPSendCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cfg := ServerConfig{Addr: listenSilent(t), Security: "none", Timeout: 10 * time.Second}
	go func() { time.Sleep(100 * time.Millisecond); cancel() }()
	start := time.Now()
	err := NewSMTP(cfg, testLogger(t)).Send(ctx, "bot@example.test", []string{"a@example.test"}, testMessage(1))
	if !errors.Is(err, context.Canceled) || IsPermanent(err) {
		t.Errorf("Send with cancelled ctx = %v, want a temporary error wrapping context.Canceled", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("cancel took %v to take effect", d)
	}
}

// scriptedSMTP is a bare SMTP server that accepts one message and then, at
// the final ".", does what end says: "" hangs up without an answer, else it
// writes end as the answer.
func scriptedSMTP(t *testing.T, end string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				tp := textproto.NewConn(c)
				tp.PrintfLine("220 scripted")
				for {
					line, err := tp.ReadLine()
					if err != nil {
						return
					}
					switch cmd := strings.ToUpper(strings.Fields(line + " x")[0]); cmd {
					case "DATA":
						tp.PrintfLine("354 go on")
						if _, err := tp.ReadDotBytes(); err != nil {
							return
						}
						if end == "" {
							return
						}
						tp.PrintfLine("%s", end)
					case "QUIT":
						tp.PrintfLine("221 bye")
						return
					default:
						tp.PrintfLine("250 ok")
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// A connection lost after the data went out leaves the message in doubt; an
// answer to the data, even a refusal, does not.
func TestSMTPInDoubt(t *testing.T) {
	tests := []struct {
		name             string
		end              string
		wantErr, inDoubt bool
		permanent        bool
	}{
		{"accepted", "250 queued", false, false, false},
		{"hung up after the data", "", true, true, false},
		{"4xx after the data", "451 local error", true, false, false},
		{"5xx after the data", "554 rejected", true, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ServerConfig{Addr: scriptedSMTP(t, tt.end), Security: "none", Timeout: 5 * time.Second}
			err := NewSMTP(cfg, testLogger(t)).Send(testContext(t), "bot@example.test", []string{"a@example.test"}, testMessage(1))
			if (err != nil) != tt.wantErr || IsInDoubt(err) != tt.inDoubt || IsPermanent(err) != tt.permanent {
				t.Errorf("Send = %v: in doubt %v permanent %v, want error %v in doubt %v permanent %v",
					err, IsInDoubt(err), IsPermanent(err), tt.wantErr, tt.inDoubt, tt.permanent)
			}
		})
	}
}

// TestSMTPBatchOneConnection: messages sent one after the other go through
// one connection, each whole; after CloseIdle, or when the server dropped
// the idle connection, the next Send dials again and nothing is lost.
func TestSMTPBatchOneConnection(t *testing.T) {
	srv := newMemSMTP(t)
	raw, err := Compose(sampleOutgoing())
	if err != nil {
		t.Fatal(err)
	}
	// Plain loopback: the test server counts a session per connection
	// (STARTTLS would start a second one on the same connection).
	s := NewSMTP(srv.config("none"), testLogger(t))
	sessions := func() int {
		srv.mu.Lock()
		defer srv.mu.Unlock()
		return srv.sessions
	}
	for i := range 5 {
		if err := s.Send(testContext(t), "bot@example.test", []string{"a@example.test"}, raw); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	if n := sessions(); n != 1 {
		t.Errorf("5 messages used %d connections, want 1", n)
	}
	// The server (or the network) drops the idle connection.
	s.mu.Lock()
	s.idle.conn.Close()
	s.mu.Unlock()
	if err := s.Send(testContext(t), "bot@example.test", []string{"a@example.test"}, raw); err != nil {
		t.Fatalf("send after a dropped connection: %v", err)
	}
	s.CloseIdle()
	if err := s.Send(testContext(t), "bot@example.test", []string{"a@example.test"}, raw); err != nil {
		t.Fatalf("send after CloseIdle: %v", err)
	}
	s.CloseIdle()
	if n := sessions(); n != 3 {
		t.Errorf("%d connections, want 3 (one batch, one after the drop, one after CloseIdle)", n)
	}
	if got := srv.received(); len(got) != 7 {
		t.Fatalf("server received %d messages, want 7", len(got))
	}
	for _, g := range srv.received() {
		if string(g.Data) != string(raw) {
			t.Fatalf("a message arrived changed")
		}
	}
}
