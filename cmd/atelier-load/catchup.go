package main

// Late is not lost. After the grace period, a participant that is still
// missing a note or a vote total, or whose connection the server ended,
// does what docs/protocol.md tells a client to do: it reconnects with hello
// and the last seq it applied. What arrives then counts as late, outside
// the latency figures; only what never arrives counts as lost.

import (
	"context"
	"encoding/json"
	"sync"
	"time"
)

// catchUp reconnects the participants that are behind, at most
// cfg.concurrency at a time, and waits until each one is synced again.
func (l *loader) catchUp(ctx context.Context, parts []*participant) {
	var behind []*participant
	for _, p := range parts {
		if p.conn == nil {
			continue
		}
		if p.dropped() {
			p.wasDropped, p.dropCode = true, p.conn.CloseCode()
		}
		if p.wasDropped || p.behind() {
			behind = append(behind, p)
		}
	}
	if len(behind) == 0 {
		return
	}
	began := time.Now()
	work := make(chan *participant)
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	for w := 0; w < l.cfg.concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				p.catchingUp.Store(true)
				err := p.conn.Reconnect(ctx, "")
				if err == nil {
					err = p.waitSynced(ctx, 30*time.Second)
				}
				if err != nil {
					mu.Lock()
					if failed++; failed <= 5 {
						l.logf("catching up: p%d: %v", p.idx, err)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, p := range behind {
		work <- p
	}
	close(work)
	wg.Wait()
	l.logf("caught up %d participants that were behind after the grace period in %.2f s (%d failed)",
		len(behind), time.Since(began).Seconds(), failed)
}

// behind reports whether p is missing a note or a vote total of its
// session.
func (p *participant) behind() bool {
	if p.delivered.Load() < p.sess.acked.Load() {
		return true
	}
	p.sess.votes.mu.Lock()
	defer p.sess.votes.mu.Unlock()
	p.voteMu.Lock()
	defer p.voteMu.Unlock()
	for note, n := range p.sess.votes.acked {
		if int64(p.tallySeen[note]) < n {
			return true
		}
	}
	return false
}

// caughtUpSnapshot takes the notes and vote totals of a snapshot that
// came while catching up (the server sends one instead of the missed
// events when those are too many).
func (p *participant) caughtUpSnapshot(m []byte, at time.Time) {
	var snap struct {
		Notes []struct {
			ID    string `json:"id"`
			Text  string `json:"text"`
			Votes int    `json:"votes"`
		} `json:"notes"`
	}
	if err := json.Unmarshal(m, &snap); err != nil {
		p.l.logf("p%d: undecodable snapshot while catching up: %v", p.idx, err)
		return
	}
	t := p.l.notes
	for _, n := range snap.Notes {
		// Only the notes it lacks: the others are in the snapshot too.
		if k, ok := t.parseText([]byte(n.Text)); !ok || !p.got.test(t.localIndex(k)) {
			p.noteEvent([]byte(n.Text), p.clock(at))
		}
		if n.Votes > 0 {
			p.voteTotal(n.ID, n.Votes)
		}
	}
}
