package mailbox

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"
)

// Outgoing is a message to compose: what the bot writes.
type Outgoing struct {
	From    Address
	To      []Address
	Cc      []Address
	Subject string
	// Text is the plain-text body. When empty and HTML is set, it is made
	// from HTML.
	Text string
	// HTML is the HTML body; "" for a text-only message.
	HTML string
	// MessageID is the Message-ID without angle brackets, chosen by the
	// caller (see MessageID) so that a retried send keeps its identity.
	MessageID string
	// InReplyTo and References are message IDs without angle brackets;
	// empty ones are left out.
	InReplyTo  string
	References []string
	// Date is written as given, in its own zone.
	Date time.Time
	// Attachments are sent base64; one without a Filename is named
	// "attachment-N" with an extension for its type.
	Attachments []Attachment
	// Headers are extra header fields (e.g. Auto-Submitted). They may not
	// replace the fields Compose writes itself; values must be one line.
	Headers map[string]string
}

// composedHeaders are written by Compose and may not be given in Outgoing.Headers.
var composedHeaders = []string{
	"From", "To", "Cc", "Bcc", "Subject", "Date", "Message-Id", "In-Reply-To", "References",
	"Mime-Version", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition",
}

// Compose renders o as RFC 5322 bytes with CRLF line ends: a
// multipart/alternative of text and HTML (a single text/plain part when there
// is no HTML), inside a multipart/mixed when there are attachments. Text is
// UTF-8 quoted-printable, attachments base64, non-ASCII header text RFC 2047
// encoded. The Message-ID and Date are written exactly as given. The output
// is a function of o alone.
func Compose(o Outgoing) ([]byte, error) {
	if err := o.validate(); err != nil {
		return nil, fmt.Errorf("compose: %w", err)
	}
	text := strings.ReplaceAll(o.Text, "\r\n", "\n")
	if strings.TrimSpace(text) == "" && o.HTML != "" {
		text = HTMLToText(o.HTML)
	}
	p := bodyPart(o.MessageID, text, o.HTML, o.Attachments)
	// The top-level part carries the message header. go-message writes the
	// fields last added first: add them bottom up.
	var h gomail.Header
	for f := p.header.Fields(); f.Next(); {
		h.Add(f.Key(), f.Value())
	}
	h.Set("MIME-Version", "1.0")
	keys := make([]string, 0, len(o.Headers))
	for k := range o.Headers {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	slices.Reverse(keys)
	for _, k := range keys {
		h.SetText(k, o.Headers[k])
	}
	if refs := slices.DeleteFunc(slices.Clone(o.References), func(id string) bool { return id == "" }); len(refs) > 0 {
		h.SetMsgIDList("References", refs)
	}
	if o.InReplyTo != "" {
		h.SetMsgIDList("In-Reply-To", []string{o.InReplyTo})
	}
	h.SetMessageID(o.MessageID)
	h.SetSubject(o.Subject)
	h.SetAddressList("Cc", toMailAddrs(o.Cc))
	h.SetAddressList("To", toMailAddrs(o.To))
	h.SetAddressList("From", toMailAddrs([]Address{o.From}))
	h.SetDate(o.Date)
	p.header = h.Header
	var buf bytes.Buffer
	if err := p.write(&buf); err != nil {
		return nil, fmt.Errorf("compose message %s: %w", o.MessageID, err)
	}
	return buf.Bytes(), nil
}

func (o Outgoing) validate() error {
	if o.From.Email == "" {
		return errors.New("no From address")
	}
	if len(o.To) == 0 {
		return errors.New("no To address")
	}
	for _, a := range slices.Concat([]Address{o.From}, o.To, o.Cc) {
		if _, err := mail.ParseAddress("<" + a.Email + ">"); err != nil || strings.ContainsAny(a.Email, "<> \r\n") {
			return fmt.Errorf("invalid address %q", a.Email)
		}
		if strings.ContainsAny(a.Name, "\r\n") {
			return fmt.Errorf("display name of %s has a line break", a.Email)
		}
	}
	if err := checkID(o.MessageID); err != nil || o.MessageID == "" {
		return fmt.Errorf("message ID %q: want local@domain without angle brackets", o.MessageID)
	}
	// Referenced IDs come from other people's mail, where an ID without "@"
	// is seen: only what would break the header is refused.
	for _, id := range append([]string{o.InReplyTo}, o.References...) {
		if strings.ContainsAny(id, "<> \t\r\n") {
			return fmt.Errorf("referenced message ID %q: want an ID without angle brackets or spaces", id)
		}
	}
	if o.Date.IsZero() {
		return errors.New("no Date")
	}
	if strings.ContainsAny(o.Subject, "\r\n") {
		return errors.New("subject has a line break")
	}
	for k, v := range o.Headers {
		if k == "" || strings.ContainsAny(k, ": \t\r\n") {
			return fmt.Errorf("invalid header name %q", k)
		}
		if slices.Contains(composedHeaders, canonicalKey(k)) {
			return fmt.Errorf("header %s is written by Compose and cannot be set in Headers", k)
		}
		if strings.ContainsAny(v, "\r\n") {
			return fmt.Errorf("header %s has a line break", k)
		}
	}
	for i, a := range o.Attachments {
		if strings.ContainsAny(a.Filename, "\r\n") {
			return fmt.Errorf("attachment %d: file name has a line break", i+1)
		}
	}
	return nil
}

func checkID(id string) error {
	if strings.ContainsAny(id, "<> \t\r\n") || strings.Count(id, "@") != 1 ||
		strings.HasPrefix(id, "@") || strings.HasSuffix(id, "@") {
		return errors.New("bad message ID")
	}
	return nil
}

func toMailAddrs(list []Address) []*gomail.Address {
	out := make([]*gomail.Address, 0, len(list))
	for _, a := range list {
		out = append(out, &gomail.Address{Name: a.Name, Address: a.Email})
	}
	return out
}

func textHeader(mediaType string) message.Header {
	var h message.Header
	h.SetContentType(mediaType, map[string]string{"charset": "utf-8"})
	h.Set("Content-Transfer-Encoding", "quoted-printable")
	return h
}

// boundary returns a multipart boundary derived from the message ID, so
// that Compose is deterministic. "=_" cannot occur in quoted-printable or
// base64 text, so the boundary cannot collide with a body.
func boundary(messageID, kind string) string {
	sum := sha256.Sum256([]byte(messageID + "\x00" + kind))
	return "=_" + kind + "_" + hex.EncodeToString(sum[:12])
}

// part is one MIME entity to write: a header and either a body or children.
type part struct {
	header   message.Header
	body     []byte
	children []part
}

func (p part) write(w io.Writer) error {
	mw, err := message.CreateWriter(w, p.header)
	if err != nil {
		return err
	}
	return p.writeInto(mw)
}

// writeInto writes p's content into a writer already created for its header.
func (p part) writeInto(w *message.Writer) error {
	if len(p.children) == 0 {
		if _, err := w.Write(p.body); err != nil {
			return err
		}
		return w.Close()
	}
	for _, c := range p.children {
		cw, err := w.CreatePart(c.header)
		if err != nil {
			return err
		}
		if err := c.writeInto(cw); err != nil {
			return err
		}
	}
	return w.Close()
}

// bodyPart builds the text part, or the multipart/alternative of text and
// HTML, then wraps it with the attachments in a multipart/mixed.
func bodyPart(messageID, text, html string, atts []Attachment) part {
	body := part{header: textHeader("text/plain"), body: []byte(text)}
	if html != "" {
		var h message.Header
		h.SetContentType("multipart/alternative", map[string]string{"boundary": boundary(messageID, "alt")})
		body = part{header: h, children: []part{body, {header: textHeader("text/html"), body: []byte(html)}}}
	}
	if len(atts) == 0 {
		return body
	}
	var h message.Header
	h.SetContentType("multipart/mixed", map[string]string{"boundary": boundary(messageID, "mixed")})
	mixed := part{header: h, children: []part{body}}
	for i, a := range atts {
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		name := a.Filename
		if name == "" {
			name = fmt.Sprintf("attachment-%d%s", i+1, extensions[ct])
		}
		var ah message.Header
		ah.SetContentType(ct, map[string]string{"name": name})
		ah.SetContentDisposition("attachment", map[string]string{"filename": name})
		ah.Set("Content-Transfer-Encoding", "base64")
		mixed.children = append(mixed.children, part{header: ah, body: a.Data})
	}
	return mixed
}

// extensions names the file of an attachment that came without a name.
var extensions = map[string]string{
	"application/pdf": ".pdf", "application/xml": ".xml", "text/xml": ".xml",
	"application/pkcs7-mime": ".p7m", "application/zip": ".zip", "text/plain": ".txt",
	"text/html": ".html", "image/png": ".png", "image/jpeg": ".jpg", "message/rfc822": ".eml",
}

// MessageID returns a deterministic message ID (without angle brackets) for
// the given parts: the hex HMAC-SHA-256 under key of the parts, each ended by
// a NUL byte, "@" the domain. When domain is an address, its domain part is
// used; an empty domain gives "sollecito.invalid". The same key and parts
// always give the same ID, so a message retried after a crash keeps its
// identity; without the key nobody can compute it, so nobody can pass a
// mail off as an answer to one the bot sent by guessing its ID.
func MessageID(key []byte, domain string, parts ...string) string {
	if i := strings.LastIndexByte(domain, '@'); i >= 0 {
		domain = domain[i+1:]
	}
	domain = strings.ToLower(strings.Trim(strings.TrimSpace(domain), "<>"))
	if domain == "" || strings.ContainsAny(domain, " \t\r\n@<>") {
		domain = "sollecito.invalid"
	}
	h := hmac.New(sha256.New, key)
	for _, p := range parts {
		io.WriteString(h, p)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)) + "@" + domain
}
