package engine

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/view"
	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/ledger"
	"github.com/sollecito/sollecito/reply/command"
	"github.com/sollecito/sollecito/templates"
)

// TestCapHonoursPaymentDaysSetByEmail: a client message over the daily cap
// moves to the next day with room on the client's payment days, including
// those the owner set by email (they live in the ledger, not the file).
func TestCapHonoursPaymentDaysSetByEmail(t *testing.T) {
	h := newHarness(t)
	inv := chased(h, "2026/420")
	now := h.day(2026, 11, 3)
	err := h.db.Tx(context.Background(), func(tx *ledger.Tx) error {
		if err := tx.SetClientOverride(ledger.ClientOverride{Address: inv.Client, PaymentDays: []int{25}}); err != nil {
			return err
		}
		key := "client:" + inv.Client
		// The cap is already used today by another message to the client.
		if err := tx.CapUse("earlier@studio.test", key, now.Format(dayLayout)); err != nil {
			return err
		}
		next, held, err := h.eng.applyCap(tx, key, "later@studio.test", inv, policy.Stage1, about{}, now, now)
		if err != nil {
			return err
		}
		if held || next.Day() != 25 || next.Month() != time.November {
			t.Errorf("the capped reminder moved to %s (held %v), want the client's payment day, 25 November", next, held)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestFailedSendAlertSurvivesCrash: a crash right after a refused message
// is marked failed must not lose the owner's alert: the mark and the alert
// commit together, so the next pass finds the row due again, is refused
// again, and alerts.
func TestFailedSendAlertSurvivesCrash(t *testing.T) {
	h := newHarness(t)
	h.smtp = &refusingSender{addr: "ap@client.test", real: h.smtp}
	h.deliver(invoiceMail("inv7@studio.test", "ap@client.test", "Fattura n. 2026/421 del 02/11/2026\nImporto: € 100,00\nScadenza: 20/11/2026"))
	h.pass(h.day(2026, 11, 2))
	h.sent()
	crashed := false
	h.eng.afterMarkFailed = func() {
		if !crashed {
			crashed = true
			panic("killed between marking the row failed and alerting the owner")
		}
	}
	func() {
		defer func() { recover() }()
		h.now = h.day(2026, 11, 13)
		h.eng.Pass(context.Background(), h.in, h.smtp)
	}()
	if !crashed {
		t.Fatal("no message was refused")
	}
	h.now = h.day(2026, 11, 13).Add(time.Hour)
	if err := h.eng.Pass(context.Background(), h.in, h.smtp); err != nil {
		t.Logf("pass after the crash: %v", err)
	}
	h.now = h.day(2026, 11, 13).Add(2 * time.Hour) // the alert queued by the pass before goes out
	h.eng.Pass(context.Background(), h.in, h.smtp)
	alerts := 0
	for _, s := range h.sent() {
		if s == "bounce_alert→"+owner {
			alerts++
		}
	}
	if alerts != 1 {
		t.Errorf("owner alerted %d times after a crash between the mark and the alert, want once", alerts)
	}
}

// TestCommandEchoesMoneyAsMessagesDo: a command's echo writes amounts with
// the one formatter every message uses.
func TestCommandEchoesMoneyAsMessagesDo(t *testing.T) {
	amount := decimal.RequireFromString("1234.50")
	for _, tt := range []struct {
		c               command.Command
		lang, cur, want string
	}{
		{command.Command{Verb: command.PartlyPaid, Amount: amount}, "it", "EUR", "pagata in parte € 1.234,50"},
		{command.Command{Verb: command.PartlyPaid, Amount: amount}, "en", "GBP", "£1,234.50"},
		{command.Command{Verb: command.Settle, Amount: amount, Currency: "EUR"}, "it", "", "€ 1.234,50"},
	} {
		if got := templates.Command(tt.c, tt.lang, tt.cur); !strings.Contains(got, tt.want) {
			t.Errorf("templates.Command(%s %s, %s) = %q, want it to hold %q", tt.c.Verb, tt.c.Amount, tt.lang, got, tt.want)
		}
	}
}

// TestPanicOnOneInvoiceDoesNotStopTheOthers: an invoice whose decision
// panics is recorded (once a day) and skipped; the others are chased.
func TestPanicOnOneInvoiceDoesNotStopTheOthers(t *testing.T) {
	h := newHarness(t)
	bad := chased(h, "2026/422")
	good := chased(h, "2026/423")
	h.eng.beforeDecide = func(inv policy.Invoice) {
		if inv.ID == bad.ID {
			panic("the rules exploded on this invoice")
		}
	}
	for d := 2; d <= 35; d++ {
		h.pass(h.day(2026, 11, d)) // 35 November is 5 December
	}
	if got := h.invoice(good.Number); got.Stage == 0 {
		t.Errorf("the good invoice was never chased: %+v", got)
	}
	n := 0
	evs, _ := h.db.EventsSince(context.Background(), time.Time{})
	for _, ev := range evs {
		if ev.Kind == "engine:failed" {
			n++
			if ev.InvoiceID != bad.ID {
				t.Errorf("failure recorded on invoice %d", ev.InvoiceID)
			}
		}
	}
	if n == 0 || n > 34 {
		t.Errorf("%d engine:failed events over 34 days, want one a day at most", n)
	}
}

// panickingSender panics on any message to addr, as a broken transport
// would.
type panickingSender struct {
	addr string
	real Sender
}

func (p *panickingSender) Send(ctx context.Context, from string, to []string, raw []byte) error {
	for _, a := range to {
		if a == p.addr {
			panic("the transport exploded")
		}
	}
	return p.real.Send(ctx, from, to, raw)
}

// TestPanicOnOneOutboxRowDoesNotStopTheOthers: a row whose sending panics
// is recorded and left for the next pass; the other rows go out.
func TestPanicOnOneOutboxRowDoesNotStopTheOthers(t *testing.T) {
	h := newHarness(t)
	h.smtp = &panickingSender{addr: "ap@client.test", real: h.smtp}
	h.deliver(invoiceMail("inv-x1@studio.test", "ap@client.test", "Fattura n. 2026/424 del 02/11/2026\nImporto: € 100,00\nScadenza: 20/11/2026"))
	h.deliver(invoiceMail("inv-x2@studio.test", "ap@other.test", "Fattura n. 2026/425 del 02/11/2026\nImporto: € 100,00\nScadenza: 20/11/2026"))
	h.pass(h.day(2026, 11, 2))
	h.sent()
	h.pass(h.day(2026, 11, 13)) // both courtesy notices are due
	got := h.sent()
	if len(got) != 1 || got[0] != "courtesy→ap@other.test" {
		t.Errorf("sent %v, want the other client's courtesy notice", got)
	}
	if eventKinds(h)["engine:failed"] != 1 {
		t.Errorf("the panic was not recorded once: %v", eventKinds(h))
	}
}

// TestStatusShowsOutstandingInOwnerLanguage: the status table's amount is
// what is still owed (after a part payment), and an empty ledger's table
// speaks the owner's language.
func TestStatusShowsOutstandingInOwnerLanguage(t *testing.T) {
	var b strings.Builder
	if err := view.WriteStatus(&b, nil, "it"); err != nil || !strings.Contains(b.String(), "FATTURA") {
		t.Errorf("empty ledger, Italian owner: %q %v", b.String(), err)
	}
	h := newHarness(t)
	inv := chased(h, "2026/431")
	h.now = h.day(2026, 11, 3)
	h.ownerSays(nil, "fattura 2026/431", "pagata in parte 200")
	h.pass(h.now)
	rows, err := h.eng.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if err := view.WriteStatus(&b, rows, "it"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "€ 300,00") || strings.Contains(b.String(), "€ 500,00") {
		t.Errorf("status after 200 paid on %s: want € 300,00 outstanding:\n%s", inv.Amount, b.String())
	}
}

// TestWriteOffWithAmountExplained: "stralcia 300" changes nothing and the
// owner is told, in Italian, both meanings.
func TestWriteOffWithAmountExplained(t *testing.T) {
	h := newHarness(t)
	inv := chased(h, "2026/432")
	h.now = h.day(2026, 11, 3)
	h.ownerSays(nil, "fattura 2026/432", "stralcia 300")
	h.pass(h.now)
	if got := h.invoice("2026/432"); got.State != inv.State {
		t.Fatalf("'stralcia 300' moved the invoice to %s", got.State)
	}
	sent := h.sent()
	if len(sent) != 1 || sent[0] != "command_help→"+owner {
		t.Fatalf("sent %v, want the explanation", sent)
	}
	if b := h.lastSent().Body(); !strings.Contains(b, "stralcio 300.00") || !strings.Contains(b, "a perdita") {
		t.Errorf("the explanation lacks both meanings:\n%s", b)
	}
}

// TestUndoClosingCommand: "pagata" says how to take it back; "annulla"
// within a week puts the invoice back and the chase goes on; a second
// "annulla" has nothing left to take back.
func TestUndoClosingCommand(t *testing.T) {
	h := newHarness(t)
	inv := chased(h, "2026/433")
	h.now = h.day(2026, 11, 3)
	h.ownerSays(nil, "fattura 2026/433", "pagata")
	h.pass(h.now)
	if got := h.invoice("2026/433"); got.State != policy.Paid {
		t.Fatalf("after pagata: %s", got.State)
	}
	if b := h.lastSent().Subject + h.lastSent().Body(); !strings.Contains(b, "«annulla»") {
		t.Errorf("the confirmation does not say how to take it back:\n%s", b)
	}
	h.sent()
	h.now = h.day(2026, 11, 5)
	h.ownerSays(nil, "fattura 2026/433", "annulla")
	h.pass(h.now)
	if got := h.invoice("2026/433"); got.State != inv.State {
		t.Fatalf("after annulla: %s, want %s", got.State, inv.State)
	}
	if sent := h.sent(); len(sent) != 1 || sent[0] != "command_done→"+owner {
		t.Errorf("after annulla sent %v, want a confirmation", sent)
	}
	h.now = h.day(2026, 11, 6)
	h.ownerSays(nil, "fattura 2026/433", "annulla")
	h.pass(h.now)
	if sent := h.sent(); len(sent) != 1 || sent[0] != "command_help→"+owner {
		t.Errorf("a second annulla sent %v, want the explanation", sent)
	}
	// The chase goes on: the courtesy notice before the due date of the 20th.
	for d := 7; d <= 13; d++ {
		h.pass(h.day(2026, 11, d))
	}
	if got := h.invoice("2026/433"); !got.CourtesySent {
		t.Errorf("the chase did not go on after the undo: %+v", got)
	}
}
