package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/engine"
	"github.com/sollecito/sollecito/cmd/sollecito/internal/view"
	"github.com/sollecito/sollecito/templates"
)

// style is the page's only stylesheet, inline and allowed by its hash. On
// a narrow screen (a phone) each table row becomes a card with labels.
const style = `
body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
header{background:#1d3557;color:#fff;padding:.8rem 1rem}
header h1{margin:0;font-size:1.25rem}
header p{margin:.2rem 0 0;font-size:.85rem;opacity:.85}
main{padding:1rem;max-width:72rem;margin:auto}
a{color:#1d4ed8}
h2{font-size:1.1rem;margin:1.2rem 0 .5rem}
table{border-collapse:collapse;width:100%;background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.08)}
th,td{padding:.45rem .6rem;text-align:left;border-bottom:1px solid #e5e7eb;vertical-align:top}
th{background:#eef1f5;font-size:.8rem;text-transform:uppercase;letter-spacing:.03em;color:#4b5563}
td.num{text-align:right;white-space:nowrap}
tr.closed td{color:#6b7280}
.state{display:inline-block;padding:.05rem .45rem;border-radius:.6rem;font-size:.85rem;background:#e5e7eb}
.s-open{background:#dbeafe}.s-paused{background:#fef3c7}.s-claimed_paid{background:#fde68a}
.s-disputed,.s-with_owner{background:#fecaca}.s-paid{background:#bbf7d0}.s-incomplete,.s-stopped,.s-written_off{background:#e5e7eb}
.total{margin:.4rem 0 0;font-weight:600}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;background:#fff;padding:.8rem 1rem;margin:0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
dt{color:#4b5563}dd{margin:0}
ol.timeline{list-style:none;padding:0;margin:0}
ol.timeline li{background:#fff;margin:0 0 .5rem;padding:.55rem .8rem;border-left:4px solid #9ca3af;box-shadow:0 1px 2px rgba(0,0,0,.08)}
ol.timeline li.in{border-color:#2563eb}ol.timeline li.out{border-color:#16a34a}ol.timeline li.event{border-color:#d97706;background:#fffbeb}
.when{font-size:.85rem;color:#4b5563;margin-right:.4rem;white-space:nowrap}
.what{font-weight:600}
.detail{font-size:.9rem;color:#374151;margin-top:.2rem;overflow-wrap:anywhere}
footer{font-size:.8rem;color:#6b7280;padding:1rem;text-align:center}
@media (max-width:640px){
 table,thead,tbody,tr,td{display:block}thead{display:none}
 tr{margin:0 0 .6rem;background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.08)}
 td{border:0;padding:.2rem .7rem}td.num{text-align:left}
 td::before{content:attr(data-label) ": ";color:#6b7280;font-size:.85rem}
 dl{grid-template-columns:1fr}dt{font-size:.85rem}
}
`

// styleHash is the CSP source that allows exactly style.
var styleHash = func() string {
	h := sha256.Sum256([]byte(style))
	return "sha256-" + base64.StdEncoding.EncodeToString(h[:])
}()

var page = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{.Heading}} · {{.Title}}</title>
<style>{{.Style}}</style>
</head>
<body>
<header><h1>{{.Title}}</h1><p>{{.Heading}} · {{.Now}}</p></header>
<main>
{{if .List}}{{template "list" .List}}{{end}}{{if .Invoice}}{{template "invoice" .Invoice}}{{end}}
</main>
<footer>{{.W.readonly}}</footer>
</body>
</html>
{{define "list"}}
{{if not .Rows}}<p>{{.W.none}}</p>{{else}}
<table id="invoices">
<thead><tr><th>{{.W.invoice}}</th><th>{{.W.client}}</th><th>{{.W.outstanding}}</th><th>{{.W.due}}</th><th>{{.W.overdue}}</th><th>{{.W.aging}}</th><th>{{.W.stage}}</th><th>{{.W.state}}</th><th>{{.W.next}}</th></tr></thead>
<tbody>
{{range .Rows}}<tr class="{{if .Closed}}closed{{else}}open{{end}}" id="inv-{{.ID}}">
<td data-label="{{$.W.invoice}}"><a href="/invoice/{{.ID}}">{{.Number}}</a></td>
<td data-label="{{$.W.client}}">{{.Client}}</td>
<td data-label="{{$.W.outstanding}}" class="num">{{.Outstanding}}</td>
<td data-label="{{$.W.due}}">{{.Due}}</td>
<td data-label="{{$.W.overdue}}" class="num">{{.Overdue}}</td>
<td data-label="{{$.W.aging}}">{{.Aging}}</td>
<td data-label="{{$.W.stage}}">{{.Stage}}</td>
<td data-label="{{$.W.state}}"><span class="state s-{{.StateKey}}">{{.State}}</span></td>
<td data-label="{{$.W.next}}">{{.Next}}{{if .When}} · {{.When}}{{end}}</td>
</tr>
{{end}}</tbody>
</table>
{{range .Totals}}<p class="total">{{$.W.total}}: {{.}}</p>{{end}}
{{end}}
{{end}}
{{define "invoice"}}
<p><a href="/">← {{.W.back}}</a></p>
<h2>{{.W.invoice}} {{.Row.Number}}</h2>
<dl id="facts">
<dt>{{.W.client}}</dt><dd>{{.Row.Client}}{{with .Row.VAT}} · {{.}}{{end}}</dd>
{{if .Contacts}}<dt>{{.W.contacts}}</dt><dd>{{.Contacts}}</dd>{{end}}
<dt>{{.W.amount}}</dt><dd>{{.Row.Amount}}</dd>
<dt>{{.W.outstanding}}</dt><dd>{{.Row.Outstanding}}</dd>
{{if .Row.Claim}}<dt>{{.W.claim}}</dt><dd id="claim">{{.Row.Claim}}</dd>{{end}}
{{if .Row.Issued}}<dt>{{.W.issued}}</dt><dd>{{.Row.Issued}}</dd>{{end}}
<dt>{{.W.due}}</dt><dd>{{.Row.Due}}{{if .Row.Overdue}} ({{.W.overdue}}: {{.Row.Overdue}}){{end}}</dd>
<dt>{{.W.stage}}</dt><dd>{{.Row.Stage}}</dd>
<dt>{{.W.state}}</dt><dd><span class="state s-{{.Row.StateKey}}">{{.Row.State}}</span></dd>
{{if .Row.LastReminder}}<dt>{{.W.lastreminder}}</dt><dd>{{.Row.LastReminder}}</dd>{{end}}
<dt>{{.W.next}}</dt><dd>{{.Row.Next}}{{if .Row.When}} · {{.Row.When}}{{end}}</dd>
{{if .Notes}}<dt>{{.W.notes}}</dt><dd>{{range .Notes}}{{.}}<br>{{end}}</dd>{{end}}
</dl>
<h2>{{.W.timeline}}</h2>
<ol class="timeline" id="timeline">
{{range .Entries}}<li class="{{.Class}}"><span class="when">{{.When}}</span> <span class="what">{{.Arrow}} {{.What}}</span>
{{if .Who}}<div class="detail">{{.Who}}{{if .Subject}} · “{{.Subject}}”{{end}}</div>{{end}}
{{if .Reading}}<div class="detail">{{$.W.reading}}: {{.Reading}}</div>{{end}}
{{if .Reason}}<div class="detail">{{$.W.why}}: {{.Reason}}</div>{{end}}
</li>
{{end}}</ol>
{{end}}
`))

// pages renders the two pages over a Source.
type pages struct {
	src   Source
	lang  string
	title string
	log   *slog.Logger
	now   func() time.Time
}

type pageData struct {
	Lang, Title, Heading, Now string
	Style                     template.CSS
	W                         map[string]string
	List                      *listData
	Invoice                   *invoiceData
}

type listData struct {
	W      map[string]string
	Rows   []rowData
	Totals []string
}

type rowData struct {
	ID                                       int64
	Number, Client, Amount, Outstanding, Due string
	Issued, Overdue, Aging, Stage, State     string
	StateKey, Next, When, LastReminder       string
	VAT                                      string // the client's, labelled ("P.IVA …"); "" when unknown
	Claim                                    string // with interest and compensation, after stage 4 or a notice; "" otherwise
	Closed                                   bool
}

type invoiceData struct {
	W        map[string]string
	Row      rowData
	Contacts string
	Notes    []string
	Entries  []entryData
}

type entryData struct {
	Class, When, Arrow, What, Who, Subject, Reading, Reason string
}

func (p *pages) base(heading string, now time.Time) pageData {
	return pageData{
		Lang: langOf(p.lang), Title: p.title, Heading: heading, Style: template.CSS(style),
		W: wordsFor(p.lang), Now: templates.Date(p.lang, now) + " " + now.Format("15:04"),
	}
}

func (p *pages) list(w http.ResponseWriter, r *http.Request) {
	rows, err := p.src.Status(r.Context())
	if err != nil {
		p.fail(w, r, err)
		return
	}
	d := p.base(wordsFor(p.lang)["invoices"], p.now())
	l := &listData{W: d.W}
	totals := map[string]decimal.Decimal{}
	for _, row := range rows {
		l.Rows = append(l.Rows, p.row(row))
		if !row.State.Closed() {
			cur := row.Currency
			if cur == "" {
				cur = "EUR"
			}
			totals[cur] = totals[cur].Add(row.Outstanding)
		}
	}
	curs := make([]string, 0, len(totals))
	for c := range totals {
		curs = append(curs, c)
	}
	sort.Strings(curs)
	for _, c := range curs {
		l.Totals = append(l.Totals, templates.MoneyText(p.lang, totals[c], c))
	}
	d.List = l
	p.render(w, r, d)
}

func (p *pages) invoice(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		http.NotFound(w, r)
		return
	}
	h, err := p.src.History(r.Context(), id)
	if errors.Is(err, engine.ErrNoInvoice) {
		http.NotFound(w, r)
		return
	} else if err != nil {
		p.fail(w, r, err)
		return
	}
	d := p.base(wordsFor(p.lang)["invoice"]+" "+orDash(h.Invoice.Number), p.now())
	inv := &invoiceData{W: d.W, Row: p.row(h.Invoice), Contacts: strings.Join(h.Contacts, ", "), Notes: h.Invoice.Notes}
	for _, e := range h.Entries {
		inv.Entries = append(inv.Entries, p.entry(e))
	}
	d.Invoice = inv
	p.render(w, r, d)
}

func (p *pages) row(r view.StatusRow) rowData {
	d := rowData{
		ID: r.ID, Number: orDash(r.Number), Client: orDash(r.ClientText()), VAT: templates.TaxID(p.lang, r.ClientVAT), Amount: r.AmountText(), Outstanding: r.OutstandingText(),
		Due: orDash(templates.Date(p.lang, r.DueDate)), Issued: templates.Date(p.lang, r.IssueDate), Aging: r.AgingText(),
		Stage: r.StageText(), State: r.StateText(), StateKey: string(r.State), Next: r.NextText(), When: r.WhenText(),
		Closed: r.State.Closed(), Claim: r.ClaimText(),
	}
	if r.DaysOverdue > 0 {
		d.Overdue = strconv.Itoa(r.DaysOverdue)
	}
	if !r.LastReminder.IsZero() {
		d.LastReminder = p.stamp(r.LastReminder)
	}
	return d
}

func (p *pages) entry(e templates.Entry) entryData {
	w := wordsFor(p.lang)
	d := entryData{When: p.stamp(e.At), What: templates.Headline(p.lang, e), Subject: e.Subject, Reading: e.Evidence, Reason: templates.Reason(p.lang, e)}
	switch {
	case e.Received:
		d.Class, d.Arrow, d.Who = "in", "←", w["from"]+" "+e.From
	case e.Sent != "":
		d.Class, d.Arrow, d.Who = "out", "→", w["to"]+" "+e.To
	default:
		d.Class, d.Arrow = "event", "●"
	}
	return d
}

func (p *pages) stamp(t time.Time) string {
	return templates.Date(p.lang, t) + " " + t.Format("15:04")
}

func (p *pages) render(w http.ResponseWriter, r *http.Request, d pageData) {
	var b bytes.Buffer
	if err := page.Execute(&b, d); err != nil {
		p.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(b.Bytes())
}

func (p *pages) fail(w http.ResponseWriter, r *http.Request, err error) {
	p.log.Error("web page failed", "path", r.URL.Path, "err", err)
	http.Error(w, "the ledger could not be read; see the log", http.StatusInternalServerError)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
