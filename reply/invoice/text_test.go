package invoice

import (
	"reflect"
	"strings"
	"testing"

	"github.com/sollecito/sollecito/mailbox/message"
)

// TestExtractText covers the text rules, and the rule that a field read two
// different ways is reported missing rather than guessed.
func TestExtractText(t *testing.T) {
	const client = "amministrazione@cliente.example"
	tests := []struct {
		name, subject, body string
		want                map[string]string // number, issue_date, due_date, amount, currency
	}{
		{"d.f.f.m.", "Fattura n. 123/2026", "Fattura n. 123/2026 del 03/11/2026. Totale € 1.220,00. Pagamento 30 gg d.f.f.m.",
			map[string]string{"number": "123/2026", "issue_date": "2026-11-03", "due_date": "2026-12-31", "amount": "1220.00", "currency": "EUR"}},
		{"60 gg d.f.f.m. crossing a year", "FT 2026-0045", "Data 15.12.2026 - totale 500,00 euro - 60 gg dffm",
			map[string]string{"number": "2026-0045", "issue_date": "2026-12-15", "due_date": "2027-02-28", "amount": "500.00", "currency": "EUR"}},
		{"a N giorni data fattura", "Fattura 7", "fattura n. 7 del 1° marzo 2027, € 100,00, pagamento a 60 giorni data fattura",
			map[string]string{"number": "7", "issue_date": "2027-03-01", "due_date": "2027-04-30", "amount": "100.00", "currency": "EUR"}},
		{"Net 30 in English", "Invoice #1043", "Invoice #1043, dated 8 June 2027. Total: £4,260.00. Terms: Net 30.",
			map[string]string{"number": "1043", "issue_date": "2027-06-08", "due_date": "2027-07-08", "amount": "4260.00", "currency": "GBP"}},
		{"within N days and US dates", "Invoice INV-77", "Invoice INV-77, invoice date 02/13/2027, amount due USD 80.00, payment within 15 days.",
			map[string]string{"number": "INV-77", "issue_date": "2027-02-13", "due_date": "2027-02-28", "amount": "80.00", "currency": "USD"}},
		{"netto a pagare over the gross", "Fattura n. 9/2026", "Totale documento € 1.268,80\nRitenuta d'acconto € 200,00\nNetto a pagare € 1.068,80\nScadenza 03/12/2026",
			map[string]string{"number": "9/2026", "due_date": "2026-12-03", "amount": "1068.80", "currency": "EUR"}},
		{"a sum written out", "Fattura n. 5", "Totale: 487,50 euro + marca da bollo 2,00 = 489,50 euro",
			map[string]string{"number": "5", "amount": "489.50", "currency": "EUR"}},
		{"written due date without year", "Fattura n. 14/2027", "fattura n. 14/2027 del 05/12/2027: 1.037 euro, entro il 28 febbraio.",
			map[string]string{"number": "14/2027", "issue_date": "2027-12-05", "due_date": "2028-02-28", "amount": "1037.00", "currency": "EUR"}},
		{"other documents' numbers and dates are not the invoice's", "Fattura",
			"Rif. preventivo n. 38 del 12/05/2026 e DDT n. 112 del 30/06/2026.\nFattura n. 177/2026 del 03/07/2026\nTotale € 3.599,00",
			map[string]string{"number": "177/2026", "issue_date": "2026-07-03", "amount": "3599.00", "currency": "EUR"}},
		{"conflict: two due dates", "Fattura n. 1/2026", "Fattura n. 1/2026 del 02/11/2026, € 10,00, scadenza 02/12/2026.\nScadenza 10/12/2026.",
			map[string]string{"number": "1/2026", "issue_date": "2026-11-02", "amount": "10.00", "currency": "EUR"}},
		{"conflict: due date and terms", "Invoice NW-1", "Invoice NW-1 dated 1 March 2027, total £10.00, Net 30, due 15 March 2027",
			map[string]string{"number": "NW-1", "issue_date": "2027-03-01", "amount": "10.00", "currency": "GBP"}},
		{"conflict: subject and body amounts", "Invoice NW-2 - £900.00", "Invoice NW-2, total £950.00.",
			map[string]string{"number": "NW-2"}},
		{"conflict: subject and body numbers", "Fattura n. 12/2026", "ti mando la fattura n. 13/2026.",
			map[string]string{}},
		{"withholding but no net amount", "Fattura n. 3", "Totale fattura € 1.220,00, ritenuta d'acconto € 200,00.",
			map[string]string{"number": "3"}},
		{"a bare 'a 30 gg' counts from the invoice date", "Fattura n. 4 del 01/02/2026", "pagamento a 30 gg, € 5,00",
			map[string]string{"number": "4", "issue_date": "2026-02-01", "due_date": "2026-03-03", "amount": "5.00", "currency": "EUR"}},
		{"terms for later orders are not this invoice's", "Fattura n° 1301/A del 10/12/2026", "Totale: € 1.054,08\nPagamento: a vista\n\nDalla prossima fornitura passeremo al bonifico a 30 gg.",
			map[string]string{"number": "1301/A", "issue_date": "2026-12-10", "due_date": "2026-12-10", "amount": "1054.08", "currency": "EUR"}},
		{"an invoice date without its year takes the mail's", "Fattura n. 96", "Fattura n. 96 del 22/10, 260 €.",
			map[string]string{"number": "96", "issue_date": "2026-10-22", "amount": "260.00", "currency": "EUR"}},
		{"a day later in the year than the mail is last year's", "Fattura n. 97", "fattura n. 97 del 28 dicembre, 40 €.",
			map[string]string{"number": "97", "issue_date": "2025-12-28", "amount": "40.00", "currency": "EUR"}},
		{"'fattura del' with no number dates it", "Corso di novembre", "sono 122 euro, fattura del 2 novembre 2026.",
			map[string]string{"issue_date": "2026-11-02", "amount": "122.00", "currency": "EUR"}},
		{"instalments: the first one is due first", "Fattura n. 2026/V1/02231",
			"la fattura n. 2026/V1/02231 del 30/11/2026 (€ 4.303,64 iva compresa) su due ricevute bancarie:\n- 1^ RiBa al 31/01/2027\n- 2^ RiBa al 28/02/2027",
			map[string]string{"number": "2026/V1/02231", "issue_date": "2026-11-30", "due_date": "2027-01-31", "amount": "4303.64", "currency": "EUR"}},
		{"one RiBa with an agreed single date is no instalment plan", "Fattura n. N/1144",
			"fattura n. N/1144 del 20/11/2026, totale € 7.612,80. Le condizioni standard sono RiBa 90 gg d.f.f.m.; come concordato, scadenza unica 31/03/2027.",
			map[string]string{"number": "N/1144", "issue_date": "2026-11-20", "amount": "7612.80", "currency": "EUR"}},
		{"no figure labelled: the one the others add up to", "Invoice VB-0412",
			"Invoice VB-0412 dated 2 December 2026.\nVenue hire, 2 days: USD 11,470.00\nCatering supplement: USD 2,600.00\nAmount: USD 14,070.00",
			map[string]string{"number": "VB-0412", "issue_date": "2026-12-02", "amount": "14070.00", "currency": "USD"}},
		{"'Fatt. n°' and a receipt's number", "Fatt. n° 12 del 3 nov 2026", "Ricevuta n.12 del 3 nov 2026, 90 euro, a vista.",
			map[string]string{"number": "12", "issue_date": "2026-11-03", "due_date": "2026-11-03", "amount": "90.00", "currency": "EUR"}},
		{"a line that begins with the number and its date", "Fattura wellness", "N. 1/2026 del 08.10.2026\nTotale € 420,00",
			map[string]string{"number": "1/2026", "issue_date": "2026-10-08", "amount": "420.00", "currency": "EUR"}},
		{"the balance after a deposit paid", "Fattura n. 145/26 del 02/10/2026",
			"Totale fattura: € 2.989,00\nAcconto già versato (bonifico del 10/09): € 1.000,00\nSaldo: € 1.989,00",
			map[string]string{"number": "145/26", "issue_date": "2026-10-02", "amount": "1989.00", "currency": "EUR"}},
		{"the days right after 'rimessa diretta'", "Fattura n. 2026/233 del 27/10/2026", "Totale 219,60 €\nPagamento: rimessa diretta 15 gg",
			map[string]string{"number": "2026/233", "issue_date": "2026-10-27", "due_date": "2026-11-11", "amount": "219.60", "currency": "EUR"}},
		{"a licence's validity is no due date", "Fattura n. K-0412 del 30/10/2026",
			"Totale € 1.200,00\nData scadenza pagamento: 15/11/2026\nScadenza licenze: 31/12/2027",
			map[string]string{"number": "K-0412", "issue_date": "2026-10-30", "due_date": "2026-11-15", "amount": "1200.00", "currency": "EUR"}},
		{"a bare term from another event is no term", "Fattura n. 6 del 01/02/2026", "€ 5,00, pagamento a 30 giorni dalla consegna",
			map[string]string{"number": "6", "issue_date": "2026-02-01", "amount": "5.00", "currency": "EUR"}},
		{"ambiguous dollar dates are not read", "Invoice INV-9", "Invoice INV-9 dated 03/04/2027, $10.00",
			map[string]string{"number": "INV-9", "amount": "10.00", "currency": "USD"}},
		{"terms with no invoice date", "Invoice", "Please pay £20.00, Net 30.",
			map[string]string{"amount": "20.00", "currency": "GBP"}},
		{"a quoted earlier mail does not count", "Fattura n. 8", "Fattura n. 8, € 8,00\n> Fattura n. 7, € 7,00",
			map[string]string{"number": "8", "amount": "8.00", "currency": "EUR"}},
		// The words that name the number are written in any case, with or without a dot.
		{"capitals: FATTURA N.", "FATTURA N. 2026/118 del 01/12/2026", "in allegato FATTURA N. 2026/118 del 01/12/2026.\nTOTALE EUR 1.830,00\nSCADENZA 31/12/2026",
			map[string]string{"number": "2026/118", "issue_date": "2026-12-01", "due_date": "2026-12-31", "amount": "1830.00", "currency": "EUR"}},
		{"Nr. and Num.", "Fattura Nr. 45", "Fattura Nr. 45 del 01/12/2026, Num. 45, IMPORTO DA PAGARE: 366,00 EUR, pagamento 30 gg d.f.",
			map[string]string{"number": "45", "issue_date": "2026-12-01", "due_date": "2026-12-31", "amount": "366.00", "currency": "EUR"}},
		{"nº", "Fattura nº 12/A", "Fattura nº 12/A del 01/12/2026, Totale Euro 366,00, scadenza 31/12/2026",
			map[string]string{"number": "12/A", "issue_date": "2026-12-01", "due_date": "2026-12-31", "amount": "366.00", "currency": "EUR"}},
		// The amount to pay is the total a sentence reaches, never the figure before the stamp duty.
		{"a total reached in a sentence", "Fattura n. 46 del 01/12/2026", "Importo € 2.000,00 + bollo, quindi € 2.002,00 in tutto.",
			map[string]string{"number": "46", "issue_date": "2026-12-01", "amount": "2002.00", "currency": "EUR"}},
		{"a base plus VAT alone is not what is owed", "Fattura n. 47 del 01/12/2026", "Compenso € 1.000,00 + IVA come da accordi.",
			map[string]string{"number": "47", "issue_date": "2026-12-01"}},
		// A due date and terms that disagree: asked, not guessed.
		{"due date and terms disagree", "Fattura n. 48 del 01/12/2026", "Totale € 10,00. Scadenza 03/03/2027, pagamento 90 gg d.f.",
			map[string]string{"number": "48", "issue_date": "2026-12-01", "amount": "10.00", "currency": "EUR"}},
		// Thousands grouped by a space (French, Swiss) or an apostrophe; labels in French and German.
		{"French figures and labels", "Facture n° 2026-027", "Facture n° 2026-027 du 14/10/2026.\nMontant HT : 4 000,00 €\nTVA 20 % : 800,00 €\nMontant TTC : 4 800,00 €\nÉchéance : 13/11/2026",
			map[string]string{"number": "2026-027", "issue_date": "2026-10-14", "due_date": "2026-11-13", "amount": "4800.00", "currency": "EUR"}},
		{"German labels, Skonto date is not the due date", "Rechnung RE-10342", "Rechnung RE-10342 vom 26.10.2026\nNettobetrag 1.830,00 €\nzzgl. 7 % USt. 128,10 €\nRechnungsbetrag 1.958,10 €\nZahlbar bis 09.11.2026 abzüglich 2 % Skonto oder bis 25.11.2026 netto.",
			map[string]string{"number": "RE-10342", "issue_date": "2026-10-26", "amount": "1958.10", "currency": "EUR"}},
		{"a series code of several parts", "Rechnung SK-2026-044", "Rechnungsbetrag: 4.800,00 EUR, fällig am 31.10.2026.",
			map[string]string{"number": "SK-2026-044", "due_date": "2026-10-31", "amount": "4800.00", "currency": "EUR"}},
		{"an instalment is a part, the total is owed", "Fattura n. 341/E del 14/12/2026", "Totale fattura € 3.795,00, da pagare in 3 rate mensili di € 1.265,00 ciascuna.",
			map[string]string{"number": "341/E", "issue_date": "2026-12-14", "amount": "3795.00", "currency": "EUR"}},
		{"paid at once: due on the invoice date", "Fattura n. 50 del 21/11/2026", "Totale € 180,00, pagamento: rimessa diretta.",
			map[string]string{"number": "50", "issue_date": "2026-11-21", "due_date": "2026-11-21", "amount": "180.00", "currency": "EUR"}},
		{"days given with 'rimessa diretta' are the term", "Fattura", "Numero: 128/A\nData: 13/11/2026\nTotale documento € 121,02\nCondizioni: Rimessa diretta 15 gg d.f.",
			map[string]string{"number": "128/A", "issue_date": "2026-11-13", "due_date": "2026-11-28", "amount": "121.02", "currency": "EUR"}},
		{"a document type between 'fattura' and its number", "Invio documento: Fattura di vendita n. 407/V2 del 11/11/2026", "In allegato il documento in oggetto.",
			map[string]string{"number": "407/V2", "issue_date": "2026-11-11"}},
		{"a professional's parcella, a deposit paid on another day", "Parcella nr. 145/2026 del 28.11.2026", "Riporto la parcella nr. 145/2026 del 28.11.2026.\nNetto a pagare € 7.135,69\nPagamento entro 60 giorni dalla data fattura.\nDal netto è stato dedotto il fondo spese già versato di € 300,00 in data 09/08/2026.",
			map[string]string{"number": "145/2026", "issue_date": "2026-11-28", "due_date": "2027-01-27", "amount": "7135.69", "currency": "EUR"}},
		{"an avviso di parcella has no invoice number yet", "Avviso di parcella", "Le invio l'avviso di parcella n. 94/2026.\nNetto a pagare € 500,00",
			map[string]string{"number": "", "amount": "500.00", "currency": "EUR"}},
		{"the previous invoice named beside this one", "Fattura", "Vi trasmetto la Fattura n. P-158 del 22.11.2026.\nNetto a pagare: € 514,00\nVi ricordo che la precedente fattura n. 149/2026 risulta già saldata.",
			map[string]string{"number": "P-158", "issue_date": "2026-11-22", "amount": "514.00", "currency": "EUR"}},
		{"a label padded to its column", "Facture F-2026-1184", "Facture n° F-2026-1184 du 27/11/2026\nTotal TTC                                                                     14 700,00 €\nAcompte versé le 15/10/2026                                                   - 3 000,00 €\nNet à payer                                                                   11 700,00 €",
			map[string]string{"number": "F-2026-1184", "issue_date": "2026-11-27", "amount": "11700.00", "currency": "EUR"}},
		{"a single line item's result is the total", "Fattura n. 301/TO", "Fattura n. 301/TO del 22/03/2027\n48 studenti x € 285,00 = € 13.680,00\nPagamento a 30 gg data fattura.",
			map[string]string{"number": "301/TO", "issue_date": "2027-03-22", "due_date": "2027-04-21", "amount": "13680.00", "currency": "EUR"}},
		{"line items priced with @ are parts", "Invoice HH-55821", "Invoice HH-55821 dated 14 May 2027\n20 bedrooms x 2 nights @ EUR 145.00 = EUR 5,800.00\nGala dinner, 40 covers @ EUR 55.00 = EUR 2,200.00\nTotal EUR 8,000.00",
			map[string]string{"number": "HH-55821", "issue_date": "2027-05-14", "amount": "8000.00", "currency": "EUR"}},
		{"days from the event are no d.f. term: the date written", "Fattura nr. 118/E", "Fattura nr. 118/E del 28/10/2026\ntotale fattura € 5.016,00\nmeno acconto di € 1.500,00 già versato\nRESTA DA SALDARE: € 3.516,00\nIl saldo è entro 30 giorni dall'evento, quindi entro il 23/11/2026.",
			map[string]string{"number": "118/E", "issue_date": "2026-10-28", "due_date": "2026-11-23", "amount": "3516.00", "currency": "EUR"}},
		{"a statement of open items below the new invoice: its total is the account's", "Nuova fattura 3512 + estratto conto", "Le trasmettiamo la nuova fattura n. 3512 del 11/01/2027 di € 968,14, pagamento bonifico 30 gg f.m.\nESTRATTO CONTO CLIENTE - partite aperte:\n3127     15/11/2026       742,10\n3512     11/01/2027       968,14\nTOTALE DA PAGARE (tutte le partite): € 1.710,24",
			map[string]string{"number": "3512", "issue_date": "2027-01-11", "due_date": "2027-02-28", "amount": "968.14", "currency": "EUR"}},
		{"instalments at 60 and 90 days: the first", "Fattura 2026/V1/02231", "la fattura n. 2026/V1/02231 del 30/11/2026 (€ 4.303,64 iva compresa) in due ricevute bancarie (60 e 90 gg d.f.f.m.).",
			map[string]string{"number": "2026/V1/02231", "issue_date": "2026-11-30", "due_date": "2027-01-31", "amount": "4303.64", "currency": "EUR"}},
		{"German: the day the money must have arrived", "Rechnung RE-2026-11790", "anbei die Rechnung RE-2026-11790 vom 05.11.2026 über 1.785,00 EUR. Es reicht, wenn der Betrag bis zum 15.12.2026 bei uns eingeht.",
			map[string]string{"number": "RE-2026-11790", "issue_date": "2026-11-05", "due_date": "2026-12-15", "amount": "1785.00", "currency": "EUR"}},
		{"German: Netto before the VAT is no amount to pay", "Rechnung RE-2026-1187", "Rechnung Nr. RE-2026-1187 vom 30.11.2026\nNetto 1.640,00\nMwSt 19% 311,60\nGesamtbetrag 1.951,60 EUR\nIBAN DE73 5205 0353 0104 4778 12",
			map[string]string{"number": "RE-2026-1187", "issue_date": "2026-11-30", "amount": "1951.60", "currency": "EUR"}},
		{"a debit date, the next charge and the notice period", "Fattura n. 56", "Fattura n. 56 del 04/01/2027.\nTotale: € 878,40\nL'importo verrà addebitato tramite RID bancario il 31/01/2027.\nIl prossimo addebito sarà il 31/01/2028, salvo disdetta entro il 31/10/2027.",
			map[string]string{"number": "56", "issue_date": "2027-01-04", "due_date": "2027-01-31", "amount": "878.40", "currency": "EUR"}},
		{"instalments 30/60/90: the first", "Fattura nr. 2026/0712", "Fattura nr. 2026/0712 del 15/10/2026\nIMPORTO: EUR 1.830,00\nPAGAMENTO: Ri.Ba. 30/60/90 gg d.f.f.m.",
			map[string]string{"number": "2026/0712", "issue_date": "2026-10-15", "due_date": "2026-11-30", "amount": "1830.00", "currency": "EUR"}},
		{"a direct-debit mandate's date is no due date", "Fattura 35/2026", "Fattura 35/2026 del 02/11/2026\nTotale da pagare € 3.906,44\nAddebito SEPA Core - mandato n. SDD-MO-0033 del 18/04/2026",
			map[string]string{"number": "35/2026", "issue_date": "2026-11-02", "amount": "3906.44", "currency": "EUR"}},
		{"German: the amount to pay, payable on receipt", "Rechnung PR-024", "Rechnung Nr. PR-024 vom 20.11.2026\nNettobetrag 1.794,96 €\nZu zahlender Betrag 1.794,96 €\nZahlbar bei Erhalt der Rechnung.",
			map[string]string{"number": "PR-024", "issue_date": "2026-11-20", "due_date": "2026-11-20", "amount": "1794.96", "currency": "EUR"}},
		{"a sum written in a mail, its result without currency", "Fattura n. 9 del 02/11/2026", "Ciao, sono 8 ore x 40 = 320 euro, + 2 di bollo = 322.\nGrazie",
			map[string]string{"number": "9", "issue_date": "2026-11-02", "amount": "322.00", "currency": "EUR"}},
		{"what remains after a deposit is what to pay", "Fattura n. 10 del 02/11/2026", "Il lavoro viene 1.000 + iva = 1.220 €, tolto l'acconto di 300 che mi hai dato restano 920 €.",
			map[string]string{"number": "10", "issue_date": "2026-11-02", "amount": "920.00", "currency": "EUR"}},
		{"a total reached in words, no currency, an Italian IBAN", "Fattura n. 11 del 02/11/2026", "sono 500 + iva quindi 610, grazie.\nIBAN IT60 X054 2811 1010 0000 0123 456",
			map[string]string{"number": "11", "issue_date": "2026-11-02", "amount": "610.00", "currency": "EUR"}},
		{"a figure in brackets after a sum", "Fattura n. 12 del 02/11/2026", "per novembre sono 3 x 50 = 150 euro + 2 di bollo (152).",
			map[string]string{"number": "12", "issue_date": "2026-11-02", "amount": "152.00", "currency": "EUR"}},
		{"German deposit taken off", "Rechnung Nr. 8 vom 01.10.2026", "Summe 900,00 EUR\nabzüglich Anzahlung 300,00 EUR\nRestbetrag 600,00 EUR",
			map[string]string{"number": "8", "issue_date": "2026-10-01", "amount": "600.00", "currency": "EUR"}},
		{"a base with extras to add is no total", "Fattura n. 13 del 02/11/2026", "Importo 300 euro netti, più rivalsa INPS 4% e bollo.",
			map[string]string{"number": "13", "issue_date": "2026-11-02"}},
		{"a phone's +39 is no figure", "Fattura n. 14 del 02/11/2026", "Totale € 250,00\nTel. +39 328 910 4471",
			map[string]string{"number": "14", "issue_date": "2026-11-02", "amount": "250.00", "currency": "EUR"}},
		{"a cash discount for paying early is a condition, not the amount nor the term", "Rechnung Nr. 2026/0438 vom 09.11.2026",
			"Gesamtbetrag EUR 3.531,00\nZahlbar innerhalb 30 Tagen ohne Abzug.\nBei Zahlung innerhalb 14 Tagen ab Rechnungsdatum 2 % Skonto = EUR 70,62, Zahlbetrag dann EUR 3.460,38.",
			map[string]string{"number": "2026/0438", "issue_date": "2026-11-09", "due_date": "2026-12-09", "amount": "3531.00", "currency": "EUR"}},
		{"Italian early-payment discount", "Fattura n. 88 del 02/11/2026", "Totale fattura € 1.000,00\nSconto 2% se pagata entro 10 giorni: € 980,00",
			map[string]string{"number": "88", "issue_date": "2026-11-02", "amount": "1000.00", "currency": "EUR"}},
		{"days from a payment certificate count from its day", "Fattura n. 51/PA del 19/11/2026 (SAL n. 5)",
			"Certificato di pagamento n. 5 prot. n. 11684 del 15/11/2026\nNetto da liquidare all'impresa € 12.247,87\npagamento entro 30 giorni dall'emissione del certificato di pagamento",
			map[string]string{"number": "51/PA", "issue_date": "2026-11-19", "due_date": "2026-12-15", "amount": "12247.87", "currency": "EUR"}},
		{"days from delivery, its day unknown, are no term", "Fattura n. 52 del 19/11/2026", "Totale € 500,00. Pagamento entro 30 giorni dalla consegna della merce.",
			map[string]string{"number": "52", "issue_date": "2026-11-19", "amount": "500.00", "currency": "EUR"}},
		{"a stamp duty's threshold is no total", "Fattura n. 231/2026 del 19/10/2026",
			"Totale prestazioni esenti € 220,00\nImposta di bollo € 2,00\nTotale documento € 222,00\nPagamento al ricevimento, con bonifico.\nBollo assolto (importo esente superiore a € 77,47).",
			map[string]string{"number": "231/2026", "issue_date": "2026-10-19", "due_date": "2026-10-19", "amount": "222.00", "currency": "EUR"}},
		{"a sum written out before the labelled total is a step", "Fattura n. 131/2026 del 05/11/2026",
			"onorario € 800,00\nspese generali 15% € 120,00\n---------\n€ 920,00\nCPA 4% € 36,80\nIVA 22% € 210,50\nmarca da bollo € 2,00\nTOTALE DOCUMENTO € 1.169,30",
			map[string]string{"number": "131/2026", "issue_date": "2026-11-05", "amount": "1169.30", "currency": "EUR"}},
		{"a taxable amount is a part", "Invoice 24/2026 dated 4 December 2026", "Fee € 1,800.00\nTaxable amount € 1,872.00\nVAT 22% € 411.84\nTotal € 2,283.84",
			map[string]string{"number": "24/2026", "issue_date": "2026-12-04", "amount": "2283.84", "currency": "EUR"}},
		{"days from the invoice's receipt count from the SdI's delivery", "Fattura n. 152/PA del 27/10/2026",
			"fattura elettronica n. 152/PA del 27/10/2026, consegnata dallo SdI al vostro ufficio (codice univoco QZ8T1M)\nil 28/10/2026.\nImporto da liquidare € 2.310,00\nPagamento: a 30 gg dal ricevimento della fattura.",
			map[string]string{"number": "152/PA", "issue_date": "2026-10-27", "due_date": "2026-11-27", "amount": "2310.00", "currency": "EUR"}},
		{"days from receipt, its day unknown, are no term", "Fattura n. 153/PA del 27/10/2026", "Importo da liquidare € 2.310,00\nPagamento: a 30 gg dal ricevimento della fattura.",
			map[string]string{"number": "153/PA", "issue_date": "2026-10-27", "amount": "2310.00", "currency": "EUR"}},
		{"the SdI's delivery to the client, not its receipt from the supplier", "Fattura n. 175/PA del 20/11/2026",
			"Importo da liquidare € 1.250,00. Il pagamento è a 30 giorni dal ricevimento della fattura.\nRicevuta di consegna (RC)\nData/ora ricezione SdI: 20/11/2026 16:05:11\nData/ora consegna al destinatario: 23/11/2026 10:42:37",
			map[string]string{"number": "175/PA", "issue_date": "2026-11-20", "due_date": "2026-12-23", "amount": "1250.00", "currency": "EUR"}},
		{"days from receipt with no 'a', and a DURC's expiry", "Fattura n. SSM-2027-0009 del 15/01/2027",
			"Lo SdI ci ha notificato la consegna della fattura al vostro ufficio UFJ4N6 in data 18/01/2027.\nDa liquidare € 880,00\nCondizioni di pagamento: 30 gg dal ricevimento della fattura.\nDURC regolare (scadenza 28/04/2027).",
			map[string]string{"number": "SSM-2027-0009", "issue_date": "2027-01-15", "due_date": "2027-02-17", "amount": "880.00", "currency": "EUR"}},
		{"a deposit invoice asks the deposit, not the order's total", "Deposit Invoice No.: MV26-D014",
			"Deposit Invoice No.: MV26-D014\nDate: November 10, 2026\nOrder total: USD 14,100.00\nDeposit (30%): USD 4,230.00\nPayable within 7 days of the invoice date. Estimated shipping date January 15, 2027.",
			map[string]string{"number": "MV26-D014", "issue_date": "2026-11-10", "due_date": "2026-11-17", "amount": "4230.00", "currency": "USD"}},
		{"a balance invoice takes the deposit paid off", "Fattura n. 40 del 02/11/2026",
			"Fattura di saldo (fattura di acconto n. 12 del 01/09/2026).\nTotale fattura € 2.000,00\nAcconto già versato € 600,00\nSaldo da pagare € 1.400,00",
			map[string]string{"number": "40", "issue_date": "2026-11-02", "amount": "1400.00", "currency": "EUR"}},
		{"another invoice's sum named in the same mail is not this one's", "Fattura n. 52 del 14/12/2026",
			"in allegato la fattura n. 52 del 14/12/2026 di € 348,80 per le sedute. Pagamento entro 15 giorni.\n\nLe ricordo che risulta ancora da saldare la fattura n. 44 del 16/11/2026 di € 287,60.",
			map[string]string{"number": "52", "issue_date": "2026-12-14", "due_date": "2026-12-29", "amount": "348.80", "currency": "EUR"}},
		{"a two-digit year with dots after 'del' / 'vom'", "Rechnung Nr. 2026/0311", "anbei die Rechnung Nr. 2026/0311 vom 3.11.26. Betrag EUR 1.220, zahlbar innerhalb von 30 Tagen.",
			map[string]string{"number": "2026/0311", "issue_date": "2026-11-03", "due_date": "2026-12-03", "amount": "1220.00", "currency": "EUR"}},
		{"a version number is no date", "Fattura n. 7 del 02/11/2026", "Totale € 100,00. Aggiornato il gestionale alla versione 2.11.26.",
			map[string]string{"number": "7", "issue_date": "2026-11-02", "amount": "100.00", "currency": "EUR"}},
		{"due at the end of the month", "fattura 21", "ti ho caricato la fattura n. 21 del 15/02/2027, di € 300,00, scade a fine mese come sempre.",
			map[string]string{"number": "21", "issue_date": "2027-02-15", "due_date": "2027-02-28", "amount": "300.00", "currency": "EUR"}},
		{"a day of the month alone, the next one", "Ricevuta n. 5 del 20/11/2026", "totale 202 euro. Può fare il bonifico entro il 10 sull'IBAN, grazie.",
			map[string]string{"number": "5", "issue_date": "2026-11-20", "due_date": "2026-12-10", "amount": "202.00", "currency": "EUR"}},
		{"a day of the month later in the same month", "Fattura n. 6 del 03/11/2026", "Totale € 150,00. Bonifico entro il 15, grazie.",
			map[string]string{"number": "6", "issue_date": "2026-11-03", "due_date": "2026-11-15", "amount": "150.00", "currency": "EUR"}},
		{"cash on delivery on the day the mail names", "Fattura n. 263 del 15/12/2026",
			"ti giro la fattura n. 263 del 15/12/2026: 426,17 euro in tutto.\nLa merce arriva domani mercoledì 16/12 in mattinata, pagamento in contrassegno all'autista.",
			map[string]string{"number": "263", "issue_date": "2026-12-15", "due_date": "2026-12-16", "amount": "426.17", "currency": "EUR"}},
		{"Italian 'due' is two, no label", "Fattura n. 22 del 3/12/2026",
			"vi invio la nuova fattura n. 22 del 3/12/2026 per le due recite del 29 e 30 novembre: 816,00 euro netti. Pagamento 30 gg d.f.",
			map[string]string{"number": "22", "issue_date": "2026-12-03", "due_date": "2027-01-02", "amount": "816.00", "currency": "EUR"}},
		{"line items counted times a price without a currency", "FT 318/26 del 5.11.26",
			"vi inviamo la FT 318/26 del 5.11.26:\nn. 24 controlli estintori polvere x 4,50 = 108,00\nn. 3 revisioni estintori CO2 x 28,00 = 84,00\nImponibile 192,00 euro + IVA 22% 42,24 euro\nTOTALE 234,24 euro\nPagamento a ricevimento fattura.",
			map[string]string{"number": "318/26", "issue_date": "2026-11-05", "due_date": "2026-11-05", "amount": "234.24", "currency": "EUR"}},
		{"end of month plus days", "Fattura n. 2026/458 del 12/11/2026", "Totale € 500,00. Condizioni: 60 gg dffm + 10 gg",
			map[string]string{"number": "2026/458", "issue_date": "2026-11-12", "due_date": "2027-02-10", "amount": "500.00", "currency": "EUR"}},
		{"a deposit's bracketed total of the service is no total of the invoice", "Fattura n. 14/2026",
			"Fattura n. 14/2026\nData: 16/10/2026\nAcconto 30% servizio fotografico matrimonio (totale servizio € 2.400,00): € 720,00\nMarca da bollo: € 2,00\nTotale fattura: € 722,00",
			map[string]string{"number": "14/2026", "issue_date": "2026-10-16", "amount": "722.00", "currency": "EUR"}},
		{"a table flattened into one line: the column name is no label of a line's amount", "Fattura n. 2026/0187 del 19/10/2026",
			"Descrizione | Q.tà | Prezzo | Importo | Sostituzione colonna montante | 1 | € 1.650,00 | € 1.650,00 | Manodopera | 6 | € 38,00 | € 228,00 | Imponibile | € 1.878,00 | IVA 22% | € 413,16 | *Totale fattura* | | | *€ 2.291,16*",
			map[string]string{"number": "2026/0187", "issue_date": "2026-10-19", "amount": "2291.16", "currency": "EUR"}},
		{"a day of the next month", "Fattura n. 9 del 02/11/2026", "Totale € 300,00. Pagamento entro il 10 del mese successivo.",
			map[string]string{"number": "9", "issue_date": "2026-11-02", "due_date": "2026-12-10", "amount": "300.00", "currency": "EUR"}},
		{"a tax's day after the payment is no term", "Fattura n. 10 del 02/11/2026", "Totale € 300,00. La ritenuta va versata con F24 entro il 16 del mese successivo al pagamento.",
			map[string]string{"number": "10", "issue_date": "2026-11-02", "amount": "300.00", "currency": "EUR"}},
		{"a hotel's front desk is no term", "Fattura n. 11 del 02/11/2026", "Totale € 300,00. L'imposta di soggiorno è stata corrisposta dagli ospiti al ricevimento.",
			map[string]string{"number": "11", "issue_date": "2026-11-02", "amount": "300.00", "currency": "EUR"}},
		{"German 'Rechnung über' is the invoice's sum", "Rechnung Nr. 2027-0052 vom 24.02.2027", "anbei Rechnungs-Nr. 2027-0052, Datum 24.02.2027, über 4.620,00 EUR (1.200 Stk. à 3,85 EUR).",
			map[string]string{"number": "2027-0052", "issue_date": "2027-02-24", "amount": "4620.00", "currency": "EUR"}},
		{"German net terms", "Rechnung Nr. 7 vom 01.10.2026", "Rechnungsbetrag 100,00 EUR. Zahlungsziel: 30 Tage netto.",
			map[string]string{"number": "7", "issue_date": "2026-10-01", "due_date": "2026-10-31", "amount": "100.00", "currency": "EUR"}},
		{"French end-of-month terms", "Facture n° 8 du 18/09/2026", "Montant TTC : 1 200,00 €. Règlement à 30 jours fin de mois.",
			map[string]string{"number": "8", "issue_date": "2026-09-18", "due_date": "2026-10-31", "amount": "1200.00", "currency": "EUR"}},
		{"an amount after 'Totale documento' is not a number", "Fattura", "Numero: 54   Data: 31/10/2026\nTotale documento: 287,60 EUR",
			map[string]string{"number": "54", "issue_date": "2026-10-31", "amount": "287.60", "currency": "EUR"}},
		{"a price per day is a part", "Invoice No. 12", "Invoice No. 12 dated 1 October 2026. 12 days at £450/day = £5,400.00, payment within 30 days.",
			map[string]string{"number": "12", "issue_date": "2026-10-01", "due_date": "2026-10-31", "amount": "5400.00", "currency": "GBP"}},
		{"'netto' after a withholding is what to pay", "Fattura n. 4/2027", "Fattura n. 4/2027 del 28/01/2027.\nTotale documento € 4.230,96 - ritenuta 20% € 680,00 - netto € 3.550,96.",
			map[string]string{"number": "4/2027", "issue_date": "2027-01-28", "amount": "3550.96", "currency": "EUR"}},
		{"'imponibile netto' is a part", "Fattura n. 5/2027", "Fattura n. 5/2027 del 28/01/2027.\nImponibile netto € 1.000,00\nIVA 22% € 220,00\nTotale € 1.220,00",
			map[string]string{"number": "5/2027", "issue_date": "2027-01-28", "amount": "1220.00", "currency": "EUR"}},
		{"a labelled total without a currency, paid to an Italian IBAN", "Fattura n. 12/2027", "FATTURA n. 12/2027 del 28/04/2027\nSedute aprile 2027                                   400,00\nContributo integrativo 2%                              8,00\nImposta di bollo                                       2,00\nTOTALE DA PAGARE                                     410,00\nIBAN IT67 Z030 6234 2100 0000 1735 520",
			map[string]string{"number": "12/2027", "issue_date": "2027-04-28", "amount": "410.00", "currency": "EUR"}},
		{"a total on the line after its label", "Fattura n. 3/2027", "Fattura n. 3/2027\nData 19/01/2027\nRevisione traduzione\n480,00\nImposta di bollo\n2,00\nTotale da pagare\n482,00\nIBAN IT03 Q030 1503 2000 0000 3519 267",
			map[string]string{"number": "3/2027", "issue_date": "2027-01-19", "amount": "482.00", "currency": "EUR"}},
		{"no currency and no Italian IBAN: the amount is asked", "Invoice 7", "Invoice 7 dated 19/01/2027\nTotal due 482.00",
			map[string]string{"number": "7", "issue_date": "2027-01-19"}},
		{"an invoice line 'N x P = L' is a part", "Rechnung Nr. 335/2026", "anbei unsere Rechnung Nr. 335/2026 vom 22.10.2026.\nPos. 1 Bett 160x200 1 x 2.150,00 € = 2.150,00 €\nPos. 2 Lieferung 1 x 80,00 € = 80,00 €\nNettobetrag 2.230,00 €\nMwSt. 10% 223,00 €\nRechnungsbetrag 2.453,00 €",
			map[string]string{"number": "335/2026", "issue_date": "2026-10-22", "amount": "2453.00", "currency": "EUR"}},
		{"the balance after a withholding and a deposit is what to pay", "Fattura n. 15/26", "Fattura n. 15/26 del 10/09/2026\nTotale documento € 2.283,84\nRitenuta d'acconto 20% su € 1.800,00 - € 360,00\nNetto € 1.923,84\nAcconto ricevuto il 28/08/2026 - € 500,00\nSaldo da pagare € 1.423,84",
			map[string]string{"number": "15/26", "issue_date": "2026-09-10", "amount": "1423.84", "currency": "EUR"}},
		{"a list's bullet is not a minus", "Invoice No. HP-0368", "Invoice No. HP-0368 dated 16/02/2027, USD 12,000.00 in total.\n- USD 6,000.00 due March 1, 2027\n- USD 6,000.00 due April 1, 2027",
			map[string]string{"number": "HP-0368", "issue_date": "2027-02-16", "amount": "12000.00", "currency": "USD"}},
		{"German 'zahlbar in N Tagen'", "Rechnung Nr. 7", "Rechnung Nr. 7 vom 18.11.2026\nRechnungsbetrag 100,00 €\nZahlbar in 14 Tagen ab Rechnungsdatum.",
			map[string]string{"number": "7", "issue_date": "2026-11-18", "due_date": "2026-12-02", "amount": "100.00", "currency": "EUR"}},
		{"French 'sous N jours'", "Facture n° 9", "Facture n° 9 du 23/11/2026\nMontant TTC : 100,00 €\nPaiement sous 15 jours.",
			map[string]string{"number": "9", "issue_date": "2026-11-23", "due_date": "2026-12-08", "amount": "100.00", "currency": "EUR"}},
		{"French 'à réception'", "Facture n° 10", "Facture n° 10 du 02/02/2027\nMontant TTC : 100,00 €\nPaiement à réception.",
			map[string]string{"number": "10", "issue_date": "2027-02-02", "due_date": "2027-02-02", "amount": "100.00", "currency": "EUR"}},
		{"'entro fine mese' is the end of the invoice's month", "Fattura n. 11", "Fattura n. 11 del 07/12/2026\nTotale € 100,00\nPagamento entro fine mese.",
			map[string]string{"number": "11", "issue_date": "2026-12-07", "due_date": "2026-12-31", "amount": "100.00", "currency": "EUR"}},
		{"English days end of month", "Invoice no. 12", "Invoice no. 12 dated 01/12/2026\nTotal due EUR 100.00\nPayment 30 days end of month.",
			map[string]string{"number": "12", "issue_date": "2026-12-01", "due_date": "2026-12-31", "amount": "100.00", "currency": "EUR"}},
		{"German days end of month", "Rechnung Nr. 13", "Rechnung Nr. 13 vom 23.02.2027\nRechnungsbetrag 100,00 €\nZahlung 60 Tage Ende Monat.",
			map[string]string{"number": "13", "issue_date": "2027-02-23", "due_date": "2027-04-30", "amount": "100.00", "currency": "EUR"}},
		{"French 'paiement à N jours'", "Facture n° 14", "Facture n° 14 du 14/10/2026\nMontant TTC : 100,00 €\nPaiement à 30 jours par virement.",
			map[string]string{"number": "14", "issue_date": "2026-10-14", "due_date": "2026-11-13", "amount": "100.00", "currency": "EUR"}},
		{"German 'innerhalb N Tagen'", "Rechnung Nr. 15", "Rechnung Nr. 15 vom 12.01.2027\nRechnungsbetrag 100,00 €\nZahlbar innerhalb 30 Tagen netto ohne Abzug.",
			map[string]string{"number": "15", "issue_date": "2027-01-12", "due_date": "2027-02-11", "amount": "100.00", "currency": "EUR"}},
		{"a count times a price is a part", "Invoice no. 19", "Invoice no. 19, dated 31/03/2027, for € 384.50 in total (5 x € 75.00, plus the 2% contribution and stamp duty).",
			map[string]string{"number": "19", "issue_date": "2027-03-31", "amount": "384.50", "currency": "EUR"}},
		{"the fee inside the total's breakdown is a part", "Fattura n. 8/2027", "ti mando la fattura a saldo: n. 8/2027 del 12/05/2027, € 4.890,00 (onorario € 4.700,00 + contributo integrativo 4% € 188,00 + bollo € 2,00).",
			map[string]string{"number": "8/2027", "amount": "4890.00", "currency": "EUR"}},
		{"a label at the end of the line before", "Fattura n. 51 del 01/12/2026", "Totale documento € 2.737,68; al netto della\nritenuta d'acconto (€ 440,00) l'importo da bonificare è di\n€ 2.297,68.",
			map[string]string{"number": "51", "issue_date": "2026-12-01", "amount": "2297.68", "currency": "EUR"}},
		{"a count before a currency symbol and a figure", "Invoice No. 52", "Invoice No. 52 dated 1 October 2026\nSilk scarf 90x90 28 £2,380.00\nTotal £2,380.00",
			map[string]string{"number": "52", "issue_date": "2026-10-01", "amount": "2380.00", "currency": "GBP"}},
		{"the date after another invoice's number is that invoice's", "Facture n° 2026-091",
			"Facture n° 2026-091\nDate de facture 11/11/2026\nDéduction acompte facture n° 2026-039 du 02/10/2026 EUR -1 300,00\nNet à payer EUR 1 950,00",
			map[string]string{"number": "2026-091", "issue_date": "2026-11-11", "amount": "1950.00", "currency": "EUR"}},
		{"another invoice of the same day does not hide the date", "Fattura n. 3755",
			"Fattura n. 3755 del 15/04/2027\nTotale € 1.322,48\nStorno acconto fattura n. 3701 del 15/04/2027 € -97,60\nIMPORTO NETTO DA PAGARE: € 1.224,88",
			map[string]string{"number": "3755", "issue_date": "2027-04-15", "amount": "1224.88", "currency": "EUR"}},
		{"the invoice a corrected one replaces is another", "Fattura corretta n. 102 (sostituisce la n. 98)",
			"la fattura n. 98 del 16/11 era sbagliata. Le mando la fattura corretta n. 102 del 27/11/2026, che sostituisce la precedente.\nImporto: € 594,00",
			map[string]string{"number": "102", "issue_date": "2026-11-27", "amount": "594.00", "currency": "EUR"}},
		{"due date and terms agree", "Fattura n. 49 del 01/12/2026", "Totale € 10,00. Scadenza 01/03/2027, pagamento 90 gg d.f.",
			map[string]string{"number": "49", "issue_date": "2026-12-01", "due_date": "2027-03-01", "amount": "10.00", "currency": "EUR"}},
	}
	for _, tt := range tests {
		f := Extract(parseMail(t, buildMail(tt.subject, tt.body)), testOptions)
		got := fieldsSummary(f)
		want := map[string]string{"number": "", "issue_date": "", "due_date": "", "amount": "", "currency": "", "client_email": client}
		for k, v := range tt.want {
			want[k] = v
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %v\nwant %v\nnotes %v", tt.name, got, want, f.Notes)
		}
		// Every empty field is listed as missing, and only those.
		for _, k := range []string{FieldNumber, FieldIssueDate, FieldDueDate, FieldAmount, FieldClient} {
			if listed := strings.Contains(strings.Join(f.Missing, ","), k); listed != (got[k] == "") {
				t.Errorf("%s: %s missing=%v but value %q", tt.name, k, listed, got[k])
			}
		}
	}
}

func TestClientEmails(t *testing.T) {
	raw := []byte("From: maria@bianchi.example\r\nTo: solleciti@bianchi.example, Anna <Anna@Cliente.example>, maria@bianchi.example, b@cliente.example\r\nSubject: x\r\n\r\nx\r\n")
	f := Extract(parseMail(t, raw), Options{Own: []string{"SOLLECITI@bianchi.example"}})
	if want := []string{"anna@cliente.example", "b@cliente.example"}; !reflect.DeepEqual(f.ClientEmails, want) {
		t.Errorf("ClientEmails = %v, want %v", f.ClientEmails, want)
	}
	raw = []byte("From: maria@bianchi.example\r\nTo: solleciti@bianchi.example\r\nSubject: x\r\n\r\nx\r\n")
	f = Extract(parseMail(t, raw), Options{Own: []string{"solleciti@bianchi.example"}})
	if len(f.ClientEmails) != 0 || !strings.Contains(strings.Join(f.Missing, ","), FieldClient) {
		t.Errorf("only own addresses: ClientEmails = %v, Missing = %v", f.ClientEmails, f.Missing)
	}
}

func TestTextIBAN(t *testing.T) {
	body := "Fattura n. 1, € 10,00. IBAN: IT60 X054 2811 1010 0000 0123 456 intestato a Maria Bianchi\nBIC BPMOIT22"
	f := Extract(parseMail(t, buildMail("Fattura n. 1", body)), testOptions)
	if f.IBAN != "IT60X0542811101000000123456" {
		t.Errorf("IBAN = %q, notes %v", f.IBAN, f.Notes)
	}
	f = Extract(parseMail(t, buildMail("Fattura n. 1", "IBAN IT61X0542811101000000123456")), testOptions)
	if f.IBAN != "" {
		t.Errorf("IBAN with bad check digits read as %q", f.IBAN)
	}
}

func TestExtractPDF(t *testing.T) {
	pdf := makePDF(t,
		"Studio Bianchi - P.IVA 01234567890",
		"FATTURA n. 2026/0087 del 30/09/2026",
		"Sviluppo modulo prenotazioni\tEUR 2.500,00",
		"IVA 22%\tEUR 550,00",
		"Totale fattura\tEUR 3.050,00",
		"Ritenuta d'acconto 20%\tEUR -500,00",
		"Netto a pagare\tEUR 2.550,00",
		"Pagamento 30 gg d.f. - IBAN IT60 X054 2811 1010 0000 0123 456",
	)
	text, err := pdfText(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "FATTURA n. 2026/0087 del 30/09/2026\n") || !strings.Contains(text, "Netto a pagare EUR 2.550,00") {
		t.Errorf("pdf text lines not kept apart or columns not joined:\n%s", text)
	}
	f := Extract(parseMail(t, buildMail("Fattura", "In allegato la fattura.", attachment{"fattura.pdf", "application/pdf", pdf})), testOptions)
	want := map[string]string{"number": "2026/0087", "issue_date": "2026-09-30", "due_date": "2026-10-30",
		"amount": "2550.00", "currency": "EUR", "client_email": "amministrazione@cliente.example"}
	if got := fieldsSummary(f); !reflect.DeepEqual(got, want) || f.Source != "pdf" || f.IBAN != "IT60X0542811101000000123456" {
		t.Errorf("got %v source %q iban %q\nwant %v\nnotes %v", got, f.Source, f.IBAN, want, f.Notes)
	}
	// A PDF that disagrees with the body makes the field missing.
	f = Extract(parseMail(t, buildMail("Fattura n. 2026/0087", "Netto a pagare € 2.500,00", attachment{"fattura.pdf", "application/pdf", pdf})), testOptions)
	if f.HasAmount {
		t.Errorf("body and PDF disagree, amount read as %s", f.Amount)
	}
	// A broken PDF is a note, not a panic.
	f = Extract(parseMail(t, buildMail("Fattura n. 1", "€ 1,00", attachment{"f.pdf", "application/pdf", pdf[:len(pdf)/3]})), testOptions)
	if f.Number != "1" || len(f.Notes) == 0 {
		t.Errorf("broken pdf: number %q notes %v", f.Number, f.Notes)
	}
}

// TestSubjectOutvoted: a number the subject names ("Fattura 730 e IMU": a
// tax form) gives way when the body and the PDF both name another; with
// only one other text naming it, the disagreement is still asked.
func TestSubjectOutvoted(t *testing.T) {
	pdf := makePDF(t, "FATTURA n. 2027/162 del 08/06/2027", "Totale da pagare\tEUR 317,20")
	f := Extract(parseMail(t, buildMail("Fattura 730 e IMU", "Le invio la fattura n. 2027/162 del 08/06/2027 per la predisposizione del 730.", attachment{"f.pdf", "application/pdf", pdf})), testOptions)
	if f.Number != "2027/162" {
		t.Errorf("number %q, want 2027/162; notes %v", f.Number, f.Notes)
	}
	f = Extract(parseMail(t, buildMail("Fattura 730 e IMU", "In allegato.", attachment{"f.pdf", "application/pdf", pdf})), testOptions)
	if f.Number != "" {
		t.Errorf("subject and PDF alone disagree, number read as %q", f.Number)
	}
}

// TestHTMLAlternativeRead: a mail whose plain part holds the greeting only
// and whose HTML part holds the invoice's table is read from the HTML.
func TestHTMLAlternativeRead(t *testing.T) {
	raw := "From: a@studio.example\r\nTo: c@client.example\r\nSubject: Fattura 9/2026\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBuongiorno, qui sotto la fattura.\r\n" +
		"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Buongiorno, qui sotto la fattura.</p><table><tr><td>Fattura n. 9/2026 del 02/11/2026</td></tr>" +
		"<tr><td>Totale documento</td><td>€ 1.220,00</td></tr><tr><td>Scadenza</td><td>02/12/2026</td></tr></table>\r\n--b--\r\n"
	m, err := message.Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	f := Extract(m, Options{})
	if f.Amount.StringFixed(2) != "1220.00" || f.DueDate.Format("2006-01-02") != "2026-12-02" {
		t.Errorf("amount %s, due %s; notes %v", f.Amount, f.DueDate, f.Notes)
	}
}

func TestSameNumber(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{{"52", "52", true}, {"52", "52/2026", true}, {"2026/52", "52", true}, {"FT-52", "52", true}, {"52", "152", false}, {"44", "52", false}, {"52", "5", false}} {
		if got := sameNumber(c.a, c.b); got != c.want {
			t.Errorf("sameNumber(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
