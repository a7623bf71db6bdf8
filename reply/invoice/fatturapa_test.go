package invoice

import (
	"archive/zip"
	"bytes"
	"encoding/asn1"
	"encoding/base64"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseFatturaPAInstalments(t *testing.T) {
	r, err := parseFatturaPA(readTestdata(t, "IT01234567890_0RATE.xml"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Instalment{
		{DueDate: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)},
		{DueDate: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)},
	}
	if len(r.Instalments) != 2 {
		t.Fatalf("instalments = %v, want 2", r.Instalments)
	}
	for i, in := range r.Instalments {
		if !in.DueDate.Equal(want[i].DueDate) || in.Amount.StringFixed(2) != "1530.00" {
			t.Errorf("instalment %d = %v %s, want %v 1530.00", i, in.DueDate, in.Amount, want[i].DueDate)
		}
	}
	if r.Number != "2026/0210" || r.Currency != "EUR" || r.IBAN != "IT60X0542811101000000123456" {
		t.Errorf("got number %q currency %q iban %q", r.Number, r.Currency, r.IBAN)
	}
	// Amount is the total of the instalments (after withholding), due date the first.
	if r.Amount.StringFixed(2) != "3060.00" || !r.DueDate.Equal(want[0].DueDate) || r.Client != "Rossi Logistica S.r.l." {
		t.Errorf("got amount %s due %v client %q", r.Amount, r.DueDate, r.Client)
	}
}

func TestParseFatturaPAVariants(t *testing.T) {
	const head = `<?xml version="1.0" encoding="%s"?><p:FatturaElettronica versione="FPA12" xmlns:p="x"><FatturaElettronicaHeader/>`
	body := func(inner string) string {
		return `<FatturaElettronicaBody><DatiGenerali><DatiGeneraliDocumento><TipoDocumento>TD01</TipoDocumento><Divisa>EUR</Divisa>` +
			`<Data>2026-05-04</Data><Numero>7</Numero>` + inner + `</DatiGeneraliDocumento></DatiGenerali></FatturaElettronicaBody>`
	}
	tests := []struct {
		name, xml string
		amount    string // "" for none
		err       bool
	}{
		{"no payment rows: total less withholding",
			strings.Replace(head, "%s", "UTF-8", 1) + body(`<DatiRitenuta><ImportoRitenuta>200.00</ImportoRitenuta></DatiRitenuta><ImportoTotaleDocumento>1268.80</ImportoTotaleDocumento>`) + `</p:FatturaElettronica>`,
			"1068.80", false},
		{"latin-1 declared",
			strings.Replace(head, "%s", "ISO-8859-1", 1) + body(`<ImportoTotaleDocumento>10.00</ImportoTotaleDocumento>`) + "</p:FatturaElettronica>",
			"10.00", false},
		{"no amount at all",
			strings.Replace(head, "%s", "UTF-8", 1) + body(``) + `</p:FatturaElettronica>`, "", false},
		{"two bodies (a batch)",
			strings.Replace(head, "%s", "UTF-8", 1) + body(``) + body(``) + `</p:FatturaElettronica>`, "", true},
		{"truncated", strings.Replace(head, "%s", "UTF-8", 1) + `<FatturaElettronicaBody>`, "", true},
	}
	for _, tt := range tests {
		r, err := parseFatturaPA([]byte(tt.xml))
		if (err != nil) != tt.err {
			t.Errorf("%s: err = %v, want error %v", tt.name, err, tt.err)
			continue
		}
		got := ""
		if r.HasAmount {
			got = r.Amount.StringFixed(2)
		}
		if got != tt.amount {
			t.Errorf("%s: amount %q, want %q", tt.name, got, tt.amount)
		}
	}
	if _, err := parseFatturaPA([]byte(`<?xml version="1.0"?><Invoice/>`)); err != errNotFatturaPA {
		t.Errorf("UBL invoice: err = %v, want errNotFatturaPA", err)
	}
}

// cmsSignedData builds a minimal SignedData envelope around content, as
// signing tools do, without a signature (the bot does not verify one).
func cmsSignedData(t testing.TB, content []byte) []byte {
	t.Helper()
	type encap struct {
		Type    asn1.ObjectIdentifier
		Content []byte `asn1:"explicit,tag:0"`
	}
	type signedData struct {
		Version    int
		Digests    []asn1.RawValue `asn1:"set"`
		Encap      encap
		SignerInfo []asn1.RawValue `asn1:"set"`
	}
	sd, err := asn1.Marshal(signedData{Version: 1, Digests: []asn1.RawValue{}, Encap: encap{oidData, content}, SignerInfo: []asn1.RawValue{}})
	if err != nil {
		t.Fatal(err)
	}
	ci, err := asn1.Marshal(struct {
		Type    asn1.ObjectIdentifier
		Content asn1.RawValue
	}{oidSignedData, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: sd}})
	if err != nil {
		t.Fatal(err)
	}
	return ci
}

func TestUnwrapP7M(t *testing.T) {
	xml := readTestdata(t, "IT01234567890_0RATE.xml")
	built := cmsSignedData(t, xml)
	tests := []struct {
		name string
		data []byte
	}{
		{"openssl DER", readTestdata(t, "IT01234567890_0RATE.xml.p7m")},
		{"openssl BER stream", readTestdata(t, "IT01234567890_0RATE_ber.xml.p7m")},
		{"openssl PEM", readTestdata(t, "IT01234567890_0RATE_pem.xml.p7m")},
		{"built DER", built},
		{"built base64 without armour", []byte(base64.StdEncoding.EncodeToString(built))},
	}
	for _, tt := range tests {
		got, err := unwrapP7M(tt.data)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !bytes.Equal(got, xml) {
			t.Errorf("%s: content differs (%d bytes, want %d)", tt.name, len(got), len(xml))
		}
	}
	bad := [][]byte{nil, []byte("not a p7m"), built[:len(built)/2], {0x30, 0x80}, {0x30, 0x84, 0xff, 0xff, 0xff, 0xff}}
	for _, b := range bad {
		if _, err := unwrapP7M(b); err == nil {
			t.Errorf("unwrapP7M(%q) succeeded, want an error", b)
		}
	}
}

func zipOf(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestExtractFatturaPA: the XML wins over text that disagrees, in every wrapping.
func TestExtractFatturaPA(t *testing.T) {
	xml := readTestdata(t, "IT01234567890_0RATE.xml")
	p7m := readTestdata(t, "IT01234567890_0RATE.xml.p7m")
	body := "In allegato la fattura FT 2026/0210 del 03/11/2026, totale € 3.660,00, pagamento a 30 gg d.f."
	tests := []struct {
		name string
		att  attachment
	}{
		{"xml", attachment{"IT01234567890_0RATE.xml", "application/xml", xml}},
		{"p7m", attachment{"IT01234567890_0RATE.xml.p7m", "application/pkcs7-mime", p7m}},
		{"zip of p7m", attachment{"fattura.zip", "application/zip", zipOf(t, map[string][]byte{"IT01234567890_0RATE.xml.p7m": p7m})}},
		{"zip of xml", attachment{"fattura.zip", "application/x-zip-compressed", zipOf(t, map[string][]byte{"a/IT01234567890_0RATE.xml": xml, "leggimi.txt": []byte("x")})}},
	}
	for _, tt := range tests {
		f := Extract(parseMail(t, buildMail("Fattura FT 2026/0210", body, tt.att)), testOptions)
		want := map[string]string{"number": "2026/0210", "issue_date": "2026-11-03", "due_date": "2026-12-31",
			"amount": "3060.00", "currency": "EUR", "client_email": "amministrazione@cliente.example"}
		if got := fieldsSummary(f); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %v\nwant %v\nnotes %v", tt.name, got, want, f.Notes)
		}
		if f.Source != "fatturapa" || len(f.Instalments) != 2 || len(f.Missing) != 0 || f.IBAN != "IT60X0542811101000000123456" {
			t.Errorf("%s: source %q, %d instalments, missing %v, iban %q", tt.name, f.Source, len(f.Instalments), f.Missing, f.IBAN)
		}
	}
}
