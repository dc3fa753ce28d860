// Package store opens Atelier's SQLite database and applies its migrations.
//
// One file holds everything. Writes go through a pool of exactly one
// connection, so SQLite never answers SQLITE_BUSY to our own writers and
// transactions are serialised in Go rather than in the file lock; reads get a
// separate pool and, thanks to WAL, never wait for the writer.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// FileName is the name of the database file inside the data folder.
const FileName = "atelier.db"

// DB is the opened database: a single-connection writer pool and a reader
// pool over the same file.
type DB struct {
	Path  string
	Write *sql.DB
	Read  *sql.DB
	// Clock, when set, replaces the wall clock for stored times.
	Clock func() time.Time

	stmts statements

	// checkpoints copies the WAL into the database file in the background,
	// on a connection of its own, so that no commit waits for it.
	checkpoints    *sql.DB
	stopCheckpoint chan struct{}
	checkpointDone chan struct{}
	stopOnce       sync.Once
}

// Open creates dir (mode 0700) if needed, opens or creates the database file
// in it (mode 0600) and applies pending migrations.
func Open(ctx context.Context, dir string) (*DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	// MkdirAll leaves an existing folder's mode alone; the data folder holds
	// workshop material, so it is tightened every start.
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("protect data folder: %w", err)
	}
	path := filepath.Join(dir, FileName)
	// Create the file ourselves so that it is born 0600 rather than
	// whatever the umask makes of SQLite's 0644.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create database file: %w", err)
	}
	f.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		return nil, fmt.Errorf("protect database file: %w", err)
	}

	db := &DB{Path: path}
	if db.Write, err = sql.Open("sqlite", dsn(path, false)); err != nil {
		return nil, fmt.Errorf("open writer: %w", err)
	}
	db.Write.SetMaxOpenConns(1)
	db.Write.SetMaxIdleConns(1)
	db.Write.SetConnMaxLifetime(0)
	db.Write.SetConnMaxIdleTime(0)
	if db.Read, err = sql.Open("sqlite", dsn(path, true)); err != nil {
		db.Write.Close()
		return nil, fmt.Errorf("open readers: %w", err)
	}
	db.Read.SetMaxOpenConns(4)
	db.Read.SetMaxIdleConns(4)

	if err := db.Write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("ping database: %w", err)
	}
	if err := migrate(ctx, db.Write, migrationFS); err != nil {
		db.Close()
		return nil, err
	}
	if err := initAuditChain(ctx, db.Write); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.startCheckpoints(path); err != nil {
		db.Close()
		return nil, err
	}
	// WAL and SHM files are created by SQLite with the umask; keep them
	// private too.
	for _, extra := range []string{path + "-wal", path + "-shm"} {
		if _, err := os.Stat(extra); err == nil {
			os.Chmod(extra, 0o600)
		}
	}
	return db, nil
}

// dsn builds the modernc DSN. busy_timeout comes first so that every other
// pragma already waits instead of failing on a locked file.
func dsn(path string, readOnly bool) string {
	v := url.Values{}
	v.Add("_pragma", "busy_timeout(5000)")
	v.Add("_pragma", "journal_mode(WAL)")
	v.Add("_pragma", "foreign_keys(1)")
	// FULL makes an acknowledged commit survive power loss, not only a
	// process crash: a participant was told the note was saved.
	v.Add("_pragma", "synchronous(FULL)")
	v.Add("_pragma", "secure_delete(1)")
	if readOnly {
		v.Add("_pragma", "query_only(1)")
	} else {
		v.Set("_txlock", "immediate")
		// Checkpoints run in the background (checkpoint.go); this is the
		// backstop should they fall behind: 8,000 pages, about 32 MB.
		v.Add("_pragma", "wal_autocheckpoint(8000)")
		// The live engine's indexes are keyed by session: with hundreds of
		// sessions, its ops touch pages all over the file, and SQLite's
		// default cache (2 MB) sent most of them to the disk, a read system
		// call each in the engine's one goroutine. 64 MB holds a large
		// workshop day's database; the cache grows only as pages are read.
		v.Add("_pragma", "cache_size(-65536)")
	}
	return "file:" + path + "?" + v.Encode()
}

// Close closes both pools. The writer goes last so that a final WAL
// checkpoint can run.
func (db *DB) Close() error {
	var errs []error
	if db.checkpoints != nil {
		db.stopOnce.Do(func() { close(db.stopCheckpoint) })
		<-db.checkpointDone
		errs = append(errs, db.checkpoints.Close())
	}
	if db.Read != nil {
		errs = append(errs, db.Read.Close())
	}
	if db.Write != nil {
		db.stmts.close()
		errs = append(errs, db.Write.Close())
	}
	return errors.Join(errs...)
}

// Ping reports whether both pools answer.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.Write.PingContext(ctx); err != nil {
		return err
	}
	return db.Read.PingContext(ctx)
}

// Tx is a write transaction with the time it began: every row it writes
// carries the same Now, so a change and its audit record agree.
type Tx struct {
	*sql.Tx
	Now Time

	stmts *statements
}

// Tx runs fn in a write transaction and commits it when fn returns nil.
func (db *DB) Tx(ctx context.Context, fn func(*Tx) error) error {
	sqlTx, err := db.Write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{Tx: sqlTx, Now: db.Now(), stmts: &db.stmts}
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		db.stmts.prepareWanted(ctx, db.Write)
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	db.stmts.prepareWanted(ctx, db.Write)
	return nil
}

// Now is the database's clock: the time stored with changes. Tests and
// "atelier retention run -now" set Clock; otherwise it is the wall clock.
func (db *DB) Now() Time {
	if db.Clock != nil {
		return At(db.Clock())
	}
	return Now()
}

// migrate applies, in name order, every embedded migration not yet recorded
// in schema_migrations. Each runs in its own transaction with its record, so
// a failed migration leaves the database as it was.
func migrate(ctx context.Context, db *sql.DB, fsys fs.FS) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY,
		applied_at TEXT NOT NULL
	) STRICT`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		base := strings.TrimSuffix(filepath.Base(name), ".sql")
		var n int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = ?`, base).Scan(&n); err != nil {
			return fmt.Errorf("read migrations: %w", err)
		}
		if n > 0 {
			continue
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fmt.Errorf("read migration %s: %w", base, err)
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("begin migration %s: %w", base, err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("apply migration %s: %w", base, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`,
			base, Now()); err != nil {
			tx.Rollback()
			return fmt.Errorf("record migration %s: %w", base, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("commit migration %s: %w", base, err)
		}
	}
	return nil
}
