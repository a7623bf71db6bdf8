package reply

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/sollecito/sollecito/mailbox/message"
)

// The classifier reasons as a careful clerk would:
//
//  1. Machines first: a delivery failure, a certified-mail receipt or an
//     automatic reply is recognised from its headers (and, when headers
//     are missing, from what such notices always say), and never read as
//     a person's words.
//  2. Only what the client wrote counts: the quoted reminder, signatures
//     and disclaimers are set aside (NewText).
//  3. Then, in order of what must be acted on first: a dispute, a proof of
//     payment, a missing invoice or missing bank details, a request for a
//     plan or a delay, a promise (with its date), a new contact. What is
//     none of these is Other and goes to the owner.
//
// Each reading is by phrases of the writer's language; a phrase negated
// ("non abbiamo ancora pagato") or turned into a condition ("if you have
// already paid") does not count.

var emailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-']+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)

// findAddresses returns where the addresses in s stand, as
// emailRe.FindAllStringIndex would, but runs the pattern only around each
// '@' (64 bytes before it, the longest local part, and 256 after): a long
// text with few addresses costs a scan for '@', not a pattern at every
// byte.
func findAddresses(s string, limit int) [][]int {
	var out [][]int
	from := 0
	for from < len(s) && (limit < 0 || len(out) < limit) {
		i := strings.IndexByte(s[from:], '@')
		if i < 0 {
			break
		}
		at := from + i
		lo, hi := max(from, at-64), min(len(s), at+256)
		next := at + 1
		for _, m := range emailRe.FindAllStringIndex(s[lo:hi], -1) {
			if lo+m[0] <= at && at < lo+m[1] {
				out = append(out, []int{lo + m[0], lo + m[1]})
				next = lo + m[1]
				break
			}
		}
		from = next
	}
	return out
}

// classify is the rules' reading. certain says headers or a delivery
// report decided it, which no learned reading overrules.
func classify(m *message.Message, c Context, t texts) (Verdict, bool) {
	if m == nil {
		return Verdict{Kind: Other, Evidence: []string{"no message"}}, true
	}
	body := t.body
	// The whole body, quotes included, tells the language of a reply too
	// short to tell by itself: it is read only then.
	threadLang := func() string {
		if lang := detectLang(parseDoc(body)); lang != "" {
			return lang
		}
		return detectLang(parseDoc(m.Subject)) // an empty body: the subject's
	}

	// 1. Machines. Words that sound automatic ("numero di ticket") in a
	// text that also says it was paid, or contests the invoice, are a
	// person's answer from a ticket system: the writer's words decide.
	if mv, ok := notice(m, t); ok {
		lang := detectLang(parseDoc(leadText(body)))
		if lang == "" {
			lang = threadLang()
		}
		v := Verdict{Kind: mv.kind, FailedRecipient: mv.failed, Evidence: mv.evidence, Lang: lang}
		if mv.kind == AutoReply {
			text := t.own
			if text == "" {
				text = strings.TrimSpace(body)
			}
			v.Text = text
			// A notice that the mailbox is gone for good and names its
			// replacement is a new contact, not an absence.
			g := goneForGood.find(strings.ToLower(text))
			if g == "" {
				// "Indirizzo non più attivo" may be said in the subject alone.
				g = goneForGood.find(strings.ToLower(m.Subject))
			}
			if g != "" {
				d := parseDoc(text)
				// The address the notice says is gone is no new contact.
				gone := Context{Own: append(append([]string(nil), c.Own...), deadAddresses(d, g)...)}
				if addr := redirectTarget(d, text, m, gone, nil); addr != "" {
					v.Kind = Redirect
					v.RedirectTo = addr
					v.Evidence = append(v.Evidence, "mailbox no longer in use: "+quote(g), "new address "+addr)
				}
			}
		}
		return v, mv.certain()
	}

	// 2. The writer's own words. When the body says nothing the rules act
	// on (empty, a name, "see subject"), what the writer added to the
	// subject ("Re: Promemoria fattura 12 - pagata ieri") is read first.
	text := t.own
	v := readWords(m, c, text, threadLang)
	if t.clipped {
		v.Evidence = append(v.Evidence, fmt.Sprintf("only the first %d KB of the writer's text read", maxOwnText>>10))
	}
	if v.Kind == Other {
		add := subjectAddition(m.Subject)
		if add == "" && strings.TrimSpace(body) == "" {
			// A mail with no body says what it says in its subject.
			add = strings.TrimSpace(replyPrefix.ReplaceAllString(m.Subject, ""))
		}
		if add != "" {
			if w := readWords(m, c, strings.TrimSpace(add+"\n\n"+text), threadLang); w.Kind != Other {
				return w, false
			}
		}
	}
	return v, false
}

// readWords is the rules' reading of text, what the writer of m wrote.
func readWords(m *message.Message, c Context, text string, threadLang func() string) Verdict {
	d := parseDoc(text)
	lang := detectLang(d)
	if lang == "" {
		lang = threadLang() // a word or two: the thread's language
	}
	v := Verdict{Kind: Other, Lang: lang, Text: text}
	lx := languages[lang]
	if lx == nil || strings.TrimSpace(text) == "" {
		v.Evidence = append(v.Evidence, "no text in a language the rules read")
		v.named = redirectTarget(d, text, m, c, nil)
		return v
	}

	// 3. What the writer says, most urgent first.
	r := reader{d: d, c: lx}
	if ev := r.find("dispute", lx.dispute); len(ev) > 0 {
		v.Kind, v.Evidence = Dispute, ev
		return v
	}
	if ev := r.payOnceFixed(); len(ev) > 0 {
		v.Kind, v.Evidence = Dispute, ev
		return v
	}
	notReceived := r.find("not received", lx.notReceived)
	if ev := r.find("dispute", lx.reissue); len(ev) > 0 && len(notReceived) == 0 {
		v.Kind, v.Evidence = Dispute, ev
		return v
	}
	proof := r.find("payment", lx.proof)
	for _, a := range m.Attachments {
		if isReceipt(a) {
			proof = append(proof, "attachment "+quote(a.Filename))
		}
	}
	if len(proof) > 0 {
		v.Kind, v.Evidence = PaymentProof, proof
		return v
	}
	if len(notReceived) > 0 {
		v.Kind, v.Evidence = NotReceived, notReceived
		return v
	}
	if ev := r.find("plan or delay", lx.installment); len(ev) > 0 {
		v.Kind, v.Evidence = Installment, ev
		return v
	}
	if ms := r.promises(); len(ms) > 0 {
		v.Kind = Promise
		for _, pm := range ms {
			v.Evidence = append(v.Evidence, "promise: "+quote(d.text(pm)))
		}
		if t, ev, ok := promisedDate(d, ms, m, lang); ok {
			v.PromisedDate = t
			v.Evidence = append(v.Evidence, ev)
		}
		return v
	}
	if abs := absencePhrases.find(strings.ToLower(text)); abs != "" && handedOver.find(strings.ToLower(text)) == "" {
		v.Kind = AutoReply
		v.Evidence = append(v.Evidence, "absence notice "+quote(abs))
		return v
	}
	if addr := redirectTarget(d, text, m, c, lx.redirect); addr != "" {
		v.Kind, v.RedirectTo = Redirect, addr
		v.Evidence = append(v.Evidence, "new address "+addr)
		return v
	}
	v.Evidence = append(v.Evidence, "nothing to act on")
	v.named = redirectTarget(d, text, m, c, nil)
	return v
}

// onlyTextCues reports whether a machine verdict rests on the writer's
// words alone (no header, subject or delivery report).
func onlyTextCues(evidence []string) bool {
	for _, e := range evidence {
		if !strings.HasPrefix(e, "automatic text ") {
			return false
		}
	}
	return len(evidence) > 0
}

// statesPaidOrDisputed reports whether the writer's own text holds a live
// statement of payment or of dispute, in a language the rules read.
func statesPaidOrDisputed(own string, m *message.Message) bool {
	d := parseDoc(own)
	lx := languages[detectLang(d)]
	if lx == nil {
		return false
	}
	r := reader{d: d, c: lx}
	if len(r.find("dispute", lx.dispute)) > 0 || len(r.find("payment", lx.proof)) > 0 {
		return true
	}
	// A payment booked for a day ("scheduled for our payment run on 14
	// January") is a person's or a payables office's answer too.
	if ms := r.promises(); len(ms) > 0 {
		if _, _, ok := promisedDate(d, ms, m, detectLang(d)); ok {
			return true
		}
	}
	return false
}

// notice is machine's reading when it stands: words that sound automatic
// ("numero di ticket") in a text that also says it was paid, or contests
// the invoice, are a person's answer from a ticket system, not a notice.
func notice(m *message.Message, t texts) (machineVerdict, bool) {
	mv, ok := machine(m, t)
	if !ok || mv.kind == AutoReply && !mv.certain() && onlyTextCues(mv.evidence) && statesPaidOrDisputed(t.own, m) {
		return machineVerdict{}, false
	}
	return mv, true
}

// leadText returns the first lines of a notice, where a machine says in
// its own language what happened, before diagnostics and copied headers.
func leadText(body string) string {
	var b strings.Builder
	n := 0
	for _, l := range strings.Split(body, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		b.WriteString(l)
		b.WriteString("\n")
		if n++; n == 3 {
			break
		}
	}
	return b.String()
}

// reader finds phrases in a doc, dropping the negated and hedged ones.
type reader struct {
	d *doc
	c *cues
}

// live reports whether a match stands as said: no negator shortly before
// it or inside its gaps, unless the phrase itself holds the negation.
func (r reader) live(m match, blockers map[string]bool, window int) bool {
	if r.d.precededBy(m.start, window, blockers) {
		return false
	}

	own := " " + normalize(m.phrase.text) + " " // "won't" in a phrase is "will not" in the text
	for _, w := range r.d.words[m.start:m.end] {
		if blockers[w.w] && !strings.Contains(own, " "+w.w+" ") && !strings.Contains(own, "|"+w.w+" ") && !strings.Contains(own, " "+w.w+"|") {
			return false
		}
	}
	return true
}

// negated reports whether a match is denied: a negator shortly before it
// or inside its gaps, or, in a language that puts it there, one after it
// at the end of its clause.
func (r reader) negated(m match) bool {
	if concord[r.d.words[m.start].w] {
		// "non sono mai stati autorizzati", "ne … jamais": the negator
		// before a phrase that is negative itself agrees with it.
		return r.d.followedBy(m.end, 8, r.c.trailing)
	}
	return !r.live(m, r.c.negators, 4) || r.d.followedBy(m.end, 8, r.c.trailing)
}

// concord are the negative words that languages with negative concord
// pair with their negator ("non … mai", "ne … jamais", "no … nunca").
var concord = wordSet("mai", "nessuno", "nessuna", "niente", "nulla", "jamais", "nunca", "nadie", "ninguém")

// paidTheWriter reports whether a payment match says someone paid the
// writer ("il cliente ci ha pagato", "mi hanno versato"): a third person's
// verb right after a receiver.
func (r reader) paidTheWriter(m match) bool {
	w := r.d.words[m.start].w
	if (w == "ha" || w == "hanno") && r.d.precededBy(m.start, 1, r.c.receivers) {
		return true
	}
	// "I get paid on the 15th", "once we are paid": the writer's own
	// income, what the payment waits for.
	return r.d.words[m.end-1].w == "paid" && r.d.precededBy(m.end-1, 1, writerIsPaid)
}

// writerIsPaid are the words before "paid" that make the writer the one
// paid, now or later ("I get paid", "we are paid monthly"); "it got paid"
// and "has been paid" stay a payment made.
var writerIsPaid = wordSet("get", "gets", "getting", "am", "are")

// bankDetailsMismatch reports whether a "does not match" speaks of bank
// details ("the IBAN on your invoice does not match the account we have"):
// what the client lacks to pay, not a contested invoice.
func (r reader) bankDetailsMismatch(m match) bool {
	if !strings.Contains(m.phrase.text, "match") && !strings.Contains(m.phrase.text, "corrispond") {
		return false
	}
	s := r.d.words[m.start].sentence
	for _, w := range r.d.words[r.d.sentences[s].first:r.d.sentences[s].end] {
		if bankWords[w.w] {
			return true
		}
	}
	return false
}

// bankWords name bank details.
var bankWords = wordSet("iban", "bic", "swift", "coordinate", "bancarie", "bank", "banking", "conto", "sort")

// needless reports whether a match stands after "there is no need" in
// its clause ("non c'è bisogno di arrivare all'avvocato"): it is not said.
func (r reader) needless(m match) bool {
	for _, n := range r.c.needless.find(r.d) {
		if n.start < m.start && r.d.words[n.start].clause == r.d.words[m.start].clause {
			return true
		}
	}
	return false
}

// find returns evidence for the live matches of lx.
func (r reader) find(label string, lx *lexicon) []string {
	var ev []string
	for _, m := range lx.find(r.d) {
		if r.negated(m) || r.needless(m) {
			continue
		}
		if lx == r.c.proof && (!r.live(m, r.c.hedges, 3) || r.paidTheWriter(m)) {
			continue
		}
		if lx == r.c.dispute && r.bankDetailsMismatch(m) {
			continue
		}
		ev = append(ev, label+": "+quote(r.d.text(m)))
	}
	return ev
}

// payOnceFixed returns evidence of a promise made in a sentence that
// opens (within its first three words) by telling the supplier to put the
// work right ("Fix the
// terminology in the Module 3 files and we'll release it", "Sistemate il
// quadro e paghiamo"): paying on condition the work is fixed contests it.
func (r reader) payOnceFixed() []string {
	var ev []string
	for _, m := range r.promises() {
		// The demand opens the sentence, after a greeting or "please".
		s := r.d.sentences[r.d.words[m.start].sentence]
		for k := s.first; k < min(s.first+3, m.start); k++ {
			if fixVerbs[r.d.words[k].w] {
				ev = append(ev, "dispute: "+quote(r.d.words[k].w+" … "+r.d.text(m)))
				break
			}
		}
	}
	return ev
}

// fixVerbs are the imperatives that open a demand to put the work right.
var fixVerbs = wordSet("fix", "correct", "redo", "repair", "rework", "sistemate", "correggete", "rifate", "riparate", "completate",
	"behebt", "korrigiert", "corrigez", "réparez", "arreglen", "corrijan")

// promises returns the live promise matches: not negated, not in a
// clause that says the writer cannot tell when or whether, and not in a
// question about the means of payment ("can I pay by card?").
func (r reader) promises() []match {
	undecided := map[int]int{} // clause -> first word of an "I can't say" phrase
	for _, m := range r.c.undecided.find(r.d) {
		cl := r.d.words[m.start].clause
		if _, ok := undecided[cl]; !ok {
			undecided[cl] = m.start
		}
	}
	meansAsked := map[int]bool{}
	for _, m := range r.c.howToPay.find(r.d) {
		s := r.d.words[m.start].sentence
		if r.d.sentences[s].question {
			meansAsked[s] = true
		}
	}
	var out []match
	for _, m := range r.c.promise.find(r.d) {
		w := r.d.words[m.start]
		if r.negated(m) || r.needless(m) || meansAsked[w.sentence] {
			continue
		}
		if at, ok := undecided[w.clause]; ok && at < m.start {
			continue
		}
		out = append(out, m)
	}
	return out
}

// promisedDate derives the date of the first promise that names one: a
// date in the promise's own clause first, else the one nearest to it in
// its sentence.
func promisedDate(d *doc, ms []match, m *message.Message, lang string) (time.Time, string, bool) {
	if m.Date.IsZero() {
		return time.Time{}, "", false
	}
	y, mo, day := m.Date.Date()
	base := time.Date(y, mo, day, 0, 0, 0, 0, time.UTC)
	for _, pm := range ms {
		s := d.sentences[d.words[pm.start].sentence]
		hits := findDates(d, s.first, s.end, base, lang == "en")
		if len(hits) == 0 {
			continue
		}
		best := -1
		for i, h := range hits {
			if d.words[h.at].clause == d.words[pm.start].clause {
				best = i
				break
			}
		}
		if best < 0 {
			dist := func(h dateHit) int {
				if h.at >= pm.end {
					return h.at - pm.end
				}
				return pm.start - h.end
			}
			best = 0
			for i, h := range hits {
				if dist(h) < dist(hits[best]) {
					best = i
				}
			}
		}
		h := hits[best]
		return h.date, fmt.Sprintf("date: %q → %s", h.text, h.date.Format(time.DateOnly)), true
	}
	return time.Time{}, "", false
}

// aheadDate returns the first date in the writer's own text of m that lies
// ahead of the message's day by at most 60 days: where a promise the rules
// did not see names its date.
func aheadDate(m *message.Message, lang string) (time.Time, string, bool) {
	if m == nil || m.Date.IsZero() {
		return time.Time{}, "", false
	}
	y, mo, day := m.Date.Date()
	base := time.Date(y, mo, day, 0, 0, 0, 0, time.UTC)
	_, text := ModelInput(m)
	d := parseDoc(text)
	// Sentence by sentence: a date of several words ("4 December 2026",
	// "bis zum 15. Dezember") is read within one sentence only. A date in
	// a sentence that speaks of paying comes before one elsewhere ("thanks
	// for coming on Saturday … I pay by the end of the week").
	paying := map[int]bool{}
	for _, mt := range payWords.find(d) {
		paying[d.words[mt.start].sentence] = true
	}
	var found time.Time
	var ev string
	for i, sn := range d.sentences {
		for _, h := range findDates(d, sn.first, sn.end, base, lang == "en") {
			if h.date.Before(base) || h.date.After(base.AddDate(0, 0, 60)) {
				continue
			}
			e := fmt.Sprintf("date ahead in the text: %q → %s", h.text, h.date.Format(time.DateOnly))
			if paying[i] {
				return h.date, e, true
			}
			if found.IsZero() {
				found, ev = h.date, e
			}
		}
	}
	return found, ev, !found.IsZero()
}

// redirectTarget returns the address the writer points to: an address in
// the text that is neither the writer's own nor the bot's or owner's,
// preferring one said in a sentence with a pointing word ("scrivete a",
// "please contact") and about invoices. cuesLx nil accepts any address.
func redirectTarget(d *doc, text string, m *message.Message, c Context, cuesLx *lexicon) string {
	skip := map[string]bool{}
	for _, a := range m.From {
		skip[a.Email] = true
	}
	if s := cleanAddress(m.Get("Sender")); s != "" {
		skip[s] = true
	}
	for _, o := range c.Own {
		skip[strings.ToLower(strings.TrimSpace(o))] = true
	}
	pointing := map[int]bool{}
	if cuesLx != nil {
		for _, mt := range cuesLx.find(d) {
			pointing[d.words[mt.start].sentence] = true
		}
	}
	billing := map[int]bool{}
	for _, mt := range billingWords.find(d) {
		billing[d.words[mt.start].sentence] = true
	}
	best, bestScore := "", -1
	for i, s := range d.sentences {
		t := deobfuscate(s.text)
		if !strings.Contains(t, "@") {
			continue // the address pattern is costly; most sentences hold none
		}
		for _, loc := range findAddresses(t, -1) {
			a := t[loc[0]:loc[1]]
			a = strings.ToLower(strings.Trim(a, ".'"))
			if skip[a] {
				continue
			}
			score := 0
			if pointing[i] {
				score += 2
			}
			if billing[i] {
				score++
			}
			if score > bestScore {
				best, bestScore = a, score
			}
		}
	}
	if cuesLx != nil && bestScore < 2 && len(pointing) == 0 {
		return "" // an address nobody points to (a signature, a quote)
	}
	return best
}

// obfuscatedAt and obfuscatedDot are how people write an address so that
// robots cannot read it: "fornitori [at] gruppo [dot] com",
// "tesoreria(at)associazione.org", "rechnungseingang (at) firma.de".
var (
	obfuscatedAt  = regexp.MustCompile(`(?i)\s*[\[({]\s*(?:at|chiocciola)\s*[\])}]\s*`)
	obfuscatedDot = regexp.MustCompile(`(?i)\s*[\[({]\s*(?:dot|punto)\s*[\])}]\s*`)
	// spelledAddress is one spelled out: "carla.benedetti chiocciola
	// libero punto it", "jane at client dot com" (the dot word required).
	spelledAddress = regexp.MustCompile(`(?i)\b([a-z0-9][a-z0-9._%+-]*)\s+(?:chiocciola|at)\s+([a-z0-9][a-z0-9-]*)((?:\s+(?:punto|dot)\s+[a-z0-9-]{2,})+)\b`)
	spelledDot     = regexp.MustCompile(`(?i)\s+(?:punto|dot)\s+`)
)

// deobfuscate writes such an address plainly; other text is unchanged.
func deobfuscate(s string) string {
	if strings.ContainsAny(s, "[({") {
		s = obfuscatedDot.ReplaceAllString(obfuscatedAt.ReplaceAllString(s, "@"), ".")
	}
	lower := strings.ToLower(s)
	if (strings.Contains(lower, "chiocciola") || strings.Contains(lower, " at ")) && (strings.Contains(lower, "punto") || strings.Contains(lower, " dot ")) {
		s = spelledAddress.ReplaceAllStringFunc(s, func(m string) string {
			sub := spelledAddress.FindStringSubmatch(m)
			return sub[1] + "@" + sub[2] + spelledDot.ReplaceAllString(sub[3], ".")
		})
	}
	return s
}

// isReceipt reports whether an attachment is by its name a receipt of payment.
func isReceipt(a message.Attachment) bool {
	if a.ContentType != "application/pdf" && !strings.HasPrefix(a.ContentType, "image/") {
		return false
	}
	name := strings.ToLower(a.Filename)
	for _, w := range receiptNames {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// Explain returns a short paragraph saying what the classifier read in a
// message and why, for `sollecito classify --explain` and for the owner.
func Explain(v Verdict) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Read as %s", v.Kind)
	if v.Lang != "" {
		fmt.Fprintf(&b, " (language %s)", v.Lang)
	}
	b.WriteString(".")
	if v.Guess != "" {
		fmt.Fprintf(&b, " Not sure enough to act: it looks like %s (%.0f%%); the owner decides.", v.Guess, 100*v.GuessConfidence)
	}
	switch {
	case !v.PromisedDate.IsZero():
		fmt.Fprintf(&b, " Promised date: %s.", v.PromisedDate.Format(time.DateOnly))
	case v.Kind == Promise:
		b.WriteString(" No date was given.")
	}
	if v.RedirectTo != "" {
		fmt.Fprintf(&b, " New contact: %s.", v.RedirectTo)
	}
	if v.FailedRecipient != "" {
		fmt.Fprintf(&b, " Failed address: %s.", v.FailedRecipient)
	}
	if len(v.Evidence) > 0 {
		fmt.Fprintf(&b, " Because of: %s.", strings.Join(v.Evidence, "; "))
	}
	return b.String()
}

// pointingStems are the word beginnings of a sentence that sends the
// reader somewhere ("scrivete a", "write to", "il nuovo indirizzo").
var pointingStems = []string{"scriv", "write", "contatt", "contact", "invia", "send", "rivolg", "utilizz", "nuov", "new",
	"inoltr", "forward", "reach", "sostitu", "replac", "schreib", "neue", "écri", "nouvel", "escrib", "nueva"}

// deadAddresses are the addresses of the sentences that say a mailbox is
// gone (holding phrase) and point nowhere: the dead mailbox itself.
func deadAddresses(d *doc, phrase string) []string {
	var out []string
	for _, s := range d.sentences {
		lower := strings.ToLower(s.text)
		if !strings.Contains(lower, phrase) {
			continue
		}
		pointing := false
		for _, f := range strings.FieldsFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) }) {
			for _, p := range pointingStems {
				if strings.HasPrefix(f, p) {
					pointing = true
				}
			}
			if f == "use" || f == "usa" || f == "usate" || f == "usare" {
				pointing = true
			}
		}
		if pointing {
			continue
		}
		for _, loc := range findAddresses(s.text, -1) {
			out = append(out, strings.ToLower(s.text[loc[0]:loc[1]]))
		}
	}
	return out
}

// replyPrefix matches the prefixes mail programs put before the subject
// of a reply or a forward, in the languages of the clients.
var replyPrefix = regexp.MustCompile(`(?i)^\s*((re|r|rif|aw|sv|vs|fw|fwd|i|wg|tr|rv|enc)\s*(\[\d+\])?\s*:\s*)+`)

// subjectAddition returns what a person added after the subject of the
// mail they answer, "" when they added nothing: the words after the last
// dash or bar ("Re: Promemoria fattura n. 12/2026 - pagata ieri"), when
// at least two. A subject without a reply prefix is all the writer's.
func subjectAddition(subject string) string {
	s := strings.TrimSpace(subject)
	rest := replyPrefix.ReplaceAllString(s, "")
	if rest == s {
		return ""
	}
	cut := -1
	for _, sep := range []string{" - ", " – ", " — ", " -- ", " | "} {
		if i := strings.LastIndex(rest, sep); i >= 0 && i+len(sep) > cut {
			cut = i + len(sep)
		}
	}
	if cut < 0 {
		return ""
	}
	tail := strings.TrimSpace(rest[cut:])
	if len(strings.Fields(tail)) < 2 {
		return ""
	}
	return tail
}
