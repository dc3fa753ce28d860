package server

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/gorilla/websocket"

	"atelier/i18n"
	"atelier/internal/apperr"
	"atelier/pii"
	"atelier/sessions"
)

// Websocket limits of docs/protocol.md.
const (
	maxClientFrame = 8 << 10
	helloWait      = 15 * time.Second
)

// liveActor is who is on the other end of a session socket.
type liveActor struct {
	session     *sessions.Session
	participant *sessions.Participant
	facilitator bool
	userID      int64  // the facilitator's account
	name        string // the facilitator, for the audit trail
	lang        i18n.Lang
}

// handleLiveSocket is the websocket of a live session (docs/protocol.md):
// identify the person, upgrade, read hello, subscribe, catch up, then pump
// messages both ways until either side goes.
func (s *server) handleLiveSocket() fiber.Handler {
	up := s.upgrader()
	up.ReadBufferSize, up.WriteBufferSize = 2048, 4096
	// Write buffers come from a pool while a message is being written,
	// instead of sitting with every idle connection.
	up.WriteBufferPool = &sync.Pool{}
	return func(c *fiber.Ctx) error {
		actor, err := s.liveActor(c)
		if err != nil {
			return err
		}
		s.limitSendBuffer(c)
		return adaptor.HTTPHandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			conn, err := up.Upgrade(w, r, nil)
			if err != nil {
				return
			}
			if !s.deps.Hub.Register(conn) {
				conn.Close()
				return
			}
			defer s.deps.Hub.Unregister(conn)
			defer conn.Close()
			s.serveLive(conn, actor)
		})(c)
	}
}

// liveActor finds the participant (by cookie) or facilitator (by account)
// for the session in the URL, before the upgrade, so that a refusal is a
// plain HTTP answer. Whoever may not take part gets the same answer for a
// session that exists as for one that does not: session ids cannot be
// counted from outside.
func (s *server) liveActor(c *fiber.Ctx) (*liveActor, error) {
	notFound := apperr.New(apperr.NotFound, "sessions.not_found")
	id, err := paramID(c, "id")
	if err != nil {
		return nil, notFound
	}
	ctx := c.UserContext()
	a := &liveActor{lang: langOf(c)}
	if p, err := s.deps.Sessions.ParticipantByToken(ctx, c.Cookies(s.participantCookie())); err == nil && p.SessionID == id {
		a.participant = p
	} else if u := userOf(c); u != nil {
		a.facilitator, a.userID, a.name = true, u.ID, actorOf(u)
	} else {
		return nil, notFound
	}
	if a.session, err = s.deps.Sessions.Get(ctx, id); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return nil, notFound
		}
		return nil, err
	}
	if a.facilitator && s.canRun(c, userOf(c), a.session) != nil {
		return nil, notFound
	}
	return a, nil
}

func (s *server) serveLive(conn *websocket.Conn, a *liveActor) {
	conn.SetReadLimit(maxClientFrame)
	conn.SetReadDeadline(time.Now().Add(helloWait))
	data, ok := s.readFrame(conn)
	if !ok {
		return
	}
	var hello sessions.ClientMessage
	if !isObject(data) || json.Unmarshal(data, &hello) != nil || hello.Type != "hello" || hello.Since != nil && *hello.Since < 0 {
		// Not a protocol this server speaks: say why, then close with
		// 1002 (protocol error), which tells a client to fix itself rather
		// than retry.
		conn.SetWriteDeadline(s.writeDeadline())
		conn.WriteMessage(websocket.TextMessage, frameError("sessions.hello_expected", a.lang))
		s.closeWith(conn, websocket.CloseProtocolError, "hello expected")
		return
	}
	var since int64
	if hello.Since != nil {
		since = *hello.Since
	}

	var pid int64
	if a.participant != nil {
		pid = a.participant.ID
	}
	sub := sessions.NewSubscriber(a.session.ID, pid, a.facilitator)
	if !s.deps.Hub.Subscribe(sub) {
		return
	}
	defer s.deps.Hub.Unsubscribe(sub)

	// Subscribed first, then read: nothing published in between is lost;
	// what arrives twice is skipped by its sequence number.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	msgs, seq, err := s.deps.Live.CatchUp(ctx, a.session.ID, a.participant, since)
	cancel()
	if err != nil {
		s.log.Error("catch up", "err", err.Error())
		s.closeWith(conn, websocket.CloseInternalServerErr, "")
		return
	}
	sess, err := s.deps.Sessions.Get(context.Background(), a.session.ID)
	if err != nil {
		return
	}
	welcome := sessions.Welcome{Type: "welcome", Seq: seq, Session: sess.View(), You: sessions.You{Facilitator: a.facilitator}}
	if a.participant != nil {
		welcome.You.Participant = "p" + itoa64(a.participant.ID)
		welcome.You.Pseudonym, welcome.You.Role = a.participant.Pseudonym, a.participant.Role
	}
	first := append([]sessions.Message{{Data: sessions.Encode(welcome)}}, msgs...)
	first = append(first, sessions.Message{Data: sessions.Encode(sessions.Synced{Type: "synced", Seq: seq})})
	conn.SetWriteDeadline(s.writeDeadline())
	if err := writeFrame(conn, first); err != nil {
		return
	}

	// The writer owns the connection's writes from here on.
	writerDone := make(chan struct{})
	stop := make(chan struct{})
	go func() {
		defer close(writerDone)
		s.writeLive(conn, sub, seq, stop)
	}()
	s.readLive(conn, a, sub)
	// The reader ends when the connection failed, the client closed it or
	// went silent: a write still waiting on it has no one to reach.
	conn.Close()
	close(stop)
	<-writerDone
}

// writeDeadline is how long a write to a live connection may wait for the
// client to take it in: as long as the keep-alive lets a silent client
// stay. A client that stopped reading for a while and reads again then
// finds everything that fitted in the network buffers and, if its send
// queue overflowed meanwhile, the close frame with 4008 behind it; a
// shorter wait broke the connection in the middle of a frame, and the
// client saw 1006 with no reason given.
func (s *server) writeDeadline() time.Time {
	return time.Now().Add(s.cfg.PongWait)
}

// readLive handles client frames until the connection fails. Fasthttp does
// not tell us when a client goes away; this read failing is how we learn.
func (s *server) readLive(conn *websocket.Conn, a *liveActor, sub *sessions.Subscriber) {
	conn.SetReadDeadline(time.Now().Add(s.cfg.PongWait))
	conn.SetPongHandler(func(string) error { return conn.SetReadDeadline(time.Now().Add(s.cfg.PongWait)) })
	reply := func(m sessions.Message) { sub.Send(m) }
	answer := func(r sessions.Reply) { sub.Send(sessions.Message{Data: encodeReply(r, a.lang)}) }
	for {
		data, ok := s.readFrame(conn)
		if !ok {
			return
		}
		conn.SetReadDeadline(time.Now().Add(s.cfg.PongWait))
		// A frame the server cannot read gets an error without op_id and
		// the connection stays open: one bad frame from a client with a
		// bug must not cost a participant their pending notes.
		var m sessions.ClientMessage
		if !isObject(data) || json.Unmarshal(data, &m) != nil {
			reply(sessions.Message{Data: frameError("sessions.frame_invalid", a.lang)})
			continue
		}
		switch m.Type {
		case "ping":
			reply(sessions.Message{Data: sessions.Pong})
		case "op":
			s.deps.Live.Submit(&sessions.Op{SessionID: a.session.ID, OpID: m.OpID, Name: m.Op, Data: m.Data, Reply: answer,
				Actor: sessions.Actor{Participant: a.participant, Facilitator: a.facilitator, UserID: a.userID, Name: a.name}})
		case "hello":
			// Already welcomed; a second hello is ignored.
		default:
			reply(sessions.Message{Data: frameError("sessions.type_unknown", a.lang)})
		}
	}
}

// limitSendBuffer caps the kernel's send buffer of a live connection.
// Left alone, it grows to megabytes for a phone that stopped reading, and
// the send queue (which says "too slow" in time, with 4008) never fills; a
// few dozen kilobytes carry any workshop's notes.
func (s *server) limitSendBuffer(c *fiber.Ctx) {
	if s.cfg.SocketSendBuffer <= 0 {
		return
	}
	conn := c.Context().Conn()
	if t, ok := conn.(interface{ NetConn() net.Conn }); ok { // TLS
		conn = t.NetConn()
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		tcp.SetWriteBuffer(s.cfg.SocketSendBuffer)
	}
}

// readFrame reads one client frame. Only text frames of valid UTF-8 are
// part of the protocol: a binary frame closes the connection with 1003
// (unsupported data) and invalid UTF-8 with 1007 (invalid payload), before
// anything of it is applied or stored.
func (s *server) readFrame(conn *websocket.Conn) ([]byte, bool) {
	kind, data, err := conn.ReadMessage()
	if err != nil {
		return nil, false
	}
	switch {
	case kind != websocket.TextMessage:
		s.closeWith(conn, websocket.CloseUnsupportedData, "text frames only")
		return nil, false
	case !utf8.Valid(data):
		s.closeWith(conn, websocket.CloseInvalidFramePayloadData, "invalid UTF-8")
		return nil, false
	}
	return data, true
}

// isObject reports whether a frame is a JSON object (and not, say, an
// array or a string that would unmarshal into nothing).
func isObject(data []byte) bool {
	data = bytes.TrimLeft(data, " \t\r\n")
	return len(data) > 0 && data[0] == '{'
}

// frameError is an error about a frame as a whole, with no op_id.
func frameError(key string, lang i18n.Lang) []byte {
	return sessions.Encode(sessions.ErrorMessage{Type: "error", Code: string(apperr.Invalid), Message: i18n.T(lang, key)})
}

// encodeReply puts the engine's answer to an op into words in the
// connection's language: an error with its message, or the ack with a
// notice of what the privacy guard removed.
func encodeReply(r sessions.Reply, lang i18n.Lang) []byte {
	if r.Err != nil {
		return sessions.Encode(sessions.ErrorMessage{Type: "error", OpID: r.OpID, Code: string(r.Err.Code),
			Message: i18n.ErrorText(lang, r.Err, i18n.T(lang, "sessions.internal")), RetryAfterMs: r.RetryAfterMs})
	}
	ack := *r.Ack
	if len(ack.Removed) > 0 {
		removed := make([]pii.Redaction, len(ack.Removed))
		for i, rv := range ack.Removed {
			removed[i] = pii.Redaction(rv)
		}
		ack.Notice = pii.DescribeRedactions(removed, lang)
	}
	return sessions.Encode(ack)
}

// writeLive sends queued messages, several to a frame when they wait
// together, skipping events already sent while catching up, and keeps the
// connection alive with pings.
func (s *server) writeLive(conn *websocket.Conn, sub *sessions.Subscriber, sentUpTo int64, stop <-chan struct{}) {
	ping := time.NewTicker(s.cfg.PingInterval)
	defer ping.Stop()
	var batch []sessions.Message
	for {
		select {
		case <-stop:
			return
		case <-sub.Done():
			// A session that ends closes with 1000 after its last event
			// (session.changed, state closed) has gone out; a connection
			// that fell a whole queue behind is closed at once.
			if code := sub.CloseCode(); code == sessions.CloseNormal {
				if out := unsent(sub.Take(batch), sentUpTo); len(out) > 0 {
					conn.SetWriteDeadline(s.writeDeadline())
					writeFrame(conn, out)
				}
			}
			s.closeWith(conn, sub.CloseCode(), "")
			return
		case <-ping.C:
			conn.SetWriteDeadline(s.writeDeadline())
			if err := conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				conn.Close()
				return
			}
		case <-sub.Ready():
			batch = sub.Take(batch)
			out := unsent(batch, sentUpTo)
			if len(out) == 0 {
				continue
			}
			conn.SetWriteDeadline(s.writeDeadline())
			if err := writeFrame(conn, out); err != nil {
				conn.Close() // the reader sees it and ends the connection
				return
			}
		}
	}
}

// unsent keeps the messages of batch that were not already sent while
// catching up (events up to sentUpTo), reusing batch's array.
func unsent(batch []sessions.Message, sentUpTo int64) []sessions.Message {
	out := batch[:0]
	for _, m := range batch {
		if m.Seq != 0 && m.Seq <= sentUpTo {
			continue
		}
		out = append(out, m)
	}
	return out
}

// writeFrame sends one message as it is, or several as a batch, streaming
// them into the connection's write buffer: with a thousand connections,
// building each batch in a buffer of its own first is what the profile
// showed costing most (allocation and garbage collection).
func writeFrame(conn *websocket.Conn, msgs []sessions.Message) error {
	w, err := conn.NextWriter(websocket.TextMessage)
	if err != nil {
		return err
	}
	if len(msgs) == 1 {
		w.Write(msgs[0].Data)
		return w.Close()
	}
	w.Write(batchOpen)
	for i, m := range msgs {
		if i > 0 {
			w.Write(comma)
		}
		w.Write(m.Data)
	}
	w.Write(batchClose)
	return w.Close()
}

var (
	batchOpen  = []byte(`{"type":"batch","items":[`)
	batchClose = []byte(`]}`)
	comma      = []byte(`,`)
)

func (s *server) closeWith(conn *websocket.Conn, code int, text string) {
	conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
	conn.Close()
}
