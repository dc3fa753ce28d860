package main

// Bookkeeping: the table of notes (when each was sent, whether it was
// acknowledged), the per-participant record of what arrived, the latency
// histogram, the server's memory, and the report.

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"atelier/internal/liveclient"
)

// Note states.
const (
	noteUnsent uint32 = iota
	noteSent
	noteAcked
	noteFailed
)

// notes is the table of every note of the run. Note n belongs to session
// n % S (its "local index" there is n / S) and is sent by that session's
// member (n / S) % len(members): round-robin over sessions, then over each
// session's participants. So the table needs no per-note routing data.
type notes struct {
	runID     string // random, in every op_id, so that reruns never collide
	sessions  int
	warmupN   int // notes below this index are warm-up: checked, not timed
	sentAt    []atomic.Int64
	state     []atomic.Uint32
	sent      atomic.Int64
	acked     atomic.Int64
	failed    atomic.Int64
	retries   atomic.Int64
	errLogged atomic.Int64
	hist      histogram
	sessInfo  []*sessionInfo
}

func newNotes(total, sessions, warmupN int, sessInfo []*sessionInfo) *notes {
	b := make([]byte, 10)
	rand.Read(b)
	return &notes{
		runID:    "ld" + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b),
		sessions: sessions,
		warmupN:  warmupN,
		sentAt:   make([]atomic.Int64, total),
		state:    make([]atomic.Uint32, total),
		sessInfo: sessInfo,
	}
}

func (t *notes) sessionOf(n int) int  { return n % t.sessions }
func (t *notes) localIndex(n int) int { return n / t.sessions }
func (t *notes) measured(n int) bool  { return n >= t.warmupN }

// sender is the participant that sends note n.
func (t *notes) sender(n int) *participant {
	s := t.sessInfo[t.sessionOf(n)]
	return s.members[t.localIndex(n)%len(s.members)]
}

// opID is note n's op_id: the run id, a dash, n (at most 64 characters of
// [A-Za-z0-9_-], as the protocol asks).
func (t *notes) opID(n int) string {
	return t.runID + "-" + strconv.Itoa(n)
}

// appendText appends note n's text, unique per note: "load from p45 n=123".
// The number comes last and stands alone, so that nothing in it looks like a
// postcode, phone number or date to a privacy guard.
func (t *notes) appendText(b []byte, n, sender int) []byte {
	b = append(b, "load from p"...)
	b = strconv.AppendInt(b, int64(sender), 10)
	b = append(b, " n="...)
	return strconv.AppendInt(b, int64(n), 10)
}

// parseText returns the note number in a text made by appendText.
func (t *notes) parseText(text []byte) (int, bool) {
	if !bytes.HasPrefix(text, []byte("load from p")) {
		return 0, false
	}
	i := bytes.LastIndex(text, []byte(" n="))
	if i < 0 || i+3 == len(text) || len(text)-i > 3+12 {
		return 0, false
	}
	n := 0
	for _, c := range text[i+3:] {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if n >= len(t.state) {
		return 0, false
	}
	return n, true
}

// noteOf returns the note of one of our op_ids.
func (t *notes) noteOf(opID string) (int, bool) {
	rest, ok := strings.CutPrefix(opID, t.runID+"-")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 || n >= len(t.state) {
		return 0, false
	}
	return n, true
}

// ack records an acknowledgement; id is the note's id.
func (t *notes) ack(l *loader, opID, id string) {
	n, ok := t.noteOf(opID)
	if !ok {
		l.logf("ack for an unknown op_id %q", opID)
		return
	}
	if t.state[n].CompareAndSwap(noteSent, noteAcked) {
		t.acked.Add(1)
		s := t.sessInfo[t.sessionOf(n)]
		s.acked.Add(1)
		s.addNote(id)
	}
}

// opError handles an error answer to one of our ops: rate_limited and
// internal mean "re-send later with the same op_id" (docs/protocol.md),
// which the client does by itself; the rest mean the note is not coming.
func (t *notes) opError(p *participant, opID, code, message string, retryAfterMS int) {
	n, ok := t.noteOf(opID)
	if !ok {
		p.l.logf("p%d: error for an unknown op_id %q: %s %s", p.idx, opID, code, message)
		return
	}
	if liveclient.Retryable(code) {
		t.retries.Add(1)
		if t.errLogged.Add(1) <= 5 {
			p.l.logf("p%d: %s (%s): the client re-sends it after %d ms", p.idx, code, message, retryAfterMS)
		}
		return
	}
	if t.state[n].CompareAndSwap(noteSent, noteFailed) {
		t.failed.Add(1)
		if t.errLogged.Add(1) <= 5 {
			p.l.logf("p%d: note %d refused: %s: %s", p.idx, n, code, message)
		}
	}
}

// bitset is a growable set of small integers.
type bitset []uint64

// testAndSet sets bit i and reports whether it was set already.
func (b *bitset) testAndSet(i int) bool {
	w := i / 64
	for w >= len(*b) {
		*b = append(*b, 0)
	}
	m := uint64(1) << (i % 64)
	was := (*b)[w]&m != 0
	(*b)[w] |= m
	return was
}

func (b bitset) test(i int) bool {
	w := i / 64
	return w < len(b) && b[w]&(uint64(1)<<(i%64)) != 0
}

// histogram keeps latencies in logarithmic buckets 1% wide (from 1 µs), so
// quantiles are within 1%; the maximum is exact. Safe for concurrent use.
type histogram struct {
	buckets [histBuckets]atomic.Uint64
	max     atomic.Int64 // ns
	count   atomic.Uint64
}

const histBuckets = 2400 // 1.01^2400 µs ≈ 2e10 µs: more than any run

var logBase = math.Log(1.01)

func (h *histogram) add(ns int64) {
	if ns < 0 {
		ns = 0
	}
	b := 0
	if us := float64(ns) / 1e3; us >= 1 {
		b = int(math.Log(us)/logBase) + 1
		if b >= histBuckets {
			b = histBuckets - 1
		}
	}
	h.buckets[b].Add(1)
	h.count.Add(1)
	for {
		m := h.max.Load()
		if ns <= m || h.max.CompareAndSwap(m, ns) {
			break
		}
	}
}

// quantile returns the q-quantile in milliseconds (the middle of its bucket).
func (h *histogram) quantile(q float64) float64 {
	total := h.count.Load()
	if total == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(total)))
	if rank < 1 {
		rank = 1
	}
	if rank >= total {
		return float64(h.max.Load()) / 1e6
	}
	var seen uint64
	for b := range h.buckets {
		seen += h.buckets[b].Load()
		if seen >= rank {
			if b == 0 {
				return 0.0005
			}
			lo := math.Pow(1.01, float64(b-1))
			ms := lo * 1.005 / 1e3
			if mx := float64(h.max.Load()) / 1e6; ms > mx {
				ms = mx
			}
			return ms
		}
	}
	return float64(h.max.Load()) / 1e6
}

// rssSampler follows the server's resident memory during the run.
type rssSampler struct {
	pid  int
	base int64        // kB, when the sampler started
	peak atomic.Int64 // kB
	last atomic.Int64 // kB
	stop chan struct{}
	done chan struct{}
}

func startRSS(pid int) *rssSampler {
	r := &rssSampler{pid: pid, stop: make(chan struct{}), done: make(chan struct{})}
	if pid == 0 {
		close(r.done)
		return r
	}
	r.base, _ = procStatus(pid, "VmRSS")
	go func() {
		defer close(r.done)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			r.sample()
			select {
			case <-r.stop:
				return
			case <-t.C:
			}
		}
	}()
	return r
}

// sample reads VmRSS once.
func (r *rssSampler) sample() {
	if r.pid == 0 {
		return
	}
	kb, err := procStatus(r.pid, "VmRSS")
	if err != nil {
		return
	}
	r.last.Store(kb)
	for {
		p := r.peak.Load()
		if kb <= p || r.peak.CompareAndSwap(p, kb) {
			break
		}
	}
}

// finish takes a last sample and stops the sampler.
func (r *rssSampler) finish() {
	r.sample()
	if r.pid != 0 {
		close(r.stop)
	}
	<-r.done
}

// procStatus reads one "kB" field of /proc/PID/status.
func procStatus(pid int, field string) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB"))
			return strconv.ParseInt(v, 10, 64)
		}
	}
	return 0, fmt.Errorf("/proc/%d/status: no %s", pid, field)
}

// result is what the last line reports.
type result struct {
	participants, sessions                  int
	sent, acked, delivered, expected        int64
	lost, dup, dropped, order, wrong, alien int64
	late                                    int64
	votesSent, votesAcked, votesLost        int64
	p50, p95, p99, max                      float64
	rssMB, kbPerConn                        float64
}

// collect computes the result once every reader has stopped.
func (l *loader) collect(parts []*participant) result {
	t := l.notes
	r := result{participants: len(parts), sessions: len(l.sessions),
		sent: t.sent.Load(), acked: t.acked.Load()}
	for _, p := range parts {
		r.delivered += p.delivered.Load()
		r.dup += p.dup
		r.wrong += p.wrong
		r.alien += p.foreign
		r.late += p.late
		if p.conn != nil {
			r.order += p.conn.Stats().Stale
		}
		if p.wasDropped {
			r.dropped++
		}
	}
	if v := l.votes; v != nil {
		r.votesSent, r.votesAcked, r.votesLost = v.sent.Load(), v.acked.Load(), l.lostTallies()
	}
	// Expected and lost: every acknowledged note, at every member of its
	// session.
	for _, s := range l.sessions {
		for n := s.idx; n < len(t.state); n += t.sessions {
			if t.state[n].Load() != noteAcked {
				continue
			}
			local := t.localIndex(n)
			for _, p := range s.members {
				r.expected++
				if !p.got.test(local) {
					r.lost++
				}
			}
		}
	}
	r.p50, r.p95, r.p99 = t.hist.quantile(0.50), t.hist.quantile(0.95), t.hist.quantile(0.99)
	r.max = float64(t.hist.max.Load()) / 1e6
	return r
}

// ok reports whether the run passed the delivery check.
func (r result) ok() bool {
	return r.lost == 0 && r.dup == 0 && r.dropped == 0 && r.order == 0 && r.wrong == 0 && r.acked == r.sent &&
		r.votesLost == 0 && r.votesAcked == r.votesSent
}

// line is the report's last line (issue 4, item 8; issue 11, item 5).
// lost counts deliveries that never came, not even when catching up
// after the run; late, those that came only then.
func (r result) line() string {
	return fmt.Sprintf("participants=%d sessions=%d sent=%d acked=%d delivered=%d expected=%d lost=%d late=%d dup=%d dropped=%d "+
		"votes_sent=%d votes_acked=%d votes_lost=%d p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f server_rss_mb=%.2f server_kb_per_conn=%.1f",
		r.participants, r.sessions, r.sent, r.acked, r.delivered, r.expected, r.lost, r.late, r.dup, r.dropped,
		r.votesSent, r.votesAcked, r.votesLost, r.p50, r.p95, r.p99, r.max, r.rssMB, r.kbPerConn)
}

// report prints the details to stderr and the result line last to stdout.
func (l *loader) report(stdout io.Writer, r result, rss *rssSampler) error {
	t := l.notes
	if r.order > 0 || r.wrong > 0 || r.alien > 0 || t.failed.Load() > 0 || t.retries.Load() > 0 {
		l.logf("check: out-of-order events %d, notes of another session %d, notes not from this run %d, refused ops %d, re-sent ops %d",
			r.order, r.wrong, r.alien, t.failed.Load(), t.retries.Load())
	}
	if rss.pid != 0 {
		hwm, _ := procStatus(rss.pid, "VmHWM")
		l.logf("server pid %d: VmRSS at the end %.2f MB, peak sampled during the run %.2f MB, VmHWM (process lifetime) %.2f MB",
			rss.pid, float64(rss.last.Load())/1024, float64(rss.peak.Load())/1024, float64(hwm)/1024)
	}
	fmt.Fprintln(stdout, r.line())
	if !r.ok() {
		return errCheckFailed
	}
	return nil
}
