package reply

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/sollecito/sollecito/mailbox/message"
)

// The reader's budget. A person's answer to a reminder says what matters
// in its first lines (the longest writer's own text in the corpora is
// under 2.5 KB, a page): past maxBody bytes of a body, or maxOwnText of the
// writer's own text, is a pasted document or a newsletter, and reading it
// would only make a long mail cost what a hundred replies do.
const (
	maxBody    = 64 << 10
	maxOwnText = 4 << 10
)

// readBody is the part of m's body the reader reads: its first maxBody
// bytes.
func readBody(m *message.Message) string { return clip(m.Body(), maxBody) }

// texts is what one reading of a message reads: its body (readBody) and
// the writer's own text in it (ownText), each worked out once.
type texts struct {
	body, own string
	clipped   bool // the writer's own text was longer than maxOwnText
}

func textsOf(m *message.Message) texts {
	body := readBody(m)
	full := newText(body, maxOwnText)
	if strings.TrimSpace(full) == "" {
		full = bottomText(body)
	}
	own := clip(full, maxOwnText)
	return texts{body: body, own: own, clipped: len(own) < len(full)}
}

// ownText is NewText of body, its first maxOwnText bytes.
func ownText(body string) string { return clip(newText(body, maxOwnText), maxOwnText) }

// clip returns s cut to at most n bytes: at the last line end or space in
// the second half of them, else at a character's start.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if i := strings.LastIndexAny(s[:cut], "\n "); i > n/2 {
		cut = i
	}
	return s[:cut]
}

// NewText returns what the writer of a reply wrote: the body without the
// quoted message (">" lines, "On … wrote:" and "Il giorno … ha scritto:"
// attributions, Outlook "Original Message" and "Da: … Inviato: …" blocks,
// forwarded messages), without the signature ("-- ", "Sent from my
// iPhone", the lines after a closing such as "Cordiali saluti") and
// without confidentiality or fraud disclaimers. Answers written between
// quoted lines are kept, in order. The result has "\n" line ends and no
// leading or trailing blank lines.
func NewText(body string) string { return newText(body, -1) }

// newText is NewText that stops reading once it kept twice limit bytes
// (limit < 0: no limit): what is read past that is cut anyway.
func newText(body string, limit int) string {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	lines := strings.Split(body, "\n")
	var kept []string
	size := 0
	for i := 0; i < len(lines) && (limit < 0 || size <= 2*limit); i++ {
		line := strings.TrimRight(lines[i], " \t\u00a0")
		trim := strings.TrimSpace(line)
		if strings.HasPrefix(trim, ">") {
			continue // quoted
		}
		if isSignatureStart(line) || quoteMarker.MatchString(trim) || isHeaderBlock(lines, i) {
			break
		}
		if n := attributionLines(lines, i); n > 0 {
			// Quoted lines marked with ">" may follow, with answers between
			// them; without markers, everything below is the old message.
			j := i + n
			for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
				j++
			}
			if j < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[j]), ">") {
				i = j - 1
				continue
			}
			break
		}
		kept = append(kept, line)
		size += len(line) + 1
	}
	kept = cutAtClosing(kept)
	return strings.TrimSpace(dropDisclaimers(strings.Join(kept, "\n")))
}

// bottomText returns what a writer who typed nothing above the message
// they answer wrote below it, as some webmails quote it: without ">"
// marks, under an "Original Message" line or a block of header fields.
// It is the last paragraph of a body that opens with such a quote, read
// as NewText reads a top; "" when the body holds nothing else.
func bottomText(body string) string {
	lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n")), "\n")
	first := strings.TrimSpace(lines[0])
	if strings.HasPrefix(first, "##") || !quoteMarker.MatchString(first) && !isHeaderBlock(lines, 0) {
		return "" // a ticket system's "type your reply above this line": what follows is the system's
	}
	start := len(lines)
	for start > 0 && strings.TrimSpace(lines[start-1]) != "" {
		start--
	}
	if start == 0 {
		return "" // one block: the quoted message alone
	}
	for _, l := range lines[start:] {
		if t := strings.TrimSpace(l); strings.HasPrefix(t, ">") || headerField.MatchString(t) {
			return ""
		}
	}
	return newText(strings.Join(lines[start:], "\n"), maxOwnText)
}

// quoteMarker matches the lines that mail programs put above a quoted or
// forwarded message when they quote without ">" marks.
var quoteMarker = regexp.MustCompile(`(?i)^(-{2,}\s*(original message|messaggio originale|mensaje original|message d'origine|ursprüngliche nachricht|oorspronkelijk bericht|forwarded message|messaggio inoltrato|inoltrato|mensaje reenviado|message transféré|weitergeleitete nachricht)\s*-{2,}|##- .* -##|begin forwarded message:|inizio messaggio inoltrato:)`)

// headerField matches a header line of a quoted message as Outlook writes
// it, in the languages of the corpus; html2text may wrap names in "*".
var headerField = regexp.MustCompile(`(?i)^\**(from|da|de|von|van|sent|inviato|enviado|envoyé|gesendet|date|data|fecha|to|a|para|à|an|cc|subject|oggetto|asunto|objet|betreff)( el)?\s*:\**\s`)

var headerFrom = regexp.MustCompile(`(?i)^\**(from|da|de|von|van)\s*:\**\s`)

// isHeaderBlock reports whether lines[i] opens a quoted message written as a
// block of header fields (From/Da, then Sent/Inviato or Subject/Oggetto),
// possibly under a line of underscores or dashes.
func isHeaderBlock(lines []string, i int) bool {
	start := i
	if t := strings.TrimSpace(lines[i]); strings.Trim(t, "_-") == "" && len(t) >= 10 {
		start = i + 1
		for start < len(lines) && strings.TrimSpace(lines[start]) == "" {
			start++
		}
	}
	if start >= len(lines) || !headerFrom.MatchString(strings.TrimSpace(lines[start])) {
		return false
	}
	fields := 0
	for j := start; j < len(lines) && j < start+6; j++ {
		if headerField.MatchString(strings.TrimSpace(lines[j])) {
			fields++
		}
	}
	return fields >= 3 || (start > i && fields >= 2)
}

// attribution matches the line a mail program writes above a quote:
// "On Fri, 12 Mar 2027 at 08:32, Name <a@b> wrote:", "Il giorno … ha
// scritto:", "Le … a écrit :", "El … escribió:", "Am … schrieb …:".
var attribution = regexp.MustCompile(`(?i)(wrote|ha scritto|hanno scritto|scrisse|a écrit|escribió|schrieb)\s*:?\s*$`)

var attributionStart = regexp.MustCompile(`(?i)^(on|il|le|el|am|in data|the)\b`)

// attributionLines returns how many lines (1 or 2, since long attributions
// wrap) form an attribution at lines[i], or 0.
func attributionLines(lines []string, i int) int {
	t := strings.TrimSpace(lines[i])
	if t == "" || !attributionStart.MatchString(t) || len(t) > 400 {
		return 0
	}
	if attribution.MatchString(t) {
		return 1
	}
	if i+1 < len(lines) && attribution.MatchString(t+" "+strings.TrimSpace(lines[i+1])) && len(lines[i+1]) < 200 {
		return 2
	}
	return 0
}

// signatureStarts are lines after which only a signature follows.
var signatureStarts = regexp.MustCompile(`(?i)^(sent from my|sent from outlook|get outlook for|inviato da|inviato dal mio|enviado desde|envoyé de mon|envoyé depuis|von meinem .* gesendet|gesendet von)\b`)

func isSignatureStart(line string) bool {
	if line == "--" || line == "-- " || line == "—" {
		return true
	}
	return signatureStarts.MatchString(strings.TrimSpace(line))
}

// closings are the words people end a message with; what follows them is
// their name, their signature and their company's notices.
var closings = wordSet(
	"cordiali saluti", "distinti saluti", "saluti", "un saluto", "cari saluti", "saluti cordiali", "a presto",
	"buona giornata", "buona serata", "grazie", "grazie mille", "grazie ancora", "ti ringrazio", "vi ringrazio",
	"kind regards", "best regards", "warm regards", "regards", "best", "best wishes", "thanks", "thank you",
	"many thanks", "thanks again", "cheers", "sincerely", "yours sincerely", "all the best",
	"mit freundlichen grüßen", "freundliche grüße", "viele grüße", "beste grüße",
	"cordialement", "bien cordialement", "bien à vous", "merci",
	"un saludo", "saludos", "saludos cordiales", "atentamente", "gracias",
)

// cutAtClosing drops everything from the first line that is only a
// closing, when something was written before it.
func cutAtClosing(lines []string) []string {
	content := false
	for i, l := range lines {
		t := strings.ToLower(strings.Trim(strings.TrimSpace(l), ",.!;-–"))
		if content && closings[t] {
			return lines[:i]
		}
		if t != "" {
			content = true
		}
	}
	return lines
}

// disclaimerHeading matches a paragraph that opens with a heading in
// capitals, as legal and fraud notices do ("CONFIDENTIALITY NOTICE:").
var disclaimerHeading = regexp.MustCompile(`^[\p{Lu}][\p{Lu} ]{6,}:`)

// disclaimerTopics are what a capitalised heading's paragraph must speak
// of to be a notice: "URGENTE: abbiamo pagato ieri" is the writer's own.
var disclaimerTopics = phraseList{"riservat", "confidential", "disclaimer", "privacy", "frod", "fraud", "phishing",
	"informativa", "legal notice", "avviso legale", "vertraulich", "haftung", "datenschutz", "gdpr", "regolamento ue",
	"d.lgs", "decreto legislativo", "destinatari", "intended", "iban", "coordinate bancarie", "virus"}

// A notice says the mail is confidential and what to do if it reached
// the wrong person; both must be said.
var (
	confidentialWords = phraseList{"confidential", "riservat", "vertraulich", "confidentiel", "privileged", "confidencial"}
	wrongPersonWords  = phraseList{"intended", "addressee", "destinatari", "adressat", "destinataire", "per errore",
		"in error", "irrtümlich", "par erreur", "por error"}
)

// dropDisclaimers removes paragraphs that are legal or fraud notices.
func dropDisclaimers(text string) string {
	paras := strings.Split(text, "\n\n")
	out := paras[:0]
	for _, p := range paras {
		t := strings.TrimSpace(p)
		lower := strings.ToLower(t)
		if disclaimerHeading.MatchString(t) && disclaimerTopics.find(lower) != "" || confidentialWords.find(lower) != "" && wrongPersonWords.find(lower) != "" {
			continue
		}
		out = append(out, p)
	}
	return strings.Join(out, "\n\n")
}
