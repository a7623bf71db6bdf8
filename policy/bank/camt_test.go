package bank

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// TestParseCAMT reads statements and notifications field by field: only
// booked credits, one per transaction of a batch entry, names and
// remittance from where each version puts them, encodings declared.
func TestParseCAMT(t *testing.T) {
	tests := []struct {
		file string
		want []Credit
	}{
		{"camt053_v02.xml", []Credit{
			{Ref: "0123456789AB", BookingDate: day(2026, 12, 1), ValueDate: day(2026, 11, 30), Amount: decimal.RequireFromString("1220.00"), Currency: "EUR",
				Payer: "ROSSI COSTRUZIONI SRL", PayerIBAN: "IT02A0306909606100000123456", Remittance: "SALDO FATTURA 2026/101 DEL 02/11/2026"},
			{Ref: "BATCH-77-1", BookingDate: day(2026, 12, 1), ValueDate: day(2026, 12, 1), Amount: decimal.RequireFromString("600.00"), Currency: "EUR",
				Payer: "Bianchi Arredi", Remittance: "FT 2026-0045"},
			{Ref: "BATCH-77/2", BookingDate: day(2026, 12, 1), ValueDate: day(2026, 12, 1), Amount: decimal.RequireFromString("300.00"), Currency: "EUR",
				Payer: "Verdi Mario", Remittance: "acconto lavori"},
		}},
		{"camt054_v08.xml", []Credit{
			{Ref: "TX-0042", BookingDate: day(2026, 12, 3), ValueDate: day(2026, 12, 3), Amount: decimal.RequireFromString("4260.00"), Currency: "GBP",
				Payer: "Northwind Ltd", PayerIBAN: "GB29NWBK60161331926819", Remittance: "INV-2026-105\nRF18539007547034"},
		}},
	}
	for _, tt := range tests {
		data, err := os.ReadFile(filepath.Join("testdata", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseCAMT(data)
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		if len(got) != len(tt.want) {
			t.Fatalf("%s: %d credits %+v, want %d", tt.file, len(got), got, len(tt.want))
		}
		for i := range got {
			g, w := got[i], tt.want[i]
			if g.Ref != w.Ref || !g.BookingDate.Equal(w.BookingDate) || !g.ValueDate.Equal(w.ValueDate) || !g.Amount.Equal(w.Amount) ||
				g.Currency != w.Currency || g.Payer != w.Payer || g.PayerIBAN != w.PayerIBAN || g.Remittance != w.Remittance {
				t.Errorf("%s credit %d:\n got %+v\nwant %+v", tt.file, i+1, g, w)
			}
		}
	}
}

func TestParseCAMTEncoding(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "camt053_cp1252.xml"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseCAMT(data)
	if err != nil || len(got) == 0 || got[0].Payer != "CAFFÈ ROSSI SRL" {
		t.Fatalf("windows-1252 statement: %+v, %v", got, err)
	}
}

// TestParseCAMTRefuses: what is not a statement, and a statement with a
// malformed amount or date, is an error that says so; nothing half-read.
func TestParseCAMTRefuses(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("testdata", "camt053_v02.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for name, tt := range map[string]struct {
		data string
		want string
	}{
		"not xml":        {"Data;Importo;Causale\n01/12/2026;1220,00;saldo", "not an ISO 20022"},
		"another xml":    {`<?xml version="1.0"?><FatturaElettronica xmlns="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"/>`, "not an ISO 20022"},
		"a pain.001":     {`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn/></Document>`, "not an ISO 20022"},
		"comma amount":   {strings.Replace(string(good), ">1220.00<", ">1220,00<", 1), "entry 1: amount"},
		"bad value date": {strings.Replace(string(good), "2026-11-30", "30/11/2026", 1), "entry 1: value date"},
		"empty":          {"", "not an ISO 20022"},
	} {
		got, err := ParseCAMT([]byte(tt.data))
		if err == nil || !strings.Contains(err.Error(), tt.want) || got != nil {
			t.Errorf("%s: %d credits, error %v; want an error with %q", name, len(got), err, tt.want)
		}
		if strings.HasPrefix(tt.want, "not") && !errors.Is(err, ErrNotCAMT) {
			t.Errorf("%s: error %v is not ErrNotCAMT", name, err)
		}
	}
}

// TestCreditRefStable: a credit the bank gives no reference gets one made
// of what it says, the same at every import.
func TestCreditRefStable(t *testing.T) {
	doc := `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Acct><Ccy>EUR</Ccy></Acct>
<Ntry><Amt>100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-12-01</Dt></BookgDt><AddtlNtryInf>BONIFICO DA NERI</AddtlNtryInf></Ntry>
</Stmt></BkToCstmrStmt></Document>`
	a, err := ParseCAMT([]byte(doc))
	if err != nil || len(a) != 1 {
		t.Fatalf("%+v %v", a, err)
	}
	b, _ := ParseCAMT([]byte(doc))
	if a[0].Ref == "" || a[0].Ref != b[0].Ref || a[0].Currency != "EUR" || a[0].Remittance != "BONIFICO DA NERI" {
		t.Errorf("credit %+v, again %+v", a[0], b[0])
	}
}

// FuzzParseCAMT: any input ends in credits or an error, never a panic,
// and every credit is positive with a currency and a reference.
//
//	go test ./policy/bank -run '^$' -fuzz FuzzParseCAMT -fuzztime 60s
func FuzzParseCAMT(f *testing.F) {
	for _, name := range []string{"camt053_v02.xml", "camt054_v08.xml", "camt053_cp1252.xml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) { wellFormed(t, ParseCAMT, data) })
}

// TestParseMT940 reads an MT940 statement in its SWIFT wrapper: credits
// only, the narrative's plain and structured forms, the currency of the
// opening balance, the bank's reference.
func TestParseMT940(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "mt940.sta"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseStatement(data, CSVColumns{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Credit{
		{Ref: "mt940:20261127:CRO0306998765", BookingDate: day(2026, 11, 27), ValueDate: day(2026, 11, 27), Amount: decimal.RequireFromString("1220"),
			Currency: "EUR", Remittance: "BONIFICO A VOSTRO FAVORE DA ROSSI SRL SALDO FATTURA 2026/101"},
		{Ref: "mt940:20261127:BNK-7781", BookingDate: day(2026, 11, 27), ValueDate: day(2026, 11, 27), Amount: decimal.RequireFromString("600"),
			Currency: "EUR", Payer: "BIANCHI ARREDI", PayerIBAN: "IT02A0306909606100000123456", Remittance: "FT 2026-0045 VERSAMENTO SALDO"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d credits %+v, want %d", len(got), got, len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Ref != w.Ref || !g.BookingDate.Equal(w.BookingDate) || !g.ValueDate.Equal(w.ValueDate) || !g.Amount.Equal(w.Amount) ||
			g.Currency != w.Currency || g.Payer != w.Payer || g.PayerIBAN != w.PayerIBAN || g.Remittance != w.Remittance {
			t.Errorf("credit %d:\n got %+v\nwant %+v", i+1, g, w)
		}
	}
	bad := strings.Replace(string(data), ":61:2611271127C1220,00", ":61:2611271127C12x0,00", 1)
	if _, err := ParseStatement([]byte(bad), CSVColumns{}); err == nil || !strings.Contains(err.Error(), "line 6") {
		t.Errorf("a malformed statement line: %v", err)
	}
	if _, err := ParseStatement([]byte("Gentile cliente,\nin allegato il Suo estratto conto.\n"), CSVColumns{}); !errors.Is(err, ErrNotStatement) {
		t.Errorf("a text that is no statement: %v", err)
	}
}

// FuzzParseMT940: any input ends in credits or an error, never a panic.
func FuzzParseMT940(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "mt940.sta"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Fuzz(func(t *testing.T, data []byte) { wellFormed(t, ParseMT940, data) })
}

// wellFormed fails t when parse returns, without an error, a credit that
// is not positive, has no currency or no reference.
func wellFormed(t *testing.T, parse func([]byte) ([]Credit, error), data []byte) {
	cs, err := parse(data)
	if err != nil {
		return
	}
	for _, c := range cs {
		if !c.Amount.IsPositive() || len(c.Currency) != 3 || c.Ref == "" {
			t.Fatalf("credit %+v", c)
		}
	}
}
