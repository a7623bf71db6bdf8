package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/ledger"
	"github.com/sollecito/sollecito/reply"
	"github.com/sollecito/sollecito/reply/command"
	"github.com/sollecito/sollecito/templates"
)

// summaryEvent is the event kind that records a periodic summary: the next
// one covers from its time.
const summaryEvent = "summary"

// SummaryTick enqueues the periodic summary for the owner when its slot
// (policy.LastSummarySlot) has come and no summary was made since. The
// summary's Message-ID comes from its slot, and the event that records it
// commits with it, so a rerun or a crash never sends two for one period. A
// slot before the bot knew anything (an empty ledger, or the first invoice
// registered after it) is skipped.
func (e *Engine) SummaryTick(ctx context.Context) error {
	now := e.now()
	slot, ok := policy.LastSummarySlot(e.cfg.Summary, now, e.cfg.Settings)
	if !ok {
		return nil
	}
	err := e.summaryTick(ctx, slot, now)
	if errors.Is(err, errRender) {
		// A summary that cannot be written must not fail every pass: it is
		// said once a day (log, ledger) and tried again at the next pass.
		return e.recordPanic(context.WithoutCancel(ctx), 0, "writing the owner's summary", err, now)
	}
	return err
}

func (e *Engine) summaryTick(ctx context.Context, slot, now time.Time) error {
	return e.db.Tx(context.WithoutCancel(ctx), func(tx *ledger.Tx) error {
		from, known, err := summaryFrom(tx)
		if err != nil || !known {
			return err
		}
		if !from.Before(slot) {
			return nil // a summary was made at or after the slot, or the bot knew nothing then
		}
		every := string(e.cfg.Summary.Every)
		key := fmt.Sprintf("summary-%s-%s", every, slot.In(e.cfg.Settings.Location).Format("2006-01-02T1504"))
		reason := fmt.Sprintf("%s summary for the owner, covering %s to %s", every,
			from.In(e.cfg.Settings.Location).Format("2006-01-02 15:04"), now.In(e.cfg.Settings.Location).Format("2006-01-02 15:04"))
		if err := tx.AddEvent(ledger.Event{At: now, Kind: summaryEvent, Reason: reason}); err != nil {
			return err
		}
		return e.enqueueSummary(tx, every, from, now, about{key: key})
	})
}

// summaryFrom returns when the next summary's period starts: the last
// summary, else the first event of the log. known is false for an empty log.
func summaryFrom(tx *ledger.Tx) (from time.Time, known bool, err error) {
	last, err := tx.LastEvent(summaryEvent)
	if err == nil {
		return last.At, true, nil
	} else if !errors.Is(err, ledger.ErrNotFound) {
		return time.Time{}, false, err
	}
	first, err := tx.FirstEvent()
	if errors.Is(err, ledger.ErrNotFound) {
		return time.Time{}, false, nil
	} else if err != nil {
		return time.Time{}, false, err
	}
	return first.At, true, nil
}

// enqueueSummary gathers the summary of the period from–now and queues it
// to the owner, in the caller's transaction. every is "weekly", "daily", or
// "" for a summary the owner asked for; a gives the key of its Message-ID
// and the mail it answers, if any.
func (e *Engine) enqueueSummary(tx *ledger.Tx, every string, from, now time.Time, a about) error {
	s, err := e.gatherSummary(tx, from, now)
	if err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	s.Every = every
	a.summary = &s
	return e.enqueue(tx, policy.Invoice{}, policy.Summary, now, a)
}

// statusSummary queues the summary the owner asked for ("stato"/"status"):
// everything as it stands, and what happened since the last periodic
// summary (or the last 7 days when there was none).
func (e *Engine) statusSummary(tx *ledger.Tx, now time.Time, a about) error {
	from := now.AddDate(0, 0, -7)
	last, err := tx.LastEvent(summaryEvent)
	if err == nil {
		from = last.At
	} else if !errors.Is(err, ledger.ErrNotFound) {
		return err
	}
	return e.enqueueSummary(tx, "", from, now, a)
}

// waitingWhy maps the events that hand a case to the owner to what the
// owner must decide (templates.Waiting.Why).
var waitingWhy = map[policy.EventKind]string{
	policy.ReplyEvent(string(reply.Dispute)):        "dispute",
	policy.ReplyEvent(string(reply.Installment)):    "installment",
	policy.ReplyEvent(string(reply.Promise)):        "installment", // a promise too far away is an extension request
	policy.TemplateEvent(policy.CaseFile):           "case_file",
	policy.TemplateEvent(policy.BrokenPromise):      "broken_promise",
	policy.ReplyEvent(string(reply.Bounce)):         "bounce",
	policy.ReplyEvent(string(reply.PaymentProof)):   "confirm_payment",
	policy.CommandEvent(string(command.Settle)):     "settling",
	policy.TemplateEvent(policy.SettlementLapsed):   "settlement_lapsed",
	policy.CommandEvent(string(command.SendNotice)): "notice",
	policy.TemplateEvent(policy.NoticeLapsed):       "notice_lapsed",
}

// closingCommands are the owner's commands (and a payment found in the
// bank statement) that may close an invoice: the last of them on a closed
// invoice is the one that closed it (a closed invoice refuses them all).
var closingCommands = map[policy.EventKind]bool{
	policy.CommandEvent(string(command.Paid)): true, policy.CommandEvent(string(command.PartlyPaid)): true,
	policy.CommandEvent(string(command.WriteOff)): true, policy.EventPaymentBank: true,
}

// gatherSummary reads from the ledger what the summary shows at now, the
// activity counted from from.
func (e *Engine) gatherSummary(tx *ledger.Tx, from, now time.Time) (templates.Summary, error) {
	loc := e.cfg.Settings.Location
	s := templates.Summary{From: from.In(loc)}
	invs, err := tx.AllInvoices()
	if err != nil {
		return s, err
	}
	byID := make(map[int64]policy.Invoice, len(invs))
	for _, inv := range invs {
		byID[inv.ID] = inv
	}
	s.Aging = policy.AgeInvoices(invs, now, loc)

	events, err := tx.EventsSince(from)
	if err != nil {
		return s, err
	}
	promised := map[string]time.Time{} // by Message-ID of the reply
	var money []ledger.Event           // the owner's payments and closures of the period
	for _, ev := range events {
		if _, reply := ev.Kind.Reply(); reply && !ev.Date.IsZero() && ev.MessageID != "" {
			promised[ev.MessageID] = ev.Date
		}
		inv, ok := byID[ev.InvoiceID]
		if !ok && ev.InvoiceID != 0 {
			continue
		}
		switch ev.Kind {
		case policy.TemplateEvent(policy.PromiseMissed), policy.TemplateEvent(policy.BrokenPromise):
			s.PromisesBroken = append(s.PromisesBroken, templates.Promise{
				Invoice: inv.Number, Client: clientShown(inv), Amount: inv.Amount, Currency: inv.Currency,
				Date: inv.PromisedDate, Until: ev.At.In(loc), Second: ev.Kind == policy.TemplateEvent(policy.BrokenPromise),
			})
		case policy.ReplyEvent(string(reply.Bounce)):
			s.Bounces = append(s.Bounces, templates.Notice{At: ev.At.In(loc), Invoice: inv.Number, Kind: "bounce", Address: ev.Address})
		case policy.EventSendFailed:
			s.Bounces = append(s.Bounces, templates.Notice{At: ev.At.In(loc), Invoice: inv.Number, Kind: "send_failed"})
		}
		if closingCommands[ev.Kind] && ev.InvoiceID != 0 {
			money = append(money, ev)
		}
	}

	msgs, err := tx.MessagesSince(from)
	if err != nil {
		return s, err
	}
	byClient := map[string]int{} // index in s.Activity
	add := func(client string, a templates.Activity) {
		i, ok := byClient[client]
		if !ok {
			i = len(s.Activity)
			byClient[client] = i
			s.Activity = append(s.Activity, templates.ClientActivity{Client: client})
		}
		s.Activity[i].Entries = append(s.Activity[i].Entries, a)
	}
	for _, m := range msgs {
		at := messageTime(m).In(loc)
		if m.InvoiceID == 0 {
			kind, unmatched := m.Unmatched()
			if m.Direction == ledger.In && (unmatched && kind != "autoreply" || m.Kind == "malformed") {
				s.Unmatched = append(s.Unmatched, templates.Notice{At: at, Address: m.From, Subject: m.Subject, Kind: kind})
			}
			continue
		}
		inv := byID[m.InvoiceID]
		a := templates.Activity{At: at, Invoice: inv.Number}
		switch {
		case m.Direction == ledger.Out && policy.Template(m.Kind).Recipient() == policy.ToClient:
			a.Sent, a.To = policy.Template(m.Kind), m.To
		case m.Direction == ledger.In && slices.Contains(reply.Kinds, reply.Kind(m.Kind)):
			a.Kind, a.From, a.Promise = m.Kind, m.From, promised[m.MessageID]
		default:
			continue
		}
		add(clientShown(inv), a)
	}
	closing := map[int64]int{} // invoice → index in money of its last closing command
	for i, ev := range money {
		closing[ev.InvoiceID] = i
	}
	for i, ev := range money {
		inv := byID[ev.InvoiceID]
		a := templates.Activity{At: ev.At.In(loc), Invoice: inv.Number, Currency: inv.Currency}
		if inv.State.Closed() && closing[ev.InvoiceID] == i {
			a.Closed = inv.State
		} else if ev.Kind == policy.CommandEvent(string(command.PartlyPaid)) && ev.Amount.IsPositive() {
			a.Received = ev.Amount
		} else {
			continue
		}
		add(clientShown(inv), a)
	}
	for _, c := range s.Activity {
		sort.SliceStable(c.Entries, func(i, j int) bool { return c.Entries[i].At.Before(c.Entries[j].At) })
	}

	y, mo, d := now.In(loc).Date()
	weekEnd := time.Date(y, mo, d+7, 0, 0, 0, 0, time.UTC) // promised dates are calendar dates at 00:00 UTC
	for _, inv := range invs {
		switch inv.State {
		case policy.Paused:
			// A promise falling due within the coming week, or passed and
			// within its grace days.
			if inv.PromisedDate.IsZero() || inv.PromisedDate.After(weekEnd) {
				continue
			}
			s.PromisesDue = append(s.PromisesDue, templates.Promise{
				Invoice: inv.Number, Client: clientShown(inv), Amount: inv.Outstanding(), Currency: inv.Currency,
				Date: inv.PromisedDate, Until: inv.PauseUntil.In(loc),
			})
		case policy.Disputed, policy.WithOwner, policy.ClaimedPaid, policy.Settling:
			w := templates.Waiting{Invoice: inv.Number, Client: clientShown(inv), Amount: inv.Outstanding(), Currency: inv.Currency, Why: string(inv.State)}
			evs, err := tx.Events(inv.ID)
			if err != nil {
				return s, err
			}
			for i := len(evs) - 1; i >= 0; i-- {
				if why, ok := waitingWhy[evs[i].Kind]; ok {
					w.Why, w.Since = why, evs[i].At.In(loc)
					break
				}
			}
			s.Waiting = append(s.Waiting, w)
		case policy.Incomplete:
			s.Incomplete = append(s.Incomplete, templates.Incomplete{Invoice: inv.Number, Client: clientShown(inv), Missing: policy.Missing(inv)})
		}
	}
	// Bank credits imported in the period that paid nothing by themselves.
	credits, err := tx.Credits()
	if err != nil {
		return s, err
	}
	slices.Reverse(credits) // oldest first, as the other lists
	for _, c := range credits {
		if c.Match == ledger.CreditPaid || c.ImportedAt.Before(from) || c.ImportedAt.After(now) {
			continue
		}
		n := templates.CreditNote{ValueDate: c.ValueDate, Amount: c.Amount, Currency: c.Currency, Payer: c.Payer}
		n.Words, _, _ = strings.Cut(c.Remittance, "\n")
		for _, id := range c.Invoices {
			n.Invoices = append(n.Invoices, byID[id].Number)
		}
		s.Credits = append(s.Credits, n)
	}
	bound(&s)
	return s, nil
}

// summaryListMax is the most entries a summary shows of each list (and of
// each client's activity); the rest is counted in Summary.Omitted.
const summaryListMax = 25

// firstOf returns the first summaryListMax entries of list and how many
// it leaves out.
func firstOf[T any](list []T) ([]T, int) {
	if len(list) > summaryListMax {
		return list[:summaryListMax], len(list) - summaryListMax
	}
	return list, 0
}

// bound cuts every list of s to summaryListMax entries and counts what it
// cut, so that a summary of a mailbox with thousands of mails still fits a
// message (the lists are in `sollecito status` and on the web page).
func bound(s *templates.Summary) {
	s.Unmatched, s.Omitted.Unmatched = firstOf(s.Unmatched)
	s.Bounces, s.Omitted.Bounces = firstOf(s.Bounces)
	s.Waiting, s.Omitted.Waiting = firstOf(s.Waiting)
	s.Incomplete, s.Omitted.Incomplete = firstOf(s.Incomplete)
	s.Credits, s.Omitted.Credits = firstOf(s.Credits)
	s.PromisesDue, s.Omitted.PromisesDue = firstOf(s.PromisesDue)
	s.PromisesBroken, s.Omitted.PromisesBroken = firstOf(s.PromisesBroken)
	for i := range s.Activity {
		var o int
		s.Activity[i].Entries, o = firstOf(s.Activity[i].Entries)
		s.Omitted.Activity += o
	}
	if len(s.Activity) > summaryListMax {
		for _, a := range s.Activity[summaryListMax:] {
			s.Omitted.Activity += len(a.Entries)
		}
		s.Activity = s.Activity[:summaryListMax]
	}
}

// clientShown is the client as the summary names it: "Neri Costruzioni
// <ufficio@neri.it>", or the address alone when the name is unknown.
func clientShown(inv policy.Invoice) string {
	if inv.ClientName != "" && inv.Client != "" {
		return inv.ClientName + " <" + inv.Client + ">"
	}
	if inv.Client == "" {
		return inv.ClientName
	}
	return inv.Client
}
