package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/config"
	"github.com/sollecito/sollecito/cmd/sollecito/internal/engine"
	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/ledger"
	"github.com/sollecito/sollecito/templates"
)

// sample is the engine over a real ledger holding one invoice with a reply
// whose subject tries to inject markup.
func sample(t *testing.T) *engine.Engine {
	t.Helper()
	dir := t.TempDir()
	cfg, err := config.Parse(`
[imap]
addr = "127.0.0.1:1143"
security = "none"
username = "bot@x.test"
password = "x"
[smtp]
addr = "127.0.0.1:1025"
security = "none"
username = "bot@x.test"
password = "x"
[bot]
address = "bot@x.test"
[owner]
email = ["owner@x.test"]
language = "it"
[business]
name = "Officina"
iban = "IT60X0542811101000000123456"
[store]
path = "l.db"
`, filepath.Join(dir, "c.toml"), func(string) string { return "" }, true)
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, cfg.Settings.Location) }
	db, err := ledger.Open(context.Background(), cfg.Store.Path, now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	due := time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)
	err = db.Tx(context.Background(), func(tx *ledger.Tx) error {
		inv := policy.Invoice{Number: "2026/<b>102</b>", Client: "c@x.test", DueDate: due, Anchor: due, Amount: decimal.RequireFromString("1220"),
			Currency: "EUR", State: policy.Open, Stage: 1, LastStageAt: now().AddDate(0, 0, -1)}
		id, err := tx.CreateInvoice(inv, ledger.Source{MessageID: "inv@x.test"})
		if err != nil {
			return err
		}
		if _, _, err := tx.RecordMessage(ledger.Message{Direction: ledger.In, MessageID: "r@x.test", InvoiceID: id, From: "c@x.test",
			Subject: "Re: <script>alert(1)</script>", Date: now().Add(-90 * time.Minute), Kind: "promise", Note: "matched: threaded"}); err != nil {
			return err
		}
		if err := tx.AddEvent(ledger.Event{InvoiceID: id, Kind: "reply:promise", Reason: "read as promise", MessageID: "r@x.test"}); err != nil {
			return err
		}
		if _, _, err := tx.RecordMessage(ledger.Message{Direction: ledger.In, MessageID: "c@owner.test", InvoiceID: id, From: "owner@x.test",
			Subject: "Re: 2026/102", Date: now().Add(-30 * time.Minute), Kind: "command"}); err != nil {
			return err
		}
		if err := tx.AddEvent(ledger.Event{InvoiceID: id, Kind: "command:partly_paid", Reason: "owner: 600.00 received; 620.00 still outstanding", MessageID: "c@owner.test", Amount: decimal.RequireFromString("600")}); err != nil {
			return err
		}
		if err := tx.AddEvent(ledger.Event{InvoiceID: id, Kind: "cap:held", Reason: "held: a message went to c@x.test today"}); err != nil {
			return err
		}
		// A second invoice, with the owner after its formal notice: its
		// page shows what is claimed with interest.
		due := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
		noticed := policy.Invoice{Number: "2026/104", Client: "n@x.test", DueDate: due, Anchor: due, Amount: decimal.RequireFromString("430"),
			Currency: "EUR", State: policy.WithOwner, Stage: 4, LastStageAt: now().AddDate(0, 0, -8), NoticeAt: now().AddDate(0, 0, -7)}
		_, err = tx.CreateInvoice(noticed, ledger.Source{MessageID: "inv2@x.test"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := templates.New("")
	if err != nil {
		t.Fatal(err)
	}
	return engine.New(cfg, db, tmpl, nil, now)
}

func start(t *testing.T, o Options) string {
	t.Helper()
	eng := sample(t)
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	s, err := Start(eng, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return "http://" + s.Addr()
}

func get(t *testing.T, method, url, user, pass string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestPagesAndHeaders(t *testing.T) {
	base := start(t, Options{Lang: "it", Title: "Officina"})
	for _, tt := range []struct {
		method, path string
		code         int
		want         []string
	}{
		{"GET", "/", 200, []string{`<html lang="it">`, "Officina", "2026/&lt;b&gt;102&lt;/b&gt;", "€ 1.220,00", "in sollecito", "1–30", `href="/invoice/1"`, "Totale da incassare: € 1.650,00"}},
		{"GET", "/invoice/1", 200, []string{"Cronologia", "risposta letta come: promessa di pagamento", "&lt;script&gt;", "lettura: matched: threaded", "27/11/2026 08:30",
			"Suo comando: pagata in parte (€ 600,00)", "perché: owner: 600.00 received", "messaggio trattenuto: limite giornaliero"}},
		// 430.00 × 10.15% × 57 days (2 October–27 November) / 365 = 6.8158… → € 6,82, + € 40,00.
		{"GET", "/invoice/2", 200, []string{"Richiesto con interessi e risarcimento", "€ 476,82 al 27/11/2026 (capitale € 430,00 &#43; interessi € 6,82 &#43; risarcimento € 40,00) (provvisorio: manca un tasso)"}},
		{"HEAD", "/", 200, nil},
		{"GET", "/invoice/3", 404, nil},
		{"GET", "/invoice/x", 404, nil},
		{"GET", "/other", 404, nil},
		{"POST", "/", 405, nil},
		{"DELETE", "/invoice/1", 405, nil},
	} {
		resp, body := get(t, tt.method, base+tt.path, "", "")
		if resp.StatusCode != tt.code {
			t.Errorf("%s %s: %d, want %d", tt.method, tt.path, resp.StatusCode, tt.code)
		}
		for _, want := range tt.want {
			if !strings.Contains(body, want) {
				t.Errorf("%s %s lacks %q:\n%s", tt.method, tt.path, want, body)
			}
		}
		for _, raw := range []string{"reply:promise", "command:partly_paid", "cap:held"} {
			if strings.Contains(body, raw) {
				t.Errorf("%s %s shows the log word %q instead of the owner's words", tt.method, tt.path, raw)
			}
		}
		if strings.Contains(body, "<script>") {
			t.Errorf("%s %s: unescaped script in the page", tt.method, tt.path)
		}
		h := resp.Header
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "style-src 'sha256-") {
			t.Errorf("%s %s: CSP %q", tt.method, tt.path, csp)
		}
		if h.Get("X-Frame-Options") != "DENY" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s %s: headers %v", tt.method, tt.path, h)
		}
		if tt.method == "HEAD" && body != "" {
			t.Errorf("HEAD has a body")
		}
		if tt.code == 405 && h.Get("Allow") != "GET, HEAD" {
			t.Errorf("405 without Allow: %v", h)
		}
	}
}

func TestBasicAuth(t *testing.T) {
	base := start(t, Options{Username: "maria", Password: "s3cret è"})
	for _, tt := range []struct {
		user, pass string
		code       int
	}{
		{"", "", 401},
		{"maria", "wrong", 401},
		{"mario", "s3cret è", 401},
		{"maria", "s3cret", 401},
		{"maria", "s3cret è", 200},
	} {
		resp, _ := get(t, "GET", base+"/", tt.user, tt.pass)
		if resp.StatusCode != tt.code {
			t.Errorf("user %q pass %q: %d, want %d", tt.user, tt.pass, resp.StatusCode, tt.code)
		}
		if tt.code == 401 {
			if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Basic ") {
				t.Errorf("401 without a Basic challenge: %v", resp.Header)
			}
			if resp.Header.Get("X-Frame-Options") != "DENY" {
				t.Errorf("401 without the security headers")
			}
		}
	}
}

func TestCheckAddr(t *testing.T) {
	for _, tt := range []struct {
		addr, user, pass string
		needsAuth, ok    bool
	}{
		{"127.0.0.1:8080", "", "", false, true},
		{"[::1]:8080", "", "", false, true},
		{"localhost:8080", "", "", false, true},
		{"0.0.0.0:8080", "", "", true, false},
		{":8080", "", "", true, false},
		{"192.168.1.10:8080", "maria", "", true, false},
		{"[::]:8080", "", "pw", true, false},
		{"192.168.1.10:8080", "maria", "pw", false, true},
		{"127.0.0.1:8080", "maria", "", false, false},
		{"127.0.0.1", "", "", false, false},
	} {
		err := CheckAddr(tt.addr, tt.user, tt.pass)
		if (err == nil) != tt.ok || errors.Is(err, ErrNeedsAuth) != tt.needsAuth {
			t.Errorf("CheckAddr(%q, %q, %q) = %v", tt.addr, tt.user, tt.pass, err)
		}
	}
	if _, err := Start(sample(t), Options{Addr: "0.0.0.0:0"}); !errors.Is(err, ErrNeedsAuth) {
		t.Errorf("Start on 0.0.0.0 without credentials: %v", err)
	}
}

// TestHostChecked: the page answers only to its own names, so that a page
// elsewhere that points its name at this address (DNS rebinding) reads
// nothing, with or without a login.
func TestHostChecked(t *testing.T) {
	base := start(t, Options{Hosts: []string{"sollecito.studio.example"}})
	port := base[strings.LastIndexByte(base, ':'):]
	for _, tt := range []struct {
		host string
		code int
	}{
		{"", 200}, // the listen address itself
		{"localhost" + port, 200},
		{"LOCALHOST", 200},
		{"[::1]" + port, 200},
		{"sollecito.studio.example" + port, 200},
		{"Sollecito.Studio.Example.", 200},
		{"attacker.example.com" + port, 421},
		{"attacker.example.com", 421},
		{"127.0.0.1.attacker.example.com", 421},
		{"studio.example", 421},
	} {
		req, err := http.NewRequest("GET", base+"/", nil)
		if err != nil {
			t.Fatal(err)
		}
		if tt.host != "" {
			req.Host = tt.host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.code {
			t.Errorf("Host %q: %d, want %d", tt.host, resp.StatusCode, tt.code)
		}
		if tt.code == 421 && strings.Contains(string(b), "2026/") {
			t.Errorf("Host %q: the refusal shows invoice data", tt.host)
		}
	}
}
