package server

import (
	"net/http"
	"testing"

	"atelier/accounts"
)

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
	wall.op("f1", "session.focus", map[string]any{"cluster": "C"})
	for _, c := range []*liveClient{a, b, wall} {
		if ev := c.nextEvent(); ev.Kind != "session.changed" || ev.Session.Focus != "C" {
			t.Fatalf("focus: %v", ev)
		}
	}

	// Private mode: a note is seen by its author and the facilitator only;
	// the others get a placeholder with the same sequence number.
	wall.op("f2", "session.private", map[string]any{"on": true})
	for _, c := range []*liveClient{a, b, wall} {
		c.nextEvent()
	}
	a.note("a1", "B", "zorg", "Alleen voor de facilitator, nu nog.")
	own := a.nextEvent()
	other := b.nextEvent()
	facSees := wall.nextEvent()
	if own.Note == nil || other.Kind != "hidden" || other.Note != nil || other.Seq != own.Seq || facSees.Note == nil {
		t.Fatalf("private note: author %v, other %v, facilitator %v", own, other, facSees)
	}
	// A reconnect does not leak it either.
	b2 := ts.dialLive(t, bClient, id, 0)
	if snap := b2.snapshot(); len(snap.Notes) != 0 {
		t.Fatalf("snapshot during private mode holds %v", snap.Notes)
	}
	// Reveal: everyone gets the notes.
	wall.op("f3", "session.private", map[string]any{"on": false})
	for _, c := range []*liveClient{a, b, b2, wall} {
		if ev := c.nextEvent(); ev.Kind != "notes.revealed" || len(ev.Notes) != 1 {
			t.Fatalf("reveal: %v", ev)
		}
	}
	noteID := own.Note.ID

	// Lock: participants cannot add anything.
	wall.op("f4", "session.lock", map[string]any{"on": true})
	for _, c := range []*liveClient{a, b, b2, wall} {
		c.nextEvent()
	}
	a.note("a2", "B", "idee", "Op slot")
	if m := a.next().Error; m == nil || m.Code != "forbidden" {
		t.Fatalf("op while locked: %v", m)
	}
	wall.op("f5", "session.lock", map[string]any{"on": false})
	for _, c := range []*liveClient{a, b, b2, wall} {
		c.nextEvent()
	}

	// Hidden tallies: a vote's total reaches the facilitator only.
	wall.op("f6", "session.tallies", map[string]any{"on": true})
	for _, c := range []*liveClient{a, b, b2, wall} {
		c.nextEvent()
	}
	b2.op("v1", "vote.add", map[string]string{"note": noteID})
	if ev := a.nextEvent(); ev.Kind != "hidden" {
		t.Fatalf("vote with hidden tallies reached a participant: %v", ev)
	}
	if ev := wall.nextEvent(); ev.Kind != "votes.changed" {
		t.Fatalf("facilitator: %v", ev)
	}
	wall.op("f7", "session.tallies", map[string]any{"on": false})
	if ev := a.nextEvent(); ev.Kind != "votes.revealed" || ev.Tallies[noteID] != 1 {
		t.Fatalf("tallies revealed: %v", ev)
	}

	// Moderation: a hidden note leaves the phones; the facilitator keeps it.
	wall.op("f8", "note.hide", map[string]any{"id": noteID, "hidden": true})
	// b has the vote's placeholder and the tallies' reveal still queued.
	for _, want := range []string{"hidden", "votes.revealed", "note.hidden"} {
		if ev := b.nextEvent(); ev.Kind != want || want == "note.hidden" && ev.NoteID != noteID {
			t.Fatalf("want %s, got %v", want, ev)
		}
	}
	b3 := ts.dialLive(t, bClient, id, 0)
	if snap := b3.snapshot(); len(snap.Notes) != 0 {
		t.Fatalf("a hidden note is in a participant's snapshot")
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
	a.op("a3", "session.lock", map[string]any{"on": true})
	if m := a.refusal("a3"); m.Code != "forbidden" {
		t.Fatalf("participant locking: %v", m)
	}
	wall.op("f9", "session.timer", map[string]any{"seconds": 300})
	if ev := wall.eventOf("session.changed"); ev.Session.TimerEndsAt == "" {
		t.Fatalf("timer: %v", ev)
	}
}
