package engine

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/ledger"
	"github.com/sollecito/sollecito/templates"
)

// ErrNoInvoice means no invoice has the number or id asked for.
var ErrNoInvoice = errors.New("engine: no such invoice")

// Entry is one line of an invoice's timeline: a message in or out, or an
// event (a decision of the bot, or an owner command's effect).
type Entry struct {
	At time.Time // in the business's time zone
	// Direction is ledger.In or ledger.Out for a message, "" for an event.
	Direction string
	// From, To and Subject are the message's ("" for an event).
	From, To, Subject string
	// Kind is, for a message received, how the bot read it (a reply kind,
	// "invoice", "command"); for a message sent, its template; for an event,
	// the decision, e.g. "reply:promise", "stage1", "command:paid".
	Kind string
	// Note is, for a message received, how it was matched to the invoice and
	// the words that decided its reading.
	Note string
	// Reason is, for an event, why the bot acted (plain English, as logged).
	Reason string
}

// IsEvent reports whether the entry is an event rather than a message.
func (e Entry) IsEvent() bool { return e.Direction == "" }

// What names the entry in the owner's language: the reading of a message
// received ("risposta: promessa di pagamento"), the name of a message sent
// ("primo sollecito"), or an event's kind.
func (e Entry) What(lang string) string {
	switch e.Direction {
	case ledger.Out:
		return templates.Name(lang, policy.Template(e.Kind))
	case ledger.In:
		return ReadingName(lang, e.Kind)
	}
	return e.Kind
}

// readings are the owner's words for what a received message was read as.
var readings = map[string]map[string]string{
	"it": {
		"invoice": "fattura registrata", "command": "comando del titolare",
		"payment_proof": "risposta: dice di aver pagato", "promise": "risposta: promessa di pagamento",
		"dispute": "risposta: contestazione", "not_received": "risposta: fattura mai ricevuta",
		"installment": "risposta: chiede una dilazione", "redirect": "risposta: indica un altro contatto",
		"autoreply": "risposta automatica", "bounce": "mancato recapito", "other": "risposta: da leggere al titolare",
	},
	"en": {
		"invoice": "invoice registered", "command": "owner's command",
		"payment_proof": "reply: says it paid", "promise": "reply: promise to pay",
		"dispute": "reply: dispute", "not_received": "reply: never got the invoice",
		"installment": "reply: asks for instalments or time", "redirect": "reply: names another contact",
		"autoreply": "automatic reply", "bounce": "delivery failure", "other": "reply: for the owner to read",
	},
}

// ReadingName is how the bot read a received message (a reply kind,
// "invoice" or "command"), in the owner's language (lang "it" or English).
func ReadingName(lang, kind string) string {
	names, ok := readings[lang]
	if !ok {
		names = readings["en"]
	}
	if n, ok := names[kind]; ok {
		return n
	}
	return kind
}

// History is an invoice's whole story: where it stands now, its contacts,
// and every message and event, oldest first.
type History struct {
	Invoice  StatusRow
	Contacts []string
	Entries  []Entry
}

// Find returns the invoices with this number (more than one when two
// series share it), as status rows. It only reads the ledger.
func (e *Engine) Find(ctx context.Context, number string) ([]StatusRow, error) {
	var rows []StatusRow
	err := e.db.View(ctx, func(tx *ledger.Tx) error {
		invs, err := tx.InvoiceByNumber(number)
		if err != nil {
			return err
		}
		now := e.now()
		for _, inv := range invs {
			r, err := e.statusRow(tx, inv, now)
			if err != nil {
				return err
			}
			rows = append(rows, r)
		}
		return nil
	})
	return rows, err
}

// History returns the story of the invoice with this ledger id;
// ErrNoInvoice when there is none. It only reads the ledger.
func (e *Engine) History(ctx context.Context, id int64) (History, error) {
	var h History
	err := e.db.View(ctx, func(tx *ledger.Tx) error {
		inv, err := tx.Invoice(id)
		if errors.Is(err, ledger.ErrNotFound) {
			return ErrNoInvoice
		} else if err != nil {
			return fmt.Errorf("invoice %d: %w", id, err)
		}
		if h.Invoice, err = e.statusRow(tx, inv, e.now()); err != nil {
			return err
		}
		if h.Contacts, err = tx.Contacts(id); err != nil {
			return err
		}
		msgs, err := tx.Messages(id)
		if err != nil {
			return err
		}
		events, err := tx.Events(id)
		if err != nil {
			return err
		}
		h.Entries = timeline(msgs, events, e.cfg.Settings.Location)
		return nil
	})
	return h, err
}

// timeline merges messages and events in time order; at the same instant a
// message received comes before the decision it caused, and the decision
// before the messages it sent.
func timeline(msgs []ledger.Message, events []ledger.Event, loc *time.Location) []Entry {
	var out []Entry
	for _, m := range msgs {
		at := m.Date
		if at.IsZero() {
			at = m.RecordedAt
		}
		out = append(out, Entry{At: at.In(loc), Direction: m.Direction, From: m.From, To: m.To, Subject: m.Subject, Kind: m.Kind, Note: m.Note})
	}
	for _, ev := range events {
		out = append(out, Entry{At: ev.At.In(loc), Kind: ev.Kind, Reason: ev.Reason})
	}
	rank := func(e Entry) int {
		switch e.Direction {
		case ledger.In:
			return 0
		case ledger.Out:
			return 2
		}
		return 1
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return rank(out[i]) < rank(out[j])
	})
	return out
}
