package ledger

import "testing"

// TestCapCountPrefix counts a day's messages under every key with a
// prefix, the prefix matched literally (no LIKE wildcard in it).
func TestCapCountPrefix(t *testing.T) {
	db, _, _ := openTest(t)
	mustTx(t, db, func(tx *Tx) error {
		for id, key := range map[string]string{
			"<1@x>": "owner:a@x.example", "<2@x>": "owner:b@x.example", "<3@x>": "client:a@x.example",
			"<4@x>": "ownerXa@x.example", "<5@x>": "owner_a",
		} {
			if err := tx.CapUse(id, key, "2026-11-03"); err != nil {
				return err
			}
		}
		return tx.CapUse("<6@x>", "owner:a@x.example", "2026-11-04")
	})
	mustTx(t, db, func(tx *Tx) error {
		for prefix, want := range map[string]int{"owner:": 2, "client:": 1, "owner_": 1, "": 5} {
			n, err := tx.CapCountPrefix(prefix, "2026-11-03")
			if err != nil {
				return err
			}
			if n != want {
				t.Errorf("prefix %q: %d, want %d", prefix, n, want)
			}
		}
		return nil
	})
}
