package retention

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"atelier/i18n"
	"atelier/profiles"
	"atelier/sessions"
	"atelier/store"
)

// world is a real database with a project, a facilitator, an approved
// profile set and the live engine, under a clock the test sets.
type world struct {
	db       *store.DB
	sessions *sessions.Store
	live     *sessions.Live
	project  *profiles.Project
	user     int64
	set      int64

	mu  sync.Mutex
	now time.Time
}

func (w *world) setNow(t time.Time) {
	w.mu.Lock()
	w.now = t
	w.mu.Unlock()
}

func (w *world) clock() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

func day(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func newWorld(t *testing.T, start time.Time) *world {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w := &world{db: db, now: start}
	db.Clock = w.clock
	w.live = sessions.NewLive(db, sessions.NewHub(), slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil)))
	t.Cleanup(func() {
		w.live.Close()
		db.Close()
	})
	w.sessions = sessions.NewStore(db)
	if w.project, err = profiles.NewStore(db).CreateProject(ctx, "retentie", "Retentie", "Testen van bewaartermijnen.", "test", "system"); err != nil {
		t.Fatal(err)
	}
	w.user = w.exec(t, `INSERT INTO users (email, role, password_hash, created_at) VALUES ('f@example.test', 'facilitator', 'x', ?)`, db.Now())
	w.set = w.exec(t, `INSERT INTO profile_sets (project_id, name, state, safe, result, imported_by, imported_at) VALUES (?, 'Clusters 2025', 'approved', 1, '{}', ?, ?)`,
		w.project.ID, w.user, db.Now())
	return w
}

func (w *world) exec(t *testing.T, q string, args ...any) int64 {
	t.Helper()
	res, err := w.db.Write.ExecContext(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	id, _ := res.LastInsertId()
	return id
}

func (w *world) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := w.db.Read.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

var opSeq atomic.Int64

// op sends one op through the live engine and waits for its ack.
func (w *world) op(t *testing.T, sessionID int64, actor sessions.Actor, name string, data any) *sessions.Ack {
	t.Helper()
	raw, _ := json.Marshal(data)
	replies := make(chan sessions.Reply, 1)
	w.live.Submit(&sessions.Op{SessionID: sessionID, Actor: actor, OpID: fmt.Sprintf("op-%d", opSeq.Add(1)), Name: name, Data: raw,
		Reply: func(r sessions.Reply) { replies <- r }})
	r := <-replies
	if r.Err != nil {
		t.Fatalf("%s: %s", name, r.Err.Key)
	}
	return r.Ack
}

// workshop runs a session that closes at closedAt: a professional and a
// parent write notes and an excerpt whose texts start with marker, vote,
// and the facilitator groups a note under a theme named after marker.
func (w *world) workshop(t *testing.T, closedAt time.Time, marker string) int64 {
	t.Helper()
	ctx := context.Background()
	w.setNow(closedAt.Add(-2 * time.Hour))
	sess, _, err := w.sessions.Create(ctx, sessions.NewSession{ProjectID: w.project.ID, Title: "Sessie " + marker, Question: "Wat helpt?",
		Clusters: []sessions.Cluster{{SetID: w.set, ID: "A", Label: "Alleenstaande ouders"}}, Lang: i18n.NL, CreatedBy: w.user, Actor: "f"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.sessions.Open(ctx, sess.ID, "f"); err != nil {
		t.Fatal(err)
	}
	code, err := w.sessions.Code(ctx, sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, pro, _, err := w.sessions.Join(ctx, code, sessions.Professional)
	if err != nil {
		t.Fatal(err)
	}
	_, parent, _, err := w.sessions.Join(ctx, code, sessions.Parent)
	if err != nil {
		t.Fatal(err)
	}
	asPro, asParent := sessions.Actor{Participant: pro}, sessions.Actor{Participant: parent}
	fac := sessions.Actor{Facilitator: true, UserID: w.user, Name: "f"}
	note := w.op(t, sess.ID, asParent, "note.create", map[string]string{"cluster": "A", "kind": "zorg", "text": marker + "-note over de huur"})
	w.op(t, sess.ID, asPro, "note.create", map[string]string{"cluster": "A", "kind": "idee", "text": marker + "-idea van een professional"})
	w.op(t, sess.ID, asPro, "excerpt.create", map[string]any{"cluster": "A", "text": marker + "-excerpt uit een interview", "source": "interview", "tags": []string{"huur"}})
	w.op(t, sess.ID, asPro, "vote.add", map[string]string{"note": note.ID})
	theme := w.op(t, sess.ID, fac, "theme.create", map[string]string{"cluster": "A", "title": marker + "-theme"})
	w.op(t, sess.ID, fac, "note.theme", map[string]string{"id": note.ID, "theme": theme.ID})
	w.setNow(closedAt)
	if _, err := w.sessions.Close(ctx, sess.ID, "f"); err != nil {
		t.Fatal(err)
	}
	return sess.ID
}

// material counts each kind of a session's workshop material.
func (w *world) material(t *testing.T, sessionID int64) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, m := range MaterialTables {
		out[m.Kind] = w.count(t, `SELECT COUNT(*) FROM `+m.Table+` WHERE session_id = ?`, sessionID)
	}
	return out
}

// inFiles reports which of the database's files hold text.
func (w *world) inFiles(t *testing.T, text string) []string {
	t.Helper()
	var found []string
	for _, name := range []string{w.db.Path, w.db.Path + "-wal", w.db.Path + "-shm"} {
		body, err := os.ReadFile(name)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(body, []byte(text)) {
			found = append(found, name)
		}
	}
	return found
}

func (w *world) run(t *testing.T, at time.Time, dry bool) *Result {
	t.Helper()
	w.setNow(at)
	res, err := Run(context.Background(), w.db, Options{DryRun: dry, Origin: "cli", Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}
