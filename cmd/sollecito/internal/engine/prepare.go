package engine

import (
	"runtime"

	"github.com/sollecito/sollecito/mailbox"
	"github.com/sollecito/sollecito/reply"
	"github.com/sollecito/sollecito/reply/invoice"
)

// prepared is what the pure readers made of a fetched message ahead of
// its serial, transactional handling: the parse and, for mail that is
// neither the bot's nor an owner's nor bulk, the reading. Reading is
// deterministic, so a prepared reading is the one the handling would make;
// a reader that panicked leaves nothing, and the handling reads again
// where a panic is caught and recorded as today.
type prepared struct {
	done chan struct{}
	m    *mailbox.Message
	perr error
	v    *reply.Verdict
	f    []invoice.Fields // an owner's invoice mail the bot is copied on: the invoices it holds
	// noticed says notice holds reply.Notice's reading (isNotice its ok);
	// unread is the verdict on a mail left unread (reply.Unread).
	noticed, isNotice bool
	notice            reply.Verdict
	unread            *reply.Verdict
	// tokens are the words with a digit of its subject and body, which
	// matching looks up in the number index (tokensOf); nil: not read.
	tokens []string
}

// prepare starts reading the batch's messages on the other cores while
// the caller handles them in order: next(i) waits for message i (taken in
// order, each once) and hands it over; stop ends the reading ahead, and
// must be called. At most 2×GOMAXPROCS messages are held read ahead of the
// caller, so a batch of large mail never sits in memory parsed all at
// once. With one core, pre is nil and nothing is read ahead.
func (e *Engine) prepare(batch []mailbox.Fetched, skip func(mailbox.Fetched) bool) (pre []*prepared, next func(i int) *prepared, stop func()) {
	workers := runtime.GOMAXPROCS(0)
	if workers < 2 || len(batch) < 2 {
		return nil, nil, func() {}
	}
	pre = make([]*prepared, len(batch))
	jobs := make(chan int, len(batch))
	for i := range batch {
		pre[i] = &prepared{done: make(chan struct{})}
		jobs <- i
	}
	close(jobs)
	slots := make(chan struct{}, 2*workers)
	quit := make(chan struct{})
	own := e.cfg.Own()
	for range workers {
		go func() {
			for {
				// The slot is taken before the job: the message the caller
				// waits for is then always taken by a worker holding one.
				select {
				case slots <- struct{}{}:
				case <-quit:
					return
				}
				i, ok := <-jobs
				if !ok {
					<-slots
					return
				}
				e.prepareOne(pre[i], batch[i], skip, own)
			}
		}()
	}
	next = func(i int) *prepared {
		p := pre[i]
		<-p.done
		pre[i] = nil // the handling holds it now; its memory goes with it
		<-slots
		return p
	}
	return pre, next, func() { close(quit) }
}

func (e *Engine) prepareOne(p *prepared, f mailbox.Fetched, skip func(mailbox.Fetched) bool, own []string) {
	defer close(p.done)
	defer func() {
		if recover() != nil {
			p.m, p.perr, p.v = nil, nil, nil
		}
	}()
	if f.Oversize || skip(f) {
		return
	}
	m, perr := mailbox.Parse(f.Raw)
	if m == nil {
		return
	}
	p.m, p.perr = m, perr
	sender := m.Sender()
	if e.cfg.IsOwner(sender) && e.copiedToBot(m) && !e.addressedToBot(m) {
		p.f = e.extractNow(m) // the invoices it likely holds (intake)
		return
	}
	if sender == e.cfg.Bot.Address || e.cfg.IsOwner(sender) {
		return
	}
	p.tokens = tokensOf(m.Subject + "\n" + m.Body())
	if reply.Bulk(m) != "" {
		return
	}
	p.notice, p.isNotice = reply.Notice(m)
	p.noticed = true
	if !p.isNotice && len(m.InReplyTo) == 0 && len(m.References) == 0 {
		// A stranger's mail that names no invoice is not read (clientMail).
		// Whether it is one the handling decides in its transaction; ahead
		// of it, without the ledger, a mail that answers no thread is read
		// only there, and only if it concerns an invoice.
		u := reply.Unread(m, unreadWhy)
		p.unread = &u
		return
	}
	v := reply.Classify(m, reply.Context{Own: own})
	p.v = &v
}

// unreadWhy is why a mail is left unread (reply.Unread).
const unreadWhy = "an unknown sender, and no invoice named"

// aheadOf returns what was prepared ahead of m, nil when nothing was.
func (e *Engine) aheadOf(m *mailbox.Message) *prepared {
	if e.ahead != nil && e.ahead.m == m {
		return e.ahead
	}
	return nil
}

// notice is reply.Notice of a client's mail, taken from the reading
// prepared ahead when there is one.
func (e *Engine) notice(m *mailbox.Message) (reply.Verdict, bool) {
	if p := e.aheadOf(m); p != nil && p.noticed {
		return p.notice, p.isNotice
	}
	return reply.Notice(m)
}

// tokens is tokensOf(text), the subject and body of m, taken from the
// reading prepared ahead when there is one.
func (e *Engine) tokens(m *mailbox.Message, text string) []string {
	if p := e.aheadOf(m); p != nil && p.tokens != nil {
		return p.tokens
	}
	return tokensOf(text)
}

// unread is reply.Unread of a mail left unread, taken from the one
// prepared ahead when there is one.
func (e *Engine) unread(m *mailbox.Message) reply.Verdict {
	if p := e.aheadOf(m); p != nil && p.unread != nil {
		return *p.unread
	}
	return reply.Unread(m, unreadWhy)
}

// classify is reply.Classify of a client's mail, taken from the reading
// prepared ahead when there is one.
func (e *Engine) classify(m *mailbox.Message) reply.Verdict {
	if p := e.aheadOf(m); p != nil && p.v != nil {
		return *p.v
	}
	return reply.Classify(m, reply.Context{Own: e.cfg.Own()})
}

// extract is what an owner's invoice mail says (invoice.ExtractAll: one
// invoice, or each of several it carries), taken from the reading
// prepared ahead when there is one.
func (e *Engine) extract(m *mailbox.Message) []invoice.Fields {
	if p := e.aheadOf(m); p != nil && p.f != nil {
		return p.f
	}
	return e.extractNow(m)
}

func (e *Engine) extractNow(m *mailbox.Message) []invoice.Fields {
	return invoice.ExtractAll(m, invoice.Options{Own: e.cfg.Own(), OwnNames: []string{e.cfg.Business.Name, e.cfg.Owner.Name}})
}
