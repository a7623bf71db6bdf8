// Package command reads what an owner writes to the bot: short Italian or
// English lines such as "pagata", "pagata in parte 300", "pausa fino al
// 15/01", "resume", "nota …", "contatto x@y", "stralcio 600", "write off",
// "invia diffida", per-client settings ("tolleranza 5", "lingua en",
// "giorni di pagamento 10 25", "escludi"), the answers to a missing-field
// question ("scadenza 31/12/2026", "amount 1,220.00 EUR") and corrections of
// the client's name and VAT number ("imposta cliente Neri Costruzioni S.r.l.",
// "set client VAT IT01234567897"). Case, accents and
// punctuation around words do not matter. It never fails: what it does not
// understand has Verb Unknown, and the bot answers with its help text.
package command

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Verb is what a command asks.
type Verb string

// Verbs.
const (
	Paid    Verb = "paid"    // the money arrived: close the invoice
	Pause   Verb = "pause"   // no message before Until
	Stop    Verb = "stop"    // stop chasing
	Resume  Verb = "resume"  // chase again
	Note    Verb = "note"    // record Text
	Contact Verb = "contact" // write to Address from now on
	Set     Verb = "set"     // fill a missing field (Field, with Text, Date or Amount)
	Status  Verb = "status"  // send the ledger's state
	Undo    Verb = "undo"    // put the invoice back as it was before the last closing command
	Help    Verb = "help"    // send the list of every command
	Unknown Verb = "unknown" // not understood

	PartlyPaid Verb = "partly_paid" // Amount arrived, not the whole invoice
	Settle     Verb = "settle"      // offer the client to close the invoice for Amount (by Until, when given)
	WriteOff   Verb = "write_off"   // give the money up: close the invoice as written off
	SendNotice Verb = "send_notice" // send the client the formal notice (to Address, when given)

	// Per-client settings: they apply to Client when the owner names an
	// address, else to the client of the invoice the mail is about.
	Tolerance   Verb = "tolerance"    // Days of tolerance before each stage
	Language    Verb = "language"     // write to the client in Lang
	PaymentDays Verb = "payment_days" // the client pays only on Days of the month (empty: any day)
	Exclude     Verb = "exclude"      // never chase the client
	Include     Verb = "include"      // chase the client again (undoes Exclude)
)

// Verbs are every verb, Unknown included.
var Verbs = []Verb{Paid, Pause, Stop, Resume, Note, Contact, Set, Status, Undo, Help, Unknown, PartlyPaid, Settle,
	WriteOff, SendNotice, Tolerance, Language, PaymentDays, Exclude, Include}

// PerClient reports whether the verb sets a client's settings rather than
// acting on one invoice.
func (v Verb) PerClient() bool {
	switch v {
	case Tolerance, Language, PaymentDays, Exclude, Include:
		return true
	}
	return false
}

// Field names for Set: the same strings as reply/invoice's Field* names
// (kept here so that reading a command does not depend on invoice reading).
const (
	FieldNumber    = "number"
	FieldIssueDate = "issue_date"
	FieldDueDate   = "due_date"
	FieldAmount    = "amount"
	// FieldClientName and FieldClientVAT correct the client's name and VAT
	// number the letters show ("imposta cliente Neri Costruzioni S.r.l.",
	// "set client VAT IT01234567897"); they are never asked for.
	FieldClientName = "client_name"
	FieldClientVAT  = "client_vat"
)

// Command is one owner command.
type Command struct {
	Verb Verb
	// Until is the day a pause ends, or the deadline of a settlement offer
	// when the owner wrote one (a calendar date at 00:00 UTC; zero: none).
	Until time.Time
	// Text is a note's text, the invoice number for Set Number, or the
	// client's name or VAT number (upper-case, no spaces) for Set
	// ClientName and ClientVAT.
	Text string
	// Address is the new contact, or where a notice goes when the owner
	// names an address (the client's PEC), lower-case.
	Address string
	// Anyway is the owner's explicit word to go ahead despite a warning
	// ("invia diffida comunque", "send notice anyway").
	Anyway bool
	// Client is the client address a per-client command names, lower-case;
	// "" means the client of the invoice the mail is about.
	Client string
	// Days is the tolerance in days (Tolerance), or the days of the month
	// (PaymentDays: 1–31, ascending, no repeats; empty clears them).
	Days []int
	// Lang is "it" or "en" (Language).
	Lang string
	// Field is the field Set fills: FieldNumber, FieldIssueDate,
	// FieldDueDate, FieldAmount, FieldClientName or FieldClientVAT.
	Field string
	// Date is the date for Set IssueDate or DueDate (00:00 UTC).
	Date time.Time
	// Amount and Currency (ISO 4217, "" when not written) for Set Amount,
	// PartlyPaid (the money that arrived) and Settle (the amount offered).
	Amount   decimal.Decimal
	Currency string
}

// Parse reads the first command in an owner's mail text, relative to ref
// (the mail's date: a date without a year is the next such date on or after
// ref's day, except an issue date, which is the last one on or before it).
// Only the new text counts: reading stops at quoted lines ("> …", "On … wrote:",
// "Il … ha scritto:", a forwarded or original message header) and at a
// signature separator. It never fails: Verb is Unknown when no line is
// understood.
func Parse(text string, ref time.Time) Command {
	if cmds := ParseAll(text, ref); len(cmds) > 0 {
		return cmds[0]
	}
	return Command{Verb: Unknown}
}

// ParseAll reads every command in an owner's mail text, one a line, in
// order (an owner may answer several missing fields at once). A note takes
// the rest of its line and the lines after it up to a blank line. Lines that
// are not commands are skipped; the result is empty when none is understood.
func ParseAll(text string, ref time.Time) []Command {
	lines := newLines(text)
	var out []Command
	for i := 0; i < len(lines); i++ {
		c, ok := parseLine(lines[i], ref)
		if !ok {
			continue
		}
		if c.Verb == Note {
			for i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
				i++
				c.Text = strings.TrimSpace(c.Text + "\n" + strings.TrimSpace(lines[i]))
			}
		}
		out = append(out, c)
	}
	return out
}

// quoteHeader matches the line a mail client writes above quoted text: "On
// … wrote:", "Il … ha scritto:" (or its wrapped tail), an "Original
// message" or Outlook rule, or the first line of a quoted header block
// ("From: …", "Da: …", "Sent: …", "Inviato: …", or any header line with an
// address).
var quoteHeader = regexp.MustCompile(`(?i)^(on\s.+\swrote:?|il\s.+\sha\s+scritto:?|(.+\s)?(wrote|ha scritto|scritto):|-{2,}\s*(original message|messaggio originale|forwarded message|messaggio inoltrato)\s*-{2,}|_{10,}|(from|da|de|sent|inviato|inviato il):\s.*|(date|data|to|a|cc|subject|oggetto):\s.*@.*)$`)

// newLines returns the lines the owner wrote: up to quoted text or a
// signature.
func newLines(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []string
	for l := range strings.SplitSeq(text, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, ">") || l == "-- " || t == "--" || quoteHeader.MatchString(t) {
			break
		}
		out = append(out, l)
	}
	return out
}

// fillers are words that may stand before a command word ("ok, la fattura è
// stata pagata", "the invoice has been paid").
var fillers = map[string]bool{
	"ok": true, "okay": true, "sì": true, "si": true, "yes": true, "ciao": true, "hi": true,
	"la": true, "fattura": true, "invoice": true, "the": true, "this": true, "questa": true,
	"it": true, "it's": true, "its": true, "is": true, "è": true, "e'": true, "é": true,
	"stata": true, "stato": true, "has": true, "been": true, "was": true, "già": true,
	"already": true, "please": true, "per": true, "favore": true, "grazie": true, "thanks": true,
	"ricevuto": true, "ricevuta": true, "received": true, "abbiamo": true, "we": true, "got": true,
	"un": true, "a": true, "an": true, "proponi": true, "offri": true, "offer": true, "propose": true,
}

// A keyword starts a command line; longer ones are tried first.
type keyword struct {
	words []string
	verb  Verb
	field string
}

var keywords = []keyword{
	// The client's name and VAT number need an explicit verb or the word
	// "cliente": "Cliente: …" or "P.IVA …" alone may be the owner's own
	// signature.
	{words: []string{"imposta", "nome", "cliente"}, verb: Set, field: FieldClientName},
	{words: []string{"imposta", "ragione", "sociale"}, verb: Set, field: FieldClientName},
	{words: []string{"imposta", "cliente"}, verb: Set, field: FieldClientName},
	{words: []string{"correggi", "cliente"}, verb: Set, field: FieldClientName},
	{words: []string{"nome", "del", "cliente"}, verb: Set, field: FieldClientName},
	{words: []string{"nome", "cliente"}, verb: Set, field: FieldClientName},
	{words: []string{"ragione", "sociale", "cliente"}, verb: Set, field: FieldClientName},
	{words: []string{"ragione", "sociale", "del", "cliente"}, verb: Set, field: FieldClientName},
	{words: []string{"set", "client", "vat", "number"}, verb: Set, field: FieldClientVAT},
	{words: []string{"set", "client", "vat"}, verb: Set, field: FieldClientVAT},
	{words: []string{"set", "client", "name"}, verb: Set, field: FieldClientName},
	{words: []string{"set", "client"}, verb: Set, field: FieldClientName},
	{words: []string{"set", "customer", "name"}, verb: Set, field: FieldClientName},
	{words: []string{"set", "customer"}, verb: Set, field: FieldClientName},
	{words: []string{"client", "name"}, verb: Set, field: FieldClientName},
	{words: []string{"customer", "name"}, verb: Set, field: FieldClientName},
	{words: []string{"imposta", "partita", "iva"}, verb: Set, field: FieldClientVAT},
	{words: []string{"imposta", "p.iva"}, verb: Set, field: FieldClientVAT},
	{words: []string{"imposta", "piva"}, verb: Set, field: FieldClientVAT},
	{words: []string{"imposta", "codice", "fiscale"}, verb: Set, field: FieldClientVAT},
	{words: []string{"partita", "iva", "cliente"}, verb: Set, field: FieldClientVAT},
	{words: []string{"partita", "iva", "del", "cliente"}, verb: Set, field: FieldClientVAT},
	{words: []string{"p.iva", "cliente"}, verb: Set, field: FieldClientVAT},
	{words: []string{"codice", "fiscale", "cliente"}, verb: Set, field: FieldClientVAT},
	{words: []string{"codice", "fiscale", "del", "cliente"}, verb: Set, field: FieldClientVAT},
	{words: []string{"set", "vat", "number"}, verb: Set, field: FieldClientVAT},
	{words: []string{"set", "vat"}, verb: Set, field: FieldClientVAT},
	{words: []string{"client", "vat", "number"}, verb: Set, field: FieldClientVAT},
	{words: []string{"client", "vat"}, verb: Set, field: FieldClientVAT},
	{words: []string{"giorni", "di", "pagamento"}, verb: PaymentDays},
	{words: []string{"giorni", "pagamento"}, verb: PaymentDays},
	{words: []string{"payment", "days"}, verb: PaymentDays},
	{words: []string{"pagata", "in", "parte"}, verb: PartlyPaid},
	{words: []string{"pagato", "in", "parte"}, verb: PartlyPaid},
	{words: []string{"pagata", "parzialmente"}, verb: PartlyPaid},
	{words: []string{"pagato", "parzialmente"}, verb: PartlyPaid},
	{words: []string{"parzialmente", "pagata"}, verb: PartlyPaid},
	{words: []string{"parzialmente", "pagato"}, verb: PartlyPaid},
	{words: []string{"pagamento", "parziale"}, verb: PartlyPaid},
	{words: []string{"paid", "in", "part"}, verb: PartlyPaid},
	{words: []string{"partly", "paid"}, verb: PartlyPaid},
	{words: []string{"partially", "paid"}, verb: PartlyPaid},
	{words: []string{"part", "paid"}, verb: PartlyPaid},
	{words: []string{"part", "payment"}, verb: PartlyPaid},
	{words: []string{"partial", "payment"}, verb: PartlyPaid},
	{words: []string{"acconto"}, verb: PartlyPaid},
	{words: []string{"saldo", "e", "stralcio"}, verb: Settle},
	{words: []string{"saldo", "a", "stralcio"}, verb: Settle},
	{words: []string{"settle", "for"}, verb: Settle},
	{words: []string{"stralcio"}, verb: Settle},
	{words: []string{"transazione"}, verb: Settle},
	{words: []string{"settle"}, verb: Settle},
	{words: []string{"settlement"}, verb: Settle},
	{words: []string{"passa", "a", "perdita"}, verb: WriteOff},
	{words: []string{"metti", "a", "perdita"}, verb: WriteOff},
	{words: []string{"a", "perdita"}, verb: WriteOff},
	{words: []string{"write", "it", "off"}, verb: WriteOff},
	{words: []string{"write", "off"}, verb: WriteOff},
	{words: []string{"write-off"}, verb: WriteOff},
	{words: []string{"writeoff"}, verb: WriteOff},
	{words: []string{"stralcia"}, verb: WriteOff},
	{words: []string{"stralciala"}, verb: WriteOff},
	{words: []string{"stralciare"}, verb: WriteOff},
	{words: []string{"stralciata"}, verb: WriteOff},
	{words: []string{"perdita"}, verb: WriteOff},
	{words: []string{"invia", "la", "diffida"}, verb: SendNotice},
	{words: []string{"manda", "la", "diffida"}, verb: SendNotice},
	{words: []string{"spedisci", "la", "diffida"}, verb: SendNotice},
	{words: []string{"invia", "diffida"}, verb: SendNotice},
	{words: []string{"manda", "diffida"}, verb: SendNotice},
	{words: []string{"spedisci", "diffida"}, verb: SendNotice},
	{words: []string{"send", "the", "formal", "notice"}, verb: SendNotice},
	{words: []string{"send", "formal", "notice"}, verb: SendNotice},
	{words: []string{"send", "the", "letter", "before", "action"}, verb: SendNotice},
	{words: []string{"send", "letter", "before", "action"}, verb: SendNotice},
	{words: []string{"send", "the", "notice"}, verb: SendNotice},
	{words: []string{"send", "notice"}, verb: SendNotice},
	{words: []string{"diffida"}, verb: SendNotice},
	{words: []string{"scrivi", "in"}, verb: Language},
	{words: []string{"write", "in"}, verb: Language},
	{words: []string{"lingua"}, verb: Language},
	{words: []string{"language"}, verb: Language},
	{words: []string{"tolleranza"}, verb: Tolerance},
	{words: []string{"tolerance"}, verb: Tolerance},
	{words: []string{"escludi"}, verb: Exclude},
	{words: []string{"exclude"}, verb: Exclude},
	{words: []string{"includi"}, verb: Include},
	{words: []string{"include"}, verb: Include},
	{words: []string{"data", "di", "scadenza"}, verb: Set, field: FieldDueDate},
	{words: []string{"data", "scadenza"}, verb: Set, field: FieldDueDate},
	{words: []string{"data", "fattura"}, verb: Set, field: FieldIssueDate},
	{words: []string{"data", "di", "emissione"}, verb: Set, field: FieldIssueDate},
	{words: []string{"data", "emissione"}, verb: Set, field: FieldIssueDate},
	{words: []string{"due", "date"}, verb: Set, field: FieldDueDate},
	{words: []string{"issue", "date"}, verb: Set, field: FieldIssueDate},
	{words: []string{"invoice", "date"}, verb: Set, field: FieldIssueDate},
	{words: []string{"numero", "fattura"}, verb: Set, field: FieldNumber},
	{words: []string{"invoice", "number"}, verb: Set, field: FieldNumber},
	{words: []string{"metti", "in", "pausa"}, verb: Pause},
	{words: []string{"put", "on", "hold"}, verb: Pause},
	{words: []string{"on", "hold"}, verb: Pause},
	{words: []string{"non", "sollecitare"}, verb: Stop},
	{words: []string{"do", "not", "chase"}, verb: Stop},
	{words: []string{"don't", "chase"}, verb: Stop},
	{words: []string{"stop", "chasing"}, verb: Stop},
	{words: []string{"nuovo", "contatto"}, verb: Contact},
	{words: []string{"new", "contact"}, verb: Contact},
	{words: []string{"scrivi", "a"}, verb: Contact},
	{words: []string{"write", "to"}, verb: Contact},
	{words: []string{"pagata"}, verb: Paid},
	{words: []string{"pagato"}, verb: Paid},
	{words: []string{"saldata"}, verb: Paid},
	{words: []string{"saldato"}, verb: Paid},
	{words: []string{"incassata"}, verb: Paid},
	{words: []string{"incassato"}, verb: Paid},
	{words: []string{"paid"}, verb: Paid},
	{words: []string{"pausa"}, verb: Pause},
	{words: []string{"sospendi"}, verb: Pause},
	{words: []string{"pause"}, verb: Pause},
	{words: []string{"hold"}, verb: Pause},
	{words: []string{"stop"}, verb: Stop},
	{words: []string{"basta"}, verb: Stop},
	{words: []string{"ferma"}, verb: Stop},
	{words: []string{"fermati"}, verb: Stop},
	{words: []string{"interrompi"}, verb: Stop},
	{words: []string{"riprendi"}, verb: Resume},
	{words: []string{"riattiva"}, verb: Resume},
	{words: []string{"ricomincia"}, verb: Resume},
	{words: []string{"resume"}, verb: Resume},
	{words: []string{"restart"}, verb: Resume},
	{words: []string{"nota"}, verb: Note},
	{words: []string{"note"}, verb: Note},
	{words: []string{"contatto"}, verb: Contact},
	{words: []string{"contact"}, verb: Contact},
	{words: []string{"annulla", "l'ultimo", "comando"}, verb: Undo},
	{words: []string{"annulla"}, verb: Undo},
	{words: []string{"undo"}, verb: Undo},
	{words: []string{"aiuto"}, verb: Help},
	{words: []string{"help"}, verb: Help},
	{words: []string{"comandi"}, verb: Help},
	{words: []string{"commands"}, verb: Help},
	{words: []string{"stato"}, verb: Status},
	{words: []string{"status"}, verb: Status},
	{words: []string{"situazione"}, verb: Status},
	{words: []string{"riepilogo"}, verb: Status},
	{words: []string{"report"}, verb: Status},
	{words: []string{"scadenza"}, verb: Set, field: FieldDueDate},
	{words: []string{"scade"}, verb: Set, field: FieldDueDate},
	{words: []string{"due"}, verb: Set, field: FieldDueDate},
	{words: []string{"importo"}, verb: Set, field: FieldAmount},
	{words: []string{"totale"}, verb: Set, field: FieldAmount},
	{words: []string{"amount"}, verb: Set, field: FieldAmount},
	{words: []string{"total"}, verb: Set, field: FieldAmount},
	{words: []string{"numero"}, verb: Set, field: FieldNumber},
	{words: []string{"number"}, verb: Set, field: FieldNumber},
	{words: []string{"data"}, verb: Set, field: FieldIssueDate},
	{words: []string{"date"}, verb: Set, field: FieldIssueDate},
	{words: []string{"emessa"}, verb: Set, field: FieldIssueDate},
	{words: []string{"issued"}, verb: Set, field: FieldIssueDate},
}

// token is one word of a line with where it starts.
type token struct {
	word string // lower-case, without surrounding punctuation
	pos  int    // byte offset of the raw word in the line
	end  int    // byte offset after the raw word
}

// tokens splits a line into words, trimming punctuation around each.
func tokens(line string) []token {
	var out []token
	i := 0
	for i < len(line) {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		j := i
		for j < len(line) && line[j] != ' ' && line[j] != '\t' {
			j++
		}
		if j > i {
			w := strings.ToLower(strings.TrimFunc(line[i:j], func(r rune) bool {
				return unicode.IsPunct(r) && r != '\'' && r != '@' && r != '/' && r != '#' && r != '€' || r == '*' || r == '•'
			}))
			w = strings.TrimRight(w, ":")
			if w != "" {
				out = append(out, token{word: w, pos: i, end: j})
			}
		}
		i = j
	}
	return out
}

// parseLine reads one line.
func parseLine(line string, ref time.Time) (Command, bool) {
	toks := tokens(line)
	k, at, ok := match(toks, 0)
	if !ok {
		return Command{}, false
	}
	rest := ""
	if after := at + len(k.words); after < len(toks) {
		rest = strings.TrimSpace(line[toks[after].pos:])
	}
	switch k.verb {
	case Paid, Stop, Resume, PartlyPaid, Settle, WriteOff, SendNotice, Tolerance, Language, PaymentDays, Exclude, Include:
		// A question is not an order: "pagata?", "stop? no", "stralcio 600?".
		if strings.Contains(line[toks[at].pos:], "?") {
			return Command{}, false
		}
	}
	return build(k, rest, ref)
}

// match finds the keyword that starts the line at toks[start:] or after
// fillers. A filler that is also a keyword ("stato": "è stato pagato" but
// "stato" alone asks for the status) is a filler only when a keyword
// follows.
func match(toks []token, start int) (keyword, int, bool) {
	if start >= len(toks) {
		return keyword{}, 0, false
	}
	if fillers[toks[start].word] || fillers[fold(toks[start].word)] {
		if k, at, ok := match(toks, start+1); ok {
			return k, at, true
		}
	}
	for _, k := range keywords {
		if hasWords(toks[start:], k.words) {
			return k, start, true
		}
	}
	return keyword{}, 0, false
}

// hasWords reports whether toks starts with words, accents aside
// ("è" is "e", "lunedì" is "lunedi").
func hasWords(toks []token, words []string) bool {
	if len(toks) < len(words) {
		return false
	}
	for i, w := range words {
		if toks[i].word != w && fold(toks[i].word) != w {
			return false
		}
	}
	return true
}

// accents maps the accented letters Italian and English owners type to
// plain ones.
var accents = strings.NewReplacer("à", "a", "á", "a", "è", "e", "é", "e", "ì", "i", "í", "i", "ò", "o", "ó", "o", "ù", "u", "ú", "u")

// fold returns a lower-case word without accents.
func fold(w string) string { return accents.Replace(w) }

// anywayRe is the owner's word to go ahead despite a warning.
var anywayRe = regexp.MustCompile(`(?i)\b(?:comunque|lo stesso|in ogni caso|anyway|regardless)\b`)

// build makes the command a keyword starts, from the rest of its line.
func build(k keyword, rest string, ref time.Time) (Command, bool) {
	c := Command{Verb: k.verb, Field: k.field}
	switch k.verb {
	case Help:
		// "aiuto", "help?", "comandi per favore"; not a sentence ("help
		// desk: …", "aiuto a capire la fattura").
		return c, !strings.ContainsFunc(rest, unicode.IsDigit) && len(strings.Fields(rest)) <= 2
	case Status:
		// "stato", "status?", "stato per favore"; not a header such as
		// "Status: 5.1.1" nor a sentence.
		return c, !strings.ContainsFunc(rest, unicode.IsDigit) && len(strings.Fields(rest)) <= 2
	case Undo:
		// "annulla", "undo", "annulla l'ultimo comando"; not a sentence.
		return c, len(strings.Fields(rest)) <= 3 && !negated(rest)
	case Paid, Stop, Resume:
		// Anything after the word ("pagata ieri", "stop please") does not
		// change the command, but words that turn it around do.
		if negated(rest) {
			return Command{}, false
		}
		return c, true
	case Note:
		c.Text = strings.TrimSpace(strings.TrimLeft(rest, ":-–— "))
		if t := tokens(c.Text); len(t) > 0 && (t[0].word == "that" || t[0].word == "che") {
			return Command{}, false // "please note that …", "nota che …": prose
		}
		return c, c.Text != ""
	case Contact:
		c.Address = findAddress(rest)
		return c, c.Address != ""
	case WriteOff:
		if negated(rest) {
			return Command{}, false
		}
		// A write-off takes no amount: "stralcia 300" is one letter from
		// "stralcio 300" (a settlement offer). The amount is kept so that
		// the command is refused with both meanings explained.
		if amt, cur, _, ok := parseAmount(trimLead(rest)); ok {
			c.Amount, c.Currency = amt, cur
		}
		return c, true
	case SendNotice:
		if negated(rest) {
			return Command{}, false
		}
		c.Address = findAddress(rest)
		c.Anyway = anywayRe.MatchString(rest)
		if len(k.words) == 1 && len(tokens(address.ReplaceAllString(rest, ""))) > 2 && !c.Anyway {
			// "diffida" alone is an order; "Diffida ad adempiere - fattura
			// n. 241" is a subject quoted in a PEC receipt.
			return Command{}, false
		}
		return c, true
	case PartlyPaid, Settle:
		amt, cur, after, ok := parseAmount(trimLead(rest))
		if !ok {
			return Command{}, false
		}
		c.Amount, c.Currency = amt, cur
		if k.verb == Settle {
			// "stralcio 600 entro il 20/12", "settle 600 by 2027-01-15".
			if d, _, ok := findDate(after, ref, true); ok {
				c.Until = d
			}
		}
		return c, true
	case Tolerance, Language, PaymentDays, Exclude, Include:
		return perClient(c, rest)
	case Pause:
		d, ok := pauseDate(rest, ref)
		if !ok {
			return Command{}, false
		}
		c.Until = d
		return c, true
	}
	switch k.field {
	case FieldClientName:
		c.Text = clientName(rest)
		return c, c.Text != ""
	case FieldClientVAT:
		c.Text = vatNumber(rest)
		return c, c.Text != ""
	}
	rest = trimLead(rest)
	switch k.field {
	case FieldNumber:
		c.Text = invoiceNumber(rest)
		return c, c.Text != ""
	case FieldAmount:
		amt, cur, _, ok := parseAmount(rest)
		if !ok {
			return Command{}, false
		}
		c.Amount, c.Currency = amt, cur
		return c, true
	case FieldDueDate, FieldIssueDate:
		// The date comes first: "scadenza 31/12/2026", not a sentence
		// that mentions one ("Date: Thu, 12 Nov 2026").
		d, pos, ok := findDate(rest, ref, k.field == FieldDueDate)
		c.Date = d
		return c, ok && pos == 0
	}
	return Command{}, false
}

// perClient reads a per-client command's value and the client address it
// names, if any: "tolleranza 5 giorni per a@b.it", "lingua inglese",
// "payment days 10, 25", "escludi a@b.it".
func perClient(c Command, rest string) (Command, bool) {
	c.Client = findAddress(rest)
	rest = address.ReplaceAllString(rest, " ")
	var nums []int
	var words []string
	for _, t := range tokens(rest) {
		w := fold(strings.Trim(t.word, ".,;:!()"))
		if n, err := strconv.Atoi(w); err == nil {
			nums = append(nums, n)
			continue
		}
		words = append(words, w)
	}
	switch c.Verb {
	case Tolerance:
		if len(nums) != 1 || nums[0] < 0 || nums[0] > 180 {
			return Command{}, false
		}
		c.Days = nums
	case Language:
		for _, w := range words {
			if l, ok := languages[w]; ok {
				c.Lang = l
				return c, true
			}
		}
		return Command{}, false
	case PaymentDays:
		c.Days = []int{}
		for _, n := range nums {
			if n < 1 || n > 31 {
				return Command{}, false
			}
			if !slices.Contains(c.Days, n) {
				c.Days = append(c.Days, n)
			}
		}
		slices.Sort(c.Days)
		if len(c.Days) == 0 && !slices.ContainsFunc(words, func(w string) bool { return clearWords[w] }) {
			return Command{}, false
		}
	}
	return c, true
}

// languages maps what an owner writes to the languages the bot writes in.
var languages = map[string]string{
	"it": "it", "ita": "it", "italiano": "it", "italian": "it",
	"en": "en", "eng": "en", "inglese": "en", "english": "en",
}

// clearWords say that a client has no fixed payment days.
var clearWords = map[string]bool{"nessuno": true, "nessun": true, "none": true, "any": true, "qualsiasi": true, "tutti": true}

// negated reports whether the words after a command word undo it ("paid
// not yet", "stop non ancora").
func negated(rest string) bool {
	for _, t := range tokens(rest) {
		switch t.word {
		case "non", "no", "not", "nope", "mai", "never", "ancora", "yet":
			return true
		}
	}
	return false
}

// trimLead drops the words that join a field name to its value ("scadenza:
// il 31/12", "due on 2026-12-31", "importo è 100").
func trimLead(s string) string {
	for {
		s = strings.TrimLeft(s, " \t:=-–—")
		low := strings.ToLower(s)
		cut := false
		for _, w := range []string{"è ", "e' ", "is ", "il ", "al ", "on ", "the ", "of ", "del ", "della ", "fattura ", "invoice ", "n. ", "nr. ", "nr ", "no. ", "n° ", "#", "di ", "da ", "per ", "for ", "at ", "a "} {
			if strings.HasPrefix(low, w) {
				s = s[len(w):]
				cut = true
				break
			}
		}
		if !cut {
			return strings.TrimSpace(s)
		}
	}
}

// maxClientName bounds a client's name set by the owner.
const maxClientName = 120

// clientName reads the name after "imposta cliente": the rest of the line,
// without a joining word (":", "è", "is", "to"), quotes or an address. A
// question ("imposta cliente?") or a line with no letter gives "".
func clientName(rest string) string {
	rest = address.ReplaceAllString(rest, " ")
	rest = strings.TrimLeft(rest, " \t:=-–—")
	for _, w := range []string{"è ", "e' ", "is ", "to ", "a ", "in "} {
		if len(rest) > len(w) && strings.EqualFold(rest[:len(w)], w) {
			rest = rest[len(w):]
			break
		}
	}
	rest = strings.Join(strings.Fields(rest), " ")
	rest = strings.Trim(rest, "\"'“”«»<>()[] ")
	rest = strings.TrimRight(rest, ",;:")
	if rest == "" || strings.HasSuffix(rest, "?") || !strings.ContainsFunc(rest, unicode.IsLetter) || utf8.RuneCountInString(rest) > maxClientName {
		return ""
	}
	return rest
}

// vatRe is a VAT number with its country prefix (EU format), an Italian
// partita IVA (11 digits) or an Italian codice fiscale (16 characters).
var vatRe = regexp.MustCompile(`^(?:[A-Z]{2}[0-9A-Z]{2,13}|[0-9]{11}|[A-Z0-9]{16})$`)

// vatNumber reads the VAT number or codice fiscale after "imposta partita
// iva": upper-case, without spaces, an 11-digit partita IVA prefixed "IT";
// "" when it is not one.
func vatNumber(rest string) string {
	f := strings.Fields(strings.TrimLeft(rest, " \t:=-–—"))
	for len(f) > 0 {
		switch strings.ToLower(f[0]) {
		case "è", "e'", "is", "to", "a", "n.", "nr.", "no.", "n°":
			f = f[1:]
			continue
		}
		break
	}
	if len(f) == 0 {
		return ""
	}
	v := strings.ToUpper(strings.TrimRight(f[0], ".,;:!"))
	if len(v) == 2 && len(f) > 1 {
		v += strings.ToUpper(strings.TrimRight(f[1], ".,;:!")) // "IT 01234567897"
	}
	if !vatRe.MatchString(v) {
		return ""
	}
	if len(v) == 11 && strings.Trim(v, "0123456789") == "" {
		v = "IT" + v
	}
	return v
}

// invoiceNumber returns the first word of s, without trailing punctuation.
func invoiceNumber(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	n := strings.TrimRight(f[0], ".,;:!?)")
	n = strings.TrimLeft(n, "(#")
	if !strings.ContainsFunc(n, unicode.IsDigit) && len(f) > 1 {
		// "numero FT 2026/12": a series word before the digits.
		return ""
	}
	return n
}

// address matches an email address.
var address = regexp.MustCompile(`[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+`)

// findAddress returns the first address in s, lower-case, "" when none.
func findAddress(s string) string {
	return strings.ToLower(address.FindString(s))
}
