package policy

import (
	"time"
)

// Step is one transition the rules decide: messages to write now, the invoice
// after it, and why.
type Step struct {
	// At is when it may happen (already through SendWindow for client
	// messages).
	At time.Time
	// Send lists the messages to write, in order (e.g. Stage3 then CallTask).
	Send []Template
	// Then is the invoice after the step is carried out.
	Then Invoice
	// Reason is plain English, for the log and the owner, e.g. "stage 1: 10
	// days after due date 2026-12-03".
	Reason string
	// Why is the reason as data when a rule of the schedule decided the
	// step (Reason is then Why.English()), so that views can say it
	// in the owner's language; nil otherwise.
	Why *Why
}

// withWhy sets the step's Why and its Reason, the English words of w.
func (st Step) withWhy(w Why) Step {
	st.Why = &w
	st.Reason = w.English()
	return st
}

// dateFmt is how reasons write calendar dates.
const dateFmt = "2006-01-02"

// Next returns the next scheduled step for inv and true, or false when
// nothing is scheduled (closed, disputed, with the owner, claimed paid,
// stopped, incomplete, client excluded, no address, or a time the schedule
// needs is missing). At may be after now: the step is due when
// !At.After(now). A step already due has At = the first instant in the send
// window at or after now, so carrying it out at now keeps every rule (office
// hours, one message per client per day). Status shows it as "next action
// and when".
//
// The schedule: the courtesy notice CourtesyDaysBeforeDue before DueDate,
// only while the invoice is not yet due (0 disables it); stage 1 at Anchor +
// Stage1DaysAfterDue + the client's tolerance; each next stage
// StageIntervalDays + tolerance after the day of the last client reminder
// (LastStageAt); stage 3 also asks the owner to phone; stage 4 goes to the
// owner only and the invoice is then WithOwner. A pause ends at PauseUntil:
// after a client's promise (PromisedDate set) the promise is broken then,
// the first time the client gets PromiseMissed, the second time the owner
// gets BrokenPromise and the invoice is WithOwner; an owner's pause ends
// silently. A settlement offer lapses (nextSettling). After a formal notice,
// once its term has run out (NoticeLapsesAt), an invoice still WithOwner
// gets the owner one NoticeLapsed.
func Next(inv Invoice, c Client, s Settings, lastToClient, now time.Time) (Step, bool) {
	switch inv.State {
	case Settling:
		return nextSettling(inv, s)
	case WithOwner:
		return nextNoticeLapsed(inv, s)
	}
	if c.Exclude || inv.Client == "" {
		return Step{}, false
	}
	switch inv.State {
	case Open:
		return nextOpen(inv, c, s, lastToClient, now)
	case Paused:
		return nextPaused(inv, c, s, lastToClient, now)
	}
	return Step{}, false
}

// nextSettling ends a settlement offer the client let lapse: the office
// opening after SettleBy plus PromiseGraceBusinessDays (banks take time),
// the case goes back to the owner.
func nextSettling(inv Invoice, s Settings) (Step, bool) {
	if inv.SettleBy.IsZero() {
		return Step{}, false
	}
	end := AddBusinessDays(localDate(inv.SettleBy, s), s.PromiseGraceBusinessDays, s)
	then := inv
	then.State = WithOwner
	return Step{
		At:   officeOpenFrom(end.AddDate(0, 0, 1), s),
		Send: []Template{SettlementLapsed},
		Then: then,
	}.withWhy(Why{Code: WhySettleLapsed, Amount: inv.SettleAmount, Currency: inv.Currency, From: inv.SettleBy, Grace: s.PromiseGraceBusinessDays}), true
}

// NoticeTermDays is the term the formal notice gives the client to pay, in
// calendar days from receipt (the diffida's "15 (quindici) giorni dal
// ricevimento").
const NoticeTermDays = 15

// NoticeTermEnd returns the last day of the term the formal notice sent at
// noticeAt gives the client, as local midnight: NoticeTermDays after the
// day it was sent (a notice by PEC or email is received the day it goes;
// the day of receipt is not counted, art. 2963 c.c.), moved to the next
// business day when it falls on a weekend or holiday (art. 2963 c.c.,
// fourth paragraph). Zero when noticeAt is.
func NoticeTermEnd(noticeAt time.Time, s Settings) time.Time {
	if noticeAt.IsZero() {
		return time.Time{}
	}
	end := midnight(noticeAt.In(location(s))).AddDate(0, 0, NoticeTermDays)
	for !BusinessDay(end, s) {
		end = end.AddDate(0, 0, 1)
	}
	return end
}

// NoticeLapsesAt returns when the owner is told that the notice sent at
// noticeAt went unanswered: the office opening after NoticeTermEnd plus
// PromiseGraceBusinessDays (a transfer made on the last day takes a few
// business days to be credited, as after a promise). Zero when noticeAt is.
func NoticeLapsesAt(noticeAt time.Time, s Settings) time.Time {
	end := NoticeTermEnd(noticeAt, s)
	if end.IsZero() {
		return end
	}
	end = AddBusinessDays(end, s.PromiseGraceBusinessDays, s)
	return officeOpenFrom(end.AddDate(0, 0, 1), s)
}

// nextNoticeLapsed tells the owner, once per notice, that the formal
// notice's term ran out and the invoice is still with the owner (not paid,
// written off, claimed paid, disputed, stopped nor in settlement). A notice
// older than the chase's last restart or stage (LastStageAt: the owner
// resumed, or the chase reached stage 4 again) has been overtaken and
// lapses silently. The invoice stays WithOwner.
func nextNoticeLapsed(inv Invoice, s Settings) (Step, bool) {
	if inv.NoticeAt.IsZero() || !inv.NoticeAt.After(inv.LastStageAt) || !inv.NoticeLapsedAt.Before(inv.NoticeAt) {
		return Step{}, false
	}
	at := NoticeLapsesAt(inv.NoticeAt, s)
	then := inv
	then.NoticeLapsedAt = at
	return Step{
		At:   at,
		Send: []Template{NoticeLapsed},
		Then: then,
	}.withWhy(Why{Code: WhyNoticeLapsed, From: midnight(inv.NoticeAt.In(location(s))), Days: NoticeTermDays,
		Until: NoticeTermEnd(inv.NoticeAt, s), Grace: s.PromiseGraceBusinessDays}), true
}

// nextPaused ends a pause.
func nextPaused(inv Invoice, c Client, s Settings, lastToClient, now time.Time) (Step, bool) {
	if inv.PauseUntil.IsZero() {
		// Paused with no end: only the owner can resume it.
		return Step{}, false
	}
	until := inv.PauseUntil.In(location(s))
	then := inv
	then.State = Open
	then.PauseUntil = time.Time{}
	if inv.PromisedDate.IsZero() {
		return Step{At: until, Then: then}.withWhy(Why{Code: WhyPauseEnded, From: midnight(until)}), true
	}
	then.PromisesBroken++
	if then.PromisesBroken >= 2 {
		then.State = WithOwner
		then.CitePromise = false
		return Step{
			At:   officeOpenFrom(later(until, now), s),
			Send: []Template{BrokenPromise},
			Then: then,
		}.withWhy(Why{Code: WhyBrokenAgain, From: inv.PromisedDate, Broken: then.PromisesBroken}), true
	}
	at := SendWindow(later(until, now), c, s, lastToClient)
	then.LastStageAt = at
	then.CitePromise = false // PromiseMissed is the reminder that cites it
	return Step{
		At:   at,
		Send: []Template{PromiseMissed},
		Then: then,
	}.withWhy(Why{Code: WhyPromiseBroken, From: inv.PromisedDate, Grace: s.PromiseGraceBusinessDays}), true
}

// nextOpen returns the courtesy notice or the next stage.
func nextOpen(inv Invoice, c Client, s Settings, lastToClient, now time.Time) (Step, bool) {
	loc := location(s)
	today := midnight(now.In(loc))
	tol := max(c.ToleranceDays, 0)

	if !inv.CourtesySent && inv.Stage <= 0 && !inv.DueDate.IsZero() && s.CourtesyDaysBeforeDue > 0 {
		due := localDate(inv.DueDate, s)
		if today.Before(due) {
			planned := due.AddDate(0, 0, -s.CourtesyDaysBeforeDue)
			at := SendWindow(later(planned, now), c, s, lastToClient)
			// A notice "due soon" that could only go out on or after the
			// due date is skipped: stage 1 follows. So is one planned too
			// close to the invoice itself (CourtesyTooSoon), on any day.
			if at.Before(due) && !CourtesyTooSoon(inv, planned, s) {
				then := inv
				then.CourtesySent = true
				return Step{
					At:   at,
					Send: []Template{Courtesy},
					Then: then,
				}.withWhy(Why{Code: WhyCourtesy, Days: s.CourtesyDaysBeforeDue, From: due}), true
			}
		}
	}

	var planned time.Time
	why := Why{Code: WhyStage, Tolerance: tol}
	n := min(inv.Stage+1, 4)
	if inv.Stage <= 0 {
		n = 1
		anchor, what := inv.Anchor, SinceDue
		if anchor.IsZero() {
			anchor = inv.DueDate
		} else if !inv.DueDate.IsZero() && !localDate(anchor, s).Equal(localDate(inv.DueDate, s)) {
			what = SinceResent
		}
		if anchor.IsZero() {
			return Step{}, false
		}
		a := localDate(anchor, s)
		planned = a.AddDate(0, 0, s.Stage1DaysAfterDue+tol)
		why.Days, why.Since, why.From = s.Stage1DaysAfterDue, what, a
		if !inv.LastStageAt.IsZero() {
			last := midnight(inv.LastStageAt.In(loc))
			if p := nextStageDay(inv.LastStageAt, c, s); p.After(planned) {
				planned = p
				why.Days, why.Since, why.From = s.StageIntervalDays, sinceLast(last, lastToClient, s), last
			}
		}
	} else {
		if inv.LastStageAt.IsZero() {
			// Without the day of the last reminder any date could be
			// early: nothing is scheduled until the owner resumes.
			return Step{}, false
		}
		last := midnight(inv.LastStageAt.In(loc))
		planned = nextStageDay(inv.LastStageAt, c, s)
		why.Days, why.Since, why.From = s.StageIntervalDays, sinceLast(last, lastToClient, s), last
	}
	// planned is never before nextStageDay(LastStageAt): the day after the
	// pay-by date the last reminder gave (PayBy).

	then := inv
	then.Stage = n
	then.CitePromise = false
	step := Step{Then: then}
	switch n {
	case 1:
		step.Send = []Template{Stage1}
	case 2:
		step.Send = []Template{Stage2}
	case 3:
		step.Send = []Template{Stage3, CallTask}
		why.Call = true
	default:
		step.Send = []Template{CaseFile}
		step.Then.State = WithOwner
		step.At = officeOpenFrom(later(planned, now), s)
		step.Then.LastStageAt = step.At
		why.Stage = 4
		return step.withWhy(why), true
	}
	step.At = SendWindow(later(planned, now), c, s, lastToClient)
	step.Then.LastStageAt = step.At
	why.Stage, why.CitePromise = n, inv.CitePromise
	return step.withWhy(why), true
}

// nextStageDay returns local midnight of the first day the stage after a
// reminder sent at last may go: StageIntervalDays plus the client's
// tolerance after last's local day.
func nextStageDay(last time.Time, c Client, s Settings) time.Time {
	return midnight(last.In(location(s))).AddDate(0, 0, s.StageIntervalDays+max(c.ToleranceDays, 0))
}

// PayBy returns the date a reminder asks the client to pay by, for inv as
// it is after the reminder's step (Step.Then: LastStageAt is the reminder's
// time), and false when LastStageAt is zero. It is the last business day
// strictly before the day the next step may fire (StageIntervalDays plus
// the client's tolerance after the reminder), so the client always has the
// whole of that day and Next never schedules the next step (stage, case
// file) before it has fully passed. With the defaults a reminder of Monday
// asks to pay by Wednesday of the following week, and the next step waits
// for Thursday. The result is a calendar date at 00:00 UTC, as Invoice
// dates are; it is never before the reminder's own day.
func PayBy(inv Invoice, c Client, s Settings) (time.Time, bool) {
	if inv.LastStageAt.IsZero() {
		return time.Time{}, false
	}
	sent := midnight(inv.LastStageAt.In(location(s)))
	d := nextStageDay(inv.LastStageAt, c, s).AddDate(0, 0, -1)
	for d.After(sent) && !BusinessDay(d, s) {
		d = d.AddDate(0, 0, -1)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC), true
}

// CourtesyTooSoon reports whether the courtesy notice, planned for the day
// of planned (CourtesyDaysBeforeDue before the due date), would follow the
// invoice too closely to be of use: on or before the first business day
// after its issue date, when issue and due date are a few days apart (an
// invoice issued on Monday and due on Friday gets no notice "due soon" at
// all). Next then skips the notice, whatever day it is asked. An invoice
// with no issue date is never too close.
func CourtesyTooSoon(inv Invoice, planned time.Time, s Settings) bool {
	if inv.IssueDate.IsZero() {
		return false
	}
	limit := AddBusinessDays(localDate(inv.IssueDate, s), 1, s)
	return !midnight(planned.In(location(s))).After(limit)
}

// sinceLast says what the day last (local midnight of LastStageAt) was, for
// a reason: the day of the last reminder when a message went to the client
// that day; the day the stage clock restarted (a part payment after a
// claimed payment, the owner's resume) when the last message to the client
// is older; either, when nothing tells them apart.
func sinceLast(last, lastToClient time.Time, s Settings) Since {
	if lastToClient.IsZero() {
		return SinceLastOrRest
	}
	sent := midnight(lastToClient.In(location(s)))
	switch {
	case sent.Equal(last):
		return SinceLast
	case sent.Before(last):
		return SinceRestart
	}
	return SinceLastOrRest
}
