package invoice

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sollecito/sollecito/mailbox"
)

// corpusMails returns the raw invoice mails of the shared corpus, for seeds.
func corpusMails(t testing.TB) [][]byte {
	_, file, _, _ := runtime.Caller(0)
	files, _ := filepath.Glob(filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "corpus", "invoices", "*.eml"))
	var out [][]byte
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil {
			out = append(out, b)
		}
	}
	return out
}

// corpusAttachments returns the attachments of the corpus mails whose name ends in suffix.
func corpusAttachments(t testing.TB, suffix string) [][]byte {
	var out [][]byte
	for _, raw := range corpusMails(t) {
		m, err := mailbox.Parse(raw)
		if err != nil {
			continue
		}
		for _, a := range m.Attachments {
			if strings.HasSuffix(strings.ToLower(a.Filename), suffix) {
				out = append(out, a.Data)
			}
		}
	}
	return out
}

func FuzzParseFatturaPA(f *testing.F) {
	for _, x := range corpusAttachments(f, ".xml") {
		f.Add(x)
	}
	f.Add(readTestdata(f, "IT01234567890_0RATE.xml"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := parseFatturaPA(data)
		if err != nil {
			return
		}
		if r.HasAmount && len(r.Instalments) > 0 {
			sum := r.Instalments[0].Amount
			for _, in := range r.Instalments[1:] {
				sum = sum.Add(in.Amount)
			}
			if !sum.Equal(r.Amount) {
				t.Errorf("amount %s is not the sum of instalments %s", r.Amount, sum)
			}
			if !r.DueDate.Equal(r.Instalments[0].DueDate) {
				t.Errorf("due date %v is not the first instalment's %v", r.DueDate, r.Instalments[0].DueDate)
			}
		}
		if r.IBAN != "" && ValidIBAN(r.IBAN) != nil {
			t.Errorf("invalid IBAN %q returned", r.IBAN)
		}
	})
}

func FuzzUnwrapP7M(f *testing.F) {
	for _, n := range []string{"IT01234567890_0RATE.xml.p7m", "IT01234567890_0RATE_ber.xml.p7m", "IT01234567890_0RATE_pem.xml.p7m"} {
		f.Add(readTestdata(f, n))
	}
	f.Add([]byte{0x30, 0x80, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0, 0x80, 0x00, 0x00, 0x00, 0x00})
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := unwrapP7M(data)
		if err == nil && len(out) > len(data)*2+16 {
			t.Errorf("content of %d bytes from %d bytes of input", len(out), len(data))
		}
	})
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"€ 1.220,00", "EUR 1,220.00", "1.220,00 euro", "£950.00", "1.037 euro", "$2,310.00", "-5", "12,500", "1.22.00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, cur, err := ParseAmount(s)
		if err != nil {
			return
		}
		if cur != "" && cur != "EUR" && cur != "GBP" && cur != "USD" && cur != "CHF" {
			t.Errorf("ParseAmount(%q) currency %q", s, cur)
		}
		if d.Exponent() < -2 {
			t.Errorf("ParseAmount(%q) = %s, more than two decimals", s, d)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"05/02/2027", "2027-02-05", "1° marzo 2027", "3rd December 2026", "March 1, 2027", "01/27/2027", "29 febbraio 2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Year() < 1900 || d.Year() > 2200 {
			t.Errorf("ParseDate(%q) = %v", s, d)
		}
	})
}

func FuzzExtract(f *testing.F) {
	for _, raw := range corpusMails(f) {
		f.Add(raw)
	}
	f.Add(buildMail("Fattura n. 1", "Totale € 1,00"))
	f.Add(buildMail("Fattura n. 2", "Spett.le Neri Costruzioni S.r.l., P.IVA 01234567897\nCliente: Neri\nBill to: \"Neri\" <a@b.c>\nTotale € 1,00"))
	f.Add(buildMail("Fattura n. 3", "Intestatario: Amministrazione\nSpett.le\nTotale € 1,00", attachment{"x.xml", "application/xml",
		fpXML(`<IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>01234567897</IdCodice></IdFiscaleIVA><Anagrafica><Nome>Anna</Nome><Cognome>Neri</Cognome></Anagrafica>`)}))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := mailbox.Parse(raw)
		if m == nil || err != nil && len(raw) > mailbox.MaxMessageSize {
			return
		}
		fl := Extract(m, Options{Own: []string{"solleciti@example.com"}})
		missing := strings.Join(fl.Missing, ",")
		if fl.Number == "" != strings.Contains(missing, FieldNumber) ||
			fl.DueDate.IsZero() != strings.Contains(missing, FieldDueDate) ||
			!fl.HasAmount != strings.Contains(missing, FieldAmount) {
			t.Errorf("Missing %v does not match the fields %+v", fl.Missing, fl)
		}
		if !fl.HasAmount && (fl.Currency != "" || !fl.Amount.IsZero()) {
			t.Errorf("no amount but currency %q amount %s", fl.Currency, fl.Amount)
		}
		if fl.IBAN != "" && ValidIBAN(fl.IBAN) != nil {
			t.Errorf("invalid IBAN %q returned", fl.IBAN)
		}
		if n := fl.ClientName; n != "" && (strings.ContainsAny(n, "@\n\r\t") || utf8.RuneCountInString(n) > maxNameLen || n != strings.TrimSpace(n)) {
			t.Errorf("client name %q is not a tidy name", n)
		}
		if fl.ClientVAT != "" && !plausibleCode(strings.ToUpper(fl.ClientVAT)) {
			t.Errorf("client VAT %q is not a code", fl.ClientVAT)
		}
	})
}

// FuzzAmountSearchFrom: starting amountRe where amountSearchFrom says finds
// the same leftmost match as starting it at i.
func FuzzAmountSearchFrom(f *testing.F) {
	for _, s := range []string{"Totale € 1.220,00", "1 220,00 EUR", "A123 €", "neuro 12 euro", "è€ 5", "x\u00a01\u00a0220,50 €",
		"12 £2,380.00", "US$ 40", "-12,5 usd", "chf12", "€€€ 1", "importo: 1.000\t\nEUR"} {
		f.Add(s, 0)
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, text string, i int) {
		if i < 0 || i > len(text) {
			return
		}
		want := amountRe.FindStringSubmatchIndex(text[i:])
		from := amountSearchFrom(text, i)
		if from < 0 {
			if want != nil {
				t.Fatalf("%q from %d: no marker said, but %v matches", text, i, want)
			}
			return
		}
		if from < i {
			t.Fatalf("%q from %d: search from %d", text, i, from)
		}
		got := amountRe.FindStringSubmatchIndex(text[from:])
		if (want == nil) != (got == nil) {
			t.Fatalf("%q from %d (search %d): got %v, want %v", text, i, from, got, want)
		}
		for k := range want {
			w, g := want[k], got[k]
			if w >= 0 {
				w += i
			}
			if g >= 0 {
				g += from
			}
			if w != g {
				t.Fatalf("%q from %d (search %d): group %d at %d, want %d", text, i, from, k/2, g, w)
			}
		}
	})
}

// FuzzWrittenDates: the month-name scanner finds exactly the matches the
// two patterns find over the whole text.
func FuzzWrittenDates(f *testing.F) {
	for _, s := range []string{"29 march 2027", "1° marzo 2027, poi 3rd of december", "march 1, 2027 e dec 15th 2026",
		"12 15 marzo", "proof of 15 march", "x3 marzo", "marzo3 aprile 4", "1º  \n\tdicembre\n2026", "sept 30 sep 1 set 2",
		"the 3rd of   of march", "of march 5", "_1 may 2", "31/12 e 1 gennaio", "é1 marzo", "may may 5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		lower := asciiLower(text)
		dmy, mdy := writtenDates(lower)
		for _, c := range []struct {
			name      string
			got, want [][]int
		}{{"dmy", dmy, dmyRe.FindAllStringSubmatchIndex(lower, -1)}, {"mdy", mdy, mdyRe.FindAllStringSubmatchIndex(lower, -1)}} {
			if len(c.got) != len(c.want) {
				t.Fatalf("%q: %s matches %v, want %v", text, c.name, c.got, c.want)
			}
			for i := range c.want {
				if !slices.Equal(c.got[i], c.want[i]) {
					t.Fatalf("%q: %s match %d is %v, want %v", text, c.name, i, c.got[i], c.want[i])
				}
			}
		}
	})
}

// FuzzNumberMatches: the word scanner finds exactly the matches numberRe
// finds over the whole text.
func FuzzNumberMatches(f *testing.F) {
	for _, s := range []string{"Fattura n. 12/2026 del 3/11", "INVOICE #INV-0098", "fatt.123 e nota di credito n. 4", "xfattura 1",
		"Rechnung Nr. 2026-0311", "Numero: 54 Data", "deposit invoice no.: MV26-D014", "depoſit invoice 12", "documento 7, documento 8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, want := numberMatches(text), numberRe.FindAllStringSubmatchIndex(text, -1)
		if len(got) != len(want) {
			t.Fatalf("%q: matches %v, want %v", text, got, want)
		}
		for i := range want {
			if !slices.Equal(got[i], want[i]) {
				t.Fatalf("%q: match %d is %v, want %v", text, i, got[i], want[i])
			}
		}
	})
}
