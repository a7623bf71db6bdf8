package templates

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sollecito/sollecito/policy"
)

// writeFiles creates files (relative name → content) in a new folder.
func writeFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestOverride(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"it/stage1.txt":   "Subject: Ciao, fattura {{.Invoice.Number}}\n\nCiao {{.ClientName}}, paghi {{money .Invoice.Amount .Invoice.Currency}}.\n\n{{template \"payment\" .}}\n",
		"it/_payment.txt": "Paghi su {{iban .Business.IBAN}}.\n",
		"it/stage2.html":  "<p>Sollecito {{.Invoice.Number}} per {{.ClientName}}</p>{{template \"foot\" .}}",
		"it/_foot.html":   "<footer>{{.Business.Name}}</footer>",
		"README.txt":      "files at the top are ignored",
		"it/.DS_Store":    "ignored",
	})
	s := mustNew(t, dir)
	d := sample()
	d.ClientName = "Rossi <&> Srl"

	m, err := s.Render(policy.Stage1, "it", d)
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Ciao, fattura 2026/123" {
		t.Errorf("subject = %q", m.Subject)
	}
	want := "Ciao Rossi <&> Srl, paghi € 1.220,00.\n\nPaghi su IT60 X054 2811 1010 0000 0123 456.\n"
	if m.Text != want {
		t.Errorf("text = %q, want %q", m.Text, want)
	}
	if !strings.Contains(m.HTML, "Rossi &lt;&amp;&gt; Srl") {
		t.Errorf("generated HTML not escaped: %s", m.HTML)
	}

	// The partial override reaches the built-in templates too.
	m, err = s.Render(policy.Courtesy, "it", d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Text, "Paghi su IT60") || strings.Contains(m.Text, "Coordinate per il bonifico") {
		t.Errorf("courtesy does not use the overridden partial:\n%s", m.Text)
	}

	// An .html file replaces the generated HTML, escaping as html/template does.
	m, err = s.Render(policy.Stage2, "it", d)
	if err != nil {
		t.Fatal(err)
	}
	if m.HTML != "<p>Sollecito 2026/123 per Rossi &lt;&amp;&gt; Srl</p><footer>Studio Bianchi</footer>" {
		t.Errorf("stage2 HTML = %q", m.HTML)
	}
	if !strings.Contains(m.Text, "sollecito del 14/12") {
		t.Errorf("stage2 text changed by the .html override:\n%s", m.Text)
	}

	// Other languages keep the built-in text.
	m, err = s.Render(policy.Stage1, "en", d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Subject, "payment reminder") {
		t.Errorf("en stage1 subject = %q", m.Subject)
	}
}

// TestBadOverride: a broken owner file is reported by New with its path and
// line.
func TestBadOverride(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		want  string // regexp, {{dir}} is the folder
	}{
		{"parse error",
			map[string]string{"it/stage1.txt": "Subject: x\n\nuno\ndue {{if}}x{{end}}\ntre\n"},
			`{{dir}}/it/stage1.txt:4: .*missing value for if`},
		{"unknown field",
			map[string]string{"en/stage3.txt": "Subject: x\n\none\ntwo\nthree {{.Invoice.Numbr}}\n"},
			`{{dir}}/en/stage3.txt:5: .*can't evaluate field Numbr`},
		{"unknown function",
			map[string]string{"it/courtesy.txt": "Subject: x\n\n{{soldi .Invoice.Amount}}\n"},
			`{{dir}}/it/courtesy.txt:3: .*function "soldi" not defined`},
		{"error in the subject",
			map[string]string{"it/courtesy.txt": "Subject: {{.Nope}}\n\ncorpo\n"},
			`{{dir}}/it/courtesy.txt:1: .*can't evaluate field Nope`},
		{"error in a partial",
			map[string]string{"it/_payment.txt": "IBAN:\n{{iban .Business.Iban}}\n"},
			`{{dir}}/it/_payment.txt:2: .*can't evaluate field Iban`},
		{"unknown partial",
			map[string]string{"it/stage1.txt": "Subject: x\n\n{{template \"pagamento\" .}}\n"},
			`{{dir}}/it/stage1.txt:3: .*template "pagamento" not defined`},
		{"optional field used unguarded",
			map[string]string{"it/stage2.txt": "Subject: x\n\nInteressi: {{money .Interest.Amount .Invoice.Currency}}\n"},
			`{{dir}}/it/stage2.txt:3: .*nil pointer`},
		{"no subject line",
			map[string]string{"it/stage1.txt": "Oggetto: x\n\ncorpo\n"},
			`{{dir}}/it/stage1.txt:1: .*Subject`},
		{"no blank line",
			map[string]string{"it/stage1.txt": "Subject: x\ncorpo\n"},
			`{{dir}}/it/stage1.txt:2: .*blank`},
		{"no body",
			map[string]string{"it/stage1.txt": "Subject: x\n"},
			`{{dir}}/it/stage1.txt: no body`},
		{"misspelt file",
			map[string]string{"it/stage_1.txt": "Subject: x\n\ncorpo\n"},
			`{{dir}}/it/stage_1.txt: no template of this name`},
		{"bad html",
			map[string]string{"en/stage1.html": "<p>{{.ClientName</p>"},
			`{{dir}}/en/stage1.html:1: .*bad character`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := writeFiles(t, c.files)
			_, err := New(dir)
			if err == nil {
				t.Fatal("New: no error")
			}
			re := regexp.MustCompile(strings.ReplaceAll(c.want, "{{dir}}", regexp.QuoteMeta(dir)))
			if !re.MatchString(err.Error()) {
				t.Errorf("error %q\ndoes not match %q", err, re)
			}
		})
	}
	if _, err := New(filepath.Join(t.TempDir(), "absent")); err == nil {
		t.Error("New(absent folder): no error")
	}
}

// FuzzOverride feeds arbitrary owner files to New: it must never panic, and
// a Set it accepts must render that template.
func FuzzOverride(f *testing.F) {
	for _, name := range []string{"it/stage1.txt", "en/case_file.txt", "it/missing_fields.txt", "it/_diffida.txt"} {
		b, err := embedded.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("Subject: {{.Invoice.Number}}\n\n{{range .History}}{{date .At}}{{end}}")
	f.Add("Subject: x\n\n{{define \"payment\"}}x{{end}}{{template \"payment\" .}}")
	spin := regexp.MustCompile(`range[^}]*[0-9]`)
	f.Fuzz(func(t *testing.T, text string) {
		if spin.MatchString(text) {
			return // ranging over a large number spins for minutes; the owner's own files are trusted
		}
		dir := writeFiles(t, map[string]string{"it/stage1.txt": text})
		s, err := New(dir)
		if err != nil {
			if !strings.Contains(err.Error(), "templates: ") {
				t.Errorf("error without the package prefix: %v", err)
			}
			return
		}
		if _, err := s.Render(policy.Stage1, "it", sample()); err != nil {
			t.Errorf("New accepted a template that does not render: %v", err)
		}
	})
}
