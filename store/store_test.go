package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestOpenCreatesPrivateFilesAndMigrates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	ctx := context.Background()
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, FileName): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s mode = %o, want %o", path, got, want)
		}
	}
	for pragma, want := range map[string]string{"journal_mode": "wal", "foreign_keys": "1", "secure_delete": "1", "synchronous": "2"} {
		var got string
		if err := db.Write.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %q, want %q", pragma, got, want)
		}
	}
	// The reader pool must refuse writes.
	if _, err := db.Read.ExecContext(ctx, `INSERT INTO audit_log (at, action, object, result, origin, actor) VALUES ('x','x','x','x','x','x')`); err == nil {
		t.Error("reader pool accepted a write")
	}
	if err := Audit(ctx, db.Write, Event{Action: "test", Object: "o", Result: "ok", Origin: "system", Actor: "t"}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// Reopening applies nothing twice and keeps the data.
	db, err = Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	events, err := db.AuditLog(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(events), 1; got != want {
		t.Fatalf("audit events after reopen = %d, want %d", got, want)
	}
	var n int
	db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
	if n == 0 {
		t.Fatal("no migrations recorded")
	}
}
