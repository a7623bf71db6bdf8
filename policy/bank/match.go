package bank

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/policy"
)

// Match says what a credit pays.
type Match struct {
	// Invoices are the ids of the open invoices it pays (Certain) or may
	// pay (the owner decides); none when nothing fits.
	Invoices []int64
	// Certain: the remittance names each invoice's number and the credit
	// is exactly what they still owe, in their currency. Only a certain
	// match is acted on without the owner.
	Certain bool
	// Why says in English how the match was found, or why there is none.
	Why string
}

// MatchCredit finds the open invoices c pays. It is certain when the
// payer's remittance names the number of one invoice whose outstanding
// amount the credit equals, or the numbers of several whose outstanding
// amounts add up to it, all in the credit's currency; or, with no number,
// when the one open invoice owing exactly the credit is one whose client
// said it was paid (ClaimedPaid) and the payer is that client, by name or
// because it paid for that client before (the credit is the payment the
// client announced). Named invoices with other sums (a part payment, a
// different figure), or no number but one open invoice owing exactly the
// credit, or several of which one is of a client this payer paid for
// before, are a probable match for the owner to confirm; anything else
// matches nothing. paidFor lists the client addresses of the invoices the
// same payer (its IBAN, else its name) paid before.
func MatchCredit(c Credit, open []policy.Invoice, paidFor []string) Match {
	var named []policy.Invoice
	rem := readRemittance(c.Remittance)
	for _, inv := range open {
		if inv.State.Closed() || inv.Number == "" {
			continue
		}
		if rem.mentions(inv) {
			named = append(named, inv)
		}
	}
	if len(named) > 0 {
		sum, same := decimal.Zero, true
		var nums []string
		for _, inv := range named {
			sum = sum.Add(inv.Outstanding())
			same = same && inv.Currency == c.Currency
			nums = append(nums, inv.Number)
		}
		m := Match{Invoices: idsOf(named)}
		if same && sum.Equal(c.Amount) {
			m.Certain = true
			m.Why = fmt.Sprintf("the remittance names %s and the credit of %s %s is what %s", strings.Join(nums, ", "), c.Amount.StringFixed(2), c.Currency,
				map[bool]string{true: "it still owes", false: "they still owe together"}[len(named) == 1])
			return m
		}
		m.Why = fmt.Sprintf("the remittance names %s, which still owe %s %s, but the credit is %s %s", strings.Join(nums, ", "), sum.StringFixed(2),
			named[0].Currency, c.Amount.StringFixed(2), c.Currency)
		return m
	}
	var owing []policy.Invoice
	for _, inv := range open {
		// A credit booked before an invoice existed cannot pay it
		// unnamed (the window opens at its issue date).
		issued := inv.IssueDate.IsZero() || c.ValueDate.IsZero() || !c.ValueDate.Before(inv.IssueDate)
		if !inv.State.Closed() && inv.Currency == c.Currency && inv.Outstanding().Equal(c.Amount) && issued {
			owing = append(owing, inv)
		}
	}
	known := func(inv policy.Invoice) bool {
		for _, a := range paidFor {
			if strings.EqualFold(a, inv.Client) {
				return true
			}
		}
		return false
	}
	if len(owing) == 1 && owing[0].State == policy.ClaimedPaid && (samePayer(c.Payer, owing[0]) || known(owing[0])) {
		return Match{Invoices: idsOf(owing), Certain: true, Why: fmt.Sprintf("no invoice number in the remittance, but the client said invoice %s was paid, it is the only open one owing %s %s, and the payer %s is its client (by name, or paid for it before)",
			owing[0].Number, c.Amount.StringFixed(2), c.Currency, c.Payer)}
	}
	if len(owing) == 1 {
		return Match{Invoices: idsOf(owing), Why: fmt.Sprintf("no invoice number in the remittance; invoice %s is the only open one owing %s %s",
			owing[0].Number, c.Amount.StringFixed(2), c.Currency)}
	}
	var theirs []policy.Invoice
	for _, inv := range owing {
		if known(inv) {
			theirs = append(theirs, inv)
		}
	}
	if len(owing) > 1 && len(theirs) == 1 {
		return Match{Invoices: idsOf(theirs), Why: fmt.Sprintf("no invoice number in the remittance; of %d open invoices owing %s %s, only %s is of a client this payer paid for before",
			len(owing), c.Amount.StringFixed(2), c.Currency, theirs[0].Number)}
	}
	if len(owing) > 1 {
		return Match{Why: fmt.Sprintf("no invoice number in the remittance; %d open invoices owe %s %s", len(owing), c.Amount.StringFixed(2), c.Currency)}
	}
	return Match{Why: "no open invoice named in the remittance nor owing this amount"}
}

// samePayer reports whether the payer's name is the invoice's client: a
// word of the client's name (or of its mail domain) of four letters or
// more, other than a company form, stands in the payer's name.
func samePayer(payer string, inv policy.Invoice) bool {
	p := nameWords(payer)
	if len(p) == 0 {
		return false
	}
	names := inv.ClientName
	if _, domain, ok := strings.Cut(inv.Client, "@"); ok {
		d, _, _ := strings.Cut(domain, ".")
		names += " " + d
	}
	for w := range nameWords(names) {
		if p[w] {
			return true
		}
	}
	return false
}

// companyForms are the words of a company's legal form, and of mail
// providers' domains, which say nothing about who it is.
var companyForms = map[string]bool{"srl": true, "srls": true, "spa": true, "snc": true, "sas": true, "societa": true, "società": true,
	"gmbh": true, "limited": true, "ltd": true, "coop": true, "cooperativa": true, "studio": true, "gmail": true, "libero": true,
	"hotmail": true, "outlook": true, "yahoo": true, "alice": true, "tiscali": true, "virgilio": true, "icloud": true, "pec": true}

// nameWords returns the distinctive words of a name, lower case.
func nameWords(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len([]rune(w)) >= 4 && !companyForms[w] {
			out[w] = true
		}
	}
	return out
}

func idsOf(invs []policy.Invoice) []int64 {
	out := make([]int64, len(invs))
	for i, inv := range invs {
		out[i] = inv.ID
	}
	return out
}

// docWords are the words that name an invoice before its number in a
// remittance ("saldo fatt. 101", "FT 101", "Rechnung 101").
var docWords = map[string]bool{"fattura": true, "fatt": true, "fatt.": true, "ft": true, "ft.": true, "fatture": true, "fattura.": true,
	"invoice": true, "inv": true, "inv.": true, "rechnung": true, "rechnungsnr": true, "facture": true, "factura": true, "fatura": true,
	"n": true, "n.": true, "nr": true, "nr.": true, "no": true, "no.": true, "n°": true, "nº": true, "num": true, "num.": true, "#": true}

// listConnectors join the numbers of a list ("102 e 103", "102 & 103").
var listConnectors = map[string]bool{"e": true, "and": true, "und": true, "et": true, "y": true, "&": true, "+": true}

// otherDocWords introduce the number of another document: an order, a
// delivery note, a purchase order ("ordine 2026/555", "DDT 45", "PO 4500").
var otherDocWords = map[string]bool{"ordine": true, "ord": true, "ord.": true, "order": true, "po": true, "ddt": true, "bolla": true,
	"auftrag": true, "bestellung": true, "commande": true, "pedido": true, "preventivo": true, "offerta": true, "quote": true,
	"contratto": true, "contract": true, "pratica": true, "cig": true, "cup": true}

// remittance is a payer's words, split into tokens once per credit.
type remittance struct {
	toks []string
	// listed[i]: token i stands in a list of numbers a word naming an
	// invoice opens ("fatt. n. 102", "fatture 102, 103 e 104"); other[i]:
	// right after a word naming another document ("ordine 2026/555").
	listed, other []bool
	digits        map[string]bool // every run of digits it holds
}

// digitRuns returns the runs of digits in s ("2026/101" → 2026, 101).
func digitRuns(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
}

func readRemittance(text string) remittance {
	toks := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("/-._#°º", r))
	})
	rm := remittance{toks: toks, listed: make([]bool, len(toks)), other: make([]bool, len(toks)), digits: map[string]bool{}}
	for _, d := range digitRuns(text) {
		rm.digits[d] = true
	}
	isNum := func(t string) bool { return t != "" && strings.IndexFunc(t, unicode.IsLetter) < 0 }
	for i := 1; i < len(toks); i++ {
		prev := toks[i-1]
		rm.listed[i] = docWords[prev] ||
			isNum(prev) && rm.listed[i-1] ||
			listConnectors[prev] && i >= 2 && isNum(toks[i-2]) && rm.listed[i-2]
		rm.other[i] = otherDocWords[prev] || i >= 2 && otherDocWords[toks[i-2]] && docWords[prev]
	}
	return rm
}

// mentions reports whether the remittance names the invoice's number, in
// the ways payers write it: as it is, in any case; with '-' or '.' for
// '/'; the parts of "2026/101" swapped; glued to "FT" or "INV". A number
// of digits alone, four or fewer ("101"), counts only in a list a word
// naming an invoice opens ("fattura 101", "fatture 101 e 102") or written
// with the year of the invoice ("101/2026"). A number right after a word
// naming another document ("ordine 2026/101") is that document's.
func (rm remittance) mentions(inv policy.Invoice) bool {
	num := strings.ToLower(strings.TrimSpace(inv.Number))
	if num == "" {
		return false
	}
	for _, d := range digitRuns(num) {
		if !rm.digits[d] {
			return false // every way of writing it keeps its digits
		}
	}
	variants := map[string]bool{num: true}
	for _, sep := range []string{"/", "-", "."} {
		if parts := strings.Split(num, sep); len(parts) == 2 && parts[0] != "" && parts[1] != "" {
			for _, s := range []string{"/", "-", "."} {
				variants[parts[0]+s+parts[1]] = true
				variants[parts[1]+s+parts[0]] = true
			}
		}
	}
	short := len(num) <= 4 && strings.IndexFunc(num, func(r rune) bool { return !unicode.IsDigit(r) }) < 0
	if short && !inv.IssueDate.IsZero() {
		y := fmt.Sprint(inv.IssueDate.Year())
		for _, s := range []string{"/", "-"} {
			variants[num+s+y] = true
			variants[y+s+num] = true
		}
	}
	for i, t := range rm.toks {
		t = strings.Trim(t, ".-_")
		bare := strings.TrimLeftFunc(t, unicode.IsLetter) // "ft2026/101", "inv0042"
		if !variants[t] && !variants[bare] || rm.other[i] {
			continue
		}
		if !short || bare != num || t != bare || rm.listed[i] {
			// The whole number, a year with it, glued to "FT", or a short
			// number in a list after a word naming an invoice.
			return true
		}
	}
	return false
}
