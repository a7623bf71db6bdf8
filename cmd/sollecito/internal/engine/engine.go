// Package engine runs the bot's loop: it reads new mail from the inbox,
// routes each message (invoice intake, client reply, owner command, machine
// notice), asks the policy what to do, records every decision in the ledger
// together with the messages it causes, and sends what is due.
//
// Every decision is one ledger transaction: the invoice update, the outbox
// rows and the event log entry commit together, so a crash never separates a
// decision from its messages. Sending happens after the commit, from the
// outbox, so a crash before sending loses nothing.
package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/config"
	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/ledger"
	"github.com/sollecito/sollecito/templates"
)

// markHandled flags the messages of a batch the ledger has recorded, in
// one IMAP command. The flag is for the people who read the folder: the
// ledger, not the flag, says what was handled, so a flag lost to a crash
// or a refusal is logged and costs nothing.
func (e *Engine) markHandled(ctx context.Context, in Inbox, uids []uint32) {
	if err := in.MarkHandled(ctx, uids...); err != nil {
		e.log.Warn("flag handled messages", "uids", len(uids), "err", err)
	}
}

// Inbox is the mailbox the bot reads: mailbox.IMAP in production and in the demo.
type Inbox interface {
	UIDValidity() uint32
	Fetch(ctx context.Context, afterUID uint32, max int) ([]mailbox.Fetched, error)
	MarkHandled(ctx context.Context, uids ...uint32) error
	AppendAll(ctx context.Context, folder string, raws [][]byte, flags []string) error
	SentFolder(ctx context.Context) (string, error)
	HasMessageID(ctx context.Context, folder, messageID string) (bool, error)
}

// Sender sends a composed message as is: mailbox.SMTP.
type Sender interface {
	Send(ctx context.Context, from string, to []string, raw []byte) error
}

// Engine is the bot. Its zero value is not usable: use New.
type Engine struct {
	cfg  *config.Config
	db   *ledger.DB
	tmpl *templates.Set
	log  *slog.Logger
	now  func() time.Time
	pec  Sender // the [pec] account, for formal notices; nil when none
	// basis fingerprints what decides the schedule (settings, clients'
	// settings in the configuration, this build): stored next-due hints
	// computed under another basis are decided again.
	basis string

	// ahead is what was prepared ahead (prepare) of the message being
	// handled; nil between messages and where nothing was.
	ahead *prepared

	// beforeRoute, when set (by tests), is called on each parsed message
	// before it is routed: a panic there stands for a parser's.
	beforeRoute func(*mailbox.Message)
	// afterMarkFailed, when set (by tests), runs inside the transaction that
	// marks an outbox row failed, before the owner's alert is queued: a
	// panic there stands for a crash between the two.
	afterMarkFailed func()
	// beforeDecide, when set (by tests), runs inside the transaction that
	// decides an invoice's next step: a panic there stands for the rules'.
	beforeDecide func(policy.Invoice)
}

// New returns an engine over an open ledger. now is the clock every decision reads.
func New(cfg *config.Config, db *ledger.DB, tmpl *templates.Set, log *slog.Logger, now func() time.Time) *Engine {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	e := &Engine{cfg: cfg, db: db, tmpl: tmpl, log: log, now: now, basis: scheduleBasis(cfg)}
	// Every decision the ledger commits is one log line: journalctl tells
	// the owner what happened without opening the ledger.
	db.ObserveEvents(func(evs []ledger.Event) {
		for _, ev := range evs {
			attrs := []any{"kind", ev.Kind, "reason", ev.Reason}
			if ev.InvoiceID != 0 {
				attrs = append(attrs, "invoice", ev.InvoiceID)
			}
			if ev.MessageID != "" {
				attrs = append(attrs, "message_id", ev.MessageID)
			}
			log.Info("decided", attrs...)
		}
	})
	return e
}

// scheduleBasis returns a fingerprint of everything besides the ledger that
// decides when an invoice's next step is due: the schedule's settings, the
// clients' settings in the configuration, and the build (its VCS revision
// when stamped, and the executable's size and time, so that a rebuilt
// binary with other rules decides every invoice again).
func scheduleBasis(cfg *config.Config) string {
	h := sha256.New()
	s := cfg.Settings
	fmt.Fprintf(h, "%s|%d|%d|%d|%d|%d|%d|%v\n", s.Location, s.OfficeOpen, s.OfficeClose, s.CourtesyDaysBeforeDue,
		s.Stage1DaysAfterDue, s.StageIntervalDays, s.PromiseGraceBusinessDays, s.ExtraHolidays)
	fmt.Fprintf(h, "%v\n", cfg.Clients) // fmt prints a map sorted by key
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, kv := range bi.Settings {
			if strings.HasPrefix(kv.Key, "vcs.") {
				fmt.Fprintf(h, "%s=%s\n", kv.Key, kv.Value)
			}
		}
	}
	if exe, err := os.Executable(); err == nil {
		if fi, err := os.Stat(exe); err == nil {
			fmt.Fprintf(h, "%d|%d\n", fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// UsePEC sets the sender of the [pec] account (cfg.HasPEC): formal notices
// are then queued from cfg.PEC.Address and sent through it.
func (e *Engine) UsePEC(s Sender) { e.pec = s }

// ErrRead marks an error of Pass that came from reading the mailbox: the
// IMAP connection is likely broken and should be dialled again.
var ErrRead = errors.New("read mail")

// maxAttempts is how many passes may begin a message and die or hang on it
// before it is skipped as poisoned.
const maxAttempts = 3

// fetchBatch is how many messages one Fetch reads at most.
const fetchBatch = 50

// Pass runs one full pass: read and act on new mail, decide what the
// schedule makes due, and send the outbox. It returns the first error that
// stopped a phase; a single bad message does not stop the pass.
func (e *Engine) Pass(ctx context.Context, in Inbox, out Sender) error {
	var errs []error
	if in != nil {
		if err := e.Sync(ctx, in); err != nil {
			errs = append(errs, fmt.Errorf("%w: %w", ErrRead, err))
		}
	}
	if err := e.Tick(ctx); err != nil {
		errs = append(errs, fmt.Errorf("schedule: %w", err))
	}
	if out != nil {
		if err := e.Flush(ctx, in, out); err != nil {
			errs = append(errs, fmt.Errorf("send: %w", err))
		}
	}
	return errors.Join(errs...)
}

// progressEvery is how often a long pass over the folder logs how far it got.
const progressEvery = 5 * time.Second

// Sync reads every message after the last one handled, and acts on each.
// A change of UIDVALIDITY rereads the folder; messages already in the
// ledger (same Message-ID, or same content) are not acted on again. A copy
// of the bot's own mail (see Flush) confirms its outbox row and is never
// routed.
func (e *Engine) Sync(ctx context.Context, in Inbox) error {
	op := context.WithoutCancel(ctx) // a cancelled ctx stops between messages, never inside one
	folder := e.cfg.IMAP.Folder
	validity, last, err := e.db.SyncState(ctx, folder)
	if err != nil {
		return err
	}
	cur := in.UIDValidity()
	// A message that passes began maxAttempts times and never finished
	// makes the process die or hang: it is not parsed again. (Once may be
	// a kill at a random moment: it is retried.)
	poisonValidity, poisonUID, attempts, err := e.db.Attempt(ctx, folder)
	if err != nil {
		return err
	}
	if validity != cur {
		if validity != 0 {
			e.log.Warn("UIDVALIDITY changed: rereading the folder; handled messages are recognised and skipped",
				"folder", folder, "old", validity, "new", cur)
		}
		last = 0
	}
	st := syncRun{folder: folder, validity: cur, last: last, start: time.Now(), lastReport: time.Now(),
		poisonUID: poisonUID, poisonValidity: poisonValidity, attempts: attempts}
	defer func() {
		if st.skipped > 0 {
			e.log.Info("skipped mail received before run.since", "folder", folder, "skipped", st.skipped, "since", e.cfg.Run.Since)
		}
	}()
	for {
		batch, err := in.Fetch(op, st.last, fetchBatch)
		if err != nil {
			return fmt.Errorf("fetch after uid %d: %w", st.last, err)
		}
		if len(batch) == 0 {
			return nil
		}
		if err := e.syncBatch(ctx, op, in, batch, &st); err != nil {
			return err
		}
		if st.skippedTo == st.last {
			if err := e.db.Tx(op, func(tx *ledger.Tx) error { return tx.SetSyncState(folder, cur, st.last) }); err != nil {
				return fmt.Errorf("uid %d: %w", st.last, err)
			}
		}
	}
}

// syncRun is where a Sync stands in its folder.
type syncRun struct {
	folder            string
	validity          uint32
	last              uint32 // the last UID handled or skipped
	skippedTo         uint32 // the last UID skipped for run.since
	read, skipped     int
	start, lastReport time.Time
	// the message earlier passes began and never finished
	poisonUID, poisonValidity uint32
	attempts                  int
}

// syncBatch handles a fetched batch in UID order, its messages read ahead
// on the other cores (prepare), and flags the handled ones in one command.
// ctx stops it between messages; op is what the handling runs under.
func (e *Engine) syncBatch(ctx, op context.Context, in Inbox, batch []mailbox.Fetched, st *syncRun) error {
	tooOld := func(f mailbox.Fetched) bool {
		return !e.cfg.SkipBefore.IsZero() && !f.InternalDate.IsZero() && f.InternalDate.Before(e.cfg.SkipBefore)
	}
	pre, next, stop := e.prepare(batch, tooOld)
	defer stop()
	var handled []uint32
	defer func() { e.markHandled(op, in, handled) }()
	for i, f := range batch {
		var p *prepared
		if pre != nil {
			p = next(i)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		st.read++
		if time.Since(st.lastReport) >= progressEvery {
			// A long first pass says it is alive and how far it got.
			st.lastReport = time.Now()
			e.log.Info("reading the folder", "folder", st.folder, "read", st.read, "uid", f.UID, "elapsed", time.Since(st.start).Round(time.Second))
		}
		if tooOld(f) {
			// Older than run.since: not read, not acted on. The sync
			// state moves past it with the next message handled, or
			// once at the end of the batch; a crash before that only
			// skips it again.
			st.skipped++
			st.last, st.skippedTo = f.UID, f.UID
			continue
		}
		if own, err := e.selfCopy(op, st.folder, st.validity, f); err != nil {
			return fmt.Errorf("uid %d: %w", f.UID, err)
		} else if !own {
			poisoned := st.poisonUID != 0 && st.poisonUID == f.UID && st.poisonValidity == st.validity && st.attempts >= maxAttempts
			if err := e.handleFetched(op, st.folder, st.validity, f, poisoned, p); err != nil {
				return fmt.Errorf("uid %d: %w", f.UID, err)
			}
		}
		handled = append(handled, f.UID)
		st.last = f.UID
	}
	return nil
}
