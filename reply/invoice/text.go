package invoice

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/shopspring/decimal"
)

// role is what a label says an amount or a date is.
type role int

const (
	roleNone      role = iota
	roleComponent      // a part of the total: taxable, VAT, withholding, stamp duty, fees
	roleTotal          // the document total
	rolePayable        // what the client must pay
	roleIssue          // the invoice date
	roleDue            // the due date
	roleBlock          // a date or amount of another document (quote, order, delivery)
)

type label struct {
	re   *regexp.Regexp
	role role
	// lit is the phrase in lower case when it is plain text (no regexp
	// syntax): a window that does not contain it is not searched.
	lit string
}

func labels(role role, phrases ...string) []label {
	var out []label
	for _, p := range phrases {
		l := label{re: regexp.MustCompile(`(?i)(?:^|[^\pL])(` + p + `)(?:$|[^\pL])`), role: role}
		if regexp.QuoteMeta(p) == p {
			l.lit = strings.ToLower(p)
		}
		out = append(out, l)
	}
	return out
}

// amountLabels name what the amount after them is. The nearest label before
// an amount, on its line, decides; at equal end the longest phrase wins.
// The label patterns are compiled on first use (they cost most of the
// package's start-up, and most commands never read an invoice).
var amountLabels = sync.OnceValue(func() []label {
	return concat(
		labels(rolePayable, `netto a pagare`, `totale da pagare`, `importo da pagare`, `da pagare`, `netto da corrispondere`,
			`importo netto da corrispondere`, `da corrispondere`, `netto`, `da bonificare`, `da versare`, `importo dovuto`,
			`amount due`, `balance due`, `total due`, `amount payable`, `total payable`, `net payable`, `net amount due`,
			`balance`, `please pay`, `to pay`,
			// French, German, Spanish, Portuguese
			`net à payer`, `montant à payer`, `reste à payer`, `à payer`, `zu zahlen`, `zu zahlender betrag`, `zahlbarer betrag`, `fälliger betrag`, `zahlbetrag`, `offener betrag`,
			`importe a pagar`, `total a pagar`, `a pagar`, `valor a pagar`, `restbetrag`, `saldo da pagare`,
			`saldo dovuto`, `resta da pagare`, `restano da pagare`,
			`da liquidare`, `netto da liquidare`, `importo da liquidare`, `da saldare`,
			// a deposit asked for now (a pro-forma before an event): what to pay
			`acconto(?: del)?(?: \d{1,2} ?%)? (?:richiesto|da versare)(?: ora)?`, `deposit(?: of)?(?: \d{1,2} ?%)? (?:due|requested)(?: now)?`,
			`anzahlung(?: von)?(?: \d{1,2} ?%)? fällig`, `acompte(?: de)?(?: \d{1,2} ?%)? (?:demandé|à verser)`),
		labels(roleTotal, `totale`, `totale documento`, `totale fattura`, `totale complessivo`, `importo`, `importo totale`,
			`total`, `total amount`, `invoice total`, `grand total`, `amount`, `in the amount of`,
			`montant`, `montant ttc`, `total ttc`, `rechnungsbetrag`, `gesamtbetrag`, `endbetrag`, `bruttobetrag`, `summe`,
			`importe`, `importe total`, `total factura`, `valor total`),
		labels(roleComponent, `imponibile`, `iva`, `vat`, `ritenuta`, `ritenuta d'acconto`, `withholding`, `withholding tax`,
			`bollo`, `marca da bollo`, `imposta di bollo`, `cpa`, `contributo`, `contributo integrativo`, `cassa`, `onorari`,
			`compenso`, `onorario`, `net`, `imponibile netto`, `importo netto`, `totale netto`, `prezzo netto`, `valore netto`, `subtotal`, `sub-total`, `deposit`, `acconto`, `sconto`, `discount`, `rivalsa`, `spese`,
			`trasporto`, `shipping`, `fee`,
			`ht`, `montant ht`, `total ht`, `tva`, `mwst`, `ust`, `umsatzsteuer`, `nettobetrag`, `base imponible`, `iva incluido`,
			`taxable amount`, `taxable`, `imponibile iva`, `subtotale`, `totale parziale`, `zwischensumme`, `sous-total`, `base imposable`),
		// the sum of the order or project a deposit invoice asks a part of
		labels(roleBlock, `order total`, `order value`, `totale ordine`, `totale dell'ordine`, `importo ordine`, `importo dell'ordine`,
			`totale progetto`, `importo contratto`, `importo del contratto`, `contract value`, `contract total`, `project total`,
			`montant total du projet`, `montant de la commande`, `total de la commande`, `auftragssumme`, `auftragswert`, `bestellwert`),
	)
})

var withholdingRe = regexp.MustCompile(`(?i)ritenuta|withholding`)

// statementTotalRe labels a sum of the client's whole account (a
// statement of open items), which holds other invoices.
var statementTotalRe = regexp.MustCompile(`(?i)tutte le partite|partite aperte|estratto conto|saldo complessivo|totale complessivo|all open items|open items|statement of account|account balance|offene posten|kontoauszug|gesamtsaldo`)

// bareNetRe is a window that ends with "netto"/"net" alone as the label;
// deductionRe, a text that takes something off its total.
var (
	bareNetRe   = regexp.MustCompile(`(?i)(?:^|[^\pL])(?:netto|net)[ \t]*[:.=]?[ \t]*(?:€|eur|euro)?[ \t]*$`)
	deductionRe = regexp.MustCompile(`(?i)ritenuta|withholding|acconto|anticipo|fondo spese|già versat|gia versat|abzüglich|einbehalt|deduct|less:|minus|tolto|detratt|restano|da liquidare`)
)

// dateLabels name what the date after them is (compiled on first use).
var dateLabels = sync.OnceValue(func() []label {
	return concat(
		labels(roleIssue, `data`, `date`, `data fattura`, `data documento`, `data emissione`, `data di emissione`,
			`invoice date`, `issue date`, `date of issue`, `dated`, `datata`, `emessa il`, `emessa in data`, `issued`,
			`issued on`, `in data`, `fattura del`, `ricevuta del`, `parcella del`, `invoice of`, `facture du`, `rechnung vom`,
			`rechnungsdatum`, `datum`, `date de facture`, `date de facturation`, `fecha`, `fecha de factura`, `data da fatura`, `data de emissão`),
		labels(roleDue, `scadenza`, `scadenza pagamento`, `data scadenza`, `data di scadenza`, `scade il`, `due`, `due date`,
			`due on`, `due by`, `payment due`, `payable by`, `pay by`, `payment by`, `entro il`, `entro e non oltre il`,
			`fällig am`, `fällig`, `zahlbar bis`, `zahlungsziel`, `au plus tard le`, `échéance`, `date d'échéance`,
			`vencimiento`, `fecha de vencimiento`, `vencimento`, `data de vencimento`,
			// the day the money is collected: "addebitato tramite RID il",
			// "SEPA-Lastschrift am", "Direct Debit on", "RiBa 31/01/2027"
			`addebitat[oa]`, `addebito`, `lastschrift`, `abbuchung`, `direct debit`,
			`prélèvement`, `scadenze`,
			// a part's day in a payment in parts: "1^ RiBa al 31/01/2027", "rata al"
			`riba`, `riba al`, `ri.ba. al`, `rata al`, `con scadenza`, `con scadenza il`),
		labels(roleBlock, `preventivo`, `offerta`, `ddt`, `ordine`, `order`, `po`, `quote`, `contratto`, `consegna`,
			`delivery`, `delivered`, `shipping`, `shipping date`, `ship date`, `shipment`, `spedizione`, `data di spedizione`, `versand`, `lieferdatum`, `expédition`, `envío`, `paid`, `pagat[ao]`, `ricevut[ao]`, `received`,
			// a later charge, a notice period: not this invoice's day
			// how long a licence or a subscription lasts: "Scadenza licenze 31/12/2027"
			`licenza`, `licenze`, `licence`, `license`, `licenses`, `validità`, `valido fino al`, `valida fino al`, `valid until`, `valid through`, `gültig bis`,
			`mandato`, `mandate`, `prossimo addebito`, `prossima fattura`, `prossimo rinnovo`, `disdetta`, `disdetta entro`, `disdetta entro il`, `next charge`, `next payment`,
			`next invoice`, `renews on`, `renewal`, `cancel by`, `nächste abbuchung`, `kündigung`, `prochain prélèvement`),
	)
})

func concat(ls ...[]label) []label {
	var out []label
	for _, l := range ls {
		out = append(out, l...)
	}
	return out
}

// vatInclusive is "incl. VAT", "IVA inclusa", "+ IVA": a VAT word that does
// not label the amount after it.
var (
	vatBefore = regexp.MustCompile(`(?i)(?:\+|incl\.?|inc\.|including|plus|più|compresa|inclusa)\s*$`)
	vatAfter  = regexp.MustCompile(`(?i)^\s*(?:\d+\s*%\s*)?(?:inclusa|inclusi|compresa|included|incl|inc\b|esclusa|excluded)`)
	isVAT     = regexp.MustCompile(`(?i)^(?:iva|vat)$`)
)

// lastLabel returns the role of the label nearest the end of window.
func lastLabel(window string, ls []label) role {
	best, bestEnd, bestLen := roleNone, -1, 0
	lower := strings.ToLower(window)
	for _, l := range ls {
		if l.lit != "" && !strings.Contains(lower, l.lit) {
			continue // cheaper than the case-insensitive search
		}
		for _, m := range l.re.FindAllStringSubmatchIndex(window, -1) {
			s, e := m[2], m[3]
			if isVAT.MatchString(window[s:e]) && (vatBefore.MatchString(window[:s]) || vatAfter.MatchString(window[e:])) {
				continue
			}
			if e > bestEnd || e == bestEnd && e-s > bestLen {
				best, bestEnd, bestLen = l.role, e, e-s
			}
		}
	}
	return best
}

// labelRightBefore returns the role of the label that ends window, with
// nothing after it but separators (spaces, line ends, ':', '.', '-', '|',
// '='): the label introduces what follows; roleNone otherwise.
func labelRightBefore(window string, ls []label) role {
	w := strings.TrimRight(window, " \t\r\n:.-–—|=")
	best, bestLen := roleNone, 0
	for _, l := range ls {
		if l.lit != "" && !strings.HasSuffix(strings.ToLower(w), l.lit) {
			continue
		}
		for _, m := range l.re.FindAllStringSubmatchIndex(w, -1) {
			if m[3] == len(w) && m[3]-m[2] > bestLen {
				best, bestLen = l.role, m[3]-m[2]
			}
		}
	}
	return best
}

// window returns the text before position pos on the same line (or the
// line before, when pos starts its line), not before from and at most n
// bytes long.
func window(text string, from, pos, n int) string {
	lineStart := strings.LastIndexByte(text[:pos], '\n') + 1
	if lineStart > 0 && strings.TrimSpace(text[lineStart:pos]) == "" {
		// A figure that starts its line belongs to the label that ended the
		// line before ("l'importo da bonificare è di\n€ 2.297,68").
		lineStart = strings.LastIndexByte(text[:lineStart-1], '\n') + 1
	}
	// A column layout pads a label with spaces ("Net à payer        11
	// 700,00 €"): a run of blanks counts as one character.
	back, count := pos, 0
	for back > 0 && count < n {
		back--
		if c := text[back]; c == ' ' || c == '\t' {
			for back > 0 && (text[back-1] == ' ' || text[back-1] == '\t') {
				back--
			}
		}
		count++
	}
	start := max(from, back, lineStart, 0)
	if start > pos {
		return ""
	}
	return text[start:pos]
}

type money struct {
	value decimal.Decimal
	cur   string
}

type amountMention struct {
	start, end int
	money
	role role
	// bare: a figure without a currency read from written arithmetic
	// (chainFigures); bracketed: alone in brackets after a sum.
	bare, bracketed bool
	// lineResult: the result of a line's quantity times price ("48 x
	// € 285,00 = € 13.680,00"), a part unless it is all there is.
	lineResult bool
}

var afterTotalRe = regexp.MustCompile(`(?i)^[ \t]*(?:total|totale)\b`)

// A figure followed by "+ bollo", "+ IVA" is the base of a sum, not what is
// owed; a figure a sentence reaches ("quindi € 2.002,00 in tutto", "for a
// total of") is the total.
var (
	plusComponentAfterRe = regexp.MustCompile(`(?i)^[ \t]*(?:nett[io]\b|net\b)?[ \t,]*(?:\+|più|plus\b)[ \t]*(?:la |il |l'|the )?(?:iva|vat|bollo|marca da bollo|imposta di bollo|spese|cassa|contributo|rivalsa|cpa|inps|shipping|fees?)\b`)
	conclusionBeforeRe   = regexp.MustCompile(`(?i)(?:\bquindi|\bpertanto|\bdunque|per un totale di|in totale|complessivamente|for a total of|\bin total|\bso the total is|that makes|bringing the total to)[ \t:,]*$`)
	instalmentBeforeRe   = regexp.MustCompile(`(?i)\b(?:rat[ae]|instal?ments?|payments? of|monthly|mensil[ei]|Raten?|mensualités?|cuotas?|parcelas?)\b[^\n€£$]{0,25}$`)
	instalmentAfterRe    = regexp.MustCompile(`(?i)^[ \t]*(?:\(?[ \t]*)(?:ciascuna|cadauna|l'una|each|per rata|a rata|al mese|per month|a month|monthly|pro monat|par mois)\b`)
	// "£450/day", "€ 70,00 all'ora": a price per unit; "50% (EUR 3,900.00)":
	// a share of the total. Both are parts.
	perUnitAfterRe = regexp.MustCompile(`(?i)^[ \t]*(?:/|per[ \t]+|a[ \t]+|al[ \t]+|all'|l')[ \t]*(?:day|days|hour|hours|h|hr|ora|ore|giorno|giornata|night|notte|unit|pezzo|pz|kg|mq|m2|tag|stunde|jour|heure)\b`)
	shareBeforeRe  = regexp.MustCompile(`\d[ \t]*%[ \t]*\(?[ \t]*$`)
	// "5 x € 75.00", "3 × 120,00 €": a count times a unit price.
	// "1.200 Stk. à 3,85 EUR", "€ 55,00 cad.", "£12 each": a unit's price.
	unitPriceBeforeRe = regexp.MustCompile(`(?i)(?:^|[^\pL])(?:à|je|each|cad\.?|cadauno|cadauna)[ \t]*(?:€|eur|euro|£|\$|chf)?[ \t]*$`)
	timesBeforeRe     = regexp.MustCompile(`\b\d+(?:[ \t]+\pL+\.?){0,4}[ \t]*[x×*][ \t]*$|\b\d+(?:[ \t]+\pL+\.?){0,3}[ \t]*@[ \t]*$`)
	conclusionAfterRe = regexp.MustCompile(`(?i)^[ \t]*(?:in tutto|in totale|complessiv[ie]|tutto compreso|in all|in total|all in)\b`)
	// "quindi restano 1.020 €", "remaining: £300": what is left after
	// something was taken off is what is to pay.
	remainderBeforeRe = regexp.MustCompile(`(?i)\b(?:restano|rimangono|resta|rimane|rimanenti|restanti|remaining|leaves|leaving|left to pay|reste|verbleiben|quedan|restam)\b[^\n\d€£$]{0,12}$`)
	// "tolto l'acconto di 200", "meno i 150 che mi hai dato", "abzüglich
	// Anzahlung 200,00 EUR": a figure taken away.
	deductionBeforeRe = regexp.MustCompile(`(?i)(?:^|[^\pL])(?:meno|tolto|tolti|tolta|tolgo|togliendo|detratto|detratti|detraggo|dedotto|dedotti|sottratto|scalato|scalati|abzüglich|abzgl\.?|minus|less|moins|menos)(?:$|[^\pL])[^\n\d€£$]{0,30}$`)
)

// figureAfterRe is a figure right after a currency symbol.
var figureAfterRe = regexp.MustCompile(`^\s?(` + numPattern + `)\b`)

// hasCents reports whether a figure is written with a decimal part.
func hasCents(num string) bool {
	i := strings.LastIndexAny(num, ".,")
	return i >= 0 && len(num)-i-1 >= 1 && len(num)-i-1 <= 2
}

// bareFigureRe is a figure with cents and no currency marker: "410,00",
// "1.220,00", "2,380.00".
var bareFigureRe = regexp.MustCompile(`(?:^|[^\d.,'\pL])(\d{1,3}(?:[.'\x{00A0} ]\d{3})+,\d{2}|\d{1,3}(?:[,'\x{00A0} ]\d{3})+\.\d{2}|\d+[.,]\d{2})(?:$|[^\d.,%\pL])`)

// italianIBANRe is an Italian IBAN: an invoice paid to it is in euro.
var italianIBANRe = regexp.MustCompile(`\bIT\d{2}[ ]?[A-Z]`)

// bareCurrency is the currency of the figures a text writes without one:
// the one its marked amounts use, when they agree; with none marked, euro
// for a text with an Italian IBAN. ok is false when it cannot be told
// (several currencies: a bare figure could be any).
func bareCurrency(text string, marked []amountMention) (cur string, ok bool) {
	for _, a := range marked {
		switch {
		case a.cur == "":
		case cur == "":
			cur = a.cur
		case cur != a.cur:
			return "", false
		}
	}
	if cur == "" {
		if !italianIBANRe.MatchString(text) {
			return "", false
		}
		cur = "EUR"
	}
	return cur, true
}

// overlapsAny reports whether s:e overlaps one of the marked amounts.
func overlapsAny(marked []amountMention, s, e int) bool {
	for _, a := range marked {
		if s < a.end && a.start < e {
			return true
		}
	}
	return false
}

// labelledBareFigures returns the figures with cents but no currency that
// a total or payable label introduces ("TOTALE DA PAGARE 410,00", a
// label on the line before): a printed invoice often writes the currency
// once, or never. Their currency is the one the text's marked amounts
// use, when they agree; with none, euro for a text with an Italian IBAN.
// Figures inside a marked amount are not read twice.
func labelledBareFigures(text string, marked []amountMention) []amountMention {
	cur, ok := bareCurrency(text, marked)
	if !ok {
		return nil
	}
	var out []amountMention
	for _, m := range bareFigureRe.FindAllStringSubmatchIndex(text, -1) {
		s, e := m[2], m[3]
		if overlapsAny(marked, s, e) {
			continue
		}
		w := window(text, 0, s, 200)
		role := labelRightBefore(w, amountLabels()) // columns: far apart
		if role == rolePayable && bareNetRe.MatchString(strings.TrimRight(w, " \t\r\n:.-–—|=")) && !deductionRe.MatchString(text) {
			continue // "Netto 1.640,00" before the VAT: net of VAT, a part
		}
		if role != rolePayable && role != roleTotal {
			continue
		}
		v, err := parseFigure(text[s:e])
		if err != nil {
			continue
		}
		out = append(out, amountMention{start: s, end: e, money: money{v.Abs(), cur}, role: role})
	}
	return out
}

// scanAmounts finds every amount with a currency and decides its role from
// its label, from arithmetic written around it ("A + B = C"), and from sums
// (C right after amounts that add up to it is their total).
// amountSearchFrom returns where, at or after i, amountRe's leftmost match
// may start, or -1 when text[i:] holds no currency marker at all: one byte
// before the run of figure characters ("1.220,00 ") that stands before the
// first marker, so that the regexp sees the same word boundary. A marker
// found here may be none ("neuro"): the regexp decides.
func amountSearchFrom(text string, i int) int {
	c := -1
	for j := i; j < len(text) && c < 0; j++ {
		switch b := text[j]; {
		case b == '$':
			c = j
		case b == 0xE2 && strings.HasPrefix(text[j:], "€"), b == 0xC2 && strings.HasPrefix(text[j:], "£"):
			c = j
		case b|0x20 == 'e' && j+3 <= len(text) && strings.EqualFold(text[j:j+3], "eur"),
			b|0x20 == 'g' && j+3 <= len(text) && strings.EqualFold(text[j:j+3], "gbp"),
			b|0x20 == 'u' && j+3 <= len(text) && (strings.EqualFold(text[j:j+3], "usd") || strings.EqualFold(text[j:j+3], "us$")),
			b|0x20 == 'c' && j+3 <= len(text) && strings.EqualFold(text[j:j+3], "chf"):
			c = j
		}
	}
	if c < 0 {
		return -1
	}
	start := c
	if start > i && strings.IndexByte(" \t\n\r\f", text[start-1]) >= 0 { // \s in RE2
		start--
	}
	// Back over the figure's characters, the no-break spaces that group
	// thousands ("1 220,00") included.
	for start > i {
		switch {
		case strings.IndexByte("0123456789.,' -", text[start-1]) >= 0:
			start--
		case strings.HasSuffix(text[i:start], "\u00a0"):
			start -= len("\u00a0")
		case strings.HasSuffix(text[i:start], "\u202f"):
			start -= len("\u202f")
		default:
			goto figureStart
		}
	}
figureStart:
	if start > i {
		start-- // the byte before: the word boundary the regexp tests
	}
	return start
}

func scanAmounts(text string) []amountMention {
	var out []amountMention
	for i := 0; i < len(text); {
		// No amount is without its currency marker: the regexp starts
		// where the first one after i (with the figure before it) could.
		from := amountSearchFrom(text, i)
		if from < 0 {
			break
		}
		i = from
		loc := amountRe.FindStringSubmatchIndex(text[i:])
		if loc == nil {
			break
		}
		for j := range loc {
			if loc[j] >= 0 {
				loc[j] += i
			}
		}
		cur, num := submatch(text, loc, 1), submatch(text, loc, 2)
		if num == "" {
			num, cur = submatch(text, loc, 3), submatch(text, loc, 4)
			// "12 € 696,00", "28 £2,380.00": a symbol between a count and a
			// figure with cents belongs to the figure.
			if !hasCents(num) {
				if m := figureAfterRe.FindStringSubmatchIndex(text[loc[1]:]); m != nil && hasCents(text[loc[1]+m[2]:loc[1]+m[3]]) {
					loc = []int{loc[8], loc[1] + m[1], loc[8], loc[9], loc[1] + m[2], loc[1] + m[3]}
					num = text[loc[4]:loc[5]]
				}
			}
		}
		i = loc[1]
		v, err := parseFigure(num)
		if err != nil {
			continue
		}
		out = append(out, amountMention{start: loc[0], end: loc[1], money: money{v.Abs(), currencyCodes[strings.ToLower(cur)]}})
	}
	out = append(out, chainFigures(text, out)...)
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	prevEnd := 0
	timesBefore := make([]bool, len(out)) // the figure is a unit price after "N x"
	depositInvoice := isDepositInvoice(text)
	for i := range out {
		a := &out[i]
		w := window(text, prevEnd, a.start, 70)
		// What follows the figure, as far as the anchored patterns below
		// read (a regexp costs the length of what it is given).
		after := text[a.end:min(len(text), a.end+120)]
		a.role = lastLabel(w, amountLabels())
		if statementTotalRe.MatchString(w) {
			// "TOTALE DA PAGARE (tutte le partite)": the client's whole
			// account, other invoices included, not this invoice.
			a.role = roleBlock
		}
		if a.role == rolePayable && bareNetRe.MatchString(w) && !deductionRe.MatchString(text) {
			// "Netto 1.640,00" before the VAT ("Netto / MwSt / Gesamtbetrag",
			// "Totale netto"): what is net of VAT. It is what remains to pay
			// only where something is taken off the total (a withholding,
			// a deposit).
			a.role = roleComponent
		}
		if a.role != rolePayable && bareSaldoRe.MatchString(strings.TrimRight(w, " \t\r\n:.-–—|=€")) && depositPaidRe.MatchString(text) {
			// "Acconto già versato € 600 / Saldo € 1.802": the balance
			// after a deposit paid is what is left to pay ("saldo" alone
			// is also the last instalment, or an account's balance).
			a.role = rolePayable
		}
		if a.role == roleNone && afterTotalRe.MatchString(after) {
			a.role = roleTotal
		}
		if a.role != rolePayable && plusComponentAfterRe.MatchString(after) {
			a.role = roleComponent
		}
		if a.role != rolePayable && (conclusionBeforeRe.MatchString(w) || conclusionAfterRe.MatchString(after)) {
			a.role = roleTotal
		}
		if remainderBeforeRe.MatchString(w) {
			a.role = rolePayable
		}
		times := timesBeforeRe.MatchString(w) || unitPriceBeforeRe.MatchString(w)
		timesBefore[i] = times
		if instalmentBeforeRe.MatchString(w) || instalmentAfterRe.MatchString(after) ||
			perUnitAfterRe.MatchString(after) || shareBeforeRe.MatchString(w) || times {
			// "3 rate mensili di € 1.265,00 ciascuna": one part, whatever
			// label stands before it.
			a.role = roleComponent
		}
		if strings.HasSuffix(strings.TrimSpace(w), "=") && (i > 0 && timesBefore[i-1] && !strings.Contains(text[out[i-1].end:a.start], "\n") || timesPriceBeforeRe.MatchString(w)) {
			// "1 x 2.150,00 € = 2.150,00 €": a line of the invoice, a part.
			a.role, a.lineResult = roleComponent, true
		} else if lineItemBeforeRe.MatchString(window(text, 0, a.start, 70)) {
			a.role = roleComponent
		} else if strings.HasSuffix(strings.TrimSpace(w), "=") {
			// The result of a sum written out: its operands are parts of it;
			// after a deduction ("976, meno ritenuta 160 = 816,00") it is
			// what remains to pay.
			first, less := a.role, false
			for j := i - 1; j >= 0; j-- {
				gap := text[out[j].end:out[j+1].start]
				if strings.Contains(gap, "\n") || !strings.ContainsAny(gap, "+=") && !strings.Contains(strings.ToLower(gap), "più") {
					break
				}
				first = out[j].role
				out[j].role = roleComponent
				less = less || deducted(text, out[j])
			}
			a.role = max(roleTotal, min(first, rolePayable))
			if less {
				a.role = rolePayable
			}
		}
		if cashDiscountIn(lineAround(text, a.start)) {
			a.role = roleComponent
		}
		if depositInvoice && depositLabelBeforeRe.MatchString(w) && !depositPaidRe.MatchString(w+text[a.end:min(len(text), a.end+40)]) {
			// "Deposit (30%): USD 4,230.00" on a deposit invoice: what it asks.
			a.role = rolePayable
		}
		if a.role == roleTotal && depositOfTotalRe.MatchString(lineBefore(text, a.start)) {
			// "Acconto 30% servizio fotografico (totale servizio € 2.400,00)":
			// the whole service's sum, of which this invoice asks a part.
			a.role = roleBlock
		}
		if (a.role == roleTotal || a.role == rolePayable) && labelCellsAway(w) {
			// "Descrizione | Q.tà | Prezzo | Importo | Sostituzione colonna |
			// 1 | € 1.650,00": a table flattened into one line, its column
			// name cells away from the figure, which is a line's amount.
			a.role = roleComponent
		}
		if thresholdBeforeRe.MatchString(w) {
			// "bollo per importi superiori a € 77,47", "orders over £500":
			// a limit a rule speaks of, no sum of this invoice.
			a.role = roleBlock
		}
		prevEnd = a.end
	}
	// One line item and no total: its result is what the invoice asks
	// ("48 studenti x € 285,00 = € 13.680,00").
	results, totals := 0, 0
	for _, a := range out {
		if a.lineResult {
			results++
		}
		if a.role == roleTotal || a.role == rolePayable {
			totals++
		}
	}
	if results == 1 && totals == 0 {
		for i := range out {
			if out[i].lineResult {
				out[i].role = roleTotal
			}
		}
	}
	// A figure alone in brackets after a sum ("+ 2 di bollo (122)") is read
	// by the sum rule below, whatever label stood before the bracket.
	for i := range out {
		if out[i].bracketed {
			out[i].role = roleNone
		}
	}
	// A figure equal to the sum of the two to five figures right before it,
	// in the same paragraph, is their total.
	sumOnly := make([]bool, len(out)) // a total only by the sum rule, with no label of its own
	for i := range out {
		if out[i].role == roleComponent {
			continue
		}
		sum := decimal.Zero
		for j := i - 1; j >= 0 && i-j <= 5; j-- {
			if strings.Contains(text[out[j].end:out[j+1].start], "\n\n") || out[j].cur != out[i].cur {
				break
			}
			sum = sum.Add(out[j].value)
			if i-j >= 2 && sum.Equal(out[i].value) {
				for k := j; k < i; k++ {
					out[k].role = roleComponent
				}
				sumOnly[i] = out[i].role < roleTotal
				out[i].role = max(out[i].role, roleTotal)
				break
			}
		}
	}
	// A sum with no label that a labelled total follows in the same
	// paragraph is a step of the computation written out (onorario +
	// spese = 920, … TOTALE DOCUMENTO 1.267,30): a subtotal.
	for i := range out {
		if !sumOnly[i] {
			continue
		}
		for k := i + 1; k < len(out) && !strings.Contains(text[out[k-1].end:out[k].start], "\n\n"); k++ {
			if out[k].role >= roleTotal && !sumOnly[k] && out[k].cur == out[i].cur {
				out[i].role = roleComponent
				break
			}
		}
	}
	// A figure equal to a total before it less the deductions written
	// between them ("Totale € 2.283,84 … - € 360,00 … Netto € 1.923,84 …
	// Acconto - € 500,00 … Saldo € 1.423,84") is what remains: the later
	// figure is the total, the earlier one a step towards it.
	for i := range out {
		if out[i].role == roleComponent {
			continue
		}
		less := decimal.Zero
		for j := i - 1; j >= 0 && i-j <= 8; j-- {
			if out[j].cur != out[i].cur {
				break
			}
			if deducted(text, out[j]) {
				less = less.Add(out[j].value)
				continue
			}
			if out[j].role >= roleTotal && less.IsPositive() && out[j].value.Sub(less).Equal(out[i].value) {
				out[i].role = max(out[i].role, out[j].role)
				out[j].role = roleComponent
				break
			}
		}
	}
	// A figure without a currency that nothing made a total is an operand
	// of the arithmetic it stands in, never an amount read by itself.
	for i := range out {
		if out[i].bare && out[i].role == roleNone {
			out[i].role = roleComponent
		}
	}
	return out
}

// chainFigureRe is a figure written without a currency: grouped
// thousands with or without cents ("1.220", "1.220,00", "1,220.00") or
// plain digits with optional cents ("452", "78,50").
var chainFigureRe = regexp.MustCompile(`(?:^|[^\d.,'/\pL\-])(\d{1,3}(?:\.\d{3})+(?:,\d{2})?|\d{1,3}(?:,\d{3})+\.\d{2}|\d+(?:[.,]\d{2})?)(?:$|[^\d.,/%\pL]|[.,](?:$|[^\d]))`)

var (
	operandBeforeRe = regexp.MustCompile(`(?i)(?:[+=]|\bpiù|\bplus|\bquindi|\bin tutto|\bfa|\bfanno|\bmakes)[ \t]*$`)
	operandAfterRe  = regexp.MustCompile(`(?i)^[ \t]*(?:[+=]|più|plus\b)`)
	// "+ 2 di bollo (122)": a figure alone in brackets after a sum.
	bracketBeforeRe = regexp.MustCompile(`\([ \t]*$`)
	bracketAfterRe  = regexp.MustCompile(`^[ \t]*\)`)
	countBeforeRe   = regexp.MustCompile(`(?:\d[ \t]*[x×*]|[x×*])[ \t]*$`)
	countAfterRe    = regexp.MustCompile(`^[ \t]*[x×*][ \t]*\d`)
	digitsAfterRe   = regexp.MustCompile(`^[ \t]\d`)
	// "6 prove x 80 = 480,00", "7 Nächte x 80,00 EUR = 560,00 EUR": the
	// result of a count times a price is one line of the invoice, a part.
	lineItemBeforeRe = regexp.MustCompile(`(?i)\d(?:[ \t]+\pL+\.?)?[ \t]*[x×*][ \t]*(?:€|£|\$|eur\b|euro\b)?[ \t]*\d[\d.,]*[ \t]*(?:€|£|\$|eur\b|euro\b)?[ \t]*=[ \t]*$`)
)

// A cash discount offered for paying early ("Bei Zahlung innerhalb 14
// Tagen 2 % Skonto … Zahlbetrag dann EUR 3.460,38", "sconto 2% se pagata
// entro 10 giorni") is a condition: its figures are not what the invoice
// asks, nor its days the term to pay in.
var (
	cashDiscountRe = regexp.MustCompile(`(?i)skonto|escompte|sconto|discount|descuento|desconto`)
	earlyPayRe     = regexp.MustCompile(`(?i)bei zahlung|zahlung innerhalb|innerhalb (?:von )?\d|if paid|if payment|when paid|payment within|paid within|within \d|se pagat|se il pagamento|pagamento entro|entro \d|en cas de paiement|paiement sous|sous \d|dans les \d|si paga|si el pago|en \d+ d[ií]as|pago en`)
)

// cashDiscountIn reports whether span offers a discount for paying early.
func cashDiscountIn(span string) bool {
	return cashDiscountRe.MatchString(span) && earlyPayRe.MatchString(span)
}

// lineAround returns the line of text that holds pos.
func lineAround(text string, pos int) string {
	start := strings.LastIndexByte(text[:pos], '\n') + 1
	end := len(text)
	if i := strings.IndexByte(text[pos:], '\n'); i >= 0 {
		end = pos + i
	}
	return text[start:end]
}

// clauseAround returns the clause of text that holds pos: the line, cut at
// ';' and at a comma followed by a space (not a decimal comma). A payment
// term is read in its clause, so that in "innerhalb von 14 Tagen abzüglich
// 2 % Skonto, spätestens 30 Tage nach Rechnungsdatum netto" the term after
// the comma stands.
func clauseAround(text string, pos int) string {
	start := max(strings.LastIndexAny(text[:pos], "\n;")+1, strings.LastIndex(text[:pos], ", ")+2)
	end := len(text)
	if i := strings.IndexAny(text[pos:], "\n;"); i >= 0 {
		end = pos + i
	}
	if i := strings.Index(text[pos:end], ", "); i >= 0 {
		end = pos + i
	}
	return text[start:end]
}

// chainWords are the words of arithmetic written out: conclusions,
// remainders, deductions (see chainFigures).
var chainWords = cheap{need: []string{"quindi", "pertanto", "dunque", "totale di", "in totale", "in tutto", "complessiv", "in total", "in all",
	"so the total", "that makes", "bringing", "restan", "riman", "resta", "remaining", "leav", "left to pay", "reste", "verbleib", "quedan",
	"restam", "più", "plus", "meno", "tolt", "tolg", "detra", "dedott", "sottratt", "scalat", "abzüglich", "abzgl", "minus", "less",
	"moins", "menos", " fa ", "fanno", "makes"}}

// chainFigures returns the figures without a currency that stand in
// arithmetic written in words and signs around amounts with one ("450 +
// iva quindi 549", "+ 2 di bollo = 482.", "tolto l'acconto di 200 …
// restano 850 euro", "122 in tutto"): an operand or result of a sum, a
// conclusion, a remainder or a deduction. People who write an invoice in a
// mail write the currency once, or never. Their currency is the one the
// marked amounts share; with none marked, euro for a text with an Italian
// IBAN; with several, none is read. A count ("10 x 45") is not one.
func chainFigures(text string, marked []amountMention) []amountMention {
	cur, ok := bareCurrency(text, marked)
	if !ok {
		return nil
	}
	var out []amountMention
	var ms [][]int
	for off := 0; off < len(text); {
		end := len(text)
		if i := strings.IndexByte(text[off:], '\n'); i >= 0 {
			end = off + i
		}
		// Only lines with an operator or a word of arithmetic are read.
		if line := text[off:end]; strings.ContainsAny(line, "+=()") || chainWords.may(strings.ToLower(line)) {
			for _, m := range chainFigureRe.FindAllStringSubmatchIndex(line, -1) {
				ms = append(ms, []int{m[0] + off, m[1] + off, m[2] + off, m[3] + off})
			}
		}
		off = end + 1
	}
	for _, m := range ms {
		s, e := m[2], m[3]
		if overlapsAny(marked, s, e) {
			continue
		}
		lineStart := strings.LastIndexByte(text[:s], '\n') + 1
		before := text[max(lineStart, s-60):s]
		lineEnd := len(text)
		if i := strings.IndexByte(text[e:], '\n'); i >= 0 {
			lineEnd = e + i
		}
		after := text[e:lineEnd]
		if countBeforeRe.MatchString(before) || countAfterRe.MatchString(after) || digitsAfterRe.MatchString(after) {
			continue // a count, or a group of a longer number ("+39 328 910 4471")
		}
		bracketed := bracketBeforeRe.MatchString(before) && bracketAfterRe.MatchString(after)
		if !(bracketed || operandBeforeRe.MatchString(before) || operandAfterRe.MatchString(after) || conclusionBeforeRe.MatchString(before) ||
			conclusionAfterRe.MatchString(after) || remainderBeforeRe.MatchString(before) || deductionBeforeRe.MatchString(before)) {
			continue
		}
		v, err := parseFigure(text[s:e])
		if err != nil || v.IsZero() {
			continue
		}
		out = append(out, amountMention{start: s, end: e, money: money{v.Abs(), cur}, bare: true, bracketed: bracketed})
	}
	if len(out)+len(marked) < 2 {
		return nil // arithmetic needs two figures
	}
	return out
}

// deducted reports whether the amount a is written as taken away: a minus
// sign before its figure or its currency ("- € 360,00", "EUR -820.00"),
// not a bullet starting the line, or a word that takes it off ("tolto
// l'acconto di 200", "abzüglich Anzahlung 200,00 EUR").
func deducted(text string, a amountMention) bool {
	if strings.ContainsAny(text[a.start:a.end], "-−") {
		return true
	}
	if deductionBeforeRe.MatchString(window(text, 0, a.start, 50)) {
		return true
	}
	before := strings.TrimRight(text[:a.start], " \t")
	if !strings.HasSuffix(before, "-") && !strings.HasSuffix(before, "−") {
		return false
	}
	// A dash that starts its line is a list's bullet, not a minus.
	line := before[strings.LastIndexByte(before, '\n')+1:]
	return strings.TrimLeft(line, " \t-−") != ""
}

type dateMention struct {
	start, end int
	date       time.Time // zero when the year is not written
	month, day int
	role       role
}

// dateOrder says how to read a numeric date whose parts are both 12 or less.
type dateOrder int

const (
	orderDMY dateOrder = iota
	orderMDY
	orderUnknown // ambiguous numeric dates are not read at all
)

// dayMonth reads the two numbers of a numeric date, a before b, as day and
// month in the text's order: a number over 12 can only be the day; equal
// numbers need no order; otherwise the order decides, and an unknown order
// reads nothing.
func dayMonth(a, b int, order dateOrder) (day, month int, ok bool) {
	switch {
	case a > 12 || a == b:
	case b > 12:
		a, b = b, a
	case order == orderMDY:
		a, b = b, a
	case order == orderUnknown:
		return 0, 0, false
	}
	return a, b, true
}

// numericEvidence reports whether text holds a numeric date that can only be
// day-first (13/02/2027) or only month-first (02/13/2027).
func numericEvidence(text string) (dmy, mdy bool) {
	for _, m := range numDateRe.FindAllStringSubmatch(text, -1) {
		if m[2] != m[4] {
			continue
		}
		a, b := atoi(m[1]), atoi(m[3])
		if a > 12 && a <= 31 && b <= 12 {
			dmy = true
		}
		if b > 12 && b <= 31 && a <= 12 {
			mdy = true
		}
	}
	return dmy, mdy
}

func scanDates(text string, order dateOrder) []dateMention {
	var out []dateMention
	add := func(s, e int, y, mo, d int) {
		dm := dateMention{start: s, end: e, month: mo, day: d}
		if y > 0 {
			t, err := mkDate(y, mo, d)
			if err != nil {
				return
			}
			dm.date = t
		} else if _, err := mkDate(2024, mo, d); err != nil { // a leap year allows 29 February
			return
		}
		out = append(out, dm)
	}
	for _, m := range isoDateRe.FindAllStringSubmatchIndex(text, -1) {
		add(m[0], m[1], atoi(submatch(text, m, 1)), atoi(submatch(text, m, 2)), atoi(submatch(text, m, 3)))
	}
	for _, m := range numDateRe.FindAllStringSubmatchIndex(text, -1) {
		sep, ys := submatch(text, m, 2), submatch(text, m, 5)
		if sep != submatch(text, m, 4) || len(ys) == 2 && sep != "/" && !dateWordBeforeRe.MatchString(text[max(0, m[0]-14):m[0]]) {
			continue
		}
		if d, mo, ok := dayMonth(atoi(submatch(text, m, 1)), atoi(submatch(text, m, 3)), order); ok {
			add(m[0], m[1], fullYear(ys), mo, d)
		}
	}
	// "del 22/11", "entro il 10/12": a day and month with no year, in the
	// order the text uses (a slash only; "1/2" of something that is not a
	// date has no label that reads it as one).
	for _, m := range shortDateRe.FindAllStringSubmatchIndex(text, -1) {
		if m[1] < len(text) && (text[m[1]] == '/' || text[m[1]] == '-' || text[m[1]] >= '0' && text[m[1]] <= '9') {
			continue
		}
		if m[0] > 0 && (text[m[0]-1] == '/' || text[m[0]-1] == '-' || text[m[0]-1] == '.') {
			continue
		}
		if d, mo, ok := dayMonth(atoi(submatch(text, m, 1)), atoi(submatch(text, m, 2)), order); ok {
			add(m[0], m[1], 0, mo, d)
		}
	}
	lower := asciiLower(text) // same offsets; month names are matched in lower case
	dmy, mdy := writtenDates(lower)
	for _, m := range dmy {
		y := 0
		if ys := submatch(text, m, 3); ys != "" {
			y = atoi(ys)
		}
		add(m[0], m[1], y, int(monthNames[strings.ToLower(submatch(text, m, 2))]), atoi(submatch(text, m, 1)))
	}
	for _, m := range mdy {
		y := 0
		if ys := submatch(text, m, 3); ys != "" {
			y = atoi(ys)
		}
		add(m[0], m[1], y, int(monthNames[strings.ToLower(submatch(text, m, 1))]), atoi(submatch(text, m, 2)))
	}
	// Keep the longest of overlapping readings.
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].start != out[j].start {
			return out[i].start < out[j].start
		}
		return out[i].end-out[i].start > out[j].end-out[j].start
	})
	var kept []dateMention
	for _, d := range out {
		if n := len(kept); n > 0 && d.start < kept[n-1].end {
			if d.end-d.start > kept[n-1].end-kept[n-1].start {
				kept[n-1] = d
			}
			continue
		}
		kept = append(kept, d)
	}
	return kept
}

// term is a payment term: N days from the invoice date, then to the end of
// that month when endOfMonth.
type term struct {
	days       int
	endOfMonth bool
	// nextMonthDay is a day of the month after the one counted to ("il
	// 10 del mese successivo"); 0: none.
	nextMonthDay int
	// dayOfMonth is a day of the month, the first one on or after the
	// invoice date ("bonifico entro il 15"); 0: none.
	dayOfMonth int
	// plusDays are days added after the end of the month ("60 gg
	// d.f.f.m. + 10": the 10th of the month after).
	plusDays int
	// from is the day an anchored term counts from (the payment
	// certificate's, say); zero: the invoice date.
	from time.Time
}

func (t term) apply(issue time.Time) time.Time {
	if !t.from.IsZero() {
		issue = t.from
	}
	d := issue.AddDate(0, 0, t.days)
	if t.endOfMonth {
		d = time.Date(d.Year(), d.Month()+1, 0, 0, 0, 0, 0, time.UTC).AddDate(0, 0, t.plusDays)
	}
	if t.nextMonthDay > 0 {
		d = time.Date(d.Year(), d.Month()+1, t.nextMonthDay, 0, 0, 0, 0, time.UTC)
	}
	if t.dayOfMonth > 0 {
		first := time.Date(issue.Year(), issue.Month(), t.dayOfMonth, 0, 0, 0, 0, time.UTC)
		if first.Before(time.Date(issue.Year(), issue.Month(), issue.Day(), 0, 0, 0, 0, time.UTC)) {
			first = first.AddDate(0, 1, 0)
		}
		d = first
	}
	return d
}

var (
	termFMRe = regexp.MustCompile(`(?i)\b(\d{1,3})(?:\s*(?:/|,|e|and|und)\s*\d{1,3})*\s*(?:gg\.?|giorni|jours|días|dias|Tage|days)\s*(?:d\.?\s?f\.?\s?f\.?\s?m\b\.?|df\s?fm\b|data\s+fattura\s+fine\s+mese|d\.?\s?f\.?\s+fine\s+mese|fine\s+mese|f\.?\s?m\b\.?|fin\s+de\s+mois|fin\s+de\s+mes|fim\s+do\s+m[eê]s|zum\s+Monatsende|Ende\s+(?:des\s+)?Monats?|end\s+of\s+(?:the\s+)?month|eom\b)`)
	// termMonthEndRe is payment by the end of the invoice's month.
	termMonthEndRe = regexp.MustCompile(`(?i)\b(?:pagamento\s+)?entro\s+(?:la\s+)?fine\s+(?:del\s+)?mese\b|\b(?:scade|scadenza|pagamento|pagabile|saldo)\s+(?:a\s+|al(?:la)?\s+)?fine\s+(?:del\s+)?mese\b|\bby\s+the\s+end\s+of\s+the\s+month\b|\bbis\s+(?:zum\s+)?Monatsende\b`)
	termDFRe       = []cheap{
		{regexp.MustCompile(`(?i)\b(\d{1,3})(?:\s*(?:/|,|e|and|und)\s*\d{1,3})*\s*(?:gg\.?|giorni)\s*(?:d\.?\s?f\b\.?|df\b|data\s+fattura|dalla\s+data\s+(?:della\s+|di\s+)?fattura|dall'emissione|dalla\s+data\s+di\s+emissione)`), []string{"gg", "giorni"}},
		{regexp.MustCompile(`(?i)\bentro\s+(\d{1,3})\s*(?:gg\b\.?|giorni\b)`), []string{"entro"}},
		{regexp.MustCompile(`(?i)\brimessa\s+diretta\s+(?:a\s+)?(\d{1,3})\s*(?:gg\b\.?|giorni\b)`), []string{"rimessa"}},
		{regexp.MustCompile(`(?i)\bnet\s?(\d{1,3})\b(?:[^.,\d]|$|[.,](?:\D|$))`), []string{"net"}},
		{regexp.MustCompile(`(?i)\bwithin\s+(\d{1,3})\s+days\b`), []string{"within"}},
		{regexp.MustCompile(`(?i)\b(\d{1,3})\s+days\s+(?:from|of|after)\s+(?:the\s+)?(?:date\s+of\s+)?invoice`), []string{"days"}},
		{regexp.MustCompile(`(?i)\bterms\s*:?\s*(\d{1,3})\s+days\b`), []string{"terms"}},
		{regexp.MustCompile(`(?i)\bdue\s+in\s+(\d{1,3})\s+days\b`), []string{"due"}},
		{regexp.MustCompile(`(?i)\b(\d{1,3})\s+Tage\s+(?:netto|nach\s+Rechnungs(?:datum|eingang|stellung))`), []string{"tage"}},
		{regexp.MustCompile(`(?i)\b(?:innerhalb|innert|binnen)\s+(?:von\s+)?(\d{1,3})\s+Tagen\b`), []string{"innerhalb", "innert", "binnen"}},
		{regexp.MustCompile(`(?i)\bzahlbar\s+(?:in|binnen)\s+(\d{1,3})\s+Tagen\b`), []string{"zahlbar"}},
		{regexp.MustCompile(`(?i)\b(?:sous|dans\s+les)\s+(\d{1,3})\s+jours\b`), []string{"jours"}},
		{regexp.MustCompile(`(?i)\b(?:paiement|règlement|reglement|payable|à\s+régler)\s+à\s+(\d{1,3})\s+jours\b(?:\s+(?:net|date\s+de\s+facture))?(?:[^\pL]|$)`), []string{"jours"}},
		{regexp.MustCompile(`(?i)\b(\d{1,3})\s+jours\s+(?:net|date\s+de\s+facture|à\s+compter\s+de\s+la\s+date\s+de\s+facture)`), []string{"jours"}},
		{regexp.MustCompile(`(?i)\b(\d{1,3})\s+d[ií]as\s+(?:fecha\s+(?:de\s+)?factura|netos?)`), []string{"dias", "días"}},
	}
	// termNowRe is payment at once: due on the invoice date.
	termNowRe = regexp.MustCompile(`(?i)(?:^|[^\pL])(?:à\s+réception(?:\s+de\s+(?:la\s+)?facture)?)|\b(?:a\s+vista(?:\s+fattura)?|rimessa\s+diretta|pagamento\s+immediato|due\s+(?:up)?on\s+receipt|payable\s+(?:up)?on\s+receipt|(?:payment\s+)?upon\s+receipt|zahlbar\s+sofort|sofort\s+fällig|sofort\s+zahlbar|(?:zahlbar|fällig)\s+(?:bei|nach)\s+erhalt|al\s+contado|alla\s+ricezione(?:\s+della\s+fattura)?|al\s+ricevimento(?:\s+(?:della\s+)?fattura)?|a\s+ricevimento(?:\s+(?:della\s+)?fattura)?)\b`)
	// dayOnlyRe is a due day of the month written alone: "entro il 15",
	// "by the 15th"; dayOnlyRestRe what after it makes it something else
	// (a date, a month, "del mese successivo", days).
	dayOnlyRe     = regexp.MustCompile(`(?i)\bentro\s+il\s+(\d{1,2})\b|\bby\s+the\s+(\d{1,2})(?:st|nd|rd|th)\b`)
	dayOnlyRestRe = regexp.MustCompile(`(?i)^(?:[./\-]\d|°|\s*(?:del|of|gg|giorni|days|di|` + monthPattern + `|january|february|march|april|may|june|july|august|september|october|november|december)\b)`)
	// daysRe is a number of days.
	daysRe = regexp.MustCompile(`(?i)\b(\d{1,3})\s*(?:gg\b\.?|giorni\b)`)
	// termBareRe is "a 30 gg" with no "d.f.": days from the invoice date.
	termBareRe = regexp.MustCompile(`(?i)\ba\s+(\d{1,3})\s*(?:gg\b\.?|giorni\b)`)
)

// cheap is a pattern with words one of which any match contains (in lower
// case): a text without any of them is not searched.
type cheap struct {
	re   *regexp.Regexp
	need []string
}

// may reports whether lower (a text in lower case) holds one of c's words.
func (c cheap) may(lower string) bool {
	for _, w := range c.need {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// plusDaysRe is the days added after an end of month: "+ 10", "+10 gg".
var plusDaysRe = regexp.MustCompile(`(?i)^[ \t]*\+[ \t]*(\d{1,2})\b(?:[ \t]*(?:gg\b\.?|giorni\b))?`)

// termFMCue holds a word every match of termFMRe contains.
var termFMCue = cheap{termFMRe, []string{"gg", "giorni", "jours", "días", "dias", "tage", "days"}}

// termFMMatches are termFMRe's matches in text (lower is text in lower
// case), searched only when one of its words is there.
func termFMMatches(text, lower string) [][]int {
	if !termFMCue.may(lower) {
		return nil
	}
	return termFMRe.FindAllStringSubmatchIndex(text, -1)
}

// riBaSpellings are the ways "ri\\.?\\s?ba" (ricevuta bancaria) is written
// but "riba": with a dot, a space, or both.
func riBaSpellings() []string {
	var out []string
	for _, dot := range []string{"", "."} {
		for _, sp := range []string{" ", "\t", "\n", "\f", "\r"} {
			out = append(out, "ri"+dot+sp+"ba")
		}
	}
	return append(out, "ri.ba")
}

// scanTerms finds payment terms. End-of-month forms are matched first and
// their spans are not read again as plain terms.
func scanTerms(text string) (terms []term) {
	seen := map[term]bool{}
	var taken [][]int
	addT := func(t term) {
		if t.days >= 0 && t.days <= 365 && !seen[t] {
			seen[t] = true
			terms = append(terms, t)
		}
	}
	lower := strings.ToLower(text)
	for _, m := range termFMMatches(text, lower) {
		if !cashDiscountIn(lineAround(text, m[0])) {
			t := term{days: atoi(submatch(text, m, 1)), endOfMonth: true}
			if p := plusDaysRe.FindStringSubmatchIndex(text[m[1]:min(len(text), m[1]+20)]); p != nil {
				// "60 gg d.f.f.m. + 10": the 10th of the month after
				t.plusDays = atoi(text[m[1]+p[2] : m[1]+p[3]])
				m = []int{m[0], m[1] + p[1], m[2], m[3]}
			}
			addT(t)
		}
		taken = append(taken, m)
	}
	overlaps := func(m []int) bool {
		for _, t := range taken {
			if m[0] < t[1] && t[0] < m[1] {
				return true
			}
		}
		return false
	}
	// Days from the invoice date: "30 gg d.f.", "Net 30", and the bare "a
	// 30 giorni", which is how people write days from the invoice date
	// (the end of the month is always said: "f.m.", "fine mese").
	dfMatch := func(m []int) {
		if !overlaps(m) {
			if !cashDiscountIn(clauseAround(text, m[0])) && !futureTerms(text, m[0]) {
				if from, anchored := anchoredTerm(text, m[1]); !anchored {
					addT(term{days: atoi(submatch(text, m, 1))})
				} else if !from.IsZero() {
					addT(term{days: atoi(submatch(text, m, 1)), from: from})
				}
			}
			taken = append(taken, m)
		}
	}
	for _, c := range termDFRe {
		if !c.may(lower) {
			continue
		}
		for _, m := range c.re.FindAllStringSubmatchIndex(text, -1) {
			dfMatch(m)
		}
	}
	if (cheap{need: []string{"fine", "end of the month", "monatsende"}}).may(lower) {
		for _, m := range termMonthEndRe.FindAllStringIndex(text, -1) {
			if !overlaps(m) {
				addT(term{endOfMonth: true}) // the end of the invoice's month
			}
		}
	}
	if (cheap{need: []string{"vista", "rimessa", "immediato", "receipt", "réception", "sofort", "contado", "erhalt", "ricezione", "ricevimento"}}).may(lower) {
		for _, m := range termNowRe.FindAllStringIndex(text, -1) {
			if ofSomethingElseRe.MatchString(text[m[1]:min(len(text), m[1]+40)]) || goodsAfterRe.MatchString(text[m[1]:min(len(text), m[1]+30)]) {
				continue // "emessa al ricevimento del pagamento", "a ricevimento merce": not the invoice's receipt
			}
			if strings.HasPrefix(strings.ToLower(text[m[0]:m[1]]), "al ricevimento") && !strings.Contains(strings.ToLower(text[m[0]:m[1]]), "fattura") &&
				!paymentWordBeforeRe.MatchString(lineBefore(text, m[0])) {
				continue // "corrisposta dagli ospiti al ricevimento": a hotel's front desk
			}
			// "Rimessa diretta 15 gg d.f.": the words name the means
			// (a direct remittance); the days given with them are the term.
			if !termFollows(text, m[1], taken) {
				addT(term{})
			}
		}
	}
	for _, m := range termBareRe.FindAllStringSubmatchIndex(text, -1) {
		dfMatch(m)
	}
	// "30 gg dal ricevimento della fattura", with no "a" or "entro": days
	// counted from another event, read only as such.
	for _, m := range daysRe.FindAllStringSubmatchIndex(text, -1) {
		if overlaps(m) || cashDiscountIn(clauseAround(text, m[0])) || futureTerms(text, m[0]) {
			continue
		}
		if from, anchored := anchoredTerm(text, m[1]); anchored {
			if !from.IsZero() {
				addT(term{days: atoi(submatch(text, m, 1)), from: from})
			}
			taken = append(taken, m)
		}
	}
	// "bonifico entro il 15", "pay by the 15th": a day of the month alone.
	for _, m := range dayOnlyRe.FindAllStringSubmatchIndex(text, -1) {
		rest := text[m[1]:min(len(text), m[1]+30)]
		if overlaps(m) || dayOnlyRestRe.MatchString(rest) || cashDiscountIn(clauseAround(text, m[0])) || futureTerms(text, m[0]) {
			continue
		}
		n := atoi(submatch(text, m, 1))
		if n == 0 {
			n = atoi(submatch(text, m, 2))
		}
		if n >= 1 && n <= 28 {
			addT(term{dayOfMonth: n})
			taken = append(taken, m)
		}
	}
	if strings.Contains(lower, "mese") || strings.Contains(lower, "month") || strings.Contains(lower, "folgemonat") || strings.Contains(lower, "mois") {
		for _, m := range termNextMonthRe.FindAllStringSubmatchIndex(text, -1) {
			if ofSomethingElseRe.MatchString(text[m[1]:min(len(text), m[1]+40)]) {
				continue // "entro il 16 del mese successivo al pagamento": a tax's day
			}
			for g := 1; g < len(m)/2; g++ {
				if n := atoi(submatch(text, m, g)); n >= 1 && n <= 28 {
					addT(term{nextMonthDay: n})
				}
			}
		}
	}
	return terms
}

// depositInvoiceRe says the document is a deposit invoice, and
// balanceInvoiceRe that it is the balance after one; depositLabelBeforeRe
// is a window that ends with the deposit's label.
var (
	depositInvoiceRe     = regexp.MustCompile(`(?i)\b(?:deposit\s+invoice|advance\s+invoice|fattura\s+(?:di\s+|d')acconto|facture\s+d'acompte|anzahlungsrechnung|factura\s+de\s+anticipo)`)
	balanceInvoiceRe     = regexp.MustCompile(`(?i)\b(?:saldo|balance\s+invoice|final\s+invoice|facture\s+de\s+solde|schlussrechnung|restzahlung)`)
	depositLabelBeforeRe = regexp.MustCompile(`(?i)(?:deposit|acconto|acompte|anzahlung|anticipo)[^\n\d]{0,6}(?:\(?\s*\d{1,2}\s*%\s*\)?)?[ \t:=]*(?:€|eur|euro|usd|\$|£|gbp|chf)?[ \t]*$`)
)

// payOnDeliveryRe says the invoice is paid when the goods are delivered
// or picked up (cash on delivery); deliveryDayBeforeRe finds, before a
// date in its sentence, the words of that delivery or pickup.
var (
	payOnDeliveryRe     = regexp.MustCompile(`(?i)\bcontrassegno\b|\b(?:pagamento|pagabile|saldo|si\s+paga|paga)\s+(?:alla\s+consegna|al\s+ritiro)\b|\b(?:cash|payment|payable)\s+on\s+(?:delivery|collection|pickup)\b|\bpaiement\s+à\s+la\s+livraison\b|\bnachnahme\b`)
	deliveryDayBeforeRe = regexp.MustCompile(`(?i)\b(?:consegna|consegniamo|consegneremo|arriva|arriverà|ritiro|ritirare|ritira|passa\s+a\s+prendere|delivery|delivered|deliver|pickup|collection|livraison|lieferung|zustellung)\b`)
)

// payOnDeliveryCue holds a word every match of payOnDeliveryRe contains.
var payOnDeliveryCue = cheap{payOnDeliveryRe, []string{"contrassegno", "consegna", "ritiro", "delivery", "collection", "pickup", "livraison", "nachnahme"}}

// sentenceBefore is the text of pos's sentence before pos (from the last
// line end or sentence stop, at most 120 bytes back).
func sentenceBefore(text string, pos int) string {
	start := max(0, pos-120)
	if i := strings.LastIndexAny(text[start:pos], "\n!?"); i >= 0 {
		start += i + 1
	}
	if m := sentenceEndRe.FindAllStringIndex(text[start:pos], -1); len(m) > 0 {
		start += m[len(m)-1][0] + 1
	}
	return text[start:pos]
}

// dueRightBeforeRe is a window that ends with "due" right before the date
// ("Due: 15/12/2026", "due on", "due by"); dateLabelsButDue are the date
// labels without the bare "due".
var (
	dueRightBeforeRe = regexp.MustCompile(`(?i)(?:^|[^\pL])due[ \t*|]*(?:[:.=-]|on|by|date)?[ \t:*|]*$`)
	dateLabelsButDue = sync.OnceValue(func() []label {
		return slices.DeleteFunc(slices.Clone(dateLabels()), func(l label) bool { return l.lit == "due" })
	})
)

// dateWordBeforeRe is a window that ends with a word that introduces a
// date: a two-digit year written with dots or dashes ("del 18.12.26",
// "vom 3.11.26") is read as a date only after one.
var dateWordBeforeRe = regexp.MustCompile(`(?i)(?:^|[^\pL])(?:del|dell'|il|data|datata|emessa|vom|am|datum|date|dated|du|le|on)[ \t:]*$`)

// isDepositInvoice says whether text is a deposit invoice's (and not the
// balance invoice's that names its deposit): depositInvoiceRe, searched
// only where one of its words stands.
func isDepositInvoice(text string) bool {
	lower := asciiLower(text)
	if !strings.Contains(lower, "deposit") && !strings.Contains(lower, "advance") && !strings.Contains(lower, "acconto") &&
		!strings.Contains(lower, "acompte") && !strings.Contains(lower, "anzahlung") && !strings.Contains(lower, "anticipo") {
		return false
	}
	return depositInvoiceRe.MatchString(text) && !balanceInvoiceRe.MatchString(text)
}

// depositOfTotalRe is a line, before an amount, that names a deposit and
// opens a bracket with a total: the total the deposit is a part of.
var depositOfTotalRe = regexp.MustCompile(`(?i)\b(?:acconto|anticipo|caparra|deposit|acompte|anzahlung)\b[^\n]*\(\s*(?:totale|total|importo|gesamt)[^()\n]*$`)

// labelCellsAway reports whether, in a window that reads as cells
// separated by '|', a cell that is not empty stands between the last
// amount label word and the figure: the label is a column's name, not the
// figure's.
func labelCellsAway(w string) bool {
	lower := strings.ToLower(w)
	at := -1
	for _, l := range []string{"importo", "totale", "total", "amount", "betrag", "montant", "importe"} {
		at = max(at, strings.LastIndex(lower, l))
	}
	if at < 0 {
		return false
	}
	// The cells between the label's and the figure's, empty ones aside
	// ("*Totale da pagare* | | | *€ 632,00" is the label's own row).
	cells := strings.Split(lower[at:], "|")
	if len(cells) < 3 {
		return false
	}
	for _, c := range cells[1 : len(cells)-1] {
		if strings.Trim(c, " \t*_") != "" {
			return true
		}
	}
	return false
}

// thresholdBeforeRe is a window that ends with the words of a limit:
// "superiore a", "oltre", "above" ("Rechnung über 4.620,00 EUR" is an
// invoice for that sum: German "über" is no limit).
var thresholdBeforeRe = regexp.MustCompile(`(?i)(?:^|[^\pL])(?:superior[ei]\s+a|inferior[ei]\s+a|eccedent[ei]|oltre|sopra|non\s+oltre|fino\s+a|above|over|exceeding|below|under|up\s+to|more\s+than|less\s+than|supérieur[es]?\s+à|inférieur[es]?\s+à|au-delà\s+de)[ \t]*(?:€|eur|euro|£|\$|gbp|usd|chf)?[ \t]*$`)

// timesPriceBeforeRe is a window that ends with a count times a price
// written without a currency, and "=": "n. 24 controlli x 4,50 = 108,00".
var timesPriceBeforeRe = regexp.MustCompile(`\b\d+(?:[ \t]+[\pL\d]+\.?){0,4}[ \t]*[x×*][ \t]*\d[\d.,]*[ \t]*=[ \t]*$`)

// goodsAfterRe is what follows "a ricevimento" when the goods, not the
// invoice, are received.
var goodsAfterRe = regexp.MustCompile(`(?i)^\s*(?:della\s+|delle\s+|dei\s+)?(?:merce|merci|beni|materiale)`)

// paymentWordBeforeRe finds, on a line before "al ricevimento", the words
// of payment terms that make it "on receipt of the invoice".
var paymentWordBeforeRe = regexp.MustCompile(`(?i)(?:pagamento|pagabile|da\s+pagare|saldo|scadenza|termini|condizioni|modalità)`)

// lineBefore is the text of the line holding pos, before pos.
func lineBefore(text string, pos int) string {
	return text[strings.LastIndexByte(text[:pos], '\n')+1 : pos]
}

// otherDocumentDueRe is a window before a date that names a document
// whose expiry the date is (a DURC, a policy, a certificate's validity).
var otherDocumentDueRe = regexp.MustCompile(`(?i)\b(?:durc|polizza|policy|validità|validity|gültigkeit)\b[^\n]{0,30}$`)

// ofSomethingElseRe is what follows a term counted from another event
// than the invoice: "… al pagamento", "… del pagamento", "… of payment".
var ofSomethingElseRe = regexp.MustCompile(`(?i)^[ \t]*(?:al|allo|alla|a\s+quello\s+del|del|dello|della|dell'|dei|of|after)\s*(?:pagament|bonific|sald|versament|incass|payment|transfer|rimess|consegna|delivery|ordine|order)`)

// termNextMonthRe is a day of the month after the invoice's: "entro il 10
// del mese successivo", "by the 10th of the following month".
var termNextMonthRe = regexp.MustCompile(`(?i)\bil\s+(\d{1,2})\s+del\s+mese\s+(?:successivo|seguente)|\bthe\s+(\d{1,2})(?:st|nd|rd|th)?\s+of\s+the\s+(?:following|next)\s+month|\b(\d{1,2})\.\s+(?:des\s+)?Folgemonats|\ble\s+(\d{1,2})\s+du\s+mois\s+suivant`)

// futureTermsRe marks terms for later orders, not this invoice: "dalla
// prossima fornitura passeremo al bonifico a 30 gg", "from the next order".
var futureTermsRe = regexp.MustCompile(`(?i)(?:\bdalla\s+prossima|\bdal\s+prossimo|\bprossime\s+forniture|\bin\s+futuro|\bd'ora\s+in\s+poi|\bfrom\s+the\s+next|\bfuture\s+orders|\bin\s+future|\bab\s+der\s+nächsten|\bkünftig|\bà\s+partir\s+de\s+la\s+prochaine)`)

// futureTerms reports whether the sentence holding pos speaks of later
// orders.
func futureTerms(text string, pos int) bool {
	start := max(0, pos-120)
	if i := strings.LastIndexAny(text[start:pos], ".\n!?"); i >= 0 {
		start += i + 1
	}
	return futureTermsRe.MatchString(text[start:pos])
}

// "entro 30 giorni dall'emissione del certificato di pagamento", "within
// 30 days of delivery": days counted from another event than the invoice.
var (
	anchorAfterRe = regexp.MustCompile(`(?i)^[ \t]*(?:dal|dalla|dall'|dallo|dai|dagli|del|della|dello|dei|degli|from|of|after|upon|following|ab|nach|à\s+compter\s+de)\b[^.\n]{0,40}?(certificat|collaud|consegna|fine\s+lavori|ultimazione|approvazion|benestare|ricevimento\s+(?:della\s+)?merce|ricevimento|ricezione|receipt|rechnungseingang|réception\s+de\s+(?:la\s+)?facture|delivery|completion|approval|acceptance|goods|lieferung|abnahme|livraison|réception\s+des|evento|event|matrimonio|wedding|cerimonia|soggiorno|partenza|check-?out|stay|departure|veranstaltung|événement|séjour)`)
	// certificateDateRe finds the day a payment certificate was issued.
	certificateDateRe = regexp.MustCompile(`(?i)certificat\w*[^\n]{0,80}?\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b`)
)

// anchoredTerm reports whether the days that end at end count from an
// event other than the invoice, and when the text gives that event's day
// (a payment certificate's), from is it; zero when it does not say.
func anchoredTerm(text string, end int) (from time.Time, anchored bool) {
	m := anchorAfterRe.FindStringSubmatch(text[end:min(len(text), end+90)])
	if m == nil {
		return time.Time{}, false
	}
	if k := strings.ToLower(m[1]); k == "ricevimento" || k == "ricezione" || k == "receipt" || k == "rechnungseingang" || strings.HasPrefix(k, "réception") {
		// Days from the invoice's receipt: for an e-invoice, the day the
		// exchange (SdI) delivered it, when the mail says so.
		return sdiDelivery(text), true
	}
	if strings.HasPrefix(strings.ToLower(m[1]), "certificat") {
		if d := certificateDateRe.FindStringSubmatch(text); d != nil {
			if t, err := time.Parse("2/1/2006", d[1]+"/"+d[2]+"/"+d[3]); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, true
}

// sdiDelivery is the day the mail says the exchange (SdI) delivered the
// invoice to the client: the first date after words of that delivery
// ("consegnata al vostro ufficio … il 23/11/2026", "Data/ora consegna al
// destinatario", "ricevimento SdI 28/10/2026"), in their sentence; never
// the day the SdI received it from the supplier. Zero when the mail does
// not say.
func sdiDelivery(text string) time.Time {
	lower := asciiLower(text)
	if !strings.Contains(lower, "sdi") && !strings.Contains(lower, "interscambio") {
		return time.Time{}
	}
	for _, re := range []*regexp.Regexp{sdiDeliveredRe, sdiReceiptRe} {
		for _, m := range re.FindAllStringIndex(text, -1) {
			after := sentenceFrom(text[m[1]:min(len(text), m[1]+120)])
			if d := numDateRe.FindStringSubmatch(after); d != nil && d[2] == d[4] && len(d[5]) == 4 {
				if t, err := time.Parse("2/1/2006", d[1]+"/"+d[3]+"/"+d[5]); err == nil {
					return t
				}
			}
		}
	}
	return time.Time{}
}

var (
	// sdiDeliveredRe are the words of the SdI's delivery to the client.
	sdiDeliveredRe = regexp.MustCompile(`(?i)(?:consegnat[ao]|recapitat[ao])\s+(?:dallo\s+sdi|dal\s+sistema\s+di\s+interscambio|tramite\s+(?:lo\s+)?sdi|al(?:l')?\s*(?:vostro|vs\.?|destinatario|ufficio|codice))|consegna\s+al\s+destinatario|delivered\s+(?:by|through|via)\s+(?:the\s+)?sdi`)
	// sdiReceiptRe are weaker words of it: "ricevimento SdI", "Data di
	// consegna SdI", "Ricevuta di consegna … del", "lo SdI ci ha notificato
	// la consegna".
	sdiReceiptRe = regexp.MustCompile(`(?i)(?:ricevimento|ricezione|consegna|recapito)\s+(?:dallo\s+|tramite\s+|allo\s+)?sdi|ricevuta\s+di\s+consegna|\bsdi\b[^.\n]{0,60}?(?:consegna|recapito)`)
)

// sentenceFrom is s up to the end of its first sentence: a dot or
// semicolon that is not inside a number ("28.10.2026").
func sentenceFrom(s string) string {
	for i := 0; i < len(s); i++ {
		if (s[i] == '.' || s[i] == ';') && !(i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9') {
			return s[:i]
		}
	}
	return s
}

// termFollows reports whether one of the terms already read (taken) begins
// on the same line shortly after end.
func termFollows(text string, end int, taken [][]int) bool {
	line := min(end+40, len(text))
	if i := strings.IndexByte(text[end:], '\n'); i >= 0 && end+i < line {
		line = end + i
	}
	for _, t := range taken {
		if t[0] >= end && t[0] < line {
			return true
		}
	}
	// "rimessa diretta 15 gg": the days right after the words are the term
	return daysRightAfterRe.MatchString(text[end:line])
}

// bareSaldoRe is a window that ends with "saldo" alone as the label, and
// depositPaidRe a text that says a deposit was paid already.
var (
	bareSaldoRe   = regexp.MustCompile(`(?i)(?:^|[^\pL])(?:saldo|balance)$`)
	depositPaidRe = regexp.MustCompile(`(?i)(?:acconto|anticipo|caparra|deposit)[^\n]{0,20}(?:già|gia|already)?[ \t]*(?:versat|ricevut|pagat|incassat|paid|received)`)
)

// daysRightAfterRe is a number of days written right after a payment's
// means ("rimessa diretta 15 gg").
var daysRightAfterRe = regexp.MustCompile(`(?i)^[\s:,-]*\d{1,3}\s*(?:gg\b|giorni\b)`)

var (
	numberRe = regexp.MustCompile(`(?i:\b(?:fatt|ricevuta(?:\s+fiscale)?|fattura(?:\s+elettronica|\s+proforma|\s+di\s+cortesia|\s+di\s+vendita|\s+differita|\s+immediata|\s+accompagnatoria|\s+corretta|\s+rettificata|\s+definitiva|\s+aggiornata)?|corrected\s+invoice|(?:deposit|advance)\s+invoice|fattura\s+(?:di\s+|d')acconto|facture\s+d'acompte|parcella|notula|invoice|numero|number|documento|nota\s+di\s+credito|rechnung|facture|factura|fatura)\b\.?)` +
		`(?i:\s*(?:n\.|n°|nº|n\.°|nr\.?|no\.|num\.?|numero|number|nummer|numéro|número|núm\.?|#|:))*\s*#?\s*(?:(?i:ft)\s+)?` +
		`([A-Za-z]{0,8}[-/_]?\d[A-Za-z0-9]*(?:[-/_.][A-Za-z0-9]+)*)`)
	numberLineRe = regexp.MustCompile(`(?im)^[ \t]*(?:n\.|nr\.?|n°|nº|no\.)[ \t]*([A-Za-z]{0,8}[-/_]?\d[A-Za-z0-9]*(?:[-/_][A-Za-z0-9]+)*)[ \t]+(?:del|dated|of|vom|du)[ \t]+\d`)
	ftRe         = regexp.MustCompile(`\bFT\s+(\d[A-Za-z0-9]*(?:[-/_.][A-Za-z0-9]+)*)`)
	seriesCodeRe = regexp.MustCompile(`\b([A-Z]{2,8}(?:-\d{2,}[A-Za-z0-9]*)+(?:-[A-Z]{1,3}\d+)?)\b`)
	// A token followed by a unit or currency is a quantity, not a number.
	unitAfterRe = regexp.MustCompile(`(?i)^\s*(?:gg\b|giorni|days|%|€|£|\$|eur\b|euro|gbp\b|usd\b|ore\b|hours)`)
	groupedRe   = regexp.MustCompile(`^\d{1,3}[.,]\d{3}$`)
	// "Totale documento: 287,60 EUR": a figure with cents is an amount.
	amountTailRe = regexp.MustCompile(`^,\d{2}(?:[^\d]|$)`)
	docWordRe    = regexp.MustCompile(`(?i)^(?:fattura|invoice|ft|fatt\.|n\.|nr\.?|no\.|n°|nº|num\.|#)\s*`)
)

type numberMention struct {
	start, end int
	value      string
}

// scanNumbers finds invoice numbers written after a word naming the document
// ("Fattura n. 12/2026", "Invoice #1043", "FT 2026-0045").
func scanNumbers(text string) []numberMention {
	var out []numberMention
	seen := map[int]bool{}
	add := func(s, e int) {
		tok := text[s:e]
		if seen[s] || isDateToken(tok) || unitAfterRe.MatchString(text[e:]) || amountTailRe.MatchString(text[e:]) || len(tok) > 30 {
			return
		}
		// "1.037" or "2,500" after "fattura" is an amount written without currency.
		if groupedRe.MatchString(tok) {
			return
		}
		seen[s] = true
		out = append(out, numberMention{s, e, tok})
	}
	deposit := isDepositInvoice(text)
	for _, m := range numberMatches(text) {
		if !deposit && depositInvoiceRe.MatchString(text[m[0]:m[2]]) {
			continue // "(fattura di acconto n. 12)" on the balance invoice: the deposit's
		}
		if otherDocumentBefore(text[:m[0]], deposit) {
			// "Avviso di parcella n. 94" (a notice ahead of the invoice,
			// which gets its own number when paid), "la precedente
			// fattura n. 149": not this invoice's number.
			continue
		}
		add(m[2], m[3])
	}
	for _, m := range ftRe.FindAllStringSubmatchIndex(text, -1) {
		add(m[2], m[3])
	}
	// A line that begins with the number and its date names the document
	// the mail is about: "N. 1/2027 del 08.01.27".
	for _, m := range numberLineRe.FindAllStringSubmatchIndex(text, -1) {
		add(m[2], m[3])
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// numberAtRe is numberRe tried at one place only (numberMatches).
var numberAtRe = regexp.MustCompile(`^` + numberRe.String())

// numberWords are the first words numberRe's matches begin with, in lower
// case.
var numberWords = []string{"fatt", "ricevuta", "corrected", "deposit", "advance", "facture", "factura", "fatura", "parcella",
	"notula", "invoice", "numero", "number", "documento", "nota", "rechnung"}

// numberMatches returns numberRe's matches in text, as
// FindAllStringSubmatchIndex would, but tries the pattern only where one
// of its first words begins a word (FuzzNumberMatches). Where the text
// holds one of the two letters Unicode folds onto ASCII ones (ſ, K), the
// whole text is searched.
func numberMatches(text string) [][]int {
	if strings.ContainsAny(text, "\u017f\u212a") {
		return numberRe.FindAllStringSubmatchIndex(text, -1)
	}
	lower := asciiLower(text)
	var starts []int
	for _, w := range numberWords {
		for from := 0; ; {
			i := strings.Index(lower[from:], w)
			if i < 0 {
				break
			}
			at := from + i
			if at == 0 || !isWordByte(lower[at-1]) {
				starts = append(starts, at)
			}
			from = at + 1
		}
	}
	return matchesAt(numberAtRe, text, starts)
}

// otherDocumentBefore reports whether text ends with words that make the
// document named next another one than the mail's invoice: a notice
// ahead of it ("avviso di"), an earlier one ("la precedente", "previous"),
// a deposit invoice deducted (unless the mail's invoice is a deposit
// invoice itself: "Deposit Invoice No. …").
func otherDocumentBefore(text string, depositInvoice bool) bool {
	tail := strings.ToLower(strings.TrimRight(text[max(0, len(text)-24):], " "))
	words := []string{"avviso di", "precedente", "previous", "prior", "vorherige", "vorige", "précédente", "anterior",
		"sostituisce la", "sostituisce", "in sostituzione della", "replaces", "replacing", "ersetzt", "remplace"}
	if !depositInvoice {
		// a deposit invoice deducted from this one: "dedotto acconto
		// fattura 131/E"; on a deposit invoice, its own name
		words = append(words, "acconto", "anticipo", "deposit", "anzahlung", "acompte")
	}
	for _, w := range words {
		if strings.HasSuffix(tail, w) && (len(tail) == len(w) || !unicode.IsLetter(rune(tail[len(tail)-len(w)-1]))) {
			return true
		}
	}
	return false
}

func isDateToken(s string) bool {
	if m := numDateRe.FindStringIndex(s); m != nil && m[0] == 0 && m[1] == len(s) {
		return true
	}
	m := isoDateRe.FindStringIndex(s)
	return m != nil && m[0] == 0 && m[1] == len(s)
}

// normalizeNumber drops the words that only name the document ("FT 2026-0033"
// → "2026-0033", "#1066" → "1066"), keeping series codes joined to the digits.
func normalizeNumber(s string) string {
	s = strings.TrimSpace(s)
	for {
		loc := docWordRe.FindStringIndex(s)
		if loc == nil {
			return s
		}
		rest := s[loc[1]:]
		word := strings.TrimSpace(s[:loc[1]])
		// A word followed directly by digits ("FT2026") is part of a series code.
		if rest == "" || loc[1] == len(word) && !strings.HasPrefix(word, "#") && !strings.HasSuffix(word, ".") && !strings.HasSuffix(word, "°") {
			return s
		}
		s = rest
	}
}

// moneyArrivesAfterRe, right after a date, says the money must have
// arrived by it.
var moneyArrivesAfterRe = regexp.MustCompile(`(?i)^[ \t]*(?:bei uns[ \t]+)?(?:eingeht|eingegangen ist|gutgeschrieben ist|sul nostro conto|on our account|in our account)`)

// discountAfterRe, right after a date, makes it a cash-discount deadline.
var discountAfterRe = regexp.MustCompile(`(?i)^[^\n]{0,40}?\b(?:skonto|sconto|escompte|discount|descuento|desconto)\b`)

// adjacentIssueRe is what stands between an invoice number and its date:
// "n. 12/2026 del 03/11/2026", "2026/0044 - 30/06/2027", "INV-2262, dated".
var adjacentIssueRe = regexp.MustCompile(`(?i)^\s*(?:del|dated|datata|of|issued|vom|du|de|[-–,(])?\s*(?:il\s+)?$`)

var ibanRe = regexp.MustCompile(`(?i:\bIBAN\b)\s*:?\s*([A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){10,32})`)

// scanIBANs finds IBANs written after the word IBAN that pass their check.
func scanIBANs(text string) []string {
	var out []string
	for _, m := range ibanRe.FindAllStringSubmatch(text, -1) {
		s := NormalizeIBAN(m[1])
		if n, ok := ibanLengths[s[:2]]; ok && len(s) >= n {
			s = s[:n]
		}
		if ValidIBAN(s) == nil {
			out = append(out, s)
		}
	}
	return out
}

// numberedDate is a date written right after a document's number
// ("n. 145/2026 del 28.11.2026").
type numberedDate struct {
	number string
	date   time.Time
}

// reading is what one text (subject, body, a PDF) says.
type reading struct {
	source      string
	numbers     []string
	issue       []time.Time
	issueBeside []numberedDate // of issue, those written right after a number
	// issueNoYear are issue dates written without a year ("fattura n. 96
	// del 22/11"), as day and month.
	issueNoYear []dateMention
	due         []dateMention // role due; date may lack a year
	terms       []term
	payable     []money
	total       []money // labelled totals, or else the unlabelled amounts
	unlabelled  bool    // total holds the unlabelled amounts
	// payableOf and totalOf are, for each of payable and total, the
	// invoice number written right before it in its sentence ("la fattura
	// n. 44 del 16/11/2026 di € 287,60"), "" where none is.
	payableOf, totalOf []string
	// loose are the unlabelled amounts where labelled ones were found, and
	// looseOf their numbers: what is left when the labelled sums all
	// belong to another invoice.
	loose       []money
	looseOf     []string
	withholding bool
	ibans       []string
	// instalments: the text splits the payment over several due dates
	// ("1^ rata", "RiBa", "in 3 rate", "instalments", "Raten").
	instalments bool
}

// instalmentRe finds the words of a payment in parts over several dates.
var (
	instalmentRe = regexp.MustCompile(`(?i)\b(?:rate|rata\s+\d|\d\s*[\^°ª]\s*(?:rata|ri\.?\s?ba|scadenza|tranche|acconto)|(?:due|tre|quattro|cinque|sei|two|three|four|zwei|drei|\d)\s+(?:rate|ricevute\s+bancarie|ri\.?\s?ba|scadenze|tranches?|instal+ments?|raten)|instal+ments?\s+\d|\d(?:st|nd|rd|th)\s+instal+ment|instal+ments|payment\s+schedule|piano\s+(?:di\s+)?pagament[oi]|raten|teilzahlungen|échéances|vencimientos|plazos)\b`)
	// instalmentCue holds a word every match of instalmentRe contains.
	instalmentCue = cheap{instalmentRe, append([]string{"rat", "riba", "scadenz", "tranche", "acconto", "ricevute", "instal",
		"payment schedule", "piano", "teilzahlungen", "échéances", "vencimientos", "plazos"}, riBaSpellings()...)}
	// singleDueRe says there is one due date after all ("scadenza unica").
	singleDueRe = regexp.MustCompile(`(?i)\b(?:scadenza\s+unica|unica\s+scadenza|in\s+un(?:'|\s)unica\s+soluzione|single\s+(?:due\s+date|payment)|one\s+single\s+payment|in\s+einer\s+summe)\b`)
)

// numberBefore is the invoice number written shortly before pos in its
// sentence, with no amount's label between them, "" when none is: what a
// sum written after it belongs to.
func numberBefore(text string, nums []numberMention, pos int) string {
	for i := len(nums) - 1; i >= 0; i-- {
		n := nums[i]
		if n.end > pos {
			continue
		}
		between := text[n.end:pos]
		if len(between) > 80 || strings.Contains(between, "\n") || sentenceEndRe.MatchString(between) {
			return ""
		}
		if lastLabel(between, amountLabels()) != roleNone {
			return "" // "… NC79/2026 (reso merce) - € 148,81 Netto a pagare € 10.387,77": labelled on its own
		}
		return n.value
	}
	return ""
}

// sentenceEndRe is the end of a sentence: a stop and a capital after it.
var sentenceEndRe = regexp.MustCompile(`[.!?:;]\s+\p{Lu}`)

// readText applies the text rules to one source.
func readText(source, text string, order dateOrder) reading {
	r := reading{source: source}
	amounts := scanAmounts(text)
	amounts = append(amounts, labelledBareFigures(text, amounts)...)
	dates := scanDates(text, order)
	nums := scanNumbers(text)

	var unlabelled []money
	var unlabelledOf []string
	labelled := false
	for _, a := range amounts {
		of := numberBefore(text, nums, a.start)
		switch a.role {
		case rolePayable:
			r.payable = append(r.payable, a.money)
			r.payableOf = append(r.payableOf, of)
			labelled = true
		case roleTotal:
			r.total = append(r.total, a.money)
			r.totalOf = append(r.totalOf, of)
			labelled = true
		case roleComponent:
			if withholdingRe.MatchString(window(text, 0, a.start, 70)) {
				r.withholding = true
			}
		case roleNone:
			unlabelled = append(unlabelled, a.money)
			unlabelledOf = append(unlabelledOf, of)
		}
	}
	if !labelled {
		r.total, r.totalOf = unlabelled, unlabelledOf
		r.unlabelled = len(unlabelled) > 0
	} else {
		r.loose, r.looseOf = unlabelled, unlabelledOf
	}

	for _, n := range nums {
		r.numbers = appendUnique(r.numbers, normalizeNumber(n.value))
	}

	// Positions of the mentions that close a label window.
	var stops []int
	for _, a := range amounts {
		stops = append(stops, a.end)
	}
	for _, d := range dates {
		stops = append(stops, d.end)
	}
	sort.Ints(stops)
	onDelivery := payOnDeliveryCue.may(strings.ToLower(text)) && payOnDeliveryRe.MatchString(text)
	for _, d := range dates {
		from := 0
		for _, s := range stops {
			if s <= d.start {
				from = s
			}
		}
		d.role = lastLabel(window(text, from, d.start, 45), dateLabels())
		if d.role == roleDue && !dueRightBeforeRe.MatchString(window(text, from, d.start, 45)) && lastLabel(window(text, from, d.start, 45), dateLabelsButDue()) != roleDue {
			// Only a bare "due" stands before the date, and not right
			// before it: Italian "due" is two ("le due recite del 29 e 30
			// novembre"), no label.
			d.role = roleNone
		}
		if d.role == roleDue && otherDocumentDueRe.MatchString(window(text, from, d.start, 45)) {
			// "DURC regolare (scadenza 28/04/2027)", "polizza in scadenza
			// il": another document's expiry, not this invoice's due day.
			d.role = roleBlock
		}
		if onDelivery && d.role != roleIssue && deliveryDayBeforeRe.MatchString(sentenceBefore(text, d.start)) {
			// "pagamento in contrassegno … la merce arriva mercoledì 16/12",
			// "pagamento alla consegna, sabato 19/12": paid on the day it
			// is delivered or picked up, which the mail says.
			d.role = roleDue
		}
		if d.role == roleNone && moneyArrivesAfterRe.MatchString(text[d.end:min(len(text), d.end+40)]) {
			// "wenn der Betrag bis zum 15.12.2026 bei uns eingeht": the
			// day the money must have arrived.
			d.role = roleDue
		}
		if d.role == roleDue && discountAfterRe.MatchString(text[d.end:min(len(text), d.end+60)]) {
			// "zahlbar bis 09.11. abzüglich 2 % Skonto": the last day for a
			// cash discount, not the due date.
			d.role = roleNone
		}
		beside := ""
		for _, n := range nums {
			if n.end <= d.start && adjacentIssueRe.MatchString(text[n.end:d.start]) && d.role != roleDue {
				d.role, beside = roleIssue, normalizeNumber(n.value)
			}
		}
		switch d.role {
		case roleIssue:
			if !d.date.IsZero() {
				r.issue = appendUniqueTime(r.issue, d.date)
				if beside != "" {
					r.issueBeside = append(r.issueBeside, numberedDate{beside, d.date})
				}
			} else {
				r.issueNoYear = append(r.issueNoYear, d)
			}
		case roleDue:
			r.due = append(r.due, d)
		}
	}
	r.terms = scanTerms(text)
	r.instalments = instalmentCue.may(strings.ToLower(text)) && instalmentRe.MatchString(text) && !singleDueRe.MatchString(text)
	r.ibans = scanIBANs(text)
	return r
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func appendUniqueTime(list []time.Time, t time.Time) []time.Time {
	for _, x := range list {
		if x.Equal(t) {
			return list
		}
	}
	return append(list, t)
}

var (
	itWords = wordSet("il la le di del della per fattura grazie saluti ciao buongiorno allego allegato pagamento scadenza totale con che sono vi ti")
	enWords = wordSet("the and for invoice please thanks thank attached payment due total regards with of is your you")
)

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// countWords counts the words of text (runs of ASCII letters, digits and
// '_', as regexp's \b sees them), in any case, that are in set.
func countWords(text string, set map[string]bool) int {
	n := 0
	for i := 0; i < len(text); {
		if !isASCIIWord(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isASCIIWord(text[j]) {
			j++
		}
		if j-i <= 12 && set[strings.ToLower(text[i:j])] {
			n++
		}
		i = j
	}
	return n
}

func isASCIIWord(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_'
}

// language guesses "it" or "en" from common words; "" when neither shows.
func language(text string) string {
	it, en := countWords(text, itWords), countWords(text, enWords)
	switch {
	case it == 0 && en == 0:
		return ""
	case it >= en:
		return "it"
	}
	return "en"
}
