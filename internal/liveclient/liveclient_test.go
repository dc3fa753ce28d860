package liveclient

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// These tests run the client against a scripted server: each websocket the
// server accepts runs the next script, which says exactly what the server
// sends and checks what the client sends. The real server is the peer of
// the server package's tests, the kill -9 test and the load generator's.

type script func(t *testing.T, ws *websocket.Conn, r *http.Request)

// scripted serves /ws/sessions/7, one script per connection, and returns
// its base URL.
func scripted(t *testing.T, scripts ...script) string {
	t.Helper()
	var n atomic.Int32
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/ws/sessions/7" {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("Origin") != "http://"+r.Host {
			http.Error(w, "foreign origin", http.StatusForbidden)
			return
		}
		i := int(n.Add(1)) - 1
		if i >= len(scripts) {
			t.Errorf("connection %d: no script for it", i+1)
			return
		}
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			t.Errorf("upgrade: %v", err)
			return
		}
		defer ws.Close()
		scripts[i](t, ws, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// receive reads one client frame as a map; ok is false once the client
// has gone (or sent nothing for 5 s).
func receive(t *testing.T, ws *websocket.Conn) (m map[string]any, ok bool) {
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, data, err := ws.ReadMessage()
	if err != nil {
		return nil, false
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Errorf("client sent %q: %v", data, err)
	}
	return m, true
}

// expectHello reads the hello and checks its since.
func expectHello(t *testing.T, ws *websocket.Conn, since float64) {
	t.Helper()
	if m, _ := receive(t, ws); m["type"] != "hello" || m["since"] != since {
		t.Errorf("first frame %v, want hello since %v", m, since)
	}
}

func emit(ws *websocket.Conn, frames ...string) {
	for _, f := range frames {
		ws.WriteMessage(websocket.TextMessage, []byte(f))
	}
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func dial(t *testing.T, opts Options) *Conn {
	t.Helper()
	c, err := Dial(testContext(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

const welcome = `{"type":"welcome","seq":9,"you":{"participant":"p3","pseudonym":"Blauwe Reiger","role":"parent","facilitator":false},` +
	`"session":{"id":7,"title":"Werksessie","question":"Hoe?","state":"open","vote_budget":5,"clusters":[{"id":"C2","label":"Eenoudergezinnen"}],` +
	`"phase":"verkennen","timer_ends_at":"","focus":"","private":false,"tallies_hidden":false,"locked":false}}`

// TestCatchUp: cookies and Origin on the upgrade, hello with since, a
// batch of welcome, missed events and synced, decoded into the sessions
// types, and the sequence tracked.
func TestCatchUp(t *testing.T) {
	base := scripted(t, func(t *testing.T, ws *websocket.Conn, r *http.Request) {
		for _, want := range []string{"atelier_participant=tok", "extra=1"} {
			if !strings.Contains(r.Header.Get("Cookie"), want) {
				t.Errorf("Cookie %q lacks %q", r.Header.Get("Cookie"), want)
			}
		}
		expectHello(t, ws, 7)
		emit(ws, `{"type":"batch","items":[`+welcome+`,`+
			`{"type":"event","seq":8,"kind":"note.created","note":{"id":"n1","cluster":"C2","kind":"zorg","text":"Een \"vraag\"]}","author":"Oranje Vos","role":"youth","mine":false,"version":1,"votes":0,"created_at":"2026-11-25T10:06:02Z"}},`+
			`{"type":"event","seq":9,"kind":"votes.changed","note_id":"n1","votes":2},`+
			`{"type":"synced","seq":9}]}`)
		receive(t, ws) // until the client goes
	})
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(base)
	jar.SetCookies(u, []*http.Cookie{{Name: "atelier_participant", Value: "tok"}})
	c := dial(t, Options{URL: base, Session: 7, Client: &http.Client{Jar: jar}, Cookies: []*http.Cookie{{Name: "extra", Value: "1"}}, Since: 7})
	msgs, err := c.Until(testContext(t), TypeSynced)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 4 || msgs[0].Welcome == nil || msgs[1].Event == nil || msgs[2].Event == nil || msgs[3].Synced == nil {
		t.Fatalf("messages %v", msgs)
	}
	if w := msgs[0].Welcome; w.You.Pseudonym != "Blauwe Reiger" || len(w.Session.Clusters) != 1 || w.Session.Clusters[0].ID != "C2" {
		t.Errorf("welcome %+v", w)
	}
	if n := msgs[1].Event.Note; n == nil || n.Text != `Een "vraag"]}` || msgs[2].Event.Votes == nil || *msgs[2].Event.Votes != 2 {
		t.Errorf("events %v %v", msgs[1], msgs[2])
	}
	if !msgs[0].At.Equal(msgs[3].At) {
		t.Errorf("items of one frame arrived at %v and %v", msgs[0].At, msgs[3].At)
	}
	if err := c.WaitSynced(testContext(t)); err != nil || c.SyncLatency() <= 0 {
		t.Errorf("synced: %v, latency %v", err, c.SyncLatency())
	}
	if c.LastSeq() != 9 || c.Stats() != (Stats{}) {
		t.Errorf("last seq %d, stats %+v", c.LastSeq(), c.Stats())
	}
}

// TestOpsPendingUntilAnswered: an ack ends an op, a final error too, a
// rate_limited answer makes the client send the same op again, and an
// unanswered op stays pending.
func TestOpsPendingUntilAnswered(t *testing.T) {
	base := scripted(t, func(t *testing.T, ws *websocket.Conn, r *http.Request) {
		expectHello(t, ws, 0)
		emit(ws, welcome, `{"type":"snapshot","seq":9,"notes":[],"excerpts":[],"themes":[],"my_votes":{},"votes_left":5}`, `{"type":"synced","seq":9}`)
		seen := map[string]int{}
		for {
			m, ok := receive(t, ws)
			if !ok {
				return
			}
			id, _ := m["op_id"].(string)
			if m["type"] == "ping" {
				emit(ws, `{"type":"pong"}`)
				continue
			}
			if data, _ := m["data"].(map[string]any); m["op"] != "note.create" || data["text"] != "Hallo" {
				t.Errorf("op frame %v", m)
			}
			seen[id]++
			switch {
			case id == "a" && seen[id] == 1:
				emit(ws, `{"type":"error","op_id":"a","code":"rate_limited","message":"Rustig aan.","retry_after_ms":20}`)
			case id == "a":
				emit(ws, `{"type":"event","seq":10,"kind":"hidden"}`, `{"type":"ack","op_id":"a","seq":10,"id":"n4"}`)
			case id == "b":
				emit(ws, `{"type":"error","op_id":"b","code":"invalid","message":"Te lang."}`)
			}
		}
	})
	c := dial(t, Options{URL: base, Session: 7})
	if err := c.WaitSynced(testContext(t)); err != nil {
		t.Fatal(err)
	}
	note := map[string]string{"cluster": "C2", "kind": "zorg", "text": "Hallo"}
	for _, id := range []string{"a", "b", "c"} {
		if err := c.SendOp(id, "note.create", note); err != nil {
			t.Fatal(err)
		}
	}
	// The server answers a (rate_limited), b (refused), then a again.
	var oe *OpError
	if _, err := c.WaitAck(testContext(t), "b"); !errors.As(err, &oe) || oe.Code != "invalid" || oe.Message != "Te lang." {
		t.Fatalf("b: %v", err)
	}
	ack, err := c.WaitAck(testContext(t), "a")
	if err != nil || ack.Seq != 10 || ack.ID != "n4" {
		t.Fatalf("ack of a: %+v %v", ack, err)
	}
	if got := c.Pending(); !slices.Equal(got, []string{"c"}) {
		t.Fatalf("pending after the answers: %v", got)
	}
	if err := c.Ping(); err != nil {
		t.Fatal(err)
	}
	if m, err := c.Next(testContext(t)); err != nil || m.Type != TypePong {
		t.Fatalf("after ping: %v %v", m, err)
	}
}
