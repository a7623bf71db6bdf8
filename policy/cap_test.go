package policy

import "testing"

func TestCap(t *testing.T) {
	tests := []struct {
		name string
		s    CapState
		want CapAction
		why  WhyCode
	}{
		{"client within the cap", CapState{Template: Stage1, Sent: 0, Limit: 1}, CapSend, ""},
		{"client over the cap moves", CapState{Template: Stage1, Address: "a@b.it", Sent: 1, Limit: 1}, CapMove, WhyCapMoved},
		{"client over the cap, the same waiting: dropped", CapState{Template: Stage1, Sent: 1, Limit: 1, Queued: true}, CapDrop, WhyCapQueued},
		{"a limit below one counts as one", CapState{Template: Stage1, Sent: 1, Limit: 0}, CapMove, WhyCapMoved},
		{"owner within both caps", CapState{Template: ForwardDispute, ToOwner: true, Sent: 0, Limit: 1, OwnerSent: 3, OwnerLimit: 10}, CapSend, ""},
		{"owner: one sender's cause over its cap", CapState{Template: ForwardDispute, ToOwner: true, Address: "x@y.it", Sent: 1, Limit: 1, OwnerSent: 3, OwnerLimit: 10}, CapHold, WhyCapOwnerSender},
		{"owner: the day's bound reached", CapState{Template: ForwardDispute, ToOwner: true, Sent: 0, Limit: 1, OwnerSent: 10, OwnerLimit: 10}, CapHold, WhyCapOwnerDay},
	}
	for _, tt := range tests {
		got, why := Cap(tt.s)
		if got != tt.want || why.Code != tt.why {
			t.Errorf("%s: got %v %q, want %v %q", tt.name, got, why.Code, tt.want, tt.why)
		}
	}
	if _, why := Cap(CapState{Template: Stage1, Address: "a@b.it", Sent: 2, Limit: 2}); why.Count != 2 || why.Address != "a@b.it" {
		t.Errorf("moved: why %+v, want the limit and the client", why)
	}
}

func TestNoticeRoute(t *testing.T) {
	for _, c := range []struct {
		hasPEC, toPEC, anyway bool
		route                 string
		refuse                bool
	}{
		{false, false, false, RouteMail, false},
		{false, true, false, RouteMail, false},
		{true, true, false, RoutePEC, false},
		{true, false, false, "", true},
		{true, false, true, RoutePECToOrdinary, false},
	} {
		route, refuse := NoticeRoute(c.hasPEC, c.toPEC, c.anyway)
		if route != c.route || refuse != c.refuse {
			t.Errorf("NoticeRoute(%v, %v, %v) = %q, %v; want %q, %v", c.hasPEC, c.toPEC, c.anyway, route, refuse, c.route, c.refuse)
		}
	}
}
