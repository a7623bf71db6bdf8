package bank

import (
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/policy"
)

func TestMatchCredit(t *testing.T) {
	eur := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	open := []policy.Invoice{
		{ID: 1, Number: "2026/101", Amount: eur("1220.00"), Currency: "EUR", State: policy.Open, IssueDate: day(2026, 11, 2)},
		{ID: 2, Number: "2026-0045", Amount: eur("600.00"), Currency: "EUR", State: policy.Open},
		{ID: 3, Number: "102", Amount: eur("350.00"), Currency: "EUR", State: policy.Paused, IssueDate: day(2026, 11, 5)},
		{ID: 4, Number: "103", Amount: eur("150.00"), Currency: "EUR", State: policy.Open, IssueDate: day(2026, 11, 5)},
		{ID: 5, Number: "INV-2026-105", Amount: eur("4260.00"), Currency: "GBP", State: policy.WithOwner},
		{ID: 6, Number: "2026/107", Amount: eur("1000.00"), PaidAmount: eur("400.00"), Currency: "EUR", State: policy.Open},
		{ID: 7, Number: "2026/108", Amount: eur("780.00"), Currency: "EUR", State: policy.Paid},
		{ID: 8, Number: "2026/109", Amount: eur("90.00"), Currency: "EUR", State: policy.Open},
		{ID: 9, Number: "2026/110", Amount: eur("90.00"), Currency: "EUR", State: policy.Open, Client: "ap@nove.test"},
		// The client wrote "paid" about this one: its credit confirms it.
		{ID: 10, Number: "2026/111", Amount: eur("2440.00"), Currency: "EUR", State: policy.ClaimedPaid,
			Client: "amministrazione@verdiimpianti.it", ClientName: "Verdi Impianti S.r.l."},
		{ID: 11, Number: "2026/112", Amount: eur("315.00"), Currency: "EUR", State: policy.ClaimedPaid, Client: "anna.neri@gmail.com"},
	}
	tests := []struct {
		name       string
		remittance string
		amount     string
		currency   string
		want       []int64
		certain    bool
		payer      string
		paidFor    []string
	}{
		{"no number, two invoices owe it, one of a client this payer paid for before", "BONIFICO", "90.00", "EUR", []int64{9}, false, "", []string{"AP@NOVE.TEST"}},
		{"no number, the client said it paid, a payer that paid for it before", "giroconto", "315.00", "EUR", []int64{11}, true, "MARIO NERI", []string{"anna.neri@gmail.com"}},
		{"no number, but the client said it paid and the payer is the client", "BONIFICO SEPA", "2440.00", "EUR", []int64{10}, true, "VERDI IMPIANTI SRL", nil},
		{"no number, the client said it paid, the payer named by the mail domain", "pagamento", "2440.00", "EUR", []int64{10}, true, "Verdiimpianti", nil},
		{"no number, the client said it paid, another payer: the owner decides", "BONIFICO SEPA", "2440.00", "EUR", []int64{10}, false, "ROSSI SPA", nil},
		{"no number, the client said it paid, no payer: the owner decides", "BONIFICO SEPA", "2440.00", "EUR", []int64{10}, false, "", nil},
		{"a mail provider's domain is no name", "giroconto", "315.00", "EUR", []int64{11}, false, "GMAIL SERVICES", nil},
		{"number and amount", "SALDO FATTURA 2026/101 DEL 02/11/2026", "1220.00", "EUR", []int64{1}, true, "", nil},
		{"number written another way", "pagamento fatt. 101/2026", "1220.00", "EUR", []int64{1}, true, "", nil},
		{"number glued to FT", "FT2026-0045", "600.00", "EUR", []int64{2}, true, "", nil},
		{"a short number after 'fattura'", "saldo fattura n. 102", "350.00", "EUR", []int64{3}, true, "", nil},
		{"a short number with its year", "rif 103/2026", "150.00", "EUR", []int64{4}, true, "", nil},
		{"a short number alone is no number", "via Roma 102 interno 4", "350.00", "EUR", []int64{3}, false, "", nil},
		{"two invoices in one transfer", "FATT 102 E 103", "500.00", "EUR", []int64{3, 4}, true, "", nil},
		{"what is still owed after a part payment", "saldo 2026/107", "600.00", "EUR", []int64{6}, true, "", nil},
		{"a part payment: the owner decides", "acconto fattura 2026/101", "500.00", "EUR", []int64{1}, false, "", nil},
		{"the right number in another currency", "INV-2026-105", "4260.00", "EUR", []int64{5}, false, "", nil},
		{"structured reference in GBP", "INV-2026-105\nRF18539007547034", "4260.00", "GBP", []int64{5}, true, "", nil},
		{"a paid invoice is never matched again", "saldo 2026/108", "780.00", "EUR", nil, false, "", nil},
		{"no number, one invoice owes it", "BONIFICO DA ROSSI", "1220.00", "EUR", []int64{1}, false, "", nil},
		{"no number, two invoices owe it", "BONIFICO", "90.00", "EUR", nil, false, "", nil},
		{"nothing fits", "rimborso spese", "12.34", "EUR", nil, false, "", nil},
		{"no number, and booked before the one invoice owing it was issued", "BONIFICO DA ROSSI", "1220.00", "EUR", nil, false, "early", nil},
		{"an order's number is not the invoice's", "ordine 2026/101 acconto", "610.00", "EUR", nil, false, "", nil},
	}
	for _, tt := range tests {
		c := Credit{Amount: decimal.RequireFromString(tt.amount), Currency: tt.currency, Remittance: tt.remittance, Payer: tt.payer, ValueDate: day(2026, 11, 20)}
		if tt.payer == "early" {
			c.Payer, c.ValueDate = "", day(2026, 10, 30)
		}
		m := MatchCredit(c, open, tt.paidFor)
		if !slices.Equal(m.Invoices, tt.want) || m.Certain != tt.certain || m.Why == "" {
			t.Errorf("%s: %+v, want %v certain %v", tt.name, m, tt.want, tt.certain)
		}
		if m.Certain && !strings.Contains(m.Why, "names") && !strings.Contains(m.Why, "said") {
			t.Errorf("%s: a certain match says %q", tt.name, m.Why)
		}
	}
}
