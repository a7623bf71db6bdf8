package mailbox

import "testing"

func TestParseUndeclared8Bit(t *testing.T) {
	tests := []struct {
		name, raw, subject, text string
	}{
		{"latin-1 body without charset", "Subject: x\r\n\r\nperch\xe9 non \xe8 arrivata\r\n", "x", "perché non è arrivata\n"},
		{"windows-1252 euro", "Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n100 \x80\r\n", "x", "100 €\n"},
		{"raw 8-bit latin-1 subject", "Subject: Fattura pi\xf9 recente\r\n\r\nok\r\n", "Fattura più recente", "ok\n"},
		{"utf-8 with one stray byte", "Subject: x\r\n\r\ngi\xc3\xa0 \xff fatto\r\n", "x", "già \uFFFD fatto\n"},
		{"valid utf-8 untouched", "Subject: gi\xc3\xa0\r\n\r\nè\r\n", "già", "è\n"},
	}
	for _, tt := range tests {
		m, err := Parse([]byte(tt.raw))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if m.Subject != tt.subject || m.Text != tt.text {
			t.Errorf("%s: subject %q text %q, want %q %q", tt.name, m.Subject, m.Text, tt.subject, tt.text)
		}
	}
}
