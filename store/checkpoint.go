package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// checkpointEvery is how often the WAL is copied into the database file.
// SQLite would otherwise do it inside whichever commit crosses its
// threshold, and a live note would wait several milliseconds for it.
const checkpointEvery = time.Second

// startCheckpoints opens the checkpointing connection and starts it.
func (db *DB) startCheckpoints(path string) error {
	c, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return fmt.Errorf("open checkpointer: %w", err)
	}
	c.SetMaxOpenConns(1)
	db.checkpoints = c
	db.stopCheckpoint, db.checkpointDone = make(chan struct{}), make(chan struct{})
	go db.checkpointLoop()
	return nil
}

// checkpointLoop runs a passive checkpoint every checkpointEvery: it copies
// what no reader still needs and never blocks a writer.
func (db *DB) checkpointLoop() {
	defer close(db.checkpointDone)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-db.stopCheckpoint:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			db.checkpoints.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
			cancel()
		}
	}
}
