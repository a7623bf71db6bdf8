package templates_test

import (
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/templates"
)

// Compose a courtesy notice: New("") uses the built-in texts; pass the
// owner's folder to let their own files replace them.
func Example() {
	set, err := templates.New("")
	if err != nil {
		log.Fatal(err) // names the file and line of a broken template
	}
	rome := time.FixedZone("CET", 3600)
	msg, err := set.Render(policy.Courtesy, "it", templates.Data{
		Business: templates.Business{Name: "Studio Bianchi", IBAN: "IT60X0542811101000000123456"},
		Invoice: policy.Invoice{
			Number:    "2026/123",
			Client:    "amministrazione@rossi.example",
			IssueDate: time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC),
			DueDate:   time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC),
			Amount:    decimal.RequireFromString("1220"),
			Currency:  "EUR",
		},
		ClientName: "Rossi Srl",
		Now:        time.Date(2026, 11, 26, 9, 0, 0, 0, rome),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(msg.Subject)
	fmt.Println(strings.Split(msg.Text, "\n")[0])
	// Output:
	// Promemoria fattura n. 2026/123 del 03/11/2026 in scadenza il 03/12/2026
	// Gentile Rossi Srl,
}
