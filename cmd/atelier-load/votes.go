package main

// Votes, for the tenant-scale case (issue 11, item 5): with -vote-every D
// every participant sends vote.add every D, staggered so that the total is
// a steady participants/D votes a second, on the latest acknowledged note
// of its session. A vote is checked as the protocol lets a client check
// it: it must be answered (ack or refusal), and once every vote is
// answered every member of the session must have seen, in votes.changed
// events, each note's total reach the number of votes acknowledged on it.

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"atelier/internal/liveclient"
)

// votes is the table of every vote of the run. Vote k is sent by
// participant k % P.
type votes struct {
	prefix  string // op_id prefix: the run id and "-v"
	total   int
	sent    atomic.Int64
	acked   atomic.Int64
	refused atomic.Int64
	state   []atomic.Uint32 // noteSent, noteAcked, noteFailed
	logged  atomic.Int64
}

func newVotes(runID string, total int) *votes {
	return &votes{prefix: runID + "-v", total: total, state: make([]atomic.Uint32, total)}
}

// voteOf returns the vote of one of our op_ids.
func (v *votes) voteOf(opID string) (int, bool) {
	rest, ok := strings.CutPrefix(opID, v.prefix)
	if !ok {
		return 0, false
	}
	k, err := strconv.Atoi(rest)
	if err != nil || k < 0 || k >= v.total {
		return 0, false
	}
	return k, true
}

// tallies is what one session knows of its votes: the ids of its
// acknowledged notes, in the order acknowledged, and the votes
// acknowledged per note.
type tallies struct {
	mu    sync.Mutex
	notes []string
	acked map[string]int64
}

// addNote records an acknowledged note of the session.
func (s *sessionInfo) addNote(id string) {
	if id == "" {
		return
	}
	s.votes.mu.Lock()
	s.votes.notes = append(s.votes.notes, id)
	s.votes.mu.Unlock()
}

// target is the note a vote goes to: the session's latest acknowledged
// note, or "" while it has none.
func (s *sessionInfo) target() string {
	s.votes.mu.Lock()
	defer s.votes.mu.Unlock()
	if len(s.votes.notes) == 0 {
		return ""
	}
	return s.votes.notes[len(s.votes.notes)-1]
}

// voteAcked records an acknowledged vote on note.
func (s *sessionInfo) voteAcked(note string) {
	s.votes.mu.Lock()
	if s.votes.acked == nil {
		s.votes.acked = map[string]int64{}
	}
	s.votes.acked[note]++
	s.votes.mu.Unlock()
}

// sendVotes sends votes 0..total-1 at rate per second, vote k from
// participant k % len(parts). A participant whose session has no
// acknowledged note yet sends its vote on the next tick.
func (l *loader) sendVotes(ctx context.Context, parts []*participant, rate float64) {
	v := l.votes
	start := time.Now()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for next := 0; next < v.total; {
		due := min(int(rate*time.Since(start).Seconds())+1, v.total)
		for ; next < due; next++ {
			p := parts[next%len(parts)]
			note := p.sess.target()
			if note == "" {
				break // no note to vote on yet: this vote and the rest wait
			}
			v.state[next].Store(noteSent)
			v.sent.Add(1)
			if err := p.sendVote(next, note); err != nil && v.state[next].CompareAndSwap(noteSent, noteFailed) {
				v.refused.Add(1)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// sendVote sends vote k on note; the op's frame remembers the note, which
// the ack does not name.
func (p *participant) sendVote(k int, note string) error {
	opID := p.l.votes.prefix + strconv.Itoa(k)
	p.voteMu.Lock()
	if p.voteNote == nil {
		p.voteNote = map[string]string{}
	}
	p.voteNote[opID] = note
	p.voteMu.Unlock()
	frame := []byte(`{"type":"op","op_id":"` + opID + `","op":"vote.add","data":{"note":` + strconv.Quote(note) + `}}`)
	return p.conn.SendFrame(opID, frame)
}

// voteAnswer handles the answer to one of our votes: an ack, or a refusal
// (code != ""). Retryable refusals are re-sent by the client.
func (p *participant) voteAnswer(opID, code, message string) {
	v := p.l.votes
	k, ok := v.voteOf(opID)
	if !ok {
		return
	}
	p.voteMu.Lock()
	note := p.voteNote[opID]
	p.voteMu.Unlock()
	switch {
	case code == "":
		if v.state[k].CompareAndSwap(noteSent, noteAcked) {
			v.acked.Add(1)
			p.sess.voteAcked(note)
		}
	case liveclient.Retryable(code):
	default:
		if v.state[k].CompareAndSwap(noteSent, noteFailed) {
			v.refused.Add(1)
			if v.logged.Add(1) <= 5 {
				p.l.logf("p%d: vote on %s refused: %s %s", p.idx, note, code, message)
			}
		}
	}
}

// voteTotal records a votes.changed event: the note's total as this
// participant saw it last.
func (p *participant) voteTotal(note string, total int) {
	p.voteMu.Lock()
	defer p.voteMu.Unlock()
	if p.tallySeen == nil {
		p.tallySeen = map[string]int{}
	}
	p.tallySeen[note] = total
}

// votesComplete reports whether every vote sent was answered.
func (v *votes) complete() bool {
	return v == nil || v.sent.Load() == v.acked.Load()+v.refused.Load()
}

// lostTallies counts, once the readers have stopped, the (member, note)
// pairs where the member's last total is below the votes acknowledged on
// the note.
func (l *loader) lostTallies() int64 {
	var lost int64
	for _, s := range l.sessions {
		s.votes.mu.Lock()
		for note, n := range s.votes.acked {
			for _, p := range s.members {
				if int64(p.tallySeen[note]) < n {
					lost++
				}
			}
		}
		s.votes.mu.Unlock()
	}
	return lost
}
