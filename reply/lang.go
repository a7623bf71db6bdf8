package reply

// Language is told by the commonest short words of each language, counted
// over the writer's own text. Words shared by two languages ("la", "de")
// are left out, so that each hit is a vote for one language only.

var langWords = map[string]map[string]bool{
	"it": wordSet("il", "di", "che", "non", "per", "sono", "della", "del", "questo", "questa", "grazie", "buongiorno",
		"ciao", "fattura", "abbiamo", "ho", "mi", "ci", "vi", "gli", "alla", "nel", "anche", "come", "già", "ancora",
		"pagamento", "bonifico", "saluti", "cordiali", "buonasera", "salve", "scusate", "scusa", "potete", "essere",
		"sarà", "verrà", "settimana", "mese", "prossimo", "domani", "entro", "dei", "delle", "è", "ed", "lo", "ti",
		"pagata", "pagato", "appena", "quando", "sul", "dalla", "perché", "però", "tutto", "solo", "pure", "ieri",
		"possiamo", "posso", "pago", "pagherò", "pagheremo", "paghiamo", "più", "rate", "presto", "vostra", "vostro",
		"nostra", "nostro", "favore", "subito", "oggi", "ecco", "allegato", "allegata", "pagare", "saldare", "sollecito",
		"lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "ricevuto", "scusate", "scusami", "va", "bene"),
	"en": wordSet("the", "and", "to", "is", "we", "you", "of", "for", "will", "this", "it", "invoice", "thanks",
		"thank", "payment", "paid", "have", "be", "our", "your", "with", "on", "at", "please", "hi", "hello", "dear", "pay",
		"monday", "tuesday", "wednesday", "thursday", "friday", "received", "sorry", "sent", "send",
		"can", "not", "next", "week", "month", "sorry", "by", "that", "are", "was", "from", "would", "could", "my",
		"regards", "today", "tomorrow", "if", "just", "has", "been", "an"),
	"es": wordSet("el", "los", "las", "que", "y", "hemos", "factura", "gracias", "hola", "pago", "transferencia",
		"por", "con", "una", "del", "es", "semana", "próximo", "saludos", "adjunto", "sería", "posible", "mitad",
		"resto", "disculpad", "retraso", "está", "ya", "mes", "pagar", "su", "nos", "muy"),
	"fr": wordSet("le", "les", "des", "nous", "vous", "est", "pour", "facture", "merci", "bonjour", "virement",
		"pas", "avons", "une", "du", "au", "cordialement", "semaine", "fin", "rappel", "désolée", "désolé", "retard",
		"pourriez", "ainsi", "vos", "reçu", "sera", "bien", "d", "ici", "partira"),
	"pt": wordSet("o", "os", "as", "que", "não", "obrigado", "obrigada", "fatura", "pagamento", "vamos", "já", "está", "uma",
		"do", "da", "dos", "das", "para", "com", "bom", "dia", "olá", "cumprimentos", "semana", "próxima", "até", "foi",
		"transferência", "mês", "hoje", "amanhã", "pagar", "nós", "vocês", "vossa", "nossa", "segue"),
	"de": wordSet("der", "die", "das", "und", "wir", "sie", "ist", "nicht", "rechnung", "mit", "ihre", "ihr", "für",
		"zahlung", "vielen", "dank", "grüßen", "freundlichen", "sehr", "geehrte", "damen", "herren", "bitte", "uns",
		"eine", "ein", "wird", "werden", "bis", "auf", "dem", "den", "nur", "statt", "wurde", "wurden", "unserem"),
}

// detectLang returns the language most of d's words belong to, or "" when
// too few words are known to tell.
func detectLang(d *doc) string {
	best, bestN, second := "", 0, 0
	for lang, set := range langWords {
		n := 0
		for _, w := range d.words {
			if set[w.w] {
				n++
			}
		}
		switch {
		case n > bestN:
			best, bestN, second = lang, n, bestN
		case n > second:
			second = n
		}
	}
	if bestN == 0 || bestN == second {
		return ""
	}
	return best
}
