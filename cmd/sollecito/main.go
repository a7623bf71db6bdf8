// Command sollecito is a payment-reminder bot that works from a mailbox: the
// owner CCs it on each invoice email, it sends the reminders on the right
// days, reads what clients answer, and hands the owner what needs a person.
//
// Usage:
//
//	sollecito demo [--http ADDR]
//	sollecito run --config FILE [--once] [--now TIME] [--http ADDR]
//	sollecito status --config FILE [--now TIME]
//	sollecito history --config FILE [--now TIME] [--id N] INVOICE
//	sollecito export --config FILE --csv [--out FILE] [--sep ';'] [--now TIME]
//	sollecito check --config FILE
//	sollecito classify [--explain] FILE...
//	sollecito extract FILE...
//	sollecito init [FILE]
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

const usage = `usage: sollecito COMMAND [flags]

commands:
  demo [--http ADDR]                    run the whole product on a sample business, in memory, and print its timeline;
                                        --http: then serve the web page until interrupted
  run --config FILE [--once] [--now T]  the daemon (IDLE or polling); --once: one pass and exit; --now: the time the pass believes it is;
      [--http ADDR]                     --http: also serve the read-only web page, e.g. on 127.0.0.1:8080
  status --config FILE [--now T]        the ledger as a table
  history --config FILE INVOICE         one invoice's timeline: messages in and out, how the bot read them, why it acted
  export --config FILE --csv [--out F]  the ledger as CSV for the accountant (--sep ';' for Italian Excel)
  check --config FILE                   validate the configuration and log in to IMAP and SMTP
  classify [--explain] FILE...          read client replies: one JSON object a line
  extract FILE...                       read invoice emails: one JSON object a line
  init [FILE]                           write a commented example configuration (default sollecito.toml)
`

// Main runs one command line and returns the exit code. Tests call it.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "demo":
		err = cmdDemo(ctx, rest, stdout, stderr)
	case "run":
		err = cmdRun(ctx, rest, stdout, stderr, getenv)
	case "status":
		err = cmdStatus(ctx, rest, stdout, getenv)
	case "history":
		err = cmdHistory(ctx, rest, stdout, getenv)
	case "export":
		err = cmdExport(ctx, rest, stdout, getenv)
	case "check":
		err = cmdCheck(ctx, rest, stdout, getenv)
	case "classify":
		err = cmdClassify(rest, stdout, stderr)
	case "extract":
		err = cmdExtract(rest, stdout, stderr)
	case "init":
		err = cmdInit(rest, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "sollecito: unknown command %q\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "sollecito %s: %v\n", cmd, err)
			return 2
		}
		if !errors.Is(err, errReported) {
			fmt.Fprintf(stderr, "sollecito %s: %v\n", cmd, err)
		}
		return 1
	}
	return 0
}

// errReported means the details are already on stderr; exit non-zero.
var errReported = errors.New("errors reported")

type usageError struct{ error }

func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	return nil
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
