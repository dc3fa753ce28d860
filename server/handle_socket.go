package server

import (
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/gorilla/websocket"
)

// maxPingFrame bounds what a client may send on the ping socket.
const maxPingFrame = 1 << 10

// upgrader returns a gorilla upgrader that accepts only our own origin: a
// page on another site must not open a socket with our visitor's cookies.
func (s *server) upgrader() *websocket.Upgrader {
	return &websocket.Upgrader{
		ReadBufferSize:  1024,
		WriteBufferSize: 1024,
		CheckOrigin: func(r *http.Request) bool {
			origin := r.Header.Get("Origin")
			if origin == "" {
				return true // not a browser: cookies are not sent cross-site anyway
			}
			u, err := url.Parse(origin)
			return err == nil && u.Host == r.Host
		},
	}
}

// handlePingSocket is a small websocket that answers "ping" with "pong". It
// lets a page (and the test suite) check that the upgrade path works end to
// end through Fiber's adaptor, and it shows the shape every socket follows:
// register with the hub, a reader that notices a peer going away, a writer
// with keep-alive pings, and the hub closing it at shutdown.
func (s *server) handlePingSocket() fiber.Handler {
	up := s.upgrader()
	return adaptor.HTTPHandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return // the upgrader has answered the client
		}
		if !s.deps.Hub.Register(conn) {
			conn.Close()
			return
		}
		defer s.deps.Hub.Unregister(conn)
		defer conn.Close()
		s.pingLoop(conn)
	})
}

func (s *server) pingLoop(conn *websocket.Conn) {
	conn.SetReadLimit(maxPingFrame)
	conn.SetReadDeadline(time.Now().Add(s.cfg.PongWait))
	conn.SetPongHandler(func(string) error {
		return conn.SetReadDeadline(time.Now().Add(s.cfg.PongWait))
	})

	var writeMu sync.Mutex
	write := func(kind int, data []byte) error {
		writeMu.Lock()
		defer writeMu.Unlock()
		conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
		return conn.WriteMessage(kind, data)
	}

	// Fasthttp does not cancel anything when a client goes away: the reader
	// is what notices, and it stops the keep-alive writer.
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(s.cfg.PingInterval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if err := write(websocket.PingMessage, nil); err != nil {
					conn.Close()
					return
				}
			}
		}
	}()
	defer close(done)

	for {
		kind, msg, err := conn.ReadMessage()
		if err != nil {
			return
		}
		conn.SetReadDeadline(time.Now().Add(s.cfg.PongWait))
		if kind == websocket.TextMessage && string(msg) == `{"type":"ping"}` {
			if err := write(websocket.TextMessage, []byte(`{"type":"pong"}`)); err != nil {
				return
			}
		}
	}
}
