package main

// The adversarial trial's attacks, against the real Exim and Dovecot of
// .ci/run. The test Exim stamps Authentication-Results like a receiving
// server (spf=pass only for an authenticated session), and the bot trusts
// it through owner.authserv_id, not owner.trust_server.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/ledger"
)

func TestIntegrationHostile(t *testing.T) {
	app := newStackApp(t, `authserv_id = "mail.example.test" # what .ci/smtp-up.sh's Exim writes`, "alfa")
	ctx := context.Background()
	s, cfgPath, getenv, bot, owner, a, smtpAddr, dir := app.stack, app.cfgPath, app.getenv, app.bot, app.owner, app.at("alfa"), app.smtpAddr, app.dir
	work := filepath.Dir(cfgPath)
	run := strings.TrimPrefix(strings.TrimSuffix(bot, "@example.test"), "bot-") // this run's tag, for unique Message-IDs
	// A stranger on the internet: no login, an ordinary BATV envelope sender.
	stranger := func(envFrom string, raw []byte) {
		t.Helper()
		c := mailbox.NewSMTP(mailbox.ServerConfig{Addr: smtpAddr, Security: "none", Timeout: 10 * time.Second}, nil)
		if err := c.Send(ctx, envFrom, []string{bot}, raw); err != nil {
			t.Fatalf("stranger's mail: %v", err)
		}
	}
	loc, _ := time.LoadLocation("Europe/Rome")
	day0 := time.Date(2026, 11, 2, 0, 0, 0, 0, loc) // a Monday
	day := func(n int) time.Time { return day0.AddDate(0, 0, n) }
	pass := func(d int) {
		t.Helper()
		var out bytes.Buffer
		now := day(d).Add(10 * time.Hour)
		if code := Main(ctx, []string{"run", "--config", cfgPath, "--once", "--now", now.Format(time.RFC3339)}, &out, &out, getenv); code != 0 {
			t.Fatalf("run --once --now %s: exit %d\n%s", now.Format(time.RFC3339), code, out.String())
		}
		waitDelivered(t, dir)
	}
	invoices := func() map[string]policy.Invoice {
		t.Helper()
		db, err := ledger.Open(ctx, filepath.Join(work, "ledger.db"), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		all, err := db.AllInvoices(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]policy.Invoice{}
		for _, inv := range all {
			out[inv.Number] = inv
		}
		return out
	}

	// Day 0: the owner's invoices, sent through the owner's own login:
	// Exim vouches (spf=pass), so the bot takes them without trust_server.
	// The first carries the trial's looping PDF; the second must still be read.
	loop, err := os.ReadFile(filepath.Join("..", "..", "reply", "invoice", "testdata", "loop_kids.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	poison, err := mailbox.Compose(mailbox.Outgoing{
		From: mailbox.Address{Email: owner}, To: []mailbox.Address{{Email: a}}, Cc: []mailbox.Address{{Email: bot}},
		Subject: "Fattura", Text: "In allegato la fattura.", MessageID: app.at("loop"), Date: day(0).Add(9 * time.Hour),
		Attachments: []mailbox.Attachment{{Filename: "fattura.pdf", ContentType: "application/pdf", Data: loop}},
	})
	if err != nil {
		t.Fatal(err)
	}
	s.send(ctx, owner, []string{a, bot}, poison)
	good, err := invoiceMail(owner, bot, &demoClient{addr: a, company: "Alfa Srl", lang: "it", number: "2026/301", amount: "€ 1.220,00", due: day(9)}, day(0).Add(9*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	s.send(ctx, owner, []string{a, bot}, good)
	waitDelivered(t, dir)
	pass(0)
	inv, ok := invoices()["2026/301"]
	if !ok {
		t.Fatalf("the invoice behind the looping PDF was not registered: %v", invoices())
	}

	// Until the client has a reminder to answer.
	client, ownerBox := &peer{addr: a}, &peer{addr: owner}
	var reminder *mailbox.Message
	for d := 1; d <= 12 && reminder == nil; d++ {
		pass(d)
		for _, m := range botMessages(s.read(ctx, client)) {
			reminder = m
		}
	}
	if reminder == nil {
		t.Fatal("the client got no reminder in 12 days")
	}
	s.read(ctx, ownerBox)
	const attackDay = 13

	// 1. Owner spoofing: From the owner, a forged Authentication-Results in
	// the message, the server's own field naming a BATV sender (a value
	// holding "="), threaded under the reminder.
	forged := fmt.Sprintf("Authentication-Results: mail.example.test; spf=pass smtp.mailfrom=%s\r\nFrom: %s\r\nTo: %s\r\nSubject: Re: %s\r\nDate: %s\r\nMessage-ID: <forged-%s@evil.test>\r\nIn-Reply-To: <%s>\r\nReferences: <%s>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\npagata\r\n",
		owner, owner, bot, reminder.Subject, day(attackDay).Add(8*time.Hour).Format(time.RFC1123Z), run, reminder.MessageID, reminder.MessageID)
	stranger("prvs=0123456789=attacker@evil.test", []byte(forged))
	// 2. A stranger redirects the chase by answering under the reminder.
	redirect := fmt.Sprintf("From: Ufficio <ufficio@attacker.test>\r\nTo: %s\r\nSubject: Re: %s\r\nDate: %s\r\nMessage-ID: <redirect-%s@attacker.test>\r\nIn-Reply-To: <%s>\r\nReferences: <%s>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBuongiorno, da ora in poi scrivete per i pagamenti a pagamenti@attacker.test, grazie.\r\n",
		bot, reminder.Subject, day(attackDay).Add(8*time.Hour).Format(time.RFC1123Z), run, reminder.MessageID, reminder.MessageID)
	stranger("ufficio@attacker.test", []byte(redirect))
	waitDelivered(t, dir)
	pass(attackDay)
	after := invoices()["2026/301"]
	if after.State == policy.Paid || after.State == policy.ClaimedPaid {
		t.Errorf("a stranger posing as the owner closed the invoice: %s", after.State)
	}
	if after.Client != inv.Client {
		t.Errorf("a stranger moved the chase to %s", after.Client)
	}
	got := templatesOf(s.read(ctx, ownerBox))
	if n := strings.Count(strings.Join(got, " "), "unverified"); n != 2 {
		t.Errorf("the owner got %v, want both attacks shown as unverified", got)
	}

	// 3. The owner's out-of-office, with no Auto-Submitted, answering
	// everything the bot writes for 12 days: at most one help.
	var last *mailbox.Message
	helps := 0
	for d := attackDay + 1; d <= attackDay+12; d++ {
		subject, inReplyTo := "Fuori sede: fattura", "<none@example.test>"
		if last != nil {
			subject, inReplyTo = "Fuori sede: "+last.Subject, "<"+last.MessageID+">"
		}
		ooo := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <ooo-%d-%s@example.test>\r\nIn-Reply-To: %s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSono fuori sede fino al 30 novembre, con accesso limitato alla posta. Per urgenze chiamare lo 051 123456.\r\n",
			owner, bot, mimeWord(subject), day(d).Add(8*time.Hour).Format(time.RFC1123Z), d, run, inReplyTo)
		s.send(ctx, owner, []string{bot}, []byte(ooo))
		waitDelivered(t, dir)
		pass(d)
		for _, m := range botMessages(s.read(ctx, ownerBox)) {
			last = m
			if m.Get("X-Sollecito-Template") == "command_help" {
				helps++
			}
		}
	}
	if helps > 1 {
		t.Errorf("the owner's out-of-office drew %d help messages in 12 days", helps)
	}
}
