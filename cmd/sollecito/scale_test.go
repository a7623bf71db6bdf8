package main

// The scale benchmark of a real mailbox: 10,000 messages in the CI mail
// stack's Dovecot (2,000 invoice mails from the owner with the bot in Cc,
// 8,000 other mails of 2–30 KB, one in ten with a 100 KB attachment),
// read once by a bare go-imap v2 UID FETCH BODY.PEEK[] and once by
// `sollecito run --once` (a child process: its own CPU and peak RSS), side
// by side. Start the servers and run it with:
//
//	D=$(mktemp -d); bash .ci/mail-up.sh $D; bash .ci/smtp-up.sh $D
//	SOLLECITO_TEST_IMAP=127.0.0.1:10143 SOLLECITO_TEST_SMTP=127.0.0.1:10025 \
//	SOLLECITO_TEST_MAILDIR=$D SOLLECITO_TEST_CA=$D/tls/cert.pem \
//	go test ./cmd/sollecito -run '^$' -bench ScaleFirstPass -benchtime 1x -count 3
//	bash .ci/mail-down.sh $D
//
// or `bash .ci/bench-scale`, which does all of that and runs the other
// scale benchmarks beside it. Sending is not part
// of the pass measured: the run's --now is a Sunday, so nothing goes to a
// client, and the owner's cap holds the rest for one digest.

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// scaleMail returns message i of the scale mailbox: every fifth an
// invoice mail from the owner with the bot in Cc, the others mail of
// strangers and newsletters.
func scaleMail(r *rand.Rand, i int, owner, bot string) []byte {
	var b bytes.Buffer
	date := time.Date(2026, 10, 1, 8, 0, 0, 0, time.FixedZone("CET", 3600)).Add(time.Duration(i) * 3 * time.Minute)
	if i%5 == 0 {
		n := i / 5
		fmt.Fprintf(&b, "From: Owner <%s>\r\nTo: Cliente %d <ap%d@client%d.test>\r\nCc: %s\r\nSubject: Fattura n. 2026/%d del %s\r\n",
			owner, n, n, n%700, bot, n+1, date.Format("02/01/2006"))
		fmt.Fprintf(&b, "Date: %s\r\nMessage-ID: <inv%d@owner.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n", date.Format(time.RFC1123Z), i)
		fmt.Fprintf(&b, "Buongiorno,\r\nin allegato la fattura n. 2026/%d del %s.\r\nImporto: € %d,%02d\r\nScadenza: %s\r\nIBAN IT60X0542811101000000123456\r\n\r\nCordiali saluti\r\n",
			n+1, date.Format("02/01/2006"), 100+r.IntN(5000), r.IntN(100), date.AddDate(0, 0, 60).Format("02/01/2006"))
		return b.Bytes()
	}
	bulk := i%3 == 0
	fmt.Fprintf(&b, "From: Sender %d <s%d@elsewhere%d.test>\r\nTo: %s\r\nSubject: Aggiornamento %d\r\nDate: %s\r\nMessage-ID: <m%d@elsewhere.test>\r\nMIME-Version: 1.0\r\n",
		i, i, i%300, bot, i, date.Format(time.RFC1123Z), i)
	if bulk {
		fmt.Fprintf(&b, "List-Id: <news%d.elsewhere.test>\r\nList-Unsubscribe: <mailto:u@elsewhere.test>\r\nPrecedence: bulk\r\n", i%20)
	}
	text := strings.Repeat(fmt.Sprintf("Riga %d di un messaggio qualunque, con parole che non parlano di fatture. ", i), (2<<10+r.IntN(28<<10))/80)
	if i%10 != 1 {
		fmt.Fprintf(&b, "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", text)
		return b.Bytes()
	}
	att := make([]byte, 100<<10)
	for j := range att {
		att[j] = byte(r.Uint32())
	}
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", i, i, text)
	fmt.Fprintf(&b, "--b%d\r\nContent-Type: application/octet-stream; name=\"dati.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", i)
	enc := encodeBase64Lines(att)
	b.Write(enc)
	fmt.Fprintf(&b, "--b%d--\r\n", i)
	return b.Bytes()
}

// encodeBase64Lines is data in base64, in lines of 76 characters.
func encodeBase64Lines(data []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(data)
	var out bytes.Buffer
	for len(enc) > 76 {
		out.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	out.WriteString(enc + "\r\n")
	return out.Bytes()
}

// fillMaildir writes n messages into the user's Maildir/new (owned as the
// Maildir is, so that Dovecot may move them) and returns their bytes.
func fillMaildir(b *testing.B, maildir string, n int, owner, bot string) int64 {
	fi, err := os.Stat(maildir)
	if err != nil {
		b.Fatalf("maildir of the bot: %v", err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	r := rand.New(rand.NewPCG(1, 2))
	var total int64
	for i := range n {
		raw := scaleMail(r, i, owner, bot)
		total += int64(len(raw))
		p := filepath.Join(maildir, "new", fmt.Sprintf("%d.M%dP1.scale,S=%d", 1790000000+i, i, len(raw)))
		if err := os.WriteFile(p, raw, 0o600); err != nil {
			b.Fatal(err)
		}
		if err := os.Chown(p, int(st.Uid), int(st.Gid)); err != nil {
			b.Fatal(err)
		}
	}
	return total
}

// rawFetch reads every message of INBOX with one UID FETCH BODY.PEEK[]
// and returns how many it read.
func rawFetch(b *testing.B, addr, user string) int {
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(user, "secret").Wait(); err != nil {
		b.Fatal(err)
	}
	if _, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		b.Fatal(err)
	}
	var uids imap.UIDSet
	uids.AddRange(1, 0)
	cmd := c.Fetch(uids, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{{Peek: true}}})
	n := 0
	for {
		msg := cmd.Next()
		if msg == nil {
			break
		}
		for {
			item := msg.Next()
			if item == nil {
				break
			}
			if body, ok := item.(imapclient.FetchItemDataBodySection); ok {
				io.Copy(io.Discard, body.Literal)
			}
		}
		n++
	}
	if err := cmd.Close(); err != nil {
		b.Fatal(err)
	}
	return n
}

func cpuTime(ru *syscall.Rusage) time.Duration {
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkScaleFirstPass: see the top of this file. It reports the raw
// fetch's and the bot's wall time, their ratio, the bot's CPU and peak
// RSS, and the mailbox's size.
func BenchmarkScaleFirstPass(b *testing.B) {
	imapAddr, smtpAddr, dir, _ := realStack(b)
	const n = 10_000
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		run := time.Now().UnixNano() // a new mailbox for every run, also under -count
		at := func(name string) string { return fmt.Sprintf("%s%d-%d@example.test", name, run, i) }
		bot, owner := at("scalebot"), at("scaleowner")
		addUsers(b, dir, bot, owner)
		user := bot[:strings.IndexByte(bot, '@')]
		size := fillMaildir(b, filepath.Join(dir, "mail", "example.test", user, "Maildir"), n, owner, bot)

		var before, after syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &before)
		start := time.Now()
		if got := rawFetch(b, imapAddr, bot); got != n {
			b.Fatalf("raw fetch read %d messages, want %d", got, n)
		}
		raw := time.Since(start)
		syscall.Getrusage(syscall.RUSAGE_SELF, &after)
		rawCPU := cpuTime(&after) - cpuTime(&before)

		work := b.TempDir()
		cfg := filepath.Join(work, "sollecito.toml")
		text := fmt.Sprintf(`[imap]
addr = %q
security = "none"
username = %q
password = "secret"
[smtp]
addr = %q
security = "none"
username = %q
password = "secret"
[bot]
address = %q
[owner]
name = "Owner"
email = [%q]
trust_server = true
[business]
name = "Studio Scala"
iban = "IT60X0542811101000000123456"
[store]
path = %q
`, imapAddr, bot, smtpAddr, bot, bot, owner, filepath.Join(work, "ledger.db"))
		if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
			b.Fatal(err)
		}
		bin := binaryB(b)
		cmd := exec.Command(bin, "run", "--once", "--config", cfg, "--now", "2026-11-29T10:00:00+01:00") // a Sunday
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		start = time.Now()
		err := cmd.Run()
		pass := time.Since(start)
		if err != nil {
			b.Fatalf("sollecito run --once: %v\n%s", err, tail(out.String(), 2000))
		}
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		b.ReportMetric(raw.Seconds(), "raw-s")
		b.ReportMetric(rawCPU.Seconds(), "raw-cpu-s")
		b.ReportMetric(pass.Seconds(), "pass-s")
		b.ReportMetric(cpuTime(ru).Seconds(), "pass-cpu-s")
		b.ReportMetric(float64(ru.Maxrss)/1024, "pass-peak-MiB")
		b.ReportMetric(pass.Seconds()/raw.Seconds(), "ratio")
		b.ReportMetric(float64(size)/(1<<20), "mailbox-MiB")
		b.StartTimer()
	}
}

func binaryB(b *testing.B) string {
	bin, err := buildBinary()
	if err != nil {
		b.Fatal(err)
	}
	return bin
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
