package reply

import (
	"bufio"
	"bytes"
	"net/mail"
	"strings"

	"github.com/sollecito/sollecito/mailbox/message"
)

// This file recognises mail written by machines: delivery failures,
// certified-mail (PEC) receipts and automatic replies. They are read
// before anything else, because a machine's words ("your payment will be
// processed when I'm back") must never be taken for a client's.

// machineVerdict is what the machine checks found.
type machineVerdict struct {
	kind     Kind
	failed   string
	evidence []string
}

// Machine notices are recognised by literal phrases, looked for in the
// lower-cased text: plain substring search keeps this fast on long bodies.

// phraseList is a list of lower-case phrases.
type phraseList []string

// find returns the first phrase of p that lower (already lower-cased) holds, or "".
func (p phraseList) find(lower string) string {
	for _, s := range p {
		if strings.Contains(lower, s) {
			return s
		}
	}
	return ""
}

// bounceSubject are words of the subjects mail servers give delivery failures.
var bounceSubject = phraseList{"undeliver", "delivery status notification", "delivery failure", "mail delivery failed",
	"failure notice", "returned mail", "returned to sender", "non recapitat", "mancata consegna", "impossibile recapitare", "unzustellbar",
	"non remis", "no se puede entregar", "non-accettazione", "errore di consegna", "delivery has failed",
	"recapito non riuscito", "consegna non riuscita", "non recapitabil"}

// bounceBody are what a plain-text delivery failure says.
var bounceBody = phraseList{"could not be delivered", "couldn't be delivered", "wasn't delivered", "delivery has failed",
	"permanent error", "non è stato recapitato", "non è stato consegnato", "impossibile recapitare",
	"recipient address rejected", "user unknown", "mailbox unavailable", "mailbox full", "address not found",
	"following address(es) failed", "following addresses failed", "unzustellbar", "n'a pas pu être remis",
	"recapito ai seguenti destinatari", "non è stato possibile recapitare", "non è stato possibile consegnare"}

// machineSenders are the local parts of the addresses mail servers send
// notices from.
var machineSenders = wordSet("mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon", "microsoftexchange")

// autoSubject are the beginnings of the subjects of automatic replies.
var autoSubject = phraseList{"letto:", "read:", "gelesen:", "lu :", "lu:", "leído:", "non letto:", "not read:", "automatic reply", "autoreply", "auto-reply", "auto reply", "automatic response", "auto:",
	"out of office", "out of the office", "risposta automatica", "risposta di assenza", "fuori ufficio", "abwesenheit",
	"automatische antwort", "réponse automatique", "respuesta automática", "fuera de la oficina", "ricezione messaggio",
	"ticket received", "[ticket#"}

// autoPhrases are what automatic replies say of themselves.
var autoPhrases = phraseList{"risposta automatica", "generato automaticamente", "generata automaticamente",
	"automatic reply", "auto-reply", "autoreply", "automated message", "automated response", "automated reply",
	"this is an automatic", "do not reply to this", "si prega di non rispondere", "non rispondere a questo messaggio",
	"please type your reply above this line", "has been received and is being reviewed", "la sua richiesta è stata presa in carico",
	"this mailbox is monitored", "we aim to reply within", "we aim to respond within", "risponde di norma entro",
	"numero di ticket", "nachricht wurde automatisch", "message automatique", "respuesta automática",
	"è un messaggio automatico", "this is an automated",
	// acknowledgements: "abbiamo ricevuto il tuo messaggio e ti risponderemo entro 48 ore"
	"ti risponderemo entro", "le risponderemo entro", "we will get back to you within", "we'll get back to you within"}

// isAutoSubject reports whether a lower-cased subject is an automatic
// reply's: short words ("auto:") only at its start, where responders put
// them (an Italian "auto" is also a car), longer phrases anywhere.
func isAutoSubject(subject string) bool {
	subject = strings.TrimSpace(subject)
	for _, p := range autoSubject {
		if strings.HasPrefix(subject, p) || len(p) >= 12 && strings.Contains(subject, p) {
			return true
		}
	}
	return false
}

// absencePhrases say the writer is away: an out-of-office notice when
// nothing else in the text asks the bot to act.
var absencePhrases = phraseList{"out of the office", "out of office", "fuori ufficio", "fuori sede", "sono in ferie",
	"sono in viaggio", "sono in congedo", "sono in maternità", "sono in malattia", "in congedo", "parental leave",
	"maternity leave", "paternity leave", "annual leave", "sick leave", "on vacation", "on holiday",
	"limited access to email", "limited access to e-mail", "accesso limitato alla posta", "non leggo la posta",
	"won't be checking", "will not be checking", "al mio rientro", "when i return", "upon my return", "when i'm back",
	"chiuso per ferie", "chiusa per ferie", "chiuso per inventario", "resterà chiuso", "resterà chiusa",
	"closed for the holidays", "abwesend", "je suis absent", "estoy fuera",
	"resta chiuso", "resta chiusa", "chiuso per le festività", "chiusa per le festività", "chiusura per ferie",
	"chiusura per le festività", "sarà letta alla riapertura", "alla riapertura dell'ufficio", "alla riapertura dello studio"}

// handedOver say the writer no longer looks after the matter, for good:
// with an address pointed to, a new contact even from someone on leave
// ("sono in maternità e non seguo più l'amministrazione: scrivete a …").
var handedOver = phraseList{"non seguo più", "non mi occupo più", "non gestisco più", "non curo più", "non sono più io",
	"no longer handle", "no longer deal", "no longer responsible", "no longer in charge", "no longer look after",
	"nicht mehr zuständig", "nicht mehr verantwortlich", "ne m'occupe plus", "ya no me ocupo", "ya no llevo"}

// goneForGood say a mailbox or a person is gone for good: a notice that
// names a replacement is a redirect, not an absence.
var goneForGood = phraseList{"non è più attiv", "non più attiv", "non è più in uso", "non più in uso", "non viene più lett",
	"no longer active", "no longer in use", "no longer monitored", "no longer valid", "is no longer", "has been closed",
	"has been deactivated", "has been discontinued", "non fa più parte", "no longer with", "has left the company",
	"ha lasciato l'azienda", "nicht mehr aktiv", "n'est plus",
	// the same said of how the mailbox is kept: nobody reads, uses or
	// looks after it any more, it was switched off
	"non è più monitorat", "non più monitorat", "non è più utilizzat", "non più utilizzat", "non è più gestit",
	"non è più presidiat", "è stato dismess", "è stata dismess", "è stato disattivat", "è stata disattivat",
	"no longer used", "no longer being", "nicht mehr verwendet", "nicht mehr genutzt", "nicht mehr gelesen",
	"nicht mehr betreut", "ya no se utiliza", "ya no está activ", "ya no está en uso"}

// noticeHead is how much of a body is searched for what notices say of themselves.
const noticeHead = 4096

// certain reports whether headers or a delivery report decided v (not
// only a subject or words of the text, which a person may write too).
func (v machineVerdict) certain() bool {
	for _, e := range v.evidence {
		if strings.HasPrefix(e, "header ") || strings.HasPrefix(e, "part ") || strings.HasPrefix(e, "delivery failure notice from ") {
			return true
		}
	}
	return false
}

// machine reads the headers and, where headers say nothing, the text of
// m, and reports a bounce, a PEC receipt or an automatic reply.
func machine(m *message.Message, t texts) (machineVerdict, bool) {
	var v machineVerdict
	// Certified mail (PEC) receipts carry their nature in X-Ricevuta.
	if r := strings.ToLower(strings.TrimSpace(m.Get("X-Ricevuta"))); r != "" {
		v.evidence = append(v.evidence, "header X-Ricevuta: "+r)
		switch r {
		case "errore-consegna", "non-accettazione", "preavviso-errore-consegna", "rilevazione-virus":
			v.kind = Bounce
			v.failed = pecRecipient(m)
		default: // accettazione, avvenuta-consegna, presa-in-carico
			v.kind = AutoReply
		}
		return v, true
	}
	// Delivery status notifications (RFC 3464).
	for _, a := range m.Attachments {
		if a.ContentType == "message/delivery-status" || a.ContentType == "message/global-delivery-status" {
			if failed, action := dsnRecipient(a.Data); action != "delayed" && action != "delivered" && action != "relayed" && action != "expanded" {
				v.kind = Bounce
				v.failed = failed
				v.evidence = append(v.evidence, "part "+a.ContentType)
				if v.failed == "" {
					v.failed = headerRecipient(m)
				}
				return v, true
			}
		}
	}
	from := strings.ToLower(m.Sender())
	local, _, _ := strings.Cut(from, "@")
	fromMachine := machineSenders[local] || strings.HasPrefix(local, "microsoftexchange") || strings.HasPrefix(local, "mailer-daemon")
	body := t.body
	// Notices say what they are at the top; long bodies are quoted mail.
	lower := strings.ToLower(body[:min(len(body), noticeHead)])
	subject := strings.ToLower(m.Subject)
	failureSubject, failureText := bounceSubject.find(subject) != "", bounceBody.find(lower) != ""
	// Exchange marks its non-delivery reports so.
	_, exchangeNDR := m.Header["X-Ms-Exchange-Message-Is-Ndr"]
	if failed := m.Get("X-Failed-Recipients"); failed != "" || exchangeNDR || fromMachine && (failureSubject || failureText) || failureSubject && failureText {
		v.kind = Bounce
		if failed != "" {
			v.evidence = append(v.evidence, "header X-Failed-Recipients: "+failed)
		} else {
			v.evidence = append(v.evidence, "delivery failure notice from "+from)
		}
		v.failed = headerRecipient(m)
		if v.failed == "" {
			v.failed = textRecipient(body, m)
		}
		return v, true
	}
	// Read receipts (RFC 8098): the client's program saying the mail was
	// opened; nothing a person wrote.
	if ct := strings.ToLower(m.Get("Content-Type")); strings.Contains(ct, "disposition-notification") {
		v.evidence = append(v.evidence, "header Content-Type: a read receipt (disposition-notification)")
	}
	for _, a := range m.Attachments {
		if a.ContentType == "message/disposition-notification" {
			v.evidence = append(v.evidence, "part message/disposition-notification")
			break
		}
	}
	// Automatic replies: RFC 3834 and the headers of common responders.
	if as := strings.ToLower(strings.TrimSpace(m.Get("Auto-Submitted"))); as != "" && as != "no" {
		v.evidence = append(v.evidence, "header Auto-Submitted: "+as)
	}
	for _, h := range []string{"X-Autoreply", "X-Autorespond", "X-Autoresponse", "X-Autogenerated", "X-Auto-Generated", "X-Fc-Machinegenerated"} {
		if _, ok := m.Header[h]; ok {
			v.evidence = append(v.evidence, "header "+h)
		}
	}
	if p := strings.ToLower(strings.TrimSpace(m.Get("Precedence"))); p == "auto_reply" || p == "bulk" || p == "junk" {
		v.evidence = append(v.evidence, "header Precedence: "+p)
	}
	subjectAuto := isAutoSubject(subject)
	if subjectAuto {
		v.evidence = append(v.evidence, "subject "+quote(m.Subject))
	}
	if _, ok := m.Header["X-Auto-Response-Suppress"]; ok && subjectAuto {
		v.evidence = append(v.evidence, "header X-Auto-Response-Suppress")
	}
	// What a person typed above a quoted message is theirs: the automatic
	// words of the mail they answer (a reminder that says it was sent
	// automatically) never make their reply automatic.
	own := t.own
	if strings.TrimSpace(own) == "" {
		own = body
	}
	ownLower := strings.ToLower(own[:min(len(own), noticeHead)])
	if p := autoPhrases.find(ownLower); p != "" {
		v.evidence = append(v.evidence, "automatic text "+quote(p))
	}
	if len(v.evidence) > 0 {
		v.kind = AutoReply
		return v, true
	}
	return v, false
}

// dsnRecipient reads a message/delivery-status part: the first recipient
// whose action is not "delivered", preferring the address as the sender
// wrote it (Original-Recipient) over the one it was expanded to.
func dsnRecipient(data []byte) (addr, action string) {
	var orig, final string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	flush := func() bool {
		if (orig != "" || final != "") && action != "delivered" && action != "relayed" && action != "expanded" && action != "delayed" {
			return true
		}
		orig, final = "", ""
		return false
	}
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			if flush() {
				break
			}
			continue
		}
		k, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "original-recipient":
			orig = dsnAddress(val)
		case "final-recipient":
			final = dsnAddress(val)
		case "action":
			action = strings.ToLower(val)
		}
	}
	flush()
	if orig != "" {
		return orig, action
	}
	return final, action
}

// dsnAddress reads "rfc822; user@example.com".
func dsnAddress(v string) string {
	if _, a, ok := strings.Cut(v, ";"); ok {
		v = a
	}
	return cleanAddress(v)
}

func cleanAddress(v string) string {
	v = strings.Trim(strings.TrimSpace(v), "<>\"'")
	if a, err := mail.ParseAddress(v); err == nil {
		return strings.ToLower(a.Address)
	}
	if emailRe.MatchString(v) {
		return strings.ToLower(emailRe.FindString(v))
	}
	return ""
}

func headerRecipient(m *message.Message) string {
	if f := m.Get("X-Failed-Recipients"); f != "" {
		first, _, _ := strings.Cut(f, ",")
		return cleanAddress(first)
	}
	return ""
}

// textRecipient finds the failed address in a plain-text notice: the first
// address in its text that is neither the sender's, the notice's own
// recipient's, nor a postmaster's.
func textRecipient(body string, m *message.Message) string {
	skip := map[string]bool{strings.ToLower(m.Sender()): true}
	for _, a := range m.To {
		skip[a.Email] = true
	}
	for _, a := range emailRe.FindAllString(body, 20) {
		a = strings.ToLower(a)
		local, _, _ := strings.Cut(a, "@")
		if skip[a] || machineSenders[local] {
			continue
		}
		return a
	}
	return ""
}

// pecRecipient reads the failed addressee of a PEC notice: daticert.xml's
// <consegna>, else the address the text names after "destinat…".
func pecRecipient(m *message.Message) string {
	for _, a := range m.Attachments {
		if strings.HasSuffix(strings.ToLower(a.Filename), ".xml") {
			s := string(a.Data)
			if _, rest, ok := strings.Cut(s, "<consegna>"); ok {
				if addr, _, ok := strings.Cut(rest, "</consegna>"); ok {
					if c := cleanAddress(addr); c != "" {
						return c
					}
				}
			}
		}
	}
	body := readBody(m)
	if i := strings.Index(strings.ToLower(body), "destinat"); i >= 0 {
		if a := emailRe.FindString(body[i:]); a != "" {
			return strings.ToLower(a)
		}
	}
	return textRecipient(body, m)
}

func quote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return "\"" + s + "\""
}
