package bank

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// TestReadNotice: the words of payment notices, not one provider's
// layout: money in, with its amount, payer, causale, transaction id and
// day; money out, pending or offered is no credit; a balance or a fee is
// not the amount; an owner's forward keeps the owner's words.
func TestReadNotice(t *testing.T) {
	sent := time.Date(2026, 12, 3, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name, subject, text string
		credit              bool
		amount, payer, ref  string
		rem, day            string
	}{
		{"an Italian bank's incoming transfer", "Bonifico in entrata sul conto ***1234",
			"Gentile cliente,\nti informiamo che è stato accreditato un bonifico.\nOrdinante: ROSSI IMPIANTI SRL\nImporto: 1.220,00 EUR\nCausale: saldo fattura 2026/118\nData valuta: 02/12/2026\nCRO: 0306998765123\nSaldo disponibile: 12.345,67 EUR\nNon rispondere a questa e-mail.",
			true, "1220", "ROSSI IMPIANTI SRL", "notice:0306998765123", "saldo fattura 2026/118", "2026-12-02"},
		{"a payment service: received, with a fee", "Hai ricevuto un pagamento",
			"Mario Bianchi ti ha inviato € 50,00 EUR\nCommissione: € 1,85\nImporto netto: € 48,15\nNota: ft 57 grazie\nID transazione: 7AB12345CD678901E",
			true, "48.15", "Mario Bianchi", "notice:7AB12345CD678901E", "ft 57 grazie", "2026-12-03"},
		{"English, forwarded with the owner's words", "Fwd: You've received money",
			"this is invoice 2026/120\n\n---------- Forwarded message ---------\nFrom: service@pay.example\nSubject: You've received money\n\nACME Ltd sent you £250.00 GBP.\nPayment reference: INV 2026/120\n",
			true, "250", "ACME Ltd", "", "INV 2026/120\nthis is invoice 2026/120", "2026-12-03"},
		{"a table flattened to cells, a no-break space before the euro sign", "Hai ricevuto un bonifico",
			"Conto | ***5512 | Operazione | Bonifico ricevuto | Importo | +1.830,00\u00a0€ | Ordinante | STUDIO BERTI | Causale | Fattura 2026/27 | Data valuta | 15/10/2026 | Identificativo | FNC26101500339214 |",
			true, "1830", "STUDIO BERTI", "notice:FNC26101500339214", "Fattura 2026/27", "2026-10-15"},
		{"dot leaders, the payer in the bank's description", "Avviso di accredito",
			"sul rapporto ***0264 è stato contabilizzato:\n  Data valuta ......... 18/11/2026\n  Descrizione ......... BONIFICO SEPA DA CONDOMINIO VIA EMILIA 45\n  Importo ............. € 280,00\n  Riferimento ......... 0538711180000551IT\nSaldo disponibile: € 7.802,15",
			true, "280", "CONDOMINIO VIA EMILIA 45", "notice:0538711180000551IT", "BONIFICO SEPA DA CONDOMINIO VIA EMILIA 45", "2026-11-18"},
		{"an Outlook forward: its header is no payer", "I: Hai ricevuto un pagamento",
			"pagata la 2027/12\n\n________________________________\nDa: PayPal <service@pay.example>\nInviato: mercoledì 19 maggio 2027 10:22\nOggetto: Hai ricevuto un pagamento\n\nStudio Legale Marini ti ha inviato 980,00 € EUR\nImporto netto 946,03 EUR\n",
			true, "946.03", "Studio Legale Marini", "", "pagata la 2027/12", "2026-12-03"},
		{"a payment gateway's positive outcome, the sign after the currency", "Esito transazione: POSITIVO - ordine DM7",
			"Esito: POSITIVO\nCodice transazione: DM2027020200007\nImporto: EUR +480,00\nNome titolare: Federica Sala\nDescrizione: Fattura 2027/031\nData/Ora: 02/02/2027 19:05:10",
			true, "480", "Federica Sala", "notice:DM2027020200007", "Fattura 2027/031", "2027-02-02"},
		{"a payout in the subject is the business's own balance", "Klarna: liquidazione inviata", "abbiamo trasferito una liquidazione sul tuo conto.\nImporto liquidato: 612,35 EUR", false, "", "", "", "", ""},
		{"a payout on its way is no client's payment", "Your payout is on the way", "Your payout of €1,284.30 is on its way.\nEstimated arrival: Dec 8, 2026", false, "", "", "", "", ""},
		{"money sent is no credit", "Hai inviato un pagamento", "Hai inviato € 80,00 a Fornitore Srl.", false, "", "", "", "", ""},
		{"pending is no credit", "Pagamento ricevuto in attesa", "Hai ricevuto € 300,00: il pagamento è in attesa di verifica.", false, "", "", "", "", ""},
		{"an outgoing transfer", "Bonifico in uscita eseguito", "Il bonifico di 500,00 EUR a favore di Mario Rossi è stato eseguito. Addebito sul conto ***1234.", false, "", "", "", "", ""},
		{"an offer is no credit", "Una nuova offerta per te", "Richiedi un prestito fino a € 30.000 accreditato in 24 ore.", false, "", "", "", "", ""},
		{"a one-time code", "Codice di sicurezza", "Il tuo codice OTP è 482913. Non condividerlo.", false, "", "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok, why := ReadNotice(tt.subject, tt.text, sent)
			if ok != tt.credit {
				t.Fatalf("credit %v (%s), want %v", ok, why, tt.credit)
			}
			if !ok {
				return
			}
			if !c.Amount.Equal(decimal.RequireFromString(tt.amount)) || c.Payer != tt.payer || c.Remittance != tt.rem ||
				c.ValueDate.Format(time.DateOnly) != tt.day || tt.ref != "" && c.Ref != tt.ref || c.Ref == "" {
				t.Errorf("got %+v", c)
			}
		})
	}
}

// FuzzReadNotice: any text is read or refused, never a credit without a
// positive amount and a reference.
func FuzzReadNotice(f *testing.F) {
	f.Add("Bonifico in entrata", "Ordinante: X\nImporto: 1.220,00 EUR\nCausale: y\nData valuta: 02/12/2026")
	f.Add("You've received money", "ACME sent you $10.00")
	f.Fuzz(func(t *testing.T, subject, text string) {
		c, ok, _ := ReadNotice(subject, text, time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC))
		if ok && (!c.Amount.IsPositive() || c.Ref == "" || c.ValueDate.IsZero()) {
			t.Fatalf("credit %+v from %q %q", c, subject, text)
		}
	})
}
