package invoice

import (
	"fmt"
	"math/bits"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/sollecito/sollecito/mailbox/message"
)

// How the sources combine (see extract):
//
//   - A FatturaPA XML (plain, signed .p7m, or inside a ZIP) is authoritative
//     for every field it holds; text only fills what it lacks.
//   - Otherwise every text source (subject, body, each PDF) is read with the
//     same rules and the readings must agree: two different values for a field
//     make it missing, with a note saying why.
//   - Amount: the amount labelled payable ("netto a pagare", "amount due") wins
//     over totals; when a withholding is written but no payable amount, the
//     amount is missing (the total would be gross).
//   - Due date: explicit due dates and dates computed from payment terms must
//     all agree. With instalments, DueDate is the first instalment's due date
//     and Amount is the sum of all instalments (the whole amount due).

var quoteLineRe = regexp.MustCompile(`(?m)^>.*$`)

func extract(m *message.Message, o Options) Fields {
	var f Fields
	own := map[string]bool{}
	for _, a := range o.Own {
		own[strings.ToLower(strings.TrimSpace(a))] = true
	}
	for _, a := range m.From {
		own[a.Email] = true
	}
	for _, a := range m.To {
		if !own[a.Email] && !slices.Contains(f.ClientEmails, a.Email) {
			f.ClientEmails = append(f.ClientEmails, a.Email)
		}
	}

	// Gather the sources.
	var xmls []fpReading
	type src struct{ name, text string }
	body := cleanBody(m)
	texts := []src{{"subject", m.Subject}, {"body", body}}
	if strings.TrimSpace(m.Text) != "" && m.HTMLText != "" {
		// A mail program's alternative parts: the plain one sometimes holds
		// the greeting only and the HTML one the invoice's table.
		if html := quoteLineRe.ReplaceAllString(m.HTMLText, ""); len(html) > len(body)+80 {
			texts = append(texts, src{"html", html})
		}
	}
	var files []namedFile
	for _, a := range m.Attachments {
		files = append(files, namedFile{a.Filename, a.Data})
		if isZip(a) {
			inner, err := unzip(a.Data)
			if err != nil {
				f.Notes = append(f.Notes, fmt.Sprintf("attachment %s: %v", a.Filename, err))
			}
			files = append(files, inner...)
		}
	}
	for _, a := range files {
		name := strings.ToLower(a.name)
		data := a.data
		switch {
		case strings.HasSuffix(name, ".p7m") || strings.HasSuffix(name, ".p7s"):
			inner, err := unwrapP7M(data)
			if err != nil {
				f.Notes = append(f.Notes, fmt.Sprintf("attachment %s: %v", a.name, err))
				continue
			}
			data = inner
			name = strings.TrimSuffix(strings.TrimSuffix(name, ".p7m"), ".p7s")
			fallthrough
		case strings.HasSuffix(name, ".xml"):
			r, err := parseFatturaPA(data)
			if err == errNotFatturaPA {
				continue
			}
			if err != nil {
				f.Notes = append(f.Notes, fmt.Sprintf("attachment %s: %v", a.name, err))
				continue
			}
			f.Notes = append(f.Notes, r.Notes...)
			xmls = append(xmls, r)
		case strings.HasSuffix(name, ".pdf") || isPDF(data):
			t, err := pdfText(data)
			if err != nil {
				f.Notes = append(f.Notes, fmt.Sprintf("attachment %s: %v", a.name, err))
				continue
			}
			if creditNoteRe.MatchString(headLines(t, 3)) {
				// A credit note beside the invoice: its number and sums
				// are its own (money owed to the client), not the invoice's.
				f.Notes = append(f.Notes, fmt.Sprintf("attachment %s is a credit note: not read as the invoice", a.name))
				continue
			}
			texts = append(texts, src{"pdf " + a.name, t})
		}
	}
	// A credit note mailed on its own: the FatturaPA says TD04, or the
	// subject names a credit note and no invoice.
	subjectRest := creditNoteRe.ReplaceAllString(m.Subject, "")
	f.CreditNote = creditNoteRe.MatchString(m.Subject) && !invoiceWordRe.MatchString(subjectRest)
	for _, x := range xmls {
		if slices.ContainsFunc(x.Notes, func(n string) bool { return strings.Contains(n, "TD04") }) {
			f.CreditNote = true
		}
	}
	var xml *fpReading
	if len(xmls) > 0 {
		xml = &xmls[0]
		for _, x := range xmls[1:] {
			if x.Number != xml.Number || !x.Amount.Equal(xml.Amount) || !x.DueDate.Equal(xml.DueDate) {
				f.Notes = append(f.Notes, "two FatturaPA attachments disagree; reading the text instead")
				xml = nil
				break
			}
		}
	}

	// Decide how to read numeric dates: per text by its own evidence, else by
	// the evidence of the whole message; a dollar invoice with no evidence
	// leaves ambiguous dates unread.
	var allText strings.Builder
	for _, s := range texts {
		allText.WriteString(s.text)
		allText.WriteString("\n")
	}
	all := allText.String()
	globalOrder := orderDMY
	dmy, mdy := numericEvidence(all)
	switch {
	case dmy && mdy:
		globalOrder = orderUnknown
	case mdy:
		globalOrder = orderMDY
	case !dmy && strings.Contains(all, "$"):
		globalOrder = orderUnknown
	}
	var rs []reading
	for _, s := range texts {
		order := globalOrder
		switch d, m := numericEvidence(s.text); {
		case d && m:
			order = orderUnknown
		case d:
			order = orderDMY
		case m:
			order = orderMDY
		}
		rs = append(rs, readText(s.name, prepare(s.text), order))
	}
	f.Lang = language(m.Subject + "\n" + cleanBody(m))

	f.From = map[string]string{}
	if xml != nil {
		f.Source = "fatturapa"
		f.Number, f.IssueDate, f.DueDate = xml.Number, xml.IssueDate, xml.DueDate
		f.Amount, f.HasAmount, f.Currency = xml.Amount, xml.HasAmount, xml.Currency
		f.IBAN, f.Instalments = xml.IBAN, xml.Instalments
		from := map[string]string{FieldNumber: "FatturaPA DatiGeneraliDocumento/Numero", FieldIssueDate: "FatturaPA DatiGeneraliDocumento/Data",
			FieldDueDate: "FatturaPA DettaglioPagamento/DataScadenzaPagamento", FieldAmount: "FatturaPA DettaglioPagamento/ImportoPagamento"}
		for k, v := range from {
			if k == FieldNumber && f.Number != "" || k == FieldIssueDate && !f.IssueDate.IsZero() ||
				k == FieldDueDate && !f.DueDate.IsZero() || k == FieldAmount && f.HasAmount {
				f.From[k] = v
			}
		}
	} else if slices.ContainsFunc(rs, func(r reading) bool { return strings.HasPrefix(r.source, "pdf") }) {
		f.Source = "pdf"
	} else {
		f.Source = "text"
	}

	var pdfNames, bodyNames []string
	for _, s := range texts {
		switch {
		case strings.HasPrefix(s.name, "pdf"):
			pdfNames = append(pdfNames, cueNames(prepare(s.text))...)
		case s.name == "body":
			bodyNames = cueNames(prepare(s.text))
		}
	}
	f.ClientName, f.ClientVAT = clientOf(m, f.ClientEmails, xml, pdfNames, bodyNames, o, &f.Notes)

	if f.Number == "" {
		f.Number, f.From[FieldNumber] = chooseNumber(rs, m.Subject, &f.Notes)
	}
	if f.IssueDate.IsZero() {
		var all, beside []time.Time
		var from, numbers []string
		for _, r := range rs {
			for _, n := range r.numbers {
				numbers = appendUnique(numbers, n)
			}
		}
		// A date written right after another document's number ("acompte
		// facture n° 2026-039 du 02/10/2026", "nota di credito n. 7 del
		// 03/11") is that document's, not this invoice's.
		others, own := map[time.Time]bool{}, map[time.Time]bool{}
		if f.Number != "" {
			for _, r := range rs {
				for _, nd := range r.issueBeside {
					if nd.number != f.Number {
						others[nd.date] = true
					} else {
						own[nd.date] = true // a credit note of the same day
					}
				}
			}
		}
		for t := range own {
			delete(others, t)
		}
		for _, r := range rs {
			for _, t := range r.issue {
				if others[t] {
					continue
				}
				all = appendUniqueTime(all, t)
				from = append(from, fmt.Sprintf("%s %s", t.Format(time.DateOnly), r.source))
			}
			for _, nd := range r.issueBeside {
				if len(numbers) == 1 && nd.number == f.Number {
					beside = appendUniqueTime(beside, nd.date)
				}
			}
		}
		switch {
		case len(all) == 1:
			f.IssueDate = all[0]
			f.From[FieldIssueDate] = sourcesOf(from)
		case len(all) > 1 && len(beside) == 1:
			// "Parcella n. 145/2026 del 28.11.2026", in a mail that names
			// no other document's number, gives the invoice's own day; the
			// other dates are of other things (a deposit paid "in data
			// 09/08/2026", a delivery).
			f.IssueDate = beside[0]
			f.From[FieldIssueDate] = "the date written after the invoice's number"
			f.Notes = append(f.Notes, "issue_date: the date beside the number, among: "+strings.Join(from, ", "))
		case len(all) > 1:
			f.Notes = append(f.Notes, "issue_date: readings disagree: "+strings.Join(from, ", "))
		case !m.Date.IsZero():
			// "fattura n. 96 del 22/11": an invoice is dated on or before
			// the day it is mailed, so the year is the one that puts that
			// day last on or before the mail's date.
			var days []time.Time
			sent := time.Date(m.Date.Year(), m.Date.Month(), m.Date.Day(), 0, 0, 0, 0, time.UTC)
			for _, r := range rs {
				for _, d := range r.issueNoYear {
					t := time.Date(sent.Year(), time.Month(d.month), d.day, 0, 0, 0, 0, time.UTC)
					if t.After(sent) {
						t = time.Date(sent.Year()-1, time.Month(d.month), d.day, 0, 0, 0, 0, time.UTC)
					}
					if t.Day() == d.day {
						days = appendUniqueTime(days, t)
					}
				}
			}
			if len(days) == 1 {
				f.IssueDate = days[0]
				f.From[FieldIssueDate] = "a date without its year, which the mail's date gives"
			}
		}
	}
	if f.DueDate.IsZero() {
		f.DueDate, f.From[FieldDueDate] = chooseDue(rs, f.IssueDate, m.Date, &f.Notes)
	}
	if !f.HasAmount {
		f.Amount, f.Currency, f.HasAmount, f.From[FieldAmount] = chooseAmount(ofInvoice(rs, f.Number), &f.Notes)
	}
	if len(f.ClientEmails) > 0 {
		f.From[FieldClient] = "the mail's recipients (To, Cc)"
	}
	for k, v := range f.From {
		if v == "" {
			delete(f.From, k)
		}
	}
	if !f.HasAmount {
		f.Currency = ""
	}
	if f.IBAN == "" {
		var ibans []string
		for _, r := range rs {
			for _, i := range r.ibans {
				ibans = appendUnique(ibans, i)
			}
		}
		if len(ibans) == 1 {
			f.IBAN = ibans[0]
		} else if len(ibans) > 1 {
			f.Notes = append(f.Notes, "iban: several IBANs written: "+strings.Join(ibans, ", "))
		}
	}

	if f.Number == "" {
		f.Missing = append(f.Missing, FieldNumber)
	}
	if f.IssueDate.IsZero() {
		f.Missing = append(f.Missing, FieldIssueDate)
	}
	if f.DueDate.IsZero() {
		f.Missing = append(f.Missing, FieldDueDate)
	}
	if !f.HasAmount {
		f.Missing = append(f.Missing, FieldAmount)
	}
	if len(f.ClientEmails) == 0 {
		f.Missing = append(f.Missing, FieldClient)
	}
	return f
}

// cleanBody is the body a person wrote, without quoted lines.
func cleanBody(m *message.Message) string {
	return quoteLineRe.ReplaceAllString(m.Body(), "")
}

// prepare evens out typography: emphasis stars from HTML, curly apostrophes,
// non-breaking spaces.
func prepare(s string) string {
	return strings.NewReplacer("*", " ", "’", "'", "\u00a0", " ", "\r", "").Replace(s)
}

func isZip(a message.Attachment) bool {
	return strings.HasSuffix(strings.ToLower(a.Filename), ".zip") || strings.Contains(a.ContentType, "zip")
}

func isPDF(b []byte) bool { return len(b) > 5 && string(b[:5]) == "%PDF-" }

// chooseNumber picks the invoice number: the single number of the most
// authoritative text that has exactly one (a PDF, then the subject, then the
// body), which every other text that names numbers must also name.
func chooseNumber(rs []reading, subject string, notes *[]string) (number, from string) {
	for i := range rs {
		if rs[i].source == "subject" && len(rs[i].numbers) == 0 {
			for _, m := range seriesCodeRe.FindAllStringSubmatch(subject, -1) {
				rs[i].numbers = appendUnique(rs[i].numbers, m[1])
			}
		}
	}
	rank := func(r reading) int {
		switch {
		case strings.HasPrefix(r.source, "pdf"):
			return 0
		case r.source == "subject":
			return 1
		}
		return 2
	}
	ordered := slices.Clone(rs)
	slices.SortStableFunc(ordered, func(a, b reading) int { return rank(a) - rank(b) })
	choice := ""
	for _, r := range ordered {
		if len(r.numbers) == 1 {
			choice = r.numbers[0]
			break
		}
	}
	// A subject that names another number is outvoted when two other texts
	// (the body and a PDF, say) both name the choice: "Fattura 730 e IMU"
	// names a tax form, not the invoice.
	backers := 0
	for _, r := range rs {
		if r.source != "subject" && slices.Contains(r.numbers, choice) {
			backers++
		}
	}
	var seen, sources []string
	for _, r := range rs {
		if len(r.numbers) == 0 {
			continue
		}
		seen = append(seen, r.source+": "+strings.Join(r.numbers, " "))
		if choice != "" && !slices.Contains(r.numbers, choice) {
			if r.source == "subject" && backers >= 2 {
				continue
			}
			choice = ""
		}
		sources = append(sources, r.source)
	}
	if choice == "" {
		if len(seen) > 0 {
			*notes = append(*notes, "number: readings disagree: "+strings.Join(seen, "; "))
		}
		return "", ""
	}
	return choice, strings.Join(sources, ", ")
}

// sourcesOf joins the sources named after the value in readings such as
// "2026-12-01 pdf fattura.pdf", without repeats.
func sourcesOf(readings []string) string {
	var out []string
	for _, r := range readings {
		_, src, _ := strings.Cut(r, " ")
		out = appendUnique(out, src)
	}
	return strings.Join(out, ", ")
}

// chooseDue combines explicit due dates and payment terms; they must agree.
func chooseDue(rs []reading, issue, msgDate time.Time, notes *[]string) (time.Time, string) {
	var dates []time.Time
	var from []string
	add := func(t time.Time, why string) {
		dates = appendUniqueTime(dates, t)
		from = append(from, t.Format(time.DateOnly)+" "+why)
	}
	ref := issue
	if ref.IsZero() && !msgDate.IsZero() {
		y, mo, d := msgDate.Date()
		ref = time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	}
	for _, r := range rs {
		for _, d := range r.due {
			if !d.date.IsZero() {
				add(d.date, r.source)
				continue
			}
			if ref.IsZero() {
				continue
			}
			// No year written: the first such date on or after the invoice date.
			t := time.Date(ref.Year(), time.Month(d.month), d.day, 0, 0, 0, 0, time.UTC)
			if t.Day() != d.day {
				continue
			}
			if t.Before(ref) {
				t = time.Date(ref.Year()+1, time.Month(d.month), d.day, 0, 0, 0, 0, time.UTC)
			}
			add(t, r.source)
		}
		for _, t := range r.terms {
			if issue.IsZero() {
				*notes = append(*notes, "due_date: payment terms given but no invoice date to count from")
				continue
			}
			add(t.apply(issue), fmt.Sprintf("%s (%d days%s)", r.source, t.days, map[bool]string{true: " end of month"}[t.endOfMonth]))
		}
	}
	instalments := false
	for _, r := range rs {
		instalments = instalments || r.instalments
	}
	switch {
	case len(dates) == 1:
		return dates[0], sourcesOf(from)
	case len(dates) > 1 && instalments:
		// Payment in parts ("1^ rata al 31/01, 2^ rata al 28/02"): the
		// first part is due first; the chase starts from it.
		// A due date before the invoice's own is a misreading, not a part.
		var parts []time.Time
		for _, d := range dates {
			if issue.IsZero() || !d.Before(issue) {
				parts = append(parts, d)
			}
		}
		if len(parts) == len(dates) {
			first := slices.MinFunc(parts, func(a, b time.Time) int { return a.Compare(b) })
			*notes = append(*notes, "due_date: the first of the instalments' due dates: "+strings.Join(from, ", "))
			return first, "the first instalment's due date"
		}
		*notes = append(*notes, "due_date: readings disagree (one falls before the invoice date): "+strings.Join(from, ", "))
	case len(dates) > 1:
		*notes = append(*notes, "due_date: readings disagree: "+strings.Join(from, ", "))
	}
	return time.Time{}, ""
}

// chooseAmount picks what the client must pay: the payable amounts if any
// text labels one, else the totals; all readings of the chosen kind must
// agree in value and currency.
// ofInvoice is rs without the sums written after another invoice's
// number than number ("… risulta ancora da saldare la fattura n. 44 di
// € 287,60" in the mail of invoice 52): that invoice's, not this one's.
func ofInvoice(rs []reading, number string) []reading {
	if number == "" {
		return rs
	}
	keep := func(ms []money, of []string) []money {
		var out []money
		for i, m := range ms {
			if i < len(of) && of[i] != "" && !sameNumber(of[i], number) {
				continue
			}
			out = append(out, m)
		}
		return out
	}
	out := make([]reading, len(rs))
	for i, r := range rs {
		out[i] = r
		out[i].payable = keep(r.payable, r.payableOf)
		out[i].total = keep(r.total, r.totalOf)
		if len(out[i].payable)+len(out[i].total) == 0 && len(r.payable)+len(r.total) > 0 {
			// every labelled sum was another invoice's: the unlabelled
			// ones are read as they would be in a mail without labels
			out[i].total, out[i].unlabelled = keep(r.loose, r.looseOf), true
		}
	}
	return out
}

// sameNumber reports whether a and b name the same invoice: equal, or one
// the other with its year or series ("52" and "52/2026").
func sameNumber(a, b string) bool {
	a, b = strings.ToLower(a), strings.ToLower(b)
	if a == b {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	return strings.HasPrefix(b, a) && strings.ContainsRune("/-_.", rune(b[len(a)])) ||
		strings.HasSuffix(b, a) && strings.ContainsRune("/-_.", rune(b[len(b)-len(a)-1]))
}

func chooseAmount(rs []reading, notes *[]string) (decimal.Decimal, string, bool, string) {
	var payable, total []money
	var payableFrom, totalFrom []string
	withholding, unlabelled := false, true
	for _, r := range rs {
		unlabelled = unlabelled && (len(r.total) == 0 || r.unlabelled)
		payable = append(payable, r.payable...)
		total = append(total, r.total...)
		if len(r.payable) > 0 {
			payableFrom = appendUnique(payableFrom, r.source)
		}
		if len(r.total) > 0 {
			totalFrom = appendUnique(totalFrom, r.source)
		}
		withholding = withholding || r.withholding
	}
	sources := payableFrom
	pick := payable
	kind := "payable amounts"
	if len(pick) == 0 {
		if withholding {
			if len(total) > 0 {
				*notes = append(*notes, "amount: a withholding is written but no net amount to pay")
			}
			return decimal.Zero, "", false, ""
		}
		pick, kind, sources = total, "totals", totalFrom
	}
	if len(pick) == 0 {
		return decimal.Zero, "", false, ""
	}
	if kind == "totals" && unlabelled {
		if sum, ok := breakdownTotal(pick); ok {
			*notes = append(*notes, "amount: no figure is labelled; the one the others add up to")
			return sum.value, sum.cur, true, strings.Join(sources, ", ")
		}
	}
	first := pick[0]
	for _, p := range pick[1:] {
		if !p.value.Equal(first.value) || p.cur != first.cur {
			var vs []string
			for _, q := range pick {
				vs = append(vs, q.cur+" "+q.value.StringFixed(2))
			}
			*notes = append(*notes, fmt.Sprintf("amount: %s disagree: %s", kind, strings.Join(vs, ", ")))
			return decimal.Zero, "", false, ""
		}
	}
	return first.value, first.cur, true, strings.Join(sources, ", ")
}

// breakdownTotal finds, among figures no label names, the total of a
// breakdown ("11.470,00 … 2.600,00 … 14.070,00"): the largest, when two or
// more of the others, all in its currency, add up to it exactly. A
// largest figure that nothing adds up to is not one.
func breakdownTotal(ms []money) (money, bool) {
	var top money
	for i, m := range ms {
		if i == 0 || m.value.GreaterThan(top.value) {
			top = m
		}
	}
	var parts []decimal.Decimal
	for _, m := range ms {
		if m.cur != top.cur {
			return money{}, false
		}
		if !m.value.Equal(top.value) && m.value.IsPositive() {
			parts = appendUniqueDecimal(parts, m.value)
		}
	}
	if len(parts) < 2 || len(parts) > 12 {
		return money{}, false
	}
	for mask := 1; mask < 1<<len(parts); mask++ {
		if bits.OnesCount(uint(mask)) < 2 {
			continue
		}
		sum := decimal.Zero
		for i, p := range parts {
			if mask&(1<<i) != 0 {
				sum = sum.Add(p)
			}
		}
		if sum.Equal(top.value) {
			return top, true
		}
	}
	return money{}, false
}

func appendUniqueDecimal(list []decimal.Decimal, d decimal.Decimal) []decimal.Decimal {
	for _, x := range list {
		if x.Equal(d) {
			return list
		}
	}
	return append(list, d)
}

// headLines returns the first n non-empty lines of text: a document's
// title and heading.
func headLines(text string, n int) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if out = append(out, l); len(out) == n {
			break
		}
	}
	return strings.Join(out, "\n")
}
