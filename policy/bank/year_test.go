package bank

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/policy"
)

// TestGeneratedYear matches a generated year of a business: 1,000
// invoices and 5,000 credits with the noise of real statements (other
// income, order and phone numbers, typos in the numbers, grouped and part
// payments, a payer who writes only the short number). A certain match is
// never wrong, and at least 90% of the payments that carry their invoice's
// number are matched without the owner. The figures are logged:
//
//	go test ./policy/bank -run GeneratedYear -v
func TestGeneratedYear(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 12))
	const nInv = 1000
	invs := make([]policy.Invoice, nInv)
	for i := range invs {
		num := fmt.Sprintf("2026/%d", 100+i)
		if i%7 == 0 {
			num = fmt.Sprintf("FT-%04d", i)
		}
		cents := 5000 + r.IntN(500000)
		invs[i] = policy.Invoice{ID: int64(i + 1), Number: num, Amount: decimal.New(int64(cents), -2), Currency: "EUR",
			State: policy.Open, IssueDate: day(2026, time.Month(1+i%12), 1+i%28)}
	}
	ways := []func(n string) string{
		func(n string) string { return "SALDO FATTURA " + n },
		func(n string) string { return "pagamento fatt. n. " + n + " del " + fmt.Sprint(1+r.IntN(28)) + "/11" },
		func(n string) string { return "FT" + strings.ReplaceAll(n, "/", "-") },
		func(n string) string {
			if a, b, ok := strings.Cut(n, "/"); ok {
				return "rif. " + b + "/" + a
			}
			return "rif. " + n
		},
		func(n string) string { return "INV " + strings.ToLower(n) + " ROSSI SRL CRO 0306998765432101" },
		func(n string) string {
			return "Bonifico a favore di Officina Bianchi per fattura " + n + " ordine 4500012345"
		},
	}
	typo := func(n string) string { // two digits swapped
		b := []byte(n)
		for i := len(b) - 1; i > 0; i-- {
			if b[i] >= '0' && b[i] <= '9' && b[i-1] >= '0' && b[i-1] <= '9' && b[i] != b[i-1] {
				b[i], b[i-1] = b[i-1], b[i]
				break
			}
		}
		return string(b)
	}
	type truth struct {
		credit  Credit
		pays    []int64 // what it really pays in full; nil: nothing in full
		numbers bool    // its remittance carries the right numbers
	}
	var all []truth
	paid := map[int64]bool{}
	add := func(c Credit, pays []int64, numbers bool) {
		c.Ref = fmt.Sprintf("R%d", len(all))
		c.Currency = "EUR"
		all = append(all, truth{c, pays, numbers})
	}
	for len(all) < 5000 {
		i := r.IntN(nInv)
		inv := invs[i]
		switch k := r.IntN(100); {
		case k < 14 && !paid[inv.ID]: // paid in full, number written one way or another
			paid[inv.ID] = true
			add(Credit{Amount: inv.Amount, Remittance: ways[r.IntN(len(ways))](inv.Number)}, []int64{inv.ID}, true)
		case k < 16 && !paid[inv.ID]: // a typo in the number
			paid[inv.ID] = true
			add(Credit{Amount: inv.Amount, Remittance: "SALDO FATTURA " + typo(inv.Number)}, []int64{inv.ID}, false)
		case k < 18: // two invoices in one transfer
			j := r.IntN(nInv)
			if j == i || paid[inv.ID] || paid[invs[j].ID] {
				continue
			}
			paid[inv.ID], paid[invs[j].ID] = true, true
			add(Credit{Amount: inv.Amount.Add(invs[j].Amount), Remittance: "fatture " + inv.Number + " e " + invs[j].Number}, []int64{inv.ID, invs[j].ID}, true)
		case k < 20: // a part payment
			add(Credit{Amount: inv.Amount.Div(decimal.NewFromInt(2)).Round(2), Remittance: "acconto fattura " + inv.Number}, nil, false)
		case k < 22 && !paid[inv.ID]: // no number at all
			paid[inv.ID] = true
			add(Credit{Amount: inv.Amount, Remittance: "BONIFICO DA CLIENTE"}, []int64{inv.ID}, false)
		default: // other income: refunds, interest, transfers, with numbers of other things
			noise := []string{"RIMBORSO IRPEF 2026", "interessi creditori", "giroconto da conto 4711", "ordine 2026/" + fmt.Sprint(100+r.IntN(nInv)),
				"tel 347 1200 " + fmt.Sprint(100+r.IntN(900)), "POS 12/11/2026 " + fmt.Sprint(r.IntN(9999)), "STIPENDIO NOVEMBRE"}
			add(Credit{Amount: decimal.New(int64(100+r.IntN(900000)), -2), Remittance: noise[r.IntN(len(noise))]}, nil, false)
		}
	}
	open := append([]policy.Invoice(nil), invs...)
	state := map[int64]int{}
	for i := range open {
		state[open[i].ID] = i
	}
	var certain, wrong, withNumber, numberMatched, probable int
	for _, tr := range all {
		m := MatchCredit(tr.credit, open, nil)
		if tr.numbers {
			withNumber++
		}
		if !m.Certain {
			if len(m.Invoices) > 0 {
				probable++
			}
			continue
		}
		certain++
		got, want := slices.Sorted(slices.Values(m.Invoices)), slices.Sorted(slices.Values(tr.pays))
		if !slices.Equal(got, want) {
			wrong++
			t.Errorf("certain and wrong: %q %s pays %v, matched %v (%s)", tr.credit.Remittance, tr.credit.Amount, tr.pays, m.Invoices, m.Why)
			continue
		}
		if tr.numbers {
			numberMatched++
		}
		for _, id := range m.Invoices { // paid: no longer open
			open[state[id]].State = policy.Paid
		}
	}
	share := float64(numberMatched) / float64(withNumber)
	t.Logf("%d invoices, %d credits: %d certain matches, %d wrong; %d of %d payments carrying their numbers matched alone (%.1f%%); %d probable for the owner",
		nInv, len(all), certain, wrong, numberMatched, withNumber, 100*share, probable)
	if share < 0.9 {
		t.Errorf("only %.1f%% of the payments that carry their number were matched", 100*share)
	}
}
