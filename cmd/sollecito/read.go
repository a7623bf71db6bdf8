package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"

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
}

func cmdExtract(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("extract")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{fmt.Errorf("no files: sollecito extract FILE...")}
	}
	return eachMessage("extract", fs.Args(), stdout, stderr, func(file string, m *mailbox.Message) any {
		f := invoice.Extract(m, invoice.Options{})
		line := extractLine{File: file, Number: f.Number, IssueDate: dateString(f.IssueDate), DueDate: dateString(f.DueDate), Currency: f.Currency}
		if f.HasAmount {
			line.Amount = f.Amount.StringFixed(2)
		}
		if len(f.ClientEmails) > 0 {
			line.ClientEmail = f.ClientEmails[0]
		}
		return line
	})
}

// eachMessage reads each file as a mail message and prints what read
// returns as one JSON line. An unreadable file is reported on stderr, named,
// and the others are still processed; the error is then errReported.
func eachMessage(cmd string, files []string, stdout, stderr io.Writer, read func(file string, m *mailbox.Message) any) error {
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	failed := false
	for _, file := range files {
		m, err := readMessage(file)
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
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	m, err := mailbox.Parse(raw)
	if m == nil {
		return nil, fmt.Errorf("%s: not a mail message: %w", file, err)
	}
	if len(m.Header) == 0 {
		return nil, fmt.Errorf("%s: not a mail message: no header fields", file)
	}
	return m, nil
}
