package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database in dataDir to out, while
// a server may be using it: SQLite's VACUUM INTO reads one snapshot (WAL
// lets the server go on writing meanwhile) and writes a compact copy that
// holds no deleted content. The copy is written next to out and renamed
// into place when complete, with mode 0600; an existing out is never
// overwritten. Backup applies no migration: a newer binary must not change
// the schema under a running older server.
func Backup(ctx context.Context, dataDir, out string) error {
	src := filepath.Join(dataDir, FileName)
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("backup: no database in %s: %w", dataDir, err)
	}
	if _, err := os.Lstat(out); err == nil {
		return fmt.Errorf("backup: %s exists; choose a new name", out)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*.tmp")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmpName := tmp.Name()
	tmp.Close()
	done := false
	defer func() {
		if !done {
			os.Remove(tmpName)
		}
	}()
	// CreateTemp makes the file 0600; VACUUM INTO accepts an empty file.
	db, err := sql.Open("sqlite", dsn(src, false))
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, tmpName); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := syncFile(tmpName); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Chmod(tmpName, 0o600); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// Link, not rename: rename would replace a file that appeared at out
	// in the meantime. Where links are not supported (some network
	// shares), rename after looking once more.
	if err := os.Link(tmpName, out); err == nil {
		done = true
		os.Remove(tmpName)
		return nil
	}
	if _, err := os.Lstat(out); err == nil {
		return fmt.Errorf("backup: %s exists; choose a new name", out)
	}
	if err := os.Rename(tmpName, out); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	done = true
	return nil
}

// syncFile makes sure the copy is on disk before it is called a backup.
func syncFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
