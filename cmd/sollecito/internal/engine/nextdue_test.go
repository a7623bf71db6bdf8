package engine

import (
	"context"
	"slices"
	"testing"
	"time"
)

// TestNextDueFollowsSettingsAndClock: a pass reads only the invoices whose
// stored next-due instant has come, yet a step the stored instant would
// put too late still goes on time when the schedule's settings change (a new
// basis) or the clock is set back (sollecito --now).
func TestNextDueFollowsSettingsAndClock(t *testing.T) {
	t.Run("settings", func(t *testing.T) {
		h := newHarness(t)
		h.deliver(invoiceMail("nd1@studio.test", "ap@client.test", "Fattura n. 2026/401 del 02/11/2026\nImporto: € 100,00\nScadenza: 20/11/2026"))
		h.pass(h.day(2026, 11, 2)) // courtesy stored as due on 13/11
		if got := h.dueNow(h.day(2026, 11, 10)); len(got) != 0 {
			t.Fatalf("due on 10/11 before the change: %v", got)
		}
		cfg := *h.eng.cfg
		cfg.Settings.CourtesyDaysBeforeDue = 10 // now due on 10/11
		h.eng = New(&cfg, h.db, h.eng.tmpl, nil, h.eng.now)
		h.pass(h.day(2026, 11, 9))
		h.pass(h.day(2026, 11, 10))
		if got := h.sent(); !slices.Equal(got, []string{"courtesy→ap@client.test"}) {
			t.Errorf("sent %v, want the courtesy notice on 10/11", got)
		}
	})
	t.Run("clock back", func(t *testing.T) {
		h := newHarness(t)
		h.deliver(invoiceMail("nd2@studio.test", "ap@client.test", "Fattura n. 2026/402 del 02/11/2026\nImporto: € 100,00\nScadenza: 20/11/2026"))
		h.pass(h.day(2026, 11, 2))
		// At 20:00 on Friday 13/11 the office is closed: Monday 16/11 is stored.
		h.pass(time.Date(2026, 11, 13, 20, 0, 0, 0, h.loc))
		if got := h.sent(); len(got) != 0 {
			t.Fatalf("sent %v after hours", got)
		}
		h.pass(time.Date(2026, 11, 13, 12, 0, 0, 0, h.loc))
		if got := h.sent(); !slices.Equal(got, []string{"courtesy→ap@client.test"}) {
			t.Errorf("sent %v, want the courtesy notice at 12:00 on 13/11", got)
		}
	})
}

// dueNow returns the numbers of the invoices a tick at now would decide.
func (h *harness) dueNow(now time.Time) []string {
	h.t.Helper()
	invs, err := h.db.DueInvoices(context.Background(), now)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []string
	for _, inv := range invs {
		out = append(out, inv.Number)
	}
	return out
}
