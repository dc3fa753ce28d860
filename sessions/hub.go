// Package sessions is the workshop domain: live sessions, anonymous
// participants, notes, votes and excerpts, the engine that commits their
// changes in order, and the hub that carries them to every connected phone
// and wall.
package sessions

import (
	"errors"
	"io"
	"sync"
)

// Close codes the hub gives a subscriber it drops (see docs/protocol.md).
const (
	CloseNormal   = 1000
	ClosePolicy   = 1008 // may no longer take part
	CloseTooSlow  = 4008
	SendQueueSize = 1024
)

// Message is one server message, encoded, with its sequence number (0 for
// messages that are not session events, such as acks).
type Message struct {
	Seq  int64
	Data []byte
}

// Subscriber is one connection's place in a session: a bounded queue of
// messages that the connection's writer drains. A subscriber that falls a
// whole queue behind is dropped; it reconnects and catches up.
//
// The queue is a slice that grows only while messages wait, not a
// channel with a fixed buffer: a thousand idle phones then cost a thousand
// empty slices, not a thousand 32 KiB buffers.
type Subscriber struct {
	SessionID   int64
	Participant int64 // 0 for a facilitator
	Facilitator bool

	mu      sync.Mutex
	pending []Message
	ready   chan struct{} // holds a token while pending is not empty
	done    chan struct{}
	dropped bool
	code    int
}

// NewSubscriber returns a subscriber that is not yet in a session.
func NewSubscriber(sessionID, participant int64, facilitator bool) *Subscriber {
	return &Subscriber{SessionID: sessionID, Participant: participant, Facilitator: facilitator,
		ready: make(chan struct{}, 1), done: make(chan struct{})}
}

// Ready receives a value when messages are waiting; Take them.
func (s *Subscriber) Ready() <-chan struct{} { return s.ready }

// Take returns every waiting message, oldest first, and empties the queue.
// buf is reused when it is large enough.
func (s *Subscriber) Take(buf []Message) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	buf = append(buf[:0], s.pending...)
	clear(s.pending) // let the bytes go
	s.pending = s.pending[:0]
	if cap(s.pending) > 64 {
		s.pending = nil // a burst is over: do not keep its backing array
	}
	return buf
}

// Done is closed when the hub has dropped the subscriber; CloseCode says why.
func (s *Subscriber) Done() <-chan struct{} { return s.done }

// CloseCode is the websocket close code to send after Done.
func (s *Subscriber) CloseCode() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.code
}

// Send queues m without waiting. It returns false, and drops the
// subscriber, when the queue is full or the subscriber was dropped.
func (s *Subscriber) Send(m Message) bool {
	s.mu.Lock()
	if s.dropped {
		s.mu.Unlock()
		return false
	}
	if len(s.pending) >= SendQueueSize {
		s.mu.Unlock()
		s.drop(CloseTooSlow)
		return false
	}
	s.pending = append(s.pending, m)
	s.mu.Unlock()
	select {
	case s.ready <- struct{}{}:
	default: // a token is already there
	}
	return true
}

func (s *Subscriber) drop(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dropped {
		return
	}
	s.dropped, s.code = true, code
	close(s.done)
}

// Hub keeps track of live connections and session subscribers. Fiber's
// shutdown does not close hijacked (websocket) connections, so the hub
// closes them when the server stops.
type Hub struct {
	mu       sync.Mutex
	conns    map[io.Closer]struct{}
	sessions map[int64]map[*Subscriber]struct{}
	closed   bool
}

// NewHub returns an empty hub.
func NewHub() *Hub {
	return &Hub{conns: make(map[io.Closer]struct{}), sessions: make(map[int64]map[*Subscriber]struct{})}
}

// Register adds a connection. It returns false when the hub is closing; the
// caller should then close the connection at once.
func (h *Hub) Register(c io.Closer) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.conns[c] = struct{}{}
	return true
}

// Unregister removes a connection that ended by itself.
func (h *Hub) Unregister(c io.Closer) {
	h.mu.Lock()
	delete(h.conns, c)
	h.mu.Unlock()
}

// Count returns the number of live connections.
func (h *Hub) Count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.conns)
}

// Subscribe adds s to its session, so that it receives every message
// published there from now on.
func (h *Hub) Subscribe(s *Subscriber) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	subs := h.sessions[s.SessionID]
	if subs == nil {
		subs = make(map[*Subscriber]struct{})
		h.sessions[s.SessionID] = subs
	}
	subs[s] = struct{}{}
	return true
}

// Unsubscribe removes s from its session.
func (h *Hub) Unsubscribe(s *Subscriber) {
	h.mu.Lock()
	if subs := h.sessions[s.SessionID]; subs != nil {
		delete(subs, s)
		if len(subs) == 0 {
			delete(h.sessions, s.SessionID)
		}
	}
	h.mu.Unlock()
}

// publish sends an event to every subscriber of its session: own to the
// author's connections, others to the rest, and a content-free placeholder
// to those the audience leaves out. It never waits: a subscriber whose
// queue is full is dropped.
func (h *Hub) publish(sessionID, author, seq int64, audience int, own, others []byte) {
	h.mu.Lock()
	subs := make([]*Subscriber, 0, len(h.sessions[sessionID]))
	for s := range h.sessions[sessionID] {
		subs = append(subs, s)
	}
	h.mu.Unlock()
	var placeholder []byte
	for _, s := range subs {
		isAuthor := author != 0 && s.Participant == author
		var data []byte
		switch {
		case isAuthor && audience != FacilitatorsOnly:
			data = own
		case audience == Everyone || s.Facilitator:
			data = others
		default:
			if placeholder == nil {
				placeholder = hiddenEvent(seq)
			}
			data = placeholder
		}
		if !s.Send(Message{Seq: seq, Data: data}) {
			h.Unsubscribe(s)
		}
	}
}

// CloseSession ends every connection to a session that has ended, with
// close code 1000 once each has sent what was already queued for it (the
// session.changed event that says it is closed, above all).
func (h *Hub) CloseSession(sessionID int64) {
	h.mu.Lock()
	subs := h.sessions[sessionID]
	delete(h.sessions, sessionID)
	h.mu.Unlock()
	for s := range subs {
		s.drop(CloseNormal)
	}
}

// Remove closes the connections of a participant who may no longer take
// part, with close code 1008.
func (h *Hub) Remove(sessionID, participant int64) {
	h.mu.Lock()
	var out []*Subscriber
	for s := range h.sessions[sessionID] {
		if s.Participant == participant {
			out = append(out, s)
			delete(h.sessions[sessionID], s)
		}
	}
	h.mu.Unlock()
	for _, s := range out {
		s.drop(ClosePolicy)
	}
}

// Connected reports which participants of a session have a connection:
// people, not connections. A phone with two tabs counts once, and the
// facilitator's console and wall do not count at all.
func (h *Hub) Connected(sessionID int64) map[int64]bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	seen := make(map[int64]bool)
	for s := range h.sessions[sessionID] {
		if s.Participant != 0 {
			seen[s.Participant] = true
		}
	}
	return seen
}

// Close closes every connection and refuses new ones.
func (h *Hub) Close() error {
	h.mu.Lock()
	h.closed = true
	conns := h.conns
	h.conns = make(map[io.Closer]struct{})
	for _, subs := range h.sessions {
		for s := range subs {
			s.drop(CloseNormal)
		}
	}
	h.sessions = make(map[int64]map[*Subscriber]struct{})
	h.mu.Unlock()
	var errs []error
	for c := range conns {
		if err := c.Close(); err != nil && !errors.Is(err, io.EOF) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
