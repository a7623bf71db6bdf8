package invoice

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"
	"github.com/sollecito/sollecito/mailbox"
)

type attachment struct {
	name, ctype string
	data        []byte
}

// buildMail writes an invoice email from the owner to a client with the bot in Cc.
func buildMail(subject, body string, atts ...attachment) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: Maria Bianchi <maria@bianchi.example>\r\nTo: Amministrazione <AMMINISTRAZIONE@cliente.example>\r\n")
	fmt.Fprintf(&b, "Cc: solleciti@bianchi.example\r\nDate: Tue, 03 Nov 2026 10:00:00 +0100\r\nSubject: %s\r\nMIME-Version: 1.0\r\n", subject)
	if len(atts) == 0 {
		fmt.Fprintf(&b, "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", body)
		return b.Bytes()
	}
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", body)
	for _, a := range atts {
		fmt.Fprintf(&b, "--XX\r\nContent-Type: %s; name=%q\r\nContent-Disposition: attachment; filename=%q\r\nContent-Transfer-Encoding: base64\r\n\r\n", a.ctype, a.name, a.name)
		enc := base64.StdEncoding.EncodeToString(a.data)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n")
	}
	b.WriteString("--XX--\r\n")
	return b.Bytes()
}

func parseMail(t testing.TB, raw []byte) *mailbox.Message {
	t.Helper()
	m, err := mailbox.Parse(raw)
	if err != nil {
		t.Fatalf("parse mail: %v", err)
	}
	return m
}

var testOptions = Options{Own: []string{"solleciti@bianchi.example"}}

// makePDF draws lines of text as fpdf does for a courtesy copy, one cell a line.
func makePDF(t testing.TB, lines ...string) []byte {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	p.AddPage()
	p.SetFont("Helvetica", "", 11)
	tr := p.UnicodeTranslatorFromDescriptor("")
	for _, l := range lines {
		// Columns: a description and an amount far to the right on the same line.
		if desc, amt, ok := strings.Cut(l, "\t"); ok {
			p.CellFormat(120, 8, tr(desc), "", 0, "L", false, 0, "")
			p.CellFormat(50, 8, tr(amt), "", 1, "R", false, 0, "")
			continue
		}
		p.CellFormat(170, 8, tr(l), "", 1, "L", false, 0, "")
	}
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		t.Fatalf("make pdf: %v", err)
	}
	return b.Bytes()
}

func fieldsSummary(f Fields) map[string]string {
	d := func(t interface {
		IsZero() bool
		Format(string) string
	}) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02")
	}
	amt := ""
	if f.HasAmount {
		amt = f.Amount.StringFixed(2)
	}
	client := ""
	if len(f.ClientEmails) > 0 {
		client = f.ClientEmails[0]
	}
	return map[string]string{"number": f.Number, "issue_date": d(f.IssueDate), "due_date": d(f.DueDate),
		"amount": amt, "currency": f.Currency, "client_email": client}
}
