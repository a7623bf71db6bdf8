package ledger

import (
	"context"
	"errors"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sollecito/sollecito/policy"
)

// corpusDir is the labelled mail shared by the project, relative to this package.
const corpusDir = "../../../shared/corpus"

// corpusHeaders returns the Message-ID, From, To and Subject of every corpus
// message, to seed fuzz targets; nil (and a log line) when the corpus is absent.
func corpusHeaders(t testing.TB) [][4]string {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*", "*.eml"))
	if len(files) == 0 {
		t.Logf("corpus not found at %s: fuzz seeds from the corpus skipped", corpusDir)
		return nil
	}
	var out [][4]string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := mail.ReadMessage(strings.NewReader(string(raw)))
		if err != nil {
			continue // a malformed seed is still a seed elsewhere; here we need headers
		}
		h := m.Header
		out = append(out, [4]string{h.Get("Message-Id"), h.Get("From"), h.Get("To") + ", " + h.Get("Cc"), h.Get("Subject")})
	}
	return out
}

var errRollback = errors.New("rollback")

// FuzzRecordMessage: whatever a received mail's headers hold, recording it
// never fails, reads back as stored (text byte for byte, addresses
// normalized), and recording it again is recognised as a duplicate.
func FuzzRecordMessage(f *testing.F) {
	for _, h := range corpusHeaders(f) {
		f.Add(h[0], h[1], h[2], h[3], "note")
	}
	f.Add("", "", "", "", "")
	f.Add("<a@b>", "A@B", "x@y,,\r\nZ@Y", "Oggetto: €", "nul\x00byte")
	f.Add(" <> ", "\xff\xfe", "\n", "\xc3\x28", "'); DROP TABLE messages; --")

	db, _, _ := openTest(f)
	f.Fuzz(func(t *testing.T, mid, from, to, subject, note string) {
		err := db.Tx(context.Background(), func(tx *Tx) error {
			inv, err := tx.CreateInvoice(policy.Invoice{Number: "F1", State: policy.Open}, Source{MessageID: "fuzz-invoice@x"})
			if err != nil {
				return err
			}
			m := Message{Direction: In, MessageID: mid, Hash: hashRaw([]byte(mid + from + to + subject + note)), InvoiceID: inv,
				From: from, To: to, Subject: subject, Kind: "other", Folder: "INBOX", Note: note, UID: 1, UIDValidity: 1}
			id, fresh, err := tx.RecordMessage(m)
			if err != nil {
				t.Fatalf("RecordMessage: %v", err)
			}
			if !fresh {
				t.Fatalf("first record not fresh")
			}
			got, err := tx.Messages(inv)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].ID != id {
				t.Fatalf("Messages: %+v, want the one recorded", got)
			}
			g := got[0]
			if g.MessageID != normalizeID(mid) || g.From != normalizeAddr(from) || g.To != strings.Join(splitAddrs(to), ", ") ||
				g.Subject != subject || g.Note != note {
				t.Errorf("round trip:\n got %q %q %q %q %q\nwant %q %q %q %q %q", g.MessageID, g.From, g.To, g.Subject, g.Note,
					normalizeID(mid), normalizeAddr(from), strings.Join(splitAddrs(to), ", "), subject, note)
			}
			again, fresh, err := tx.RecordMessage(m)
			if normalizeID(m.MessageID) == "" && m.Hash == "" {
				// Nothing to recognise it by: recorded again, by design.
				if err != nil || !fresh || again == id {
					t.Errorf("second record without id or hash: (%d, %v, %v), want a new row", again, fresh, err)
				}
			} else if err != nil || fresh || again != id {
				t.Errorf("second record: (%d, %v, %v), want (%d, false, nil)", again, fresh, err, id)
			}
			for _, a := range splitAddrs(to) {
				if strings.ContainsAny(a, ",\r\n") || a == "" {
					t.Errorf("splitAddrs(%q) gave %q", to, a)
				}
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatal(err)
		}
	})
}
