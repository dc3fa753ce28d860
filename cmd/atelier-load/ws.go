package main

// The websocket side: one connection per participant, speaking
// docs/protocol.md through internal/liveclient. hello → welcome, snapshot or
// events, synced; then notes go out as note.create ops and note.created
// events come in (alone or inside batch frames). The client's Raw hook
// checks every note event on arrival, without decoding it: duplicates,
// notes of other sessions, latency. The client counts events out of order.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"atelier/internal/liveclient"
)

// sessionInfo is one session of the run.
type sessionInfo struct {
	idx      int // 0..S-1: note n belongs to session n % S
	id       int64
	code     string
	clusters []string
	members  []*participant // the participants that receive its notes
	acked    atomic.Int64   // notes of this session acknowledged
	votes    tallies
}

// participant is one joined participant and its websocket.
type participant struct {
	l         *loader
	idx       int
	sess      *sessionInfo
	client    *http.Client // with the participant's cookie jar
	pseudonym string

	conn     *liveclient.Conn
	clusters []string // from welcome

	snapNotes int          // notes in the snapshot (reader-owned until synced)
	delivered atomic.Int64 // unique note deliveries

	voteMu    sync.Mutex
	voteNote  map[string]string // op_id of a vote → its note
	tallySeen map[string]int    // note id → the last total seen

	// Catching up after the run (catchup.go): what arrives then is late.
	catchingUp atomic.Bool
	wasDropped bool // the server ended the connection during the run
	dropCode   int

	// Owned by the reader goroutine; read after it has stopped.
	frameAt    time.Time // the arrival time of the frame being read,
	frameClock int64     // and it on the loader clock
	got        bitset    // local note index within the session → received
	dup        int64
	foreign    int64 // note events the loader did not send
	wrong      int64 // notes of another session
	late       int64 // notes that arrived only when catching up
}

// clock is at on the loader clock; the items of a batch frame share their
// arrival time, which is converted once.
func (p *participant) clock(at time.Time) int64 {
	if at != p.frameAt {
		p.frameAt, p.frameClock = at, p.l.clock(at)
	}
	return p.frameClock
}

// newDialer is the websocket dialer every participant shares: loopback
// only, small buffers (thousands of connections).
func newDialer() *websocket.Dialer {
	return &websocket.Dialer{
		NetDialContext:   (&net.Dialer{Timeout: 10 * time.Second, Control: loopbackOnly}).DialContext,
		HandshakeTimeout: 10 * time.Second,
		ReadBufferSize:   4096,
		WriteBufferSize:  1024,
	}
}

// connect dials the websocket with the participant's cookies and a matching
// Origin, sends hello and starts the reader. It does not wait for synced.
func (p *participant) connect(ctx context.Context) error {
	l := p.l
	conn, err := liveclient.Dial(ctx, liveclient.Options{
		URL: l.cfg.base.String(), Session: p.sess.id, Client: p.client, Origin: l.origin, Dialer: l.dialer,
		Raw: p.raw, OnMessage: p.message,
	})
	if err != nil {
		return fmt.Errorf("websocket p%d: %w", p.idx, err)
	}
	p.conn = conn
	return nil
}

// waitSynced waits for the synced message.
func (p *participant) waitSynced(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := p.conn.WaitSynced(ctx); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("p%d: no synced within %s", p.idx, timeout)
		}
		return fmt.Errorf("p%d: %w", p.idx, err)
	}
	return nil
}

// close ends the connection from our side.
func (p *participant) close() {
	if p.conn != nil {
		p.conn.Close()
	}
}

// dropped reports whether the server ended the connection before we did.
func (p *participant) dropped() bool { return p.conn != nil && p.conn.Err() != nil }

// sendNote sends note n (see notes.opID and notes.text).
func (p *participant) sendNote(n int) error {
	t := p.l.notes
	cluster := "C1"
	if len(p.clusters) > 0 {
		cluster = p.clusters[n%len(p.clusters)]
	}
	kinds := [...]string{"kans", "zorg", "idee", "vraag"}
	opID := t.opID(n)
	b := make([]byte, 0, 160)
	b = append(b, `{"type":"op","op_id":"`...)
	b = append(b, opID...)
	b = append(b, `","op":"note.create","data":{"cluster":`...)
	b = strconv.AppendQuote(b, cluster)
	b = append(b, `,"kind":"`...)
	b = append(b, kinds[n%len(kinds)]...)
	b = append(b, `","text":"`...)
	b = t.appendText(b, n, p.idx)
	b = append(b, `"}}`...)
	return p.conn.SendFrame(opID, b)
}

var (
	// The usual form of a note event, read by position after the seq.
	midNoteCreated = []byte(`,"kind":"note.created","note":{`)
	keyText        = []byte(`"text":"`)
	kindCreated    = []byte(`"kind":"note.created"`)
)

// raw takes note.created events, most of the traffic, on the reader
// goroutine before they are decoded: it reads their text by position and
// records the delivery with the frame's arrival time. Snapshots are only
// counted. Anything else, and any note event it does not recognise, is
// left to the client to decode (message).
func (p *participant) raw(h liveclient.Header, m []byte, at time.Time) bool {
	switch h.Type {
	case liveclient.TypeEvent:
		if text, ok := noteCreatedText(m); ok {
			p.noteEvent(text, p.clock(at))
			return true
		}
	case liveclient.TypeSnapshot:
		if p.catchingUp.Load() {
			p.caughtUpSnapshot(m, at)
			return true
		}
		var snap struct {
			Notes []json.RawMessage `json:"notes"`
		}
		json.Unmarshal(m, &snap)
		p.snapNotes = len(snap.Notes)
		return true
	}
	return false
}

// noteCreatedText returns the text of a note.created event: by position in
// the form Go's encoding/json gives the protocol's event struct (fields in
// order), which costs almost nothing, else by finding the keys.
func noteCreatedText(m []byte) ([]byte, bool) {
	if rest, ok := bytes.CutPrefix(m, []byte(`{"type":"event","seq":`)); ok {
		k := 0
		for k < len(rest) && rest[k] >= '0' && rest[k] <= '9' {
			k++
		}
		if body, ok := bytes.CutPrefix(rest[k:], midNoteCreated); ok && k > 0 {
			return stringAfter(body, keyText)
		}
	}
	if bytes.Contains(m, kindCreated) {
		return stringAfter(m, keyText)
	}
	return nil, false
}

// message handles a decoded message, on the reader goroutine.
func (p *participant) message(m liveclient.Message) {
	switch {
	case m.Welcome != nil:
		p.clusters = nil // a fresh slice: the old one is shared with the session
		for _, c := range m.Welcome.Session.Clusters {
			p.clusters = append(p.clusters, c.ID)
		}
	case m.Event != nil:
		switch {
		case m.Event.Kind == "note.created" && m.Event.Note != nil:
			p.noteEvent([]byte(m.Event.Note.Text), p.clock(m.At))
		case m.Event.Kind == "votes.changed" && m.Event.Votes != nil:
			p.voteTotal(m.Event.NoteID, *m.Event.Votes)
		}
	case m.Ack != nil && p.isVote(m.Ack.OpID):
		p.voteAnswer(m.Ack.OpID, "", "")
	case m.Ack != nil:
		p.l.notes.ack(p.l, m.Ack.OpID, m.Ack.ID)
	case m.Error != nil && m.Error.OpID == "":
		p.l.logf("p%d: connection error %s: %s", p.idx, m.Error.Code, m.Error.Message)
	case m.Error != nil && p.isVote(m.Error.OpID):
		p.voteAnswer(m.Error.OpID, m.Error.Code, m.Error.Message)
	case m.Error != nil:
		p.l.notes.opError(p, m.Error.OpID, m.Error.Code, m.Error.Message, m.Error.RetryAfterMs)
	case m.Synced != nil, m.Snapshot != nil, m.Type == liveclient.TypePong:
	case m.Raw != nil:
		p.l.logf("p%d: undecodable or unknown message: %s", p.idx, snippet(m.Raw))
	}
}

// isVote reports whether opID is one of the run's votes.
func (p *participant) isVote(opID string) bool {
	v := p.l.votes
	return v != nil && strings.HasPrefix(opID, v.prefix)
}

// noteEvent records one note.created event received at now (loader clock).
func (p *participant) noteEvent(text []byte, now int64) {
	n, ok := p.l.notes.parseText(text)
	if !ok {
		p.foreign++
		return
	}
	t := p.l.notes
	if t.sessionOf(n) != p.sess.idx {
		p.wrong++
		return
	}
	local := t.localIndex(n)
	if p.got.testAndSet(local) {
		p.dup++
		return
	}
	p.delivered.Add(1)
	if p.catchingUp.Load() {
		p.late++
		return
	}
	if t.measured(n) {
		t.hist.add(now - t.sentAt[n].Load())
	}
}

// stringAfter returns the string value that follows key (which ends with
// the opening quote); only strings without escapes take the fast path.
func stringAfter(m, key []byte) ([]byte, bool) {
	i := bytes.Index(m, key)
	if i < 0 {
		return nil, false
	}
	i += len(key)
	for j := i; j < len(m); j++ {
		switch m[j] {
		case '\\':
			return nil, false
		case '"':
			return m[i:j], true
		}
	}
	return nil, false
}
