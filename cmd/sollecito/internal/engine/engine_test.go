package engine

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/config"
	"github.com/sollecito/sollecito/cmd/sollecito/internal/mailsim"
	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/ledger"
	"github.com/sollecito/sollecito/templates"
)

const (
	bot   = "bot@studio.test"
	owner = "owner@studio.test"
)

// harness is the engine over in-process IMAP and SMTP servers, with a clock
// the test moves.
type harness struct {
	t    testing.TB
	sim  *mailsim.Server
	db   *ledger.DB
	eng  *Engine
	in   *mailbox.IMAP
	smtp Sender
	now  time.Time
	seen int
	loc  *time.Location
	// mails counts the mails the test wrote, to keep their Message-IDs apart.
	mails int
}

// newHarness is the harness without periodic summaries, so that tests see
// only the messages they are about.
func newHarness(t testing.TB) *harness {
	t.Helper()
	return newHarnessWith(t, `summary = "off"`)
}

// newHarnessWith is the harness with extra lines in the [owner] section.
func newHarnessWith(t testing.TB, ownerLines string) *harness {
	t.Helper()
	sim, err := mailsim.Start(bot, "pw")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	dir := t.TempDir()
	text := fmt.Sprintf(`
[imap]
addr = %q
security = "none"
username = %q
password = "pw"
[smtp]
addr = %q
security = "none"
username = %q
password = "pw"
[bot]
address = %q
[owner]
name = "Owner"
email = [%q]
%s
authserv_id = %q
[business]
name = "Studio Test"
iban = "IT60X0542811101000000123456"
[store]
path = "l.db"
`, sim.IMAPAddr, bot, sim.SMTPAddr, bot, bot, owner, ownerLines, sim.AuthServID)
	cfg, err := config.Parse(text, filepath.Join(dir, "c.toml"), func(string) string { return "" }, true)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, sim: sim, loc: cfg.Settings.Location}
	h.now = time.Date(2026, 11, 2, 10, 0, 0, 0, h.loc)
	clock := func() time.Time { return h.now }
	db, err := ledger.Open(context.Background(), cfg.Store.Path, clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tmpl, err := templates.New("")
	if err != nil {
		t.Fatal(err)
	}
	h.db = db
	h.eng = New(cfg, db, tmpl, nil, clock)
	h.in, err = mailbox.DialIMAP(context.Background(), config.ServerConfig(cfg.IMAP, cfg.IMAPPassword), "INBOX", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.in.Close() })
	h.smtp = mailbox.NewSMTP(config.ServerConfig(cfg.SMTP, cfg.SMTPPassword), nil)
	return h
}

func (h *harness) deliver(raw string) {
	h.t.Helper()
	raw = strings.ReplaceAll(raw, "\n", "\r\n")
	if err := h.sim.Deliver([]byte(raw), h.now); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) pass(day time.Time) {
	h.t.Helper()
	h.now = day
	if err := h.eng.Pass(context.Background(), h.in, h.smtp); err != nil {
		h.t.Fatalf("pass at %s: %v", day, err)
	}
}

// sent returns the templates of the messages sent since the last call, as "template→recipient".
func (h *harness) sent() []string {
	all := h.sim.Delivered()
	var out []string
	for _, d := range all[h.seen:] {
		m, _ := mailbox.Parse(d.Raw)
		out = append(out, m.Get("X-Sollecito-Template")+"→"+strings.Join(d.To, ","))
	}
	h.seen = len(all)
	return out
}

func (h *harness) lastSent() *mailbox.Message {
	all := h.sim.Delivered()
	m, _ := mailbox.Parse(all[len(all)-1].Raw)
	return m
}

func (h *harness) day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 10, 0, 0, 0, h.loc)
}

func invoiceMail(id, client, body string) string {
	return fmt.Sprintf(`From: Owner <%s>
To: Client <%s>
Cc: %s
Subject: Fattura
Date: Mon, 02 Nov 2026 09:00:00 +0100
Message-ID: <%s>
Content-Type: text/plain; charset=utf-8

%s
`, owner, client, bot, id, body)
}

func TestMissingFieldAskedThenCompleted(t *testing.T) {
	h := newHarness(t)
	h.deliver(invoiceMail("inv1@studio.test", "ap@client.test", "Buongiorno,\nin allegato la fattura n. 2026/300 del 02/11/2026.\nImporto: € 500,00\n\nCordiali saluti"))
	h.pass(h.day(2026, 11, 2))
	if got := h.sent(); len(got) != 1 || got[0] != "missing_fields→"+owner {
		t.Fatalf("sent %v, want one missing_fields to the owner", got)
	}
	q := h.lastSent()
	if !strings.Contains(q.Body(), "scadenza") {
		t.Errorf("the question does not ask for the due date:\n%s", q.Body())
	}
	invs, _ := h.db.AllInvoices(context.Background())
	if len(invs) != 1 || invs[0].State != policy.Incomplete {
		t.Fatalf("invoices %+v, want one incomplete", invs)
	}
	h.deliver(fmt.Sprintf(`From: %s
To: %s
Subject: Re: %s
Date: Tue, 03 Nov 2026 09:00:00 +0100
Message-ID: <ans1@studio.test>
In-Reply-To: <%s>
Content-Type: text/plain; charset=utf-8

scadenza 31/12/2026
`, owner, bot, q.Subject, q.MessageID))
	h.pass(h.day(2026, 11, 3))
	if got := h.sent(); len(got) != 1 || got[0] != "command_done→"+owner {
		t.Fatalf("sent %v, want a confirmation to the owner", got)
	}
	inv, _ := h.db.Invoice(context.Background(), invs[0].ID)
	if inv.State != policy.Open || inv.DueDate.Format("2006-01-02") != "2026-12-31" {
		t.Fatalf("invoice after the answer: state %s due %s", inv.State, inv.DueDate)
	}
}

func TestUnmatchedAndMachineMail(t *testing.T) {
	h := newHarness(t)
	h.deliver(`From: Stranger <who@else.test>
To: ` + bot + `
Subject: domanda
Date: Mon, 02 Nov 2026 09:00:00 +0100
Message-ID: <q1@else.test>
Content-Type: text/plain; charset=utf-8

Buongiorno, vorrei sapere gli orari del negozio.
`)
	h.deliver(`From: Robot <noreply@else.test>
To: ` + bot + `
Subject: Out of office
Auto-Submitted: auto-replied
Date: Mon, 02 Nov 2026 09:00:00 +0100
Message-ID: <ooo1@else.test>
Content-Type: text/plain; charset=utf-8

I am away until Monday.
`)
	h.deliver("this is not a mail at all \x00\x01\x02")
	h.deliver(`From: ` + bot + `
To: ` + bot + `
Subject: loop?
Date: Mon, 02 Nov 2026 09:00:00 +0100
Message-ID: <own1@studio.test>

my own mail
`)
	h.pass(h.day(2026, 11, 2))
	got := h.sent()
	want := "forward_unmatched→" + owner
	n := 0
	for _, g := range got {
		if g != want {
			t.Errorf("unexpected message %s", g)
		}
		n++
	}
	// Mail that matches no invoice is one cause for the owner's cap,
	// whoever sends it: the first is forwarded, the rest wait for the
	// digest.
	if n != 1 {
		t.Errorf("sent %v, want one unmatched mail shown to the owner, nothing else", got)
	}
	// The malformed message is recorded and the loop went on.
	evs, _ := h.db.EventsSince(context.Background(), time.Time{})
	kinds := map[string]bool{}
	for _, e := range evs {
		kinds[string(e.Kind)] = true
	}
	for _, k := range []string{"unmatched", "reply:autoreply"} {
		if !kinds[k] {
			t.Errorf("no %s event in %v", k, kinds)
		}
	}
	// The next day: one digest of what was held, and nothing acted on again.
	h.pass(h.day(2026, 11, 3))
	if got := h.sent(); len(got) != 1 || got[0] != "digest→"+owner {
		t.Errorf("second pass sent %v, want the digest", got)
	}
	h.pass(h.day(2026, 11, 4))
	if got := h.sent(); len(got) != 0 {
		t.Errorf("third pass sent %v", got)
	}
}

// TestBulkMailNotForwarded: newsletters and list mail that concern no
// invoice are counted, never forwarded one by one.
func TestBulkMailNotForwarded(t *testing.T) {
	h := newHarness(t)
	for i, extra := range []string{"List-Id: <news.shop.test>\n", "List-Unsubscribe: <mailto:out@shop.test>\n", "Precedence: bulk\n"} {
		h.deliver(fmt.Sprintf("From: News <news%d@shop.test>\nTo: %s\nSubject: Offerte della settimana\nDate: Mon, 02 Nov 2026 09:00:00 +0100\nMessage-ID: <bulk%d@shop.test>\n%sContent-Type: text/plain\n\nSconti su tutto!\n", i, bot, i, extra))
	}
	h.pass(h.day(2026, 11, 2))
	h.pass(h.day(2026, 11, 3))
	if got := h.sent(); len(got) != 0 {
		t.Errorf("bulk mail caused %v", got)
	}
	if k := eventKinds(h); k["unmatched"]+k["reply:autoreply"] != 3 {
		t.Errorf("events %v, want the 3 bulk mails recorded", k)
	}
	var kinds []string
	err := h.db.View(context.Background(), func(tx *ledger.Tx) error {
		ms, err := tx.MessagesSince(time.Time{})
		for _, m := range ms {
			kinds = append(kinds, m.Kind)
		}
		return err
	})
	if err != nil || strings.Join(kinds, " ") != "unmatched:bulk unmatched:bulk unmatched:bulk" {
		t.Errorf("bulk mail recorded as %v (%v), want unmatched:bulk, not read", kinds, err)
	}

	// A list's mail about a known invoice (its number) is read as any reply.
	h.deliver(invoiceMail("inv-bulk@studio.test", "ap@client.test", "Fattura n. 2026/777 del 02/11/2026\nImporto: € 100,00\nScadenza: 30/11/2026"))
	h.deliver("From: Ufficio <ap@client.test>\nTo: " + bot + "\nSubject: Fattura 2026/777\nDate: Tue, 03 Nov 2026 09:00:00 +0100\nMessage-ID: <bulk-known@client.test>\nList-Id: <ap.client.test>\nContent-Type: text/plain\n\nLa fattura 2026/777 non corrisponde al preventivo: la contestiamo.\n")
	h.pass(h.day(2026, 11, 3))
	if got := h.sent(); !slices.Contains(got, "forward_dispute→"+owner) {
		t.Errorf("a list's dispute about a known invoice: sent %v, want it forwarded as a dispute", got)
	}
}

// failingSender fails every send temporarily until ok is set.
type failingSender struct {
	ok   bool
	real Sender
}

func (f *failingSender) Send(ctx context.Context, from string, to []string, raw []byte) error {
	if !f.ok {
		return errors.New("dial tcp: connection refused")
	}
	return f.real.Send(ctx, from, to, raw)
}

func TestOutboxSurvivesSendFailure(t *testing.T) {
	h := newHarness(t)
	fs := &failingSender{real: h.smtp}
	h.smtp = fs
	h.deliver(invoiceMail("inv2@studio.test", "ap@client.test", "Fattura n. 2026/301 del 02/11/2026\nImporto: € 500,00\nScadenza: 20/11/2026"))
	h.now = h.day(2026, 11, 13)
	if err := h.eng.Pass(context.Background(), h.in, h.smtp); err == nil {
		t.Fatal("a pass whose sends all failed reported no error")
	}
	if got := h.sent(); len(got) != 0 {
		t.Fatalf("sent %v through a failing server", got)
	}
	fs.ok = true
	h.pass(h.day(2026, 11, 13).Add(6 * time.Hour)) // after the retry delay
	h.pass(h.day(2026, 11, 16))
	if got := h.sent(); len(got) != 1 || got[0] != "courtesy→ap@client.test" {
		t.Fatalf("after recovery sent %v, want exactly one courtesy notice", got)
	}
}

func TestOneMessagePerClientPerDay(t *testing.T) {
	h := newHarness(t)
	h.deliver(invoiceMail("inv3@studio.test", "ap@client.test", "Fattura n. 2026/302 del 02/11/2026\nImporto: € 100,00\nScadenza: 20/11/2026"))
	h.deliver(invoiceMail("inv4@studio.test", "ap@client.test", "Fattura n. 2026/303 del 02/11/2026\nImporto: € 200,00\nScadenza: 20/11/2026"))
	h.pass(h.day(2026, 11, 2))
	h.sent()
	h.pass(h.day(2026, 11, 13))
	if got := h.sent(); len(got) != 1 {
		t.Fatalf("13 Nov: sent %v, want one message to the client", got)
	}
	h.pass(h.day(2026, 11, 14)) // Saturday
	if got := h.sent(); len(got) != 0 {
		t.Fatalf("Saturday: sent %v", got)
	}
	h.pass(h.day(2026, 11, 16))
	if got := h.sent(); len(got) != 1 {
		t.Fatalf("Monday: sent %v, want the second courtesy notice", got)
	}
}

// lostAnswerSender hands the message to the real server (when deliver is
// set) and then fails as a connection lost after the data does: in doubt.
type lostAnswerSender struct {
	deliver bool
	lost    int // sends still to fail; then it behaves
	real    Sender
}

func (f *lostAnswerSender) Send(ctx context.Context, from string, to []string, raw []byte) error {
	if f.lost == 0 {
		return f.real.Send(ctx, from, to, raw)
	}
	f.lost--
	if f.deliver {
		if err := f.real.Send(ctx, from, to, raw); err != nil {
			return err
		}
	}
	return &mailbox.SendError{Server: "test", Stage: "data", InDoubt: true, Err: errors.New("read tcp: connection reset by peer")}
}

// A message whose sending was cut off after its data went out is never sent
// again while its own copy may still come: the copy confirms it; without
// one it goes again after in_doubt_wait, once.
func TestInDoubtSend(t *testing.T) {
	for _, tt := range []struct {
		name      string
		delivered bool // the server had accepted it
		want      int  // deliveries to the client in the end
	}{
		{"accepted, answer lost", true, 1},
		{"never reached the server", false, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			s := &lostAnswerSender{deliver: tt.delivered, lost: 1, real: h.smtp}
			h.smtp = s
			h.deliver(invoiceMail("inv9@studio.test", "ap@client.test", "Fattura n. 2026/309 del 02/11/2026\nImporto: € 100,00\nScadenza: 20/11/2026"))
			h.now = h.day(2026, 11, 13)
			if err := h.eng.Pass(context.Background(), h.in, h.smtp); err == nil || !mailbox.IsInDoubt(err) {
				t.Fatalf("pass with the answer lost: %v, want an in-doubt error", err)
			}
			h.pass(h.day(2026, 11, 13).Add(5 * time.Minute)) // within the wait: reads the copy if any, sends nothing
			if d, _ := h.db.InDoubt(context.Background()); tt.delivered != (len(d) == 0) {
				t.Errorf("in doubt after the copy could arrive: %d rows (delivered %v)", len(d), tt.delivered)
			}
			if n, want := len(h.sim.Delivered()), map[bool]int{true: 1, false: 0}[tt.delivered]; n != want {
				t.Errorf("within the wait: %d deliveries, want %d (nothing sent again)", n, want)
			}
			h.pass(h.day(2026, 11, 13).Add(20 * time.Minute)) // after the wait
			h.pass(h.day(2026, 11, 13).Add(40 * time.Minute)) // reads the copy of the second send
			var n int
			for _, g := range h.sent() {
				if g == "courtesy→ap@client.test" {
					n++
				} else {
					t.Errorf("unexpected delivery %s", g)
				}
			}
			if n != tt.want {
				t.Errorf("client got the notice %d times, want %d", n, tt.want)
			}
			if d, _ := h.db.InDoubt(context.Background()); len(d) != 0 {
				t.Errorf("still in doubt: %+v", d)
			}
			evs, _ := h.db.EventsSince(context.Background(), time.Time{})
			var confirmed int
			for _, e := range evs {
				switch e.Kind {
				case "send:confirmed":
					confirmed++
				case "unmatched", "malformed":
					t.Errorf("the bot's own copy was routed as mail: %s %s", e.Kind, e.Reason)
				}
			}
			if want := map[bool]int{true: 1, false: 0}[tt.delivered]; confirmed != want {
				t.Errorf("%d send:confirmed events, want %d", confirmed, want)
			}
		})
	}
}

// A changed UIDVALIDITY rereads the folder: what was handled (known by
// Message-ID, or by content when it has none) is not acted on again.
func TestUIDValidityResync(t *testing.T) {
	h := newHarness(t)
	h.deliver(invoiceMail("inv5@studio.test", "ap@client.test", "Fattura n. 2026/305 del 02/11/2026\nImporto: € 100,00\nScadenza: 20/11/2026"))
	h.deliver(`From: Stranger <who@else.test>
To: ` + bot + `
Subject: senza Message-ID
Date: Mon, 02 Nov 2026 09:00:00 +0100
Content-Type: text/plain; charset=utf-8

Buongiorno, che orari fate?
`)
	h.pass(h.day(2026, 11, 2))
	before, _ := h.db.EventsSince(context.Background(), time.Time{})
	if got := h.sent(); len(got) != 1 {
		t.Fatalf("first pass sent %v, want the unmatched mail shown to the owner", got)
	}
	if err := h.db.Tx(context.Background(), func(tx *ledger.Tx) error {
		return tx.SetSyncState("INBOX", h.in.UIDValidity()+1, 99)
	}); err != nil {
		t.Fatal(err)
	}
	h.pass(h.day(2026, 11, 2).Add(time.Hour))
	after, _ := h.db.EventsSince(context.Background(), time.Time{})
	if len(after) != len(before) {
		t.Errorf("resync added events: %d before, %d after", len(before), len(after))
	}
	if got := h.sent(); len(got) != 0 {
		t.Errorf("resync sent %v", got)
	}
	invs, _ := h.db.AllInvoices(context.Background())
	if len(invs) != 1 {
		t.Errorf("%d invoices after the resync, want 1", len(invs))
	}
}

// refusingSender refuses for good (5xx) any message to addr.
type refusingSender struct {
	addr string
	real Sender
}

func (f *refusingSender) Send(ctx context.Context, from string, to []string, raw []byte) error {
	for _, a := range to {
		if a == f.addr {
			return &mailbox.SendError{Server: "test", Stage: "rcpt", Code: 550, Permanent: true, Recipient: a, Err: errors.New("550 5.1.1 no such user")}
		}
	}
	return f.real.Send(ctx, from, to, raw)
}

// A 5xx refusal fails the message for good: the owner is told once and it
// is never tried again.
func TestPermanentRefusal(t *testing.T) {
	h := newHarness(t)
	h.smtp = &refusingSender{addr: "ap@client.test", real: h.smtp}
	h.deliver(invoiceMail("inv6@studio.test", "ap@client.test", "Fattura n. 2026/306 del 02/11/2026\nImporto: € 100,00\nScadenza: 20/11/2026"))
	h.pass(h.day(2026, 11, 2))
	h.pass(h.day(2026, 11, 13))
	for d := 14; d <= 25; d++ {
		h.now = h.day(2026, 11, d)
		h.eng.Pass(context.Background(), h.in, h.smtp)
	}
	var alerts int
	for _, g := range h.sent() {
		switch g {
		case "bounce_alert→" + owner:
			alerts++
		default:
			if strings.Contains(g, "ap@client.test") {
				t.Errorf("delivered to the refused address: %s", g)
			}
		}
	}
	if alerts != 1 {
		t.Errorf("owner alerted %d times, want once", alerts)
	}
	due, _ := h.db.Due(context.Background(), h.now.AddDate(1, 0, 0), time.Minute)
	for _, o := range due {
		if o.Template == "courtesy" {
			t.Errorf("the refused courtesy notice is still due: %+v", o.ID)
		}
	}
}

// TestPayByBeforeNextStep follows an invoice nobody pays through the whole
// schedule: every reminder that gives the client a date to pay by gives a
// business day strictly before the day the next step goes out.
func TestPayByBeforeNextStep(t *testing.T) {
	h := newHarness(t)
	h.deliver(invoiceMail("inv9@studio.test", "ap@client.test", "Fattura n. 2026/309 del 02/11/2026\nImporto: € 100,00\nScadenza: 20/11/2026"))
	payBy := regexp.MustCompile(`entro (?:il |l')(\d\d/\d\d/\d{4})`)
	var deadline time.Time // the last pay-by date given
	var steps []string
	for d := h.day(2026, 11, 2); d.Before(h.day(2027, 2, 1)); d = d.AddDate(0, 0, 1) {
		h.pass(d)
		all := h.sim.Delivered()
		for _, m := range all[h.seen:] {
			msg, _ := mailbox.Parse(m.Raw)
			tpl := msg.Get("X-Sollecito-Template")
			if tpl == string(policy.CommandDone) || tpl == string(policy.CallTask) {
				continue
			}
			steps = append(steps, tpl+" "+d.Format("02/01"))
			if !deadline.IsZero() && d.Before(deadline.AddDate(0, 0, 1)) {
				t.Errorf("%s went out on %s, the pay-by date of the reminder before", tpl, d.Format("02/01/2006"))
			}
			deadline = time.Time{}
			if x := payBy.FindStringSubmatch(msg.Body()); x != nil {
				deadline, _ = time.ParseInLocation("02/01/2006", x[1], h.loc)
				if !policy.BusinessDay(deadline, policy.DefaultSettings()) || !deadline.After(d) {
					t.Errorf("%s of %s: pay by %s", tpl, d.Format("02/01/2006"), x[1])
				}
			} else if tpl == string(policy.Stage2) || tpl == string(policy.Stage3) {
				t.Errorf("%s of %s gives no date to pay by:\n%s", tpl, d.Format("02/01/2006"), msg.Body())
			}
		}
		h.seen = len(all)
	}
	if want := "courtesy 13/11 stage1 30/11 stage2 10/12 stage3 21/12 case_file 31/12"; strings.Join(steps, " ") != want {
		t.Errorf("steps %q, want %q", strings.Join(steps, " "), want)
	}
}

// lostAppendInbox is the real IMAP connection whose next appends are stored
// by the server and then fail, as when the process dies before it can
// record them.
type lostAppendInbox struct {
	*mailbox.IMAP
	lost int
}

// AppendAll stores the batch and loses the server's answer.
func (f *lostAppendInbox) AppendAll(ctx context.Context, folder string, raws [][]byte, flags []string) error {
	if err := f.IMAP.AppendAll(ctx, folder, raws, flags); err != nil || f.lost == 0 {
		return err
	}
	f.lost--
	return errors.New("read tcp: connection reset by peer")
}

// sentCopies counts the messages of the bot's Sent folder by Message-ID.
func (h *harness) sentCopies() map[string]int {
	h.t.Helper()
	folder, err := h.in.SentFolder(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	c, err := mailbox.DialIMAP(context.Background(), config.ServerConfig(h.eng.cfg.IMAP, h.eng.cfg.IMAPPassword), folder, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	defer c.Close()
	fs, err := c.Fetch(context.Background(), 0, 0)
	if err != nil {
		h.t.Fatal(err)
	}
	n := map[string]int{}
	for _, f := range fs {
		m, _ := mailbox.Parse(f.Raw)
		n[m.MessageID]++
	}
	return n
}

// A copy the server stored in the Sent folder before the bot could record
// it is found there by its Message-ID and never appended twice; a copy that
// never got there is appended once.
func TestSentCopyOnce(t *testing.T) {
	for _, tt := range []struct {
		name   string
		stored bool // the server had stored the cut-off append
	}{
		{"stored, answer lost", true},
		{"never stored", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.deliver(invoiceMail("inv8@studio.test", "ap@client.test", "Fattura n. 2026/308 del 02/11/2026\nImporto: € 100,00\nScadenza: 20/11/2026"))
			h.now = h.day(2026, 11, 13)
			var in Inbox = &lostAppendInbox{IMAP: h.in, lost: 1}
			if !tt.stored {
				in = &refusedAppendInbox{IMAP: h.in, refused: 1}
			}
			if err := h.eng.Pass(context.Background(), in, h.smtp); err == nil {
				t.Fatal("pass with the append cut off: no error")
			}
			un, _ := h.db.Unappended(context.Background())
			if len(un) != 1 || un[0].AppendAttemptedAt.IsZero() {
				t.Fatalf("after the cut-off append: unappended %+v, want one row attempted", un)
			}
			h.pass(h.day(2026, 11, 13).Add(5 * time.Minute))
			if un, _ := h.db.Unappended(context.Background()); len(un) != 0 {
				t.Errorf("still unappended: %+v", un)
			}
			copies := h.sentCopies()
			if len(copies) != 1 {
				t.Fatalf("Sent holds %v, want one message", copies)
			}
			for mid, n := range copies {
				if n != 1 {
					t.Errorf("Sent holds %d copies of %s, want 1", n, mid)
				}
			}
		})
	}
}

// refusedAppendInbox is the real IMAP connection whose next appends fail
// before reaching the server.
type refusedAppendInbox struct {
	*mailbox.IMAP
	refused int
}

// AppendAll stores nothing: the connection is refused.
func (f *refusedAppendInbox) AppendAll(ctx context.Context, folder string, raws [][]byte, flags []string) error {
	if f.refused == 0 {
		return f.IMAP.AppendAll(ctx, folder, raws, flags)
	}
	f.refused--
	return errors.New("dial tcp: connection refused")
}

// TestSinceSkipsOlderMail: with run.since, mail the server received before
// that day is neither read nor acted on, and is not read again later;
// newer mail is handled as usual.
func TestSinceSkipsOlderMail(t *testing.T) {
	h := newHarness(t)
	h.eng.cfg.SkipBefore = time.Date(2026, 11, 1, 0, 0, 0, 0, h.eng.cfg.Settings.Location)
	h.now = time.Date(2026, 10, 20, 9, 0, 0, 0, h.eng.cfg.Settings.Location)
	h.deliver(invoiceMail("inv-old@studio.test", "ap@old.test", "Fattura n. 2025/900 del 20/10/2026\nImporto: € 500,00\nScadenza: 20/11/2026"))
	h.now = h.day(2026, 11, 2)
	h.deliver(invoiceMail("inv-new@studio.test", "ap@new.test", "Fattura n. 2026/901 del 02/11/2026\nImporto: € 600,00\nScadenza: 02/12/2026"))
	h.pass(h.day(2026, 11, 2))
	h.pass(h.day(2026, 11, 3))
	invs, err := h.db.AllInvoices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(invs) != 1 || invs[0].Number != "2026/901" {
		t.Fatalf("invoices %v, want only 2026/901", invs)
	}
}

// filingSender stands for Gmail's SMTP: every message it accepts is also
// filed in the Sent folder by the server itself.
type filingSender struct {
	real Sender
	in   *mailbox.IMAP
}

func (f *filingSender) Send(ctx context.Context, from string, to []string, raw []byte) error {
	if err := f.real.Send(ctx, from, to, raw); err != nil {
		return err
	}
	folder, err := f.in.SentFolder(ctx)
	if err != nil {
		return err
	}
	return f.in.Append(ctx, folder, raw, []string{`\Seen`})
}

// TestServerFiledCopies: where the server files a copy of what it sends,
// the bot finds it and appends none: each message is in Sent once.
func TestServerFiledCopies(t *testing.T) {
	h := newHarness(t)
	for i := range 3 {
		h.deliver(invoiceMail(fmt.Sprintf("sf%d@studio.test", i), fmt.Sprintf("c%d@client.test", i), fmt.Sprintf("Fattura n. 2026/7%02d del 02/11/2026\nImporto: € 100,00\nScadenza: 20/11/2026", i)))
	}
	h.now = h.day(2026, 11, 13)
	if err := h.eng.Pass(context.Background(), h.in, &filingSender{real: h.smtp, in: h.in}); err != nil {
		t.Fatal(err)
	}
	copies := h.sentCopies()
	if len(copies) != 3 {
		t.Fatalf("Sent holds %v, want the 3 courtesy notices", copies)
	}
	for mid, n := range copies {
		if n != 1 {
			t.Errorf("Sent holds %d copies of %s, want 1", n, mid)
		}
	}
	if un, _ := h.db.Unappended(context.Background()); len(un) != 0 {
		t.Errorf("still to append: %d", len(un))
	}
}

// TestStrangersMailUnread: only mail that may concern an invoice is read.
// A stranger's mail that names no invoice goes to the owner unread; the
// same words from a client's colleague (the client's domain), or from a
// stranger who names the invoice, are read.
func TestStrangersMailUnread(t *testing.T) {
	h := newHarness(t)
	h.deliver(invoiceMail("inv1@studio.test", "ap@client.test", "Buongiorno,\nin allegato la fattura n. 2026/300 del 02/11/2026.\nImporto: € 500,00\nScadenza: 02/12/2026\n\nCordiali saluti"))
	h.pass(h.day(2026, 11, 2))
	h.sent()
	say := func(id, from, body string) {
		h.deliver(fmt.Sprintf("From: <%s>\nTo: %s\nSubject: pagamento\nDate: Tue, 03 Nov 2026 09:00:00 +0100\nMessage-ID: <%s>\nContent-Type: text/plain; charset=utf-8\n\n%s\n", from, bot, id, body))
	}
	say("s1@else.test", "who@else.test", "Buongiorno, abbiamo pagato ieri con bonifico.")
	say("c1@client.test", "boss@client.test", "Buongiorno, abbiamo pagato ieri con bonifico.")
	say("s2@else.test", "other@else.test", "Buongiorno, abbiamo pagato ieri la fattura 2026/300.")
	h.pass(h.day(2026, 11, 3))
	evs, err := h.db.EventsSince(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, e := range evs {
		if e.MessageID != "" {
			reasons[e.MessageID] += string(e.Kind) + ": " + e.Reason + "\n"
		}
	}
	for id, want := range map[string]string{
		"s1@else.test":   "not read",
		"c1@client.test": "read as payment_proof",
		"s2@else.test":   "payment_proof",
	} {
		if !strings.Contains(reasons[id], want) {
			t.Errorf("%s: events %q, want %q", id, reasons[id], want)
		}
	}
	if strings.Contains(reasons["c1@client.test"], "not read") || strings.Contains(reasons["s2@else.test"], "not read") {
		t.Errorf("mail that may concern an invoice was left unread: %v", reasons)
	}
}
