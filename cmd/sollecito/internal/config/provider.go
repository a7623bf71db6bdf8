package config

import (
	"fmt"
	"sort"
	"strings"
)

// Provider is a mail provider's published settings for mail programs: the
// IMAP and SMTP servers of an ordinary mailbox, or the SMTP server of a PEC
// mailbox (the [pec] account, used only for formal notices).
type Provider struct {
	Name, About  string
	IMAP, SMTP   string // host:port; "" when the preset is for [pec] only
	SMTPSecurity string // "tls" or "starttls"
	PEC          string // host:port of the PEC SMTP server
	Note         string // what to do at the provider, as a comment in the file
	// OAuth2 is the [oauth2] provider when the preset logs in with a
	// token rather than a password; "" for a password.
	OAuth2 string
}

// Providers are the presets of `sollecito init --provider`, from each
// provider's own help pages for mail programs.
var Providers = map[string]Provider{
	"gmail": {Name: "gmail", About: "Gmail and Google Workspace", IMAP: "imap.gmail.com:993", SMTP: "smtp.gmail.com:465", SMTPSecurity: "tls",
		Note: "Google: turn on 2-Step Verification, then create an app password (myaccount.google.com/apppasswords) and use it as the password; IMAP is on by default. Gmail files a copy of what it sends in [Gmail]/Sent Mail itself."},
	"gmail-oauth": {Name: "gmail-oauth", About: "Gmail and Google Workspace, with OAuth2 instead of an app password", IMAP: "imap.gmail.com:993", SMTP: "smtp.gmail.com:465", SMTPSecurity: "tls", OAuth2: "google",
		Note: "Google: create a Desktop-app OAuth client in Google Cloud with the Gmail scope https://mail.google.com/ (README, OAuth2), put its ID and secret in [oauth2], then run sollecito auth."},
	"microsoft": {Name: "microsoft", About: "Microsoft 365 and Outlook.com (OAuth2: Microsoft has switched passwords off for IMAP and SMTP)", IMAP: "outlook.office365.com:993", SMTP: "smtp.office365.com:587", SMTPSecurity: "starttls", OAuth2: "microsoft",
		Note: "Microsoft: register an application in Microsoft Entra with the IMAP.AccessAsUser.All and SMTP.Send delegated permissions and public client flows allowed (README, OAuth2), put its ID in [oauth2], then run sollecito auth; in Microsoft 365 an administrator must leave SMTP AUTH on for the mailbox."},
	"aruba": {Name: "aruba", About: "Aruba mail (ordinary mailboxes on your domain)", IMAP: "imaps.aruba.it:993", SMTP: "smtps.aruba.it:465", SMTPSecurity: "tls",
		Note: "Aruba: the login is the full address; with two-step verification on, use a password for mail programs generated in the webmail."},
	"libero": {Name: "libero", About: "Libero Mail", IMAP: "imapmail.libero.it:993", SMTP: "smtp.libero.it:465", SMTPSecurity: "tls",
		Note: "Libero: IMAP access must be allowed in the webmail's settings for mail programs."},
	"virgilio": {Name: "virgilio", About: "Virgilio Mail", IMAP: "in.virgilio.it:993", SMTP: "out.virgilio.it:465", SMTPSecurity: "tls",
		Note: "Virgilio: the login is the full address; allow access by mail programs in the webmail's settings."},
	"yahoo": {Name: "yahoo", About: "Yahoo Mail", IMAP: "imap.mail.yahoo.com:993", SMTP: "smtp.mail.yahoo.com:465", SMTPSecurity: "tls",
		Note: "Yahoo: generate an app password (Account security, 'Generate app password') and use it as the password."},
	"icloud": {Name: "icloud", About: "iCloud Mail", IMAP: "imap.mail.me.com:993", SMTP: "smtp.mail.me.com:587", SMTPSecurity: "starttls",
		Note: "Apple: turn on two-factor authentication, create an app-specific password at account.apple.com and use it as the password; the SMTP login is the full iCloud address, the IMAP one usually its name part (before the @), else the full address."},
	"pec-poste": {Name: "pec-poste", About: "Poste Italiane PEC (postecert), as the [pec] account for formal notices", PEC: "smtps.postecert.it:465",
		Note: "Poste PEC: the login is the full PEC address."},
	"pec-namirial": {Name: "pec-namirial", About: "Namirial PEC (sicurezzapostale.it), as the [pec] account for formal notices", PEC: "smtps.sicurezzapostale.it:465",
		Note: "Namirial PEC: the login is the full PEC address."},
	"pec-aruba": {Name: "pec-aruba", About: "Aruba PEC, as the [pec] account for formal notices", PEC: "smtps.pec.aruba.it:465",
		Note: "Aruba PEC: with two-step verification on, generate the dedicated password for mail programs in the PEC webmail (webmail.pec.it)."},
	"pec-legalmail": {Name: "pec-legalmail", About: "Legalmail (InfoCert) PEC, as the [pec] account for formal notices", PEC: "sendm.cert.legalmail.it:465",
		Note: "Legalmail: the login is the full PEC address."},
}

// ProviderNames lists the presets, sorted.
func ProviderNames() []string {
	var out []string
	for n := range Providers {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// ExampleFor returns the example configuration with a provider's servers
// in place of the example's, and its advice as a comment; several
// providers may be given (a mailbox and a PEC one).
func ExampleFor(names ...string) (string, error) {
	text := Example
	for _, name := range names {
		p, ok := Providers[strings.ToLower(strings.TrimSpace(name))]
		if !ok {
			return "", fmt.Errorf("unknown provider %q (known: %s)", name, strings.Join(ProviderNames(), ", "))
		}
		note := "# " + p.About + ": " + p.Note + "\n"
		if p.IMAP != "" {
			text = replaceOnce(text, `addr = "imap.example.com:993"`, fmt.Sprintf("addr = %q", p.IMAP))
			text = replaceOnce(text, `addr = "smtp.example.com:465"`+"\nsecurity = \"tls\"", fmt.Sprintf("addr = %q\nsecurity = %q", p.SMTP, p.SMTPSecurity))
			text = replaceOnce(text, "[imap]\n", note+"[imap]\n")
		}
		if p.OAuth2 != "" {
			text = withOAuth2(text, p.OAuth2)
		}
		if p.PEC != "" {
			text = replaceOnce(text, `# [pec]
# addr = "smtps.pec.example.it:465"
# security = "tls"`, note+fmt.Sprintf("[pec]\naddr = %q\nsecurity = \"tls\"", p.PEC))
			text = replaceOnce(text, `# username = "studiobianchi@pec.example.it"`, `username = "studiobianchi@pec.example.it"`)
			text = replaceOnce(text, `# password_env = "SOLLECITO_PEC_PASSWORD"`, `password_env = "SOLLECITO_PEC_PASSWORD"`)
			text = replaceOnce(text, `# address = "studiobianchi@pec.example.it"`, `address = "studiobianchi@pec.example.it"`)
		}
	}
	return text, nil
}

func replaceOnce(s, old, new string) string { return strings.Replace(s, old, new, 1) }

// withOAuth2 switches the example's [imap] and [smtp] from a password to
// the [oauth2] authorization of provider, and uncomments that section.
func withOAuth2(text, provider string) string {
	text = replaceOnce(text, `password_env = "SOLLECITO_IMAP_PASSWORD"   # or password_file = "/path", or password = "…"`+"\n"+`# auth = "oauth2"                   # instead of a password: a token from [oauth2] below`,
		`auth = "oauth2"                      # a token from [oauth2] below; no password`)
	text = replaceOnce(text, `password_env = "SOLLECITO_SMTP_PASSWORD"`+"\n"+`# auth = "oauth2"`, `auth = "oauth2"`)
	text = replaceOnce(text, "# [oauth2]\n", "[oauth2]\n")
	text = replaceOnce(text, `# provider = "microsoft"`, fmt.Sprintf(`provider = %q       `, provider))
	text = replaceOnce(text, `# client_id = `, `client_id = `)
	text = replaceOnce(text, `# token_file = `, `token_file = `)
	if provider == "google" {
		text = replaceOnce(text, `# client_secret_env = `, `client_secret_env = `)
	}
	if provider == "microsoft" {
		text = replaceOnce(text, `# tenant = "common"                  #`, `tenant = "common"                    # your Directory (tenant) ID for an app of one organization;`)
	}
	return text
}
