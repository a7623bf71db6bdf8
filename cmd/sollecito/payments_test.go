package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPaymentsImport: a statement imported into the demo's kept ledger
// marks paid the invoice its credit names and pays in full, says so, lists
// the credit, and changes nothing when imported again; a file that is not
// a statement is one clear error and records nothing.
func TestPaymentsImport(t *testing.T) {
	cfg := keptDemo(t)
	stmt := filepath.Join(t.TempDir(), "estratto.xml")
	const camt = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Acct><Ccy>EUR</Ccy></Acct>
<Ntry><Amt Ccy="EUR">2400.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-12</Dt></BookgDt><ValDt><Dt>2026-11-12</Dt></ValDt>
<AcctSvcrRef>CRO-0001</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>STUDIO VERDI</Nm></Dbtr></RltdPties>
<RmtInf><Ustrd>SALDO FT 2026/103</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
<Ntry><Amt Ccy="EUR">99.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-12</Dt></BookgDt><AcctSvcrRef>CRO-0002</AcctSvcrRef>
<AddtlNtryInf>RIMBORSO ASSICURAZIONE</AddtlNtryInf></Ntry>
</Stmt></BkToCstmrStmt></Document>`
	if err := os.WriteFile(stmt, []byte(camt), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, e := run(t, "payments", "--config", cfg, "--now", "2026-11-12", "import", stmt)
	if code != 0 || !strings.Contains(out, "2 credits, 2 new: 1 invoices paid, 0 to confirm, 1 matching no invoice") {
		t.Fatalf("import: exit %d, stdout %q, stderr %q", code, out, e)
	}
	if code, out, _ := run(t, "status", "--config", cfg, "--now", "2026-11-12"); code != 0 || !strings.Contains(lineWith(out, "2026/103"), "pagata") {
		t.Errorf("status after the import: %q", lineWith(out, "2026/103"))
	}
	if code, out, _ := run(t, "export", "--config", cfg, "--now", "2026-11-12"); code != 0 || !strings.Contains(lineWith(out, "2026/103"), "2026-11-12,CRO-0001 SALDO FT 2026/103") {
		t.Errorf("export after the import: %q", lineWith(out, "2026/103"))
	}
	if code, out, _ := run(t, "payments", "--config", cfg, "list"); code != 0 || !strings.Contains(out, "SALDO FT 2026/103") || !strings.Contains(out, "paid") {
		t.Errorf("payments list: %q", out)
	}
	if code, out, _ := run(t, "payments", "--config", cfg, "--now", "2026-11-12", "import", stmt); code != 0 || !strings.Contains(out, "2 credits, 0 new") {
		t.Errorf("the same statement again: %q", out)
	}
	// A home-banking CSV export, read by its header row.
	csv := filepath.Join(t.TempDir(), "movimenti.csv")
	os.WriteFile(csv, []byte("Conto n. 000012345;;;;\nData contabile;Data valuta;Dare;Avere;Descrizione\n"+
		"13/11/2026;13/11/2026;;150,00;BONIFICO DA STUDIO NERI RIMBORSO SPESE\n13/11/2026;13/11/2026;85,40;;POS\n"), 0o600)
	if code, out, e := run(t, "payments", "--config", cfg, "--now", "2026-11-13", "import", csv); code != 0 || !strings.Contains(out, "1 credits, 1 new: 0 invoices paid, 0 to confirm, 1 matching no invoice") {
		t.Errorf("a CSV export: exit %d, stdout %q, stderr %q", code, out, e)
	}
	bad := filepath.Join(t.TempDir(), "lettera.txt")
	os.WriteFile(bad, []byte("Gentile cliente,\nin allegato il Suo estratto conto.\n"), 0o600)
	if code, _, e := run(t, "payments", "--config", cfg, "import", bad); code != 1 || !strings.Contains(e, "not a bank statement") || strings.Count(e, "\n") != 1 {
		t.Errorf("a file that is no statement: exit %d, stderr %q", code, e)
	}
}

// TestStatementFolder: the daemon imports a statement that appears in
// payments.folder once, not while it is still being written, and leaves a
// file that is not a statement alone.
func TestStatementFolder(t *testing.T) {
	cfg := keptDemo(t)
	dir := filepath.Join(t.TempDir(), "estratti")
	os.Mkdir(dir, 0o700)
	text, _ := os.ReadFile(cfg)
	if strings.Contains(string(text), "[payments]") {
		t.Fatal("the demo's configuration has [payments]: add folder to it instead")
	}
	os.WriteFile(cfg, append(text, []byte("\n[payments]\nfolder = \""+dir+"\"\n")...), 0o600)
	ctx := context.Background()
	a, err := openLedgerApp(ctx, cfg, "2026-11-12", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	defer a.db.Close()
	old := time.Now().Add(-time.Minute)
	put := func(name, body string, at time.Time) {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o600)
		os.Chtimes(p, at, at)
	}
	put("lettera.txt", "Gentile cliente,\nin allegato il Suo estratto conto.\n", old)
	put("novembre.xml", `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Acct><Ccy>EUR</Ccy></Acct>
<Ntry><Amt Ccy="EUR">2400.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-12</Dt></BookgDt><ValDt><Dt>2026-11-12</Dt></ValDt>
<AcctSvcrRef>CRO-0001</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>STUDIO VERDI</Nm></Dbtr></RltdPties>
<RmtInf><Ustrd>SALDO FT 2026/103</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
</Stmt></BkToCstmrStmt></Document>`, old)
	put("scaricamento.csv", "Data contabile;Data valuta;Dare;Avere;Descrizione\n13/11/2026;13/11/2026;;150,00;BONIFICO DA STUDIO NERI\n", time.Now())
	if n, err := a.statements.importNew(ctx, a); err != nil || n != 1 {
		t.Fatalf("first pass: %d statements read, %v; want the settled one", n, err)
	}
	if n, _ := a.statements.importNew(ctx, a); n != 0 {
		t.Errorf("second pass read %d files again", n)
	}
	os.Chtimes(filepath.Join(dir, "scaricamento.csv"), old, old)
	if n, _ := a.statements.importNew(ctx, a); n != 1 {
		t.Errorf("the download, once settled: %d read", n)
	}
	cs, err := a.eng.Credits(ctx)
	if err != nil || len(cs) != 2 {
		t.Fatalf("credits %d, %v", len(cs), err)
	}
	invs, _ := a.db.InvoiceByNumber(ctx, "2026/103")
	if len(invs) != 1 || !invs[0].State.Closed() {
		t.Errorf("2026/103 after its statement came into the folder: %+v", invs)
	}
}

// keptDemo runs ten days of the demo into a kept folder and returns its
// configuration: a ledger with invoices to import payments against.
func keptDemo(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the demo")
	}
	keep := filepath.Join(t.TempDir(), "kept")
	if code, _, e := run(t, "demo", "--days", "10", "--keep", keep); code != 0 {
		t.Fatalf("demo --keep: exit %d: %s", code, e)
	}
	return filepath.Join(keep, "demo.toml")
}

func lineWith(text, s string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}
