package reply

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds the small machinery the rules are written in: text is cut
// into words, and each word remembers its sentence and clause, so that a
// rule can ask "is this said in a question?" or "is this negated?". Phrases
// are written as plain words:
//
//	"non ... ricevut*"   "non", then up to three words, then a word starting "ricevut"
//	"ho|abbiamo pagat*"  either "ho" or "abbiamo", then a word starting "pagat"
//
// Matching is by words, never across a sentence end.

// word is one word of a text, lower-cased.
type word struct {
	w        string
	sentence int // index of its sentence
	clause   int // index of its clause (commas, colons, "but" cut clauses)
}

// sentence is a stretch of text ended by . ! ? or a line end.
type sentence struct {
	text     string // as written, trimmed
	question bool   // ends with a question mark
	first    int    // index of its first word
	end      int    // index after its last word
}

// doc is a text cut into words and sentences.
type doc struct {
	words     []word
	sentences []sentence
}

// clauseBreakWords start a new clause: what follows "but" is said apart
// from what precedes it, and a negation does not carry across.
var clauseBreakWords = map[string]bool{
	"ma": true, "but": true, "pero": true, "pero'": true, "mais": true, "aber": true, "sino": true,
	"quindi": true, "così": true, "cosi": true,
}

// abbreviations are words written with a dot that does not end a sentence.
var abbreviations = wordSet("n", "nr", "no", "num", "sig", "sigg", "sig.ra", "dott", "dott.ssa", "ing", "rag", "avv", "geom",
	"arch", "ecc", "etc", "tel", "art", "p", "pag", "mr", "mrs", "ms", "dr", "st", "vs", "inv", "ref", "u.s", "spett", "sr", "srl",
	"a", "b", "c", "e", "s", "u", "es", "cf", "approx", "dept", "co", "ltd", "inc", "nov", "dic", "gen", "feb", "mar", "apr",
	"giu", "lug", "ago", "set", "ott", "jan", "jun", "jul", "aug", "sep", "sept", "oct", "dec")

// normalizeContractions spells out English negative contractions so that
// "haven't" reads as "have not" and "won't" as "will not".
var apostrophes = strings.NewReplacer("’", "'", "‘", "'", "`", "'")

var contractions = strings.NewReplacer(
	"won't", "will not", "can't", "can not", "cannot", "can not", "shan't", "shall not",
	"n't", " not",
	"i'm", "i am", "it'll", "it will", "i'll", "i will", "we'll", "we will", "you'll", "you will",
	"they'll", "they will", "she'll", "she will", "he'll", "he will", "that'll", "that will",
	"we're", "we are", "you're", "you are", "they're", "they are", "i've", "i have", "we've", "we have",
)

// normalize lower-cases text and spells out contractions.
func normalize(s string) string {
	return contractions.Replace(apostrophes.Replace(strings.ToLower(s)))
}

// parseDoc cuts text into sentences, clauses and words.
func parseDoc(text string) *doc {
	d := &doc{}
	lower := normalize(text)
	// The original text is only used for Evidence; the replacer may change
	// lengths, so sentences are cut on the lower-cased text.
	clause := 0
	sentStart, lineStart, line := 0, 0, 0
	// Whether each line of the text, as written, goes on in lower case:
	// the case is lost in lower, whose lines are the same.
	goesOn := linesGoingOn(text)
	startWord := 0
	var cur strings.Builder
	flush := func(end int, question bool) {
		s := strings.TrimSpace(lower[sentStart:end])
		if len(d.words) > startWord {
			d.sentences = append(d.sentences, sentence{text: s, question: question, first: startWord, end: len(d.words)})
			clause++
		}
		startWord = len(d.words)
	}
	addWord := func() {
		if cur.Len() == 0 {
			return
		}
		w := cur.String()
		cur.Reset()
		if clauseBreakWords[w] && len(d.words) > startWord {
			clause++
		}
		d.words = append(d.words, word{w: w, sentence: len(d.sentences), clause: clause})
	}
	// An address is one word, so that its parts ("it" of ".it") are not
	// read as words of the text.
	addrs := findAddresses(lower, -1)
	for i := 0; i < len(lower); {
		if len(addrs) > 0 && i >= addrs[0][0] {
			addWord()
			cur.WriteString(lower[addrs[0][0]:addrs[0][1]])
			addWord()
			i = addrs[0][1]
			addrs = addrs[1:]
			continue
		}
		r, size := utf8.DecodeRuneInString(lower[i:])
		next := rune(0)
		if i+size < len(lower) {
			next, _ = utf8.DecodeRuneInString(lower[i+size:])
		}
		prev := rune(0)
		if cur.Len() > 0 {
			s := cur.String()
			prev, _ = utf8.DecodeLastRuneInString(s)
		}
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur.WriteRune(r)
		case (r == '/' || r == '.' || r == ',' || r == '-' || r == ':') && unicode.IsDigit(prev) && unicode.IsDigit(next):
			// 15/12/2026, 1.500,00, 2026-0045, 9:30 stay one word.
			cur.WriteRune(r)
		case r == '-' && unicode.IsLetter(prev) && unicode.IsLetter(next):
			cur.WriteRune(r) // e-mail, follow-up
		case r == '.' && ordinalBeforeMonth(cur.String(), lower[i+size:]):
			// "am 15. Dezember": the German ordinal dot, not a sentence end.
			addWord()
		case r == '.' && dayMonthDot(cur.String()):
			// "am 15.01. überwiesen": the dot closes a day and month
			// written the German way, not the sentence.
			cur.WriteRune(r)
		case r == '\n' && line+1 < len(goesOn) && goesOn[line+1] && wrappedLine(lower[lineStart:i]):
			// A mail program's hard wrap: the sentence goes on.
			addWord()
			lineStart, line = i+size, line+1
		case r == '.' || r == '!' || r == '?' || r == '\n':
			if r == '\n' {
				lineStart, line = i+size, line+1
			}
			addWord()
			if r == '.' && next != 0 && !unicode.IsSpace(next) {
				break // a dot inside an address or a number is not an end
			}
			if r == '.' && len(d.words) > startWord && abbreviations[d.words[len(d.words)-1].w] {
				break // "n. 12", "Sig. Rossi", "Dr. Smith"
			}
			flush(i, r == '?')
			sentStart = i + size
		case r == ',' || r == ';' || r == ':' || r == '(' || r == ')' || r == '–' || r == '—' || r == '"' || r == '«' || r == '»':
			addWord()
			if len(d.words) > startWord {
				clause++
			}
		case r == '-' && (next == ' ' || prev == 0):
			addWord()
			clause++
		default: // spaces, apostrophes, symbols
			addWord()
		}
		i += size
	}
	addWord()
	flush(len(lower), strings.HasSuffix(strings.TrimSpace(lower), "?"))
	return d
}

// wrapLength is the shortest line a mail program's hard wrap leaves (they
// wrap at 72 to 78 characters, at a space).
const wrapLength = 60

// linesGoingOn says of each line of text whether it begins, after
// spaces, with a lower-case letter: the rest of a sentence, not a new one.
func linesGoingOn(text string) []bool {
	lines := strings.Split(text, "\n")
	out := make([]bool, len(lines))
	for i, l := range lines {
		r, _ := utf8.DecodeRuneInString(strings.TrimLeft(l, " \t"))
		out[i] = unicode.IsLower(r)
	}
	return out
}

// wrappedLine reports whether line (lower-cased, without its line end) may
// have been cut by a hard wrap rather than ended by its writer: it is long
// and ends in the middle of a sentence, on a word (parseDoc asks too that
// the next line go on in lower case).
func wrappedLine(line string) bool {
	line = strings.TrimRight(line, " \t\r")
	if utf8.RuneCountInString(line) < wrapLength {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(line)
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == ','
}

// ptoken is one position of a phrase: a set of words or word beginnings,
// or a gap of up to three words.
type ptoken struct {
	alts   []string
	prefix []bool
	gap    bool
}

func (t ptoken) matches(w string) bool {
	for i, a := range t.alts {
		if t.prefix[i] {
			if strings.HasPrefix(w, a) {
				return true
			}
		} else if w == a {
			return true
		}
	}
	return false
}

// phrase is one expression of a word list.
type phrase struct {
	text string
	toks []ptoken
}

// lexicon is a word list, indexed by the beginning of each phrase's first word.
type lexicon struct {
	index map[string][]*phrase
}

// keyLen is how many letters of a first word index a phrase; a word
// beginning (prefix*) must be at least this long.
const keyLen = 3

func key(s string) string {
	n := 0
	for i := range s {
		if n == keyLen {
			return s[:i]
		}
		n++
	}
	return s
}

// newLexicon builds a lexicon from phrases in the notation above. It
// panics on a malformed phrase: word lists are part of the program.
func newLexicon(phrases ...string) *lexicon {
	lx := &lexicon{index: map[string][]*phrase{}}
	for _, p := range phrases {
		ph := &phrase{text: p}
		for _, f := range strings.Fields(normalize(p)) {
			if f == "..." {
				ph.toks = append(ph.toks, ptoken{gap: true})
				continue
			}
			var t ptoken
			for _, a := range strings.Split(f, "|") {
				pre := strings.HasSuffix(a, "*")
				a = strings.TrimSuffix(a, "*")
				t.alts = append(t.alts, a)
				t.prefix = append(t.prefix, pre)
			}
			ph.toks = append(ph.toks, t)
		}
		if len(ph.toks) == 0 || ph.toks[0].gap || ph.toks[len(ph.toks)-1].gap {
			panic("reply: bad phrase " + p)
		}
		for i, a := range ph.toks[0].alts {
			if ph.toks[0].prefix[i] && utf8.RuneCountInString(a) < keyLen {
				panic("reply: word beginning too short in " + p)
			}
			k := key(a)
			lx.index[k] = append(lx.index[k], ph)
		}
	}
	return lx
}

// match is a phrase found in a doc: words [start, end).
type match struct {
	phrase     *phrase
	start, end int
}

// find returns every match of the lexicon in d, in text order, at most
// one per starting word (the first phrase listed wins).
func (lx *lexicon) find(d *doc) []match {
	if lx == nil {
		return nil
	}
	var out []match
	for i := range d.words {
		for _, ph := range lx.index[key(d.words[i].w)] {
			if end, ok := matchAt(d, ph.toks, i, d.words[i].sentence); ok {
				out = append(out, match{phrase: ph, start: i, end: end})
				break
			}
		}
	}
	return out
}

func matchAt(d *doc, toks []ptoken, i, sent int) (int, bool) {
	if len(toks) == 0 {
		return i, true
	}
	t := toks[0]
	if t.gap {
		for skip := 0; skip <= 3; skip++ {
			if end, ok := matchAt(d, toks[1:], i+skip, sent); ok {
				return end, true
			}
		}
		return 0, false
	}
	if i >= len(d.words) || d.words[i].sentence != sent || !t.matches(d.words[i].w) {
		return 0, false
	}
	return matchAt(d, toks[1:], i+1, sent)
}

// text returns the words of a match joined by spaces.
func (d *doc) text(m match) string {
	ws := make([]string, 0, m.end-m.start)
	for _, w := range d.words[m.start:m.end] {
		ws = append(ws, w.w)
	}
	return strings.Join(ws, " ")
}

// precededBy reports whether a word of set stands within n words before
// word i, in the same clause.
func (d *doc) precededBy(i, n int, set map[string]bool) bool {
	cl := d.words[i].clause
	for j := i - 1; j >= 0 && j >= i-n; j-- {
		if d.words[j].clause != cl {
			return false
		}
		if set[d.words[j].w] {
			return true
		}
	}
	return false
}

// followedBy reports whether one of set stands among the n words after
// word i-1 (from i on), in the same clause.
func (d *doc) followedBy(i, n int, set map[string]bool) bool {
	if i <= 0 || i > len(d.words) {
		return false
	}
	cl := d.words[i-1].clause
	for j := i; j < len(d.words) && j < i+n; j++ {
		if d.words[j].clause != cl {
			return false
		}
		if set[d.words[j].w] {
			return true
		}
	}
	return false
}

func wordSet(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// dayMonthDot reports whether w is a day and month written "15.01" (one or
// two digits, a dot, one or two digits): a dot after it closes the date.
func dayMonthDot(w string) bool {
	d, m, ok := strings.Cut(w, ".")
	return ok && len(d) >= 1 && len(d) <= 2 && len(m) >= 1 && len(m) <= 2 &&
		strings.Trim(d, "0123456789") == "" && strings.Trim(m, "0123456789") == ""
}

// ordinalBeforeMonth reports whether w is a day of the month (one or two
// digits) and rest, after spaces, starts with a month's name: the dot
// between them is an ordinal's ("15. Dezember").
func ordinalBeforeMonth(w, rest string) bool {
	if len(w) == 0 || len(w) > 2 || strings.Trim(w, "0123456789") != "" {
		return false
	}
	rest = strings.TrimLeft(rest, " \t")
	end := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) })
	if end < 0 {
		end = len(rest)
	}
	_, ok := monthWord(rest[:end])
	return ok && end > 0
}
