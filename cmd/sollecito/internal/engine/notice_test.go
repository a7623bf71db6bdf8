package engine

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/policy"
)

// noticeSent follows an invoice to stage 4, answers the case file with
// "invia diffida" and returns the notice the client got (by ordinary mail).
func noticeSent(t *testing.T, h *harness) *mailbox.Message {
	t.Helper()
	caseFile := h.caseFileOf("inv-l@studio.test")
	h.now = h.now.Add(3 * time.Hour)
	h.ownerSays(caseFile, "", "invia diffida comunque")
	h.pass(h.now.AddDate(0, 0, 1).Add(-3 * time.Hour))
	var notice *mailbox.Message
	for _, d := range h.sim.Delivered() {
		if m, _ := mailbox.Parse(d.Raw); m.Get("X-Sollecito-Template") == "notice" {
			notice = m
		}
	}
	if notice == nil || h.invoice("2026/104").NoticeAt.IsZero() {
		t.Fatal("no notice sent")
	}
	h.sent()
	return notice
}

// TestNoticeLapsed: the client ignores the notice; once its 15 days and the
// grace have passed the owner gets one message with the claim as of that
// day and the choices, and a rerun of the same pass sends nothing more.
func TestNoticeLapsed(t *testing.T) {
	h := newHarness(t)
	noticeSent(t, h)
	inv := h.invoice("2026/104")
	due := policy.NoticeLapsesAt(inv.NoticeAt, h.eng.cfg.Settings)
	m := h.until(h.day(2027, 3, 31), "notice_lapsed")
	if m == nil {
		t.Fatal("the owner was never told the notice's term ran out")
	}
	if h.now.Before(due) {
		t.Errorf("told on %v, before the term and its grace (%v)", h.now, due)
	}
	body := m.Body()
	for _, w := range []string{"Diffida senza esito", "€ 430,00 di capitale", "di interessi di mora maturati fino", "€ 40,00 di risarcimento",
		"decreto ingiuntivo", "- stralcio IMPORTO (per esempio: stralcio 340)", "- stralcia:", "- riprendi:", "- stop:", "Totale dovuto"} {
		if !strings.Contains(m.Subject+"\n"+body, w) {
			t.Errorf("the message lacks %q:\n%s\n%s", w, m.Subject, body)
		}
	}
	if to := m.Get("To"); !strings.Contains(to, owner) {
		t.Errorf("sent to %q, want the owner", to)
	}
	inv = h.invoice("2026/104")
	if inv.State != policy.WithOwner || inv.NoticeLapsedAt.IsZero() {
		t.Errorf("after: state %s, NoticeLapsedAt %v", inv.State, inv.NoticeLapsedAt)
	}
	// The same pass again (cron ran twice), then months more: nothing.
	h.pass(h.now)
	if got := h.sent(); len(got) != 0 {
		t.Errorf("a rerun sent %v", got)
	}
	if m := h.until(h.day(2027, 6, 30), "notice_lapsed"); m != nil {
		t.Error("the lapse was reported twice")
	}
	msgs, _ := h.db.Messages(context.Background(), inv.ID)
	n := 0
	for _, msg := range msgs {
		if msg.Kind == "notice_lapsed" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d notice_lapsed messages in the ledger, want 1", n)
	}
}

// TestRepliesToTheNotice: a client answering the notice is handled as any
// reply: "paid" asks the owner to confirm and a dispute goes to the owner,
// and then no term-lapsed message follows; a promise is forwarded and the
// term still runs.
func TestRepliesToTheNotice(t *testing.T) {
	for _, tt := range []struct {
		name, words string
		sent        string
		state       policy.State
		lapses      bool
	}{
		{"payment proof", "Buongiorno, abbiamo pagato oggi con bonifico, in allegato la contabile.", "confirm_payment", policy.ClaimedPaid, false},
		{"dispute", "Contestiamo la fattura: il lavoro non è stato completato, non pagheremo.", "forward_dispute", policy.Disputed, false},
		{"promise", "Pagheremo entro il 30/12/2026.", "forward_other", policy.WithOwner, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			notice := noticeSent(t, h)
			h.now = h.now.AddDate(0, 0, 2)
			h.clientSays(notice, "ap@client.test", tt.words)
			h.pass(h.now)
			if got := h.sent(); len(got) != 1 || got[0] != tt.sent+"→"+owner {
				t.Fatalf("sent %v, want %s to the owner", got, tt.sent)
			}
			if inv := h.invoice("2026/104"); inv.State != tt.state {
				t.Errorf("state %s, want %s", inv.State, tt.state)
			}
			if m := h.until(h.day(2027, 2, 28), "notice_lapsed"); (m != nil) != tt.lapses {
				t.Errorf("notice_lapsed sent: %v, want %v", m != nil, tt.lapses)
			}
		})
	}
}

// TestProvisionalNoticeNeedsTheOwnersWord: a formal notice whose interest
// would use a rate missing from the table is refused, naming the half-year
// and «invia diffida comunque»; with that word it goes, and the
// confirmation states the sum claimed and how it is made up.
func TestProvisionalNoticeNeedsTheOwnersWord(t *testing.T) {
	h := newHarness(t)
	caseFile := h.caseFileOf("inv-pv@studio.test")
	h.now = h.now.Add(3 * time.Hour)
	h.ownerSays(caseFile, "", "invia diffida")
	h.pass(h.now.Add(time.Hour))
	got := h.sent()
	if len(got) != 1 || got[0] != "command_help→"+owner {
		t.Fatalf("sent %v, want the refusal to the owner only", got)
	}
	body := h.lastSent().Body()
	if !strings.Contains(body, "invia diffida comunque") || !strings.Contains(body, "semestre dal") {
		t.Errorf("the refusal does not name the half-year and the way on:\n%s", body)
	}
	if inv := h.invoice("2026/104"); !inv.NoticeAt.IsZero() {
		t.Fatal("the provisional notice went out")
	}
	h.now = h.now.Add(2 * time.Hour)
	h.ownerSays(caseFile, "", "invia diffida comunque")
	h.pass(h.now.Add(time.Hour))
	var done *mailbox.Message
	for _, d := range h.sim.Delivered()[h.seen:] {
		if m, _ := mailbox.Parse(d.Raw); m.Get("X-Sollecito-Template") == "command_done" {
			done = m
		}
	}
	h.sent()
	if done == nil {
		t.Fatal("no confirmation of the notice")
	}
	if b := done.Body(); !strings.Contains(b, "somma richiesta") || !strings.Contains(b, "capitale € 430,00") || !strings.Contains(b, "calcolo provvisorio") {
		t.Errorf("the confirmation does not state the sum claimed and its make-up:\n%s", b)
	}
}

// TestNoticeThroughPECToAnOrdinaryAddress: with a PEC account, a notice to
// a client address that is not a PEC mailbox is refused until the owner
// gives a PEC address or writes "comunque"; the confirmation then says
// what proof the owner will have.
func TestNoticeThroughPECToAnOrdinaryAddress(t *testing.T) {
	h := newHarness(t)
	pec := h.withPEC()
	caseFile := h.caseFileOf("inv-op@studio.test")
	h.now = h.now.Add(3 * time.Hour)
	h.ownerSays(caseFile, "", "invia diffida a amministrazione@pec.client.test")
	h.pass(h.now.Add(time.Hour))
	// To a PEC address the only refusal is the provisional rate.
	if b := h.lastSent().Body(); !strings.Contains(b, "tasso provvisorio") || strings.Contains(b, "non sembra una casella PEC") {
		t.Errorf("refusal for a PEC address:\n%s", b)
	}
	h.sent()
	h.now = h.now.Add(2 * time.Hour)
	h.ownerSays(caseFile, "", "invia diffida")
	h.pass(h.now.Add(time.Hour))
	// Provisional rate and ordinary address: refused (the first reason is enough).
	if got := h.invoice("2026/104"); !got.NoticeAt.IsZero() {
		t.Fatal("the notice went out without the owner's word")
	}
	h.sent()
	h.now = h.now.Add(2 * time.Hour)
	h.ownerSays(caseFile, "", "invia diffida comunque")
	h.pass(h.now.Add(time.Hour))
	if got := h.invoice("2026/104"); got.NoticeAt.IsZero() {
		t.Fatal("'comunque' did not send the notice")
	}
	h.pass(h.now.AddDate(0, 0, 1)) // the notice goes out in office hours
	if len(pec.Delivered()) != 1 {
		t.Errorf("PEC server delivered %d messages, want the notice", len(pec.Delivered()))
	}
	var done *mailbox.Message
	for _, d := range h.sim.Delivered()[h.seen:] {
		if m, _ := mailbox.Parse(d.Raw); m.Get("X-Sollecito-Template") == "command_done" {
			done = m
		}
	}
	if done == nil || !strings.Contains(done.Body(), "non è una casella PEC") || !strings.Contains(done.Body(), "ricevuta di accettazione") {
		t.Errorf("the confirmation does not say what proof the owner will have")
	}
}
