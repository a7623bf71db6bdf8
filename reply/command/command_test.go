package command

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/sollecito/sollecito/mailbox"
)

// ref is the date owner mails are read against: Sunday 22 November 2026, Rome.
var ref = time.Date(2026, 11, 22, 15, 4, 0, 0, time.FixedZone("CET", 3600))

func d(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParse(t *testing.T) {
	tests := []struct {
		text string
		want Command
	}{
		{"pagata", Command{Verb: Paid}},
		{"Pagato.", Command{Verb: Paid}},
		{"PAID", Command{Verb: Paid}},
		{"Ok, la fattura è stata pagata ieri", Command{Verb: Paid}},
		{"è stato pagato", Command{Verb: Paid}},
		{"The invoice has been paid, thanks", Command{Verb: Paid}},
		{"saldata", Command{Verb: Paid}},
		{"non pagata", Command{Verb: Unknown}},
		{"pagata? non ancora", Command{Verb: Unknown}},
		{"paid? not yet", Command{Verb: Unknown}},
		{"not paid", Command{Verb: Unknown}},

		{"pausa fino al 15/01", Command{Verb: Pause, Until: d("2027-01-15")}},
		{"pausa fino al 15/01/2027", Command{Verb: Pause, Until: d("2027-01-15")}},
		{"Pausa fino al 30/11", Command{Verb: Pause, Until: d("2026-11-30")}},
		{"pausa fino al 22/11", Command{Verb: Pause, Until: d("2026-11-22")}}, // on or after ref
		{"pausa fino al 21/11", Command{Verb: Pause, Until: d("2027-11-21")}},
		{"pause until 2027-01-15", Command{Verb: Pause, Until: d("2027-01-15")}},
		{"pause until January 15", Command{Verb: Pause, Until: d("2027-01-15")}},
		{"pause until Jan 15th, 2028", Command{Verb: Pause, Until: d("2028-01-15")}},
		{"metti in pausa fino al 15 gennaio", Command{Verb: Pause, Until: d("2027-01-15")}},
		{"sospendi fino al 7 dicembre 2026", Command{Verb: Pause, Until: d("2026-12-07")}},
		{"pausa fino al 29/02", Command{Verb: Pause, Until: d("2028-02-29")}},
		{"pausa per 2 settimane", Command{Verb: Pause, Until: d("2026-12-06")}},
		{"pause for 10 days", Command{Verb: Pause, Until: d("2026-12-02")}},
		{"pausa un mese", Command{Verb: Pause, Until: d("2026-12-22")}},
		{"pausa fino a lunedì", Command{Verb: Pause, Until: d("2026-11-23")}},
		{"pause until tomorrow", Command{Verb: Pause, Until: d("2026-11-23")}},
		{"pause until 01/15/2027", Command{Verb: Pause, Until: d("2027-01-15")}}, // month/day only when day/month is impossible
		{"pausa", Command{Verb: Unknown}},
		{"pausa fino al 32/13", Command{Verb: Unknown}},

		{"stop", Command{Verb: Stop}},
		{"Stop.", Command{Verb: Stop}},
		{"basta solleciti", Command{Verb: Stop}},
		{"non sollecitare più questo cliente", Command{Verb: Stop}},
		{"don't chase them", Command{Verb: Stop}},
		{"stop?", Command{Verb: Unknown}},

		{"riprendi", Command{Verb: Resume}},
		{"Resume", Command{Verb: Resume}},
		{"per favore riprendi i solleciti", Command{Verb: Resume}},

		{"nota: ha chiamato, paga a gennaio", Command{Verb: Note, Text: "ha chiamato, paga a gennaio"}},
		{"Note spoke to Anna", Command{Verb: Note, Text: "spoke to Anna"}},
		{"nota", Command{Verb: Unknown}},

		{"contatto Anna.Verdi@Rossi.example", Command{Verb: Contact, Address: "anna.verdi@rossi.example"}},
		{"contact: billing@acme.example please", Command{Verb: Contact, Address: "billing@acme.example"}},
		{"nuovo contatto <conta@x.example>", Command{Verb: Contact, Address: "conta@x.example"}},
		{"contatto Anna", Command{Verb: Unknown}},

		{"stato", Command{Verb: Status}},
		{"status?", Command{Verb: Status}},

		{"scadenza 31/12/2026", Command{Verb: Set, Field: FieldDueDate, Date: d("2026-12-31")}},
		{"Scadenza: il 31/12", Command{Verb: Set, Field: FieldDueDate, Date: d("2026-12-31")}},
		{"data scadenza 15.01.2027", Command{Verb: Set, Field: FieldDueDate, Date: d("2027-01-15")}},
		{"due 2026-12-31", Command{Verb: Set, Field: FieldDueDate, Date: d("2026-12-31")}},
		{"due date: December 31, 2026", Command{Verb: Set, Field: FieldDueDate, Date: d("2026-12-31")}},
		{"scadenza 31/02/2027", Command{Verb: Unknown}},
		{"due settimane di pausa", Command{Verb: Unknown}}, // Italian "due" is two

		{"importo 1.220,00", Command{Verb: Set, Field: FieldAmount, Amount: decimal.RequireFromString("1220")}},
		{"importo € 1.220,50", Command{Verb: Set, Field: FieldAmount, Amount: decimal.RequireFromString("1220.5"), Currency: "EUR"}},
		{"amount 1,220.00 EUR", Command{Verb: Set, Field: FieldAmount, Amount: decimal.RequireFromString("1220"), Currency: "EUR"}},
		{"amount $500", Command{Verb: Set, Field: FieldAmount, Amount: decimal.RequireFromString("500"), Currency: "USD"}},
		{"importo 1.220", Command{Verb: Set, Field: FieldAmount, Amount: decimal.RequireFromString("1220")}},
		{"importo 99,9 euro", Command{Verb: Set, Field: FieldAmount, Amount: decimal.RequireFromString("99.9"), Currency: "EUR"}},
		{"importo 1.234.567,89", Command{Verb: Set, Field: FieldAmount, Amount: decimal.RequireFromString("1234567.89")}},
		{"totale 12'500.00 CHF", Command{Verb: Set, Field: FieldAmount, Amount: decimal.RequireFromString("12500"), Currency: "CHF"}},
		{"importo 0", Command{Verb: Unknown}},
		{"importo da definire", Command{Verb: Unknown}},

		{"numero 2026/12", Command{Verb: Set, Field: FieldNumber, Text: "2026/12"}},
		{"numero fattura: 2026/12.", Command{Verb: Set, Field: FieldNumber, Text: "2026/12"}},
		{"number INV-0098", Command{Verb: Set, Field: FieldNumber, Text: "INV-0098"}},
		{"invoice number #45", Command{Verb: Set, Field: FieldNumber, Text: "45"}},
		{"numero n. 7", Command{Verb: Set, Field: FieldNumber, Text: "7"}},

		{"data 03/11/2026", Command{Verb: Set, Field: FieldIssueDate, Date: d("2026-11-03")}},
		{"data fattura 3 novembre 2026", Command{Verb: Set, Field: FieldIssueDate, Date: d("2026-11-03")}},
		{"issued 2026-11-03", Command{Verb: Set, Field: FieldIssueDate, Date: d("2026-11-03")}},
		{"data 03/11", Command{Verb: Set, Field: FieldIssueDate, Date: d("2026-11-03")}},   // an issue date looks back
		{"issued Dec 3", Command{Verb: Set, Field: FieldIssueDate, Date: d("2025-12-03")}}, // the last 3 December

		{"", Command{Verb: Unknown}},
		{"Grazie mille!", Command{Verb: Unknown}},
		{"Ciao,\n\npagata\n\nMaria", Command{Verb: Paid}},
		{"- stop", Command{Verb: Stop}},
		{"> pagata\nstop", Command{Verb: Unknown}}, // reading stops at the quote
		{"Va bene.\n\nIl giorno lun 23 nov 2026 alle 10:00 Sollecito <bot@x.example> ha scritto:\n> pagata", Command{Verb: Unknown}},
		{"riprendi\n\nOn Mon, Nov 23, 2026 at 10:00 AM Bot <bot@x.example> wrote:\n> stop", Command{Verb: Resume}},
		{"stop\n-- \nMaria Bianchi\nStudio Bianchi", Command{Verb: Stop}},
		{"Maria\n-- \nnota firma", Command{Verb: Unknown}},
	}
	for _, tt := range tests {
		got := Parse(tt.text, ref)
		if !same(got, tt.want) {
			t.Errorf("Parse(%q) = %s, want %s", tt.text, show(got), show(tt.want))
		}
	}
}

func same(a, b Command) bool {
	return a.Verb == b.Verb && a.Until.Equal(b.Until) && a.Text == b.Text && a.Address == b.Address &&
		a.Field == b.Field && a.Date.Equal(b.Date) && a.Amount.Equal(b.Amount) && a.Currency == b.Currency
}

func show(c Command) string {
	var b strings.Builder
	b.WriteString(string(c.Verb))
	if !c.Until.IsZero() {
		b.WriteString(" until=" + c.Until.Format("2006-01-02"))
	}
	if c.Text != "" {
		b.WriteString(" text=" + c.Text)
	}
	if c.Address != "" {
		b.WriteString(" address=" + c.Address)
	}
	if c.Field != "" {
		b.WriteString(" field=" + c.Field)
	}
	if !c.Date.IsZero() {
		b.WriteString(" date=" + c.Date.Format("2006-01-02"))
	}
	if !c.Amount.IsZero() {
		b.WriteString(" amount=" + c.Amount.String() + " " + c.Currency)
	}
	return b.String()
}

func TestParseAll(t *testing.T) {
	text := "Ciao,\r\necco i dati:\r\nnumero 2026/12\r\ndata 03/11/2026\r\nscadenza 31/12/2026\r\nimporto 1.220,00 €\r\nnota il cliente paga\r\nsempre in ritardo\r\n\r\nMaria\r\n\r\n> Manca: importo, scadenza\r\n> importo 5\r\n"
	want := []Command{
		{Verb: Set, Field: FieldNumber, Text: "2026/12"},
		{Verb: Set, Field: FieldIssueDate, Date: d("2026-11-03")},
		{Verb: Set, Field: FieldDueDate, Date: d("2026-12-31")},
		{Verb: Set, Field: FieldAmount, Amount: decimal.RequireFromString("1220"), Currency: "EUR"},
		{Verb: Note, Text: "il cliente paga\nsempre in ritardo"},
	}
	got := ParseAll(text, ref)
	if len(got) != len(want) {
		var s []string
		for _, c := range got {
			s = append(s, show(c))
		}
		t.Fatalf("ParseAll = %v, want %d commands", s, len(want))
	}
	for i := range want {
		if !same(got[i], want[i]) {
			t.Errorf("command %d = %s, want %s", i, show(got[i]), show(want[i]))
		}
	}
	if got := ParseAll("grazie", ref); len(got) != 0 {
		t.Errorf("ParseAll(no command) = %v, want none", got)
	}
}

// corpusDir returns the shared corpus, relative to this package.
func corpusDir(tb testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("corpus not found at %s: %v", dir, err)
	}
	return dir
}

// TestParseClientMail checks that mail clients write (the corpus replies:
// promises, disputes, thanks) seldom reads as an owner command, and never
// panics. It is a measure, not a rule: a client never writes to the owner
// command address.
func TestParseClientMail(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir(t), "replies", "*.eml"))
	if len(files) == 0 {
		t.Skip("no corpus replies")
	}
	understood := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := mailbox.Parse(raw)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if c := Parse(m.Body(), ref); c.Verb != Unknown {
			understood++
			t.Logf("%s: %s", filepath.Base(f), show(c))
		}
	}
	t.Logf("%d of %d client replies read as a command", understood, len(files))
	if understood*10 > len(files) {
		t.Errorf("%d of %d client replies read as owner commands: the parser is too loose", understood, len(files))
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"pagata", "pausa fino al 15/01", "pause until 2027-01-15", "stop", "riprendi", "nota ciao",
		"contatto a@b.it", "scadenza 31/12/2026", "importo 1.220,00", "amount 1,220.00 EUR", "numero 2026/12",
		"data 03/11/2026", "issued Dec 3", "pausa per 2 settimane", "importo 1.2.3,4,5", "29/02", "\xff\xfe",
	} {
		f.Add(s)
	}
	if files, _ := filepath.Glob(filepath.Join(corpusDir(f), "replies", "*.eml")); len(files) > 0 {
		for _, p := range files[:min(len(files), 40)] {
			if raw, err := os.ReadFile(p); err == nil {
				f.Add(string(raw))
			}
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, c := range append(ParseAll(text, ref), Parse(text, ref)) {
			switch c.Verb {
			case Paid, Stop, Resume, Status:
			case Pause:
				if c.Until.IsZero() {
					t.Fatalf("pause without a date from %q", text)
				}
			case Note:
				if c.Text == "" {
					t.Fatalf("empty note from %q", text)
				}
			case Contact:
				if !strings.Contains(c.Address, "@") || c.Address != strings.ToLower(c.Address) {
					t.Fatalf("bad address %q from %q", c.Address, text)
				}
			case Set:
				switch c.Field {
				case FieldNumber:
					if c.Text == "" {
						t.Fatalf("empty number from %q", text)
					}
				case FieldAmount:
					if !c.Amount.IsPositive() {
						t.Fatalf("amount %v from %q", c.Amount, text)
					}
				case FieldDueDate, FieldIssueDate:
					if c.Date.IsZero() || c.Date.Location() != time.UTC || c.Date.Hour() != 0 {
						t.Fatalf("date %v from %q", c.Date, text)
					}
				default:
					t.Fatalf("field %q from %q", c.Field, text)
				}
			case Unknown:
			default:
				t.Fatalf("verb %q from %q", c.Verb, text)
			}
			if utf8.ValidString(text) && !utf8.ValidString(c.Text) {
				t.Fatalf("invalid UTF-8 text from valid input %q", text)
			}
		}
	})
}

func TestParseProse(t *testing.T) {
	for _, text := range []string{
		"Please note that our offices are closed until Monday.",
		"Nota che la fattura è sbagliata",
		"Status: 5.1.1",
		"Date: Thu, 12 Nov 2026 08:19:54 +0100",
		"Importo da saldare: € 793,00",
		"Stato della pratica: in lavorazione presso il nostro ufficio",
	} {
		if c := Parse(text, ref); c.Verb != Unknown {
			t.Errorf("Parse(%q) = %s, want unknown", text, show(c))
		}
	}
}

// TestParseAllQuoted checks that fields in a quoted reminder never count as
// the owner's answers, whatever the mail client's quoting style.
func TestParseAllQuoted(t *testing.T) {
	for _, quote := range []string{
		"From: Sollecito\nSent: Monday, November 23, 2026 10:00\nTo: Maria\nSubject: manca la scadenza\n",
		"Da: Sollecito\nInviato: lunedì 23 novembre 2026 10:00\n",
		"________________________________\nDa: Sollecito <bot@x.example>\n",
		"On Mon, Nov 23, 2026 at 10:00 AM Sollecito <bot@x.example>\nwrote:\n",
		"Il giorno lun 23 nov 2026 alle ore 10:00 Sollecito <\nbot@x.example> ha scritto:\n",
		"-----Original Message-----\n",
	} {
		text := "importo 1.220,00\n\n" + quote + "\nScadenza: 03/12/2026\nImporto: 5,00\nStop\n"
		got := ParseAll(text, ref)
		if len(got) != 1 || got[0].Field != FieldAmount {
			var s []string
			for _, c := range got {
				s = append(s, show(c))
			}
			t.Errorf("quote %q: ParseAll = %v, want only the amount", quote, s)
		}
	}
}
