package templates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sollecito/sollecito/policy"
)

// TestSummaryHTMLGolden renders the summary's HTML part with the sample data
// and compares with testdata/golden/LANG/summary.html (go test -update
// rewrites). The text part is in TestGolden.
func TestSummaryHTMLGolden(t *testing.T) {
	s := mustNew(t, "")
	for _, lang := range Languages {
		m, err := s.Render(policy.Summary, lang, sample())
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		file := filepath.Join("testdata", "golden", lang, "summary.html")
		if *update {
			if err := os.WriteFile(file, []byte(m.HTML), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if m.HTML != string(want) {
			t.Errorf("%s differs from the golden file; got:\n%s", file, m.HTML)
		}
	}
}

// TestSummaryContent checks what the summary must carry in both parts.
func TestSummaryContent(t *testing.T) {
	s := mustNew(t, "")
	for _, c := range []struct {
		lang       string
		text, html []string
	}{
		{"it",
			[]string{"Riepilogo settimanale al 25/01/2027: scaduti € 2.560,00 + £ 900,00",
				"non ancora scadute     3     € 3.620,00  ████████████████████\n",
				"FATTURE APERTE PER GIORNI DI RITARDO",
				"1–30 giorni            2     € 1.280,00  ███████\n",
				"61–90 giorni           0         € 0,00\n",
				"secondo sollecito (destinatario: amministrazione@rossi.example)",
				"fattura 2026/102: pagamento parziale registrato: € 300,00", "fattura 2026/097: pratica chiusa: pagata",
				"cosa è successo dalle 09:00 del 18/01/2027 a oggi",
				"il pagamento promesso entro l'11/01/2027 non è arrivato",
				"proposta di saldo e stralcio in corso: quando arriva il pagamento, mi scriva «pagata» (dall'11/01/2027)",
				"letta come: promessa di pagamento (entro il 29/01/2027)",
				"riprendo i solleciti dal 04/02/2027", "il 19/01/2027 ho scritto al cliente citando la promessa",
				"il cliente contesta la fattura (dal 20/01/2027)", "mancata consegna all'indirizzo amministrazione@vecchia.example (fattura 2026/106)",
				"«Richiesta preventivo»", "manca numero e scadenza", "«stato»"},
			[]string{`<td width="160" height="12" bgcolor="#95a5a6" style="width: 160px; height: 12px; background-color: #95a5a6;`,
				`<td width="57" height="12" bgcolor="#f1c40f"`, // 1280/3620 of 160 px, rounded
				"<td>31–60 giorni</td><td align=\"right\">1</td>",
				"<b>€ 2.560,00</b> su 4 fatture", "<i>promessa di pagamento</i>"}},
		{"en",
			[]string{"Weekly summary on 25 January 2027: €2,560.00 + £900.00 overdue",
				"1–30 days              1        £900.00  ████████████████████\n",
				"OPEN INVOICES BY DAYS OVERDUE", "invoice 2026/097: closed: paid", "invoice 2026/102: part payment recorded: €300.00",
				"sent the second reminder to amministrazione@rossi.example",
				"missing number and due date", `Write "status"`},
			[]string{`<td width="160" height="12" bgcolor="#f1c40f"`, "<b>£900.00</b> on 1 invoice", "the client disputes the invoice (since 20 January 2027)"}},
	} {
		m, err := s.Render(policy.Summary, c.lang, sample())
		if err != nil {
			t.Fatal(err)
		}
		all := "Subject: " + m.Subject + "\n" + m.Text
		for _, w := range c.text {
			if !strings.Contains(all, w) {
				t.Errorf("%s text lacks %q:\n%s", c.lang, w, all)
			}
		}
		for _, w := range c.html {
			if !strings.Contains(m.HTML, w) {
				t.Errorf("%s HTML lacks %q:\n%s", c.lang, w, m.HTML)
			}
		}
		for _, bad := range []string{"ZgotmplZ", "<no value>", "<script", "src="} {
			if strings.Contains(m.HTML, bad) {
				t.Errorf("%s HTML contains %q", c.lang, bad)
			}
		}
	}
}

// TestSummaryQuiet: an empty period says so, in both parts, and needs no
// invoice.
func TestSummaryQuiet(t *testing.T) {
	s := mustNew(t, "")
	for _, c := range []struct {
		lang, subject string
		both          []string
	}{
		{"it", "Situazione al 25/01/2027: nessuna fattura scaduta", []string{"Nessuna fattura aperta.", "Nessun sollecito inviato", "Nessuna questione aspetta"}},
		{"en", "Status on 25 January 2027: nothing overdue", []string{"No open invoices.", "No reminder sent", "Nothing is waiting"}},
	} {
		lang := c.lang
		m, err := s.Render(policy.Summary, lang, minimal(policy.Summary))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.Subject, c.subject) {
			t.Errorf("%s quiet summary subject %q, want %q", lang, m.Subject, c.subject)
		}
		for _, w := range c.both {
			if !strings.Contains(m.Text, w) || !strings.Contains(m.HTML, w) {
				t.Errorf("%s quiet summary lacks %q:\n%s\n%s", lang, w, m.Text, m.HTML)
			}
		}
		for _, bad := range []string{"SCADUTO\n\n", "PROMESSE", "PROMISES", "DA SISTEMARE", "TO SORT OUT"} {
			if strings.Contains(m.Text, bad) {
				t.Errorf("%s quiet summary shows %q:\n%s", lang, bad, m.Text)
			}
		}
	}
}

// TestPastPromiseNotDueSoon: a promise whose date has passed (the grace
// days still running) is not "in scadenza": the summary says it is past
// and the money is awaited.
func TestPastPromiseNotDueSoon(t *testing.T) {
	s := mustNew(t, "")
	d := sample()
	d.Summary.PromisesDue[0].Date = d.Now.AddDate(0, 0, -2)
	for lang, want := range map[string]string{"it": "data passata", "en": "now past"} {
		m, err := s.Render(policy.Summary, lang, d)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, want) {
			t.Errorf("%s: a past promise is not said to be past:\n%s", lang, m.Text)
		}
	}
}
