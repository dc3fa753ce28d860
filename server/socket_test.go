package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"atelier/accounts"
)

// dialPing opens the ping socket with c's cookies.
func (ts *testServer) dialPing(t *testing.T, c *http.Client, origin string) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	u, _ := url.Parse(ts.URL)
	h := http.Header{}
	for _, ck := range c.Jar.Cookies(u) {
		h.Add("Cookie", ck.Name+"="+ck.Value)
	}
	if origin != "" {
		h.Set("Origin", origin)
	}
	return websocket.DefaultDialer.Dial("ws://"+u.Host+"/ws/ping", h)
}

// TestWebsocketUpgradeAndIdleSurvival guards the gorilla-behind-Fiber path:
// DESIGN.md lists fasthttp versions that fail the handshake, panic or drop
// idle sockets. This test fails on any of those after a dependency update.
func TestWebsocketUpgradeAndIdleSurvival(t *testing.T) {
	ts := newTestServer(t, func(c *Config) {
		c.ReadTimeout = 300 * time.Millisecond
		c.IdleTimeout = 300 * time.Millisecond
		c.WriteTimeout = 300 * time.Millisecond
		c.PingInterval = 150 * time.Millisecond
		c.PongWait = 600 * time.Millisecond
	})
	c := ts.client(t)
	ts.login(t, c, accounts.Facilitator)

	conn, res, err := ts.dialPing(t, c, ts.URL)
	if err != nil {
		status := 0
		if res != nil {
			status = res.StatusCode
		}
		t.Fatalf("upgrade failed (status %d): %v", status, err)
	}
	defer conn.Close()

	// A reader answers the server's keep-alive pings (gorilla does that
	// while reading) and hands text messages over.
	msgs := make(chan string, 8)
	readErr := make(chan error, 1)
	go func() {
		for {
			_, m, err := conn.ReadMessage()
			if err != nil {
				readErr <- err
				return
			}
			msgs <- string(m)
		}
	}()
	exchange := func(when string) {
		t.Helper()
		if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"ping"}`)); err != nil {
			t.Fatalf("%s: write: %v", when, err)
		}
		select {
		case m := <-msgs:
			if m != `{"type":"pong"}` {
				t.Fatalf("%s: got %q", when, m)
			}
		case err := <-readErr:
			t.Fatalf("%s: socket closed: %v", when, err)
		case <-time.After(3 * time.Second):
			t.Fatalf("%s: no pong", when)
		}
	}
	exchange("first exchange")
	if got := ts.Hub.Count(); got != 1 {
		t.Fatalf("hub holds %d connections, want 1", got)
	}

	// Idle for five times every server timeout.
	time.Sleep(1500 * time.Millisecond)
	exchange("after idling past the read, idle and pong timeouts")

	// Shutdown closes the socket through the hub.
	ts.Hub.Close()
	select {
	case <-readErr:
	case <-time.After(3 * time.Second):
		t.Fatal("socket still open after the hub closed")
	}
}

func TestWebsocketRefusesForeignOriginAndAnonymous(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	ts.login(t, c, accounts.Facilitator)
	if _, res, err := ts.dialPing(t, c, "https://evil.example"); err == nil || res == nil || res.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign origin: err=%v res=%v, want 403", err, res)
	}
	_, res, err := ts.dialPing(t, ts.client(t), "")
	if err == nil || res == nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("anonymous: err=%v, want 401", err)
	}
	if ct := res.Header.Get("Content-Type"); !strings.Contains(ct, "json") {
		t.Fatalf("anonymous socket refusal is %q, want JSON", ct)
	}
}
