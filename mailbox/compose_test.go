package mailbox

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"
)

func sampleOutgoing() Outgoing {
	rome := time.FixedZone("CET", 3600)
	return Outgoing{
		From:    Address{Name: "Studio Bianchi – Solleciti", Email: "solleciti@studiobianchi.example"},
		To:      []Address{{Name: "Amministrazione Rossi & Figli", Email: "amministrazione@rossi.example"}},
		Cc:      []Address{{Name: "Maria Bianchi", Email: "maria@studiobianchi.example"}},
		Subject: "Sollecito di pagamento: fattura n. 12/2026 — è scaduta già da più di dieci giorni, può verificare?",
		Text: "Gentile cliente,\n\nle ricordiamo che la fattura n. 12/2026 è scaduta il 10/11/2026.\n" +
			"Importo: 1.234,56 €\nIBAN: IT60X0542811101000000123456\n\n" +
			"Se ha già provveduto al pagamento, può ignorare questo messaggio. Una riga molto lunga che supera i settantasei caratteri per verificare la codifica quoted-printable.\n" +
			".\nCordiali saluti,\nStudio Bianchi\n",
		HTML:       "<p>Gentile cliente,</p><p>le ricordiamo che la fattura n. 12/2026 è scaduta.</p>",
		MessageID:  MessageID(nil, "solleciti@studiobianchi.example", "invoice-12", "stage1"),
		InReplyTo:  "orig-12@studiobianchi.example",
		References: []string{"orig-12@studiobianchi.example", "prev@studiobianchi.example"},
		Date:       time.Date(2026, 11, 20, 9, 30, 0, 0, rome),
		Attachments: []Attachment{
			{Filename: "Fattura 12-2026 (copia).pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4\n\x00\x01\xff binary\n%%EOF\n")},
			{Filename: "IT01234567890_00012.xml", ContentType: "application/xml", Data: []byte("<?xml version=\"1.0\"?><p:FatturaElettronica/>")},
		},
		Headers: map[string]string{"Auto-Submitted": "auto-generated", "X-Sollecito-Stage": "1"},
	}
}

func TestComposeParseRoundTrip(t *testing.T) {
	full := sampleOutgoing()
	textOnly := sampleOutgoing()
	textOnly.HTML, textOnly.Attachments = "", nil
	alternative := sampleOutgoing()
	alternative.Attachments = nil
	htmlOnly := sampleOutgoing()
	htmlOnly.Text = ""
	tests := []struct {
		name        string
		o           Outgoing
		contentType string
	}{
		{"mixed", full, "multipart/mixed"},
		{"text only", textOnly, "text/plain"},
		{"alternative", alternative, "multipart/alternative"},
		{"html only, text made from it", htmlOnly, "multipart/mixed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.o
			raw, err := Compose(o)
			if err != nil {
				t.Fatalf("Compose: %v", err)
			}
			for i, line := range bytes.Split(raw, []byte("\r\n")) {
				if len(line) > 998 {
					t.Errorf("line %d is %d bytes long", i+1, len(line))
				}
				if bytes.IndexByte(line, '\n') >= 0 {
					t.Errorf("line %d has a bare LF", i+1)
				}
			}
			for i, b := range raw {
				if b >= 0x80 {
					t.Fatalf("byte %d is 8-bit (%#x): want 7-bit output", i, b)
				}
			}
			m, err := Parse(raw)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if m.ContentType != tt.contentType {
				t.Errorf("content type = %q, want %q", m.ContentType, tt.contentType)
			}
			if m.Subject != o.Subject {
				t.Errorf("subject = %q, want %q", m.Subject, o.Subject)
			}
			if m.MessageID != o.MessageID {
				t.Errorf("Message-ID = %q, want %q", m.MessageID, o.MessageID)
			}
			if !slices.Equal(m.InReplyTo, []string{o.InReplyTo}) || !slices.Equal(m.References, o.References) {
				t.Errorf("In-Reply-To %v References %v, want %v %v", m.InReplyTo, m.References, o.InReplyTo, o.References)
			}
			if !m.Date.Equal(o.Date) || m.Date.Format("-0700") != o.Date.Format("-0700") {
				t.Errorf("Date = %v, want %v in its own zone", m.Date, o.Date)
			}
			if !slices.Equal(m.From, []Address{o.From}) || !slices.Equal(m.To, o.To) || !slices.Equal(m.Cc, o.Cc) {
				t.Errorf("From %v To %v Cc %v, want %v %v %v", m.From, m.To, m.Cc, o.From, o.To, o.Cc)
			}
			if o.Text != "" && m.Text != o.Text {
				t.Errorf("text =\n%q\nwant\n%q", m.Text, o.Text)
			}
			if o.Text == "" && !strings.Contains(m.Text, "è scaduta") {
				t.Errorf("text made from HTML = %q, want the HTML's words", m.Text)
			}
			if m.HTML != o.HTML {
				t.Errorf("HTML = %q, want %q", m.HTML, o.HTML)
			}
			if len(m.Attachments) != len(o.Attachments) {
				t.Fatalf("%d attachments, want %d", len(m.Attachments), len(o.Attachments))
			}
			for i, a := range o.Attachments {
				g := m.Attachments[i]
				if g.Filename != a.Filename || g.ContentType != a.ContentType || !bytes.Equal(g.Data, a.Data) {
					t.Errorf("attachment %d = %q %q %q, want %q %q %q", i, g.Filename, g.ContentType, g.Data, a.Filename, a.ContentType, a.Data)
				}
			}
			for k, v := range o.Headers {
				if got := m.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			again, err := Compose(o)
			if err != nil || !bytes.Equal(again, raw) {
				t.Errorf("Compose is not deterministic")
			}
		})
	}
}

func TestComposeRefuses(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Outgoing)
		want   string
	}{
		{"no from", func(o *Outgoing) { o.From = Address{} }, "From"},
		{"no to", func(o *Outgoing) { o.To = nil }, "To"},
		{"bad address", func(o *Outgoing) { o.To[0].Email = "not an address" }, "invalid address"},
		{"no message id", func(o *Outgoing) { o.MessageID = "" }, "message ID"},
		{"bracketed message id", func(o *Outgoing) { o.MessageID = "<a@b>" }, "message ID"},
		{"bad reference", func(o *Outgoing) { o.References = []string{"x y@z"} }, "referenced"},
		{"bracketed reference", func(o *Outgoing) { o.InReplyTo = "<x@z>" }, "referenced"},
		{"no date", func(o *Outgoing) { o.Date = time.Time{} }, "Date"},
		{"subject injection", func(o *Outgoing) { o.Subject = "hi\r\nBcc: x@y.z" }, "subject"},
		{"header injection", func(o *Outgoing) { o.Headers["X-A"] = "a\nBcc: x@y.z" }, "line break"},
		{"header override", func(o *Outgoing) { o.Headers["message-id"] = "<x@y>" }, "written by Compose"},
		{"attachment name injection", func(o *Outgoing) { o.Attachments[0].Filename = "a\r\nb.pdf" }, "file name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := sampleOutgoing()
			tt.change(&o)
			_, err := Compose(o)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Compose = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestComposeLenientWithOutsideData(t *testing.T) {
	o := sampleOutgoing()
	o.InReplyTo = "20261122093000.ABCDEF" // no "@": seen in real mail
	o.References = []string{"", "20261122093000.ABCDEF"}
	o.Attachments = []Attachment{{ContentType: "application/pdf", Data: []byte("%PDF")}, {Data: []byte{0, 1}}}
	raw, err := Compose(o)
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	m, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.InReplyTo, []string{o.InReplyTo}) || !slices.Equal(m.References, []string{o.InReplyTo}) {
		t.Errorf("In-Reply-To %v References %v, want %q once each", m.InReplyTo, m.References, o.InReplyTo)
	}
	var names []string
	for _, a := range m.Attachments {
		names = append(names, a.Filename+" "+a.ContentType)
	}
	if want := []string{"attachment-1.pdf application/pdf", "attachment-2 application/octet-stream"}; !slices.Equal(names, want) {
		t.Errorf("attachments %q, want %q", names, want)
	}
}

func TestMessageID(t *testing.T) {
	key := []byte("secret of one installation")
	a := MessageID(key, "solleciti@studio.example", "inv-1", "stage1")
	tests := []struct {
		got, want string
		same      bool
	}{
		{MessageID(key, "solleciti@studio.example", "inv-1", "stage1"), a, true},
		{MessageID(key, "studio.example", "inv-1", "stage1"), a, true},
		{MessageID(key, "STUDIO.example", "inv-1", "stage1"), a, true},
		{MessageID(key, "studio.example", "inv-1", "stage2"), a, false},
		{MessageID(key, "studio.example", "inv-1st", "age1"), a, false}, // parts are delimited
		{MessageID(key, "other.example", "inv-1", "stage1"), a, false},
		// another installation, or someone who knows the parts but not the key
		{MessageID([]byte("secret of another"), "studio.example", "inv-1", "stage1"), a, false},
		{MessageID(nil, "studio.example", "inv-1", "stage1"), a, false},
	}
	for i, tt := range tests {
		if (tt.got == tt.want) != tt.same {
			t.Errorf("case %d: %q vs %q, same = %v, want %v", i, tt.got, tt.want, tt.got == tt.want, tt.same)
		}
	}
	if !strings.HasSuffix(a, "@studio.example") || len(a) != 64+len("@studio.example") || checkID(a) != nil {
		t.Errorf("MessageID = %q, want 64 hex digits @studio.example", a)
	}
	if got := MessageID(nil, "", "x"); !strings.HasSuffix(got, "@sollecito.invalid") {
		t.Errorf("MessageID with no domain = %q", got)
	}
}
