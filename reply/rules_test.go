package reply

import (
	"strings"
	"testing"
	"time"

	"github.com/sollecito/sollecito/mailbox"
)

// message builds a parsed message from a few headers and a plain-text body.
func testMessage(t testing.TB, date string, headers map[string]string, body string) *mailbox.Message {
	t.Helper()
	var b strings.Builder
	b.WriteString("From: Cliente <cliente@esempio.it>\r\nTo: Bot <bot@fornitore.it>\r\n")
	b.WriteString("Date: " + date + "\r\n")
	if _, ok := headers["Subject"]; !ok {
		b.WriteString("Subject: Re: Sollecito\r\n")
	}
	for k, v := range headers {
		b.WriteString(k + ": " + v + "\r\n")
	}
	b.WriteString("Content-Type: text/plain; charset=utf-8\r\n\r\n")
	b.WriteString(strings.ReplaceAll(body, "\n", "\r\n"))
	m, err := mailbox.Parse([]byte(b.String()))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return m
}

var own = Context{Own: []string{"bot@fornitore.it", "titolare@fornitore.it"}}

// A Wednesday in Rome.
const wed = "Wed, 4 Nov 2026 10:00:00 +0100"

func TestKinds(t *testing.T) {
	tests := []struct {
		name string
		body string
		want Kind
	}{
		// Proof, and what is not proof.
		{"it proof", "Salve, il bonifico è stato fatto stamattina, trovate la contabile allegata.", PaymentProof},
		{"en proof", "Hello, we paid this yesterday by bank transfer.", PaymentProof},
		{"it an e-invoice that never arrived, to reissue", "La fattura 31/PA/2026 non è mai arrivata nel nostro gestionale perché lo SDI l'ha scartata (codice destinatario non valido). Potete riemetterla con il codice UF7K2M?", NotReceived},
		{"it a reissue asked of an invoice received", "Vi chiediamo di riemettere la fattura intestandola alla società e non a me personalmente.", Dispute},
		{"en an invoice rejected by the client's system, never registered", "There is no invoice HS-30466 registered against your account; it was rejected by our AP portal. Could you email a copy with the PO number?", NotReceived},
		{"it a cheque handed over, all settled", "Ti avevamo fatto un assegno il giorno della festa, per noi è tutto saldato.", PaymentProof},
		{"it paid just now", "Hai ragione! Pagato adesso con PayPal, spero vada bene", PaymentProof},
		{"it paid by others, plural", "Le foto di classe sono state pagate dai genitori direttamente a lei.", PaymentProof},
		{"it paying once what was asked is removed", "Le riprese del cantiere non dovevano esserci. Saldiamo quando rimuovete quelle scene.", Dispute},
		{"it the writer says the invoice is a mistake", "Ma questa fattura di cosa è? Avevo chiesto solo un preventivo, mi sa che c'è un errore.", Dispute},
		{"it a capitalised opening is the writer's own, no notice", "URGENTE: abbiamo pagato ieri, ecco il CRO 0306912345.", PaymentProof},
		{"it paying once the work is redone", "La vernice della portiera ha una tonalità diversa. La fattura la salderò quando la portiera sarà rifatta.", Dispute},
		{"en a payables office's automated answer that the payment went", "We confirm that payment for invoice CO-2026-060 was released today in our BACS run.\n\nThis is an automated response from a monitored mailbox.", PaymentProof},
		{"it paid part, refuses the rest named by a pronoun", "Abbiamo pagato il 5 marzo 800 euro, l'importo del preventivo. I restanti 420 euro riguardano lavori che nessuno vi ha chiesto. Quella parte non la paghiamo.", Dispute},
		{"it extra never authorised", "Vi abbiamo bonificato € 1.200,00 il 30/11 per la manodopera. I 340 euro di materiale extra non sono mai stati autorizzati da noi.", Dispute},
		{"en a duplicate to cancel", "We will not be processing this one: it covers the same shipment as FT 1215, which we paid on October 2nd. Please cancel it or send a credit memo.", Dispute},
		{"de billed twice, the first paid", "Diese Bestellung wurde uns zweimal in Rechnung gestellt. Die erste haben wir längst beglichen.", Dispute},
		{"en holding the payment until it is sorted", "I haven't, and won't until this is sorted.", Dispute},
		{"en not settling until fixed", "I'm not settling this until your engineer comes back and fixes it.", Dispute},
		{"it asking to take days off the invoice", "La linea è rimasta muta due settimane. Toglieteci quei giorni dalla fattura e poi la mandiamo in pagamento.", Dispute},
		{"it someone in the family paid", "Buongiorno, mia moglie mi dice che ha pagato lei la fattura giovedì scorso dal suo conto.", PaymentProof},
		{"it the writer's own customer paid them", "Il cantiere ci ha pagato il SAL con due mesi di ritardo e siamo scoperti: vi paghiamo venerdì.", Promise},
		{"it a habit is no proof of this invoice", "Noi con voi abbiamo sempre pagato puntualmente, questa volta chiediamo di dividerla in due rate.", Installment},
		{"en nobody was paid is no proof", "Our payroll provider changed and nobody was paid on time. We will pay on Monday.", Promise},
		{"it negated proof", "Non abbiamo ancora pagato, scusate il ritardo.", Other},
		{"en negated proof", "We haven't paid it yet, sorry.", Other},
		{"it conditional proof", "Se il bonifico è stato fatto ve lo confermo domani.", Other},
		// Disputes outrank everything, negated disputes do not count.
		{"it dispute", "L'importo è sbagliato rispetto al preventivo, vi chiediamo una nota di credito.", Dispute},
		{"it payment held until the work is put right", "Buonasera, la fattura la pago volentieri quando mi sistemate il graffio sul cofano.", Dispute},
		{"it balance paid when the work is finished", "IL SALDO LO PAGO QUANDO AVETE FINITO E AGGIUSTATO.", Dispute},
		{"en payment held until the work is put right", "We will happily pay once you have fixed the leak in the kitchen.", Dispute},
		{"it the fixing first, then the payment", "Salve, la fattura conta 30 giorni ma eravamo chiusi. Correggetela e poi la paghiamo.", Dispute},
		{"de payment refused until settled", "Solange das nicht geklärt ist, bezahlen wir diese Rechnung nicht.", Dispute},
		{"de refusal, verb first", "Die Rechnung bezahlen wir vorerst nicht.", Dispute},
		{"de a trailing nicht denies the promise", "Wir überweisen den Betrag diese Woche leider nicht mehr.", Other},
		{"en payment held until the item is altered", "It is tight across the shoulders. I'll pay once it's been let out.", Dispute},
		{"en payment held until the supplier's people come back", "We'll pay once your technician comes back and checks the traps.", Dispute},
		{"it a new invoice asked in place of this one", "La fattura è intestata alla persona e non alla società: vi chiediamo di emetterne una nuova.", Dispute},
		{"de payment ordered is proof", "Die Zahlung für Rechnung 342/2026 wurde am 24.11.2026 angewiesen (Zahlungslauf KW 48).", PaymentProof},
		{"it part of the invoice taken off by the client", "Buongiorno, la burrata era acida e l'ho buttata: quella la paghi tu, non io. Il resto va bene ma detraggo 6 pezzi dalla fattura.", Dispute},
		{"en deducting part of the invoice", "Two cases arrived broken, we will deduct them from the payment.", Dispute},
		{"it the fixing first with 'appena'", "Buongiorno, l'infiltrazione è ancora lì. Appena ci sistemate il soffitto saldiamo tutto, canone e spese.", Dispute},
		{"it a cheque handed over", "Buongiorno dottore, l'assegno gliel'ho lasciato alla ragazza in studio giovedì scorso. Saluti", PaymentProof},
		{"en settled", "All settled on the 19th, check again", PaymentProof},
		{"it pay when the invoice comes is not a dispute", "La pago appena mi mandate la fattura.", Promise},
		{"en dispute", "The chairs arrived broken. We will not pay until they are replaced.", Dispute},
		{"dispute outranks proof", "We paid half today, but we dispute the extra charges.", Dispute},
		{"en negated dispute is a promise", "We are not disputing the invoice, it will be paid by Friday.", Promise},
		// Not received, including the negated forms that are its very point.
		{"it not received", "Non ci è mai arrivata nessuna fattura, potete mandarcene una copia?", NotReceived},
		{"en NOT received", "We have NOT received the invoice. Please send it again.", NotReceived},
		{"it missing iban", "Mi mandate l'IBAN per favore? Non lo trovo da nessuna parte.", NotReceived},
		{"conditional promise is not_received", "Send me the bank details and I'll pay the same day.", NotReceived},
		// Instalments and delays.
		{"it plan", "Possiamo pagarla in tre rate mensili?", Installment},
		{"en extension", "Could we get an extension to the end of next month?", Installment},
		{"it split with dates", "Vorrei pagare metà il 10 e il resto il 25, va bene?", Installment},
		// Promises, including those asked as questions.
		{"it promise", "Scusate il ritardo, pagheremo entro venerdì.", Promise},
		{"en promise question", "Is it ok if I pay on Monday?", Promise},
		{"it promise question", "Vi va bene se lo saldo giovedì prossimo?", Promise},
		// "there is no need for" what follows: a lawyer named that way is no dispute.
		{"it no need of a lawyer", "Non c'è bisogno di arrivare all'avvocato. Pago il saldo martedì prossimo.", Promise},
		{"en no need to resend", "No need to send the invoice again, I will pay it on Friday.", Promise},
		// Disputes that never say the word.
		{"it invoiced twice", "Il trasporto di ottobre ci è stato fatturato due volte, potete controllare?", Dispute},
		{"it withheld as compensation", "Abbiamo disposto il bonifico trattenendo 850 euro: li abbiamo trattenuti a compensazione dei danni ai bancali.", Dispute},
		{"it a public body's authorisation to pay, the payment later", "Con determinazione n. 412 è stata disposta la liquidazione della spesa. Il mandato di pagamento sarà emesso entro 30 giorni.", Promise},
		{"it the payment ordered, said the other way round", "Il pagamento della fattura è stato disposto in data 27/11/2026.", PaymentProof},
		{"it never delivered by the SdI, reissue asked", "Il mio commercialista dice che la fattura allo SDI non risulta, forse avete messo il codice destinatario sbagliato. Potete riemetterla?", NotReceived},
		{"it pay once recalculated", "Se mi mandate la fattura ricalcolata al 12% la pago in giornata.", Dispute},
		{"en promise no date", "It will be paid, I can't say when yet.", Promise},
		{"it cannot say whether", "Non so dirvi se e quando pagheremo.", Other},
		{"it how to pay", "Posso pagare con carta di credito?", Other},
		// Redirects name someone else's address.
		{"it redirect", "Non sono io a occuparmi dei pagamenti, scrivete a contabilita@cliente.it per favore.", Redirect},
		{"en redirect", "Wrong contact, please email ap@client.example instead.", Redirect},
		{"passed on, no address", "I've forwarded this to our accountant.", Other},
		// Other.
		{"thanks", "Grazie, ricevuto.", Other},
		{"en approved, the client will have it by the end of the month", "Approved and scheduled. You'll have it by EOM.", Promise},
		{"en paid in the normal cycle", "Our terms are 60 days end of month. The invoice will therefore be paid in the normal cycle.", Promise},
		{"en an IBAN that does not match is missing bank details", "We can't pay you yet because the IBAN on your invoice does not\nmatch the bank account registered in our accounting system. Could you send us the updated bank details?", NotReceived},
		{"it held back until the work is put right", "il 10% della fattura lo teniamo a garanzia finché non sistemate il quadro del piano terra. Il resto l'abbiamo pagato la settimana scorsa.", Dispute},
		{"it settled by offsetting an invoice of the client's", "come concordato, la fattura è stata chiusa in compensazione con la nostra fattura n. 212/2026 di pari importo.", PaymentProof},
		{"it paying once the work is redone, a word between", "Buongiorno, pagherò volentieri appena il dottore avrà rifatto l'otturazione che si è rotta.", Dispute},
		{"it a corrected invoice asked for", "Nella fattura ci sono 4 SIM ma noi ne abbiamo attivate 2. Correggete e rimandatela.", Dispute},
		{"en a transfer ordered is a payment", "The transfer has been ordered today, execution date 17-03-2027. You will have it in a day or two.", PaymentProof},
		{"it a reissued invoice asked for", "La vostra fattura non può essere pagata: il nostro sistema l'ha respinta perché manca il numero d'ordine. Per favore inviateci una fattura riemessa con il PO indicato.", Dispute},
		{"it the reissued invoice already paid", "La fattura è stata pagata con mandato n. 1402; quella pagata è la fattura riemessa da voi a febbraio.", PaymentProof},
		{"en fix it and we'll pay", "Hi, fix the terminology in the Module 3 files (the excipient names are still inconsistent) and we'll release it. Mark", Dispute},
		{"it seen to the payment", "Gentilissimi,\nho provveduto in data odierna al pagamento presso l'ufficio postale.", PaymentProof},
		{"en the writer's own pay day is no proof", "Hi there, I get paid on the 15th, so I'll settle the invoice then.", Promise},
		{"it bottom-posted under an unmarked original", "----Messaggio originale----\nDa: bot@fornitore.it\nData: 21/11/2026 08.58\nOgg: Promemoria\n\nGentile cliente, le ricordiamo la fattura 12.\n\nCordiali saluti\nFornitore\n\nBuongiorno, tra una settimana faccio il bonifico.\nOrnella", Promise},
		{"en a ticket system's text below its marker is not the writer's", "##- Please type your reply above this line -##\n\nYour request (48213) has been received.\n\nWe paid it yesterday, thanks.", AutoReply},
		// Portuguese is read like the other languages with rules.
		{"portuguese", "Olá, vamos pagar a fatura na próxima semana.", Promise},
		{"portuguese proof", "Já pagamos ontem, segue o comprovativo.", PaymentProof},
		// Languages without rules degrade to other.
		{"dutch", "Wij betalen de factuur volgende week.", Other},
		{"es unclear", "Hola, ¿nos puede llamar por teléfono?", Other},
		{"fr unclear", "Bonjour, pouvez-vous nous appeler demain?", Other},
		{"de unclear", "Guten Tag, bitte rufen Sie uns an.", Other},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := rulesOnly(testMessage(t, wed, nil, tt.body), own)
			if v.Kind != tt.want {
				t.Errorf("%q: got %s, want %s; evidence %q", tt.body, v.Kind, tt.want, v.Evidence)
			}
		})
	}
}

func TestPromisedDate(t *testing.T) {
	tests := []struct {
		date, body, want string
	}{
		{wed, "Pagheremo domani.", "2026-11-05"},
		{wed, "will pay Fri", "2026-11-06"},
		{wed, "Fattura ok, è nel mandato che firmiamo giovedì.", "2026-11-05"},
		{wed, "La liquidazione avverrà entro il 20 novembre.", "2026-11-20"},
		{wed, "I've spoken with our controller and the wire is scheduled for Nov 20th.", "2026-11-20"},
		{wed, "La paghiamo mercoledì 25 novembre con la rata.", "2026-11-25"}, // the date, not next Wednesday
		{wed, "We'll pay on Friday, November 20.", "2026-11-20"},
		{wed, "Bonjour, je paie demain. Cordialement", "2026-11-05"},
		{wed, "Faccio il bonifico dopodomani.", "2026-11-06"},
		{wed, "I'll pay on Friday.", "2026-11-06"},
		{wed, "Pago mercoledì prossimo.", "2026-11-11"}, // a weekday is strictly after the message day
		{wed, "Vi pago entro fine settimana.", "2026-11-06"},
		{wed, "Salderò entro fine febbraio insieme all'altra fattura.", "2027-02-28"}, // a month gone by this year is next year's
		{wed, "We will settle it by the end of December.", "2026-12-31"},
		{wed, "Domani dispongo il bonifico insieme agli altri pagamenti di fine novembre.", "2026-11-05"}, // "di fine novembre" names other payments
		{"Sat, 7 Nov 2026 10:00:00 +0100", "Vi pago entro fine settimana.", "2026-11-13"},
		{wed, "It will be paid next week.", "2026-11-13"},
		{wed, "La saldiamo entro fine mese.", "2026-11-30"},
		{wed, "I'll pay it next month.", "2026-12-31"},
		{wed, "Pagheremo il 10 del mese prossimo.", "2026-12-10"},
		{wed, "Pagheremo il 3.", "2026-12-03"},          // a day already past: next month
		{wed, "We will pay on the 20th.", "2026-11-20"}, // a day still to come: this month
		{wed, "Il pagamento sarà effettuato entro 10 giorni.", "2026-11-14"},
		{wed, "Payment will be made within 14 days.", "2026-11-18"},
		{wed, "Pagheremo il 15/12/2026.", "2026-12-15"},
		{wed, "We will pay on 12/15/2026.", "2026-12-15"},
		{wed, "Pagheremo il 7 gennaio.", "2027-01-07"}, // no year: the next January
		{wed, "We will pay on December 15, 2026.", "2026-12-15"},
		{wed, "The transfer will go out on Dec 1st.", "2026-12-01"},
		// The day of the Date header in its own zone decides.
		{"Wed, 4 Nov 2026 23:30:00 -0800", "I'll pay tomorrow.", "2026-11-05"},
		{"Thu, 5 Nov 2026 07:00:00 +1100", "I'll pay tomorrow.", "2026-11-06"},
		// A date in another sentence does not become the promise's.
		{wed, "Lo stipendio arriva il 10. Pagheremo comunque il 20.", "2026-11-20"},
		{wed, "Pagherò al più presto.", ""},
		{wed, "We will pay on 2026-12-15.", "2026-12-15"}, // ISO 8601
		{wed, "Pagheremo il 15.12.26 senz'altro.", "2026-12-15"},
		{wed, "Der Betrag wird am 15.01. überwiesen.", "2027-01-15"}, // day and month, German style
		{wed, "Pagheremo il 15/1.", "2027-01-15"},
		{wed, "Pagheremo entro la fine della prossima settimana.", "2026-11-13"}, // next week's Friday
		{wed, "We will pay by the end of next week.", "2026-11-13"},
		{wed, "Vi paghiamo l'8 quando riapriamo.", "2026-11-08"},           // the article elided before 8
		{wed, "Wir zahlen am Freitag.", "2026-11-06"},                      // German present for the future
		{wed, "Der Betrag wird am 15. Dezember überwiesen.", "2026-12-15"}, // the German ordinal dot
		{wed, "Vamos pagar dia 15 de dezembro.", "2026-12-15"},
		{wed, "Comunque la fattura la pago, come sempre, il giorno 27.", "2026-11-27"}, // "il giorno 27": a day of the month
		{wed, "Domattina pago tutto.", "2026-11-05"},
		{wed, "Pago entro la settimana.", "2026-11-06"}, // this week's Friday
		{wed, "Pago entro la settimana prossima.", "2026-11-13"},
		{wed, "I'll pay this week.", "2026-11-06"},
		{wed, "Pago questa settimana.", "2026-11-06"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			v := rulesOnly(testMessage(t, tt.date, nil, tt.body), own)
			if v.Kind != Promise {
				t.Fatalf("kind %s, want promise; evidence %q", v.Kind, v.Evidence)
			}
			if got := dateString(v.PromisedDate); got != tt.want {
				t.Errorf("date %q, want %q; evidence %q", got, tt.want, v.Evidence)
			}
		})
	}
}

func TestMachines(t *testing.T) {
	tests := []struct {
		name    string
		headers map[string]string
		body    string
		want    Kind
		failed  string
	}{
		{"rfc3834", map[string]string{"Auto-Submitted": "auto-replied"}, "I will pay everything when I'm back.", AutoReply, ""},
		{"x-autoreply", map[string]string{"X-Autoreply": "yes"}, "Sono fuori ufficio.", AutoReply, ""},
		{"precedence", map[string]string{"Precedence": "auto_reply"}, "Thanks for your message.", AutoReply, ""},
		{"auto-submitted no is a person", map[string]string{"Auto-Submitted": "no"}, "Pagheremo domani.", Promise, ""},
		{"subject about a car", map[string]string{"Subject": "Re: riparazione auto: fattura"}, "Pagheremo domani.", Promise, ""},
		{"automatic reply subject", map[string]string{"Subject": "Risposta automatica: Sollecito", "X-Auto-Response-Suppress": "All"}, "L'ufficio è chiuso fino al 10.", AutoReply, ""},
		{"absence without headers", nil, "Sono in ferie fino al 20 novembre e non leggo la posta.", AutoReply, ""},
		{"automatic text without headers", nil, "Questo è un messaggio generato automaticamente, si prega di non rispondere.", AutoReply, ""},
		{"a ticket system's answer that says it was paid", nil, "[Ticket#AP-118204]\n\nGentile fornitore,\n\nla fattura FT 2026/2877 risulta pagata in data 20/11/2026 con bonifico SEPA.\nPer ulteriori informazioni rispondere mantenendo il numero di ticket nell'oggetto.", PaymentProof, ""},
		// what a person typed above a quoted reminder is theirs, whatever the reminder says of itself
		{"person quoting an automatic reminder", nil, "Buongiorno, il bonifico è stato fatto ieri, CRO 1234567890.\n\nIl giorno 02/11/2026 Studio ha scritto:\n> Gentile cliente, la fattura risulta scaduta.\n> Questo è un messaggio generato automaticamente, si prega di non rispondere.", PaymentProof, ""},
		{"person quoting an automated message, in English", nil, "We never received this invoice, could you send it again?\n\nOn Mon, 2 Nov 2026, Billing wrote:\n> This is an automated message, please do not reply.", NotReceived, ""},
		{"pec receipt", map[string]string{"X-Ricevuta": "avvenuta-consegna"}, "Ricevuta di avvenuta consegna.", AutoReply, ""},
		{"pec failure", map[string]string{"X-Ricevuta": "errore-consegna"}, "Il messaggio destinato all'utente \"cliente@pec.example\" non è stato consegnato.", Bounce, "cliente@pec.example"},
		{"x-failed-recipients", map[string]string{"X-Failed-Recipients": "old@client.example"}, "Delivery failed.", Bounce, "old@client.example"},
		{"gone for good names a replacement", map[string]string{"Auto-Submitted": "auto-replied"}, "Questa casella non è più attiva. Per le fatture scrivete a nuova@cliente.it.", Redirect, ""},
		{"absence names a colleague", map[string]string{"Auto-Submitted": "auto-replied"}, "Sono in ferie. Per urgenze contattate collega@cliente.it.", AutoReply, ""},
		// how a mailbox is kept, said in other words: nobody reads it, it was switched off
		{"a mailbox nobody reads names a replacement", map[string]string{"Auto-Submitted": "auto-replied"}, "Questa casella non è più monitorata.\nPer le fatture scrivere a contabilita@cliente.it.", Redirect, ""},
		{"a mailbox switched off, in German", map[string]string{"Auto-Submitted": "auto-replied"}, "Diese E-Mail-Adresse wird nicht mehr verwendet.\nBitte senden Sie Rechnungen an rechnungen@kunde.example.", Redirect, ""},
		{"gone for good said in the subject", map[string]string{"Auto-Submitted": "auto-replied", "Subject": "Indirizzo non più attivo - Promemoria fattura 12"}, "Gentile mittente, scriva a direzione@cliente.it.", Redirect, ""},
		{"an Exchange NDR marked so", map[string]string{"Auto-Submitted": "auto-replied", "X-MS-Exchange-Message-Is-Ndr": "", "Subject": "Recapito non riuscito: Promemoria fattura 12"}, "Il recapito ai seguenti destinatari non è riuscito.\n\namministrazione@cliente.it", Bounce, "amministrazione@cliente.it"},
		{"a payables office's answer that books a payment run is no auto-reply", nil, "Please be advised that the invoice has been scheduled for our payment run on 19 November 2026.\n\nPlease do not reply to this mailbox regarding other matters.", Promise, ""},
		// read receipts (RFC 8098): the client's program, not the client
		{"a read receipt", map[string]string{"Subject": "Letto: Sollecito di pagamento - fattura 397"}, "Il messaggio è stato letto martedì 10 novembre 2026 11:02.", AutoReply, ""},
		{"a read receipt by its subject", map[string]string{"Subject": "Read: Payment reminder - invoice 397"}, "Your message was read on Tuesday.", AutoReply, ""},
		// someone on leave who no longer looks after payments, for good, names who does
		{"on leave and handed over", nil, "Sono in maternità da settembre e non seguo più l'amministrazione. Per favore scrivete a Laura Bassi <laura.bassi@cliente.it>.", Redirect, ""},
		{"an automatic acknowledgement without headers", nil, "Grazie per averci scritto!\nQuesto è un messaggio automatico: la sua email è stata ricevuta.", AutoReply, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := rulesOnly(testMessage(t, wed, tt.headers, tt.body), own)
			if v.Kind != tt.want {
				t.Errorf("got %s, want %s; evidence %q", v.Kind, tt.want, v.Evidence)
			}
			if v.FailedRecipient != tt.failed {
				t.Errorf("failed recipient %q, want %q", v.FailedRecipient, tt.failed)
			}
		})
	}
}

func TestBounceFromMailerDaemon(t *testing.T) {
	raw := "From: Mail Delivery System <MAILER-DAEMON@mx.example>\r\nTo: bot@fornitore.it\r\nSubject: Mail delivery failed\r\n" +
		"Date: " + wed + "\r\n\r\nThis message was created automatically by mail delivery software.\r\n\r\n" +
		"A message that you sent could not be delivered to one or more of its recipients:\r\n\r\n  gone@client.example\r\n    550 user unknown\r\n"
	m, err := mailbox.Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	v := rulesOnly(m, own)
	if v.Kind != Bounce || v.FailedRecipient != "gone@client.example" {
		t.Errorf("got %s %q, want bounce gone@client.example", v.Kind, v.FailedRecipient)
	}
}

func TestDSN(t *testing.T) {
	raw := "From: MAILER-DAEMON@mx.example\r\nTo: bot@fornitore.it\r\nSubject: Undelivered Mail Returned to Sender\r\nDate: " + wed + "\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n" +
		"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n" +
		"Original-Recipient: rfc822; accounts@client.example\r\nFinal-Recipient: rfc822; person@client.example\r\nAction: failed\r\nStatus: 5.1.1\r\n" +
		"--b--\r\n"
	m, err := mailbox.Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	v := rulesOnly(m, own)
	if v.Kind != Bounce || v.FailedRecipient != "accounts@client.example" {
		t.Errorf("got %s %q, want bounce accounts@client.example (the address as sent)", v.Kind, v.FailedRecipient)
	}
}

// TestReadReceipt: a disposition notification (RFC 8098) is automatic by
// its structure, whatever its subject and words.
func TestReadReceipt(t *testing.T) {
	raw := "From: Rosa <r@client.example>\r\nTo: bot@fornitore.it\r\nSubject: Sollecito fattura 397\r\nDate: " + wed + "\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=disposition-notification; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nIl messaggio è stato pagato... letto alle 11:02.\r\n" +
		"--b\r\nContent-Type: message/disposition-notification\r\n\r\nReporting-UA: client.example; Outlook\r\nFinal-Recipient: rfc822;r@client.example\r\nDisposition: manual-action/MDN-sent-manually; displayed\r\n" +
		"--b--\r\n"
	m, err := mailbox.Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if v := rulesOnly(m, own); v.Kind != AutoReply {
		t.Errorf("got %s, want autoreply; evidence %q", v.Kind, v.Evidence)
	}
}

func TestRedirectTarget(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"not the writer", "Per i pagamenti scrivete a maria@cliente.it, io sono cliente@esempio.it.", "maria@cliente.it"},
		{"not the bot or owner", "Please send reminders to ap@client.example, not to titolare@fornitore.it.", "ap@client.example"},
		{"display-name form", "Please contact Jane Roe <jane@client.example> from now on.", "jane@client.example"},
		{"the billing address among several", "For bookings write to events@client.example. For invoices write to ap@client.example.", "ap@client.example"},
		// addresses written so that robots cannot read them
		{"[at] and [dot]", "Vi prego di contattare l'ufficio fornitori: fornitori [at] gruppo-orsini [dot] com.", "fornitori@gruppo-orsini.com"},
		{"(at)", "Per il pagamento dovete scrivere alla tesoriera, E-mail: tesoreria(at)associazione.org", "tesoreria@associazione.org"},
		{"spelled out", "Per le fatture scrivete a mia figlia: carla.benedetti chiocciola libero punto it", "carla.benedetti@libero.it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := rulesOnly(testMessage(t, wed, nil, tt.body), own)
			if v.Kind != Redirect || v.RedirectTo != tt.want {
				t.Errorf("got %s %q, want redirect %q; evidence %q", v.Kind, v.RedirectTo, tt.want, v.Evidence)
			}
		})
	}
}

func TestLang(t *testing.T) {
	tests := []struct{ body, want string }{
		{"Buongiorno, vi confermo che pagheremo la fattura entro venerdì.", "it"},
		{"Hello, we will pay the invoice on Friday.", "en"},
		{"Hola, hemos realizado la transferencia esta mañana.", "es"},
		{"Bonjour, nous avons payé la facture hier.", "fr"},
		{"Sehr geehrte Damen und Herren, die Rechnung wird bezahlt.", "de"},
	}
	for _, tt := range tests {
		if got := rulesOnly(testMessage(t, wed, nil, tt.body), own).Lang; got != tt.want {
			t.Errorf("%q: lang %q, want %q", tt.body, got, tt.want)
		}
	}
}

func TestExplain(t *testing.T) {
	v := rulesOnly(testMessage(t, wed, nil, "Pagheremo domani."), own)
	got := Explain(v)
	for _, want := range []string{"promise", "2026-11-05", "pagheremo"} {
		if !strings.Contains(got, want) {
			t.Errorf("Explain = %q, missing %q", got, want)
		}
	}
	if v.PromisedDate.Location() != time.UTC || v.PromisedDate.Hour() != 0 {
		t.Errorf("promised date %v is not a calendar date at 00:00 UTC", v.PromisedDate)
	}
}

// rulesOnly is the rules' reading alone: these tests are of the rules,
// whatever the learned reader thinks of a one-line synthetic mail.
func rulesOnly(m *mailbox.Message, c Context) Verdict {
	v, _ := Rules(m, c)
	return v
}

// TestPastWeekdays: a weekday named as a day gone by ("depuis lundi",
// "lunedì scorso", "since Monday") is no date to pay on; one named for
// paying is.
func TestPastWeekdays(t *testing.T) {
	base := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC) // a Wednesday
	for _, tt := range []struct {
		text string
		want int
	}{
		{"c'est réglé depuis lundi par virement", 0},
		{"il bonifico di lunedì scorso è tornato indietro", 0},
		{"paid since Monday", 0},
		{"seit Montag überwiesen", 0},
		{"la vostra fattura va nel giro di venerdì", 1},
		{"pagheremo lunedì", 1},
	} {
		d := parseDoc(tt.text)
		if got := findDates(d, 0, len(d.words), base, false); len(got) != tt.want {
			t.Errorf("%q: %d dates %v, want %d", tt.text, len(got), got, tt.want)
		}
	}
}

// TestGoneMailboxIsNoContact: a notice that a mailbox is no longer active
// names that mailbox; it is no new contact to write to. One that names a
// replacement is.
func TestGoneMailboxIsNoContact(t *testing.T) {
	h := map[string]string{"Subject": "Casella non più attiva", "Auto-Submitted": "auto-replied"}
	gone := rulesOnly(testMessage(t, wed, h, "Gentile utente,\nla casella pastorizia@libero.example a cui hai scritto non è più attiva e non può ricevere messaggi.\nIl tuo messaggio non è stato consegnato."), own)
	if gone.Kind == Redirect {
		t.Errorf("the dead mailbox read as a new contact: %s %q", gone.RedirectTo, gone.Evidence)
	}
	moved := rulesOnly(testMessage(t, wed, h, "Questa casella non è più attiva.\nPer fatture e pagamenti scrivete a amministrazione@nuova.example, grazie."), own)
	if moved.Kind != Redirect || moved.RedirectTo != "amministrazione@nuova.example" {
		t.Errorf("a replacement named: %s %q", moved.Kind, moved.RedirectTo)
	}
}

// TestSubjectAddition: what a person adds after the subject they answer
// is theirs, and read when their body says nothing.
func TestSubjectAddition(t *testing.T) {
	for _, tt := range []struct{ subject, want string }{
		{"Re: Promemoria fattura n. 12/2026 - pagata ieri", "pagata ieri"},
		{"R: Sollecito fattura 45 — contestiamo l'importo", "contestiamo l'importo"},
		{"AW: Rechnung 12 -- schon bezahlt", "schon bezahlt"},
		{"Re: Promemoria fattura n. 12/2026", ""},  // nothing added
		{"Re: Fattura 12 - ok", ""},                // a single word says too little
		{"Fattura 12/2026 - Studio Rossi srl", ""}, // no reply: the owner's own subject
		{"RE: R: Fattura 12 | saldo il 18 dicembre", "saldo il 18 dicembre"},
	} {
		if got := subjectAddition(tt.subject); got != tt.want {
			t.Errorf("subjectAddition(%q) = %q, want %q", tt.subject, got, tt.want)
		}
	}
	own := Context{Own: []string{"amministrazione@fornitore.it"}}
	h := map[string]string{"Subject": "R: Promemoria fattura n. 189/2026 - foto mai consegnate, non paghiamo"}
	if v := rulesOnly(testMessage(t, wed, h, "Giulio Mancini\nMancini Eventi"), own); v.Kind != Dispute {
		t.Errorf("a name under a subject that contests: %s, want dispute; evidence %q", v.Kind, v.Evidence)
	}
	h = map[string]string{"Subject": "Re: Promemoria fattura n. 12/2026 - scadenza 30/11"}
	if v := rulesOnly(testMessage(t, wed, h, "Pagheremo venerdì prossimo."), own); v.Kind != Promise || v.PromisedDate.Day() == 30 {
		t.Errorf("a body that reads is read alone: %s %s, want a promise for next Friday", v.Kind, v.PromisedDate)
	}
}

// TestWrappedDate: a promise and its date cut apart by a mail program's
// hard wrap are one sentence.
func TestWrappedDate(t *testing.T) {
	v := rulesOnly(testMessage(t, "Thu, 14 Jan 2027 17:02:45 +0100", nil,
		"Buonasera,\n\nla fattura DL-2027/004 (corso aggiornamento amministratori) verrà pagata\ntra dieci giorni.\n\nCordiali saluti"), own)
	if v.Kind != Promise || v.PromisedDate.Format("2006-01-02") != "2027-01-24" {
		t.Errorf("got %s %v, want a promise for 2027-01-24; evidence %q", v.Kind, v.PromisedDate, v.Evidence)
	}
}

// TestPECEnvelope: a certified-mail transport envelope is read by the
// message it carries (postacert.eml), never by the provider's words.
func TestPECEnvelope(t *testing.T) {
	inner := "From: Ufficio <uff@ente.it>\r\nTo: bot@fornitore.it\r\nSubject: Re: Sollecito\r\nDate: Tue, 12 Jan 2027 10:35:12 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSi comunica che la fattura è stata pagata ieri con mandato n. 123.\r\n"
	raw := "From: Per conto di: uff@pec.ente.it <posta-certificata@pec.aruba.it>\r\nTo: bot@fornitore.it\r\nSubject: POSTA CERTIFICATA: Re: Sollecito\r\nDate: Tue, 12 Jan 2027 10:35:12 +0100\r\nX-Trasporto: posta-certificata\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nMessaggio di posta certificata\r\n\r\nIl messaggio originale è incluso in allegato.\r\n--b1\r\nContent-Type: message/rfc822; name=postacert.eml\r\nContent-Disposition: attachment; filename=\"postacert.eml\"\r\n\r\n" + inner + "\r\n--b1--\r\n"
	m, err := mailbox.Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if v := rulesOnly(m, own); v.Kind != PaymentProof {
		t.Errorf("envelope read as %s, want the payment its message states; evidence %q", v.Kind, v.Evidence)
	}
}
