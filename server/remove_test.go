package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"atelier/internal/liveclient"
)

// TestRemoveParticipant: the facilitator sees who is there and removes a
// participant; that participant's connection closes with 1008, their
// cookie stops working, their note stays, others learn nothing of it, and
// the removal is in the audit trail.
func TestRemoveParticipant(t *testing.T) {
	ts := newTestServer(t)
	id, a, b, wall, bClient := ts.openLiveRoom(t)
	b.note("b1", "B", "zorg", "Blijft staan")
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

	wall.op("r1", "participant.remove", map[string]any{"participant": youth})
	if ev := wall.nextEvent(); ev.Kind != "participant.removed" || ev.Participant != youth {
		t.Fatalf("facilitator's event: %+v", ev)
	}
	if ev := a.nextEvent(); ev.Kind != "hidden" {
		t.Fatalf("another participant's event: %+v", ev)
	}
	ctx, cancel := context.WithTimeout(t.Context(), liveWait)
	defer cancel()
	for {
		m, err := b.Next(ctx)
		if errors.Is(err, liveclient.ErrClosed) {
			break
		}
		if err != nil {
			t.Fatalf("the removed participant's connection stayed open: %v", err)
		}
		if m.Ack == nil && (m.Event == nil || m.Event.Kind != "hidden") {
			t.Fatalf("the removed participant got %v", m)
		}
	}
	if code := b.CloseCode(); code != websocket.ClosePolicyViolation {
		t.Fatalf("removed participant's close: %d, want 1008", code)
	}
	if res, _ := ts.get(t, bClient, "/ws/sessions/"+itoa64(id)); res.StatusCode != http.StatusNotFound {
		t.Fatalf("the removed participant's socket: %d, want 404", res.StatusCode)
	}
	if res, _ := ts.get(t, bClient, "/s/"+itoa64(id)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the removed participant's phone page: %d, want a redirect to join", res.StatusCode)
	}
	snap := ts.dialLive(t, fac, id, 0).snapshot()
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
	a.op("r2", "participant.remove", map[string]any{"participant": info.Participants[0].ID})
	if m := a.refusal("r2"); m.Code != "forbidden" {
		t.Fatalf("a participant removing someone: %+v", m)
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
