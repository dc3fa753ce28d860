package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Event is one line of the audit trail, shaped after the Dutch government
// baseline (BIO): what was done, to what, with what result, from where and
// by whom. Origin is a channel ("web", "cli", "system"), never an address.
// No field ever holds an IP address, a token, a join code or text a
// participant wrote.
type Event struct {
	Action string
	Object string
	Result string
	Origin string
	Actor  string
	At     Time
	// Project is the project the event concerns. Left 0, the store reads
	// it from the object ("project:", "session:", "set:").
	Project int64
	// Reason is why, when there is a why: the retention rule behind a
	// deletion, the reason an administrator gave.
	Reason string

	// Set by the store when the record is read back.
	ID       int64
	PrevHash []byte
	Hash     []byte
	storedAt string // At as the database holds it, for the hash
}

// execer is what *sql.DB, *sql.Tx and *Tx offer, so an audit line can join
// the transaction of the change it records.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Audit records e at the end of the hash chain (auditchain.go). Pass the
// transaction of the change when there is one, so the record and the
// change commit together; given the writer pool itself, Audit opens a
// transaction of its own, so that two records never claim the same place
// in the chain.
func Audit(ctx context.Context, db execer, e Event) error {
	if e.At.IsZero() {
		e.At = Now()
		if tx, ok := db.(*Tx); ok {
			e.At = tx.Now
		}
	}
	pool, ok := db.(*sql.DB)
	if !ok {
		return appendAudit(ctx, db, e)
	}
	tx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("audit %s: begin: %w", e.Action, err)
	}
	if err := appendAudit(ctx, tx, e); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("audit %s: commit: %w", e.Action, err)
	}
	return nil
}

// AuditLog returns the most recent audit events, newest first.
func (db *DB) AuditLog(ctx context.Context, limit int) ([]Event, error) {
	return db.AuditRecords(ctx, AuditFilter{Limit: limit})
}
