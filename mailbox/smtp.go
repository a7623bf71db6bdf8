package mailbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/textproto"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wneessen/go-mail/smtp"
)

// SMTP sends mail through one submission server. A Send keeps its
// connection open for the next one (a batch of messages goes through one
// connection, a new transaction each after RSET); CloseIdle hangs it up,
// and a connection the server dropped meanwhile is replaced at the next
// Send before anything is sent. Check always dials anew. It is safe for
// concurrent use.
type SMTP struct {
	cfg ServerConfig
	log *slog.Logger
	// helo is the name given in EHLO.
	helo string

	mu     sync.Mutex
	idle   *session // kept open after a successful Send; nil when none
	logins []string // the AUTH mechanisms the server offered at the last connection
}

// NewSMTP returns a sender for the server c. A nil log discards logging.
func NewSMTP(c ServerConfig, log *slog.Logger) *SMTP {
	if log == nil {
		log = discardLogger
	}
	helo := "localhost"
	if h, err := os.Hostname(); err == nil && strings.Contains(h, ".") {
		helo = h
	}
	return &SMTP{cfg: c, log: log.With("pkg", "mailbox", "smtp", c.Addr), helo: helo}
}

// SendError is the error of a failed Check or Send. Permanent is set when
// the server refused the message for good (a 5xx reply to MAIL, RCPT or
// DATA): sending it again will fail again. Every other failure — 4xx
// replies, network and TLS errors, and a refused login, which needs the
// configuration fixed, not the message dropped — is temporary.
type SendError struct {
	Server    string // host:port
	Stage     string // dns, connect, tls, greeting, ehlo, auth, mail, rcpt, data
	Code      int    // SMTP reply code; 0 when there was none
	Permanent bool
	// InDoubt is set when the whole message went out (the final "." was
	// written) but no answer came back: the server may have accepted it.
	// Sending it again at once could deliver it twice.
	InDoubt   bool
	Recipient string // for Stage "rcpt"
	Err       error

	what string // how Error names the stage when not by Stage (network stages)
}

// Error describes the failure, naming the server and the stage.
func (e *SendError) Error() string {
	var b strings.Builder
	what := e.what
	if what == "" {
		what = e.Stage
	}
	fmt.Fprintf(&b, "SMTP server %s: %s", e.Server, what)
	if e.Recipient != "" {
		fmt.Fprintf(&b, " <%s>", e.Recipient)
	}
	if e.Permanent {
		b.WriteString(" (permanent)")
	}
	if e.InDoubt {
		b.WriteString(" (no answer after the data: maybe delivered)")
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

// Unwrap returns the underlying error.
func (e *SendError) Unwrap() error { return e.Err }

// IsInDoubt reports whether err holds a *SendError for a message that may
// have been accepted: the connection failed or timed out after the data was
// sent and before the server's answer.
func IsInDoubt(err error) bool {
	var se *SendError
	return errors.As(err, &se) && se.InDoubt
}

// IsPermanent reports whether err holds a permanent *SendError, that is a
// message the server will never accept.
func IsPermanent(err error) bool {
	var se *SendError
	return errors.As(err, &se) && se.Permanent
}

func (s *SMTP) fail(stage string, err error) *SendError {
	se := &SendError{Server: s.cfg.Addr, Stage: stage, Err: err}
	var tp *textproto.Error
	if errors.As(err, &tp) {
		se.Code = tp.Code
		se.Permanent = tp.Code >= 500 && stage != "auth" && stage != "ehlo" && stage != "greeting"
	}
	return se
}

// session is one SMTP connection with its deadline handling.
type session struct {
	s    *SMTP
	conn net.Conn
	c    *smtp.Client
	stop func() bool
}

// step extends the connection deadline by one timeout before an exchange.
func (ss *session) step() { ss.conn.SetDeadline(time.Now().Add(ss.s.cfg.timeout())) }

func (ss *session) close() {
	ss.stop()
	ss.conn.Close()
}

// open dials, says EHLO, upgrades to TLS as configured and authenticates.
// connect dials the server, reads its greeting, says EHLO and starts TLS
// as configured: a session ready to log in.
func (s *SMTP) connect(ctx context.Context) (*session, error) {
	host, err := s.cfg.check()
	if err != nil {
		return nil, &SendError{Server: s.cfg.Addr, Stage: "config", Err: err}
	}
	conn, err := s.cfg.dial(ctx, "SMTP")
	if err != nil {
		stage := "connect"
		var dnsErr *net.DNSError
		switch {
		case errors.As(err, &dnsErr):
			stage = "dns"
		case strings.Contains(err.Error(), "TLS"):
			stage = "tls"
		}
		// Say what failed as the IMAP side does ("DNS lookup of "host"
		// failed", "connect", "TLS handshake"), with the cause after it.
		cause := errors.Unwrap(err)
		what := strings.TrimPrefix(err.Error(), "SMTP server "+s.cfg.Addr+": ")
		if cause != nil {
			what = strings.TrimSuffix(what, ": "+cause.Error())
		}
		return nil, &SendError{Server: s.cfg.Addr, Stage: stage, Err: cause, what: what}
	}
	ss := &session{s: s, conn: conn}
	// Cancelling ctx closes the connection, which ends any exchange in hand.
	ss.stop = context.AfterFunc(ctx, func() { conn.Close() })
	ss.step()
	ss.c, err = smtp.NewClient(conn, host)
	if err != nil {
		ss.close()
		return nil, s.ctxErr(ctx, s.fail("greeting", err))
	}
	ss.step()
	if err := ss.c.Hello(s.helo); err != nil {
		ss.close()
		return nil, s.ctxErr(ctx, s.fail("ehlo", err))
	}
	if s.cfg.security() == SecurityStartTLS {
		if ok, _ := ss.c.Extension("STARTTLS"); !ok {
			ss.close()
			return nil, &SendError{Server: s.cfg.Addr, Stage: "tls", Err: errors.New("server does not offer STARTTLS"), what: "STARTTLS"}
		}
		tcfg, err := s.cfg.tlsConfig(host)
		if err != nil {
			ss.close()
			return nil, &SendError{Server: s.cfg.Addr, Stage: "tls", Err: err, what: "TLS"}
		}
		ss.step()
		if err := ss.c.StartTLS(tcfg); err != nil {
			ss.close()
			se := s.fail("tls", err)
			se.what = "STARTTLS"
			return nil, s.ctxErr(ctx, se)
		}
	}
	_, mechs := ss.c.Extension("AUTH")
	s.mu.Lock()
	s.logins = strings.Fields(mechs)
	s.mu.Unlock()
	return ss, nil
}

// open returns a new session, logged in when the configuration says so.
func (s *SMTP) open(ctx context.Context) (*session, error) {
	if s.cfg.Token != nil {
		return s.bearerOpen(ctx)
	}
	ss, err := s.connect(ctx)
	if err != nil {
		return nil, err
	}
	if s.cfg.Username != "" {
		host, _ := s.cfg.check() // connect checked it
		ok, mechs := ss.c.Extension("AUTH")
		if !ok {
			ss.close()
			return nil, &SendError{Server: s.cfg.Addr, Stage: "auth", Err: errors.New("server does not offer AUTH (after TLS)")}
		}
		plain := s.cfg.security() == SecurityNone // loopback only, checked above
		var auth smtp.Auth
		switch upper := " " + strings.ToUpper(mechs) + " "; {
		case strings.Contains(upper, " PLAIN "):
			auth = smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, host, plain)
		case strings.Contains(upper, " LOGIN "):
			auth = smtp.LoginAuth(s.cfg.Username, s.cfg.Password, host, plain)
		default:
			ss.close()
			return nil, &SendError{Server: s.cfg.Addr, Stage: "auth", Err: fmt.Errorf("no supported AUTH mechanism among %q (want PLAIN or LOGIN)", mechs)}
		}
		ss.step()
		if err := ss.c.Auth(auth); err != nil {
			ss.close()
			return nil, s.ctxErr(ctx, s.fail("auth", fmt.Errorf("log in as %q: %w", s.cfg.Username, err)))
		}
	}
	return ss, nil
}

// bearerOpen returns a new session logged in with an OAuth2 token by the
// bearer mechanism the server offers. A refused token (a 5xx answer) is
// refreshed and tried once more, on a new connection: the SMTP client
// ends the session on any failed AUTH.
func (s *SMTP) bearerOpen(ctx context.Context) (*session, error) {
	var ss *session
	err := withToken(ctx, s.cfg.Token, func(token string) (bool, error) {
		var err error
		if ss, err = s.connect(ctx); err != nil {
			return false, err
		}
		ok, offered := ss.c.Extension("AUTH")
		if !ok {
			return false, &SendError{Server: s.cfg.Addr, Stage: "auth", Err: errors.New("server does not offer AUTH (after TLS)")}
		}
		mech, err := bearerMech(strings.Fields(offered))
		if err != nil {
			return false, &SendError{Server: s.cfg.Addr, Stage: "auth", Err: err}
		}
		b := newBearer(mech, s.cfg.Username, token, s.cfg.Addr)
		ss.step()
		if err = ss.c.Auth(smtpBearer{b}); err == nil {
			return false, nil
		}
		ss.close()
		ss = nil
		var tp *textproto.Error
		refused := errors.As(err, &tp) && tp.Code >= 500
		return refused, fmt.Errorf("log in as %q with %s (%s): %w", s.cfg.Username, mech, b.refusal, err)
	})
	if err == nil {
		return ss, nil
	}
	if ss != nil {
		ss.close()
	}
	var se *SendError
	if errors.As(err, &se) {
		return nil, err
	}
	return nil, s.ctxErr(ctx, s.fail("auth", err))
}

// take returns the connection the last Send left open, when it still
// answers RSET, tied to ctx; else a new one.
func (s *SMTP) take(ctx context.Context) (*session, error) {
	if ss := s.swapIdle(nil); ss != nil {
		ss.stop = context.AfterFunc(ctx, func() { ss.conn.Close() })
		ss.step()
		if err := ss.c.Reset(); err == nil {
			return ss, nil
		}
		ss.close() // the server hung up meanwhile: nothing was sent on it
	}
	return s.open(ctx)
}

// swapIdle makes ss (nil: none) the connection kept for the next Send and
// returns the one kept before, if any.
func (s *SMTP) swapIdle(ss *session) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.idle
	s.idle = ss
	return old
}

// keep leaves ss open for the next Send, no longer tied to its ctx.
func (s *SMTP) keep(ss *session) {
	ss.stop()
	if old := s.swapIdle(ss); old != nil {
		old.quit()
	}
}

// CloseIdle says QUIT on the connection the last Send left open, if any,
// and hangs up. Call it at the end of a batch.
func (s *SMTP) CloseIdle() {
	if old := s.swapIdle(nil); old != nil {
		old.quit()
	}
}

// quit ends an idle session politely (bounded by the timeout) and closes it.
func (ss *session) quit() {
	ss.step()
	_ = ss.c.Quit()
	ss.conn.Close()
}

// ctxErr replaces a network error caused by cancelling ctx with ctx's error.
func (s *SMTP) ctxErr(ctx context.Context, se *SendError) *SendError {
	if ctx.Err() != nil {
		se.Err = fmt.Errorf("%w (%v)", ctx.Err(), se.Err)
		se.Permanent = false
	}
	return se
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Logins returns the AUTH mechanisms the server offered (after TLS) at the
// last connection, such as Check's; nil before one.
func (s *SMTP) Logins() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

// Check connects, upgrades to TLS and logs in, then hangs up. It is for
// validating a configuration; the error names the failing step (DNS,
// connect, TLS, auth) and never contains the password.

func (s *SMTP) Check(ctx context.Context) error {
	ss, err := s.open(ctx)
	if err != nil {
		return err
	}
	ss.step()
	_ = ss.c.Quit()
	ss.close()
	return nil
}

// Send transmits raw exactly as given (its Message-ID and every other header
// unchanged) from the envelope sender from to the envelope recipients to.
// If any recipient is refused, nothing is sent. A failure is a *SendError:
// see IsPermanent.
func (s *SMTP) Send(ctx context.Context, from string, to []string, raw []byte) error {
	if len(to) == 0 {
		return &SendError{Server: s.cfg.Addr, Stage: "rcpt", Permanent: true, Err: errors.New("no recipients")}
	}
	for _, a := range append([]string{from}, to...) {
		if strings.ContainsAny(a, "<>\r\n ") {
			return &SendError{Server: s.cfg.Addr, Stage: "mail", Permanent: true, Err: fmt.Errorf("invalid envelope address %q", a)}
		}
	}
	start := time.Now()
	ss, err := s.take(ctx)
	if err != nil {
		return err
	}
	kept := false
	defer func() {
		if !kept {
			ss.close()
		}
	}()
	// SMTPUTF8 only when an address needs it: a server treats a message sent
	// with it as internationalised (Exim then answers with
	// message/global-delivery-status bounces).
	ss.c.SkipSMTPUTF8(isASCII(from) && !slices.ContainsFunc(to, func(a string) bool { return !isASCII(a) }))
	ss.step()
	if err := ss.c.Mail("<" + from + ">"); err != nil {
		return s.ctxErr(ctx, s.fail("mail", err))
	}
	for _, rcpt := range to {
		ss.step()
		if err := ss.c.Rcpt("<" + rcpt + ">"); err != nil {
			se := s.ctxErr(ctx, s.fail("rcpt", err))
			se.Recipient = rcpt
			_ = ss.c.Reset()
			_ = ss.c.Quit()
			return se
		}
	}
	ss.step()
	w, err := ss.c.Data()
	if err != nil {
		return s.ctxErr(ctx, s.fail("data", err))
	}
	// The data phase may be long for big attachments: one timeout per MiB.
	ss.conn.SetDeadline(time.Now().Add(s.cfg.timeout() * time.Duration(1+len(raw)>>20)))
	if _, err := w.Write(raw); err != nil {
		return s.ctxErr(ctx, s.fail("data", err))
	}
	if err := w.Close(); err != nil {
		se := s.ctxErr(ctx, s.fail("data", err))
		// An answer (4xx, 5xx) is a refusal; anything else — a timeout, a
		// reset, a cancelled ctx — leaves the message in the server's hands
		// or not: say so.
		var tp *textproto.Error
		se.InDoubt = !errors.As(err, &tp)
		return se
	}
	kept = true
	s.keep(ss) // for the next message of the batch; CloseIdle hangs up
	s.log.Info("smtp sent", "from", from, "to", to, "bytes", len(raw), "elapsed", time.Since(start).Round(time.Millisecond))
	return nil
}
