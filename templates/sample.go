package templates

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/policy"
)

// day returns a calendar date at 00:00 UTC, as policy stores them.
func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// sample returns Data with every field set, as New test-renders templates
// with (and the golden tests show).
func sample() Data {
	rome := time.FixedZone("CET", 3600)
	at := func(m time.Month, d, h int) time.Time {
		y := 2026
		if m < time.June {
			y = 2027
		}
		return time.Date(y, m, d, h, 0, 0, 0, rome)
	}
	return Data{
		Business: Business{
			Name:       "Studio Bianchi",
			IBAN:       "IT60X0542811101000000123456",
			OwnerName:  "Maria Bianchi",
			Signature:  "Tel. 02 1234567",
			Address:    "Via Roma 1, 20121 Milano",
			VATNumber:  "01234567897",
			BotAddress: "solleciti@studiobianchi.example",
		},
		Invoice: policy.Invoice{
			ID:             7,
			Number:         "2026/123",
			Client:         "amministrazione@rossi.example",
			ClientName:     "Rossi Srl",
			ClientVAT:      "IT03391280926",
			IssueDate:      day(2026, time.November, 3),
			DueDate:        day(2026, time.December, 3),
			Amount:         decimal.RequireFromString("1220.00"),
			Currency:       "EUR",
			State:          policy.Open,
			Stage:          2,
			CourtesySent:   true,
			PromisedDate:   day(2027, time.January, 8),
			PromisesBroken: 1,
			SettleAmount:   decimal.RequireFromString("800.00"),
			SettleBy:       day(2027, time.February, 8),
		},
		ClientName: "Rossi Srl",
		Contacts:   []string{"amministrazione@rossi.example", "mario.rossi@rossi.example", "+39 02 7654321"},
		History: []Entry{
			{At: at(time.November, 3, 11), Received: true, Kind: "invoice", What: "Fattura n. 2026/123 del 03/11/2026"},
			{At: at(time.November, 26, 9), Sent: policy.Courtesy, To: "amministrazione@rossi.example"},
			{At: at(time.December, 14, 9), Sent: policy.Stage1, To: "amministrazione@rossi.example"},
			{At: at(time.December, 16, 15), Received: true, Kind: "promise", From: "mario.rossi@rossi.example", Promised: day(2027, time.January, 8)},
			{At: at(time.January, 14, 10), Sent: policy.PromiseMissed, To: "amministrazione@rossi.example"},
			{At: at(time.January, 20, 18), Received: true, Kind: "command:note", From: "maria@studiobianchi.example", What: "il cliente dice che paga a fine mese"},
			{At: at(time.January, 25, 9), Sent: policy.Stage2, To: "amministrazione@rossi.example"},
		},
		Subject:    "Re: Sollecito di pagamento — fattura n. 2026/123 del 03/11/2026",
		From:       "Mario Rossi <mario.rossi@rossi.example>",
		Words:      "Buongiorno,\nla fattura riporta un importo diverso dall'ordine: avevamo concordato 1.000 euro.\n\nMario Rossi",
		Missing:    []string{"due_date", "amount"},
		Command:    "pausa fino al 15/02/2027",
		Next:       Step{At: at(time.February, 4, 9), Template: policy.Stage3},
		PayBy:      day(2027, time.February, 3),
		Attachment: "Fattura_2026-123.pdf",
		// 1220 × 10.15 × 28 / 36500 = 9.4993… → 9.50; 1220 × 10.15 × 25 / 36500 = 8.4815… → 8.48.
		// The second half-year is not in the table: its rate is assumed from the first.
		Interest: &Interest{
			Periods: []policy.InterestPeriod{
				{From: day(2026, time.December, 4), To: day(2026, time.December, 31), Days: 28,
					Reference: decimal.RequireFromString("2.15"), Rate: decimal.RequireFromString("10.15"),
					Amount: decimal.RequireFromString("9.50"), Basis: day(2026, time.July, 1)},
				{From: day(2027, time.January, 1), To: day(2027, time.January, 25), Days: 25,
					Reference: decimal.RequireFromString("2.15"), Rate: decimal.RequireFromString("10.15"),
					Amount: decimal.RequireFromString("8.48"), Assumed: true, Basis: day(2026, time.July, 1)},
			},
			Rate:         decimal.RequireFromString("10.15"),
			From:         day(2026, time.December, 4),
			To:           day(2027, time.January, 25),
			Amount:       decimal.RequireFromString("17.98"),
			Compensation: decimal.NewFromInt(40),
		},
		Summary:    sampleSummary(at),
		Untrusted:  "contact",
		NewContact: "contabilita@rossi.example",
		Credit: &Credit{Amount: decimal.RequireFromString("500"), Currency: "EUR", Value: day(2027, time.January, 22),
			Payer: "ROSSI IMPIANTI SRL", Words: "acconto ft 2026/118"},
		Held: []Held{
			{At: at(time.January, 24, 15), From: "mario.rossi@rossi.example", Subject: "Re: fattura 2026/123", Reading: "contestazione", Invoice: "2026/123", Sent: policy.ForwardDispute},
			{At: at(time.January, 24, 16), From: "mario.rossi@rossi.example", Subject: "ancora", Reading: "altro", Sent: policy.ForwardUnmatched},
		},
		Now: at(time.January, 25, 10),
	}
}

// sampleFor returns sample() as template t shows it: for notice_lapsed, an
// invoice with the owner since stage 4 whose formal notice of 4 January
// 2027 ran out on the 19th (policy.NoticeTermEnd) and lapsed on the 25th.
func sampleFor(t policy.Template) Data {
	d := sample()
	if t == policy.NoticeLapsed {
		d.Invoice.State, d.Invoice.Stage = policy.WithOwner, 4
		d.Invoice.NoticeAt = time.Date(2027, time.January, 4, 11, 0, 0, 0, time.FixedZone("CET", 3600))
		d.NoticeTerm = day(2027, time.January, 19)
		d.Next = Step{}
	}
	if t == policy.CommandHelp {
		d.Command = "" // a mail with no command the bot knows; commands_test has a refused one
	}
	if t == policy.AuthAlert {
		d.Invoice = policy.Invoice{}
		d.From = "solleciti@studiobianchi.example"
		d.Words = "imap.studiobianchi.example:993: the OAuth2 authorization was revoked or has expired (the provider says invalid_grant: Token has been expired or revoked.): run sollecito auth --config /etc/sollecito/sollecito.toml again"
	}
	if t == policy.ContactChanged {
		d.Words = "Buongiorno, per i pagamenti scrivete d'ora in poi a contabilita@rossi.example, grazie.\n\nMario Rossi"
	}

	return d
}

// sampleSummary is a week of a small business: two currencies, reminders
// and replies, promises, cases waiting for the owner, a bounce, an
// unmatched mail and an invoice missing data.
func sampleSummary(at func(m time.Month, d, h int) time.Time) *Summary {
	eur := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	cell := func(n int, amount string) policy.AgingCell { return policy.AgingCell{Count: n, Amount: eur(amount)} }
	min := func(t time.Time, m int) time.Time { return t.Add(time.Duration(m) * time.Minute) }
	return &Summary{
		Every: "weekly",
		From:  at(time.January, 18, 9),
		Aging: policy.Aging{
			{Currency: "EUR",
				Cells:   [policy.NumBuckets]policy.AgingCell{cell(3, "3620.00"), cell(2, "1280.00"), cell(1, "850.00"), cell(0, "0"), cell(1, "430.00")},
				Overdue: cell(4, "2560.00"), Total: cell(7, "6180.00")},
			{Currency: "GBP",
				Cells:   [policy.NumBuckets]policy.AgingCell{cell(0, "0"), cell(1, "900.00"), cell(0, "0"), cell(0, "0"), cell(0, "0")},
				Overdue: cell(1, "900.00"), Total: cell(1, "900.00")},
		},
		Activity: []ClientActivity{
			{Client: "amministrazione@rossi.example", Entries: []Activity{
				{At: at(time.January, 18, 10), Invoice: "2026/123", Sent: policy.Stage2, To: "amministrazione@rossi.example"},
				{At: min(at(time.January, 19, 8), 42), Invoice: "2026/123", Kind: "promise", From: "mario.rossi@rossi.example", Promise: day(2027, time.January, 29)},
			}},
			{Client: "accounts@northwind.example", Entries: []Activity{
				{At: at(time.January, 20, 10), Invoice: "INV-2026-105", Sent: policy.Stage1, To: "accounts@northwind.example"},
				{At: min(at(time.January, 20, 11), 5), Invoice: "INV-2026-105", Kind: "autoreply", From: "accounts@northwind.example"},
			}},
			{Client: "ufficio@neri.example", Entries: []Activity{
				{At: at(time.January, 22, 10), Invoice: "2026/104", Sent: policy.Stage3, To: "ufficio@neri.example"},
			}},
			{Client: "contabilita@bianchi.example", Entries: []Activity{
				{At: at(time.January, 21, 9), Invoice: "2026/102", Received: eur("300.00"), Currency: "EUR"},
			}},
			{Client: "ordini@marroni.example", Entries: []Activity{
				{At: at(time.January, 22, 11), Invoice: "2026/097", Closed: policy.Paid},
			}},
		},
		PromisesDue: []Promise{
			{Invoice: "2026/123", Client: "amministrazione@rossi.example", Amount: eur("1220.00"), Currency: "EUR",
				Date: day(2027, time.January, 29), Until: at(time.February, 4, 9)},
		},
		PromisesBroken: []Promise{
			{Invoice: "2026/102", Client: "contabilita@bianchi.example", Amount: eur("850.00"), Currency: "EUR",
				Date: day(2027, time.January, 11), Until: at(time.January, 19, 10)},
		},
		Waiting: []Waiting{
			{Invoice: "2026/099", Client: "info@verdi.example", Amount: eur("430.00"), Currency: "EUR", Why: "case_file", Since: at(time.January, 21, 10)},
			{Invoice: "2026/110", Client: "acquisti@gialli.example", Amount: eur("640.00"), Currency: "EUR", Why: "dispute", Since: at(time.January, 20, 9)},
			{Invoice: "2026/108", Client: "ufficio@viola.example", Amount: eur("900.00"), Currency: "EUR", Why: "settling", Since: at(time.January, 11, 12)},
		},
		Bounces: []Notice{
			{At: at(time.January, 21, 10), Invoice: "2026/106", Address: "amministrazione@vecchia.example", Kind: "bounce"},
		},
		Unmatched: []Notice{
			{At: min(at(time.January, 22, 9), 15), Address: "info@sconosciuto.example", Subject: "Richiesta preventivo", Kind: "other"},
		},
		Incomplete: []Incomplete{
			{Client: "ap@blu.example", Missing: []string{"number", "due_date"}},
		},
		Credits: []CreditNote{
			{ValueDate: at(time.January, 20, 0), Amount: eur("500.00"), Currency: "EUR", Payer: "ROSSI SRL", Words: "acconto fattura 2026/101", Invoices: []string{"2026/101"}},
			{ValueDate: at(time.January, 21, 0), Amount: eur("75.00"), Currency: "EUR", Words: "RIMBORSO SPESE"},
		},
	}
}

// minimal returns the least Data template t must render from: what the
// package documentation lists as required.
func minimal(t policy.Template) Data {
	d := Data{
		Business: Business{Name: "Studio Bianchi", IBAN: "IT60X0542811101000000123456"},
		Now:      time.Date(2027, time.January, 25, 10, 0, 0, 0, time.UTC),
	}
	switch t {
	case policy.ForwardUnmatched, policy.CommandHelp:
		return d
	case policy.Summary:
		d.Summary = &Summary{From: time.Date(2027, time.January, 18, 9, 0, 0, 0, time.UTC)}
	case policy.Unverified:
		d.Untrusted = "owner"
		return d
	case policy.ContactChanged:
		d.NewContact = "contabilita@rossi.example"
	case policy.CreditQuestion:
		d.Credit = &Credit{Amount: decimal.RequireFromString("1"), Currency: "EUR", Value: day(2026, time.November, 3), Full: true}
	case policy.Digest:
		d.Held = []Held{{At: d.Now, From: "x@example.com"}}
		return d
	case policy.MissingFields:
		d.Missing = []string{"number", "issue_date", "due_date", "amount"}
		return d
	}
	d.Invoice = policy.Invoice{
		Number:    "1",
		Client:    "a@example.com",
		IssueDate: day(2026, time.November, 3),
		DueDate:   day(2026, time.December, 3),
		Amount:    decimal.NewFromInt(100),
	}
	switch t {
	case policy.PromiseMissed, policy.BrokenPromise:
		d.Invoice.PromisedDate = day(2027, time.January, 8)
	case policy.Settlement, policy.SettlementLapsed:
		d.Invoice.SettleAmount = decimal.NewFromInt(60)
		d.Invoice.SettleBy = day(2027, time.February, 8)
	case policy.NoticeLapsed:
		d.Invoice.NoticeAt = time.Date(2027, time.January, 4, 10, 0, 0, 0, time.UTC)
	}
	return d
}
