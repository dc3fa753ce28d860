package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Event is one line of the audit trail, shaped after the Dutch government
// baseline (BIO): what was done, to what, with what result, from where and
// by whom. Origin is a channel ("web", "cli", "system"), never an address.
type Event struct {
	Action string
	Object string
	Result string
	Origin string
	Actor  string
	At     Time
}

// execer is what both *sql.DB and *sql.Tx offer, so an audit line can join
// the transaction of the change it records.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Audit records e. Pass the transaction of the change when there is one, so
// the record and the change commit together.
func Audit(ctx context.Context, db execer, e Event) error {
	if e.At.IsZero() {
		e.At = Now()
		if tx, ok := db.(*Tx); ok {
			e.At = tx.Now
		}
	}
	_, err := db.ExecContext(ctx, `INSERT INTO audit_log (at, action, object, result, origin, actor)
		VALUES (?, ?, ?, ?, ?, ?)`,
		e.At, e.Action, e.Object, e.Result, e.Origin, e.Actor)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// AuditLog returns the most recent audit events, newest first.
func (db *DB) AuditLog(ctx context.Context, limit int) ([]Event, error) {
	rows, err := db.Read.QueryContext(ctx, `SELECT at, action, object, result, origin, actor
		FROM audit_log ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("query audit log: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.At, &e.Action, &e.Object, &e.Result, &e.Origin, &e.Actor); err != nil {
			return nil, fmt.Errorf("scan audit log: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
