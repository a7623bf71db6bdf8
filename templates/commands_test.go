package templates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	settling := sample()
	settling.Invoice.State = policy.Settling
	settling.Invoice.Stage = 4
	settling.Command = "stralcio 800,00"
	cases := []struct {
		name  string
		d     Data
		tmpls []policy.Template
		want  []string // in every language's text
	}{
		{"partly_paid", partly, []policy.Template{policy.Stage2, policy.CommandDone}, []string{"300,00", "920,00"}},
		{"settling", settling, []policy.Template{policy.CommandDone, policy.ConfirmPayment}, []string{"800"}},
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
				file := filepath.Join("testdata", "golden", lang, c.name+"_"+string(name)+".txt")
				if *update {
					if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(file)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if got != string(want) {
					t.Errorf("%s differs from the golden file; got:\n%s", file, got)
				}
			}
		}
	}
}
