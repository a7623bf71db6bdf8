package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/mailsim"
)

// simConfig writes a configuration for the binary against the in-process
// mail system, through the given IMAP and SMTP addresses.
func simConfig(t *testing.T, sim *mailsim.Server, imapAddr, smtpAddr string) (cfgPath, dbPath string) {
	t.Helper()
	dir := t.TempDir()
	cfgPath, dbPath = filepath.Join(dir, "s.toml"), filepath.Join(dir, "ledger.db")
	cfg := fmt.Sprintf(`[imap]
addr = %q
security = "none"
username = %q
password = %q
timeout = "5s"
[smtp]
addr = %q
security = "none"
username = %q
password = %q
timeout = "5s"
[bot]
address = %q
[owner]
name = "Maria Bianchi"
email = ["owner@studio.test"]
trust_server = true
[business]
name = "Officina Bianchi"
iban = "IT60X0542811101000000123456"
[store]
path = "ledger.db"
[run]
poll_interval = "10s"
`, imapAddr, sim.Bot, sim.Password, smtpAddr, sim.Bot, sim.Password, sim.Bot)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfgPath, dbPath
}

// deliverInvoices puts n invoice mails from the owner, the bot copied, in
// the bot's mailbox; each client's courtesy notice is due on 2026-11-11.
func deliverInvoices(t *testing.T, sim *mailsim.Server, n int) {
	t.Helper()
	loc, _ := time.LoadLocation("Europe/Rome")
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, loc)
	for i := 0; i < n; i++ {
		cl := &demoClient{addr: fmt.Sprintf("c%d@client%d.test", i, i), company: fmt.Sprintf("Cliente %d Srl", i), lang: "it",
			number: fmt.Sprintf("2026/4%02d", i), amount: "€ 100,00", due: time.Date(2026, 11, 18, 0, 0, 0, 0, loc)}
		raw, err := invoiceMail("owner@studio.test", sim.Bot, cl, at)
		if err != nil {
			t.Fatal(err)
		}
		raw = append([]byte("Authentication-Results: mx.studio.test; spf=pass smtp.mailfrom=owner@studio.test\r\n"), raw...)
		if err := sim.Deliver(raw, at); err != nil {
			t.Fatal(err)
		}
	}
}

// SIGTERM while a message is being sent: that message is finished and
// recorded, the rest wait, and the daemon exits 0.
func TestSIGTERMFinishesMessageInHand(t *testing.T) {
	sim, err := mailsim.Start("bot@studio.test", "pw")
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	deliverInvoices(t, sim, 3)
	smtpProxy := startProxy(t, sim.SMTPAddr)
	cfgPath, dbPath := simConfig(t, sim, sim.IMAPAddr, smtpProxy.addr())
	cmd := exec.Command(binary(t), "run", "--config", cfgPath, "--now", "2026-11-11")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The first MAIL FROM: the daemon is sending; SIGTERM it, then let the
	// exchange go on.
	tr := newTrigger("sigterm mid-send", toServer, "MAIL FROM", "", false, func() {
		cmd.Process.Signal(syscall.SIGTERM)
		time.Sleep(200 * time.Millisecond)
	})
	tr.cont = true
	smtpProxy.arm(tr)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("daemon after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("daemon still running 30s after SIGTERM\n%s", stderr.String())
	}
	select {
	case <-tr.fired:
	default:
		t.Fatalf("the daemon never sent anything\n%s", stderr.String())
	}
	if n := len(sim.Delivered()); n != 1 {
		t.Errorf("%d messages delivered, want 1 (the one in hand)", n)
	}
	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var sent, doubt, waiting int
	db.QueryRow(`SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL`).Scan(&sent)
	db.QueryRow(`SELECT count(*) FROM outbox WHERE sent_at IS NULL AND attempted_at IS NOT NULL`).Scan(&doubt)
	db.QueryRow(`SELECT count(*) FROM outbox WHERE sent_at IS NULL AND attempted_at IS NULL AND failed = 0`).Scan(&waiting)
	if sent != 1 || doubt != 0 || waiting != 2 {
		t.Errorf("outbox after SIGTERM: %d sent, %d in doubt, %d waiting; want 1, 0, 2", sent, doubt, waiting)
	}
	if !strings.Contains(stderr.String(), "sollecito stopped") {
		t.Errorf("no clean stop in the log:\n%s", stderr.String())
	}
}

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// run --once against a server it cannot reach exits 1 and says which
// server and why.
func TestRunOnceUnreachable(t *testing.T) {
	sim, err := mailsim.Start("bot@studio.test", "pw")
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	deliverInvoices(t, sim, 1)
	down := closedAddr(t)
	for _, tt := range []struct {
		name       string
		imap, smtp string
	}{
		{"imap", down, sim.SMTPAddr},
		{"smtp", sim.IMAPAddr, down},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfgPath, _ := simConfig(t, sim, tt.imap, tt.smtp)
			cmd := exec.Command(binary(t), "run", "--config", cfgPath, "--once", "--now", "2026-11-11")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			ee, ok := err.(*exec.ExitError)
			if !ok || ee.ExitCode() != 1 {
				t.Fatalf("run --once against a closed %s port: %v, want exit 1\n%s", tt.name, err, stderr.String())
			}
			last := lastLine(stderr.String())
			for _, want := range []string{strings.ToUpper(tt.name) + " server " + down, "connection refused"} {
				if !strings.Contains(last, want) {
					t.Errorf("the error %q does not say %q", last, want)
				}
			}
		})
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// proxiedDaemon is `sollecito run` (the daemon) reading the in-process
// mail server through a proxy that the test can arm and cut.
type proxiedDaemon struct {
	t      *testing.T
	sim    *mailsim.Server
	proxy  *faultProxy
	cmd    *exec.Cmd
	stderr bytes.Buffer
	dbPath string
}

// startProxiedDaemon starts the daemon once before has prepared the mail
// server and armed the proxy's first triggers.
func startProxiedDaemon(t *testing.T, before func(sim *mailsim.Server, p *faultProxy)) *proxiedDaemon {
	t.Helper()
	sim, err := mailsim.Start("bot@studio.test", "pw")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	d := &proxiedDaemon{t: t, sim: sim, proxy: startProxy(t, sim.IMAPAddr)}
	var cfgPath string
	cfgPath, d.dbPath = simConfig(t, sim, d.proxy.addr(), sim.SMTPAddr)
	before(sim, d.proxy)
	d.cmd = exec.Command(binary(t), "run", "--config", cfgPath, "--now", "2026-11-02T11:00:00+01:00")
	d.cmd.Stderr = &d.stderr
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.cmd.Process.Kill() })
	return d
}

// armIdle arms a trigger that fires when the daemon next sends IDLE.
func armIdle(p *faultProxy) *trigger {
	tr := newTrigger("idle", toServer, "IDLE\r\n", "", true, func() {})
	tr.cont = true
	p.arm(tr)
	return tr
}

// wait fails the test unless tr fires within 20 s.
func (d *proxiedDaemon) wait(tr *trigger, what string) {
	d.t.Helper()
	select {
	case <-tr.fired:
	case <-time.After(20 * time.Second):
		d.t.Fatalf("%s: not within 20s\n%s", what, d.stderr.String())
	}
}

// reconnected fails the test unless the daemon connected again after cut, and logs how soon.
func (d *proxiedDaemon) reconnected(cut time.Time, what string) {
	d.t.Helper()
	back := d.proxy.acceptsSince(cut)
	if len(back) == 0 {
		d.t.Fatalf("no new connection after the %s", what)
	}
	d.t.Logf("reconnected %v after the %s (%d connection attempts)", back[0].Sub(cut).Round(time.Millisecond), what, len(back))
}

// stop sends SIGTERM, expects exit 0, and returns what each count query
// gives on the ledger.
func (d *proxiedDaemon) stop(counts ...string) []int {
	d.t.Helper()
	d.cmd.Process.Signal(syscall.SIGTERM)
	if err := d.cmd.Wait(); err != nil {
		d.t.Fatalf("daemon: %v\n%s", err, d.stderr.String())
	}
	db, err := sql.Open("sqlite", d.dbPath)
	if err != nil {
		d.t.Fatal(err)
	}
	defer db.Close()
	n := make([]int, len(counts))
	for i, q := range counts {
		if err := db.QueryRow(q).Scan(&n[i]); err != nil {
			d.t.Fatalf("%s: %v", q, err)
		}
	}
	return n
}

// The daemon's IMAP connection cut mid-IDLE: it reconnects (backoff with
// jitter, first wait about a second) and handles mail that arrived
// meanwhile, once.
func TestDaemonReconnectsAfterCut(t *testing.T) {
	var first *trigger
	d := startProxiedDaemon(t, func(_ *mailsim.Server, p *faultProxy) { first = armIdle(p) })
	d.wait(first, "first session: IDLE")
	second := armIdle(d.proxy)
	cut := time.Now()
	d.proxy.cut()
	deliverInvoices(t, d.sim, 1) // arrives while the bot is away
	d.wait(second, "after the cut: IDLE")
	d.reconnected(cut, "cut")
	n := d.stop(`SELECT count(*) FROM events WHERE kind = 'intake'`)
	if n[0] != 1 {
		t.Errorf("%d intake events after the reconnect, want 1\n%s", n[0], d.stderr.String())
	}
}

// A connection cut in the middle of a message body (the FETCH literal half
// received) in daemon mode: the daemon reconnects, fetches the message
// again whole and takes it in once.
func TestDaemonReconnectsAfterCutMidFetch(t *testing.T) {
	var midFetch *trigger
	d := startProxiedDaemon(t, func(sim *mailsim.Server, p *faultProxy) {
		deliverInvoices(t, sim, 1)
		// The cut: the body's header has begun to arrive, up to "Subject:".
		midFetch = newTrigger("mid-fetch", toClient, "\r\nSubject:", "BODY.PEEK[]", false, func() {})
		midFetch.partial = true
		p.arm(midFetch)
	})
	d.wait(midFetch, "cut in the middle of the body")
	cut := time.Now()
	idle := armIdle(d.proxy)
	d.wait(idle, "IDLE after the cut")
	d.reconnected(cut, "mid-fetch cut")
	n := d.stop(`SELECT count(*) FROM events WHERE kind = 'intake'`, `SELECT count(*) FROM messages`)
	if n[0] != 1 {
		t.Errorf("%d intake events after the mid-fetch cut, want 1\n%s", n[0], d.stderr.String())
	}
	if n[1] != 1 {
		t.Errorf("%d messages in the ledger after the mid-fetch cut, want 1 (a half-read body must not be recorded)\n%s", n[1], d.stderr.String())
	}
}
