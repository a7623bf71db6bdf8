// Package templates composes every message the bot writes, to clients and to
// the owner, in Italian and English.
//
// Each message is one text/template file per language, embedded in the
// binary: it/stage1.txt, en/stage1.txt, … The first line is "Subject: …", the
// second is blank, the rest is the plain-text body. Files whose name starts
// with "_" are partials: _payment.txt defines the template "payment", which
// every message of that language may include with {{template "payment" .}}.
// The HTML alternative is generated from the text (escaped, one paragraph per
// blank-line block, quoted lines as a blockquote) unless a NAME.html file
// exists: that one is an html/template producing the whole HTML part, with
// _NAME.html partials.
//
// An owner may override any file by putting one with the same relative name
// (it/stage1.txt) in a folder of their own; New parses and test-renders every
// template, so a mistake is reported, with file and line, when the
// configuration is checked rather than when a reminder is due.
//
// Functions available in templates: money AMOUNT CURRENCY ("€ 1.220,00" /
// "€1,220.00"), date T ("31/12/2026" / "31 December 2026"), shortdate T
// ("10/12" / "10 December"), shortdates []T ("10/12 e 20/12"), percent RATE
// ("12,15%"), iban S (grouped by four), quote S ("> " before every line),
// list []string ("a, b e c"), name TEMPLATE (the message's name in the
// language), reading ENTRY (a History entry said in the language: what was
// sent to whom, how a reply was read, the owner's command), datetime T
// ("09/11/2026 10:00"), bucket B (an aging band's name), kind K (how a
// reply was read), why W (what a case waiting for the owner needs), fields
// []string (invoice field names as a list), prep PREP X (Italian: the
// preposition or article before a date, a number, a percentage or a list
// of dates, elided where Italian elides it: {{prep "dal" .D}} →
// "dall'11/12/2026", {{prep "il" .Dates}} → "il 16/11/2026 e l'08/12/2026";
// Italian templates write every "il/dal/al/del… DATE" with it). Data's methods Reminders,
// ReminderDates, FirstReminder, DaysOverdue, Total and SettleExample, and
// Interest's Assumed, are available too. The partial "periods" lists
// Interest's periods, one line each, and says when a rate was assumed.
//
// What each template needs in Data, beyond Business, Now and Invoice.Number,
// IssueDate, DueDate, Amount, Currency and Client (all required except where
// noted):
//
//	courtesy, stage1            nothing more
//	stage2, stage3              History (cites earlier reminders), PayBy, Interest: optional
//	promise_missed              Invoice.PromisedDate (required); History, PayBy optional
//	resend                      Attachment (optional: says the invoice is attached)
//	notice                      History, Interest optional (the figures on the day it is sent)
//	settlement                  Invoice.SettleAmount, Invoice.SettleBy (the offer)
//	settlement_lapsed           Invoice.SettleAmount, Invoice.SettleBy; History optional
//	notice_lapsed               Invoice.NoticeAt (required); NoticeTerm, Interest (the figures today), History optional
//	call_task, case_file        ClientName, Contacts, History, Interest, Next: optional
//	confirm_payment             Words, From; Next optional
//	forward_dispute/_installment/_other  Words, From, Subject; Next optional
//	forward_unmatched           From, Subject, Words; no invoice (Invoice may be zero)
//	broken_promise              Invoice.PromisedDate, PromisesBroken, History
//	bounce_alert                From (the failed address; "" = Invoice.Client), Words (server's reason)
//	missing_fields              Subject, Missing; Invoice fields only as far as known
//	command_done                Command; Next
//	command_help                Words, Subject; Invoice may be zero
//	summary                     Summary (required); no invoice
//	unverified                  Untrusted, From, Subject, Words; Invoice may be zero
//	digest                      Held (at least one); no invoice
//	auth_alert                  Words (why the login fails, what to run), From (the server); no invoice
package templates

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	texttemplate "text/template"

	"github.com/sollecito/sollecito/policy"
)

//go:embed it/*.txt it/*.html en/*.txt en/*.html
var embedded embed.FS

// Languages lists the languages every template exists in; the first is the
// default for an unknown language.
var Languages = []string{"it", "en"}

// Names returns every template name, client messages first, in the order of
// the policy package.
func Names() []policy.Template {
	return []policy.Template{
		policy.Courtesy, policy.Stage1, policy.Stage2, policy.Stage3,
		policy.PromiseMissed, policy.Resend, policy.Notice, policy.Settlement,
		policy.CallTask, policy.CaseFile, policy.ConfirmPayment,
		policy.ForwardDispute, policy.ForwardInstallment, policy.ForwardOther,
		policy.ForwardUnmatched, policy.BrokenPromise, policy.BounceAlert,
		policy.MissingFields, policy.CommandDone, policy.CommandHelp,
		policy.Summary,
		policy.SettlementLapsed, policy.NoticeLapsed,
		policy.Unverified, policy.Digest, policy.ContactChanged, policy.CreditQuestion,
		policy.AuthAlert,
	}
}

// Message is a composed message.
type Message struct {
	Subject string // one line
	Text    string // plain text, lines ending in "\n"
	HTML    string // a complete HTML document
}

// Set is a parsed set of templates: the embedded defaults, overridden by
// files in an owner's folder. It is safe for concurrent use.
type Set struct {
	langs map[string]*langSet
}

// langSet is one language's parsed templates.
type langSet struct {
	loc   locale
	msgs  map[policy.Template]*message
	paths map[string]string // template name → file shown in errors
}

// message is one parsed template.
type message struct {
	subject *texttemplate.Template
	body    *texttemplate.Template
	html    *htmltemplate.Template // nil: generated from the text
}

// source is one template file.
type source struct {
	rel   string // it/stage1.txt
	shown string // what errors call it
	text  string
}

// New parses the embedded templates and, when overrideDir is not "", the
// files in overrideDir/it and overrideDir/en, which replace the embedded
// file of the same name. Every template is then rendered with sample data:
// an error names the file and the line of the first problem. Files in those
// folders that name no template (other than "_" partials) are errors too,
// as they are most likely misspelt.
func New(overrideDir string) (*Set, error) {
	files := map[string]source{}
	err := fs.WalkDir(embedded, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := embedded.ReadFile(p)
		if err != nil {
			return err
		}
		files[p] = source{rel: p, shown: "templates/" + p + " (built in)", text: string(b)}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("templates: read embedded files: %w", err)
	}
	if overrideDir != "" {
		if err := readOverrides(overrideDir, files); err != nil {
			return nil, err
		}
	}
	s := &Set{langs: map[string]*langSet{}}
	for _, lang := range Languages {
		ls, err := parseLang(lang, files)
		if err != nil {
			return nil, err
		}
		s.langs[lang] = ls
	}
	if err := s.selfTest(); err != nil {
		return nil, err
	}
	return s, nil
}

// readOverrides reads the owner's files over the embedded ones.
func readOverrides(dir string, files map[string]source) error {
	if fi, err := os.Stat(dir); err != nil {
		return fmt.Errorf("templates: override folder: %w", err)
	} else if !fi.IsDir() {
		return fmt.Errorf("templates: override folder %s is not a folder", dir)
	}
	known := map[string]bool{}
	for _, lang := range Languages {
		for _, n := range Names() {
			known[lang+"/"+string(n)+".txt"] = true
			known[lang+"/"+string(n)+".html"] = true
		}
	}
	for _, lang := range Languages {
		entries, err := os.ReadDir(filepath.Join(dir, lang))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return fmt.Errorf("templates: override folder: %w", err)
		}
		for _, e := range entries {
			name := e.Name()
			full := filepath.Join(dir, lang, name)
			if strings.HasPrefix(name, ".") || e.IsDir() {
				continue
			}
			rel := lang + "/" + name
			partial := strings.HasPrefix(name, "_") && (strings.HasSuffix(name, ".txt") || strings.HasSuffix(name, ".html"))
			if !known[rel] && !partial {
				return fmt.Errorf("templates: %s: no template of this name (expected one of %s.txt or .html, or a _partial)", full, strings.Join(templateNames(), ".txt, "))
			}
			b, err := os.ReadFile(full)
			if err != nil {
				return fmt.Errorf("templates: %w", err)
			}
			files[rel] = source{rel: rel, shown: full, text: string(b)}
		}
	}
	return nil
}

func templateNames() []string {
	var s []string
	for _, n := range Names() {
		s = append(s, string(n))
	}
	return s
}

// parseLang parses one language's files.
func parseLang(lang string, files map[string]source) (*langSet, error) {
	loc := locales[lang]
	ls := &langSet{loc: loc, msgs: map[policy.Template]*message{}, paths: map[string]string{}}

	// Partials first, into a base every message is cloned from.
	textBase := texttemplate.New(lang).Funcs(loc.funcs())
	htmlBase := htmltemplate.New(lang).Funcs(loc.funcs())
	for _, rel := range sortedKeys(files) {
		src := files[rel]
		dir, file := path.Split(rel)
		if dir != lang+"/" || !strings.HasPrefix(file, "_") {
			continue
		}
		text := strings.TrimSuffix(src.text, "\n")
		if name, ok := strings.CutSuffix(file[1:], ".txt"); ok {
			ls.paths[name] = src.shown
			if _, err := textBase.New(name).Parse(text); err != nil {
				return nil, ls.explain(src.shown, err)
			}
		} else if name, ok := strings.CutSuffix(file[1:], ".html"); ok {
			ls.paths[name+".html"] = src.shown
			if _, err := htmlBase.New(name).Parse(text); err != nil {
				return nil, ls.explain(src.shown, err)
			}
		}
	}

	for _, t := range Names() {
		src, ok := files[lang+"/"+string(t)+".txt"]
		if !ok {
			return nil, fmt.Errorf("templates: missing templates/%s/%s.txt", lang, t)
		}
		m, err := ls.parseText(textBase, src)
		if err != nil {
			return nil, err
		}
		if src, ok := files[lang+"/"+string(t)+".html"]; ok {
			b, err := htmlBase.Clone()
			if err != nil {
				return nil, fmt.Errorf("templates: %s: %w", src.shown, err)
			}
			ls.paths[src.rel] = src.shown
			if m.html, err = b.New(src.rel).Parse(src.text); err != nil {
				return nil, ls.explain(src.shown, err)
			}
		}
		ls.msgs[t] = m
	}
	return ls, nil
}

// parseText parses a "Subject: …" file into its subject and body templates.
func (ls *langSet) parseText(base *texttemplate.Template, src source) (*message, error) {
	text := strings.ReplaceAll(src.text, "\r\n", "\n")
	first, rest, _ := strings.Cut(text, "\n")
	subject, ok := strings.CutPrefix(first, "Subject:")
	if !ok {
		return nil, fmt.Errorf("templates: %s:1: the first line must be \"Subject: …\"", src.shown)
	}
	second, _, _ := strings.Cut(rest, "\n")
	if strings.TrimSpace(second) != "" {
		return nil, fmt.Errorf("templates: %s:2: the line after the subject must be blank", src.shown)
	}
	if strings.TrimSpace(rest) == "" {
		return nil, fmt.Errorf("templates: %s: no body after the subject", src.shown)
	}
	m := &message{}
	for _, part := range []struct {
		name string
		text string
		dst  **texttemplate.Template
	}{
		{src.rel + "#subject", subject, &m.subject},
		// The blank first line keeps the body's line numbers the file's.
		{src.rel, "\n" + rest, &m.body},
	} {
		b, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("templates: %s: %w", src.shown, err)
		}
		ls.paths[part.name] = src.shown
		if *part.dst, err = b.New(part.name).Parse(part.text); err != nil {
			return nil, ls.explain(src.shown, err)
		}
	}
	return m, nil
}

// errLine matches the location text/template and html/template put in
// errors: "template: NAME:LINE: …" or "template: NAME:LINE:COL: …".
var errLine = regexp.MustCompile(`^(?:html/)?template: ?(.+?):(\d+)(?::\d+)?: (?s:(.*))$`)

// explain rewrites a template error to name the file and line it comes from.
// shown is the file to name when the error does not say.
func (ls *langSet) explain(shown string, err error) error {
	msg := err.Error()
	if m := errLine.FindStringSubmatch(msg); m != nil {
		if p, ok := ls.paths[m[1]]; ok {
			line, _ := strconv.Atoi(m[2])
			return fmt.Errorf("templates: %s:%d: %s", p, line, m[3])
		}
		// html/template partials are named without the .html suffix.
		if p, ok := ls.paths[m[1]+".html"]; ok {
			line, _ := strconv.Atoi(m[2])
			return fmt.Errorf("templates: %s:%d: %s", p, line, m[3])
		}
	}
	return fmt.Errorf("templates: %s: %w", shown, err)
}

// Render composes message t in language lang ("it" or "en"; anything else
// means "it") from d. It fails when the data lacks something the template
// shows (a zero date, a negative amount, an empty IBAN in a payment request):
// such a message is better not sent.
func (s *Set) Render(t policy.Template, lang string, d Data) (Message, error) {
	ls, ok := s.langs[lang]
	if !ok {
		ls = s.langs[Languages[0]]
	}
	m, ok := ls.msgs[t]
	if !ok {
		return Message{}, fmt.Errorf("templates: no template %q", t)
	}
	d = d.local()
	d.Template = t
	var sb, bb limited
	if err := m.subject.Execute(&sb, d); err != nil {
		return Message{}, ls.explain(ls.paths[m.subject.Name()], err)
	}
	if err := m.body.Execute(&bb, d); err != nil {
		return Message{}, ls.explain(ls.paths[m.body.Name()], err)
	}
	msg := Message{
		Subject: strings.Join(strings.Fields(sb.String()), " "),
		Text:    tidy(bb.String()),
	}
	if m.html != nil {
		var hb limited
		if err := m.html.Execute(&hb, d); err != nil {
			return Message{}, ls.explain(ls.paths[m.html.Name()], err)
		}
		msg.HTML = hb.String()
	} else {
		msg.HTML = toHTML(msg.Text)
	}
	return msg, nil
}

// maxSize bounds a rendered part, so that a runaway loop in an owner's
// template fails instead of filling memory.
const maxSize = 1 << 20

// limited is a buffer that refuses to grow beyond maxSize.
type limited struct{ bytes.Buffer }

func (l *limited) Write(p []byte) (int, error) {
	if l.Len()+len(p) > maxSize {
		return 0, fmt.Errorf("message longer than %d bytes", maxSize)
	}
	return l.Buffer.Write(p)
}

// tidy trims trailing spaces, keeps at most one blank line in a row (so
// that conditional sections leave no gaps), drops leading and trailing
// blank lines and ends the text with a newline.
func tidy(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var out []string
	blank := true // drop leading blank lines
	for _, line := range lines {
		line = strings.TrimRight(line, " \t")
		if line == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, line)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n") + "\n"
}

// selfTest renders every template with complete and with minimal sample
// data, so that a template that cannot render fails at New.
func (s *Set) selfTest() error {
	for _, lang := range Languages {
		for _, t := range Names() {
			for _, d := range []Data{sampleFor(t), minimal(t)} {
				if _, err := s.Render(t, lang, d); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
