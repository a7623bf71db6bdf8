package engine

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sollecito/sollecito/mailbox"
)

// summaries returns the summaries sent since the last call of sent (and
// consumes every message sent).
func (h *harness) summaries() []*mailbox.Message {
	h.t.Helper()
	all := h.sim.Delivered()
	var out []*mailbox.Message
	for _, d := range all[h.seen:] {
		m, err := mailbox.Parse(d.Raw)
		if err != nil {
			h.t.Fatal(err)
		}
		if m.Get("X-Sollecito-Template") == "summary" {
			if len(d.To) != 1 || d.To[0] != owner {
				h.t.Errorf("summary sent to %v, want the owner", d.To)
			}
			out = append(out, m)
		}
	}
	h.seen = len(all)
	return out
}

// at returns 2026-11-DD at HH:MM in the harness's zone.
func (h *harness) at(day, hour, minute int) time.Time {
	return time.Date(2026, 11, day, hour, minute, 0, 0, h.loc)
}

func TestSummarySchedule(t *testing.T) {
	type pass struct {
		day, hour, minute int
		want              int // summaries sent by this pass
	}
	for _, c := range []struct {
		name   string
		config string
		passes []pass
	}{
		{"weekly on Monday at opening", ``, []pass{
			{2, 10, 0, 0}, // the first invoice arrives after this Monday's slot
			{3, 10, 0, 0}, {6, 10, 0, 0}, {8, 10, 0, 0},
			{9, 8, 59, 0}, {9, 9, 0, 1}, {9, 10, 0, 0}, {9, 17, 0, 0}, // a rerun on the same day sends nothing
			{10, 10, 0, 0}, {15, 23, 0, 0},
			{16, 10, 0, 1}, {16, 10, 0, 0},
			{25, 10, 0, 1}, // a week without passes: the late summary goes once
			{30, 10, 0, 1},
		}},
		{"weekly on Wednesday afternoon", "summary_day = \"mercoledì\"\nsummary_time = \"16:00\"", []pass{
			{2, 10, 0, 0}, {4, 10, 0, 0}, {4, 15, 59, 0}, {4, 16, 0, 1}, {5, 10, 0, 0}, {9, 10, 0, 0}, {11, 16, 30, 1},
		}},
		{"daily", `summary = "daily"`, []pass{
			{2, 10, 0, 0}, {3, 8, 0, 0}, {3, 9, 0, 1}, {3, 12, 0, 0}, {4, 10, 0, 1}, {5, 10, 0, 1}, {6, 10, 0, 1},
			{7, 10, 0, 0}, {8, 10, 0, 0}, // the weekend
			{9, 10, 0, 1}, {11, 10, 0, 1}, // a day without a pass: one summary, not two
		}},
		{"off", `summary = "off"`, []pass{{2, 10, 0, 0}, {3, 10, 0, 0}, {9, 10, 0, 0}, {16, 10, 0, 0}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarnessWith(t, c.config)
			h.deliver(invoiceMail("inv-s1@studio.test", "ap@client.test", "Fattura n. 2026/401 del 02/11/2026\nImporto: € 500,00\nScadenza: 31/12/2026"))
			for _, p := range c.passes {
				h.pass(h.at(p.day, p.hour, p.minute))
				if got := h.summaries(); len(got) != p.want {
					t.Errorf("pass on %s: %d summaries, want %d", h.now.Format("Mon 02 Jan 15:04"), len(got), p.want)
				}
			}
		})
	}
}

func TestSummaryContent(t *testing.T) {
	h := newHarnessWith(t, "")
	h.deliver(invoiceMail("inv-c1@studio.test", "a@alfa.test", "Fattura n. 2026/501 del 02/11/2026\nImporto: € 1.220,00\nScadenza: 30/11/2026"))
	h.deliver(invoiceMail("inv-c2@studio.test", "b@beta.test", "Fattura n. 2026/502 del 01/10/2026\nImporto: € 850,00\nScadenza: 20/10/2026"))
	h.deliver(invoiceMail("inv-c3@studio.test", "c@gamma.test", "Fattura n. 2026/503 del 01/09/2026\nImporto: € 430,00\nScadenza: 15/09/2026"))
	h.deliver(invoiceMail("inv-c4@studio.test", "d@delta.test", "Fattura n. 2026/504 del 02/11/2026\nImporto: € 99,00"))
	h.pass(h.at(2, 10, 0))
	reminded := map[string]*mailbox.Message{}
	for _, d := range h.sim.Delivered() {
		m, _ := mailbox.Parse(d.Raw)
		if m.Get("X-Sollecito-Template") == "stage1" {
			reminded[d.To[0]] = m
		}
	}
	if reminded["b@beta.test"] == nil || reminded["c@gamma.test"] == nil {
		t.Fatalf("no stage 1 to the overdue clients: %v", h.sent())
	}
	reply := func(from string, to *mailbox.Message, id, body string) {
		h.deliver(fmt.Sprintf("From: %s\nTo: %s\nSubject: Re: %s\nDate: Tue, 03 Nov 2026 09:00:00 +0100\nMessage-ID: <%s>\nIn-Reply-To: <%s>\nContent-Type: text/plain; charset=utf-8\n\n%s\n",
			from, bot, to.Subject, id, to.MessageID, body))
	}
	reply("b@beta.test", reminded["b@beta.test"], "r-b@beta.test", "Buongiorno, pagheremo entro il 6 novembre. Saluti")
	reply("c@gamma.test", reminded["c@gamma.test"], "r-c@gamma.test", "Buongiorno, contestiamo la fattura: l'importo non corrisponde al preventivo concordato e il lavoro non è stato completato.")
	h.deliver("From: Stranger <who@else.test>\nTo: " + bot + "\nSubject: orari\nDate: Tue, 03 Nov 2026 09:00:00 +0100\nMessage-ID: <q1@else.test>\nContent-Type: text/plain; charset=utf-8\n\nBuongiorno, vorrei sapere gli orari del negozio.\n")
	h.pass(h.at(3, 10, 0))
	h.sent()
	h.pass(h.at(9, 10, 0))
	got := h.summaries()
	if len(got) != 1 {
		t.Fatalf("%d summaries on Monday, want 1", len(got))
	}
	m := got[0]
	text := m.Subject + "\n" + m.Body()
	t.Logf("summary:\n%s", text)
	for _, want := range []string{
		"[Sollecito] Riepilogo settimanale al 09/11/2026: scaduti € 1.280,00",
		"dalle 10:00 del 02/11/2026",
		"- € 1.280,00 su 2 fatture",
		"non ancora scadute     1     € 1.220,00  ████████████████████\n",
		"61–90 giorni           0         € 0,00\n",
		"b@beta.test\n- 02/11/2026 10:00, fattura 2026/502: primo sollecito (destinatario: b@beta.test)\n- 03/11/2026 09:00, fattura 2026/502: risposta di b@beta.test, letta come: promessa di pagamento (entro il 06/11/2026)",
		"fattura 2026/503: risposta di c@gamma.test, letta come: contestazione",
		"In corso (pagamento promesso, in attesa):\n- fattura 2026/502 (b@beta.test, € 850,00): promesso entro il 06/11/2026, data passata: aspetto l'accredito; se il pagamento non arriva, riprendo i solleciti dal 12/11/2026",
		"IN ATTESA DI UNA SUA DECISIONE\n- fattura 2026/503 (c@gamma.test, € 430,00): il cliente contesta la fattura (dal 03/11/2026)",
		"- 03/11/2026 09:00: da who@else.test, «orari» — messaggio di un mittente sconosciuto che non nomina fatture (non letto, inoltrato a Lei)",
		"- fattura 2026/504 (d@delta.test): manca scadenza",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	if strings.Contains(text, "a@alfa.test\n") {
		t.Errorf("the summary lists a client nothing happened with in the period")
	}
	if !strings.Contains(m.Get("Content-Type"), "multipart/alternative") {
		t.Errorf("summary is %s, want text and HTML", m.Get("Content-Type"))
	}

	// The owner asks for the status: the summary comes at once, in reply,
	// counting from the last summary.
	h.deliver(fmt.Sprintf("From: %s\nTo: %s\nSubject: stato\nDate: Tue, 10 Nov 2026 09:00:00 +0100\nMessage-ID: <st1@studio.test>\nContent-Type: text/plain; charset=utf-8\n\nstato\n", owner, bot))
	h.pass(h.at(10, 10, 0))
	got = h.summaries()
	if len(got) != 1 {
		t.Fatalf("status: %d summaries, want 1", len(got))
	}
	st := got[0]
	if !strings.HasPrefix(st.Subject, "[Sollecito] Situazione al 10/11/2026") || len(st.InReplyTo) == 0 || st.InReplyTo[0] != "st1@studio.test" {
		t.Errorf("status answer: subject %q, in reply to %v", st.Subject, st.InReplyTo)
	}
	if body := st.Body(); !strings.Contains(body, "dalle 10:00 del 09/11/2026 (l'ultimo riepilogo)") || !strings.Contains(body, "Nessun sollecito inviato") {
		t.Errorf("status answer does not count from the last summary:\n%s", body)
	}
	// The owner closes one invoice, records a part payment on another and
	// offers a settlement on the third: the next summary says so.
	h.ownerSays(nil, "fattura 2026/501", "pagata")
	h.ownerSays(nil, "fattura 2026/502", "pagata in parte 350")
	h.pass(h.at(11, 10, 0))
	h.ownerSays(nil, "fattura 2026/503", "riprendi")
	h.pass(h.at(12, 10, 0))
	h.ownerSays(nil, "fattura 2026/503", "stralcio 300 entro il 30/11")
	h.pass(h.at(13, 10, 0))
	h.sent()
	// Asking for the status does not move the next periodic summary.
	h.pass(h.at(16, 10, 0))
	got = h.summaries()
	if len(got) != 1 || !strings.Contains(got[0].Body(), "dalle 10:00 del 09/11/2026 a oggi") {
		t.Fatalf("next weekly summary: %d, want one counting from the last weekly", len(got))
	}
	body := got[0].Body()
	for _, want := range []string{
		"a@alfa.test\n- 11/11/2026 10:00, fattura 2026/501: pratica chiusa: pagata",
		"fattura 2026/502: pagamento parziale registrato: € 350,00",
		"fattura 2026/503 (c@gamma.test, € 430,00): proposta di saldo e stralcio in corso: quando arriva il pagamento, mi scriva «pagata» (dal 13/11/2026)",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("next weekly summary lacks %q:\n%s", want, body)
		}
	}
}

// TestSummaryStaysShort: with many mails that match nothing, the weekly
// summary lists the first few and counts the rest, and it goes out.
func TestSummaryStaysShort(t *testing.T) {
	h := newHarnessWith(t, ``) // the weekly summary
	chased(h, "2026/430")
	h.now = h.at(3, 10, 0)
	for i := range 3 * summaryListMax {
		h.deliver(fmt.Sprintf("From: stranger%d@elsewhere.test\nTo: %s\nSubject: newsletter %d\nDate: Tue, 03 Nov 2026 09:00:00 +0100\nMessage-ID: <n%d@elsewhere.test>\nContent-Type: text/plain\n\nCiao, ecco le novità della settimana numero %d.\n", i, bot, i, i, i))
	}
	h.pass(h.now)
	h.sent()
	h.pass(h.at(9, 10, 0)) // Monday: the weekly summary
	ss := h.summaries()
	if len(ss) != 1 {
		t.Fatalf("%d summaries, want 1", len(ss))
	}
	body := ss[0].Body()
	if n := strings.Count(body, "stranger"); n > summaryListMax {
		t.Errorf("the summary lists %d unmatched mails, want at most %d", n, summaryListMax)
	}
	if want := fmt.Sprintf("%d messaggi non abbinati", 2*summaryListMax); !strings.Contains(body, want) || !strings.Contains(body, "sollecito status") {
		t.Errorf("the summary does not count what it left out (%q):\n%s", want, body)
	}
}
