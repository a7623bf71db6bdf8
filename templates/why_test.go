package templates

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/policy"
)

// TestReasonInTheOwnersLanguage checks that every rule of the schedule has
// Italian words of its own (not the log's English), with its dates and
// numbers, and that an entry without the rule as data keeps its words.
func TestReasonInTheOwnersLanguage(t *testing.T) {
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		why  policy.Why
		want string
	}{
		{policy.Why{Code: policy.WhyCourtesy, Days: 7, From: day(11, 20)}, "avviso di cortesia: 7 giorni prima della scadenza del 20/11/2026"},
		{policy.Why{Code: policy.WhyStage, Stage: 1, Days: 10, Since: policy.SinceDue, From: day(11, 20)}, "fase 1: 10 giorni dopo la scadenza del 20/11/2026"},
		{policy.Why{Code: policy.WhyStage, Stage: 2, Days: 10, Since: policy.SinceResent, From: day(11, 8), Tolerance: 1}, "fase 2: 10 giorni dopo il nuovo invio della fattura dell'08/11/2026 + 1 giorno di tolleranza"},
		{policy.Why{Code: policy.WhyStage, Stage: 3, Days: 10, Since: policy.SinceLast, From: day(11, 26), Call: true, CitePromise: true}, "fase 3: 10 giorni dopo l'ultimo sollecito del 26/11/2026; Le chiedo di telefonare al cliente; il sollecito ricorda la promessa non mantenuta"},
		{policy.Why{Code: policy.WhyStage, Stage: 4, Days: 10, Since: policy.SinceLastOrRest, From: day(12, 7)}, "fase 4: 10 giorni dopo l'ultimo sollecito o la ripresa dei solleciti del 07/12/2026; la pratica passa a Lei"},
		{policy.Why{Code: policy.WhyStage, Stage: 2, Days: 10, Since: policy.SinceRestart, From: day(12, 2)}, "la ripresa dei solleciti del 02/12/2026 (quel giorno non è partito alcun sollecito)"},
		{policy.Why{Code: policy.WhyPauseEnded, From: day(12, 1)}, "pausa finita il 01/12/2026: i solleciti riprendono"},
		{policy.Why{Code: policy.WhyPromiseBroken, From: day(12, 11), Grace: 3}, "il pagamento promesso per l'11/12/2026 non è arrivato entro 3 giorni lavorativi di tolleranza"},
		{policy.Why{Code: policy.WhyBrokenAgain, From: day(12, 4), Broken: 2}, "promesse non mantenute: 2"},
		{policy.Why{Code: policy.WhyNoticeLapsed, From: day(12, 18), Days: 15, Until: day(12, 31), Grace: 3}, "diffida del 18/12/2026: i 15 giorni per pagare sono finiti il 31/12/2026"},
		{policy.Why{Code: policy.WhySettleLapsed, Amount: decimal.RequireFromString("1490"), Currency: "EUR", From: day(12, 9), Grace: 1}, "proposta di stralcio scaduta: € 1.490,00 da pagare entro il 09/12/2026 non sono arrivati entro 1 giorno lavorativo di tolleranza"},
		{policy.Why{Code: policy.WhyResume, Stage: 1, Days: 10, FirstDays: 10, From: day(11, 14)}, "riprendi: il primo sollecito parte 10 giorni dopo la scadenza del 14/11/2026 o 10 giorni da oggi, se più tardi"},
		{policy.Why{Code: policy.WhyClosedReply, Kind: "dispute", Forward: true}, "la fattura è chiusa: il messaggio è inoltrato a Lei"},
		{policy.Why{Code: policy.WhyClosedReply, Kind: "autoreply"}, "la fattura è chiusa: nulla da fare"},
		{policy.Why{Code: policy.WhyPaidReply}, "il cliente dice di aver pagato: solleciti fermi"},
		{policy.Why{Code: policy.WhyPaidReply, Settle: true, Amount: decimal.RequireFromString("490"), Currency: "EUR"}, "lo stralcio di € 490,00"},
		{policy.Why{Code: policy.WhyPromiseHeld, State: policy.Disputed, Forward: true}, "la pratica è in mano a Lei"},
		{policy.Why{Code: policy.WhyPromiseNoDate, Days: 10, Until: day(12, 11)}, "pausa di 10 giorni, fino all'11/12/2026"},
		{policy.Why{Code: policy.WhyPromiseFar, From: day(3, 1), Days: 60}, "promette di pagare il 01/03/2026, fra più di 60 giorni: è una dilazione"},
		{policy.Why{Code: policy.WhyPromiseReply, From: day(12, 4), Until: day(12, 9), Grace: 3}, "entro il 04/12/2026: pausa fino al 09/12/2026 (3 giorni lavorativi di tolleranza)"},
		{policy.Why{Code: policy.WhyDisputeReply, Settle: true, Forward: true}, "contesta la proposta di stralcio"},
		{policy.Why{Code: policy.WhyDisputeReply, Forward: true}, "il cliente contesta la fattura"},
		{policy.Why{Code: policy.WhyNotReceivedHeld, State: policy.WithOwner, Forward: true}, "non aver ricevuto la fattura, ma la pratica è in mano a Lei"},
		{policy.Why{Code: policy.WhyResend, From: day(11, 28)}, "rinviata; i solleciti ricontano dal 28/11/2026"},
		{policy.Why{Code: policy.WhyInstallment}, "non tratto io, la pratica passa a Lei"},
		{policy.Why{Code: policy.WhyInstallment, Forward: true}, "a rate: inoltrato a Lei"},
		{policy.Why{Code: policy.WhyRedirectReply}, "un altro referente senza indirizzo"},
		{policy.Why{Code: policy.WhyRedirectReply, Address: "anna@x.example"}, "il prossimo messaggio va a anna@x.example"},
		{policy.Why{Code: policy.WhyAutoReply}, "risposta automatica: ignorata"},
		{policy.Why{Code: policy.WhyBounceReply, Waits: true}, "mancato recapito all'indirizzo del cliente: La avviso; i solleciti aspettano"},
		{policy.Why{Code: policy.WhyOtherReply, Forward: true}, "qualcosa su cui non agisco"},
		{policy.Why{Code: policy.WhyUnsureReply, Kind: "payment_proof", Percent: 45, Forward: true}, "forse: dice di aver pagato, al 45%"},
		{policy.Why{Code: policy.WhyPaidCmd}, "pratica chiusa come pagata"},
		{policy.Why{Code: policy.WhyIntake, Number: "2026/101", Address: "Rossi Srl <a@rossi.example>", Kind: "pdf", Amount: decimal.RequireFromString("1220"), Currency: "EUR", From: day(11, 20)},
			"fattura 2026/101 di Rossi Srl <a@rossi.example> registrata dalla Sua mail (pdf): importo € 1.220,00, scadenza 20/11/2026"},
		{policy.Why{Code: policy.WhyIntake, Kind: "body", Missing: []string{"due_date", "client_email"}}, "fattura registrata dalla Sua mail (body); mancano scadenza e indirizzo del cliente: Le chiedo di completarli"},
		{policy.Why{Code: policy.WhyPaidCmd, Settle: true, Amount: decimal.RequireFromString("900"), Rest: decimal.RequireFromString("320"), Currency: "EUR"}, "con lo stralcio di € 900,00 (€ 320,00 a perdita)"},
		{policy.Why{Code: policy.WhyPartlyPaid, Part: policy.PartOutstanding, Amount: decimal.RequireFromString("600"), Rest: decimal.RequireFromString("620"), Currency: "EUR", Stage: 2, Days: 10},
			"ricevuti € 600,00; restano da incassare € 620,00; il cliente aveva detto di aver pagato, quindi i solleciti riprendono per il resto: la fase 2 parte 10 giorni da oggi"},
		{policy.Why{Code: policy.WhyPartlyPaid, Part: policy.PartFull, Amount: decimal.RequireFromString("620"), Rest: decimal.RequireFromString("600"), Currency: "EUR"}, "con € 600,00 ricevuti prima, la fattura è pagata per intero"},
		{policy.Why{Code: policy.WhyPartlyPaid, Part: policy.PartSettled, Amount: decimal.RequireFromString("900"), Rest: decimal.RequireFromString("320"), Currency: "GBP"}, "ricevuti £ 900,00, lo stralcio chiesto"},
		{policy.Why{Code: policy.WhyPartlyPaid, Part: policy.PartSettleLeft, Amount: decimal.RequireFromString("400"), Rest: decimal.RequireFromString("500"), Currency: "EUR"}, "restano da pagare € 500,00 dello stralcio"},
		{policy.Why{Code: policy.WhySettleCmd, Amount: decimal.RequireFromString("900"), Rest: decimal.RequireFromString("1220"), Currency: "EUR", From: day(12, 11)}, "€ 900,00 invece di € 1.220,00, da pagare entro l'11/12/2026"},
		{policy.Why{Code: policy.WhyWriteOff, Rest: decimal.RequireFromString("1220"), Currency: "EUR"}, "stralciata: € 1.220,00 a perdita"},
		{policy.Why{Code: policy.WhyPauseCmd, Until: day(12, 11)}, "in pausa fino all'11/12/2026"},
		{policy.Why{Code: policy.WhyStopCmd}, "al cliente non scrivo più"},
		{policy.Why{Code: policy.WhySetCmd, Kind: "due_date", From: day(12, 31), Ready: true}, "scadenza: 31/12/2026; la fattura è completa e i solleciti partono"},
		{policy.Why{Code: policy.WhySetCmd, Kind: "amount", Amount: decimal.RequireFromString("1220"), Currency: "EUR", Missing: []string{"due_date"}}, "importo: € 1.220,00; mancano ancora scadenza"},
		{policy.Why{Code: policy.WhySetCmd, Kind: "client_name", Text: "Neri Costruzioni S.r.l."}, "nome del cliente: Neri Costruzioni S.r.l."},
		{policy.Why{Code: policy.WhyNoticeCmd, Waits: true, Settle: true, Kind: policy.RoutePEC, Text: "studio@pec.it", Address: "cliente@pec.it"}, "diffida inviata al cliente; niente più solleciti: la pratica aspetta Lei; la proposta di stralcio decade; tramite PEC (studio@pec.it) a cliente@pec.it"},
		{policy.Why{Code: policy.WhyNoticeCmd, Kind: policy.RoutePECToOrdinary, Text: "studio@pec.it", Address: "a@cliente.it"}, "che non è una casella PEC: solo ricevuta di accettazione"},
		{policy.Why{Code: policy.WhyNoticeCmd, Kind: policy.RouteMail, Address: "a@cliente.it"}, "per email ordinaria a a@cliente.it (nessuna PEC configurata)"},
		{policy.Why{Code: policy.WhyNoteCmd, Text: "chiamare venerdì"}, "nota: chiamare venerdì"},
		{policy.Why{Code: policy.WhyContactCmd, Address: "laura@cliente.it"}, "nuovo contatto del cliente: laura@cliente.it"},
		{policy.Why{Code: policy.WhyResume, Stage: 3, Days: 10, Back: true}, "riprendi dopo la fase 4: si riparte dalla fase 3; la fase 3 parte 10 giorni da oggi"},
		{policy.Why{Code: policy.WhyCapOwnerSender, Template: policy.ForwardUnmatched, Address: "x@spam.example", Count: 3}, "trattenuto per il prossimo elenco: x@spam.example ha già causato oggi 3 messaggi per Lei"},
		{policy.Why{Code: policy.WhyCapOwnerDay, Template: policy.ForwardOther, Count: 10}, "oggi ha già ricevuto 10 messaggi causati da posta in arrivo"},
		{policy.Why{Code: policy.WhyCapQueued, Template: policy.Stage1, Address: "a@cliente.it"}, "a a@cliente.it non accodato di nuovo: uno uguale è già in attesa di partire"},
		{policy.Why{Code: policy.WhyCapMoved, Template: policy.Stage2, Address: "a@cliente.it", At: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC), Count: 1}, "spostato al 04/12/2026 09:00: raggiunto il limite di 1 messaggio al giorno per destinatario"},
		{policy.Why{Code: policy.WhyCapDigest, Count: 12}, "elenco di 12 messaggi trattenuti dal limite giornaliero inviato a Lei"},
		{policy.Why{Code: policy.WhyLoop, Template: policy.ForwardOther, Address: "o@studio.it", Count: 10}, "non accodato: 10 messaggi a quell'indirizzo nell'ultima ora"},
		{policy.Why{Code: policy.WhySendConfirmed, Template: policy.Stage1, Address: "a@cliente.it"}, "il server l'aveva accettato (ne è arrivata la copia)"},
		{policy.Why{Code: policy.WhySendFailed, Template: policy.Stage1, Address: "a@cliente.it", Text: "550 5.1.1 user unknown"}, "il server di posta ha rifiutato il messaggio «primo sollecito» a a@cliente.it: 550 5.1.1 user unknown"},
	}
	for _, tt := range tests {
		w := tt.why
		e := Entry{Reason: w.English(), Why: &w}
		it := Reason("it", e)
		if !strings.Contains(it, tt.want) {
			t.Errorf("%s: Italian %q lacks %q", w.Code, it, tt.want)
		}
		if strings.Contains(it, "%!") || strings.Contains(it, "days") || strings.Contains(it, "stage") || strings.Contains(it, " client ") {
			t.Errorf("%s: Italian %q is badly formed or English", w.Code, it)
		}
		if got := Reason("en", e); got != w.English() {
			t.Errorf("%s: English %q, want the policy's words %q", w.Code, got, w.English())
		}
	}
	if got := Reason("it", Entry{Reason: "owner note: call Friday"}); got != "owner note: call Friday" {
		t.Errorf("an entry without a rule shows %q, want its logged words", got)
	}
}

// TestNotesInTheOwnersLanguage: the bot's own notes in an invoice's
// history (help asked, no command found, a command refused, an undo, a
// sender it may not obey, an internal error) are said in Italian too.
func TestNotesInTheOwnersLanguage(t *testing.T) {
	for _, tt := range []struct {
		why  policy.Why
		want string
	}{
		{policy.Why{Code: policy.WhyCmdHelp}, "Lei ha chiesto i comandi"},
		{policy.Why{Code: policy.WhyCmdStatus}, "Lei ha chiesto la situazione"},
		{policy.Why{Code: policy.WhyCmdUnknown, Ready: true}, "non trovo comandi che conosco: Le mando l'aiuto"},
		{policy.Why{Code: policy.WhyCmdRefused, Text: "la fattura 2026/101 è già pagata"}, "comando non applicato: la fattura 2026/101 è già pagata"},
		{policy.Why{Code: policy.WhyUndo, Kind: "paid", At: time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC), State: policy.Open}, "annullato il comando «pagata» del 01/12/2026 09:30: la fattura torna allo stato di prima (in sollecito)"},
		{policy.Why{Code: policy.WhyUnverified, Kind: "contact", Address: "x@evil.test", Text: "payment_proof", Number: "2026/101", Forward: true}, "messaggio di x@evil.test letto come dice di aver pagato, ma il mittente non è un contatto della fattura 2026/101"},
		{policy.Why{Code: policy.WhyUnverified, Kind: "redirect", Address: "x@evil.test", Text: "pay@evil.test", Number: "2026/101"}, "indica pay@evil.test come nuovo contatto"},
		{policy.Why{Code: policy.WhyEngineFailed, Text: "deciding the next step failed (boom)"}, "errore interno ("},
		{policy.Why{Code: policy.WhyClientSet, Address: "ap@cliente.it", Text: "tolleranza di 5 giorni"}, "cliente ap@cliente.it: tolleranza di 5 giorni (impostato per email"},
	} {
		w := tt.why
		if got := Reason("it", Entry{Reason: w.English(), Why: &w}); !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q lacks %q", w.Code, got, tt.want)
		}
		if got := Reason("en", Entry{Reason: w.English(), Why: &w}); got != w.English() || got == string(w.Code) {
			t.Errorf("%s in English: %q", w.Code, got)
		}
	}
}
