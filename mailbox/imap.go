package mailbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// HandledKeyword is the IMAP keyword MarkHandled sets on a message the bot
// has dealt with. Servers that do not allow keywords get \Flagged instead.
const HandledKeyword = "$Sollecito"

// IMAP is a logged-in IMAP connection with one folder selected. Its methods
// must not be called concurrently. After any error other than a context
// cancellation the connection may be closed: the caller should Close it and
// dial again.
type IMAP struct {
	cfg    ServerConfig
	folder string
	log    *slog.Logger

	client      *imapclient.Client
	conn        *countingConn // under client: counts bytes received
	uidValidity uint32
	idle        bool
	specialUse  bool
	logins      []string // the SASL mechanisms offered before login
	handledFlag imap.Flag

	newMail chan struct{} // signalled (without blocking) when EXISTS grows

	mu     sync.Mutex
	exists uint32 // messages in the selected folder, as last reported

	closeOnce sync.Once
	closeErr  error
}

// Fetched is one message read from the selected folder.
type Fetched struct {
	UID          uint32
	Raw          []byte // the whole message; its header only when Oversize
	Flags        []string
	InternalDate time.Time
	Size         int64 // RFC822.SIZE as the server reports it
	// Oversize is set for a message over MaxMessageSize: it was not
	// downloaded, and Raw holds its header only.
	Oversize bool
}

// DialIMAP connects to the server, logs in and selects folder. Each step is
// bounded by c.Timeout and by ctx. An error names the server and the step
// that failed (DNS, connect, TLS, login, select folder); it never contains
// the password. A nil log discards logging.
func DialIMAP(ctx context.Context, c ServerConfig, folder string, log *slog.Logger) (*IMAP, error) {
	if log == nil {
		log = discardLogger
	}
	if folder == "" {
		folder = "INBOX"
	}
	m := &IMAP{
		cfg:     c,
		folder:  folder,
		log:     log.With("pkg", "mailbox", "imap", c.Addr),
		newMail: make(chan struct{}, 1),
	}
	host, err := c.check()
	if err != nil {
		return nil, err
	}
	raw, err := c.dial(ctx, "IMAP")
	if err != nil {
		return nil, err
	}
	conn := &countingConn{Conn: raw}
	m.conn = conn
	opts := &imapclient.Options{
		DebugWriter: c.Trace,
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			Mailbox: func(data *imapclient.UnilateralDataMailbox) {
				if data.NumMessages != nil {
					m.setExists(*data.NumMessages)
				}
			},
			Expunge: func(uint32) {
				m.mu.Lock()
				m.exists = max(m.exists, 1) - 1
				m.mu.Unlock()
			},
		},
	}
	switch c.security() {
	case SecurityStartTLS:
		tcfg, err := c.tlsConfig(host)
		if err != nil {
			conn.Close()
			return nil, fmt.Errorf("IMAP server %s: TLS: %w", c.Addr, err)
		}
		opts.TLSConfig = tcfg
		err = m.watch(ctx, conn.Close, func() error {
			var err error
			m.client, err = imapclient.NewStartTLS(conn, opts)
			return err
		})
		if err != nil {
			conn.Close()
			return nil, fmt.Errorf("IMAP server %s: STARTTLS: %w", c.Addr, err)
		}
	default:
		m.client = imapclient.New(conn, opts)
		if err := m.watch(ctx, conn.Close, m.client.WaitGreeting); err != nil {
			m.client.Close()
			return nil, fmt.Errorf("IMAP server %s: greeting: %w", c.Addr, err)
		}
	}
	if err := m.login(ctx); err != nil {
		m.client.Close()
		return nil, fmt.Errorf("IMAP server %s: login as %q: %w", c.Addr, c.Username, err)
	}
	var sel *imap.SelectData
	if err := m.do(ctx, func() error {
		var err error
		sel, err = m.client.Select(folder, nil).Wait()
		return err
	}); err != nil {
		m.client.Close()
		return nil, fmt.Errorf("IMAP server %s: select folder %q: %w", c.Addr, folder, err)
	}
	m.uidValidity = sel.UIDValidity
	m.mu.Lock()
	m.exists = sel.NumMessages
	m.mu.Unlock()
	m.handledFlag = imap.Flag(HandledKeyword)
	if sel.PermanentFlags != nil && !slices.Contains(sel.PermanentFlags, imap.FlagWildcard) &&
		!slices.Contains(sel.PermanentFlags, m.handledFlag) {
		m.handledFlag = imap.FlagFlagged
	}
	var caps imap.CapSet
	if err := m.do(ctx, func() error {
		caps = m.client.Caps()
		if caps == nil {
			return errors.New("no capability list")
		}
		return nil
	}); err != nil {
		m.client.Close()
		return nil, fmt.Errorf("IMAP server %s: read capabilities: %w", c.Addr, err)
	}
	m.idle = caps.Has(imap.CapIdle)
	m.specialUse = caps.Has(imap.CapSpecialUse)
	m.log.Info("imap connected", "user", c.Username, "folder", folder, "uidvalidity", m.uidValidity,
		"messages", sel.NumMessages, "idle", m.idle, "handled_flag", string(m.handledFlag))
	return m, nil
}

// setExists records the message count the server reported and signals new
// mail when it grew. Some servers repeat an unchanged EXISTS (for instance
// at every IDLE): that is no news.
func (m *IMAP) setExists(n uint32) {
	m.mu.Lock()
	grew := n > m.exists
	m.exists = n
	m.mu.Unlock()
	if !grew {
		return
	}
	select {
	case m.newMail <- struct{}{}:
	default:
	}
}

// watch runs fn, calling abort if ctx is done or the configured timeout
// passes first (abort must make fn return). The error says which.
func (m *IMAP) watch(ctx context.Context, abort func() error, fn func() error) error {
	opCtx, cancel := context.WithTimeout(ctx, m.cfg.timeout())
	defer cancel()
	stop := context.AfterFunc(opCtx, func() { abort() })
	err := fn()
	if !stop() {
		// abort ran: the connection is gone.
		if ctx.Err() != nil {
			return fmt.Errorf("%w (connection closed)", ctx.Err())
		}
		return fmt.Errorf("no answer within %v (connection closed)", m.cfg.timeout())
	}
	return err
}

// do runs one IMAP command under the timeout and ctx; when either ends
// first the connection is closed.
func (m *IMAP) do(ctx context.Context, fn func() error) error {
	return m.watch(ctx, m.client.Close, fn)
}

// doStreaming runs one IMAP command that may download a lot (message
// bodies): the timeout is an idle timeout, pushed forward whenever bytes
// arrive, so a big message on a slow link comes through while a stalled
// connection is still closed after one timeout with nothing received.
func (m *IMAP) doStreaming(ctx context.Context, fn func() error) error {
	timeout := m.cfg.timeout()
	opCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	stalled := make(chan struct{})
	go func() {
		t := time.NewTicker(max(timeout/4, time.Millisecond))
		defer t.Stop()
		seen, last := m.conn.received.Load(), time.Now()
		for {
			select {
			case <-opCtx.Done():
				return
			case now := <-t.C:
				if n := m.conn.received.Load(); n != seen {
					seen, last = n, now
				} else if now.Sub(last) >= timeout {
					close(stalled)
					cancel()
					return
				}
			}
		}
	}()
	stop := context.AfterFunc(opCtx, func() { m.client.Close() })
	err := fn()
	if !stop() {
		select {
		case <-stalled:
			return fmt.Errorf("nothing received for %v (connection closed)", timeout)
		default:
			return fmt.Errorf("%w (connection closed)", ctx.Err())
		}
	}
	return err
}

// countingConn counts the bytes read from a connection, so that a long
// download can tell progress from a stall.
type countingConn struct {
	net.Conn
	received atomic.Int64
}

// Read reads from the connection and counts what it got.
func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.received.Add(int64(n))
	return n, err
}

// Close logs out (waiting at most a few seconds) and closes the
// connection. It is safe to call more than once; only the first call can
// return an error, that of the LOGOUT.
func (m *IMAP) Close() error {
	m.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), min(m.cfg.timeout(), 5*time.Second))
		defer cancel()
		if err := m.do(ctx, func() error { return m.client.Logout().Wait() }); err != nil {
			m.closeErr = fmt.Errorf("IMAP server %s: logout: %w", m.cfg.Addr, err)
		}
		m.client.Close() // after LOGOUT the server hangs up: its error says nothing
	})
	return m.closeErr
}

// UIDValidity returns the UIDVALIDITY of the selected folder. When it changes
// between connections, UIDs seen before are no longer valid.
func (m *IMAP) UIDValidity() uint32 { return m.uidValidity }

// Messages returns how many messages the selected folder holds, as the
// server last reported.
func (m *IMAP) Messages() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return int(m.exists)
}

// SupportsIdle reports whether the server has IDLE (RFC 2177 or IMAP4rev2).
func (m *IMAP) SupportsIdle() bool { return m.idle }

// SupportsSpecialUse reports whether the server marks its folders' uses,
// such as \Sent (RFC 6154).
func (m *IMAP) SupportsSpecialUse() bool { return m.specialUse }

// Logins returns the SASL mechanisms the server offered before login
// (PLAIN, OAUTHBEARER, XOAUTH2...); empty when it offered none.
func (m *IMAP) Logins() []string { return m.logins }

// FetchBytes bounds the message data one Fetch reads: messages are taken
// in UID order while their sizes (RFC822.SIZE) add up to at most this, and
// always at least one.
const FetchBytes = 64 << 20

// Fetch returns up to max messages of the selected folder whose UID is
// greater than afterUID, in ascending UID order, with their raw bytes,
// flags and internal date. Reading does not set \Seen (BODY.PEEK).
// max <= 0 means no limit. It reads sizes first, and returns only as many
// messages as fit in FetchBytes (at least one): the caller fetches again
// after the last UID. A message over MaxMessageSize is not downloaded: its
// Fetched has Oversize set and Raw holds its header only. The download of
// bodies is bounded by an idle timeout (the configured timeout with nothing
// received), not by one timeout in all, so big mail on a slow link passes.
func (m *IMAP) Fetch(ctx context.Context, afterUID uint32, max int) ([]Fetched, error) {
	if afterUID == math.MaxUint32 {
		return nil, nil
	}
	var uids []imap.UID
	err := m.do(ctx, func() error {
		set := imap.UIDSet{imap.UIDRange{Start: imap.UID(afterUID + 1), Stop: 0}} // afterUID+1:*
		data, err := m.client.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{set}}, nil).Wait()
		if err != nil {
			return err
		}
		uids = data.AllUIDs()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("IMAP server %s: search %q for UIDs after %d: %w", m.cfg.Addr, m.folder, afterUID, err)
	}
	// "n:*" also matches the last message when n is past it: filter.
	uids = slices.DeleteFunc(uids, func(u imap.UID) bool { return uint32(u) <= afterUID })
	slices.Sort(uids)
	uids = slices.Compact(uids)
	if max > 0 && len(uids) > max {
		uids = uids[:max]
	}
	if len(uids) == 0 {
		return nil, nil
	}
	// Sizes, flags and dates first: cheap, and they say what to download.
	var meta []*imapclient.FetchMessageBuffer
	err = m.do(ctx, func() error {
		var err error
		meta, err = m.client.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{
			UID: true, Flags: true, InternalDate: true, RFC822Size: true,
		}).Collect()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("IMAP server %s: fetch sizes of %d messages from %q: %w", m.cfg.Addr, len(uids), m.folder, err)
	}
	meta = slices.DeleteFunc(meta, func(b *imapclient.FetchMessageBuffer) bool { return uint32(b.UID) <= afterUID })
	slices.SortFunc(meta, func(a, b *imapclient.FetchMessageBuffer) int { return int(int64(a.UID) - int64(b.UID)) })
	out := make([]Fetched, 0, len(meta))
	var whole, heads []imap.UID
	var total int64
	for _, b := range meta {
		f := Fetched{UID: uint32(b.UID), InternalDate: b.InternalDate, Size: b.RFC822Size}
		for _, fl := range b.Flags {
			f.Flags = append(f.Flags, string(fl))
		}
		f.Oversize = b.RFC822Size > MaxMessageSize
		if !f.Oversize && len(out) > 0 && total+b.RFC822Size > FetchBytes {
			break
		}
		if f.Oversize {
			heads = append(heads, b.UID)
		} else {
			whole = append(whole, b.UID)
			total += b.RFC822Size
		}
		out = append(out, f)
	}
	raws := map[uint32][]byte{}
	for _, part := range []struct {
		uids    []imap.UID
		section *imap.FetchItemBodySection
		what    string
	}{
		{whole, &imap.FetchItemBodySection{Peek: true}, "messages"},
		{heads, &imap.FetchItemBodySection{Peek: true, Specifier: imap.PartSpecifierHeader}, "headers of oversize messages"},
	} {
		if len(part.uids) == 0 {
			continue
		}
		err = m.doStreaming(ctx, func() error {
			cmd := m.client.Fetch(imap.UIDSetNum(part.uids...), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{part.section}})
			for {
				msg := cmd.Next()
				if msg == nil {
					break
				}
				b, err := msg.Collect()
				if err != nil {
					cmd.Close()
					return err
				}
				raws[uint32(b.UID)] = b.FindBodySection(part.section)
			}
			return cmd.Close()
		})
		if err != nil {
			return nil, fmt.Errorf("IMAP server %s: fetch %d %s from %q: %w", m.cfg.Addr, len(part.uids), part.what, m.folder, err)
		}
	}
	for i := range out {
		out[i].Raw = raws[out[i].UID]
		if out[i].Oversize {
			m.log.Warn("imap message over the size limit: header only", "folder", m.folder, "uid", out[i].UID,
				"size", out[i].Size, "limit", MaxMessageSize)
		}
	}
	m.log.Debug("imap fetched", "folder", m.folder, "after_uid", afterUID, "count", len(out), "bytes", total)
	return out, nil
}

// RecentHeaders returns the headers of the last n messages of the folder
// (by sequence number: the latest to arrive), newest first, reading
// nothing else and setting no flag.
func (m *IMAP) RecentHeaders(ctx context.Context, n int) ([][]byte, error) {
	total := uint32(m.Messages())
	if total == 0 || n <= 0 {
		return nil, nil
	}
	first := uint32(1)
	if total > uint32(n) {
		first = total - uint32(n) + 1
	}
	section := &imap.FetchItemBodySection{Peek: true, Specifier: imap.PartSpecifierHeader}
	var out [][]byte
	err := m.do(ctx, func() error {
		var set imap.SeqSet
		set.AddRange(first, total)
		bufs, err := m.client.Fetch(set, &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{section}}).Collect()
		if err != nil {
			return err
		}
		slices.SortFunc(bufs, func(a, b *imapclient.FetchMessageBuffer) int { return int(int64(b.SeqNum) - int64(a.SeqNum)) })
		for _, b := range bufs {
			out = append(out, b.FindBodySection(section))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("IMAP server %s: fetch the headers of the last %d messages of %q: %w", m.cfg.Addr, n, m.folder, err)
	}
	return out, nil
}

// MarkHandled sets the HandledKeyword on the messages (or \Flagged where
// the folder does not accept keywords), in one command. It never deletes,
// moves or expunges.
func (m *IMAP) MarkHandled(ctx context.Context, uids ...uint32) error {
	if len(uids) == 0 {
		return nil
	}
	var set imap.UIDSet
	for _, u := range uids {
		set.AddNum(imap.UID(u))
	}
	store := func(flag imap.Flag) error {
		return m.do(ctx, func() error {
			return m.client.Store(set, &imap.StoreFlags{
				Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{flag},
			}, nil).Close()
		})
	}
	err := store(m.handledFlag)
	var imapErr *imap.Error
	if err != nil && m.handledFlag != imap.FlagFlagged && errors.As(err, &imapErr) {
		// A server may refuse keywords although it did not say so at SELECT.
		m.log.Info("imap keyword refused, using \\Flagged", "keyword", string(m.handledFlag), "err", err)
		m.handledFlag = imap.FlagFlagged
		err = store(m.handledFlag)
	}
	if err != nil {
		return fmt.Errorf("IMAP server %s: mark UIDs %s handled in %q: %w", m.cfg.Addr, set, m.folder, err)
	}
	return nil
}

// Append stores raw in folder with the given flags (e.g. \Seen for a Sent
// copy): AppendAll of one message.
func (m *IMAP) Append(ctx context.Context, folder string, raw []byte, flags []string) error {
	return m.AppendAll(ctx, folder, [][]byte{raw}, flags)
}

// AppendAll stores every raw message in folder with the given flags, in
// order. A folder that does not exist is created (on TRYCREATE, which the
// first message meets) and the batch stored again. On any other error some
// may be stored: the caller looks for them before storing them again.
func (m *IMAP) AppendAll(ctx context.Context, folder string, raws [][]byte, flags []string) error {
	if len(raws) == 0 {
		return nil
	}
	opts := &imap.AppendOptions{}
	for _, f := range flags {
		opts.Flags = append(opts.Flags, imap.Flag(f))
	}
	appendAll := func() error {
		return m.do(ctx, func() error {
			// One after the other: pipelining them measured no faster on
			// Dovecot (BenchmarkRealAppend), whose time is its own.
			for _, raw := range raws {
				cmd := m.client.Append(folder, int64(len(raw)), opts)
				if _, err := cmd.Write(raw); err != nil {
					cmd.Close()
					return err
				}
				if err := cmd.Close(); err != nil {
					return err
				}
				if _, err := cmd.Wait(); err != nil {
					return err
				}
			}
			return nil
		})
	}
	err := appendAll()
	var imapErr *imap.Error
	if err != nil && errors.As(err, &imapErr) && imapErr.Code == imap.ResponseCodeTryCreate {
		if cerr := m.create(ctx, folder); cerr != nil {
			return cerr
		}
		err = appendAll()
	}
	if err != nil {
		return fmt.Errorf("IMAP server %s: append %d messages to %q: %w", m.cfg.Addr, len(raws), folder, err)
	}
	return nil
}

// HasMessageID reports whether folder holds a message whose Message-ID
// header is <messageID> (given without angle brackets). It examines folder
// read-only, searches it (SEARCH HEADER Message-ID) and selects the
// connection's own folder again; new mail seen meanwhile is reported by the
// next Wait or Fetch as usual.
func (m *IMAP) HasMessageID(ctx context.Context, folder, messageID string) (bool, error) {
	messageID = strings.Trim(strings.TrimSpace(messageID), "<>")
	if messageID == "" {
		return false, fmt.Errorf("IMAP server %s: search %q: empty Message-ID", m.cfg.Addr, folder)
	}
	var found bool
	err := m.do(ctx, func() error {
		if _, err := m.client.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
			return fmt.Errorf("examine: %w", err)
		}
		data, err := m.client.UIDSearch(&imap.SearchCriteria{
			Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: "<" + messageID + ">"}},
		}, nil).Wait()
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		found = len(data.AllUIDs()) > 0
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("IMAP server %s: look for Message-ID %s in %q: %w", m.cfg.Addr, messageID, folder, err)
	}
	if err := m.reselect(ctx); err != nil {
		return false, err
	}
	return found, nil
}

// reselect selects the connection's own folder again after another was
// examined, keeping its UIDVALIDITY and message count current.
func (m *IMAP) reselect(ctx context.Context) error {
	var sel *imap.SelectData
	if err := m.do(ctx, func() error {
		var err error
		sel, err = m.client.Select(m.folder, nil).Wait()
		return err
	}); err != nil {
		return fmt.Errorf("IMAP server %s: select folder %q again: %w", m.cfg.Addr, m.folder, err)
	}
	m.uidValidity = sel.UIDValidity
	m.setExists(sel.NumMessages)
	return nil
}

func (m *IMAP) create(ctx context.Context, folder string) error {
	if err := m.do(ctx, func() error { return m.client.Create(folder, nil).Wait() }); err != nil {
		return fmt.Errorf("IMAP server %s: create folder %q: %w", m.cfg.Addr, folder, err)
	}
	m.log.Info("imap folder created", "folder", folder)
	return nil
}

// login logs in with the password, or with an OAuth2 token by the
// bearer mechanism the server offers (a refused token is refreshed once).
func (m *IMAP) login(ctx context.Context) error {
	c := m.cfg
	if err := m.do(ctx, func() error {
		caps := m.client.Caps()
		if caps == nil {
			return errors.New("no capability list")
		}
		m.logins = caps.AuthMechanisms()
		return nil
	}); err != nil {
		return fmt.Errorf("read capabilities: %w", err)
	}
	if c.Token == nil {
		return m.do(ctx, func() error { return m.client.Login(c.Username, c.Password).Wait() })
	}
	mech, err := bearerMech(m.logins)
	if err != nil {
		return err
	}
	return withToken(ctx, c.Token, func(token string) (bool, error) {
		b := newBearer(mech, c.Username, token, c.Addr)
		err := m.do(ctx, func() error { return m.client.Authenticate(b) })
		var ie *imap.Error
		if err == nil || !errors.As(err, &ie) {
			return false, err
		}
		return true, fmt.Errorf("%s refused (%s): %w", mech, b.refusal, err)
	})
}

// SentFolder returns the folder for copies of sent mail: the one the server
// marks \Sent (SPECIAL-USE), else an existing folder named "Sent" (in any
// case, at any level), else "Sent", created.
func (m *IMAP) SentFolder(ctx context.Context) (string, error) {
	name, _, err := m.FindSentFolder(ctx)
	if err != nil || name != "" {
		return name, err
	}
	if err := m.create(ctx, "Sent"); err != nil {
		return "", err
	}
	return "Sent", nil
}

// FindSentFolder returns the folder SentFolder uses, without creating one:
// its name ("" when there is none yet) and whether the server marks it
// \Sent.
func (m *IMAP) FindSentFolder(ctx context.Context) (name string, marked bool, err error) {
	var list []*imap.ListData
	err = m.do(ctx, func() error {
		// A plain LIST: SPECIAL-USE servers include the attributes in it
		// (RFC 6154), and RETURN (SPECIAL-USE) would need LIST-EXTENDED.
		var err error
		list, err = m.client.List("", "*", nil).Collect()
		return err
	})
	if err != nil {
		return "", false, fmt.Errorf("IMAP server %s: list folders: %w", m.cfg.Addr, err)
	}
	for _, l := range list {
		if slices.Contains(l.Attrs, imap.MailboxAttrSent) {
			return l.Mailbox, true, nil
		}
	}
	for _, l := range list {
		name := l.Mailbox
		if l.Delim != 0 {
			if i := strings.LastIndexByte(name, byte(l.Delim)); i >= 0 && l.Delim < 128 {
				name = name[i+1:]
			}
		}
		if strings.EqualFold(name, "Sent") && !slices.Contains(l.Attrs, imap.MailboxAttrNoSelect) {
			return l.Mailbox, false, nil
		}
	}
	return "", false, nil
}

// Wait blocks until the server reports new mail in the selected folder, max
// elapses, or ctx is done. With IDLE it listens for EXISTS; without, it just
// sleeps max (the caller polls with Fetch). It returns nil on new mail or on
// timeout, ctx.Err() when ctx is done, and an error when the connection
// fails. A wake-up may be spurious: the caller should simply Fetch.
func (m *IMAP) Wait(ctx context.Context, max time.Duration) error {
	timer := time.NewTimer(max)
	defer timer.Stop()
	if !m.idle {
		select {
		case <-timer.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	select {
	case <-m.newMail:
		return nil
	default:
	}
	var idle *imapclient.IdleCommand
	if err := m.do(ctx, func() error {
		var err error
		idle, err = m.client.Idle()
		return err
	}); err != nil {
		return fmt.Errorf("IMAP server %s: start IDLE: %w", m.cfg.Addr, err)
	}
	var closed error
	select {
	case <-m.newMail:
		m.log.Debug("imap idle: new mail")
	case <-timer.C:
	case <-ctx.Done():
	case <-m.client.Closed():
		closed = errors.New("connection closed during IDLE")
	}
	// Stop IDLE even when ctx is done, so the connection stays usable.
	stopCtx, cancel := context.WithTimeout(context.Background(), m.cfg.timeout())
	defer cancel()
	err := m.do(stopCtx, func() error {
		if err := idle.Close(); err != nil {
			return err
		}
		return idle.Wait()
	})
	switch {
	case closed != nil:
		return fmt.Errorf("IMAP server %s: %w", m.cfg.Addr, closed)
	case err != nil:
		return fmt.Errorf("IMAP server %s: stop IDLE: %w", m.cfg.Addr, err)
	}
	return ctx.Err()
}
