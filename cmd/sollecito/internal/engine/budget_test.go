package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/policy/ledger"
)

// pdfInvoiceMail is an owner's invoice mail with a PDF attached.
func pdfInvoiceMail(t *testing.T, id, client, body string, pdf []byte) string {
	t.Helper()
	raw, err := mailbox.Compose(mailbox.Outgoing{
		From: mailbox.Address{Name: "Owner", Email: owner}, To: []mailbox.Address{{Email: client}}, Cc: []mailbox.Address{{Email: bot}},
		Subject: "Fattura", Text: body, MessageID: id, Date: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC),
		Attachments: []mailbox.Attachment{{Filename: "fattura.pdf", ContentType: "application/pdf", Data: pdf}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(raw), "\r\n", "\n")
}

// TestLoopingPDF: the trial's 238-byte PDF whose /Pages lists itself in
// /Kids no longer holds the pass; the invoice behind it is handled too.
func TestLoopingPDF(t *testing.T) {
	h := newHarness(t)
	loop, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "reply", "invoice", "testdata", "loop_kids.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	h.deliver(pdfInvoiceMail(t, "loop@studio.test", "ap@client.test", "In allegato la fattura.", loop))
	h.deliver(invoiceMail("next@studio.test", "ap@other.test", "Fattura n. 2026/410 del 02/11/2026\nImporto: € 500,00\nScadenza: 20/11/2026"))
	done := make(chan struct{})
	go func() { h.pass(h.day(2026, 11, 2)); close(done) }()
	select {
	case <-done:
	case <-time.After(60 * time.Second): // not a timing assertion: the old code never returned
		t.Fatal("the pass never ended on a looping PDF")
	}
	invs, _ := h.db.AllInvoices(context.Background())
	found := false
	for _, inv := range invs {
		found = found || inv.Number == "2026/410"
	}
	if !found {
		t.Fatalf("the invoice behind the looping PDF was not registered: %+v", invs)
	}
	if v, uid, _, _ := h.db.Attempt(context.Background(), h.eng.cfg.IMAP.Folder); uid != 0 {
		t.Errorf("a mark of uid %d (validity %d) is left behind", uid, v)
	}
}

// TestPoisonedMessageSkipped: a message that an earlier pass began and
// never finished (the process died or hung on it) is not parsed again: it
// is recorded as malformed, shown to the owner once, and the messages after
// it are handled.
func TestPoisonedMessageSkipped(t *testing.T) {
	h := newHarness(t)
	h.deliver(pdfInvoiceMail(t, "hang@studio.test", "ap@client.test", "Fattura n. 2026/411 del 02/11/2026\nImporto: € 500,00\nScadenza: 20/11/2026", []byte("%PDF-1.4 whatever")))
	h.deliver(invoiceMail("after@studio.test", "ap@other.test", "Fattura n. 2026/412 del 02/11/2026\nImporto: € 500,00\nScadenza: 20/11/2026"))
	// Earlier passes began uid 1 maxAttempts times and died before recording it.
	folder := h.eng.cfg.IMAP.Folder
	for range maxAttempts {
		if err := h.db.Tx(context.Background(), func(tx *ledger.Tx) error {
			return tx.StartAttempt(folder, h.in.UIDValidity(), 1)
		}); err != nil {
			t.Fatal(err)
		}
	}
	h.pass(h.day(2026, 11, 2))
	invs, _ := h.db.AllInvoices(context.Background())
	if len(invs) != 1 || invs[0].Number != "2026/412" {
		t.Fatalf("invoices %+v: want only the one after the poisoned message", invs)
	}
	if n := eventKinds(h)["malformed"]; n != 1 {
		t.Errorf("%d malformed events, want 1: %v", n, eventKinds(h))
	}
	h.pass(h.day(2026, 11, 3))
	n := 0
	for _, s := range h.sent() {
		if strings.HasPrefix(s, "forward_unmatched→"+owner) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the poisoned message was shown to the owner %d times, want once", n)
	}
	if _, uid, _, _ := h.db.Attempt(context.Background(), folder); uid != 0 {
		t.Errorf("the mark of uid %d is left behind", uid)
	}
}
