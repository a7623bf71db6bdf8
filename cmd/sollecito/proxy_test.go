package main

import (
	"bytes"
	"net"
	"sync"
	"testing"
	"time"
)

// faultProxy is a TCP proxy between the binary under test and a mail
// server. It watches the plaintext byte stream (the tests use security
// "none" on loopback) and, when an armed trigger matches, runs its action —
// SIGKILL the child, or cut the connections — at an exact protocol point,
// with no hook in the production code.
type faultProxy struct {
	t      *testing.T
	ln     net.Listener
	target string

	mu      sync.Mutex
	trig    *trigger
	conns   map[net.Conn]bool
	accepts []time.Time // when each client connection came in
}

// direction of a byte stream through the proxy.
const (
	toServer = iota
	toClient
)

// trigger fires once, when its pattern passes in its direction on a
// connection on which prior (if set) already passed towards the server.
type trigger struct {
	name    string
	dir     int
	pattern []byte
	prior   []byte
	after   bool // forward the matching chunk first, then fire
	cont    bool // keep the connection going after the action (else it is closed)
	partial bool // forward the matching chunk only up to the end of the pattern, then fire (implies !cont)
	action  func()
	fired   chan struct{}
}

func newTrigger(name string, dir int, pattern, prior string, after bool, action func()) *trigger {
	tr := &trigger{name: name, dir: dir, pattern: []byte(pattern), after: after, action: action, fired: make(chan struct{})}
	if prior != "" {
		tr.prior = []byte(prior)
	}
	return tr
}

func startProxy(t *testing.T, target string) *faultProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{t: t, ln: ln, target: target, conns: map[net.Conn]bool{}}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go p.serve()
	return p
}

func (p *faultProxy) addr() string { return p.ln.Addr().String() }

// arm sets the trigger for the next connections (nil disarms).
func (p *faultProxy) arm(tr *trigger) {
	p.mu.Lock()
	p.trig = tr
	p.mu.Unlock()
}

// cut closes every open connection on both sides, as a network failure or
// a server restart would.
func (p *faultProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

// acceptsSince returns the times of client connections after t.
func (p *faultProxy) acceptsSince(t time.Time) []time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []time.Time
	for _, a := range p.accepts {
		if a.After(t) {
			out = append(out, a)
		}
	}
	return out
}

func (p *faultProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns[c], p.conns[s] = true, true
		p.accepts = append(p.accepts, time.Now())
		p.mu.Unlock()
		st := &connState{}
		go p.pipe(c, s, toServer, st)
		go p.pipe(s, c, toClient, st)
	}
}

// connState is what one connection's two pipes share.
type connState struct {
	mu        sync.Mutex
	priorSeen map[*trigger]bool
}

func (p *faultProxy) pipe(from, to net.Conn, dir int, st *connState) {
	defer from.Close()
	defer to.Close()
	var tail []byte // the end of what passed before, for patterns cut across reads
	buf := make([]byte, 32<<10)
	for {
		n, err := from.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			window := append(append([]byte{}, tail...), chunk...)
			p.mu.Lock()
			tr := p.trig
			p.mu.Unlock()
			fire := false
			if tr != nil {
				st.mu.Lock()
				if tr.prior != nil && dir == toServer && bytes.Contains(window, tr.prior) {
					if st.priorSeen == nil {
						st.priorSeen = map[*trigger]bool{}
					}
					st.priorSeen[tr] = true
				}
				if tr.dir == dir && bytes.Contains(window, tr.pattern) && (tr.prior == nil || st.priorSeen[tr]) {
					fire = p.take(tr)
				}
				st.mu.Unlock()
			}
			if fire && tr.partial {
				// Forward up to the end of the pattern: the peer is left in the
				// middle of a response.
				end := bytes.Index(window, tr.pattern) + len(tr.pattern) - len(tail)
				to.Write(chunk[:max(0, min(end, len(chunk)))])
				tr.action()
				close(tr.fired)
				return
			}
			if fire && !tr.after {
				tr.action()
				close(tr.fired)
				if !tr.cont {
					return
				}
			}
			if _, werr := to.Write(chunk); werr != nil {
				return
			}
			if fire && tr.after {
				tr.action()
				close(tr.fired)
				if !tr.cont {
					return
				}
			}
			if len(window) > 64 {
				window = window[len(window)-64:]
			}
			tail = window
		}
		if err != nil {
			return // EOF or a cut: the deferred closes end the other pipe too
		}
	}
}

// take disarms tr if it is still the armed trigger; true when this caller
// fires it.
func (p *faultProxy) take(tr *trigger) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.trig != tr {
		return false
	}
	p.trig = nil
	return true
}
