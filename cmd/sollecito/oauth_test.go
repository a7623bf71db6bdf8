package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/oauth"
	"github.com/sollecito/sollecito/mailbox/oauthtest"
)

// The bot on OAuth2, for real: the test Dovecot validates the access tokens
// (HS256 JWTs signed with the key in DIR/oauth2, .ci/mail-up.sh) and a
// provider on loopback (oauthtest) gives them, as Google's or Microsoft's
// token endpoint would.

// stackJWT returns a minting function for the provider: tokens Dovecot
// accepts for the account, living ttl.
func stackJWT(t *testing.T, dir string, ttl time.Duration) func(string) (string, time.Duration) {
	t.Helper()
	key, err := os.ReadFile(filepath.Join(dir, "oauth2", "key"))
	if err != nil {
		t.Skipf("the mail stack has no OAuth2 key (an older mail-up.sh?): %v", err)
	}
	return func(account string) (string, time.Duration) {
		return oauthtest.JWT(key, account, ttl), ttl
	}
}

// useOAuth2 switches the configuration's [imap] (and [smtp] when smtpAddr
// is given, then at that server) to the provider's tokens.
func useOAuth2(t *testing.T, app *stackApp, p *oauthtest.Provider, smtpAddr string) {
	t.Helper()
	b, err := os.ReadFile(app.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(b), "password_env = \"TEST_PW\"\n", "auth = \"oauth2\"\n", 1)
	if smtpAddr != "" {
		text = strings.Replace(text, fmt.Sprintf("addr = %q", app.smtpAddr), fmt.Sprintf("addr = %q", smtpAddr), 1)
		text = strings.Replace(text, "password_env = \"TEST_PW\"\n", "auth = \"oauth2\"\n", 1)
	}
	text += fmt.Sprintf(`
[oauth2]
client_id = "sollecito-test"
auth_url = %q
token_url = %q
device_url = %q
scopes = ["mail"]
flow = "device"
token_file = "token.json"
`, p.AuthURL(), p.TokenURL(), p.DeviceURL())
	if err := os.WriteFile(app.cfgPath, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// sollecito runs one command line and returns its exit code and output.
func sollecito(app *stackApp, args ...string) (int, string) {
	var out bytes.Buffer
	code := Main(context.Background(), append([]string{args[0], "--config", app.cfgPath}, args[1:]...), &out, &out, app.getenv)
	return code, out.String()
}

func TestIntegrationOAuth2(t *testing.T) {
	app := newStackApp(t, "trust_server = true", "alfa")
	ctx := context.Background()
	p := oauthtest.New(stackJWT(t, app.dir, time.Hour))
	defer p.Close()
	p.Account = app.bot
	useOAuth2(t, app, p, "")
	tokenFile := filepath.Join(filepath.Dir(app.cfgPath), "token.json")

	// Before the consent: check says what to run.
	if code, out := sollecito(app, "check"); code != 1 || !strings.Contains(out, "sollecito auth --config "+app.cfgPath) {
		t.Fatalf("check before auth: exit %d\n%s", code, out)
	}
	// The consent (the device flow: the provider approves after one poll),
	// then a login with the token.
	code, out := sollecito(app, "auth")
	if code != 0 || !strings.Contains(out, "ABCD-EFGH") || !strings.Contains(out, "imap "+app.stack.imap.Addr+": ok") {
		t.Fatalf("auth: exit %d\n%s", code, out)
	}
	if fi, err := os.Stat(tokenFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v %v", err, fi)
	}
	if code, out := sollecito(app, "check"); code != 0 || !strings.Contains(out, "oauth2: authorization for "+app.bot) || !strings.Contains(out, "imap "+app.stack.imap.Addr+": ok") ||
		!strings.Contains(out, "logins offered: ") || !strings.Contains(out, "OAUTHBEARER") || !strings.Contains(out, `copies of sent mail go to "Sent" (marked \Sent)`) {
		t.Fatalf("check: exit %d\n%s", code, out)
	} else {
		t.Logf("check:\n%s", out)
	}

	// A pass with the stored token: the owner's invoice is read.
	alfa := app.at("alfa")
	raw, err := invoiceMail(app.owner, app.bot, &demoClient{addr: alfa, company: "Alfa Srl", lang: "it", number: "2026/301", amount: "€ 1.220,00", due: time.Now().AddDate(0, 0, 20)}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	app.send(ctx, app.owner, []string{alfa, app.bot}, raw)
	waitDelivered(t, app.dir)
	if code, out := sollecito(app, "run", "--once"); code != 0 {
		t.Fatalf("run --once: exit %d\n%s", code, out)
	}
	if code, out := sollecito(app, "status"); code != 0 || !strings.Contains(out, "2026/301") {
		t.Fatalf("the invoice was not registered through the OAuth2 login: exit %d\n%s", code, out)
	}
	if n := p.Refreshes(); n != 0 {
		t.Errorf("%d refreshes with a valid token", n)
	}

	// Two hours on, by the bot's clock: the token is refreshed first.
	later := time.Now().Add(2 * time.Hour).Format(time.RFC3339)
	if code, out := sollecito(app, "run", "--once", "--now", later); code != 0 || p.Refreshes() != 1 {
		t.Fatalf("run --once two hours on: exit %d, %d refreshes\n%s", code, p.Refreshes(), out)
	}

	// A token the server refuses (valid, but for another account): one
	// refresh, and the pass goes on.
	st, err := oauth.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	st.AccessToken, _ = p.Mint(alfa)
	st.Expiry = time.Now().Add(24 * time.Hour)
	if err := oauth.WriteFile(tokenFile, st); err != nil {
		t.Fatal(err)
	}
	if code, out := sollecito(app, "run", "--once"); code != 0 || p.Refreshes() != 2 {
		t.Fatalf("run --once with a refused token: exit %d, %d refreshes\n%s", code, p.Refreshes(), out)
	}

	// The authorization revoked at the provider: a clear error, the owner
	// told by mail (SMTP logs in by password here), once a day.
	p.RevokeAll()
	st, _ = oauth.ReadFile(tokenFile)
	st.Expiry = time.Now().Add(-time.Minute)
	oauth.WriteFile(tokenFile, st)
	owner := &peer{addr: app.owner}
	app.read(ctx, owner) // the owner's own mail so far
	for i := range 2 {
		code, out := sollecito(app, "run", "--once")
		if code != 1 || !strings.Contains(out, "revoked") || !strings.Contains(out, "sollecito auth --config "+app.cfgPath) || strings.Contains(out, st.RefreshToken) {
			t.Fatalf("run %d with a revoked authorization: exit %d\n%s", i, code, out)
		}
	}
	waitDelivered(t, app.dir)
	if got := templatesOf(app.read(ctx, owner)); len(got) != 1 || got[0] != "auth_alert" {
		t.Errorf("the owner got %v, want one auth_alert", got)
	}
	// The daemon keeps trying with its backoff, and tells no one again today.
	dctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	var dout bytes.Buffer
	code = Main(dctx, []string{"run", "--config", app.cfgPath}, &dout, &dout, app.getenv)
	cancel()
	if n := strings.Count(dout.String(), "imap connect failed; retrying"); code != 0 || n < 1 || n > 4 { // a backoff, not a loop
		t.Errorf("daemon with a revoked authorization: exit %d, %d retries in 3 s\n%s", code, n, dout.String())
	}
	waitDelivered(t, app.dir)
	if got := templatesOf(app.read(ctx, owner)); len(got) != 0 {
		t.Errorf("the owner got %v again the same day", got)
	}
	if code, out := sollecito(app, "check"); code != 1 || !strings.Contains(out, "imap "+app.stack.imap.Addr+": FAILED") || !strings.Contains(out, "revoked") {
		t.Errorf("check with a revoked authorization: exit %d\n%s", code, out)
	}
	// A new consent mends it, without restarting anything.
	if code, out := sollecito(app, "auth"); code != 0 {
		t.Fatalf("auth again: exit %d\n%s", code, out)
	}
	if code, out := sollecito(app, "run", "--once"); code != 0 {
		t.Fatalf("run --once after a new consent: exit %d\n%s", code, out)
	}
}

// TestIntegrationOAuth2Submission: SMTP by token too, through Dovecot's
// submission service (which relays to Exim).
func TestIntegrationOAuth2Submission(t *testing.T) {
	sub := os.Getenv("SOLLECITO_TEST_SUBMISSION")
	if sub == "" {
		realStack(t)
		t.Skip("SOLLECITO_TEST_SUBMISSION not set (Dovecot submission, dovecot-submissiond)")
	}
	app := newStackApp(t, "trust_server = true")
	p := oauthtest.New(stackJWT(t, app.dir, time.Hour))
	defer p.Close()
	p.Account = app.bot
	useOAuth2(t, app, p, sub)
	if code, out := sollecito(app, "auth"); code != 0 || !strings.Contains(out, "smtp "+sub+": ok") {
		t.Fatalf("auth: exit %d\n%s", code, out)
	}
	if code, out := sollecito(app, "check"); code != 0 || !strings.Contains(out, "smtp "+sub+": ok") {
		t.Fatalf("check: exit %d\n%s", code, out)
	}
	// Consent given as another account: auth says so.
	p.Account = app.owner
	if code, out := sollecito(app, "auth"); code != 1 || !strings.Contains(out, "sign in as "+app.bot) {
		t.Errorf("auth as the wrong account: exit %d\n%s", code, out)
	}
}
