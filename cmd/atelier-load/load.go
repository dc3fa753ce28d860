package main

// The two runs: the load run (S sessions, N participants, R notes/s for D)
// and the join storm (K participants join a session holding M notes), and
// the steps they share: setting up sessions, joining participants, the
// ticker-driven send scheduler and the wait for deliveries.

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// loader holds one run.
type loader struct {
	cfg       *config
	stderr    io.Writer
	logMu     sync.Mutex
	transport *http.Transport
	dialer    *websocket.Dialer
	fac       *http.Client // the facilitator
	origin    string       // scheme://host, sent as Origin
	start     time.Time    // the loader clock's zero

	notes       *notes
	votes       *votes // nil without -vote-every
	joinRetries atomic.Int64
	sessions    []*sessionInfo
	partsMu     sync.Mutex
	parts       []*participant // every participant created, for closeAll
}

func newLoader(cfg *config, stderr io.Writer) *loader {
	t := newTransport()
	return &loader{cfg: cfg, stderr: stderr, transport: t, dialer: newDialer(), fac: newClient(t),
		origin: cfg.base.String(), start: time.Now()}
}

// now is the loader clock in nanoseconds (monotonic): send and receive
// times of the same note are both read from it.
func (l *loader) now() int64 { return int64(time.Since(l.start)) }

// clock is t on the loader clock.
func (l *loader) clock(t time.Time) int64 { return int64(t.Sub(l.start)) }

func (l *loader) logf(format string, args ...any) {
	l.logMu.Lock()
	defer l.logMu.Unlock()
	fmt.Fprintf(l.stderr, "atelier-load: "+format+"\n", args...)
}

// newParticipant creates participant idx of session s (not yet joined).
func (l *loader) newParticipant(idx int, s *sessionInfo) *participant {
	p := &participant{l: l, idx: idx, sess: s, client: newClient(l.transport)}
	l.partsMu.Lock()
	l.parts = append(l.parts, p)
	l.partsMu.Unlock()
	return p
}

// closeAll closes every websocket and waits (briefly) for the readers.
func (l *loader) closeAll() {
	l.partsMu.Lock()
	parts := append([]*participant(nil), l.parts...)
	l.partsMu.Unlock()
	l.stopReaders(parts)
	l.transport.CloseIdleConnections()
}

// stopReaders closes the participants' websockets and waits up to 10 s for
// their readers to stop.
func (l *loader) stopReaders(parts []*participant) {
	for _, p := range parts {
		p.close()
	}
	deadline := time.After(10 * time.Second)
	for _, p := range parts {
		if p.conn == nil {
			continue
		}
		select {
		case <-p.conn.Done():
		case <-deadline:
			l.logf("some readers did not stop within 10 s")
			return
		}
	}
}

// setupSessions logs in and creates and opens count sessions over the first
// project's clusters.
func (l *loader) setupSessions(ctx context.Context, count int) error {
	if err := l.login(ctx); err != nil {
		return err
	}
	slug, clusters, err := l.project(ctx)
	if err != nil {
		return err
	}
	for i := 0; i < count; i++ {
		id, code, err := l.createSession(ctx, slug, clusters, i+1)
		if err != nil {
			return err
		}
		l.sessions = append(l.sessions, &sessionInfo{idx: i, id: id, code: code, clusters: clusters})
	}
	return nil
}

// connectAll joins the participants and connects their websockets, at most
// cfg.concurrency at a time, and waits until each one is synced.
func (l *loader) connectAll(ctx context.Context, parts []*participant) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan *participant)
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	for w := 0; w < l.cfg.concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				err := l.join(ctx, p)
				if err == nil {
					p.clusters = p.sess.clusters
					err = p.connect(ctx)
				}
				if err == nil {
					err = p.waitSynced(ctx, 30*time.Second)
				}
				if err != nil {
					once.Do(func() { firstErr = err; cancel() })
				}
			}
		}()
	}
feed:
	for _, p := range parts {
		select {
		case work <- p:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// sendNotes sends notes 0..total-1 at rate per second: a 1 ms ticker works
// out how many notes are due by now and sends them, each from its sender
// (notes.sender: round-robin over sessions and their participants).
func (l *loader) sendNotes(ctx context.Context, rate float64, total int) error {
	t := l.notes
	start := time.Now()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	var sendErrors int
	next := 0
	for next < total {
		due := int(rate*time.Since(start).Seconds()) + 1
		if due > total {
			due = total
		}
		for ; next < due; next++ {
			p := t.sender(next)
			t.sentAt[next].Store(l.now())
			t.state[next].Store(noteSent)
			t.sent.Add(1)
			if err := p.sendNote(next); err != nil {
				if t.state[next].CompareAndSwap(noteSent, noteFailed) {
					t.failed.Add(1)
				}
				if sendErrors++; sendErrors <= 5 {
					l.logf("p%d: send note %d: %v", p.idx, next, err)
				}
			}
		}
		if next >= total {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	elapsed := time.Since(start).Seconds()
	l.logf("sent %d notes in %.2f s (%.1f/s, asked %.1f/s), %d send errors", total, elapsed, float64(total)/elapsed, rate, sendErrors)
	return nil
}

// waitDeliveries waits up to grace until every sent note and vote is
// answered and every acknowledged note reached every member of its session.
func (l *loader) waitDeliveries(ctx context.Context, grace time.Duration) {
	t := l.notes
	deadline := time.Now().Add(grace)
	for {
		complete := t.sent.Load() == t.acked.Load()+t.failed.Load() && l.votes.complete()
		if complete {
			var want, got int64
			for _, s := range l.sessions {
				want += s.acked.Load() * int64(len(s.members))
				for _, p := range s.members {
					got += p.delivered.Load()
				}
			}
			complete = got >= want
		}
		if complete || time.Now().After(deadline) {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// runLoad is the load run.
func (l *loader) runLoad(ctx context.Context, stdout io.Writer) error {
	cfg := l.cfg
	if per := cfg.rate / float64(cfg.participants); per > 10 {
		l.logf("warning: %.1f notes/s per participant is above the protocol's 10/s per participant: expect rate_limited answers (re-sent)", per)
	}
	if err := l.setupSessions(ctx, cfg.sessions); err != nil {
		return err
	}
	parts := make([]*participant, cfg.participants)
	for i := range parts {
		s := l.sessions[i%cfg.sessions]
		parts[i] = l.newParticipant(i, s)
		s.members = append(s.members, parts[i])
	}
	total := cfg.totalNotes()
	l.notes = newNotes(total, cfg.sessions, int(math.Round(cfg.rate*cfg.warmup.Seconds())), l.sessions)
	if cfg.voteEvery > 0 {
		l.votes = newVotes(l.notes.runID, cfg.totalVotes())
	}

	rss := startRSS(cfg.pid) // from before the connections: the base of the memory per connection
	began := time.Now()
	if err := l.connectAll(ctx, parts); err != nil {
		rss.finish()
		return err
	}
	l.logf("%d participants joined and synced in %d sessions in %.2f s (%d joins re-sent after 429)",
		len(parts), len(l.sessions), time.Since(began).Seconds(), l.joinRetries.Load())

	var voting sync.WaitGroup
	if l.votes != nil {
		voting.Add(1)
		go func() {
			defer voting.Done()
			l.sendVotes(ctx, parts, float64(cfg.participants)/cfg.voteEvery.Seconds())
		}()
	}
	err := l.sendNotes(ctx, cfg.rate, total)
	voting.Wait()
	if err != nil {
		rss.finish()
		return err
	}
	l.waitDeliveries(ctx, cfg.grace)
	rss.finish()
	l.catchUp(ctx, parts)
	return l.finish(stdout, parts, rss)
}

// finish stops the readers, reports, and logs the dropped connections.
func (l *loader) finish(stdout io.Writer, parts []*participant, rss *rssSampler) error {
	// Anything the server closed so far was a drop; from here on, we close.
	l.stopReaders(parts)
	codes := map[int]int{}
	for _, p := range parts {
		if p.dropped() && !p.wasDropped {
			p.wasDropped, p.dropCode = true, p.conn.CloseCode()
		}
		if p.wasDropped {
			codes[p.dropCode]++
		}
	}
	if len(codes) > 0 {
		l.logf("connections closed by the server, by close code (0: no close frame): %v", codes)
	}
	r := l.collect(parts)
	r.rssMB = float64(rss.peak.Load()) / 1024
	if conns := len(parts); conns > 0 && rss.base > 0 {
		r.kbPerConn = float64(rss.peak.Load()-rss.base) / float64(conns)
	}
	return l.report(stdout, r, rss)
}
