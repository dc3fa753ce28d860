// Package sessions is the workshop domain: live sessions, anonymous
// participants, notes, votes and themes, and the hub that carries their
// changes to every connected phone and wall.
package sessions

import (
	"errors"
	"io"
	"sync"
)

// Hub keeps track of live connections. Fiber's shutdown does not close
// hijacked (websocket) connections, so the hub closes them when the server
// stops.
type Hub struct {
	mu     sync.Mutex
	conns  map[io.Closer]struct{}
	closed bool
}

// NewHub returns an empty hub.
func NewHub() *Hub {
	return &Hub{conns: make(map[io.Closer]struct{})}
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

// Close closes every connection and refuses new ones.
func (h *Hub) Close() error {
	h.mu.Lock()
	h.closed = true
	conns := h.conns
	h.conns = make(map[io.Closer]struct{})
	h.mu.Unlock()
	var errs []error
	for c := range conns {
		if err := c.Close(); err != nil && !errors.Is(err, io.EOF) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
