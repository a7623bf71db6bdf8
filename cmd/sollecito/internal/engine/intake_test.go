package engine

import (
	"context"
	"testing"
	"time"

	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/policy"
)

// fatturaPA is a minimal FatturaPA of number, amount and due date.
func fatturaPA(number, amount, due string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<p:FatturaElettronica versione="FPR12" xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2">
<FatturaElettronicaHeader></FatturaElettronicaHeader>
<FatturaElettronicaBody><DatiGenerali><DatiGeneraliDocumento><TipoDocumento>TD01</TipoDocumento><Divisa>EUR</Divisa>
<Data>2026-11-02</Data><Numero>` + number + `</Numero><ImportoTotaleDocumento>` + amount + `</ImportoTotaleDocumento></DatiGeneraliDocumento></DatiGenerali>
<DatiPagamento><CondizioniPagamento>TP02</CondizioniPagamento><DettaglioPagamento><ModalitaPagamento>MP05</ModalitaPagamento>
<DataScadenzaPagamento>` + due + `</DataScadenzaPagamento><ImportoPagamento>` + amount + `</ImportoPagamento></DettaglioPagamento></DatiPagamento>
</FatturaElettronicaBody></p:FatturaElettronica>`)
}

// TestIntakeTwoInvoices: an owner's mail carrying two invoices, each
// attachment of its own number, registers both, each chased on its own.
func TestIntakeTwoInvoices(t *testing.T) {
	h := newHarness(t)
	h.now = h.day(2026, 11, 2)
	raw, err := mailbox.Compose(mailbox.Outgoing{
		From: mailbox.Address{Name: "Owner", Email: owner}, To: []mailbox.Address{{Email: "ap@client.test"}}, Cc: []mailbox.Address{{Email: bot}},
		Subject: "Fatture di novembre", Text: "In allegato le due fatture di novembre.", MessageID: "two@studio.test", Date: h.now,
		Attachments: []mailbox.Attachment{
			{Filename: "IT01234567890_00201.xml", ContentType: "application/xml", Data: fatturaPA("2026/201", "1287.36", "2026-12-02")},
			{Filename: "IT01234567890_00202.xml", ContentType: "application/xml", Data: fatturaPA("2026/202", "402.60", "2026-12-16")},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.sim.Deliver(raw, h.now); err != nil {
		t.Fatal(err)
	}
	h.pass(h.now)
	a, b := h.invoice("2026/201"), h.invoice("2026/202")
	if a.State != policy.Open || b.State != policy.Open || a.Amount.String() != "1287.36" || b.Amount.String() != "402.6" ||
		!b.DueDate.Equal(time.Date(2026, 12, 16, 0, 0, 0, 0, time.UTC)) || a.Client != "ap@client.test" || b.Client != "ap@client.test" {
		t.Errorf("the two invoices: %+v\n%+v", a, b)
	}
}

// TestIntakeCreditNote: a credit note the owner copies the bot on is
// money owed to the client: recorded, never registered as an invoice,
// nothing sent.
func TestIntakeCreditNote(t *testing.T) {
	h := newHarness(t)
	h.now = h.day(2026, 11, 2)
	h.deliver(`From: Owner <` + owner + `>
To: Client <ap@client.test>
Cc: ` + bot + `
Subject: Nota di credito n. 4/NC del 02/11/2026
Date: Mon, 02 Nov 2026 09:00:00 +0100
Message-ID: <nc4@studio.test>
Content-Type: text/plain; charset=utf-8

Gentile cliente, le inviamo la nota di credito n. 4/NC del 02/11/2026 di € 366,00.
Scadenza: 02/12/2026
`)
	for d := 2; d <= 30; d++ {
		h.pass(h.day(2026, 11, d))
	}
	if rows, err := h.eng.Status(context.Background()); err != nil || len(rows) != 0 {
		t.Errorf("a credit note registered as %+v, %v", rows, err)
	}
	if sent := h.sent(); len(sent) != 0 {
		t.Errorf("sent %v for a credit note", sent)
	}
}
