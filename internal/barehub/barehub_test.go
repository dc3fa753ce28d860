package barehub

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// start serves a hub with a database in a temporary directory.
func start(t *testing.T, opts Options) (*Hub, *httptest.Server, string) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "bare.db")
	opts.DBPath = db
	h, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h.Handler())
	t.Cleanup(func() { srv.Close() })
	t.Cleanup(func() { h.Close() })
	return h, srv, db
}

func post(t *testing.T, c *http.Client, url string, body any, out any) int {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := c.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

// openSession creates and opens a session and returns its id and code.
func openSession(t *testing.T, srv *httptest.Server) (int64, string) {
	t.Helper()
	var s struct {
		ID    int64   `json:"id"`
		Code  *string `json:"code"`
		State string  `json:"state"`
	}
	if st := post(t, srv.Client(), srv.URL+"/api/sessions", map[string]any{"project": "smart-start-demo", "title": "t", "question": "Hoe kunnen we?", "clusters": []string{"C1", "C2"}}, &s); st != http.StatusCreated || s.Code != nil || s.State != "draft" {
		t.Fatalf("create: status %d, %+v", st, s)
	}
	if st := post(t, srv.Client(), fmt.Sprintf("%s/api/sessions/%d/open", srv.URL, s.ID), map[string]any{}, &s); st != http.StatusOK || s.Code == nil || s.State != "open" {
		t.Fatalf("open: status %d, %+v", st, s)
	}
	return s.ID, *s.Code
}

// member joins the session and connects; it returns the websocket after
// hello, with welcome, snapshot and synced read and checked.
func member(t *testing.T, srv *httptest.Server, id int64, code string) *websocket.Conn {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	var j struct {
		Session struct {
			ID int64 `json:"id"`
		} `json:"session"`
		Participant struct {
			Pseudonym string `json:"pseudonym"`
		} `json:"participant"`
	}
	if st := post(t, c, srv.URL+"/api/join", map[string]string{"code": code, "role": "parent"}, &j); st != http.StatusOK || j.Session.ID != id || j.Participant.Pseudonym == "" {
		t.Fatalf("join: status %d, %+v", st, j)
	}
	d := websocket.Dialer{Jar: jar}
	ws, _, err := d.Dial(fmt.Sprintf("ws%s/ws/sessions/%d", strings.TrimPrefix(srv.URL, "http"), id), http.Header{"Origin": {srv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"hello","since":0}`))
	var got []string
	for len(got) < 3 {
		for _, m := range readItems(t, ws) {
			got = append(got, m["type"].(string))
		}
	}
	if strings.Join(got, " ") != "welcome snapshot synced" {
		t.Fatalf("after hello: %v", got)
	}
	return ws
}

// read reads one frame and returns its message, or a batch frame.
func read(t *testing.T, ws *websocket.Conn) map[string]any {
	t.Helper()
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, data, err := ws.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", data, err)
	}
	return m
}

// readItems reads one frame and returns its messages (the items of a batch).
func readItems(t *testing.T, ws *websocket.Conn) []map[string]any {
	t.Helper()
	m := read(t, ws)
	if m["type"] != "batch" {
		return []map[string]any{m}
	}
	var out []map[string]any
	for _, it := range m["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

func note(opID, text string) []byte {
	b, _ := json.Marshal(map[string]any{"type": "op", "op_id": opID, "op": "note.create",
		"data": map[string]string{"cluster": "C1", "kind": "idee", "text": text}})
	return b
}

func TestNoteIsCommittedAckedAndBroadcast(t *testing.T) {
	h, srv, db := start(t, Options{})
	id, code := openSession(t, srv)
	a := member(t, srv, id, code)
	b := member(t, srv, id, code)

	a.WriteMessage(websocket.TextMessage, note("op-000000000001", "Een vast aanspreekpunt"))
	ack := read(t, a)
	if ack["type"] != "ack" || ack["op_id"] != "op-000000000001" || ack["seq"] != 1.0 {
		t.Fatalf("ack: %v", ack)
	}
	ev := read(t, a)
	if ev["type"] != "event" || ev["seq"] != 1.0 || ev["kind"] != "note.created" || ev["note"].(map[string]any)["mine"] != true {
		t.Fatalf("event to the author: %v", ev)
	}
	ev = read(t, b)
	n := ev["note"].(map[string]any)
	if ev["seq"] != 1.0 || n["text"] != "Een vast aanspreekpunt" || n["mine"] != false || n["id"] != ack["id"] {
		t.Fatalf("event to the other: %v", ev)
	}

	// The note is in the database (after Close, nothing is held back).
	h.Close()
	sdb, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	var count, seq int
	if err := sdb.QueryRow(`SELECT COUNT(*), MAX(seq) FROM notes WHERE session = ?`, id).Scan(&count, &seq); err != nil || count != 1 || seq != 1 {
		t.Fatalf("notes in the database: %d (max seq %d), %v", count, seq, err)
	}
}

func TestCoalescedBatchesKeepOrder(t *testing.T) {
	_, srv, _ := start(t, Options{Coalesce: true})
	id, code := openSession(t, srv)
	a := member(t, srv, id, code)
	b := member(t, srv, id, code)
	const n = 300
	for i := 0; i < n; i++ {
		a.WriteMessage(websocket.TextMessage, note(fmt.Sprintf("op-%012d", i), fmt.Sprintf("note %d", i)))
	}
	var last float64
	frames, got := 0, 0
	for got < n {
		frames++
		for _, ev := range readItems(t, b) {
			if ev["type"] != "event" || ev["seq"].(float64) != last+1 {
				t.Fatalf("after seq %v: %v", last, ev)
			}
			last = ev["seq"].(float64)
			got++
		}
	}
	t.Logf("%d events in %d frames", got, frames)
}

func TestSocketNeedsAParticipant(t *testing.T) {
	_, srv, _ := start(t, Options{})
	id, _ := openSession(t, srv)
	_, resp, err := websocket.DefaultDialer.Dial(fmt.Sprintf("ws%s/ws/sessions/%d", strings.TrimPrefix(srv.URL, "http"), id), http.Header{"Origin": {srv.URL}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("without a cookie: %v, %v", err, resp)
	}
}

func TestFullQueueClosesWith4008(t *testing.T) {
	h, srv, _ := start(t, Options{QueueSize: 4})
	id, code := openSession(t, srv)
	a := member(t, srv, id, code)
	// Fill the queue directly: a connection whose queue is full is dropped.
	var c *conn
	h.mu.Lock()
	for k := range h.conns {
		c = k
	}
	h.mu.Unlock()
	for i := 0; i < 1000; i++ {
		c.send([]byte(`{"type":"pong"}`))
	}
	a.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, _, err := a.ReadMessage()
		if err != nil {
			if !websocket.IsCloseError(err, 4008) {
				t.Fatalf("closed with %v, want 4008", err)
			}
			return
		}
	}
}
