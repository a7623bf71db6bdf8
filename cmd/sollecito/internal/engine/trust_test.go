package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/ledger"
	"github.com/sollecito/sollecito/templates"
)

// chased registers one invoice for ap@client.test and returns its stored row.
func chased(h *harness, number string) policy.Invoice {
	h.t.Helper()
	h.deliver(invoiceMail("inv-"+number+"@studio.test", "ap@client.test",
		fmt.Sprintf("Fattura n. %s del 02/11/2026\nImporto: € 500,00\nScadenza: 20/11/2026", number)))
	h.pass(h.day(2026, 11, 2))
	h.sent()
	invs, err := h.db.AllInvoices(context.Background())
	if err != nil || len(invs) == 0 {
		h.t.Fatalf("no invoice registered: %v", err)
	}
	return invs[len(invs)-1]
}

func eventKinds(h *harness) map[string]int {
	evs, _ := h.db.EventsSince(context.Background(), time.Time{})
	kinds := map[string]int{}
	for _, e := range evs {
		kinds[string(e.Kind)]++
	}
	return kinds
}

func ownerCommand(id, invoiceNumber, body string) string {
	return fmt.Sprintf("From: %s\nTo: %s\nSubject: fattura %s\nDate: Tue, 03 Nov 2026 09:00:00 +0100\nMessage-ID: <%s>\nContent-Type: text/plain; charset=utf-8\n\n%s\n",
		owner, bot, invoiceNumber, id, body)
}

// TestOwnerCommandNeedsVerifiedSender: a command from an owner address
// counts only when the receiving server vouches for it.
func TestOwnerCommandNeedsVerifiedSender(t *testing.T) {
	for _, tc := range []struct {
		name    string
		deliver func(h *harness, raw string)
		trust   bool
		applied bool
	}{
		{"stamped spf=pass by the receiving server", (*harness).deliver, false, true},
		{"spoofed: spf=fail", func(h *harness, raw string) {
			if err := h.sim.DeliverSpoofed([]byte(strings.ReplaceAll(raw, "\n", "\r\n")), h.now); err != nil {
				h.t.Fatal(err)
			}
		}, false, false},
		{"spoofed, with a forged pass further down", func(h *harness, raw string) {
			raw = "Received: from attacker.test by relay.test\nAuthentication-Results: " + h.sim.AuthServID + "; spf=pass smtp.mailfrom=" + owner + "\n" + raw
			if err := h.sim.DeliverSpoofed([]byte(strings.ReplaceAll(raw, "\n", "\r\n")), h.now); err != nil {
				h.t.Fatal(err)
			}
		}, false, false},
		{"spoofed, but owner.trust_server", func(h *harness, raw string) {
			if err := h.sim.DeliverSpoofed([]byte(strings.ReplaceAll(raw, "\n", "\r\n")), h.now); err != nil {
				h.t.Fatal(err)
			}
		}, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.eng.cfg.Owner.TrustServer = tc.trust
			inv := chased(h, "2026/400")
			h.now = h.day(2026, 11, 3)
			tc.deliver(h, ownerCommand("cmd1@studio.test", "2026/400", "pagata"))
			h.pass(h.day(2026, 11, 3))
			got, _ := h.db.Invoice(context.Background(), inv.ID)
			sent := h.sent()
			if tc.applied {
				if got.State != policy.Paid || len(sent) != 1 || sent[0] != "command_done→"+owner {
					t.Fatalf("state %s, sent %v; want paid and a confirmation", got.State, sent)
				}
				return
			}
			if got.State != inv.State {
				t.Fatalf("an unverified command changed the invoice: %s → %s", inv.State, got.State)
			}
			if len(sent) != 1 || sent[0] != "unverified→"+owner {
				t.Fatalf("sent %v, want one unverified notice to the owner", sent)
			}
			if eventKinds(h)["unverified:owner"] != 1 {
				t.Errorf("events %v lack unverified:owner", eventKinds(h))
			}
		})
	}
}

// TestOwnerWithoutAuthservIDIsRefused: no authserv_id and no trust_server
// means no owner mail is applied, and the owner is told why.
func TestOwnerWithoutAuthservIDIsRefused(t *testing.T) {
	h := newHarness(t)
	h.eng.cfg.Owner.AuthservID = ""
	h.deliver(invoiceMail("inv-x@studio.test", "ap@client.test", "Fattura n. 2026/401 del 02/11/2026\nImporto: € 500,00\nScadenza: 20/11/2026"))
	h.pass(h.day(2026, 11, 2))
	if invs, _ := h.db.AllInvoices(context.Background()); len(invs) != 0 {
		t.Fatalf("an unverified owner mail registered %d invoice(s)", len(invs))
	}
	if got := h.sent(); len(got) != 1 || got[0] != "unverified→"+owner {
		t.Fatalf("sent %v, want one unverified notice", got)
	}
	if !strings.Contains(h.lastSent().Body(), "owner.authserv_id") {
		t.Errorf("the notice does not say what to configure:\n%s", h.lastSent().Body())
	}
}

// TestStrangerCannotActOnInvoice: a "paid" naming the invoice number from
// someone who is not a contact is forwarded, and acted on by no one; the
// same words threaded under the bot's message, or from the client's own
// domain, act.
func TestStrangerCannotActOnInvoice(t *testing.T) {
	h := newHarness(t)
	inv := chased(h, "2026/402")
	paid := func(id, from, extra string) string {
		return fmt.Sprintf("From: %s\nTo: %s\nSubject: fattura 2026/402\nDate: Tue, 03 Nov 2026 09:00:00 +0100\nMessage-ID: <%s>\n%sContent-Type: text/plain; charset=utf-8\n\nBuongiorno, abbiamo pagato ieri la fattura 2026/402 con bonifico.\n", from, bot, id, extra)
	}
	h.now = h.day(2026, 11, 3)
	h.deliver(paid("s1@evil.test", "someone@evil.test", ""))
	h.deliver(paid("s2@gmail.com", "client.ceo@gmail.com", ""))
	h.pass(h.day(2026, 11, 3))
	got, _ := h.db.Invoice(context.Background(), inv.ID)
	if got.State != inv.State {
		t.Fatalf("a stranger's 'paid' moved the invoice to %s", got.State)
	}
	if n := eventKinds(h)["unverified:contact"]; n != 2 {
		t.Fatalf("%d unverified:contact events, want 2: %v", n, eventKinds(h))
	}
	sent := h.sent()
	if len(sent) == 0 || sent[0] != "unverified→"+owner {
		t.Fatalf("sent %v, want the stranger's mail shown to the owner", sent)
	}
	for _, s := range sent {
		if !strings.HasSuffix(s, owner) {
			t.Errorf("answered a stranger: %s", s)
		}
	}
	// Someone else at the client's own domain may act.
	h.now = h.day(2026, 11, 4)
	h.deliver(paid("c1@client.test", "boss@client.test", ""))
	h.pass(h.day(2026, 11, 4))
	if got, _ := h.db.Invoice(context.Background(), inv.ID); got.State != policy.ClaimedPaid {
		t.Fatalf("the client's colleague's 'paid' left the invoice %s", got.State)
	}
}

// TestThreadedReplyMayAct: a reply threaded under the invoice's mail acts,
// whoever writes it (it answers the bot's own thread).
func TestThreadedReplyMayAct(t *testing.T) {
	h := newHarness(t)
	inv := chased(h, "2026/403")
	h.now = h.day(2026, 11, 3)
	h.deliver("From: someone@elsewhere.test\nTo: " + bot + "\nSubject: Re: Fattura\nDate: Tue, 03 Nov 2026 09:00:00 +0100\nMessage-ID: <t1@elsewhere.test>\nIn-Reply-To: <inv-2026/403@studio.test>\nContent-Type: text/plain; charset=utf-8\n\nPagato oggi con bonifico.\n")
	h.pass(h.day(2026, 11, 3))
	if got, _ := h.db.Invoice(context.Background(), inv.ID); got.State != policy.ClaimedPaid {
		t.Fatalf("a threaded 'paid' left the invoice %s", got.State)
	}
}

// TestNoLoops: the bot answers no auto-reply, bounce, list mail, owner
// out-of-office or its own mail.
func TestNoLoops(t *testing.T) {
	h := newHarness(t)
	chased(h, "2026/404")
	h.now = h.day(2026, 11, 3)
	notReceived := "Content-Type: text/plain; charset=utf-8\n\nNon abbiamo mai ricevuto la fattura 2026/404, potete rimandarla?\n"
	for i, extra := range []string{
		"Auto-Submitted: auto-generated\n",
		"Precedence: list\n",
		"List-Id: <soci.client.test>\n",
		"List-Unsubscribe: <mailto:leave@client.test>\n",
		"Precedence: bulk\n",
	} {
		h.deliver(fmt.Sprintf("From: ap@client.test\nTo: %s\nSubject: fattura 2026/404\nDate: Tue, 03 Nov 2026 09:00:00 +0100\nMessage-ID: <auto%d@client.test>\n%s%s", bot, i, extra, notReceived))
	}
	// The owner's out-of-office, answering one of the bot's messages.
	h.deliver(fmt.Sprintf("From: %s\nTo: %s\nSubject: Risposta automatica: fattura\nAuto-Submitted: auto-replied\nDate: Tue, 03 Nov 2026 09:00:00 +0100\nMessage-ID: <ooo@studio.test>\nContent-Type: text/plain\n\nSono in ferie fino al 10.\n", owner, bot))
	// The bot's own mail, and a bounce.
	h.deliver(fmt.Sprintf("From: %s\nTo: ap@client.test\nSubject: fattura 2026/404\nDate: Tue, 03 Nov 2026 09:00:00 +0100\nMessage-ID: <own@studio.test>\n%s", bot, notReceived))
	h.pass(h.day(2026, 11, 3))
	h.pass(h.day(2026, 11, 4))
	for _, s := range h.sent() {
		if strings.HasPrefix(s, "resend") || strings.HasPrefix(s, "command_help") || !strings.HasSuffix(s, owner) {
			t.Errorf("answered automatic mail: %s", s)
		}
	}
	if eventKinds(h)["owner:automatic"] != 1 {
		t.Errorf("the owner's out-of-office was not recorded as such: %v", eventKinds(h))
	}
}

func otherReply(i int, from string) string {
	return fmt.Sprintf("From: %s\nTo: %s\nSubject: fattura 2026/405 (%d)\nDate: Tue, 03 Nov 2026 09:00:00 +0100\nMessage-ID: <flood%d@client.test>\nContent-Type: text/plain; charset=utf-8\n\nGentili signori, riguardo alla fattura 2026/405 vorremmo parlare con il vostro commerciale del nuovo listino n. %d.\n", from, bot, i, i, i)
}

// TestFloodGivesOneDigest: 50 replies from one address in a day give the
// owner one message that day and one digest the next, even across a
// restart; the client gets nothing more than the cap.
func TestFloodGivesOneDigest(t *testing.T) {
	h := newHarness(t)
	chased(h, "2026/405")
	h.now = h.day(2026, 11, 3)
	for i := range 50 {
		h.deliver(otherReply(i, "ap@client.test"))
	}
	h.pass(h.day(2026, 11, 3))
	if got := h.sent(); len(got) != 1 || got[0] != "forward_other→"+owner {
		t.Fatalf("day 1: sent %v, want one forward to the owner", got)
	}
	h.pass(h.day(2026, 11, 3).Add(2 * time.Hour))
	if got := h.sent(); len(got) != 0 {
		t.Fatalf("day 1 again: sent %v, want nothing more", got)
	}
	if w, _ := h.db.Waiting(context.Background()); len(w) != 49 {
		t.Fatalf("%d held, want 49", len(w))
	}

	// A crash: the held messages are in the ledger, not in memory.
	path := h.eng.cfg.Store.Path
	h.db.Close()
	clock := func() time.Time { return h.now }
	db, err := ledger.Open(context.Background(), path, clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tmpl, _ := templates.New("")
	h.db, h.eng = db, New(h.eng.cfg, db, tmpl, nil, clock)

	h.pass(h.day(2026, 11, 4))
	got := h.sent()
	if len(got) != 1 || got[0] != "digest→"+owner {
		t.Fatalf("day 2: sent %v, want one digest", got)
	}
	d := h.lastSent()
	if n := strings.Count(d.Body(), "\n- "); n != 49 {
		t.Errorf("the digest lists %d messages, want 49:\n%s", n, d.Body())
	}
	if !strings.Contains(d.Body(), "ap@client.test") || !strings.Contains(d.Body(), "letto come") {
		t.Errorf("the digest does not say who wrote and how each was read:\n%s", d.Body())
	}
	h.pass(h.day(2026, 11, 5))
	if got := h.sent(); len(got) != 0 {
		t.Fatalf("day 3: sent %v", got)
	}
	if w, _ := h.db.Waiting(context.Background()); len(w) != 0 {
		t.Fatalf("%d still held after the digest", len(w))
	}
}

// TestClientCap: a client asking ten times a day for the invoice gets it
// once that day, and once more at most, never twice a day.
func TestClientCap(t *testing.T) {
	h := newHarness(t)
	chased(h, "2026/406")
	h.now = h.day(2026, 11, 3)
	for i := range 10 {
		h.deliver(fmt.Sprintf("From: ap@client.test\nTo: %s\nSubject: fattura 2026/406\nDate: Tue, 03 Nov 2026 09:00:00 +0100\nMessage-ID: <nr%d@client.test>\nContent-Type: text/plain; charset=utf-8\n\nNon abbiamo mai ricevuto la fattura 2026/406 (richiesta %d), potete rimandarla?\n", bot, i, i))
	}
	perDay := map[string]int{}
	for d := 3; d <= 13; d++ {
		h.pass(h.day(2026, 11, d))
		for _, s := range h.sent() {
			if strings.HasSuffix(s, "ap@client.test") {
				perDay[fmt.Sprint(d)]++
			}
		}
	}
	total := 0
	for d, n := range perDay {
		total += n
		if n > 1 {
			t.Errorf("day %s: %d messages to the client", d, n)
		}
	}
	if perDay["3"] != 1 || total > 2 {
		t.Errorf("messages to the client per day %v: want one on the 3rd, at most one more", perDay)
	}
}

// TestPoisonMessage: a message whose handling panics is recorded and shown
// to the owner once; the messages behind it are handled.
func TestPoisonMessage(t *testing.T) {
	h := newHarness(t)
	inv := chased(h, "2026/407")
	h.eng.beforeRoute = func(m *mailbox.Message) {
		if m.Subject == "poison" {
			panic("parser exploded")
		}
	}
	h.now = h.day(2026, 11, 3)
	h.deliver("From: ap@client.test\nTo: " + bot + "\nSubject: poison\nMessage-ID: <p1@client.test>\n\nboom\n")
	h.deliver("From: ap@client.test\nTo: " + bot + "\nSubject: fattura 2026/407\nMessage-ID: <ok1@client.test>\nContent-Type: text/plain; charset=utf-8\n\nAbbiamo pagato ieri la fattura 2026/407.\n")
	h.pass(h.day(2026, 11, 3))
	if got, _ := h.db.Invoice(context.Background(), inv.ID); got.State != policy.ClaimedPaid {
		t.Fatalf("the message behind the poison one was not handled: %s", got.State)
	}
	if eventKinds(h)["malformed"] != 1 {
		t.Errorf("the poison message was not recorded: %v", eventKinds(h))
	}
	h.pass(h.day(2026, 11, 4))
	h.pass(h.day(2026, 11, 5))
	n := 0
	for _, s := range h.sent() {
		if strings.HasPrefix(s, "forward_unmatched") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the poison message was shown to the owner %d times, want once", n)
	}
}

// TestRedirectNeedsAContact: a mail threaded under the bot's own message
// that names a new address changes the contact only when its writer is a
// contact (or of the client's own domain); a stranger's redirect is a
// question to the owner and the chase stays where it was. A changed
// contact is always told to the owner.
func TestRedirectNeedsAContact(t *testing.T) {
	redirect := func(id, from string) string {
		return fmt.Sprintf("From: %s\nTo: %s\nSubject: Re: Fattura\nDate: Tue, 03 Nov 2026 09:00:00 +0100\nMessage-ID: <%s>\nIn-Reply-To: <inv-2026/408@studio.test>\nContent-Type: text/plain; charset=utf-8\n\nBuongiorno, non sono io la persona giusta: per le fatture scrivete a pagamenti@attacker.test, grazie.\n", from, bot, id)
	}
	t.Run("stranger", func(t *testing.T) {
		h := newHarness(t)
		inv := chased(h, "2026/408")
		h.now = h.day(2026, 11, 3)
		h.deliver(redirect("r1@evil.test", "someone@evil.test"))
		h.pass(h.day(2026, 11, 3))
		got, _ := h.db.Invoice(context.Background(), inv.ID)
		if got.Client != inv.Client {
			t.Fatalf("a stranger moved the chase to %s", got.Client)
		}
		if cs, _ := h.db.Contacts(context.Background(), inv.ID); strings.Contains(strings.Join(cs, " "), "attacker") {
			t.Fatalf("a stranger's address became a contact: %v", cs)
		}
		sent := h.sent()
		if len(sent) != 1 || sent[0] != "unverified→"+owner {
			t.Fatalf("sent %v, want one question to the owner", sent)
		}
		body := h.lastSent().Body()
		if !strings.Contains(body, "pagamenti@attacker.test") || !strings.Contains(body, "contatto pagamenti@attacker.test") {
			t.Errorf("the owner is not told which address was named and how to accept it:\n%s", body)
		}
	})
	t.Run("contact", func(t *testing.T) {
		h := newHarness(t)
		inv := chased(h, "2026/408")
		h.now = h.day(2026, 11, 3)
		h.deliver(strings.Replace(redirect("r2@client.test", "ap@client.test"), "pagamenti@attacker.test", "contabilita@client.test", 1))
		h.pass(h.day(2026, 11, 3))
		got, _ := h.db.Invoice(context.Background(), inv.ID)
		if got.Client != "contabilita@client.test" {
			t.Fatalf("the client's own redirect left the contact %s", got.Client)
		}
		sent := h.sent()
		if len(sent) != 1 || sent[0] != "contact_changed→"+owner {
			t.Fatalf("sent %v, want the owner told of the new contact", sent)
		}
		if !strings.Contains(h.lastSent().Body(), "contabilita@client.test") {
			t.Errorf("the notice does not name the new contact:\n%s", h.lastSent().Body())
		}
	})
}

// TestOwnerOutOfOfficeNoLoop: the trial's loop. The owner's vacation reply
// carries no Auto-Submitted or Precedence and a "Fuori sede:" subject; it
// answers whatever the bot sends. It is read as automatic (the writer's own
// text), the help goes at most once a day and never in answer to a mail
// that answers a help, so no exchange grows; 12 days of passes give at most
// one help.
func TestOwnerOutOfOfficeNoLoop(t *testing.T) {
	h := newHarness(t)
	ooo := func(i int, inReplyTo string) string {
		return fmt.Sprintf("From: %s\nTo: %s\nSubject: Fuori sede: Re: [Sollecito] istruzioni\nDate: Tue, 03 Nov 2026 09:00:00 +0100\nMessage-ID: <ooo%d@studio.test>\nIn-Reply-To: <%s>\nContent-Type: text/plain; charset=utf-8\n\nSono fuori sede fino al 20 novembre con accesso limitato alla posta. Per urgenze contattare l'ufficio allo 02 1234567.\n", owner, bot, i, inReplyTo)
	}
	// A mail of the owner's the bot cannot read: one help.
	h.now = h.day(2026, 11, 2)
	h.deliver(ownerCommand("hello@studio.test", "", "ciao, come funziona?"))
	h.pass(h.day(2026, 11, 2))
	sent := h.sent()
	if len(sent) != 1 || sent[0] != "command_help→"+owner {
		t.Fatalf("sent %v, want one help", sent)
	}
	last := h.lastSent().MessageID
	helps := 1
	for d := 3; d <= 14; d++ {
		h.now = h.day(2026, 11, d)
		h.deliver(ooo(d, last))
		h.deliver(ooo(100+d, "nothing@studio.test")) // also one that answers no help
		h.pass(h.day(2026, 11, d))
		for _, s := range h.sent() {
			if strings.HasPrefix(s, "command_help") {
				helps++
				last = h.lastSent().MessageID
			}
		}
	}
	if helps != 1 {
		t.Errorf("%d help messages in 12 days of an owner's out-of-office, want the first only", helps)
	}
	if n := eventKinds(h)["owner:automatic"]; n != 24 {
		t.Errorf("%d owner:automatic events, want 24: %v", n, eventKinds(h))
	}
}

// TestHelpOncePerDay: mails the bot does not understand get the help once
// a day, and none in answer to a help.
func TestHelpOncePerDay(t *testing.T) {
	h := newHarness(t)
	h.now = h.day(2026, 11, 2)
	for i := range 5 {
		h.deliver(ownerCommand(fmt.Sprintf("q%d@studio.test", i), "", fmt.Sprintf("domanda numero %d senza comandi", i)))
	}
	h.pass(h.day(2026, 11, 2))
	if sent := h.sent(); len(sent) != 1 {
		t.Fatalf("day 1: sent %v, want one help", sent)
	}
	help := h.lastSent().MessageID
	h.now = h.day(2026, 11, 3)
	h.deliver(strings.Replace(ownerCommand("a1@studio.test", "", "grazie, ma non ho capito"), "Content-Type:", "In-Reply-To: <"+help+">\nContent-Type:", 1))
	h.pass(h.day(2026, 11, 3))
	if sent := h.sent(); len(sent) != 0 {
		t.Fatalf("day 2: sent %v in answer to a mail answering the help", sent)
	}
	h.deliver(ownerCommand("q9@studio.test", "", "altra domanda"))
	h.pass(h.day(2026, 11, 3))
	if sent := h.sent(); len(sent) != 1 {
		t.Fatalf("day 2: sent %v, want one help for a new question", sent)
	}
}

// TestLoopBreaker: whatever the rules allow, no owner address gets more
// than loopLimit messages in an hour; the stop is said once.
func TestLoopBreaker(t *testing.T) {
	h := newHarness(t)
	chased(h, "2026/409")
	h.now = h.day(2026, 11, 3)
	for i := range 3 * loopLimit {
		// each a command the bot understands, each confirmed at once (exempt from the daily cap)
		h.deliver(ownerCommand(fmt.Sprintf("n%d@studio.test", i), "2026/409", fmt.Sprintf("nota telefonata numero %d", i)))
	}
	h.pass(h.day(2026, 11, 3))
	if sent := h.sent(); len(sent) != loopLimit {
		t.Fatalf("sent %d messages to the owner in an hour, want the loop breaker's %d", len(sent), loopLimit)
	}
	k := eventKinds(h)
	if k["loop:stopped"] != 1 || k["loop:held"] != 2*loopLimit-1 {
		t.Errorf("events %v: want one loop:stopped and the rest loop:held", k)
	}
	// An hour later the owner is written to again.
	h.deliver(ownerCommand("later@studio.test", "2026/409", "nota dopo un'ora"))
	h.pass(h.day(2026, 11, 3).Add(90 * time.Minute))
	if sent := h.sent(); len(sent) != 1 {
		t.Errorf("an hour later: sent %v, want the confirmation", sent)
	}
}

// TestOwnerBoundedWhateverArrives: fifteen clients each write on the same
// day (each its own cause): the owner gets policy.owner_messages_per_day
// (10) forwards that day, the other five wait for one digest the next day,
// and the answers to the owner's own commands are never held.
func TestOwnerBoundedWhateverArrives(t *testing.T) {
	h := newHarness(t)
	for i := range 15 {
		h.deliver(invoiceMail(fmt.Sprintf("inv-b%d@studio.test", i), fmt.Sprintf("ap@client%d.test", i),
			fmt.Sprintf("Fattura n. 2026/5%02d del 02/11/2026\nImporto: € 500,00\nScadenza: 20/11/2026", i)))
	}
	h.pass(h.day(2026, 11, 2))
	h.sent()
	h.now = h.day(2026, 11, 3)
	for i := range 15 {
		h.deliver(fmt.Sprintf("From: ap@client%d.test\nTo: %s\nSubject: fattura 2026/5%02d\nDate: Tue, 03 Nov 2026 09:00:00 +0100\nMessage-ID: <many%d@client%d.test>\nContent-Type: text/plain; charset=utf-8\n\nGentili signori, riguardo alla fattura 2026/5%02d vorremmo parlare con il vostro commerciale del nuovo listino.\n", i, bot, i, i, i, i))
	}
	h.pass(h.day(2026, 11, 3))
	toOwner := 0
	for _, s := range h.sent() {
		if strings.HasSuffix(s, "→"+owner) {
			toOwner++
		}
	}
	if toOwner != 10 {
		t.Fatalf("day 1: the owner got %d messages, want 10 (policy.owner_messages_per_day)", toOwner)
	}
	if w, _ := h.db.Waiting(context.Background()); len(w) != 5 {
		t.Fatalf("%d held, want 5; events %v", len(w), eventKinds(h))
	}
	h.now = h.day(2026, 11, 3).Add(3 * time.Hour)
	h.ownerSays(nil, "Situazione", "stato")
	h.pass(h.now)
	if got := h.sent(); len(got) != 1 || !strings.HasPrefix(got[0], "summary→") {
		t.Fatalf("the owner's own command: sent %v, want its answer at once", got)
	}
	h.pass(h.day(2026, 11, 4))
	got := h.sent()
	if len(got) != 1 || got[0] != "digest→"+owner {
		t.Fatalf("day 2: sent %v, want one digest", got)
	}
	if n := strings.Count(h.lastSent().Body(), "\n- "); n != 5 {
		t.Errorf("the digest lists %d messages, want 5", n)
	}
}
