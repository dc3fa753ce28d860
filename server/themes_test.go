package server

import (
	"strings"
	"testing"

	"atelier/accounts"
)

// errorOf reads until the answer to opID and returns it if it is an error.
func (lc *liveClient) errorOf(opID string) map[string]any {
	lc.t.Helper()
	for {
		m := lc.next()
		if m["op_id"] != opID {
			continue // events still queued
		}
		if m["type"] != "error" {
			lc.t.Fatalf("op %s: want an error, got %v", opID, m)
		}
		return m
	}
}

// eventOf skips messages until an event of kind, and returns it.
func (lc *liveClient) eventOf(kind string) map[string]any {
	lc.t.Helper()
	for {
		m := lc.next()
		if m["type"] == "event" && m["kind"] == kind {
			return m
		}
		if m["type"] == "error" {
			lc.t.Fatalf("unexpected error %v", m)
		}
	}
}

// snapshotOf connects c afresh and returns the snapshot it gets.
func (ts *testServer) snapshotOf(t *testing.T, c *liveClient) map[string]any {
	t.Helper()
	for _, m := range c.until("synced") {
		if m["type"] == "snapshot" {
			return m
		}
	}
	t.Fatal("no snapshot")
	return nil
}

// byID indexes a snapshot's list of objects by their id.
func byID(list any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, x := range list.([]any) {
		m := x.(map[string]any)
		out[m["id"].(string)] = m
	}
	return out
}

// TestThemes runs the facilitator's synthesis over real websockets: a theme
// is made, two notes and an excerpt are grouped under it, participants see
// it live and in a snapshot, participants cannot make themes, a theme of
// another cluster is refused, and deleting the theme ungroups, never
// deletes.
func TestThemes(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client(t)
	ts.login(t, fac, accounts.Facilitator)
	id, code := ts.openTestSession(t, fac)
	parentClient := ts.joinAs(t, code, "parent")
	parent := ts.dialLive(t, parentClient, id, 0)
	proClient := ts.joinAs(t, code, "professional")
	pro := ts.dialLive(t, proClient, id, 0)
	wall := ts.dialLive(t, fac, id, 0)
	for _, c := range []*liveClient{parent, pro, wall} {
		if snap := ts.snapshotOf(t, c); len(snap["themes"].([]any)) != 0 {
			t.Fatalf("themes in a new session: %v", snap["themes"])
		}
	}

	parent.send(note("B", "zorg", "Brieven van de gemeente zijn moeilijk.", "p1"))
	n1 := waitAck(t, parent)["id"].(string)
	pro.send(note("B", "idee", "Een vast aanspreekpunt.", "q1"))
	n2 := waitAck(t, pro)["id"].(string)
	pro.send(note("B", "kans", "Blijft los.", "q2"))
	loose := waitAck(t, pro)["id"].(string)
	pro.send(map[string]any{"type": "op", "op_id": "q3", "op": "excerpt.create",
		"data": map[string]any{"cluster": "B", "text": "Ik snapte de brief niet.", "source": "interview", "tags": []string{}}})
	x1 := waitAck(t, pro)["id"].(string)

	// Interview excerpts come from professionals only.
	parent.send(map[string]any{"type": "op", "op_id": "p2", "op": "excerpt.create",
		"data": map[string]any{"cluster": "B", "text": "Mijn buurvrouw zei dat.", "source": "interview", "tags": []string{}}})
	if m := parent.errorOf("p2"); m["code"] != "forbidden" || !strings.Contains(m["message"].(string), "professionals") {
		t.Fatalf("a parent's excerpt: %v", m)
	}

	// Participants cannot make or fill themes.
	for i, op := range []map[string]any{
		facOp("p3", "theme.create", map[string]any{"cluster": "B", "title": "Van een ouder"}),
		facOp("p4", "note.theme", map[string]any{"id": n1, "theme": ""}),
	} {
		parent.send(op)
		if m := parent.errorOf(op["op_id"].(string)); m["code"] != "forbidden" {
			t.Fatalf("participant op %d: %v", i, m)
		}
	}

	// A theme: its title is screened like a note, and everyone hears of it.
	wall.send(facOp("f1", "theme.create", map[string]any{"cluster": "B", "title": "Brieven, zegt 06-12345678"}))
	ack := waitAck(t, wall)
	t1, _ := ack["id"].(string)
	if !strings.HasPrefix(t1, "t") || ack["removed"] == nil {
		t.Fatalf("theme.create ack: %v", ack)
	}
	// (The wall read its own event before the ack.)
	for _, c := range []*liveClient{parent, pro} {
		ev := c.eventOf("theme.created")
		th := ev["theme"].(map[string]any)
		if th["id"] != t1 || th["cluster"] != "B" || strings.Contains(th["title"].(string), "12345678") || !strings.HasPrefix(th["title"].(string), "Brieven") {
			t.Fatalf("theme.created: %v", ev)
		}
	}
	wall.send(facOp("f2", "theme.create", map[string]any{"cluster": "C", "title": "Op een ander cluster"}))
	tC := waitAck(t, wall)["id"].(string)
	wall.send(facOp("f3", "theme.create", map[string]any{"cluster": "X", "title": "Nergens"}))
	if m := wall.errorOf("f3"); m["code"] != "invalid" {
		t.Fatalf("theme on an unknown cluster: %v", m)
	}
	wall.send(facOp("f4", "theme.create", map[string]any{"cluster": "B", "title": strings.Repeat("a", 81)}))
	if m := wall.errorOf("f4"); m["code"] != "invalid" {
		t.Fatalf("an 81-character title: %v", m)
	}

	// Two notes and an excerpt under it, by op; everyone follows.
	wall.send(facOp("f5", "note.theme", map[string]any{"id": n1, "theme": t1}))
	wall.send(facOp("f6", "note.theme", map[string]any{"id": n2, "theme": t1}))
	wall.send(facOp("f7", "excerpt.theme", map[string]any{"id": x1, "theme": t1}))
	for _, c := range []*liveClient{parent, pro, wall} {
		for _, want := range []string{n1, n2} {
			if ev := c.eventOf("note.themed"); ev["note_id"] != want || ev["theme_id"] != t1 {
				t.Fatalf("note.themed: %v, want %s under %s", ev, want, t1)
			}
		}
		if ev := c.eventOf("excerpt.themed"); ev["excerpt_id"] != x1 || ev["theme_id"] != t1 {
			t.Fatalf("excerpt.themed: %v", ev)
		}
	}

	// A theme is a heading on one cluster: not for a note or an excerpt of
	// another, and not one that does not exist.
	wall.send(facOp("f8", "note.theme", map[string]any{"id": n1, "theme": tC}))
	if m := wall.errorOf("f8"); m["code"] != "invalid" || !strings.Contains(m["message"].(string), "cluster") {
		t.Fatalf("a note under a theme of another cluster: %v", m)
	}
	wall.send(facOp("f9", "excerpt.theme", map[string]any{"id": x1, "theme": tC}))
	if m := wall.errorOf("f9"); m["code"] != "invalid" {
		t.Fatalf("an excerpt under a theme of another cluster: %v", m)
	}
	wall.send(facOp("f10", "note.theme", map[string]any{"id": n1, "theme": "t999"}))
	if m := wall.errorOf("f10"); m["code"] != "not_found" {
		t.Fatalf("a note under no theme: %v", m)
	}

	// A participant connecting now sees it all in the snapshot.
	snap := ts.snapshotOf(t, ts.dialLive(t, ts.joinAs(t, code, "youth"), id, 0))
	themes := snap["themes"].([]any)
	if len(themes) != 2 || themes[0].(map[string]any)["id"] != t1 || themes[1].(map[string]any)["id"] != tC {
		t.Fatalf("snapshot themes: %v", themes)
	}
	notes, excerpts := byID(snap["notes"]), byID(snap["excerpts"])
	if notes[n1]["theme"] != t1 || notes[n2]["theme"] != t1 || excerpts[x1]["theme"] != t1 {
		t.Fatalf("snapshot: notes %v, excerpts %v", notes, excerpts)
	}
	if _, ok := notes[loose]["theme"]; ok {
		t.Fatalf("a note in no theme has one: %v", notes[loose])
	}

	// Editing a note keeps its theme.
	parent.send(map[string]any{"type": "op", "op_id": "p5", "op": "note.update",
		"data": map[string]any{"id": n1, "version": 1, "text": "Brieven zijn moeilijk te lezen."}})
	if ev := pro.eventOf("note.updated"); ev["note"].(map[string]any)["theme"] != t1 {
		t.Fatalf("note.updated lost the theme: %v", ev)
	}

	// Renaming.
	wall.send(facOp("f11", "theme.update", map[string]any{"id": t1, "title": "Brieven"}))
	if ev := parent.eventOf("theme.updated"); ev["theme"].(map[string]any)["title"] != "Brieven" || ev["theme"].(map[string]any)["id"] != t1 {
		t.Fatalf("theme.updated: %v", ev)
	}

	// Ungrouping one note.
	wall.send(facOp("f12", "note.theme", map[string]any{"id": n2, "theme": ""}))
	if ev := pro.eventOf("note.themed"); ev["note_id"] != n2 || ev["theme_id"] != nil {
		t.Fatalf("ungrouping: %v", ev)
	}

	// Deleting the theme ungroups what it held; nothing is deleted.
	wall.send(facOp("f13", "theme.delete", map[string]any{"id": t1}))
	if ev := parent.eventOf("theme.deleted"); ev["theme_id"] != t1 {
		t.Fatalf("theme.deleted: %v", ev)
	}
	snap = ts.snapshotOf(t, ts.dialLive(t, parentClient, id, 0))
	if themes := snap["themes"].([]any); len(themes) != 1 || themes[0].(map[string]any)["id"] != tC {
		t.Fatalf("themes after deleting one: %v", themes)
	}
	notes, excerpts = byID(snap["notes"]), byID(snap["excerpts"])
	if len(notes) != 3 || len(excerpts) != 1 {
		t.Fatalf("deleting a theme took notes or excerpts with it: %d notes, %d excerpts", len(notes), len(excerpts))
	}
	for id, n := range notes {
		if n["theme"] != nil {
			t.Errorf("note %s still has theme %v", id, n["theme"])
		}
	}
	if excerpts[x1]["theme"] != nil {
		t.Errorf("the excerpt still has theme %v", excerpts[x1]["theme"])
	}
	wall.send(facOp("f14", "note.theme", map[string]any{"id": n1, "theme": t1}))
	if m := wall.errorOf("f14"); m["code"] != "not_found" {
		t.Fatalf("grouping under a deleted theme: %v", m)
	}
}

// TestThemePrivateNote: grouping a note that only its author and the
// facilitator may see reaches everyone else as a placeholder, live and on
// catching up; the reveal brings the theme along.
func TestThemePrivateNote(t *testing.T) {
	ts := newTestServer(t)
	id, a, b, wall, bClient := ts.openLiveRoom(t)
	wall.send(facOp("f1", "theme.create", map[string]any{"cluster": "B", "title": "Schaamte"}))
	t1 := waitAck(t, wall)["id"].(string)
	wall.send(facOp("f2", "session.private", map[string]any{"on": true}))
	waitAck(t, wall)
	for _, c := range []*liveClient{a, b} {
		c.eventOf("session.changed")
	}
	a.send(note("B", "zorg", "Ik schaam me om hulp te vragen.", "a1"))
	n1 := waitAck(t, a)["id"].(string)
	b.eventOf("hidden") // the note itself

	wall.send(facOp("f3", "note.theme", map[string]any{"id": n1, "theme": t1}))
	ev := wall.eventOf("note.themed")
	if ev["note_id"] != n1 || ev["theme_id"] != t1 {
		t.Fatalf("facilitator: %v", ev)
	}
	other := b.next()
	if other["kind"] != "hidden" || other["seq"] != ev["seq"] || other["note_id"] != nil || other["theme_id"] != nil {
		t.Fatalf("another participant got %v for a private note's theming", other)
	}
	// Catching up from before it replays the placeholder, not the event.
	b2 := ts.dialLive(t, bClient, id, int64(ev["seq"].(float64))-1)
	for _, m := range b2.until("synced") {
		if m["type"] == "snapshot" {
			t.Fatalf("a snapshot where one event would do: %v", m)
		}
		if m["type"] == "event" && (m["kind"] != "hidden" || m["note_id"] != nil) {
			t.Fatalf("catching up: %v", m)
		}
	}

	// The reveal shows the note with its theme.
	wall.send(facOp("f4", "session.private", map[string]any{"on": false}))
	rev := b.eventOf("notes.revealed")
	revealed := rev["notes"].([]any)
	if len(revealed) != 1 || revealed[0].(map[string]any)["theme"] != t1 {
		t.Fatalf("revealed: %v", revealed)
	}
}
