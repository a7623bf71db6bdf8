package templates

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/policy"
)

// TestGoldenPartlyPaid renders the messages that change once part of the
// invoice is paid, or while a settlement offer stands, and compares them with
// testdata/golden/LANG/CASE_NAME.txt (go test -update rewrites).
func TestGoldenPartlyPaid(t *testing.T) {
	s := mustNew(t, "")
	partly := sample()
	partly.Invoice.PaidAmount = decimal.RequireFromString("300")
	partly.Command = "pagata in parte 300,00"
	// 600.00 reported on 10 January 2027: interest from policy.LateClaim on
	// the sum unpaid, 1220.00 up to that day and 620.00 after it.
	dated := sample()
	dated.Invoice.PaidAmount = decimal.RequireFromString("600")
	dated.Invoice.SettleAmount, dated.Invoice.SettleBy = decimal.Zero, time.Time{}
	claim, ok, err := policy.LateClaim(dated.Invoice, policy.Client{},
		[]policy.Payment{{On: day(2027, time.January, 10), Amount: decimal.RequireFromString("600")}},
		dated.Now, policy.DefaultSettings(), policy.DefaultRates())
	if err != nil || !ok {
		t.Fatalf("LateClaim: ok=%v err=%v", ok, err)
	}
	dated.Interest = NewInterest(claim)
	settling := sample()
	settling.Invoice.State = policy.Settling
	settling.Invoice.Stage = 4
	settling.Command = "stralcio 800,00"
	// The owner's "pagata" closed it: nothing comes next, few commands apply.
	paid := sample()
	paid.Invoice.State = policy.Paid
	paid.Invoice.PaidAmount = paid.Invoice.Amount
	paid.Invoice.SettleAmount, paid.Invoice.SettleBy = decimal.Zero, time.Time{}
	paid.Next = Step{}
	paid.Command = "pagata"
	paid.UndoBy = day(2027, time.February, 1)
	// A command the rules refuse: why, and what to write instead.
	refused := sample()
	refused.Command = "«stralcia 300.00» chiude la fattura 2026/123 a perdita, senza chiedere altro (scriva «stralcia» da solo); per proporre al cliente di chiudere pagando 300.00, scriva «stralcio 300.00»"
	// A reply the bot was not sure of: its best reading, for the owner to confirm.
	unsure := sample()
	unsure.Invoice.State = policy.WithOwner
	unsure.Guess = &Guess{Kind: "promise", Percent: 45, Date: day(2027, time.February, 8)}
	cases := []struct {
		name  string
		d     Data
		tmpls []policy.Template
		want  []string // in every language's text
	}{
		{"partly_paid", partly, []policy.Template{policy.Stage2, policy.CommandDone}, []string{"300,00", "920,00"}},
		{"partly_paid_dated", dated, []policy.Template{policy.Notice, policy.CaseFile}, []string{"600,00", "620,00"}},
		{"settling", settling, []policy.Template{policy.CommandDone, policy.ConfirmPayment}, []string{"800"}},
		{"paid", paid, []policy.Template{policy.CommandDone}, []string{"2027"}},
		{"unsure", unsure, []policy.Template{policy.ForwardOther}, []string{"2027", "45%"}},
		{"refused", refused, []policy.Template{policy.CommandHelp}, []string{"stralcio 300"}},
	}
	for _, c := range cases {
		for _, lang := range Languages {
			for _, name := range c.tmpls {
				m, err := s.Render(name, lang, c.d)
				if err != nil {
					t.Fatalf("%s/%s: %v", lang, name, err)
				}
				got := "Subject: " + m.Subject + "\n\n" + m.Text
				for _, w := range c.want {
					if lang == "en" {
						w = strings.NewReplacer(".", ",", ",", ".").Replace(w)
					}
					if !strings.Contains(got, w) {
						t.Errorf("%s/%s/%s lacks %q", c.name, lang, name, w)
					}
				}
				if c.name == "paid" {
					for _, w := range map[string][]string{"it": {"Pratica chiusa (pagata)", "- nota"}, "en": {"Case closed (paid)", "- note"}}[lang] {
						if !strings.Contains(got, w) {
							t.Errorf("%s/%s/%s lacks %q", c.name, lang, name, w)
						}
					}
					for _, w := range []string{"- riprendi", "- resume", "- pausa", "- pause", "Prossimo passo: nessuno", "Next step: none"} {
						if strings.Contains(got, w) {
							t.Errorf("%s/%s/%s: a closed case shows %q", c.name, lang, name, w)
						}
					}
				}
				golden(t, filepath.Join("testdata", "golden", lang, c.name+"_"+string(name)+".txt"), got)
			}
		}
	}
}
