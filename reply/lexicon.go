package reply

// The words of each language the clerk listens for. Phrases use the
// notation of words.go: "a|b" either word, "word*" a word beginning,
// "..." up to three words in between. Every list is about how people
// write about paying, never about one message.

// cues are the word lists of one language.
type cues struct {
	// negators cancel a phrase they stand shortly before, in its clause:
	// "non abbiamo ancora pagato", "I'm not disputing".
	negators map[string]bool
	// trailing negators deny the verb they follow, at the end of its
	// clause: German puts "nicht" after the verb and its object ("wir
	// bezahlen diese Rechnung nicht").
	trailing map[string]bool
	// hedges turn a statement of fact into a condition or a future:
	// "se ha già pagato", "will be paid" are no proof of payment.
	hedges map[string]bool
	// receivers, right before a payment, make the writer the one paid:
	// "il cliente ci ha pagato", "la ditta mi ha versato l'onorario" are
	// no proof that the writer paid.
	receivers map[string]bool

	dispute *lexicon // contests the invoice or refuses to pay it
	// reissue asks for the invoice made again, or says it was refused: a
	// dispute, unless the writer says the invoice never reached them
	// (an e-invoice the exchange system discarded, sent to the wrong
	// office code), which is not_received.
	reissue     *lexicon
	proof       *lexicon // says the money has gone
	notReceived *lexicon // lacks the invoice, a readable copy, or the bank details
	installment *lexicon // asks for a plan, a delay, or to pay in parts
	promise     *lexicon // commits to pay
	undecided   *lexicon // cannot say whether or when: cancels a promise in its clause
	// needless says there is no need for what follows: "non c'è bisogno
	// di arrivare all'avvocato", "no need to send it again" say neither a
	// dispute nor a request; what follows it in its clause is not said.
	needless *lexicon
	howToPay *lexicon // asks by which means to pay: a question, not a promise
	redirect *lexicon // points to someone else
}

var languages = map[string]*cues{
	"it": {
		negators: wordSet("non", "né", "nessun", "nessuna", "nessuno"),
		hedges: wordSet("se", "qualora", "verrà", "sarà", "verranno", "saranno", "da", "deve", "devo", "dobbiamo", "dovete", "dovrà", "dovrebbe", "appena", "quando",
			"sempre"), // "abbiamo sempre pagato": a habit, not this invoice
		receivers: wordSet("ci", "mi", "ce", "me"),
		reissue: newLexicon("riemett*", "emetterne|emettere|emettete|emettetene|rifarne|rifare|rifate una nuova",
			"fattura corretta|rettificata|ricalcolata", "rifate|rifateci|rifarci|rifarmi|rifatemi la fattura",
			// a reissued invoice asked for (not one already reissued): "per
			// favore inviateci una fattura riemessa con il PO"
			"inviateci|mandateci|inviate|mandate|inviarci|mandarci|trasmetteteci|occorre|serve ... fattura riemessa|rifatta",
			// an invoice the writer says is a mistake: "c'è un errore"
			"c è|e un errore", "deve esserci un errore", "ci deve essere un errore"),
		dispute: newLexicon(
			"contestat*", "contestiamo", "contesto", "contestazion*", "non riconosciamo", "non riconosco",
			"nota|note di credito", "storn*", "doppione", "duplicat*",
			// the same work charged twice: "fatturato due volte"
			"fatturat*|addebitat*|conteggiat*|pagat* due|2 volte",
			// part of the sum kept back against a claim: "abbiamo
			// trattenuto 850 euro a compensazione dei danni"
			"trattenut*|tratteniamo|tratterremo ... a compensazione|per i danni|per il danno|rovinat*|danneggiat*|rott*|difettos*|guast*|mancant*", "a compensazione", "difett*", "non funziona|funzionano",
			"non chiude|chiudono", "non è finito|terminato|completo|completato", "non sono finiti|terminati",
			"mancano ancora", "mai stato|stata|stati|state montat*|consegnat*|eseguit*|installat*|fornit*|fatt*",
			"non corrisponde|corrispondono", "non è quello|quella che", "non procederemo|procediamo|procedo al pagamento",
			"non pago|pagherò|pagheremo|paghiamo", "non ... mettiamo|metto|metteremo in pagamento",
			// paying once the work is redone: "la salderò quando la portiera sarà rifatta"
			"salderò|salderemo|saldiamo|pagherò|pagheremo|paghiamo|saldo|pago quando|appena ... rifatt*|sistemat*|riparat*|sostituit*|corrett*|rifinit*|rimoss*|eliminat*|tolt*|rimuovete|eliminate|togliete|correggete|sistemate|rifate",
			// the same with a word between: "pagherò volentieri appena il
			// dottore avrà rifatto l'otturazione"
			"salderò|salderemo|pagherò|pagheremo ... quando|appena ... rifatt*|sistemat*|riparat*|sostituit*|corrett*",
			// a corrected invoice asked for: "correggete e rimandatela"
			"correggete|correggetela|rettificate|rettificatela e rimandat*|reinviat*|rimandatecela|rimandatemela|rifate|riemettete",
			// the same with the part refused named by a pronoun: "quella
			// parte non la paghiamo", "quelli non li verso finché…"
			"non la|lo|li|le|ne pago|paghiamo|pagherò|pagheremo|verso|versiamo|verserò|verseremo|saldo|saldiamo",
			"non la|lo|li|le riconosciamo|riconosco",
			// work or goods nobody asked for: "nessuno vi ha chiesto", "mai
			// stati autorizzati"
			"nessuno ... ha|aveva chiesto|richiesto|autorizzato|ordinato", "mai stato|stata|stati|state autorizzat*|richiest*|ordinat*|approvat*|concordat*",
			"respingiamo", "respingo", "resta|rimane|rimarrà sospes*", "sospendiamo il pagamento",
			"fino alla sostituzione|riparazione|correzione|sistemazione", "reclamo", "lamentel*",
			// held back until the work is put right: "il 10% lo teniamo a
			// garanzia finché non sistemate il quadro"
			"finché|finche|fintanto non ... sistemate|sistemerete|riparate|riparerete|risolvete|risolverete|sostituite|sostituirete|completate|completerete|rifate|rifarete|correggete|correggerete",
			"avvocato", "nostro legale", "vie legali", "se non si risolve", "non vogliamo|intendiamo pagar*",
			"rifiutiamo", "importo|prezzo|fattura|iva|cifra errat*|sbagliat*", "non dovuto|dovuta",
			// Taking part of the invoice off by oneself contests its amount:
			// "detraggo 6 pezzi", "quella la paghi tu".
			"detraggo", "detraiamo", "detrarrò", "detrarremo", "la|lo|li|le paghi|pagate tu|voi",
			// or asking the supplier to take it off: "toglieteci quei
			// giorni", "scalate i giorni di fermo".
			"toglieteci", "togliete", "scalateci", "scalate", "detraete", "detraeteci",
			"non abbiamo mai ordinato|richiesto|chiesto|concordato", "mai concordat*|ordinat*|richiest*",
			// Payment held until the supplier puts its work right: "la pago
			// quando mi sistemate il graffio", "il saldo lo pago quando
			// avete finito" (not "quando mi mandate la fattura").
			// The same, the fixing first: "appena ci sistemate il soffitto
			// saldiamo tutto", "correggetela e poi la paghiamo".
			"appena|quando|finché ... sistemate|sistemato|riparate|riparato|aggiustate|aggiustato|sostituite|sostituito|finite|finito|completate|risolvete|risolto ... saldiamo|saldo|paghiamo|pago|pagheremo|pagherò|salderemo|salderò",
			// The same, the fixing first: "correggetela e poi la paghiamo".
			"correggete*|correggerla|correggerlo|sistemate*|rifate*|riemettete*|sostituite* ... poi|dopo ... pago|paghiamo|pagheremo|pagherò|saldiamo|salderemo|salderò",
			"pago|pagherò|pagheremo|paghiamo|salderò|salderemo|saldiamo ... quando|appena|che ... sistemate|sistemi|sistemato|aggiustate|aggiusti|aggiustato|riparate|ripari|riparato|finite|finisci|finito|finita|completate|completato|sostituite|sostituito|porti|portate|risolvete|risolto"),
		proof: newLexicon(
			"ho|abbiamo|ha|hanno ... pagat*|saldat*|versat*|bonificat*",
			"pagata|pagato|saldata|saldato|partito ieri|oggi|stamattina|stamani|stanotte|stasera",
			"è|e stato|stata pagat*|saldat*|versat*|eseguit*|effettuat*|accreditat*",
			// "è stato disposto il bonifico", not "è stata disposta la
			// liquidazione" (a public body's authorisation to pay, later)
			"è|e stato|stata dispost* il|l|un|lo bonifico|pagamento|versamento|accredito|mandato|saldo",
			"bonifico|pagamento|versamento|mandato|saldo ... è|e stato|stata dispost*",
			"bonifico|pagamento|versamento è|e partito|stato|stata",
			"bonifico|pagamento|versamento partito|fatto|effettuato|eseguito|disposto|inviato",
			"ho|abbiamo fatto|effettuato|disposto|eseguito|inviato|ordinato ... bonifico|pagamento|versamento",
			// "ho provveduto in data odierna al pagamento": seen to it
			"ho|abbiamo|ha|hanno provveduto ... al|a pagamento|saldo|bonifico|versamento|pagare|saldare",
			// settled by offsetting an invoice of the client's: "chiusa in
			// compensazione con la nostra fattura n. 212"
			"chiusa|chiuso|saldata|saldato|regolata|regolato|estinta|estinto in|per compensazione",
			"contabile|ricevuta|quietanza|attestazione allegat*",
			"allego|alleghiamo|allegata|allegato|allegati|allegate|ecco ... contabile|ricevuta|quietanza|attestazione",
			"già pagat*|saldat*", "cro|trn", "risulta|risultano pagat*|saldat*|liquidat*",
			"sono stati|state pagat*|saldat*|versat*", "tutto saldato|pagato", "pagato|pagata|saldato|saldata adesso|ora|poco",
			"fatto|dato|lasciato un assegno",
			// Money handed over: "l'assegno gliel'ho lasciato alla ragazza".
			"assegno|assegni|contanti|soldi ... lasciato|lasciati|lasciata|consegnato|consegnati|dato|dati",
			"lasciato|consegnato|dato ... assegno|contanti|soldi"),
		notReceived: newLexicon(
			"non ... ricevut*", "mai ricevut*", "non ... arrivat*", "non la|le|lo ... trovo|troviamo|ritrovo",
			"non trovo|troviamo la fattura", "non ho|abbiamo più la fattura|l iban",
			"rimandarcela|rimandarmela|rimandarla|rimandatela|rimandatemela|rimandarmi|rimandarci|rimandi|rimandate|rimandatemi",
			"rimandare|rimandarmi|rimandarci la|una fattura|copia", "reinvi*", "inviare|mandare|spedire di nuovo|nuovamente",
			"copia della fattura", "copia di cortesia", "una copia", "non si apre|aprono", "danneggiat*|corrott*",
			"andata|andate persa|perse", "smarrit*", "non ricordo ... iban|coordinate",
			"mandare|mandarmi|mandarci|mandate|mandatemi|mandi|inviare|inviarmi|inviarci|inviate|inviatemi|comunicare|comunicarmi|comunicarci|comunicatemi|darmi|darci|fornire|fornirmi|indicarmi ... iban|coordinate",
			"non ho|abbiamo ... iban|coordinate", "manca|mancano ... iban|coordinate", "senza ... iban|coordinate",
			// the e-invoice the exchange (SdI) never delivered: "allo SDI non
			// risulta", "non compare nel cassetto fiscale"
			"sdi non risulta|risultano|compare|compaiono", "cassetto fiscale non risulta|risultano|compare|compaiono",
			"non risulta|risultano|compare|compaiono ... sdi", "non risulta|risultano|compare|compaiono ... cassetto fiscale"),
		installment: newLexicon(
			"in due|tre|quattro|cinque|sei|più|alcune|comode rate|tranche|bonifici|parti|soluzioni|volte|pagamenti",
			"a rate", "rate mensili", "rateizz*", "rateal*", "dilazion*", "proroga", "prorogare", "posticip*",
			"rimandare|rimandiamo|rimando|spostare|spostiamo il pagamento|la scadenza",
			"dividere|dividerla|dividerlo|dividiamo|suddivider*", "metà ora|subito|adesso|il|entro|oggi|ad|a",
			"il resto entro|a|il|tra|fra|alla|con|dopo|nel|ad|il", "la parte|quota restante|rimanente",
			"al mese", "ogni mese", "piano di rientro|pagamento|pagamenti", "pagamento|pagamenti parzial*", "un|in|primo|come acconto"),
		promise: newLexicon(
			"pago|pagherò|pagheremo|pagherà|pagheranno|paghiamo",
			"la|te|ti|lo|vi|ve saldo", "saldiamo|salderò|salderemo|salderà|salderanno",
			"riesco|riusciamo|riuscirò|riusciremo a pagar*|saldar*", "posso|possiamo|potrò|potremo pagar*|saldar*",
			"provvedo|provvederò|provvederemo|provvediamo|provvederà",
			"faccio|facciamo|farò|faremo|farà|disporrò|disporremo|disponiamo|dispongo ... bonifico|pagamento|versamento",
			"verrà|sarà|verranno|saranno pagat*|saldat*|effettuat*|dispost*|eseguit*|inviat*|liquidat*|bonificat*|evas*|onorat*",
			"partirà|partiranno", "in pagamento", "va|andrà|rientra|entra nel giro",
			"conto|contiamo di pagar*|saldar*", "cercherò|cercheremo di pagar*|saldar*",
			// a public office's payment order booked: "la liquidazione avverrà
			// entro…", "è nel mandato che firmiamo giovedì"
			"liquidazione|pagamento|bonifico|mandato avverrà|avverranno", "nel mandato", "nel prossimo mandato",
			// "il mandato di pagamento sarà emesso entro 30 giorni"
			"mandato ... sarà|verrà emess*|firmat*|trasmess*"),
		needless: newLexicon("non c è|e bisogno", "non ci sarà|sara bisogno", "non serve|servirà|occorre", "non è|e necessario", "inutile"),
		undecided: newLexicon("non ... grado di dir*", "non so|sappiamo quando|se", "non ... dir* quando|se",
			"non posso|possiamo garantir*", "non so|sappiamo dir*"),
		howToPay: newLexicon("con|tramite|via|usando paypal|carta|bancomat|satispay|assegno|contanti|contrassegno",
			"altra banca", "altro conto|iban", "carta di credito"),
		redirect: newLexicon("scriv*", "rivolg*", "contatt*", "indirizz*", "inoltr*", "girare|girate|gira|girarlo|girarla|giralo",
			"occupa|occupano|occuperà", "segue|seguirà|gestisce|gestiscono|gestirà", "referente", "persona giusta",
			"non lavoro più", "usa|usate|utilizzate|utilizzare|usare", "invia*", "mandate|mandare|manda", "direttamente",
			"esclusivamente", "responsabil*", "competente"),
	},
	"en": {
		negators: wordSet("not", "never", "no", "nor", "neither", "nobody", "noone"),
		hedges:   wordSet("if", "will", "be", "to", "once", "when", "should", "would", "must", "unless", "until", "whether", "always"),
		reissue:  newLexicon("corrected invoice", "reissue|re-issue the|a|this|our invoice", "rejected", "reject"),
		dispute: newLexicon(
			"disput*", "contest*", "refus*", "not paying", "will not pay", "not going to pay", "not pay the full",
			// holding the payment back until something is put right
			"not settling", "won't settle", "will not settle", "won't until", "will not until", "not until this|it is|has been",
			"withhold*", "credit note",
			"does|do|did not match", "never agreed|requested|ordered|approved|asked", "nobody asked", "not usable",
			"not what we ordered|agreed|asked", "broken", "does|do not work", "not working", "defective", "faulty",
			"overcharg*", "double charg*", "charged twice", "duplicate invoice", "already paid for", "fix it",
			"credit memo", "not be processing this|it", "cancel this invoice|one",
			"pay|settle ... when|once|after ... you|it|this|they ... fixed|repaired|finished|replaced|completed|sorted|corrected",
			// The same when the item is changed or the supplier's people come
			// back to do the work: "I'll pay once it's been let out", "once
			// your technician comes back and checks".
			"pay|settle ... when|once|after|until it|they ... been altered|adjusted|let|taken|redone|checked|fixed|repaired|replaced",
			"pay|settle ... when|once|after|until your technician|technicians|engineer|engineers|team|staff|fitter|fitters|installer|installers|crew|workers|people ... come|comes|check|checks|fix|fixes|finish|finishes|redo|redoes|return|returns|do|does",
			"not in a position to pay", "unacceptable", "not satisfied", "complaint", "lawyer", "solicitor",
			"legal action", "only received", "still missing", "remaining deliverables", "discount", "wrong amount|rate|price",
			"we|i will|are|have|shall deduct|deducting|deducted|short-pay|short-paid"),
		proof: newLexicon(
			"was|were|been|got paid|settled|transferred|wired|remitted",
			"payment|transfer|wire|check|cheque|ach|bacs|funds ... was|were|been|went made|sent|initiated|processed|released|mailed|completed|executed|out|through|ordered|placed|booked",
			"went out", "transferred|wired|remitted", "was|were|been released today|yesterday|this",
			"i|we|have|has|already ... paid", "paid today|yesterday|this|last|earlier|already",
			"initiated the|a|an|our ach|transfer|payment|wire",
			"remittance advice", "remittance|confirmation|receipt|proof attached", "attached ... remittance|confirmation|receipt|proof",
			"proof of payment", "trn|imad|utr", "all|fully settled", "settled on|in full",
			"left|handed|gave ... cheque|check|cash", "cheque|check|cash ... left|handed|given"),
		notReceived: newLexicon(
			"not received|receive|got|get|seen|see", "never received|got|seen|saw|arrived|came", "never ... seen|received",
			"no record of", "not find|locate the|your|it|this|any", "not have ... invoice|copy",
			"resend", "re-send", "send ... again", "send|email|mail|forward ... copy", "copy of the|this|your|that invoice",
			"no invoice ... registered|recorded|logged", "no such invoice",
			"went to ... spam", "in my|our spam", "lost the invoice",
			"send|provide|need|share ... bank|banking|account|payment|wire|remittance details|information|info|form|letter|confirmation",
			"not have ... bank|banking|account|payment|wire details|information|info",
			"missing ... bank|banking|account|payment details"),
		installment: newLexicon(
			"payment plan", "instalment*|installment*", "split", "in two|three|four|five|six|2|3|4|5|6|several payments|parts|instalments|installments|chunks",
			"monthly payments", "payments every|each|per|of", "extension", "extend the|our deadline|due|date|terms", "postpone",
			"defer*", "more time", "the balance|rest|remainder next|later|at|by|in|on|over|after|end|when", "half now",
			"part now", "now and the rest|remainder|balance", "do payments", "pay in parts|part|installments|instalments", "partial payment*",
			"push back|out the|payment"),
		promise: newLexicon(
			"will pay|settle|transfer|remit|wire|mail|release|clear", "will send ... payment|ach|wire|transfer|check|cheque|money|funds|bacs",
			"will be paid|made|transferred|sent|settled|processed|released|mailed|wired|remitted|issued|scheduled|cleared",
			"will go out", "will be with you", "will be in the|our|next batch|run|payment|check", "will see it|the|payment",
			"will get ... paid", "get it|this|that paid", "going to pay", "scheduled the|a|your|this payment|transfer",
			"payment is|has been scheduled", "have scheduled", "if we|i pay|paid", "plan|intend|aim|expect to pay",
			"can|could pay on|by|next|this|it|tomorrow", "will process",
			// an accounts-payable run booked: "the wire is scheduled for Feb 5th",
			// "scheduled for our first payment run on 14 January"
			"is|was scheduled for", "has been scheduled for", "make sure it goes|gets paid", "it goes out|next",
			// "will therefore be paid in the normal cycle", "will be picked up in
			// the next payment run", "you'll have it by EOM"
			"will ... be paid|settled|processed|picked|included", "you will have|receive|get it|the|payment|funds|your"),
		needless:  newLexicon("no need", "there is|s no need", "not necessary", "needless"),
		undecided: newLexicon("not say|tell|know ... when|whether|if", "no idea when|whether|if", "not promise|guarantee"),
		howToPay: newLexicon("by|with|via|using card|paypal|credit|cheque|check|cash|venmo|zelle", "another|different bank|account",
			"credit card"),
		redirect: newLexicon("send*", "forward*", "direct*", "email*", "e-mail*", "write", "contact*", "reach", "try", "loop*",
			"handle*", "in charge", "take* over", "taking over", "take it from here", "wrong person", "right person",
			"responsible", "address", "going forward", "please use", "should go to", "deals with", "looks after"),
	},
	"es": {
		negators: wordSet("no", "nunca", "ni"),
		hedges:   wordSet("si", "cuando", "será", "se"),
		dispute:  newLexicon("reclam*", "no estamos de acuerdo", "no pagaremos", "nota de crédito|abono", "defectu*", "incorrect*"),
		reissue:  newLexicon("rechaz*"),
		proof: newLexicon("hemos|he realizado|hecho|efectuado|enviado ... transferencia|pago", "hemos|he pagado|abonado|transferido",
			"adjunto ... justificante|comprobante|recibo", "ya está pagad*"),
		notReceived: newLexicon("no ... recibido", "reenviar*", "enviar de nuevo", "datos bancarios", "copia de la factura"),
		installment: newLexicon("plazos", "la mitad", "el resto", "aplazar", "aplazamiento", "fraccionar", "cuotas", "prórroga"),
		promise: newLexicon("se hará|realizará|pagará|abonará|enviará", "haremos|pagaremos|pagaré|realizaremos|transferiremos|abonaremos",
			"está programad*"),
		needless: newLexicon("no hace falta", "no es necesario"),
		redirect: newLexicon("escrib*", "contact*", "dirección", "envíe|envíen|enviar"),
	},
	"fr": {
		negators: wordSet("pas", "jamais", "ne", "n"),
		hedges:   wordSet("si", "quand", "sera"),
		dispute:  newLexicon("contest*", "litige", "avoir", "défectu*", "erron*", "refus*"),
		proof: newLexicon("avons|ai payé|réglé|viré|effectué", "virement a été effectué|envoyé|fait",
			"ci-joint|joint ... justificatif|preuve|avis"),
		notReceived: newLexicon("pas reçu", "jamais reçu", "renvoy*", "coordonnées bancaires", "copie de la facture"),
		installment: newLexicon("échelonn*", "plusieurs fois", "reporter", "délai", "la moitié"),
		promise: newLexicon("partira", "paierons|payerons|réglerons|paierai|réglerai|virerons|effectuerons|enverrons",
			"je paie|paye|règle|vire", "nous payons|réglons|virons",
			"sera effectué|réglé|payé|viré|envoyé"),
		needless: newLexicon("pas besoin", "pas nécessaire", "inutile"),
		redirect: newLexicon("écrire|écrivez", "contact*", "adresse"),
	},
	"pt": {
		negators: wordSet("não", "nao", "nunca", "nem"),
		hedges:   wordSet("se", "quando", "será", "assim"),
		dispute: newLexicon("não concordamos", "contest*", "reclam*", "não vamos pagar", "não pagaremos", "nota de crédito",
			"duplicação", "duplicad*", "anulem|anular|cancelem esta fatura",
			"defeito*", "incorret*", "errad*", "recus*"),
		proof: newLexicon("já ... pag*", "pagamos|paguei|transferimos|transferi", "foi pag*|transferid*", "comprovativo|comprovante",
			"segue ... comprovativo|comprovante"),
		notReceived: newLexicon("não recebemos|recebi", "nunca recebemos", "reenviar", "enviar novamente|de novo", "dados bancários",
			"cópia da fatura"),
		installment: newLexicon("parcel*", "prestações", "prorroga*", "adiar", "metade", "o resto", "em duas vezes"),
		promise: newLexicon("vamos pagar|transferir|fazer", "pagaremos|pagarei|faremos|efetuaremos|transferiremos", "será pago|transferido|efetuado",
			"vou pagar|transferir"),
		needless: newLexicon("não é preciso|necessário", "não precisa|precisam"),
		redirect: newLexicon("escrev*", "contat*", "endereço", "envie|enviem|enviar"),
	},
	"de": {
		negators: wordSet("nicht", "kein", "keine", "keinen", "nie"),
		trailing: wordSet("nicht", "nie", "keinesfalls"),
		hedges:   wordSet("wenn", "falls", "wird", "werden", "sobald"),
		dispute: newLexicon("widersprech*", "widerspruch", "korrigiert*", "keine zahlung", "gutschrift", "mangel*", "mängel*",
			"reklamation", "beanstand*", "nicht dem angebot", "zweimal|doppelt berechnet|in rechnung gestellt",
			// A refusal: "diese Rechnung bezahlen wir nicht", "solange das nicht
			// geklärt ist" (payment held until the matter is settled).
			"bezahlen|zahlen|begleichen|überweisen wir ... nicht", "wir bezahlen|zahlen|begleichen|überweisen ... nicht", "solange ... nicht ... geklärt|behoben|erledigt|korrigiert|repariert"),
		proof: newLexicon("haben|habe ... überwiesen|bezahlt|beglichen|angewiesen|veranlasst",
			"wurde|wurden ... bezahlt|überwiesen|beglichen|angewiesen|veranlasst|ausgeführt",
			"zahlungsbestätigung", "überweisungsbeleg"),
		notReceived: newLexicon("nicht erhalten", "nicht bekommen", "erneut ... senden|zusenden", "nochmals ... senden|zusenden", "bankverbindung"),
		installment: newLexicon("raten*", "ratenzahlung", "stundung", "aufschub", "teilzahlung*"),
		promise: newLexicon("wird|werden ... überwiesen|bezahlt|beglichen|angewiesen|ausgeglichen", "zur zahlung freigegeben",
			"überweisen|bezahlen|begleichen|zahlen wir", "wir ... zahlen|überweisen|bezahlen|begleichen", "zahlungslauf"),
		needless: newLexicon("nicht nötig|notwendig|erforderlich", "kein grund"),
		redirect: newLexicon("schreiben", "wenden", "kontakt*", "adresse"),
	},
}

// billingWords mark the sentence that names the address for invoices when
// a notice names several ("for bookings: …, for invoices: …").
var billingWords = newLexicon("fattur*", "amministra*", "pagament*", "contabil*", "tesoreria", "invoice*", "payment*",
	"accounts", "billing", "payable*", "finance", "factur*", "paiement*", "rechnung*", "buchhaltung")

// payWords are the words people use for paying and for the money they
// send, in the languages the bot reads: a sentence with one speaks of
// paying.
var payWords = newLexicon("pag*", "salda*", "bonific*", "versa*", "accredit*", "rimess*", "pay*", "paid*", "transfer*", "wire*",
	"settl*", "remit*", "zahl*", "überweis*", "ueberweis*", "begleich*", "pago*", "abon*", "paie*", "pai*", "régl*", "regl*",
	"virement*", "vire*")

// receiptNames are words in the names of attachments that prove a payment.
var receiptNames = []string{"contabile", "ricevuta", "bonifico", "quietanza", "receipt", "remittance", "confirmation",
	"payment", "pagamento", "justificante", "comprobante", "transferencia", "virement", "justificatif", "überweisung",
	"zahlungsbestätigung", "beleg"}
