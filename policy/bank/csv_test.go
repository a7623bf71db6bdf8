package bank

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"golang.org/x/text/encoding/charmap"
)

// TestParseCSV reads the layouts of home-banking exports field by field:
// the headers are those of public importers of Banco BPM and ING Italia
// exports, the Dare/Avere and Accrediti/Addebiti layouts, and English.
func TestParseCSV(t *testing.T) {
	type credit struct{ booked, value, amount, ccy, payer, ref, remittance string }
	tests := []struct {
		name string
		csv  string
		cols CSVColumns
		want []credit
	}{
		{"Banco BPM: signed amount, currency column", "Ragione Sociale;Data contabile;Data valuta;Banca;Rapporto;Importo;Divisa;Descrizione;Categoria/sottocategoria;Hashtag\n" +
			"STUDIO ROSSI;03/12/2026;02/12/2026;05034 - BANCO BPM;5462;1.220,00;EUR;BONIFICO DA ROSSI SRL SALDO FATT. 2026/101;Entrate;\n" +
			"STUDIO ROSSI;04/12/2026;04/12/2026;05034 - BANCO BPM;5462;-85,40;EUR;PAGAMENTO POS;Uscite;\n",
			CSVColumns{}, []credit{{"2026-12-03", "2026-12-02", "1220", "EUR", "", "", "BONIFICO DA ROSSI SRL SALDO FATT. 2026/101"}}},
		{"ING Italia: two amount columns, balance rows", "DATA CONTABILE;DATA VALUTA;USCITE;ENTRATE;CAUSALE;DESCRIZIONE OPERAZIONE\n" +
			";;;12.345,67;Saldo iniziale;\n" +
			"01/12/2026;01/12/2026;;+1.650,00;Bonifico;BONIFICO DA BIANCHI ARREDI FT 2026-0045\n" +
			"02/12/2026;02/12/2026;-193,98;;Addebito diretto;ENEL ENERGIA\n" +
			";;;13.801,69;Saldo finale;\n",
			CSVColumns{}, []credit{{"2026-12-01", "2026-12-01", "1650", "EUR", "", "", "Bonifico\nBONIFICO DA BIANCHI ARREDI FT 2026-0045"}}},
		{"Dare/Avere after the account's lines", "Conto corrente n. 000012345;;;;\nSaldo iniziale al 01/02/2026;;;;12.345,67\n\n" +
			"Data contabile;Data valuta;Descrizione operazione;Dare;Avere\n" +
			"03/02/2026;03/02/2026;BONIFICO DA ROSSI MARIO FATT. FT-2026-12;;1.220,00\n" +
			"05/02/2026;04/02/2026;PAGAMENTO POS FERRAMENTA BIANCHI;85,40;\n",
			CSVColumns{}, []credit{{"2026-02-03", "2026-02-03", "1220", "EUR", "", "", "BONIFICO DA ROSSI MARIO FATT. FT-2026-12"}}},
		{"Accrediti/Addebiti with a payer and a CRO", "Data;Valuta;Ordinante;Causale;Accrediti;Addebiti;CRO\n" +
			"10/11/2026;10/11/2026;VERDI SNC;saldo fattura n.101;305,00;;0306998765\n",
			CSVColumns{}, []credit{{"2026-11-10", "2026-11-10", "305", "EUR", "VERDI SNC", "0306998765", "saldo fattura n.101"}}},
		{"English, commas, ISO dates", "Date,Description,Paid in,Paid out\n2026-11-20,\"INV-0098, ACME LTD\",\"1,250.50\",\n2026-11-21,Rent,,900.00\n",
			CSVColumns{}, []credit{{"2026-11-20", "2026-11-20", "1250.5", "EUR", "", "", "INV-0098, ACME LTD"}}},
		// The layouts below are those public importers read (BananaAccounting's
		// Italian import extensions, ofxstatement plugins, bank2ynab); names,
		// amounts and references in them are invented.
		{"UniCredit: 50-character segments, payer after 'SEPA DA:'", "Data Registrazione;Data valuta;Descrizione;Importo (EUR);\n" +
			"30.12.2026;30.12.2026;BONIFICO A VOSTRO FAVORE                          BONIFICO SEPA DA:                                 ROSSI SRL                                         PER: SALDO FT 2026/101                            COMM:             0,00 SPESE:             0,00    TRN:1001243654002317;1.220,00;\n" +
			"31.12.2026;31.12.2026;ADDEBITO SDD;-45,00;\n",
			CSVColumns{}, []credit{{"2026-12-30", "2026-12-30", "1220", "EUR", "ROSSI SRL", "", "BONIFICO A VOSTRO FAVORE                          BONIFICO SEPA DA:                                 ROSSI SRL                                         PER: SALDO FT 2026/101                            COMM:             0,00 SPESE:             0,00    TRN:1001243654002317"}}},
		{"BCC Inbank ListaMovimenti: DARE/AVERE, 'Ordinante: … Causale: …', balance rows", "DATA;VALUTA;DARE;AVERE;DIVISA;DESCRIZIONE_OPERAZIONE;CAUSALE_ABI\n" +
			"03/08/2026;03/08/2026;;1.160,00;EUR;Ordinante: BIANCHI ARREDI SNC Causale: FATTURA 2026/45;48\n" +
			"04/08/2026;04/08/2026;12,50;;EUR;COMMISSIONI;\n" +
			"Saldo contabile;;;23.456,78;EUR;;\n",
			CSVColumns{}, []credit{{"2026-08-03", "2026-08-03", "1160", "EUR", "BIANCHI ARREDI SNC", "", "Ordinante: BIANCHI ARREDI SNC Causale: FATTURA 2026/45"}}},
		{"Banca Popolare di Sondrio: quoted, explicit sign", "\"Data\";\"Valuta\";\"Causale\";\"Descrizione\";\"Importo\";\"Divisa\"\n" +
			"\"04/06/2026\";\"04/06/2026\";\"RICEZIONE BONIFICO ISTANTANEO\";\"FT 2026/77 VERDI SPA\";\"+1100.00\";\"EUR\"\n",
			CSVColumns{}, []credit{{"2026-06-04", "2026-06-04", "1100", "EUR", "", "", "RICEZIONE BONIFICO ISTANTANEO\nFT 2026/77 VERDI SPA"}}},
		{"Crédit Agricole Italia: 'Data Op.', 'Div.'", "Data Op.,Data Val.,Causale,Descrizione,Importo,Div.\n" +
			"29/11/2026,28/11/2026,GIROCONTO/BONIFICO                 ,BONIFICO DA NERI SRL PER SALDO FT 12,\"500,00\",EUR\n",
			CSVColumns{}, []credit{{"2026-11-29", "2026-11-28", "500", "EUR", "NERI SRL", "", "GIROCONTO/BONIFICO\nBONIFICO DA NERI SRL PER SALDO FT 12"}}},
		{"N26: partner name and payment reference", "\"Booking Date\",\"Value Date\",\"Partner Name\",\"Partner Iban\",\"Type\",\"Payment Reference\",\"Account Name\",\"Amount (EUR)\",\"Original Amount\",\"Original Currency\",\"Exchange Rate\"\n" +
			"\"2026-03-11\",\"2026-03-11\",\"ACME LTD\",\"DE12500105170648489891\",\"Credit Transfer\",\"invoice 14/2026\",\"Main Account\",\"1800.00\",\"\",\"\",\"\"\n",
			CSVColumns{}, []credit{{"2026-03-11", "2026-03-11", "1800", "EUR", "ACME LTD", "", "invoice 14/2026"}}},
		{"Revolut Business: the sender, not the team member who paid", "Date started (UTC),Date completed (UTC),ID,Type,State,Description,Reference,Payer,Orig currency,Orig amount,Payment currency,Amount,Total amount,Fee,Balance,Account,Sender account,Sender name\n" +
			"2026-05-29,2026-05-29,aaaa-1,TOPUP,COMPLETED,Money added from ACME LTD,F-RA 1001,Mario Team,EUR,8.86,EUR,8.86,8.86,0.00,957.56,EUR Main,LT000000000000000000,ACME LTD\n",
			CSVColumns{}, []credit{{"2026-05-29", "2026-05-29", "8.86", "EUR", "ACME LTD", "", "Money added from ACME LTD\nF-RA 1001"}}},
		{"BancoPosta (a CSV made from the statement): 'DA … PER …'", "Data;Valuta;Addebiti;Accrediti;Descrizione operazioni\n" +
			"02/08/26;02/08/26;;2.000,00;BONIFICO A VOSTRO FAVORE TRN BPPIITRR 0123456789IT DA Lorenzo Gialli PER fattura 18\n",
			CSVColumns{}, []credit{{"2026-08-02", "2026-08-02", "2000", "EUR", "Lorenzo Gialli", "", "BONIFICO A VOSTRO FAVORE TRN BPPIITRR 0123456789IT DA Lorenzo Gialli PER fattura 18"}}},
		{"columns named in the configuration", "Giorno;Movimento;Testo;Chi\n15.11.26;+2.000;Acconto ordine 77;NERI SPA\n",
			CSVColumns{Date: "Giorno", Amount: "Movimento", Description: []string{"Testo"}, Payer: "Chi"},
			[]credit{{"2026-11-15", "2026-11-15", "2000", "EUR", "NERI SPA", "", "Acconto ordine 77"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCSV([]byte(tt.csv), tt.cols)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("%d credits %+v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				ref := w.ref
				if ref == "" {
					ref = withRef(Credit{BookingDate: g.BookingDate, Amount: g.Amount, Currency: g.Currency, Payer: g.Payer, Remittance: g.Remittance}).Ref
				}
				if g.BookingDate.Format("2006-01-02") != w.booked || g.ValueDate.Format("2006-01-02") != w.value ||
					!g.Amount.Equal(decimal.RequireFromString(w.amount)) || g.Currency != w.ccy || g.Payer != w.payer ||
					g.Ref != ref || g.Remittance != w.remittance {
					t.Errorf("credit %d:\n got %+v\nwant %+v", i+1, g, w)
				}
			}
		})
	}
}

// TestParseCSVWhole: a row that cannot be read fails the file, naming the
// row; a file without a header is no statement; Windows-1252 is read;
// two identical transfers on a day are two credits, with the same
// references at every import.
func TestParseCSVWhole(t *testing.T) {
	_, err := ParseCSV([]byte("Data;Importo;Causale\n01/12/2026;100,00;a\n02/12/2026;1O0,00;b\n"), CSVColumns{})
	if err == nil || !strings.Contains(err.Error(), "row 3") || !strings.Contains(err.Error(), "1O0,00") {
		t.Errorf("an unreadable amount: %v", err)
	}
	if _, err := ParseCSV([]byte("Nome;Cognome\nMario;Rossi\n"), CSVColumns{}); !errors.Is(err, ErrNotStatement) {
		t.Errorf("no header: %v", err)
	}
	latin, _ := charmap.Windows1252.NewEncoder().String("Data;Importo;Causale\n01/12/2026;50,00;Società Verdi: quota\n")
	cs, err := ParseCSV([]byte(latin), CSVColumns{})
	if err != nil || len(cs) != 1 || cs[0].Remittance != "Società Verdi: quota" {
		t.Errorf("Windows-1252: %+v, %v", cs, err)
	}
	twice := "Data;Importo;Causale\n01/12/2026;50,00;quota\n01/12/2026;50,00;quota\n"
	a, err := ParseCSV([]byte(twice), CSVColumns{})
	if err != nil || len(a) != 2 || a[0].Ref == a[1].Ref {
		t.Fatalf("two identical transfers: %+v, %v", a, err)
	}
	b, _ := ParseCSV([]byte(twice), CSVColumns{})
	if a[0].Ref != b[0].Ref || a[1].Ref != b[1].Ref {
		t.Errorf("references change between imports: %s %s / %s %s", a[0].Ref, a[1].Ref, b[0].Ref, b[1].Ref)
	}
}

func TestParseCSVAmount(t *testing.T) {
	for in, want := range map[string]string{
		"1.220,00": "1220", "+1.650,00": "1650", "-193,98": "-193.98", "1,220.00": "1220", "1220.5": "1220.5",
		"€ 12,00": "12", "1 220,00": "1220", "1.220": "1220", "1,220,000": "1220000", "12,5": "12.5", "(40,00)": "-40", "100-": "-100",
	} {
		got, err := parseCSVAmount(in)
		if err != nil || !got.Equal(decimal.RequireFromString(want)) {
			t.Errorf("parseCSVAmount(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "abc", "1O0", "12 EUR x"} {
		if _, err := parseCSVAmount(bad); err == nil {
			t.Errorf("parseCSVAmount(%q): no error", bad)
		}
	}
}

// FuzzParseCSV: any bytes are read or refused with an error; what is read
// is a positive credit with a date.
func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("Data contabile;Data valuta;Importo;Descrizione\n03/12/2026;02/12/2026;1.220,00;saldo 101\n"))
	f.Add([]byte("DATA CONTABILE;DATA VALUTA;USCITE;ENTRATE;CAUSALE\n;;;1,00;Saldo iniziale\n01/12/2026;;;+5,00;x\n"))
	f.Add([]byte("Date,Paid in,Paid out\n2026-11-20,\"1,250.50\",\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := ParseCSV(data, CSVColumns{})
		if err != nil {
			return
		}
		for _, c := range cs {
			if !c.Amount.IsPositive() || c.BookingDate.IsZero() || c.Ref == "" {
				t.Fatalf("credit %+v from %q", c, data)
			}
		}
	})
}
