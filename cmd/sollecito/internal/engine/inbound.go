package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/bank"
	"github.com/sollecito/sollecito/policy/ledger"
	"github.com/sollecito/sollecito/reply"
	"github.com/sollecito/sollecito/reply/command"
	"github.com/sollecito/sollecito/reply/invoice"
	"github.com/sollecito/sollecito/templates"
)

// errSeen rolls back the handling of a message already in the ledger.
var errSeen = errors.New("message already handled")

// handleFetched acts on one fetched message in one transaction together
// with the folder's sync state, so that a crash either handled it fully or
// not at all. A message that cannot be parsed, one over the size limit (of
// which only the header was fetched), or one whose handling panics, is
// recorded as malformed and shown to the owner; it never blocks the rest.
//
// Before the parsers of its attachments run (PDF, XML, ZIP, p7m), the
// message is marked in the ledger as being handled, in a transaction of its
// own; the transaction that records it clears the mark. poisoned says the
// mark of an earlier pass was still there: that pass died or hung on this
// message, so only its header is read, and it is recorded as malformed.
func (e *Engine) handleFetched(ctx context.Context, folder string, validity uint32, f mailbox.Fetched, poisoned bool, pre *prepared) error {
	now := e.now()
	var m *mailbox.Message
	var perr error
	switch {
	case pre != nil && pre.m != nil && !poisoned:
		m, perr = pre.m, pre.perr
		e.ahead = pre
		defer func() { e.ahead = nil }()
	case poisoned:
		m, _ = mailbox.Parse(headerOnly(f.Raw))
		perr = errors.New("an earlier pass stopped (crash, hang or kill) while reading this message: not read again")
		e.log.Warn("skipping a message an earlier pass never finished", "uid", f.UID, "folder", folder)
	default:
		m, perr = mailbox.Parse(f.Raw)
	}
	if m == nil {
		m = &mailbox.Message{Raw: f.Raw}
	}
	m.Raw = f.Raw
	if f.Oversize {
		// Only its header was read: never acted on, shown to the owner.
		perr = fmt.Errorf("%w: %d bytes (limit %d)", mailbox.ErrTooLarge, f.Size, mailbox.MaxMessageSize)
	}
	if !poisoned && !f.Oversize && len(m.Attachments) > 0 {
		if err := e.db.Tx(ctx, func(tx *ledger.Tx) error { return tx.StartAttempt(folder, validity, f.UID) }); err != nil {
			return err
		}
	}
	err := e.db.Tx(ctx, func(tx *ledger.Tx) (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic handling message: %v\n%s", r, debug.Stack())
			}
		}()
		if e.beforeRoute != nil {
			e.beforeRoute(m)
		}
		if poisoned || f.Oversize || (perr != nil && len(m.From) == 0) {
			if err := e.recordMalformed(tx, m, folder, validity, f.UID, perr, now); err != nil {
				return err
			}
		} else if err := e.route(tx, m, folder, validity, f.UID, now); err != nil {
			return err
		}
		return tx.SetSyncState(folder, validity, f.UID)
	})
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errSeen):
		e.log.Info("message already handled", "uid", f.UID, "message_id", m.MessageID)
	case ctx.Err() != nil:
		return err
	default:
		// A poison message: record it as malformed on its own, keep going.
		err2 := e.db.Tx(ctx, func(tx *ledger.Tx) error {
			if err := e.recordMalformed(tx, m, folder, validity, f.UID, err, now); err != nil && !errors.Is(err, errSeen) {
				return err
			}
			return tx.SetSyncState(folder, validity, f.UID)
		})
		if err2 != nil {
			return fmt.Errorf("message could not be handled (%v), nor recorded as malformed: %w", firstLine(err.Error()), err2)
		}
		e.log.Error("message could not be handled; recorded as malformed", "uid", f.UID, "message_id", m.MessageID, "err", err)
		return nil
	}
	return e.db.Tx(ctx, func(tx *ledger.Tx) error { return tx.SetSyncState(folder, validity, f.UID) })
}

// inbound describes a received message for the ledger.
func inbound(m *mailbox.Message, folder string, validity, uid uint32, invoiceID int64, kind, note string) ledger.Message {
	var to []string
	for _, a := range append(append([]mailbox.Address{}, m.To...), m.Cc...) {
		to = append(to, a.Email)
	}
	return ledger.Message{
		Direction: "in", MessageID: m.MessageID, Hash: m.Hash(), InvoiceID: invoiceID,
		From: m.Sender(), To: strings.Join(to, ", "), Subject: m.Subject, Date: m.Date,
		Kind: kind, Folder: folder, UID: uid, UIDValidity: validity, Note: note,
	}
}

// record stores the message; errSeen when it was already recorded.
func record(tx *ledger.Tx, msg ledger.Message) error {
	_, fresh, err := tx.RecordMessage(msg)
	if err != nil {
		return fmt.Errorf("record message: %w", err)
	}
	if !fresh {
		return errSeen
	}
	return nil
}

func (e *Engine) recordMalformed(tx *ledger.Tx, m *mailbox.Message, folder string, validity, uid uint32, cause error, now time.Time) error {
	note := firstLine(cause.Error())
	if err := record(tx, inbound(m, folder, validity, uid, 0, "malformed", note)); err != nil {
		return err
	}
	if err := tx.AddEvent(ledger.Event{At: now, Kind: policy.EventMalformed, Reason: fmt.Sprintf("uid %d in %s could not be read: %s; left in the mailbox", uid, folder, note), MessageID: m.MessageID}); err != nil {
		return err
	}
	return e.enqueue(tx, policy.Invoice{}, policy.ForwardUnmatched, now, about{m: m, words: "(" + note + ")", reading: "malformed", key: "malformed-" + m.Hash()})
}

// headerOnly returns the header block of a raw message (through its blank
// line): what can be read of a message without running a body parser.
func headerOnly(raw []byte) []byte {
	for _, sep := range []string{"\r\n\r\n", "\n\n"} {
		if i := bytes.Index(raw, []byte(sep)); i >= 0 {
			return raw[:i+len(sep)]
		}
	}
	return raw
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// route sends a message down its path: the bot's own mail is recorded only;
// the owner's mail is an invoice (bot copied) or a command (bot addressed);
// anything else is a client reply or a machine notice.
func (e *Engine) route(tx *ledger.Tx, m *mailbox.Message, folder string, validity, uid uint32, now time.Time) error {
	sender := m.Sender()
	switch {
	case sender == e.cfg.Bot.Address:
		if err := record(tx, inbound(m, folder, validity, uid, 0, "own", "the bot's own message")); err != nil {
			return err
		}
		return nil
	case e.cfg.IsOwner(sender):
		if ok, why := e.ownerVerified(m, sender); !ok {
			return e.untrusted(tx, m, folder, validity, uid, policy.Invoice{},
				policy.Why{Code: policy.WhyUnverified, Kind: "owner", Address: sender, Text: why}, now)
		}
		threaded, _, err := e.threadedInvoice(tx, m)
		if err != nil {
			return err
		}
		if !threaded && !e.addressedToBot(m) && e.copiedToBot(m) {
			return e.intake(tx, m, folder, validity, uid, now)
		}
		if auto := e.ownerAutomatic(m); auto != "" {
			// The owner's out-of-office answering the bot: never a command, never answered.
			if err := record(tx, inbound(m, folder, validity, uid, 0, "autoreply", auto)); err != nil {
				return err
			}
			return tx.AddEvent(ledger.Event{At: now, Kind: policy.EventOwnerAutomatic, Reason: fmt.Sprintf("automatic mail from the owner's address %s (%s): ignored, never answered", sender, auto), MessageID: m.MessageID})
		}
		return e.ownerMail(tx, m, folder, validity, uid, now)
	}
	return e.clientMail(tx, m, folder, validity, uid, now)
}

// ownerAutomatic says why a mail from an owner address is automatic, or ""
// for a mail a person wrote. The same reading as for client mail: RFC 3834
// and list headers, DSNs, and — for a mail holding no command the bot knows
// — the writer's own top text read as an auto-reply (many providers'
// vacation replies carry no header at all).
func (e *Engine) ownerAutomatic(m *mailbox.Message) string {
	if auto := reply.Automatic(m); auto != "" {
		return auto
	}
	text := reply.NewText(m.Body())
	if strings.TrimSpace(text) == "" {
		text = m.Body()
	}
	for _, c := range command.ParseAll(text, m.Date) {
		if c.Verb != command.Unknown {
			return ""
		}
	}
	switch v := e.classify(m); v.Kind {
	case reply.AutoReply, reply.Bounce:
		return "its text reads as " + string(v.Kind)
	}
	return ""
}

// ownerVerified reports whether mail from the owner's address sender may
// command the bot: the receiving server's Authentication-Results (carrying
// owner.authserv_id) show DKIM or SPF pass for the address's domain, or the
// configuration trusts the server (owner.trust_server). why says which.
func (e *Engine) ownerVerified(m *mailbox.Message, sender string) (bool, string) {
	if e.cfg.Owner.TrustServer {
		return true, "owner.trust_server is set"
	}
	if e.cfg.Owner.AuthservID == "" {
		return false, "owner.authserv_id is not set, so no Authentication-Results can be trusted"
	}
	return mailbox.SenderVerified(m.Raw, e.cfg.Owner.AuthservID, sender)
}

// untrusted records a mail the bot will not act on because its sender may
// not (an unverified owner address, or a stranger writing about an
// invoice) and shows it to the owner — unless the mail is automatic, which
// is only recorded, so that no two robots can keep each other busy.
func (e *Engine) untrusted(tx *ledger.Tx, m *mailbox.Message, folder string, validity, uid uint32, inv policy.Invoice, why policy.Why, now time.Time) error {
	return e.untrustedAbout(tx, m, folder, validity, uid, inv, why, now, "")
}

// untrustedAbout is untrusted for a mail that names contact as the client's
// new address (who "redirect").
func (e *Engine) untrustedAbout(tx *ledger.Tx, m *mailbox.Message, folder string, validity, uid uint32, inv policy.Invoice, why policy.Why, now time.Time, contact string) error {
	who := why.Kind
	if err := record(tx, inbound(m, folder, validity, uid, inv.ID, "unverified", who)); err != nil {
		return err
	}
	auto := reply.Automatic(m)
	why.Forward = auto == ""
	if err := tx.AddEvent(ledger.Event{InvoiceID: inv.ID, At: now, Kind: policy.UnverifiedEvent(who), Reason: why.English(), Why: &why, MessageID: m.MessageID}); err != nil {
		return err
	}
	if auto != "" {
		return nil
	}
	return e.enqueue(tx, inv, policy.Unverified, now, about{m: m, untrusted: who, contact: contact, reading: "unverified", words: reply.NewText(m.Body()), key: "unverified-" + m.Hash()})
}

// mayAct reports whether addr may act on inv: one of its contacts, or an
// address of a contact's own domain (not a public mail provider's).
func mayAct(tx *ledger.Tx, inv policy.Invoice, addr string) (bool, error) {
	addr = strings.ToLower(addr)
	if addr == "" {
		return false, nil
	}
	contacts, err := tx.Contacts(inv.ID)
	if err != nil {
		return false, fmt.Errorf("contacts of invoice %d: %w", inv.ID, err)
	}
	contacts = append(contacts, inv.Client)
	for _, c := range contacts {
		c = strings.ToLower(c)
		if c == addr || sameDomain(c, addr) && !publicMailDomain(addr) {
			return true, nil
		}
	}
	return false, nil
}

// publicMailDomain reports whether addr is on a public provider's domain
// (mailbox.PublicProvider): sharing it with a contact proves nothing.
func publicMailDomain(addr string) bool { return mailbox.PublicProvider(addr) }

// addressedToBot reports whether the bot is in To (a mail written to it).
func (e *Engine) addressedToBot(m *mailbox.Message) bool {
	for _, a := range m.To {
		if a.Email == e.cfg.Bot.Address {
			return true
		}
	}
	return false
}

// copiedToBot reports whether the bot got the mail as a copy: Cc, a Bcc
// header (the sender's copy), or only the delivery headers (a Bcc copy).
func (e *Engine) copiedToBot(m *mailbox.Message) bool {
	for _, a := range append(append([]mailbox.Address{}, m.Cc...), m.Bcc...) {
		if a.Email == e.cfg.Bot.Address {
			return true
		}
	}
	bot := e.cfg.Bot.Address
	for _, k := range []string{"Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "Received"} {
		for _, v := range m.Header[k] {
			if strings.Contains(strings.ToLower(v), bot) {
				return true
			}
		}
	}
	return false
}

// threadedInvoice finds the invoice a message answers through its
// In-Reply-To and References headers.
func (e *Engine) threadedInvoice(tx *ledger.Tx, m *mailbox.Message) (bool, int64, error) {
	ids := append(append([]string{}, m.InReplyTo...), m.References...)
	ids = append(ids, attachedMessageIDs(m)...)
	if len(ids) == 0 {
		return false, 0, nil
	}
	id, ok, err := tx.InvoiceForMessageIDs(ids)
	if err != nil {
		return false, 0, fmt.Errorf("thread lookup: %w", err)
	}
	return ok, id, nil
}

var headerMessageID = regexp.MustCompile(`(?im)^(?:message-id|in-reply-to|references):\s*<([^>\s]+)>`)

// attachedMessageIDs reads the Message-IDs quoted in attached messages or
// headers (a delivery report carries the headers of the mail that failed).
func attachedMessageIDs(m *mailbox.Message) []string {
	var ids []string
	for _, a := range m.Attachments {
		if !strings.HasPrefix(a.ContentType, "message/") && !strings.HasPrefix(a.ContentType, "text/rfc822") {
			continue
		}
		for _, sm := range headerMessageID.FindAllSubmatch(a.Data, 8) {
			ids = append(ids, string(sm[1]))
		}
	}
	return ids
}

// matchInvoice finds the invoice a client message is about, as DESIGN.md
// says: threading, then an invoice number in subject or body, then the
// sender's only open invoice. ok is false when nothing matches for sure.
func (e *Engine) matchInvoice(tx *ledger.Tx, m *mailbox.Message, addr string) (policy.Invoice, string, bool, error) {
	if ok, id, err := e.threadedInvoice(tx, m); err != nil {
		return policy.Invoice{}, "", false, err
	} else if ok {
		inv, err := tx.Invoice(id)
		if err != nil {
			return policy.Invoice{}, "", false, fmt.Errorf("invoice %d: %w", id, err)
		}
		return inv, howThreaded, true, nil
	}
	// The numbers the message names: every word of it looked up in the
	// number index (no scan of the invoices), and the few numbers a word
	// cannot hold (a space, a dot) looked for in the text.
	text := m.Subject + "\n" + m.Body()
	hits, err := tx.InvoicesByNumbers(e.tokens(m, text))
	if err != nil {
		return policy.Invoice{}, "", false, err
	}
	spaced, err := tx.InvoicesWithSpacedNumbers()
	if err != nil {
		return policy.Invoice{}, "", false, err
	}
	for _, inv := range spaced {
		if containsToken(text, inv.Number) {
			hits = append(hits, inv)
		}
	}
	if len(hits) > 1 && addr != "" {
		// The same number from two businesses' series: keep the sender's.
		var own []policy.Invoice
		for _, inv := range hits {
			if inv.Client == addr || sameDomain(inv.Client, addr) {
				own = append(own, inv)
			}
		}
		hits = own
	}
	if len(hits) == 1 {
		return hits[0], "invoice number " + hits[0].Number + " in the message", true, nil
	}
	if addr == "" {
		return policy.Invoice{}, "", false, nil
	}
	byContact, err := tx.InvoicesByContact(addr)
	if err != nil {
		return policy.Invoice{}, "", false, err
	}
	var open []policy.Invoice
	for _, inv := range byContact {
		if !inv.State.Closed() {
			open = append(open, inv)
		}
	}
	if len(open) == 1 {
		return open[0], "the sender's only open invoice", true, nil
	}
	return policy.Invoice{}, "", false, nil
}

// unreadKind is the reading of a mail not read (reply.Unread): a
// stranger's mail that names no invoice.
const unreadKind = "unread"

// knownSender reports whether addr is a contact of any invoice (in any
// state), or writes from a contact's own domain (not a public provider's):
// mail from it may concern an invoice although it names none.
func knownSender(tx *ledger.Tx, addr string) (bool, error) {
	if addr == "" {
		return false, nil
	}
	invs, err := tx.InvoicesByContact(addr)
	if err != nil || len(invs) > 0 {
		return len(invs) > 0, err
	}
	if publicMailDomain(addr) {
		return false, nil
	}
	_, domain, _ := strings.Cut(addr, "@")
	return tx.KnowsDomain(domain)
}

// howThreaded is how matchInvoice says it matched by threading.
const howThreaded = "threaded under the bot's message"

// maxTokens bounds how many distinct words of a message are looked up as
// invoice numbers: an invoice number is named near the top.
const maxTokens = 4096

// tokensOf returns the distinct maximal runs of token bytes of text (see
// isTokenByte) that hold a digit: the words an invoice number can be.
func tokensOf(text string) []string {
	seen := map[string]bool{}
	var out []string
	for i := 0; i < len(text) && len(out) < maxTokens; {
		if !isTokenByte(text[i]) {
			i++
			continue
		}
		j := i
		digit := false
		for j < len(text) && isTokenByte(text[j]) {
			digit = digit || text[j] >= '0' && text[j] <= '9'
			j++
		}
		if w := text[i:j]; digit && !seen[w] && len(w) <= 64 {
			seen[w] = true
			out = append(out, w)
		}
		i = j
	}
	return out
}

// containsToken reports whether number stands in text as a whole token (not
// inside a longer number).
func containsToken(text, number string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], number)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(number)
		if (start == 0 || !isTokenByte(text[start-1])) && (end == len(text) || !isTokenByte(text[end])) {
			return true
		}
		i = start + 1
	}
}

func isTokenByte(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '/' || b == '-'
}

func sameDomain(a, b string) bool {
	i, j := strings.LastIndexByte(a, '@'), strings.LastIndexByte(b, '@')
	return i >= 0 && j >= 0 && strings.EqualFold(a[i:], b[j:])
}

// intake registers the invoices of an owner's mail on which the bot is copied.
func (e *Engine) intake(tx *ledger.Tx, m *mailbox.Message, folder string, validity, uid uint32, now time.Time) error {
	// One invoice, one per instalment of a plan, or one per invoice of a
	// mail that carries several.
	type part struct {
		inv policy.Invoice
		f   invoice.Fields
	}
	var parts []part
	for _, f := range e.extract(m) {
		for _, inv := range policy.Intake(f, e.cfg.Owner.Language) {
			parts = append(parts, part{inv, f})
		}
	}
	source := ""
	if len(parts) == 0 {
		// A credit note: recorded, shown in the history, never chased.
		if err := record(tx, inbound(m, folder, validity, uid, 0, "credit_note", "a credit note: nothing to chase")); err != nil {
			return err
		}
		return tx.AddEvent(ledger.Event{At: now, Kind: policy.EventCreditNote, MessageID: m.MessageID,
			Reason: fmt.Sprintf("credit note %q copied to the bot: money owed to the client, nothing to chase", m.Subject)})
	}
	var atts []ledger.Attachment
	for _, a := range m.Attachments {
		atts = append(atts, ledger.Attachment{Filename: a.Filename, ContentType: a.ContentType, Data: a.Data})
	}
	var firstID int64
	for i, p := range parts {
		inv, f := p.inv, p.f
		source = f.Source
		src := ledger.Source{MessageID: m.MessageID, Subject: m.Subject, Raw: m.Raw, Attachments: atts, Contacts: f.ClientEmails}
		if i > 0 {
			src.MessageID = fmt.Sprintf("%s#%d", m.MessageID, i+1)
		}
		id, err := tx.CreateInvoice(inv, src)
		if errors.Is(err, ledger.ErrExists) {
			return errSeen
		}
		if err != nil {
			return fmt.Errorf("create invoice: %w", err)
		}
		if i == 0 {
			firstID = id
		}
		inv.ID = id
		client := inv.Client
		if inv.ClientName != "" {
			client = fmt.Sprintf("%s <%s>", inv.ClientName, orNone(client))
		}
		missing := append([]string{}, f.Missing...)
		if inv.Client == "" {
			missing = appendUnique(missing, invoice.FieldClient)
		}
		why := policy.Why{Code: policy.WhyIntake, Number: inv.Number, Address: client, Kind: f.Source,
			Amount: inv.Amount, Currency: inv.Currency, From: inv.DueDate, Missing: missing}
		if err := tx.AddEvent(ledger.Event{InvoiceID: id, At: now, Kind: policy.EventIntake, Reason: why.English(), Why: &why, MessageID: m.MessageID}); err != nil {
			return err
		}
		if len(missing) > 0 {
			if err := e.enqueue(tx, inv, policy.MissingFields, now, about{m: m, missing: missing, key: "intake-" + m.MessageID}); err != nil {
				return err
			}
		}
	}
	return record(tx, inbound(m, folder, validity, uid, firstID, "invoice", source))
}

func appendUnique(list []string, s string) []string {
	for _, v := range list {
		if v == s {
			return list
		}
	}
	return append(list, s)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// clientMail acts on a message from anyone but the owner and the bot.
func (e *Engine) clientMail(tx *ledger.Tx, m *mailbox.Message, folder string, validity, uid uint32, now time.Time) error {
	if bulk := reply.Bulk(m); bulk != "" {
		// A newsletter or a list's mail is read only when it concerns an
		// invoice (its thread, a contact, a number); otherwise it is
		// counted in the summary, neither read nor forwarded.
		_, _, ok, err := e.matchInvoice(tx, m, m.Sender())
		if err != nil {
			return err
		}
		if !ok {
			if err := record(tx, inbound(m, folder, validity, uid, 0, ledger.UnmatchedKind("bulk"), "")); err != nil {
				return err
			}
			return tx.AddEvent(ledger.Event{At: now, Kind: policy.EventUnmatched, MessageID: m.MessageID,
				Reason: fmt.Sprintf("list or bulk mail (%s) from %s matches no invoice: counted in the summary, not read nor forwarded", bulk, orNone(m.Sender()))})
		}
	}
	// A machine's notice is known from its headers and head; a bounce is
	// matched by the address that failed.
	nv, isNotice := e.notice(m)
	addr := m.Sender()
	if isNotice && nv.Kind == reply.Bounce {
		addr = nv.FailedRecipient
	}
	inv, how, ok, err := e.matchInvoice(tx, m, addr)
	if err != nil {
		return err
	}
	// Only mail that may concern an invoice is read: it matches one, it
	// is a notice, or its sender is a client's address or domain. A
	// stranger's mail that names no invoice goes to the owner unread.
	read := ok || isNotice
	if !read {
		if read, err = knownSender(tx, m.Sender()); err != nil {
			return err
		}
	}
	var v reply.Verdict
	kind := unreadKind
	if read {
		v = e.classify(m)
		kind = string(v.Kind)
	} else {
		v = e.unread(m)
	}
	if ok && how != howThreaded && v.Kind != reply.AutoReply {
		// Only the client (or the thread of the bot's own message) may act
		// on an invoice: a "paid" from a stranger who names the number is
		// shown to the owner and acted on by no one.
		may, err := mayAct(tx, inv, addr)
		if err != nil {
			return err
		}
		if !may {
			return e.untrusted(tx, m, folder, validity, uid, inv,
				policy.Why{Code: policy.WhyUnverified, Kind: "contact", Address: addr, Text: kind, Number: inv.Number}, now)
		}
	}
	if ok && (v.Kind == reply.Redirect || v.Guess == reply.Redirect) && v.RedirectTo != "" {
		// A thread is no proof of who writes: its Message-IDs travel with
		// every forward and quote. Only a contact (or its own domain) may
		// move the chase to another address; anyone else's redirect is a
		// question for the owner.
		may, err := mayAct(tx, inv, addr)
		if err != nil {
			return err
		}
		if !may {
			return e.untrustedAbout(tx, m, folder, validity, uid, inv,
				policy.Why{Code: policy.WhyUnverified, Kind: "redirect", Address: addr, Text: v.RedirectTo, Number: inv.Number}, now, v.RedirectTo)
		}
	}
	if !ok {
		if err := record(tx, inbound(m, folder, validity, uid, 0, ledger.UnmatchedKind(kind), "")); err != nil {
			return err
		}
		reason := fmt.Sprintf("reply from %s read as %s matches no invoice", orNone(m.Sender()), kind)
		if !read {
			reason = fmt.Sprintf("mail from %s, whom no invoice knows, names no invoice: not read", orNone(m.Sender()))
		}
		if v.Kind == reply.AutoReply {
			return tx.AddEvent(ledger.Event{At: now, Kind: policy.ReplyEvent("autoreply"), Reason: reason + "; ignored, never answered", MessageID: m.MessageID})
		}
		if auto := reply.Automatic(m); auto != "" {
			// Newsletters, lists and bulk mail that concern no invoice are
			// counted in the summary, never forwarded one by one.
			return tx.AddEvent(ledger.Event{At: now, Kind: policy.EventUnmatched, Reason: reason + "; automatic or bulk mail (" + auto + "): counted in the summary, not forwarded", MessageID: m.MessageID})
		}
		if err := tx.AddEvent(ledger.Event{At: now, Kind: policy.EventUnmatched, Reason: reason + "; shown to the owner", MessageID: m.MessageID}); err != nil {
			return err
		}
		return e.enqueue(tx, policy.Invoice{}, policy.ForwardUnmatched, now, about{m: m, verdict: &v, reading: kind, key: "unmatched-" + m.Hash()})
	}
	if err := record(tx, inbound(m, folder, validity, uid, inv.ID, kind, readingNote(how, v))); err != nil {
		return err
	}
	step := policy.OnReply(inv, v, now, e.cfg.Settings)
	if auto := reply.Automatic(m); auto != "" {
		step = policy.NeverAnswered(inv, step, auto, now)
	}
	if v.Kind == reply.Redirect && v.RedirectTo != "" {
		if err := tx.AddContact(inv.ID, v.RedirectTo, "named by "+m.Sender()); err != nil {
			return err
		}
	}
	reason := fmt.Sprintf("reply from %s (%s) read as %s", m.Sender(), how, kind)
	if !v.PromisedDate.IsZero() {
		reason += ", promised " + v.PromisedDate.Format("2006-01-02")
	}
	if step.Reason != "" {
		reason += ": " + step.Reason
	}
	return e.apply(tx, inv, step, now, policy.ReplyEvent(kind), reason, about{m: m, verdict: &v, reading: kind, contact: strings.ToLower(strings.TrimSpace(v.RedirectTo)), key: "reply-" + m.Hash()})
}

// readingNote is what a reply's ledger note keeps of how the bot read it:
// how it was matched, and the words or headers that decided its kind.
func readingNote(how string, v reply.Verdict) string {
	note := "matched: " + how
	if len(v.Evidence) > 0 {
		note += "; read from: " + strings.Join(v.Evidence, "; ")
	}
	return note
}

// ownerMail applies the commands of a mail from the owner to the bot.
func (e *Engine) ownerMail(tx *ledger.Tx, m *mailbox.Message, folder string, validity, uid uint32, now time.Time) error {
	text := reply.NewText(m.Body())
	if strings.TrimSpace(text) == "" {
		text = m.Body()
	}
	ref := m.Date
	if ref.IsZero() {
		ref = now
	}
	cmds := command.ParseAll(text, ref)
	inv, how, ok, err := e.matchInvoice(tx, m, "")
	if err != nil {
		return err
	}
	var invID int64
	if ok {
		invID = inv.ID
	}
	if err := record(tx, inbound(m, folder, validity, uid, invID, "command", how)); err != nil {
		return err
	}
	var answered *ledger.Credit // the bank credit a "sì" confirms
	if ok && !knownCommand(cmds) {
		c, credit, err := e.creditAnswer(tx, m, inv, text)
		if err != nil {
			return err
		}
		if credit != nil {
			cmds, answered = []command.Command{c}, credit
		}
	}
	before := inv
	n := about{m: m, key: "command-" + m.Hash()}
	if answered != nil {
		n.valueDate = answered.ValueDate // interest stops on the day the money arrived
	}
	understood := false
	credits, names, problems := statementIn(m, e.cfg.CSVColumns())
	if len(names) == 0 && len(problems) == 0 && !knownCommand(cmds) {
		// A payment notice the owner forwarded ("Hai ricevuto un
		// pagamento", "Bonifico in entrata"): its one credit, as a
		// statement's. Only the owner's are read: a stranger's could be
		// forged.
		if c, ok, _ := bank.ReadNotice(m.Subject, m.Body(), m.Date); ok {
			credits, names = []bank.Credit{c}, []string{"payment notice"}
		}
	}
	if len(names) > 0 || len(problems) > 0 {
		// A bank statement the owner mailed: its credits are recorded and
		// the invoices they certainly pay are marked paid, before the
		// schedule of this pass decides anything.
		understood = true
		r := ImportReport{Read: len(credits)}
		for _, c := range credits {
			if err := e.importCredit(tx, c, "mail "+m.MessageID+" "+strings.Join(names, ", "), &r); err != nil {
				return fmt.Errorf("credit %s: %w", c.Ref, err)
			}
		}
		if err := tx.AddEvent(ledger.Event{At: now, Kind: policy.EventPaymentsImport, MessageID: m.MessageID, Reason: describeImport("en", r, problems)}); err != nil {
			return err
		}
		done := n
		done.key = "statement-" + m.Hash()
		done.command = describeImport(e.cfg.Owner.Language, r, problems)
		if err := e.enqueue(tx, policy.Invoice{}, policy.CommandDone, now, done); err != nil {
			return err
		}
	}
	var done []string   // the confirmations this mail's commands earned
	var doneAbout about // what the last of them is about
	for i, c := range cmds {
		if c.Verb == command.Unknown {
			continue
		}
		understood = true
		if c.Verb == command.Status {
			why := policy.Why{Code: policy.WhyCmdStatus}
			if err := tx.AddEvent(ledger.Event{At: now, Kind: policy.CommandEvent("status"), Reason: why.English(), Why: &why, MessageID: m.MessageID}); err != nil {
				return err
			}
			if err := e.statusSummary(tx, now, about{m: m, key: fmt.Sprintf("command-%s-%d", m.Hash(), i)}); err != nil {
				return err
			}
			continue
		}
		if c.Verb == command.Help {
			why := policy.Why{Code: policy.WhyCmdHelp}
			if err := tx.AddEvent(ledger.Event{InvoiceID: invID, At: now, Kind: policy.CommandEvent("help"), Reason: why.English(), Why: &why, MessageID: m.MessageID}); err != nil {
				return err
			}
			h := about{m: m, help: true, key: fmt.Sprintf("command-%s-%d", m.Hash(), i)}
			if err := e.enqueue(tx, inv, policy.CommandHelp, now, h); err != nil {
				return err
			}
			continue
		}
		if c.Verb.PerClient() {
			n.key = fmt.Sprintf("command-%s-%d", m.Hash(), i)
			if err := e.clientCommand(tx, m, inv, ok, c, now, n); err != nil {
				return err
			}
			continue
		}
		if !ok {
			n.command = templates.NoInvoiceNamed(e.cfg.Owner.Language)
			return e.enqueue(tx, policy.Invoice{}, policy.CommandHelp, now, n)
		}
		if c.Verb == command.Undo {
			n.key = fmt.Sprintf("command-%s-%d", m.Hash(), i)
			undone, err := e.undo(tx, m, inv, now, n)
			if err != nil {
				return err
			}
			if undone != nil {
				inv = *undone
				done = append(done, templates.Undone(e.cfg.Owner.Language, undone.Number))
				doneAbout = n
			}
			continue
		}
		step, err := policy.OnCommand(inv, c, now, e.cfg.Settings)
		n.key = fmt.Sprintf("command-%s-%d", m.Hash(), i)
		if err == nil && c.Verb == command.SendNotice {
			err = e.noticeProvisional(tx, inv, c, now)
		}
		if err == nil && c.Verb == command.SendNotice {
			to := inv.Client
			if c.Address != "" {
				to = c.Address
			}
			if _, refuse := policy.NoticeRoute(e.cfg.HasPEC(), mailbox.LooksPEC(to), c.Anyway); refuse {
				err = e.noticeNotPEC(to)
			}
		}
		if err != nil {
			n.command = refusal(e.cfg.Owner.Language, err)
			if c.Verb == command.WriteOff && c.Amount.IsPositive() {
				n.command = templates.WriteOffRefusal(e.cfg.Owner.Language, inv.Number, inv.Currency, c.Amount)
			}
			why := policy.Why{Code: policy.WhyCmdRefused, Text: n.command}
			if err := tx.AddEvent(ledger.Event{InvoiceID: inv.ID, At: now, Kind: policy.CommandEvent("refused"), Reason: err.Error(), Why: &why, MessageID: m.MessageID}); err != nil {
				return err
			}
			if err := e.enqueue(tx, inv, policy.CommandHelp, now, n); err != nil {
				return err
			}
			continue
		}
		if c.Verb == command.Contact && c.Address != "" {
			if err := tx.AddContact(inv.ID, c.Address, "set by the owner"); err != nil {
				return err
			}
		}
		n.command = templates.Command(c, e.cfg.Owner.Language, inv.Currency)
		n.to = ""
		if c.Verb == command.SendNotice {
			sum, err := e.claimWords(tx, inv, now)
			if err != nil {
				return err
			}
			n.detail = sum
			to := inv.Client
			if c.Address != "" {
				to, n.to = c.Address, c.Address
			}
			route := templates.NoticeRoute(e.cfg.Owner.Language, e.cfg.PEC.Address, to, e.cfg.HasPEC(), mailbox.LooksPEC(to))
			n.detail += route
			// The route is part of the decision, as data.
			w := *step.Why
			w.Address = to
			w.Kind, _ = policy.NoticeRoute(e.cfg.HasPEC(), mailbox.LooksPEC(to), true)
			if e.cfg.HasPEC() {
				w.Text = e.cfg.PEC.Address
			}
			step.Why = &w
			step.Reason = w.English()
		}
		// One mail, one answer: the confirmations of every command in it
		// go out together, after the last.
		var send []policy.Template
		for _, t := range step.Send {
			if t == policy.CommandDone {
				done = append(done, n.command)
				undoBy, detail := doneAbout.undoBy, doneAbout.detail
				doneAbout = n
				doneAbout.undoBy = undoBy
				if detail != "" && n.detail == "" {
					doneAbout.detail = detail
				}
				continue
			}
			send = append(send, t)
		}
		step.Send = send
		if undoable[c.Verb] {
			// A closing command can be taken back within a week ("annulla").
			if err := tx.SaveUndo(now, string(c.Verb), inv); err != nil {
				return err
			}
			doneAbout.undoBy = now.In(e.cfg.Settings.Location).AddDate(0, 0, undoDays)
		}
		if err := e.apply(tx, inv, step, now, policy.CommandEvent(string(c.Verb)), step.Reason, n); err != nil {
			return err
		}
		inv = step.Then
	}
	if len(done) > 0 {
		doneAbout.command = strings.Join(done, "; ")
		doneAbout.key = "command-" + m.Hash() + "-done"
		if err := e.enqueue(tx, inv, policy.CommandDone, now, doneAbout); err != nil {
			return err
		}
	}
	if answered != nil {
		// The credit is the payment the owner confirmed, once the
		// invoice took it.
		if after, err := tx.Invoice(inv.ID); err != nil {
			return err
		} else if after.State != before.State || after.PaidAmount.GreaterThan(before.PaidAmount) {
			if err := tx.SetCreditMatch(answered.ID, ledger.CreditPaid, []int64{inv.ID}, "confirmed by the owner (\"sì\")"); err != nil {
				return err
			}
		}
	}
	if !understood {
		if why, err := e.helpWithheld(tx, m, now); err != nil {
			return err
		} else if why != "" {
			w := policy.Why{Code: policy.WhyCmdUnknown, Text: why}
			return tx.AddEvent(ledger.Event{InvoiceID: invID, At: now, Kind: policy.CommandEvent("unknown"), Reason: w.English(), Why: &w, MessageID: m.MessageID})
		}
		w := policy.Why{Code: policy.WhyCmdUnknown, Ready: true}
		if err := tx.AddEvent(ledger.Event{InvoiceID: invID, At: now, Kind: policy.CommandEvent("unknown"), Reason: w.English(), Why: &w, MessageID: m.MessageID}); err != nil {
			return err
		}
		return e.enqueue(tx, inv, policy.CommandHelp, now, n)
	}
	return nil
}

// helpWithheld says why a mail the bot did not understand gets no help,
// "" when it may: the help goes at most once a calendar day to an owner
// address, and never in answer to a mail that answers one of the bot's
// help messages — two robots answering each other stop there.
func (e *Engine) helpWithheld(tx *ledger.Tx, m *mailbox.Message, now time.Time) (string, error) {
	for _, id := range append(append([]string{}, m.References...), m.InReplyTo...) {
		if id == "" {
			continue
		}
		o, err := tx.OutgoingByMessageID(id)
		if errors.Is(err, ledger.ErrNotFound) {
			continue
		} else if err != nil {
			return "", err
		}
		if o.Template == string(policy.CommandHelp) {
			return "it answers a help message of the bot's", nil
		}
	}
	n, err := tx.EnqueuedSince(m.Sender(), e.today(now), string(policy.CommandHelp))
	if err != nil {
		return "", err
	}
	if n > 0 {
		return fmt.Sprintf("a help message already went to %s today", m.Sender()), nil
	}
	return "", nil
}

// clientCommand applies a per-client command (tolerance, language, payment
// days, exclude, include) to the address it names, else to the client of
// the invoice the mail is about, and confirms it to the owner. The setting
// is stored in the ledger and overrides the configuration's [clients]
// section for that key and address.
func (e *Engine) clientCommand(tx *ledger.Tx, m *mailbox.Message, inv policy.Invoice, matched bool, c command.Command, now time.Time, n about) error {
	lang := e.cfg.Owner.Language
	if !matched {
		inv = policy.Invoice{}
	}
	addr := c.Client
	if addr == "" {
		addr = inv.Client
	}
	if addr == "" {
		n.command = map[string]string{
			"it": "di quale cliente? Scriva il suo indirizzo dopo il comando (per esempio: tolleranza 5 amministrazione@cliente.it), o risponda a un mio messaggio su una sua fattura",
			"en": "which client? Write its address after the command (for example: tolerance 5 accounts@client.com), or reply to one of my messages about its invoices",
		}[lang]
		return e.enqueue(tx, inv, policy.CommandHelp, now, n)
	}
	cur, err := e.clientSettings(tx, addr)
	if err != nil {
		return err
	}
	next, why, err := policy.OnClientCommand(cur, c)
	if err != nil {
		n.command = refusal(e.cfg.Owner.Language, err)
		why := policy.Why{Code: policy.WhyCmdRefused, Text: addr + ": " + refusal(e.cfg.Owner.Language, err)}
		if err := tx.AddEvent(ledger.Event{InvoiceID: inv.ID, At: now, Kind: policy.CommandEvent("refused"), Reason: fmt.Sprintf("client %s: %s", addr, err), Why: &why, MessageID: m.MessageID}); err != nil {
			return err
		}
		return e.enqueue(tx, inv, policy.CommandHelp, now, n)
	}
	o := ledger.ClientOverride{Address: addr}
	switch c.Verb {
	case command.Tolerance:
		o.ToleranceDays = &next.ToleranceDays
	case command.Language:
		o.Language = &next.Language
	case command.PaymentDays:
		o.PaymentDays = next.PaymentDays
	case command.Exclude, command.Include:
		o.Exclude = &next.Exclude
	}
	if err := tx.SetClientOverride(o); err != nil {
		return err
	}
	reason := fmt.Sprintf("owner: client %s: %s (set by email; overrides the configuration file for this client)", addr, why)
	set := policy.Why{Code: policy.WhyClientSet, Address: addr, Text: templates.Command(c, lang, "")}
	if lang != "it" {
		set.Text = why // the rule's own words
	}
	if err := tx.AddEvent(ledger.Event{InvoiceID: inv.ID, At: now, Kind: policy.CommandEvent(string(c.Verb)), Reason: reason, Why: &set, MessageID: m.MessageID}); err != nil {
		return err
	}
	n.command = templates.Command(c, lang, "")
	if c.Client == "" {
		n.command += " (" + addr + ")"
	}
	return e.enqueue(tx, inv, policy.CommandDone, now, n)
}

// apply carries out a policy step: the invoice update, the event and the
// messages, all in the caller's transaction.
func (e *Engine) apply(tx *ledger.Tx, before policy.Invoice, step policy.Step, now time.Time, kind policy.EventKind, reason string, n about) error {
	after := step.Then
	if after.ID == 0 {
		after.ID = before.ID
	}
	if after != before {
		if err := tx.UpdateInvoice(after); err != nil {
			return fmt.Errorf("update invoice %d: %w", after.ID, err)
		}
	}
	msgID := ""
	if n.m != nil {
		msgID = n.m.MessageID
	}
	ev := ledger.Event{InvoiceID: after.ID, At: now, Kind: kind, Reason: reason, MessageID: msgID}
	if step.Why != nil && strings.HasSuffix(reason, step.Why.English()) {
		// The decision as data, for views in the owner's language (what
		// comes before it, such as who wrote, they show apart).
		ev.Why = step.Why
	}
	if got := after.PaidAmount.Sub(before.PaidAmount); got.IsPositive() {
		ev.Amount = got       // money this decision records as received
		ev.Date = n.valueDate // the day the bank says it arrived, when a credit brought it
	}
	if v := n.verdict; v != nil {
		ev.Date, ev.Address = v.PromisedDate, v.FailedRecipient
	}
	if err := tx.AddEvent(ev); err != nil {
		return err
	}
	for _, t := range step.Send {
		if err := e.enqueue(tx, after, t, now, n); err != nil {
			return err
		}
	}
	return nil
}

// noticeProvisional refuses a formal notice whose interest uses a rate the
// table lacks (the latest known one assumed), unless the owner wrote
// "comunque"/"anyway": a legal notice with a provisional figure needs the
// owner's explicit word.
func (e *Engine) noticeProvisional(tx *ledger.Tx, inv policy.Invoice, c command.Command, now time.Time) error {
	if c.Anyway {
		return nil
	}
	claim, ok, err := e.claim(tx, inv, now)
	if err != nil || !ok || !claim.Assumed() {
		return err
	}
	var halves []string
	for _, p := range claim.Periods {
		if h := p.HalfYear(); p.Assumed && !slices.Contains(halves, templates.Date(e.cfg.Owner.Language, h)) {
			halves = append(halves, templates.Date(e.cfg.Owner.Language, h))
		}
	}
	if e.cfg.Owner.Language == "it" {
		return fmt.Errorf("%w: la diffida calcolerebbe gli interessi con un tasso provvisorio per il semestre dal %s (il tasso pubblicato non è nella tabella): "+
			"aggiunga il tasso in policy.rates_file, oppure scriva «invia diffida comunque» per mandarla con il calcolo provvisorio",
			policy.ErrNotApplicable, strings.Join(halves, ", "))
	}
	return fmt.Errorf("%w: the notice would compute interest at a provisional rate for the half-year from %s (the published rate is not in the table): "+
		"add it to policy.rates_file, or write \"send notice anyway\" to send it with the provisional figure",
		policy.ErrNotApplicable, strings.Join(halves, ", "))
}

// claimWords says the sum a formal notice claims and how it is made up,
// for the owner's confirmation: " — somma richiesta € 1.277,98 (capitale
// € 1.220,00 + interessi € 17,98 + risarcimento € 40,00; calcolo provvisorio)".
func (e *Engine) claimWords(tx *ledger.Tx, inv policy.Invoice, now time.Time) (string, error) {
	claim, ok, err := e.claim(tx, inv, now)
	if err != nil || !ok {
		return "", err
	}
	capital := inv.Outstanding()
	return templates.ClaimSum(e.cfg.Owner.Language, inv.Currency, capital, claim.Amount, claim.Compensation, claim.Assumed()), nil
}

// knownCommand reports whether cmds hold a command the bot knows.
func knownCommand(cmds []command.Command) bool {
	for _, c := range cmds {
		if c.Verb != command.Unknown {
			return true
		}
	}
	return false
}

// yesWords open an owner's answer that confirms what the bot asked.
var yesWords = map[string]bool{"sì": true, "si": true, "yes": true, "y": true, "ok": true, "okay": true, "confermo": true,
	"esatto": true, "giusto": true, "corretto": true, "certo": true, "confirmed": true, "correct": true}

// creditAnswer reads an owner's mail that answers a credit_question
// about inv with "sì": the command it stands for (paid, or partly paid
// with the credit's amount) and the credit; nil when the mail is no such
// answer, or the credit it would confirm is not one waiting for the owner.
func (e *Engine) creditAnswer(tx *ledger.Tx, m *mailbox.Message, inv policy.Invoice, text string) (command.Command, *ledger.Credit, error) {
	fields := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",.;:!«»\"'", r)
	})
	if len(fields) == 0 || !yesWords[fields[0]] {
		return command.Command{}, nil, nil
	}
	asked := false
	for _, id := range append(append([]string{}, m.InReplyTo...), m.References...) {
		o, err := tx.OutgoingByMessageID(id)
		if errors.Is(err, ledger.ErrNotFound) {
			continue
		} else if err != nil {
			return command.Command{}, nil, err
		}
		if o.Template == string(policy.CreditQuestion) && o.InvoiceID == inv.ID {
			asked = true
			break
		}
	}
	if !asked {
		return command.Command{}, nil, nil
	}
	credits, err := tx.Credits()
	if err != nil {
		return command.Command{}, nil, err
	}
	var waiting []ledger.Credit
	for _, c := range credits {
		if c.Match == ledger.CreditProbable && slices.Equal(c.Invoices, []int64{inv.ID}) {
			waiting = append(waiting, c)
		}
	}
	if len(waiting) != 1 {
		return command.Command{}, nil, nil // none left, or several: the owner says which with "pagata"
	}
	c := waiting[0]
	if c.Currency == inv.Currency && c.Amount.GreaterThanOrEqual(inv.Outstanding()) {
		return command.Command{Verb: command.Paid}, &c, nil
	}
	return command.Command{Verb: command.PartlyPaid, Amount: c.Amount, Currency: c.Currency}, &c, nil
}

// undoDays is how long a closing command can be taken back.
const undoDays = 7

// undoable are the commands "annulla"/"undo" takes back: those that close
// or stop a case and send the client nothing (a notice or an offer that
// went out cannot be unsent).
var undoable = map[command.Verb]bool{command.Paid: true, command.WriteOff: true, command.Stop: true}

// undo puts inv back as it was before the last closing command of the
// past undoDays, and returns it; with none, it tells the owner why and
// returns nil.
func (e *Engine) undo(tx *ledger.Tx, m *mailbox.Message, inv policy.Invoice, now time.Time, n about) (*policy.Invoice, error) {
	u, err := tx.LastUndo(inv.ID, now.AddDate(0, 0, -undoDays))
	if errors.Is(err, ledger.ErrNotFound) {
		n.command = templates.NothingToUndo(e.cfg.Owner.Language, inv.Number, undoDays)
		why := policy.Why{Code: policy.WhyCmdRefused, Text: n.command}
		if err := tx.AddEvent(ledger.Event{InvoiceID: inv.ID, At: now, Kind: policy.CommandEvent("refused"), Reason: "undo: nothing to take back", Why: &why, MessageID: m.MessageID}); err != nil {
			return nil, err
		}
		return nil, e.enqueue(tx, inv, policy.CommandHelp, now, n)
	} else if err != nil {
		return nil, err
	}
	before := u.Before
	if err := tx.UpdateInvoice(before); err != nil {
		return nil, fmt.Errorf("undo on invoice %d: %w", inv.ID, err)
	}
	if err := tx.MarkUndone(u.ID, now); err != nil {
		return nil, err
	}
	why := policy.Why{Code: policy.WhyUndo, Kind: string(u.Verb), At: u.At.In(e.cfg.Settings.Location), State: before.State}
	if err := tx.AddEvent(ledger.Event{InvoiceID: inv.ID, At: now, Kind: policy.CommandEvent("undo"), Reason: why.English(), Why: &why, MessageID: m.MessageID}); err != nil {
		return nil, err
	}
	if policy.EventKind(u.Verb) == policy.EventPaymentBank {
		// The credit that paid it waits for the owner again.
		if err := tx.UnpayCredits(inv.ID, "the owner took the payment back (undo)"); err != nil {
			return nil, err
		}
	}
	return &before, nil
}

// noticeNotPEC refuses a formal notice through the PEC account to an
// address that is not a PEC mailbox, unless the owner wrote
// "comunque"/"anyway": such a notice gets no delivery receipt with legal
// value, which a lawyer will want.
func (e *Engine) noticeNotPEC(to string) error {
	if e.cfg.Owner.Language == "it" {
		return fmt.Errorf("%w: %s non sembra una casella PEC: la diffida partirebbe dalla Sua PEC ma senza una ricevuta di consegna con valore legale. "+
			"Indichi la PEC del cliente («invia diffida a nome@pec.cliente.it»), oppure scriva «invia diffida comunque»", policy.ErrNotApplicable, to)
	}
	return fmt.Errorf("%w: %s does not look like a PEC mailbox: the notice would leave your PEC account without a delivery receipt with legal value. "+
		"Give the client's PEC address (\"send notice to name@pec.client.it\"), or write \"send notice anyway\"", policy.ErrNotApplicable, to)
}
