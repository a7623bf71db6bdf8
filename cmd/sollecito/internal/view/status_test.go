package view

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/policy"
)

func TestRowTexts(t *testing.T) {
	d := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	day := time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		row  StatusRow
		got  func(StatusRow) string
		want string
	}{
		{"a promise names its date", StatusRow{Lang: "it", State: policy.Paused, PromisedDate: day}, StatusRow.StateText, "promessa di pagamento entro il 15/12/2026"},
		{"a pause that ends", StatusRow{Lang: "en", State: policy.Paused, NextAt: day}, StatusRow.NextText, "the pause ends: the chase resumes"},
		{"the amount owed", StatusRow{Lang: "it", Outstanding: d("1220"), Currency: "EUR"}, StatusRow.OutstandingText, "€ 1.220,00"},
		{"no stage yet", StatusRow{}, StatusRow.StageText, "—"},
		{"client with name", StatusRow{Client: "ufficio@neri.it", ClientName: "Neri Costruzioni"}, StatusRow.ClientText, "Neri Costruzioni <ufficio@neri.it>"},
		{"the claim", StatusRow{Lang: "it", Currency: "EUR", Claim: &Claim{Capital: d("430"), Interest: d("7.90"), Compensation: d("40"), Total: d("477.90"), To: day}},
			StatusRow.ClaimText, "€ 477,90 al 15/12/2026 (capitale € 430,00 + interessi € 7,90 + risarcimento € 40,00)"},
	} {
		if got := tc.got(tc.row); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestWriteStatusUnknownNumber(t *testing.T) {
	var b strings.Builder
	if err := WriteStatus(&b, []StatusRow{{Lang: "en", Currency: "EUR", State: policy.Incomplete}}, "en"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "INVOICE") || !strings.Contains(b.String(), "(none)") {
		t.Errorf("table:\n%s", b.String())
	}
}
