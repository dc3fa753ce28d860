package liveclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"atelier/sessions"
)

// The server's message types.
const (
	TypeWelcome  = "welcome"
	TypeSnapshot = "snapshot"
	TypeEvent    = "event"
	TypeSynced   = "synced"
	TypeAck      = "ack"
	TypeError    = "error"
	TypePong     = "pong"
	TypeBatch    = "batch"
)

// Header is what the Conn reads of every message before decoding it.
type Header struct {
	Type string
	Seq  int64 // of a welcome, snapshot, event or synced
}

// Message is one decoded server message: the field that Type names is set
// (none for a pong).
type Message struct {
	Type     string
	Welcome  *sessions.Welcome
	Snapshot *sessions.Snapshot
	Event    *sessions.EventMessage
	Synced   *sessions.Synced
	Ack      *sessions.Ack
	Error    *sessions.ErrorMessage
	// Raw is the message as it came, when it has a type this package does
	// not know or could not be decoded.
	Raw []byte
	// At is when the frame that held the message arrived.
	At time.Time
}

// String shows the message for test failures.
func (m Message) String() string {
	var v any
	switch {
	case m.Welcome != nil:
		v = m.Welcome
	case m.Snapshot != nil:
		v = m.Snapshot
	case m.Event != nil:
		v = m.Event
	case m.Synced != nil:
		v = m.Synced
	case m.Ack != nil:
		v = m.Ack
	case m.Error != nil:
		v = m.Error
	case m.Raw != nil:
		return string(m.Raw)
	default:
		return fmt.Sprintf(`{"type":%q}`, m.Type)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

var (
	typePrefix = []byte(`{"type":"`)
	seqNext    = []byte(`","seq":`)
	seqKey     = []byte(`"seq":`)
)

// parseHeader reads a message's type and seq. The form the server writes
// (type first, seq next) is read by position without allocating; any other
// form goes through encoding/json.
func parseHeader(m []byte) Header {
	if rest, ok := bytes.CutPrefix(m, typePrefix); ok {
		end := bytes.IndexByte(rest, '"')
		if end > 0 && bytes.IndexByte(rest[:end], '\\') < 0 {
			h := Header{Type: typeName(rest[:end])}
			switch h.Type {
			case TypeWelcome, TypeSnapshot, TypeEvent, TypeSynced:
			default:
				return h
			}
			if n, ok := leadingInt(rest[end:], seqNext); ok {
				h.Seq = n
				return h
			}
			if i := bytes.Index(m, seqKey); i >= 0 {
				if n, ok := leadingInt(m[i:], seqKey); ok {
					h.Seq = n
					return h
				}
			}
		}
	}
	var h struct {
		Type string `json:"type"`
		Seq  int64  `json:"seq"`
	}
	json.Unmarshal(m, &h) // a message that is no JSON object has no type
	return Header{Type: h.Type, Seq: h.Seq}
}

// leadingInt reads the digits right after prefix (spaces allowed between).
func leadingInt(b, prefix []byte) (int64, bool) {
	rest, ok := bytes.CutPrefix(b, prefix)
	if !ok {
		return 0, false
	}
	rest = bytes.TrimLeft(rest, " ")
	var n int64
	k := 0
	for ; k < len(rest) && k < 18 && rest[k] >= '0' && rest[k] <= '9'; k++ {
		n = n*10 + int64(rest[k]-'0')
	}
	return n, k > 0
}

// typeName returns the constant for a known type, so that reading a
// header allocates nothing.
func typeName(b []byte) string {
	switch string(b) {
	case TypeEvent:
		return TypeEvent
	case TypeAck:
		return TypeAck
	case TypeBatch:
		return TypeBatch
	case TypeWelcome:
		return TypeWelcome
	case TypeSnapshot:
		return TypeSnapshot
	case TypeSynced:
		return TypeSynced
	case TypeError:
		return TypeError
	case TypePong:
		return TypePong
	}
	return string(b)
}

// decode decodes a message into its sessions type.
func decode(h Header, m []byte) Message {
	msg := Message{Type: h.Type}
	var err error
	switch h.Type {
	case TypeWelcome:
		msg.Welcome = new(sessions.Welcome)
		err = json.Unmarshal(m, msg.Welcome)
	case TypeSnapshot:
		msg.Snapshot = new(sessions.Snapshot)
		err = json.Unmarshal(m, msg.Snapshot)
	case TypeEvent:
		msg.Event = new(sessions.EventMessage)
		err = json.Unmarshal(m, msg.Event)
	case TypeSynced:
		msg.Synced = new(sessions.Synced)
		err = json.Unmarshal(m, msg.Synced)
	case TypeAck:
		msg.Ack = new(sessions.Ack)
		err = json.Unmarshal(m, msg.Ack)
	case TypeError:
		msg.Error = new(sessions.ErrorMessage)
		err = json.Unmarshal(m, msg.Error)
	case TypePong:
	default:
		return Message{Type: h.Type, Raw: bytes.Clone(m)}
	}
	if err != nil {
		return Message{Type: h.Type, Raw: bytes.Clone(m)}
	}
	return msg
}

// Next returns the next message, waiting until one arrives, the websocket
// ends (ErrClosed) or ctx is done.
func (c *Conn) Next(ctx context.Context) (Message, error) {
	if c.msgs == nil {
		return Message{}, errors.New("liveclient: messages go to OnMessage")
	}
	select {
	case m := <-c.msgs:
		return m, nil
	default:
	}
	l := c.current()
	select {
	case m := <-c.msgs:
		return m, nil
	case <-l.done:
		// The reader has stopped: whatever it delivered is in the channel.
		select {
		case m := <-c.msgs:
			return m, nil
		default:
			return Message{}, closedError(l)
		}
	case <-ctx.Done():
		return Message{}, ctx.Err()
	}
}

// Until reads messages until one of type typ and returns them all, that
// one last.
func (c *Conn) Until(ctx context.Context, typ string) ([]Message, error) {
	var out []Message
	for {
		m, err := c.Next(ctx)
		if err != nil {
			return out, err
		}
		out = append(out, m)
		if m.Type == typ {
			return out, nil
		}
	}
}

// OpError is the server's refusal of an op.
type OpError struct {
	sessions.ErrorMessage
}

func (e *OpError) Error() string {
	return "liveclient: op " + e.OpID + " refused: " + e.Code + ": " + e.Message
}

// WaitAck reads messages until the answer to opID and returns its ack, or
// an *OpError when the server refused the op. Retryable refusals are not
// answers: the Conn sends the op again and WaitAck goes on waiting. The
// messages read before the answer are dropped; use Until to see them.
func (c *Conn) WaitAck(ctx context.Context, opID string) (*sessions.Ack, error) {
	for {
		m, err := c.Next(ctx)
		if err != nil {
			return nil, err
		}
		switch {
		case m.Ack != nil && m.Ack.OpID == opID:
			return m.Ack, nil
		case m.Error != nil && m.Error.OpID == opID && !Retryable(m.Error.Code):
			return nil, &OpError{*m.Error}
		}
	}
}
