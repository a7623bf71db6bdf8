package templates

import "github.com/sollecito/sollecito/policy"

// stateNames are the owner's words for each state.
var stateNames = map[string]map[policy.State]string{
	"it": {
		policy.Incomplete:  "dati mancanti: chiesti al titolare",
		policy.Open:        "in sollecito",
		policy.Paused:      "in pausa",
		policy.ClaimedPaid: "in attesa di conferma del pagamento",
		policy.Disputed:    "contestata: decide il titolare",
		policy.WithOwner:   "in mano al titolare",
		policy.Stopped:     "fermata dal titolare",
		policy.Settling:    "proposta di stralcio al cliente",
		policy.Paid:        "pagata",
		policy.WrittenOff:  "stralciata",
	},
	"en": {
		policy.Incomplete:  "missing details: the owner was asked",
		policy.Open:        "being chased",
		policy.Paused:      "paused",
		policy.ClaimedPaid: "waiting for the owner to confirm payment",
		policy.Disputed:    "disputed: the owner decides",
		policy.WithOwner:   "with the owner",
		policy.Stopped:     "stopped by the owner",
		policy.Settling:    "settlement offered to the client",
		policy.Paid:        "paid",
		policy.WrittenOff:  "written off",
	},
}

// StateName is a state in the owner's words (lang "it", else English),
// as the status views name it: "in attesa di conferma del pagamento".
func StateName(lang string, s policy.State) string {
	names, ok := stateNames[lang]
	if !ok {
		names = stateNames["en"]
	}
	if n, ok := names[s]; ok {
		return n
	}
	return string(s)
}

// WaitingFor says what an invoice with nothing scheduled waits for, in the
// owner's words (lang "it", else English); "" for a state that waits for
// nothing.
func WaitingFor(lang string, s policy.State) string {
	it := lang == "it"
	switch s {
	case policy.Incomplete:
		if it {
			return "attende il titolare: dati mancanti"
		}
		return "waiting for the owner: missing details"
	case policy.ClaimedPaid:
		if it {
			return "attende il titolare: conferma del pagamento"
		}
		return "waiting for the owner to confirm payment"
	case policy.Disputed:
		if it {
			return "attende il titolare: contestazione"
		}
		return "waiting for the owner: dispute"
	case policy.WithOwner:
		if it {
			return "attende la decisione del titolare"
		}
		return "waiting for the owner's decision"
	case policy.Paused:
		if it {
			return "in pausa finché il titolare non riprende"
		}
		return "paused until the owner resumes"
	case policy.Stopped:
		if it {
			return "nulla: fermata dal titolare"
		}
		return "nothing: stopped by the owner"
	}
	return ""
}

// stateWord is an invoice state in a few Italian words, for a reason.
func (l locale) stateWord(st policy.State) string {
	if w, ok := stateWords[st]; ok {
		return w
	}
	return string(st)
}

var stateWords = map[policy.State]string{
	policy.Incomplete: "dati mancanti", policy.Open: "in sollecito", policy.Paused: "in pausa", policy.ClaimedPaid: "in attesa di conferma del pagamento",
	policy.Disputed: "contestata", policy.WithOwner: "in mano a Lei", policy.Stopped: "fermata", policy.Settling: "proposta di stralcio",
	policy.Paid: "pagata", policy.WrittenOff: "stralciata",
}
