package server

import (
	"strings"
	"testing"

	"atelier/accounts"
	"atelier/sessions"
)

// notesByID indexes notes by their id.
func notesByID(list []sessions.NoteView) map[string]sessions.NoteView {
	out := map[string]sessions.NoteView{}
	for _, n := range list {
		out[n.ID] = n
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
		if snap := c.snapshot(); snap.Themes == nil || len(snap.Themes) != 0 {
			t.Fatalf("themes in a new session: %v", snap.Themes)
		}
	}

	parent.note("p1", "B", "zorg", "Brieven van de gemeente zijn moeilijk.")
	n1 := parent.ack("p1").ID
	pro.note("q1", "B", "idee", "Een vast aanspreekpunt.")
	n2 := pro.ack("q1").ID
	pro.note("q2", "B", "kans", "Blijft los.")
	loose := pro.ack("q2").ID
	pro.op("q3", "excerpt.create", map[string]any{"cluster": "B", "text": "Ik snapte de brief niet.", "source": "interview", "tags": []string{}})
	x1 := pro.ack("q3").ID

	// Interview excerpts come from professionals only.
	parent.op("p2", "excerpt.create", map[string]any{"cluster": "B", "text": "Mijn buurvrouw zei dat.", "source": "interview", "tags": []string{}})
	if m := parent.refusal("p2"); m.Code != "forbidden" || !strings.Contains(m.Message, "professionals") {
		t.Fatalf("a parent's excerpt: %v", m)
	}

	// Participants cannot make or fill themes.
	parent.op("p3", "theme.create", map[string]any{"cluster": "B", "title": "Van een ouder"})
	parent.op("p4", "note.theme", map[string]any{"id": n1, "theme": ""})
	for _, op := range []string{"p3", "p4"} {
		if m := parent.refusal(op); m.Code != "forbidden" {
			t.Fatalf("participant op %s: %v", op, m)
		}
	}

	// A theme: its title is screened like a note, and everyone hears of it.
	wall.op("f1", "theme.create", map[string]any{"cluster": "B", "title": "Brieven, zegt 06-12345678"})
	ack := wall.ack("f1")
	t1 := ack.ID
	if !strings.HasPrefix(t1, "t") || ack.Removed == nil {
		t.Fatalf("theme.create ack: %+v", ack)
	}
	// (The wall read its own event before the ack.)
	for _, c := range []*liveClient{parent, pro} {
		th := c.eventOf("theme.created").Theme
		if th.ID != t1 || th.Cluster != "B" || strings.Contains(th.Title, "12345678") || !strings.HasPrefix(th.Title, "Brieven") {
			t.Fatalf("theme.created: %+v", th)
		}
	}
	wall.op("f2", "theme.create", map[string]any{"cluster": "C", "title": "Op een ander cluster"})
	tC := wall.ack("f2").ID
	wall.op("f3", "theme.create", map[string]any{"cluster": "X", "title": "Nergens"})
	if m := wall.refusal("f3"); m.Code != "invalid" {
		t.Fatalf("theme on an unknown cluster: %v", m)
	}
	wall.op("f4", "theme.create", map[string]any{"cluster": "B", "title": strings.Repeat("a", 81)})
	if m := wall.refusal("f4"); m.Code != "invalid" {
		t.Fatalf("an 81-character title: %v", m)
	}

	// Two notes and an excerpt under it, by op; everyone follows.
	wall.op("f5", "note.theme", map[string]any{"id": n1, "theme": t1})
	wall.op("f6", "note.theme", map[string]any{"id": n2, "theme": t1})
	wall.op("f7", "excerpt.theme", map[string]any{"id": x1, "theme": t1})
	for _, c := range []*liveClient{parent, pro, wall} {
		for _, want := range []string{n1, n2} {
			if ev := c.eventOf("note.themed"); ev.NoteID != want || ev.ThemeID != t1 {
				t.Fatalf("note.themed: %v, want %s under %s", ev, want, t1)
			}
		}
		if ev := c.eventOf("excerpt.themed"); ev.ExcerptID != x1 || ev.ThemeID != t1 {
			t.Fatalf("excerpt.themed: %v", ev)
		}
	}

	// A theme is a heading on one cluster: not for a note or an excerpt of
	// another, and not one that does not exist.
	wall.op("f8", "note.theme", map[string]any{"id": n1, "theme": tC})
	if m := wall.refusal("f8"); m.Code != "invalid" || !strings.Contains(m.Message, "cluster") {
		t.Fatalf("a note under a theme of another cluster: %v", m)
	}
	wall.op("f9", "excerpt.theme", map[string]any{"id": x1, "theme": tC})
	if m := wall.refusal("f9"); m.Code != "invalid" {
		t.Fatalf("an excerpt under a theme of another cluster: %v", m)
	}
	wall.op("f10", "note.theme", map[string]any{"id": n1, "theme": "t999"})
	if m := wall.refusal("f10"); m.Code != "not_found" {
		t.Fatalf("a note under no theme: %v", m)
	}

	// A participant connecting now sees it all in the snapshot.
	snap := ts.dialLive(t, ts.joinAs(t, code, "youth"), id, 0).snapshot()
	if len(snap.Themes) != 2 || snap.Themes[0].ID != t1 || snap.Themes[1].ID != tC {
		t.Fatalf("snapshot themes: %v", snap.Themes)
	}
	notes := notesByID(snap.Notes)
	if notes[n1].Theme != t1 || notes[n2].Theme != t1 || len(snap.Excerpts) != 1 || snap.Excerpts[0].Theme != t1 {
		t.Fatalf("snapshot: notes %v, excerpts %v", notes, snap.Excerpts)
	}
	if notes[loose].Theme != "" {
		t.Fatalf("a note in no theme has one: %v", notes[loose])
	}

	// Editing a note keeps its theme.
	parent.op("p5", "note.update", map[string]any{"id": n1, "version": 1, "text": "Brieven zijn moeilijk te lezen."})
	if ev := pro.eventOf("note.updated"); ev.Note.Theme != t1 {
		t.Fatalf("note.updated lost the theme: %v", ev)
	}

	// Renaming.
	wall.op("f11", "theme.update", map[string]any{"id": t1, "title": "Brieven"})
	if ev := parent.eventOf("theme.updated"); ev.Theme.Title != "Brieven" || ev.Theme.ID != t1 {
		t.Fatalf("theme.updated: %v", ev)
	}

	// Ungrouping one note.
	wall.op("f12", "note.theme", map[string]any{"id": n2, "theme": ""})
	if ev := pro.eventOf("note.themed"); ev.NoteID != n2 || ev.ThemeID != "" {
		t.Fatalf("ungrouping: %v", ev)
	}

	// Deleting the theme ungroups what it held; nothing is deleted.
	wall.op("f13", "theme.delete", map[string]any{"id": t1})
	if ev := parent.eventOf("theme.deleted"); ev.ThemeID != t1 {
		t.Fatalf("theme.deleted: %v", ev)
	}
	snap = ts.dialLive(t, parentClient, id, 0).snapshot()
	if len(snap.Themes) != 1 || snap.Themes[0].ID != tC {
		t.Fatalf("themes after deleting one: %v", snap.Themes)
	}
	if len(snap.Notes) != 3 || len(snap.Excerpts) != 1 {
		t.Fatalf("deleting a theme took notes or excerpts with it: %d notes, %d excerpts", len(snap.Notes), len(snap.Excerpts))
	}
	for _, n := range snap.Notes {
		if n.Theme != "" {
			t.Errorf("note %s still has theme %v", n.ID, n.Theme)
		}
	}
	if snap.Excerpts[0].Theme != "" {
		t.Errorf("the excerpt still has theme %v", snap.Excerpts[0].Theme)
	}
	wall.op("f14", "note.theme", map[string]any{"id": n1, "theme": t1})
	if m := wall.refusal("f14"); m.Code != "not_found" {
		t.Fatalf("grouping under a deleted theme: %v", m)
	}
}

// TestThemePrivateNote: grouping a note that only its author and the
// facilitator may see reaches everyone else as a placeholder, live and on
// catching up; the reveal brings the theme along.
func TestThemePrivateNote(t *testing.T) {
	ts := newTestServer(t)
	id, a, b, wall, bClient := ts.openLiveRoom(t)
	wall.op("f1", "theme.create", map[string]any{"cluster": "B", "title": "Schaamte"})
	t1 := wall.ack("f1").ID
	wall.op("f2", "session.private", map[string]any{"on": true})
	wall.ack("f2")
	for _, c := range []*liveClient{a, b} {
		c.eventOf("session.changed")
	}
	a.note("a1", "B", "zorg", "Ik schaam me om hulp te vragen.")
	n1 := a.ack("a1").ID
	b.eventOf("hidden") // the note itself

	wall.op("f3", "note.theme", map[string]any{"id": n1, "theme": t1})
	ev := wall.eventOf("note.themed")
	if ev.NoteID != n1 || ev.ThemeID != t1 {
		t.Fatalf("facilitator: %v", ev)
	}
	other := b.next().Event
	if other == nil || other.Kind != "hidden" || other.Seq != ev.Seq || other.NoteID != "" || other.ThemeID != "" {
		t.Fatalf("another participant got %v for a private note's theming", other)
	}
	// Catching up from before it replays the placeholder, not the event.
	b2 := ts.dialLive(t, bClient, id, ev.Seq-1)
	for _, m := range b2.until("synced") {
		if m.Snapshot != nil {
			t.Fatalf("a snapshot where one event would do: %v", m)
		}
		if m.Event != nil && (m.Event.Kind != "hidden" || m.Event.NoteID != "") {
			t.Fatalf("catching up: %v", m)
		}
	}

	// The reveal shows the note with its theme.
	wall.op("f4", "session.private", map[string]any{"on": false})
	if revealed := b.eventOf("notes.revealed").Notes; len(revealed) != 1 || revealed[0].Theme != t1 {
		t.Fatalf("revealed: %v", revealed)
	}
}
