package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestRemoveParticipant: the facilitator sees who is there and removes a
// participant; that participant's connection closes with 1008, their
// cookie stops working, their note stays, others learn nothing of it, and
// the removal is in the audit trail.
func TestRemoveParticipant(t *testing.T) {
	ts := newTestServer(t)
	id, a, b, wall, bClient := ts.openLiveRoom(t)
	b.send(note("B", "zorg", "Blijft staan", "b1"))
	for _, c := range []*liveClient{a, b, wall} {
		c.nextEvent()
	}

	fac := ts.client(t)
	ts.login(t, fac, "facilitator")
	var info struct {
		Present      int `json:"present"`
		Participants []struct {
			ID, Pseudonym, Role string
			Connected, Removed  bool
		} `json:"participants"`
	}
	if st := ts.getJSON(t, fac, "/api/sessions/"+itoa64(id), &info); st != http.StatusOK {
		t.Fatalf("session: %d", st)
	}
	if info.Present != 2 || len(info.Participants) != 2 || !info.Participants[1].Connected || info.Participants[1].Role != "youth" {
		t.Fatalf("who is there: %+v", info)
	}
	youth := info.Participants[1].ID

	wall.send(facOp("r1", "participant.remove", map[string]any{"participant": youth}))
	if ev := wall.nextEvent(); ev["kind"] != "participant.removed" || ev["participant"] != youth {
		t.Fatalf("facilitator's event: %v", ev)
	}
	if ev := a.nextEvent(); ev["kind"] != "hidden" {
		t.Fatalf("another participant's event: %v", ev)
	}
	deadline := time.After(5 * time.Second)
	for closed := false; !closed; {
		select {
		case m, open := <-b.msgs:
			closed = !open
			if open && m["type"] != "ack" && m["kind"] != "hidden" {
				t.Fatalf("the removed participant got %v", m)
			}
		case <-deadline:
			t.Fatal("the removed participant's connection stayed open")
		}
	}
	if _, _, err := b.conn.ReadMessage(); !websocket.IsCloseError(err, websocket.ClosePolicyViolation) {
		t.Fatalf("removed participant's close: %v, want 1008", err)
	}
	if res, _ := ts.get(t, bClient, "/ws/sessions/"+itoa64(id)); res.StatusCode != http.StatusNotFound {
		t.Fatalf("the removed participant's socket: %d, want 404", res.StatusCode)
	}
	if res, _ := ts.get(t, bClient, "/s/"+itoa64(id)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the removed participant's phone page: %d, want a redirect to join", res.StatusCode)
	}
	snap := ts.snapshotOf(t, ts.dialLive(t, fac, id, 0))
	if !strings.Contains(mustJSONString(snap), "Blijft staan") {
		t.Fatal("the removed participant's note is gone")
	}
	events, err := ts.DB.AuditLog(t.Context(), 20)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range events {
		found = found || e.Action == "participant.remove"
	}
	if !found {
		t.Fatal("the removal is not audited")
	}
	// A participant cannot remove anyone.
	a.send(facOp("r2", "participant.remove", map[string]any{"participant": info.Participants[0].ID}))
	for {
		m := a.next()
		if m["type"] == "error" {
			if m["code"] != "forbidden" {
				t.Fatalf("a participant removing someone: %v", m)
			}
			break
		}
	}
}

// getJSON gets path and decodes its JSON answer into out.
func (ts *testServer) getJSON(t testing.TB, c *http.Client, path string, out any) int {
	t.Helper()
	res, body := ts.get(t, c, path)
	if out != nil && res.StatusCode == http.StatusOK {
		if err := json.Unmarshal([]byte(body), out); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	return res.StatusCode
}

func mustJSONString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
