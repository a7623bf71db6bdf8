package main

import (
	"testing"
	"time"
)

// TestJitterWithinCap: every wait of the backoff sequence, at the lowest
// and highest draw, lies in [backoff/2, backoff], so it never passes
// backoffMax (README: "1 s doubling to 5 min").
func TestJitterWithinCap(t *testing.T) {
	lowest := func(int64) int64 { return 0 }
	highest := func(n int64) int64 { return n - 1 }
	var seq []time.Duration
	for d := backoffFirst; ; d = min(d*2, backoffMax) {
		seq = append(seq, d)
		if d == backoffMax {
			break
		}
	}
	if len(seq) != 10 || seq[0] != time.Second || seq[8] != 256*time.Second {
		t.Fatalf("backoff sequence %v, want 1s doubling to 5m", seq)
	}
	tests := []struct {
		d        time.Duration
		min, max time.Duration
	}{
		{time.Second, 500 * time.Millisecond, time.Second},
		{3 * time.Nanosecond, time.Nanosecond, 3 * time.Nanosecond}, // odd: d/2 rounds down, the top is still d
		{backoffMax, 150 * time.Second, 5 * time.Minute},
	}
	for _, d := range seq {
		tests = append(tests, struct{ d, min, max time.Duration }{d, d / 2, d})
	}
	for _, tt := range tests {
		lo, hi := jitter(tt.d, lowest), jitter(tt.d, highest)
		if lo != tt.min || hi != tt.max {
			t.Errorf("jitter(%v) spans [%v, %v], want [%v, %v]", tt.d, lo, hi, tt.min, tt.max)
		}
		if hi > backoffMax {
			t.Errorf("jitter(%v) = %v, over the cap %v", tt.d, hi, backoffMax)
		}
	}
}
