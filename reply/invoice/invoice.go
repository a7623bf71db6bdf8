// Package invoice reads the fields of an invoice email: number, dates, amount,
// currency, client address, IBAN and payment instalments, from an attached
// FatturaPA XML (authoritative), a PDF courtesy copy, or the subject and body.
// It never guesses: a field it cannot read with confidence is reported missing.
package invoice

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/sollecito/sollecito/mailbox/message"
)

// Field names, as reported in Fields.Missing and asked of the owner.
const (
	FieldNumber    = "number"
	FieldIssueDate = "issue_date"
	FieldDueDate   = "due_date"
	FieldAmount    = "amount"
	FieldClient    = "client_email"
)

// Instalment is one payment of an invoice paid in parts (FatturaPA
// DettaglioPagamento rows): each is chased on its own.
type Instalment struct {
	DueDate time.Time // calendar date at 00:00 UTC
	Amount  decimal.Decimal
}

// Fields is what Extract read from an invoice email. Dates are calendar
// dates at 00:00 UTC, zero when not found. Amount is what the client must
// pay (after withholding); Currency is an ISO 4217 code, "" with no amount.
type Fields struct {
	// CreditNote: the mail is a credit note (a FatturaPA of type TD04, or
	// a subject that names one and no invoice): money owed to the client,
	// never an invoice to chase.
	CreditNote   bool
	Number       string
	IssueDate    time.Time
	DueDate      time.Time
	Amount       decimal.Decimal
	HasAmount    bool
	Currency     string
	ClientEmails []string // the client's addresses, lower-case, the first being the main one
	// ClientName is the client's name as the invoice gives it (FatturaPA
	// CessionarioCommittente, a "Cliente:" or "Spett.le" line, else the
	// display name of the client's address), "" when none is reliable.
	ClientName string
	// ClientVAT is the client's VAT number with its country prefix
	// ("IT02761541208"), else its codice fiscale, from a FatturaPA only; ""
	// when none.
	ClientVAT   string
	IBAN        string // "" when none was found or it failed its check
	Instalments []Instalment
	Lang        string // "it" or "en"
	Source      string // where the fields came from: "fatturapa", "pdf", "text"
	// Missing lists the Field* names that could not be read with confidence.
	Missing []string
	// Notes say, for the owner, why a field is missing or which reading was
	// set aside (a FatturaPA overruling the text, two readings that disagree).
	Notes []string
	// From says, per Field* name, where the value came from: "FatturaPA"
	// and its element, "pdf fattura.pdf", "subject", "body", or several of
	// them when they agree.
	From map[string]string
}

// Options tells Extract which addresses and names are not the client's.
type Options struct {
	Own []string // the bot's and owner's addresses, lower-case
	// OwnNames are the business's and owner's names: never read as the
	// client's name.
	OwnNames []string
}

// Extract reads the fields of an invoice email.
func Extract(m *message.Message, o Options) Fields {
	return extract(m, o)
}

// ExtractAll reads an invoice email that may carry several invoices: when
// its attachments (PDF or FatturaPA, two at least) each read as a complete
// invoice of its own number (number, issue date, amount), one Fields per
// attachment, in their order, each with the mail's client; otherwise the
// one Fields of Extract. A mail whose attachments do not all stand alone
// keeps Extract's reading, with its notes, for the owner to decide.
func ExtractAll(m *message.Message, o Options) []Fields {
	whole := extract(m, o)
	if len(m.Attachments) < 2 || whole.Number != "" && !slices.ContainsFunc(whole.Notes, func(n string) bool {
		return strings.HasPrefix(n, "number:")
	}) {
		return []Fields{whole}
	}
	var out []Fields
	seen := map[string]bool{}
	for _, a := range m.Attachments {
		one := *m
		one.Subject, one.Text, one.HTML, one.HTMLText = "", "", "", ""
		one.Attachments = []message.Attachment{a}
		f := extract(&one, o)
		if f.Number == "" && f.IssueDate.IsZero() && !f.HasAmount {
			continue // no invoice in it (a terms sheet, a logo)
		}
		if creditNote(a, f) {
			// A credit note is money owed to the client: never chased. The
			// owner decides how the mail's documents go together.
			return []Fields{whole}
		}
		if f.Number == "" || f.IssueDate.IsZero() || !f.HasAmount || seen[f.Number] {
			return []Fields{whole}
		}
		seen[f.Number] = true
		out = append(out, f)
	}
	if len(out) < 2 {
		return []Fields{whole}
	}
	return out
}

// invoiceWordRe names an invoice.
var invoiceWordRe = regexp.MustCompile(`(?i)\b(?:fattur[ae]|invoices?|rechnung(?:en)?|factures?|facturas?|parcella)\b`)

// creditNoteRe names a credit note at the head of a document.
var creditNoteRe = regexp.MustCompile(`(?i)\b(?:nota\s+di\s+credito|credit\s+note|credit\s+memo|gutschrift|avoir|nota\s+de\s+cr[ée]dito|abono)\b`)

// creditNote reports whether attachment a, read as f, is a credit note: a
// FatturaPA of type TD04, or a PDF whose head names one.
func creditNote(a message.Attachment, f Fields) bool {
	if slices.ContainsFunc(f.Notes, func(n string) bool { return strings.Contains(n, "credit note") }) {
		return true
	}
	if !strings.HasSuffix(strings.ToLower(a.Filename), ".pdf") && !isPDF(a.Data) {
		return false
	}
	t, err := pdfText(a.Data)
	return err == nil && creditNoteRe.MatchString(headLines(t, 3))
}
