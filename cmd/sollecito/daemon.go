package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/mail"
	"os"
	"strings"
	"time"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/config"
	"github.com/sollecito/sollecito/cmd/sollecito/internal/engine"
	"github.com/sollecito/sollecito/cmd/sollecito/internal/view"
	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/policy/ledger"
	"github.com/sollecito/sollecito/templates"
)

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// app is what run and status share: the configuration, the ledger, the
// templates and the engine over them.
type app struct {
	cfg  *config.Config
	db   *ledger.DB
	eng  *engine.Engine
	log  *slog.Logger
	now  func() time.Time
	imap mailbox.ServerConfig
	smtp mailbox.ServerConfig
	// statements is payments.folder's importer (its dir is "" when unset).
	statements *statementFolder
}

func openApp(ctx context.Context, cfgPath, nowFlag string, getenv func(string) string, needSecrets bool, log *slog.Logger) (*app, error) {
	if cfgPath == "" {
		return nil, usageError{errors.New("--config FILE is required")}
	}
	cfg, err := config.Load(cfgPath, getenv, needSecrets)
	if err != nil {
		return nil, err
	}
	var fixed time.Time
	if nowFlag != "" {
		if fixed, err = parseNow(nowFlag, cfg.Settings.Location); err != nil {
			return nil, err
		}
	}
	now := clock(fixed)
	tmpl, err := templates.New(cfg.Templates.Dir)
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	db, err := ledger.Open(ctx, cfg.Store.Path, now)
	if err != nil {
		return nil, fmt.Errorf("open ledger %s: %w", cfg.Store.Path, err)
	}
	eng := engine.New(cfg, db, tmpl, log, now)
	if cfg.HasPEC() {
		eng.UsePEC(mailbox.NewSMTP(config.ServerConfig(cfg.PEC, cfg.PECPassword), log))
	}
	imap, smtp, _ := mailServers(cfg, cfgPath, now)
	return &app{cfg: cfg, db: db, log: log, now: now, eng: eng, imap: imap, smtp: smtp,
		statements: &statementFolder{dir: cfg.Payments.Folder, seen: map[string]bool{}, wall: time.Now}}, nil
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlags("run")
	cfgPath := fs.String("config", "", "configuration file")
	once := fs.Bool("once", false, "one pass, then exit")
	nowFlag := fs.String("now", "", "the time the pass believes it is (RFC 3339 or YYYY-MM-DD)")
	verbose := fs.Bool("v", false, "debug logging")
	httpAddr := fs.String("http", "", "also serve the read-only web page on this address, e.g. 127.0.0.1:8080")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *httpAddr != "" && *once {
		return usageError{errors.New("--http serves the page next to the daemon: not with --once")}
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := newLogger(stderr, level)
	a, err := openApp(ctx, *cfgPath, *nowFlag, getenv, true, log)
	if err != nil {
		return err
	}
	defer a.db.Close()
	if *httpAddr != "" {
		srv, err := startWeb(*httpAddr, a.cfg, a.eng, a.now, log)
		if err != nil {
			return err
		}
		defer srv.Close()
	}
	smtp := mailbox.NewSMTP(a.smtp, log)
	if *once {
		in, err := mailbox.DialIMAP(ctx, a.imap, a.cfg.IMAP.Folder, log)
		if err != nil {
			if ctx.Err() != nil {
				log.Info("stopped by a signal before the pass began")
				return nil
			}
			if ownerMustAct(err) {
				a.loginRefused(ctx, a.cfg.IMAP.Addr, a.cfg.IMAP.Username, err, smtp)
			}
			return fmt.Errorf("imap %s: %w", a.cfg.IMAP.Addr, err)
		}
		defer in.Close()
		if _, err := a.statements.importNew(ctx, a); err != nil {
			return err
		}
		err = a.eng.Pass(ctx, in, smtp)
		if ownerMustAct(err) {
			a.loginRefused(ctx, a.cfg.SMTP.Addr, a.cfg.SMTP.Username, err, smtp)
		}
		if ctx.Err() != nil {
			// A signal: the message in hand was finished; the rest waits
			// for the next pass. Not a failure.
			log.Info("stopped by a signal; the rest waits for the next pass", "err", err)
			return nil
		}
		return err
	}
	return a.daemon(ctx, smtp)
}

// Reconnection backoff: the first wait after a failure, and the cap.
const (
	backoffFirst = time.Second
	backoffMax   = 5 * time.Minute
)

// daemon runs passes until ctx is cancelled: IDLE where the server has it,
// polling otherwise. A failed connection or a session that breaks is
// retried after a capped exponential backoff with jitter (1s doubling to
// 5m, each wait drawn in [backoff/2, backoff] so the cap holds; back to 1s
// after a session that completed a pass); each new session
// resumes after the last UID handled, which the ledger keeps.
func (a *app) daemon(ctx context.Context, smtp *mailbox.SMTP) error {
	a.log.Info("sollecito running", "imap", a.cfg.IMAP.Addr, "folder", a.cfg.IMAP.Folder, "poll", a.cfg.PollEvery)
	backoff := backoffFirst
	var down time.Time // when the last session broke; zero: never
	for ctx.Err() == nil {
		in, err := mailbox.DialIMAP(ctx, a.imap, a.cfg.IMAP.Folder, a.log)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if down.IsZero() {
				down = time.Now()
			}
			if ownerMustAct(err) {
				// Only the owner can mend it: say so once a day, and keep
				// trying (a new consent is read at the next login).
				a.loginRefused(ctx, a.cfg.IMAP.Addr, a.cfg.IMAP.Username, err, smtp)
			}
			wait := jitter(backoff, rand.Int64N)
			a.log.Warn("imap connect failed; retrying", "addr", a.cfg.IMAP.Addr, "in", wait.Round(time.Millisecond), "err", err)
			sleep(ctx, wait)
			backoff = min(backoff*2, backoffMax)
			continue
		}
		if !down.IsZero() {
			a.log.Info("imap reconnected", "addr", a.cfg.IMAP.Addr, "down", time.Since(down).Round(time.Millisecond))
		}
		healthy, err := a.serve(ctx, in, smtp)
		in.Close()
		if ctx.Err() != nil {
			break
		}
		if healthy {
			backoff = backoffFirst
		}
		down = time.Now()
		wait := jitter(backoff, rand.Int64N)
		a.log.Warn("imap session ended; reconnecting", "addr", a.cfg.IMAP.Addr, "in", wait.Round(time.Millisecond), "err", err)
		sleep(ctx, wait)
		backoff = min(backoff*2, backoffMax)
	}
	a.log.Info("sollecito stopped")
	return nil
}

// serve runs passes on one IMAP connection until it fails or ctx ends.
// healthy reports whether at least one pass read the mailbox to the end.
func (a *app) serve(ctx context.Context, in *mailbox.IMAP, smtp *mailbox.SMTP) (healthy bool, err error) {
	for {
		if _, err := a.statements.importNew(ctx, a); err != nil {
			a.log.Warn("bank statements not imported; tried again at the next pass", "err", err)
		}
		if err := a.eng.Pass(ctx, in, smtp); err != nil {
			if ctx.Err() != nil {
				return healthy, nil
			}
			a.log.Warn("pass incomplete", "err", err)
			if ownerMustAct(err) {
				a.loginRefused(ctx, a.cfg.SMTP.Addr, a.cfg.SMTP.Username, err, smtp)
			}
			if errors.Is(err, engine.ErrRead) {
				return healthy, err
			}
		}
		healthy = true
		if ctx.Err() != nil {
			return healthy, nil
		}
		// Wake at the next poll, on new mail, or at least every poll interval
		// so that scheduled reminders go out on time.
		if err := in.Wait(ctx, a.cfg.PollEvery); err != nil {
			if ctx.Err() != nil {
				return healthy, nil
			}
			return healthy, err
		}
	}
}

// jitter returns a wait in [d/2, d], drawn with rnd (rand.Int64N: a
// number in [0, n)), so that many daemons restarted together do not
// reconnect in step, and the wait never passes d (so never backoffMax).
func jitter(d time.Duration, rnd func(n int64) int64) time.Duration {
	return d/2 + time.Duration(rnd(int64(d-d/2)+1))
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

func cmdStatus(ctx context.Context, args []string, stdout io.Writer, getenv func(string) string) error {
	fs := newFlags("status")
	cfgPath := fs.String("config", "", "configuration file")
	nowFlag := fs.String("now", "", "the time to compute days overdue and next actions at")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	a, rows, err := readStatus(ctx, *cfgPath, *nowFlag, getenv)
	if err != nil {
		return err
	}
	return view.WriteStatus(stdout, rows, a.cfg.Owner.Language)
}

// manyMessages is the folder size from which check suggests run.since.
const manyMessages = 2000

func cmdCheck(ctx context.Context, args []string, stdout io.Writer, getenv func(string) string) error {
	fs := newFlags("check")
	cfgPath := fs.String("config", "", "configuration file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *cfgPath == "" {
		return usageError{errors.New("--config FILE is required")}
	}
	cfg, err := config.Load(*cfgPath, getenv, true)
	if err != nil {
		return err
	}
	if ps := cfg.Placeholders(); len(ps) > 0 {
		for _, p := range ps {
			fmt.Fprintf(stdout, "placeholder: %s\n", p)
		}
		return fmt.Errorf("%s still holds %d value(s) of the example configuration: replace them before the bot runs", *cfgPath, len(ps))
	}
	fmt.Fprintf(stdout, "configuration %s: ok\n", *cfgPath)
	for _, w := range cfg.Warnings() {
		fmt.Fprintf(stdout, "warning: %s\n", w)
	}
	if _, err := templates.New(cfg.Templates.Dir); err != nil {
		return fmt.Errorf("templates: %w", err)
	}
	fmt.Fprintln(stdout, "templates: ok")
	log := newLogger(io.Discard, slog.LevelError)
	var failed []string
	imapCfg, smtpCfg, src := mailServers(cfg, *cfgPath, clock(time.Time{}))
	if src != nil {
		fmt.Fprint(stdout, oauthStatus(cfg, src))
	}
	in, err := mailbox.DialIMAP(ctx, imapCfg, cfg.IMAP.Folder, log)
	if err != nil {
		fmt.Fprintf(stdout, "imap %s: FAILED: %v\n", cfg.IMAP.Addr, err)
		failed = append(failed, "imap")
	} else {
		idle := "no IDLE: polling every " + cfg.PollEvery.String()
		if in.SupportsIdle() {
			idle = "IDLE supported"
		}
		n := in.Messages()
		fmt.Fprintf(stdout, "imap %s: ok (logged in as %s, folder %s, %d messages, %s)\n", cfg.IMAP.Addr, cfg.IMAP.Username, cfg.IMAP.Folder, n, idle)
		fmt.Fprint(stdout, imapServerReport(ctx, in))
		if n >= manyMessages && cfg.Run.Since == "" {
			fmt.Fprintf(stdout, "imap: warning: folder %s holds %d messages and the first pass reads them all; a bot mailbox holds only what was sent to the bot: to skip older mail, set run.since = \"YYYY-MM-DD\"\n", cfg.IMAP.Folder, n)
		}
		if heads, err := in.RecentHeaders(ctx, ownerMailScan); err != nil {
			fmt.Fprintf(stdout, "imap: could not read the latest headers to look for your mail: %v\n", err)
		} else {
			fmt.Fprint(stdout, ownerVerification(cfg, heads))
		}
		in.Close()
	}
	smtp := mailbox.NewSMTP(smtpCfg, log)
	if err := smtp.Check(ctx); err != nil {
		fmt.Fprintf(stdout, "smtp %s: FAILED: %v\n", cfg.SMTP.Addr, err)
		failed = append(failed, "smtp")
	} else {
		fmt.Fprintf(stdout, "smtp %s: ok (logged in as %s; logins offered: %s)\n", cfg.SMTP.Addr, cfg.SMTP.Username, strings.Join(smtp.Logins(), " "))
	}
	if cfg.HasPEC() {
		if err := mailbox.NewSMTP(config.ServerConfig(cfg.PEC, cfg.PECPassword), log).Check(ctx); err != nil {
			fmt.Fprintf(stdout, "pec %s: FAILED: %v\n", cfg.PEC.Addr, err)
			failed = append(failed, "pec")
		} else {
			fmt.Fprintf(stdout, "pec %s: ok (logged in as %s; formal notices go from %s)\n", cfg.PEC.Addr, cfg.PEC.Username, cfg.PEC.Address)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%s failed", strings.Join(failed, " and "))
	}
	return nil
}

// imapServerReport says what check found out about the IMAP server beyond
// the login: the logins it offers, SPECIAL-USE, and where copies of sent
// mail will go.
func imapServerReport(ctx context.Context, in *mailbox.IMAP) string {
	logins := strings.Join(in.Logins(), " ")
	if logins == "" {
		logins = "LOGIN only"
	}
	s := "imap: logins offered: " + logins + "; "
	if in.SupportsSpecialUse() {
		s += "SPECIAL-USE: yes; "
	} else {
		s += "SPECIAL-USE: no; "
	}
	switch name, marked, err := in.FindSentFolder(ctx); {
	case err != nil:
		s += "folders: " + err.Error()
	case name == "":
		s += `copies of sent mail: no folder marked \Sent or named Sent; the bot will create "Sent"`
	case marked:
		s += fmt.Sprintf(`copies of sent mail go to %q (marked \Sent), unless the server already filed its own copy`, name)
	default:
		s += fmt.Sprintf(`copies of sent mail go to %q (by its name)`, name)
	}
	return s + "\n"
}

// ownerMailScan is how many of the folder's latest messages check reads
// to find the owner's mail.
const ownerMailScan = 200

// ownerVerification says, from the headers of the folder's latest mail,
// what the receiving server wrote in Authentication-Results on the
// owner's mail (newest first, the last three), whether the bot counts it
// as the owner's with the configured owner.authserv_id, and the line to
// add when it does not.
func ownerVerification(cfg *config.Config, heads [][]byte) string {
	var b strings.Builder
	seen, suggested := 0, ""
	for _, raw := range heads {
		fields := mailbox.HeaderFields(raw)
		var from, date string
		var ars []mailbox.AuthResults
		for _, f := range fields {
			switch f[0] {
			case "From":
				if a, err := mail.ParseAddress(f[1]); err == nil {
					from = strings.ToLower(a.Address)
				}
			case "Date":
				date = f[1]
			case "Authentication-Results":
				if ar, err := mailbox.ParseAuthResults(f[1]); err == nil {
					ars = append(ars, ar)
				}
			}
		}
		if from == "" || !cfg.IsOwner(from) {
			continue
		}
		seen++
		if seen > 3 {
			break
		}
		fmt.Fprintf(&b, "owner mail from %s (%s):\n", from, date)
		if len(ars) == 0 {
			b.WriteString("  no Authentication-Results field: this server does not write one, so the bot cannot verify your mail here (owner.trust_server is the risky alternative)\n")
			continue
		}
		for i, ar := range ars {
			var rs []string
			for _, r := range ar.Results {
				w := r.Method + "=" + r.Result
				for _, k := range []string{"header.d", "smtp.mailfrom", "header.from"} {
					if v := r.Props[k]; v != "" {
						w += " " + k + "=" + v
					}
				}
				rs = append(rs, w)
			}
			where := "added by"
			if i == 0 {
				where = "topmost, added by"
			}
			fmt.Fprintf(&b, "  Authentication-Results %s %s: %s\n", where, ar.ServID, strings.Join(rs, "; "))
		}
		if cfg.Owner.AuthservID != "" {
			ok, why := mailbox.SenderVerified(raw, cfg.Owner.AuthservID, from)
			fmt.Fprintf(&b, "  with owner.authserv_id = %q: %s (%s)\n", cfg.Owner.AuthservID, map[bool]string{true: "verified, the bot obeys it", false: "NOT verified, the bot refuses it"}[ok], why)
			if ok {
				continue
			}
		}
		if ok, _ := mailbox.SenderVerified(raw, ars[0].ServID, from); ok && suggested == "" {
			suggested = ars[0].ServID
		}
	}
	switch {
	case seen == 0:
		fmt.Fprintf(&b, "no mail from the owner's addresses among the last %d messages: send one to the bot, then run check again to see how your server vouches for it\n", ownerMailScan)
	case suggested != "":
		fmt.Fprintf(&b, "to have your mail verified, set in [owner]: authserv_id = %q\n", suggested)
	}
	return b.String()
}

func cmdInit(args []string, stdout io.Writer) error {
	fs := newFlags("init")
	provider := fs.String("provider", "", "fill in a provider's servers: "+strings.Join(config.ProviderNames(), ", ")+" (comma-separated: a mailbox and a PEC one)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	text := config.Example
	if *provider != "" {
		var err error
		if text, err = config.ExampleFor(strings.Split(*provider, ",")...); err != nil {
			return usageError{err}
		}
	}
	path := "sollecito.toml"
	if fs.NArg() > 0 {
		path = fs.Arg(0)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s exists: not overwritten (choose another name, or edit it)", path)
		}
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	fmt.Fprintf(stdout, "wrote %s: edit it, then run `sollecito check --config %s`\n", path, path)
	return nil
}
