package main

// Crash safety, proven: the real binary against Dovecot and Exim (see
// integration_test.go for how to start them) over a simulated timeline,
// SIGKILLed at protocol points found by a proxy in the byte stream
// (proxy_test.go) and at random moments, restarted until each day's run
// exits 0, then checked against a reference run with no kills: nothing
// sent twice (Message-IDs counted in the receiving maildirs), no copy twice
// in the bot's Sent folder, no reply lost
// or acted on twice (ledger messages and events), no invoice stuck, the same
// final states.
//
//	SOLLECITO_CRASH_RUNS=N   N killed timelines, kill points shuffled, more random kills (default 1)
//
// The daemon's reconnects (connection cut while idle, and in the middle of
// a message body) are in exit_test.go, over a proxy; Dovecot itself is not
// restarted, as CI shares it with other packages' tests.

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sollecito/sollecito/mailbox"

	_ "modernc.org/sqlite"
)

// buildBinary builds the sollecito command once per test binary.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "sollecito-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "sollecito")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

func binary(t *testing.T) string {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// killPoint is where a run is killed: a pattern in the IMAP or SMTP byte
// stream, or a delay after the start.
type killPoint struct {
	name    string
	proto   string // "imap", "smtp", or "" for a delay
	dir     int
	pattern string
	prior   string
	after   bool
	delay   time.Duration
	// walBytes > 0: killed when the ledger's -wal file passes this size.
	walBytes int64
}

var protocolKillPoints = []killPoint{
	{name: "imap: FETCH response in flight (mid-fetch)", proto: "imap", dir: toClient, pattern: "FETCH ("},
	{name: "imap: before the handled flag (STORE)", proto: "imap", dir: toServer, pattern: "STORE"},
	{name: "smtp: between decision and send (MAIL FROM)", proto: "smtp", dir: toServer, pattern: "MAIL FROM"},
	{name: "smtp: mid-DATA (message not terminated)", proto: "smtp", dir: toServer, pattern: "\r\n\r\n", prior: "DATA\r\n"},
	{name: "smtp: data terminator at the server, final 250 not relayed", proto: "smtp", dir: toServer, pattern: "\r\n.\r\n", after: true},
	{name: "smtp: right after the final 250 relayed", proto: "smtp", dir: toClient, pattern: "250 ", prior: "\r\n.\r\n", after: true},
	{name: "imap: mid-append to Sent (APPEND command sent)", proto: "imap", dir: toServer, pattern: "APPEND", after: true},
	{name: "imap: append stored, its OK not relayed", proto: "imap", dir: toClient, pattern: "[APPENDUID", prior: "APPEND"},
}

// crashWorld is one timeline: its own users on the shared servers, its own
// ledger, the proxies the binary talks through.
type crashWorld struct {
	t       *testing.T
	name    string
	bin     string
	dir     string // the mail stack's folder
	s       *stack
	bot     string
	owner   string
	cast    []*demoClient
	roles   map[string]string // address → role name, for comparing runs
	peers   map[string]*peer
	cfgPath string
	dbPath  string
	imap    *faultProxy
	smtp    *faultProxy
	day0    time.Time
	inbound []string // Message-IDs of the mail written to the bot (invoices, replies, commands)

	queue  []killPoint // kill points still to hit, in order
	tried  []string    // kill points hit, with their day
	missed int         // armed random kills that came too late
	rng    *rand.Rand
}

func newCrashWorld(t *testing.T, name string, imapAddr, smtpAddr, dir string) *crashWorld {
	t.Helper()
	tag := fmt.Sprintf("%s%d", name, time.Now().UnixNano()%1_000_000_000)
	at := func(n string) string { return n + "-" + tag + "@example.test" }
	w := &crashWorld{t: t, name: name, bin: binary(t), dir: dir,
		bot: at("bot"), owner: at("owner"), roles: map[string]string{}}
	w.s = &stack{t: t,
		imap: mailbox.ServerConfig{Addr: imapAddr, Security: "none", Timeout: 10 * time.Second},
		smtp: mailbox.ServerConfig{Addr: smtpAddr, Security: "none", Timeout: 10 * time.Second}}
	loc, _ := time.LoadLocation("Europe/Rome")
	w.day0 = time.Date(2026, 11, 2, 0, 0, 0, 0, loc) // a Monday
	a, b, c, gone := at("alfa"), at("beta"), at("gamma"), at("gone")
	// Due dates in the past or close, so that a few weeks see every stage.
	w.cast = []*demoClient{
		{addr: a, company: "Alfa Srl", lang: "it", number: "2026/301", amount: "€ 1.220,00", due: w.day(-4)},
		{addr: b, company: "Beta Snc", lang: "it", number: "2026/302", amount: "€ 850,00", due: w.day(-2)},
		{addr: c, company: "Gamma Spa", lang: "it", number: "2026/303", amount: "€ 2.400,00", due: w.day(9)},
		{addr: gone, company: "Delta Srl", lang: "it", number: "2026/304", amount: "€ 310,00", due: w.day(-5)},
	}
	for role, addr := range map[string]string{"bot": w.bot, "owner": w.owner, "alfa": a, "beta": b, "gamma": c, "gone": gone} {
		w.roles[addr] = role
	}
	addUsers(t, dir, w.bot, w.owner, a, b, c)
	w.peers = map[string]*peer{w.owner: {addr: w.owner}, a: {addr: a}, b: {addr: b}, c: {addr: c}}
	w.imap = startProxy(t, imapAddr)
	w.smtp = startProxy(t, smtpAddr)
	work := t.TempDir()
	w.cfgPath = filepath.Join(work, "sollecito.toml")
	w.dbPath = filepath.Join(work, "ledger.db")
	cfg := fmt.Sprintf(`[imap]
addr = %q
security = "none"
username = %q
password_env = "TEST_PW"
timeout = "10s"
[smtp]
addr = %q
security = "none"
username = %q
password_env = "TEST_PW"
timeout = "10s"
[bot]
address = %q
[owner]
name = "Maria Bianchi"
email = [%q]
trust_server = true
[business]
name = "Officina Bianchi"
iban = "IT60X0542811101000000123456"
[store]
path = "ledger.db"
[run]
poll_interval = "10s"
`, w.imap.addr(), w.bot, w.smtp.addr(), w.bot, w.bot, w.owner)
	if err := os.WriteFile(w.cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *crashWorld) day(n int) time.Time { return w.day0.AddDate(0, 0, n) }

// start sends the invoice mails, the bot copied.
func (w *crashWorld) start(ctx context.Context) {
	for _, cl := range w.cast {
		raw, err := invoiceMail(w.owner, w.bot, cl, w.day(0).Add(9*time.Hour))
		if err != nil {
			w.t.Fatal(err)
		}
		m, err := mailbox.Parse(raw)
		if err != nil {
			w.t.Fatal(err)
		}
		w.inbound = append(w.inbound, m.MessageID)
		w.s.send(ctx, w.owner, []string{cl.addr, w.bot}, raw)
	}
	waitDelivered(w.t, w.dir)
}

// exec runs the binary once with args; kp (optional) arms a kill. It
// returns the exit code, whether the kill fired, and stderr.
func (w *crashWorld) exec(kp *killPoint, args ...string) (code int, killed bool, stderr string) {
	w.t.Helper()
	cmd := exec.Command(w.bin, args...)
	cmd.Env = append(os.Environ(), "TEST_PW=secret")
	var errb bytes.Buffer
	cmd.Stderr, cmd.Stdout = &errb, &errb
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	kill := func() { cmd.Process.Signal(syscall.SIGKILL) }
	var tr *trigger
	var timer *time.Timer
	if kp != nil {
		switch kp.proto {
		case "imap", "smtp":
			tr = newTrigger(kp.name, kp.dir, kp.pattern, kp.prior, kp.after, kill)
			if kp.proto == "imap" {
				w.imap.arm(tr)
			} else {
				w.smtp.arm(tr)
			}
		default:
			if kp.walBytes > 0 {
				done := make(chan struct{})
				defer close(done)
				go watchSize(w.dbPath+"-wal", kp.walBytes, done, kill)
			} else {
				timer = time.AfterFunc(kp.delay, kill)
			}
		}
	}
	err := cmd.Wait()
	if timer != nil {
		timer.Stop()
	}
	w.imap.arm(nil)
	w.smtp.arm(nil)
	if tr != nil {
		select {
		case <-tr.fired:
			killed = true
		default:
		}
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			killed = true
		}
	default:
		w.t.Fatal(err)
	}
	if code != 0 && !killed {
		return code, false, errb.String()
	}
	if killed {
		code = -1
	}
	return code, killed, errb.String()
}

// runDay runs `run --once --now` for day d, killing it at the next kill
// points of the queue, restarting until a run exits 0.
func (w *crashWorld) runDay(d int) {
	w.t.Helper()
	now := w.day(d).Add(10 * time.Hour).Format(time.RFC3339)
	for attempt := 0; ; attempt++ {
		if attempt > 30 {
			w.t.Fatalf("%s: day %d: no clean run after 30 restarts", w.name, d)
		}
		var kp *killPoint
		if len(w.queue) > 0 {
			kp = &w.queue[0]
		}
		code, killed, stderr := w.exec(kp, "run", "--config", w.cfgPath, "--once", "--now", now)
		if killed {
			w.tried = append(w.tried, fmt.Sprintf("day %2d: %s", d, kp.name))
			w.queue = w.queue[1:]
			continue
		}
		if code != 0 {
			w.t.Fatalf("%s: day %d: run --once exit %d\n%s", w.name, d, code, stderr)
		}
		if kp != nil && kp.proto == "" {
			// A random kill that came after the run ended: draw again.
			w.missed++
			w.queue[0].delay = time.Duration(w.rng.Int64N(int64(kp.delay) + 1))
		}
		return
	}
}

// daemonKill starts the daemon for day d and SIGKILLs it once it is in IDLE.
func (w *crashWorld) daemonKill(d int) {
	w.t.Helper()
	now := w.day(d).Add(10 * time.Hour).Format(time.RFC3339)
	kp := killPoint{name: "imap: mid-IDLE (daemon)", proto: "imap", dir: toServer, pattern: "IDLE\r\n", after: true}
	code, killed, stderr := w.exec(&kp, "run", "--config", w.cfgPath, "--now", now)
	if !killed {
		w.t.Fatalf("%s: the daemon was not killed in IDLE (exit %d)\n%s", w.name, code, stderr)
	}
	w.tried = append(w.tried, fmt.Sprintf("day %2d: %s", d, kp.name))
}

// Migration kills: the upgrade interrupted is 0009, whose backfill
// rewrites every sent row of the outbox. The ledger is turned back to the
// schema before it (data kept) and padded with fillerRows sent rows of
// fillerSize bytes (deleted once the upgrade is through), so that the
// upgrade takes long enough to be killed inside.
const (
	upgradeMigration = "0009_outbox_append_attempted.sql"
	fillerRows       = 6000
	fillerSize       = 2048
)

// migrationKills turns the ledger back to the schema before 0009, then
// starts the binary n times and SIGKILLs it while the upgrade writes: the
// kill fires when the ledger's -wal file (to which only the upgrade writes)
// passes a random size. A last run, not killed, must complete the upgrade.
// After every kill the data must be as before and the upgrade either
// wholly applied or not at all. It returns the kills that landed inside the
// upgrade (before it committed) and those that came after.
func (w *crashWorld) migrationKills(d int, n int) (inside, after int, done bool) {
	w.t.Helper()
	db, err := sql.Open("sqlite", w.dbPath)
	if err != nil {
		w.t.Fatal(err)
	}
	var flight int
	if err := db.QueryRow(`SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND appended_at IS NULL AND append_attempted_at IS NOT NULL`).Scan(&flight); err != nil {
		w.t.Fatal(err)
	}
	if flight > 0 {
		db.Close()
		return 0, 0, false // an old version has no append in flight: try another day
	}
	counts := func(db *sql.DB) string {
		var s []string
		for _, tbl := range []string{"invoices", "messages", "outbox", "events"} {
			var c int
			db.QueryRow(`SELECT count(*) FROM ` + tbl).Scan(&c)
			s = append(s, fmt.Sprintf("%s=%d", tbl, c))
		}
		return strings.Join(s, " ")
	}
	tx, err := db.Begin()
	if err != nil {
		w.t.Fatal(err)
	}
	filler := bytes.Repeat([]byte("x"), fillerSize)
	at := w.day(0).UTC().Format("2006-01-02T15:04:05.000Z")
	for i := 0; i < fillerRows; i++ {
		if _, err := tx.Exec(`INSERT INTO outbox (message_id, template, to_addrs, raw, enqueued_at, sent_at, appended_at) VALUES (?, 'filler', 'nobody@crash.test', ?, ?, ?, ?)`,
			fmt.Sprintf("filler-%d@crash.test", i), filler, at, at, at); err != nil {
			w.t.Fatal(err)
		}
	}
	if _, err := tx.Exec(`ALTER TABLE outbox DROP COLUMN append_attempted_at`); err != nil {
		w.t.Fatal(err)
	}
	if _, err := tx.Exec(`DELETE FROM migrations WHERE name LIKE ?`, "%"+upgradeMigration); err != nil {
		w.t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		w.t.Fatal(err)
	}
	old := counts(db)
	db.Close()
	now := w.day(d).Add(10 * time.Hour).Format(time.RFC3339)
	// state checks the ledger after a run and empties its WAL, so that the
	// next run's WAL grows from nothing.
	state := func() (applied, cols int) {
		db, err := sql.Open("sqlite", w.dbPath)
		if err != nil {
			w.t.Fatal(err)
		}
		defer db.Close()
		if err := db.QueryRow(`SELECT count(*) FROM migrations WHERE name LIKE ?`, "%"+upgradeMigration).Scan(&applied); err != nil {
			w.t.Fatalf("ledger unreadable after a kill during the upgrade: %v", err)
		}
		db.QueryRow(`SELECT count(*) FROM pragma_table_info('outbox') WHERE name = 'append_attempted_at'`).Scan(&cols)
		if c := counts(db); c != old {
			w.t.Errorf("after a kill during the upgrade the data changed: %s, was %s", c, old)
		}
		if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			w.t.Fatal(err)
		}
		return applied, cols
	}
	for i := 0; i <= n; i++ {
		var kp *killPoint
		if i < n {
			kp = &killPoint{name: "mid-migration", walBytes: 64<<10 + w.rng.Int64N(4<<20)}
		}
		code, killed, stderr := w.exec(kp, "status", "--config", w.cfgPath, "--now", now)
		if !killed && code != 0 {
			w.t.Fatalf("status after a killed upgrade: exit %d\n%s", code, stderr)
		}
		applied, cols := state()
		if applied != cols {
			w.t.Errorf("after a kill during the upgrade: migration recorded %d, column present %d", applied, cols)
		}
		switch {
		case killed && applied == 0:
			inside++
			w.tried = append(w.tried, fmt.Sprintf("day %2d: upgrade killed inside, its WAL at %d KiB, before it committed", d, kp.walBytes>>10))
		case killed:
			after++
			w.tried = append(w.tried, fmt.Sprintf("day %2d: status killed at WAL %d KiB, after the upgrade committed", d, kp.walBytes>>10))
		case i < n:
			w.t.Logf("%s: day %d: the upgrade wrote less than %d KiB of WAL: not killed", w.name, d, kp.walBytes>>10)
		}
		if applied == 1 {
			break
		}
	}
	if applied, _ := state(); applied != 1 {
		w.t.Fatalf("%s: the upgrade did not complete after the kills", w.name)
	}
	db, err = sql.Open("sqlite", w.dbPath)
	if err != nil {
		w.t.Fatal(err)
	}
	defer db.Close()
	var notBackfilled int
	if err := db.QueryRow(`SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND append_attempted_at IS NULL`).Scan(&notBackfilled); err != nil || notBackfilled != 0 {
		w.t.Errorf("after the upgrade: %d sent rows without append_attempted_at (%v)", notBackfilled, err)
	}
	if _, err := db.Exec(`DELETE FROM outbox WHERE template = 'filler'`); err != nil {
		w.t.Fatal(err)
	}
	return inside, after, true
}

// answer plays the clients and the owner for what arrived after day d's run.
func (w *crashWorld) answer(ctx context.Context, d int) {
	tomorrow := w.day(d + 1).Add(8*time.Hour + 30*time.Minute)
	a, b, c := w.cast[0].addr, w.cast[1].addr, w.cast[2].addr
	reply := func(from string, m *mailbox.Message, body string) {
		raw := replyMail(from, "", w.bot, "Re: "+m.Subject, body+"\n\n"+quoteBody(m), tomorrow, m)
		rm, err := mailbox.Parse(raw)
		if err != nil {
			w.t.Fatal(err)
		}
		w.inbound = append(w.inbound, rm.MessageID)
		w.s.send(ctx, from, []string{w.bot}, raw)
	}
	for _, addr := range []string{a, b, c, w.owner} {
		for _, m := range w.s.read(ctx, w.peers[addr]) {
			switch tmpl := m.Get("X-Sollecito-Template"); {
			case addr == a && tmpl == "stage1":
				reply(a, m, "Buongiorno, ci scusiamo: pagheremo il 13/11/2026.")
			case addr == a && tmpl == "promise_missed":
				reply(a, m, "Buongiorno, l'importo non corrisponde al preventivo concordato: non paghiamo finché non viene corretta la fattura.")
			case addr == b && tmpl == "stage1":
				reply(b, m, "Buongiorno, abbiamo effettuato ieri il bonifico, CRO 0306912345678901.")
			case addr == c && tmpl == "courtesy":
				reply(c, m, "Buongiorno, non abbiamo mai ricevuto questa fattura, potete inviarcela di nuovo?")
			case addr == w.owner && tmpl == "confirm_payment":
				reply(w.owner, m, "pagata")
			}
		}
	}
	waitDelivered(w.t, w.dir)
}

// watchSize calls kill as soon as the file at path is larger than size,
// polling until done is closed.
func watchSize(path string, size int64, done <-chan struct{}, kill func()) {
	for {
		select {
		case <-done:
			return
		default:
		}
		if fi, err := os.Stat(path); err == nil && fi.Size() > size {
			kill()
			return
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// timeline runs days 0..days-1, with the kills of the queue, the daemon
// killed in IDLE on day idleDay and the upgrade interrupted from day
// migrateDay (-1: never).
func (w *crashWorld) timeline(ctx context.Context, days, idleDay, migrateDay int) (migBefore, migAfter int) {
	w.start(ctx)
	migrated := false
	for d := 0; d < days; d++ {
		if d == idleDay {
			w.daemonKill(d)
		}
		if migrateDay >= 0 && d >= migrateDay && !migrated {
			b, a, done := w.migrationKills(d, 4)
			migBefore += b
			migAfter += a
			migrated = done
		}
		w.runDay(d)
		waitDelivered(w.t, w.dir)
		w.answer(ctx, d)
	}
	return migBefore, migAfter
}

// outcome is what a timeline ended with, in terms that do not depend on
// the run's addresses.
type outcome struct {
	invoices   []string       // "number state stage promises_broken", sorted
	deliveries map[string]int // "role template" → count, from the maildirs
	events     map[string]int // event kind → count (send:* left out)
}

func (o outcome) String() string {
	var d, e []string
	for k, v := range o.deliveries {
		d = append(d, fmt.Sprintf("%s×%d", k, v))
	}
	for k, v := range o.events {
		e = append(e, fmt.Sprintf("%s×%d", k, v))
	}
	sort.Strings(d)
	sort.Strings(e)
	return fmt.Sprintf("invoices %v\ndeliveries %v\nevents %v", o.invoices, d, e)
}

// maildirMessages reads every message of a user's folder ("" = INBOX).
func (w *crashWorld) maildirMessages(addr, folder string) []*mailbox.Message {
	local, domain, _ := strings.Cut(addr, "@")
	base := filepath.Join(w.dir, "mail", domain, local, "Maildir")
	if folder != "" {
		base = filepath.Join(base, "."+folder)
	}
	var out []*mailbox.Message
	for _, sub := range []string{"new", "cur"} {
		files, _ := os.ReadDir(filepath.Join(base, sub))
		for _, f := range files {
			raw, err := os.ReadFile(filepath.Join(base, sub, f.Name()))
			if err != nil {
				w.t.Fatal(err)
			}
			m, err := mailbox.Parse(raw)
			if m == nil {
				w.t.Fatalf("maildir message %s: %v", f.Name(), err)
			}
			out = append(out, m)
		}
	}
	return out
}

// check counts what every mailbox received and what the ledger holds, and
// reports duplicates, lost or twice-handled mail and stuck invoices as
// errors. It returns the outcome for comparing with the reference and the
// figures (duplicates, losses).
func (w *crashWorld) check(final time.Time) (o outcome, dups, sentDups, lost int) {
	t := w.t
	o = outcome{deliveries: map[string]int{}, events: map[string]int{}}
	for addr, role := range w.roles {
		if role == "gone" {
			continue
		}
		seen := map[string]int{}
		for _, m := range w.maildirMessages(addr, "") {
			seen[m.MessageID]++
			if tmpl := m.Get("X-Sollecito-Template"); tmpl != "" && seen[m.MessageID] == 1 {
				o.deliveries[role+" "+tmpl]++
			}
		}
		for id, n := range seen {
			if n > 1 {
				dups++
				t.Errorf("%s: %s (%s) received message %s %d times", w.name, role, addr, id, n)
			}
		}
	}
	sent := map[string]int{}
	for _, m := range w.maildirMessages(w.bot, "Sent") {
		sent[m.MessageID]++
	}
	for id, n := range sent {
		if n > 1 {
			sentDups++
			t.Errorf("%s: the bot's Sent folder holds %d copies of %s, want 1", w.name, n, id)
		}
	}

	db, err := sql.Open("sqlite", w.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	query := func(q string, args ...any) [][]string {
		rows, err := db.Query(q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out [][]string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			row := make([]string, len(cols))
			for i, v := range vals {
				row[i] = fmt.Sprint(v)
			}
			out = append(out, row)
		}
		return out
	}
	// Every mail delivered to the bot (but its own copies) is in the ledger;
	// each invoice, reply and command was acted on exactly once.
	for _, m := range w.maildirMessages(w.bot, "") {
		if strings.EqualFold(m.Sender(), w.bot) {
			continue
		}
		if n := query(`SELECT count(*) FROM messages WHERE direction = 'in' AND message_id = ?`, m.MessageID); n[0][0] != "1" {
			lost++
			t.Errorf("%s: mail %s from %s delivered to the bot is recorded %s times, want 1", w.name, m.MessageID, m.Sender(), n[0][0])
		}
	}
	for _, id := range w.inbound {
		if n := query(`SELECT count(*) FROM events WHERE message_id = ? AND kind NOT LIKE 'send:%'`, id); n[0][0] != "1" {
			lost++
			t.Errorf("%s: mail %s written to the bot was acted on %s times, want once", w.name, id, n[0][0])
		}
	}
	// Nothing stuck: no row in doubt, nothing due left unsent.
	for _, r := range query(`SELECT message_id, template, coalesce(attempted_at, ''), coalesce(not_before, '') FROM outbox
			WHERE sent_at IS NULL AND failed = 0 AND (attempted_at IS NOT NULL OR not_before <= ?)`, final.UTC().Format("2006-01-02T15:04:05.000Z")) {
		t.Errorf("%s: outbox row stuck at the end: %v", w.name, r)
	}
	for _, r := range query(`SELECT number, state, stage, promises_broken FROM invoices ORDER BY number`) {
		o.invoices = append(o.invoices, strings.Join(r, " "))
	}
	for _, r := range query(`SELECT kind, count(*) FROM events WHERE kind NOT LIKE 'send:%' GROUP BY kind`) {
		n, _ := strconv.Atoi(r[1])
		o.events[r[0]] = n
	}
	return o, dups, sentDups, lost
}

func crashRuns() int {
	n, err := strconv.Atoi(os.Getenv("SOLLECITO_CRASH_RUNS"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

func TestIntegrationCrashKills(t *testing.T) {
	imapAddr, smtpAddr, dir, _ := realStack(t)
	ctx := context.Background()
	start := time.Now()
	const days = 26 // the last invoice's case goes from courtesy to dispute and paid in about three weeks
	final := func(w *crashWorld) time.Time { return w.day(days - 1).Add(10 * time.Hour) }

	ref := newCrashWorld(t, "reference", imapAddr, smtpAddr, dir)
	ref.rng = rand.New(rand.NewPCG(1, 2))
	ref.timeline(ctx, days, -1, -1)
	want, _, _, _ := ref.check(final(ref))
	t.Logf("reference run (no kills), %v:\n%s", time.Since(start).Round(time.Second), want)
	if want.deliveries["owner forward_dispute"] == 0 || want.deliveries["gamma resend"] == 0 || want.deliveries["owner bounce_alert"] == 0 {
		t.Fatalf("the reference timeline does not reach the cases it is meant to cover:\n%s", want)
	}

	runs := crashRuns()
	var totalKills, totalDups, totalSentDups, totalLost, migInside int
	for r := 0; r < runs; r++ {
		seed := uint64(time.Now().UnixNano())
		w := newCrashWorld(t, fmt.Sprintf("killed%d", r), imapAddr, smtpAddr, dir)
		w.rng = rand.New(rand.NewPCG(seed, uint64(r)))
		w.queue = append(w.queue, protocolKillPoints...)
		random := 3
		if runs > 1 {
			// More runs: the protocol points in a random order, more random kills.
			w.rng.Shuffle(len(w.queue), func(i, j int) { w.queue[i], w.queue[j] = w.queue[j], w.queue[i] })
			random = 6
		}
		for i := 0; i < random; i++ {
			d := time.Duration(w.rng.Int64N(int64(400 * time.Millisecond)))
			kp := killPoint{name: fmt.Sprintf("random delay %v", d.Round(time.Millisecond)), delay: d}
			w.queue = slices.Insert(w.queue, w.rng.IntN(len(w.queue)+1), kp)
		}
		mb, _ := w.timeline(ctx, days, 3, 9)
		migInside += mb
		got, dups, sentDups, lost := w.check(final(w))
		totalKills += len(w.tried)
		totalDups += dups
		totalSentDups += sentDups
		totalLost += lost
		t.Logf("%s (seed %d): %d kills:\n  %s", w.name, seed, len(w.tried), strings.Join(w.tried, "\n  "))
		if len(w.queue) > 0 {
			var left []string
			for _, k := range w.queue {
				left = append(left, k.name)
			}
			t.Logf("%s: kill points never reached: %v", w.name, left)
		}
		if got.String() != want.String() {
			t.Errorf("%s ended differently from the reference:\n got %s\nwant %s", w.name, got, want)
		}
	}
	t.Logf("crash figures: %d timelines, %d kills (%d inside an upgrade, before it committed), %d duplicates received, %d duplicate copies in Sent, %d lost or twice-handled; wall time %v",
		runs, totalKills, migInside, totalDups, totalSentDups, totalLost, time.Since(start).Round(time.Second))
}
