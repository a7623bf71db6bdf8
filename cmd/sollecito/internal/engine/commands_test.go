package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/config"
	"github.com/sollecito/sollecito/cmd/sollecito/internal/mailsim"
	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/ledger"
)

const pecAddr = "studio@pec.studio.test"

// withPEC configures a [pec] account on a second in-process mail server and
// returns that server: what it delivers is what went through the PEC.
func (h *harness) withPEC() *mailsim.Server {
	h.t.Helper()
	pec, err := mailsim.Start(pecAddr, "pec-pw")
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { pec.Close() })
	cfg := h.eng.cfg
	cfg.PEC = config.Server{Addr: pec.SMTPAddr, Security: "none", Username: pecAddr, Password: "pec-pw", Timeout: "30s", Address: pecAddr}
	cfg.PECPassword = "pec-pw"
	h.eng.UsePEC(mailbox.NewSMTP(config.ServerConfig(cfg.PEC, cfg.PECPassword), nil))
	return pec
}

// ownerSays delivers the owner's answer to m (or, with m nil, a mail naming
// the subject only), dated now.
func (h *harness) ownerSays(m *mailbox.Message, subject, body string) {
	h.t.Helper()
	thread := ""
	if m != nil {
		subject = "Re: " + m.Subject
		thread = fmt.Sprintf("In-Reply-To: <%s>\nReferences: <%s>\n", m.MessageID, m.MessageID)
	}
	h.mails++
	h.deliver(fmt.Sprintf("From: Owner <%s>\nTo: %s\nSubject: %s\nDate: %s\nMessage-ID: <own-%d-%d@studio.test>\n%sContent-Type: text/plain; charset=utf-8\n\n%s\n",
		owner, bot, subject, h.now.Format(time.RFC1123Z), h.now.UnixNano(), h.mails, thread, body))
}

// clientSays delivers the client's answer to m.
func (h *harness) clientSays(m *mailbox.Message, from, body string) {
	h.t.Helper()
	h.mails++
	h.deliver(fmt.Sprintf("From: Client <%s>\nTo: %s\nSubject: Re: %s\nDate: %s\nMessage-ID: <cl-%d-%d@client.test>\nIn-Reply-To: <%s>\nContent-Type: text/plain; charset=utf-8\n\n%s\n",
		from, bot, m.Subject, h.now.Format(time.RFC1123Z), h.now.UnixNano(), h.mails, m.MessageID, body))
}

// until passes day by day from the day after the harness's clock to last,
// and returns the first message sent whose template is want (nil when none).
func (h *harness) until(last time.Time, want string) *mailbox.Message {
	h.t.Helper()
	for d := h.now.AddDate(0, 0, 1); !d.After(last); d = d.AddDate(0, 0, 1) {
		h.pass(d)
		all := h.sim.Delivered()
		for _, dl := range all[h.seen:] {
			m, _ := mailbox.Parse(dl.Raw)
			if m.Get("X-Sollecito-Template") == want {
				h.seen = len(all)
				return m
			}
		}
		h.seen = len(all)
	}
	return nil
}

// caseFileOf delivers the owner's invoice 2026/104 (€ 430,00, due
// 06/11/2026) under messageID, lets the chase run to stage 4 and returns
// the case file the owner gets; the test fails when none comes by the end
// of January.
func (h *harness) caseFileOf(messageID string) *mailbox.Message {
	h.t.Helper()
	h.deliver(invoiceMail(messageID, "ap@client.test", "Fattura n. 2026/104 del 02/11/2026\nImporto: € 430,00\nScadenza: 06/11/2026"))
	h.pass(h.day(2026, 11, 2))
	h.sent()
	caseFile := h.until(h.day(2027, 1, 31), "case_file")
	if caseFile == nil {
		h.t.Fatal("no case file by the end of January")
	}
	return caseFile
}

func (h *harness) invoice(number string) policy.Invoice {
	h.t.Helper()
	invs, err := h.db.InvoiceByNumber(context.Background(), number)
	if err != nil || len(invs) != 1 {
		h.t.Fatalf("invoice %s: %v, %v", number, invs, err)
	}
	return invs[0]
}

// TestNoticeAnswersCaseFile follows an invoice to stage 4 and answers the
// case file with "invia diffida": the notice goes to the client through the
// PEC account when one is configured, by the bot's own mail otherwise, and
// the owner's confirmation says which.
func TestNoticeAnswersCaseFile(t *testing.T) {
	for _, viaPEC := range []bool{true, false} {
		t.Run(fmt.Sprintf("pec=%v", viaPEC), func(t *testing.T) {
			h := newHarness(t)
			var pec *mailsim.Server
			if viaPEC {
				pec = h.withPEC()
			}
			caseFile := h.caseFileOf("inv-n@studio.test")
			h.now = h.now.Add(3 * time.Hour)
			h.ownerSays(caseFile, "", "Ciao,\nok, invia la diffida comunque.\n\nMaria\n\n> "+strings.ReplaceAll(caseFile.Body(), "\n", "\n> "))
			h.pass(h.now.AddDate(0, 0, 1).Add(-3 * time.Hour))

			got := h.sent()
			inv := h.invoice("2026/104")
			if inv.State != policy.WithOwner || inv.NoticeAt.IsZero() {
				t.Errorf("after the notice: state %s, NoticeAt %v", inv.State, inv.NoticeAt)
			}
			done := h.lastSent()
			if viaPEC {
				if len(got) != 1 || got[0] != "command_done→"+owner {
					t.Errorf("the bot's own server sent %v, want only the confirmation", got)
				}
				var notices []mailsim.Delivery
				for _, d := range pec.Delivered() {
					notices = append(notices, d)
				}
				if len(notices) != 1 || notices[0].To[0] != "ap@client.test" || notices[0].From != pecAddr {
					t.Fatalf("PEC server delivered %+v, want one notice from %s to the client", notices, pecAddr)
				}
				m, _ := mailbox.Parse(notices[0].Raw)
				if m.Get("X-Sollecito-Template") != "notice" || m.Sender() != pecAddr || !strings.Contains(m.Body(), "DIFFIDA AD ADEMPIERE") {
					t.Errorf("the PEC message is not the notice from the PEC address: %s from %s\n%s", m.Get("X-Sollecito-Template"), m.Sender(), m.Body())
				}
				if rt := m.Get("Reply-To"); !strings.Contains(rt, bot) {
					t.Errorf("the PEC notice's Reply-To is %q, want the bot", rt)
				}
				if !strings.Contains(done.Body(), "tramite PEC ("+pecAddr+") a ap@client.test") {
					t.Errorf("the confirmation does not say the PEC carried it: %q", done.Subject)
				}
			} else {
				if len(got) != 2 || got[0] != "notice→ap@client.test" || got[1] != "command_done→"+owner {
					t.Errorf("sent %v, want the notice to the client and the confirmation", got)
				}
				if !strings.Contains(done.Body(), "per email ordinaria a ap@client.test (nessuna PEC configurata") {
					t.Errorf("the confirmation does not say it went by ordinary mail: %q", done.Subject)
				}
			}
			// The notice is in the ledger as sent, and nothing more goes to the client.
			msgs, _ := h.db.Messages(context.Background(), inv.ID)
			if msgs[len(msgs)-1].Kind != "command_done" || msgs[len(msgs)-2].Kind != "notice" {
				t.Errorf("ledger messages end with %s, %s", msgs[len(msgs)-2].Kind, msgs[len(msgs)-1].Kind)
			}
			if m := h.until(h.now.AddDate(0, 1, 0), "stage3"); m != nil {
				t.Errorf("a reminder went after the notice")
			}
		})
	}
}

// TestPECRemovedFailsTheNotice: a notice queued for the PEC account that is
// no longer configured fails for good and the owner is told.
func TestPECRemovedFailsTheNotice(t *testing.T) {
	h := newHarness(t)
	h.withPEC()
	h.deliver(invoiceMail("inv-r@studio.test", "ap@client.test", "Fattura n. 2026/110 del 02/09/2026\nImporto: € 100,00\nScadenza: 02/10/2026"))
	h.pass(h.day(2026, 11, 2))
	h.sent()
	h.now = h.day(2026, 11, 2).Add(9 * time.Hour) // after office hours: the notice waits for tomorrow
	h.ownerSays(nil, "fattura 2026/110", "invia diffida comunque")
	h.pass(h.now)
	h.sent()
	h.eng.cfg.PEC = config.Server{}
	h.eng.UsePEC(nil)
	h.pass(h.day(2026, 11, 3))
	h.pass(h.day(2026, 11, 3).Add(time.Minute)) // the alert is queued by the failed send, sent by the next pass
	if got := h.sent(); len(got) != 1 || got[0] != "bounce_alert→"+owner {
		t.Fatalf("sent %v, want the owner told the notice failed", got)
	}
	if !strings.Contains(h.lastSent().Body(), "PEC") {
		t.Errorf("the alert does not name the PEC:\n%s", h.lastSent().Body())
	}
}

// TestPartlyPaid: the owner records part of the money; the next reminder
// asks for the rest; the rest closes the invoice.
func TestPartlyPaid(t *testing.T) {
	h := newHarness(t)
	h.deliver(invoiceMail("inv-p@studio.test", "ap@client.test", "Fattura n. 2026/105 del 02/11/2026\nImporto: € 1.000,00\nScadenza: 06/11/2026"))
	h.pass(h.day(2026, 11, 2))
	h.sent()
	h.now = h.day(2026, 11, 10)
	h.ownerSays(nil, "fattura 2026/105", "Buongiorno,\nacconto di € 300,00 arrivato oggi\n\n-- \nMaria")
	h.pass(h.now)
	if got := h.sent(); len(got) != 1 || got[0] != "command_done→"+owner {
		t.Fatalf("sent %v, want the confirmation", got)
	}
	done := h.lastSent()
	if !strings.Contains(done.Subject, "pagata in parte € 300,00") || !strings.Contains(done.Body(), "residuo: € 700,00") {
		t.Errorf("confirmation %q:\n%s", done.Subject, done.Body())
	}
	if inv := h.invoice("2026/105"); !inv.PaidAmount.Equal(decimal.NewFromInt(300)) || inv.State != policy.Open {
		t.Fatalf("after the deposit: paid %v state %s", inv.PaidAmount, inv.State)
	}
	// A notice drafted on 20 November claims interest on the sum unpaid,
	// the deposit dated by the day the owner reported it (10 November):
	// 7–10 November, 4 days on 1000.00 at 10.15%: 1000 × 10.15 × 4 / 36500 = 1.1123… → 1.11;
	// 11–20 November, 10 days on 700.00: 700 × 10.15 × 10 / 36500 = 1.9465… → 1.95.
	later := h.day(2026, 11, 20)
	var notice string
	err := h.db.View(context.Background(), func(tx *ledger.Tx) error {
		d, err := h.eng.data(tx, h.invoice("2026/105"), policy.Notice, about{at: later}, later)
		if err != nil {
			return err
		}
		m, err := h.eng.tmpl.Render(policy.Notice, "it", d)
		notice = m.Text
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"- capitale: € 700,00 (fattura di € 1.000,00, dedotti € 300,00 già ricevuti il 10/11/2026)",
		"dal 07/11/2026 al 10/11/2026: 4 giorni al 10,15% annuo su € 1.000,00 (*) = € 1,11",
		"dall'11/11/2026 al 20/11/2026: 10 giorni al 10,15% annuo su € 700,00 (*) = € 1,95",
		"l'importo complessivo di € 743,06", // 700 + 1.11 + 1.95 + 40
	} {
		if !strings.Contains(notice, want) {
			t.Errorf("the notice lacks %q:\n%s", want, notice)
		}
	}
	stage1 := h.until(h.day(2026, 11, 30), "stage1")
	if stage1 == nil {
		t.Fatal("no stage 1")
	}
	for _, want := range []string{"Importo della fattura: € 1.000,00", "Già ricevuto: € 300,00", "Importo dovuto: € 700,00"} {
		if !strings.Contains(stage1.Body(), want) {
			t.Errorf("stage 1 lacks %q:\n%s", want, stage1.Body())
		}
	}
	h.now = h.now.Add(2 * time.Hour)
	h.ownerSays(stage1, "", "pagata in parte 700")
	h.pass(h.now)
	if inv := h.invoice("2026/105"); inv.State != policy.Paid || !inv.PaidAmount.Equal(decimal.NewFromInt(1000)) {
		t.Fatalf("after the rest: state %s paid %v", inv.State, inv.PaidAmount)
	}
}

// TestSettlement: "stralcio 600" writes the offer to the client; the
// client's "paid" asks the owner, whose "pagata" closes it for 600. A second
// offer nobody pays goes back to the owner after its deadline.
func TestSettlement(t *testing.T) {
	h := newHarness(t)
	h.deliver(invoiceMail("inv-s@studio.test", "ap@client.test", "Fattura n. 2026/106 del 02/09/2026\nImporto: € 1.000,00\nScadenza: 02/10/2026"))
	h.deliver(invoiceMail("inv-s2@studio.test", "ar@other.test", "Fattura n. 2026/107 del 02/09/2026\nImporto: € 500,00\nScadenza: 02/10/2026"))
	h.pass(h.day(2026, 11, 2))
	h.sent()
	h.now = h.day(2026, 11, 3)
	h.ownerSays(nil, "fattura 2026/106", "stralcio 600 entro il 20/11")
	h.ownerSays(nil, "fattura 2026/107", "settle for 300")
	h.pass(h.now)
	got := h.sent()
	want := map[string]bool{"settlement→ap@client.test": true, "settlement→ar@other.test": true, "command_done→" + owner: true}
	for _, g := range got {
		if !want[g] {
			t.Errorf("unexpected %s", g)
		}
	}
	if len(got) != 4 {
		t.Fatalf("sent %v, want two offers and two confirmations", got)
	}
	var offer *mailbox.Message
	for _, d := range h.sim.Delivered() {
		if m, _ := mailbox.Parse(d.Raw); m.Get("X-Sollecito-Template") == "settlement" && d.To[0] == "ap@client.test" {
			offer = m
		}
	}
	for _, w := range []string{"€ 600,00 entro il 20/11/2026", "non pagata per € 1.000,00", "IT60 X054"} {
		if !strings.Contains(offer.Body(), w) {
			t.Errorf("the offer lacks %q:\n%s", w, offer.Body())
		}
	}
	inv := h.invoice("2026/106")
	if inv.State != policy.Settling || !inv.SettleAmount.Equal(decimal.NewFromInt(600)) {
		t.Fatalf("state %s settle %v", inv.State, inv.SettleAmount)
	}

	h.now = h.day(2026, 11, 5)
	h.clientSays(offer, "ap@client.test", "Buongiorno, abbiamo effettuato il bonifico di 600 euro oggi, in allegato la contabile.")
	h.pass(h.now)
	if got := h.sent(); len(got) != 1 || got[0] != "confirm_payment→"+owner {
		t.Fatalf("sent %v, want the owner asked to confirm", got)
	}
	confirm := h.lastSent()
	if !strings.Contains(confirm.Body(), "€ 600,00") {
		t.Errorf("the payment check does not name the settlement:\n%s", confirm.Body())
	}
	h.now = h.day(2026, 11, 6)
	h.ownerSays(confirm, "", "pagata")
	h.pass(h.now)
	if inv := h.invoice("2026/106"); inv.State != policy.Paid || !inv.PaidAmount.Equal(decimal.NewFromInt(600)) {
		t.Errorf("after pagata: state %s paid %v", inv.State, inv.PaidAmount)
	}

	// 2026/107: the offer (by 13 Nov + 3 business days of grace) lapses.
	lapsed := h.until(h.day(2026, 11, 30), "settlement_lapsed")
	if lapsed == nil {
		t.Fatal("the unpaid offer never went back to the owner")
	}
	if h.now.Before(h.day(2026, 11, 19)) {
		t.Errorf("the offer lapsed on %s, before its deadline and grace", h.now)
	}
	if inv := h.invoice("2026/107"); inv.State != policy.WithOwner {
		t.Errorf("after the lapse: state %s", inv.State)
	}
	if m := h.until(h.day(2026, 12, 31), "settlement_lapsed"); m != nil {
		t.Error("the lapse was reported twice")
	}
}

// TestClientCommands: per-client settings given by email are stored, win
// over the configuration's [clients] section, and change the schedule and
// the language; "escludi" stops the chase, "includi" restarts it.
func TestClientCommands(t *testing.T) {
	h := newHarness(t)
	h.eng.cfg.Clients = map[string]config.Client{"ap@client.test": {ToleranceDays: 2, Language: "it"}}
	h.deliver(invoiceMail("inv-c@studio.test", "ap@client.test", "Fattura n. 2026/108 del 02/11/2026\nImporto: € 100,00\nScadenza: 06/11/2026"))
	h.pass(h.day(2026, 11, 2))
	h.sent()
	h.now = h.day(2026, 11, 3)
	h.ownerSays(nil, "clienti", "tolleranza 5 giorni per AP@client.test\nlingua inglese per ap@client.test\ngiorni di pagamento 20 per ap@client.test")
	h.pass(h.now)
	if got := h.sent(); len(got) != 3 {
		t.Fatalf("sent %v, want three confirmations", got)
	}
	if s := h.lastSent().Subject; !strings.Contains(s, "giorni di pagamento 20 ap@client.test") {
		t.Errorf("confirmation subject %q", s)
	}
	o, err := h.db.ClientOverride(context.Background(), "ap@client.test")
	if err != nil || o.ToleranceDays == nil || *o.ToleranceDays != 5 || o.Language == nil || *o.Language != "en" || len(o.PaymentDays) != 1 {
		t.Fatalf("stored override %+v, %v", o, err)
	}
	// Stage 1: 6 Nov + 10 days + 5 of tolerance (the email's, not the
	// file's 2) = 21 Nov; the next payment day on or after it is 20 Dec, a
	// Sunday, so Monday 21 Dec.
	stage1 := h.until(h.day(2027, 1, 31), "stage1")
	if stage1 == nil {
		t.Fatal("no stage 1")
	}
	if d := h.now.Format("2006-01-02"); d != "2026-12-21" {
		t.Errorf("stage 1 on %s, want 2026-12-21 (the 20th is a Sunday)", d)
	}
	if !strings.Contains(stage1.Subject, "payment reminder") && !strings.Contains(stage1.Subject, "Invoice") {
		t.Errorf("stage 1 is not in English: %q", stage1.Subject)
	}

	h.now = h.now.Add(time.Hour)
	h.ownerSays(stage1, "", "escludi")
	h.pass(h.now)
	if got := h.sent(); len(got) != 1 || got[0] != "command_done→"+owner {
		t.Fatalf("sent %v, want the confirmation", got)
	}
	if m := h.until(h.day(2027, 3, 31), "stage2"); m != nil {
		t.Fatal("an excluded client was reminded")
	}
	rows, err := h.eng.Status(context.Background())
	if err != nil || len(rows) != 1 || len(rows[0].Next) != 0 {
		t.Errorf("status of an excluded client: %+v, %v", rows, err)
	}
	h.ownerSays(stage1, "", "includi")
	h.pass(h.now.Add(time.Hour))
	if m := h.until(h.now.AddDate(0, 2, 0), "stage2"); m == nil {
		t.Error("no reminder after includi")
	}
}

// TestClientCommandNeedsAClient: a per-client command that names no client
// and answers no invoice gets the help, asking which client.
func TestClientCommandNeedsAClient(t *testing.T) {
	h := newHarness(t)
	h.ownerSays(nil, "impostazioni", "tolleranza 5")
	h.pass(h.day(2026, 11, 2))
	if got := h.sent(); len(got) != 1 || got[0] != "command_help→"+owner {
		t.Fatalf("sent %v, want the help", got)
	}
	all, _ := h.db.ClientOverrides(context.Background())
	if len(all) != 0 {
		t.Errorf("stored %+v", all)
	}
}

// TestWriteOff closes an invoice as written off, from a reply to the bot.
func TestWriteOff(t *testing.T) {
	h := newHarness(t)
	h.deliver(invoiceMail("inv-w@studio.test", "ap@client.test", "Fattura n. 2026/109 del 02/09/2026\nImporto: € 80,00\nScadenza: 02/10/2026"))
	h.pass(h.day(2026, 11, 2))
	stage1 := h.lastSent()
	h.sent()
	h.now = h.day(2026, 11, 3)
	h.ownerSays(stage1, "", "Lascia stare.\nWrite it off please.\n\nOn Mon, Nov 2, 2026 Bot wrote:\n> stage 1")
	h.pass(h.now)
	if inv := h.invoice("2026/109"); inv.State != policy.WrittenOff {
		t.Errorf("state %s, want written_off", inv.State)
	}
	evs, _ := h.db.Events(context.Background(), h.invoice("2026/109").ID)
	if last := evs[len(evs)-1]; last.Kind != "command:write_off" || !strings.Contains(last.Reason, "80.00 given up") {
		t.Errorf("last event %+v", last)
	}
}

// TestHelpListsEveryCommand checks that "aiuto" answers with the list of
// every command, said as an answer (not as an error), and that the owner
// messages themselves show only the few commands that fit.
func TestHelpListsEveryCommand(t *testing.T) {
	h := newHarness(t)
	h.deliver(invoiceMail("inv-h@studio.test", "ap@client.test", "Fattura n. 2026/107 del 02/11/2026\nImporto: € 430,00\nScadenza: 06/11/2026"))
	h.pass(h.day(2026, 11, 2))
	h.sent()
	h.now = h.day(2026, 11, 3).Add(9 * time.Hour)
	h.ownerSays(nil, "comandi?", "aiuto")
	h.pass(h.now)
	if got := h.sent(); len(got) != 1 || !strings.HasPrefix(got[0], "command_help→") {
		t.Fatalf("sent %v, want one command_help", got)
	}
	m := h.lastSent()
	body := m.Body()
	if !strings.Contains(m.Subject, "I comandi") || strings.Contains(body, "non ho capito") || strings.Contains(body, "non ho applicato") {
		t.Errorf("the help reads as an error: %q\n%s", m.Subject, body)
	}
	for _, cmd := range []string{"- pagata:", "- stralcio", "- invia diffida", "- annulla:", "- tolleranza 5:"} {
		if !strings.Contains(body, cmd) {
			t.Errorf("the help lacks %q", cmd)
		}
	}
}
