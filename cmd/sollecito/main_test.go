package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/config"
)

func corpus(t *testing.T, sub string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpus", sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus not found at %s", dir)
	}
	return dir
}

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = Main(context.Background(), args, &o, &e, func(string) string { return "" })
	return code, o.String(), e.String()
}

func TestClassifyAndExtractLines(t *testing.T) {
	replies, invoices := corpus(t, "replies"), corpus(t, "invoices")
	code, out, errs := run(t, "classify", filepath.Join(replies, "r001.eml"), "/nonexistent.eml", filepath.Join(replies, "r005.eml"))
	if code != 1 {
		t.Errorf("classify with a missing file: exit %d, want 1", code)
	}
	if !strings.Contains(errs, "/nonexistent.eml") {
		t.Errorf("stderr does not name the missing file: %q", errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines for the 2 readable files, got %q", out)
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(lines[1]), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"file", "kind", "promised_date", "redirect_to"} {
		if _, ok := got[k]; !ok {
			t.Errorf("classify line lacks %q: %s", k, lines[1])
		}
	}
	if got["kind"] != "promise" || got["promised_date"] != "2026-11-13" {
		t.Errorf("r005: got %s", lines[1])
	}

	code, out, _ = run(t, "extract", filepath.Join(invoices, "i001.eml"))
	if code != 0 {
		t.Fatalf("extract exit %d", code)
	}
	var inv map[string]string
	if err := json.Unmarshal([]byte(out), &inv); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"number": "14/2027", "issue_date": "2027-02-05", "due_date": "2027-02-28", "amount": "1037.00", "currency": "EUR", "client_email": "giulio.benassi@gmail.com"}
	for k, v := range want {
		if inv[k] != v {
			t.Errorf("extract %s = %q, want %q", k, inv[k], v)
		}
	}
}

// TestExtractExplainStdinBinary: --explain says where each field came
// from and why one is empty; "-" reads standard input; a binary file is one
// clear line on stderr, never its bytes.
func TestExtractExplainStdinBinary(t *testing.T) {
	mail := "From: Mario <mario@studio.example>\r\nTo: Bar <amm@cliente.example>\r\nCc: bot@studio.example\r\n" +
		"Subject: FATTURA N. 2026/118 del 01/12/2026\r\nDate: Tue, 01 Dec 2026 10:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		"TOTALE EUR 1.830,00\r\nScadenza 03/03/2027, pagamento 90 gg d.f.\r\n"
	old := stdin
	stdin = strings.NewReader(mail)
	defer func() { stdin = old }()
	code, out, errs := run(t, "extract", "--explain", "-")
	if code != 0 {
		t.Fatalf("extract -: exit %d, %s", code, errs)
	}
	var got struct {
		File, Number, DueDate string
		From                  map[string]string
		Why                   map[string]string
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.File != "-" || got.Number != "2026/118" || got.From["number"] != "subject" || got.From["amount"] != "body" {
		t.Errorf("got %s", out)
	}
	if !strings.Contains(got.Why["due_date"], "disagree") {
		t.Errorf("the empty due date is not explained: %s", out)
	}
	bin := filepath.Join(t.TempDir(), "photo.jpg")
	if err := os.WriteFile(bin, []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x02\x1b[31m"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs = run(t, "extract", bin)
	if code != 1 || out != "" || !strings.Contains(errs, "photo.jpg: not a mail message (binary data)") || strings.ContainsAny(errs, "\x00\xff") {
		t.Errorf("binary file: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestInitNeverOverwrites(t *testing.T) {
	p := filepath.Join(t.TempDir(), "s.toml")
	if code, _, errs := run(t, "init", p); code != 0 {
		t.Fatalf("init: %d %s", code, errs)
	}
	if err := os.WriteFile(p, []byte("# mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := run(t, "init", p)
	if code == 0 || !strings.Contains(errs, "not overwritten") {
		t.Errorf("second init: exit %d, %q", code, errs)
	}
	if b, _ := os.ReadFile(p); string(b) != "# mine\n" {
		t.Errorf("init overwrote the file")
	}
}

func TestBadConfigurationNamesKeys(t *testing.T) {
	p := filepath.Join(t.TempDir(), "s.toml")
	if code, _, _ := run(t, "init", p); code != 0 {
		t.Fatal("init failed")
	}
	code, _, errs := run(t, "check", "--config", p)
	if code != 1 {
		t.Errorf("check without passwords: exit %d, want 1", code)
	}
	for _, want := range []string{p, "imap.password_env", "SOLLECITO_IMAP_PASSWORD", "smtp.password_env"} {
		if !strings.Contains(errs, want) {
			t.Errorf("check's message lacks %q:\n%s", want, errs)
		}
	}
	if code, _, errs := run(t, "run"); code != 2 || !strings.Contains(errs, "--config") {
		t.Errorf("run without --config: exit %d %q", code, errs)
	}
	if code, _, _ := run(t, "frobnicate"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
}

func TestDemoRuns(t *testing.T) {
	code, out, errs := run(t, "demo", "--days", "40")
	if code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, errs)
	}
	for _, want := range []string{"intake", "courtesy", "reply:not_received", "reply:payment_proof", "command:paid", "FATTURA", "pagata"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
}

func TestDemoShowsMessages(t *testing.T) {
	code, out, errs := run(t, "demo", "--days", "8", "--show", "summary")
	if code != 0 {
		t.Fatalf("demo --show summary: exit %d\n%s", code, errs)
	}
	for _, want := range []string{
		"● summary: weekly summary for the owner, covering 2026-11-02 10:00 to 2026-11-09 10:00",
		"    ┌──── [Sollecito] Riepilogo settimanale al 09/11/2026",
		"    │ FATTURE APERTE PER GIORNI DI RITARDO",
		"    └────",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo --show summary output lacks %q", want)
		}
	}
	if strings.Count(out, "┌────") != 1 {
		t.Errorf("demo --show summary printed %d messages in full, want the one summary", strings.Count(out, "┌────"))
	}
	if code, _, errs := run(t, "demo", "--days", "1", "--show", "summary,nonesuch"); code != 2 || !strings.Contains(errs, "nonesuch") {
		t.Errorf("demo --show nonesuch: exit %d %q, want 2 naming it", code, errs)
	}
}

// TestHelp: every command's --help prints its usage and flags and exits 0;
// a bad flag prints them on stderr and exits 2; the top-level usage names
// every flag of every command.
func TestHelp(t *testing.T) {
	flagLine := regexp.MustCompile(`(?m)^  -(\w+)`)
	_, top, _ := run(t, "help")
	for cmd := range synopsis {
		for _, h := range []string{"--help", "-h"} {
			code, out, errs := run(t, cmd, h)
			if code != 0 || errs != "" || !strings.HasPrefix(out, "usage: sollecito "+cmd) {
				t.Errorf("%s %s: exit %d, stdout %q, stderr %q", cmd, h, code, out, errs)
			}
		}
		_, out, _ := run(t, cmd, "--help")
		flags := flagLine.FindAllStringSubmatch(out, -1)
		for _, f := range flags {
			if !strings.Contains(out, "usage: ") || !strings.Contains(synopsis[cmd], "-"+f[1]) {
				t.Errorf("%s: flag -%s missing from its usage line %q", cmd, f[1], synopsis[cmd])
			}
			if !strings.Contains(top, "-"+f[1]) {
				t.Errorf("%s: flag -%s missing from the top-level usage", cmd, f[1])
			}
		}
		if !strings.Contains(top, "  "+strings.TrimPrefix(synopsis[cmd], "sollecito ")+"\n") {
			t.Errorf("top-level usage lacks %q", synopsis[cmd])
		}
		code, out, errs := run(t, cmd, "--no-such-flag")
		if code != 2 || out != "" || !strings.Contains(errs, "no-such-flag") || !strings.Contains(errs, "usage: sollecito "+cmd) {
			t.Errorf("%s --no-such-flag: exit %d, stdout %q, stderr %q", cmd, code, out, errs)
		}
		if len(flags) > 0 && !strings.Contains(errs, "flags:\n") {
			t.Errorf("%s --no-such-flag: the flags are not listed: %q", cmd, errs)
		}
	}
}

// TestDemoRefusesNonsense: a negative number of days or a weekend start is
// a usage error, not a silent empty demo.
func TestDemoRefusesNonsense(t *testing.T) {
	for _, args := range [][]string{{"demo", "--days", "-5"}, {"demo", "--days", "0"}, {"demo", "--start", "2026-11-07"}} {
		code, _, errs := run(t, args...)
		if code != 2 || errs == "" {
			t.Errorf("%v: exit %d, stderr %q; want a usage error", args, code, errs)
		}
	}
}

// brokenPipe takes n bytes, then fails as a pipe whose reader went away.
type brokenPipe struct{ n int }

func (b *brokenPipe) Write(p []byte) (int, error) {
	if b.n <= 0 {
		return 0, syscall.EPIPE
	}
	b.n -= len(p)
	return len(p), nil
}

// TestDemoCleansUpWhenTheReaderGoes: `demo | head` ends the demo quietly and
// leaves no folder behind (its configuration holds passwords); --keep keeps
// the ledger and says how to look at it.
func TestDemoCleansUpWhenTheReaderGoes(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var errs bytes.Buffer
	code := Main(context.Background(), []string{"demo"}, &brokenPipe{n: 500}, &errs, func(string) string { return "" })
	if code != 0 || errs.Len() != 0 {
		t.Errorf("demo into a closed pipe: exit %d, stderr %q", code, errs.String())
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("the demo left %d entries in TMPDIR", len(left))
	}
	keep := filepath.Join(t.TempDir(), "kept")
	code, out, e := run(t, "demo", "--days", "10", "--keep", keep)
	if code != 0 || !strings.Contains(out, "sollecito status --config "+filepath.Join(keep, "demo.toml")) {
		t.Fatalf("demo --keep: exit %d, stderr %q, stdout ends %q", code, e, out[max(0, len(out)-300):])
	}
	if code, out, e := run(t, "status", "--config", filepath.Join(keep, "demo.toml"), "--now", "2026-11-12"); code != 0 || !strings.Contains(out, "2026/101") {
		t.Errorf("status on the kept demo: exit %d %q %q", code, out, e)
	}
}

// TestVersion: --version names the build and exits 0.
func TestVersion(t *testing.T) {
	for _, arg := range []string{"--version", "version"} {
		if code, out, _ := run(t, arg); code != 0 || !strings.HasPrefix(out, "sollecito ") || !strings.Contains(out, "go1.") {
			t.Errorf("%s: exit %d, %q", arg, code, out)
		}
	}
}

// TestCheckRefusesPlaceholders: check on the untouched example fails on
// its placeholder values (the sample IBAN above all) before dialling any
// server.
func TestCheckRefusesPlaceholders(t *testing.T) {
	p := filepath.Join(t.TempDir(), "s.toml")
	if code, _, _ := run(t, "init", p); code != 0 {
		t.Fatal("init failed")
	}
	var out, errb bytes.Buffer
	env := func(k string) string {
		if strings.HasSuffix(k, "_PASSWORD") {
			return "pw"
		}
		return ""
	}
	code := Main(context.Background(), []string{"check", "--config", p}, &out, &errb, env)
	if code != 1 {
		t.Fatalf("check of the example: exit %d\n%s%s", code, out.String(), errb.String())
	}
	for _, want := range []string{"placeholder: business.iban", "placeholder: bot.address", "placeholder: imap.addr", "placeholder: owner.email",
		`placeholder: clients."amministrazione@rossi.example"`, "example configuration"} {
		if !strings.Contains(out.String()+errb.String(), want) {
			t.Errorf("check lacks %q:\n%s%s", want, out.String(), errb.String())
		}
	}
	if strings.Contains(out.String(), "imap imap.example.com") {
		t.Errorf("check dialled the example's server:\n%s", out.String())
	}
}

// TestOwnerVerification: check reads the owner's latest mail and says what
// the receiving server vouched for, whether the bot obeys it with the
// configured authserv-id, and the line to set when none is.
func TestOwnerVerification(t *testing.T) {
	parse := func(extra string) *config.Config {
		t.Helper()
		text := "[imap]\naddr = \"127.0.0.1:1\"\nsecurity = \"none\"\nusername = \"b\"\npassword = \"x\"\n[smtp]\naddr = \"127.0.0.1:2\"\nsecurity = \"none\"\nusername = \"b\"\npassword = \"x\"\n" +
			"[bot]\naddress = \"bot@studio.test\"\n[owner]\nname = \"O\"\nemail = [\"maria@studio.test\"]\n" + extra + "\n[business]\nname = \"S\"\niban = \"IT75X0306909606100000117823\"\n"
		c, err := config.Parse(text, "c.toml", func(string) string { return "" }, true)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	owner := []byte("Authentication-Results: mx.studio.test; spf=pass smtp.mailfrom=maria@studio.test; dkim=pass header.d=studio.test\r\n" +
		"Received: from x by mx.studio.test\r\nFrom: Maria <maria@studio.test>\r\nDate: Mon, 30 Nov 2026 09:00:00 +0100\r\nSubject: pagata\r\n\r\n")
	other := []byte("From: someone@else.test\r\nSubject: hi\r\n\r\n")
	out := ownerVerification(parse(""), [][]byte{other, owner})
	for _, want := range []string{"owner mail from maria@studio.test", "topmost, added by mx.studio.test: spf=pass smtp.mailfrom=maria@studio.test; dkim=pass header.d=studio.test",
		`authserv_id = "mx.studio.test"`} {
		if !strings.Contains(out, want) {
			t.Errorf("no authserv_id set: lacks %q:\n%s", want, out)
		}
	}
	if out := ownerVerification(parse(`authserv_id = "other.test"`), [][]byte{owner}); !strings.Contains(out, "NOT verified") || !strings.Contains(out, `authserv_id = "mx.studio.test"`) {
		t.Errorf("a wrong authserv_id:\n%s", out)
	}
	if out := ownerVerification(parse(`authserv_id = "mx.studio.test"`), [][]byte{owner}); !strings.Contains(out, "verified, the bot obeys it") || strings.Contains(out, "set in [owner]") {
		t.Errorf("the right authserv_id:\n%s", out)
	}
	if out := ownerVerification(parse(""), [][]byte{other}); !strings.Contains(out, "no mail from the owner's addresses") {
		t.Errorf("no owner mail:\n%s", out)
	}
}
