package main

// The websocket side: one connection per participant, speaking
// docs/protocol.md. hello → welcome, snapshot or events, synced; then notes go
// out as note.create ops and note.created events come in (alone or inside
// batch frames). The reader checks every event on arrival: order, duplicates,
// latency.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// sessionInfo is one session of the run.
type sessionInfo struct {
	idx      int // 0..S-1: note n belongs to session n % S
	id       int64
	code     string
	clusters []string
	members  []*participant // the participants that receive its notes
	acked    atomic.Int64   // notes of this session acknowledged
}

// participant is one joined participant and its websocket.
type participant struct {
	l         *loader
	idx       int
	sess      *sessionInfo
	client    *http.Client // with the participant's cookie jar
	pseudonym string

	ws       *websocket.Conn
	wmu      sync.Mutex // one writer at a time (scheduler, retries)
	clusters []string   // from welcome

	synced      chan struct{} // closed when synced arrives
	syncedOnce  sync.Once
	closeOnce   sync.Once
	snapNotes   int   // notes in the snapshot (reader-owned until synced)
	helloAt     int64 // loader clock, ns
	syncedAt    int64
	readerDone  chan struct{}
	stopping    atomic.Bool // we are closing it; a read error is not a drop
	dropped     atomic.Bool
	closeCode   int
	delivered   atomic.Int64 // unique note deliveries
	readerError error

	// Owned by the reader goroutine; read after it has stopped.
	lastSeq int64
	got     bitset // local note index within the session → received
	dup     int64
	order   int64 // events whose seq did not increase
	foreign int64 // note events the loader did not send
	wrong   int64 // notes of another session
	buf     bytes.Buffer
	items   [][]byte // reused for the items of batch frames
}

// connect dials the websocket with the participant's cookies and a matching
// Origin, sends hello and starts the reader. It does not wait for synced.
func (p *participant) connect(ctx context.Context) error {
	l := p.l
	d := websocket.Dialer{
		NetDialContext:   (&net.Dialer{Timeout: 10 * time.Second, Control: loopbackOnly}).DialContext,
		HandshakeTimeout: 10 * time.Second,
		Jar:              p.client.Jar,
		ReadBufferSize:   4096,
		WriteBufferSize:  1024,
	}
	u := "ws://" + l.cfg.base.Host + "/ws/sessions/" + strconv.FormatInt(p.sess.id, 10)
	ws, resp, err := d.DialContext(ctx, u, http.Header{"Origin": {l.origin}})
	if err != nil {
		if resp != nil {
			return fmt.Errorf("websocket p%d: %w (status %d)", p.idx, err, resp.StatusCode)
		}
		return fmt.Errorf("websocket p%d: %w", p.idx, err)
	}
	p.ws = ws
	p.synced = make(chan struct{})
	p.readerDone = make(chan struct{})
	p.helloAt = l.now()
	if err := p.write([]byte(`{"type":"hello","since":0}`)); err != nil {
		ws.Close()
		return fmt.Errorf("hello p%d: %w", p.idx, err)
	}
	go p.reader()
	return nil
}

// waitSynced waits for the synced message.
func (p *participant) waitSynced(ctx context.Context, timeout time.Duration) error {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-p.synced:
		return nil
	case <-p.readerDone:
		return fmt.Errorf("p%d: connection closed before synced: %v", p.idx, p.readerError)
	case <-t.C:
		return fmt.Errorf("p%d: no synced within %s", p.idx, timeout)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// write sends one text frame.
func (p *participant) write(msg []byte) error {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	p.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return p.ws.WriteMessage(websocket.TextMessage, msg)
}

// close ends the connection from our side.
func (p *participant) close() {
	if p.ws == nil {
		return
	}
	p.closeOnce.Do(func() {
		p.stopping.Store(true)
		p.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
		p.ws.Close()
	})
}

// sendNote sends note n (see notes.opID and notes.text).
func (p *participant) sendNote(n int) error {
	t := p.l.notes
	cluster := "C1"
	if len(p.clusters) > 0 {
		cluster = p.clusters[n%len(p.clusters)]
	}
	kinds := [...]string{"kans", "zorg", "idee", "vraag"}
	b := make([]byte, 0, 160)
	b = append(b, `{"type":"op","op_id":"`...)
	b = t.appendOpID(b, n)
	b = append(b, `","op":"note.create","data":{"cluster":`...)
	b = strconv.AppendQuote(b, cluster)
	b = append(b, `,"kind":"`...)
	b = append(b, kinds[n%len(kinds)]...)
	b = append(b, `","text":"`...)
	b = t.appendText(b, n, p.idx)
	b = append(b, `"}}`...)
	return p.write(b)
}

// reader reads frames until the connection ends.
func (p *participant) reader() {
	defer close(p.readerDone)
	for {
		_, r, err := p.ws.NextReader()
		if err != nil {
			p.readerError = err
			if !p.stopping.Load() {
				var ce *websocket.CloseError
				if errors.As(err, &ce) {
					p.closeCode = ce.Code
				}
				p.dropped.Store(true)
			}
			return
		}
		p.buf.Reset()
		if _, err := p.buf.ReadFrom(r); err != nil {
			continue // the next NextReader reports the failure
		}
		p.frame(p.buf.Bytes(), p.l.now())
	}
}

var (
	prefixBatch = []byte(`{"type":"batch"`)
	prefixEvent = []byte(`{"type":"event"`)
	// The usual form of a note event, read by position.
	prefixEventSeq = []byte(`{"type":"event","seq":`)
	midNoteCreated = []byte(`,"kind":"note.created","note":{`)
	keySeq         = []byte(`"seq":`)
	keyText        = []byte(`"text":"`)
	kindCreated    = []byte(`"kind":"note.created"`)
)

// frame handles one frame received at time now (loader clock).
func (p *participant) frame(data []byte, now int64) {
	if bytes.HasPrefix(data, prefixBatch) {
		if items, ok := splitItems(data, p.items[:0]); ok {
			for _, it := range items {
				p.message(it, now)
			}
			clear(items)
			p.items = items[:0]
			return
		}
	}
	p.message(data, now)
}

// message handles one message. Note events, which are most of the traffic,
// take a fast path that reads seq and text without decoding the JSON; the
// rest (and anything the fast path does not recognise) is decoded.
func (p *participant) message(m []byte, now int64) {
	// The form Go's encoding/json gives the protocol's event struct (fields
	// in order): read it by position, which costs almost nothing.
	if rest, ok := bytes.CutPrefix(m, prefixEventSeq); ok {
		k := 0
		var seq int64
		for ; k < len(rest) && rest[k] >= '0' && rest[k] <= '9'; k++ {
			seq = seq*10 + int64(rest[k]-'0')
		}
		if body, ok := bytes.CutPrefix(rest[k:], midNoteCreated); ok && k > 0 {
			if text, ok := stringAfter(body, keyText); ok {
				p.noteEvent(seq, text, now)
				return
			}
		}
	}
	// Any other field order: find the keys.
	if bytes.HasPrefix(m, prefixEvent) && bytes.Contains(m, kindCreated) {
		seq, ok1 := intAfter(m, keySeq)
		text, ok2 := stringAfter(m, keyText)
		if ok1 && ok2 {
			p.noteEvent(seq, text, now)
			return
		}
	}
	var msg struct {
		Type         string            `json:"type"`
		Seq          int64             `json:"seq"`
		Kind         string            `json:"kind"`
		OpID         string            `json:"op_id"`
		Code         string            `json:"code"`
		Message      string            `json:"message"`
		RetryAfterMS int64             `json:"retry_after_ms"`
		Items        []json.RawMessage `json:"items"`
		Notes        []json.RawMessage `json:"notes"`
		Note         *struct {
			Text string `json:"text"`
		} `json:"note"`
		Session *struct {
			Clusters []apiCluster `json:"clusters"`
		} `json:"session"`
	}
	if err := json.Unmarshal(m, &msg); err != nil {
		p.l.logf("p%d: undecodable message: %s", p.idx, snippet(m))
		return
	}
	switch msg.Type {
	case "batch":
		for _, it := range msg.Items {
			p.message(it, now)
		}
	case "welcome":
		if msg.Session != nil {
			p.clusters = nil // a fresh slice: the old one is shared with the session
			for _, c := range msg.Session.Clusters {
				p.clusters = append(p.clusters, c.ID)
			}
		}
		if msg.Seq > p.lastSeq {
			p.lastSeq = msg.Seq
		}
	case "snapshot":
		p.snapNotes = len(msg.Notes)
		if msg.Seq > p.lastSeq {
			p.lastSeq = msg.Seq
		}
	case "synced":
		if msg.Seq > p.lastSeq {
			p.lastSeq = msg.Seq
		}
		p.syncedOnce.Do(func() {
			p.syncedAt = now
			close(p.synced)
		})
	case "event":
		if msg.Kind == "note.created" && msg.Note != nil {
			p.noteEvent(msg.Seq, []byte(msg.Note.Text), now)
			return
		}
		p.checkSeq(msg.Seq)
	case "ack":
		p.l.notes.ack(p.l, msg.OpID)
	case "error":
		if msg.OpID == "" {
			p.l.logf("p%d: connection error %s: %s", p.idx, msg.Code, msg.Message)
			return
		}
		p.l.notes.opError(p, msg.OpID, msg.Code, msg.Message, msg.RetryAfterMS)
	case "pong":
	default:
		p.l.logf("p%d: unknown message type %q", p.idx, msg.Type)
	}
}

// checkSeq counts an event whose seq does not increase.
func (p *participant) checkSeq(seq int64) {
	if seq <= p.lastSeq {
		p.order++
	} else {
		p.lastSeq = seq
	}
}

// noteEvent records one note.created event.
func (p *participant) noteEvent(seq int64, text []byte, now int64) {
	p.checkSeq(seq)
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
	if t.measured(n) {
		t.hist.add(now - t.sentAt[n].Load())
	}
}

// splitItems returns the items of a batch frame without decoding them: it
// finds the "items" array and cuts it at the ends of its top-level values,
// minding strings.
func splitItems(data []byte, items [][]byte) ([][]byte, bool) {
	i := bytes.Index(data, []byte(`"items":[`))
	if i < 0 {
		return nil, false
	}
	i += len(`"items":[`)
	depth, start := 0, -1
	for i < len(data) {
		switch data[i] {
		case '"':
			// Skip the string: a tight loop to the closing quote, stepping
			// over escapes (strings are most of the bytes).
			i++
			for i < len(data) && data[i] != '"' {
				if data[i] == '\\' {
					i++
				}
				i++
			}
			if i >= len(data) {
				return nil, false
			}
		case '{', '[':
			if depth == 0 {
				start = i
			}
			depth++
		case '}', ']':
			if depth == 0 { // the end of the items array
				return items, true
			}
			depth--
			if depth == 0 {
				items = append(items, data[start:i+1])
			}
		}
		i++
	}
	return nil, false
}

// intAfter parses the integer that follows key.
func intAfter(m, key []byte) (int64, bool) {
	i := bytes.Index(m, key)
	if i < 0 {
		return 0, false
	}
	i += len(key)
	for i < len(m) && m[i] == ' ' {
		i++
	}
	var v int64
	j := i
	for ; j < len(m) && m[j] >= '0' && m[j] <= '9'; j++ {
		v = v*10 + int64(m[j]-'0')
	}
	return v, j > i
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
