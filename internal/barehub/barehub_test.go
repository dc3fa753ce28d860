package barehub

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"atelier/internal/liveclient"
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

// member joins the session and connects through the live client; it
// returns the connection after synced.
func member(t *testing.T, srv *httptest.Server, id int64, code string) *liveclient.Conn {
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
	conn, err := liveclient.Dial(t.Context(), liveclient.Options{URL: srv.URL, Session: id, Client: c})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	msgs, err := conn.Until(wait(t), liveclient.TypeSynced)
	var got []string
	for _, m := range msgs {
		got = append(got, m.Type)
	}
	if err != nil || strings.Join(got, " ") != "welcome snapshot synced" {
		t.Fatalf("after hello: %v, %v", got, err)
	}
	return conn
}

// wait bounds one wait for the server.
func wait(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// next returns the next message.
func next(t *testing.T, c *liveclient.Conn) liveclient.Message {
	t.Helper()
	m, err := c.Next(wait(t))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func note(t *testing.T, c *liveclient.Conn, opID, text string) {
	t.Helper()
	if err := c.SendOp(opID, "note.create", map[string]string{"cluster": "C1", "kind": "idee", "text": text}); err != nil {
		t.Fatal(err)
	}
}

func TestNoteIsCommittedAckedAndBroadcast(t *testing.T) {
	h, srv, db := start(t, Options{})
	id, code := openSession(t, srv)
	a := member(t, srv, id, code)
	b := member(t, srv, id, code)

	note(t, a, "op-000000000001", "Een vast aanspreekpunt")
	ack := next(t, a).Ack
	if ack == nil || ack.OpID != "op-000000000001" || ack.Seq != 1 {
		t.Fatalf("ack: %+v", ack)
	}
	ev := next(t, a).Event
	if ev == nil || ev.Seq != 1 || ev.Kind != "note.created" || ev.Note == nil || !ev.Note.Mine {
		t.Fatalf("event to the author: %+v", ev)
	}
	ev = next(t, b).Event
	if ev == nil || ev.Seq != 1 || ev.Note == nil || ev.Note.Text != "Een vast aanspreekpunt" || ev.Note.Mine || ev.Note.ID != ack.ID {
		t.Fatalf("event to the other: %+v", ev)
	}

	// A vote on it: acked, and everyone gets the note's new total.
	if err := b.SendOp("op-000000000002", "vote.add", map[string]string{"note": ack.ID}); err != nil {
		t.Fatal(err)
	}
	if va := next(t, b).Ack; va == nil || va.OpID != "op-000000000002" || va.Seq != 2 {
		t.Fatalf("vote ack: %+v", va)
	}
	for _, c := range []*liveclient.Conn{a, b} {
		ev := next(t, c).Event
		if ev == nil || ev.Kind != "votes.changed" || ev.Seq != 2 || ev.NoteID != ack.ID || ev.Votes == nil || *ev.Votes != 1 {
			t.Fatalf("vote event: %+v", ev)
		}
	}

	// The note and the vote are in the database (after Close, nothing is
	// held back).
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
	if err := sdb.QueryRow(`SELECT COUNT(*), MAX(seq) FROM votes WHERE session = ?`, id).Scan(&count, &seq); err != nil || count != 1 || seq != 2 {
		t.Fatalf("votes in the database: %d (max seq %d), %v", count, seq, err)
	}
}

func TestCoalescedBatchesKeepOrder(t *testing.T) {
	_, srv, _ := start(t, Options{Coalesce: true})
	id, code := openSession(t, srv)
	a := member(t, srv, id, code)
	b := member(t, srv, id, code)
	const n = 300
	for i := 0; i < n; i++ {
		note(t, a, fmt.Sprintf("op-%012d", i), fmt.Sprintf("note %d", i))
	}
	var last int64
	for last < n {
		ev := next(t, b).Event
		if ev == nil || ev.Seq != last+1 {
			t.Fatalf("after seq %d: %+v", last, ev)
		}
		last = ev.Seq
	}
	if st := b.Stats(); st.Stale != 0 || st.Gaps != 0 {
		t.Fatalf("out of order: %+v", st)
	}
}

func TestSocketNeedsAParticipant(t *testing.T) {
	_, srv, _ := start(t, Options{})
	id, _ := openSession(t, srv)
	_, err := liveclient.Dial(t.Context(), liveclient.Options{URL: srv.URL, Session: id})
	var de *liveclient.DialError
	if !errors.As(err, &de) || de.StatusCode != http.StatusForbidden {
		t.Fatalf("without a cookie: %v", err)
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
	for {
		if _, err := a.Next(wait(t)); err != nil {
			if a.CloseCode() != 4008 {
				t.Fatalf("closed with %v, want 4008", err)
			}
			return
		}
	}
}
