package retention

import (
	"context"
	"strings"
	"testing"
	"time"

	"atelier/internal/apperr"
	"atelier/sessions"
	"atelier/store"
)

// TestRetentionWithFixedClock is issue 14's test: with a fixed clock, a
// session closed 2 years and 1 day ago loses its notes, excerpts, votes,
// themes, event log and participants; one closed 1 year and 364 days ago
// keeps them; the profile sets stay until the archive period ends; the
// deleted text is in none of the database files afterwards; and the
// deletions are in the audit trail, without the text.
func TestRetentionWithFixedClock(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, day("2025-06-01T09:00:00Z"))
	old := w.workshop(t, day("2025-06-14T10:00:00Z"), "zeldzaam-oud")
	young := w.workshop(t, day("2025-06-16T10:00:00Z"), "zeldzaam-jong")
	w.db.Checkpoint(ctx)
	for _, text := range []string{"zeldzaam-oud-note", "zeldzaam-oud-excerpt", "zeldzaam-oud-theme"} {
		if len(w.inFiles(t, text)) == 0 {
			t.Fatalf("%q is in no database file before the run: the file check below would prove nothing", text)
		}
	}
	for _, s := range []int64{old, young} {
		for kind, n := range w.material(t, s) {
			if n == 0 {
				t.Fatalf("session %d has no %s before the run", s, kind)
			}
		}
	}

	// 15 June 2027, noon: 2 years and 1 day after the first close, 1 year
	// and 364 days after the second.
	now := day("2027-06-15T12:00:00Z")
	dry := w.run(t, now, true)
	if !dry.DryRun || dry.Total() == 0 {
		t.Fatalf("dry run found nothing: %+v", dry)
	}
	if m := w.material(t, old); m[Notes] == 0 {
		t.Fatal("the dry run deleted notes")
	}
	res := w.run(t, now, false)
	if dry.Total() != res.Total() {
		t.Errorf("the dry run counted %d rows, the run deleted %d", dry.Total(), res.Total())
	}
	for kind, n := range w.material(t, old) {
		if n != 0 {
			t.Errorf("session closed 2 years and 1 day ago: %d %s left", n, kind)
		}
	}
	for kind, n := range w.material(t, young) {
		if n == 0 {
			t.Errorf("session closed 1 year and 364 days ago lost its %s", kind)
		}
	}
	if n := w.count(t, `SELECT COUNT(*) FROM sessions WHERE id = ? AND title = 'Sessie zeldzaam-oud'`, old); n != 1 {
		t.Error("the expired session's skeleton went with its material")
	}
	if n := w.count(t, `SELECT notes FROM session_archive WHERE session_id = ?`, old); n != 2 {
		t.Errorf("the skeleton counts %d notes, want 2", n)
	}
	if n := w.count(t, `SELECT COUNT(*) FROM profile_sets`); n != 1 {
		t.Error("the profile set went with the workshop material")
	}
	for _, text := range []string{"zeldzaam-oud-note", "zeldzaam-oud-idea", "zeldzaam-oud-excerpt", "zeldzaam-oud-theme"} {
		if files := w.inFiles(t, text); len(files) > 0 {
			t.Errorf("deleted text %q is still in %v", text, files)
		}
	}
	if len(w.inFiles(t, "zeldzaam-jong-note")) == 0 {
		t.Error("the text that was kept is in no file: the file check proves nothing")
	}
	// The search index of closed sessions finds the kept words, not the
	// deleted ones.
	if n := w.count(t, `SELECT COUNT(*) FROM outcome_fts WHERE outcome_fts MATCH 'oud'`); n != 0 {
		t.Errorf("the search index still finds %d deleted outcomes", n)
	}
	if n := w.count(t, `SELECT COUNT(*) FROM outcome_fts WHERE outcome_fts MATCH 'jong'`); n == 0 {
		t.Error("the search index lost the kept outcomes")
	}

	// The trail holds each deletion (kind, count, project, reason) and no
	// text, and its chain holds.
	recs, err := w.db.AuditRecords(ctx, store.AuditFilter{Action: "retention.delete."})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range recs {
		if r.Project != w.project.ID || !strings.Contains(r.Object, "session:") || !strings.Contains(r.Reason, "notes_retention_days=730") {
			t.Errorf("deletion record %+v: want the project, the session and the rule", r)
		}
		if strings.Contains(r.Object+r.Result+r.Reason, "zeldzaam") {
			t.Errorf("deletion record holds deleted text: %+v", r)
		}
		got[strings.TrimPrefix(r.Action, "retention.delete.")] = r.Result
	}
	want := map[string]string{Notes: "deleted 2", Votes: "deleted 1", Excerpts: "deleted 1", Themes: "deleted 1", Participants: "deleted 2"}
	for kind, result := range want {
		if got[kind] != result {
			t.Errorf("audit of %s: %q, want %q", kind, got[kind], result)
		}
	}
	if got[Events] == "" || got[Ops] == "" || got[Outcomes] == "" {
		t.Errorf("the event log, op records and search index are not in the trail: %v", got)
	}
	if st, err := w.db.VerifyAudit(ctx); err != nil || !st.OK() {
		t.Fatalf("chain after the run: %+v %v", st.Break, err)
	}
	// A second run finds nothing more.
	if again := w.run(t, now, false); again.Total() != 0 {
		t.Errorf("a second run deleted %+v", again.Deletions)
	}

	// The report of the expired session says so and keeps the skeleton.
	sess, err := w.sessions.Get(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := w.sessions.Report(ctx, sess, sessions.MinGroup)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Expired == nil || rep.Expired.Notes != 2 || rep.Expired.Votes != 1 || rep.Title != "Sessie zeldzaam-oud" {
		t.Errorf("report of the expired session: %+v", rep)
	}

	// The archive: five years (1826 days) after each close. On 15 June
	// 2030 the first session's skeleton is gone, the second's is there,
	// and so is the set they discussed.
	w.run(t, day("2030-06-15T12:00:00Z"), false)
	if n := w.count(t, `SELECT COUNT(*) FROM sessions WHERE id = ?`, old); n != 0 {
		t.Error("the first session's archive outlived its period")
	}
	if n := w.count(t, `SELECT COUNT(*) FROM session_archive WHERE session_id = ?`, young); n != 1 {
		t.Error("the second session's material was not deleted in 2030, or its skeleton went early")
	}
	if n := w.count(t, `SELECT COUNT(*) FROM profile_sets`); n != 1 {
		t.Error("the profile set went before the archive period of its last use")
	}
	w.run(t, day("2030-06-17T12:00:00Z"), false)
	if n := w.count(t, `SELECT COUNT(*) FROM sessions`) + w.count(t, `SELECT COUNT(*) FROM profile_sets`); n != 0 {
		t.Errorf("%d sessions and sets outlived the archive period", n)
	}
	if len(w.inFiles(t, "zeldzaam-jong")) > 0 {
		t.Error("text of the second session outlived it")
	}
	if st, err := w.db.VerifyAudit(ctx); err != nil || !st.OK() {
		t.Fatalf("chain at the end: %+v %v", st.Break, err)
	}
}

// TestRetentionClosesForgottenSessions: a session left open for longer
// than the notes period is closed, and its material deleted.
func TestRetentionClosesForgottenSessions(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, day("2025-01-01T09:00:00Z"))
	sess, _, err := w.sessions.Create(ctx, sessions.NewSession{ProjectID: w.project.ID, Title: "Vergeten", Question: "?",
		Clusters: []sessions.Cluster{{SetID: w.set, ID: "A", Label: "A"}}, CreatedBy: w.user})
	if err != nil {
		t.Fatal(err)
	}
	w.sessions.Open(ctx, sess.ID, "f")
	code, _ := w.sessions.Code(ctx, sess.ID)
	_, p, _, _ := w.sessions.Join(ctx, code, sessions.Parent)
	w.op(t, sess.ID, sessions.Actor{Participant: p}, "note.create", map[string]string{"cluster": "A", "kind": "zorg", "text": "vergeten tekst"})

	w.run(t, day("2026-12-30T12:00:00Z"), false)
	if got, _ := w.sessions.Get(ctx, sess.ID); got.State != sessions.Open {
		t.Fatal("a session open for less than the notes period was closed")
	}
	w.run(t, day("2027-01-02T12:00:00Z"), false)
	got, _ := w.sessions.Get(ctx, sess.ID)
	if got.State != sessions.Closed || w.count(t, `SELECT COUNT(*) FROM notes`) != 0 {
		t.Fatalf("a session open for over two years: state %s, %d notes", got.State, w.count(t, `SELECT COUNT(*) FROM notes`))
	}
}

// TestScheduleAndExtension: the project page's next deletions, and the
// archive's one extension with a reason.
func TestScheduleAndExtension(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, day("2025-06-01T09:00:00Z"))
	next, err := Schedule(ctx, w.db, w.project.ID)
	if err != nil {
		t.Fatal(err)
	}
	if next[1].Kind != KindMaterial || !next[1].Due.IsZero() || !next[3].Due.Equal(day("2025-06-01T09:00:00Z").AddDate(0, 0, 1826)) {
		t.Fatalf("schedule without sessions: %+v", next)
	}
	w.workshop(t, day("2025-06-14T10:00:00Z"), "a")
	next, _ = Schedule(ctx, w.db, w.project.ID)
	closed := day("2025-06-14T10:00:00Z")
	want := map[string]time.Time{KindMaterial: closed.AddDate(0, 0, 730), KindArchive: closed.AddDate(0, 0, 1826), KindSets: closed.AddDate(0, 0, 1826)}
	for _, n := range next {
		if w, ok := want[n.Kind]; ok && !n.Due.Equal(w) {
			t.Errorf("%s due %s, want %s", n.Kind, n.Due, w)
		}
	}

	if err := ExtendArchive(ctx, w.db, w.project.ID, "kort", "admin@x", "web"); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("a reason too short: %v", err)
	}
	reason := "De gemeenteraad evalueert het programma in 2031."
	if err := ExtendArchive(ctx, w.db, w.project.ID, reason, "admin@x", "web"); err != nil {
		t.Fatal(err)
	}
	if err := ExtendArchive(ctx, w.db, w.project.ID, reason, "admin@x", "web"); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("a second extension: %v, want a conflict", err)
	}
	x, err := ExtensionOf(ctx, w.db, w.project.ID)
	if err != nil || x == nil || x.Reason != reason || x.By != "admin@x" {
		t.Fatalf("extension: %+v %v", x, err)
	}
	next, _ = Schedule(ctx, w.db, w.project.ID)
	if !next[2].Due.Equal(closed.AddDate(0, 0, 1826+1826)) {
		t.Errorf("archive after the extension due %s", next[2].Due)
	}
	recs, _ := w.db.AuditRecords(ctx, store.AuditFilter{Action: "retention.extend"})
	if len(recs) != 1 || recs[0].Reason != reason || recs[0].Project != w.project.ID {
		t.Errorf("extension in the trail: %+v", recs)
	}
}

// TestEverySessionTableIsClassified: every table with a session_id is
// either workshop material (deleted after the notes period) or archive
// (kept until the archive period). A table added without deciding which
// fails here, before it keeps participants' text for ever.
func TestEverySessionTableIsClassified(t *testing.T) {
	w := newWorld(t, time.Now())
	known := map[string]bool{}
	for _, m := range MaterialTables {
		known[m.Table] = true
	}
	for _, a := range ArchiveTables {
		known[a] = true
	}
	rows, err := w.db.Read.Query(`SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c
		WHERE m.type = 'table' AND c.name IN ('session_id', 'participant_id')`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		rows.Scan(&name)
		if !known[name] {
			t.Errorf("table %s has a session_id or participant_id but is neither material nor archive in the retention package", name)
		}
	}
}
