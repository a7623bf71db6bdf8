package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/mailsim"
)

// TestNoPasswordInOutput runs check and run --once -v with a wrong password
// (and then the right one) against the in-process servers, then the daemon
// with its web page, which gets a wrong and the right [http] login, and
// looks for any password — IMAP/SMTP, [pec] (refused by the server, so its
// failure path is taken) and [http] — anywhere in what the program wrote:
// stdout, stderr (the log) and the ledger file.
func TestNoPasswordInOutput(t *testing.T) {
	const right, wrong = "Right-Pa55word-7f3e", "Wrong-Pa55word-9c1d"
	const pecPW, httpPW, httpWrong = "Pec-Pa55word-41b8", "Http-Pa55word-d07a", "Http-Wr0ng-Pa55-5e2c"
	secrets := []string{right, wrong, pecPW, httpPW, httpWrong}
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
[pec]
addr = %q
security = "none"
username = "bot@studio.test"
password_env = "PEC_PW"
address = "studio@pec.studio.test"
[http]
username = "owner"
password_env = "HTTP_PW"
[bot]
address = "bot@studio.test"
[owner]
name = "Owner"
email = ["owner@studio.test"]
authserv_id = %q
[business]
name = "Studio"
iban = "IT75X0306909606100000117823"
[store]
path = "l.db"
`, sim.IMAPAddr, sim.SMTPAddr, sim.SMTPAddr, sim.AuthServID)
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, pw := range []string{wrong, right} {
		getenv := func(k string) string {
			return map[string]string{"PW": pw, "PEC_PW": pecPW, "HTTP_PW": httpPW}[k]
		}
		for _, args := range [][]string{{"check", "--config", cfg}, {"run", "--once", "-v", "--config", cfg, "--now", "2026-11-02"}} {
			var o, e bytes.Buffer
			code := Main(context.Background(), args, &o, &e, getenv)
			if pw == wrong && code == 0 {
				t.Errorf("%v with a wrong password exited 0", args)
			}
			all := o.String() + e.String()
			for _, secret := range secrets {
				if strings.Contains(all, secret) {
					t.Errorf("%v printed a password:\n%s", args, all)
				}
			}
			if pw == wrong && !strings.Contains(all, sim.IMAPAddr) {
				t.Errorf("%v with a wrong password does not name the server:\n%s", args, all)
			}
		}
	}
	if all := daemonWithWeb(t, cfg, httpWrong, httpPW, func(k string) string {
		return map[string]string{"PW": right, "PEC_PW": pecPW, "HTTP_PW": httpPW}[k]
	}); true {
		for _, secret := range secrets {
			if strings.Contains(all, secret) {
				t.Errorf("the daemon with its web page printed a password:\n%s", all)
			}
		}
	}
	for _, name := range []string{"l.db", "l.db-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		for _, secret := range secrets {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s holds a password", name)
			}
		}
	}
}

// lockedBuffer is a bytes.Buffer safe for one writer and one reader.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// daemonWithWeb runs `run -v --http` until its page has answered a login
// with the wrong password (401) and one with the right password (200), then
// stops it, and returns all it wrote.
func daemonWithWeb(t *testing.T, cfg, wrongPW, rightPW string, getenv func(string) string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var o, e lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"run", "-v", "--http", "127.0.0.1:0", "--config", cfg, "--now", "2026-11-02"}, &o, &e, getenv)
	}()
	urlRE := regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+/`)
	var url string
	for deadline := time.Now().Add(20 * time.Second); url == "" && time.Now().Before(deadline); {
		url = urlRE.FindString(e.String())
		time.Sleep(20 * time.Millisecond)
	}
	if url == "" {
		cancel()
		<-done
		t.Fatalf("the web page did not start:\n%s", e.String())
	}
	for _, tc := range []struct {
		pw   string
		want int
	}{{wrongPW, http.StatusUnauthorized}, {rightPW, http.StatusOK}} {
		req, _ := http.NewRequest("GET", url, nil)
		req.SetBasicAuth("owner", tc.pw)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("web page login: %d, want %d", resp.StatusCode, tc.want)
		}
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("daemon exited %d:\n%s", code, e.String())
	}
	return o.String() + e.String()
}

// TestCheckSuggestsSince: check says how many messages the folder holds
// and, from 2,000 on, suggests run.since; with run.since set it does not.
func TestCheckSuggestsSince(t *testing.T) {
	sim, err := mailsim.Start("bot@studio.test", "pw")
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	at := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := range manyMessages {
		raw := fmt.Sprintf("From: a%d@x.test\r\nTo: bot@studio.test\r\nSubject: old %d\r\nMessage-ID: <old%d@x.test>\r\n\r\nold mail\r\n", i, i, i)
		if err := sim.Deliver([]byte(raw), at); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	for _, since := range []string{"", `since = "2026-11-01"`} {
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
[run]
%s
[bot]
address = "bot@studio.test"
[owner]
name = "Owner"
email = ["owner@studio.test"]
[business]
name = "Studio"
iban = "IT75X0306909606100000117823"
[store]
path = "l.db"
`, sim.IMAPAddr, sim.SMTPAddr, since)
		if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		var o, e bytes.Buffer
		if code := Main(context.Background(), []string{"check", "--config", cfg}, &o, &e, func(string) string { return "pw" }); code != 0 {
			t.Fatalf("check exited %d:\n%s%s", code, o.String(), e.String())
		}
		warned := strings.Contains(o.String(), "set run.since")
		if !strings.Contains(o.String(), fmt.Sprintf("%d messages", manyMessages)) || warned != (since == "") {
			t.Errorf("since %q: check said:\n%s", since, o.String())
		}
	}
}
