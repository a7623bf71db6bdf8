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
