package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/ledger"
)

// largeInvoice is an owner's invoice mail of about size bytes: the text of
// the invoice and one PDF attachment that fills the rest.
func largeInvoice(size int, id string) []byte {
	raw, err := mailbox.Compose(mailbox.Outgoing{
		From:      mailbox.Address{Name: "Owner", Email: owner},
		To:        []mailbox.Address{{Name: "Client", Email: "ap@client.test"}},
		Cc:        []mailbox.Address{{Email: bot}},
		Subject:   "Fattura 2026/900",
		Text:      "Fattura n. 2026/900 del 02/11/2026\nImporto: € 500,00\nScadenza: 30/11/2026\n",
		MessageID: id,
		Date:      time.Date(2026, 11, 2, 9, 0, 0, 0, time.FixedZone("CET", 3600)),
		Attachments: []mailbox.Attachment{{Filename: "big.pdf", ContentType: "application/pdf",
			Data: make([]byte, (size-4096)/78*57)}}, // base64: 57 bytes a 76-character line
	})
	if err != nil {
		panic(err)
	}
	return raw
}

// BenchmarkIntakeLarge takes a 45 MiB invoice mail through the whole intake:
// IMAP fetch from the in-process server, Parse, extraction, and the ledger
// (raw message and attachment stored). Peak memory, for the record:
//
//	go test -c -o /tmp/engine.test ./cmd/sollecito/internal/engine
//	/usr/bin/time -v /tmp/engine.test -test.run '^$' -test.bench IntakeLarge -test.benchmem -test.benchtime 1x
func BenchmarkIntakeLarge(b *testing.B) {
	const size = 45 << 20
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		h := newHarness(b)
		raw := largeInvoice(size, fmt.Sprintf("large%d@studio.test", i))
		if err := h.sim.Deliver(raw, h.now); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		h.pass(h.day(2026, 11, 2))
		b.StopTimer()
		invs, err := h.db.AllInvoices(context.Background())
		if err != nil || len(invs) != 1 || invs[0].Number != "2026/900" {
			b.Fatalf("invoices %+v, %v", invs, err)
		}
		b.SetBytes(int64(len(raw)))
		b.StartTimer()
	}
}

// TestOversizeMessageShownOnce: a message over mailbox.MaxMessageSize is
// recorded as malformed and shown to the owner once; the mail behind it is
// handled.
func TestOversizeMessageShownOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("delivers a 51 MiB message")
	}
	h := newHarness(t)
	big := largeInvoice(mailbox.MaxMessageSize+1<<20, "huge@studio.test")
	if err := h.sim.Deliver(big, h.now); err != nil {
		t.Fatal(err)
	}
	h.deliver(invoiceMail("after@studio.test", "ap@client.test", "Fattura n. 2026/901 del 02/11/2026\nImporto: € 500,00\nScadenza: 30/11/2026"))
	h.pass(h.day(2026, 11, 2))
	h.pass(h.day(2026, 11, 3))
	n := 0
	for _, s := range h.sent() {
		if s == "forward_unmatched→"+owner {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the oversize message was shown to the owner %d times, want once", n)
	}
	var alert *mailbox.Message
	for _, d := range h.sim.Delivered() {
		if m, _ := mailbox.Parse(d.Raw); m.Get("X-Sollecito-Template") == "forward_unmatched" {
			alert = m
		}
	}
	if alert == nil || !strings.Contains(alert.Body(), "too large") || !strings.Contains(alert.Subject+alert.Body(), "Fattura") {
		t.Errorf("the owner's alert does not say the message is too large or what it was:\n%v", alert)
	}
	if invs, _ := h.db.AllInvoices(context.Background()); len(invs) != 1 || invs[0].Number != "2026/901" {
		t.Errorf("the invoice behind the oversize message: %+v", invs)
	}
	if eventKinds(h)["malformed"] != 1 {
		t.Errorf("events %v: want one malformed", eventKinds(h))
	}
}

// BenchmarkMatchInvoice matches a reply that names an invoice number (not
// threaded) in ledgers of growing size: lookups through the number index,
// not a scan, so the cost stays flat.
//
//	go test ./cmd/sollecito/internal/engine -run '^$' -bench MatchInvoice
func BenchmarkMatchInvoice(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 50_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			h := newHarness(&testing.T{})
			err := h.db.Tx(context.Background(), func(tx *ledger.Tx) error {
				for i := range n {
					if _, err := tx.CreateInvoice(policy.Invoice{Number: fmt.Sprintf("2026/%d", i), Client: fmt.Sprintf("c%d@client.test", i), State: policy.Open},
						ledger.Source{MessageID: fmt.Sprintf("inv%d@x", i)}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			m, _ := mailbox.Parse([]byte("From: c7@client.test\r\nTo: bot@studio.test\r\nSubject: fattura 2026/7\r\n\r\nBuongiorno, per la fattura 2026/7 del 02/11/2026 paghiamo venerdì. Grazie, ufficio acquisti, tel. 051 1234567.\r\n"))
			b.ResetTimer()
			for b.Loop() {
				err := h.db.View(context.Background(), func(tx *ledger.Tx) error {
					inv, _, ok, err := h.eng.matchInvoice(tx, m, "c7@client.test")
					if err == nil && (!ok || inv.Number != "2026/7") {
						b.Fatalf("matched %v %s", ok, inv.Number)
					}
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTickIdle is the steady-state pass: ledgers of growing size whose
// open invoices all have their next step in the future (reminded yesterday,
// next stage weeks away), so a tick decides and writes nothing. Its cost is
// what every pass of a daemon pays; the growth with invoices is the table
// the scale issue asks for.
//
//	go test ./cmd/sollecito/internal/engine -run '^$' -bench TickIdle -benchmem
func BenchmarkTickIdle(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			h := newHarness(&testing.T{})
			due := time.Date(2026, 10, 1, 0, 0, 0, 0, h.loc)
			sent := time.Date(2026, 11, 1, 10, 0, 0, 0, h.loc)
			err := h.db.Tx(context.Background(), func(tx *ledger.Tx) error {
				for i := range n {
					inv := policy.Invoice{Number: fmt.Sprintf("2026/%d", i), Client: fmt.Sprintf("c%d@client.test", i),
						IssueDate: due.AddDate(0, -1, 0), DueDate: due, Anchor: due, Amount: decimal.NewFromInt(int64(100 + i%900)), Currency: "EUR",
						State: policy.Open, Stage: 1, CourtesySent: true, LastStageAt: sent}
					if _, err := tx.CreateInvoice(inv, ledger.Source{MessageID: fmt.Sprintf("inv%d@x", i)}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			h.now = time.Date(2026, 11, 2, 10, 0, 0, 0, h.loc)
			// The first tick decides every new invoice and stores when each
			// is next due; the steady state is every tick after it.
			start := time.Now()
			if err := h.eng.Tick(context.Background()); err != nil {
				b.Fatal(err)
			}
			first := time.Since(start)
			h.now = h.now.Add(time.Minute)
			b.ResetTimer()
			for b.Loop() {
				if err := h.eng.Tick(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(first.Milliseconds()), "first-tick-ms")
			if out := h.sent(); len(out) != 0 {
				b.Fatalf("an idle tick sent %v", out)
			}
		})
	}
}
