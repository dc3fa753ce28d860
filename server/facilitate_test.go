package server

import (
	"net/http"
	"testing"

	"atelier/accounts"
)

// facOp is a facilitator op.
func facOp(opID, op string, data map[string]any) map[string]any {
	return map[string]any{"type": "op", "op_id": opID, "op": op, "data": data}
}

// nextEvent skips acks and returns the next event.
func (lc *liveClient) nextEvent() map[string]any {
	lc.t.Helper()
	for {
		m := lc.next()
		if m["type"] == "event" {
			return m
		}
		if m["type"] == "error" {
			lc.t.Fatalf("unexpected error %v", m)
		}
	}
}

// openLiveRoom opens a session as the facilitator and connects a parent
// (a), a youth (b, whose cookie client comes back for reconnecting) and the
// facilitator's wall, each synced.
func (ts *testServer) openLiveRoom(t *testing.T) (id int64, a, b, wall *liveClient, bClient *http.Client) {
	t.Helper()
	fac := ts.client(t)
	ts.login(t, fac, accounts.Facilitator)
	id, code := ts.openTestSession(t, fac)
	a = ts.dialLive(t, ts.joinAs(t, code, "parent"), id, 0)
	bClient = ts.joinAs(t, code, "youth")
	b = ts.dialLive(t, bClient, id, 0)
	wall = ts.dialLive(t, fac, id, 0)
	for _, c := range []*liveClient{a, b, wall} {
		c.until("synced")
	}
	return id, a, b, wall, bClient
}

func TestFacilitatorControls(t *testing.T) {
	ts := newTestServer(t)
	id, a, b, wall, bClient := ts.openLiveRoom(t)

	// Focus: every phone follows.
	wall.send(facOp("f1", "session.focus", map[string]any{"cluster": "C"}))
	for _, c := range []*liveClient{a, b, wall} {
		ev := c.nextEvent()
		if ev["kind"] != "session.changed" || ev["session"].(map[string]any)["focus"] != "C" {
			t.Fatalf("focus: %v", ev)
		}
	}

	// Private mode: a note is seen by its author and the facilitator only;
	// the others get a placeholder with the same sequence number.
	wall.send(facOp("f2", "session.private", map[string]any{"on": true}))
	for _, c := range []*liveClient{a, b, wall} {
		c.nextEvent()
	}
	a.send(note("B", "zorg", "Alleen voor de facilitator, nu nog.", "a1"))
	own := a.nextEvent()
	other := b.nextEvent()
	facSees := wall.nextEvent()
	if own["note"] == nil || other["kind"] != "hidden" || other["note"] != nil || other["seq"] != own["seq"] || facSees["note"] == nil {
		t.Fatalf("private note: author %v, other %v, facilitator %v", own, other, facSees)
	}
	// A reconnect does not leak it either.
	b2 := ts.dialLive(t, bClient, id, 0)
	for _, m := range b2.until("synced") {
		if m["type"] == "snapshot" && len(m["notes"].([]any)) != 0 {
			t.Fatalf("snapshot during private mode holds %v", m["notes"])
		}
	}
	// Reveal: everyone gets the notes.
	wall.send(facOp("f3", "session.private", map[string]any{"on": false}))
	for _, c := range []*liveClient{a, b, b2, wall} {
		ev := c.nextEvent()
		if ev["kind"] != "notes.revealed" || len(ev["notes"].([]any)) != 1 {
			t.Fatalf("reveal: %v", ev)
		}
	}
	noteID := own["note"].(map[string]any)["id"].(string)

	// Lock: participants cannot add anything.
	wall.send(facOp("f4", "session.lock", map[string]any{"on": true}))
	for _, c := range []*liveClient{a, b, b2, wall} {
		c.nextEvent()
	}
	a.send(note("B", "idee", "Op slot", "a2"))
	if m := a.next(); m["type"] != "error" || m["code"] != "forbidden" {
		t.Fatalf("op while locked: %v", m)
	}
	wall.send(facOp("f5", "session.lock", map[string]any{"on": false}))
	for _, c := range []*liveClient{a, b, b2, wall} {
		c.nextEvent()
	}

	// Hidden tallies: a vote's total reaches the facilitator only.
	wall.send(facOp("f6", "session.tallies", map[string]any{"on": true}))
	for _, c := range []*liveClient{a, b, b2, wall} {
		c.nextEvent()
	}
	b2.send(map[string]any{"type": "op", "op_id": "v1", "op": "vote.add", "data": map[string]string{"note": noteID}})
	if ev := a.nextEvent(); ev["kind"] != "hidden" {
		t.Fatalf("vote with hidden tallies reached a participant: %v", ev)
	}
	if ev := wall.nextEvent(); ev["kind"] != "votes.changed" {
		t.Fatalf("facilitator: %v", ev)
	}
	wall.send(facOp("f7", "session.tallies", map[string]any{"on": false}))
	if ev := a.nextEvent(); ev["kind"] != "votes.revealed" || ev["tallies"].(map[string]any)[noteID] != float64(1) {
		t.Fatalf("tallies revealed: %v", ev)
	}

	// Moderation: a hidden note leaves the phones; the facilitator keeps it.
	wall.send(facOp("f8", "note.hide", map[string]any{"id": noteID, "hidden": true}))
	// b has the vote's placeholder and the tallies' reveal still queued.
	for _, want := range []string{"hidden", "votes.revealed", "note.hidden"} {
		if ev := b.nextEvent(); ev["kind"] != want || want == "note.hidden" && ev["note_id"] != noteID {
			t.Fatalf("want %s, got %v", want, ev)
		}
	}
	b3 := ts.dialLive(t, bClient, id, 0)
	for _, m := range b3.until("synced") {
		if m["type"] == "snapshot" && len(m["notes"].([]any)) != 0 {
			t.Fatalf("a hidden note is in a participant's snapshot")
		}
	}
	events, _ := ts.DB.AuditLog(t.Context(), 50)
	var audited bool
	for _, e := range events {
		audited = audited || e.Action == "note.hide"
	}
	if !audited {
		t.Fatal("moderation not audited")
	}

	// Participants cannot use facilitator ops; the timer runs.
	a.send(facOp("a3", "session.lock", map[string]any{"on": true}))
	for {
		m := a.next()
		if m["type"] == "event" {
			continue // the hide, still queued
		}
		if m["type"] != "error" || m["op_id"] != "a3" {
			t.Fatalf("participant locking: %v", m)
		}
		break
	}
	wall.send(facOp("f9", "session.timer", map[string]any{"seconds": 300}))
	for {
		ev := wall.nextEvent()
		if ev["kind"] != "session.changed" {
			continue // earlier events still queued for the wall
		}
		if ev["session"].(map[string]any)["timer_ends_at"] == "" {
			t.Fatalf("timer: %v", ev)
		}
		break
	}
}
