package engine

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/reply/command"
)

// TestRefusalInItalian: a refused command is explained in the owner's
// language, the invoice's state and missing fields in the owner's words;
// each Italian form fills in the same verbs as its English one.
func TestRefusalInItalian(t *testing.T) {
	verbs := regexp.MustCompile(`%[-+# 0]*[a-z]`)
	for en, it := range refusalWords {
		if a, b := verbs.FindAllString(en, -1), verbs.FindAllString(it, -1); strings.Join(a, " ") != strings.Join(b, " ") {
			t.Errorf("%q has verbs %v, its Italian %q has %v", en, a, it, b)
		}
	}
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	paid := policy.Invoice{Number: "2026/101", State: policy.Paid, Amount: decimal.NewFromInt(100), Currency: "EUR"}
	incomplete := policy.Invoice{Number: "2026/102", State: policy.Incomplete}
	for _, tt := range []struct {
		inv  policy.Invoice
		cmd  command.Command
		want string
	}{
		{paid, command.Command{Verb: command.Paid}, "la fattura 2026/101 è già pagata"},
		{paid, command.Command{Verb: command.Resume}, "la fattura 2026/101 è pagata e non si può riprendere"},
		{incomplete, command.Command{Verb: command.SendNotice}, "alla fattura 2026/102 mancano ancora: "},
	} {
		_, err := policy.OnCommand(tt.inv, tt.cmd, at, policy.DefaultSettings())
		if err == nil {
			t.Fatalf("%s on %s: applied", tt.cmd.Verb, tt.inv.State)
		}
		if got := refusal("it", err); !strings.HasPrefix(got, tt.want) || strings.Contains(got, "invoice") {
			t.Errorf("%s on %s: %q, want %q…", tt.cmd.Verb, tt.inv.State, got, tt.want)
		}
		if got := refusal("en", err); strings.Contains(got, "fattura") || strings.Contains(got, "not applicable") {
			t.Errorf("%s in English: %q", tt.cmd.Verb, got)
		}
	}
}

// TestEveryRefusalHasItalian: every refusal policy can give (its source's
// notApplicable formats) has Italian words, but the write-off one, which
// writeOffRefusal says in full.
func TestEveryRefusalHasItalian(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "policy", "events.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`notApplicable\("((?:[^"\\]|\\.)*)"`).FindAllStringSubmatch(string(src), -1) {
		f, err := strconv.Unquote(`"` + m[1] + `"`)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := refusalWords[f]; !ok && !strings.HasPrefix(f, "a write-off takes no amount") {
			t.Errorf("no Italian for the refusal %q", f)
		}
	}
}
