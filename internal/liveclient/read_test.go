package liveclient

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestParseHeader(t *testing.T) {
	for in, want := range map[string]Header{
		`{"type":"event","seq":43,"kind":"note.created","note":{"text":"\"seq\":1"}}`: {TypeEvent, 43},
		`{"type":"event","kind":"note.created","seq":2,"note":{}}`:                    {TypeEvent, 2},
		`{"type": "event", "seq": 3, "kind": "hidden"}`:                               {TypeEvent, 3},
		`{"seq":4,"type":"synced"}`:                                                   {TypeSynced, 4},
		`{"type":"ack","op_id":"p7-0001","seq":43,"id":"n13"}`:                        {TypeAck, 0},
		`{"type":"pong"}`:          {TypePong, 0},
		`{"type":"nieuw","seq":5}`: {"nieuw", 0},
		`[1,2]`:                    {},
		`niets`:                    {},
	} {
		if got := parseHeader([]byte(in)); got != want {
			t.Errorf("%s: %+v, want %+v", in, got, want)
		}
	}
}

func TestSplitItems(t *testing.T) {
	frame := []byte(`{"type":"batch","items":[{"type":"event","seq":7,"kind":"note.created","note":{"id":"n1","text":"load from p3 n=12","x":"}]{\"q","y":"b\\"}},{"type":"event","seq":8,"kind":"votes.changed","note_id":"n1","votes":2}]}`)
	items, ok := splitItems(frame, nil)
	if !ok || len(items) != 2 || !strings.HasSuffix(string(items[0]), `"y":"b\\"}}`) || !strings.HasPrefix(string(items[1]), `{"type":"event","seq":8`) {
		t.Fatalf("items: %q %v", items, ok)
	}
	for _, bad := range []string{`{"type":"batch"}`, `{"type":"batch","items":[{"a":"b`, `{"type":"batch","items":[{"a":1}`} {
		if _, ok := splitItems([]byte(bad), nil); ok {
			t.Errorf("%s: split", bad)
		}
	}
}

// noteEvent is a note event as the server writes it.
const noteEvent = `{"type":"event","seq":1234,"kind":"note.created","note":{"id":"n1234","cluster":"C2","kind":"idee","text":"load from p45 n=1234",` +
	`"author":"Blauwe Reiger","role":"parent","mine":false,"version":1,"votes":0,"created_at":"2026-11-25T10:06:02Z"}}`

// batchOf is a batch frame of n note events.
func batchOf(n int) []byte {
	return []byte(`{"type":"batch","items":[` + strings.TrimSuffix(strings.Repeat(noteEvent+",", n), ",") + `]}`)
}

// rawConn is a Conn with only what the reader needs, for feeding it
// frames without a websocket.
func rawConn(raw func(Header, []byte, time.Time) bool) (*Conn, *link) {
	c := &Conn{opts: Options{Raw: raw}, msgs: make(chan Message, 16), pending: map[string]pendingOp{}}
	return c, &link{synced: make(chan struct{}), stop: make(chan struct{})}
}

// TestRawFastPathAllocatesNothing guards the load generator: with a Raw
// hook that takes the note events, reading a batch frame of them costs no
// allocation at all, and the hook sees each one with its seq.
func TestRawFastPathAllocatesNothing(t *testing.T) {
	var seen, seqs int64
	c, l := rawConn(func(h Header, m []byte, at time.Time) bool {
		if h.Type != TypeEvent || !bytes.Contains(m, []byte(`"kind":"note.created"`)) {
			return false
		}
		seen++
		seqs += h.Seq
		return true
	})
	frame, one := batchOf(20), []byte(noteEvent)
	c.frame(l, frame, time.Now()) // the items slice grows once
	// AllocsPerRun runs the function once more than asked, to warm up.
	allocs := testing.AllocsPerRun(100, func() {
		c.frame(l, frame, time.Now())
		c.frame(l, one, time.Now())
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations per frame", allocs)
	}
	if seen != 20+101*21 || seqs != seen*1234 || c.Stats().Stale != seen-1 {
		t.Errorf("hook saw %d events (seq sum %d), stats %+v", seen, seqs, c.Stats())
	}
	// What the hook leaves is decoded and delivered.
	c.frame(l, []byte(`{"type":"batch","items":[{"type":"event","seq":1235,"kind":"note.deleted","note_id":"n9"},{"type":"pong"}]}`), time.Now())
	if m := <-c.msgs; m.Event == nil || m.Event.NoteID != "n9" || c.LastSeq() != 1235 {
		t.Errorf("decoded %v, last seq %d", m, c.LastSeq())
	}
	if m := <-c.msgs; m.Type != TypePong {
		t.Errorf("decoded %v", m)
	}
}

// BenchmarkFrame reads a batch of 20 note events through the Raw hook, as
// the load generator does.
func BenchmarkFrame(b *testing.B) {
	c, l := rawConn(func(h Header, m []byte, at time.Time) bool { return h.Type == TypeEvent })
	frame := batchOf(20)
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		c.frame(l, frame, time.Now())
	}
}

// BenchmarkDecode reads the same frame decoded into the sessions types, as
// the tests do.
func BenchmarkDecode(b *testing.B) {
	c, l := rawConn(nil)
	c.opts.OnMessage = func(Message) {}
	frame := batchOf(20)
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		c.frame(l, frame, time.Now())
	}
}
