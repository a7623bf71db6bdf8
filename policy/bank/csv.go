package bank

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// CSVColumns names the columns of a home-banking CSV export by their
// headers as the bank writes them; case, accents, spaces and a trailing
// "(EUR)" do not matter. A name left empty is looked for among the
// headers banks use: those of Banco BPM ("Data contabile;Data valuta;…;
// Importo;Divisa;Descrizione"), ING Italia ("DATA CONTABILE;DATA VALUTA;
// USCITE;ENTRATE;CAUSALE;DESCRIZIONE OPERAZIONE"), UniCredit ("Data
// Registrazione;Data valuta;Descrizione;Importo (EUR)"), the BCCs on Inbank
// ("DATA;VALUTA;DARE;AVERE;DIVISA;DESCRIZIONE_OPERAZIONE;CAUSALE_ABI"),
// Banca Popolare di Sondrio, Crédit Agricole Italia ("Data Op.;Data Val.;
// Causale;Descrizione;Importo;Div."), Intesa Sanpaolo's "Lista Movimenti",
// N26, Revolut Business, the Dare/Avere and Accrediti/Addebiti layouts, and
// English and German exports. Where no column names the payer, the payer
// is read from the description as those banks write it (payerInDescription).
type CSVColumns struct {
	Date, ValueDate string
	// Amount is a signed amount (credits positive); Credit and Debit are
	// the two columns of the layouts that split them.
	Amount, Credit, Debit string
	// Description lists the columns whose text is the remittance (the
	// causale and the bank's description), joined in this order.
	Description []string
	Payer       string
	Reference   string // the bank's reference of the transaction (CRO, TRN)
	Currency    string // a currency column; none: euro
	// DateFormat is a Go layout; "" reads day/month/year ("02/01/2006",
	// "02.01.2006", "02-01-2006", two-digit years) and ISO dates.
	DateFormat string
}

// The headers banks give each column, normalised (see normHeader).
var csvHeaders = struct {
	date, value, amount, credit, debit, desc, payer, ref, currency []string
}{
	date: []string{"data contabile", "data operazione", "data registrazione", "data movimento", "data", "data contab", "data op",
		"booking date", "transaction date", "date completed", "date", "datum", "buchungstag", "buchungsdatum"},
	value:  []string{"data valuta", "valuta", "value date", "wertstellung", "valutadatum", "data val"},
	amount: []string{"importo", "importo eur", "importo in euro", "importo operazione", "amount", "betrag", "montant", "importe"},
	credit: []string{"entrate", "accrediti", "accredito", "avere", "importo entrate", "credit", "credits", "paid in",
		"money in", "haben", "eingang"},
	debit: []string{"uscite", "addebiti", "addebito", "dare", "importo uscite", "debit", "debits", "paid out",
		"money out", "soll", "ausgang"},
	desc: []string{"causale", "descrizione", "descrizione operazione", "descrizione operazioni", "descrizione estesa", "dettagli",
		"causale descrizione", "causale / descrizione", "description", "details", "payment reference", "reference",
		"verwendungszweck", "buchungstext", "libelle"},
	// Revolut Business's "Payer" is the team member who paid, not the
	// counterparty: its "Sender name" comes first.
	payer: []string{"ordinante", "controparte", "nome controparte", "ordinante/beneficiario", "beneficiario/ordinante",
		"sender name", "partner name", "counterparty name", "payer", "counterparty", "auftraggeber", "auftraggeber/empfanger"},
	ref:      []string{"cro", "trn", "riferimento", "id operazione", "numero operazione", "transaction id", "referenz"},
	currency: []string{"divisa", "div", "currency", "wahrung"},
}

// normHeader is a header as compared: lower case, without accents,
// quotes, a unit in brackets or a trailing colon, single spaces.
func normHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue // the accent of "è", "ä"
		}
		b.WriteRune(r)
	}
	s = b.String()
	if i := strings.IndexAny(s, "(["); i > 0 {
		s = s[:i]
	}
	s = strings.Trim(strings.ReplaceAll(s, "_", " "), " \t:.\"'")
	return strings.Join(strings.Fields(s), " ")
}

// csvLayout is where each column stands in the header found; -1: none.
type csvLayout struct {
	date, value, amount, credit, debit, payer, ref, currency int
	desc                                                     []int
}

// findColumns reads header as a header row: ok when it names a date
// column and an amount or credit column.
func findColumns(header []string, c CSVColumns) (csvLayout, bool) {
	norms := make([]string, len(header))
	for i, h := range header {
		norms[i] = normHeader(h)
	}
	find := func(configured string, known []string) int {
		names := known
		if configured != "" {
			names = []string{normHeader(configured)}
		}
		for _, n := range names { // the first known name wins, in its order
			for i, h := range norms {
				if h == n {
					return i
				}
			}
		}
		return -1
	}
	l := csvLayout{
		date: find(c.Date, csvHeaders.date), value: find(c.ValueDate, csvHeaders.value),
		amount: find(c.Amount, csvHeaders.amount), credit: find(c.Credit, csvHeaders.credit),
		debit: find(c.Debit, csvHeaders.debit), payer: find(c.Payer, csvHeaders.payer),
		ref: find(c.Reference, csvHeaders.ref), currency: find(c.Currency, csvHeaders.currency),
	}
	if l.value == l.date {
		l.value = -1 // "Valuta" read as the only date
	}
	descNames := csvHeaders.desc
	if len(c.Description) > 0 {
		descNames = nil
		for _, d := range c.Description {
			descNames = append(descNames, normHeader(d))
		}
	}
	for _, n := range descNames {
		for i, h := range norms {
			if h == n && i != l.payer && i != l.ref {
				l.desc = append(l.desc, i)
			}
		}
	}
	return l, l.date >= 0 && (l.amount >= 0 || l.credit >= 0)
}

// maxCSVHeaderRow is how far down a header may stand (after the account's
// name, number and balance).
const maxCSVHeaderRow = 40

// ParseCSV reads the credits of a home-banking CSV export: the rows under
// the first header that names a date and an amount (or credit) column,
// by the names in c or those banks use. Amounts in Italian ("1.220,00")
// or English ("1,220.00") notation, signed ("+1.650,00") or in a credit
// column; debits, balance lines ("Saldo iniziale") and rows without a date
// are left out. The file is UTF-8 or Windows-1252. A row with a date and
// an amount that cannot be read fails the whole file: nothing half-read.
func ParseCSV(data []byte, c CSVColumns) ([]Credit, error) {
	if len(data) > MaxStatementSize {
		return nil, fmt.Errorf("CSV statement of %d bytes: over the %d limit", len(data), MaxStatementSize)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		dec, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return nil, fmt.Errorf("CSV statement: %w", err)
		}
		data = dec
	}
	rows, err := readCSVRows(data)
	if err != nil {
		return nil, err
	}
	h := -1
	var l csvLayout
	for i := 0; i < len(rows) && i < maxCSVHeaderRow; i++ {
		if lay, ok := findColumns(rows[i], c); ok {
			h, l = i, lay
			break
		}
	}
	if h < 0 {
		return nil, fmt.Errorf("%w: no header row naming a date and an amount column in the first %d rows", ErrNotStatement, maxCSVHeaderRow)
	}
	cell := func(row []string, i int) string {
		if i < 0 || i >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[i])
	}
	var out []Credit
	seen := map[string]int{} // identical rows, counted: the n-th keeps its own reference
	for n, row := range rows[h+1:] {
		line := h + 2 + n
		dateText := cell(row, l.date)
		if dateText == "" || isBalanceRow(row) {
			continue
		}
		day, err := parseCSVDate(dateText, c.DateFormat)
		if err != nil {
			if cell(row, l.amount) == "" && cell(row, l.credit) == "" {
				continue // a footer ("Totale movimenti", a note)
			}
			return nil, fmt.Errorf("CSV statement, row %d: date %q: %w", line, dateText, err)
		}
		var amount decimal.Decimal
		switch {
		case l.credit >= 0 && cell(row, l.credit) != "":
			if amount, err = parseCSVAmount(cell(row, l.credit)); err != nil {
				return nil, fmt.Errorf("CSV statement, row %d: credit %q: %w", line, cell(row, l.credit), err)
			}
			amount = amount.Abs()
		case l.amount >= 0 && cell(row, l.amount) != "":
			if amount, err = parseCSVAmount(cell(row, l.amount)); err != nil {
				return nil, fmt.Errorf("CSV statement, row %d: amount %q: %w", line, cell(row, l.amount), err)
			}
		default:
			continue // a debit in its own column
		}
		if !amount.IsPositive() {
			continue
		}
		value := day
		if v := cell(row, l.value); v != "" {
			if t, err := parseCSVDate(v, c.DateFormat); err == nil {
				value = t
			}
		}
		var desc []string
		for _, i := range l.desc {
			if d := cell(row, i); d != "" && !containsString(desc, d) {
				desc = append(desc, d)
			}
		}
		ccy := strings.ToUpper(cell(row, l.currency))
		if len(ccy) != 3 {
			ccy = "EUR"
		}
		cr := Credit{Ref: cell(row, l.ref), BookingDate: day, ValueDate: value, Amount: amount, Currency: ccy,
			Payer: cell(row, l.payer), Remittance: strings.Join(desc, "\n")}
		if cr.Payer == "" {
			cr.Payer = payerInDescription(cr.Remittance)
		}
		if cr.Ref == "" {
			// Two identical transfers on one day are two credits: the
			// second gets its own reference, the same at every import.
			cr = withRef(cr)
			k := seen[cr.Ref]
			seen[cr.Ref]++
			if k > 0 {
				cr.Ref += "-" + strconv.Itoa(k+1)
			}
		}
		out = append(out, cr)
		if len(out) > MaxCredits {
			return nil, fmt.Errorf("CSV statement: more than %d credits", MaxCredits)
		}
	}
	return out, nil
}

// readCSVRows splits data into rows with the separator its lines use
// most: ';' (Italian exports), ',' or a tab.
func readCSVRows(data []byte) ([][]string, error) {
	head := data[:min(len(data), 8<<10)]
	sep, best := ';', -1
	for _, s := range []rune{';', '\t', ','} {
		if n := bytes.Count(head, []byte(string(s))); n > best {
			sep, best = s, n
		}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sep
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = false
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: CSV: %v", ErrNotStatement, err)
		}
		rows = append(rows, rec)
		if len(rows) > 2*MaxCredits {
			return nil, fmt.Errorf("CSV statement: more than %d rows", 2*MaxCredits)
		}
	}
}

// isBalanceRow reports a row that states a balance, not a movement
// ("Saldo iniziale", "Closing balance"); "saldo fattura 101" is a
// payment's causale, not a balance.
func isBalanceRow(row []string) bool {
	for _, c := range row {
		n := normHeader(c)
		if n == "saldo" || n == "balance" {
			return true
		}
		for _, p := range balanceWords {
			if strings.HasPrefix(n, p) {
				return true
			}
		}
	}
	return false
}

var balanceWords = []string{"saldo iniziale", "saldo finale", "saldo contabile", "saldo disponibile", "saldo liquido",
	"saldo precedente", "saldo al ", "saldo a ", "saldo del ", "opening balance", "closing balance", "balance brought",
	"balance carried", "kontostand", "anfangssaldo", "endsaldo", "solde"}

var csvDateLayouts = []string{"02/01/2006", "2/1/2006", "02.01.2006", "2.1.2006", "02-01-2006", "2006-01-02", "02/01/06", "02.01.06", "2006/01/02"}

// errCSVDate is a cell that is no date in the formats read.
var errCSVDate = errors.New("not a date (day/month/year or year-month-day)")

func parseCSVDate(s, layout string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = s[:i] // "03/02/2026 00:00:00"
	}
	if layout != "" {
		t, err := time.Parse(layout, s)
		if err != nil {
			return time.Time{}, err
		}
		return t, nil
	}
	for _, l := range csvDateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errCSVDate
}

// parseCSVAmount reads an amount as banks export it: "1.220,00",
// "+1.650,00", "-193,98", "1,220.00", "1220.5", "€ 12,00", "1 220,00".
// One separator followed by exactly three digits groups thousands
// ("1.220"); otherwise the last separator is the decimal one.
func parseCSVAmount(s string) (decimal.Decimal, error) {
	t := strings.NewReplacer("€", "", "EUR", "", "eur", "", " ", "", "\u00a0", "", "\u202f", "", "'", "", "+", "").Replace(s)
	neg := strings.HasPrefix(t, "-") || strings.HasSuffix(t, "-") || strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")")
	t = strings.Trim(t, "-()")
	if t == "" {
		return decimal.Decimal{}, errors.New("no figure")
	}
	for _, r := range t {
		if !unicode.IsDigit(r) && r != '.' && r != ',' {
			return decimal.Decimal{}, errors.New("not a figure")
		}
	}
	dot, comma := strings.LastIndexByte(t, '.'), strings.LastIndexByte(t, ',')
	dec := max(dot, comma)
	if dec >= 0 {
		grouped := strings.Count(t, string(t[dec])) > 1 || len(t)-dec-1 == 3 && (dot < 0 || comma < 0)
		if grouped {
			dec = -1 // "1.220", "1,220,000": thousands only
		}
	}
	var b strings.Builder
	for i, r := range t {
		switch {
		case i == dec:
			b.WriteByte('.')
		case r == '.' || r == ',':
		default:
			b.WriteRune(r)
		}
	}
	v, err := decimal.NewFromString(b.String())
	if err != nil {
		return decimal.Decimal{}, err
	}
	if neg {
		v = v.Neg()
	}
	return v, nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// descPayerRe finds the payer where banks write it inside the description
// of an incoming transfer, between two of their markers: "Ordinante: X
// Causale: …" (BCC Inbank), "BONIFICO SEPA DA: X PER: …" (UniCredit),
// "Ord: XInfo-Cli: …" (Fineco), "BONIFICO … DA X PER …" and "POSTAGIRO …
// DA X PER …" (BancoPosta), "Bonifico Disposto Da X" (Intesa Sanpaolo,
// the whole cell).
var descPayerRe = regexp.MustCompile(`(?i)\bordinante\s*:\s*(.+?)\s+causale\s*:|\bsepa\s+da\s*:\s*(.+?)\s+per\s*:|\bord\s*:\s*(.+?)\s*info-cli\s*:|\b(?:bonifico|postagiro)\b[^\n]*?\bda\s+(.+?)\s+per\s|\bdisposto\s+da\s+([^\n]+?)\s*$`)

// payerInDescription is the payer named in a transfer's description, or "".
func payerInDescription(desc string) string {
	for _, line := range strings.Split(desc, "\n") {
		line = strings.Join(strings.Fields(line), " ") // UniCredit pads its segments with spaces
		if m := descPayerRe.FindStringSubmatch(line); m != nil {
			for _, g := range m[1:] {
				if g = strings.TrimSpace(g); g != "" {
					return g
				}
			}
		}
	}
	return ""
}
