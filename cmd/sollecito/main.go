// Command sollecito is a payment-reminder bot that works from a mailbox: the
// owner CCs it on each invoice email, it sends the reminders on the right
// days, reads what clients answer, and hands the owner what needs a person.
//
// Usage:
//
//	sollecito demo [--days N] [--start DATE] [--show TEMPLATES] [--http ADDR] [--keep DIR] [-v]
//	sollecito run --config FILE [--once] [--now TIME] [--http ADDR] [-v]
//	sollecito status --config FILE [--now TIME]
//	sollecito history --config FILE [--now TIME] [--id N] INVOICE
//	sollecito export --config FILE [--csv] [--out FILE] [--sep ,|;] [--now TIME]
//	sollecito check --config FILE
//	sollecito payments --config FILE [--now TIME] import FILE... | list
//	sollecito classify [--explain] FILE...
//	sollecito extract [--explain] FILE...   (FILE - reads standard input)
//	sollecito init [--provider NAME[,NAME]] [FILE]
//	sollecito --version
//
// "sollecito COMMAND --help" prints that command's usage and flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"
)

func main() {
	// The first SIGINT/SIGTERM cancels ctx: the work in hand (one message)
	// finishes and the command exits 0. Once ctx is cancelled the signals
	// get their default action again, so a second one stops the process at
	// once; the ledger's transactions make that safe too.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	code := Main(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

const usage = `usage: sollecito COMMAND [flags]    ("sollecito COMMAND --help": that command's flags)

commands:
  demo [--days N] [--start DATE] [--show TEMPLATES] [--http ADDR] [--keep DIR] [-v]
      run the whole product on a sample business, in memory, and print its timeline; --days: how many days
      to simulate (75); --start: the first day (YYYY-MM-DD, a weekday); --show: print in full every message of
      these templates as it goes out (e.g. summary,case_file); --http: then serve the web page until
      interrupted; --keep: keep the ledger and configuration in this new folder, to try status, history
      and export on them; -v: the bot's log
  run --config FILE [--once] [--now TIME] [--http ADDR] [-v]
      the daemon (IDLE or polling); --once: one pass and exit; --now: the time the pass believes it is
      (RFC 3339 or YYYY-MM-DD); --http: also serve the read-only web page, e.g. on 127.0.0.1:8080;
      -v: debug logging
  status --config FILE [--now TIME]
      the ledger as a table; --now: the time to count days overdue at
  history --config FILE [--now TIME] [--id N] INVOICE
      one invoice's timeline: messages in and out, how the bot read them, why it acted; --id: the ledger id,
      when the number is ambiguous
  export --config FILE [--csv] [--out FILE] [--sep ,|;] [--now TIME]
      the ledger as CSV for the accountant; --out: write this file (mode 0600); --sep ';': Italian Excel
      (decimal comma, UTF-8 byte-order mark)
  check --config FILE
      validate the configuration and log in to IMAP and SMTP
  auth --config FILE
      give the bot access to a mailbox that logs in by OAuth2 (Microsoft 365, Google): prints the address
      to open (or the code to enter), stores the refresh token in oauth2.token_file, then logs in with it
  payments --config FILE [--now TIME] import FILE... | list
      import: read bank statements (ISO 20022 camt.053, camt.054, SWIFT MT940), record each credit once, mark paid the
      invoices a credit certainly pays (its remittance names them and it is what they still owe); list: every
      credit and what was made of it
  classify [--explain] FILE...
      read client replies: one JSON object a line; --explain: the words that decided
  extract [--explain] FILE...
      read invoice emails: one JSON object a line; FILE - reads standard input; --explain: where each field came from, why one is empty
  init [--provider NAME[,NAME]] [FILE]
      write a commented example configuration (default sollecito.toml); --provider fills in the servers of
      gmail, gmail-oauth, microsoft, aruba, libero, virgilio, yahoo, icloud, and of the PEC providers
      pec-aruba, pec-legalmail, pec-poste, pec-namirial (e.g. aruba,pec-aruba); gmail-oauth and microsoft
      log in by OAuth2 (then: sollecito auth)
  --version
      the build: module version, VCS revision and time, Go version
`

// synopsis is each command's usage line, for its --help and usage errors.
var synopsis = map[string]string{
	"demo":     "sollecito demo [--days N] [--start DATE] [--show TEMPLATES] [--http ADDR] [--keep DIR] [-v]",
	"run":      "sollecito run --config FILE [--once] [--now TIME] [--http ADDR] [-v]",
	"status":   "sollecito status --config FILE [--now TIME]",
	"history":  "sollecito history --config FILE [--now TIME] [--id N] INVOICE",
	"export":   "sollecito export --config FILE [--csv] [--out FILE] [--sep ,|;] [--now TIME]",
	"check":    "sollecito check --config FILE",
	"auth":     "sollecito auth --config FILE",
	"payments": "sollecito payments --config FILE [--now TIME] import FILE... | list",
	"classify": "sollecito classify [--explain] FILE...",
	"extract":  "sollecito extract [--explain] FILE...",
	"init":     "sollecito init [--provider NAME[,NAME]] [FILE]",
}

// Main runs one command line and returns the exit code. Tests call it.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, version())
		return 0
	}
	if _, ok := synopsis[cmd]; !ok {
		fmt.Fprintf(stderr, "sollecito: unknown command %q\n%s", cmd, usage)
		return 2
	}
	err := dispatch(ctx, cmd, rest, stdout, stderr, getenv)
	if err != nil {
		var help helpRequested
		if errors.As(err, &help) {
			fmt.Fprint(stdout, help.text)
			return 0
		}
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "sollecito %s: %v\n%s", cmd, err, commandHelp(ctx, cmd, getenv))
			return 2
		}
		if !errors.Is(err, errReported) {
			fmt.Fprintf(stderr, "sollecito %s: %v\n", cmd, err)
		}
		return 1
	}
	return 0
}

// dispatch runs one command.
func dispatch(ctx context.Context, cmd string, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	switch cmd {
	case "demo":
		return cmdDemo(ctx, args, stdout, stderr)
	case "run":
		return cmdRun(ctx, args, stdout, stderr, getenv)
	case "status":
		return cmdStatus(ctx, args, stdout, getenv)
	case "history":
		return cmdHistory(ctx, args, stdout, getenv)
	case "export":
		return cmdExport(ctx, args, stdout, getenv)
	case "check":
		return cmdCheck(ctx, args, stdout, getenv)
	case "auth":
		return cmdAuth(ctx, args, stdout, getenv)
	case "payments":
		return cmdPayments(ctx, args, stdout, getenv)
	case "classify":
		return cmdClassify(args, stdout, stderr)
	case "extract":
		return cmdExtract(args, stdin, stdout, stderr)
	case "init":
		return cmdInit(args, stdout)
	}
	return usageError{fmt.Errorf("unknown command %q", cmd)}
}

// commandHelp returns a command's usage and flags, as its --help prints
// them: every command parses its flags before doing anything, so asking it
// for help runs nothing else.
func commandHelp(ctx context.Context, cmd string, getenv func(string) string) string {
	var help helpRequested
	if err := dispatch(ctx, cmd, []string{"--help"}, io.Discard, io.Discard, getenv); errors.As(err, &help) {
		return help.text
	}
	return "usage: " + synopsis[cmd] + "\n"
}

// errReported means the details are already on stderr; exit non-zero.
var errReported = errors.New("errors reported")

// stdin is what "extract -" reads; tests replace it.
var stdin io.Reader = os.Stdin

// usageError is a command line that cannot run: Main prints it with the
// command's usage and flags, and exits 2.
type usageError struct{ error }

// helpRequested is -h or --help: Main prints text on stdout and exits 0.
type helpRequested struct{ text string }

func (h helpRequested) Error() string { return "help requested" }

func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses a command's flags: -h or --help is helpRequested with
// the command's usage and flags, a bad flag a usageError.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return helpRequested{flagsHelp(fs)}
		}
		return usageError{err}
	}
	return nil
}

// flagsHelp is a command's usage line and its flags with their defaults.
func flagsHelp(fs *flag.FlagSet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "usage: %s\n", synopsis[fs.Name()])
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		b.WriteString("\nflags:\n")
		fs.SetOutput(&b)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return b.String()
}

// parseNow reads --now: RFC 3339, or YYYY-MM-DD meaning 10:00 that day in loc
// (inside default office hours, so that a pass on that day sends what is due).
func parseNow(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t.Add(10 * time.Hour), nil
	}
	return time.Time{}, usageError{fmt.Errorf("--now %q: want RFC 3339 (2026-12-01T10:00:00+01:00) or YYYY-MM-DD", s)}
}

// clock returns the injected clock: fixed when --now is given, else the
// system's.
func clock(fixed time.Time) func() time.Time {
	if fixed.IsZero() {
		return time.Now
	}
	return func() time.Time { return fixed }
}

func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// version says which build this is: the module's version and, when the
// build recorded them, the VCS revision, its time and whether the tree
// had changes ("sollecito (devel) 1a2b3c4d5e6f 2026-12-03T15:25:16Z +changes").
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "sollecito (unknown build)"
	}
	v := "sollecito " + bi.Main.Version
	var rev, at, dirty string
	for _, kv := range bi.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.time":
			at = kv.Value
		case "vcs.modified":
			if kv.Value == "true" {
				dirty = "+changes"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	for _, s := range []string{rev, at, dirty} {
		if s != "" {
			v += " " + s
		}
	}
	return v + " " + bi.GoVersion
}
