package mailbox

import (
	"strings"
	"testing"
)

// TestTLSVerifiedByDefault: implicit TLS to a server with a self-signed
// certificate is refused unless its CA is given (CAFile); there is no way
// to turn verification off.
func TestTLSVerifiedByDefault(t *testing.T) {
	s := newMemIMAP(t, nil)
	cfg := s.config()
	cfg.Addr, cfg.Security, cfg.CAFile = s.TLSAddr, "tls", ""
	if c, err := DialIMAP(testContext(t), cfg, "INBOX", testLogger(t)); err == nil {
		c.Close()
		t.Fatal("implicit TLS to a self-signed server succeeded without its CA")
	} else if !strings.Contains(err.Error(), "certificate") {
		t.Errorf("error %q does not say the certificate is the problem", err)
	}
	cfg.CAFile = s.CAFile
	c, err := DialIMAP(testContext(t), cfg, "INBOX", testLogger(t))
	if err != nil {
		t.Fatalf("implicit TLS with the CA file: %v", err)
	}
	c.Close()
}

// TestIsLoopback: the names of the loopback interface, in any case, and
// nothing else; one rule for the mail servers, the configuration and the
// web page.
func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{"localhost": true, "LocalHost": true, "127.0.0.1": true, "127.8.9.10": true, "::1": true,
		"0.0.0.0": false, "192.168.1.2": false, "mail.example.test": false, "localhost.example.test": false, "": false} {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}
