package reply

import (
	"testing"
	"time"

	"github.com/sollecito/sollecito/mailbox"
)

// reading is a learned reading with probability p for k and the rest
// spread over the other kinds.
func reading(k Kind, p float64) Reading {
	r := Reading{Kind: k, P: p, All: map[Kind]float64{}}
	for _, x := range Kinds {
		r.All[x] = (1 - p) / float64(len(Kinds)-1)
	}
	r.All[k] = p
	return r
}

// TestDecide: when the bot acts alone and when the owner decides.
func TestDecide(t *testing.T) {
	date := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	th := Thresholds{Min: 0.3, Alone: 0.7}
	tests := []struct {
		name      string
		rules     Verdict
		certain   bool
		r         Reading
		kind      Kind
		guess     Kind
		keepsDate bool
	}{
		{"headers decide", Verdict{Kind: AutoReply}, true, reading(Promise, 0.99), AutoReply, "", false},
		{"both agree", Verdict{Kind: Promise, PromisedDate: date}, false, reading(Promise, 0.8), Promise, "", true},
		{"the learned reader finds the rules' kind plausible", Verdict{Kind: Promise, PromisedDate: date}, false, func() Reading { r := reading(Other, 0.6); r.All[Promise] = 0.35; return r }(), Promise, "", true},
		{"a promise the learned reader finds implausible", Verdict{Kind: Promise, PromisedDate: date}, false, reading(NotReceived, 0.9), Other, NotReceived, false},
		{"a promise the learned reader is sure is a dispute: the owner gets it as one", Verdict{Kind: Promise, PromisedDate: date}, false, reading(Dispute, 0.9), Dispute, "", false},
		{"a promise the learned reader leans to read as a dispute", Verdict{Kind: Promise, PromisedDate: date}, false, reading(Dispute, 0.6), Other, Dispute, false},
		{"rules' proof goes on: the owner confirms anyway", Verdict{Kind: PaymentProof}, false, reading(Promise, 0.9), PaymentProof, "", false},
		{"rules' dispute goes on: the owner has it anyway", Verdict{Kind: Dispute}, false, reading(NotReceived, 0.9), Dispute, "", false},
		{"an auto-reply by its words only, the learned reader disagrees", Verdict{Kind: AutoReply}, false, reading(Promise, 0.8), Other, Promise, false},
		{"nothing found, the learned reader is sure of a proof", Verdict{Kind: Other}, false, reading(PaymentProof, 0.9), PaymentProof, "", false},
		{"nothing found, the learned reader leans to a promise", Verdict{Kind: Other}, false, reading(Promise, 0.5), Other, Promise, false},
		{"nothing found, the learned reader is sure of a resend: never alone", Verdict{Kind: Other}, false, reading(NotReceived, 0.95), Other, NotReceived, false},
		{"nothing found by either", Verdict{Kind: Other}, false, reading(Other, 0.9), Other, "", false},
		{"a redirect the learned reader calls other: the rules' reading is the guess", Verdict{Kind: Redirect, RedirectTo: "x@y.it"}, false, reading(Other, 0.9), Other, Redirect, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Decide(nil, tt.rules, tt.certain, tt.r, th)
			if v.Kind != tt.kind || v.Guess != tt.guess {
				t.Fatalf("kind %s guess %q, want %s guess %q; evidence %q", v.Kind, v.Guess, tt.kind, tt.guess, v.Evidence)
			}
			if tt.keepsDate && !v.PromisedDate.Equal(date) {
				t.Errorf("date %v lost", v.PromisedDate)
			}
			if v.Guess == Redirect && v.RedirectTo != tt.rules.RedirectTo {
				t.Errorf("the guessed redirect lost its address")
			}
			if v.Guess != "" && (v.GuessConfidence <= 0 || v.GuessConfidence > 1) {
				t.Errorf("guess confidence %v", v.GuessConfidence)
			}
		})
	}
}

// TestDecidePromiseAlone checks the one case where the learned reader acts
// alone on a promise: the rules read nothing, the reader is sure, and the
// writer's own text names a date ahead, which becomes the promised date.
// Without a date ahead, or less sure, the owner decides.
func TestDecidePromiseAlone(t *testing.T) {
	th := Thresholds{Min: 0.3, Alone: 0.6, Promise: 0.8}
	parse := func(body string) *mailbox.Message {
		m, err := mailbox.Parse([]byte("From: a@client.example\r\nTo: bot@studio.example\r\nSubject: Re: fattura 12\r\nDate: Tue, 01 Dec 2026 10:00:00 +0100\r\n\r\n" + body + "\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	withDate := parse("Buongiorno, ci sentiamo con l'amministrazione e per il 15/12 sistemiamo tutto.")
	noDate := parse("Buongiorno, ci sentiamo con l'amministrazione e sistemiamo tutto.")
	// A date of several words in a later sentence is read too.
	// The date in the sentence about paying, not an earlier one.
	twoDates := parse("Grazie ancora per essere passato sabato per il quadro elettrico.\r\n\r\nIl bonifico lo faccio entro venerd\u00ec.")
	laterSentence := parse("Buongiorno.\r\n\r\nCi sentiamo con l'amministrazione: sistemiamo tutto entro il 15 dicembre 2026.")
	tests := []struct {
		name string
		m    *mailbox.Message
		r    Reading
		kind Kind
		date string
	}{
		{"sure, with a date ahead", withDate, reading(Promise, 0.9), Promise, "2026-12-15"},
		{"sure, no date", noDate, reading(Promise, 0.9), Other, ""},
		{"two dates ahead: the one about paying", twoDates, reading(Promise, 0.9), Promise, "2026-12-04"},
		{"sure, a date in words in a later sentence", laterSentence, reading(Promise, 0.9), Promise, "2026-12-15"},
		{"not sure enough", withDate, reading(Promise, 0.7), Other, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Decide(tt.m, Verdict{Kind: Other, Lang: "it"}, false, tt.r, th)
			if v.Kind != tt.kind {
				t.Fatalf("kind %s, want %s; evidence %q", v.Kind, tt.kind, v.Evidence)
			}
			if tt.date != "" && v.PromisedDate.Format(time.DateOnly) != tt.date {
				t.Errorf("promised %v, want %s", v.PromisedDate, tt.date)
			}
			if tt.kind == Other && v.Guess != Promise {
				t.Errorf("guess %q, want promise for the owner", v.Guess)
			}
		})
	}
}

// TestDecideRedirectAlone: where the rules read nothing, a redirect the
// learned reader is sure of is acted on only when the text names an
// address (Rules' named: never the writer's, the bot's or the owner's).
func TestDecideRedirectAlone(t *testing.T) {
	th := Thresholds{Min: 0.3, Alone: 0.6, Redirect: 0.8}
	tests := []struct {
		name  string
		v     Verdict
		r     Reading
		kind  Kind
		to    string
		guess Kind
	}{
		{"sure, an address named", Verdict{Kind: Other, named: "laura@client.example"}, reading(Redirect, 0.9), Redirect, "laura@client.example", ""},
		{"sure, no address", Verdict{Kind: Other}, reading(Redirect, 0.9), Other, "", Redirect},
		{"not sure enough", Verdict{Kind: Other, named: "laura@client.example"}, reading(Redirect, 0.7), Other, "", Redirect},
		{"the rules read a promise", Verdict{Kind: Promise}, reading(Redirect, 0.9), Other, "", Redirect},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Decide(nil, tt.v, false, tt.r, th)
			if v.Kind != tt.kind || v.RedirectTo != tt.to || v.Guess != tt.guess {
				t.Errorf("kind %s to %q guess %q, want %s %q %q; evidence %q", v.Kind, v.RedirectTo, v.Guess, tt.kind, tt.to, tt.guess, v.Evidence)
			}
		})
	}
	// Rules name the address, never the writer's own or the owner's.
	m, err := mailbox.Parse([]byte("From: Anna <anna@client.example>\r\nTo: bot@studio.example\r\nSubject: Re: fattura 12\r\nDate: Tue, 01 Dec 2026 10:00:00 +0100\r\n\r\nBuongiorno, copio owner@studio.example. D'ora in poi Laura: laura@client.example\r\nAnna, anna@client.example\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	v, _ := Rules(m, Context{Own: []string{"bot@studio.example", "owner@studio.example"}})
	if v.Kind == Other && v.named != "laura@client.example" {
		t.Errorf("named %q, want laura@client.example; %+v", v.named, v)
	}
}

// TestDecideNotReceivedAlone: where the rules read nothing, or a promise
// (one conditional on getting the invoice or the IBAN is not_received),
// the learned reader's "never got it" is acted on (the invoice goes again)
// only at Thresholds.NotReceived; below it, or with the threshold 0, the
// owner decides. A dispute the rules read stays one.
func TestDecideNotReceivedAlone(t *testing.T) {
	for _, tt := range []struct {
		rules Kind
		th    float64
		p     float64
		kind  Kind
	}{{Other, 0.8, 0.9, NotReceived}, {Other, 0.8, 0.7, Other}, {Other, 0, 0.99, Other},
		{Promise, 0.8, 0.9, NotReceived}, {Promise, 0.8, 0.7, Other}, {Dispute, 0.8, 0.99, Dispute}} {
		v := Decide(nil, Verdict{Kind: tt.rules}, false, reading(NotReceived, tt.p), Thresholds{Min: 0.3, Alone: 0.6, NotReceived: tt.th})
		if v.Kind != tt.kind {
			t.Errorf("rules %s, threshold %.2f, reader %.2f: kind %s, want %s", tt.rules, tt.th, tt.p, v.Kind, tt.kind)
		}
	}
}
