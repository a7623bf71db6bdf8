package templates

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/policy"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func mustNew(t *testing.T, dir string) *Set {
	t.Helper()
	s, err := New(dir)
	if err != nil {
		t.Fatalf("New(%q): %v", dir, err)
	}
	return s
}

// TestGolden renders every template in every language with the sample data
// and compares with testdata/golden/LANG/NAME.txt (go test -update rewrites).
func TestGolden(t *testing.T) {
	s := mustNew(t, "")
	for _, lang := range Languages {
		for _, name := range Names() {
			m, err := s.Render(name, lang, sampleFor(name))
			if err != nil {
				t.Errorf("%s/%s: %v", lang, name, err)
				continue
			}
			golden(t, filepath.Join("testdata", "golden", lang, string(name)+".txt"), "Subject: "+m.Subject+"\n\n"+m.Text)
		}
	}
}

// golden compares got with the file, or rewrites the file with -update.
func golden(t *testing.T, file, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file; got:\n%s", file, got)
	}
}

// TestContent checks, for every template and language, what the design
// requires each message to carry.
func TestContent(t *testing.T) {
	s := mustNew(t, "")
	for _, lang := range Languages {
		for _, name := range Names() {
			d := sampleFor(name)
			m, err := s.Render(name, lang, d)
			if err != nil {
				t.Fatalf("%s/%s: %v", lang, name, err)
			}
			where := lang + "/" + string(name)
			if name != policy.ForwardUnmatched && name != policy.Summary && name != policy.Digest && name != policy.AuthAlert && !strings.Contains(m.Subject, "2026/123") {
				t.Errorf("%s: subject %q lacks the invoice number", where, m.Subject)
			}
			if strings.Contains(m.Text, "<no value>") || strings.Contains(m.Subject, "<no value>") {
				t.Errorf("%s: shows <no value>", where)
			}
			if strings.Contains(m.Text, "\n\n\n") {
				t.Errorf("%s: two blank lines in a row", where)
			}
			if !strings.HasSuffix(m.Text, "\n") || !strings.HasPrefix(m.HTML, "<!DOCTYPE html>") {
				t.Errorf("%s: text or HTML badly framed", where)
			}
			if name.Recipient() == policy.ToClient {
				if !strings.Contains(m.Text, "IT60 X054 2811 1010 0000 0123 456") {
					t.Errorf("%s: client message without the IBAN", where)
				}
				if strings.Contains(m.Text, "[Sollecito]") || strings.Contains(m.Subject, "[Sollecito]") {
					t.Errorf("%s: client message shows the bot's internals", where)
				}
			} else if name != policy.ForwardUnmatched && name != policy.MissingFields && name != policy.Summary && name != policy.Digest && name != policy.AuthAlert {
				// (auth_alert: the bot reads no mail until it logs in again,
				// so it offers no commands)
				// The commands that fit the case, and "aiuto"/"help" for the
				// rest; the full list only where it was asked for.
				all := map[string][]string{"it": {"pagata", "pausa fino al", "stop", "riprendi", "nota", "contatto", "stralcio", "invia diffida", "stralcia", "stato", "annulla", "tolleranza", "escludi"},
					"en": {"paid", "pause until", "stop", "resume", "note", "contact", "settle", "send notice", "write off", "status", "undo", "tolerance", "exclude"}}[lang]
				if name == policy.CommandHelp {
					for _, cmd := range all {
						if !strings.Contains(m.Text, "- "+cmd) {
							t.Errorf("%s: the help does not explain the command %q", where, cmd)
						}
					}
					continue
				}
				if help := map[string]string{"it": "aiuto", "en": "help"}[lang]; !strings.Contains(m.Text, "- "+help+":") && !strings.Contains(m.Text, help+"»") && !strings.Contains(m.Text, `"`+help+`"`) {
					t.Errorf("%s: owner message does not say how to get every command (%q)", where, help)
				}
				// The commands listed after the words that introduce them.
				listed, in := 0, false
				for _, line := range strings.Split(m.Text, "\n") {
					switch {
					case strings.HasPrefix(line, "Per darmi istruzioni") || strings.HasPrefix(line, "To tell me what to do"):
						in = true
					case in && strings.HasPrefix(line, "- "):
						listed++
					default:
						in = false
					}
				}
				if listed > 6 {
					t.Errorf("%s: owner message lists %d commands; want the few that fit the case", where, listed)
				}
			}
		}
	}
	for _, c := range []struct {
		lang string
		name policy.Template
		want []string
	}{
		{"it", policy.Courtesy, []string{"ignori", "€ 1.220,00", "03/12/2026", "Promemoria fattura n. 2026/123 del 03/11/2026"}},
		{"it", policy.Stage1, []string{"non Le sia mai arrivata"}},
		{"it", policy.Stage2, []string{"sollecito del 14/12", "10,15%", "€ 17,98", "€ 40,00", "entro il 03/02/2027"}},
		{"it", policy.Stage3, []string{"solleciti del 14/12/2026, del 14/01/2027 e del 25/01/2027", "53 giorni"}},
		{"it", policy.PromiseMissed, []string{"entro l'08/01/2027", "e comunque entro il 03/02/2027"}},
		{"it", policy.Resend, []string{"Fattura_2026-123.pdf"}},
		{"it", policy.CaseFile, []string{"DIFFIDA AD ADEMPIERE", "€ 1.277,98", "art. 6 D.Lgs. 231/2002", "Cronologia:", "14/12/2026: inviato al cliente (amministrazione@rossi.example): primo sollecito", "+39 02 7654321"}},
		{"it", policy.CaseFile, []string{"- invia diffida:", "- stralcio IMPORTO (per esempio: stralcio 970)", "- stralcia:", "- riprendi:",
			"dal 01/01/2027 al 25/01/2027: 25 giorni al 10,15% annuo (*) = € 8,48", "salvo conguaglio", "Totale dovuto al 25/01/2027: € 1.277,98",
			"letta come: promessa di pagamento entro l'08/01/2027", "Suo comando: nota (il cliente dice che paga a fine mese)"}},
		{"it", policy.Notice, []string{"COSTITUZIONE IN MORA", "art. 1219", "€ 1.277,98", "dovuto al 25/01/2027", "dal 04/12/2026 al 31/12/2026: 28 giorni al 10,15% annuo = € 9,50", "dal 26/01/2027 fino al saldo"}},
		{"en", policy.CaseFile, []string{"- send notice:", "- settle AMOUNT (for example: settle 970)", "- write off:", "read as: promise to pay by 8 January 2027", "subject to adjustment"}},
		{"en", policy.Notice, []string{"LETTER BEFORE ACTION", "€1,277.98", "Directive 2011/7/EU", "4 December 2026 to 31 December 2026: 28 days at 10.15% a year = €9.50"}},
		{"it", policy.ForwardDispute, []string{"> la fattura riporta un importo diverso", "Mario Rossi <mario.rossi@rossi.example>"}},
		{"it", policy.MissingFields, []string{"la data di scadenza", "scadenza 24/02/2027", "importo 1.220,00"}},
		{"it", policy.CallTask, []string{"Prossimo passo: terzo sollecito al cliente il 04/02/2027"}},
		{"en", policy.Courtesy, []string{"ignore", "€1,220.00", "3 December 2026"}},
		{"en", policy.Stage2, []string{"reminder of 14 December", "10.15%", "€40.00", "by 3 February 2027"}},
		{"en", policy.CaseFile, []string{"LETTER BEFORE ACTION", "€1,277.98"}},
		{"en", policy.MissingFields, []string{"due 2027-02-24", "amount 1,220.00"}},
		{"it", policy.NoticeLapsed, []string{"Diffida senza esito: Rossi Srl, fattura n. 2026/123 (€ 1.277,98)", "il 04/01/2027 ho inviato a Rossi Srl",
			"sono scaduti il 19/01/2027", "Le deve € 1.277,98: € 1.220,00 di capitale, € 17,98 di interessi di mora maturati fino al 25/01/2027 e € 40,00 di risarcimento",
			"- stop:", "decreto ingiuntivo", "- stralcio IMPORTO (per esempio: stralcio 970)", "- stralcia:", "- riprendi:", "- pagata:"}},
		{"en", policy.NoticeLapsed, []string{"Letter before action unanswered", "On 4 January 2027 I sent Rossi Srl", "ran out on 19 January 2027",
			"owes you €1,277.98: €1,220.00 of principal, €17.98 of late payment interest up to 25 January 2027 and €40.00", "court", "decreto ingiuntivo",
			"- settle AMOUNT (for example: settle 970)", "- write off:", "- resume:", "- paid:"}},
	} {
		d := sampleFor(c.name)
		m, err := s.Render(c.name, c.lang, d)
		if err != nil {
			t.Fatal(err)
		}
		all := m.Subject + "\n" + m.Text
		for _, w := range c.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s/%s lacks %q:\n%s", c.lang, c.name, w, all)
			}
		}
	}
}

// TestMinimal renders every template from the least data it documents, and
// checks that optional parts then vanish cleanly.
func TestMinimal(t *testing.T) {
	s := mustNew(t, "")
	for _, lang := range Languages {
		for _, name := range Names() {
			m, err := s.Render(name, lang, minimal(name))
			if err != nil {
				t.Errorf("%s/%s: %v", lang, name, err)
				continue
			}
			for _, bad := range []string{"<no value>", "\n\n\n", "()", "«»", `""`} {
				if strings.Contains(m.Subject+"\n"+m.Text, bad) {
					t.Errorf("%s/%s shows %q:\n%s\n%s", lang, name, bad, m.Subject, m.Text)
				}
			}
		}
	}
}

func TestUnknownLanguage(t *testing.T) {
	s := mustNew(t, "")
	it, err := s.Render(policy.Stage1, "it", sample())
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"", "de", "IT-it"} {
		m, err := s.Render(policy.Stage1, lang, sample())
		if err != nil || m != it {
			t.Errorf("Render(lang %q) = %q, %v; want the Italian text", lang, m.Subject, err)
		}
	}
	if _, err := s.Render("nonesuch", "it", sample()); err == nil {
		t.Error("Render of an unknown template: no error")
	}
}

// TestRenderErrors: data a message cannot honestly show is an error.
func TestRenderErrors(t *testing.T) {
	s := mustNew(t, "")
	for _, c := range []struct {
		name   string
		change func(*Data)
		want   string
	}{
		{"negative amount", func(d *Data) { d.Invoice.Amount = decimal.NewFromInt(-5) }, "negative amount"},
		{"no IBAN", func(d *Data) { d.Business.IBAN = " " }, "no IBAN"},
		{"no due date", func(d *Data) { d.Invoice.DueDate = time.Time{} }, "zero time"},
	} {
		d := sample()
		c.change(&d)
		_, err := s.Render(policy.Stage2, "it", d)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want one containing %q", c.name, err, c.want)
		} else if !strings.Contains(err.Error(), "templates/it/") {
			t.Errorf("%s: error %q does not name the file", c.name, err)
		}
	}
}

func TestNames(t *testing.T) {
	seen := map[policy.Template]bool{}
	for _, n := range Names() {
		if seen[n] {
			t.Errorf("%s listed twice", n)
		}
		seen[n] = true
		for _, lang := range Languages {
			if _, ok := names[lang][n]; !ok {
				t.Errorf("%s has no %s name", n, lang)
			}
		}
	}
	if len(seen) != 28 {
		t.Errorf("Names() lists %d templates, policy defines 28", len(seen))
	}
}

func TestHTML(t *testing.T) {
	got := toHTML("Gentile <Rossi> & C.,\n\nriga uno\nriga due\n\n> citato\n>\n> ancora\n")
	for _, w := range []string{
		"<p>Gentile &lt;Rossi&gt; &amp; C.,</p>",
		"<p>riga uno<br>\nriga due</p>",
		">citato<br>\n<br>\nancora</blockquote>",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("toHTML lacks %q:\n%s", w, got)
		}
	}
}

func TestTidy(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"\n\na  \n\n\n\nb\n\n", "a\n\nb\n"},
		{"a\r\nb", "a\nb\n"},
		{"", "\n"},
	} {
		if got := tidy(c.in); got != c.want {
			t.Errorf("tidy(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestEveryAssumedHalfYearNamed checks that a case whose interest runs over
// two half-years missing from the rate table names both, once each, since
// the owner must add every one of them before relying on the figures.
func TestEveryAssumedHalfYearNamed(t *testing.T) {
	s := mustNew(t, "")
	d := sampleFor(policy.CaseFile)
	rome := d.Interest.Periods[0].From.Location()
	july27 := time.Date(2027, time.July, 1, 0, 0, 0, 0, rome)
	last := d.Interest.Periods[1]
	// The first 2027 half-year is split by a payment: two periods, one half-year.
	split := last
	split.To, split.Days = time.Date(2027, time.March, 31, 0, 0, 0, 0, rome), 90
	rest := last
	rest.From, rest.To, rest.Days = time.Date(2027, time.April, 1, 0, 0, 0, 0, rome), time.Date(2027, time.June, 30, 0, 0, 0, 0, rome), 91
	second := last
	second.From, second.To, second.Days = july27, time.Date(2027, time.July, 20, 0, 0, 0, 0, rome), 20
	in := *d.Interest
	in.Periods = []policy.InterestPeriod{d.Interest.Periods[0], split, rest, second}
	d.Interest = &in
	want := map[string][]string{
		"it": {"i tassi dei semestri dal 01/01/2027 e dal 01/07/2027 non sono", "li aggiunga"},
		"en": {"the rates for the half-years from 1 January 2027 and 1 July 2027 are not", "add them"},
	}
	for _, lang := range Languages {
		m, err := s.Render(policy.CaseFile, lang, d)
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		for _, w := range want[lang] {
			if !strings.Contains(m.Text, w) {
				t.Errorf("%s: case file lacks %q:\n%s", lang, w, m.Text)
			}
		}
	}
}

// TestDigestCountsWhatItDoesNotList: a digest that lists the first held
// mails says how many more it carries, in its subject and its text.
func TestDigestCountsWhatItDoesNotList(t *testing.T) {
	s := mustNew(t, "")
	d := sampleFor(policy.Digest)
	d.HeldMore = 3
	want := map[string][]string{"it": {"e altri 3 messaggi"}, "en": {"and 3 more"}}
	for _, lang := range Languages {
		m, err := s.Render(policy.Digest, lang, d)
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		if !strings.Contains(m.Subject, fmt.Sprint(len(d.Held)+3)) {
			t.Errorf("%s: subject %q does not count every held message", lang, m.Subject)
		}
		for _, w := range want[lang] {
			if !strings.Contains(m.Text, w) {
				t.Errorf("%s: digest lacks %q:\n%s", lang, w, m.Text)
			}
		}
	}
}
