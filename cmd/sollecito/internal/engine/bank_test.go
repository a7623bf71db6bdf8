package engine

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/bank"
	"github.com/sollecito/sollecito/policy/ledger"
)

// TestImportCredits: a credit whose remittance names the invoice and
// equals what it owes marks it paid, and the reminder due afterwards never
// goes; the same statement imported again changes nothing; a credit that
// may pay another invoice, or none, is only recorded.
func TestImportCredits(t *testing.T) {
	h := newHarness(t)
	h.deliver(invoiceMail("b1@studio.test", "ap@client.test", "Fattura n. 2026/101 del 02/11/2026\nImporto: € 1.220,00\nScadenza: 20/11/2026"))
	h.deliver(invoiceMail("b2@studio.test", "ap@other.test", "Fattura n. 2026/102 del 02/11/2026\nImporto: € 480,00\nScadenza: 20/11/2026"))
	h.pass(h.day(2026, 11, 2))
	h.sent()
	credits := []bank.Credit{
		{Ref: "R1", BookingDate: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), ValueDate: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC),
			Amount: decimal.RequireFromString("1220.00"), Currency: "EUR", Payer: "ROSSI SRL", Remittance: "SALDO FATTURA 2026/101"},
		{Ref: "R2", BookingDate: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), ValueDate: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
			Amount: decimal.RequireFromString("200.00"), Currency: "EUR", Payer: "VERDI", Remittance: "acconto fattura 2026/102"},
		{Ref: "R3", BookingDate: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), ValueDate: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
			Amount: decimal.RequireFromString("55.00"), Currency: "EUR", Payer: "NERI", Remittance: "rimborso"},
	}
	h.now = h.day(2026, 11, 27)
	r, err := h.eng.ImportCredits(context.Background(), "estratto.xml", credits)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r, ImportReport{Read: 3, New: 3, Paid: 1, Probable: 1, None: 1, PaidNumbers: []string{"2026/101"}}) {
		t.Errorf("report %+v", r)
	}
	if inv := h.invoice("2026/101"); inv.State != policy.Paid || !inv.PaidAmount.Equal(decimal.RequireFromString("1220")) {
		t.Errorf("invoice 2026/101 after the credit: %s, paid %s", inv.State, inv.PaidAmount)
	}
	if inv := h.invoice("2026/102"); inv.State.Closed() {
		t.Errorf("a part payment closed invoice 2026/102: %s", inv.State)
	}
	again, err := h.eng.ImportCredits(context.Background(), "estratto.xml", credits)
	if err != nil || !reflect.DeepEqual(again, ImportReport{Read: 3}) {
		t.Errorf("the same statement again: %+v, %v", again, err)
	}
	cs, err := h.eng.Credits(context.Background())
	if err != nil || len(cs) != 3 {
		t.Fatalf("credits %+v, %v", cs, err)
	}
	matches := map[string]string{}
	for _, c := range cs {
		matches[c.Ref] = c.Match
	}
	if matches["R1"] != ledger.CreditPaid || matches["R2"] != ledger.CreditProbable || matches["R3"] != ledger.CreditNone {
		t.Errorf("matches %v", matches)
	}
	// Stage 1 of 2026/101 was due on 30/11: nothing goes to its client.
	for d := h.day(2026, 11, 30); d.Before(h.day(2026, 12, 20)); d = d.AddDate(0, 0, 1) {
		h.pass(d)
	}
	for _, s := range h.sent() {
		if strings.HasSuffix(s, "ap@client.test") {
			t.Errorf("after the bank paid 2026/101 its client got %s", s)
		}
	}
	var why *policy.Why
	err = h.db.View(context.Background(), func(tx *ledger.Tx) error {
		evs, err := tx.Events(h.invoice("2026/101").ID)
		for _, ev := range evs {
			if ev.Kind == "payment:bank" {
				why = ev.Why
			}
		}
		return err
	})
	if err != nil || why == nil || why.Code != policy.WhyBankPaid || !slices.Contains([]string{"ROSSI SRL"}, why.Address) {
		t.Errorf("the history's payment event: %+v, %v", why, err)
	}
}

// TestStatementMailedByOwner: the owner mails the day's statement on the
// morning a reminder is due; the credit naming the invoice stops it, and
// the owner gets one confirmation saying what the statement did.
func TestStatementMailedByOwner(t *testing.T) {
	const camt = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Acct><Ccy>EUR</Ccy></Acct>
<Ntry><Amt Ccy="EUR">730.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-27</Dt></BookgDt>
<AcctSvcrRef>CRO-9</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>CLIENTE SPA</Nm></Dbtr></RltdPties>
<RmtInf><Ustrd>PAGAMENTO FATTURA 2026/201</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>`
	const csv = "DATA CONTABILE;DATA VALUTA;USCITE;ENTRATE;CAUSALE;DESCRIZIONE OPERAZIONE\n" +
		"27/11/2026;27/11/2026;;+730,00;Bonifico;BONIFICO DA CLIENTE SPA PAGAMENTO FATTURA 2026/201\n"
	for _, st := range []mailbox.Attachment{
		{Filename: "estratto_20261127.xml", ContentType: "application/xml", Data: []byte(camt)},
		{Filename: "movimenti_20261127.csv", ContentType: "application/octet-stream", Data: []byte(csv)},
	} {
		t.Run(st.Filename, func(t *testing.T) { statementMailedByOwner(t, st) })
	}
}

func statementMailedByOwner(t *testing.T, statement mailbox.Attachment) {
	h := newHarnessWith(t, `summary = "off"
language = "it"`)
	h.deliver(invoiceMail("s1@studio.test", "ap@client.test", "Fattura n. 2026/201 del 02/11/2026\nImporto: € 730,00\nScadenza: 20/11/2026"))
	h.pass(h.day(2026, 11, 2))
	h.sent()
	h.now = time.Date(2026, 11, 30, 8, 0, 0, 0, h.loc)
	raw, err := mailbox.Compose(mailbox.Outgoing{
		From: mailbox.Address{Name: "Owner", Email: owner}, To: []mailbox.Address{{Email: bot}},
		Subject: "estratto conto 27/11", Text: "in allegato l'estratto conto", MessageID: "stmt1@studio.test", Date: h.now,
		Attachments: []mailbox.Attachment{statement},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.sim.Deliver(raw, h.now); err != nil {
		t.Fatal(err)
	}
	h.pass(h.day(2026, 11, 30)) // stage 1 was due today at 10:00
	got := h.sent()
	if !slices.Equal(got, []string{"command_done→" + owner}) {
		t.Fatalf("sent %v, want only the confirmation to the owner", got)
	}
	if body := h.lastSent().Body(); !strings.Contains(body, "estratto conto: 1 accrediti, 1 nuovi; fatture pagate: 1 (2026/201)") {
		t.Errorf("confirmation:\n%s", body)
	}
	if inv := h.invoice("2026/201"); inv.State != policy.Paid {
		t.Errorf("invoice after the statement: %s", inv.State)
	}
	for d := h.day(2026, 12, 1); d.Before(h.day(2026, 12, 31)); d = d.AddDate(0, 0, 1) {
		h.pass(d)
	}
	if got := h.sent(); len(got) != 0 {
		t.Errorf("after the statement: %v", got)
	}
}

// TestPaymentsAuto: with payments.auto = "ask" a certain match waits for
// the owner like a probable one; with "off" credits are only recorded.
func TestPaymentsAuto(t *testing.T) {
	for _, auto := range []string{"ask", "off"} {
		h := newHarness(t)
		h.eng.cfg.Payments.Auto = auto
		h.deliver(invoiceMail("pa@studio.test", "ap@client.test", "Fattura n. 2026/501 del 02/11/2026\nImporto: € 100,00\nScadenza: 20/11/2026"))
		h.pass(h.day(2026, 11, 2))
		c := bank.Credit{Ref: "A1", BookingDate: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), ValueDate: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
			Amount: decimal.RequireFromString("100"), Currency: "EUR", Remittance: "saldo fattura 2026/501"}
		r, err := h.eng.ImportCredits(context.Background(), "x.xml", []bank.Credit{c})
		if err != nil || r.Paid != 0 || h.invoice("2026/501").State.Closed() {
			t.Errorf("auto %s: %+v, %v, invoice %s", auto, r, err, h.invoice("2026/501").State)
		}
		want := map[string]int{"ask": 1, "off": 0}[auto]
		if r.Probable != want {
			t.Errorf("auto %s: %d to confirm, want %d", auto, r.Probable, want)
		}
	}
}

// TestSummaryListsCredits: the owner's summary lists the credits of the
// period that paid nothing by themselves, with the invoice each may pay;
// a credit that paid an invoice is not listed again.
func TestSummaryListsCredits(t *testing.T) {
	h := newHarness(t)
	h.deliver(invoiceMail("sc@studio.test", "ap@client.test", "Fattura n. 2026/601 del 02/11/2026\nImporto: € 300,00\nScadenza: 20/11/2026"))
	h.pass(h.day(2026, 11, 2))
	from := h.now
	h.now = h.day(2026, 11, 27)
	day := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	_, err := h.eng.ImportCredits(context.Background(), "x.xml", []bank.Credit{
		{Ref: "S1", BookingDate: day, ValueDate: day, Amount: decimal.RequireFromString("100"), Currency: "EUR", Payer: "CLIENTE", Remittance: "acconto 2026/601"},
		{Ref: "S2", BookingDate: day, ValueDate: day, Amount: decimal.RequireFromString("9.99"), Currency: "EUR", Remittance: "interessi"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	err = h.db.View(context.Background(), func(tx *ledger.Tx) error {
		s, err := h.eng.gatherSummary(tx, from, h.now)
		for _, c := range s.Credits {
			notes = append(notes, c.Amount.StringFixed(2)+" "+strings.Join(c.Invoices, ","))
		}
		return err
	})
	if err != nil || !slices.Equal(notes, []string{"100.00 2026/601", "9.99 "}) {
		t.Errorf("summary credits %q, %v", notes, err)
	}
}

// TestUndoBankPayment: a payment read in a bank statement is taken back
// by "annulla" within a week, as the owner's own "pagata" is: the invoice
// is open again and its credit waits for the owner in payments list.
func TestUndoBankPayment(t *testing.T) {
	h := newHarness(t)
	inv := chased(h, "2026/434")
	h.now = h.day(2026, 11, 3)
	credit := bank.Credit{Ref: "U1", BookingDate: h.day(2026, 11, 3), ValueDate: h.day(2026, 11, 3),
		Amount: inv.Amount, Currency: "EUR", Payer: "ROSSI SRL", Remittance: "SALDO FATTURA 2026/434"}
	if r, err := h.eng.ImportCredits(context.Background(), "estratto.csv", []bank.Credit{credit}); err != nil || r.Paid != 1 {
		t.Fatalf("import: %+v, %v", r, err)
	}
	if got := h.invoice("2026/434"); got.State != policy.Paid {
		t.Fatalf("after the credit: %s", got.State)
	}
	h.now = h.day(2026, 11, 5)
	h.ownerSays(nil, "fattura 2026/434", "annulla")
	h.pass(h.now)
	if got := h.invoice("2026/434"); got.State != inv.State {
		t.Fatalf("after annulla: %s, want %s", got.State, inv.State)
	}
	if sent := h.sent(); len(sent) != 1 || sent[0] != "command_done→"+owner {
		t.Errorf("after annulla sent %v, want a confirmation", sent)
	} else if b := h.lastSent().Body(); !strings.Contains(b, "estratto conto") {
		t.Errorf("the confirmation does not say what was taken back:\n%s", b)
	}
	cs, err := h.eng.Credits(context.Background())
	if err != nil || len(cs) != 1 || cs[0].Match != ledger.CreditProbable {
		t.Errorf("the credit after the undo: %+v, %v", cs, err)
	}
}

// TestCreditQuestion: a credit that names the invoice but pays part of
// it asks the owner in one message; "sì" in answer records the part
// payment and the credit as the one that paid; a second "sì" finds no
// credit waiting and is no command.
func TestCreditQuestion(t *testing.T) {
	h := newHarness(t)
	inv := chased(h, "2026/435")
	h.now = h.day(2026, 11, 3)
	part := inv.Amount.Div(decimal.NewFromInt(2)).Round(2)
	credit := bank.Credit{Ref: "Q1", BookingDate: h.day(2026, 11, 3), ValueDate: h.day(2026, 11, 3),
		Amount: part, Currency: "EUR", Payer: "ROSSI SRL", Remittance: "ACCONTO FATTURA 2026/435"}
	if r, err := h.eng.ImportCredits(context.Background(), "estratto.csv", []bank.Credit{credit}); err != nil || r.Probable != 1 {
		t.Fatalf("import: %+v, %v", r, err)
	}
	h.pass(h.now)
	if sent := h.sent(); !slices.Equal(sent, []string{"credit_question→" + owner}) {
		t.Fatalf("sent %v, want the question to the owner", sent)
	}
	q := h.lastSent()
	if !strings.Contains(q.Subject, "2026/435") || !strings.Contains(q.Body(), "ROSSI SRL") || !strings.Contains(q.Body(), "«sì»") {
		t.Errorf("the question:\n%s\n%s", q.Subject, q.Body())
	}
	h.now = h.day(2026, 11, 4)
	h.ownerSays(q, "", "Sì, grazie")
	h.pass(h.now)
	got := h.invoice("2026/435")
	if !got.PaidAmount.Equal(part) || got.State.Closed() {
		t.Fatalf("after sì: %s paid %s, want %s paid, still open", got.State, got.PaidAmount, part)
	}
	if sent := h.sent(); !slices.Equal(sent, []string{"command_done→" + owner}) {
		t.Errorf("after sì sent %v, want a confirmation", sent)
	}
	cs, err := h.eng.Credits(context.Background())
	if err != nil || len(cs) != 1 || cs[0].Match != ledger.CreditPaid {
		t.Errorf("the credit after sì: %+v, %v", cs, err)
	}
	// Interest counts the part payment from the day the bank says it
	// arrived, not the day the owner answered.
	err = h.db.View(context.Background(), func(tx *ledger.Tx) error {
		evs, err := tx.Events(got.ID)
		if err != nil {
			return err
		}
		ps := payments(evs, h.loc)
		if len(ps) != 1 || ps[0].On.Format(time.DateOnly) != credit.ValueDate.Format(time.DateOnly) || !ps[0].Amount.Equal(part) {
			t.Errorf("payments for interest %+v, want %s on %s", ps, part, credit.ValueDate.Format(time.DateOnly))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	h.now = h.day(2026, 11, 5)
	h.ownerSays(q, "", "sì")
	h.pass(h.now)
	if got := h.invoice("2026/435"); !got.PaidAmount.Equal(part) {
		t.Errorf("a second sì paid again: %s", got.PaidAmount)
	}
}

// TestPaymentNoticeForwarded: the owner forwards the bank's "bonifico in
// entrata" alert; its credit, naming the invoice and paying it whole,
// marks it paid, as a statement would. The same alert sent by a stranger
// changes nothing: it could be forged.
func TestPaymentNoticeForwarded(t *testing.T) {
	h := newHarness(t)
	inv := chased(h, "2026/436")
	amount := strings.ReplaceAll(inv.Amount.StringFixed(2), ".", ",")
	alert := "Gentile cliente,\nè stato accreditato un bonifico sul conto ***1234.\nOrdinante: CLIENTE SPA\nImporto: " + amount +
		" EUR\nCausale: saldo fattura 2026/436\nData valuta: 03/11/2026\nCRO: 0306998761111\nSaldo disponibile: 9.999,00 EUR\n"
	h.now = h.day(2026, 11, 4)
	h.mails++
	h.deliver(fmt.Sprintf("From: Banca <alert@banca.example>\nTo: %s\nSubject: Bonifico in entrata\nDate: %s\nMessage-ID: <alert-1@banca.example>\nContent-Type: text/plain; charset=utf-8\n\n%s",
		bot, h.now.Format(time.RFC1123Z), alert))
	h.pass(h.now)
	if got := h.invoice("2026/436"); got.State.Closed() {
		t.Fatalf("a stranger's alert closed the invoice: %s", got.State)
	}
	h.sent()
	h.ownerSays(nil, "I: Bonifico in entrata", "ecco il pagamento\n\n-------- Messaggio inoltrato --------\nOggetto: Bonifico in entrata\n\n"+alert)
	h.pass(h.now)
	if got := h.invoice("2026/436"); got.State != policy.Paid {
		t.Fatalf("after the forwarded alert: %s", got.State)
	}
	if sent := h.sent(); !slices.Equal(sent, []string{"command_done→" + owner}) {
		t.Errorf("sent %v, want the confirmation", sent)
	}
}

// TestClaimConfirmedByCredit: a client who wrote "paid" is confirmed by
// itself when the credit arrives, though its causale names no invoice: the
// one open invoice owing that sum, from a payer who is its client. From
// another payer it stays a question for the owner.
func TestClaimConfirmedByCredit(t *testing.T) {
	h := newHarness(t)
	h.deliver(invoiceMail("c1@studio.test", "ap@verdimpianti.test", "Fattura n. 2026/121 del 02/11/2026\nImporto: € 2.440,00\nScadenza: 20/11/2026"))
	h.deliver(invoiceMail("c2@studio.test", "ap@bianchi.test", "Fattura n. 2026/122 del 02/11/2026\nImporto: € 730,00\nScadenza: 20/11/2026"))
	h.pass(h.day(2026, 11, 2))
	h.sent()
	h.now = h.day(2026, 11, 24)
	for _, c := range []struct{ id, from string }{{"c1", "ap@verdimpianti.test"}, {"c2", "ap@bianchi.test"}} {
		h.deliver("From: " + c.from + "\nTo: " + bot + "\nSubject: Re: Fattura\nDate: Tue, 24 Nov 2026 09:00:00 +0100\nMessage-ID: <p-" + c.id + "@client.test>\nIn-Reply-To: <" + c.id + "@studio.test>\nContent-Type: text/plain; charset=utf-8\n\nBuongiorno, abbiamo pagato ieri con bonifico.\n")
	}
	h.pass(h.day(2026, 11, 24))
	if inv := h.invoice("2026/121"); inv.State != policy.ClaimedPaid {
		t.Fatalf("after the client's 'paid': %s", inv.State)
	}
	value := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	credits := []bank.Credit{
		{Ref: "C1", BookingDate: value, ValueDate: value, Amount: decimal.RequireFromString("2440.00"), Currency: "EUR", Payer: "VERDIMPIANTI SRL", Remittance: "BONIFICO SEPA"},
		{Ref: "C2", BookingDate: value, ValueDate: value, Amount: decimal.RequireFromString("730.00"), Currency: "EUR", Payer: "ROSSI MARIO", Remittance: "pagamento"},
	}
	h.now = h.day(2026, 11, 25)
	r, err := h.eng.ImportCredits(context.Background(), "estratto.xml", credits)
	if err != nil {
		t.Fatal(err)
	}
	if r.Paid != 1 || r.Probable != 1 {
		t.Errorf("report %+v, want one paid and one to confirm", r)
	}
	if inv := h.invoice("2026/121"); inv.State != policy.Paid {
		t.Errorf("the announced payment that arrived left 2026/121 %s", inv.State)
	}
	if inv := h.invoice("2026/122"); inv.State != policy.ClaimedPaid {
		t.Errorf("a credit from another payer changed 2026/122 to %s", inv.State)
	}
}

// TestPayerSeenBefore: a credit without a number that two invoices could
// be, from a payer (an IBAN) that paid one of the clients before, is asked
// about that client's invoice.
func TestPayerSeenBefore(t *testing.T) {
	h := newHarness(t)
	h.deliver(invoiceMail("s1@studio.test", "ap@alfa.test", "Fattura n. 2026/131 del 02/11/2026\nImporto: € 500,00\nScadenza: 20/11/2026"))
	h.deliver(invoiceMail("s2@studio.test", "ap@alfa.test", "Fattura n. 2026/132 del 03/11/2026\nImporto: € 610,00\nScadenza: 20/11/2026"))
	h.deliver(invoiceMail("s3@studio.test", "ap@beta.test", "Fattura n. 2026/133 del 03/11/2026\nImporto: € 610,00\nScadenza: 20/11/2026"))
	h.pass(h.day(2026, 11, 3))
	h.sent()
	d := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	credits := []bank.Credit{
		{Ref: "P1", BookingDate: d, ValueDate: d, Amount: decimal.RequireFromString("500.00"), Currency: "EUR", Payer: "HOLDING ALFA", PayerIBAN: "IT60X0542811101000000123456", Remittance: "saldo fattura 2026/131"},
		{Ref: "P2", BookingDate: d.AddDate(0, 0, 1), ValueDate: d.AddDate(0, 0, 1), Amount: decimal.RequireFromString("610.00"), Currency: "EUR", Payer: "HOLDING ALFA", PayerIBAN: "IT60X0542811101000000123456", Remittance: "bonifico"},
	}
	h.now = h.day(2026, 11, 12)
	r, err := h.eng.ImportCredits(context.Background(), "estratto.xml", credits)
	if err != nil {
		t.Fatal(err)
	}
	if r.Paid != 1 || r.Probable != 1 {
		t.Fatalf("report %+v, want one paid and one asked", r)
	}
	cs, _ := h.eng.Credits(context.Background())
	for _, c := range cs {
		if c.Ref == "P2" && (len(c.Invoices) != 1 || c.Invoices[0] != h.invoice("2026/132").ID) {
			t.Errorf("the second credit may pay %v (%s), want 2026/132 alone", c.Invoices, c.Why)
		}
	}
	if inv := h.invoice("2026/132"); inv.State.Closed() {
		t.Errorf("a guess closed 2026/132: %s", inv.State)
	}
}
