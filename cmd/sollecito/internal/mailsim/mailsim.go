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

// Deliver puts a raw message into the bot's INBOX, as a mail server would.
func (s *Server) Deliver(raw []byte, at time.Time) error {
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
