// Package mailsim is a small in-process mail system for `sollecito demo` and
// fast tests: a go-imap memory server holding the bot's mailbox, and a go-smtp
// server that delivers mail for the bot into that mailbox and records (and
// reports) everything addressed to anyone else. Both listen on 127.0.0.1.
package mailsim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/mail"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Delivery is one message the SMTP server accepted for someone other than the bot.
type Delivery struct {
	From string
	To   []string
	Raw  []byte
}

// Server is the running mail system. Close it when done.
type Server struct {
	IMAPAddr, SMTPAddr string
	Bot, Password      string

	// AuthServID is the name this server writes in the Authentication-Results
	// field it stamps on every message it delivers to the bot ("mx." and the
	// bot's domain); the bot's owner.authserv_id names it.
	AuthServID string
	// SenderDomains are the domains whose mail this server sees arrive from
	// hosts allowed to send for them (spf=pass): at Start, the bot's own
	// domain, where the owner writes from. Mail from any other domain gets
	// spf=none, as from a domain that publishes no SPF record.
	SenderDomains []string

	// OnDeliver, when set, is called (synchronously, before the SMTP server
	// answers) for each message to addresses other than the bot.
	OnDeliver func(Delivery)

	user   *imapmemserver.User
	imap   *imapserver.Server
	smtp   *smtp.Server
	mu     sync.Mutex
	outbox []Delivery
}

// Start starts both servers on loopback ports chosen by the system. bot is
// the bot's address, which is also its IMAP and SMTP login.
func Start(bot, password string) (*Server, error) {
	s := &Server{Bot: strings.ToLower(bot), Password: password}
	if _, d, ok := strings.Cut(s.Bot, "@"); ok {
		s.AuthServID = "mx." + d
		s.SenderDomains = []string{d}
	}
	mem := imapmemserver.New()
	s.user = imapmemserver.NewUser(s.Bot, password)
	if err := s.user.Create("INBOX", nil); err != nil {
		return nil, fmt.Errorf("create INBOX: %w", err)
	}
	if err := s.user.Create("Sent", &imap.CreateOptions{SpecialUse: []imap.MailboxAttr{imap.MailboxAttrSent}}); err != nil {
		return nil, fmt.Errorf("create Sent: %w", err)
	}
	mem.AddUser(s.user)
	s.imap = imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true,
	})
	iln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("imap listen: %w", err)
	}
	go s.imap.Serve(iln)
	s.IMAPAddr = iln.Addr().String()

	s.smtp = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	s.smtp.Domain = "localhost"
	s.smtp.AllowInsecureAuth = true
	s.smtp.MaxMessageBytes = 50 << 20
	sln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		iln.Close()
		return nil, fmt.Errorf("smtp listen: %w", err)
	}
	go s.smtp.Serve(sln)
	s.SMTPAddr = sln.Addr().String()
	return s, nil
}

// Close stops both servers.
func (s *Server) Close() error {
	return errors.Join(s.imap.Close(), s.smtp.Close())
}

// Deliver puts a raw message into the bot's INBOX, as a receiving mail
// server would: it deletes any Authentication-Results field carrying its own
// AuthServID (RFC 8601 section 5) and prepends its own, with spf=pass for a
// From address in SenderDomains and spf=none otherwise.
func (s *Server) Deliver(raw []byte, at time.Time) error {
	return s.deliver(raw, at, "")
}

// DeliverSpoofed is Deliver for a message that arrived from a host not
// allowed to send for its From domain: the stamp says spf=fail.
func (s *Server) DeliverSpoofed(raw []byte, at time.Time) error {
	return s.deliver(raw, at, "fail")
}

func (s *Server) deliver(raw []byte, at time.Time, spf string) error {
	raw = s.stamp(raw, spf)
	_, err := s.user.Append("INBOX", literal{bytes.NewReader(raw), int64(len(raw))}, &imap.AppendOptions{Time: at})
	if err != nil {
		return fmt.Errorf("deliver to %s: %w", s.Bot, err)
	}
	return nil
}

// Delivered returns every message delivered to others so far.
func (s *Server) Delivered() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.outbox...)
}

// stamp returns raw with this server's Authentication-Results on top and
// none of the same name below. spf "" means: judge by SenderDomains.
func (s *Server) stamp(raw []byte, spf string) []byte {
	if s.AuthServID == "" {
		return raw
	}
	from := ""
	if m, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		if a, err := mail.ParseAddress(m.Header.Get("From")); err == nil {
			from = strings.ToLower(a.Address)
		}
	}
	if spf == "" {
		spf = "none"
		_, domain, _ := strings.Cut(from, "@")
		for _, d := range s.SenderDomains {
			if strings.EqualFold(d, domain) {
				spf = "pass"
			}
		}
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, "Authentication-Results: %s; spf=%s smtp.mailfrom=%s\r\n", s.AuthServID, spf, orNull(from))
	// Copy the header without fields carrying our name, then the body.
	head, body, found := bytes.Cut(raw, []byte("\r\n\r\n"))
	sep := "\r\n"
	if !found {
		if h, b, ok := bytes.Cut(raw, []byte("\n\n")); ok {
			head, body, found, sep = h, b, true, "\n"
		}
	}
	if !found {
		out.Write(raw)
		return out.Bytes()
	}
	lines := strings.Split(string(head), sep)
	skipping := false
	for _, l := range lines {
		if skipping && (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) {
			continue
		}
		skipping = false
		if k, v, ok := strings.Cut(l, ":"); ok && strings.EqualFold(strings.TrimSpace(k), "Authentication-Results") {
			id, _, _ := strings.Cut(strings.TrimSpace(v), ";")
			if f := strings.Fields(id); len(f) > 0 && strings.EqualFold(f[0], s.AuthServID) {
				skipping = true
				continue
			}
		}
		out.WriteString(l + sep)
	}
	out.WriteString(sep)
	out.Write(body)
	return out.Bytes()
}

func orNull(s string) string {
	if s == "" {
		return "<>"
	}
	return s
}

type literal struct {
	*bytes.Reader
	n int64
}

func (l literal) Size() int64 { return l.n }

// session is one SMTP transaction; it accepts AUTH PLAIN with the bot's credentials.
type session struct {
	s    *Server
	from string
	to   []string
}

func (x *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (x *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if !strings.EqualFold(username, x.s.Bot) || password != x.s.Password {
			return errors.New("invalid credentials")
		}
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error { x.from = from; return nil }

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, strings.ToLower(to))
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	var others []string
	for _, to := range x.to {
		if to == x.s.Bot {
			if err := x.s.Deliver(raw, time.Now()); err != nil {
				return err
			}
			continue
		}
		others = append(others, to)
	}
	if len(others) > 0 {
		d := Delivery{From: x.from, To: others, Raw: raw}
		x.s.mu.Lock()
		x.s.outbox = append(x.s.outbox, d)
		hook := x.s.OnDeliver
		x.s.mu.Unlock()
		if hook != nil {
			hook(d)
		}
	}
	return nil
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }
