package reply

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// This file turns the words of a promise into a calendar date, following
// the conventions of the corpus SPEC. Every date is computed from the
// message's own calendar day ("base", 00:00 UTC of the day the Date header
// names in its own offset):
//
//   - an explicit date with a year is that date;
//   - a date without a year, or a day of the month alone, is the first
//     such date on or after the base;
//   - a weekday is the first such weekday strictly after the base;
//   - "end of the week" is the Friday of the base's week (the next Friday
//     when written on a Saturday or Sunday); "next week" the Friday of the
//     following week;
//   - "end of the month" is its last day; "next month" the last day of the
//     following month; "the 10th of next month" that day of it;
//   - "tomorrow" +1, "the day after tomorrow" +2, "within/in N days" +N.

// dateHit is a date found in a doc, at word index at.
type dateHit struct {
	at, end int
	date    time.Time
	text    string
}

var monthNames = map[string]time.Month{}

func init() {
	add := func(m time.Month, names ...string) {
		for _, n := range names {
			monthNames[n] = m
		}
	}
	add(time.January, "gennaio", "gen", "january", "jan", "enero", "ene", "janvier", "janv", "januar", "janeiro")
	add(time.February, "febbraio", "feb", "february", "febrero", "février", "fevrier", "févr", "februar", "fevereiro", "fev")
	add(time.March, "marzo", "mar", "march", "mars", "märz", "maerz", "março", "marco")
	add(time.April, "aprile", "apr", "april", "abril", "avril", "avr")
	add(time.May, "maggio", "mag", "may", "mayo", "mai", "maio")
	add(time.June, "giugno", "giu", "june", "jun", "junio", "juin", "juni", "junho")
	add(time.July, "luglio", "lug", "july", "jul", "julio", "juillet", "juil", "juli", "julho")
	add(time.August, "agosto", "ago", "august", "aug", "août", "aout")
	add(time.September, "settembre", "set", "september", "sep", "sept", "septiembre", "septembre", "setembro")
	add(time.October, "ottobre", "ott", "october", "oct", "octubre", "octobre", "oktober", "okt", "outubro", "out")
	add(time.November, "novembre", "nov", "november", "noviembre", "novembro")
	add(time.December, "dicembre", "dic", "december", "dec", "diciembre", "décembre", "decembre", "dezember", "dez", "dezembro")
}

// monthWord reports the month a word names. Short forms that are also
// common words ("mar", "set", "may", "mai") count only next to a number,
// which is where the callers look for them.
func monthWord(w string) (time.Month, bool) {
	m, ok := monthNames[strings.TrimSuffix(w, ".")]
	return m, ok
}

// monthEndWords say "the end of" before a month's name, and monthOf the
// word that may join them ("fine di febbraio", "end of March").
var (
	monthEndWords = wordSet("fine", "end", "ende", "fin", "finales", "final")
	monthOf       = wordSet("di", "del", "of", "de", "des")
	// monthEndBefore set the limit before "fine", "end": entro, by, bis …
	monthEndBefore = wordSet("entro", "a", "per", "verso", "by", "before", "until", "till", "at", "bis", "zum", "zu", "à", "avant", "pour", "para", "antes", "hasta", "al")
)

var weekdayNames = map[string]time.Weekday{
	"lunedì": time.Monday, "lunedi": time.Monday, "monday": time.Monday, "lunes": time.Monday, "lundi": time.Monday, "montag": time.Monday,
	"segunda-feira": time.Monday, "terça-feira": time.Tuesday, "terca-feira": time.Tuesday, "quarta-feira": time.Wednesday,
	"quinta-feira": time.Thursday, "sexta-feira": time.Friday, "segunda": time.Monday, "terça": time.Tuesday, "quarta": time.Wednesday,
	"quinta": time.Thursday, "sexta": time.Friday,
	"martedì": time.Tuesday, "martedi": time.Tuesday, "tuesday": time.Tuesday, "martes": time.Tuesday, "mardi": time.Tuesday, "dienstag": time.Tuesday,
	"mercoledì": time.Wednesday, "mercoledi": time.Wednesday, "wednesday": time.Wednesday, "miércoles": time.Wednesday, "miercoles": time.Wednesday, "mercredi": time.Wednesday, "mittwoch": time.Wednesday,
	"giovedì": time.Thursday, "giovedi": time.Thursday, "thursday": time.Thursday, "jueves": time.Thursday, "jeudi": time.Thursday, "donnerstag": time.Thursday,
	"venerdì": time.Friday, "venerdi": time.Friday, "friday": time.Friday, "viernes": time.Friday, "vendredi": time.Friday, "freitag": time.Friday,
	"sabato": time.Saturday, "saturday": time.Saturday, "sábado": time.Saturday, "sabado": time.Saturday, "samedi": time.Saturday, "samstag": time.Saturday,
	// the short English forms people type ("will pay Fri"); "mon", "sat"
	// and "sun" are words too and are left out
	"tue": time.Tuesday, "tues": time.Tuesday, "wed": time.Wednesday, "thu": time.Thursday, "thur": time.Thursday,
	"thurs": time.Thursday, "fri": time.Friday,
	"domenica": time.Sunday, "sunday": time.Sunday, "domingo": time.Sunday, "dimanche": time.Sunday, "sonntag": time.Sunday,
}

var numberWords = map[string]int{
	"uno": 1, "un": 1, "una": 1, "one": 1, "a": 1, "due": 2, "two": 2, "dos": 2, "deux": 2, "zwei": 2,
	"tre": 3, "three": 3, "tres": 3, "trois": 3, "drei": 3, "quattro": 4, "four": 4, "cinque": 5, "five": 5,
	"sei": 6, "six": 6, "sette": 7, "seven": 7, "otto": 8, "eight": 8, "dieci": 10, "ten": 10,
	"quindici": 15, "fifteen": 15, "venti": 20, "twenty": 20, "trenta": 30, "thirty": 30,
}

// relative lists the expressions whose date follows from the base alone.
var relative = []struct {
	phrase string
	date   func(base time.Time) time.Time
}{
	{"dopodomani|übermorgen|après-demain", func(b time.Time) time.Time { return b.AddDate(0, 0, 2) }},
	{"the day after tomorrow", func(b time.Time) time.Time { return b.AddDate(0, 0, 2) }},
	{"pasado mañana", func(b time.Time) time.Time { return b.AddDate(0, 0, 2) }},
	{"depois de amanhã", func(b time.Time) time.Time { return b.AddDate(0, 0, 2) }},
	{"domani|domattina|tomorrow|mañana|demain|amanhã|amanha", func(b time.Time) time.Time { return b.AddDate(0, 0, 1) }},
	{"oggi|today|stasera|tonight|hoy|aujourd|heute|hoje", func(b time.Time) time.Time { return b }},
	// "the end of next week" is next week's Friday, as "next week" is.
	{"fine|end|fin|finales|ende|fim ... prossima|next|próxima|proxima|prochaine|nächsten ... settimana|week|semaine|semana|woche", nextWeekFriday},
	{"fine|end|fin|finales|ende|fim ... settimana|week|semaine|semana|woche", endOfWeek},
	{"weekend|wochenende", endOfWeek},
	// "entro la settimana", "this week": by this week's Friday; "entro la
	// settimana prossima" holds both phrases and means next week.
	{"entro la|questa settimana prossima|entrante", nextWeekFriday},
	{"entro la|questa settimana", endOfWeek},
	{"this|questa|cette|esta|diese week|settimana|semaine|semana|woche", endOfWeek},
	{"prossima|next|próxima|proxima|nächste|nächsten settimana|week|semana|woche", nextWeekFriday},
	{"settimana|semaine|semana prossima|prochaine|que", nextWeekFriday},
	{"fine|end|fin|finales|ende|fim ... mese|month|mois|mes|mês|monats ... prossimo|next|prochain|próximo|que|nächsten", nextMonthEnd},
	{"fine|end|fin|finales|ende|fim ... mese|month|mois|mes|mês|monats", endOfMonth},
	{"monatsende", endOfMonth},
	{"eom", endOfMonth}, // "by EOM": end of month
	{"prossimo|next|próximo|proximo|nächsten mese|month|mes|monat", nextMonthEnd},
	{"mese|mois|mes prossimo|prochain|que", nextMonthEnd},
	{"entrante", nextMonthEnd},
}

var relativeLex = func() *lexicon {
	ps := make([]string, len(relative))
	for i, r := range relative {
		ps[i] = r.phrase
	}
	return newLexicon(ps...)
}()

func relativeRule(p *phrase) func(time.Time) time.Time {
	for _, r := range relative {
		if r.phrase == p.text {
			return r.date
		}
	}
	return nil
}

func endOfWeek(b time.Time) time.Time {
	switch b.Weekday() {
	case time.Saturday:
		return b.AddDate(0, 0, 6)
	case time.Sunday:
		return b.AddDate(0, 0, 5)
	}
	return b.AddDate(0, 0, int(time.Friday-b.Weekday()))
}

func nextWeekFriday(b time.Time) time.Time {
	sinceMonday := (int(b.Weekday()) + 6) % 7
	return b.AddDate(0, 0, 7-sinceMonday+4)
}

func endOfMonth(b time.Time) time.Time {
	return time.Date(b.Year(), b.Month()+1, 0, 0, 0, 0, 0, time.UTC)
}

func nextMonthEnd(b time.Time) time.Time {
	return time.Date(b.Year(), b.Month()+2, 0, 0, 0, 0, 0, time.UTC)
}

func nextWeekday(b time.Time, wd time.Weekday) time.Time {
	n := (int(wd) - int(b.Weekday()) + 7) % 7
	if n == 0 {
		n = 7
	}
	return b.AddDate(0, 0, n)
}

// validDate returns the date if y-m-d exists.
func validDate(y int, m time.Month, d int) (time.Time, bool) {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return t, t.Day() == d && t.Month() == m && y > 1900
}

// dayOnOrAfter is the first day d of a month on or after b.
func dayOnOrAfter(b time.Time, d int) (time.Time, bool) {
	for k := 0; k < 13; k++ {
		first := time.Date(b.Year(), b.Month()+time.Month(k), 1, 0, 0, 0, 0, time.UTC)
		if t, ok := validDate(first.Year(), first.Month(), d); ok && !t.Before(b) {
			return t, true
		}
	}
	return time.Time{}, false
}

// dayMonthOnOrAfter is the first d month on or after b.
func dayMonthOnOrAfter(b time.Time, d int, m time.Month) (time.Time, bool) {
	for y := b.Year(); y <= b.Year()+4; y++ {
		if t, ok := validDate(y, m, d); ok && !t.Before(b) {
			return t, true
		}
	}
	return time.Time{}, false
}

// dayNumber reads "15", "15th", "1st", "15º" as a day of the month.
func dayNumber(w string) (int, bool) {
	w = strings.TrimRightFunc(w, func(r rune) bool { return unicode.IsLetter(r) && r < 'z'+1 || r == 'º' || r == '°' })
	if w == "" || len(w) > 2 {
		return 0, false
	}
	n, err := strconv.Atoi(w)
	if err != nil || n < 1 || n > 31 {
		return 0, false
	}
	return n, true
}

func isOrdinal(w string) bool {
	return strings.HasSuffix(w, "st") || strings.HasSuffix(w, "nd") || strings.HasSuffix(w, "rd") || strings.HasSuffix(w, "th") || strings.HasSuffix(w, "º")
}

// dayIntroducers are the words that say a bare number is a day of the month.
var dayIntroducers = wordSet("il", "the", "on", "el", "le", "al", "entro", "by", "dal", "from", "am", "bis", "del", "before", "prima", "until", "fino",
	"l", "dia", "até", "ate") // "l'8", "l'11" (the Italian article elided); Portuguese "dia 15", "até 15"

// notADay are the words that, after a number, say it is not a day.
var notADay = wordSet("giorni", "giorno", "days", "day", "días", "jours", "tage", "euro", "eur", "dollars", "pounds",
	"percento", "percent", "per", "ore", "hours", "settimane", "weeks", "mesi", "months", "rate", "anni", "years", "minuti", "minutes")

// findDates lists the dates written in words [from, to) of d, relative to base.
// usOrder reads numeric dates month first when unambiguous either way.
func findDates(d *doc, from, to int, base time.Time, usOrder bool) []dateHit {
	var hits []dateHit
	ws := d.words
	get := func(i int) string {
		if i >= from && i < to && i < len(ws) && ws[i].sentence == ws[from].sentence {
			return ws[i].w
		}
		return ""
	}
	for i := from; i < to; i++ {
		w := ws[i].w
		add := func(end int, t time.Time) {
			hits = append(hits, dateHit{at: i, end: end, date: t, text: d.text(match{start: i, end: end})})
		}
		// "entro fine febbraio", "by the end of March", "Ende Februar": the
		// last day of that month, this one or the next such.
		// Only after a word that sets the limit ("entro fine febbraio",
		// "by the end of March"): "i pagamenti di fine gennaio" names
		// other payments, not a day.
		prev := get(i - 1)
		if prev == "the" || prev == "la" || prev == "der" {
			prev = get(i - 2)
		}
		if monthEndWords[w] && monthEndBefore[prev] {
			j := i + 1
			if monthOf[get(j)] {
				j++
			}
			if m, ok := monthWord(get(j)); ok && len(get(j)) > 3 {
				y := base.Year()
				if m < base.Month() {
					y++
				}
				if yy, err := strconv.Atoi(get(j + 1)); err == nil && yy > 1900 && yy < 2200 {
					y = yy
				}
				add(j+1, time.Date(y, m+1, 0, 0, 0, 0, 0, base.Location()))
				i = j
				continue
			}
		}
		// Numeric dates: 15/12/2026, 15/12, 11/20/2026, 15.12.2026.
		if t, ok := numericDate(w, base, usOrder); ok {
			add(i+1, t)
			continue
		}
		// "15 dicembre 2026", "15th of December", "7 gennaio".
		if n, ok := dayNumber(w); ok {
			j := i + 1
			if get(j) == "of" || get(j) == "de" {
				j++
			}
			if m, ok := monthWord(get(j)); ok {
				if y, err := strconv.Atoi(get(j + 1)); err == nil && y > 1900 && y < 2200 {
					if t, ok := validDate(y, m, n); ok {
						add(j+2, t)
						i = j + 1
						continue
					}
				}
				if t, ok := dayMonthOnOrAfter(base, n, m); ok {
					add(j+1, t)
					i = j
					continue
				}
			}
		}
		// "December 15, 2026", "Dec 15th".
		if m, ok := monthWord(w); ok {
			if n, ok := dayNumber(get(i + 1)); ok {
				if y, err := strconv.Atoi(get(i + 2)); err == nil && y > 1900 && y < 2200 {
					if t, ok := validDate(y, m, n); ok {
						add(i+3, t)
						i += 2
						continue
					}
				}
				if t, ok := dayMonthOnOrAfter(base, n, m); ok {
					add(i+2, t)
					i++
					continue
				}
			}
		}
		// "il 15", "on the 28th", "the 10th of next month".
		_, afterWeekday := weekdayNames[get(i-1)]                 // "venerdì 4", "lunedì 14"
		dayOf := get(i-1) == "giorno" && dayIntroducers[get(i-2)] // "il giorno 27"
		if n, ok := dayNumber(w); ok && ((dayIntroducers[get(i-1)] || afterWeekday || dayOf) && i > from || isOrdinal(w)) && !notADay[get(i+1)] {
			j := i + 1
			if get(j) == "of" || get(j) == "del" || get(j) == "de" || get(j) == "du" {
				j++
			}
			next := relativeLex.find(&doc{words: ws[j:min(to, len(ws))]})
			if len(next) > 0 && next[0].start == 0 {
				if r := relativeRule(next[0].phrase); r != nil && isNextMonth(r) {
					b := base
					if t, ok := validDate(b.Year(), b.Month()+1, n); ok {
						add(j+next[0].end, t)
						i = j + next[0].end - 1
						continue
					}
				}
			}
			if t, ok := dayOnOrAfter(base, n); ok {
				add(i+1, t)
				continue
			}
		}
		// "entro 10 giorni", "within 14 days", "in two weeks".
		if t, end, ok := inDays(get, i, base); ok {
			add(end, t)
			i = end - 1
			continue
		}
		if wd, ok := weekdayNames[w]; ok {
			if (pastBefore[get(i-1)] && i > from) || pastAfter[get(i+1)] {
				continue // "depuis lundi", "la burrata di martedì", "lunedì scorso": a day gone by
			}
			_, day := dayNumber(get(i + 1))
			_, numeric := numericDate(get(i+1), base, usOrder)
			_, month := monthWord(get(i + 1))
			if day || numeric || month {
				continue // "mercoledì 14 aprile", "Friday, December 12": the date after it names the day
			}
			add(i+1, nextWeekday(base, wd))
			continue
		}
	}
	// Relative expressions ("fine mese", "next week", "tomorrow").
	sub := &doc{words: ws[from:to]}
	for _, m := range relativeLex.find(sub) {
		covered := false
		for _, h := range hits {
			if from+m.start >= h.at && from+m.start < h.end {
				covered = true
			}
		}
		for _, h := range hits {
			// "the day after tomorrow" also holds "tomorrow".
			if h.at <= from+m.start && from+m.start < h.end {
				covered = true
			}
		}
		if covered {
			continue
		}
		if r := relativeRule(m.phrase); r != nil {
			hits = append(hits, dateHit{at: from + m.start, end: from + m.end, date: r(base), text: sub.text(m)})
		}
	}
	return dedupeInner(hits)
}

// dedupeInner drops a hit that lies inside a longer one ("tomorrow" in
// "the day after tomorrow", "mese" in "fine del mese prossimo").
func dedupeInner(hits []dateHit) []dateHit {
	out := hits[:0:0]
	for i, h := range hits {
		inner := false
		for j, o := range hits {
			if i != j && o.at <= h.at && h.end <= o.end && (o.end-o.at) > (h.end-h.at) {
				inner = true
			}
		}
		if !inner {
			out = append(out, h)
		}
	}
	return out
}

func isNextMonth(r func(time.Time) time.Time) bool {
	b := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	return r(b).Equal(nextMonthEnd(b))
}

// numericDate reads d/m/y, d/m, d.m.y and d-m-y; month/day when usOrder
// or when the first number cannot be a day's month.
func numericDate(w string, base time.Time, usOrder bool) (time.Time, bool) {
	sep := ""
	for _, s := range []string{"/", ".", "-"} {
		if strings.Contains(w, s) {
			sep = s
			break
		}
	}
	if sep == "" {
		return time.Time{}, false
	}
	// "15.01." is how German (and hurried Italian) writes a day without
	// its year: the closing dot marks it as a date.
	germanNoYear := sep == "." && strings.HasSuffix(w, ".") && strings.Count(w, ".") == 2
	parts := strings.Split(strings.TrimSuffix(w, "."), sep)
	if len(parts) < 2 || len(parts) > 3 || (len(parts) == 2 && sep != "/" && !germanNoYear) {
		return time.Time{}, false
	}
	if len(parts) == 3 && len(parts[0]) == 4 && sep == "-" {
		// ISO 8601: 2026-12-15
		y, err1 := strconv.Atoi(parts[0])
		mo, err2 := strconv.Atoi(parts[1])
		dd, err3 := strconv.Atoi(parts[2])
		if err1 != nil || err2 != nil || err3 != nil || mo < 1 || mo > 12 {
			return time.Time{}, false
		}
		return validDate(y, time.Month(mo), dd)
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || len(p) > 4 {
			return time.Time{}, false
		}
		nums[i] = n
	}
	a, b := nums[0], nums[1]
	day, month := a, b
	if (usOrder && a <= 12 && b > 12) || (a <= 12 && b > 12) {
		day, month = b, a
	}
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, false
	}
	if len(nums) == 3 {
		y := nums[2]
		if len(parts[2]) == 2 {
			y += 2000
		}
		return validDate(y, time.Month(month), day)
	}
	return dayMonthOnOrAfter(base, day, time.Month(month))
}

// pastBefore and pastAfter, next to a weekday, make it a day gone by or
// one that names a thing ("since Monday", "Tuesday's delivery"), never a
// day to pay on.
var (
	pastBefore = wordSet("depuis", "seit", "since", "desde", "last", "letzten", "vergangenen", "dernier")
	pastAfter  = wordSet("scorso", "scorsa", "passato", "passata", "dernier", "passé", "pasado", "passado", "letzten")
)

var withinWords = wordSet("entro", "tra", "fra", "within", "in", "en", "dans", "innerhalb", "binnen", "next", "prossimi")

// inDays reads "entro 10 giorni", "within 14 days", "in two weeks",
// "entro 5 giorni lavorativi".
func inDays(get func(int) string, i int, base time.Time) (time.Time, int, bool) {
	if !withinWords[get(i)] {
		return time.Time{}, 0, false
	}
	j := i + 1
	if get(j) == "the" || get(j) == "i" || get(j) == "de" || get(j) == "von" {
		j++
	}
	n, err := strconv.Atoi(get(j))
	if err != nil {
		var ok bool
		if n, ok = numberWords[get(j)]; !ok {
			return time.Time{}, 0, false
		}
	}
	if n <= 0 || n > 366 {
		return time.Time{}, 0, false
	}
	unit := get(j + 1)
	switch {
	case strings.HasPrefix(unit, "giorn") || strings.HasPrefix(unit, "day") || strings.HasPrefix(unit, "día") || strings.HasPrefix(unit, "dia") || strings.HasPrefix(unit, "jour") || strings.HasPrefix(unit, "tag"):
		q := get(j + 2)
		if strings.HasPrefix(q, "lavorativ") || q == "working" || q == "business" || q == "hábiles" || q == "ouvrés" || q == "ouvrables" {
			return addBusinessDays(base, n), j + 3, true
		}
		return base.AddDate(0, 0, n), j + 2, true
	case (unit == "working" || unit == "business") && strings.HasPrefix(get(j+2), "day"):
		return addBusinessDays(base, n), j + 3, true
	case strings.HasPrefix(unit, "settiman") || strings.HasPrefix(unit, "week") || strings.HasPrefix(unit, "semana") || strings.HasPrefix(unit, "semaine") || strings.HasPrefix(unit, "woche"):
		return base.AddDate(0, 0, 7*n), j + 2, true
	}
	return time.Time{}, 0, false
}

func addBusinessDays(b time.Time, n int) time.Time {
	for n > 0 {
		b = b.AddDate(0, 0, 1)
		if b.Weekday() != time.Saturday && b.Weekday() != time.Sunday {
			n--
		}
	}
	return b
}
