package message

import "testing"

// TestHashFollowsRaw: Hash is worked out once, and again when Raw is
// replaced.
func TestHashFollowsRaw(t *testing.T) {
	m := &Message{Raw: []byte("a")}
	first := m.Hash()
	if m.Hash() != first {
		t.Fatal("Hash changed without Raw changing")
	}
	m.Raw = []byte("b")
	if m.Hash() == first {
		t.Error("Hash kept the old Raw's value")
	}
	if (&Message{Raw: []byte("a")}).Hash() != first {
		t.Error("the same bytes hash differently")
	}
}
