package mailbox

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"
	gosmtp "github.com/wneessen/go-mail/smtp"

	"github.com/sollecito/sollecito/mailbox/oauthtest"
)

// The OAuth2 logins against the real Dovecot of .ci/mail-up.sh, which
// validates HS256 JWTs signed with DIR/oauth2/key itself, and its
// submission service (SOLLECITO_TEST_SUBMISSION), which relays to Exim.

func stackKey(t *testing.T) []byte {
	t.Helper()
	dir := os.Getenv("SOLLECITO_TEST_MAILDIR")
	if dir == "" {
		t.Skip("SOLLECITO_TEST_MAILDIR not set: the OAuth2 key lives in the stack's folder")
	}
	key, err := os.ReadFile(filepath.Join(dir, "oauth2", "key"))
	if err != nil {
		t.Skipf("the stack has no OAuth2 key (an older mail-up.sh?): %v", err)
	}
	return key
}

// scriptedTokens hands out the given tokens in turn (the last one again
// when they run out) and counts the refusals it is told of.
type scriptedTokens struct {
	mu       sync.Mutex
	tokens   []string
	rejected int
	err      error
}

func (s *scriptedTokens) AccessToken(context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return "", s.err
	}
	t := s.tokens[0]
	if len(s.tokens) > 1 {
		s.tokens = s.tokens[1:]
	}
	return t, nil
}

func (s *scriptedTokens) Rejected(string) {
	s.mu.Lock()
	s.rejected++
	s.mu.Unlock()
}

func TestRealOAuth2IMAP(t *testing.T) {
	s := needRealStack(t)
	key := stackKey(t)
	cfg := func(ts TokenSource) ServerConfig {
		c := s.imap(realBot)
		c.Password, c.Token = "", ts
		return c
	}
	ctx := testContext(t)

	t.Run("a valid token logs in", func(t *testing.T) {
		ts := &scriptedTokens{tokens: []string{oauthtest.JWT(key, realBot, time.Hour)}}
		c, err := DialIMAP(ctx, cfg(ts), "INBOX", testLogger(t))
		if err != nil {
			t.Fatalf("DialIMAP with a token: %v", err)
		}
		c.Close()
		if ts.rejected != 0 {
			t.Errorf("rejected %d times, want 0", ts.rejected)
		}
	})
	t.Run("an expired token is refreshed once", func(t *testing.T) {
		ts := &scriptedTokens{tokens: []string{oauthtest.JWT(key, realBot, -time.Minute), oauthtest.JWT(key, realBot, time.Hour)}}
		c, err := DialIMAP(ctx, cfg(ts), "INBOX", testLogger(t))
		if err != nil {
			t.Fatalf("DialIMAP after a refresh: %v", err)
		}
		c.Close()
		if ts.rejected != 1 {
			t.Errorf("rejected %d times, want 1", ts.rejected)
		}
	})
	t.Run("a token for another account is refused, with no loop", func(t *testing.T) {
		ts := &scriptedTokens{tokens: []string{oauthtest.JWT(key, realCustomer, time.Hour)}}
		_, err := DialIMAP(ctx, cfg(ts), "INBOX", testLogger(t))
		if err == nil || !errors.Is(err, errTokenRefused) {
			t.Fatalf("err = %v, want the token refused", err)
		}
		if ts.rejected != 1 {
			t.Errorf("rejected %d times, want 1 (one refresh, then stop)", ts.rejected)
		}
		if !strings.Contains(err.Error(), `login as "bot@example.test"`) || strings.Contains(err.Error(), "eyJ") {
			t.Errorf("error %q should name the login and never the token", err)
		}
	})
	t.Run("a source that cannot give a token says so", func(t *testing.T) {
		ts := &scriptedTokens{err: errors.New("authorization revoked: run sollecito auth")}
		_, err := DialIMAP(ctx, cfg(ts), "INBOX", testLogger(t))
		if err == nil || !strings.Contains(err.Error(), "authorization revoked") {
			t.Fatalf("err = %v", err)
		}
	})
	// Both mechanisms, straight at the server.
	for _, mech := range []string{mechOAuthBearer, mechXOAuth2} {
		t.Run(mech, func(t *testing.T) {
			raw, err := s.imap(realBot).dial(ctx, "IMAP")
			if err != nil {
				t.Fatal(err)
			}
			tcfg, _ := s.imap(realBot).tlsConfig("127.0.0.1")
			c, err := imapclient.NewStartTLS(raw, &imapclient.Options{TLSConfig: tcfg})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if err := c.Authenticate(newBearer(mech, realBot, oauthtest.JWT(key, realBot, time.Hour), s.IMAP)); err != nil {
				t.Fatalf("AUTHENTICATE %s: %v", mech, err)
			}
			b := newBearer(mech, realBot, oauthtest.JWT(key, realCustomer, time.Hour), s.IMAP)
			c2raw, err := s.imap(realBot).dial(ctx, "IMAP")
			if err != nil {
				t.Fatal(err)
			}
			c2, err := imapclient.NewStartTLS(c2raw, &imapclient.Options{TLSConfig: tcfg})
			if err != nil {
				t.Fatal(err)
			}
			defer c2.Close()
			if err := c2.Authenticate(b); err == nil {
				t.Fatalf("AUTHENTICATE %s with another account's token succeeded", mech)
			}
			if mech == mechOAuthBearer && !strings.Contains(b.refusal, "invalid_token") {
				t.Errorf("refusal %q, want the server's status", b.refusal)
			}
		})
	}
}

func TestRealOAuth2Submission(t *testing.T) {
	s := needRealStack(t)
	key := stackKey(t)
	addr := os.Getenv("SOLLECITO_TEST_SUBMISSION")
	if addr == "" {
		t.Skip("SOLLECITO_TEST_SUBMISSION not set (Dovecot submission, dovecot-submissiond)")
	}
	ctx := testContext(t)
	cfg := ServerConfig{Addr: addr, Security: "starttls", Username: realBot, CAFile: s.CAFile, Timeout: 10 * time.Second}

	ts := &scriptedTokens{tokens: []string{oauthtest.JWT(key, realBot, -time.Minute), oauthtest.JWT(key, realBot, time.Hour)}}
	cfg.Token = ts
	in := realDial(t, s, realCustomer, "INBOX")
	after := lastUID(t, in)
	id := "oauth-" + time.Now().Format("150405.000000") + "@example.test"
	raw := "From: bot@example.test\r\nTo: customer@example.test\r\nSubject: sent with a token\r\nMessage-ID: <" + id + ">\r\n\r\nciao\r\n"
	smtp := NewSMTP(cfg, testLogger(t))
	if err := smtp.Send(ctx, realBot, []string{realCustomer}, []byte(raw)); err != nil {
		t.Fatalf("Send through submission with an expired, then fresh token: %v", err)
	}
	smtp.CloseIdle()
	if ts.rejected != 1 {
		t.Errorf("rejected %d times, want 1", ts.rejected)
	}
	waitFor(t, in, after, 20*time.Second, func(_ Fetched, m *Message) bool { return m.MessageID == id })

	wrong := cfg
	wrong.Token = &scriptedTokens{tokens: []string{oauthtest.JWT(key, realCustomer, time.Hour)}}
	err := NewSMTP(wrong, testLogger(t)).Check(ctx)
	if err == nil || !errors.Is(err, errTokenRefused) || IsPermanent(err) {
		t.Fatalf("Check with another account's token: %v (want a refusal that is not permanent)", err)
	}

	// Both mechanisms, straight at the server.
	for _, mech := range []string{mechOAuthBearer, mechXOAuth2} {
		t.Run(mech, func(t *testing.T) {
			for _, tc := range []struct {
				sub string
				ok  bool
			}{{realBot, true}, {realCustomer, false}} {
				conn, err := cfg.dial(ctx, "SMTP")
				if err != nil {
					t.Fatal(err)
				}
				c, err := gosmtp.NewClient(conn, "127.0.0.1")
				if err != nil {
					t.Fatal(err)
				}
				tcfg, _ := cfg.tlsConfig("127.0.0.1")
				if err := c.Hello("localhost"); err != nil {
					t.Fatal(err)
				}
				if err := c.StartTLS(tcfg); err != nil {
					t.Fatal(err)
				}
				err = c.Auth(smtpBearer{newBearer(mech, realBot, oauthtest.JWT(key, tc.sub, time.Hour), addr)})
				if (err == nil) != tc.ok {
					t.Errorf("AUTH %s with a token for %s: %v", mech, tc.sub, err)
				}
				c.Close()
			}
		})
	}
}

func TestBearerExchange(t *testing.T) {
	for _, tc := range []struct {
		name, mech, user, addr string
		offered                []string
		want                   string
		challenge, answer      string
		refusal                string
	}{
		{name: "OAUTHBEARER with host and port, escaped name", offered: []string{"PLAIN", "oauthbearer", "XOAUTH2"},
			mech: mechOAuthBearer, user: "a,b=c@x.it", addr: "imap.x.it:993",
			want:      "n,a=a=2Cb=3Dc@x.it,\x01host=imap.x.it\x01port=993\x01auth=Bearer T\x01\x01",
			challenge: `{"status":"invalid_token","scope":"https://mail.google.com/"}`, answer: "\x01",
			refusal: "status invalid_token, scope https://mail.google.com/"},
		{name: "XOAUTH2 when it is all there is", offered: []string{"PLAIN", "XOAUTH2"},
			mech: mechXOAuth2, user: "bot@x.it", addr: "smtp.x.it:587",
			want:      "user=bot@x.it\x01auth=Bearer T\x01\x01",
			challenge: `{"status":"400","schemes":"Bearer"}`, answer: "", refusal: "status 400"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mech, err := bearerMech(tc.offered)
			if err != nil || mech != tc.mech {
				t.Fatalf("bearerMech(%q) = %q, %v; want %q", tc.offered, mech, err, tc.mech)
			}
			b := newBearer(mech, tc.user, "T", tc.addr)
			if got := string(b.initial()); got != tc.want {
				t.Errorf("initial response %q, want %q", got, tc.want)
			}
			if got := string(b.next([]byte(tc.challenge))); got != tc.answer {
				t.Errorf("answer to an error report %q, want %q", got, tc.answer)
			}
			if b.refusal != tc.refusal {
				t.Errorf("refusal %q, want %q", b.refusal, tc.refusal)
			}
		})
	}
	if _, err := bearerMech([]string{"PLAIN", "LOGIN"}); err == nil || !strings.Contains(err.Error(), `auth = "password"`) {
		t.Errorf("no bearer mechanism: err = %v, want advice to use a password", err)
	}
}

// FuzzBearerChallenge: whatever a server sends as the challenge after a
// token (its error report, RFC 7628 3.2.2), the answer is the one the
// mechanism asks for and nothing panics.
func FuzzBearerChallenge(f *testing.F) {
	f.Add([]byte(`{"status":"invalid_token","scope":"https://mail.google.com/","openid-configuration":"https://accounts.google.com/.well-known/openid-configuration"}`))
	f.Add([]byte(`{"status":"401","schemes":"bearer mac","scope":"https://mail.google.com/"}`))
	f.Add([]byte(`{"status":`))
	f.Add([]byte{0xff, 0x00})
	f.Fuzz(func(t *testing.T, challenge []byte) {
		for _, mech := range []string{mechOAuthBearer, mechXOAuth2} {
			b := newBearer(mech, "bot@x.it", "T", "imap.x.it:993")
			got := b.next(challenge)
			if want := map[string]string{mechOAuthBearer: "\x01", mechXOAuth2: ""}[mech]; string(got) != want {
				t.Fatalf("%s answers %q, want %q", mech, got, want)
			}
			if len(b.refusal) > 500 || strings.ContainsAny(b.refusal, "\r\n") {
				t.Fatalf("refusal %q: unbounded, or with line breaks", b.refusal)
			}
		}
	})
}
