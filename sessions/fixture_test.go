package sessions

import (
	"context"
	"testing"

	"atelier/store"
)

// fixture is a real database in dir with what a session needs before it
// can exist: a facilitator, a project and an approved profile set. exec
// runs a statement on the writer and returns the row id it inserted.
type fixture struct {
	db                 *store.DB
	exec               func(q string, args ...any) int64
	user, project, set int64
}

func newFixture(t testing.TB, dir string) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db}
	f.exec = func(q string, args ...any) int64 {
		t.Helper()
		res, err := db.Write.ExecContext(ctx, q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		id, err := res.LastInsertId()
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	now := store.Now()
	f.user = f.exec(`INSERT INTO users (email, role, password_hash, created_at) VALUES ('f@example.test', 'facilitator', 'x', ?)`, now)
	f.project = f.exec(`INSERT INTO projects (slug, name, purpose, created_at) VALUES ('p', 'P', 'Testen.', ?)`, now)
	f.set = f.exec(`INSERT INTO profile_sets (project_id, name, state, safe, result, imported_by, imported_at) VALUES (?, 's', 'approved', 1, '{}', ?, ?)`,
		f.project, f.user, now)
	return f
}
