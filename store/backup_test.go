package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestBackupIsAPrivateConsistentCopy(t *testing.T) {
	ctx := context.Background()
	db := chainDB(t, 5)
	out := filepath.Join(t.TempDir(), "atelier-backup.db")
	if err := Backup(ctx, filepath.Dir(db.Path), out); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("backup mode = %o, want 600", got)
	}
	if err := Backup(ctx, filepath.Dir(db.Path), out); err == nil {
		t.Error("a second backup to the same name overwrote the first")
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*.tmp")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	// Restored into a new data folder, it opens, and its trail verifies.
	restored := t.TempDir()
	body, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, FileName), body, 0o600); err != nil {
		t.Fatal(err)
	}
	rdb, err := Open(ctx, restored)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	st, err := rdb.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !st.OK() || st.Records != 5 {
		t.Fatalf("restored trail: %+v (break %+v)", st, st.Break)
	}
}
