package reply

import (
	"strings"
	"testing"

	"github.com/sollecito/sollecito/mailbox"
)

func TestAutomatic(t *testing.T) {
	tests := []struct {
		name, headers string
		auto          bool
	}{
		{"a person", "From: a@b.it", false},
		{"Auto-Submitted: no", "From: a@b.it\nAuto-Submitted: no", false},
		{"auto-replied", "From: a@b.it\nAuto-Submitted: auto-replied", true},
		{"auto-generated", "From: a@b.it\nAuto-Submitted: auto-generated", true},
		{"Precedence bulk", "From: a@b.it\nPrecedence: bulk", true},
		{"Precedence list", "From: a@b.it\nPrecedence: list", true},
		{"Precedence junk", "From: a@b.it\nPrecedence: junk", true},
		{"List-Id", "From: a@b.it\nList-Id: <soci.example.org>", true},
		{"List-Unsubscribe", "From: news@b.it\nList-Unsubscribe: <mailto:u@b.it>", true},
		{"X-Autoreply", "From: a@b.it\nX-Autoreply: yes", true},
		{"null return path", "Return-Path: <>\nFrom: a@b.it", true},
		{"mailer-daemon", "From: MAILER-DAEMON@mx.b.it", true},
		{"postmaster", "From: postmaster@b.it", true},
	}
	for _, tt := range tests {
		raw := strings.ReplaceAll(tt.headers, "\n", "\r\n") + "\r\nSubject: x\r\n\r\nciao\r\n"
		m, err := mailbox.Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		if got := Automatic(m); (got != "") != tt.auto {
			t.Errorf("%s: Automatic = %q, want automatic %v", tt.name, got, tt.auto)
		}
	}
}
