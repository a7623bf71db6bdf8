package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/mail"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/ledger"
	"github.com/sollecito/sollecito/reply"
	"github.com/sollecito/sollecito/templates"
)

// about is what a message is about beyond its invoice: the mail that caused
// it, the classifier's reading, and a key that makes its Message-ID unique
// and deterministic.
type about struct {
	m       *mailbox.Message
	verdict *reply.Verdict
	missing []string
	command string
	help    bool               // command_help: the owner asked for it ("aiuto")
	summary *templates.Summary // the summary template's data
	words   string
	key     string    // unique per decision; same decision → same Message-ID
	at      time.Time // earliest send time (client messages); zero → now
	to      string    // the client address a notice goes to instead of the invoice's ("" → Invoice.Client)

	reading   string            // how the mail was read (a reply kind, "unverified"…), for a digest
	untrusted string            // unverified: "owner", "contact" or "redirect"
	contact   string            // contact_changed, unverified "redirect": the address named
	undoBy    time.Time         // command_done: the last day "annulla" takes the command back
	detail    string            // command_done: what the command did, beyond its echo (a notice's sum and route)
	held      []templates.Held  // digest: what the cap held (the first maxDigestItems)
	heldMore  int               // digest: how many more it held
	capKey    string            // digest: the cause it is counted under
	credit    *templates.Credit // credit_question: the bank credit asked about
	valueDate time.Time         // a payment a bank credit brought: its value date (zero: none)
	login     string            // auth_alert: the account the bot cannot log in to
}

// Tick decides, for every open invoice, whether its next scheduled step is
// due, and carries out those that are; then queues the owner's periodic
// summary when it is due (SummaryTick).
func (e *Engine) Tick(ctx context.Context) error {
	op := context.WithoutCancel(ctx) // a cancelled ctx stops between invoices, never inside one
	now := e.now()
	invs, err := e.dueInvoices(op, now)
	if err != nil {
		return fmt.Errorf("due invoices: %w", err)
	}
	for _, inv := range invs {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := e.db.Tx(op, func(tx *ledger.Tx) (err error) {
			// One invoice that makes the rules panic must not stop the others.
			defer recoverAs(&err)
			if e.beforeDecide != nil {
				e.beforeDecide(inv)
			}
			// Read again inside the transaction: the step must start from
			// what is stored now, never from a stale copy.
			cur, err := tx.Invoice(inv.ID)
			if err != nil {
				return err
			}
			step, ok, err := e.next(tx, cur, now)
			if err != nil {
				return err
			}
			if !ok || step.At.After(now) {
				return nil
			}
			kind := policy.EventSchedule
			if len(step.Send) > 0 {
				kind = policy.TemplateEvent(step.Send[0])
			}
			key := fmt.Sprintf("step-%d-%s-%d-%d", cur.ID, kind, cur.Stage, cur.PromisesBroken)
			if cur.State == policy.Settling {
				key += "-" + cur.SettleBy.Format("20060102") // each offer lapses once
			}
			if kind == policy.TemplateEvent(policy.NoticeLapsed) {
				key += "-" + cur.NoticeAt.UTC().Format("20060102T150405") // each notice lapses once
			}
			return e.apply(tx, cur, step, now, kind, step.Reason, about{key: key, at: step.At})
		})
		if errors.Is(err, errPanic) {
			if err := e.recordPanic(op, inv.ID, "deciding the next step", err, now); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("invoice %d: %w", inv.ID, err)
		}
	}
	if err := e.releaseHeld(op, now); err != nil {
		return fmt.Errorf("digest of held messages: %w", err)
	}
	return e.SummaryTick(ctx)
}

// next is policy.Next for inv as the ledger stands in tx: the client's
// settings and the last message that went to it.
func (e *Engine) next(tx *ledger.Tx, inv policy.Invoice, now time.Time) (policy.Step, bool, error) {
	last, err := tx.LastSentTo(inv.Client)
	if err != nil {
		return policy.Step{}, false, err
	}
	cs, err := e.clientSettings(tx, inv.Client)
	if err != nil {
		return policy.Step{}, false, err
	}
	step, ok := policy.Next(inv, cs, e.cfg.Settings, last, now)
	return step, ok, nil
}

// dueInvoices returns the open invoices whose next step is due at now, and
// stores for the others when theirs will be (ledger.SetNextDue), all in one
// transaction: a pass then reads only the invoices that are due or have
// changed, not every open one. The hints are cleared first when they were
// computed under other settings or rules (e.basis) or the clock went back.
// An invoice whose rules panic is returned as due: deciding it again alone
// records the panic against it, and the others go on.
func (e *Engine) dueInvoices(ctx context.Context, now time.Time) ([]policy.Invoice, error) {
	var due []policy.Invoice
	err := e.db.Tx(ctx, func(tx *ledger.Tx) error {
		due = due[:0]
		basis, latest, err := tx.ScheduleBasis()
		if err != nil {
			return err
		}
		stale := basis != e.basis || now.Before(latest)
		if stale {
			if err := tx.ClearNextDue(); err != nil {
				return err
			}
		}
		invs, err := tx.DueInvoices(now)
		if err != nil {
			return err
		}
		var hints []ledger.NextDue
		for _, inv := range invs {
			step, ok, err := e.nextRecovered(tx, inv, now)
			if errors.Is(err, errPanic) || err == nil && ok && !step.At.After(now) {
				due = append(due, inv)
				continue
			}
			if err != nil {
				return fmt.Errorf("invoice %d: %w", inv.ID, err)
			}
			h := ledger.NextDue{ID: inv.ID}
			if ok {
				h.At = step.At
			}
			hints = append(hints, h)
		}
		if len(hints) == 0 && !stale {
			return nil // nothing new was decided: nothing to write
		}
		return tx.SetNextDue(e.basis, now, hints)
	})
	return due, err
}

// nextRecovered is next with a panic of the rules turned into an error.
func (e *Engine) nextRecovered(tx *ledger.Tx, inv policy.Invoice, now time.Time) (step policy.Step, ok bool, err error) {
	defer recoverAs(&err)
	return e.next(tx, inv, now)
}

// enqueue writes one message to the outbox in the caller's transaction.
func (e *Engine) enqueue(tx *ledger.Tx, inv policy.Invoice, t policy.Template, now time.Time, a about) error {
	var to []mailbox.Address
	lang := e.cfg.Owner.Language
	notBefore := now
	from := mailbox.Address{Name: e.cfg.Business.Name, Email: e.cfg.Bot.Address}
	account := ""
	if t.Recipient() == policy.ToClient {
		if inv.Client == "" {
			return fmt.Errorf("%s for invoice %d: no client address", t, inv.ID)
		}
		to = []mailbox.Address{{Email: inv.Client}}
		if t == policy.Notice && a.to != "" {
			to = []mailbox.Address{{Email: a.to}}
		}
		if t == policy.Notice && e.cfg.HasPEC() {
			// The formal notice goes from the PEC mailbox, through it.
			from.Email, account = e.cfg.PEC.Address, ledger.AccountPEC
		}
		var err error
		if lang, err = e.clientLanguage(tx, inv); err != nil {
			return err
		}
		if !a.at.IsZero() {
			notBefore = a.at
		} else {
			// An answer to the client (the invoice again) waits for office hours only.
			notBefore = policy.SendWindow(now, policy.Client{}, e.cfg.Settings, time.Time{})
		}
	} else {
		for _, addr := range e.cfg.Owner.Email {
			to = append(to, mailbox.Address{Name: e.cfg.Owner.Name, Email: addr})
		}
	}
	id := e.messageID(inv, t, a)
	// The daily cap first: what it holds waits for the digest, nothing is
	// lost; the loop breaker then stops what still comes too fast.
	if key := e.capKey(inv, t, a); key != "" {
		nb, hold, err := e.applyCap(tx, key, id, inv, t, a, notBefore, now)
		if err != nil {
			return fmt.Errorf("cap %s: %w", t, err)
		}
		if hold {
			return nil
		}
		notBefore = nb
	}
	if t.Recipient() == policy.ToOwner {
		if stop, err := e.loopBreak(tx, inv, t, to, id, a, now); err != nil || stop {
			return err
		}
	}
	d, err := e.data(tx, inv, t, a, now)
	if err != nil {
		return err
	}
	msg, err := e.tmpl.Render(t, lang, d)
	if err != nil {
		return fmt.Errorf("%w %s (%s): %w", errRender, t, lang, err)
	}
	out := mailbox.Outgoing{
		From:    from,
		To:      to,
		Subject: msg.Subject, Text: msg.Text, HTML: msg.HTML,
		MessageID: id,
		Date:      notBefore,
		Headers: map[string]string{
			// RFC 3834: the bot's mail is automatic, so that well-behaved
			// responders do not answer it and no loop can start.
			"Auto-Submitted":           "auto-generated",
			"X-Auto-Response-Suppress": "OOF, AutoReply",
			"X-Sollecito-Template":     string(t),
		},
	}
	if inv.ID != 0 {
		out.Headers["X-Sollecito-Invoice"] = inv.Number
	}
	if account == ledger.AccountPEC {
		// The client's answer comes back to the bot, which follows the case.
		out.Headers["Reply-To"] = e.cfg.Bot.Address
	}
	if t.Recipient() == policy.ToClient && inv.ID != 0 {
		src, err := tx.InvoiceSource(inv.ID)
		if err != nil && !errors.Is(err, ledger.ErrNotFound) {
			return err
		}
		if src.MessageID != "" {
			out.InReplyTo = src.MessageID
			out.References = []string{src.MessageID}
		}
		if t == policy.Resend {
			for _, att := range src.Attachments {
				out.Attachments = append(out.Attachments, mailbox.Attachment{Filename: att.Filename, ContentType: att.ContentType, Data: att.Data})
			}
		}
	} else if a.m != nil && a.m.MessageID != "" {
		out.InReplyTo = a.m.MessageID
		out.References = append(append([]string{}, a.m.References...), a.m.MessageID)
	}
	raw, err := mailbox.Compose(out)
	if err != nil {
		return fmt.Errorf("compose %s: %w", t, err)
	}
	var rcpt []string
	for _, addr := range to {
		rcpt = append(rcpt, addr.Email)
	}
	_, err = tx.Enqueue(ledger.Outgoing{MessageID: id, InvoiceID: inv.ID, Template: string(t), To: rcpt, Raw: raw, NotBefore: notBefore, Account: account})
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", t, err)
	}
	return nil
}

// clientLanguage returns the language the client's messages are written in:
// the client's setting, else the invoice's language, else the owner's.
func (e *Engine) clientLanguage(tx *ledger.Tx, inv policy.Invoice) (string, error) {
	cs, err := e.clientSettings(tx, inv.Client)
	if err != nil {
		return "", err
	}
	if cs.Language != "" {
		return cs.Language, nil
	}
	if inv.Lang != "" {
		return inv.Lang, nil
	}
	return e.cfg.Owner.Language, nil
}

// clientSettings returns a client's settings: the configuration file's
// [clients] section (the address's own, else its domain's), with every key
// the owner set by email for that address ("tolleranza 5", "escludi", …)
// overriding it. The email wins because it is the owner's latest word.
func (e *Engine) clientSettings(tx *ledger.Tx, addr string) (policy.Client, error) {
	base := e.cfg.ClientSettings(addr)
	if addr == "" {
		return base, nil
	}
	o, err := tx.ClientOverride(addr)
	if err != nil {
		return policy.Client{}, err
	}
	return o.Apply(base), nil
}

// senderFor returns the account an outbox row goes through and its envelope
// sender: the PEC account for rows queued for it, else out and the bot.
func (e *Engine) senderFor(o ledger.Outgoing, out Sender) (Sender, string, error) {
	if o.Account != ledger.AccountPEC {
		return out, e.cfg.Bot.Address, nil
	}
	if e.pec == nil || !e.cfg.HasPEC() {
		return nil, "", &mailbox.SendError{Stage: "pec", Permanent: true,
			Err: errors.New("queued for the PEC account, which is no longer configured: send the notice by hand")}
	}
	return e.pec, e.cfg.PEC.Address, nil
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return "sollecito.invalid"
}

// defaultInDoubt is the wait for the bot's own copy of a message whose
// sending was cut off, when the configuration does not say.
const defaultInDoubt = 15 * time.Minute

// inDoubtWait is how long a message in doubt waits for its own copy before
// it is sent again.
func (e *Engine) inDoubtWait() time.Duration {
	if e.cfg.InDoubt > 0 {
		return e.cfg.InDoubt
	}
	return defaultInDoubt
}

// Flush sends every outbox message whose time has come, then appends a copy
// of each to the Sent folder (when in is not nil). A temporary failure is
// retried later with backoff; a permanent one fails the message and tells
// the owner once.
//
// Exactly once: before a message goes to the server its row is marked
// attempted in a transaction of its own, and the bot's own address is an
// extra envelope recipient (never a header), so that its mailbox receives a
// copy of every message the server accepted. A row attempted and not marked
// sent — the process died, or the connection broke after the data went out
// — is in doubt: Sync marks it sent when the copy arrives (Ledger
// ConfirmSent), and Flush sends it again only when no copy came within
// [run] in_doubt_wait. A message the server refused before accepting it is
// not in doubt and is retried as usual.
func (e *Engine) Flush(ctx context.Context, in Inbox, out Sender) error {
	op := context.WithoutCancel(ctx) // a cancelled ctx stops between messages, never inside one
	now := e.now()
	wait := e.inDoubtWait()
	due, err := e.db.Due(ctx, now, wait)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	var firstErr error
	// One connection per batch: a sender that keeps its connection open
	// between messages hangs up when the batch is done.
	for _, s := range []any{out, e.pec} {
		if c, ok := s.(interface{ CloseIdle() }); ok {
			defer c.CloseIdle()
		}
	}
	for _, o := range due {
		if err := ctx.Err(); err != nil {
			return err
		}
		sendErr, err := e.flushRow(op, o, out, now, wait)
		if errors.Is(err, errPanic) {
			// One row that makes sending panic must not stop the others.
			if err := e.recordPanic(op, o.InvoiceID, fmt.Sprintf("sending outbox row %d (%s)", o.ID, o.Template), err, now); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if sendErr != nil && firstErr == nil {
			firstErr = sendErr
		}
	}
	if doubt, err := e.db.InDoubt(ctx); err != nil {
		return fmt.Errorf("outbox: %w", err)
	} else if len(doubt) > 0 {
		e.log.Info("messages in doubt wait for the bot's own copy", "count", len(doubt), "wait", wait)
	}
	if in != nil {
		if err := e.appendSent(op, in); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

// flushRow sends one outbox row. sendErr is a temporary failure to report
// after the other rows; err stops the flush (the ledger failed); a panic
// comes back as an error wrapping errPanic.
func (e *Engine) flushRow(op context.Context, o ledger.Outgoing, out Sender, now time.Time, wait time.Duration) (sendErr, err error) {
	defer recoverAs(&err)
	if !o.AttemptedAt.IsZero() {
		e.log.Warn("sending again: no copy of the earlier attempt arrived", "outbox", o.ID, "template", o.Template,
			"message_id", o.MessageID, "attempted", o.AttemptedAt, "waited", wait)
	}
	sender, from, err := e.senderFor(o, out)
	if err == nil {
		if err := e.db.MarkAttempted(op, o.ID); err != nil {
			return nil, fmt.Errorf("mark attempted %d: %w", o.ID, err)
		}
		to := o.To
		if o.Account != ledger.AccountPEC {
			// The PEC account's mail is not read by the bot: no copy,
			// and a PEC send in doubt goes again after the wait.
			to = withSelf(o.To, e.cfg.Bot.Address)
		}
		err = sender.Send(op, from, to, o.Raw)
	}
	if err != nil && mailbox.IsInDoubt(err) {
		e.log.Warn("send in doubt: waiting for the bot's own copy", "outbox", o.ID, "template", o.Template,
			"to", strings.Join(o.To, ","), "wait", wait, "err", err)
		if err := e.db.MarkInDoubt(op, o.ID, err.Error()); err != nil {
			return nil, err
		}
		return fmt.Errorf("send %s to %s: %w", o.Template, strings.Join(o.To, ","), err), nil
	}
	if err != nil {
		perm := mailbox.IsPermanent(err)
		e.log.Warn("send failed", "outbox", o.ID, "template", o.Template, "to", strings.Join(o.To, ","), "permanent", perm, "err", err)
		// The row's failure and the owner's alert commit together: a
		// crash between them would lose the alert for good.
		if err := e.db.Tx(op, func(tx *ledger.Tx) error {
			if err := tx.MarkFailed(o.ID, err.Error(), perm); err != nil {
				return err
			}
			if e.afterMarkFailed != nil {
				e.afterMarkFailed()
			}
			if perm && o.Template != string(policy.BounceAlert) {
				return e.alertFailed(tx, o, err, now)
			}
			return nil
		}); err != nil {
			return nil, fmt.Errorf("record the failure of outbox row %d: %w", o.ID, err)
		}
		if !perm {
			return fmt.Errorf("send %s to %s: %w", o.Template, strings.Join(o.To, ","), err), nil
		}
		return nil, nil
	}
	if err := e.db.MarkSent(op, o.ID, e.now()); err != nil {
		return nil, fmt.Errorf("mark sent %d: %w", o.ID, err)
	}
	e.log.Info("sent", "template", o.Template, "to", strings.Join(o.To, ","), "message_id", o.MessageID)
	return nil, nil
}

// withSelf returns the envelope recipients of a message: its own, and the
// bot's address for the copy that proves the server accepted it.
func withSelf(to []string, bot string) []string {
	out := append([]string{}, to...)
	for _, a := range to {
		if strings.EqualFold(a, bot) {
			return out
		}
	}
	return append(out, bot)
}

// selfCopy handles a message of the bot's folder that is a copy of the
// bot's own mail (From the bot, Message-ID of an outbox row handed to the
// server): the row is confirmed sent and the copy is never routed. It
// reports whether f was such a copy; the folder's sync state moves past it
// in the same transaction.
func (e *Engine) selfCopy(ctx context.Context, folder string, validity uint32, f mailbox.Fetched) (bool, error) {
	from, mid := ownHeader(f.Raw)
	if mid == "" || !strings.EqualFold(from, e.cfg.Bot.Address) {
		return false, nil
	}
	var known, confirmed bool
	err := e.db.Tx(ctx, func(tx *ledger.Tx) error {
		var err error
		if known, confirmed, err = tx.ConfirmSent(mid); err != nil || !known {
			return err
		}
		if confirmed {
			o, err := tx.OutgoingByMessageID(mid)
			if err != nil {
				return err
			}
			why := policy.Why{Code: policy.WhySendConfirmed, Template: policy.Template(o.Template), Address: strings.Join(o.To, ", ")}
			if err := tx.AddEvent(ledger.Event{InvoiceID: o.InvoiceID, At: e.now(), Kind: policy.EventSendConfirmed, Reason: why.English(), Why: &why, MessageID: mid}); err != nil {
				return err
			}
		}
		return tx.SetSyncState(folder, validity, f.UID)
	})
	if err != nil {
		return false, fmt.Errorf("own copy %s: %w", mid, err)
	}
	if confirmed {
		e.log.Info("message in doubt confirmed sent by its own copy", "message_id", mid, "uid", f.UID)
	}
	return known, nil
}

// ownHeader reads the From address and the Message-ID (without angle
// brackets) of a raw message's header; "" for what is missing or unreadable.
func ownHeader(raw []byte) (from, messageID string) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return "", ""
	}
	if a, err := mail.ParseAddress(m.Header.Get("From")); err == nil {
		from = a.Address
	}
	messageID = strings.Trim(strings.TrimSpace(m.Header.Get("Message-ID")), "<>")
	return from, messageID
}

// alertFailed tells the owner once that a message could not be delivered,
// in the transaction that marks it failed.
func (e *Engine) alertFailed(tx *ledger.Tx, o ledger.Outgoing, cause error, now time.Time) error {
	var inv policy.Invoice
	if o.InvoiceID != 0 {
		var err error
		if inv, err = tx.Invoice(o.InvoiceID); err != nil {
			return err
		}
	}
	why := policy.Why{Code: policy.WhySendFailed, Template: policy.Template(o.Template), Address: strings.Join(o.To, ", "), Text: firstLine(cause.Error())}
	if err := tx.AddEvent(ledger.Event{InvoiceID: o.InvoiceID, At: now, Kind: policy.EventSendFailed, Reason: why.English(), Why: &why, MessageID: o.MessageID}); err != nil {
		return err
	}
	return e.enqueue(tx, inv, policy.BounceAlert, now, about{words: why.Text, key: "failed-" + o.MessageID})
}

// appendSent puts a copy of every sent message into the Sent folder, so the
// mailbox itself is a record. Exactly one copy: each append is marked
// attempted first, and a row attempted before (the process died between the
// server storing the copy and the bot recording it) is first looked for in
// the folder by its Message-ID.
func (e *Engine) appendSent(ctx context.Context, in Inbox) error {
	list, err := e.db.Unappended(ctx)
	if err != nil || len(list) == 0 {
		return err
	}
	folder, err := in.SentFolder(ctx)
	if err != nil {
		return fmt.Errorf("sent folder: %w", err)
	}
	// Some servers (Gmail, Microsoft 365) file a copy of what goes through
	// their SMTP in the Sent folder themselves: the first message of a
	// batch is looked for there, and when the server filed it, every one
	// is, so that no message is in Sent twice.
	serverFiles := false
	// The copies are stored in batches, pipelined: each batch is marked
	// attempted before it goes and appended once the server took it all.
	var batch []ledger.Outgoing
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		ids := make([]int64, len(batch))
		raws := make([][]byte, len(batch))
		for i, o := range batch {
			ids[i], raws[i] = o.ID, o.Raw
		}
		batch = batch[:0]
		if err := e.db.MarkAppendAttempted(ctx, ids...); err != nil {
			return err
		}
		if err := in.AppendAll(ctx, folder, raws, []string{`\Seen`}); err != nil {
			return fmt.Errorf("append %d sent messages to %s: %w", len(raws), folder, err)
		}
		return e.db.MarkAppended(ctx, ids...)
	}
	for i, o := range list {
		if !o.AppendAttemptedAt.IsZero() || i == 0 || serverFiles {
			// An earlier append was cut off (the server may have stored
			// it), or the server may file copies itself.
			found, err := in.HasMessageID(ctx, folder, o.MessageID)
			if err != nil {
				return fmt.Errorf("look for %s in %s: %w", o.MessageID, folder, err)
			}
			if found {
				if o.AppendAttemptedAt.IsZero() {
					serverFiles = true
					e.log.Info("the server filed its own copy in the Sent folder", "message_id", o.MessageID, "folder", folder)
				} else {
					e.log.Info("copy already in the Sent folder from an append cut off", "message_id", o.MessageID, "folder", folder)
				}
				if err := e.db.MarkAppended(ctx, o.ID); err != nil {
					return err
				}
				continue
			}
		}
		if i == 0 && !serverFiles {
			// The first copy alone: whether the server files its own
			// copies is known once it is in.
			batch = append(batch, o)
			if err := flush(); err != nil {
				return err
			}
			continue
		}
		if batch = append(batch, o); len(batch) == appendBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// appendBatch is how many sent copies one pipelined APPEND batch stores.
const appendBatch = 50

// errRender marks an error rendering a message (a template that fails on
// its data, a message over the size limit).
var errRender = errors.New("render")

// errPanic marks an error that was a recovered panic.
var errPanic = errors.New("panic")

// recoverAs turns a panic into an error wrapping errPanic, with its stack.
// Use it deferred, on the named error result of a closure.
func recoverAs(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: %v\n%s", errPanic, r, debug.Stack())
	}
}

// today returns the start of now's calendar day in the business's time
// zone: what "once a day" counts from.
func (e *Engine) today(now time.Time) time.Time {
	d := now.In(e.cfg.Settings.Location)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, d.Location())
}

// recordedToday reports whether tx holds an event of today (see today)
// that match accepts.
func (e *Engine) recordedToday(tx *ledger.Tx, now time.Time, match func(ledger.Event) bool) (bool, error) {
	evs, err := tx.EventsSince(e.today(now))
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(evs, match), nil
}

// recordPanic records, once a day per invoice, that doing what for it
// panicked (an event the history shows, and an ERROR log line); the pass
// goes on with the others.
func (e *Engine) recordPanic(ctx context.Context, invoiceID int64, what string, cause error, now time.Time) error {
	e.log.Error(what+" failed; the others go on", "invoice", invoiceID, "err", firstLine(cause.Error()))
	return e.db.Tx(ctx, func(tx *ledger.Tx) error {
		if done, err := e.recordedToday(tx, now, func(ev ledger.Event) bool {
			return ev.Kind == policy.EventEngineFailed && ev.InvoiceID == invoiceID
		}); done || err != nil {
			return err
		}
		why := policy.Why{Code: policy.WhyEngineFailed, Text: what + " failed (" + firstLine(cause.Error()) + ")"}
		return tx.AddEvent(ledger.Event{InvoiceID: invoiceID, At: now, Kind: policy.EventEngineFailed, Reason: why.English(), Why: &why})
	})
}
