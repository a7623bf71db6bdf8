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
func authTokens(s string) ([]string, error) {
	var toks []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			toks = append(toks, b.String())
			b.Reset()
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
			toks = append(toks, strings.ReplaceAll(q.String(), "\x00", ""))
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			flush()
		case c == ';' || c == '=' || c == '/':
			flush()
			toks = append(toks, "\x00"+string(c))
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

// TrustedAuthResults returns the Authentication-Results fields that the
// receiving server servID wrote: the topmost field carrying servID and those
// carrying it directly below it. A server prepends its own fields at the
// top, so anything carrying its name further down came with the message
// and may be forged: it is ignored. (A well-behaved server also deletes
// such fields on arrival, RFC 8601 section 5; this is the fallback.) A
// field that cannot be parsed ends the run.
func TrustedAuthResults(raw []byte, servID string) []AuthResults {
	servID = strings.ToLower(strings.TrimSpace(servID))
	if servID == "" {
		return nil
	}
	var out []AuthResults
	started := false
	for _, f := range HeaderFields(raw) {
		if f[0] != "Authentication-Results" {
			if started {
				break
			}
			continue
		}
		ar, err := ParseAuthResults(f[1])
		if err != nil || ar.ServID != servID {
			if started {
				break
			}
			continue
		}
		started = true
		out = append(out, ar)
	}
	return out
}

// SenderVerified reports whether the receiving server servID vouches that
// the message comes from addr's domain: among its own Authentication-Results
// (see TrustedAuthResults), a dkim=pass whose header.d is that domain, or an
// spf=pass whose smtp.mailfrom is in that domain. why says what was found,
// for the ledger.
func SenderVerified(raw []byte, servID, addr string) (ok bool, why string) {
	_, domain, found := strings.Cut(strings.ToLower(strings.TrimSpace(addr)), "@")
	if !found || domain == "" {
		return false, fmt.Sprintf("%q has no domain", addr)
	}
	if strings.TrimSpace(servID) == "" {
		return false, "no authserv-id configured"
	}
	ars := TrustedAuthResults(raw, servID)
	if len(ars) == 0 {
		return false, fmt.Sprintf("no Authentication-Results from %s", servID)
	}
	var seen []string
	for _, ar := range ars {
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
			}
		}
	}
	if len(seen) == 0 {
		return false, fmt.Sprintf("%s reports neither DKIM nor SPF", servID)
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
