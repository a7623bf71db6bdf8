// Package bank reads the money that arrived in the business's account, as
// banks hand it over (ISO 20022 camt.053 statements and camt.054 credit
// notifications), and matches each credit to the open invoices it pays.
// It does no I/O: the engine records what it returns and acts on it.
package bank

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Credit is money that came into the account: one booked credit entry, or
// one transaction of a batch entry.
type Credit struct {
	// Ref identifies the credit across imports: the bank's reference for
	// the transaction (or its entry), else a hash of what it says, so that
	// the same statement imported twice records each credit once.
	Ref                    string
	BookingDate, ValueDate time.Time // ValueDate is BookingDate when the bank gives none
	Amount                 decimal.Decimal
	Currency               string
	Payer                  string // the debtor's name, "" when the bank gives none
	PayerIBAN              string
	// Remittance is what the payer wrote (the causale), the structured
	// references and the bank's additional information, one per line.
	Remittance string
}

// Limits of ParseCAMT: a statement bigger, or with more entries, is
// refused whole rather than read in part.
const (
	MaxStatementSize = 32 << 20
	MaxCredits       = 200_000
)

// ErrNotCAMT is the error of a file that is not an ISO 20022 camt.052,
// camt.053 or camt.054 document.
var ErrNotCAMT = errors.New("not an ISO 20022 camt.052/053/054 statement")

// The elements read, by their local names: versions 001.02 to 001.13 of
// the messages differ in namespaces and in where a party's name stands
// (Dbtr/Nm before 001.08, Dbtr/Pty/Nm after), both read.
type (
	camtDoc struct {
		XMLName xml.Name
		Stmt    []camtReport `xml:"BkToCstmrStmt>Stmt"`
		Rpt     []camtReport `xml:"BkToCstmrAcctRpt>Rpt"`
		Ntfctn  []camtReport `xml:"BkToCstmrDbtCdtNtfctn>Ntfctn"`
	}
	camtReport struct {
		Ccy  string      `xml:"Acct>Ccy"`
		Ntry []camtEntry `xml:"Ntry"`
	}
	camtAmount struct {
		Value string `xml:",chardata"`
		Ccy   string `xml:"Ccy,attr"`
	}
	camtDate struct {
		Dt   string `xml:"Dt"`
		DtTm string `xml:"DtTm"`
	}
	camtStatus struct {
		Text string `xml:",chardata"`
		Cd   string `xml:"Cd"`
	}
	camtEntry struct {
		NtryRef     string     `xml:"NtryRef"`
		Amt         camtAmount `xml:"Amt"`
		CdtDbtInd   string     `xml:"CdtDbtInd"`
		RvslInd     string     `xml:"RvslInd"`
		Sts         camtStatus `xml:"Sts"`
		BookgDt     camtDate   `xml:"BookgDt"`
		ValDt       camtDate   `xml:"ValDt"`
		AcctSvcrRef string     `xml:"AcctSvcrRef"`
		TxDtls      []camtTx   `xml:"NtryDtls>TxDtls"`
		AddtlInf    string     `xml:"AddtlNtryInf"`
	}
	camtParty struct {
		Nm    string `xml:"Nm"`
		PtyNm string `xml:"Pty>Nm"`
	}
	camtTx struct {
		AcctSvcrRef string     `xml:"Refs>AcctSvcrRef"`
		TxID        string     `xml:"Refs>TxId"`
		EndToEndID  string     `xml:"Refs>EndToEndId"`
		Amt         camtAmount `xml:"Amt"`
		TxAmt       camtAmount `xml:"AmtDtls>TxAmt>Amt"`
		CdtDbtInd   string     `xml:"CdtDbtInd"`
		Dbtr        camtParty  `xml:"RltdPties>Dbtr"`
		UltmtDbtr   camtParty  `xml:"RltdPties>UltmtDbtr"`
		DbtrIBAN    string     `xml:"RltdPties>DbtrAcct>Id>IBAN"`
		Ustrd       []string   `xml:"RmtInf>Ustrd"`
		StrdRefs    []string   `xml:"RmtInf>Strd>CdtrRefInf>Ref"`
		StrdDocs    []string   `xml:"RmtInf>Strd>RfrdDocInf>Nb"`
		AddtlInf    string     `xml:"AddtlTxInf"`
	}
)

// ParseCAMT returns the booked credits of a camt.052, camt.053 or camt.054
// document, in the order they stand: debits, reversals and pending or
// informational entries are left out. An entry that batches several
// transactions gives one credit per transaction that states its amount.
// A file that is not such a document, or that holds a malformed amount or
// date, is an error naming the entry; nothing is returned with it.
func ParseCAMT(data []byte) ([]Credit, error) {
	if len(data) > MaxStatementSize {
		return nil, fmt.Errorf("statement of %d bytes: larger than %d", len(data), MaxStatementSize)
	}
	var doc camtDoc
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charsetReader
	if err := d.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotCAMT, err)
	}
	if doc.XMLName.Local != "Document" || !strings.Contains(doc.XMLName.Space, "camt.05") {
		return nil, fmt.Errorf("%w: root element %q in %q", ErrNotCAMT, doc.XMLName.Local, doc.XMLName.Space)
	}
	reports := append(append(doc.Stmt, doc.Rpt...), doc.Ntfctn...)
	var out []Credit
	for ri, r := range reports {
		for ei, e := range r.Ntry {
			where := fmt.Sprintf("report %d, entry %d", ri+1, ei+1)
			cs, err := entryCredits(e, r.Ccy)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", where, err)
			}
			out = append(out, cs...)
			if len(out) > MaxCredits {
				return nil, fmt.Errorf("more than %d credits in one statement", MaxCredits)
			}
		}
	}
	return out, nil
}

func entryCredits(e camtEntry, accountCcy string) ([]Credit, error) {
	if strings.TrimSpace(e.CdtDbtInd) != "CRDT" || strings.EqualFold(strings.TrimSpace(e.RvslInd), "true") {
		return nil, nil
	}
	if st := strings.TrimSpace(e.Sts.Cd + e.Sts.Text); st != "" && st != "BOOK" {
		return nil, nil // pending, informational or rejected: not money yet
	}
	booked, err := camtDay(e.BookgDt)
	if err != nil {
		return nil, fmt.Errorf("booking date: %w", err)
	}
	value, err := camtDay(e.ValDt)
	if err != nil {
		return nil, fmt.Errorf("value date: %w", err)
	}
	if value.IsZero() {
		value = booked
	}
	if booked.IsZero() {
		booked = value
	}
	total, ccy, err := camtMoney(e.Amt, accountCcy)
	if err != nil {
		return nil, fmt.Errorf("amount: %w", err)
	}
	base := Credit{BookingDate: booked, ValueDate: value, Amount: total, Currency: ccy}
	if len(e.TxDtls) == 0 {
		c := base
		c.Remittance = strings.TrimSpace(e.AddtlInf)
		c.Ref = firstOf(e.AcctSvcrRef, e.NtryRef)
		return []Credit{withRef(c)}, nil
	}
	var out []Credit
	for ti, t := range e.TxDtls {
		if ind := strings.TrimSpace(t.CdtDbtInd); ind != "" && ind != "CRDT" {
			continue
		}
		c := base
		if len(e.TxDtls) > 1 {
			amt := t.TxAmt
			if strings.TrimSpace(amt.Value) == "" {
				amt = t.Amt
			}
			if strings.TrimSpace(amt.Value) == "" {
				return nil, fmt.Errorf("transaction %d of a batch entry states no amount", ti+1)
			}
			if c.Amount, c.Currency, err = camtMoney(amt, ccy); err != nil {
				return nil, fmt.Errorf("transaction %d: amount: %w", ti+1, err)
			}
		}
		c.Payer = strings.TrimSpace(firstOf(t.Dbtr.Nm, t.Dbtr.PtyNm, t.UltmtDbtr.Nm, t.UltmtDbtr.PtyNm))
		c.PayerIBAN = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(t.DbtrIBAN), " ", ""))
		var lines []string
		for _, s := range append(append(append(t.Ustrd, t.StrdDocs...), t.StrdRefs...), t.AddtlInf, e.AddtlInf) {
			if s = strings.TrimSpace(s); s != "" {
				lines = append(lines, s)
			}
		}
		c.Remittance = strings.Join(lines, "\n")
		c.Ref = firstOf(t.AcctSvcrRef, t.TxID)
		if c.Ref == "" && len(e.TxDtls) == 1 {
			c.Ref = firstOf(e.AcctSvcrRef, e.NtryRef)
		} else if c.Ref == "" && firstOf(e.AcctSvcrRef, e.NtryRef) != "" {
			c.Ref = fmt.Sprintf("%s/%d", firstOf(e.AcctSvcrRef, e.NtryRef), ti+1)
		}
		out = append(out, withRef(c))
	}
	return out, nil
}

// withRef gives a credit without the bank's reference one made of what it
// says: the same credit read twice gets the same one.
func withRef(c Credit) Credit {
	if c.Ref != "" {
		return c
	}
	h := sha256.Sum256(fmt.Appendf(nil, "%s|%s|%s|%s|%s|%s", c.BookingDate.Format(time.DateOnly), c.Amount.StringFixed(2), c.Currency,
		c.Payer, c.PayerIBAN, c.Remittance))
	c.Ref = "h:" + hex.EncodeToString(h[:12])
	return c
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// camtMoney reads an ISO 20022 amount: a decimal with a point, positive,
// at most five decimals, with its currency (the account's when the
// element names none).
func camtMoney(a camtAmount, defaultCcy string) (decimal.Decimal, string, error) {
	s := strings.TrimSpace(a.Value)
	v, err := decimal.NewFromString(s)
	if err != nil || strings.ContainsAny(s, "eE,") || v.IsNegative() || v.IsZero() {
		return decimal.Decimal{}, "", fmt.Errorf("%q is not an amount", s)
	}
	ccy := strings.ToUpper(strings.TrimSpace(firstOf(a.Ccy, defaultCcy)))
	if len(ccy) != 3 {
		return decimal.Decimal{}, "", fmt.Errorf("amount %s: currency %q is not an ISO 4217 code", s, ccy)
	}
	return v, ccy, nil
}

// camtDay reads an ISO date or date-time as its calendar day (UTC
// midnight); zero when the element is absent.
func camtDay(d camtDate) (time.Time, error) {
	if s := strings.TrimSpace(d.Dt); s != "" {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not a date", s)
		}
		return t, nil
	}
	if s := strings.TrimSpace(d.DtTm); s != "" {
		if len(s) >= 10 {
			if t, err := time.Parse(time.DateOnly, s[:10]); err == nil {
				return t, nil
			}
		}
		return time.Time{}, fmt.Errorf("%q is not a date and time", s)
	}
	return time.Time{}, nil
}
