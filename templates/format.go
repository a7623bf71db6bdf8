package templates

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/reply"
)

// locale formats amounts, dates and names for one language.
type locale struct {
	lang    string // "it" or "en"
	decimal string // decimal separator
	group   string // thousands separator
	and     string // the last separator of a list
}

var locales = map[string]locale{
	"it": {lang: "it", decimal: ",", group: ".", and: " e "},
	"en": {lang: "en", decimal: ".", group: ",", and: " and "},
}

// Money formats an amount in a currency (an ISO 4217 code, "" meaning EUR)
// the way the language writes it: Italian "€ 1.220,00", "£ 950,00",
// "USD 1.000,00"; English "€1,220.00", "£950.00", "$1,000.00",
// "CHF 1,000.00". Amounts are rounded to cents, half away from zero.
// Negative amounts are an error: the bot never asks for one.
func (l locale) money(amount decimal.Decimal, currency string) (string, error) {
	if amount.IsNegative() {
		return "", fmt.Errorf("money: negative amount %s", amount.String())
	}
	cur := strings.ToUpper(strings.TrimSpace(currency))
	if cur == "" {
		cur = "EUR"
	}
	n := l.number(amount, 2)
	if l.lang == "en" {
		switch cur {
		case "EUR":
			return "€" + n, nil
		case "GBP":
			return "£" + n, nil
		case "USD":
			return "$" + n, nil
		}
		return cur + " " + n, nil
	}
	switch cur {
	case "EUR":
		return "€ " + n, nil
	case "GBP":
		return "£ " + n, nil
	}
	return cur + " " + n, nil
}

// number formats a non-negative decimal with places decimals, grouped by
// thousands.
func (l locale) number(d decimal.Decimal, places int32) string {
	s := d.StringFixed(places)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(l.group)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(l.decimal)
		b.WriteString(frac)
	}
	return b.String()
}

// percent formats a rate given in percent: Italian "12,15%", English "12.15%".
func (l locale) percent(rate decimal.Decimal) string {
	return l.number(rate, 2) + "%"
}

var errNoDate = errors.New("no date (zero time): guard optional dates with {{if not .X.IsZero}}")

// date formats a date unambiguously: Italian "31/12/2026", English
// "31 December 2026". The time is shown in its own zone. A zero time is an
// error, so that a message never shows a missing date.
func (l locale) date(t time.Time) (string, error) {
	if t.IsZero() {
		return "", fmt.Errorf("date: %w", errNoDate)
	}
	if l.lang == "en" {
		return t.Format("2 January 2006"), nil
	}
	return t.Format("02/01/2006"), nil
}

// shortdate formats a date without its year, for dates of the last months:
// Italian "10/12", English "10 December".
func (l locale) shortdate(t time.Time) (string, error) {
	if t.IsZero() {
		return "", fmt.Errorf("shortdate: %w", errNoDate)
	}
	if l.lang == "en" {
		return t.Format("2 January"), nil
	}
	return t.Format("02/01"), nil
}

// shortdates formats dates as a list: Italian "10/12, 20/12 e 30/12".
func (l locale) shortdates(ts []time.Time) (string, error) {
	var s []string
	for _, t := range ts {
		d, err := l.shortdate(t)
		if err != nil {
			return "", err
		}
		s = append(s, d)
	}
	return l.list(s), nil
}

// dates formats full dates as a list: Italian "10/12/2026 e 20/12/2026".
func (l locale) dates(ts []time.Time) (string, error) {
	var s []string
	for _, t := range ts {
		d, err := l.date(t)
		if err != nil {
			return "", err
		}
		s = append(s, d)
	}
	return l.list(s), nil
}

// list joins words the way the language writes a list: "a, b e c".
func (l locale) list(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + l.and + s[len(s)-1]
}

// elided are the Italian prepositions and articles that drop their vowel
// before a word starting with a vowel sound, and what they become.
var elided = map[string]string{
	"il": "l'", "lo": "l'", "la": "l'",
	"al": "all'", "allo": "all'", "alla": "all'",
	"dal": "dall'", "dallo": "dall'", "dalla": "dall'",
	"del": "dell'", "dello": "dell'", "della": "dell'",
	"nel": "nell'", "nello": "nell'", "nella": "nell'",
	"sul": "sull'", "sullo": "sull'", "sulla": "sull'",
}

// Prep writes an Italian preposition or article before word (a date, a
// number, a percentage…), eliding it when word is read with a vowel first:
// a number read "otto…" (8, 08, 80–89, 800–899, 8.000…) or "undici…" (11,
// 11.000…); the leading zero of a day is not read. "il", "11/12/2026" →
// "l'11/12/2026"; "dal", "08/01" → "dall'08/01"; "al", "8,15%" →
// "all'8,15%"; "del", "18/12" → "del 18/12". prep may be several words
// ("entro il", "fino al"): only the last one changes, and a capital stays
// ("Il" → "L'"). Any other preposition or word is joined with a space.
func Prep(prep, word string) string {
	head, last := "", prep
	if i := strings.LastIndexByte(prep, ' '); i >= 0 {
		head, last = prep[:i+1], prep[i+1:]
	}
	e, ok := elided[strings.ToLower(last)]
	if !ok || !vowelNumber(word) {
		return prep + " " + word
	}
	if last != "" && last[0] >= 'A' && last[0] <= 'Z' {
		e = strings.ToUpper(e[:1]) + e[1:]
	}
	return head + e + word
}

// vowelNumber reports whether word starts with a number Italian reads with
// a vowel first: "otto…" or "undici…". A number is digits, optionally
// grouped by thousands with "." (1.220); what follows ("/12/2026", ",50",
// "%") does not count.
func vowelNumber(word string) bool {
	digits := func(s string) int {
		n := 0
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		return n
	}
	n := digits(word)
	first := strings.TrimLeft(word[:n], "0")
	if first == "" {
		return false
	}
	if first[0] == '8' {
		return true // otto, ottanta…, ottocento…, ottomila…
	}
	grouped := false
	for rest := word[n:]; len(rest) >= 4 && rest[0] == '.' && digits(rest[1:]) == 3; rest = rest[4:] {
		grouped = true
	}
	if grouped || len(first) <= 3 {
		return first == "11" // undici, undicimila, undici milioni
	}
	// Ungrouped: the leading group of three is read first (11000: undicimila).
	k := len(first) % 3
	if k == 0 {
		k = 3
	}
	return first[:k] == "11"
}

// prep is Prep for templates: value is a string, an int, a date (shown as
// date shows it) or a list of dates or strings, each with its own
// preposition ("il 16/11/2026, il 26/11/2026 e l'08/12/2026"). English
// joins with a space, without elision.
func (l locale) prep(p string, value any) (string, error) {
	one := func(w string) string {
		if l.lang == "it" {
			return Prep(p, w)
		}
		return p + " " + w
	}
	switch v := value.(type) {
	case string:
		return one(v), nil
	case int:
		return one(strconv.Itoa(v)), nil
	case time.Time:
		d, err := l.date(v)
		if err != nil {
			return "", fmt.Errorf("prep: %w", err)
		}
		return one(d), nil
	case []time.Time:
		var s []string
		for _, t := range v {
			d, err := l.date(t)
			if err != nil {
				return "", fmt.Errorf("prep: %w", err)
			}
			s = append(s, one(d))
		}
		return l.list(s), nil
	case []string:
		s := make([]string, len(v))
		for i, w := range v {
			s[i] = one(w)
		}
		return l.list(s), nil
	}
	return "", fmt.Errorf("prep: cannot write %T after %q", value, p)
}

// iban groups an IBAN by four characters, upper case:
// "IT60 X054 2811 1010 0000 0123 456". An empty IBAN is an error: a message
// asking for payment must say where to pay.
func iban(s string) (string, error) {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if s == "" {
		return "", errors.New("iban: no IBAN configured (business.iban)")
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String(), nil
}

// quote prefixes every line of s with "> ", as mail quotes text.
func quote(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		line = strings.TrimRight(line, " \t")
		if line == "" {
			lines[i] = ">"
		} else {
			lines[i] = "> " + line
		}
	}
	return strings.Join(lines, "\n")
}

// names are the templates' names as messages show them.
var names = map[string]map[policy.Template]string{
	"it": {
		policy.Courtesy:           "avviso di cortesia",
		policy.Stage1:             "primo sollecito",
		policy.Stage2:             "secondo sollecito",
		policy.Stage3:             "terzo sollecito",
		policy.PromiseMissed:      "sollecito per promessa non mantenuta",
		policy.Resend:             "nuovo invio della fattura",
		policy.Notice:             "diffida ad adempiere",
		policy.CallTask:           "richiesta di telefonata",
		policy.CaseFile:           "fascicolo della pratica",
		policy.ConfirmPayment:     "verifica del pagamento",
		policy.ForwardDispute:     "contestazione inoltrata",
		policy.ForwardInstallment: "richiesta di dilazione inoltrata",
		policy.ForwardOther:       "risposta inoltrata",
		policy.ForwardUnmatched:   "messaggio non abbinato inoltrato",
		policy.BrokenPromise:      "avviso di seconda promessa non mantenuta",
		policy.BounceAlert:        "avviso di indirizzo non raggiungibile",
		policy.AuthAlert:          "avviso di accesso alla casella negato",
		policy.MissingFields:      "richiesta dei dati mancanti",
		policy.CommandDone:        "conferma del comando",
		policy.CommandHelp:        "istruzioni sui comandi",
		policy.Summary:            "riepilogo",
		policy.Settlement:         "proposta di saldo e stralcio",
		policy.SettlementLapsed:   "avviso di proposta di stralcio scaduta",
		policy.NoticeLapsed:       "avviso di diffida senza esito",
		policy.Unverified:         "messaggio non verificato inoltrato",
		policy.Digest:             "riepilogo dei messaggi trattenuti",
		policy.ContactChanged:     "avviso di nuovo contatto",
		policy.CreditQuestion:     "domanda su un accredito dell'estratto conto",
	},
	"en": {
		policy.Courtesy:           "courtesy notice",
		policy.Stage1:             "first reminder",
		policy.Stage2:             "second reminder",
		policy.Stage3:             "third reminder",
		policy.PromiseMissed:      "reminder of a missed promise",
		policy.Resend:             "invoice sent again",
		policy.Notice:             "letter before action",
		policy.CallTask:           "request to phone the client",
		policy.CaseFile:           "case file",
		policy.ConfirmPayment:     "payment check",
		policy.ForwardDispute:     "dispute forwarded",
		policy.ForwardInstallment: "instalment request forwarded",
		policy.ForwardOther:       "reply forwarded",
		policy.ForwardUnmatched:   "unmatched mail forwarded",
		policy.BrokenPromise:      "second broken promise alert",
		policy.BounceAlert:        "undeliverable address alert",
		policy.AuthAlert:          "mailbox login refused alert",
		policy.MissingFields:      "request for missing details",
		policy.CommandDone:        "command confirmation",
		policy.CommandHelp:        "command instructions",
		policy.Summary:            "summary",
		policy.Settlement:         "settlement offer",
		policy.SettlementLapsed:   "lapsed settlement offer alert",
		policy.NoticeLapsed:       "unanswered letter before action alert",
		policy.Unverified:         "unverified mail forwarded",
		policy.Digest:             "digest of held messages",
		policy.ContactChanged:     "new contact notice",
		policy.CreditQuestion:     "question about a bank credit",
	},
}

// name returns a template's name in the language, or the template's own
// name when it has none.
func (l locale) name(t policy.Template) string {
	if n, ok := names[l.lang][t]; ok {
		return n
	}
	return string(t)
}

// funcs returns the template functions for the language.
func (l locale) funcs() map[string]any {
	return map[string]any{
		"money":      l.money,
		"percent":    l.percent,
		"date":       l.date,
		"shortdate":  l.shortdate,
		"shortdates": l.shortdates,
		"dates":      l.dates,
		"list":       l.list,
		"name":       l.name,
		"iban":       iban,
		"quote":      quote,
		"reading":    l.reading,
		"bucket":     l.bucket,
		"kind":       l.kind,
		"why":        l.why,
		"fields":     l.fields,
		"datetime":   l.datetime,
		"prep":       l.prep,
		"taxid":      l.taxID,
		"omitted":    l.omitted,
		"reason":     func(e Entry) string { return Reason(l.lang, e) },
	}
}

// codiceFiscale is an Italian person's codice fiscale (16 characters, with
// the letters that stand for digits in homocodes).
var codiceFiscale = regexp.MustCompile(`^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$`)

// taxID labels a client's tax code as policy.Invoice.ClientVAT holds it: a
// VAT number with its country prefix ("P.IVA IT01234567897", "VAT no.
// GB123456789"), else a codice fiscale (11 digits or 16 characters: "C.F.
// 91204560372"). Empty stays empty.
func (l locale) taxID(code string) string {
	if code == "" {
		return ""
	}
	isCF := codiceFiscale.MatchString(code) || len(code) == 11 && strings.Trim(code, "0123456789") == ""
	switch {
	case l.lang == "it" && isCF:
		return "C.F. " + code
	case l.lang == "it":
		return "P.IVA " + code
	case isCF:
		return "tax code " + code
	}
	return "VAT no. " + code
}

// TaxID labels a client's VAT number or codice fiscale (as
// policy.Invoice.ClientVAT holds it) for other views of the ledger:
// "P.IVA IT01234567897", "C.F. 91204560372"; English "VAT no. …", "tax code
// …". A language other than "it" is English; empty stays empty.
func TaxID(lang, code string) string { return lookup(lang).taxID(code) }

// lookup returns the locale of lang, English for any other.
func lookup(lang string) locale {
	if l, ok := locales[lang]; ok {
		return l
	}
	return locales["en"]
}

// Money formats an amount as the messages do, for other views of the ledger
// (status, history, the web page): Italian "€ 1.220,00", English
// "€1,220.00"; a language other than "it" is English. Negative amounts are
// an error.
func Money(lang string, amount decimal.Decimal, currency string) (string, error) {
	return lookup(lang).money(amount, currency)
}

// MoneyText is Money where an error is no use to the caller: the plain
// figure and currency code ("-12.00 EUR") for what Money refuses.
func MoneyText(lang string, amount decimal.Decimal, currency string) string {
	s, err := Money(lang, amount, currency)
	if err != nil {
		return amount.StringFixed(2) + " " + currency
	}
	return s
}

// Date formats a date as the messages do: Italian "31/12/2026", English
// "31 December 2026"; "" for a zero time.
func Date(lang string, t time.Time) string {
	s, err := lookup(lang).date(t)
	if err != nil {
		return ""
	}
	return s
}

// Name returns a template's name as the messages say it in lang, e.g.
// Italian "primo sollecito", English "first reminder".
func Name(lang string, t policy.Template) string {
	return lookup(lang).name(t)
}

// readings say, per language, what the bot read a client's mail as, what
// an owner command was, and other ledger events, for the case timeline.
var readings = map[string]map[string]string{
	"it": {
		"invoice":             "fattura ricevuta",
		"payment_proof":       "dice di aver pagato",
		"promise":             "promessa di pagamento",
		"dispute":             "contestazione della fattura",
		"not_received":        "dice di non aver ricevuto la fattura o i dati per pagare",
		"installment":         "chiede una dilazione o un pagamento a rate",
		"redirect":            "indica un altro referente",
		"autoreply":           "risposta automatica (ignorata)",
		"bounce":              "avviso di mancato recapito",
		"other":               "messaggio da leggere (inoltrato a Lei)",
		"send:failed":         "invio non riuscito",
		"send:confirmed":      "invio confermato (la copia è arrivata)",
		"engine:failed":       "errore interno: riprovo al prossimo giro",
		"login:refused":       "accesso alla casella negato: serve una nuova autorizzazione",
		"loop:stopped":        "limite di messaggi in un'ora raggiunto: sospesi gli invii a quell'indirizzo",
		"loop:held":           "messaggio non inviato: limite di messaggi in un'ora",
		"unverified:redirect": "nuovo contatto indicato da chi non è un contatto: non applicato",
		"paid":                "pagata",
		"partly_paid":         "pagata in parte",
		"pause":               "pausa",
		"stop":                "stop",
		"resume":              "riprendi",
		"note":                "nota",
		"contact":             "contatto",
		"set":                 "dati della fattura",
		"status":              "stato",
		"help":                "aiuto",
		"send_notice":         "invia diffida",
		"settle":              "stralcio",
		"write_off":           "stralcia",
		"undo":                "annulla",
		"tolerance":           "tolleranza",
		"language":            "lingua",
		"payment_days":        "giorni di pagamento",
		"exclude":             "escludi",
		"include":             "includi",
		"refused":             "comando non applicato",
		"unknown":             "messaggio senza comandi riconosciuti",
		// Mail received that no reading applies to, and ledger events.
		"unverified":         "mittente non verificato: nessun effetto",
		"intake":             "fattura registrata",
		"credit_note":        "nota di credito: nulla da sollecitare",
		"schedule":           "passo del calendario, senza messaggi",
		"cap:held":           "messaggio trattenuto: limite giornaliero per destinatario",
		"cap:dropped":        "messaggio non inviato: limite giornaliero per destinatario",
		"cap:digest":         "elenco dei messaggi trattenuti",
		"unverified:contact": "mittente non verificato: non è un contatto della fattura",
		"unverified:owner":   "mittente non verificato: il server non conferma il Suo indirizzo",
		"owner:automatic":    "messaggio automatico dal Suo indirizzo (ignorato)",
		"unmatched":          "messaggio non abbinato a una fattura",
		"payment:bank":       "pagamento trovato nell'estratto conto",
		"payments:import":    "estratto conto letto",
		"bulk":               "newsletter o invio massivo (non letto)",
		"unread":             "messaggio di un mittente sconosciuto che non nomina fatture (non letto, inoltrato a Lei)",
		"malformed":          "messaggio illeggibile",
		"summary":            "riepilogo per Lei",
	},
	"en": {
		"invoice":             "invoice received",
		"payment_proof":       "says it has paid",
		"promise":             "promise to pay",
		"dispute":             "disputes the invoice",
		"not_received":        "says the invoice or the payment details never arrived",
		"installment":         "asks for more time or instalments",
		"redirect":            "names another contact",
		"autoreply":           "automatic reply (ignored)",
		"bounce":              "delivery failure notice",
		"other":               "a message to read (forwarded to you)",
		"send:failed":         "sending failed",
		"send:confirmed":      "sending confirmed (its copy arrived)",
		"engine:failed":       "internal error: tried again at the next pass",
		"login:refused":       "mailbox login refused: a new authorization is needed",
		"loop:stopped":        "hourly message limit reached: sending to that address paused",
		"loop:held":           "message not sent: hourly message limit",
		"unverified:redirect": "new contact named by a non-contact: not applied",
		"paid":                "paid",
		"partly_paid":         "partly paid",
		"pause":               "pause",
		"stop":                "stop",
		"resume":              "resume",
		"note":                "note",
		"contact":             "contact",
		"set":                 "invoice details",
		"status":              "status",
		"help":                "help",
		"send_notice":         "send notice",
		"settle":              "settle",
		"write_off":           "write off",
		"undo":                "undo",
		"tolerance":           "tolerance",
		"language":            "language",
		"payment_days":        "payment days",
		"exclude":             "exclude",
		"include":             "include",
		"refused":             "command not applied",
		"unknown":             "no command recognised",
		// Mail received that no reading applies to, and ledger events.
		"unverified":         "unverified sender: no effect",
		"intake":             "invoice registered",
		"credit_note":        "credit note: nothing to chase",
		"schedule":           "scheduled step, no message",
		"cap:held":           "message held back: daily limit per recipient",
		"cap:dropped":        "message not sent: daily limit per recipient",
		"cap:digest":         "list of the messages held back",
		"unverified:contact": "unverified sender: not a contact of the invoice",
		"unverified:owner":   "unverified sender: the server does not vouch for your address",
		"owner:automatic":    "automatic mail from your address (ignored)",
		"unmatched":          "mail matched to no invoice",
		"payment:bank":       "payment found in the bank statement",
		"payments:import":    "bank statement read",
		"bulk":               "newsletter or bulk mail (not read)",
		"unread":             "mail from an unknown sender naming no invoice (not read, forwarded to you)",
		"malformed":          "unreadable mail",
		"summary":            "summary for you",
	},
}

// Reading says an entry of an invoice's timeline in lang ("it", else
// English), as the case file, `sollecito history` and the web page show it:
// the message the bot sent and to whom, how it read a client's mail, the
// owner's command, or the event (EventName), followed by the entry's What.
// It never shows Evidence or Reason, which views show apart.
func Reading(lang string, e Entry) string {
	s, err := lookup(lang).reading(e)
	if err != nil {
		return e.Kind
	}
	return s
}

// Headline is Reading without the addresses, for views that show who
// wrote and to whom apart.
func Headline(lang string, e Entry) string {
	e.From, e.To = "", ""
	return Reading(lang, e)
}

// EventName says a ledger event kind in lang ("it", else English): one
// mapping for every view. "reply:KIND" is a client's mail read as KIND,
// "command:VERB" an owner's command, a template name a decision to send
// that message; other kinds ("intake", "send:failed", "cap:held", …) have
// words of their own, and an unknown kind is shown as it is.
func EventName(lang string, kind policy.EventKind) string {
	return lookup(lang).event(kind)
}

func (l locale) event(kind policy.EventKind) string {
	it := l.lang == "it"
	if k, ok := kind.Reply(); ok {
		if it {
			return "risposta letta come: " + l.kind(k)
		}
		return "reply read as: " + l.kind(k)
	}
	if v, ok := kind.Command(); ok {
		if it {
			return "Suo comando: " + l.kind(v)
		}
		return "your command: " + l.kind(v)
	}
	if t, ok := kind.Template(Names()); ok {
		if it {
			return "deciso: " + l.name(t)
		}
		return "decided: " + l.name(t)
	}
	return l.kind(string(kind))
}

// reading says an entry of the timeline in the language (see Reading).
func (l locale) reading(e Entry) (string, error) {
	it := l.lang == "it"
	detail := func(s string) string {
		if e.What == "" {
			return s
		}
		if s == "" {
			return e.What
		}
		return s + " (" + e.What + ")"
	}
	switch {
	case e.Sent != "":
		var s string
		switch {
		case e.Sent.Recipient() == policy.ToClient && it:
			s = "inviato al cliente"
		case e.Sent.Recipient() == policy.ToClient:
			s = "sent to the client"
		case it:
			s = "scritto a Lei"
		default:
			s = "sent to you"
		}
		if e.To != "" && e.Sent.Recipient() == policy.ToClient {
			s += " (" + e.To + ")"
		}
		return detail(s + ": " + l.name(e.Sent)), nil
	case e.Kind == "":
		return e.What, nil
	case e.Kind == "invoice", e.Kind == "unverified", !slices.Contains(reply.Kinds, reply.Kind(e.Kind)):
		return detail(l.event(policy.EventKind(e.Kind))), nil
	}
	var s string
	switch {
	case e.From != "" && it:
		s = "risposta di " + e.From + ", letta come: "
	case e.From != "":
		s = "reply from " + e.From + ", read as: "
	case it:
		s = "risposta letta come: "
	default:
		s = "reply read as: "
	}
	s += l.kind(e.Kind)
	if e.Kind == "promise" && !e.Promised.IsZero() {
		d, err := l.date(e.Promised)
		if err != nil {
			return "", err
		}
		if it {
			s += " " + Prep("entro il", d)
		} else {
			s += " by " + d
		}
	}
	return detail(s), nil
}
