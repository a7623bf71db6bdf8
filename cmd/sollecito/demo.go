package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/config"
	"github.com/sollecito/sollecito/cmd/sollecito/internal/engine"
	"github.com/sollecito/sollecito/cmd/sollecito/internal/mailsim"
	"github.com/sollecito/sollecito/cmd/sollecito/internal/view"
	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/policy/ledger"
	"github.com/sollecito/sollecito/templates"
)

// The demo business. Its IBAN is the standard Italian example, which passes
// its check digits.
const (
	demoBot   = "solleciti@officina-demo.it"
	demoOwner = "maria@officina-demo.it"
	demoPEC   = "officinabianchi@pec-demo.it" // the business's certified mailbox: formal notices go through it
	demoStart = "2026-11-02"
)

func demoConfigText(sim, pec *mailsim.Server, dir string) string {
	return fmt.Sprintf(`
[imap]
addr = %q
security = "none"
username = %q
password = %q

[smtp]
addr = %q
security = "none"
username = %q
password = %q

# Formal notices ("invia diffida") go through the business's PEC mailbox.
[pec]
addr = %q
security = "none"
username = %q
password = %q
address = %q

[bot]
address = %q

[owner]
name = "Maria Bianchi"
email = [%q]
language = "it"
authserv_id = %q # the in-process mail server stamps Authentication-Results like a real MX

[business]
name = "Officina Bianchi"
iban = "IT60X0542811101000000123456"
signature = "Tel. 051 644 0123"
address = "Via del Pratello 41, 40122 Bologna"
vat_number = "04219380377"

[store]
path = %q

[policy]
extra_holidays = ["10-04"] # San Petronio, Bologna's patron saint
`, sim.IMAPAddr, sim.Bot, sim.Password, sim.SMTPAddr, sim.Bot, sim.Password, pec.SMTPAddr, pec.Bot, pec.Password, demoPEC, demoBot, demoOwner, sim.AuthServID, filepath.Join(dir, "demo.db"))
}

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	fs := newFlags("demo")
	days := fs.Int("days", 75, "how many days to simulate")
	start := fs.String("start", demoStart, "the first simulated day (YYYY-MM-DD, a weekday)")
	verbose := fs.Bool("v", false, "show the bot's log")
	httpAddr := fs.String("http", "", "after the demo, serve the read-only web page on this address until interrupted")
	showList := fs.String("show", "", "print in full every message of these templates as it goes out, e.g. summary,case_file")
	keep := fs.String("keep", "", "keep the demo's ledger and configuration in this new folder, to try status, history and export on it")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *days < 1 || *days > 3660 {
		return usageError{fmt.Errorf("--days %d: want 1 to 3660", *days)}
	}
	show, err := showTemplates(*showList)
	if err != nil {
		return usageError{err}
	}
	logw := io.Discard
	if *verbose {
		logw = stderr
	}
	log := newLogger(logw, slog.LevelInfo)

	// A reader that goes away (demo | head) ends the demo, which then
	// removes its folder like any other exit: no SIGPIPE kill.
	sigpipe := make(chan os.Signal, 1)
	signal.Notify(sigpipe, syscall.SIGPIPE)
	defer signal.Stop(sigpipe)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pipe := &closedPipeWriter{w: stdout, closed: cancel}
	stdout = pipe
	defer func() {
		if pipe.gone {
			err = nil // the reader went away (demo | head): nothing to tell anyone
		}
	}()

	var dir string
	var err2 error
	if *keep != "" {
		dir = *keep
		if err2 = os.Mkdir(dir, 0o700); err2 != nil {
			return usageError{fmt.Errorf("--keep %s: want a new folder: %w", dir, err2)}
		}
	} else {
		if dir, err2 = os.MkdirTemp("", "sollecito-demo-"); err2 != nil {
			return err2
		}
		defer os.RemoveAll(dir)
	}
	d, err := runDemoShowing(ctx, dir, *days, *start, show, stdout, log)
	if err != nil {
		return err
	}
	defer d.db.Close()
	fmt.Fprintf(stdout, "\nStatus on %s:\n\n", d.now().Format("2006-01-02"))
	rows, err := d.eng.Status(ctx)
	if err != nil {
		return err
	}
	if err := view.WriteStatus(stdout, rows, d.cfg.Owner.Language); err != nil {
		return err
	}
	if *keep != "" {
		cfg := filepath.Join(dir, "demo.toml")
		fmt.Fprintf(stdout, "\nThe demo's ledger is kept in %s. Try:\n  sollecito status --config %s --now %s\n  sollecito history --config %s --now %s 2026/104\n  sollecito export --config %s --now %s\n",
			dir, cfg, d.now().Format("2006-01-02"), cfg, d.now().Format("2006-01-02"), cfg, d.now().Format("2006-01-02"))
	} else {
		fmt.Fprintf(stdout, "\nThe demo's ledger was in a temporary folder, removed now; run it with --keep DIR to try status, history and export on it.\n")
	}
	if *httpAddr == "" {
		return nil
	}
	return serveWeb(ctx, *httpAddr, d.cfg, d.eng, d.now, stdout, newLogger(stderr, slog.LevelInfo))
}

// demoRun is what a finished demo leaves: its configuration, its ledger
// (open: the caller closes it), the engine and the clock at the last day.
type demoRun struct {
	cfg *config.Config
	db  *ledger.DB
	eng *engine.Engine
	now func() time.Time
}

// runDemo is runDemoShowing printing no message in full.
func runDemo(ctx context.Context, dir string, days int, start string, stdout io.Writer, log *slog.Logger) (*demoRun, error) {
	return runDemoShowing(ctx, dir, days, start, nil, stdout, log)
}

// runDemoShowing plays the demo world for days from start, printing the timeline
// to stdout; it leaves its configuration (demo.toml) and its ledger in dir.
// show names the templates whose messages are printed in full as they go
// out (see --show).
func runDemoShowing(ctx context.Context, dir string, days int, start string, show map[string]bool, stdout io.Writer, log *slog.Logger) (*demoRun, error) {
	sim, err := mailsim.Start(demoBot, "demo-password")
	if err != nil {
		return nil, err
	}
	defer sim.Close()
	pec, err := mailsim.Start(demoPEC, "demo-pec-password")
	if err != nil {
		return nil, err
	}
	defer pec.Close()
	cfgText := demoConfigText(sim, pec, dir)
	cfg, err := config.Parse(cfgText, filepath.Join(dir, "demo.toml"), os.Getenv, true)
	if err != nil {
		return nil, err
	}
	// Kept next to the ledger, so that status, history and export can read it.
	if err := os.WriteFile(filepath.Join(dir, "demo.toml"), []byte(cfgText), 0o600); err != nil {
		return nil, err
	}
	loc := cfg.Settings.Location
	day0, err := time.ParseInLocation("2006-01-02", start, loc)
	if err != nil {
		return nil, usageError{fmt.Errorf("--start %q: want YYYY-MM-DD", start)}
	}
	if wd := day0.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return nil, usageError{fmt.Errorf("--start %s is a %s: the demo starts on a weekday, when the owner sends invoices", start, wd)}
	}

	var mu sync.Mutex
	now := day0
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	setNow := func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }

	tmpl, err := templates.New("")
	if err != nil {
		return nil, err
	}
	db, err := ledger.Open(ctx, cfg.Store.Path, clock)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			db.Close()
		}
	}()
	eng := engine.New(cfg, db, tmpl, log, clock)
	in, err := mailbox.DialIMAP(ctx, config.ServerConfig(cfg.IMAP, cfg.IMAPPassword), cfg.IMAP.Folder, log)
	if err != nil {
		return nil, fmt.Errorf("demo imap: %w", err)
	}
	defer in.Close()
	smtp := mailbox.NewSMTP(config.ServerConfig(cfg.SMTP, cfg.SMTPPassword), log)
	eng.UsePEC(mailbox.NewSMTP(config.ServerConfig(cfg.PEC, cfg.PECPassword), log))

	w := newWorld(sim, loc, day0)
	sim.OnDeliver = w.received
	pec.OnDeliver = w.received

	fmt.Fprintf(stdout, "Sollecito demo: %s (owner %s) CCs the bot %s on six invoices.\n", cfg.Business.Name, demoOwner, demoBot)
	fmt.Fprintf(stdout, "In-process IMAP %s and SMTP %s; %d simulated days from %s; one pass a day at 10:00.\n", sim.IMAPAddr, sim.SMTPAddr, days, start)
	fmt.Fprintln(stdout, "Clients: Rossi pays half after stage 1 (the owner answers \"pagata in parte\") and the rest after stage 2;")
	fmt.Fprintln(stdout, "Bianchi promises, breaks it, then disputes; Verdi never got the invoice; Neri ignores everything, even the formal")
	fmt.Fprintln(stdout, "notice the owner sends through the PEC by answering the stage-4 case file \"invia diffida\", so the owner")
	fmt.Fprintln(stdout, "hears when its term has run out; Northwind (English) is out of office, then promises and pays; Vecchia Ditta's")
	fmt.Fprintln(stdout, "address bounces until the owner gives a new contact.")

	for d := 0; d < days; d++ {
		if ctx.Err() != nil {
			break
		}
		morning := day0.AddDate(0, 0, d).Add(8*time.Hour + 30*time.Minute)
		setNow(morning)
		arrivals, err := w.morning(morning)
		if err != nil {
			return nil, err
		}
		pass := day0.AddDate(0, 0, d).Add(10 * time.Hour)
		setNow(pass)
		w.setNow(pass)
		before, pecBefore := len(sim.Delivered()), len(pec.Delivered())
		if err := eng.Pass(ctx, in, smtp); err != nil {
			return nil, fmt.Errorf("pass on %s: %w", pass.Format("2006-01-02"), err)
		}
		events, err := db.EventsSince(ctx, morning)
		if err != nil {
			return nil, err
		}
		sent := sim.Delivered()[before:]
		viaPEC := pec.Delivered()[pecBefore:]
		if len(arrivals) == 0 && len(events) == 0 && len(sent) == 0 && len(viaPEC) == 0 {
			continue
		}
		fmt.Fprintf(stdout, "\n%s\n", pass.Format("Mon 02 Jan 2006"))
		for _, a := range arrivals {
			fmt.Fprintf(stdout, "  ← %s\n", a)
		}
		for _, e := range events {
			about := ""
			if inv, err := db.Invoice(ctx, e.InvoiceID); err == nil {
				about = " [" + inv.Number + "]"
			}
			fmt.Fprintf(stdout, "  ● %s%s: %s\n", e.Kind, about, e.Reason)
		}
		for _, s := range viaPEC {
			m, _ := mailbox.Parse(s.Raw)
			fmt.Fprintf(stdout, "  → via PEC %s to %s: %q\n", s.From, strings.Join(s.To, ", "), m.Subject)
			if show[m.Get("X-Sollecito-Template")] {
				printMessage(stdout, m)
			}
		}
		for _, s := range sent {
			m, _ := mailbox.Parse(s.Raw)
			fmt.Fprintf(stdout, "  → to %s: %q\n", strings.Join(s.To, ", "), m.Subject)
			if show[m.Get("X-Sollecito-Template")] {
				printMessage(stdout, m)
			}
		}
	}
	ok = true
	return &demoRun{cfg: cfg, db: db, eng: eng, now: clock}, nil
}

// showTemplates reads --show: template names separated by commas.
func showTemplates(list string) (map[string]bool, error) {
	show := map[string]bool{}
	known := map[string]bool{}
	var names []string
	for _, t := range templates.Names() {
		known[string(t)] = true
		names = append(names, string(t))
	}
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !known[f] {
			return nil, fmt.Errorf("--show %q: no such template (one of %s)", f, strings.Join(names, ", "))
		}
		show[f] = true
	}
	return show, nil
}

// printMessage prints the plain-text part of a message under its timeline
// line, framed so that it reads apart from the timeline.
func printMessage(w io.Writer, m *mailbox.Message) {
	fmt.Fprintf(w, "    ┌──── %s\n", m.Subject)
	for _, l := range strings.Split(strings.TrimRight(m.Body(), "\n"), "\n") {
		fmt.Fprintf(w, "    │ %s\n", strings.TrimRight(l, " \r"))
	}
	fmt.Fprintln(w, "    └────")
}

// world plays the owner and the clients: it sends the invoice mails, and
// answers the bot's messages as each client would.
type world struct {
	sim      *mailsim.Server
	loc      *time.Location
	day0     time.Time
	mu       sync.Mutex
	now      time.Time
	queue    []queued       // mail to deliver on later mornings
	checked  map[string]int // payment checks the owner got, by invoice number
	castList []*demoClient
}

type queued struct {
	on   time.Time // the morning it arrives
	raw  []byte
	what string
}

type demoClient struct {
	addr, name, company, lang string
	number, amount            string // as written in the invoice mail
	due                       time.Time
	contactOnly               bool // a new contact named later: no invoice mail of its own
	react                     func(w *world, c *demoClient, m *mailbox.Message, template string)
	seen                      map[string]int
}

func newWorld(sim *mailsim.Server, loc *time.Location, day0 time.Time) *world {
	w := &world{sim: sim, loc: loc, day0: day0}
	w.castList = w.clients()
	return w
}

func (w *world) setNow(t time.Time) { w.mu.Lock(); w.now = t; w.mu.Unlock() }

// clients is the cast; each reacts to what the bot sends it.
func (w *world) clients() []*demoClient {
	d := func(days int) time.Time { return w.day0.AddDate(0, 0, days) }
	return []*demoClient{
		{addr: "amministrazione@rossi-demo.it", name: "Paolo Rossi", company: "Rossi Srl", lang: "it", number: "2026/101", amount: "€ 1.220,00", due: d(18),
			react: func(w *world, c *demoClient, m *mailbox.Message, t string) {
				switch t {
				case "stage1":
					w.answer(c, m, 1, "Buongiorno,\nci scusiamo per il ritardo: ieri abbiamo disposto il bonifico, CRO 0306912345678901.\nCordiali saluti\nPaolo Rossi")
				case "stage2":
					w.answer(c, m, 1, "Buongiorno,\nil primo bonifico era di soli € 600,00 per un errore dell'ufficio: abbiamo pagato oggi la differenza di € 620,00, CRO 0306998765432101.\nCi scusi ancora\nPaolo Rossi")
				}
			}},
		{addr: "contabilita@bianchiarredi-demo.it", name: "Giulia Bianchi", company: "Bianchi Arredi", lang: "it", number: "2026/102", amount: "€ 850,00", due: d(14),
			react: func(w *world, c *demoClient, m *mailbox.Message, t string) {
				switch t {
				case "stage1":
					w.answer(c, m, 1, "Buongiorno,\nha ragione, ci è sfuggita. Pagheremo entro il 4 dicembre.\nGiulia Bianchi")
				case "stage2":
					w.answer(c, m, 2, "Buongiorno,\nrileggendo la fattura: l'importo non corrisponde al preventivo concordato di € 700,00 e il montaggio non è stato completato. Non procediamo al pagamento finché la questione non è chiarita.\nGiulia Bianchi")
				}
			}},
		{addr: "studio@verdi-demo.it", name: "Luca Verdi", company: "Studio Verdi", lang: "it", number: "2026/103", amount: "€ 2.400,00", due: d(23),
			react: func(w *world, c *demoClient, m *mailbox.Message, t string) {
				switch t {
				case "courtesy":
					w.answer(c, m, 1, "Buongiorno,\nnon abbiamo mai ricevuto questa fattura: potete mandarcela di nuovo?\nGrazie, Luca Verdi")
				case "resend":
					w.answer(c, m, 2, "Ricevuta, grazie. Abbiamo appena effettuato il bonifico, in allegato la contabile.\nLuca Verdi")
				}
			}},
		{addr: "ufficio@neri-demo.it", name: "Franco Neri", company: "Neri Costruzioni", lang: "it", number: "2026/104", amount: "€ 430,00", due: d(4),
			react: func(*world, *demoClient, *mailbox.Message, string) {}}, // not even the formal notice
		{addr: "accounts@northwind-demo.co.uk", name: "Emma Clarke", company: "Northwind Ltd", lang: "en", number: "INV-2026-105", amount: "£900.00", due: d(25),
			react: func(w *world, c *demoClient, m *mailbox.Message, t string) {
				switch t {
				case "courtesy":
					w.autoReply(c, m)
				case "stage1":
					w.answer(c, m, 1, "Hello,\nsorry for the delay, we will pay next Friday.\nBest regards,\nEmma Clarke")
				case "promise_missed":
					w.answer(c, m, 1, "Hello,\nthe payment was sent today, bank reference TRN 7781-2290. Apologies again.\nEmma")
				}
			}},
		{addr: "amministrazione@vecchiaditta-demo.it", name: "", company: "Vecchia Ditta", lang: "it", number: "2026/106", amount: "€ 310,00", due: d(12),
			react: func(w *world, c *demoClient, m *mailbox.Message, t string) { w.bounce(c, m) }},
		{addr: "contabilita@vecchiaditta-demo.it", name: "Sara Conti", company: "Vecchia Ditta", lang: "it", contactOnly: true,
			react: func(w *world, c *demoClient, m *mailbox.Message, t string) {
				w.answer(c, m, 2, "Buongiorno,\nscusate, il vecchio indirizzo non è più attivo. Bonifico eseguito oggi, CRO 0800112233445566.\nSara Conti")
			}},
	}
}

// received is the SMTP server's hook: the owner and the clients read what
// the bot sent them.
func (w *world) received(d mailsim.Delivery) {
	m, err := mailbox.Parse(d.Raw)
	if err != nil && m == nil {
		return
	}
	t := m.Get("X-Sollecito-Template")
	for _, to := range d.To {
		if to == demoOwner {
			w.ownerReads(m, t)
			continue
		}
		for _, c := range w.cast() {
			if c.addr == to {
				if c.seen == nil {
					c.seen = map[string]int{}
				}
				c.seen[t]++
				if c.seen[t] == 1 {
					c.react(w, c, m, t)
				}
			}
		}
	}
}

func (w *world) cast() []*demoClient { return w.castList }

// ownerReads plays the owner: she confirms payments the next morning (Rossi's
// first transfer was only € 600,00), and answers Neri's case file with the
// formal notice.
func (w *world) ownerReads(m *mailbox.Message, t string) {
	switch t {
	case "confirm_payment":
		number := m.Get("X-Sollecito-Invoice")
		w.mu.Lock()
		if w.checked == nil {
			w.checked = map[string]int{}
		}
		w.checked[number]++
		first := w.checked[number] == 1
		w.mu.Unlock()
		if number == "2026/101" && first {
			body := "Buongiorno,\nsul conto è arrivato solo un acconto.\npagata in parte 600\n\nMaria"
			w.enqueue(1, w.mail(1, demoOwner, "Maria Bianchi", demoBot, "Re: "+m.Subject, body, m), "owner: \"pagata in parte 600\" in reply to "+quote(m.Subject))
			return
		}
		body := "pagata\n\nMaria"
		w.enqueue(1, w.mail(1, demoOwner, "Maria Bianchi", demoBot, "Re: "+m.Subject, body, m), "owner: \"pagata\" in reply to "+quote(m.Subject))
	case "case_file":
		body := "Ok, invia diffida comunque: il tasso del 2027 lo aggiorno dopo.\n\nMaria"
		w.enqueue(1, w.mail(1, demoOwner, "Maria Bianchi", demoBot, "Re: "+m.Subject, body, m), "owner: \"invia diffida\" in reply to "+quote(m.Subject))
	case "bounce_alert":
		body := "contatto contabilita@vecchiaditta-demo.it\nriprendi\n\nMaria"
		w.enqueue(2, w.mail(2, demoOwner, "Maria Bianchi", demoBot, "Re: "+m.Subject, body, m), "owner: \"contatto contabilita@vecchiaditta-demo.it / riprendi\" in reply to "+quote(m.Subject))
	}
}

// answer queues a client's reply to m, days mornings later.
func (w *world) answer(c *demoClient, m *mailbox.Message, days int, text string) {
	body := text + "\n\n" + quoteBody(m)
	w.enqueue(days, w.mail(days, c.addr, c.name, demoBot, "Re: "+m.Subject, body, m), c.company+" replies: "+quote(gist(text)))
}

func (w *world) autoReply(c *demoClient, m *mailbox.Message) {
	raw := w.mail(1, c.addr, c.name, demoBot, "Fuori sede / Out of office: "+m.Subject,
		"I am out of the office until Monday with limited access to email. For urgent matters call the office.\n", m)
	raw = append([]byte("Auto-Submitted: auto-replied\r\nX-Autoreply: yes\r\n"), raw...)
	w.enqueue(1, raw, c.company+": automatic out-of-office reply")
}

// bounce plays the client's mail server refusing the address (RFC 3464).
func (w *world) bounce(c *demoClient, m *mailbox.Message) {
	w.mu.Lock()
	at := w.now
	w.mu.Unlock()
	boundary := "dsn-" + shortHash(m.MessageID)
	raw := fmt.Sprintf("From: Mail Delivery System <MAILER-DAEMON@mx.vecchiaditta-demo.it>\r\n"+
		"To: %s\r\nSubject: Undelivered Mail Returned to Sender\r\nDate: %s\r\nMessage-ID: <%s@mx.vecchiaditta-demo.it>\r\n"+
		"Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: multipart/report; report-type=delivery-status; boundary=%q\r\n\r\n"+
		"--%s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThis is the mail system at host mx.vecchiaditta-demo.it.\r\n\r\n"+
		"I'm sorry to have to inform you that your message could not be delivered to one or more recipients.\r\n\r\n<%s>: host mx.vecchiaditta-demo.it said: 550 5.1.1 <%s>: Recipient address rejected: User unknown\r\n\r\n"+
		"--%s\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.vecchiaditta-demo.it\r\n\r\nFinal-Recipient: rfc822; %s\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n"+
		"--%s\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s>\r\n\r\n--%s--\r\n",
		demoBot, at.Format(time.RFC1123Z), shortHash(m.MessageID+"dsn"), boundary,
		boundary, c.addr, c.addr,
		boundary, c.addr,
		boundary, demoBot, c.addr, m.Subject, m.MessageID, boundary)
	w.enqueue(1, []byte(raw), "the mail server of vecchiaditta-demo.it: delivery failed (DSN 5.1.1)")
}

func (w *world) enqueue(days int, raw []byte, what string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	y, mo, d := w.now.AddDate(0, 0, days).Date()
	w.queue = append(w.queue, queued{on: time.Date(y, mo, d, 0, 0, 0, 0, w.loc), raw: raw, what: what})
}

// morning delivers what arrives today: on day 0 the six invoice mails, later
// the replies queued by the cast.
func (w *world) morning(at time.Time) ([]string, error) {
	w.setNow(at)
	var out []string
	if at.Sub(w.day0) < 24*time.Hour {
		for _, c := range w.cast() {
			if c.contactOnly {
				continue
			}
			raw, err := invoiceMail(demoOwner, demoBot, c, at)
			if err != nil {
				return nil, err
			}
			if err := w.sim.Deliver(raw, at); err != nil {
				return nil, err
			}
			out = append(out, fmt.Sprintf("invoice %s to %s (%s, due %s), bot in Cc", c.number, c.company, c.amount, c.due.Format("02/01/2006")))
		}
	}
	w.mu.Lock()
	var keep []queued
	var due []queued
	for _, q := range w.queue {
		if !q.on.After(at) {
			due = append(due, q)
		} else {
			keep = append(keep, q)
		}
	}
	w.queue = keep
	w.mu.Unlock()
	sort.SliceStable(due, func(i, j int) bool { return due[i].on.Before(due[j].on) })
	for _, q := range due {
		if err := w.sim.Deliver(q.raw, at); err != nil {
			return nil, err
		}
		out = append(out, q.what)
	}
	return out, nil
}

// invoiceMail is the owner's invoice email to a client, with the bot in Cc
// and a PDF copy attached.
func invoiceMail(owner, bot string, c *demoClient, at time.Time) ([]byte, error) {
	pdf, err := invoicePDF(c, at)
	if err != nil {
		return nil, err
	}
	var subject, body string
	if c.lang == "en" {
		subject = fmt.Sprintf("Invoice %s from Officina Bianchi", c.number)
		body = fmt.Sprintf("Dear %s,\r\n\r\nplease find attached invoice %s dated %s.\r\nAmount due: %s\r\nDue date: %s\r\nBank transfer to IBAN IT60 X054 2811 1010 0000 0123 456.\r\n\r\nKind regards,\r\nMaria Bianchi\r\n",
			c.name, c.number, at.Format("2 January 2006"), c.amount, c.due.Format("2 January 2006"))
	} else {
		subject = fmt.Sprintf("Fattura n. %s del %s", c.number, at.Format("02/01/2006"))
		body = fmt.Sprintf("Buongiorno,\r\n\r\nin allegato la fattura n. %s del %s.\r\nImporto: %s\r\nScadenza: %s\r\nPagamento con bonifico bancario, IBAN IT60 X054 2811 1010 0000 0123 456.\r\n\r\nCordiali saluti\r\nMaria Bianchi\r\nOfficina Bianchi\r\n",
			c.number, at.Format("02/01/2006"), c.amount, c.due.Format("02/01/2006"))
	}
	id := shortHash(c.number+c.addr) + "@" + strings.SplitN(owner, "@", 2)[1]
	boundary := "inv-" + shortHash(c.number)
	raw := fmt.Sprintf("From: Maria Bianchi <%s>\r\nTo: %s <%s>\r\nCc: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: multipart/mixed; boundary=%q\r\n\r\n--%s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n"+
		"--%s\r\nContent-Type: application/pdf; name=\"%s\"\r\nContent-Disposition: attachment; filename=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n--%s--\r\n",
		owner, c.company, c.addr, bot, mimeWord(subject), at.Format(time.RFC1123Z), id, boundary, boundary, body,
		boundary, pdfName(c), pdfName(c), wrap76(base64.StdEncoding.EncodeToString(pdf)), boundary)
	return []byte(raw), nil
}

func pdfName(c *demoClient) string {
	return "fattura-" + strings.NewReplacer("/", "-", " ", "").Replace(c.number) + ".pdf"
}

func invoicePDF(c *demoClient, at time.Time) ([]byte, error) {
	p := fpdf.New("P", "mm", "A4", "")
	p.AddPage()
	p.SetFont("Helvetica", "B", 16)
	p.Cell(0, 10, "Officina Bianchi")
	p.Ln(12)
	p.SetFont("Helvetica", "", 12)
	for _, line := range []string{
		"Fattura n. " + c.number + " del " + at.Format("02/01/2006"),
		"Cliente: " + c.company,
		"Totale da pagare: " + strings.ReplaceAll(strings.ReplaceAll(c.amount, "€", "EUR"), "£", "GBP "),
		"Scadenza: " + c.due.Format("02/01/2006"),
		"IBAN: IT60X0542811101000000123456",
	} {
		p.Cell(0, 8, line)
		p.Ln(8)
	}
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		return nil, fmt.Errorf("demo invoice pdf: %w", err)
	}
	return b.Bytes(), nil
}

// replyMail composes a plain reply, dated date, threaded under m.
func replyMail(from, name, to, subject, body string, date time.Time, m *mailbox.Message) []byte {
	refs := strings.TrimSpace(strings.Join(wrapIDs(m.References), " ") + " <" + m.MessageID + ">")
	id := shortHash(from+subject+body+date.String()) + "@" + strings.SplitN(from, "@", 2)[1]
	return []byte(fmt.Sprintf("From: %s <%s>\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s>\r\nIn-Reply-To: <%s>\r\nReferences: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s",
		name, from, to, mimeWord(subject), date.Format(time.RFC1123Z), id, m.MessageID, refs, strings.ReplaceAll(body, "\n", "\r\n")))
}

// mail is a reply from one of the cast, dated the morning it will arrive.
func (w *world) mail(days int, from, name, to, subject, body string, m *mailbox.Message) []byte {
	w.mu.Lock()
	at := w.now.AddDate(0, 0, days)
	w.mu.Unlock()
	y, mo, d := at.Date()
	return replyMail(from, name, to, subject, body, time.Date(y, mo, d, 8, 30, 0, 0, w.loc), m)
}

func wrapIDs(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = "<" + id + ">"
	}
	return out
}

func quoteBody(m *mailbox.Message) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Il giorno %s %s ha scritto:\n", m.Date.Format("02/01/2006 15:04"), m.Sender())
	for _, l := range strings.Split(strings.TrimRight(m.Body(), "\n"), "\n") {
		b.WriteString("> " + l + "\n")
	}
	return b.String()
}

func quote(s string) string { return "\u201c" + s + "\u201d" }

// gist is the longest line of a short text: what the writer came to say.
func gist(s string) string {
	best := ""
	for _, l := range strings.Split(s, "\n") {
		if len(l) > len(best) {
			best = l
		}
	}
	return best
}

func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

func mimeWord(s string) string {
	for _, r := range s {
		if r > 127 {
			return "=?utf-8?B?" + base64.StdEncoding.EncodeToString([]byte(s)) + "?="
		}
	}
	return s
}

func wrap76(s string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	b.WriteString(s)
	return b.String()
}

// closedPipeWriter passes writes on; the first one that fails because the
// reader went away (EPIPE) calls closed, which ends the demo.
type closedPipeWriter struct {
	w      io.Writer
	closed func()
	gone   bool
}

func (c *closedPipeWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	if errors.Is(err, syscall.EPIPE) {
		c.gone = true
		c.closed()
	}
	return n, err
}
