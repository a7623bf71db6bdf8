package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/sollecito/sollecito/policy"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

var goodEnv = env(map[string]string{"SOLLECITO_IMAP_PASSWORD": "imap-secret", "SOLLECITO_SMTP_PASSWORD": "smtp-secret"})

func TestExampleIsValid(t *testing.T) {
	c, err := Parse(Example, "example.toml", goodEnv, true)
	if err != nil {
		t.Fatalf("the example configuration is not valid: %v", err)
	}
	if c.IMAPPassword != "imap-secret" || c.SMTPPassword != "smtp-secret" {
		t.Errorf("passwords not resolved from the environment")
	}
	if c.Settings.OfficeOpen != 9*time.Hour || c.Settings.OfficeClose != 18*time.Hour {
		t.Errorf("office hours = %v-%v", c.Settings.OfficeOpen, c.Settings.OfficeClose)
	}
	if len(c.Settings.ExtraHolidays) != 0 {
		t.Errorf("extra holidays = %v, want none: the example must not give a business a day off by default", c.Settings.ExtraHolidays)
	}
	cl := c.ClientSettings("Amministrazione@Rossi.example")
	if cl.ToleranceDays != 5 || len(cl.PaymentDays) != 2 || cl.Language != "it" {
		t.Errorf("client settings = %+v", cl)
	}
	if !c.IsOwner("MARIA@example.com") || c.IsOwner("other@example.com") {
		t.Errorf("IsOwner wrong")
	}
}

func TestProblems(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(string) string
		env    func(string) string
		key    string
		inMsg  string
		onLine bool
	}{
		{"unknown key", func(s string) string {
			return strings.Replace(s, `folder = "INBOX"`, `folder = "INBOX"`+"\nfodler = 1", 1)
		}, goodEnv, "imap.fodler", "unknown key", true},
		{"bad security", func(s string) string { return strings.Replace(s, `security = "tls"`, `security = "ssl"`, 1) }, goodEnv, "imap.security", "not one of", true},
		{"plaintext off loopback", func(s string) string { return strings.Replace(s, `security = "tls"`, `security = "none"`, 1) }, goodEnv, "imap.security", "loopback", true},
		{"bad iban", func(s string) string {
			return strings.Replace(s, "IT60X0542811101000000123456", "IT61X0542811101000000123456", 1)
		}, goodEnv, "business.iban", "", true},
		{"missing env", func(s string) string { return s }, env(map[string]string{"SOLLECITO_SMTP_PASSWORD": "x"}), "imap.password_env", "SOLLECITO_IMAP_PASSWORD", true},
		{"bad office hours", func(s string) string { return strings.Replace(s, "09:00-18:00", "18:00-09:00", 1) }, goodEnv, "policy.office_hours", "", true},
		{"harassing interval", func(s string) string {
			return strings.Replace(s, "stage_interval_days = 10", "stage_interval_days = 2", 1)
		}, goodEnv, "policy.stage_interval_days", "out of range", true},
		{"bad holiday", func(s string) string {
			return strings.Replace(s, `# extra_holidays = ["12-07"]`, `extra_holidays = ["7 dicembre"]`, 1)
		}, goodEnv, "policy.extra_holidays[0]", "MM-DD", false},
		{"bad payment day", func(s string) string { return strings.Replace(s, "[10, 25]", "[10, 32]", 1) }, goodEnv, `clients."amministrazione@rossi.example".payment_days`, "32", false},
		{"poll interval not a duration", func(s string) string { return strings.Replace(s, `poll_interval = "5m"`, `poll_interval = "soon"`, 1) }, goodEnv, "run.poll_interval", "a duration in quotes", true},
		{"poll interval a number", func(s string) string { return strings.Replace(s, `poll_interval = "5m"`, `poll_interval = 300`, 1) }, goodEnv, "run.poll_interval", "a duration in quotes", true},
		{"poll interval too short", func(s string) string { return strings.Replace(s, `poll_interval = "5m"`, `poll_interval = "5s"`, 1) }, goodEnv, "run.poll_interval", "less than 10s", true},
		{"bad since", func(s string) string { return strings.Replace(s, `# since = "2026-11-01"`, `since = "1/11/2026"`, 1) }, goodEnv, "run.since", "not a date", true},
		{"bad timezone", func(s string) string { return strings.Replace(s, "Europe/Rome", "Europe/Roma", 1) }, goodEnv, "policy.timezone", "Europe/Roma", true},
		{"bad summary", func(s string) string { return strings.Replace(s, `# summary = "weekly"`, `summary = "monthly"`, 1) }, goodEnv, "owner.summary", "monthly", true},
		{"bad payments.auto", func(s string) string { return strings.Replace(s, `auto = "certain"`, `auto = "always"`, 1) }, goodEnv, "payments.auto", "always", true},
		{"bad summary day", func(s string) string { return strings.Replace(s, `# summary_day = "monday"`, `summary_day = "mon"`, 1) }, goodEnv, "owner.summary_day", "mon", true},
		{"bad vat number", func(s string) string {
			return strings.Replace(s, `# vat_number = "01234567897"`, `vat_number = "01234567890"`, 1)
		}, goodEnv, "business.vat_number", "check digit", true},
		{"bad summary time", func(s string) string {
			return strings.Replace(s, `# summary_time = "09:00"`, `summary_time = "9am"`, 1)
		}, goodEnv, "owner.summary_time", "9am", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.edit(Example), "x.toml", tt.env, true)
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a *config.Error", err)
			}
			for _, p := range ce.Problems {
				if p.Key == tt.key && strings.Contains(p.Msg, tt.inMsg) {
					if tt.onLine && p.Line == 0 {
						t.Errorf("problem %q has no line", p)
					}
					if strings.Contains(ce.Error(), "imap-secret") {
						t.Errorf("error leaks a password: %v", ce)
					}
					return
				}
			}
			t.Errorf("no problem for %s containing %q in:\n%v", tt.key, tt.inMsg, err)
		})
	}
}

func TestAllProblemsAtOnce(t *testing.T) {
	text := strings.NewReplacer(`security = "tls"`, `security = "ssl"`, "Europe/Rome", "Mars/Olympus", `address = "solleciti@example.com"`, `address = "nobody"`).Replace(Example)
	_, err := Parse(text, "x.toml", goodEnv, true)
	var ce *Error
	if !errors.As(err, &ce) || len(ce.Problems) < 4 {
		t.Fatalf("want at least 4 problems at once, got %v", err)
	}
}

func TestSyntaxErrorHasLine(t *testing.T) {
	_, err := Parse("[imap]\naddr = \"x:1\"\nsecurity = tls\n", "bad.toml", goodEnv, true)
	var ce *Error
	if !errors.As(err, &ce) || ce.Problems[0].Line != 3 {
		t.Fatalf("want a problem on line 3, got %v", err)
	}
	if !strings.Contains(err.Error(), "bad.toml") {
		t.Errorf("error does not name the file: %v", err)
	}
}

func TestPasswordFileAndMissingFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pw"), []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(Example, `password_env = "SOLLECITO_IMAP_PASSWORD"`, `password_file = "pw"`, 1)
	path := filepath.Join(dir, "s.toml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, goodEnv, true)
	if err != nil {
		t.Fatal(err)
	}
	if c.IMAPPassword != "from-file" {
		t.Errorf("password_file gave %q", c.IMAPPassword)
	}
	if c.Store.Path != filepath.Join(dir, "sollecito.db") {
		t.Errorf("store path not relative to the file: %s", c.Store.Path)
	}
	if _, err := Load(filepath.Join(dir, "nope.toml"), goodEnv, true); err == nil || !strings.Contains(err.Error(), "sollecito init") {
		t.Errorf("missing file error = %v", err)
	}
}

func TestRatesFileAndConsumer(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "rates.toml"), []byte("[[rate]]\nfrom = 2026-07-01\nreference = \"2.40\"\nsource = \"test\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(Example, `# rates_file = "rates.toml"`, `rates_file = "rates.toml"`, 1)
	text = strings.Replace(text, "consumer = false", "consumer = true", 1)
	c, err := Parse(text, filepath.Join(dir, "c.toml"), goodEnv, true)
	if err != nil {
		t.Fatal(err)
	}
	if r, exact, ok := c.Rates.For(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)); !ok || !exact || r.Reference.String() != "2.4" {
		t.Errorf("2H2026 from the rates file: %+v exact=%v ok=%v", r, exact, ok)
	}
	if c.Rates.Len() != policy.DefaultRates().Len()+1 {
		t.Errorf("rates: %d half-years, want the built-in ones plus one", c.Rates.Len())
	}
	if !c.ClientSettings("amministrazione@rossi.example").Consumer {
		t.Error("consumer = true not read")
	}

	if err := os.WriteFile(filepath.Join(dir, "bad.toml"), []byte("[[rate]]\nfrom = 2026-08-01\nreference = \"2\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Parse(strings.Replace(text, `rates_file = "rates.toml"`, `rates_file = "bad.toml"`, 1), filepath.Join(dir, "c.toml"), goodEnv, true)
	if err == nil || !strings.Contains(err.Error(), "policy.rates_file") || !strings.Contains(err.Error(), "half-year") {
		t.Errorf("bad rates file: %v", err)
	}
	_, err = Parse(strings.Replace(text, `rates_file = "rates.toml"`, `rates_file = "absent.toml"`, 1), filepath.Join(dir, "c.toml"), goodEnv, true)
	if err == nil || !strings.Contains(err.Error(), "absent.toml") {
		t.Errorf("missing rates file: %v", err)
	}
}

func TestSummarySchedule(t *testing.T) {
	for _, c := range []struct {
		lines string
		want  policy.SummarySchedule
	}{
		{"", policy.SummarySchedule{Every: policy.SummaryWeekly, Weekday: time.Monday, At: 9 * time.Hour}},
		{`summary = "daily"`, policy.SummarySchedule{Every: policy.SummaryDaily, Weekday: time.Monday, At: 9 * time.Hour}},
		{`summary = "off"`, policy.SummarySchedule{Every: policy.SummaryOff, Weekday: time.Monday, At: 9 * time.Hour}},
		{"summary_day = \"venerdì\"\nsummary_time = \"17:30\"", policy.SummarySchedule{Every: policy.SummaryWeekly, Weekday: time.Friday, At: 17*time.Hour + 30*time.Minute}},
		{`summary_day = "Thursday"`, policy.SummarySchedule{Every: policy.SummaryWeekly, Weekday: time.Thursday, At: 9 * time.Hour}},
	} {
		text := strings.Replace(Example, `language = "it"                      # it | en: escalations and summaries`, `language = "it"`+"\n"+c.lines, 1)
		cfg, err := Parse(text, "x.toml", goodEnv, true)
		if err != nil {
			t.Fatalf("%q: %v", c.lines, err)
		}
		if cfg.Summary != c.want {
			t.Errorf("%q: schedule %+v, want %+v", c.lines, cfg.Summary, c.want)
		}
	}
}

func TestPEC(t *testing.T) {
	pec := "\n[pec]\naddr = \"smtps.pec.example.it:465\"\nusername = \"studio@pec.example.it\"\npassword_env = \"PEC_PW\"\naddress = \"Studio@PEC.example.it\"\n"
	withPEC := env(map[string]string{"SOLLECITO_IMAP_PASSWORD": "a", "SOLLECITO_SMTP_PASSWORD": "b", "PEC_PW": "c"})
	c, err := Parse(Example+pec, "example.toml", withPEC, true)
	if err != nil {
		t.Fatal(err)
	}
	if !c.HasPEC() || c.PECPassword != "c" || c.PEC.Address != "studio@pec.example.it" || c.PEC.Security != "tls" {
		t.Errorf("pec = %+v, password %q", c.PEC, c.PECPassword)
	}
	c, err = Parse(Example, "example.toml", goodEnv, true)
	if err != nil || c.HasPEC() {
		t.Errorf("no [pec]: HasPEC %v, err %v", c != nil && c.HasPEC(), err)
	}
	for _, tt := range []struct {
		text string
		key  string
	}{
		{Example + pec, "pec.password_env"}, // PEC_PW unset
		{Example + strings.Replace(pec, `address = "Studio@PEC.example.it"`, `address = "studio"`, 1), "pec.address"},
		{Example + strings.Replace(pec, `addr = "smtps.pec.example.it:465"`, `addr = "smtps.pec.example.it"`, 1), "pec.addr"},
		{strings.Replace(Example, `username = "solleciti@example.com"`, "username = \"solleciti@example.com\"\naddress = \"x@y.it\"", 1), "imap.address"},
	} {
		getenv := withPEC
		if tt.key == "pec.password_env" {
			getenv = goodEnv
		}
		_, err := Parse(tt.text, "example.toml", getenv, true)
		var ce *Error
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.key) {
			t.Errorf("want a problem with %s, got %v", tt.key, err)
		}
	}
}

// TestTypeProblemsWithTheOthers: a value of the wrong type is one problem
// among the others, said in plain words, never hiding the rest.
func TestTypeProblemsWithTheOthers(t *testing.T) {
	text := strings.NewReplacer(
		`email = ["maria@example.com"]`, `email = "maria@example.com"`,
		"stage_interval_days = 10", `stage_interval_days = "ten"`,
		"[10, 25]", `["10"]`,
		`security = "tls"`, `security = "ssl"`,
		"Europe/Rome", "Mars/Olympus",
	).Replace(Example)
	text = strings.Replace(text, `folder = "INBOX"`, `folder = "INBOX"`+"\nfodler = 1", 1)
	_, err := Parse(text, "x.toml", goodEnv, true)
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("got %v, want a *config.Error", err)
	}
	msg := err.Error()
	for _, want := range []string{
		`owner.email: must be a list of addresses, e.g. ["maria@example.com"], not the text "maria@example.com"`,
		`policy.stage_interval_days: must be a whole number, e.g. 10, not the text "ten"`,
		`clients."amministrazione@rossi.example".payment_days: must be a list of days of the month, e.g. [10, 25], not a list holding the text "10"`,
		"imap.security", "policy.timezone", "imap.fodler: unknown key",
		"7 problems:", "smtp.security",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	for _, p := range ce.Problems {
		if p.Line == 0 {
			t.Errorf("%q has no line", p)
		}
	}
	for _, bad := range []string{"destination has type", "missing", "problem(s)"} {
		if strings.Contains(msg, bad) {
			t.Errorf("error says %q:\n%s", bad, msg)
		}
	}
}

func TestProblemWording(t *testing.T) {
	for _, c := range []struct {
		p    Problem
		want string
	}{
		{Problem{Line: 2, Msg: "expected '.'", Hint: "fix the TOML syntax"}, "line 2: expected '.' (fix the TOML syntax)"},
		{Problem{Line: 3, Key: "imap.addr", Msg: "missing"}, "line 3: imap.addr: missing"},
		{Problem{Key: "imap.addr", Msg: "missing"}, "imap.addr: missing"},
		{Problem{Msg: "empty"}, "empty"},
	} {
		if got := c.p.String(); got != c.want {
			t.Errorf("String() = %q, want %q", got, c.want)
		}
	}
	one := (&Error{File: "f.toml", Problems: []Problem{{Msg: "x"}}}).Error()
	if !strings.HasPrefix(one, "config f.toml: 1 problem:\n") {
		t.Errorf("one problem: %q", one)
	}
}

// TestExampleCommentedKeys: every key and section the example shows
// commented out is valid TOML of the right type once uncommented.
func TestExampleCommentedKeys(t *testing.T) {
	commented := regexp.MustCompile(`(?m)^# ?(\[[a-z0-9_."@]+\]|[a-z_]+ = .*)$`)
	n := 0
	text := commented.ReplaceAllStringFunc(Example, func(line string) string {
		n++
		return strings.TrimPrefix(strings.TrimPrefix(line, "#"), " ")
	})
	if n < 15 {
		t.Fatalf("uncommented only %d lines", n)
	}
	c := Default()
	md, err := toml.Decode(text, &c)
	if err != nil {
		t.Fatalf("the example with every commented key uncommented is not valid: %v\n%s", err, text)
	}
	if u := md.Undecoded(); len(u) > 0 {
		t.Errorf("unknown keys once uncommented: %v", u)
	}
	if len(c.Policy.ExtraHolidays) != 1 || c.Policy.RatesFile == "" || c.PEC.Address == "" || c.HTTP.Username == "" || c.OAuth2.ClientID == "" || c.IMAP.Auth != AuthOAuth2 {
		t.Errorf("uncommented keys not decoded: %+v %+v", c.Policy, c.HTTP)
	}
}

// TestWarnings: check warns about an owner whose mail cannot be verified,
// one whose mail is not verified at all, and an owner address on a public
// provider's domain (DKIM/SPF there prove only "some user of gmail.com").
func TestWarnings(t *testing.T) {
	tests := []struct {
		name string
		edit func(string) string
		want []string // substrings, one per warning, in order
	}{
		{"own domain, verified", func(s string) string { return s }, nil},
		{"gmail owner", func(s string) string {
			return strings.Replace(s, `["maria@example.com"]`, `["maria@example.com", "Maria.Rossi@Gmail.com"]`, 1)
		}, []string{"owner address maria.rossi@gmail.com is on a public provider's domain"}},
		{"libero owner, trust_server", func(s string) string {
			s = strings.Replace(s, `["maria@example.com"]`, `["maria@libero.it"]`, 1)
			return strings.Replace(s, "# trust_server = true", "trust_server = true", 1)
		}, []string{"owner.trust_server is set", "owner address maria@libero.it is on a public provider's domain"}},
		{"no authserv_id", func(s string) string {
			return strings.Replace(s, `authserv_id = "mx.example.com"`, `authserv_id = ""`, 1)
		}, []string{"owner.authserv_id is not set"}},
		{"PEC account, a client without a PEC address", func(s string) string {
			for _, k := range []string{"[pec]", `addr = "smtps.pec.example.it:465"`, `security = "tls"`, `username = "studiobianchi@pec.example.it"`, `address = "studiobianchi@pec.example.it"`} {
				s = strings.Replace(s, "# "+k, k, 1)
			}
			return strings.Replace(s, "# password_env = \"SOLLECITO_PEC_PASSWORD\"", "password = \"pec-secret\"", 1)
		}, []string{"client amministrazione@rossi.example is not a PEC address"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(tt.edit(Example), "s.toml", goodEnv, true)
			if err != nil {
				t.Fatal(err)
			}
			got := c.Warnings()
			if len(got) != len(tt.want) {
				t.Fatalf("warnings %q, want %d: %q", got, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("warning %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}

// TestAddrHintPerServer: a missing SMTP address is hinted with an SMTP
// port, never IMAP's 993.
func TestAddrHintPerServer(t *testing.T) {
	text := strings.Replace(Example, `addr = "smtp.example.com:465"`, `addr = ""`, 1)
	_, err := Parse(text, "x.toml", goodEnv, true)
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("got %v, want a *config.Error", err)
	}
	for _, p := range ce.Problems {
		if p.Key == "smtp.addr" {
			if strings.Contains(p.Hint, "993") || !strings.Contains(p.Hint, "465") {
				t.Errorf("smtp.addr hint %q", p.Hint)
			}
			return
		}
	}
	t.Errorf("no smtp.addr problem in %v", err)
}

// TestProblemsInFileOrder: problems are listed in the order of the file's
// lines, those no line holds last.
func TestProblemsInFileOrder(t *testing.T) {
	text := strings.Replace(Example, "IT60X0542811101000000123456", "IT61X0542811101000000123456", 1)
	text = strings.Replace(text, `security = "tls"`, `security = "ssl"`, 1)
	text = strings.Replace(text, "Europe/Rome", "Europe/Roma", 1)
	_, err := Parse(text, "x.toml", goodEnv, true)
	var ce *Error
	if !errors.As(err, &ce) || len(ce.Problems) < 3 {
		t.Fatalf("got %v, want several problems", err)
	}
	last, sawZero := 0, false
	for _, p := range ce.Problems {
		if p.Line == 0 {
			sawZero = true
			continue
		}
		if sawZero || p.Line < last {
			t.Fatalf("problems out of file order: %v", ce)
		}
		last = p.Line
	}
}

// TestProviderPresets: every preset gives a valid configuration with the
// provider's servers; a mailbox and a PEC preset combine; an unknown name
// is an error naming the known ones.
func TestProviderPresets(t *testing.T) {
	for _, name := range ProviderNames() {
		p := Providers[name]
		text, err := ExampleFor(name)
		if err != nil {
			t.Fatal(err)
		}
		env := func(k string) string {
			return goodEnv(k) + map[string]string{"SOLLECITO_PEC_PASSWORD": "pec-secret", "SOLLECITO_OAUTH2_SECRET": "oauth-secret"}[k]
		}
		c, err := Parse(text, name+".toml", env, true)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if p.IMAP != "" && (c.IMAP.Addr != p.IMAP || c.SMTP.Addr != p.SMTP || c.SMTP.Security != p.SMTPSecurity) {
			t.Errorf("%s: imap %s smtp %s %s", name, c.IMAP.Addr, c.SMTP.Addr, c.SMTP.Security)
		}
		if p.PEC != "" && (!c.HasPEC() || c.PEC.Addr != p.PEC) {
			t.Errorf("%s: pec %+v", name, c.PEC)
		}
		if !strings.Contains(text, p.Note) {
			t.Errorf("%s: the provider's advice is not in the file", name)
		}
		if p.OAuth2 != "" {
			o := c.OAuth
			if c.IMAP.Auth != AuthOAuth2 || c.SMTP.Auth != AuthOAuth2 || c.IMAPPassword != "" || o.Provider != p.OAuth2 || o.TokenURL == "" || len(o.Scopes) == 0 || o.Account != c.IMAP.Username {
				t.Errorf("%s: oauth2 not set up: imap auth %q, %+v", name, c.IMAP.Auth, o)
			}
			if p.OAuth2 == "google" && o.ClientSecret != "oauth-secret" {
				t.Errorf("%s: client secret %q", name, o.ClientSecret)
			}
			if ph := c.Placeholders(); !strings.Contains(fmt.Sprint(ph), "oauth2.client_id") {
				t.Errorf("%s: the example client_id is not flagged: %v", name, ph)
			}
		}
	}
	text, err := ExampleFor("aruba", "pec-aruba")
	if err != nil || !strings.Contains(text, `addr = "imaps.aruba.it:993"`) || !strings.Contains(text, `addr = "smtps.pec.aruba.it:465"`) {
		t.Errorf("aruba,pec-aruba: %v", err)
	}
	if _, err := ExampleFor("hotmail"); err == nil || !strings.Contains(err.Error(), "gmail") {
		t.Errorf("unknown provider: %v", err)
	}
}

func TestOAuth2Problems(t *testing.T) {
	ms, err := ExampleFor("microsoft")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		text     string
		key, msg string
	}{
		{"a password beside oauth2", strings.Replace(ms, `auth = "oauth2"                      #`, `password = "x"`+"\n"+`auth = "oauth2" #`, 1), "imap.password", "not used"},
		{"an unknown auth", strings.Replace(ms, `auth = "oauth2"                      #`, `auth = "token" #`, 1), "imap.auth", "password, oauth2"},
		{"an unknown provider", strings.Replace(ms, `provider = "microsoft"`, `provider = "yahoo"`, 1), "oauth2.provider", "yahoo"},
		{"no client_id", strings.Replace(ms, `client_id = "00000000-0000-0000-0000-000000000000"`, ``, 1), "oauth2.client_id", "missing"},
		{"a bad flow", strings.Replace(ms, "[oauth2]\nprovider", "[oauth2]\nflow = \"browser\"\nprovider", 1), "oauth2.flow", "browser"},
		{"explicit URLs not https", strings.Replace(ms, `provider = "microsoft"`, `auth_url = "http://login.example.org/a"`+"\n"+`token_url = "https://login.example.org/t"`+"\n"+`scopes = ["mail"]`, 1), "oauth2.auth_url", "https"},
		{"two accounts", strings.Replace(ms, `username = "solleciti@example.com"
auth = "oauth2"
`, `username = "other@example.com"
auth = "oauth2"
`, 1), "smtp.username", "one account"},
		{"a token file in no folder", strings.Replace(ms, `token_file = "sollecito-oauth2.json"`, `token_file = "/nonexistent/dir/t.json"`, 1), "oauth2.token_file", "does not exist"},
		{"the PEC by token", strings.Replace(ms, "# [pec]\n# addr = \"smtps.pec.example.it:465\"\n# security = \"tls\"\n# username = \"studiobianchi@pec.example.it\"\n# password_env = \"SOLLECITO_PEC_PASSWORD\"\n# address = \"studiobianchi@pec.example.it\"",
			"[pec]\naddr = \"smtps.pec.example.it:465\"\nusername = \"studiobianchi@pec.example.it\"\nauth = \"oauth2\"\naddress = \"studiobianchi@pec.example.it\"", 1), "pec.auth", "password only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.text == ms {
				t.Fatal("the edit did not apply")
			}
			_, err := Parse(tt.text, "x.toml", goodEnv, true)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want problems", err)
			}
			for _, p := range e.Problems {
				if p.Key == tt.key && strings.Contains(p.Msg, tt.msg) {
					return
				}
			}
			t.Errorf("no problem %s %q among %v", tt.key, tt.msg, e.Problems)
		})
	}
	// Where no section uses it, [oauth2] is not checked.
	c, err := Parse(strings.Replace(Example, "# [oauth2]", "[oauth2]", 1), "x.toml", goodEnv, true)
	if err != nil || c.OAuth.TokenFile != "" {
		t.Errorf("unused [oauth2]: %v, %+v", err, c.OAuth)
	}
}
