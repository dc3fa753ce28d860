package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"atelier/accounts"
	"atelier/i18n"
	"atelier/profiles"
	"atelier/sessions"
	"atelier/store"
)

// workshopFolder is a data folder with project p1 and, for each close
// time, a session that closed then, holding a note, an excerpt, a vote and
// a theme whose texts start with its marker, written through the live
// engine (so the event log and op records hold copies).
func workshopFolder(t *testing.T, closes map[string]time.Time) string {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mu sync.Mutex
	var now time.Time
	db.Clock = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	setNow := func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }
	setNow(time.Date(2025, 1, 2, 9, 0, 0, 0, time.UTC))
	live := sessions.NewLive(db, sessions.NewHub(), slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil)))
	defer live.Close()
	p, err := profiles.NewStore(db).CreateProject(ctx, "p1", "Project 1", "Testen van bewaartermijnen.", "test", "cli")
	if err != nil {
		t.Fatal(err)
	}
	fac, err := accounts.NewStore(db).CreateUser(ctx, "admin@example.test", accounts.Admin, "a long enough password", accounts.Actor{Name: "test", Origin: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.Write.ExecContext(ctx, `INSERT INTO profile_sets (project_id, name, state, safe, result, imported_by, imported_at)
		VALUES (?, 's', 'approved', 1, '{}', ?, ?)`, p.ID, fac.ID, db.Now())
	if err != nil {
		t.Fatal(err)
	}
	set, _ := res.LastInsertId()
	ss := sessions.NewStore(db)
	op := func(sid int64, actor sessions.Actor, name string, data any) string {
		raw, _ := json.Marshal(data)
		replies := make(chan sessions.Reply, 1)
		live.Submit(&sessions.Op{SessionID: sid, Actor: actor, OpID: fmt.Sprintf("op-%d", time.Now().UnixNano()), Name: name, Data: raw,
			Reply: func(r sessions.Reply) { replies <- r }})
		r := <-replies
		if r.Err != nil {
			t.Fatalf("%s: %s", name, r.Err.Key)
		}
		return r.Ack.ID
	}
	for marker, closed := range closes {
		setNow(closed.Add(-time.Hour))
		sess, _, err := ss.Create(ctx, sessions.NewSession{ProjectID: p.ID, Title: "Sessie", Question: "Wat helpt?",
			Clusters: []sessions.Cluster{{SetID: set, ID: "A", Label: "A"}}, Lang: i18n.NL, CreatedBy: fac.ID})
		if err != nil {
			t.Fatal(err)
		}
		ss.Open(ctx, sess.ID, "f")
		code, _ := ss.Code(ctx, sess.ID)
		_, pro, _, err := ss.Join(ctx, code, sessions.Professional)
		if err != nil {
			t.Fatal(err)
		}
		by := sessions.Actor{Participant: pro}
		n := op(sess.ID, by, "note.create", map[string]string{"cluster": "A", "kind": "idee", "text": marker + "-note"})
		op(sess.ID, by, "excerpt.create", map[string]any{"cluster": "A", "text": marker + "-excerpt", "source": "interview"})
		op(sess.ID, by, "vote.add", map[string]string{"note": n})
		op(sess.ID, sessions.Actor{Facilitator: true, UserID: fac.ID}, "theme.create", map[string]string{"cluster": "A", "title": marker + "-theme"})
		setNow(closed)
		if _, err := ss.Close(ctx, sess.ID, "f"); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// inFiles lists the database files of dir that hold text.
func inFiles(t *testing.T, dir, text string) []string {
	t.Helper()
	var found []string
	for _, suffix := range []string{"", "-wal", "-shm"} {
		body, err := os.ReadFile(filepath.Join(dir, store.FileName+suffix))
		if err == nil && bytes.Contains(body, []byte(text)) {
			found = append(found, store.FileName+suffix)
		}
	}
	return found
}

// TestRetentionCommand is issue 14's fixed-clock test through the command
// line: `atelier retention run -now` (the data folder from ATELIER_DATA)
// deletes the material of the session that closed 2 years and 1 day
// before, keeps that of the one that closed 1 year and 364 days before,
// leaves no copy of the deleted text in any database file, and audits it;
// -dry-run only tells.
func TestRetentionCommand(t *testing.T) {
	dir := workshopFolder(t, map[string]time.Time{
		"verlopen": time.Date(2025, 6, 14, 10, 0, 0, 0, time.UTC),
		"bewaard":  time.Date(2025, 6, 16, 10, 0, 0, 0, time.UTC),
	})
	if len(inFiles(t, dir, "verlopen-note")) == 0 {
		t.Fatal("the note is in no file before the run: the check below would prove nothing")
	}
	out, errOut, code := runCmd(t, inData(dir), "", "retention", "run", "-dry-run", "-now", "2027-06-15")
	if code != 0 || !strings.Contains(out, "Dry run: on 2027-06-15") || !strings.Contains(out, "notes") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errOut)
	}
	if len(inFiles(t, dir, "verlopen-note")) == 0 {
		t.Fatal("the dry run deleted")
	}
	out, errOut, code = runCmd(t, inData(dir), "", "retention", "run", "-now", "2027-06-15")
	if code != 0 || !strings.Contains(out, "Deleted on 2027-06-15") {
		t.Fatalf("run: exit %d\n%s%s", code, out, errOut)
	}
	for _, kind := range []string{"notes", "votes", "excerpts", "themes", "events", "ops", "participants"} {
		if !strings.Contains(out, " "+kind+" ") {
			t.Errorf("the run does not list %s:\n%s", kind, out)
		}
	}
	for _, text := range []string{"verlopen-note", "verlopen-excerpt", "verlopen-theme"} {
		if files := inFiles(t, dir, text); len(files) > 0 {
			t.Errorf("deleted text %q is still in %v", text, files)
		}
	}
	for _, text := range []string{"bewaard-note", "bewaard-excerpt"} {
		if len(inFiles(t, dir, text)) == 0 {
			t.Errorf("%q, 1 year and 364 days old, was deleted", text)
		}
	}
	out, _, _ = runCmd(t, inData(dir), "", "audit", "export")
	if strings.Count(out, `"action":"retention.delete.`) < 7 || strings.Contains(out, "verlopen") {
		t.Errorf("the trail does not hold the deletions, or holds their text:\n%s", out)
	}
	if _, errOut, code := runCmd(t, inData(dir), "", "audit", "verify"); code != 0 {
		t.Errorf("audit verify after the run: %s", errOut)
	}
	if _, _, code := runCmd(t, inData(dir), "", "retention", "run", "-now", "15-06-2027"); code != 2 {
		t.Errorf("a day not written YYYY-MM-DD: exit %d, want 2", code)
	}

	// The archive's extension from the command line, once.
	args := []string{"retention", "extend", "-project", "p1", "-reason", "Evaluatie door de gemeenteraad.", "-by", "admin@example.test"}
	if out, errOut, code := runCmd(t, inData(dir), "", args...); code != 0 || !strings.Contains(out, "3652 days") {
		t.Errorf("extend: exit %d %q %q", code, out, errOut)
	}
	if _, _, code := runCmd(t, inData(dir), "", args...); code != 1 {
		t.Errorf("a second extension: exit %d, want 1", code)
	}
}

// TestServeRunsRetention: the server deletes what expired when it starts
// (and then daily), without being asked.
func TestServeRunsRetention(t *testing.T) {
	dir := workshopFolder(t, map[string]time.Time{"oud": time.Now().AddDate(0, 0, -800)})
	if len(inFiles(t, dir, "oud-note")) == 0 {
		t.Fatal("the note is in no file before the server starts: the check below would prove nothing")
	}
	p := startServe(t, dir)
	// The run is done when the server logs it (after the checkpoint).
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(p.Stderr.String(), "msg=retention deleted=") {
		if time.Now().After(deadline) {
			t.Fatalf("the server did not run retention within 20 s:\n%s", p.Stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.Stop(t)
	if files := inFiles(t, dir, "oud-note"); len(files) > 0 {
		t.Errorf("expired text is still in %v", files)
	}
	out, _, _ := runCmd(t, inData(dir), "", "audit", "export")
	if !strings.Contains(out, `"action":"retention.delete.notes"`) || !strings.Contains(out, `"origin":"system"`) {
		t.Errorf("the server's deletions are not in the trail:\n%s", out)
	}
}
