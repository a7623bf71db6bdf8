package mailbox

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Test helpers: in-process IMAP (go-imap's memory server) and SMTP (go-smtp)
// servers on 127.0.0.1:0, and a self-signed certificate for them.

const (
	testUser     = "bot@example.test"
	testPassword = "s3cret-Pa55word"
)

// testLogger routes logs to t.Log.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}

// testCert returns a TLS certificate for 127.0.0.1/localhost and the path of
// its PEM file, to be used as CAFile.
func testCert(t testing.TB) (tls.Certificate, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "localhost"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cert.pem")
	if err := os.WriteFile(path, certPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	return cert, path
}

// memIMAP is an in-process IMAP server with one user, testUser, who has an
// INBOX.
type memIMAP struct {
	Addr    string // 127.0.0.1:port, plaintext and STARTTLS
	TLSAddr string // 127.0.0.1:port, implicit TLS
	CAFile  string
	User    *imapmemserver.User
}

func newMemIMAP(t testing.TB, caps imap.CapSet) *memIMAP {
	t.Helper()
	cert, caFile := testCert(t)
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(testUser, testPassword)
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(user)
	if caps == nil {
		caps = imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}}
	}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         caps,
		TLSConfig:    &tls.Config{Certificates: []tls.Certificate{cert}},
		InsecureAuth: true,
		Logger:       slogLogger{testLogger(t)},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	tln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(tln)
	t.Cleanup(func() { srv.Close() })
	return &memIMAP{Addr: ln.Addr().String(), TLSAddr: tln.Addr().String(), CAFile: caFile, User: user}
}

type slogLogger struct{ l *slog.Logger }

func (l slogLogger) Printf(format string, args ...any) {
	l.l.Info("imapserver", "msg", format, "args", args)
}

// config returns a plaintext loopback configuration for the server.
func (s *memIMAP) config() ServerConfig {
	return ServerConfig{Addr: s.Addr, Security: "none", Username: testUser, Password: testPassword, Timeout: 5 * time.Second}
}

// memSMTP is an in-process SMTP server that records what it receives.
type memSMTP struct {
	Addr    string // plaintext and STARTTLS
	TLSAddr string // implicit TLS
	CAFile  string

	mu  sync.Mutex
	got []received
	// reject maps a recipient to the error its RCPT gets.
	reject map[string]*smtp.SMTPError
	// sessions counts the connections accepted.
	sessions int
}

type received struct {
	From string
	To   []string
	Data []byte
}

func newMemSMTP(t testing.TB) *memSMTP {
	t.Helper()
	cert, caFile := testCert(t)
	m := &memSMTP{CAFile: caFile, reject: map[string]*smtp.SMTPError{}}
	srv := smtp.NewServer(m)
	srv.Domain = "localhost"
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m.Addr = ln.Addr().String()
	go srv.Serve(ln)
	tln, err := tls.Listen("tcp", "127.0.0.1:0", srv.TLSConfig)
	if err != nil {
		t.Fatal(err)
	}
	m.TLSAddr = tln.Addr().String()
	go srv.Serve(tln)
	t.Cleanup(func() { srv.Close() })
	return m
}

func (m *memSMTP) received() []received {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]received(nil), m.got...)
}

// NewSession implements smtp.Backend.
func (m *memSMTP) NewSession(*smtp.Conn) (smtp.Session, error) {
	m.mu.Lock()
	m.sessions++
	m.mu.Unlock()
	return &memSession{m: m}, nil
}

type memSession struct {
	m      *memSMTP
	authed bool
	cur    received
}

func (s *memSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *memSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != testUser || password != testPassword {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "authentication failed"}
		}
		s.authed = true
		return nil
	}), nil
}

func (s *memSession) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
		return smtp.ErrAuthRequired
	}
	s.cur = received{From: from}
	return nil
}

func (s *memSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.m.mu.Lock()
	rej := s.m.reject[to]
	s.m.mu.Unlock()
	if rej != nil {
		return rej
	}
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *memSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.Data = b
	s.m.mu.Lock()
	s.m.got = append(s.m.got, s.cur)
	s.m.mu.Unlock()
	return nil
}

func (s *memSession) Reset()        { s.cur = received{} }
func (s *memSession) Logout() error { return nil }

func testContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}
