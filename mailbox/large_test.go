package mailbox

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"
)

// largeMessage returns a message of about size bytes, composed by Compose:
// a short text part and one PDF attachment that fills the rest.
func largeMessage(size int) []byte {
	raw, err := Compose(Outgoing{
		From:      Address{Email: "owner@studio.test"},
		To:        []Address{{Email: "client@client.test"}},
		Cc:        []Address{{Email: "bot@studio.test"}},
		Subject:   "Fattura 2026/1",
		Text:      "Fattura n. 2026/1 del 02/11/2026, importo € 100,00, scadenza 30/11/2026.",
		MessageID: "large@studio.test",
		Date:      time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC),
		Attachments: []Attachment{{Filename: "big.pdf", ContentType: "application/pdf",
			Data: make([]byte, (size-4096)/78*57)}}, // base64: 57 bytes a 76-character line
	})
	if err != nil {
		panic(err)
	}
	return raw
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

// BenchmarkFetchLarge fetches a folder of five 40 MiB messages the way the
// engine does (Fetch until nothing is left, 50 at a time, each message
// dropped once handled). The in-process server holds the folder too. It
// reports, as "fetch-peak-MiB", the process's peak RSS during the fetching
// above what it used before (Linux: VmHWM reset through clear_refs); the
// whole process's peak:
//
//	go test -c -o /tmp/mailbox.test ./mailbox
//	/usr/bin/time -v /tmp/mailbox.test -test.run '^$' -test.bench FetchLarge -test.benchtime 1x
func BenchmarkFetchLarge(b *testing.B) {
	s := newMemIMAP(b, nil)
	c, err := DialIMAP(testContext(b), s.config(), "INBOX", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	const n, size = 5, 40 << 20
	for i := range n {
		raw := bytes.Replace(largeMessage(size), []byte("<large@"), fmt.Appendf(nil, "<large%d@", i), 1)
		if err := c.Append(testContext(b), "INBOX", raw, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(n * size)
	runtime.GC()
	debug.FreeOSMemory()
	base, resetOK := resetPeakRSS()
	for b.Loop() {
		var got, last uint32
		for {
			fs, err := c.Fetch(testContext(b), last, 50)
			if err != nil {
				b.Fatal(err)
			}
			if len(fs) == 0 {
				break
			}
			for _, f := range fs {
				if len(f.Raw) < size/2 {
					b.Fatalf("uid %d: %d bytes", f.UID, len(f.Raw))
				}
				last = f.UID
				got++
			}
		}
		if got != n {
			b.Fatalf("fetched %d messages, want %d", got, n)
		}
	}
	if peak := procStatusKiB("VmHWM"); resetOK && peak > 0 {
		b.ReportMetric(float64(peak-base)/1024, "fetch-peak-MiB")
	}
}

// resetPeakRSS resets the process's peak RSS to its current RSS (Linux) and
// returns that RSS in KiB.
func resetPeakRSS() (int64, bool) {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return 0, false
	}
	return procStatusKiB("VmRSS"), true
}

// procStatusKiB reads a "Key: N kB" line of /proc/self/status; 0 when absent.
func procStatusKiB(key string) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// Fetch reads at most FetchBytes of messages at a time (at least one), and
// a message over MaxMessageSize only by its header, marked Oversize; the
// messages around it come whole.
func TestFetchBoundedBySize(t *testing.T) {
	if testing.Short() {
		t.Skip("appends about 120 MiB")
	}
	s := newMemIMAP(t, nil)
	c := dialMem(t, s, "INBOX")
	ctx := testContext(t)
	sizes := []int{30 << 20, 30 << 20, MaxMessageSize + 1<<20, 8 << 20}
	for i, size := range sizes {
		raw := bytes.Replace(largeMessage(size), []byte("<large@"), fmt.Appendf(nil, "<large%d@", i), 1)
		if err := c.Append(ctx, "INBOX", raw, nil); err != nil {
			t.Fatal(err)
		}
	}
	var batches [][]string
	var last uint32
	for {
		fs, err := c.Fetch(ctx, last, 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) == 0 {
			break
		}
		var b []string
		for _, f := range fs {
			m, _ := Parse(f.Raw)
			kind := "whole"
			switch {
			case f.Oversize && len(f.Raw) < 4096 && f.Size > MaxMessageSize:
				kind = "header"
			case f.Oversize || int64(len(f.Raw)) != f.Size:
				kind = fmt.Sprintf("bad(%d of %d bytes)", len(f.Raw), f.Size)
			}
			b = append(b, m.MessageID+" "+kind)
			last = f.UID
		}
		batches = append(batches, b)
	}
	want := [][]string{
		{"large0@studio.test whole", "large1@studio.test whole", "large2@studio.test header"}, // the header costs nothing
		{"large3@studio.test whole"}, // 8 MiB more would pass FetchBytes

	}
	if fmt.Sprint(batches) != fmt.Sprint(want) {
		t.Errorf("batches %v, want %v", batches, want)
	}
}
