package barehub

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// conn is one websocket connection: the handler goroutine reads, a writer
// goroutine drains the bounded queue.
type conn struct {
	h    *Hub
	ws   *websocket.Conn
	part *participant // nil for a facilitator

	// The bounded send queue: a slice that grows with the backlog (so an
	// idle connection costs little memory), at most Options.QueueSize long.
	mu    sync.Mutex
	queue [][]byte
	spare [][]byte      // the writer's previous slice, reused
	wake  chan struct{} // capacity 1: "the queue is not empty"
	quit  chan struct{} // closed by kill: the writer sends a close frame and stops
	once  sync.Once

	closeCode int // set once, before quit is closed
	closeText string
}

const writeWait = 10 * time.Second

// handleSocket upgrades /ws/sessions/{id} for a participant of that session
// (atelier_participant cookie) or a logged-in facilitator (atelier_session).
// gorilla's default origin check (Origin host == Host) applies.
func (h *Hub) handleSocket(w http.ResponseWriter, r *http.Request) {
	s := h.sessionOf(r)
	if s == nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	var part *participant
	if ck, err := r.Cookie("atelier_participant"); err == nil {
		h.mu.Lock()
		part = h.participants[ck.Value]
		h.mu.Unlock()
		if part != nil && part.session != s {
			part = nil
		}
	}
	if part == nil {
		if _, err := r.Cookie("atelier_session"); err != nil {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		// A facilitator: a pseudo participant for authorship.
		part = &participant{id: "f", pseudonym: "Facilitator", role: "facilitator", session: s}
	}
	ws, err := h.upgrade.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	c := &conn{h: h, ws: ws, part: part, wake: make(chan struct{}, 1), quit: make(chan struct{})}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		ws.Close()
		return
	}
	h.conns[c] = struct{}{}
	h.mu.Unlock()

	go c.writer()
	c.reader()

	// The reader has stopped: unsubscribe and forget the connection.
	s.mu.Lock()
	delete(s.subs, c)
	s.mu.Unlock()
	h.mu.Lock()
	delete(h.conns, c)
	h.mu.Unlock()
	c.kill(websocket.CloseNormalClosure, "")
}

// clientMessage is what a client sends (docs/protocol.md).
type clientMessage struct {
	Type  string `json:"type"`
	Since int64  `json:"since"`
	OpID  string `json:"op_id"`
	Op    string `json:"op"`
	Data  struct {
		Cluster string `json:"cluster"`
		Kind    string `json:"kind"`
		Text    string `json:"text"`
		Note    string `json:"note"` // of vote.add
	} `json:"data"`
}

var pongMsg = []byte(`{"type":"pong"}`)

// reader handles the client's frames until the connection fails.
func (c *conn) reader() {
	c.ws.SetReadLimit(8 << 10)
	s := c.part.session
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		var m clientMessage
		if err := json.Unmarshal(data, &m); err != nil {
			c.send([]byte(`{"type":"error","code":"invalid","message":"ongeldig bericht"}`))
			continue
		}
		switch m.Type {
		case "hello":
			c.hello(s)
		case "ping":
			c.send(pongMsg)
		case "op":
			valid := m.Op == "note.create" && m.Data.Text != "" || m.Op == "vote.add" && m.Data.Note != ""
			if !valid || m.OpID == "" {
				msg, _ := json.Marshal(map[string]string{"type": "error", "op_id": m.OpID, "code": "invalid", "message": "ongeldige operatie"})
				c.send(msg)
				continue
			}
			op := pendingOp{c: c, opID: m.OpID, cluster: m.Data.Cluster, kind: m.Data.Kind, text: m.Data.Text}
			if m.Op == "vote.add" {
				op = pendingOp{c: c, opID: m.OpID, vote: m.Data.Note}
			}
			select {
			case c.h.pending <- op:
			case <-c.h.quit:
				return
			}
		}
	}
}

// hello answers with welcome, an empty snapshot and synced, and subscribes
// the connection, all under the session lock so that no event falls between
// the welcome's seq and the first event the connection receives.
func (c *conn) hello(s *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	seq := s.published
	c.h.mu.Lock()
	clusters := s.clusters
	welcome, _ := json.Marshal(map[string]any{"type": "welcome", "seq": seq,
		"you": map[string]any{"participant": c.part.id, "pseudonym": c.part.pseudonym, "role": c.part.role,
			"facilitator": c.part.id == "f"},
		"session": map[string]any{"id": s.id, "title": s.title, "question": s.question, "state": s.state,
			"vote_budget": 5, "clusters": clusters}})
	c.h.mu.Unlock()
	q := strconv.FormatInt(seq, 10)
	c.send(welcome)
	c.send([]byte(`{"type":"snapshot","seq":` + q + `,"notes":[],"excerpts":[],"my_votes":{},"votes_left":5}`))
	c.send([]byte(`{"type":"synced","seq":` + q + `}`))
	s.subs[c] = struct{}{}
}

// send queues msg without blocking; a connection whose queue is full is
// closed with 4008 ("too slow").
func (c *conn) send(msg []byte) {
	c.mu.Lock()
	if len(c.queue) >= c.h.opts.QueueSize {
		c.mu.Unlock()
		c.kill(4008, "too slow")
		return
	}
	c.queue = append(c.queue, msg)
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// kill makes the writer send a close frame with code and stop; the reader
// then fails and the handler cleans up.
func (c *conn) kill(code int, text string) {
	c.once.Do(func() {
		c.closeCode, c.closeText = code, text
		close(c.quit)
	})
}

// take returns everything queued and empties the queue.
func (c *conn) take() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.queue
	c.queue = c.spare[:0]
	c.spare = nil
	return out
}

// writer sends queued messages: one frame per message, or with Coalesce all
// queued messages in one batch frame.
func (c *conn) writer() {
	defer c.ws.Close()
	for {
		select {
		case <-c.quit:
			c.ws.WriteControl(websocket.CloseMessage,
				websocket.FormatCloseMessage(c.closeCode, c.closeText), time.Now().Add(time.Second))
			return
		case <-c.wake:
		}
		msgs := c.take()
		if len(msgs) == 0 {
			continue
		}
		// One deadline per wake-up, not per frame (each costs a timer update).
		c.ws.SetWriteDeadline(time.Now().Add(writeWait))
		var err error
		if c.h.opts.Coalesce && len(msgs) > 1 {
			err = c.writeBatch(msgs)
		} else {
			for _, m := range msgs {
				if err = c.ws.WriteMessage(websocket.TextMessage, m); err != nil {
					break
				}
			}
		}
		if err != nil {
			c.kill(websocket.CloseGoingAway, "")
			return
		}
		// Hand the slice back for reuse (dropping the references), unless it
		// grew large under a burst: then let it go.
		if cap(msgs) <= 64 {
			clear(msgs)
			c.mu.Lock()
			c.spare = msgs[:0]
			c.mu.Unlock()
		}
	}
}

var (
	batchHead = []byte(`{"type":"batch","items":[`)
	batchTail = []byte(`]}`)
	comma     = []byte(`,`)
)

// writeBatch writes msgs as one batch frame.
func (c *conn) writeBatch(msgs [][]byte) error {
	w, err := c.ws.NextWriter(websocket.TextMessage)
	if err != nil {
		return err
	}
	w.Write(batchHead)
	for i, m := range msgs {
		if i > 0 {
			w.Write(comma)
		}
		w.Write(m)
	}
	w.Write(batchTail)
	return w.Close()
}
