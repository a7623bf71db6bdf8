// Package config reads Sollecito's TOML configuration: it decodes the file
// over the defaults, reports every problem at once (each with its key and a
// hint), and resolves secrets from the environment, a file or the file itself.
package config

import (
	"cmp"
	"encoding"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/oauth"
	"github.com/sollecito/sollecito/policy/bank"

	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/reply/invoice"
)

// Server is an [imap], [smtp] or [pec] section.
type Server struct {
	Addr         string `toml:"addr"`          // host:port
	Security     string `toml:"security"`      // tls | starttls | none
	Username     string `toml:"username"`      // login name
	Password     string `toml:"password"`      // inline secret (discouraged)
	PasswordEnv  string `toml:"password_env"`  // environment variable holding the secret
	PasswordFile string `toml:"password_file"` // file holding the secret
	CAFile       string `toml:"ca_file"`       // extra trusted CA, for a self-signed server
	Folder       string `toml:"folder"`        // [imap] only: the folder the bot reads
	Timeout      string `toml:"timeout"`       // per network operation, e.g. "30s"
	Address      string `toml:"address"`       // [pec] only: the PEC mailbox's address, the notices' sender
	// Auth is how the login is made: AuthPassword (the default) or
	// AuthOAuth2 (a token from the [oauth2] authorization).
	Auth string `toml:"auth"`
}

// The values of auth in [imap] and [smtp].
const (
	AuthPassword = "password"
	AuthOAuth2   = "oauth2"
)

// OAuth2 is the [oauth2] section: the application the bot logs in through
// where the provider takes no password, and where the tokens are kept.
type OAuth2 struct {
	Provider         string   `toml:"provider"` // google | microsoft | "" (the URLs below)
	Tenant           string   `toml:"tenant"`   // microsoft: common | organizations | consumers | a tenant ID
	ClientID         string   `toml:"client_id"`
	ClientSecret     string   `toml:"client_secret"`
	ClientSecretEnv  string   `toml:"client_secret_env"`
	ClientSecretFile string   `toml:"client_secret_file"`
	TokenFile        string   `toml:"token_file"`
	AuthURL          string   `toml:"auth_url"`
	TokenURL         string   `toml:"token_url"`
	DeviceURL        string   `toml:"device_url"`
	Scopes           []string `toml:"scopes"`
	Flow             string   `toml:"flow"` // code | device
}

// Client is one [clients."address"] section.
type Client struct {
	Language      string `toml:"language"`
	ToleranceDays int    `toml:"tolerance_days"`
	PaymentDays   []int  `toml:"payment_days"`
	Exclude       bool   `toml:"exclude"`
	Consumer      bool   `toml:"consumer"` // a private person: no statutory interest nor the 40 euro
}

// Config is the whole file. Field comments name the TOML keys.
type Config struct {
	IMAP Server `toml:"imap"`
	SMTP Server `toml:"smtp"`
	// PEC is an optional second SMTP account, a certified-mail (PEC)
	// mailbox, used only to send formal notices; see HasPEC.
	PEC Server `toml:"pec"`
	// OAuth2 is used by the sections whose auth is "oauth2".
	OAuth2 OAuth2 `toml:"oauth2"`
	Bot    struct {
		Address string `toml:"address"`
	} `toml:"bot"`
	Owner struct {
		Name     string   `toml:"name"`
		Email    []string `toml:"email"`
		Language string   `toml:"language"`
		// Summary is how often the owner gets the summary: weekly, daily or off.
		Summary     string `toml:"summary"`
		SummaryDay  string `toml:"summary_day"`  // weekly: the day, e.g. "monday"
		SummaryTime string `toml:"summary_time"` // HH:MM; "" means the office opening
		// AuthservID is the authserv-id the mail server that receives the
		// bot's mail writes in Authentication-Results (RFC 8601): mail from
		// an owner address counts as the owner's only when that server's
		// field shows DKIM or SPF pass for the address's domain.
		AuthservID string `toml:"authserv_id"`
		// TrustServer takes every mail whose From is an owner address as the
		// owner's, without Authentication-Results. Anyone who can put such a
		// From on a mail that reaches the bot can then command it.
		TrustServer bool `toml:"trust_server"`
	} `toml:"owner"`
	Business struct {
		Name      string `toml:"name"`
		IBAN      string `toml:"iban"`
		Signature string `toml:"signature"`
		// VATNumber (Partita IVA) and Address identify the business at the
		// head of the formal notice; both optional.
		VATNumber string `toml:"vat_number"`
		Address   string `toml:"address"`
	} `toml:"business"`
	Store struct {
		Path string `toml:"path"`
	} `toml:"store"`
	Templates struct {
		Dir string `toml:"dir"`
	} `toml:"templates"`
	Run struct {
		PollInterval Duration `toml:"poll_interval"`
		InDoubtWait  Duration `toml:"in_doubt_wait"`
		// Since (YYYY-MM-DD), when set, skips mail the server received
		// before that day: for a mailbox with years of history.
		Since string `toml:"since"`
	} `toml:"run"`
	Policy struct {
		Timezone                 string   `toml:"timezone"`
		OfficeHours              string   `toml:"office_hours"`
		CourtesyDaysBeforeDue    int      `toml:"courtesy_days_before_due"`
		Stage1DaysAfterDue       int      `toml:"stage1_days_after_due"`
		StageIntervalDays        int      `toml:"stage_interval_days"`
		PromiseGraceBusinessDays int      `toml:"promise_grace_business_days"`
		ExtraHolidays            []string `toml:"extra_holidays"`
		RatesFile                string   `toml:"rates_file"`
		// MaxMessagesPerDay caps the messages one recipient gets from the bot
		// in a day (the business's calendar day); what is over the cap is held.
		MaxMessagesPerDay int `toml:"max_messages_per_day"`
		// OwnerMessagesPerDay bounds, whatever arrives, the messages the
		// owner gets in a day because of incoming mail (forwards, alerts,
		// digests; not the answers to the owner's own commands): what is
		// over it waits for the next day's single digest.
		OwnerMessagesPerDay int `toml:"owner_messages_per_day"`
	} `toml:"policy"`
	Clients map[string]Client `toml:"clients"`
	// HTTP holds the credentials of the read-only web page (`run --http`):
	// required when it listens beyond loopback.
	// Payments says what a credit in a bank statement does (sollecito
	// payments import, or a statement the owner mails).
	Payments struct {
		// Auto is PaymentsCertain (a certain match marks the invoice paid),
		// PaymentsAsk (listed for the owner to confirm, like a probable
		// one) or PaymentsOff (the credits are only recorded).
		Auto string `toml:"auto"`
		// Folder, when set, is a folder whose bank statements the daemon
		// imports before each pass (each file once; what is not a
		// statement is left alone).
		Folder string `toml:"folder"`
		// CSV names the columns of the bank's CSV export by their
		// headers; what is not named is looked for among the headers
		// banks use (bank.CSVColumns).
		CSV struct {
			Date        string   `toml:"date"`
			ValueDate   string   `toml:"value_date"`
			Amount      string   `toml:"amount"`
			Credit      string   `toml:"credit"`
			Debit       string   `toml:"debit"`
			Description []string `toml:"description"`
			Payer       string   `toml:"payer"`
			Reference   string   `toml:"reference"`
			Currency    string   `toml:"currency"`
			DateFormat  string   `toml:"date_format"`
		} `toml:"csv"`
	} `toml:"payments"`
	HTTP struct {
		// Host lists the host names the page may be reached by besides
		// the listen address and localhost (a request with another Host
		// is refused).
		Host         []string `toml:"host"`
		Username     string   `toml:"username"`
		Password     string   `toml:"password"`
		PasswordEnv  string   `toml:"password_env"`
		PasswordFile string   `toml:"password_file"`
	} `toml:"http"`

	// Resolved values, filled by Load.
	Settings policy.Settings `toml:"-"`
	// Rates is the reference-rate table for statutory interest: the
	// embedded one, extended by policy.rates_file when set.
	Rates policy.Rates `toml:"-"`
	// Summary is when the owner's summary goes (owner.summary*).
	Summary policy.SummarySchedule `toml:"-"`
	// PollEvery is run.poll_interval, and InDoubt run.in_doubt_wait: how
	// long a message whose sending was interrupted after its data went out
	// waits for its own copy before it is sent again.
	PollEvery, InDoubt time.Duration `toml:"-"`
	// SkipBefore is run.since as an instant (00:00 in the business's time
	// zone); zero reads every message.
	SkipBefore   time.Time `toml:"-"`
	IMAPPassword string    `toml:"-"`
	SMTPPassword string    `toml:"-"`
	PECPassword  string    `toml:"-"`
	// HTTPPassword is the web page's password, "" when [http] sets none.
	HTTPPassword string `toml:"-"`
	// OAuth is [oauth2] resolved (presets applied, the secret read, paths
	// made absolute); its TokenFile is "" when no section uses OAuth2.
	OAuth oauth.Settings `toml:"-"`
	// Dir is the folder of the configuration file: relative paths count from it.
	Dir string `toml:"-"`
}

// The values of payments.auto.
const (
	PaymentsCertain = "certain"
	PaymentsAsk     = "ask"
	PaymentsOff     = "off"
)

// Default returns the configuration every file is decoded over.
func Default() Config {
	var c Config
	c.IMAP.Security = "tls"
	c.IMAP.Folder = "INBOX"
	c.IMAP.Timeout = "30s"
	c.SMTP.Security = "tls"
	c.SMTP.Timeout = "30s"
	c.PEC.Security = "tls"
	c.PEC.Timeout = "30s"
	c.Owner.Language = "it"
	c.Owner.Summary = string(policy.SummaryWeekly)
	c.Owner.SummaryDay = "monday"
	c.Store.Path = "sollecito.db"
	c.Payments.Auto = PaymentsCertain
	c.Run.PollInterval = Duration(5 * time.Minute)
	c.Run.InDoubtWait = Duration(15 * time.Minute)
	d := policy.DefaultSettings()
	c.Policy.Timezone = "Europe/Rome"
	c.Policy.OfficeHours = "09:00-18:00"
	c.Policy.CourtesyDaysBeforeDue = d.CourtesyDaysBeforeDue
	c.Policy.Stage1DaysAfterDue = d.Stage1DaysAfterDue
	c.Policy.StageIntervalDays = d.StageIntervalDays
	c.Policy.PromiseGraceBusinessDays = d.PromiseGraceBusinessDays
	c.Rates = policy.DefaultRates()
	c.Policy.MaxMessagesPerDay = 1
	c.Policy.OwnerMessagesPerDay = 10
	return c
}

// Problem is one thing wrong with a configuration: where, what, and what to do.
type Problem struct {
	Key  string // e.g. "imap.addr"; "" for the file as a whole
	Line int    // 1-based line in the file, 0 when unknown
	Msg  string
	Hint string
}

// String is the problem as the checks print it: "line 12: owner.email:
// must be … (hint)".
func (p Problem) String() string {
	var where []string
	if p.Line > 0 {
		where = append(where, fmt.Sprintf("line %d", p.Line))
	}
	if p.Key != "" {
		where = append(where, p.Key)
	}
	s := ""
	if len(where) > 0 {
		s = strings.Join(where, ": ") + ": "
	}
	s += p.Msg
	if p.Hint != "" {
		s += " (" + p.Hint + ")"
	}
	return s
}

// Error lists every problem found in one file.
type Error struct {
	File     string
	Problems []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	if len(e.Problems) == 1 {
		fmt.Fprintf(&b, "config %s: 1 problem:", e.File)
	} else {
		fmt.Fprintf(&b, "config %s: %d problems:", e.File, len(e.Problems))
	}
	for _, p := range e.Problems {
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}

// Load reads, validates and resolves the configuration at path. With
// needSecrets false, missing passwords are not problems (for `status`).
// getenv reads the environment (os.Getenv outside tests).
func Load(path string, getenv func(string) string, needSecrets bool) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("config file not found: %s (write an example with `sollecito init %s`)", path, path)
		}
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	c, err := Parse(string(data), path, getenv, needSecrets)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Parse is Load on the text of a file; name is used in messages and to
// resolve relative paths.
func Parse(text, name string, getenv func(string) string, needSecrets bool) (*Config, error) {
	c := Default()
	c.Dir = dirOf(name)
	var probs []Problem
	md, err := toml.Decode(text, &c)
	if err != nil {
		// A syntax error stops everything; a value of the wrong type is
		// one problem among the others: those values are left out and the
		// rest is decoded and checked.
		var raw map[string]any
		if _, serr := toml.Decode(text, &raw); serr != nil {
			var pe toml.ParseError
			if errors.As(serr, &pe) {
				return nil, &Error{File: name, Problems: []Problem{{Line: pe.Position.Line, Msg: pe.Message, Hint: "fix the TOML syntax"}}}
			}
			return nil, &Error{File: name, Problems: []Problem{{Msg: serr.Error(), Hint: "fix the TOML syntax"}}}
		}
		probs = checkTypes(raw, reflect.TypeOf(c), nil)
		for i := range probs {
			probs[i].Line = lineOfKey(text, probs[i].Key)
		}
		sort.SliceStable(probs, func(i, j int) bool { return probs[i].Line < probs[j].Line })
		var buf strings.Builder
		if err := toml.NewEncoder(&buf).Encode(raw); err != nil {
			return nil, fmt.Errorf("config %s: %w", name, err)
		}
		c = Default()
		c.Dir = dirOf(name)
		if md, err = toml.Decode(buf.String(), &c); err != nil {
			// A mismatch checkTypes does not know: said as the decoder says it.
			p := Problem{Msg: err.Error(), Hint: "check the value types against `sollecito init`"}
			var pe toml.ParseError
			if errors.As(err, &pe) {
				p = Problem{Key: pe.LastKey, Msg: pe.Message, Hint: "check the value types against `sollecito init`"}
			}
			return nil, &Error{File: name, Problems: append(probs, p)}
		}
	}
	for _, k := range md.Undecoded() {
		key := k.String()
		probs = append(probs, Problem{Key: key, Line: lineOf(text, k), Msg: "unknown key", Hint: "check its spelling against `sollecito init`"})
	}
	typed := map[string]bool{} // keys whose value was left out: not also "missing"
	for _, p := range probs {
		typed[p.Key] = true
	}
	for _, p := range c.validate(getenv, needSecrets) {
		if !typed[p.Key] {
			probs = append(probs, p)
		}
	}
	for i := range probs {
		if probs[i].Line == 0 && probs[i].Key != "" {
			probs[i].Line = lineOfKey(text, probs[i].Key)
		}
	}
	if len(probs) > 0 {
		// In the order of the file, what no line holds (a missing key) last.
		sort.SliceStable(probs, func(i, j int) bool {
			li, lj := probs[i].Line, probs[j].Line
			if (li == 0) != (lj == 0) {
				return lj == 0
			}
			return li < lj
		})
		return nil, &Error{File: name, Problems: probs}
	}
	return &c, nil
}

// typeExamples say what a key takes where its type alone says too little.
var typeExamples = map[string]string{
	"owner.email":           `a list of addresses, e.g. ["maria@example.com"]`,
	"policy.extra_holidays": `a list of MM-DD days, e.g. ["12-07"]`,
	"payment_days":          `a list of days of the month, e.g. [10, 25]`,
}

// checkTypes compares the values of a decoded TOML table with the fields
// of the struct type t they decode into (by their toml tags), removes from
// m every value of the wrong type, and returns a problem for each, saying
// what the key takes. Keys t does not have are left for the unknown-key
// check.
func checkTypes(m map[string]any, t reflect.Type, path toml.Key) []Problem {
	var ps []Problem
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		key := append(slices.Clone(path), k)
		f, ok := fieldByTag(t, k)
		if !ok {
			continue
		}
		if f.Kind() == reflect.Map && f.Key().Kind() == reflect.String {
			sub, ok := m[k].(map[string]any)
			if !ok {
				ps = append(ps, typeProblem(key, f, m[k]))
				delete(m, k)
				continue
			}
			names := make([]string, 0, len(sub))
			for n := range sub {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				if f.Elem().Kind() != reflect.Struct {
					continue
				}
				entry, ok := sub[n].(map[string]any)
				if !ok {
					ps = append(ps, typeProblem(append(slices.Clone(key), n), f.Elem(), sub[n]))
					delete(sub, n)
					continue
				}
				ps = append(ps, checkTypes(entry, f.Elem(), append(slices.Clone(key), n))...)
			}
			continue
		}
		if f.Kind() == reflect.Struct {
			sub, ok := m[k].(map[string]any)
			if !ok {
				ps = append(ps, typeProblem(key, f, m[k]))
				delete(m, k)
				continue
			}
			ps = append(ps, checkTypes(sub, f, key)...)
			continue
		}
		if !fits(m[k], f) {
			ps = append(ps, typeProblem(key, f, m[k]))
			delete(m, k)
		}
	}
	return ps
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// Duration is a length of time written as Go writes one ("90s", "5m",
// "1h30m"); the TOML library decodes it through UnmarshalText.
type Duration time.Duration

// UnmarshalText reads a duration such as "5m"; it refuses anything else,
// negative durations included.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration such as \"5m\" or \"90s\"", b)
	}
	if v < 0 {
		return fmt.Errorf("%q is negative", b)
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes d as UnmarshalText reads it.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// fieldByTag returns the type of the field of struct t whose toml tag is
// name.
func fieldByTag(t reflect.Type, name string) (reflect.Type, bool) {
	if t.Kind() != reflect.Struct {
		return nil, false
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if tag == name && tag != "-" {
			return f.Type, true
		}
	}
	return nil, false
}

// fits reports whether a decoded TOML value can go into a field of type t.
func fits(v any, t reflect.Type) bool {
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		// A value type that reads itself from a string (Duration): the
		// string must be one it reads.
		str, ok := v.(string)
		if !ok {
			return false
		}
		return reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(str)) == nil
	}
	switch t.Kind() {
	case reflect.String:
		_, ok := v.(string)
		return ok
	case reflect.Bool:
		_, ok := v.(bool)
		return ok
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		_, ok := v.(int64)
		return ok
	case reflect.Float32, reflect.Float64:
		switch v.(type) {
		case int64, float64:
			return true
		}
		return false
	case reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			return false
		}
		for _, e := range list {
			if !fits(e, t.Elem()) {
				return false
			}
		}
		return true
	}
	return true
}

// typeProblem says what key takes (its field's type t) and what it got.
func typeProblem(key toml.Key, t reflect.Type, got any) Problem {
	want := ""
	switch {
	case t == reflect.TypeFor[Duration]():
		want = `a duration in quotes, e.g. "5m" or "90s"`
	case t.Kind() == reflect.String:
		want = `text in quotes, e.g. "…"`
	case t.Kind() == reflect.Bool:
		want = "true or false"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		want = "a whole number, e.g. 10"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		want = "a number, e.g. 1.5"
	case t.Kind() == reflect.Slice:
		want = `a list, e.g. ["…"]`
		if k := t.Elem().Kind(); k >= reflect.Int && k <= reflect.Int64 {
			want = "a list of whole numbers, e.g. [10, 25]"
		}
	case t.Kind() == reflect.Struct || t.Kind() == reflect.Map:
		want = fmt.Sprintf("a table: [%s] on a line of its own, then its keys", key)
	}
	name := key.String()
	if ex, ok := typeExamples[name]; ok {
		want = ex
	} else if ex, ok := typeExamples[key[len(key)-1]]; ok {
		want = ex
	}
	return Problem{Key: name, Msg: fmt.Sprintf("must be %s, not %s", want, tomlType(got))}
}

// tomlType names the type of a decoded TOML value.
func tomlType(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("the text %q", v)
	case bool:
		return fmt.Sprintf("%t", v)
	case int64:
		return fmt.Sprintf("the number %d", v)
	case float64:
		return fmt.Sprintf("the number %g", v)
	case []any:
		if len(v) > 0 {
			return "a list holding " + tomlType(v[0])
		}
		return "a list"
	case map[string]any:
		return "a table"
	case time.Time:
		return "a date"
	}
	return fmt.Sprintf("a %T", v)
}

var hhmm = regexp.MustCompile(`^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$`)

// validate checks every section and resolves what the engine uses
// (passwords, paths, settings), one function per section; the problems
// come back all at once.
func (c *Config) validate(getenv func(string) string, needSecrets bool) []Problem {
	var ps []Problem
	ps = append(ps, c.checkServers(getenv, needSecrets)...)
	ps = append(ps, c.oauthSettings(getenv, needSecrets)...)
	ps = append(ps, c.checkHTTP(getenv, needSecrets)...)
	ps = append(ps, c.checkPeople()...)
	ps = append(ps, c.checkBusiness()...)
	ps = append(ps, c.checkStorage()...)
	ps = append(ps, c.checkPolicy()...)
	ps = append(ps, c.summarySchedule()...)
	ps = append(ps, c.checkPayments()...)
	ps = append(ps, c.checkRates()...)
	ps = append(ps, c.checkClients()...)
	return ps
}

// problems collects a section's problems.
type problems []Problem

func (ps *problems) add(key, msg, hint string) {
	*ps = append(*ps, Problem{Key: key, Msg: msg, Hint: hint})
}

// checkServers checks [imap], [smtp] and [pec] and reads their passwords.
func (c *Config) checkServers(getenv func(string) string, needSecrets bool) []Problem {
	var ps problems
	servers := []struct {
		key string
		srv *Server
		pw  *string
	}{{"imap", &c.IMAP, &c.IMAPPassword}, {"smtp", &c.SMTP, &c.SMTPPassword}}
	if c.HasPEC() {
		servers = append(servers, struct {
			key string
			srv *Server
			pw  *string
		}{"pec", &c.PEC, &c.PECPassword})
		if !validEmail(c.PEC.Address) {
			ps.add("pec.address", fmt.Sprintf("%q is not an email address", c.PEC.Address), "the PEC mailbox notices are sent from, e.g. studio@pec.example.it")
		}
		c.PEC.Address = strings.ToLower(c.PEC.Address)
		if c.PEC.Folder != "" {
			ps.add("pec.folder", "folder belongs to [imap]", "remove it: the PEC account only sends")
		}
	}
	for _, s := range []struct {
		key string
		srv *Server
	}{{"imap", &c.IMAP}, {"smtp", &c.SMTP}} {
		if s.srv.Address != "" {
			ps.add(s.key+".address", "address belongs to [pec]", "the bot's own address is bot.address")
		}
	}
	for _, s := range servers {
		host, port, err := net.SplitHostPort(s.srv.Addr)
		example := `"mail.example.com:993"` // IMAP over TLS
		if s.key != "imap" {
			example = `"smtp.example.com:465" (or :587 with starttls)` // submission
		}
		switch {
		case s.srv.Addr == "":
			ps.add(s.key+".addr", "missing", `set it to "host:port", e.g. `+example)
		case err != nil || host == "" || port == "":
			ps.add(s.key+".addr", fmt.Sprintf("%q is not host:port", s.srv.Addr), "e.g. "+example)
		}
		switch s.srv.Security {
		case "tls", "starttls":
		case "none":
			if !mailbox.IsLoopback(host) {
				ps.add(s.key+".security", `"none" sends the password in clear text; allowed only to a loopback address`, `use "tls" or "starttls"`)
			}
		default:
			ps.add(s.key+".security", fmt.Sprintf("%q is not one of tls, starttls, none", s.srv.Security), `use "tls" (port 993/465) or "starttls" (143/587)`)
		}
		if s.srv.Username == "" {
			ps.add(s.key+".username", "missing", "the login name of the bot's mailbox")
		}
		if _, err := time.ParseDuration(s.srv.Timeout); err != nil {
			ps.add(s.key+".timeout", fmt.Sprintf("%q is not a duration", s.srv.Timeout), `e.g. "30s"`)
		}
		switch s.srv.Auth {
		case "", AuthPassword:
			pw, prob := secret(s.key, "password", s.srv.Password, s.srv.PasswordEnv, s.srv.PasswordFile, getenv, c.Dir)
			if prob != nil && needSecrets {
				ps = append(ps, *prob)
			}
			*s.pw = pw
		case AuthOAuth2:
			if s.key == "pec" {
				ps.add("pec.auth", `PEC providers log in by password only`, `remove auth, or set it to "password"`)
				break
			}
			if s.srv.Password != "" || s.srv.PasswordEnv != "" || s.srv.PasswordFile != "" {
				ps.add(s.key+".password", `a password is not used with auth = "oauth2"`, "remove password, password_env and password_file")
			}
		default:
			ps.add(s.key+".auth", fmt.Sprintf("%q is not one of password, oauth2", s.srv.Auth), `"password" (the default), or "oauth2" for Microsoft 365 and Google without an app password`)
		}
		if s.srv.CAFile != "" {
			s.srv.CAFile = resolve(c.Dir, s.srv.CAFile)
			if _, err := os.Stat(s.srv.CAFile); err != nil {
				ps.add(s.key+".ca_file", fmt.Sprintf("cannot read %s", s.srv.CAFile), "give the PEM file of the server's CA")
			}
		}
	}
	return ps
}

// checkHTTP checks [http] and reads the web page's password.
func (c *Config) checkHTTP(getenv func(string) string, needSecrets bool) []Problem {
	var ps problems
	if h := c.HTTP; h.Username != "" || h.Password != "" || h.PasswordEnv != "" || h.PasswordFile != "" {
		if h.Username == "" {
			ps.add("http.username", "missing", "the web page's login name; or remove the [http] section to serve on loopback only")
		}
		pw, prob := secret("http", "password", h.Password, h.PasswordEnv, h.PasswordFile, getenv, c.Dir)
		if prob != nil && needSecrets {
			ps = append(ps, *prob)
		}
		c.HTTPPassword = pw
	}
	return ps
}

// checkPeople checks the folder, the bot's and the owner's addresses, the caps and the owner's language.
func (c *Config) checkPeople() []Problem {
	var ps problems
	if c.SMTP.Folder != "" {
		ps.add("smtp.folder", "folder belongs to [imap]", "move it there")
	}
	if c.IMAP.Folder == "" {
		ps.add("imap.folder", "empty", `the folder the bot reads, usually "INBOX"`)
	}
	if !validEmail(c.Bot.Address) {
		ps.add("bot.address", fmt.Sprintf("%q is not an email address", c.Bot.Address), "the address invoices are CC'd to, e.g. solleciti@example.com")
	}
	c.Bot.Address = strings.ToLower(c.Bot.Address)
	if len(c.Owner.Email) == 0 {
		ps.add("owner.email", "missing", `a list of the owner's addresses, e.g. ["maria@example.com"]`)
	}
	for i, e := range c.Owner.Email {
		if !validEmail(e) {
			ps.add(fmt.Sprintf("owner.email[%d]", i), fmt.Sprintf("%q is not an email address", e), "")
		}
		c.Owner.Email[i] = strings.ToLower(e)
	}
	c.Owner.AuthservID = strings.ToLower(strings.TrimSpace(c.Owner.AuthservID))
	if strings.ContainsAny(c.Owner.AuthservID, " \t;()\"") {
		ps.add("owner.authserv_id", fmt.Sprintf("%q is not an authserv-id", c.Owner.AuthservID), `the name your mail server writes first in Authentication-Results, e.g. "mx.example.com"`)
	}
	if c.Policy.MaxMessagesPerDay < 1 || c.Policy.MaxMessagesPerDay > 20 {
		ps.add("policy.max_messages_per_day", fmt.Sprintf("%d is out of range 1–20", c.Policy.MaxMessagesPerDay), "the most messages one recipient gets from the bot in a day; 1 is the procedure's rule")
	}
	if c.Policy.OwnerMessagesPerDay < 1 || c.Policy.OwnerMessagesPerDay > 100 {
		ps.add("policy.owner_messages_per_day", fmt.Sprintf("%d is out of range 1–100", c.Policy.OwnerMessagesPerDay), "the most messages incoming mail causes the owner to get in a day; what is over it waits for one digest")
	}
	if c.Owner.Language != "it" && c.Owner.Language != "en" {
		ps.add("owner.language", fmt.Sprintf("%q is not supported", c.Owner.Language), `use "it" or "en"`)
	}
	return ps
}

// checkBusiness checks [business]: the name, the IBAN and the VAT number.
func (c *Config) checkBusiness() []Problem {
	var ps problems
	if c.Business.Name == "" {
		ps.add("business.name", "missing", "the name clients know you by; it signs every reminder")
	}
	if c.Business.IBAN == "" {
		ps.add("business.iban", "missing", "the IBAN clients pay to; every reminder shows it")
	} else if err := invoice.ValidIBAN(c.Business.IBAN); err != nil {
		ps.add("business.iban", err.Error(), "copy it again from your bank statement")
	}
	if c.Business.VATNumber = invoice.NormalizeVAT(c.Business.VATNumber); c.Business.VATNumber != "" {
		if err := invoice.ValidVAT(c.Business.VATNumber); err != nil {
			ps.add("business.vat_number", err.Error(), `the Partita IVA as on your invoices, e.g. "01234567897" (11 digits), or with its country prefix ("DE123456789")`)
		}
	}
	c.Business.Address = strings.TrimSpace(c.Business.Address)
	return ps
}

// checkStorage checks [store], [templates] and [run] and resolves their paths and durations.
func (c *Config) checkStorage() []Problem {
	var ps problems
	if c.Store.Path == "" {
		ps.add("store.path", "empty", `e.g. "sollecito.db"`)
	}
	c.Store.Path = resolve(c.Dir, c.Store.Path)
	if c.Templates.Dir != "" {
		c.Templates.Dir = resolve(c.Dir, c.Templates.Dir)
		if st, err := os.Stat(c.Templates.Dir); err != nil || !st.IsDir() {
			ps.add("templates.dir", fmt.Sprintf("%s is not a folder", c.Templates.Dir), "create it, or remove the key to use the built-in templates")
		}
	}
	if d := time.Duration(c.Run.PollInterval); d < 10*time.Second {
		ps.add("run.poll_interval", fmt.Sprintf("%s is less than 10s", d), `e.g. "5m"`)
	} else {
		c.PollEvery = d
	}
	if d := time.Duration(c.Run.InDoubtWait); d < time.Minute {
		ps.add("run.in_doubt_wait", fmt.Sprintf("%s is less than 1m", d), `e.g. "15m"; the bot's own copy of a message usually arrives within seconds`)
	} else {
		c.InDoubt = d
	}
	if c.Run.Since != "" {
		if _, err := time.Parse("2006-01-02", c.Run.Since); err != nil {
			ps.add("run.since", fmt.Sprintf("%q is not a date", c.Run.Since), `YYYY-MM-DD, e.g. "2026-11-01": mail received before that day is skipped`)
		}
	}
	return ps
}

// checkPolicy checks [policy] and builds c.Settings.
func (c *Config) checkPolicy() []Problem {
	var ps problems
	s := policy.DefaultSettings()
	if loc, err := time.LoadLocation(c.Policy.Timezone); err != nil {
		ps.add("policy.timezone", fmt.Sprintf("unknown time zone %q", c.Policy.Timezone), `e.g. "Europe/Rome"`)
	} else {
		s.Location = loc
		if d, err := time.ParseInLocation("2006-01-02", c.Run.Since, loc); err == nil {
			c.SkipBefore = d
		}
	}
	if m := hhmm.FindStringSubmatch(c.Policy.OfficeHours); m == nil {
		ps.add("policy.office_hours", fmt.Sprintf("%q is not HH:MM-HH:MM", c.Policy.OfficeHours), `e.g. "09:00-18:00"`)
	} else {
		h1, _ := strconv.Atoi(m[1])
		m1, _ := strconv.Atoi(m[2])
		h2, _ := strconv.Atoi(m[3])
		m2, _ := strconv.Atoi(m[4])
		open := time.Duration(h1)*time.Hour + time.Duration(m1)*time.Minute
		closeAt := time.Duration(h2)*time.Hour + time.Duration(m2)*time.Minute
		if h1 > 23 || h2 > 24 || m1 > 59 || m2 > 59 || open >= closeAt {
			ps.add("policy.office_hours", fmt.Sprintf("%q is not a span within one day", c.Policy.OfficeHours), `e.g. "09:00-18:00"`)
		} else {
			s.OfficeOpen, s.OfficeClose = open, closeAt
		}
	}
	for _, n := range []struct {
		key string
		v   int
		min int
		dst *int
	}{
		{"policy.courtesy_days_before_due", c.Policy.CourtesyDaysBeforeDue, 0, &s.CourtesyDaysBeforeDue},
		{"policy.stage1_days_after_due", c.Policy.Stage1DaysAfterDue, 0, &s.Stage1DaysAfterDue},
		{"policy.stage_interval_days", c.Policy.StageIntervalDays, 7, &s.StageIntervalDays},
		{"policy.promise_grace_business_days", c.Policy.PromiseGraceBusinessDays, 0, &s.PromiseGraceBusinessDays},
	} {
		if n.v < n.min || n.v > 365 {
			hint := ""
			if n.key == "policy.stage_interval_days" {
				hint = "fewer than 7 days between reminders harasses the client"
			}
			ps.add(n.key, fmt.Sprintf("%d is out of range %d–365", n.v, n.min), hint)
			continue
		}
		*n.dst = n.v
	}
	for i, h := range c.Policy.ExtraHolidays {
		t, err := time.Parse("01-02", h)
		if err != nil {
			ps.add(fmt.Sprintf("policy.extra_holidays[%d]", i), fmt.Sprintf("%q is not MM-DD", h), `e.g. "12-07" for 7 December`)
			continue
		}
		s.ExtraHolidays = append(s.ExtraHolidays, policy.MonthDay{Month: t.Month(), Day: t.Day()})
	}
	c.Settings = s
	return ps
}

// checkPayments checks [payments].
func (c *Config) checkPayments() []Problem {
	var ps problems
	switch c.Payments.Auto = strings.ToLower(strings.TrimSpace(c.Payments.Auto)); c.Payments.Auto {
	case PaymentsCertain, PaymentsAsk, PaymentsOff:
	default:
		ps.add("payments.auto", fmt.Sprintf("%q is not certain, ask or off", c.Payments.Auto),
			`"certain" (the default): a credit whose remittance names the invoice and pays it in full marks it paid`)
	}
	if c.Payments.Folder != "" {
		c.Payments.Folder = resolve(c.Dir, c.Payments.Folder)
		if fi, err := os.Stat(c.Payments.Folder); err != nil || !fi.IsDir() {
			ps.add("payments.folder", fmt.Sprintf("%s is not a folder", c.Payments.Folder), "the folder your bank statements are downloaded or synced to; the bot only reads it")
		}
	}
	return ps
}

// checkRates reads policy.rates_file over the built-in rates into c.Rates.
func (c *Config) checkRates() []Problem {
	var ps problems
	c.Rates = policy.DefaultRates()
	if c.Policy.RatesFile != "" {
		c.Policy.RatesFile = resolve(c.Dir, c.Policy.RatesFile)
		if b, err := os.ReadFile(c.Policy.RatesFile); err != nil {
			ps.add("policy.rates_file", fmt.Sprintf("cannot read %s", c.Policy.RatesFile), "a TOML file of [[rate]] entries (from, reference, source), as policy/rates.toml")
		} else if own, err := policy.ParseRates(b, c.Policy.RatesFile); err != nil {
			ps.add("policy.rates_file", err.Error(), "fix the file, or remove the key to use the built-in rates")
		} else {
			c.Rates = c.Rates.Merge(own)
		}
	}
	return ps
}

// checkClients checks the [clients] sections and keys them by lower-case address.
func (c *Config) checkClients() []Problem {
	var ps problems
	keys := make([]string, 0, len(c.Clients))
	for k := range c.Clients {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	clients := make(map[string]Client, len(c.Clients))
	for _, k := range keys {
		cl := c.Clients[k]
		key := fmt.Sprintf("clients.%q", k)
		if !validEmail(k) && !strings.HasPrefix(k, "@") {
			ps.add(key, "not an email address", `name a client by address, e.g. [clients."amministrazione@rossi.it"], or a whole domain as "@rossi.it"`)
		}
		if cl.Language != "" && cl.Language != "it" && cl.Language != "en" {
			ps.add(key+".language", fmt.Sprintf("%q is not supported", cl.Language), `use "it" or "en"`)
		}
		if cl.ToleranceDays < 0 || cl.ToleranceDays > 180 {
			ps.add(key+".tolerance_days", fmt.Sprintf("%d is out of range 0–180", cl.ToleranceDays), "")
		}
		for _, d := range cl.PaymentDays {
			if d < 1 || d > 31 {
				ps.add(key+".payment_days", fmt.Sprintf("%d is not a day of the month", d), "e.g. [10, 25]")
			}
		}
		clients[strings.ToLower(k)] = cl
	}
	c.Clients = clients
	return ps
}

// weekdays are the days summary_day accepts, in English and Italian.
var weekdays = map[string]time.Weekday{
	"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday, "thursday": time.Thursday,
	"friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday,
	"lunedì": time.Monday, "martedì": time.Tuesday, "mercoledì": time.Wednesday, "giovedì": time.Thursday,
	"venerdì": time.Friday, "sabato": time.Saturday, "domenica": time.Sunday,
	"lunedi": time.Monday, "martedi": time.Tuesday, "mercoledi": time.Wednesday, "giovedi": time.Thursday, "venerdi": time.Friday,
}

// summarySchedule resolves owner.summary, owner.summary_day and
// owner.summary_time into c.Summary (after c.Settings).
func (c *Config) summarySchedule() []Problem {
	var ps []Problem
	sch := policy.DefaultSummarySchedule()
	switch e := policy.SummaryEvery(strings.ToLower(strings.TrimSpace(c.Owner.Summary))); e {
	case policy.SummaryWeekly, policy.SummaryDaily, policy.SummaryOff:
		sch.Every = e
	default:
		ps = append(ps, Problem{Key: "owner.summary", Msg: fmt.Sprintf("%q is not weekly, daily or off", c.Owner.Summary), Hint: `e.g. "weekly"`})
	}
	day := strings.ToLower(strings.TrimSpace(c.Owner.SummaryDay))
	if wd, ok := weekdays[day]; ok {
		sch.Weekday = wd
	} else {
		ps = append(ps, Problem{Key: "owner.summary_day", Msg: fmt.Sprintf("%q is not a day of the week", c.Owner.SummaryDay), Hint: `e.g. "monday" or "lunedì"; a holiday moves the summary to the next business day`})
	}
	sch.At = c.Settings.OfficeOpen
	if t := strings.TrimSpace(c.Owner.SummaryTime); t != "" {
		v, err := time.Parse("15:04", t)
		if err != nil {
			ps = append(ps, Problem{Key: "owner.summary_time", Msg: fmt.Sprintf("%q is not HH:MM", t), Hint: `e.g. "09:00"; leave it out for the office opening`})
		} else {
			sch.At = time.Duration(v.Hour())*time.Hour + time.Duration(v.Minute())*time.Minute
		}
	}
	c.Summary = sch
	return ps
}

// ClientSettings returns the policy settings of a client address: its own
// section, else its domain's ("@domain"), else the defaults.
func (c *Config) ClientSettings(email string) policy.Client {
	email = strings.ToLower(email)
	cl, ok := c.Clients[email]
	if !ok {
		if i := strings.LastIndexByte(email, '@'); i >= 0 {
			cl, ok = c.Clients[email[i:]]
		}
	}
	if !ok {
		return policy.Client{}
	}
	return policy.Client{Language: cl.Language, ToleranceDays: cl.ToleranceDays, PaymentDays: cl.PaymentDays, Exclude: cl.Exclude, Consumer: cl.Consumer}
}

// HasPEC reports whether a [pec] account is configured: formal notices then
// go through it, from pec.address; otherwise they go by ordinary mail.
func (c *Config) HasPEC() bool {
	p := c.PEC
	return p.Addr != "" || p.Username != "" || p.Address != "" || p.Password != "" || p.PasswordEnv != "" || p.PasswordFile != ""
}

// IsOwner reports whether addr is one of the owner's addresses.
func (c *Config) IsOwner(addr string) bool {
	addr = strings.ToLower(addr)
	for _, e := range c.Owner.Email {
		if e == addr {
			return true
		}
	}
	return false
}

// sampleIBAN is the IBAN of the example configuration (a well-known
// test IBAN): it must never go into a reminder.
const sampleIBAN = "IT60X0542811101000000123456"

// Placeholders returns the values the file still holds from the example
// configuration (sollecito init): the sample IBAN, hosts and addresses on
// the reserved example domains (example.com, .it, .net, .org, or a name
// ending in .example), the example client section. A configuration with
// any of them is not ready to run: reminders would carry them.
func (c *Config) Placeholders() []Problem {
	var ps []Problem
	add := func(key, value, hint string) {
		ps = append(ps, Problem{Key: key, Msg: fmt.Sprintf("%q is the example's value", value), Hint: hint})
	}
	if strings.EqualFold(strings.ReplaceAll(c.Business.IBAN, " ", ""), sampleIBAN) {
		add("business.iban", c.Business.IBAN, "your account's IBAN: it is in every reminder")
	}
	hosts := []struct{ key, value, hint string }{
		{"imap.addr", c.IMAP.Addr, "your provider's IMAP server, e.g. imap.gmail.com:993 (README, Providers)"},
		{"imap.username", c.IMAP.Username, "the bot mailbox's login"},
		{"smtp.addr", c.SMTP.Addr, "your provider's SMTP server, e.g. smtp.gmail.com:465"},
		{"smtp.username", c.SMTP.Username, "the bot mailbox's login"},
		{"bot.address", c.Bot.Address, "the bot's own address, the one you put in Cc"},
		{"owner.authserv_id", c.Owner.AuthservID, "sollecito check prints the value your server writes, from a mail you sent to the bot"},
	}
	if c.HasPEC() {
		hosts = append(hosts, struct{ key, value, hint string }{"pec.addr", c.PEC.Addr, "your PEC provider's SMTP server"},
			struct{ key, value, hint string }{"pec.address", c.PEC.Address, "your PEC mailbox"})
	}
	for _, h := range hosts {
		if exampleDomain(h.value) {
			add(h.key, h.value, h.hint)
		}
	}
	if c.OAuth.TokenFile != "" && c.OAuth2.ClientID == sampleClientID {
		add("oauth2.client_id", c.OAuth2.ClientID, "the application (client) ID of the app you registered (README, OAuth2)")
	}
	for _, e := range c.Owner.Email {
		if exampleDomain(e) {
			add("owner.email", e, "the addresses you write from")
		}
	}
	for k := range c.Clients {
		if exampleDomain(k) {
			add(fmt.Sprintf("clients.%q", k), k, "remove the example client section, or write a client's real address")
		}
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Key < ps[j].Key })
	return ps
}

// sampleClientID is the example's oauth2.client_id.
const sampleClientID = "00000000-0000-0000-0000-000000000000"

// exampleDomain reports whether an address or host:port is on a domain
// reserved for examples (RFC 2606), or example.it.
func exampleDomain(v string) bool {
	v = strings.ToLower(strings.TrimSpace(v))
	if i := strings.LastIndexByte(v, '@'); i >= 0 {
		v = v[i+1:]
	}
	if h, _, err := net.SplitHostPort(v); err == nil {
		v = h
	}
	v = strings.TrimSuffix(v, ".")
	for _, d := range []string{"example.com", "example.net", "example.org", "example.it", "example"} {
		if v == d || strings.HasSuffix(v, "."+d) {
			return true
		}
	}
	return false
}

// Warnings lists what is valid but risky or probably unintended in c, for
// `check`: no way to verify the owner's mail (every owner mail is then
// refused), owner.trust_server (anyone can forge the owner's mail), or an
// owner address on a public provider's domain (any user of the provider
// can pass as the owner).
func (c *Config) Warnings() []string {
	var w []string
	switch {
	case c.Owner.TrustServer:
		w = append(w, "owner.trust_server is set: any mail whose From is an owner address is obeyed, and From is easy to forge")
	case c.Owner.AuthservID == "":
		w = append(w, "owner.authserv_id is not set (nor owner.trust_server): mail from the owner's addresses cannot be verified, so no command or invoice from them will be applied")
	}
	for _, e := range c.Owner.Email {
		if mailbox.PublicProvider(e) {
			w = append(w, fmt.Sprintf("owner address %s is on a public provider's domain: DKIM and SPF prove only the domain, so any other user of it who forges this From passes as the owner; use an address on your own domain", e))
		}
	}
	if c.HasPEC() {
		var clients []string
		for addr := range c.Clients {
			if !mailbox.LooksPEC(addr) {
				clients = append(clients, addr)
			}
		}
		sort.Strings(clients)
		for _, addr := range clients {
			w = append(w, fmt.Sprintf("client %s is not a PEC address: a formal notice sent there through [pec] gets no delivery receipt with legal value; the bot asks before sending it (give the client's PEC with «invia diffida a …»)", addr))
		}
	}
	return w
}

// Own lists the bot's and the owner's addresses.
func (c *Config) Own() []string {
	return append([]string{c.Bot.Address}, c.Owner.Email...)
}

// CSVColumns returns the columns of the bank's CSV export the
// configuration names ([payments.csv]).
func (c *Config) CSVColumns() bank.CSVColumns {
	p := c.Payments.CSV
	return bank.CSVColumns{Date: p.Date, ValueDate: p.ValueDate, Amount: p.Amount, Credit: p.Credit, Debit: p.Debit,
		Description: p.Description, Payer: p.Payer, Reference: p.Reference, Currency: p.Currency, DateFormat: p.DateFormat}
}

// ServerConfig returns the mailbox settings of s with its resolved password.
func ServerConfig(s Server, password string) mailbox.ServerConfig {
	d, _ := time.ParseDuration(s.Timeout)
	return mailbox.ServerConfig{Addr: s.Addr, Security: s.Security, Username: s.Username, Password: password, CAFile: s.CAFile, Timeout: d}
}

// secret resolves the secret of section given inline, by an environment
// variable or by a file, under the keys name, name_env and name_file.
func secret(section, name, inline, env, file string, getenv func(string) string, dir string) (string, *Problem) {
	n := 0
	for _, v := range []string{inline, env, file} {
		if v != "" {
			n++
		}
	}
	key := section + "." + name
	if n == 0 {
		return "", &Problem{Key: key + "_env", Msg: "no " + strings.ReplaceAll(name, "_", " ") + " given", Hint: "set " + name + "_env (an environment variable), " + name + "_file, or " + name}
	}
	if n > 1 {
		return "", &Problem{Key: key, Msg: fmt.Sprintf("more than one of %s, %s_env, %s_file", name, name, name), Hint: "keep one"}
	}
	switch {
	case env != "":
		v := getenv(env)
		if v == "" {
			return "", &Problem{Key: key + "_env", Msg: fmt.Sprintf("environment variable %s is empty or unset", env), Hint: "export it before starting sollecito"}
		}
		return v, nil
	case file != "":
		p := resolve(dir, file)
		b, err := os.ReadFile(p)
		if err != nil {
			return "", &Problem{Key: key + "_file", Msg: fmt.Sprintf("cannot read %s", p), Hint: "the file holds the " + strings.ReplaceAll(name, "_", " ") + " on one line"}
		}
		v := strings.TrimRight(string(b), "\r\n")
		if v == "" {
			return "", &Problem{Key: key + "_file", Msg: fmt.Sprintf("%s is empty", p)}
		}
		return v, nil
	}
	return inline, nil
}

// oauthSettings checks [oauth2] when a section logs in with it, and
// resolves it into c.OAuth.
func (c *Config) oauthSettings(getenv func(string) string, needSecrets bool) []Problem {
	var ps problems
	add := func(key, msg, hint string) { ps.add("oauth2."+key, msg, hint) }
	var account string
	for _, s := range []*Server{&c.SMTP, &c.IMAP} {
		if s.Auth == AuthOAuth2 {
			if account != "" && !strings.EqualFold(account, s.Username) {
				ps.add("smtp.username", fmt.Sprintf("%q differs from imap.username %q, and one OAuth2 authorization is for one account", s.Username, account), "log in to both as the same account, or use a password for one of them")
			}
			account = s.Username
		}
	}
	o := c.OAuth2
	if account == "" {
		return nil // [oauth2] unused
	}
	set := oauth.Settings{Provider: o.Provider, ClientID: o.ClientID, AuthURL: o.AuthURL, TokenURL: o.TokenURL,
		DeviceURL: o.DeviceURL, Scopes: o.Scopes, Flow: o.Flow, Account: account}
	switch o.Provider {
	case "":
		if o.AuthURL == "" && o.TokenURL == "" {
			add("provider", "missing", `"google" or "microsoft"; or give auth_url, token_url and scopes for another provider`)
		}
		for _, k := range []struct{ key, v string }{{"auth_url", o.AuthURL}, {"token_url", o.TokenURL}} {
			if o.AuthURL != "" || o.TokenURL != "" {
				if u, err := url.Parse(k.v); err != nil || (u.Scheme != "https" && !mailbox.IsLoopback(u.Hostname())) || u.Host == "" {
					add(k.key, fmt.Sprintf("%q is not an https address", k.v), "the provider's endpoint, from its documentation")
				}
			}
		}
		if len(o.Scopes) == 0 && (o.AuthURL != "" || o.TokenURL != "") {
			add("scopes", "missing", "the scopes that allow IMAP and SMTP at the provider")
		}
	default:
		p, ok := oauth.Presets(o.Provider, o.Tenant)
		if !ok {
			add("provider", fmt.Sprintf("%q is not one of google, microsoft", o.Provider), "or remove it and give auth_url, token_url and scopes")
			break
		}
		if o.Tenant != "" && o.Provider != "microsoft" {
			add("tenant", "only Microsoft has tenants", "remove it")
		}
		set.AuthURL, set.TokenURL, set.DeviceURL = cmp.Or(o.AuthURL, p.AuthURL), cmp.Or(o.TokenURL, p.TokenURL), cmp.Or(o.DeviceURL, p.DeviceURL)
		if len(set.Scopes) == 0 {
			set.Scopes = p.Scopes
		}
		set.Flow = cmp.Or(o.Flow, p.Flow)
	}
	switch set.Flow {
	case "":
		set.Flow = oauth.FlowCode
	case oauth.FlowCode:
	case oauth.FlowDevice:
		if set.DeviceURL == "" {
			add("device_url", "missing: the device flow needs it", `give it, or use flow = "code"`)
		}
	default:
		add("flow", fmt.Sprintf("%q is not one of code, device", o.Flow), `"code" (a browser and a loopback redirect) or "device" (a code typed at the provider's page)`)
	}
	if o.ClientID == "" {
		add("client_id", "missing", "the application (client) ID of the app registered at the provider: see README, OAuth2")
	}
	if o.Provider == "google" && o.ClientSecret == "" && o.ClientSecretEnv == "" && o.ClientSecretFile == "" {
		add("client_secret_env", "missing: Google's token endpoint wants the client secret of a Desktop app too", "the secret Google showed when the client was created, in an environment variable (or client_secret_file)")
	}
	if o.ClientSecret != "" || o.ClientSecretEnv != "" || o.ClientSecretFile != "" {
		v, prob := secret("oauth2", "client_secret", o.ClientSecret, o.ClientSecretEnv, o.ClientSecretFile, getenv, c.Dir)
		if prob != nil && needSecrets {
			ps = append(ps, *prob)
		}
		set.ClientSecret = v
	}
	set.TokenFile = resolve(c.Dir, cmp.Or(o.TokenFile, "sollecito-oauth2.json"))
	if fi, err := os.Stat(filepath.Dir(set.TokenFile)); err != nil || !fi.IsDir() {
		add("token_file", fmt.Sprintf("the folder of %s does not exist", set.TokenFile), "a file in an existing folder; sollecito auth creates it, readable by its owner only")
	}
	c.OAuth = set
	return ps
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s, "@")
}

func dirOf(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[:i]
	}
	return "."
}

func resolve(dir, p string) string {
	if p == "" || strings.HasPrefix(p, "/") || dir == "" || dir == "." {
		return p
	}
	return dir + "/" + p
}

// lineOf finds the line of an undecoded key: the last component as a key
// assignment (or a table header) after its table's header.
func lineOf(text string, k toml.Key) int {
	return lineOfKey(text, k.String())
}

func lineOfKey(text, key string) int {
	key = strings.SplitN(key, "[", 2)[0]
	parts := strings.Split(key, ".")
	last := strings.Trim(parts[len(parts)-1], `"`)
	table := strings.Join(parts[:len(parts)-1], ".")
	inTable := table == ""
	for i, line := range strings.Split(text, "\n") {
		l := strings.TrimSpace(line)
		if strings.HasPrefix(l, "[") {
			h := strings.Trim(l, "[] ")
			inTable = h == table // keys before the first header are the root table's
			if h == key {
				return i + 1
			}
			continue
		}
		if inTable {
			if eq := strings.IndexByte(l, '='); eq > 0 && strings.Trim(strings.TrimSpace(l[:eq]), `"`) == last {
				return i + 1
			}
		}
	}
	return 0
}
