package main

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sollecito/sollecito/mailbox"
)

// TestIntegrationStatement: against the real servers, with the owner
// verified as in production (the test Exim's Authentication-Results), a
// bank statement the owner mails on the morning a reminder is due pays the
// invoice it names: the reminder never goes, the owner gets one
// confirmation, and the status says paid.
func TestIntegrationStatement(t *testing.T) {
	app := newStackApp(t, `authserv_id = "mail.example.test"`, "alfa")
	ctx := context.Background()
	a := app.at("alfa")
	loc, _ := time.LoadLocation("Europe/Rome")
	day := func(d int) time.Time { return time.Date(2026, 11, 2, 0, 0, 0, 0, loc).AddDate(0, 0, d) }
	cl := &demoClient{addr: a, company: "Alfa Srl", lang: "it", number: "2026/301", amount: "€ 730,00", due: day(18)} // due Fri 20/11
	raw, err := invoiceMail(app.owner, app.bot, cl, day(0).Add(9*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	app.send(ctx, app.owner, []string{a, app.bot}, raw)
	runOnce := func(at time.Time) {
		t.Helper()
		var out bytes.Buffer
		if code := Main(ctx, []string{"run", "--config", app.cfgPath, "--once", "--now", at.Format(time.RFC3339)}, &out, &out, app.getenv); code != 0 {
			t.Fatalf("run --once --now %s: exit %d\n%s", at.Format(time.RFC3339), code, out.String())
		}
		waitDelivered(t, app.dir)
	}
	runOnce(day(0).Add(10 * time.Hour))
	// check finds the owner's invoice mail and says the server vouches for it.
	var chk bytes.Buffer
	if code := Main(ctx, []string{"check", "--config", app.cfgPath}, &chk, &chk, app.getenv); code != 0 ||
		!strings.Contains(chk.String(), "owner mail from "+app.owner) || !strings.Contains(chk.String(), `with owner.authserv_id = "mail.example.test": verified`) {
		t.Errorf("check: exit %d\n%s", code, chk.String())
	}
	// Stage 1 is due on Monday 30/11 at 10:00; the owner mails the
	// statement of Friday 27/11 at 08:00.
	const camt = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Acct><Ccy>EUR</Ccy></Acct>
<Ntry><Amt Ccy="EUR">730.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-27</Dt></BookgDt>
<AcctSvcrRef>CRO-301</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>ALFA SRL</Nm></Dbtr></RltdPties>
<RmtInf><Ustrd>SALDO FT 2026/301</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>`
	stmt, err := mailbox.Compose(mailbox.Outgoing{
		From: mailbox.Address{Name: "Maria Bianchi", Email: app.owner}, To: []mailbox.Address{{Email: app.bot}},
		Subject: "estratto conto", Text: "ecco l'estratto conto di venerdì", MessageID: app.at("stmt"), Date: day(28).Add(8 * time.Hour),
		Attachments: []mailbox.Attachment{{Filename: "estratto_20261127.xml", ContentType: "application/xml", Data: []byte(camt)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	app.send(ctx, app.owner, []string{app.bot}, stmt)
	runOnce(day(28).Add(10 * time.Hour))
	for d := 29; d < 45; d++ {
		runOnce(day(d).Add(10 * time.Hour))
	}
	client, owner := &peer{addr: a}, &peer{addr: app.owner}
	app.read(ctx, client)
	app.read(ctx, owner)
	if got := templatesOf(client.got); slices.Contains(got, "stage1") || slices.Contains(got, "stage2") {
		t.Errorf("the client got %v after the bank paid the invoice", got)
	}
	var confirmations []string
	for _, m := range owner.got {
		if m.Get("X-Sollecito-Template") == "command_done" {
			confirmations = append(confirmations, m.Body())
		}
	}
	if len(confirmations) != 1 || !strings.Contains(confirmations[0], "fatture pagate: 1 (2026/301)") {
		t.Errorf("owner's confirmations: %q", confirmations)
	}
	var out bytes.Buffer
	if code := Main(ctx, []string{"status", "--config", app.cfgPath, "--now", day(45).Format("2006-01-02")}, &out, &out, app.getenv); code != 0 ||
		!strings.Contains(lineWith(out.String(), "2026/301"), "pagata") {
		t.Errorf("status: %q", out.String())
	}
}
