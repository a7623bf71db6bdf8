package policy

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/sollecito/sollecito/reply"
	"github.com/sollecito/sollecito/reply/command"
)

func eur(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// TestOnCaseCommands covers the owner's answers to a case: partly paid,
// settle, write off and send notice, each from the states it meets.
func TestOnCaseCommands(t *testing.T) {
	s := DefaultSettings()
	at := rome(t, "2026-12-16 10:00") // a Wednesday
	stage4 := func(i Invoice) Invoice { i.State, i.Stage = WithOwner, 4; return i }
	settling := func(i Invoice) Invoice {
		i = stage4(i)
		i.State, i.SettleAmount, i.SettleBy = Settling, eur("600"), date(t, "2026-12-28")
		return i
	}
	tests := []struct {
		name  string
		inv   func(Invoice) Invoice
		cmd   command.Command
		want  State
		send  []Template
		err   string
		check func(t *testing.T, i Invoice)
	}{
		{name: "partly paid", cmd: command.Command{Verb: command.PartlyPaid, Amount: eur("300")}, want: Open,
			check: func(t *testing.T, i Invoice) {
				if !i.PaidAmount.Equal(eur("300")) || !i.Outstanding().Equal(eur("920")) {
					t.Errorf("paid %v outstanding %v, want 300 and 920", i.PaidAmount, i.Outstanding())
				}
				if i.Stage != 1 {
					t.Errorf("stage %d: a partial payment does not move the stage clock", i.Stage)
				}
			}},
		{name: "partly paid twice covers it", inv: func(i Invoice) Invoice { i.PaidAmount = eur("1000"); return i },
			cmd: command.Command{Verb: command.PartlyPaid, Amount: eur("220"), Currency: "EUR"}, want: Paid,
			check: func(t *testing.T, i Invoice) {
				if !i.PaidAmount.Equal(eur("1220")) || !i.Outstanding().IsZero() {
					t.Errorf("paid %v outstanding %v", i.PaidAmount, i.Outstanding())
				}
			}},
		{name: "partly paid after the client said paid resumes for the rest",
			inv: func(i Invoice) Invoice { i.State = ClaimedPaid; return i },
			cmd: command.Command{Verb: command.PartlyPaid, Amount: eur("1000")}, want: Open,
			check: func(t *testing.T, i Invoice) {
				if !i.LastStageAt.Equal(at) || !i.Outstanding().Equal(eur("220")) {
					t.Errorf("LastStageAt %v outstanding %v", i.LastStageAt, i.Outstanding())
				}
			}},
		{name: "partly paid while disputed keeps the state", inv: func(i Invoice) Invoice { i.State = Disputed; return i },
			cmd: command.Command{Verb: command.PartlyPaid, Amount: eur("100")}, want: Disputed},
		{name: "partly paid during a settlement counts against it", inv: settling,
			cmd: command.Command{Verb: command.PartlyPaid, Amount: eur("200")}, want: Settling,
			check: func(t *testing.T, i Invoice) {
				if !i.SettleAmount.Equal(eur("400")) || !i.PaidAmount.Equal(eur("200")) {
					t.Errorf("settle %v paid %v, want 400 and 200", i.SettleAmount, i.PaidAmount)
				}
			}},
		{name: "partly paid the whole settlement closes it", inv: settling,
			cmd: command.Command{Verb: command.PartlyPaid, Amount: eur("600")}, want: Paid},
		{name: "partly paid in another currency", cmd: command.Command{Verb: command.PartlyPaid, Amount: eur("300"), Currency: "GBP"}, err: "in EUR, not GBP"},
		{name: "partly paid on a paid invoice", inv: func(i Invoice) Invoice { i.State = Paid; return i },
			cmd: command.Command{Verb: command.PartlyPaid, Amount: eur("300")}, err: "is paid"},
		{name: "partly paid without amount", cmd: command.Command{Verb: command.PartlyPaid}, err: "amount received"},

		{name: "settle", inv: stage4, cmd: command.Command{Verb: command.Settle, Amount: eur("600")}, want: Settling,
			send: []Template{Settlement, CommandDone},
			check: func(t *testing.T, i Invoice) {
				// 16 December + 10 days = Saturday 26 → Monday 28.
				if !i.SettleAmount.Equal(eur("600")) || !i.SettleBy.Equal(date(t, "2026-12-28")) {
					t.Errorf("settle %v by %v, want 600 by 2026-12-28", i.SettleAmount, i.SettleBy)
				}
			}},
		{name: "settle with a deadline", inv: stage4, cmd: command.Command{Verb: command.Settle, Amount: eur("600"), Until: date(t, "2027-01-15")},
			want: Settling, send: []Template{Settlement, CommandDone},
			check: func(t *testing.T, i Invoice) {
				if !i.SettleBy.Equal(date(t, "2027-01-15")) {
					t.Errorf("SettleBy %v", i.SettleBy)
				}
			}},
		{name: "settle after a partial payment compares with what is outstanding",
			inv: func(i Invoice) Invoice { i = stage4(i); i.PaidAmount = eur("700"); return i },
			cmd: command.Command{Verb: command.Settle, Amount: eur("600")}, err: "less than the 520.00 outstanding"},
		{name: "settle for everything", inv: stage4, cmd: command.Command{Verb: command.Settle, Amount: eur("1220")}, err: "less than"},
		{name: "settle in the past", inv: stage4, cmd: command.Command{Verb: command.Settle, Amount: eur("600"), Until: date(t, "2026-12-16")}, err: "not after today"},
		{name: "settle written off", inv: func(i Invoice) Invoice { i.State = WrittenOff; return i },
			cmd: command.Command{Verb: command.Settle, Amount: eur("600")}, err: "written_off"},

		{name: "write off", inv: stage4, cmd: command.Command{Verb: command.WriteOff}, want: WrittenOff},
		{name: "write off a settlement", inv: settling, cmd: command.Command{Verb: command.WriteOff}, want: WrittenOff},
		{name: "write off twice", inv: func(i Invoice) Invoice { i.State = WrittenOff; return i }, cmd: command.Command{Verb: command.WriteOff}, err: "already written_off"},
		{name: "write off paid", inv: func(i Invoice) Invoice { i.State = Paid; return i }, cmd: command.Command{Verb: command.WriteOff}, err: "already paid"},

		{name: "send notice after stage 4", inv: stage4, cmd: command.Command{Verb: command.SendNotice}, want: WithOwner,
			send: []Template{Notice, CommandDone},
			check: func(t *testing.T, i Invoice) {
				if !i.NoticeAt.Equal(at) {
					t.Errorf("NoticeAt %v", i.NoticeAt)
				}
			}},
		{name: "send notice while chased stops the reminders", cmd: command.Command{Verb: command.SendNotice}, want: WithOwner,
			send: []Template{Notice, CommandDone}},
		{name: "send notice withdraws a settlement", inv: settling, cmd: command.Command{Verb: command.SendNotice}, want: WithOwner,
			send: []Template{Notice, CommandDone},
			check: func(t *testing.T, i Invoice) {
				if !i.SettleAmount.IsZero() || !i.SettleBy.IsZero() {
					t.Errorf("offer kept: %v by %v", i.SettleAmount, i.SettleBy)
				}
			}},
		{name: "send notice on a disputed invoice keeps the dispute", inv: func(i Invoice) Invoice { i.State = Disputed; return i },
			cmd: command.Command{Verb: command.SendNotice}, want: Disputed, send: []Template{Notice, CommandDone}},
		{name: "send notice paid", inv: func(i Invoice) Invoice { i.State = Paid; return i }, cmd: command.Command{Verb: command.SendNotice}, err: "is paid"},
		{name: "send notice incomplete", inv: func(i Invoice) Invoice { i.State, i.Amount = Incomplete, decimal.Zero; return i },
			cmd: command.Command{Verb: command.SendNotice}, err: "misses amount"},

		{name: "paid during a settlement collects the settlement", inv: settling, cmd: command.Command{Verb: command.Paid}, want: Paid,
			check: func(t *testing.T, i Invoice) {
				if !i.PaidAmount.Equal(eur("600")) {
					t.Errorf("PaidAmount %v, want 600", i.PaidAmount)
				}
			}},
		{name: "paid collects the whole amount", cmd: command.Command{Verb: command.Paid}, want: Paid,
			check: func(t *testing.T, i Invoice) {
				if !i.PaidAmount.Equal(eur("1220")) {
					t.Errorf("PaidAmount %v, want 1220", i.PaidAmount)
				}
			}},
		{name: "resume ends a settlement", inv: settling, cmd: command.Command{Verb: command.Resume}, want: Open,
			check: func(t *testing.T, i Invoice) {
				if !i.SettleAmount.IsZero() || i.Stage != 2 {
					t.Errorf("settle %v stage %d, want none and 2 (stage 3 next)", i.SettleAmount, i.Stage)
				}
			}},
		{name: "set the client's name while chased", cmd: command.Command{Verb: command.Set, Field: command.FieldClientName, Text: "Neri Costruzioni S.r.l."}, want: Open,
			check: func(t *testing.T, i Invoice) {
				if i.ClientName != "Neri Costruzioni S.r.l." || i.Stage != 1 {
					t.Errorf("name %q stage %d", i.ClientName, i.Stage)
				}
			}},
		{name: "set the client's name on a paid invoice", inv: func(i Invoice) Invoice { i.State = Paid; return i },
			cmd: command.Command{Verb: command.Set, Field: command.FieldClientName, Text: "Neri"}, want: Paid},
		{name: "set the client's VAT number", inv: stage4, cmd: command.Command{Verb: command.Set, Field: command.FieldClientVAT, Text: "IT01234567897"}, want: WithOwner,
			check: func(t *testing.T, i Invoice) {
				if i.ClientVAT != "IT01234567897" {
					t.Errorf("VAT %q", i.ClientVAT)
				}
			}},
		{name: "set an empty client name", cmd: command.Command{Verb: command.Set, Field: command.FieldClientName}, err: "no client name"},
		{name: "a client setting is not an invoice command", cmd: command.Command{Verb: command.Tolerance, Days: []int{5}}, err: "client setting"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := chased(t)
			if tt.inv != nil {
				inv = tt.inv(inv)
			}
			st, err := OnCommand(inv, tt.cmd, at, s)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, ErrNotApplicable) {
					t.Fatalf("err %v, want one saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			send := tt.send
			if send == nil {
				send = []Template{CommandDone}
			}
			if !slices.Equal(st.Send, send) || st.Reason == "" {
				t.Errorf("send %v reason %q, want %v", st.Send, st.Reason, send)
			}
			if st.Then.State != tt.want {
				t.Errorf("state %s, want %s (%s)", st.Then.State, tt.want, st.Reason)
			}
			if tt.check != nil {
				tt.check(t, st.Then)
			}
		})
	}
}

// TestSettlementLapses checks that an offer nobody paid goes back to the
// owner after its deadline and the grace, and that the client's answers
// during it do what Settling promises.
func TestSettlementLapses(t *testing.T) {
	s := DefaultSettings()
	inv := chased(t)
	inv.State, inv.Stage, inv.SettleAmount, inv.SettleBy = Settling, 4, eur("600"), date(t, "2026-12-28")
	st, ok := Next(inv, Client{Exclude: true}, s, time.Time{}, rome(t, "2026-12-16 10:00"))
	if !ok {
		t.Fatal("nothing scheduled for a settlement")
	}
	// Monday 28 + 3 business days = Thursday 31; the day after is 1
	// January, a holiday, then a weekend: Monday 4 January 2027, 09:00.
	if want := rome(t, "2027-01-04 09:00"); !st.At.Equal(want) {
		t.Errorf("lapse at %v, want %v", st.At, want)
	}
	if st.Then.State != WithOwner || !slices.Equal(st.Send, []Template{SettlementLapsed}) || !st.Then.SettleAmount.Equal(eur("600")) {
		t.Errorf("step %+v", st)
	}

	at := rome(t, "2026-12-18 11:00")
	for _, tt := range []struct {
		kind  reply.Kind
		want  State
		send  []Template
		offer bool // the offer still stands
	}{
		{reply.PaymentProof, ClaimedPaid, []Template{ConfirmPayment}, true},
		{reply.Dispute, Disputed, []Template{ForwardDispute}, false},
		{reply.Other, Settling, []Template{ForwardOther}, true},
		{reply.Promise, Settling, []Template{ForwardOther}, true},
		{reply.Installment, Settling, []Template{ForwardInstallment}, true},
	} {
		st := OnReply(inv, reply.Verdict{Kind: tt.kind, PromisedDate: date(t, "2026-12-22")}, at, s)
		if st.Then.State != tt.want || !slices.Equal(st.Send, tt.send) || st.Then.SettleAmount.IsPositive() != tt.offer {
			t.Errorf("%s: state %s send %v offer %v, want %s %v %v", tt.kind, st.Then.State, st.Send, st.Then.SettleAmount, tt.want, tt.send, tt.offer)
		}
	}
	claimed := inv
	claimed.State = ClaimedPaid
	if !claimed.Due().Equal(eur("600")) || !inv.Due().Equal(eur("600")) {
		t.Errorf("Due %v / %v, want the settlement", claimed.Due(), inv.Due())
	}
}

func TestOnClientCommand(t *testing.T) {
	tests := []struct {
		cmd  command.Command
		from Client
		want Client
		err  string
	}{
		{cmd: command.Command{Verb: command.Tolerance, Days: []int{5}}, want: Client{ToleranceDays: 5}},
		{cmd: command.Command{Verb: command.Tolerance, Days: []int{0}}, from: Client{ToleranceDays: 9}, want: Client{}},
		{cmd: command.Command{Verb: command.Tolerance, Days: []int{181}}, err: "0 to 180"},
		{cmd: command.Command{Verb: command.Language, Lang: "en"}, from: Client{Language: "it"}, want: Client{Language: "en"}},
		{cmd: command.Command{Verb: command.Language, Lang: "de"}, err: `not "de"`},
		{cmd: command.Command{Verb: command.PaymentDays, Days: []int{10, 25}}, want: Client{PaymentDays: []int{10, 25}}},
		{cmd: command.Command{Verb: command.PaymentDays, Days: []int{}}, from: Client{PaymentDays: []int{10}}, want: Client{PaymentDays: []int{}}},
		{cmd: command.Command{Verb: command.PaymentDays, Days: []int{32}}, err: "not a day"},
		{cmd: command.Command{Verb: command.Exclude}, want: Client{Exclude: true}},
		{cmd: command.Command{Verb: command.Include}, from: Client{Exclude: true, ToleranceDays: 3}, want: Client{ToleranceDays: 3}},
		{cmd: command.Command{Verb: command.Include}, err: "not excluded"},
		{cmd: command.Command{Verb: command.Paid}, err: "not a client setting"},
	}
	for _, tt := range tests {
		got, why, err := OnClientCommand(tt.from, tt.cmd)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, ErrNotApplicable) {
				t.Errorf("%s: err %v, want one saying %q", tt.cmd.Verb, err, tt.err)
			}
			continue
		}
		if err != nil || why == "" {
			t.Errorf("%s: err %v reason %q", tt.cmd.Verb, err, why)
			continue
		}
		if got.Language != tt.want.Language || got.ToleranceDays != tt.want.ToleranceDays || got.Exclude != tt.want.Exclude ||
			!slices.Equal(got.PaymentDays, tt.want.PaymentDays) {
			t.Errorf("%s: %+v, want %+v", tt.cmd.Verb, got, tt.want)
		}
	}
}

// TestWriteOffTakesNoAmount: "stralcia 300" is one letter from "stralcio
// 300": the irreversible write-off is refused, both meanings explained.
func TestWriteOffTakesNoAmount(t *testing.T) {
	inv := Invoice{ID: 1, Number: "2026/9", Client: "a@b.it", State: Open, Stage: 2, Amount: decimal.NewFromInt(1000), Currency: "EUR"}
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	c := command.Parse("stralcia 300", at)
	if c.Verb != command.WriteOff {
		t.Fatalf("parsed %+v", c)
	}
	if _, err := OnCommand(inv, c, at, Settings{}); err == nil || !strings.Contains(err.Error(), "stralcio 300.00") {
		t.Fatalf("stralcia 300: err %v, want a refusal naming «stralcio 300.00»", err)
	}
	st, err := OnCommand(inv, command.Parse("stralcia", at), at, Settings{})
	if err != nil || st.Then.State != WrittenOff {
		t.Fatalf("stralcia alone: %v %s", err, st.Then.State)
	}
}
