package engine

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/templates"
)

// refusalWords are the Italian words of each refusal policy gives
// (policy.Refusal.Format, the English words, is the key), with the same
// verbs in the same order.
var refusalWords = map[string]string{
	"%d is not a day of the month":                   "%d non è un giorno del mese",
	"%s is a client setting, not an invoice command": "«%s» riguarda il cliente, non una fattura: va scritto per il cliente",
	"%s is not a client setting":                     "«%s» non è un'impostazione del cliente",
	"a pause needs the day it ends":                  "la pausa ha bisogno del giorno in cui finisce (es. «pausa fino al 15/01»)",
	"a settlement needs the amount to offer":         "lo stralcio ha bisogno dell'importo da proporre (es. «stralcio 900»)",
	"command not understood":                         "comando non capito",
	"contact needs an address":                       "«contatto» ha bisogno di un indirizzo",
	"invoice %s is %s and cannot be resumed":         "la fattura %s è %s e non si può riprendere",
	"invoice %s is %s":                               "la fattura %s è %s",
	"invoice %s is already %s":                       "la fattura %s è già %s",
	"invoice %s is already being chased":             "la fattura %s è già in sollecito",
	"invoice %s is already paid":                     "la fattura %s è già pagata",
	"invoice %s is in %s, not %s":                    "la fattura %s è in %s, non in %s",
	"invoice %s still misses %s":                     "alla fattura %s mancano ancora: %s",
	"no VAT number given":                            "nessuna partita IVA indicata",
	"no amount given":                                "nessun importo indicato",
	"no client name given":                           "nessun nome del cliente indicato",
	"no due date given":                              "nessuna scadenza indicata",
	"no invoice number given":                        "nessun numero di fattura indicato",
	"no issue date given":                            "nessuna data della fattura indicata",
	"partly paid needs the amount received":          "«pagata in parte» ha bisogno dell'importo ricevuto (es. «pagata in parte 600»)",
	"the bot writes in it or en, not %q":             "scrivo in italiano (it) o in inglese (en), non in %q",
	"the client is not excluded":                     "il cliente non è escluso",
	"the offer's deadline %s is not after today":     "il termine della proposta, %s, non è dopo oggi",
	"the pause would end %s, which is not after now": "la pausa finirebbe il %s, che non è dopo adesso",
	"tolerance needs a number of days from 0 to 180": "la tolleranza vuole un numero di giorni da 0 a 180",
	"unknown field %q":                               "campo sconosciuto %q",
	"a settlement is for less than the %s outstanding; to ask for all of it, resume the chase": "uno stralcio è per meno dei %s ancora dovuti; per chiedere tutto, riprenda i solleciti («riprendi»)",
}

// refusal says why a command did not apply, in the owner's language
// (lang): a policy.Refusal by its words, with the invoice's state and
// missing fields in the owner's words; any other error as it is.
func refusal(lang string, err error) string {
	var r *policy.Refusal
	if !errors.As(err, &r) {
		return strings.TrimPrefix(err.Error(), policy.ErrNotApplicable.Error()+": ")
	}
	format, ok := refusalWords[r.Format]
	if lang != "it" || !ok {
		return fmt.Sprintf(r.Format, r.Args...)
	}
	args := make([]any, len(r.Args))
	for i, a := range r.Args {
		switch v := a.(type) {
		case policy.State:
			args[i] = templates.StateName("it", v)
		case policy.Fields:
			args[i] = templates.FieldNames("it", v)
		default:
			args[i] = a
		}
	}
	return fmt.Sprintf(format, args...)
}
