package templates

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/policy"
)

// Reason says why the bot acted for a timeline entry in lang: the rule of
// the schedule in the owner's words when the entry has it as data (Why),
// else the ledger's reason as it was logged. Every view of a timeline (the
// case file, `sollecito history`, the web page) says it this way.
func Reason(lang string, e Entry) string {
	if e.Why == nil {
		return e.Reason
	}
	return lookup(lang).rule(*e.Why)
}

// rule says w in the locale's language; English is policy's own words.
func (l locale) rule(w policy.Why) string {
	if l.lang != "it" {
		return w.English()
	}
	switch w.Code {
	case policy.WhyCourtesy:
		return fmt.Sprintf("avviso di cortesia: %s prima della scadenza %s", giorni(w.Days), itDate("del", w.From))
	case policy.WhyStage:
		var since string
		switch w.Since {
		case policy.SinceDue:
			since = "la scadenza " + itDate("del", w.From)
		case policy.SinceResent:
			since = "il nuovo invio della fattura " + itDate("del", w.From)
		case policy.SinceLast:
			since = "l'ultimo sollecito " + itDate("del", w.From)
		case policy.SinceRestart:
			since = "la ripresa dei solleciti " + itDate("del", w.From) + " (quel giorno non è partito alcun sollecito)"
		default:
			since = "l'ultimo sollecito o la ripresa dei solleciti " + itDate("del", w.From)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "fase %d: %s dopo %s", w.Stage, giorni(w.Days), since)
		if w.Tolerance > 0 {
			fmt.Fprintf(&b, " + %s di tolleranza", giorni(w.Tolerance))
		}
		switch {
		case w.Stage >= 4:
			b.WriteString("; la pratica passa a Lei e non scrivo più al cliente")
		case w.Call:
			b.WriteString("; Le chiedo di telefonare al cliente")
		}
		if w.CitePromise {
			b.WriteString("; il sollecito ricorda la promessa non mantenuta")
		}
		return b.String()
	case policy.WhyPauseEnded:
		return fmt.Sprintf("pausa finita %s: i solleciti riprendono", itDate("il", w.From))
	case policy.WhyPromiseBroken:
		return fmt.Sprintf("promessa non mantenuta: il pagamento promesso per %s non è arrivato entro %s",
			itDate("il", w.From), lavorativi(w.Grace))
	case policy.WhyBrokenAgain:
		return fmt.Sprintf("promessa di nuovo non mantenuta: il pagamento promesso per %s non è arrivato (promesse non mantenute: %d); la pratica passa a Lei",
			itDate("il", w.From), w.Broken)
	case policy.WhyNoticeLapsed:
		return fmt.Sprintf("diffida %s: i %d giorni per pagare sono finiti %s e il pagamento non è arrivato entro %s; decide Lei come procedere",
			itDate("del", w.From), w.Days, itDate("il", w.Until), lavorativi(w.Grace))
	case policy.WhySettleLapsed:
		return fmt.Sprintf("proposta di stralcio scaduta: %s da pagare entro %s non sono arrivati entro %s; la pratica torna a Lei",
			l.sum(w.Amount, w.Currency), itDate("il", w.From), lavorativi(w.Grace))
	case policy.WhyClosedReply:
		if w.Forward {
			return "la fattura è chiusa: il messaggio è inoltrato a Lei"
		}
		return "la fattura è chiusa: nulla da fare"
	case policy.WhyPaidReply:
		if w.Settle {
			return fmt.Sprintf("il cliente dice di aver pagato lo stralcio di %s: Le chiedo di confermare che il denaro è arrivato", l.sum(w.Amount, w.Currency))
		}
		return "il cliente dice di aver pagato: solleciti fermi; Le chiedo di confermare che il denaro è arrivato"
	case policy.WhyPromiseHeld:
		return "il cliente promette di pagare, ma la pratica è in mano a Lei: messaggio inoltrato"
	case policy.WhyPromiseNoDate:
		return fmt.Sprintf("il cliente promette di pagare senza una data: pausa di %s, fino %s", giorni(w.Days), itDate("al", w.Until))
	case policy.WhyPromiseFar:
		return fmt.Sprintf("il cliente promette di pagare %s, fra più di %s: è una dilazione, decide Lei", itDate("il", w.From), giorni(w.Days))
	case policy.WhyPromiseReply:
		return fmt.Sprintf("il cliente promette di pagare entro %s: pausa fino %s (%s)",
			itDate("il", w.From), itDate("al", w.Until), lavorativi(w.Grace))
	case policy.WhyDisputeReply:
		if w.Settle {
			return "il cliente rifiuta o contesta la proposta di stralcio: la proposta decade; inoltrato subito a Lei"
		}
		return "il cliente contesta la fattura: nessun sollecito; inoltrato subito a Lei"
	case policy.WhyNotReceivedHeld:
		return "il cliente dice di non aver ricevuto la fattura, ma la pratica è in mano a Lei: messaggio inoltrato"
	case policy.WhyResend:
		return fmt.Sprintf("il cliente dice di non aver ricevuto la fattura o i dati per pagare: rinviata; i solleciti ricontano %s", itDate("dal", w.From))
	case policy.WhyInstallment:
		if w.Forward {
			return "il cliente chiede una dilazione o un pagamento a rate: inoltrato a Lei"
		}
		return "il cliente chiede una dilazione o un pagamento a rate: non tratto io, la pratica passa a Lei"
	case policy.WhyRedirectReply:
		if w.Address == "" {
			return "il cliente indica un altro referente senza indirizzo: inoltrato a Lei"
		}
		return fmt.Sprintf("il cliente indica un altro referente: il prossimo messaggio va a %s; La avviso", w.Address)
	case policy.WhyAutoReply:
		return "risposta automatica: ignorata"
	case policy.WhyBounceReply:
		s := "mancato recapito all'indirizzo del cliente: La avviso"
		if w.Address != "" {
			s = fmt.Sprintf("mancato recapito a %s: La avviso", w.Address)
		}
		if w.Waits {
			s += "; i solleciti aspettano da Lei un indirizzo che funzioni"
		}
		return s
	case policy.WhyOtherReply:
		return "il cliente ha scritto qualcosa su cui non agisco: inoltrato a Lei"
	case policy.WhyUnsureReply:
		return fmt.Sprintf("non sono sicuro della lettura (forse: %s, al %d%%): inoltrato a Lei, che decide; i solleciti aspettano",
			l.kind(w.Kind), w.Percent)
	case policy.WhyPaidCmd:
		if w.Settle {
			return fmt.Sprintf("pratica chiusa come pagata con lo stralcio di %s (%s a perdita)", l.sum(w.Amount, w.Currency), l.sum(w.Rest, w.Currency))
		}
		return "pratica chiusa come pagata"
	case policy.WhyPartlyPaid:
		var s string
		switch w.Part {
		case policy.PartFull:
			s = fmt.Sprintf("ricevuti %s; con %s ricevuti prima, la fattura è pagata per intero e chiusa", l.sum(w.Amount, w.Currency), l.sum(w.Rest, w.Currency))
		case policy.PartSettled:
			s = fmt.Sprintf("ricevuti %s, lo stralcio chiesto; pratica chiusa (%s a perdita)", l.sum(w.Amount, w.Currency), l.sum(w.Rest, w.Currency))
		case policy.PartSettleLeft:
			s = fmt.Sprintf("ricevuti %s; restano da pagare %s dello stralcio", l.sum(w.Amount, w.Currency), l.sum(w.Rest, w.Currency))
		default:
			s = fmt.Sprintf("ricevuti %s; restano da incassare %s", l.sum(w.Amount, w.Currency), l.sum(w.Rest, w.Currency))
		}
		if w.Days > 0 {
			s += "; il cliente aveva detto di aver pagato, quindi i solleciti riprendono per il resto: " + fromToday(w)
		}
		return s
	case policy.WhySettleCmd:
		return fmt.Sprintf("proposta di stralcio: %s invece di %s, da pagare entro %s; la proposta va al cliente",
			l.sum(w.Amount, w.Currency), l.sum(w.Rest, w.Currency), itDate("il", w.From))
	case policy.WhyWriteOff:
		return fmt.Sprintf("stralciata: %s a perdita, pratica chiusa", l.sum(w.Rest, w.Currency))
	case policy.WhyPauseCmd:
		return fmt.Sprintf("in pausa fino %s", itDate("al", w.Until))
	case policy.WhyStopCmd:
		return "stop: al cliente non scrivo più"
	case policy.WhyNoteCmd:
		return "nota: " + w.Text
	case policy.WhyContactCmd:
		return "nuovo contatto del cliente: " + w.Address + l.completion(w)
	case policy.WhySetCmd:
		var s string
		switch w.Kind {
		case "number":
			s = "numero della fattura: " + w.Text
		case "issue_date":
			s = "data della fattura: " + Date("it", w.From)
		case "due_date":
			s = "scadenza: " + Date("it", w.From)
		case "amount":
			s = "importo: " + l.sum(w.Amount, w.Currency)
		case "client_name":
			s = "nome del cliente: " + w.Text
		case "client_vat":
			s = "partita IVA o codice fiscale del cliente: " + w.Text
		default:
			return w.English()
		}
		return s + l.completion(w)
	case policy.WhyNoticeCmd:
		s := "diffida inviata al cliente"
		if w.Waits {
			s += "; niente più solleciti: la pratica aspetta Lei"
		}
		if w.Settle {
			s += "; la proposta di stralcio decade"
		}
		switch w.Kind {
		case policy.RoutePEC:
			s += fmt.Sprintf("; tramite PEC (%s) a %s", w.Text, w.Address)
		case policy.RoutePECToOrdinary:
			s += fmt.Sprintf("; tramite PEC (%s) a %s, che non è una casella PEC: solo ricevuta di accettazione", w.Text, w.Address)
		case policy.RouteMail:
			s += fmt.Sprintf("; per email ordinaria a %s (nessuna PEC configurata)", w.Address)
		}
		return s
	case policy.WhyIntake:
		var b strings.Builder
		b.WriteString("fattura")
		if w.Number != "" {
			b.WriteString(" " + w.Number)
		}
		if w.Address != "" {
			b.WriteString(" di " + w.Address)
		}
		fmt.Fprintf(&b, " registrata dalla Sua mail (%s)", w.Kind)
		if w.Amount.IsPositive() {
			b.WriteString(": importo " + l.sum(w.Amount, w.Currency))
		}
		if !w.From.IsZero() {
			b.WriteString(", scadenza " + Date("it", w.From))
		}
		if len(w.Missing) > 0 {
			fmt.Fprintf(&b, "; mancano %s: Le chiedo di completarli", l.fields(w.Missing))
		}
		return b.String()
	case policy.WhyResume:
		s := "riprendi: "
		if w.Back {
			s = "riprendi dopo la fase 4: si riparte dalla fase 3; "
		}
		return s + fromToday(w)
	case policy.WhyCapOwnerSender:
		from := w.Address
		if from == "" {
			from = "un mittente sconosciuto"
		}
		return fmt.Sprintf("%s trattenuto per il prossimo elenco: %s ha già causato oggi %s per Lei (limite giornaliero)", l.name(w.Template), from, messaggi(w.Count))
	case policy.WhyCapOwnerDay:
		return fmt.Sprintf("%s trattenuto per il prossimo elenco: oggi ha già ricevuto %s causati da posta in arrivo (policy.owner_messages_per_day)", l.name(w.Template), messaggi(w.Count))
	case policy.WhyCapQueued:
		return fmt.Sprintf("%s a %s non accodato di nuovo: uno uguale è già in attesa di partire", l.name(w.Template), w.Address)
	case policy.WhyCapMoved:
		at, _ := l.datetime(w.At)
		return fmt.Sprintf("%s a %s spostato al %s: raggiunto il limite di %s al giorno per destinatario", l.name(w.Template), w.Address, at, messaggi(w.Count))
	case policy.WhyCapDigest:
		return fmt.Sprintf("elenco di %s trattenuti dal limite giornaliero inviato a Lei", messaggi(w.Count))
	case policy.WhyLoop:
		return fmt.Sprintf("%s a %s non accodato: %s a quell'indirizzo nell'ultima ora (freno contro i cicli di risposte automatiche; si riprende passata l'ora)", l.name(w.Template), w.Address, messaggi(w.Count))
	case policy.WhySendConfirmed:
		return fmt.Sprintf("il messaggio «%s» a %s: il server l'aveva accettato (ne è arrivata la copia) benché l'invio si fosse interrotto", l.name(w.Template), w.Address)
	case policy.WhyCmdHelp:
		return "Lei ha chiesto i comandi: Le mando l'elenco"
	case policy.WhyCmdStatus:
		return "Lei ha chiesto la situazione: Le mando il riepilogo"
	case policy.WhyCmdUnknown:
		if w.Ready {
			return "nel Suo messaggio non trovo comandi che conosco: Le mando l'aiuto"
		}
		return "nel Suo messaggio non trovo comandi che conosco; l'aiuto non riparte (" + w.Text + ")"
	case policy.WhyCmdRefused:
		return "comando non applicato: " + w.Text
	case policy.WhyUndo:
		at, _ := l.datetime(w.At)
		if policy.EventKind(w.Kind) == policy.EventPaymentBank {
			return fmt.Sprintf("annullato il pagamento letto nell'estratto conto del %s: la fattura torna allo stato di prima (%s)", at, l.stateWord(w.State))
		}
		return fmt.Sprintf("annullato il comando «%s» del %s: la fattura torna allo stato di prima (%s)", l.kind(w.Kind), at, l.stateWord(w.State))
	case policy.WhyUnverified:
		var s string
		switch w.Kind {
		case "owner":
			s = fmt.Sprintf("messaggio dal Suo indirizzo %s non verificato (%s)", w.Address, w.Text)
		case "redirect":
			s = fmt.Sprintf("%s indica %s come nuovo contatto del cliente, ma non è un contatto della fattura %s né del suo dominio: il contatto resta quello", orElse(w.Address, "un mittente sconosciuto"), w.Text, w.Number)
		default:
			s = fmt.Sprintf("messaggio di %s letto come %s, ma il mittente non è un contatto della fattura %s e il messaggio non risponde a uno dei miei", orElse(w.Address, "un mittente sconosciuto"), l.kind(w.Text), w.Number)
		}
		if w.Forward {
			return s + "; nessuna azione, inoltrato a Lei"
		}
		return s + "; messaggio automatico: solo registrato"
	case policy.WhyEngineFailed:
		return "errore interno (" + w.Text + "): riprovo al prossimo giro"
	case policy.WhyLoginRefused:
		return fmt.Sprintf("non riesco ad accedere a %s: %s; riprovo, e Glielo scrivo una volta al giorno", w.Address, w.Text)
	case policy.WhyClientSet:
		return fmt.Sprintf("cliente %s: %s (impostato per email: vale al posto del file di configurazione per questo cliente)", w.Address, w.Text)
	case policy.WhyBankPaid:
		s := fmt.Sprintf("pagata: accredito di %s, valuta %s, da %s nell'estratto conto", l.sum(w.Amount, w.Currency), Date("it", w.From), orElse(w.Address, "ordinante sconosciuto"))
		if w.Text != "" {
			s += fmt.Sprintf(" («%s»)", w.Text)
		}
		return s + "; niente più solleciti"
	case policy.WhySendFailed:
		return fmt.Sprintf("il server di posta ha rifiutato il messaggio «%s» a %s: %s", l.name(w.Template), w.Address, w.Text)
	}
	return w.English()
}

// messaggi says a count of messages in Italian.
func messaggi(n int) string {
	if n == 1 {
		return "1 messaggio"
	}
	return fmt.Sprintf("%d messaggi", n)
}

// completion says in Italian what a command did to an incomplete invoice.
func (l locale) completion(w policy.Why) string {
	switch {
	case len(w.Missing) > 0:
		return "; mancano ancora " + l.fields(w.Missing)
	case w.Ready:
		return "; la fattura è completa e i solleciti partono"
	}
	return ""
}

// fromToday says in Italian when the next reminder of a chase restarted
// today goes out (policy.Why's nextFromToday).
func fromToday(w policy.Why) string {
	if w.FirstDays > 0 {
		return fmt.Sprintf("il primo sollecito parte %s dopo la scadenza %s o %s da oggi, se più tardi",
			giorni(w.FirstDays), itDate("del", w.From), giorni(w.Days))
	}
	return fmt.Sprintf("la fase %d parte %s da oggi", w.Stage, giorni(w.Days))
}

// sum writes money as the messages do, or plainly when the currency is
// not one the locale writes (an old event without it).
func (l locale) sum(d decimal.Decimal, currency string) string {
	s, err := l.money(d, currency)
	if err != nil {
		return d.StringFixed(2)
	}
	return s
}

// itDate writes an Italian date after a preposition or article, elided where
// Italian elides it: itDate("del", t) is "del 20/11/2026" or "dell'11/12/2026".
func itDate(prep string, t time.Time) string { return Prep(prep, Date("it", t)) }

// giorni writes a number of days in Italian: "1 giorno", "10 giorni".
func giorni(n int) string {
	if n == 1 {
		return "1 giorno"
	}
	return fmt.Sprintf("%d giorni", n)
}

// lavorativi writes business days of grace in Italian.
func lavorativi(n int) string {
	if n == 1 {
		return "1 giorno lavorativo di tolleranza"
	}
	return fmt.Sprintf("%d giorni lavorativi di tolleranza", n)
}

func orElse(s, none string) string {
	if s == "" {
		return none
	}
	return s
}
