package mailbox

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// AuthResults is one Authentication-Results header field (RFC 8601): the
// receiving server's verdict on the authenticity of a message.
type AuthResults struct {
	// ServID is the authserv-id: who wrote the field, lower-case.
	ServID string
	// Results are the method results in order; empty for "none".
	Results []AuthResult
}

// AuthResult is one method's result: "dkim=pass header.d=example.com".
type AuthResult struct {
	Method string // lower-case, without a method version: "dkim", "spf", "dmarc", "auth"…
	Result string // lower-case: "pass", "fail", "none", "softfail"…
	Reason string // the reason= value, as written
	// Props maps "ptype.property" (lower-case) to its value, as written:
	// "smtp.mailfrom" → "owner@example.com", "header.d" → "example.com".
	Props map[string]string
}

// maxAuthResults bounds how many results one field may hold, and how long
// a field may be: a real one is a few hundred bytes.
const (
	maxAuthResults     = 64
	maxAuthResultsSize = 16 << 10
)

// ErrAuthResults is wrapped by every error of ParseAuthResults.
var ErrAuthResults = errors.New("mailbox: bad Authentication-Results")

// ParseAuthResults reads the value of one Authentication-Results field.
// Comments are dropped, quoted strings unquoted, keywords lower-cased. An
// unreadable field is an error: a caller must then trust nothing in it.
func ParseAuthResults(value string) (AuthResults, error) {
	var ar AuthResults
	if len(value) > maxAuthResultsSize {
		return ar, fmt.Errorf("%w: %d bytes", ErrAuthResults, len(value))
	}
	toks, err := authTokens(value)
	if err != nil {
		return ar, err
	}
	// authserv-id [version] ; resinfo ; resinfo …
	var segs [][]string
	cur := []string{}
	for _, t := range toks {
		if t == semi {
			segs = append(segs, cur)
			cur = []string{}
			continue
		}
		cur = append(cur, t)
	}
	segs = append(segs, cur)
	head := segs[0]
	if len(head) == 0 || isAuthSpecial(head[0]) {
		return ar, fmt.Errorf("%w: no authserv-id", ErrAuthResults)
	}
	ar.ServID = strings.ToLower(head[0])
	if len(head) > 2 || len(head) == 2 && !isDigits(head[1]) {
		return ar, fmt.Errorf("%w: %q after the authserv-id", ErrAuthResults, strings.Join(head[1:], " "))
	}
	rest := segs[1:]
	if len(rest) == 1 && len(rest[0]) == 1 && strings.EqualFold(rest[0][0], "none") {
		return ar, nil
	}
	if len(rest) > maxAuthResults {
		return ar, fmt.Errorf("%w: %d results", ErrAuthResults, len(rest))
	}
	for _, seg := range rest {
		if len(seg) == 0 {
			continue // a trailing ";"
		}
		r, err := authResult(seg)
		if err != nil {
			return ar, err
		}
		ar.Results = append(ar.Results, r)
	}
	return ar, nil
}

// authResult reads "method[/version] = result [reason = v] [ptype.prop = v]…".
func authResult(seg []string) (AuthResult, error) {
	var r AuthResult
	i := 0
	next := func() (string, bool) {
		if i >= len(seg) {
			return "", false
		}
		i++
		return seg[i-1], true
	}
	method, _ := next()
	if isAuthSpecial(method) {
		return r, fmt.Errorf("%w: method expected, got %q", ErrAuthResults, method)
	}
	if i < len(seg) && seg[i] == slash {
		i++
		if v, ok := next(); !ok || !isDigits(v) {
			return r, fmt.Errorf("%w: bad version of method %q", ErrAuthResults, method)
		}
	}
	if e, _ := next(); e != equals {
		return r, fmt.Errorf("%w: %q without a result", ErrAuthResults, method)
	}
	result, ok := next()
	if !ok || isAuthSpecial(result) {
		return r, fmt.Errorf("%w: %q without a result", ErrAuthResults, method)
	}
	r.Method, r.Result = strings.ToLower(method), strings.ToLower(result)
	for i < len(seg) {
		key, _ := next()
		if isAuthSpecial(key) {
			return r, fmt.Errorf("%w: unexpected %q in %s result", ErrAuthResults, key, r.Method)
		}
		key = strings.ToLower(key)
		if !strings.Contains(key, ".") && i < len(seg) && strings.HasPrefix(seg[i], ".") {
			// "smtp . mailfrom" or "smtp .mailfrom": white space around the dot.
			dot, _ := next()
			if dot == "." {
				prop, ok := next()
				if !ok || isAuthSpecial(prop) {
					return r, fmt.Errorf("%w: bad property %q in %s result", ErrAuthResults, key, r.Method)
				}
				dot += prop
			}
			key += strings.ToLower(dot)
		}
		if e, _ := next(); e != equals {
			return r, fmt.Errorf("%w: %q without a value in %s result", ErrAuthResults, key, r.Method)
		}
		val, ok := next()
		if !ok || val == semi || val == equals {
			return r, fmt.Errorf("%w: %q without a value in %s result", ErrAuthResults, key, r.Method)
		}
		if key == "reason" {
			r.Reason = val
			continue
		}
		if p, q, _ := strings.Cut(key, "."); p == "" || q == "" {
			return r, fmt.Errorf("%w: %q is not ptype.property in %s result", ErrAuthResults, key, r.Method)
		}
		if r.Props == nil {
			r.Props = map[string]string{}
		}
		if _, dup := r.Props[key]; !dup {
			r.Props[key] = val
		}
	}
	return r, nil
}

// authTokens splits a field value into words, quoted strings (unquoted) and
// the specials ; = / — dropping comments and folding white space. Dots stay
// inside words ("smtp.mailfrom", "example.com"): authResult splits keys.
// The word right after an "=" is a value (RFC 8601 pvalue: a token, a
// quoted string, or an address whose local part may hold "=" and "/", as
// in "prvs=0123456789=user@example.com" or a DKIM "header.b=ab/c+="): in
// it "=" and "/" are ordinary characters.
func authTokens(s string) ([]string, error) {
	var toks []string
	var b strings.Builder
	value := false // the word being read follows an "="
	flush := func() {
		if b.Len() > 0 {
			toks = append(toks, b.String())
			b.Reset()
			value = false
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '(':
			flush()
			depth := 1
			for i++; i < len(s) && depth > 0; i++ {
				switch s[i] {
				case '\\':
					i++
				case '(':
					depth++
				case ')':
					depth--
				}
			}
			if depth > 0 {
				return nil, fmt.Errorf("%w: unclosed comment", ErrAuthResults)
			}
			i--
		case c == '"':
			inValue := value && b.Len() == 0
			flush()
			var q strings.Builder
			closed := false
			for i++; i < len(s); i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
					q.WriteByte(s[i])
					continue
				}
				if s[i] == '"' {
					closed = true
					break
				}
				q.WriteByte(s[i])
			}
			if !closed {
				return nil, fmt.Errorf("%w: unclosed quoted string", ErrAuthResults)
			}
			if inValue && i+1 < len(s) && s[i+1] == '@' {
				// a value may go on after a quoted local part: "a b"@example.com
				b.WriteString(strings.ReplaceAll(q.String(), "\x00", ""))
				value = true
				continue
			}
			toks = append(toks, strings.ReplaceAll(q.String(), "\x00", ""))
			value = false
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			flush()
		case (c == '=' || c == '/') && value && b.Len() > 0:
			b.WriteByte(c)
		case c == ';' || c == '=' || c == '/':
			flush()
			toks = append(toks, "\x00"+string(c))
			value = c == '='
		case c == 0:
		default:
			b.WriteByte(c)
		}
	}
	flush()
	return toks, nil
}

// The specials as authTokens returns them: a NUL (never in a word) and the character.
const (
	semi   = "\x00;"
	equals = "\x00="
	slash  = "\x00/"
)

func isAuthSpecial(t string) bool { return t == "" || t == "." || t[0] == 0 }

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// HeaderFields returns the header fields of a raw message in the order they
// appear, unfolded, with canonical keys. Only the header block is read, at
// most its first 256 KiB.
func HeaderFields(raw []byte) [][2]string {
	const maxHeader = 256 << 10
	if len(raw) > maxHeader {
		raw = raw[:maxHeader]
	}
	var out [][2]string
	for len(raw) > 0 {
		line := raw
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i], raw[i+1:]
		} else {
			raw = nil
		}
		l := strings.TrimRight(string(line), "\r")
		if l == "" {
			break
		}
		if (l[0] == ' ' || l[0] == '\t') && len(out) > 0 {
			out[len(out)-1][1] += " " + strings.TrimSpace(l)
			continue
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok || strings.TrimSpace(k) != k || k == "" {
			continue
		}
		out = append(out, [2]string{canonicalKey(k), strings.TrimSpace(v)})
	}
	return out
}

// ErrNoAuthResults is returned by TrustedAuthResults when the receiving
// server wrote no Authentication-Results where only it can write.
var ErrNoAuthResults = errors.New("mailbox: no Authentication-Results from the receiving server")

// TrustedAuthResults returns the one Authentication-Results field that the
// receiving server servID wrote on raw: the topmost field carrying servID.
// Servers prepend their fields, so anything carrying that name further down
// came with the message and may be forged; a field above it that cannot be
// parsed may be the server's own, and is an error, never skipped.
//
// The field must also stand where only the receiving server writes: above
// its own trace field (the topmost Received whose "by" names servID), or in
// the block it writes directly under that field, before the next Received
// (Gmail's layout). When no Received names servID, it must stand above the
// first Received that records a hop from another host. A field below those
// came with the message: ErrNoAuthResults.
func TrustedAuthResults(raw []byte, servID string) (AuthResults, error) {
	servID = strings.ToLower(strings.TrimSpace(servID))
	if servID == "" {
		return AuthResults{}, fmt.Errorf("%w: no authserv-id", ErrNoAuthResults)
	}
	fields := HeaderFields(raw)
	// end is the index of the first field that the receiving server did
	// not write: after the block under its own trace field, or at the
	// first hop from another host.
	end := len(fields)
	own := false
	for i, f := range fields {
		if f[0] != "Received" {
			continue
		}
		if own {
			end = i // the block under the server's own trace field ends
			break
		}
		by, from := receivedHop(f[1])
		if by == servID {
			own = true
			continue
		}
		// A hop from another host ends what the server wrote, unless the
		// server's own trace field comes next: a delivery agent (LMTP)
		// writes its own above it.
		if from && !nextReceivedBy(fields[i+1:], servID) {
			end = i
			break
		}
	}
	for i, f := range fields {
		if f[0] != "Authentication-Results" {
			continue
		}
		if i >= end {
			break
		}
		ar, err := ParseAuthResults(f[1])
		if err != nil {
			return AuthResults{}, fmt.Errorf("an Authentication-Results field above the server's own cannot be read: %w", err)
		}
		if ar.ServID == servID {
			return ar, nil
		}
	}
	return AuthResults{}, fmt.Errorf("%w (%s)", ErrNoAuthResults, servID)
}

// nextReceivedBy reports whether the first Received field in fields names
// servID as its "by" host.
func nextReceivedBy(fields [][2]string, servID string) bool {
	for _, f := range fields {
		if f[0] == "Received" {
			by, _ := receivedHop(f[1])
			return by == servID
		}
	}
	return false
}

// receivedHop reads a Received field's value: the host after "by" (lower
// case, outside comments) and whether it records a hop from another host
// (a "from" clause).
func receivedHop(v string) (by string, from bool) {
	depth := 0
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
		}
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '(':
			flush()
			depth++
		case c == ')':
			if depth > 0 {
				depth--
			}
		case depth > 0:
		case c == ' ' || c == '\t' || c == ';':
			flush()
			if c == ';' {
				i = len(v) // the date follows
			}
		default:
			b.WriteByte(c)
		}
	}
	flush()
	for i, w := range words {
		switch strings.ToLower(w) {
		case "from":
			from = true
		case "by":
			if by == "" && i+1 < len(words) {
				by = strings.ToLower(strings.TrimSuffix(words[i+1], "."))
			}
		}
	}
	return by, from
}

// SenderVerified reports whether the receiving server servID vouches that
// the message comes from addr's domain: in its own Authentication-Results
// field (see TrustedAuthResults), a dkim=pass whose header.d is that domain,
// an spf=pass whose smtp.mailfrom is in that domain, or a dmarc=pass whose
// header.from is that domain. why says what was found, for the ledger.
func SenderVerified(raw []byte, servID, addr string) (ok bool, why string) {
	_, domain, found := strings.Cut(strings.ToLower(strings.TrimSpace(addr)), "@")
	if !found || domain == "" {
		return false, fmt.Sprintf("%q has no domain", addr)
	}
	if strings.TrimSpace(servID) == "" {
		return false, "no authserv-id configured"
	}
	ar, err := TrustedAuthResults(raw, servID)
	if err != nil {
		return false, err.Error()
	}
	var seen []string
	for _, r := range ar.Results {
		switch r.Method {
		case "dkim":
			d := strings.ToLower(strings.TrimSuffix(r.Props["header.d"], "."))
			if r.Result == "pass" && d == domain {
				return true, fmt.Sprintf("%s: dkim=pass header.d=%s", servID, d)
			}
			seen = append(seen, fmt.Sprintf("dkim=%s header.d=%s", r.Result, orDash(d)))
		case "spf":
			mf := strings.ToLower(r.Props["smtp.mailfrom"])
			if i := strings.LastIndexByte(mf, '@'); i >= 0 {
				mf = mf[i+1:]
			}
			mf = strings.TrimSuffix(mf, ".")
			if r.Result == "pass" && mf == domain {
				return true, fmt.Sprintf("%s: spf=pass smtp.mailfrom=%s", servID, r.Props["smtp.mailfrom"])
			}
			seen = append(seen, fmt.Sprintf("spf=%s smtp.mailfrom=%s", r.Result, orDash(r.Props["smtp.mailfrom"])))
		case "dmarc":
			d := strings.ToLower(strings.TrimSuffix(r.Props["header.from"], "."))
			if r.Result == "pass" && d == domain {
				return true, fmt.Sprintf("%s: dmarc=pass header.from=%s", servID, d)
			}
			seen = append(seen, fmt.Sprintf("dmarc=%s header.from=%s", r.Result, orDash(d)))
		}
	}
	if len(seen) == 0 {
		return false, fmt.Sprintf("%s reports neither DKIM, SPF nor DMARC", servID)
	}
	return false, fmt.Sprintf("%s reports %s, no pass for %s", servID, strings.Join(seen, ", "), domain)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// publicProviders are mail providers whose users are strangers to each
// other: sharing one of their domains proves nothing.
var publicProviders = map[string]bool{
	"gmail.com": true, "googlemail.com": true, "outlook.com": true, "outlook.it": true, "hotmail.com": true, "hotmail.it": true,
	"live.com": true, "live.it": true, "msn.com": true, "yahoo.com": true, "yahoo.it": true, "icloud.com": true, "me.com": true,
	"libero.it": true, "virgilio.it": true, "alice.it": true, "tin.it": true, "tim.it": true, "tiscali.it": true, "fastwebnet.it": true,
	"email.it": true, "aruba.it": true, "pec.it": true, "legalmail.it": true, "gmx.com": true, "gmx.net": true, "proton.me": true,
	"protonmail.com": true, "aol.com": true, "mail.com": true, "inwind.it": true, "katamail.com": true,
}

// PublicProvider reports whether addr is on the domain of a public mail
// provider (gmail.com, libero.it, pec.it…), whose users are strangers to
// each other. SenderVerified proves only the domain of a sender: for such
// an address it proves only that the mail came from some user of the
// provider.
func PublicProvider(addr string) bool {
	_, d, _ := strings.Cut(strings.ToLower(strings.TrimSpace(addr)), "@")
	return publicProviders[d]
}

// pecDomains are the domains of the Italian certified-mail (PEC) providers
// whose names do not say "pec".
var pecDomains = map[string]bool{"legalmail.it": true, "postecert.it": true, "sicurezzapostale.it": true, "cert.legalmail.it": true,
	"arubapec.it": true, "pecimprese.it": true, "gigapec.it": true, "mypec.eu": true, "casellapec.com": true, "postacertificata.gov.it": true}

// LooksPEC reports whether addr looks like a certified-mail (PEC) mailbox:
// a provider's domain, or a domain with a "pec" or "cert" label
// ("x@pec.it", "x@pec.studio.it", "x@studio.pec.it", "x@cert.ordine.it").
// It is a guess from the name: only a PEC delivery receipt proves it.
func LooksPEC(addr string) bool {
	_, d, ok := strings.Cut(strings.ToLower(strings.TrimSpace(addr)), "@")
	if !ok {
		return false
	}
	if pecDomains[d] {
		return true
	}
	for _, label := range strings.Split(d, ".") {
		if label == "pec" || label == "cert" || label == "postacert" || strings.HasPrefix(label, "pec") && len(label) <= 8 {
			return true
		}
	}
	return false
}
