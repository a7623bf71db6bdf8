package mailbox

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseAuthResults(t *testing.T) {
	tests := []struct {
		in   string
		want AuthResults
		err  bool
	}{
		{in: "mx.example.com; none", want: AuthResults{ServID: "mx.example.com"}},
		{in: "MX.Example.COM 1; spf=pass smtp.mailfrom=owner@studio.it", want: AuthResults{ServID: "mx.example.com",
			Results: []AuthResult{{Method: "spf", Result: "pass", Props: map[string]string{"smtp.mailfrom": "owner@studio.it"}}}}},
		{in: "mx.google.com;\r\n       dkim=pass header.i=@studio.it header.s=s1 header.b=abc;\r\n       spf=pass (google.com: domain of owner@studio.it designates 1.2.3.4 as permitted sender) smtp.mailfrom=owner@studio.it;\r\n       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=studio.it",
			want: AuthResults{ServID: "mx.google.com", Results: []AuthResult{
				{Method: "dkim", Result: "pass", Props: map[string]string{"header.i": "@studio.it", "header.s": "s1", "header.b": "abc"}},
				{Method: "spf", Result: "pass", Props: map[string]string{"smtp.mailfrom": "owner@studio.it"}},
				{Method: "dmarc", Result: "pass", Props: map[string]string{"header.from": "studio.it"}},
			}}},
		{in: `example.org; dkim/1 = fail reason="bad; sig" header . d = studio.it (comment (nested)) ;`, want: AuthResults{ServID: "example.org",
			Results: []AuthResult{{Method: "dkim", Result: "fail", Reason: "bad; sig", Props: map[string]string{"header.d": "studio.it"}}}}},
		{in: "mx; spf=pass smtp.helo=smtp.example.com", want: AuthResults{ServID: "mx",
			Results: []AuthResult{{Method: "spf", Result: "pass", Props: map[string]string{"smtp.helo": "smtp.example.com"}}}}},
		{in: "mx.studio.it; spf=fail smtp.mailfrom=prvs=0123456789=attacker@evil.test", want: AuthResults{ServID: "mx.studio.it",
			Results: []AuthResult{{Method: "spf", Result: "fail", Props: map[string]string{"smtp.mailfrom": "prvs=0123456789=attacker@evil.test"}}}}},
		{in: `mx; spf=pass smtp.mailfrom="a;spf=pass"@evil.test; dkim=pass header.b=ab/c+d=`, want: AuthResults{ServID: "mx",
			Results: []AuthResult{{Method: "spf", Result: "pass", Props: map[string]string{"smtp.mailfrom": "a;spf=pass@evil.test"}},
				{Method: "dkim", Result: "pass", Props: map[string]string{"header.b": "ab/c+d="}}}}},
		{in: "", err: true},
		{in: "; spf=pass", err: true},
		{in: "mx; spf", err: true},
		{in: "mx; spf=", err: true},
		{in: "mx; spf=pass mailfrom=x", err: true},
		{in: "mx; spf=pass (unclosed", err: true},
		{in: `mx; spf=pass reason="unclosed`, err: true},
		{in: "mx extra words; spf=pass", err: true},
	}
	for _, tt := range tests {
		got, err := ParseAuthResults(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("ParseAuthResults(%q) error %v, want error %v", tt.in, err, tt.err)
			continue
		}
		if !tt.err && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseAuthResults(%q)\n got %+v\nwant %+v", tt.in, got, tt.want)
		}
	}
}

func TestSenderVerified(t *testing.T) {
	const id = "mx.studio.it"
	msg := func(headers ...string) []byte {
		return []byte(strings.Join(headers, "\r\n") + "\r\nFrom: owner@studio.it\r\nSubject: pagata\r\n\r\nAuthentication-Results: mx.studio.it; spf=pass smtp.mailfrom=owner@studio.it\r\n")
	}
	tests := []struct {
		name string
		raw  []byte
		addr string
		want bool
	}{
		{"spf pass", msg("Authentication-Results: mx.studio.it; spf=pass smtp.mailfrom=owner@studio.it"), "owner@studio.it", true},
		{"spf pass, bare domain", msg("Authentication-Results: mx.studio.it; spf=pass smtp.mailfrom=studio.it"), "owner@studio.it", true},
		{"dkim pass", msg("Authentication-Results: MX.STUDIO.IT;\r\n\tdkim=pass header.d=Studio.IT; spf=softfail smtp.mailfrom=x@y.z"), "owner@studio.it", true},
		// only the topmost field of the server counts: the one below could have come with the message
		{"second field of the server, directly below", msg("Authentication-Results: mx.studio.it; spf=none smtp.mailfrom=owner@studio.it",
			"Authentication-Results: mx.studio.it; dkim=pass header.d=studio.it"), "owner@studio.it", false},
		{"dmarc pass", msg("Authentication-Results: mx.studio.it; dmarc=pass (p=reject) header.from=studio.it"), "owner@studio.it", true},
		{"dkim pass, header.b with / and =", msg("Authentication-Results: mx.studio.it; dkim=pass header.d=studio.it header.b=Xh/9k+Q="), "owner@studio.it", true},
		// the trial's attack: the server's own field names a BATV envelope sender (a value holding "="),
		// and a forged pass came with the message below the server's trace field
		{"BATV sender, forged pass below", msg("Authentication-Results: mx.studio.it; spf=fail smtp.mailfrom=prvs=0123456789=attacker@evil.test",
			"Received: from evil.test by mx.studio.it with esmtp", "Authentication-Results: mx.studio.it; spf=pass smtp.mailfrom=owner@studio.it"), "owner@studio.it", false},
		{"unreadable field on top, forged pass below", msg("Authentication-Results: mx.studio.it; spf=fail smtp.mailfrom=a@b (unclosed",
			"Authentication-Results: mx.studio.it; spf=pass smtp.mailfrom=owner@studio.it"), "owner@studio.it", false},
		{"unreadable field of another server on top", msg("Authentication-Results: other; spf pass",
			"Authentication-Results: mx.studio.it; spf=pass smtp.mailfrom=owner@studio.it"), "owner@studio.it", false},
		{"only field below the server's trace field and another hop", msg("Received: from evil.test by mx.studio.it with esmtp",
			"Received: from x by evil.test", "Authentication-Results: mx.studio.it; spf=pass smtp.mailfrom=owner@studio.it"), "owner@studio.it", false},
		{"only field below a hop from outside", msg("Received: from evil.test (evil.test [1.2.3.4]) by mx2 with esmtp",
			"Authentication-Results: mx.studio.it; spf=pass smtp.mailfrom=owner@studio.it"), "owner@studio.it", false},
		{"Gmail layout: under the server's trace field", msg("Received: by 2002:a05:6358:1234 with SMTP id x;", "X-Received: by 2002:a17:90a with SMTP id y;",
			"Return-Path: <owner@studio.it>", "Received: from mail.studio.it (mail.studio.it. [1.2.3.4]) by mx.studio.it with ESMTPS id z; Tue, 1 Dec 2026 10:00:00 +0100",
			"Received-SPF: pass", "Authentication-Results: mx.studio.it; spf=pass smtp.mailfrom=owner@studio.it", "Received: from pc by mail.studio.it"), "owner@studio.it", true},
		{"LMTP layout: a delivery agent's trace field above the server's verdict", msg("Return-Path: <owner@studio.it>",
			"Received: from mx.studio.it by imap.studio.it (Dovecot) with LMTP id q; Tue, 1 Dec 2026 10:00:00 +0100",
			"Authentication-Results: mx.studio.it; spf=pass smtp.mailfrom=owner@studio.it",
			"Received: from pc (helo x) by mx.studio.it with esmtpa (Exim 4.96)"), "owner@studio.it", true},
		{"spf pass for another domain", msg("Authentication-Results: mx.studio.it; spf=pass smtp.mailfrom=evil@attacker.test"), "owner@studio.it", false},
		{"dkim pass for another domain", msg("Authentication-Results: mx.studio.it; dkim=pass header.d=attacker.test"), "owner@studio.it", false},
		{"spf fail", msg("Authentication-Results: mx.studio.it; spf=fail smtp.mailfrom=owner@studio.it"), "owner@studio.it", false},
		{"another server's pass", msg("Authentication-Results: mx.attacker.test; spf=pass smtp.mailfrom=owner@studio.it"), "owner@studio.it", false},
		{"forged pass further down", msg("Authentication-Results: mx.studio.it; spf=fail smtp.mailfrom=owner@studio.it",
			"Received: from attacker by mx",
			"Authentication-Results: mx.studio.it; spf=pass smtp.mailfrom=owner@studio.it"), "owner@studio.it", false},
		{"no field at all (the one in the body does not count)", msg("Received: from x"), "owner@studio.it", false},
		{"unparsable server field", msg("Authentication-Results: mx.studio.it; spf=pass (smtp.mailfrom=owner@studio.it"), "owner@studio.it", false},
		{"no domain", msg("Authentication-Results: mx.studio.it; spf=pass smtp.mailfrom=owner@studio.it"), "owner", false},
	}
	for _, tt := range tests {
		got, why := SenderVerified(tt.raw, id, tt.addr)
		if got != tt.want {
			t.Errorf("%s: SenderVerified = %v (%s), want %v", tt.name, got, why, tt.want)
		}
		if why == "" {
			t.Errorf("%s: no reason given", tt.name)
		}
	}
	if ok, _ := SenderVerified(msg("Authentication-Results: mx.studio.it; spf=pass smtp.mailfrom=owner@studio.it"), "", "owner@studio.it"); ok {
		t.Error("verified without an authserv-id")
	}
}

// FuzzAuthResults checks that any Authentication-Results value parses or
// fails without panicking, that keywords come out lower-case, and that a
// message whose only pass is in a field of another server is never verified.
//
//	go test ./mailbox -run '^$' -fuzz FuzzAuthResults -fuzztime 60s
func FuzzAuthResults(f *testing.F) {
	for _, s := range []string{
		"mx.example.com; none",
		"mx.google.com; dkim=pass header.i=@studio.it header.s=s1 header.b=abc; spf=pass (google.com: domain of x) smtp.mailfrom=owner@studio.it; dmarc=pass (p=NONE) header.from=studio.it",
		`example.org 1; dkim/1 = fail reason="bad; sig" header . d = studio.it (comment (nested)) ;`,
		"mx; auth=pass smtp.auth=owner@studio.it",
		"mx; spf=pass (unclosed",
		"mx.studio.it; spf=fail smtp.mailfrom=prvs=0123456789=attacker@evil.test",
		`mx; spf=pass smtp.mailfrom="a;spf=pass"@evil.test; dkim=pass header.b=ab/c+d=`,
		`mx; reason="\"`,
	} {
		f.Add(s)
	}
	// Seed with the Authentication-Results fields of the corpus, when present.
	dir := filepath.Join("..", "..", "shared", "corpus")
	for _, sub := range []string{"replies", "invoices"} {
		files, _ := filepath.Glob(filepath.Join(dir, sub, "*.eml"))
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				continue
			}
			for _, fl := range HeaderFields(b) {
				if fl[0] == "Authentication-Results" {
					f.Add(fl[1])
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, v string) {
		ar, err := ParseAuthResults(v)
		if err != nil {
			return
		}
		if ar.ServID == "" || ar.ServID != strings.ToLower(ar.ServID) {
			t.Fatalf("authserv-id %q", ar.ServID)
		}
		for _, r := range ar.Results {
			if r.Method == "" || r.Result == "" || r.Method != strings.ToLower(r.Method) || r.Result != strings.ToLower(r.Result) {
				t.Fatalf("result %+v", r)
			}
			for k := range r.Props {
				if p, q, ok := strings.Cut(k, "."); !ok || p == "" || q == "" || k != strings.ToLower(k) {
					t.Fatalf("property key %q", k)
				}
			}
		}
		raw := []byte("Authentication-Results: " + strings.NewReplacer("\r", " ", "\n", " ").Replace(v) + "\r\nFrom: a@studio.it\r\n\r\n")
		if ok, _ := SenderVerified(raw, "other.server.invalid", "a@studio.it"); ok && ar.ServID != "other.server.invalid" {
			t.Fatalf("verified through a field of %q", ar.ServID)
		}
	})
}

func TestLooksPEC(t *testing.T) {
	for addr, want := range map[string]bool{
		"rossi@pec.it": true, "amministrazione@pec.rossi.it": true, "ufficio@rossi.pec.it": true, "studio@legalmail.it": true,
		"x@cert.ordine-ingegneri.it": true, "a@postecert.it": true, "c@pecimprese.it": true,
		"amministrazione@rossi.it": false, "ap@client.test": false, "specchio@speck.it": false, "x@gmail.com": false, "nope": false,
	} {
		if got := LooksPEC(addr); got != want {
			t.Errorf("LooksPEC(%q) = %v, want %v", addr, got, want)
		}
	}
}
