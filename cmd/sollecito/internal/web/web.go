// Package web serves the owner's read-only page: the invoice list with
// aging, stage and state, and each invoice's timeline of messages in and
// out, how the bot read them and why it acted. It only reads the ledger
// (through the engine's read-only views), answers GET and HEAD only, uses
// no JavaScript and no external resource, and requires HTTP basic auth
// whenever it listens on an address other than loopback.
package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/view"
	"github.com/sollecito/sollecito/mailbox"
)

// Source is what the page reads: *engine.Engine.
type Source interface {
	// Status returns every invoice as a status row.
	Status(ctx context.Context) ([]view.StatusRow, error)
	// History returns one invoice's story, engine.ErrNoInvoice when none.
	History(ctx context.Context, id int64) (view.History, error)
}

// Options configure the page. The zero value serves nothing: Addr is required.
type Options struct {
	// Addr is the listen address, host:port (":0" picks a port). A host
	// that is not loopback (including an empty host: every interface)
	// requires Username and Password.
	Addr string
	// Username and Password, when set, are required from every request
	// (HTTP basic auth), on loopback too. Empty: no auth (loopback only).
	Username, Password string
	// Title heads every page, e.g. the business's name. Empty: "Sollecito".
	Title string
	// Lang is the language of the page's words: "it" or English (default).
	Lang string
	// Log receives one line per failed request; nil discards.
	Log *slog.Logger
	// Now is the clock the page's header shows; nil means time.Now.
	Now func() time.Time
	// Hosts are the names (without port) a request's Host may carry besides
	// the listen address's own host and the loopback names (localhost,
	// 127.0.0.1, ::1): [http] host. Any other Host is answered 421, so that
	// a page on another site that points its name at this address (DNS
	// rebinding) reads nothing.
	Hosts []string
}

// ErrNeedsAuth is returned by Start for a non-loopback address without
// credentials.
var ErrNeedsAuth = errors.New("web: listening beyond loopback needs [http] username and a password (password_env or password_file)")

// CheckAddr returns an error when addr is not host:port, or when it is not a
// loopback address and username or password is empty.
func CheckAddr(addr, username, password string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("web: --http %q is not host:port (e.g. 127.0.0.1:8080): %w", addr, err)
	}
	if !mailbox.IsLoopback(host) && (username == "" || password == "") {
		return fmt.Errorf("%w: %q is not a loopback address", ErrNeedsAuth, addr)
	}
	if (username == "") != (password == "") {
		return errors.New("web: [http] needs both a username and a password, or neither")
	}
	return nil
}

// Server is a running page. Close stops it.
type Server struct {
	ln   net.Listener
	srv  *http.Server
	done chan error
}

// Start checks the options (CheckAddr), listens on o.Addr and serves in the
// background until Close.
func Start(src Source, o Options) (*Server, error) {
	if err := CheckAddr(o.Addr, o.Username, o.Password); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return nil, fmt.Errorf("web: listen %s: %w", o.Addr, err)
	}
	s := &Server{
		ln: ln,
		srv: &http.Server{
			Handler:           Handler(src, o),
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      60 * time.Second,
			IdleTimeout:       2 * time.Minute,
			MaxHeaderBytes:    16 << 10,
		},
		done: make(chan error, 1),
	}
	go func() {
		err := s.srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.done <- err
	}()
	return s, nil
}

// Addr is the address the server listens on (with the port ":0" chose).
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops taking requests, lets those in hand finish for up to five
// seconds, and returns the error that stopped serving, if any.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if err2 := <-s.done; err == nil {
		err = err2
	}
	return err
}

// Handler returns the page's handler, with the security headers, the
// method check and, when o has credentials, basic auth. Tests use it
// directly; Start checks the address first.
func Handler(src Source, o Options) http.Handler {
	p := &pages{src: src, lang: o.Lang, title: o.Title, log: o.Log, now: o.Now}
	if p.now == nil {
		p.now = time.Now
	}
	if p.title == "" {
		p.title = "Sollecito"
	}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", p.list)
	mux.HandleFunc("GET /invoice/{id}", p.invoice)
	var h http.Handler = mux
	h = getOnly(h)
	h = hostOnly(h, o)
	if o.Username != "" {
		h = basicAuth(h, o.Username, o.Password)
	}
	return secure(h)
}

// csp allows nothing but the page's own stylesheet (by its hash): no
// script, no image, no frame, no form.
var csp = "default-src 'none'; style-src '" + styleHash + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// secure sets the headers every answer carries, 401s included.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// hostOnly answers 421 Misdirected Request to a request whose Host is not
// one of the page's own names (see Options.Hosts).
func hostOnly(next http.Handler, o Options) http.Handler {
	allowed := map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true}
	if host, _, err := net.SplitHostPort(o.Addr); err == nil && host != "" {
		if ip := net.ParseIP(host); ip == nil || !ip.IsUnspecified() {
			allowed[strings.ToLower(host)] = true
		}
	}
	for _, h := range o.Hosts {
		allowed[strings.ToLower(strings.TrimSpace(h))] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
		if !allowed[host] {
			http.Error(w, "misdirected request: this page answers only to its own host names ([http] host)", http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// getOnly refuses every method but GET and HEAD: the page changes nothing.
func getOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "read-only: GET only", http.StatusMethodNotAllowed)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// basicAuth requires the username and password, compared in constant time
// (over their hashes, so that neither length shows either).
func basicAuth(next http.Handler, username, password string) http.Handler {
	wantUser := sha256.Sum256([]byte(username))
	wantPass := sha256.Sum256([]byte(password))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		gotUser := sha256.Sum256([]byte(u))
		gotPass := sha256.Sum256([]byte(p))
		userOK := subtle.ConstantTimeCompare(gotUser[:], wantUser[:])
		passOK := subtle.ConstantTimeCompare(gotPass[:], wantPass[:])
		if !ok || userOK&passOK != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="Sollecito", charset="UTF-8"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// words are the page's own words per language.
var words = map[string]map[string]string{
	"it": {
		"invoices": "Fatture", "invoice": "Fattura", "client": "Cliente", "amount": "Importo", "outstanding": "Da incassare",
		"issued": "Data di emissione", "due": "Scadenza", "overdue": "Giorni di ritardo", "aging": "Anzianità", "stage": "Fase",
		"state": "Stato", "next": "Prossimo passo", "when": "Quando", "contacts": "Contatti", "promised": "Promessa per il",
		"notes": "Note", "timeline": "Cronologia", "from": "mittente", "to": "destinatario", "why": "perché", "reading": "lettura",
		"none": "Nessuna fattura nel registro.", "back": "Tutte le fatture", "open": "aperte", "closed": "chiuse",
		"total": "Totale da incassare", "readonly": "Pagina di sola lettura: per agire, risponda alle email del bot.",
		"lastreminder": "Ultimo sollecito", "at": "al", "claim": "Richiesto con interessi e risarcimento",
	},
	"en": {
		"invoices": "Invoices", "invoice": "Invoice", "client": "Client", "amount": "Amount", "outstanding": "Outstanding",
		"issued": "Issued", "due": "Due", "overdue": "Days overdue", "aging": "Aging", "stage": "Stage",
		"state": "State", "next": "Next step", "when": "When", "contacts": "Contacts", "promised": "Promised for",
		"notes": "Notes", "timeline": "Timeline", "from": "from", "to": "to", "why": "why", "reading": "reading",
		"none": "No invoices in the ledger.", "back": "All invoices", "open": "open", "closed": "closed",
		"total": "Total outstanding", "readonly": "Read-only page: to act, answer the bot's emails.",
		"lastreminder": "Last reminder", "at": "at", "claim": "Claimed with interest and compensation",
	},
}

func wordsFor(lang string) map[string]string {
	if w, ok := words[lang]; ok {
		return w
	}
	return words["en"]
}

func langOf(lang string) string {
	if lang == "it" {
		return "it"
	}
	return "en"
}
