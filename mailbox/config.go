package mailbox

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"
)

// Security is how a connection to a mail server is protected.
type Security string

// The connection security modes a ServerConfig accepts.
const (
	// SecurityTLS is implicit TLS from the first byte (IMAPS 993, SMTPS 465).
	SecurityTLS Security = "tls"
	// SecurityStartTLS is a plain connection upgraded with STARTTLS (IMAP 143,
	// submission 587). A server that does not offer STARTTLS is an error.
	SecurityStartTLS Security = "starttls"
	// SecurityNone is an unencrypted connection. It is refused unless the
	// server is a loopback address, so that credentials never cross a network
	// in clear.
	SecurityNone Security = "none"
)

// DefaultTimeout bounds each network operation when ServerConfig.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// ServerConfig says how to reach and log in to one IMAP or SMTP server.
type ServerConfig struct {
	// Addr is host:port.
	Addr string
	// Security is "tls", "starttls" or "none" (see the Security constants);
	// "" counts as "tls".
	Security string
	// Username and Password log in. An empty Username skips SMTP AUTH
	// (IMAP always logs in). The password never appears in errors or logs.
	Username string
	Password string
	// Token, when not nil, logs in with an OAuth2 access token from it
	// instead of Password (SASL OAUTHBEARER, else XOAUTH2, whichever the
	// server offers); a refused token is refreshed and tried once more.
	Token TokenSource
	// CAFile names a PEM file of extra trusted certificate authorities, for
	// servers with a self-signed certificate. The system roots stay trusted.
	// Certificates are always verified.
	CAFile string
	// Timeout bounds each network operation (dial, TLS, login, one command);
	// zero means DefaultTimeout.
	Timeout time.Duration
	// Trace, when not nil, receives the raw IMAP protocol exchange. It
	// contains credentials and mail: enable it only on explicit request, for
	// debugging. SMTP is not traced.
	Trace io.Writer
}

func (c ServerConfig) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

func (c ServerConfig) security() Security {
	if c.Security == "" {
		return SecurityTLS
	}
	return Security(strings.ToLower(c.Security))
}

// check validates the address and security mode, and returns the host name.
func (c ServerConfig) check() (string, error) {
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" || port == "" {
		return "", fmt.Errorf("server address %q: want host:port", c.Addr)
	}
	switch c.security() {
	case SecurityTLS, SecurityStartTLS:
	case SecurityNone:
		if !IsLoopback(host) {
			return "", fmt.Errorf("server %s: security %q is allowed only to a loopback address (127.0.0.1, ::1, localhost); use \"tls\" or \"starttls\"", c.Addr, c.Security)
		}
	default:
		return "", fmt.Errorf("server %s: unknown security %q (want tls, starttls or none)", c.Addr, c.Security)
	}
	return host, nil
}

// IsLoopback reports whether host names the loopback interface only:
// "localhost" (any case) or a loopback IP address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// tlsConfig returns the TLS configuration for host: verification on, the
// system roots plus CAFile.
func (c ServerConfig) tlsConfig(host string) (*tls.Config, error) {
	cfg := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if c.CAFile == "" {
		return cfg, nil
	}
	pem, err := os.ReadFile(c.CAFile)
	if err != nil {
		return nil, fmt.Errorf("read CA file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("CA file %s: no PEM certificate found", c.CAFile)
	}
	cfg.RootCAs = pool
	return cfg, nil
}

// dial opens a TCP connection to c.Addr and, for SecurityTLS, completes the
// TLS handshake. Errors name the step: DNS, connect or TLS.
func (c ServerConfig) dial(ctx context.Context, proto string) (net.Conn, error) {
	host, err := c.check()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	d := net.Dialer{}
	conn, err := d.DialContext(ctx, "tcp", c.Addr)
	if err != nil {
		var dnsErr *net.DNSError
		if errors.As(err, &dnsErr) {
			return nil, fmt.Errorf("%s server %s: DNS lookup of %q failed: %w", proto, c.Addr, host, err)
		}
		return nil, fmt.Errorf("%s server %s: connect: %w", proto, c.Addr, err)
	}
	if c.security() != SecurityTLS {
		return conn, nil
	}
	cfg, err := c.tlsConfig(host)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("%s server %s: TLS: %w", proto, c.Addr, err)
	}
	if proto == "IMAP" {
		cfg.NextProtos = []string{"imap"}
	}
	tconn := tls.Client(conn, cfg)
	if err := tconn.HandshakeContext(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("%s server %s: TLS handshake: %w", proto, c.Addr, err)
	}
	return tconn, nil
}

// discardLogger is used when the caller passes a nil logger.
var discardLogger = slog.New(slog.DiscardHandler)
