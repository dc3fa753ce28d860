package store

import (
	"context"
	"fmt"
	"time"
)

// Checkpoint copies the WAL into the database file and truncates the WAL
// to nothing. After a deletion, with secure_delete on, this is what makes
// deleted text gone from every file: the database's pages were zeroed,
// and the WAL's older copies of them go with the truncation. A reader in
// the middle of a long query holds the WAL back; Checkpoint waits for it
// (busy_timeout) and tries again for about five seconds before it gives up.
func (db *DB) Checkpoint(ctx context.Context) error {
	for try := 0; ; try++ {
		var busy, logFrames, done int
		err := db.Write.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done)
		if err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		if busy == 0 {
			return nil
		}
		if try == 50 {
			return fmt.Errorf("checkpoint: readers kept the WAL busy")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
