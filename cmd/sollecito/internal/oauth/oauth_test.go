package oauth

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sollecito/sollecito/mailbox/oauthtest"
	"golang.org/x/oauth2"
)

// counterMint gives numbered access tokens living ttl.
func counterMint(ttl time.Duration) func(string) (string, time.Duration) {
	var n atomic.Int64
	return func(account string) (string, time.Duration) {
		return fmt.Sprintf("access-%d-%s", n.Add(1), account), ttl
	}
}

func settings(p *oauthtest.Provider, dir, flow string) Settings {
	return Settings{ClientID: "sollecito-test", AuthURL: p.AuthURL(), TokenURL: p.TokenURL(), DeviceURL: p.DeviceURL(),
		Scopes: []string{"mail"}, Flow: flow, TokenFile: filepath.Join(dir, "token.json"), Account: "bot@example.test"}
}

// browse plays the owner: it reads what Consent prints and acts on the
// address it gives (follow: open it in a browser on this machine; else
// paste the address the browser ends on into in).
func browse(t *testing.T, out io.Reader, in io.Writer, follow bool) {
	t.Helper()
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "http") || !strings.Contains(line, "/authorize?") {
			continue
		}
		go io.Copy(io.Discard, out)
		c := &http.Client{Timeout: 10 * time.Second}
		if !follow {
			c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		}
		resp, err := c.Get(line)
		if err != nil {
			t.Errorf("browser: %v", err)
			return
		}
		resp.Body.Close()
		if !follow {
			fmt.Fprintf(in, "not an address\n%s\n", resp.Header.Get("Location"))
		}
		return
	}
}

func fixedClock(t *time.Time) func() time.Time { return func() time.Time { return *t } }

func TestConsentFlows(t *testing.T) {
	for _, tc := range []struct {
		name, flow string
		follow     bool
	}{
		{"code flow, browser on this machine", FlowCode, true},
		{"code flow, address pasted back", FlowCode, false},
		{"device flow", FlowDevice, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := oauthtest.New(counterMint(time.Hour))
			defer p.Close()
			dir := t.TempDir()
			s := settings(p, dir, tc.flow)
			now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
			inR, inW := io.Pipe()
			outR, outW := io.Pipe()
			done := make(chan struct{})
			var printed strings.Builder
			go func() {
				defer close(done)
				browse(t, io.TeeReader(outR, &printed), inW, tc.follow)
			}()
			st, err := Consent(context.Background(), s, inR, outW, fixedClock(&now))
			outW.Close()
			<-done
			if err != nil {
				t.Fatalf("Consent: %v\nprinted:\n%s", err, printed.String())
			}
			if st.RefreshToken == "" || st.AccessToken == "" || !st.Expiry.Equal(now.Add(time.Hour)) || !st.Granted.Equal(now) {
				t.Errorf("stored %+v", st)
			}
			if tc.flow == FlowDevice && !strings.Contains(printed.String(), "ABCD-EFGH") {
				t.Errorf("the device flow did not print the code to enter:\n%s", printed.String())
			}
			fi, err := os.Stat(s.TokenFile)
			if err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("token file: %v, mode %v; want 0600", err, fi.Mode())
			}
			got, err := ReadFile(s.TokenFile)
			if err != nil || got.RefreshToken != st.RefreshToken || got.Account != "bot@example.test" {
				t.Errorf("ReadFile = %+v, %v", got, err)
			}
		})
	}
}

func TestSource(t *testing.T) {
	p := oauthtest.New(counterMint(time.Hour))
	defer p.Close()
	dir := t.TempDir()
	s := settings(p, dir, FlowCode)
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	ctx := context.Background()

	src := NewSource(s, fixedClock(&now), "sollecito auth --config x.toml")
	if _, err := src.AccessToken(ctx); !errors.Is(err, ErrNoConsent) || !strings.Contains(err.Error(), "sollecito auth --config x.toml") {
		t.Fatalf("no token file: err = %v, want ErrNoConsent naming the command", err)
	}

	// A consent: the device flow needs no browser.
	s.Flow = FlowDevice
	if _, err := Consent(ctx, s, strings.NewReader(""), io.Discard, fixedClock(&now)); err != nil {
		t.Fatal(err)
	}
	first, err := src.AccessToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := src.AccessToken(ctx); again != first || p.Refreshes() != 0 {
		t.Errorf("a valid token was refreshed: %q then %q, %d refreshes", first, again, p.Refreshes())
	}

	// Close to its expiry, by the injected clock: refreshed, written back.
	now = now.Add(59*time.Minute + 30*time.Second)
	second, err := src.AccessToken(ctx)
	if err != nil || second == first || p.Refreshes() != 1 {
		t.Fatalf("near expiry: %q, %v, %d refreshes; want a new token", second, err, p.Refreshes())
	}
	if f, _ := ReadFile(s.TokenFile); f.AccessToken != second || !f.Refreshed.Equal(now) {
		t.Errorf("file after refresh: %+v", f)
	}

	// Refused by a server: the next call refreshes even though it is valid.
	src.Rejected(second)
	third, err := src.AccessToken(ctx)
	if err != nil || third == second || p.Refreshes() != 2 {
		t.Fatalf("after a refusal: %q, %v, %d refreshes", third, err, p.Refreshes())
	}

	// A provider that rotates refresh tokens: the new one is kept.
	p.Rotate = true
	before, _ := ReadFile(s.TokenFile)
	src.Rejected(third)
	if _, err := src.AccessToken(ctx); err != nil {
		t.Fatal(err)
	}
	if after, _ := ReadFile(s.TokenFile); after.RefreshToken == before.RefreshToken {
		t.Errorf("the rotated refresh token was not stored")
	}
	fi, _ := os.Stat(s.TokenFile)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v after a refresh, want 0600", fi.Mode())
	}

	// Revoked: a clear error naming what to run, without any token.
	p.RevokeAll()
	cur, _ := ReadFile(s.TokenFile)
	src.Rejected(cur.AccessToken)
	_, err = src.AccessToken(ctx)
	if !errors.Is(err, ErrRevoked) || !strings.Contains(err.Error(), "sollecito auth --config x.toml") {
		t.Fatalf("revoked: err = %v", err)
	}
	if strings.Contains(err.Error(), cur.RefreshToken) || strings.Contains(err.Error(), cur.AccessToken) {
		t.Errorf("the error shows a token: %v", err)
	}

	// A new consent while the daemon runs is read at the next call.
	now = now.Add(time.Second)
	if _, err := Consent(ctx, s, strings.NewReader(""), io.Discard, fixedClock(&now)); err != nil {
		t.Fatal(err)
	}
	if _, err := src.AccessToken(ctx); err != nil {
		t.Errorf("after a new consent: %v", err)
	}

	// A wrong client secret names the keys to check.
	p.Secret = "right"
	bad := s
	bad.ClientSecret = "wrong"
	badSrc := NewSource(bad, fixedClock(&now), "x")
	cur, _ = ReadFile(s.TokenFile)
	badSrc.Rejected(cur.AccessToken)
	if _, err := badSrc.AccessToken(ctx); err == nil || !strings.Contains(err.Error(), "oauth2.client_id and the client secret") {
		t.Errorf("wrong client secret: err = %v", err)
	}
	good := s
	good.ClientSecret = "right"
	goodSrc := NewSource(good, fixedClock(&now), "x")
	goodSrc.Rejected(cur.AccessToken)
	if _, err := goodSrc.AccessToken(ctx); err != nil {
		t.Errorf("right client secret: %v", err)
	}
	p.Secret = ""

	// A file given to another application is not used.
	other := s
	other.ClientID = "someone-else"
	if _, err := NewSource(other, fixedClock(&now), "x").AccessToken(ctx); !errors.Is(err, ErrNoConsent) {
		t.Errorf("another client_id: err = %v, want ErrNoConsent", err)
	}
}

func TestReadFileBad(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"not json":         "refresh_token=x",
		"no refresh token": `{"client_id":"a"}`,
		"too large":        `{"refresh_token":"` + strings.Repeat("x", maxTokenFile) + `"}`,
	} {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "-"))
		os.WriteFile(p, []byte(body), 0o600)
		if _, err := ReadFile(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: err = %v, want one naming the file", name, err)
		}
	}
}

func TestPresets(t *testing.T) {
	g, ok := Presets("google", "")
	if !ok || g.Flow != FlowCode || g.Scopes[0] != "https://mail.google.com/" {
		t.Errorf("google: %+v", g)
	}
	m, ok := Presets("microsoft", "contoso.onmicrosoft.com")
	if !ok || m.Flow != FlowDevice || !strings.Contains(m.TokenURL, "/contoso.onmicrosoft.com/oauth2/v2.0/token") || !strings.Contains(strings.Join(m.Scopes, " "), "offline_access") {
		t.Errorf("microsoft: %+v", m)
	}
	if _, ok := Presets("yahoo", ""); ok {
		t.Errorf("an unknown provider has a preset")
	}
}

func TestTokenHints(t *testing.T) {
	for _, tc := range []struct{ code, desc, want string }{
		{"invalid_client", "Unauthorized", "oauth2.client_id and the client secret"},
		{"invalid_client", "AADSTS7000218: The request body must contain client_assertion or client_secret.", "Allow public client flows"},
		{"invalid_request", "AADSTS50194: Application is not configured as a multi-tenant application.", "oauth2.tenant"},
		{"invalid_grant", "AADSTS65001: The user or administrator has not consented", "Grant admin consent"},
		{"invalid_grant", "Bad Request", ""},
	} {
		got := tokenError(&oauth2.RetrieveError{ErrorCode: tc.code, ErrorDescription: tc.desc})
		if !strings.Contains(got.Error(), tc.code) || (tc.want != "" && !strings.Contains(got.Error(), tc.want)) || (tc.want == "" && strings.Contains(got.Error(), "(")) {
			t.Errorf("%s %q: %v, want a hint %q", tc.code, tc.desc, got, tc.want)
		}
	}
}
