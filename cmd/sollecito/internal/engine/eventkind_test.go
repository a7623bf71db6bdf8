package engine

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEventKindsAreTyped: no event or message kind is built from strings
// or read back by cutting them in the engine; policy.EventKind and
// ledger.UnmatchedKind do both, so every kind is one a view has words for.
func TestEventKindsAreTyped(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("engine sources: %v", err)
	}
	literal := regexp.MustCompile(`"(reply|command|unverified|unmatched):|ledger\.Event\{[^}]*\bKind:\s*"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if literal.MatchString(line) && !strings.HasPrefix(strings.TrimSpace(line), "//") {
				t.Errorf("%s:%d: a kind written as a string: %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}
