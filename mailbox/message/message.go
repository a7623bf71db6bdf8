// Package message holds a received mail as the bot reads it (Message) and
// its parser (Parse): headers, addresses, text and HTML bodies, and
// attachments, within fixed bounds. It does no I/O and imports no network
// client, so that the packages that decide (reply, policy, templates) link
// no IMAP or SMTP code.
package message

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"net/textproto"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	gomessage "github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // iso-8859-1, windows-1252 and friends
	gomail "github.com/emersion/go-message/mail"
	"github.com/inbucket/html2text"
	"golang.org/x/text/encoding/charmap"
)

// Limits bound what Parse accepts, so that hostile mail cannot exhaust memory or time.
const (
	// MaxMessageSize is the largest raw message Parse reads; larger input is an error.
	MaxMessageSize = 50 << 20
	// MaxParts is the most MIME parts Parse walks; the rest are ignored and Truncated is set.
	MaxParts = 200
	// MaxDepth is the deepest MIME nesting Parse follows.
	MaxDepth = 16
)

// Address is one mailbox of a header: a display name and a lower-cased address.
type Address struct {
	Name  string
	Email string
}

// String formats the address as a header value would hold it.
func (a Address) String() string {
	return (&mail.Address{Name: a.Name, Address: a.Email}).String()
}

// Attachment is a non-text part of a message, kept whole so that it can be
// resent or read (FatturaPA XML, PDF, delivery reports).
type Attachment struct {
	Filename    string
	ContentType string // media type, lower-case, without parameters
	Data        []byte
}

// Message is a parsed RFC 5322 message: the headers the bot reads, the text a
// person wrote (plain text, or HTML turned to text), the HTML as sent, and the
// attachments. It holds no I/O handle and is safe to keep.
type Message struct {
	MessageID  string    // without angle brackets; "" when absent
	InReplyTo  []string  // message IDs without angle brackets
	References []string  // message IDs without angle brackets
	Date       time.Time // the Date header in its own zone; zero when absent or unreadable
	Subject    string    // decoded
	From       []Address
	To         []Address
	Cc         []Address
	Bcc        []Address
	ReplyTo    []Address
	// Header holds every header field, decoded where the field is text.
	// Keys are canonical (textproto.CanonicalMIMEHeaderKey).
	Header map[string][]string
	// ContentType is the media type of the top-level part, lower-case.
	ContentType string
	// Text is the first text/plain body, decoded to UTF-8, line ends "\n".
	Text string
	// HTML is the first text/html body, decoded to UTF-8.
	HTML string
	// HTMLText is HTML turned to text (blockquotes kept as "> " lines);
	// "" when there is no HTML body.
	HTMLText string
	// Attachments are the non-body parts, in order. A message/delivery-status
	// or message/rfc822 part is kept here too, with its raw bytes.
	Attachments []Attachment
	// Truncated is set when the message had more parts or depth than the limits allow.
	Truncated bool
	// Raw is the message as read.
	Raw []byte

	// hash is Hash of hashed, the Raw it was worked out for.
	hash   string
	hashed []byte
}

// Body returns the best text of the message: the plain-text part, or the
// HTML part turned to text when there is no plain text.
func (m *Message) Body() string {
	if strings.TrimSpace(m.Text) != "" {
		return m.Text
	}
	return m.HTMLText
}

// Get returns the first value of header field key ("" when absent).
func (m *Message) Get(key string) string {
	if v := m.Header[canonicalKey(key)]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Sender returns the address of the first From mailbox ("" when none).
func (m *Message) Sender() string {
	if len(m.From) == 0 {
		return ""
	}
	return m.From[0].Email
}

// Hash returns a hex SHA-256 of the raw message, for deduplication when a
// message has no Message-ID or a mailbox is resynchronised. It is worked
// out once for the Raw the message holds.
func (m *Message) Hash() string {
	if m.hash == "" || len(m.hashed) != len(m.Raw) || len(m.Raw) > 0 && &m.hashed[0] != &m.Raw[0] {
		sum := sha256.Sum256(m.Raw)
		m.hash, m.hashed = hex.EncodeToString(sum[:]), m.Raw
	}
	return m.hash
}

// ErrTooLarge is returned by Parse for a message over MaxMessageSize.
var ErrTooLarge = errors.New("mailbox: message too large")

// Parse reads a raw RFC 5322 message. It decodes transfer encodings and
// charsets, turns HTML to text, and keeps attachments. A message whose body
// cannot be fully decoded still returns what could be read together with an
// error describing the first problem; the caller decides whether to keep it.
func Parse(raw []byte) (*Message, error) {
	if len(raw) > MaxMessageSize {
		return nil, fmt.Errorf("%w: %d bytes (limit %d)", ErrTooLarge, len(raw), MaxMessageSize)
	}
	ent, err := gomessage.Read(bytes.NewReader(raw))
	if ent == nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	var firstErr error
	if err != nil && !gomessage.IsUnknownCharset(err) && !gomessage.IsUnknownEncoding(err) {
		firstErr = fmt.Errorf("read header: %w", err)
	}
	m := &Message{Raw: raw, Header: map[string][]string{}}
	readHeader(m, ent.Header)
	p := &parser{m: m}
	if err := p.walk(ent, 0); err != nil && firstErr == nil {
		firstErr = err
	}
	if m.HTML != "" {
		m.HTMLText = HTMLToText(m.HTML)
	}
	return m, firstErr
}

func readHeader(m *Message, h gomessage.Header) {
	mh := gomail.Header{Header: h}
	fields := h.Fields()
	for fields.Next() {
		k := canonicalKey(fields.Key())
		v, err := fields.Text()
		if err != nil {
			v = fields.Value()
		}
		m.Header[k] = append(m.Header[k], toValidUTF8(v))
	}
	m.MessageID = trimID(h.Get("Message-Id"))
	m.InReplyTo = parseIDs(h.Get("In-Reply-To"))
	m.References = parseIDs(h.Get("References"))
	if d, err := mh.Date(); err == nil {
		m.Date = d
	} else if d, err := mail.ParseDate(strings.TrimSpace(h.Get("Date"))); err == nil {
		m.Date = d
	}
	if s, err := mh.Subject(); err == nil {
		m.Subject = s
	} else {
		m.Subject = h.Get("Subject")
	}
	m.Subject = toValidUTF8(m.Subject)
	m.From = addressList(h, "From")
	m.To = addressList(h, "To")
	m.Cc = addressList(h, "Cc")
	m.Bcc = addressList(h, "Bcc")
	m.ReplyTo = addressList(h, "Reply-To")
	m.ContentType, _, _ = h.ContentType()
	m.ContentType = strings.ToLower(m.ContentType)
}

type parser struct {
	m     *Message
	parts int
}

func (p *parser) walk(e *gomessage.Entity, depth int) error {
	p.parts++
	if p.parts > MaxParts || depth > MaxDepth {
		p.m.Truncated = true
		return nil
	}
	mt, params, _ := e.Header.ContentType()
	mt = strings.ToLower(mt)
	if mt == "" {
		mt = "text/plain"
	}
	if mr := e.MultipartReader(); mr != nil {
		var firstErr error
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				if gomessage.IsUnknownCharset(err) || gomessage.IsUnknownEncoding(err) {
					if part == nil {
						continue
					}
				} else {
					return fmt.Errorf("multipart %s part %d: %w", mt, p.parts, err)
				}
			}
			if err := p.walk(part, depth+1); err != nil && firstErr == nil {
				firstErr = err
			}
		}
		return firstErr
	}
	disp, dparams, _ := e.Header.ContentDisposition()
	filename := dparams["filename"]
	if filename == "" {
		filename = params["name"]
	}
	if filename != "" {
		if dec, err := new(mime.WordDecoder).DecodeHeader(filename); err == nil {
			filename = dec
		}
	}
	body, err := io.ReadAll(io.LimitReader(e.Body, MaxMessageSize))
	if err != nil {
		return fmt.Errorf("decode %s part: %w", mt, err)
	}
	isAttachment := strings.EqualFold(disp, "attachment") || (filename != "" && !strings.HasPrefix(mt, "text/"))
	switch {
	case mt == "text/plain" && !isAttachment && p.m.Text == "" && filename == "":
		p.m.Text = normalizeNewlines(toValidUTF8(string(body)))
	case mt == "text/html" && !isAttachment && p.m.HTML == "" && filename == "":
		p.m.HTML = toValidUTF8(string(body))
	default:
		p.m.Attachments = append(p.m.Attachments, Attachment{Filename: filename, ContentType: mt, Data: body})
	}
	return nil
}

var (
	cellEnd = regexp.MustCompile(`(?i)</t[dh]\s*>`)
	rowEnd  = regexp.MustCompile(`(?i)</tr\s*>`)
)

// HTMLToText turns an HTML body into readable text. Blockquotes become "> "
// lines, so that quoted text stays recognisable; links keep only their text.
func HTMLToText(html string) string {
	// A table's rows stay lines and its cells stay apart ("Importo | €
	// 1.220,00"): the label of a value is the cell before it, not the
	// whole row run together.
	html = cellEnd.ReplaceAllString(html, " | $0")
	html = rowEnd.ReplaceAllString(html, "$0<br>")
	text, err := html2text.FromString(html, html2text.Options{OmitLinks: true})
	if err != nil {
		return ""
	}
	return normalizeNewlines(text)
}

// toValidUTF8 returns s when it is valid UTF-8. Otherwise the text was sent
// in an undeclared or wrongly declared 8-bit charset: when s holds no valid
// multi-byte UTF-8 sequence at all it is read as Windows-1252 (the usual
// charset of such mail, and a superset of Latin-1's letters); else only the
// invalid bytes are replaced with U+FFFD.
func toValidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	multibyte := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != utf8.RuneError && size > 1 {
			multibyte = true
			break
		}
		i += size
	}
	if !multibyte {
		if d, err := charmap.Windows1252.NewDecoder().String(s); err == nil && utf8.ValidString(d) {
			return d
		}
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

func normalizeNewlines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

func addressList(h gomessage.Header, key string) []Address {
	mh := gomail.Header{Header: h}
	list, err := mh.AddressList(key)
	if err != nil || len(list) == 0 {
		// Fall back to a lenient read: many senders write slightly broken headers.
		raw := h.Get(key)
		if raw == "" {
			return nil
		}
		var out []Address
		for _, part := range strings.Split(raw, ",") {
			if a, err := mail.ParseAddress(strings.TrimSpace(part)); err == nil {
				out = append(out, Address{Name: a.Name, Email: strings.ToLower(a.Address)})
			}
		}
		return out
	}
	out := make([]Address, 0, len(list))
	for _, a := range list {
		out = append(out, Address{Name: a.Name, Email: strings.ToLower(a.Address)})
	}
	return out
}

func trimID(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "<")
	s = strings.TrimSuffix(s, ">")
	return strings.TrimSpace(s)
}

func parseIDs(s string) []string {
	var ids []string
	for _, f := range strings.Fields(s) {
		if id := trimID(f); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

func canonicalKey(k string) string { return textproto.CanonicalMIMEHeaderKey(k) }
