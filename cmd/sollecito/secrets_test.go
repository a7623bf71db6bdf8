package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/mailsim"
)

// TestNoPasswordInOutput runs check and run --once -v with a wrong password
// (and then the right one) against the in-process servers, and looks for
// either password anywhere in what the program wrote: stdout, stderr (the
// log) and the ledger file.
func TestNoPasswordInOutput(t *testing.T) {
	const right, wrong = "Right-Pa55word-7f3e", "Wrong-Pa55word-9c1d"
	sim, err := mailsim.Start("bot@studio.test", right)
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "s.toml")
	text := fmt.Sprintf(`
[imap]
addr = %q
security = "none"
username = "bot@studio.test"
password_env = "PW"
[smtp]
addr = %q
security = "none"
username = "bot@studio.test"
password_env = "PW"
[bot]
address = "bot@studio.test"
[owner]
name = "Owner"
email = ["owner@studio.test"]
authserv_id = %q
[business]
name = "Studio"
iban = "IT60X0542811101000000123456"
[store]
path = "l.db"
`, sim.IMAPAddr, sim.SMTPAddr, sim.AuthServID)
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, pw := range []string{wrong, right} {
		getenv := func(k string) string {
			if k == "PW" {
				return pw
			}
			return ""
		}
		for _, args := range [][]string{{"check", "--config", cfg}, {"run", "--once", "-v", "--config", cfg, "--now", "2026-11-02"}} {
			var o, e bytes.Buffer
			code := Main(context.Background(), args, &o, &e, getenv)
			if pw == wrong && code == 0 {
				t.Errorf("%v with a wrong password exited 0", args)
			}
			all := o.String() + e.String()
			for _, secret := range []string{right, wrong} {
				if strings.Contains(all, secret) {
					t.Errorf("%v printed a password:\n%s", args, all)
				}
			}
			if pw == wrong && !strings.Contains(all, sim.IMAPAddr) {
				t.Errorf("%v with a wrong password does not name the server:\n%s", args, all)
			}
		}
	}
	for _, name := range []string{"l.db", "l.db-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		if bytes.Contains(b, []byte(right)) || bytes.Contains(b, []byte(wrong)) {
			t.Errorf("%s holds a password", name)
		}
	}
}
