// Package oauth gets and keeps the OAuth2 access tokens the bot logs in to
// IMAP and SMTP with, where the provider takes no password (Microsoft 365,
// and Google by preference): the owner's consent once (Consent, run by
// `sollecito auth`), then a Source that refreshes the access token before it
// expires and when a server refuses it, keeping the refresh token in a file
// only the owner's user can read.
package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// The consent flows.
const (
	// FlowCode is the authorization-code flow with PKCE and a loopback
	// redirect (RFC 8252): a browser on the machine, or the address the
	// browser ends on pasted back.
	FlowCode = "code"
	// FlowDevice is the device-authorization flow (RFC 8628): a code to
	// type at the provider's page, from any device.
	FlowDevice = "device"
)

// Settings say which provider and application the tokens come from and
// where they are kept. Config fills them from [oauth2].
type Settings struct {
	// Provider is "google", "microsoft" or "" (the URLs given).
	Provider     string
	ClientID     string
	ClientSecret string // "" for a public client (Microsoft's)
	AuthURL      string
	TokenURL     string
	DeviceURL    string
	Scopes       []string
	// Flow is FlowCode or FlowDevice.
	Flow string
	// TokenFile holds the refresh token (JSON, mode 0600).
	TokenFile string
	// Account is the login name the tokens must be for (a hint at the
	// consent, and the name the check logs in with).
	Account string
}

// Preset is what a known provider's settings are.
type Preset struct {
	AuthURL, TokenURL, DeviceURL string
	Scopes                       []string
	Flow                         string
}

// Presets returns the endpoints, scopes and default flow of provider,
// false when it is not known. tenant is Microsoft's directory: "common"
// (any account), "organizations", "consumers", or the tenant's ID or domain.
func Presets(provider, tenant string) (Preset, bool) {
	switch provider {
	case "google":
		// The installed-application flow; Google's device flow does not
		// grant the mail scope.
		return Preset{
			AuthURL:  "https://accounts.google.com/o/oauth2/auth",
			TokenURL: "https://oauth2.googleapis.com/token",
			Scopes:   []string{"https://mail.google.com/"},
			Flow:     FlowCode,
		}, true
	case "microsoft":
		if tenant == "" {
			tenant = "common"
		}
		base := "https://login.microsoftonline.com/" + tenant + "/oauth2/v2.0/"
		return Preset{
			AuthURL:   base + "authorize",
			TokenURL:  base + "token",
			DeviceURL: base + "devicecode",
			Scopes: []string{"https://outlook.office.com/IMAP.AccessAsUser.All",
				"https://outlook.office.com/SMTP.Send", "offline_access"},
			Flow: FlowDevice,
		}, true
	}
	return Preset{}, false
}

func (s Settings) config() *oauth2.Config {
	return &oauth2.Config{
		ClientID:     s.ClientID,
		ClientSecret: s.ClientSecret,
		Endpoint:     oauth2.Endpoint{AuthURL: s.AuthURL, TokenURL: s.TokenURL, DeviceAuthURL: s.DeviceURL},
		Scopes:       s.Scopes,
	}
}

// Stored is what the token file holds.
type Stored struct {
	Provider     string    `json:"provider,omitempty"`
	ClientID     string    `json:"client_id"`
	Account      string    `json:"account,omitempty"`
	RefreshToken string    `json:"refresh_token"`
	AccessToken  string    `json:"access_token,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
	// Granted is when the owner gave consent; Refreshed, the last refresh.
	Granted   time.Time `json:"granted"`
	Refreshed time.Time `json:"refreshed,omitzero"`
}

// ErrRevoked is what AccessToken's error wraps when the provider refuses
// the refresh token (revoked, expired, the password changed, the consent
// withdrawn): only a new consent helps.
var ErrRevoked = errors.New("the OAuth2 authorization was revoked or has expired")

// ErrNoConsent is what AccessToken's error wraps when the token file does
// not exist: the consent was never given.
var ErrNoConsent = errors.New("no OAuth2 authorization yet")

// tokenTimeout bounds one request to the token endpoint.
const tokenTimeout = 30 * time.Second

// earlyRefresh is how long before its expiry an access token is replaced.
const earlyRefresh = time.Minute

// Source gives access tokens from the token file, refreshing them. It
// implements mailbox.TokenSource; one Source serves IMAP and SMTP.
type Source struct {
	set    Settings
	conf   *oauth2.Config
	now    func() time.Time
	client *http.Client
	// Advice is what to run for a new consent, named in errors.
	advice string

	mu       sync.Mutex
	tok      Stored
	stamp    fileStamp // of the file tok was read from
	rejected string    // an access token a server refused
}

type fileStamp struct {
	mod  time.Time
	size int64
}

// NewSource returns a Source for s. now is the clock token lifetimes are
// measured with; advice is the command that gives a new consent
// ("sollecito auth --config sollecito.toml"), named in its errors.
func NewSource(s Settings, now func() time.Time, advice string) *Source {
	return &Source{set: s, conf: s.config(), now: now, advice: advice,
		client: &http.Client{Timeout: tokenTimeout}}
}

// AccessToken returns a token valid for at least a minute more, refreshed
// when the stored one is older or was refused. Its errors wrap ErrRevoked
// or ErrNoConsent when only a new consent helps, and never hold a token.
func (s *Source) AccessToken(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.load(); err != nil {
		return "", err
	}
	now := s.now()
	if s.tok.AccessToken != "" && s.tok.AccessToken != s.rejected && now.Add(earlyRefresh).Before(s.tok.Expiry) {
		return s.tok.AccessToken, nil
	}
	ctx, cancel := context.WithTimeout(context.WithValue(ctx, oauth2.HTTPClient, s.client), tokenTimeout)
	defer cancel()
	t, err := s.conf.TokenSource(ctx, &oauth2.Token{RefreshToken: s.tok.RefreshToken}).Token()
	if err != nil {
		return "", s.refreshError(err)
	}
	s.tok.AccessToken = t.AccessToken
	s.tok.Expiry = expiry(t, now)
	if t.RefreshToken != "" { // a provider that rotates them
		s.tok.RefreshToken = t.RefreshToken
	}
	s.tok.Refreshed = now
	s.rejected = ""
	if err := s.save(); err != nil {
		return "", err
	}
	return s.tok.AccessToken, nil
}

// Rejected makes the next AccessToken refresh instead of returning token.
func (s *Source) Rejected(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejected = token
}

// Stored returns what the token file holds (ErrNoConsent when there is
// none), for `check` to say whose authorization it is and since when.
func (s *Source) Stored() (Stored, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.load(); err != nil {
		return Stored{}, err
	}
	return s.tok, nil
}

// expiry is when t stops being valid by the injected clock: the lifetime
// the endpoint gave, counted from now.
func expiry(t *oauth2.Token, now time.Time) time.Time {
	if t.ExpiresIn > 0 {
		return now.Add(time.Duration(t.ExpiresIn) * time.Second)
	}
	if !t.Expiry.IsZero() {
		return t.Expiry
	}
	return now.Add(time.Hour) // the endpoint says nothing: the usual hour
}

// refreshError says what a failed refresh means for the owner.
func (s *Source) refreshError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		desc := re.ErrorCode
		if re.ErrorDescription != "" {
			desc += ": " + firstLine(re.ErrorDescription)
		}
		switch re.ErrorCode {
		case "invalid_grant":
			return fmt.Errorf("%w (the provider says %s): run %s again", ErrRevoked, desc, s.advice)
		case "invalid_client", "unauthorized_client":
			return fmt.Errorf("the provider refuses the application (%s): check oauth2.client_id and the client secret", desc)
		}
		if hint := tokenHint(re); hint != "" {
			desc += " (" + hint + ")"
		}
		if desc == "" {
			desc = "HTTP " + re.Response.Status
		}
		return fmt.Errorf("refresh the OAuth2 token at %s: %s", s.set.TokenURL, desc)
	}
	return fmt.Errorf("refresh the OAuth2 token at %s: %w", s.set.TokenURL, err)
}

// load reads the token file when it changed since the last read (a new
// consent while the daemon runs is taken at the next login).
func (s *Source) load() error {
	fi, err := os.Stat(s.set.TokenFile)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%w (no %s): run %s", ErrNoConsent, s.set.TokenFile, s.advice)
	}
	if err != nil {
		return fmt.Errorf("token file: %w", err)
	}
	st := fileStamp{fi.ModTime(), fi.Size()}
	if st == s.stamp && s.tok.RefreshToken != "" {
		return nil
	}
	t, err := ReadFile(s.set.TokenFile)
	if err != nil {
		return err
	}
	if t.ClientID != "" && t.ClientID != s.set.ClientID {
		return fmt.Errorf("%w: %s was given to another application (client_id %s, not oauth2.client_id %s): run %s", ErrNoConsent, s.set.TokenFile, t.ClientID, s.set.ClientID, s.advice)
	}
	s.tok, s.stamp = t, st
	return nil
}

// save writes the token file and notes its stamp, so that it is not read
// back as a change.
func (s *Source) save() error {
	if err := WriteFile(s.set.TokenFile, s.tok); err != nil {
		return err
	}
	if fi, err := os.Stat(s.set.TokenFile); err == nil {
		s.stamp = fileStamp{fi.ModTime(), fi.Size()}
	}
	return nil
}

// maxTokenFile bounds what ReadFile reads: a token file is a few KiB.
const maxTokenFile = 1 << 20

// ReadFile reads a token file; an error names the file and what is wrong.
func ReadFile(path string) (Stored, error) {
	f, err := os.Open(path)
	if err != nil {
		return Stored{}, fmt.Errorf("token file: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxTokenFile+1))
	if err != nil {
		return Stored{}, fmt.Errorf("token file: %w", err)
	}
	if len(b) > maxTokenFile {
		return Stored{}, fmt.Errorf("token file %s: larger than 1 MiB, not a token file", path)
	}
	var t Stored
	if err := json.Unmarshal(b, &t); err != nil {
		return Stored{}, fmt.Errorf("token file %s: %w", path, err)
	}
	if t.RefreshToken == "" {
		return Stored{}, fmt.Errorf("token file %s holds no refresh token", path)
	}
	return t, nil
}

// WriteFile replaces the token file at once (a crash leaves the old one or
// the new one), readable by its owner only.
func WriteFile(path string, t Stored) error {
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("token file: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after the rename, nothing to remove
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("token file: %w", err)
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("token file: %w", err)
	}
	return nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
