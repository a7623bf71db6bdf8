package mailbox

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"testing"
)

// largeMessage returns a message of about size bytes: a short text part and
// one base64 PDF attachment that fills the rest.
func largeMessage(size int) []byte {
	var b bytes.Buffer
	b.WriteString("From: owner@studio.test\r\nTo: client@client.test\r\nCc: bot@studio.test\r\nSubject: Fattura 2026/1\r\n" +
		"Message-ID: <large@studio.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nFattura n. 2026/1 del 02/11/2026, importo € 100,00, scadenza 30/11/2026.\r\n" +
		"--b\r\nContent-Type: application/pdf; name=big.pdf\r\nContent-Disposition: attachment; filename=big.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	raw := make([]byte, (size-b.Len()-64)/4*3/77*76)
	for i := range raw {
		raw[i] = byte(i * 7)
	}
	enc := base64.StdEncoding.EncodeToString(raw)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--b--\r\n")
	return b.Bytes()
}

// BenchmarkParseLarge parses a message just under MaxMessageSize (the
// largest Parse accepts). Peak memory, for the record:
//
//	go test -c -o /tmp/mailbox.test ./mailbox
//	/usr/bin/time -v /tmp/mailbox.test -test.run '^$' -test.bench ParseLarge -test.benchmem -test.benchtime 3x
func BenchmarkParseLarge(b *testing.B) {
	raw := largeMessage(MaxMessageSize - 1<<20)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		m, err := Parse(raw)
		if err != nil || len(m.Attachments) != 1 {
			b.Fatalf("parse: %v", err)
		}
	}
	b.ReportMetric(float64(len(raw))/(1<<20), "MiB/msg")
}

func TestParseLimits(t *testing.T) {
	if _, err := Parse(make([]byte, MaxMessageSize+1)); err == nil {
		t.Error("a message over MaxMessageSize parsed")
	}
	raw := largeMessage(8 << 20)
	m, err := Parse(raw)
	if err != nil || len(m.Attachments) != 1 || len(m.Attachments[0].Data) < 5<<20 {
		t.Fatalf("8 MiB message: %v", err)
	}
	// Deep nesting and many parts are cut at the limits, not followed.
	var deep bytes.Buffer
	deep.WriteString("From: a@b.it\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n")
	for i := range MaxDepth + 10 {
		fmt.Fprintf(&deep, "--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n", i, i+1)
	}
	m, _ = Parse(deep.Bytes())
	if m == nil || !m.Truncated {
		t.Error("nesting beyond MaxDepth not marked Truncated")
	}
	var many bytes.Buffer
	many.WriteString("From: a@b.it\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n")
	for i := range MaxParts + 50 {
		fmt.Fprintf(&many, "--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=f%d\r\n\r\nx\r\n", i)
	}
	many.WriteString("--b--\r\n")
	m, _ = Parse(many.Bytes())
	if m == nil || !m.Truncated || len(m.Attachments) >= MaxParts {
		t.Errorf("%d parts: Truncated %v with %d attachments", MaxParts+50, m != nil && m.Truncated, len(m.Attachments))
	}
}
