package liveclient

import (
	"bytes"
	"encoding/json"
	"time"
)

// maxKeptBuffer is the largest read buffer kept between frames: a big
// snapshot should not stay allocated for the life of every connection.
const maxKeptBuffer = 64 << 10

// readerState is what the reader goroutine reuses from frame to frame.
type readerState struct {
	buf   bytes.Buffer
	items [][]byte // the items of the current batch frame
	// seq is the last seq applied. It is published to LastSeq before
	// each delivery and after each frame, not after every event: an
	// atomic store per event is measurable at a million events a second.
	seq int64
}

// read reads frames until the websocket ends.
func (c *Conn) read(l *link) {
	defer close(l.done)
	r := &c.reader
	for {
		_, fr, err := l.ws.NextReader()
		if err != nil {
			if !l.closing.Load() {
				l.err = err
			}
			return
		}
		r.buf.Reset()
		if _, err := r.buf.ReadFrom(fr); err != nil {
			continue // the next NextReader reports the failure
		}
		if !c.frame(l, r.buf.Bytes(), time.Now()) {
			return
		}
		if r.buf.Cap() > maxKeptBuffer {
			r.buf = bytes.Buffer{}
		}
	}
}

var batchPrefix = []byte(`{"type":"batch"`)

// frame handles the messages of one frame, which arrived at. It reports
// false when the reader must stop (we are closing the websocket).
func (c *Conn) frame(l *link, data []byte, at time.Time) bool {
	r := &c.reader
	defer func() { c.lastSeq.Store(r.seq) }()
	if bytes.HasPrefix(data, batchPrefix) {
		if items, ok := splitItems(data, r.items[:0]); ok {
			for _, it := range items {
				if !c.message(l, it, at) {
					return false
				}
			}
			clear(items)
			r.items = items[:0]
			return true
		}
	}
	return c.message(l, data, at)
}

// message handles one message: sequence and synced first, then the Raw
// hook, then decoding, the pending ops and delivery.
func (c *Conn) message(l *link, m []byte, at time.Time) bool {
	h := parseHeader(m)
	switch h.Type {
	case TypeBatch: // one the fast split did not take
		var b struct {
			Items []json.RawMessage `json:"items"`
		}
		if json.Unmarshal(m, &b) == nil {
			for _, it := range b.Items {
				if !c.message(l, it, at) {
					return false
				}
			}
			return true
		}
	case TypeEvent:
		c.sequence(h.Seq)
	case TypeSnapshot:
		c.reader.seq = h.Seq // the client replaces what it has
	case TypeSynced:
		c.reader.seq = max(c.reader.seq, h.Seq)
		select {
		case <-l.synced:
		default:
			l.syncedAt = at
			close(l.synced)
		}
	}
	if c.opts.Raw != nil && c.opts.Raw(h, m, at) {
		return true
	}
	c.lastSeq.Store(c.reader.seq)
	msg := decode(h, m)
	msg.At = at
	c.settle(&msg)
	if c.opts.OnMessage != nil {
		c.opts.OnMessage(msg)
		return true
	}
	select {
	case c.msgs <- msg:
		return true
	case <-l.stop:
		return false
	}
}

// sequence moves LastSeq on for an event and counts what is out of order.
func (c *Conn) sequence(seq int64) {
	r := &c.reader
	if seq <= r.seq {
		c.stale.Add(1)
		return
	}
	if seq > r.seq+1 {
		c.gaps.Add(1)
	}
	r.seq = seq
}

// splitItems returns the items of a batch frame without decoding them: it
// finds the "items" array and cuts it at the ends of its top-level values,
// minding strings. ok is false for anything it does not recognise.
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
