package main

// The core loop against real servers: Dovecot (IMAP) and Exim (SMTP) on
// loopback, driven through `sollecito run --once --now` over a 70-day
// timeline. Start the servers and run it with:
//
//	bash .ci/run
//
// or, by hand, with the servers of .ci/mail-up.sh and .ci/smtp-up.sh:
//
//	D=$(mktemp -d); bash .ci/mail-up.sh $D; bash .ci/smtp-up.sh $D
//	SOLLECITO_TEST_IMAP=127.0.0.1:10143 SOLLECITO_TEST_SMTP=127.0.0.1:10025 \
//	SOLLECITO_TEST_MAILDIR=$D SOLLECITO_TEST_CA=$D/tls/cert.pem go test ./cmd/sollecito -run Integration -v
//	bash .ci/mail-down.sh $D

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sollecito/sollecito/mailbox"
)

// realStack returns the addresses of the real mail servers, or skips.
func realStack(t testing.TB) (imapAddr, smtpAddr, dir, ca string) {
	t.Helper()
	imapAddr, smtpAddr = os.Getenv("SOLLECITO_TEST_IMAP"), os.Getenv("SOLLECITO_TEST_SMTP")
	dir, ca = os.Getenv("SOLLECITO_TEST_MAILDIR"), os.Getenv("SOLLECITO_TEST_CA")
	if imapAddr == "" || smtpAddr == "" || dir == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but the real mail servers are not set up: .ci/run must start them")
		}
		t.Skip("real mail servers not running: SOLLECITO_TEST_IMAP, SOLLECITO_TEST_SMTP and SOLLECITO_TEST_MAILDIR unset (bash .ci/run starts Dovecot and Exim and sets them)")
	}
	return imapAddr, smtpAddr, dir, ca
}

// addUsers adds mailboxes (password "secret") to the test servers' users file.
func addUsers(t testing.TB, dir string, users ...string) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, "users"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatalf("users file of the mail stack: %v", err)
	}
	for _, u := range users {
		fmt.Fprintf(f, "%s:{PLAIN}secret\n", u)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("users file of the mail stack: %v", err)
	}
	// Dovecot rereads the file when it sees it changed, not at once: wait
	// until the new users can log in, or the first mail to them bounces.
	imapAddr := os.Getenv("SOLLECITO_TEST_IMAP")
	for _, u := range users {
		for i := 0; ; i++ {
			c, err := mailbox.DialIMAP(context.Background(), mailbox.ServerConfig{Addr: imapAddr, Security: "none",
				Username: u, Password: "secret", Timeout: 10 * time.Second}, "INBOX", nil)
			if err == nil {
				c.Close()
				break
			}
			if i == 50 {
				t.Fatalf("new user %s cannot log in: %v", u, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// peer is a person's mailbox on the real servers: the test reads what the
// bot sent them and writes their answers.
type peer struct {
	addr    string
	lastUID uint32
	got     []*mailbox.Message
}

type stack struct {
	t          *testing.T
	imap, smtp mailbox.ServerConfig
}

func (s *stack) cfg(addr string, tmpl mailbox.ServerConfig) mailbox.ServerConfig {
	tmpl.Username, tmpl.Password = addr, "secret"
	return tmpl
}

// read fetches the peer's new messages.
func (s *stack) read(ctx context.Context, p *peer) []*mailbox.Message {
	s.t.Helper()
	c, err := mailbox.DialIMAP(ctx, s.cfg(p.addr, s.imap), "INBOX", nil)
	if err != nil {
		s.t.Fatalf("imap as %s: %v", p.addr, err)
	}
	defer c.Close()
	fs, err := c.Fetch(ctx, p.lastUID, 1000)
	if err != nil {
		s.t.Fatalf("fetch %s: %v", p.addr, err)
	}
	var out []*mailbox.Message
	for _, f := range fs {
		m, err := mailbox.Parse(f.Raw)
		if err != nil {
			s.t.Fatalf("parse mail to %s: %v", p.addr, err)
		}
		out = append(out, m)
		p.lastUID = f.UID
	}
	p.got = append(p.got, out...)
	return out
}

func (s *stack) send(ctx context.Context, from string, to []string, raw []byte) {
	s.t.Helper()
	if err := mailbox.NewSMTP(s.cfg(from, s.smtp), nil).Send(ctx, from, to, raw); err != nil {
		s.t.Fatalf("send as %s: %v", from, err)
	}
}

// botMessages keeps the messages the bot wrote (not the owner's own invoice mail).
func botMessages(ms []*mailbox.Message) []*mailbox.Message {
	var out []*mailbox.Message
	for _, m := range ms {
		if m.Get("X-Sollecito-Template") != "" {
			out = append(out, m)
		}
	}
	return out
}

func templatesOf(ms []*mailbox.Message) []string {
	var out []string
	for _, m := range botMessages(ms) {
		out = append(out, m.Get("X-Sollecito-Template"))
	}
	return out
}

// stackApp is a bot on the real servers: its configuration, the users it
// writes to, and their mailboxes.
type stackApp struct {
	*stack
	cfgPath, bot, owner string
	getenv              func(string) string
	at                  func(name string) string // a fresh address for this run
	smtpAddr            string
	dir                 string // the servers' folder (realStack)
}

// newStackApp adds the bot, the owner and the named users (a fresh address
// each, returned by at) to the real servers and writes the bot's
// configuration; trust is the [owner] line that says how the owner's mail
// is verified.
func newStackApp(t *testing.T, trust string, users ...string) *stackApp {
	t.Helper()
	imapAddr, smtpAddr, dir, ca := realStack(t)
	run := fmt.Sprintf("%d", time.Now().UnixNano()%1_000_000_000)
	at := func(name string) string { return name + "-" + run + "@example.test" }
	bot, owner := at("bot"), at("owner")
	all := []string{bot, owner}
	for _, u := range users {
		all = append(all, at(u))
	}
	addUsers(t, dir, all...)
	security, caLine := "starttls", fmt.Sprintf("ca_file = %q", ca)
	if ca == "" {
		security, caLine = "none", ""
	}
	cfgPath := filepath.Join(t.TempDir(), "sollecito.toml")
	cfgText := fmt.Sprintf(`
[imap]
addr = %q
security = %q
username = %q
password_env = "TEST_PW"
%s
[smtp]
addr = %q
security = %q
username = %q
password_env = "TEST_PW"
%s
[bot]
address = %q
[owner]
name = "Maria Bianchi"
email = [%q]
%s
[business]
name = "Officina Bianchi"
iban = "IT75X0306909606100000117823"
[store]
path = "ledger.db"
`, imapAddr, security, bot, caLine, smtpAddr, security, bot, caLine, bot, owner, trust)
	if err := os.WriteFile(cfgPath, []byte(cfgText), 0o600); err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string {
		if k == "TEST_PW" {
			return "secret"
		}
		return ""
	}
	s := &stack{t: t,
		imap: mailbox.ServerConfig{Addr: imapAddr, Security: security, CAFile: ca, Timeout: 10 * time.Second},
		smtp: mailbox.ServerConfig{Addr: smtpAddr, Security: security, CAFile: ca, Timeout: 10 * time.Second}}
	return &stackApp{stack: s, cfgPath: cfgPath, bot: bot, owner: owner, getenv: getenv, at: at, smtpAddr: smtpAddr, dir: dir}
}

func TestIntegrationCoreLoop(t *testing.T) {
	// The test's Exim checks neither SPF nor DKIM (exim4-daemon-light,
	// loopback only): the owner's mail is taken on the server's word.
	app := newStackApp(t, "trust_server = true", "alfa", "beta", "gamma")
	ctx := context.Background()
	s, cfgPath, getenv, bot, owner, dir := app.stack, app.cfgPath, app.getenv, app.bot, app.owner, app.dir
	a, b, c, gone := app.at("alfa"), app.at("beta"), app.at("gamma"), app.at("gone") // gone has no mailbox: Exim bounces

	loc, _ := time.LoadLocation("Europe/Rome")
	day0 := time.Date(2026, 11, 2, 0, 0, 0, 0, loc) // a Monday
	day := func(n int) time.Time { return day0.AddDate(0, 0, n) }
	cast := []*demoClient{
		{addr: a, company: "Alfa Srl", lang: "it", number: "2026/201", amount: "€ 1.220,00", due: day(14)},
		{addr: b, company: "Beta Snc", lang: "it", number: "2026/202", amount: "€ 850,00", due: day(18)},
		{addr: c, company: "Gamma Spa", lang: "it", number: "2026/203", amount: "€ 2.400,00", due: day(23)},
		{addr: gone, company: "Delta Srl", lang: "it", number: "2026/204", amount: "€ 310,00", due: day(21)},
	}
	for _, cl := range cast {
		raw, err := invoiceMail(owner, bot, cl, day(0).Add(9*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		s.send(ctx, owner, []string{cl.addr, bot}, raw)
	}
	peers := map[string]*peer{owner: {addr: owner}, a: {addr: a}, b: {addr: b}, c: {addr: c}}
	var timeline strings.Builder
	answer := func(from string, m *mailbox.Message, date time.Time, body string) {
		raw := replyMail(from, "", bot, "Re: "+m.Subject, body+"\n\n"+quoteBody(m), date, m)
		s.send(ctx, from, []string{bot}, raw)
		fmt.Fprintf(&timeline, "    %s answers %q: %q\n", from, m.Subject, body)
	}

	const days = 70
	for d := 0; d < days; d++ {
		now := day(d).Add(10 * time.Hour)
		var stderr bytes.Buffer
		code := Main(ctx, []string{"run", "--config", cfgPath, "--once", "--now", now.Format(time.RFC3339)}, &stderr, &stderr, getenv)
		if code != 0 {
			t.Fatalf("run --once --now %s: exit %d\n%s", now.Format(time.RFC3339), code, stderr.String())
		}
		waitDelivered(t, dir)
		tomorrow := day(d + 1).Add(8*time.Hour + 30*time.Minute)
		for _, addr := range []string{a, b, c, owner} {
			for _, m := range s.read(ctx, peers[addr]) {
				tmpl := m.Get("X-Sollecito-Template")
				fmt.Fprintf(&timeline, "%s  %s got %s: %q\n", now.Format("2006-01-02"), addr, tmpl, m.Subject)
				switch {
				case addr == a && tmpl == "stage1":
					answer(a, m, tomorrow, "Buongiorno, ci scusiamo: pagheremo il "+day(d+6).Format("02/01/2006")+".")
				case addr == a && tmpl == "stage2":
					answer(a, m, tomorrow, "Buongiorno, l'importo non corrisponde al preventivo concordato: non paghiamo finché non viene corretta la fattura.")
				case addr == b && tmpl == "stage1":
					answer(b, m, tomorrow, "Buongiorno, abbiamo effettuato ieri il bonifico, CRO 0306912345678901.")
				case addr == c && tmpl == "courtesy":
					answer(c, m, tomorrow, "Buongiorno, non abbiamo mai ricevuto questa fattura, potete inviarcela di nuovo?")
				case addr == owner && tmpl == "confirm_payment":
					answer(owner, m, tomorrow, "pagata")
				}
			}
		}
		waitDelivered(t, dir)
	}
	t.Logf("timeline:\n%s", timeline.String())
	if f := os.Getenv("SOLLECITO_TIMELINE"); f != "" {
		os.WriteFile(f, []byte(timeline.String()), 0o644)
	}

	if got, want := templatesOf(peers[a].got), []string{"courtesy", "stage1", "promise_missed", "stage2"}; !slices.Equal(got, want) {
		t.Errorf("client a got %v, want %v", got, want)
	}
	if got, want := templatesOf(peers[b].got), []string{"courtesy", "stage1"}; !slices.Equal(got, want) {
		t.Errorf("client b got %v, want %v", got, want)
	}
	cGot := templatesOf(peers[c].got)
	if len(cGot) < 2 || cGot[0] != "courtesy" || cGot[1] != "resend" {
		t.Errorf("client c got %v, want courtesy then resend first", cGot)
	} else if m := botMessages(peers[c].got)[1]; len(m.Attachments) == 0 || !strings.HasSuffix(m.Attachments[0].Filename, ".pdf") {
		t.Errorf("the resent invoice has no PDF attachment: %+v", m.Attachments)
	}
	ownerGot := templatesOf(peers[owner].got)
	for _, want := range []string{"forward_dispute", "confirm_payment", "command_done", "bounce_alert"} {
		if !slices.Contains(ownerGot, want) {
			t.Errorf("owner never got %s; got %v", want, ownerGot)
		}
	}
	for addr, p := range peers {
		seen := map[string]bool{}
		for _, m := range p.got {
			if seen[m.MessageID] {
				t.Errorf("%s got message %s twice", addr, m.MessageID)
			}
			seen[m.MessageID] = true
		}
	}

	var out, errb bytes.Buffer
	if code := Main(ctx, []string{"status", "--config", cfgPath, "--now", day(days).Format("2006-01-02")}, &out, &errb, getenv); code != 0 {
		t.Fatalf("status: %d %s", code, errb.String())
	}
	t.Logf("status:\n%s", out.String())
	status := out.String()
	for _, want := range []string{"2026/201", "contestata", "2026/202", "pagata"} {
		if !strings.Contains(status, want) {
			t.Errorf("status lacks %q:\n%s", want, status)
		}
	}
}

// waitDelivered waits until Exim's queue is empty, so that what was sent has
// reached Dovecot (or bounced).
func waitDelivered(t *testing.T, dir string) {
	t.Helper()
	spool := filepath.Join(dir, "exim", "spool", "input")
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		n := 0
		filepath.WalkDir(spool, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, "-H") {
				// A frozen message (a bounce nobody can take) never leaves.
				if h, err := os.ReadFile(p); err == nil && !bytes.Contains(h, []byte("\n-frozen ")) {
					n++
				}
			}
			return nil
		})
		if n == 0 {
			time.Sleep(50 * time.Millisecond) // LMTP hand-off to Dovecot completes
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("exim queue not empty after 10s")
}
