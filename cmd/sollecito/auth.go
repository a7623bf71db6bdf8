package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/config"
	"github.com/sollecito/sollecito/cmd/sollecito/internal/oauth"
	"github.com/sollecito/sollecito/mailbox"
)

// mailServers returns the IMAP and SMTP settings of cfg; the sections that
// log in with OAuth2 share one token source (src, nil when none does).
func mailServers(cfg *config.Config, cfgPath string, now func() time.Time) (imap, smtp mailbox.ServerConfig, src *oauth.Source) {
	imap = config.ServerConfig(cfg.IMAP, cfg.IMAPPassword)
	smtp = config.ServerConfig(cfg.SMTP, cfg.SMTPPassword)
	if cfg.OAuth.TokenFile == "" {
		return imap, smtp, nil
	}
	src = oauth.NewSource(cfg.OAuth, now, "sollecito auth --config "+cfgPath)
	if cfg.IMAP.Auth == config.AuthOAuth2 {
		imap.Token = src
	}
	if cfg.SMTP.Auth == config.AuthOAuth2 {
		smtp.Token = src
	}
	return imap, smtp, src
}

// ownerMustAct reports whether a login failed for a reason only the owner
// can remove: the OAuth2 authorization is revoked or was never given.
// Retrying goes on (a new consent is read at the next login), but the
// owner must be told.
func ownerMustAct(err error) bool {
	return errors.Is(err, oauth.ErrRevoked) || errors.Is(err, oauth.ErrNoConsent)
}

// loginRefused records that the bot cannot log in to server and tells the
// owner, once a day, by mail if SMTP still logs in.
func (a *app) loginRefused(ctx context.Context, server, account string, cause error, smtp *mailbox.SMTP) {
	queued, err := a.eng.LoginRefused(ctx, server, account, cause)
	if err != nil {
		a.log.Error("record the refused login", "err", err)
		return
	}
	if !queued {
		return
	}
	a.log.Error("the owner must renew the mailbox authorization; alert queued", "server", server, "err", cause)
	if err := a.eng.Flush(ctx, nil, smtp); err != nil {
		a.log.Warn("the alert waits in the outbox: SMTP failed too", "err", err)
	}
}

func cmdAuth(ctx context.Context, args []string, stdout io.Writer, getenv func(string) string) error {
	fs := newFlags("auth")
	cfgPath := fs.String("config", "", "configuration file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *cfgPath == "" {
		return usageError{errors.New("--config FILE is required")}
	}
	// The mailbox passwords are not needed to give consent.
	cfg, err := config.Load(*cfgPath, getenv, false)
	if err != nil {
		return err
	}
	o := cfg.OAuth
	if o.TokenFile == "" {
		return fmt.Errorf("%s: neither [imap] nor [smtp] has auth = \"oauth2\": there is nothing to authorize (see README, OAuth2)", *cfgPath)
	}
	for _, p := range cfg.Placeholders() {
		if strings.HasPrefix(p.Key, "oauth2.") || p.Key == "imap.username" || p.Key == "smtp.username" {
			return fmt.Errorf("%s: %s", *cfgPath, p)
		}
	}
	if (cfg.OAuth2.ClientSecretEnv != "" || cfg.OAuth2.ClientSecretFile != "") && o.ClientSecret == "" {
		return fmt.Errorf("oauth2: the client secret is not set (client_secret_env %q or client_secret_file %q)", cfg.OAuth2.ClientSecretEnv, cfg.OAuth2.ClientSecretFile)
	}
	now := clock(time.Time{})
	st, err := oauth.Consent(ctx, o, stdin, stdout, now)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nstored the authorization for %s in %s (readable by you only); the access token is valid until %s, and the bot renews it by itself\n",
		o.Account, o.TokenFile, st.Expiry.In(cfg.Settings.Location).Format("2006-01-02 15:04"))
	// Log in with it now: a consent given as another account fails here,
	// not at the first pass.
	imapCfg, smtpCfg, _ := mailServers(cfg, *cfgPath, now)
	log := newLogger(io.Discard, slog.LevelError)
	var failed []string
	if imapCfg.Token != nil {
		in, err := mailbox.DialIMAP(ctx, imapCfg, cfg.IMAP.Folder, log)
		if err != nil {
			fmt.Fprintf(stdout, "imap %s: FAILED: %v\n", cfg.IMAP.Addr, err)
			failed = append(failed, "imap")
		} else {
			in.Close()
			fmt.Fprintf(stdout, "imap %s: ok (logged in as %s with the token)\n", cfg.IMAP.Addr, cfg.IMAP.Username)
		}
	}
	if smtpCfg.Token != nil {
		if err := mailbox.NewSMTP(smtpCfg, log).Check(ctx); err != nil {
			fmt.Fprintf(stdout, "smtp %s: FAILED: %v\n", cfg.SMTP.Addr, err)
			failed = append(failed, "smtp")
		} else {
			fmt.Fprintf(stdout, "smtp %s: ok (logged in as %s with the token)\n", cfg.SMTP.Addr, cfg.SMTP.Username)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("the authorization is stored, but the login to %s failed (the server's words are above): if you signed in as someone other than %s, run sollecito auth again and sign in as %s; otherwise mend what the server says", strings.Join(failed, " and "), o.Account, o.Account)
	}
	return nil
}

// oauthStatus is check's line about the stored authorization.
func oauthStatus(cfg *config.Config, src *oauth.Source) string {
	st, err := src.Stored()
	if err != nil {
		return fmt.Sprintf("oauth2: FAILED: %v\n", err)
	}
	loc := cfg.Settings.Location
	s := fmt.Sprintf("oauth2: authorization for %s given %s, in %s", st.Account, st.Granted.In(loc).Format("2006-01-02 15:04"), cfg.OAuth.TokenFile)
	if !st.Refreshed.IsZero() {
		s += ", last renewed " + st.Refreshed.In(loc).Format("2006-01-02 15:04")
	}
	return s + "\n"
}
