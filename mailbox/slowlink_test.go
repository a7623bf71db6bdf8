package mailbox

import (
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// slowProxy forwards TCP between a client and a server. Once throttled,
// the server's bytes reach the client in chunks with a pause between
// them, as on a slow link; once a stall budget is set, it stops
// forwarding after that many more bytes, as a link that hangs.
type slowProxy struct {
	ln     net.Listener
	target string

	mu      sync.Mutex
	chunk   int           // bytes per write to the client when throttled (0: not throttled)
	pause   time.Duration // between chunks
	stallIn int64         // bytes left before the link hangs (-1: never)
	conns   []net.Conn
}

func startSlowProxy(t *testing.T, target string) *slowProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &slowProxy{ln: ln, target: target, stallIn: -1}
	t.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, c := range p.conns {
			c.Close()
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go io.Copy(s, c)
			go p.down(s, c)
		}
	}()
	return p
}

func (p *slowProxy) addr() string { return p.ln.Addr().String() }

// throttle slows the server-to-client direction from now on.
func (p *slowProxy) throttle(chunk int, pause time.Duration) {
	p.mu.Lock()
	p.chunk, p.pause = chunk, pause
	p.mu.Unlock()
}

// stallAfter makes the link hang after n more bytes towards the client.
func (p *slowProxy) stallAfter(n int64) {
	p.mu.Lock()
	p.stallIn = n
	p.mu.Unlock()
}

// down copies server to client, applying throttle and stall.
func (p *slowProxy) down(s, c net.Conn) {
	buf := make([]byte, 64<<10)
	for {
		n, err := s.Read(buf)
		data := buf[:n]
		for len(data) > 0 {
			p.mu.Lock()
			chunk, pause, stallIn := p.chunk, p.pause, p.stallIn
			p.mu.Unlock()
			k := len(data)
			if chunk > 0 {
				k = min(k, chunk)
			}
			if stallIn >= 0 {
				k = min(k, int(stallIn))
				if k == 0 {
					return // hang: forward nothing more (the connection stays open)
				}
				p.mu.Lock()
				p.stallIn -= int64(k)
				p.mu.Unlock()
			}
			if _, werr := c.Write(data[:k]); werr != nil {
				return
			}
			data = data[k:]
			if chunk > 0 {
				time.Sleep(pause)
			}
		}
		if err != nil {
			c.Close()
			return
		}
	}
}

// TestFetchSlowLink: downloading a message that takes several times the
// per-command timeout succeeds while bytes keep arriving; a link that
// stops mid-message still fails after one timeout of silence.
func TestFetchSlowLink(t *testing.T) {
	s := newMemIMAP(t, nil)
	ctx := testContext(t)
	seed := dialMem(t, s, "INBOX")
	raw := largeMessage(512 << 10)
	if err := seed.Append(ctx, "INBOX", raw, nil); err != nil {
		t.Fatal(err)
	}
	const timeout = 200 * time.Millisecond
	dial := func(t *testing.T) (*IMAP, *slowProxy) {
		p := startSlowProxy(t, s.Addr)
		cfg := s.config()
		cfg.Addr, cfg.Timeout = p.addr(), timeout
		c, err := DialIMAP(ctx, cfg, "INBOX", testLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c, p
	}

	t.Run("slow", func(t *testing.T) {
		c, p := dial(t)
		// 512 KiB in 16 KiB chunks 40 ms apart: about 1.3 s, six timeouts,
		// never silent for more than a fifth of one.
		p.throttle(16<<10, 40*time.Millisecond)
		fs, err := c.Fetch(ctx, 0, 0)
		if err != nil {
			t.Fatalf("Fetch over a slow link: %v", err)
		}
		if len(fs) != 1 || string(fs[0].Raw) != string(raw) {
			t.Fatalf("Fetch over a slow link: %d messages, want the 512 KiB message whole", len(fs))
		}
	})

	t.Run("stalled", func(t *testing.T) {
		c, p := dial(t)
		// Sizes pass; the body stops after 100 KiB.
		sizes, err := c.Fetch(ctx, 1, 0) // nothing after UID 1: a cheap round trip
		if err != nil || len(sizes) != 0 {
			t.Fatalf("Fetch after the last UID = %d, %v", len(sizes), err)
		}
		p.stallAfter(100 << 10)
		_, err = c.Fetch(ctx, 0, 0)
		if err == nil || !strings.Contains(err.Error(), "nothing received for") {
			t.Fatalf("Fetch over a stalled link = %v, want an idle timeout", err)
		}
		if errors.Is(err, ctx.Err()) && ctx.Err() != nil {
			t.Fatalf("Fetch over a stalled link ended by the test's context: %v", err)
		}
	})
}
