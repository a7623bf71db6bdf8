package invoice

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sollecito/sollecito/mailbox/message"
)

// How the client's name is read (see clientName), most authoritative first:
//
//   - the FatturaPA CessionarioCommittente (Denominazione, or Nome Cognome);
//   - a PDF line that names the client: "Cliente: X", "Spett.le X", "Bill to:
//     X", "Intestatario: X", "Customer: X";
//   - the same cues in the body the owner wrote ("Spett.le Gruppo Finotti,");
//   - the display name of the client's address in To ("Neri Costruzioni
//     <ufficio@neri.it>"), unless it is a bare address, a department
//     ("Amministrazione", "Accounts Payable") or one of the owner's names.
//
// Within one kind of source the readings must agree, else that kind is set
// aside (with a note) and the next one decides.

// maxNameLen bounds a client name read from text or set by the owner.
const maxNameLen = 120

// clientCueRe matches a line that names the client: the cue, then the name.
// "Spett.le" and "Spettabile" need no colon; the other labels do (or stand
// alone at the start of the line followed by the name), so that "intestato a
// Lucia Ferri" in the middle of an IBAN line is not read.
var clientCueRe = regexp.MustCompile(`(?i)^\s*(?:` +
	`spett\.?\s*(?:le|li)\.?|spettabile|` +
	`(?:cliente|client|customer|committente|intestatario|intestata\s+a|destinatario|bill(?:ed)?\s+to|invoice\s+to|sold\s+to)\s*:` +
	`)\s*(.+?)\s*$`)

// nameStop cuts what follows a name on its line: ", P.IVA …", " - Via …", a
// tab or a wide gap from the PDF layout.
var nameStop = regexp.MustCompile(`(?i)\s*(?:,\s*(?:p\.?\s*iva|partita\s+iva|c\.?\s*f\.?|cod\.?\s*fisc|vat|via|viale|piazza|corso)\b|\s+[-–—]\s+|\t|\s{3,}|\s+(?:p\.?\s*iva|partita\s+iva|vat\s+(?:no|number|reg))\b).*$`)

// roleNames are display names of a department or function, not a client.
var roleNames = map[string]bool{
	"amministrazione": true, "ufficio amministrazione": true, "ufficio amministrativo": true, "contabilità": true,
	"contabilita": true, "ufficio contabilità": true, "fatture": true, "fatturazione": true, "ciclo passivo": true,
	"fornitori": true, "ufficio acquisti": true, "acquisti": true, "segreteria": true, "direzione": true, "info": true,
	"accounts": true, "accounts payable": true, "accounting": true, "ap": true, "billing": true, "invoices": true,
	"finance": true, "admin": true, "office": true, "reception": true, "purchasing": true, "payables": true,
	"cliente": true, "client": true, "customer": true, "gentile cliente": true, "clienti": true,
}

// roleSuffix is a department written after a company's name: "Reilly
// Logistics AP", "Fenwick Hotels - Accounts Payable", "Rossi Srl
// Amministrazione".
var roleSuffix = regexp.MustCompile(`(?i)\s*[-–—,/]?\s*(?:\(?\s*(?:ap|a/p|accounts\s+payable|accounts|accounting|billing|amministrazione|contabilit[aà]|ufficio\s+amministrativo|fatture)\s*\)?)$`)

// cleanName tidies a name read from a cue or a display name: quotes and
// trailing punctuation off, spaces collapsed. It returns "" for what is not
// a name: an address, a department, a number, or something too long.
func cleanName(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.Trim(s, "\"'“”«»<> ")
	s = strings.TrimRight(s, ",;:")
	if s == "" || strings.Contains(s, "@") || utf8.RuneCountInString(s) > maxNameLen {
		return ""
	}
	if !strings.ContainsFunc(s, unicode.IsLetter) {
		return ""
	}
	if roleNames[strings.ToLower(s)] {
		return ""
	}
	if t := strings.TrimSpace(roleSuffix.ReplaceAllString(s, "")); t != s && t != "" && strings.ContainsFunc(t, unicode.IsLetter) {
		s = t
	}
	if roleNames[strings.ToLower(s)] {
		return ""
	}
	return s
}

// cueNames returns the client names the lines of text give by a cue, in order,
// without repeats.
func cueNames(text string) []string {
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		m := clientCueRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		n := cleanName(nameStop.ReplaceAllString(m[1], ""))
		if n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// sameName reports whether two names are the same once case, punctuation
// and spacing are set aside ("Gruppo Finotti" and "GRUPPO FINOTTI.").
func sameName(a, b string) bool { return nameKey(a) == nameKey(b) }

func nameKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// nameCandidates is one kind of source's readings of the client's name.
type nameCandidates struct {
	source string
	names  []string
}

// chooseClientName picks the client's name from the kinds of source, most
// authoritative first: the first kind whose readings agree decides, unless a
// later kind writes the same name in full ("Spett.le Gruppo Finotti," in the
// body, "Gruppo Finotti S.p.A." in To). Names equal to one of own (the
// business's or owner's names) are never the client's.
func chooseClientName(kinds []nameCandidates, own []string, notes *[]string) string {
	for i, k := range kinds {
		var names []string
		for _, n := range k.names {
			if n == "" || slices.ContainsFunc(own, func(o string) bool { return o != "" && sameName(o, n) }) {
				continue
			}
			if !slices.ContainsFunc(names, func(x string) bool { return sameName(x, n) }) {
				names = append(names, n)
			}
		}
		switch len(names) {
		case 0:
			continue
		case 1:
			return fuller(names[0], kinds[i+1:])
		}
		*notes = append(*notes, "client_name: "+k.source+" readings disagree: "+strings.Join(names, "; "))
	}
	return ""
}

// clientOf reads the client's name and VAT number: from the FatturaPA when
// there is one, else from the PDFs' and the body's cues, else from the To
// display name of the client's main address (clients[0]).
func clientOf(m *message.Message, clients []string, xml *fpReading, pdfNames, bodyNames []string, o Options, notes *[]string) (name, vat string) {
	own := slices.Clone(o.OwnNames)
	for _, a := range m.From {
		own = append(own, a.Name)
	}
	var kinds []nameCandidates
	if xml != nil {
		vat = xml.ClientVAT
		kinds = append(kinds, nameCandidates{"fatturapa", []string{xml.Client}})
	}
	kinds = append(kinds, nameCandidates{"pdf", pdfNames}, nameCandidates{"body", bodyNames})
	if len(clients) > 0 {
		var to []string
		for _, a := range m.To {
			if a.Email == clients[0] {
				n := cleanName(a.Name)
				if n != "" && !strings.EqualFold(n, localPart(a.Email)) {
					to = append(to, n)
				}
			}
		}
		kinds = append(kinds, nameCandidates{"to", to})
	}
	return chooseClientName(kinds, own, notes), vat
}

// fuller returns the longest name of later whose words start with all of
// name's words ("Gruppo Finotti" → "Gruppo Finotti S.p.A."), else name.
func fuller(name string, later []nameCandidates) string {
	words := nameWords(name)
	best := name
	for _, k := range later {
		for _, n := range k.names {
			nw := nameWords(n)
			if len(nw) > len(nameWords(best)) && slices.Equal(nw[:len(words)], words) {
				best = n
			}
		}
	}
	return best
}

// nameWords are a name's words, lower-case, without punctuation.
func nameWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// localPart is the part of an address before the @.
func localPart(addr string) string {
	l, _, _ := strings.Cut(addr, "@")
	return l
}
