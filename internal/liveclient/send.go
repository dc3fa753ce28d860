package liveclient

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/gorilla/websocket"

	"atelier/internal/apperr"
	"atelier/sessions"
)

// defaultRetry is how long to wait before re-sending an op the server
// asked to retry without saying when.
const defaultRetry = 100 * time.Millisecond

// Send sends op with data (encoded as JSON) under a new op id, which it
// returns. The op is pending from before it is written: a failed write
// leaves it pending, to be re-sent by Reconnect.
func (c *Conn) Send(op string, data any) (string, error) {
	id := c.opts.OpPrefix + "-" + strconv.FormatUint(c.opSeq.Add(1), 10)
	return id, c.SendOp(id, op, data)
}

// SendOp sends op with data under the caller's op id. Sending an op id
// again is how a client repeats an op whose answer it lost; the server
// acknowledges it again and never applies it twice.
func (c *Conn) SendOp(opID, op string, data any) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("liveclient: op %s data: %w", opID, err)
	}
	frame, err := json.Marshal(sessions.ClientMessage{Type: "op", OpID: opID, Op: op, Data: raw})
	if err != nil {
		return fmt.Errorf("liveclient: op %s: %w", opID, err)
	}
	return c.SendFrame(opID, frame)
}

// SendFrame sends an op that is already a whole frame, with opID as its
// op_id (the load generator writes its frames by hand). The Conn keeps
// frame until the op is answered: the caller must not change it.
func (c *Conn) SendFrame(opID string, frame []byte) error {
	c.mu.Lock()
	c.order++
	c.pending[opID] = pendingOp{frame: frame, order: c.order}
	c.mu.Unlock()
	return c.write(frame)
}

var pingFrame = []byte(`{"type":"ping"}`)

// Ping sends the protocol's ping; the server answers with a pong message.
// (Websocket ping frames from the server are answered on their own.)
func (c *Conn) Ping() error { return c.write(pingFrame) }

func (c *Conn) write(frame []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.writeLocked(frame)
}

// writeLocked writes one text frame; c.wmu is held, so c.link is stable.
func (c *Conn) writeLocked(frame []byte) error {
	ws := c.link.ws
	ws.SetWriteDeadline(time.Now().Add(writeWait))
	return ws.WriteMessage(websocket.TextMessage, frame)
}

// Pending returns the op ids sent and not yet answered, in the order they
// were first sent.
func (c *Conn) Pending() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := make([]string, 0, len(c.pending))
	for id := range c.pending {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int { return cmp.Compare(c.pending[a].order, c.pending[b].order) })
	return ids
}

// pendingFrames returns the frames of the pending ops, in the order they
// were first sent.
func (c *Conn) pendingFrames() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	ops := make([]pendingOp, 0, len(c.pending))
	for _, p := range c.pending {
		ops = append(ops, p)
	}
	slices.SortFunc(ops, func(a, b pendingOp) int { return cmp.Compare(a.order, b.order) })
	frames := make([][]byte, len(ops))
	for i, p := range ops {
		frames[i] = p.frame
	}
	return frames
}

// Retryable reports whether an error code means "keep the op pending and
// send it again later" (docs/protocol.md): the op was not applied, and
// may be next time.
func Retryable(code string) bool {
	return code == string(apperr.RateLimited) || code == string(apperr.Internal)
}

// settle updates the pending ops for an answer: an ack or a final error
// ends an op; a retryable error sends it again after the wait the server
// asked for.
func (c *Conn) settle(m *Message) {
	switch {
	case m.Ack != nil:
		c.mu.Lock()
		delete(c.pending, m.Ack.OpID)
		c.mu.Unlock()
	case m.Error != nil && m.Error.OpID != "":
		if Retryable(m.Error.Code) {
			wait := time.Duration(m.Error.RetryAfterMs) * time.Millisecond
			if wait <= 0 {
				wait = defaultRetry
			}
			opID := m.Error.OpID
			time.AfterFunc(wait, func() { c.resend(opID) })
			return
		}
		c.mu.Lock()
		delete(c.pending, m.Error.OpID)
		c.mu.Unlock()
	}
}

// resend writes a still pending op again. A failed write leaves it
// pending for Reconnect.
func (c *Conn) resend(opID string) {
	c.mu.Lock()
	p, ok := c.pending[opID]
	closed := c.closed
	c.mu.Unlock()
	if ok && !closed {
		c.write(p.frame)
	}
}
