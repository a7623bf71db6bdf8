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
			Signature:  "Via Roma 1, 20121 Milano\nTel. 02 1234567",
			BotAddress: "solleciti@studiobianchi.example",
		},
		Invoice: policy.Invoice{
			ID:             7,
			Number:         "2026/123",
			Client:         "amministrazione@rossi.example",
			IssueDate:      day(2026, time.November, 3),
			DueDate:        day(2026, time.December, 3),
			Amount:         decimal.RequireFromString("1220.00"),
			Currency:       "EUR",
			State:          policy.Open,
			Stage:          2,
			CourtesySent:   true,
			PromisedDate:   day(2027, time.January, 8),
			PromisesBroken: 1,
		},
		ClientName: "Rossi Srl",
		Contacts:   []string{"amministrazione@rossi.example", "mario.rossi@rossi.example", "+39 02 7654321"},
		History: []Entry{
			{At: at(time.November, 3, 11), What: "invoice received from the owner"},
			{At: at(time.November, 26, 9), Sent: policy.Courtesy},
			{At: at(time.December, 14, 9), Sent: policy.Stage1},
			{At: at(time.December, 16, 15), What: "client replied: promise to pay by 08/01/2027"},
			{At: at(time.January, 14, 10), Sent: policy.PromiseMissed},
			{At: at(time.January, 25, 9), Sent: policy.Stage2},
		},
		Subject:    "Re: Sollecito di pagamento — fattura n. 2026/123 del 03/11/2026",
		From:       "Mario Rossi <mario.rossi@rossi.example>",
		Words:      "Buongiorno,\nla fattura riporta un importo diverso dall'ordine: avevamo concordato 1.000 euro.\n\nMario Rossi",
		Missing:    []string{"due_date", "amount"},
		Command:    "pausa fino al 15/02/2027",
		Next:       Step{At: at(time.February, 4, 9), Template: policy.Stage3},
		Attachment: "Fattura_2026-123.pdf",
		Interest: &Interest{
			Rate:         decimal.RequireFromString("10.15"),
			From:         day(2026, time.December, 4),
			To:           day(2027, time.January, 25),
			Amount:       decimal.RequireFromString("17.30"),
			Compensation: decimal.NewFromInt(40),
		},
		Now: at(time.January, 25, 10),
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
	}
	return d
}
