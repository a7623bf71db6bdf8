package mailbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/emersion/go-sasl"
	"github.com/wneessen/go-mail/smtp"
)

// TokenSource gives the OAuth2 access tokens a ServerConfig logs in with
// (Microsoft 365 and Google take no password for IMAP and SMTP).
type TokenSource interface {
	// AccessToken returns a token to log in with now; it refreshes one
	// that is about to expire. Its errors say what the owner must do
	// (a revoked authorization: run the consent again).
	AccessToken(ctx context.Context) (string, error)
	// Rejected tells the source that the server refused token: the next
	// AccessToken must not return it again.
	Rejected(token string)
}

// The SASL mechanisms that carry a bearer token: OAUTHBEARER (RFC 7628)
// where the server offers it, else Google's and Microsoft's XOAUTH2.
const (
	mechOAuthBearer = "OAUTHBEARER"
	mechXOAuth2     = "XOAUTH2"
)

// bearerMech picks the bearer-token mechanism among those a server offers.
func bearerMech(offered []string) (string, error) {
	has := func(m string) bool {
		for _, o := range offered {
			if strings.EqualFold(o, m) {
				return true
			}
		}
		return false
	}
	switch {
	case has(mechOAuthBearer):
		return mechOAuthBearer, nil
	case has(mechXOAuth2):
		return mechXOAuth2, nil
	}
	return "", fmt.Errorf("the server offers no OAuth2 login (OAUTHBEARER or XOAUTH2) among %s: use a password for it (auth = \"password\")", strings.Join(offered, " "))
}

// bearer is one SASL exchange that presents a token. It is a go-sasl
// client (IMAP) and a go-mail smtp.Auth (SMTP).
type bearer struct {
	mech, user, token, host string
	port                    int
	// refusal is the server's error report (RFC 7628 section 3.2.2), kept
	// to name why the token was refused.
	refusal string
}

func newBearer(mech, user, token, addr string) *bearer {
	b := &bearer{mech: mech, user: user, token: token}
	if host, port, err := net.SplitHostPort(addr); err == nil {
		b.host = host
		b.port, _ = strconv.Atoi(port)
	}
	return b
}

func (b *bearer) initial() []byte {
	if b.mech == mechXOAuth2 {
		return []byte("user=" + b.user + "\x01auth=Bearer " + b.token + "\x01\x01")
	}
	s := "n,a=" + saslName(b.user) + ","
	if b.host != "" {
		s += "\x01host=" + b.host
	}
	if b.port != 0 {
		s += "\x01port=" + strconv.Itoa(b.port)
	}
	return []byte(s + "\x01auth=Bearer " + b.token + "\x01\x01")
}

// next answers the server's challenge, which after a bearer token is only
// ever an error report: keep it, and answer as the mechanism asks (a
// single ^A for OAUTHBEARER, nothing for XOAUTH2) so the server ends the
// exchange with its failure.
func (b *bearer) next(challenge []byte) []byte {
	var report struct {
		Status string `json:"status"`
		Scope  string `json:"scope"`
	}
	if len(challenge) <= maxReport && json.Unmarshal(challenge, &report) == nil && report.Status != "" {
		b.refusal = "status " + clip(report.Status)
		if report.Scope != "" {
			b.refusal += ", scope " + clip(report.Scope)
		}
	}
	if b.mech == mechXOAuth2 {
		return []byte{}
	}
	return []byte{0x01}
}

// maxReport bounds the error report read, and clip what of it goes into
// errors and logs.
const maxReport = 64 << 10

func clip(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "…"
	}
	return s
}

// saslName escapes a login name for the gs2 header: "," and "=" (RFC 5801).
func saslName(s string) string {
	return strings.NewReplacer("=", "=3D", ",", "=2C").Replace(s)
}

// Start and Next make a bearer a go-sasl client.
func (b *bearer) Start() (string, []byte, error) { return b.mech, b.initial(), nil }

func (b *bearer) Next(challenge []byte) ([]byte, error) { return b.next(challenge), nil }

var _ sasl.Client = (*bearer)(nil)

// smtpBearer is a bearer as go-mail's SMTP client wants it.
type smtpBearer struct{ *bearer }

func (b smtpBearer) Start(*smtp.ServerInfo) (string, []byte, error) {
	return b.mech, b.initial(), nil
}

func (b smtpBearer) Next(challenge []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	return b.next(challenge), nil
}

// withToken runs login with a fresh token from ts; when the server refuses
// it (refused reports so), it tells ts and tries once more with a new one.
// A second refusal is errTokenRefused. Errors name the server's report,
// never the token.
func withToken(ctx context.Context, ts TokenSource, login func(token string) (refused bool, err error)) error {
	for attempt := 0; ; attempt++ {
		token, err := ts.AccessToken(ctx)
		if err != nil {
			return fmt.Errorf("OAuth2 token: %w", err)
		}
		refused, err := login(token)
		switch {
		case err == nil:
			return nil
		case !refused:
			return err
		case attempt > 0:
			return fmt.Errorf("%w (%v)", errTokenRefused, err)
		}
		ts.Rejected(token)
	}
}

// errTokenRefused is what a login error says when the server refused the
// token a second time, after a refresh.
var errTokenRefused = errors.New("the server refused the OAuth2 token, also after a refresh: the token is not for this account (the login name must be the account that gave consent), or lacks the mail scopes")
