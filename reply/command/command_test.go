package command

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
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

		{"aiuto", Command{Verb: Help}},
		{"Help?", Command{Verb: Help}},
		{"comandi per favore", Command{Verb: Help}},
		{"aiuto a capire la fattura", Command{Verb: Unknown}},
		{"help desk 02 1234567", Command{Verb: Unknown}},

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

		{"imposta cliente Neri Costruzioni S.r.l.", Command{Verb: Set, Field: FieldClientName, Text: "Neri Costruzioni S.r.l."}},
		{"Imposta cliente: «Neri Costruzioni S.r.l.»", Command{Verb: Set, Field: FieldClientName, Text: "Neri Costruzioni S.r.l."}},
		{"ok, imposta nome cliente   Il Segnalibro   di Chiara Rossi", Command{Verb: Set, Field: FieldClientName, Text: "Il Segnalibro di Chiara Rossi"}},
		{"imposta ragione sociale Gallo Arredamenti snc <amministrazione@gallo.example>", Command{Verb: Set, Field: FieldClientName, Text: "Gallo Arredamenti snc"}},
		{"set client Neri Costruzioni Ltd", Command{Verb: Set, Field: FieldClientName, Text: "Neri Costruzioni Ltd"}},
		{"set client name to Marchi & Figli snc", Command{Verb: Set, Field: FieldClientName, Text: "Marchi & Figli snc"}},
		{"imposta cliente?", Command{Verb: Unknown}},
		{"imposta cliente", Command{Verb: Unknown}},
		{"imposta cliente 12345", Command{Verb: Unknown}},
		{"set client " + strings.Repeat("x", 121), Command{Verb: Unknown}},
		{"cliente ha pagato ieri", Command{Verb: Unknown}},
		{"Cliente: Neri Costruzioni S.r.l.", Command{Verb: Unknown}},
		{"imposta partita iva 01234567897", Command{Verb: Set, Field: FieldClientVAT, Text: "IT01234567897"}},
		{"imposta p.iva: IT 01234567897", Command{Verb: Set, Field: FieldClientVAT, Text: "IT01234567897"}},
		{"imposta codice fiscale rssmra80a01h501u", Command{Verb: Set, Field: FieldClientVAT, Text: "RSSMRA80A01H501U"}},
		{"set client VAT GB123456789", Command{Verb: Set, Field: FieldClientVAT, Text: "GB123456789"}},
		{"set vat number is IT01234567897.", Command{Verb: Set, Field: FieldClientVAT, Text: "IT01234567897"}},
		{"imposta partita iva 0123", Command{Verb: Unknown}},
		{"P.IVA 01234567897", Command{Verb: Unknown}},
		{"Partita IVA: 01234567897", Command{Verb: Unknown}},
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
		a.Field == b.Field && a.Date.Equal(b.Date) && a.Amount.Equal(b.Amount) && a.Currency == b.Currency &&
		a.Client == b.Client && slices.Equal(a.Days, b.Days) && (a.Days == nil) == (b.Days == nil) && a.Lang == b.Lang
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
	if c.Client != "" {
		b.WriteString(" client=" + c.Client)
	}
	if c.Days != nil {
		b.WriteString(fmt.Sprintf(" days=%v", c.Days))
	}
	if c.Lang != "" {
		b.WriteString(" lang=" + c.Lang)
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
		"pagata in parte 300", "acconto di € 300,00", "partly paid 1,200.50 GBP", "stralcio 600 entro il 20/12",
		"saldo e stralcio a 600 euro", "settle for 600 by 2027-01-15", "stralcia", "write it off", "a perdita",
		"invia diffida", "invia la diffida a rossi@pec.example", "send the notice", "tolleranza 5 giorni per a@b.it",
		"lingua inglese", "language en", "giorni di pagamento 10 e 25", "payment days 10, 25", "payment days none",
		"escludi", "exclude x@y.it", "includi", "tolleranza 999", "giorni di pagamento 0 32", "stralcio",
		"Ciao,\nstralcio 600?\n\nMaria\n-- \nOfficina", "Òk, è stata pagàta in pàrte: 300",
		"imposta cliente Neri Costruzioni S.r.l.", "set client Neri Costruzioni Ltd <a@b.it>", "imposta partita iva IT 01234567897",
		"set client vat 123", "imposta cliente «»", "imposta codice fiscale RSSMRA80A01H501U",
	} {
		f.Add(s)
	}
	_, file, _, _ := runtime.Caller(0)
	corpus := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "corpus") // absent: no corpus seeds, never a skip
	if files, _ := filepath.Glob(filepath.Join(corpus, "replies", "*.eml")); len(files) > 0 {
		for _, p := range files[:min(len(files), 40)] {
			if raw, err := os.ReadFile(p); err == nil {
				f.Add(string(raw))
			}
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, c := range append(ParseAll(text, ref), Parse(text, ref)) {
			switch c.Verb {
			case Paid, Stop, Resume, Status, WriteOff, Exclude, Include:
			case SendNotice:
				if c.Address != "" && !strings.Contains(c.Address, "@") {
					t.Fatalf("bad notice address %q from %q", c.Address, text)
				}
			case PartlyPaid, Settle:
				if !c.Amount.IsPositive() {
					t.Fatalf("%s amount %v from %q", c.Verb, c.Amount, text)
				}
				if !c.Until.IsZero() && (c.Until.Location() != time.UTC || c.Until.Hour() != 0) {
					t.Fatalf("deadline %v from %q", c.Until, text)
				}
			case Tolerance:
				if len(c.Days) != 1 || c.Days[0] < 0 || c.Days[0] > 180 {
					t.Fatalf("tolerance %v from %q", c.Days, text)
				}
			case Language:
				if c.Lang != "it" && c.Lang != "en" {
					t.Fatalf("language %q from %q", c.Lang, text)
				}
			case PaymentDays:
				if c.Days == nil || !slices.IsSorted(c.Days) {
					t.Fatalf("payment days %v from %q", c.Days, text)
				}
				for _, d := range c.Days {
					if d < 1 || d > 31 {
						t.Fatalf("payment day %d from %q", d, text)
					}
				}
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
				case FieldClientName:
					if c.Text == "" || c.Text != strings.TrimSpace(c.Text) || strings.ContainsAny(c.Text, "@\n") || utf8.RuneCountInString(c.Text) > maxClientName {
						t.Fatalf("client name %q from %q", c.Text, text)
					}
				case FieldClientVAT:
					if !vatRe.MatchString(c.Text) {
						t.Fatalf("client VAT %q from %q", c.Text, text)
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

// TestParseCase covers the answers to a stage-4 case file, partial payments
// and per-client settings, in both languages.
func TestParseCase(t *testing.T) {
	eur := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	tests := []struct {
		text string
		want Command
	}{
		{"pagata in parte 300", Command{Verb: PartlyPaid, Amount: eur("300")}},
		{"Pagata in parte: € 300,00", Command{Verb: PartlyPaid, Amount: eur("300"), Currency: "EUR"}},
		{"è stata pagata parzialmente 450,50", Command{Verb: PartlyPaid, Amount: eur("450.5")}},
		{"acconto di € 300,00", Command{Verb: PartlyPaid, Amount: eur("300"), Currency: "EUR"}},
		{"Ricevuto un acconto di 1.000 euro", Command{Verb: PartlyPaid, Amount: eur("1000"), Currency: "EUR"}},
		{"pagamento parziale 200", Command{Verb: PartlyPaid, Amount: eur("200")}},
		{"partly paid 300", Command{Verb: PartlyPaid, Amount: eur("300")}},
		{"Partially paid: £1,200.50", Command{Verb: PartlyPaid, Amount: eur("1200.5"), Currency: "GBP"}},
		{"part payment of 99.90 EUR", Command{Verb: PartlyPaid, Amount: eur("99.9"), Currency: "EUR"}},
		{"pagata in parte", Command{Verb: Unknown}},
		{"pagata in parte?", Command{Verb: Unknown}},
		{"acconto", Command{Verb: Unknown}},

		{"stralcio 600", Command{Verb: Settle, Amount: eur("600")}},
		{"Saldo e stralcio a 600 euro", Command{Verb: Settle, Amount: eur("600"), Currency: "EUR"}},
		{"saldo a stralcio € 750,00 entro il 20/12", Command{Verb: Settle, Amount: eur("750"), Currency: "EUR", Until: d("2026-12-20")}},
		{"proponi stralcio 600 entro il 15 gennaio", Command{Verb: Settle, Amount: eur("600"), Until: d("2027-01-15")}},
		{"settle 600", Command{Verb: Settle, Amount: eur("600")}},
		{"Settle for £600 by 2027-01-15", Command{Verb: Settle, Amount: eur("600"), Currency: "GBP", Until: d("2027-01-15")}},
		{"offer settlement 500", Command{Verb: Settle, Amount: eur("500")}},
		{"offer a settlement of 500", Command{Verb: Settle, Amount: eur("500")}},
		{"stralcio", Command{Verb: Unknown}},
		{"stralcio 600?", Command{Verb: Unknown}},

		{"stralcia", Command{Verb: WriteOff}},
		{"Stralciala.", Command{Verb: WriteOff}},
		{"passa a perdita", Command{Verb: WriteOff}},
		{"a perdita, grazie", Command{Verb: WriteOff}},
		{"write off", Command{Verb: WriteOff}},
		{"Write it off please", Command{Verb: WriteOff}},
		{"write-off", Command{Verb: WriteOff}},
		{"write off? not yet", Command{Verb: Unknown}},
		{"stralcia no", Command{Verb: Unknown}},

		{"invia diffida", Command{Verb: SendNotice}},
		{"Invia la diffida!", Command{Verb: SendNotice}},
		{"ok, manda la diffida", Command{Verb: SendNotice}},
		{"invia la diffida a neri@pec.neri.example", Command{Verb: SendNotice, Address: "neri@pec.neri.example"}},
		{"diffida", Command{Verb: SendNotice}},
		{"send notice", Command{Verb: SendNotice}},
		{"Please send the letter before action", Command{Verb: SendNotice}},
		{"send the notice to legal@acme.example", Command{Verb: SendNotice, Address: "legal@acme.example"}},
		{"invia diffida?", Command{Verb: Unknown}},
		{"diffida no, aspettiamo", Command{Verb: Unknown}},
		{"Diffida ad adempiere - fattura n. 241/2026", Command{Verb: Unknown}},
		{"diffida a neri@pec.neri.example", Command{Verb: SendNotice, Address: "neri@pec.neri.example"}},

		{"tolleranza 5", Command{Verb: Tolerance, Days: []int{5}}},
		{"Tolleranza: 5 giorni", Command{Verb: Tolerance, Days: []int{5}}},
		{"tolleranza di 10 giorni per Rossi2@Rossi.example", Command{Verb: Tolerance, Days: []int{10}, Client: "rossi2@rossi.example"}},
		{"tolerance 0", Command{Verb: Tolerance, Days: []int{0}}},
		{"tolerance 7 days for ap@acme.example", Command{Verb: Tolerance, Days: []int{7}, Client: "ap@acme.example"}},
		{"tolleranza", Command{Verb: Unknown}},
		{"tolleranza 500", Command{Verb: Unknown}},
		{"tolleranza 5 o 6", Command{Verb: Unknown}},

		{"lingua en", Command{Verb: Language, Lang: "en"}},
		{"Lingua: inglese", Command{Verb: Language, Lang: "en"}},
		{"scrivi in italiano a ap@acme.example", Command{Verb: Language, Lang: "it", Client: "ap@acme.example"}},
		{"language it", Command{Verb: Language, Lang: "it"}},
		{"Write in English", Command{Verb: Language, Lang: "en"}},
		{"lingua tedesco", Command{Verb: Unknown}},

		{"giorni di pagamento 10 25", Command{Verb: PaymentDays, Days: []int{10, 25}}},
		{"Giorni di pagamento: il 25 e il 10", Command{Verb: PaymentDays, Days: []int{10, 25}}},
		{"payment days 10, 25", Command{Verb: PaymentDays, Days: []int{10, 25}}},
		{"payment days 15 for ap@acme.example", Command{Verb: PaymentDays, Days: []int{15}, Client: "ap@acme.example"}},
		{"giorni di pagamento nessuno", Command{Verb: PaymentDays, Days: []int{}}},
		{"payment days: none", Command{Verb: PaymentDays, Days: []int{}}},
		{"giorni di pagamento 0 32", Command{Verb: Unknown}},
		{"giorni di pagamento", Command{Verb: Unknown}},

		{"escludi", Command{Verb: Exclude}},
		{"Escludi amministrazione@rossi.example", Command{Verb: Exclude, Client: "amministrazione@rossi.example"}},
		{"exclude", Command{Verb: Exclude}},
		{"exclude? no", Command{Verb: Unknown}},
		{"includi", Command{Verb: Include}},
		{"include ap@acme.example", Command{Verb: Include, Client: "ap@acme.example"}},
	}
	for _, tt := range tests {
		got := Parse(tt.text, ref)
		if !same(got, tt.want) {
			t.Errorf("Parse(%q) = %s, want %s", tt.text, show(got), show(tt.want))
		}
	}
}

// TestParseOwnerMails reads whole owner mails as mail clients write them:
// a greeting, the command among other words, a signature, a disclaimer and
// the bot's message quoted below.
func TestParseOwnerMails(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []Command
	}{
		{"gmail, italian, case file answered", "Ciao,\n\nok, invia la diffida.\n\nGrazie\nMaria\n\n" +
			"Il giorno lun 14 dic 2026 alle ore 10:00 Sollecito <solleciti@officina.example> ha scritto:\n" +
			"> Pratica da decidere: Neri Costruzioni\n> - stralcio 600\n> - pagata\n",
			[]Command{{Verb: SendNotice}}},
		{"outlook, english, settlement with deadline", "Hi,\r\nSettle for 600 by 2027-01-15.\r\n\r\nKind regards,\r\nEmma\r\n" +
			"________________________________\r\nFrom: Sollecito <bot@x.example>\r\nSent: Monday, December 14, 2026 10:00\r\n" +
			"Subject: Case to decide\r\n\r\nwrite off\r\n",
			[]Command{{Verb: Settle, Amount: decimal.RequireFromString("600"), Until: d("2027-01-15")}}},
		{"apple mail, partial payment and a note", "Buongiorno,\nè arrivato un acconto di € 300,00\n\n" +
			"Pagata in parte 300\nnota il resto a fine mese, ha detto il titolare\n\nInviato da iPhone\n\n" +
			"> Il giorno 14 dic 2026, alle ore 10:00, Sollecito ha scritto:\n> pagata\n",
			[]Command{{Verb: PartlyPaid, Amount: decimal.RequireFromString("300")},
				{Verb: Note, Text: "il resto a fine mese, ha detto il titolare"}}},
		{"client settings with a signature", "TOLLERANZA 5 GIORNI\ngiorni di pagamento 10 e 25\nlingua inglese\n" +
			"-- \nMaria Bianchi\nOfficina Bianchi · tolleranza zero per gli errori\n",
			[]Command{{Verb: Tolerance, Days: []int{5}}, {Verb: PaymentDays, Days: []int{10, 25}}, {Verb: Language, Lang: "en"}}},
		{"write off with accents and a disclaimer", "Sì, a perdita.\nMeglio così.\n\nMaria\n\n" +
			"Questo messaggio è riservato. Se lo ha ricevuto per errore, lo cancelli.\n",
			[]Command{{Verb: WriteOff}}},
		{"exclude a client named by address", "escludi <amministrazione@vecchiaditta.example>, non pagano mai\n",
			[]Command{{Verb: Exclude, Client: "amministrazione@vecchiaditta.example"}}},
	}
	for _, tt := range tests {
		got := ParseAll(tt.text, ref)
		ok := len(got) == len(tt.want)
		for i := 0; ok && i < len(got); i++ {
			ok = same(got[i], tt.want[i])
		}
		if !ok {
			var g, w []string
			for _, c := range got {
				g = append(g, show(c))
			}
			for _, c := range tt.want {
				w = append(w, show(c))
			}
			t.Errorf("%s: ParseAll = %q, want %q", tt.name, g, w)
		}
	}
}
