package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/config"
	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/ledger"
)

// TestCaseFileInterestAndTimeline follows an invoice due 15 June 2026 to
// stage 4 and reads the case file: statutory interest by half-year from
// the rate table, the €40, the total, the client's promise as the bot read
// it and the owner's note; then the notice, computed on its own day.
func TestCaseFileInterestAndTimeline(t *testing.T) {
	h := newHarness(t)
	h.deliver(invoiceMail("inv-case@studio.test", "ap@client.test", "Fattura n. 2026/400 del 15/05/2026\nImporto: € 1.000,00\nScadenza: 15/06/2026"))
	h.pass(h.day(2026, 11, 2))
	first := h.lastSent()
	if got := h.sent(); len(got) != 1 || got[0] != "stage1→ap@client.test" {
		t.Fatalf("2 Nov: sent %v, want stage 1 at once (long overdue)", got)
	}
	h.deliver(fmt.Sprintf(`From: Client <ap@client.test>
To: %s
Subject: Re: %s
Date: Tue, 03 Nov 2026 09:00:00 +0100
Message-ID: <promise1@client.test>
In-Reply-To: <%s>
Content-Type: text/plain; charset=utf-8

Buongiorno, pagheremo entro il 6 novembre.
`, bot, first.Subject, first.MessageID))
	h.deliver(fmt.Sprintf(`From: Owner <%s>
To: %s
Subject: Re: %s
Date: Tue, 03 Nov 2026 18:00:00 +0100
Message-ID: <note1@studio.test>
In-Reply-To: <%s>
Content-Type: text/plain; charset=utf-8

nota il cliente ha problemi di liquidità
`, owner, bot, first.Subject, first.MessageID))
	var caseDay time.Time
	for d := h.day(2026, 11, 3); d.Before(h.day(2027, 2, 28)); d = d.AddDate(0, 0, 1) {
		h.pass(d)
		for _, s := range h.sent() {
			if strings.HasPrefix(s, "case_file→") {
				caseDay = d
			}
		}
		if !caseDay.IsZero() {
			break
		}
	}
	if caseDay.IsZero() {
		t.Fatal("no case file by the end of February")
	}
	text := h.lastSent().Body()
	t.Log(text)

	// 16–30 June 2026: 15 days at 1H2026's 2.15 + 8 = 10.15%: 1000 × 10.15 × 15 / 36500 = 4.1712… → 4.17.
	// From 1 July the half-year is not in the shipped table: 10.15% assumed.
	days := int(caseDay.Sub(time.Date(2026, 6, 30, 0, 0, 0, 0, h.loc)).Hours() / 24)
	second := decimal.NewFromInt(1000).Mul(decimal.RequireFromString("10.15")).Mul(decimal.NewFromInt(int64(days))).Div(decimal.NewFromInt(36500)).Round(2)
	total := decimal.NewFromInt(1040).Add(decimal.RequireFromString("4.17")).Add(second)
	it := func(x decimal.Decimal) string { // Italian notation, below 1.000.000
		whole, frac, _ := strings.Cut(x.StringFixed(2), ".")
		if len(whole) > 3 {
			whole = whole[:len(whole)-3] + "." + whole[len(whole)-3:]
		}
		return whole + "," + frac
	}
	for _, want := range []string{
		"dal 16/06/2026 al 30/06/2026: 15 giorni al 10,15% annuo = € 4,17",
		fmt.Sprintf("dal 01/07/2026 al %s: %d giorni al 10,15%% annuo (*) = € %s", caseDay.Format("02/01/2006"), days, it(second)),
		"salvo conguaglio",
		"Risarcimento forfettario dei costi di recupero (art. 6): € 40,00",
		fmt.Sprintf("Totale dovuto al %s: € %s", caseDay.Format("02/01/2006"), it(total)),
		"fattura ricevuta",
		"inviato al cliente (ap@client.test): primo sollecito",
		"risposta di ap@client.test, letta come: promessa di pagamento entro il 06/11/2026",
		"Suo comando: nota (il cliente ha problemi di liquidità)",
		"- invia diffida:", "- stralcio IMPORTO (per esempio: stralcio 800)", "- stralcia:",
		"DIFFIDA AD ADEMPIERE E COSTITUZIONE IN MORA",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the case file lacks %q:\n%s", want, text)
		}
	}

	// The notice, decided a week later, carries the figures of its own day.
	later := caseDay.AddDate(0, 0, 7)
	h.now = later
	var notice string
	err := h.db.View(context.Background(), func(tx *ledger.Tx) error {
		invs, err := tx.AllInvoices()
		if err != nil {
			return err
		}
		d, err := h.eng.data(tx, invs[0], policy.Notice, about{}, later)
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
	sendDay := policy.SendWindow(later, policy.Client{}, h.eng.cfg.Settings, time.Time{})
	if !strings.Contains(notice, "dovuto al "+sendDay.Format("02/01/2006")) || !strings.Contains(notice, fmt.Sprintf("%d giorni al 10,15%% annuo (*)", days+int(sendDay.Sub(caseDay).Hours()/24))) {
		t.Errorf("the notice is not computed on the day it goes (%s):\n%s", sendDay.Format("02/01/2006"), notice)
	}
}

// TestNoInterestForConsumers: a client marked consumer gets no statutory
// interest nor the €40 in the case file.
func TestNoInterestForConsumers(t *testing.T) {
	h := newHarness(t)
	h.eng.cfg.Clients = map[string]config.Client{"ap@client.test": {Consumer: true}}
	h.deliver(invoiceMail("inv-cons@studio.test", "ap@client.test", "Fattura n. 2026/401 del 15/05/2026\nImporto: € 1.000,00\nScadenza: 15/06/2026"))
	h.pass(h.day(2026, 11, 2))
	h.sent()
	err := h.db.View(context.Background(), func(tx *ledger.Tx) error {
		invs, err := tx.AllInvoices()
		if err != nil {
			return err
		}
		d, err := h.eng.data(tx, invs[0], policy.CaseFile, about{}, h.day(2026, 12, 1))
		if err != nil {
			return err
		}
		if d.Interest != nil {
			t.Errorf("a consumer is claimed interest: %+v", d.Interest)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
