package oauth

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// consentTimeout is how long Consent waits for the owner.
const consentTimeout = 15 * time.Minute

// Consent asks the owner to let the bot use the mailbox, by the flow s
// names, and writes the tokens to s.TokenFile. It prints to out what to
// open and, for the code flow, reads from in the address the browser ended
// on when the browser runs on another machine. now stamps the file.
func Consent(ctx context.Context, s Settings, in io.Reader, out io.Writer, now func() time.Time) (Stored, error) {
	ctx, cancel := context.WithTimeout(ctx, consentTimeout)
	defer cancel()
	ctx = context.WithValue(ctx, oauth2.HTTPClient, &http.Client{Timeout: tokenTimeout})
	var (
		t   *oauth2.Token
		err error
	)
	switch s.Flow {
	case FlowDevice:
		t, err = deviceFlow(ctx, s, out)
	case FlowCode, "":
		t, err = codeFlow(ctx, s, in, out)
	default:
		return Stored{}, fmt.Errorf("oauth2.flow %q: want %q or %q", s.Flow, FlowCode, FlowDevice)
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return Stored{}, fmt.Errorf("no consent within %v: run it again", consentTimeout)
		}
		return Stored{}, err
	}
	if t.RefreshToken == "" {
		return Stored{}, errors.New("the provider gave an access token but no refresh token, so the bot could not log in an hour from now: for Microsoft the scopes must include offline_access; for Google, remove the application's access at myaccount.google.com/permissions and run this again")
	}
	at := now()
	st := Stored{Provider: s.Provider, ClientID: s.ClientID, Account: s.Account,
		RefreshToken: t.RefreshToken, AccessToken: t.AccessToken, Expiry: expiry(t, at), Granted: at}
	if err := WriteFile(s.TokenFile, st); err != nil {
		return Stored{}, err
	}
	return st, nil
}

// deviceFlow shows the provider's page and code, then waits for the owner
// to enter it (RFC 8628).
func deviceFlow(ctx context.Context, s Settings, out io.Writer) (*oauth2.Token, error) {
	if s.DeviceURL == "" {
		return nil, errors.New("the device flow needs oauth2.device_url")
	}
	conf := s.config()
	da, err := conf.DeviceAuth(ctx)
	if err != nil {
		return nil, fmt.Errorf("ask %s for a device code: %w", s.DeviceURL, tokenError(err))
	}
	fmt.Fprintf(out, "On any computer or phone, open\n\n    %s\n\nand enter the code  %s", da.VerificationURI, da.UserCode)
	if s.Account != "" {
		fmt.Fprintf(out, "  then sign in as %s", s.Account)
	}
	fmt.Fprintf(out, " and allow access.\nWaiting for you (up to %v)...\n", time.Until(da.Expiry).Round(time.Minute))
	t, err := conf.DeviceAccessToken(ctx, da)
	if err != nil {
		return nil, fmt.Errorf("wait for the consent: %w", tokenError(err))
	}
	return t, nil
}

// codeFlow is the authorization-code flow with PKCE (RFC 7636) and a
// loopback redirect (RFC 8252): the provider sends the browser back to a
// port this process listens on. When the browser runs on another machine
// that page does not load, and the owner pastes its address instead.
func codeFlow(ctx context.Context, s Settings, in io.Reader, out io.Writer) (*oauth2.Token, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen for the provider's redirect: %w", err)
	}
	defer ln.Close()
	conf := s.config()
	conf.RedirectURL = "http://" + ln.Addr().String() + "/"
	state := randomString()
	verifier := oauth2.GenerateVerifier()
	opts := []oauth2.AuthCodeOption{oauth2.AccessTypeOffline, oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("prompt", "consent")} // Google gives a refresh token only at a consent
	if s.Account != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", s.Account))
	}
	fmt.Fprintf(out, "Open this address in a browser, sign in")
	if s.Account != "" {
		fmt.Fprintf(out, " as %s", s.Account)
	}
	fmt.Fprintf(out, " and allow access:\n\n    %s\n\n", conf.AuthCodeURL(state, opts...))
	fmt.Fprintf(out, "The browser then goes back to %s. If it runs on another computer that page will not load:\n"+
		"copy its whole address from the address bar, paste it here and press Enter.\nWaiting for you...\n", conf.RedirectURL)

	got := make(chan url.Values, 2)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("state") == "" && q.Get("code") == "" && q.Get("error") == "" {
			http.NotFound(w, r) // a favicon
			return
		}
		msg := "Sollecito has the authorization: you can close this page."
		if e := q.Get("error"); e != "" {
			msg = "The provider refused: " + e + " " + q.Get("error_description")
		} else if q.Get("state") != state {
			msg = "This page is not the answer to the consent Sollecito asked for; nothing was stored."
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><title>Sollecito</title><p>%s</p>\n", html.EscapeString(msg))
		select {
		case got <- q:
		default:
		}
	})}
	go srv.Serve(ln)
	defer srv.Close()
	go func() {
		sc := bufio.NewScanner(io.LimitReader(in, 64<<10))
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" {
				continue
			}
			u, err := url.Parse(line)
			if err != nil || (u.Query().Get("code") == "" && u.Query().Get("error") == "") {
				fmt.Fprintln(out, "That is not the address the browser ended on (it holds code=...); paste the whole address.")
				continue
			}
			select {
			case got <- u.Query():
			default:
			}
			return
		}
	}()
	for {
		var q url.Values
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case q = <-got:
		}
		if e := q.Get("error"); e != "" {
			return nil, fmt.Errorf("the provider refused the consent: %s %s", e, q.Get("error_description"))
		}
		if q.Get("state") != state {
			fmt.Fprintln(out, "An answer that is not for this consent (its state differs): ignored; still waiting.")
			continue
		}
		t, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
		if err != nil {
			return nil, fmt.Errorf("exchange the code at %s: %w", s.TokenURL, tokenError(err))
		}
		return t, nil
	}
}

// tokenError shortens an endpoint's refusal to its code and description,
// with what to do about the usual ones.
func tokenError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.ErrorCode != "" {
		msg := re.ErrorCode
		if re.ErrorDescription != "" {
			msg += ": " + firstLine(re.ErrorDescription)
		}
		if hint := tokenHint(re); hint != "" {
			msg += " (" + hint + ")"
		}
		return errors.New(msg)
	}
	return err
}

// tokenHint says what the owner can do about an endpoint's refusal.
func tokenHint(re *oauth2.RetrieveError) string {
	switch {
	case strings.Contains(re.ErrorDescription, "AADSTS7000218"):
		return "turn on Authentication > Advanced settings > Allow public client flows in the app registration"
	case strings.Contains(re.ErrorDescription, "AADSTS50194"), strings.Contains(re.ErrorDescription, "AADSTS90130"):
		return "the app is registered for one directory: set oauth2.tenant to its Directory (tenant) ID"
	case strings.Contains(re.ErrorDescription, "AADSTS65001"), strings.Contains(re.ErrorDescription, "AADSTS90094"):
		return "an administrator must grant consent to the app (API permissions > Grant admin consent)"
	case re.ErrorCode == "invalid_client", re.ErrorCode == "unauthorized_client":
		return "check oauth2.client_id and the client secret"
	}
	return ""
}

func randomString() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
