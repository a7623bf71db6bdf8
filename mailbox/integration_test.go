package mailbox

// Integration tests against a real Dovecot (IMAP) and Exim (SMTP) on
// loopback. They are skipped unless SOLLECITO_TEST_IMAP and
// SOLLECITO_TEST_SMTP are set. To run them (Debian; the packages are
// dovecot-imapd, dovecot-lmtpd, exim4-daemon-light, openssl):
//
//	D=$(mktemp -d -t sollecito-mail.XXXXXX)
//	.ci/mail-up.sh "$D" && .ci/smtp-up.sh "$D"
//	SOLLECITO_TEST_IMAP=127.0.0.1:10143 SOLLECITO_TEST_SMTP=127.0.0.1:10025 \
//	SOLLECITO_TEST_CA="$D/tls/cert.pem" go test ./mailbox -run Real -v
//	.ci/mail-down.sh "$D"; rm -rf "$D"
//
// (.ci/run does all of this for the whole project.) The certificate to trust
// is SOLLECITO_TEST_CA, else $SOLLECITO_TEST_MAILDIR/tls/cert.pem. The users
// are those mail-up.sh creates: bot@example.test and customer@example.test,
// password "secret". The tests only add mail, under fresh Message-IDs, so
// they can run again on the same stack.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	realBot      = "bot@example.test"
	realCustomer = "customer@example.test"
	realPassword = "secret"
)

type realStack struct {
	IMAP, SMTP, CAFile string
}

func needRealStack(t *testing.T) realStack {
	t.Helper()
	s := realStack{IMAP: os.Getenv("SOLLECITO_TEST_IMAP"), SMTP: os.Getenv("SOLLECITO_TEST_SMTP"), CAFile: os.Getenv("SOLLECITO_TEST_CA")}
	if s.IMAP == "" || s.SMTP == "" {
		t.Skip("real mail stack not configured: set SOLLECITO_TEST_IMAP and SOLLECITO_TEST_SMTP (see the top of integration_test.go)")
	}
	if s.CAFile == "" && os.Getenv("SOLLECITO_TEST_MAILDIR") != "" {
		s.CAFile = filepath.Join(os.Getenv("SOLLECITO_TEST_MAILDIR"), "tls", "cert.pem")
	}
	if s.CAFile == "" {
		t.Fatal("SOLLECITO_TEST_CA (or SOLLECITO_TEST_MAILDIR) must name the stack's certificate for the STARTTLS tests")
	}
	return s
}

func (s realStack) imap(user string) ServerConfig {
	return ServerConfig{Addr: s.IMAP, Security: "starttls", Username: user, Password: realPassword, CAFile: s.CAFile, Timeout: 10 * time.Second}
}

func (s realStack) smtp(user string) ServerConfig {
	return ServerConfig{Addr: s.SMTP, Security: "starttls", Username: user, Password: realPassword, CAFile: s.CAFile, Timeout: 10 * time.Second}
}

func realDial(t *testing.T, s realStack, user, folder string) *IMAP {
	t.Helper()
	c, err := DialIMAP(testContext(t), s.imap(user), folder, testLogger(t))
	if err != nil {
		t.Fatalf("DialIMAP %s: %v", user, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// lastUID returns the highest UID in the selected folder (0 when empty).
func lastUID(t *testing.T, c *IMAP) uint32 {
	t.Helper()
	msgs, err := c.Fetch(testContext(t), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) == 0 {
		return 0
	}
	return msgs[len(msgs)-1].UID
}

// waitFor fetches new messages after afterUID, waiting with c.Wait (IDLE)
// in between, until match accepts one or the time is up.
func waitFor(t *testing.T, c *IMAP, afterUID uint32, within time.Duration, match func(Fetched, *Message) bool) (Fetched, *Message) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	for {
		msgs, err := c.Fetch(ctx, afterUID, 0)
		if err != nil {
			t.Fatalf("Fetch: %v", err)
		}
		for _, f := range msgs {
			afterUID = f.UID
			m, err := Parse(f.Raw)
			if err != nil {
				t.Logf("UID %d: parse: %v", f.UID, err)
			}
			if m != nil && match(f, m) {
				return f, m
			}
		}
		if err := c.Wait(ctx, 5*time.Second); err != nil {
			t.Fatalf("no matching message within %v: %v", within, err)
		}
	}
}

func uniqueID(t *testing.T) string {
	b := make([]byte, 8)
	rand.Read(b)
	return strings.ToLower(t.Name()) + "-" + hex.EncodeToString(b) + "@example.test"
}

func TestRealDovecotLogin(t *testing.T) {
	s := needRealStack(t)
	c := realDial(t, s, realBot, "INBOX")
	if !c.SupportsIdle() {
		t.Error("Dovecot: SupportsIdle = false")
	}
	if c.UIDValidity() == 0 {
		t.Error("Dovecot: UIDValidity = 0")
	}

	cfg := s.imap(realBot)
	cfg.CAFile = ""
	if _, err := DialIMAP(testContext(t), cfg, "INBOX", testLogger(t)); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("STARTTLS without the CA file = %v, want a certificate error", err)
	}
	cfg = s.imap(realBot)
	cfg.Password = "Wr0ng-secret-value"
	_, err := DialIMAP(testContext(t), cfg, "INBOX", testLogger(t))
	if err == nil || !strings.Contains(err.Error(), "login") || strings.Contains(err.Error(), cfg.Password) {
		t.Errorf("wrong password = %v, want a login error without the password", err)
	}
	if err := NewSMTP(s.smtp(realBot), testLogger(t)).Check(testContext(t)); err != nil {
		t.Errorf("Exim Check: %v", err)
	}
	bad := s.smtp(realBot)
	bad.Password = "Wr0ng-secret-value"
	err = NewSMTP(bad, testLogger(t)).Check(testContext(t))
	if err == nil || !strings.Contains(err.Error(), "auth") || strings.Contains(err.Error(), bad.Password) || IsPermanent(err) {
		t.Errorf("Exim Check with a wrong password = %v, want a temporary auth error without the password", err)
	}
}

func TestRealSendDeliverIdle(t *testing.T) {
	s := needRealStack(t)
	inbox := realDial(t, s, realCustomer, "INBOX")
	after := lastUID(t, inbox)

	o := sampleOutgoing()
	o.From = Address{Name: "Studio Bianchi", Email: realBot}
	o.To = []Address{{Name: "Cliente Rossi", Email: realCustomer}}
	o.Cc = nil
	o.MessageID = uniqueID(t)
	raw, err := Compose(o)
	if err != nil {
		t.Fatal(err)
	}
	// IDLE before the send, so that the delivery is reported while idling.
	type result struct {
		at  time.Time
		err error
	}
	woke := make(chan result, 1)
	go func() {
		err := inbox.Wait(testContext(t), 15*time.Second)
		woke <- result{time.Now(), err}
	}()
	time.Sleep(200 * time.Millisecond)
	sentAt := time.Now()
	if err := NewSMTP(s.smtp(realBot), testLogger(t)).Send(testContext(t), realBot, []string{realCustomer}, raw); err != nil {
		t.Fatalf("Send through Exim: %v", err)
	}
	sendTook := time.Since(sentAt)
	r := <-woke
	if r.err != nil {
		t.Fatalf("Wait: %v", r.err)
	}
	latency := r.at.Sub(sentAt)
	t.Logf("send (STARTTLS, AUTH, DATA) took %v; IDLE reported the delivery %v after the send began", sendTook, latency)
	if latency > 10*time.Second {
		t.Errorf("Wait returned after %v: the delivery was not reported by IDLE", latency)
	}

	f, m := waitFor(t, inbox, after, 15*time.Second, func(_ Fetched, m *Message) bool { return m.MessageID == o.MessageID })
	if m.Subject != o.Subject || m.Text != o.Text || len(m.Attachments) != len(o.Attachments) {
		t.Errorf("delivered message differs: subject %q, %d attachments", m.Subject, len(m.Attachments))
	}
	if !strings.Contains(string(f.Raw), "\r\nMessage-Id: <"+o.MessageID+">\r\n") {
		t.Errorf("Message-ID header changed in transit")
	}
	if received := strings.Join(m.Header["Received"], "\n"); !strings.Contains(received, " esmtpsa ") {
		t.Errorf("Exim's Received header = %q, want \"with esmtpsa\" (TLS, AUTH, no needless SMTPUTF8)", received)
	}

	// The bot's copy in Sent (SPECIAL-USE on this Dovecot), and the handled mark.
	bot := realDial(t, s, realBot, "INBOX")
	sent, err := bot.SentFolder(testContext(t))
	if err != nil || sent != "Sent" {
		t.Fatalf("SentFolder = %q, %v; want Sent", sent, err)
	}
	if err := bot.Append(testContext(t), sent, raw, []string{`\Seen`}); err != nil {
		t.Fatalf("Append to Sent: %v", err)
	}
	if err := inbox.MarkHandled(testContext(t), f.UID); err != nil {
		t.Fatalf("MarkHandled: %v", err)
	}
	msgs, err := inbox.Fetch(testContext(t), f.UID-1, 1)
	if err != nil || len(msgs) != 1 || !slices.Contains(msgs[0].Flags, HandledKeyword) {
		t.Errorf("after MarkHandled: %+v, %v; want the keyword %s", msgs, err, HandledKeyword)
	}
}

func TestRealBounce(t *testing.T) {
	s := needRealStack(t)
	inbox := realDial(t, s, realBot, "INBOX")
	after := lastUID(t, inbox)
	o := sampleOutgoing()
	o.From = Address{Name: "Studio Bianchi", Email: realBot}
	nobody := "nobody-" + hex.EncodeToString([]byte(time.Now().Format("150405.000"))) + "@example.test"
	o.To = []Address{{Email: nobody}}
	o.Cc = nil
	o.Attachments = nil
	o.MessageID = uniqueID(t)
	raw, err := Compose(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := NewSMTP(s.smtp(realBot), testLogger(t)).Send(testContext(t), realBot, []string{nobody}, raw); err != nil {
		t.Fatalf("Send: %v (Exim accepts for example.test, Dovecot refuses later)", err)
	}
	start := time.Now()
	_, m := waitFor(t, inbox, after, 20*time.Second, func(_ Fetched, m *Message) bool {
		return m.ContentType == "multipart/report" && strings.Contains(string(m.Raw), o.MessageID)
	})
	t.Logf("bounce arrived %v after the send", time.Since(start))
	var status string
	for _, a := range m.Attachments {
		if a.ContentType == "message/delivery-status" {
			status = string(a.Data)
		}
	}
	if !strings.Contains(status, nobody) || !strings.Contains(status, "5.") {
		t.Errorf("delivery status = %q, want the recipient %s and a 5.x.x status", status, nobody)
	}
}

// BenchmarkRealSend sends b.N messages through the real Exim, one after
// the other as Flush does, to measure the sending rate (one connection for
// the batch). Run it with the stack of the top of this file:
//
//	go test ./mailbox -run '^$' -bench RealSend -benchtime 840x
func BenchmarkRealSend(b *testing.B) {
	if os.Getenv("SOLLECITO_TEST_SMTP") == "" {
		b.Skip("real mail stack not configured (see the top of integration_test.go)")
	}
	s := realStack{SMTP: os.Getenv("SOLLECITO_TEST_SMTP"), CAFile: os.Getenv("SOLLECITO_TEST_CA")}
	if s.CAFile == "" {
		s.CAFile = filepath.Join(os.Getenv("SOLLECITO_TEST_MAILDIR"), "tls", "cert.pem")
	}
	snd := NewSMTP(ServerConfig{Addr: s.SMTP, Security: "starttls", Username: realBot, Password: realPassword, CAFile: s.CAFile, Timeout: 10 * time.Second}, nil)
	defer snd.CloseIdle()
	raw, err := Compose(Outgoing{From: Address{Email: realBot}, To: []Address{{Email: realCustomer}}, Subject: "Sollecito di pagamento: fattura n. 2026/123",
		Text: strings.Repeat("Gentile cliente, la fattura risulta ancora da saldare.\n", 40), MessageID: "bench@example.test", Date: time.Now()})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		if err := snd.Send(ctx, realBot, []string{realCustomer}, raw); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkRealAppend stores sent copies in the real Dovecot's Sent folder
// one APPEND round trip each (batch=1) and pipelined fifty at a time, as
// the engine does; it reports messages a second.
func BenchmarkRealAppend(b *testing.B) {
	if os.Getenv("SOLLECITO_TEST_IMAP") == "" {
		b.Skip("real mail stack not configured (see the top of integration_test.go)")
	}
	s := realStack{IMAP: os.Getenv("SOLLECITO_TEST_IMAP"), CAFile: os.Getenv("SOLLECITO_TEST_CA")}
	if s.CAFile == "" {
		s.CAFile = filepath.Join(os.Getenv("SOLLECITO_TEST_MAILDIR"), "tls", "cert.pem")
	}
	raw, err := Compose(Outgoing{From: Address{Email: realBot}, To: []Address{{Email: realCustomer}}, Subject: "Sollecito di pagamento: fattura n. 2026/123",
		Text: strings.Repeat("Gentile cliente, la fattura risulta ancora da saldare.\n", 40), MessageID: "bench-append@example.test", Date: time.Now()})
	if err != nil {
		b.Fatal(err)
	}
	for _, batch := range []int{1, 50} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			c, err := DialIMAP(context.Background(), s.imap(realBot), "INBOX", nil)
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			raws := make([][]byte, batch)
			for i := range raws {
				raws[i] = raw
			}
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; i < b.N; i += batch {
				if err := c.AppendAll(ctx, "Sent", raws, []string{`\Seen`}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
