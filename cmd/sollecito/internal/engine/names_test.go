package engine

import (
	"strings"
	"testing"

	"github.com/sollecito/sollecito/mailbox"
)

// TestClientNamedEverywhere follows an invoice addressed to "Neri
// Costruzioni <ufficio@neri.test>": the name is stored at intake and greets
// the client; the owner corrects it by email ("imposta cliente …", confirmed
// in the owner's words) and sets the VAT number; the case file and the
// formal notice then name the debtor as corrected.
func TestClientNamedEverywhere(t *testing.T) {
	h := newHarness(t)
	h.deliver(strings.Replace(invoiceMail("inv-names@studio.test", "ufficio@neri.test",
		"Spett.le Neri Costruzioni,\nFattura n. 2026/104 del 02/11/2026\nImporto: € 430,00\nScadenza: 06/11/2026"),
		"To: Client <ufficio@neri.test>", "To: Neri Costruzioni <ufficio@neri.test>", 1))
	h.pass(h.day(2026, 11, 2))
	h.sent()
	if inv := h.invoice("2026/104"); inv.ClientName != "Neri Costruzioni" {
		t.Fatalf("ClientName at intake = %q, want Neri Costruzioni", inv.ClientName)
	}
	first := h.until(h.day(2026, 11, 30), "stage1")
	if first == nil {
		t.Fatal("no stage 1 reminder in November")
	}
	if body := first.Body(); !strings.Contains(body, "Gentile Neri Costruzioni,") {
		t.Errorf("stage 1 does not greet the client by name:\n%s", body)
	}

	h.now = h.now.Add(2 * 3600e9)
	h.ownerSays(nil, "Fattura 2026/104", "imposta cliente Neri Costruzioni S.r.l.\nimposta partita iva 01234567897")
	h.pass(h.now)
	inv := h.invoice("2026/104")
	if inv.ClientName != "Neri Costruzioni S.r.l." || inv.ClientVAT != "IT01234567897" {
		t.Errorf("after the owner's correction: name %q, VAT %q", inv.ClientName, inv.ClientVAT)
	}
	var dones []string
	for _, d := range h.sim.Delivered()[h.seen:] {
		m, _ := mailbox.Parse(d.Raw)
		if m.Get("X-Sollecito-Template") == "command_done" {
			dones = append(dones, m.Body())
		}
	}
	h.sent()
	// One mail, one answer: both commands are confirmed in one message.
	if len(dones) != 1 || !strings.Contains(dones[0], "cliente Neri Costruzioni S.r.l.") || !strings.Contains(dones[0], "partita IVA IT01234567897") {
		t.Errorf("confirmations %q, want one saying the name and the VAT number back", dones)
	}

	caseFile := h.until(h.day(2027, 1, 31), "case_file")
	if caseFile == nil {
		t.Fatal("no case file by the end of January")
	}
	if !strings.Contains(caseFile.Subject, "Neri Costruzioni S.r.l.") || !strings.Contains(caseFile.Body(), "Neri Costruzioni S.r.l. <ufficio@neri.test>") {
		t.Errorf("the case file does not name the client:\n%s\n%s", caseFile.Subject, caseFile.Body())
	}
	h.now = h.now.Add(3 * 3600e9)
	h.ownerSays(caseFile, "", "invia diffida comunque")
	h.pass(h.now.Add(21 * 3600e9))
	var notice *mailbox.Message
	for _, d := range h.sim.Delivered() {
		if m, _ := mailbox.Parse(d.Raw); m.Get("X-Sollecito-Template") == "notice" {
			notice = m
		}
	}
	if notice == nil {
		t.Fatal("no notice sent")
	}
	if body := notice.Body(); !strings.Contains(body, "Spett.le Neri Costruzioni S.r.l.\nP.IVA IT01234567897\n") || strings.Contains(body, "Spett.le Cliente") {
		t.Errorf("the notice does not name the debtor:\n%s", body)
	}

	h.sent()
	h.now = h.now.Add(3600e9)
	h.ownerSays(nil, "Situazione", "stato")
	h.pass(h.now)
	sums := h.summaries()
	if len(sums) != 1 || !strings.Contains(sums[0].Body(), "Neri Costruzioni S.r.l. <ufficio@neri.test>") {
		for _, m := range sums {
			t.Log(m.Body())
		}
		t.Errorf("%d summaries; the summary must name the client", len(sums))
	}
}
