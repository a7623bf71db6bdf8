package invoice

import (
	"bytes"
	"strings"
	"testing"
)

// fpXML is a minimal FatturaPA whose CessionarioCommittente holds party.
func fpXML(party string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<p:FatturaElettronica versione="FPR12" xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2">
<FatturaElettronicaHeader><CessionarioCommittente><DatiAnagrafici>` + party + `</DatiAnagrafici></CessionarioCommittente></FatturaElettronicaHeader>
<FatturaElettronicaBody><DatiGenerali><DatiGeneraliDocumento><TipoDocumento>TD01</TipoDocumento><Divisa>EUR</Divisa>
<Data>2026-11-02</Data><Numero>2026/104</Numero><ImportoTotaleDocumento>430.00</ImportoTotaleDocumento></DatiGeneraliDocumento></DatiGenerali>
<DatiPagamento><CondizioniPagamento>TP02</CondizioniPagamento><DettaglioPagamento><ModalitaPagamento>MP05</ModalitaPagamento>
<DataScadenzaPagamento>2026-12-02</DataScadenzaPagamento><ImportoPagamento>430.00</ImportoPagamento></DettaglioPagamento></DatiPagamento>
</FatturaElettronicaBody></p:FatturaElettronica>`)
}

// mailTo is buildMail with another To header.
func mailTo(to, subject, body string, atts ...attachment) []byte {
	raw := buildMail(subject, body, atts...)
	return bytes.Replace(raw, []byte("To: Amministrazione <AMMINISTRAZIONE@cliente.example>"), []byte("To: "+to), 1)
}

func TestClientName(t *testing.T) {
	const body = "Fattura n. 2026/104 del 02/11/2026, totale € 430,00, scadenza 02/12/2026."
	pdf := func(lines ...string) attachment {
		return attachment{"fattura.pdf", "application/pdf", makePDF(t, append([]string{"Officina Bianchi", "Fattura n. 2026/104 del 02/11/2026"}, lines...)...)}
	}
	xml := func(party string) attachment {
		return attachment{"IT01234567890_00104.xml", "application/xml", fpXML(party)}
	}
	tests := []struct {
		name     string
		to, body string
		atts     []attachment
		want     string
		vat      string
	}{
		{"fatturapa denominazione wins over everything", "Elisa Neri <ufficio@neri.example>", "Spett.le Neri,\n" + body,
			[]attachment{xml(`<IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>01234567897</IdCodice></IdFiscaleIVA><Anagrafica><Denominazione>Neri Costruzioni S.r.l.</Denominazione></Anagrafica>`), pdf("Cliente: Neri")},
			"Neri Costruzioni S.r.l.", "IT01234567897"},
		{"fatturapa nome cognome and codice fiscale", "<mario@rossi.example>", body,
			[]attachment{xml(`<CodiceFiscale>RSSMRA80A01H501U</CodiceFiscale><Anagrafica><Nome>Mario</Nome><Cognome>Rossi</Cognome></Anagrafica>`)},
			"Mario Rossi", "RSSMRA80A01H501U"},
		{"fatturapa without a party name falls back to the text", "Rossi <mario@rossi.example>", body,
			[]attachment{xml(`<Anagrafica><Denominazione> </Denominazione></Anagrafica>`)}, "Rossi", ""},
		{"pdf cliente line", "Ufficio <ufficio@neri.example>", body,
			[]attachment{pdf("Cliente: Neri Costruzioni S.r.l.", "Totale\tEUR 430,00")}, "Neri Costruzioni S.r.l.", ""},
		{"pdf bill to, address cut off", "accounts@northwind.example", "Invoice 2026/104 dated 2 November 2026, total EUR 430.00, due 2 December 2026.",
			[]attachment{pdf("Bill to: Northwind Ltd, Via Roma 1", "Total\tEUR 430.00")}, "Northwind Ltd", ""},
		{"pdf spett.le with vat cut off", "ufficio@neri.example", body,
			[]attachment{pdf("Spett.le Neri Costruzioni S.r.l. P.IVA 01234567897")}, "Neri Costruzioni S.r.l.", ""},
		{"body spett.le, completed by the To name", `"Gruppo Finotti S.p.A." <ciclo.passivo@finotti.example>`, "Spett.le Gruppo Finotti,\n\n" + body, nil,
			"Gruppo Finotti S.p.A.", ""},
		{"body intestatario", "ufficio@neri.example", "Intestatario: Neri Costruzioni S.r.l.\n" + body, nil, "Neri Costruzioni S.r.l.", ""},
		{"To display name", "Neri Costruzioni <ufficio@neri.example>", body, nil, "Neri Costruzioni", ""},
		{"To display name with a department suffix", "Reilly Logistics AP <ap@reilly.example>", body, nil, "Reilly Logistics", ""},
		{"To department only", "Amministrazione <amministrazione@neri.example>", body, nil, "", ""},
		{"To accounts payable", `"Accounts Payable" <ap@neri.example>`, body, nil, "", ""},
		{"bare address", "ufficio@neri.example", body, nil, "", ""},
		{"display name is the address", `"ufficio@neri.example" <ufficio@neri.example>`, body, nil, "", ""},
		{"display name is the local part", `ufficio <ufficio@neri.example>`, body, nil, "", ""},
		{"gentile cliente is no name", "ufficio@neri.example", "Gentile cliente,\n" + body, nil, "", ""},
		{"spett.le cliente is no name", "ufficio@neri.example", "Spett.le Cliente,\n" + body, nil, "", ""},
		{"the owner's IBAN holder is not the client", "ufficio@neri.example", body + "\nIBAN IT60X0542811101000000123456 intestato a Officina Bianchi", nil, "", ""},
		{"the owner's own name is not the client", "Officina Bianchi <ufficio@neri.example>", body, nil, "", ""},
		{"the sender's name is not the client", "Maria Bianchi <ufficio@neri.example>", body, nil, "", ""},
		{"pdf readings disagree: the body decides", "ufficio@neri.example", "Spett.le Neri Costruzioni,\n" + body,
			[]attachment{pdf("Cliente: Neri Costruzioni S.r.l."), {"altra.pdf", "application/pdf", makePDF(t, "Cliente: Verdi S.p.A.")}},
			"Neri Costruzioni", ""},
		{"a name of another client in Cc is not taken", "ufficio@neri.example, Verdi <info@verdi.example>", body, nil, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := parseMail(t, mailTo(tc.to, "Fattura 2026/104", tc.body, tc.atts...))
			f := Extract(m, Options{Own: testOptions.Own, OwnNames: []string{"Officina Bianchi", ""}})
			if f.ClientName != tc.want || f.ClientVAT != tc.vat {
				t.Errorf("client = %q, vat %q; want %q, %q (notes %v)", f.ClientName, f.ClientVAT, tc.want, tc.vat, f.Notes)
			}
		})
	}
}

func TestCleanName(t *testing.T) {
	tests := map[string]string{
		`  "Neri   Costruzioni S.r.l."  `:   "Neri Costruzioni S.r.l.",
		"Neri Costruzioni,":                 "Neri Costruzioni",
		"Fenwick Hotels - Accounts Payable": "Fenwick Hotels",
		"Rossi Srl (Amministrazione)":       "Rossi Srl",
		"AMMINISTRAZIONE":                   "",
		"a@b.example":                       "",
		"12345":                             "",
		strings.Repeat("x", maxNameLen+1):   "",
		"Marchi & Figli snc":                "Marchi & Figli snc",
	}
	for in, want := range tests {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTaxID(t *testing.T) {
	tests := []struct{ country, code, fiscal, want string }{
		{"IT", "01234567897", "", "IT01234567897"},
		{"it", " 0123 4567897 ", "RSSMRA80A01H501U", "IT01234567897"},
		{"IT", "IT01234567897", "", "IT01234567897"},
		{"", "", "91204560372", "91204560372"},
		{"IT", "", "rssmra80a01h501u", "RSSMRA80A01H501U"},
		{"IT", "0123-456", "", ""},
		{"", "", "", ""},
	}
	for _, tc := range tests {
		if got := taxID(tc.country, tc.code, tc.fiscal); got != tc.want {
			t.Errorf("taxID(%q, %q, %q) = %q, want %q", tc.country, tc.code, tc.fiscal, got, tc.want)
		}
	}
}
