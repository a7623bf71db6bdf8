// Package oauthtest is an OAuth2 provider on loopback for tests: the
// authorization endpoint (PKCE, loopback redirect), the device endpoint and
// the token endpoint, with refresh tokens it can rotate and revoke. It
// stands in for Google's and Microsoft's, the one outside party. JWT signs
// the access tokens the test Dovecot of .ci/mail-up.sh validates.
package oauthtest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"time"
)

// Provider is a running test provider.
type Provider struct {
	*httptest.Server
	// Mint makes the access token for account; it lives for the
	// returned duration (expires_in).
	Mint func(account string) (token string, ttl time.Duration)
	// Account is whose consent the authorization page gives.
	Account string
	// Rotate makes every refresh return a new refresh token.
	Rotate bool
	// Secret, when set, is the client secret the token endpoint demands
	// (HTTP Basic or in the form), as Google's does.
	Secret string

	mu        sync.Mutex
	codes     map[string]grant  // authorization code → its grant
	refresh   map[string]string // refresh token → account
	devices   map[string]int    // device code → polls left before approval
	refreshes int
}

type grant struct {
	account, challenge, redirect string
}

// New starts a provider whose tokens mint makes.
func New(mint func(account string) (string, time.Duration)) *Provider {
	p := &Provider{Mint: mint, Account: "bot@example.test",
		codes: map[string]grant{}, refresh: map[string]string{}, devices: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/authorize", p.authorize)
	mux.HandleFunc("/device", p.device)
	mux.HandleFunc("/token", p.token)
	p.Server = httptest.NewServer(mux)
	return p
}

// The endpoints' addresses.
func (p *Provider) AuthURL() string   { return p.URL + "/authorize" }
func (p *Provider) TokenURL() string  { return p.URL + "/token" }
func (p *Provider) DeviceURL() string { return p.URL + "/device" }

// Refreshes returns how many refresh grants the token endpoint answered.
func (p *Provider) Refreshes() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refreshes
}

// RevokeAll makes every refresh token given so far invalid (invalid_grant).
func (p *Provider) RevokeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	clear(p.refresh)
}

// authorize plays the owner who signs in and allows access: it sends the
// browser straight back to the redirect with a code.
func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || redirect.Hostname() != "127.0.0.1" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
		http.Error(w, "want a loopback redirect_uri and an S256 code_challenge", http.StatusBadRequest)
		return
	}
	code := random()
	p.mu.Lock()
	p.codes[code] = grant{account: p.Account, challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri")}
	p.mu.Unlock()
	v := url.Values{"code": {code}, "state": {q.Get("state")}}
	http.Redirect(w, r, q.Get("redirect_uri")+"?"+v.Encode(), http.StatusFound)
}

func (p *Provider) device(w http.ResponseWriter, r *http.Request) {
	code := random()
	p.mu.Lock()
	p.devices[code] = 1 // one "authorization_pending" first
	p.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"device_code": code, "user_code": "ABCD-EFGH",
		"verification_uri": p.URL + "/activate", "expires_in": 600, "interval": 1})
}

func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		fail(w, "invalid_request", err.Error())
		return
	}
	if p.Secret != "" {
		_, secret, ok := r.BasicAuth()
		if !ok {
			secret = r.PostForm.Get("client_secret")
		}
		if secret != p.Secret {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": "The OAuth client was not found."})
			return
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var account string
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		g, ok := p.codes[r.PostForm.Get("code")]
		delete(p.codes, r.PostForm.Get("code"))
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		switch {
		case !ok:
			fail(w, "invalid_grant", "unknown code")
			return
		case base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
			fail(w, "invalid_grant", "PKCE verification failed")
			return
		case r.PostForm.Get("redirect_uri") != g.redirect:
			fail(w, "invalid_grant", "redirect_uri differs")
			return
		}
		account = g.account
	case "urn:ietf:params:oauth:grant-type:device_code":
		left, ok := p.devices[r.PostForm.Get("device_code")]
		if !ok {
			fail(w, "expired_token", "unknown device code")
			return
		}
		if left > 0 {
			p.devices[r.PostForm.Get("device_code")] = left - 1
			fail(w, "authorization_pending", "")
			return
		}
		delete(p.devices, r.PostForm.Get("device_code"))
		account = p.Account
	case "refresh_token":
		rt := r.PostForm.Get("refresh_token")
		a, ok := p.refresh[rt]
		if !ok {
			fail(w, "invalid_grant", "Token has been expired or revoked.")
			return
		}
		p.refreshes++
		account = a
		if !p.Rotate {
			tok, ttl := p.Mint(account)
			writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": int(ttl / time.Second)})
			return
		}
		delete(p.refresh, rt)
	default:
		fail(w, "unsupported_grant_type", r.PostForm.Get("grant_type"))
		return
	}
	rt := random()
	p.refresh[rt] = account
	tok, ttl := p.Mint(account)
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer",
		"expires_in": int(ttl / time.Second), "refresh_token": rt})
}

func fail(w http.ResponseWriter, code, desc string) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": code, "error_description": desc})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func random() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// JWT signs an HS256 access token for sub with key, valid for ttl
// (negative: already expired), issued by "sollecito-test": what the test
// Dovecot (.ci/mail-up.sh, its DIR/oauth2/key) accepts for the login sub.
func JWT(key []byte, sub string, ttl time.Duration) string {
	enc := base64.RawURLEncoding.EncodeToString
	head, _ := json.Marshal(map[string]string{"alg": "HS256", "typ": "JWT"})
	now := time.Now()
	body, _ := json.Marshal(map[string]any{"sub": sub, "iss": "sollecito-test", "iat": now.Add(-time.Minute).Unix(), "exp": now.Add(ttl).Unix()})
	signing := enc(head) + "." + enc(body)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(signing))
	return signing + "." + enc(mac.Sum(nil))
}
