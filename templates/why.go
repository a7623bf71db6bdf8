package templates

import (
	"fmt"
	"strings"
	"time"

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
	d := func(prep string, t time.Time) string { return Prep(prep, Date("it", t)) }
	switch w.Code {
	case policy.WhyCourtesy:
		return fmt.Sprintf("avviso di cortesia: %s prima della scadenza %s", giorni(w.Days), d("del", w.From))
	case policy.WhyStage:
		var since string
		switch w.Since {
		case policy.SinceDue:
			since = "la scadenza " + d("del", w.From)
		case policy.SinceResent:
			since = "il nuovo invio della fattura " + d("del", w.From)
		case policy.SinceLast:
			since = "l'ultimo sollecito " + d("del", w.From)
		case policy.SinceRestart:
			since = "la ripresa dei solleciti " + d("del", w.From) + " (quel giorno non è partito alcun sollecito)"
		default:
			since = "l'ultimo sollecito o la ripresa dei solleciti " + d("del", w.From)
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
		return fmt.Sprintf("pausa finita %s: i solleciti riprendono", d("il", w.From))
	case policy.WhyPromiseBroken:
		return fmt.Sprintf("promessa non mantenuta: il pagamento promesso per %s non è arrivato entro %s",
			Prep("il", Date("it", w.From)), lavorativi(w.Grace))
	case policy.WhyBrokenAgain:
		return fmt.Sprintf("promessa di nuovo non mantenuta: il pagamento promesso per %s non è arrivato (promesse non mantenute: %d); la pratica passa a Lei",
			Prep("il", Date("it", w.From)), w.Broken)
	case policy.WhyNoticeLapsed:
		return fmt.Sprintf("diffida %s: i %d giorni per pagare sono finiti %s e il pagamento non è arrivato entro %s; decide Lei come procedere",
			d("del", w.From), w.Days, d("il", w.Until), lavorativi(w.Grace))
	case policy.WhySettleLapsed:
		amount, err := l.money(w.Amount, w.Currency)
		if err != nil {
			amount = w.Amount.StringFixed(2)
		}
		return fmt.Sprintf("proposta di stralcio scaduta: %s da pagare entro %s non sono arrivati entro %s; la pratica torna a Lei",
			amount, Prep("il", Date("it", w.From)), lavorativi(w.Grace))
	case policy.WhyResume:
		s := "riprendi: "
		if w.Back {
			s = "riprendi dopo la fase 4: si riparte dalla fase 3; "
		}
		if w.FirstDays > 0 {
			return s + fmt.Sprintf("il primo sollecito parte %s dopo la scadenza %s o %s da oggi, se più tardi",
				giorni(w.FirstDays), d("del", w.From), giorni(w.Days))
		}
		return s + fmt.Sprintf("la fase %d parte %s da oggi", w.Stage, giorni(w.Days))
	}
	return w.English()
}

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
