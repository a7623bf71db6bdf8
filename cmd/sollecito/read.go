package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/reply"
	"github.com/sollecito/sollecito/reply/invoice"
)

// classifyLine is one line of `sollecito classify`, as DESIGN.md fixes it.
type classifyLine struct {
	File         string `json:"file"`
	Kind         string `json:"kind"`
	PromisedDate string `json:"promised_date"`
	RedirectTo   string `json:"redirect_to"`
	// Guess is, when kind is "other" because the bot is not sure enough to
	// act, its best reading (promised_date and redirect_to are then the
	// guess's); Confidence is how sure it is of kind, or of the guess.
	Guess      string   `json:"guess,omitempty"`
	Confidence *float64 `json:"confidence,omitempty"` // with --explain only: the contract's fields are strings
	Explain    string   `json:"explain,omitempty"`
	Evidence   []string `json:"evidence,omitempty"`
}

func cmdClassify(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("classify")
	explain := fs.Bool("explain", false, "show the words that decided")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{fmt.Errorf("no files: sollecito classify [--explain] FILE...")}
	}
	return eachMessage("classify", fs.Args(), stdout, stderr, func(file string, m *mailbox.Message) any {
		v := reply.Classify(m, reply.Context{})
		line := classifyLine{File: file, Kind: string(v.Kind), PromisedDate: dateString(v.PromisedDate), RedirectTo: v.RedirectTo,
			Guess: string(v.Guess)}
		if *explain {
			c := v.Confidence
			if v.Guess != "" {
				c = v.GuessConfidence
			}
			c = math.Round(100*c) / 100
			line.Confidence = &c
			line.Explain = reply.Explain(v)
			line.Evidence = v.Evidence
		}
		return line
	})
}

// extractLine is one line of `sollecito extract`, as DESIGN.md fixes it.
type extractLine struct {
	File        string `json:"file"`
	Number      string `json:"number"`
	IssueDate   string `json:"issue_date"`
	DueDate     string `json:"due_date"`
	Amount      string `json:"amount"`
	Currency    string `json:"currency"`
	ClientEmail string `json:"client_email"`
	ClientName  string `json:"client_name"`
	ClientVAT   string `json:"client_vat"`
	// With --explain: where each field came from, and for an empty field
	// why (not found, or the readings that disagree).
	From  map[string]string `json:"from,omitempty"`
	Why   map[string]string `json:"why,omitempty"`
	Notes []string          `json:"notes,omitempty"`
}

func cmdExtract(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("extract")
	explain := fs.Bool("explain", false, "say where each field came from and, for an empty one, why")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{fmt.Errorf("no files: sollecito extract [--explain] FILE... (- reads one message from standard input)")}
	}
	return eachMessageFrom("extract", fs.Args(), stdin, stdout, stderr, func(file string, m *mailbox.Message) any {
		f := invoice.Extract(m, invoice.Options{})
		line := extractLine{File: file, Number: f.Number, IssueDate: dateString(f.IssueDate), DueDate: dateString(f.DueDate), Currency: f.Currency,
			ClientName: f.ClientName, ClientVAT: f.ClientVAT}
		if f.HasAmount {
			line.Amount = f.Amount.StringFixed(2)
		}
		if len(f.ClientEmails) > 0 {
			line.ClientEmail = f.ClientEmails[0]
		}
		if *explain {
			line.From, line.Notes = f.From, f.Notes
			line.Why = map[string]string{}
			for _, field := range f.Missing {
				why := "not found"
				for _, n := range f.Notes {
					if strings.HasPrefix(n, field+":") {
						why = strings.TrimSpace(strings.TrimPrefix(n, field+":"))
					}
				}
				line.Why[field] = why
			}
		}
		return line
	})
}

// eachMessage reads each file as a mail message and prints what read
// returns as one JSON line. An unreadable file is reported on stderr, named,
// and the others are still processed; the error is then errReported.
func eachMessage(cmd string, files []string, stdout, stderr io.Writer, read func(file string, m *mailbox.Message) any) error {
	return eachMessageFrom(cmd, files, nil, stdout, stderr, read)
}

// eachMessageFrom is eachMessage where the file "-" is one message read from
// stdin (when stdin is not nil).
func eachMessageFrom(cmd string, files []string, stdin io.Reader, stdout, stderr io.Writer, read func(file string, m *mailbox.Message) any) error {
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	failed := false
	for _, file := range files {
		var m *mailbox.Message
		var err error
		if file == "-" && stdin != nil {
			m, err = parseMessage("standard input", io.LimitReader(stdin, mailbox.MaxMessageSize+1))
		} else {
			m, err = readMessage(file)
		}
		if err != nil {
			fmt.Fprintf(stderr, "sollecito %s: %v\n", cmd, err)
			failed = true
			continue
		}
		if err := enc.Encode(read(file, m)); err != nil {
			return err
		}
	}
	if failed {
		return errReported
	}
	return nil
}

// readMessage reads and parses one mail file; the error names the file.
func readMessage(file string) (*mailbox.Message, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	defer f.Close()
	return parseMessage(file, io.LimitReader(f, mailbox.MaxMessageSize+1))
}

// parseMessage reads one mail message from r; the error names it and
// never carries its raw bytes (a binary file is one clear line).
func parseMessage(name string, r io.Reader) (*mailbox.Message, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(raw) > mailbox.MaxMessageSize {
		return nil, fmt.Errorf("%s: over %d bytes, not read", name, mailbox.MaxMessageSize)
	}
	if looksBinary(raw) {
		return nil, fmt.Errorf("%s: not a mail message (binary data)", name)
	}
	m, err := mailbox.Parse(raw)
	if m == nil {
		return nil, fmt.Errorf("%s: not a mail message: %s", name, printable(err.Error()))
	}
	if len(m.Header) == 0 {
		return nil, fmt.Errorf("%s: not a mail message: no header fields", name)
	}
	return m, nil
}

// looksBinary reports whether the start of raw holds bytes no mail header
// has: NUL, or control characters other than tab, CR, LF.
func looksBinary(raw []byte) bool {
	head := raw[:min(len(raw), 4096)]
	for _, c := range head {
		if c == 0 || c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != 0x1b {
			return true
		}
	}
	return false
}

// printable replaces what a terminal should not be sent.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}
