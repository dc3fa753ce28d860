package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"atelier/internal/apperr"
)

// recordColumns are the columns scanRecord reads, in its order.
const recordColumns = `id, at, action, object, result, origin, actor, COALESCE(project_id, 0), reason, prev_hash, hash`

// scanRecord reads one audit record. The time's text is kept as stored,
// for the hash: a time someone changed into something that is not a time
// must break the chain, not the reading of it.
func scanRecord(r interface{ Scan(...any) error }) (Event, error) {
	var e Event
	err := r.Scan(&e.ID, &e.storedAt, &e.Action, &e.Object, &e.Result, &e.Origin, &e.Actor, &e.Project, &e.Reason, &e.PrevHash, &e.Hash)
	if err != nil {
		return e, err
	}
	if err := e.At.Scan(e.storedAt); err != nil {
		e.At = Time{}
	}
	return e, nil
}

func readRecords(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args ...any) ([]Event, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		e, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// AuditFilter selects audit records: by actor, by action (a prefix:
// "retention." finds every deletion), by project, by period. Before pages
// back (records with a smaller id); Limit caps the answer (0: no cap).
type AuditFilter struct {
	Actor    string
	Action   string
	Project  int64
	From, To time.Time // From inclusive, To exclusive; zero: open
	Before   int64
	Limit    int
	// Ascending lists the oldest first (for an export); otherwise the
	// newest come first (for a page).
	Ascending bool
}

func (f AuditFilter) where() (string, []any) {
	var conds []string
	var args []any
	if f.Actor != "" {
		conds, args = append(conds, `actor = ?`), append(args, f.Actor)
	}
	if f.Action != "" {
		conds = append(conds, `action >= ? AND action < ?`)
		args = append(args, f.Action, f.Action+"\U0010FFFF")
	}
	if f.Project != 0 {
		conds, args = append(conds, `project_id = ?`), append(args, f.Project)
	}
	if !f.From.IsZero() {
		conds, args = append(conds, `at >= ?`), append(args, At(f.From))
	}
	if !f.To.IsZero() {
		conds, args = append(conds, `at < ?`), append(args, At(f.To))
	}
	if f.Before != 0 {
		conds, args = append(conds, `id < ?`), append(args, f.Before)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// AuditRecords returns the records f selects.
func (db *DB) AuditRecords(ctx context.Context, f AuditFilter) ([]Event, error) {
	var out []Event
	err := db.EachAuditRecord(ctx, f, func(e Event) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

// EachAuditRecord calls fn for every record f selects, without holding
// them all in memory (an export of years of records).
func (db *DB) EachAuditRecord(ctx context.Context, f AuditFilter, fn func(Event) error) error {
	where, args := f.where()
	q := `SELECT ` + recordColumns + ` FROM audit_log` + where + ` ORDER BY id`
	if !f.Ascending {
		q += ` DESC`
	}
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := db.Read.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("query audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanRecord(rows)
		if err != nil {
			return fmt.Errorf("scan audit log: %w", err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AuditValues lists the distinct actors ("actor") or actions ("action")
// in the trail, for the filters of the administrator's page.
func (db *DB) AuditValues(ctx context.Context, column string) ([]string, error) {
	if column != "actor" && column != "action" {
		return nil, fmt.Errorf("audit values: no column %q", column)
	}
	rows, err := db.Read.QueryContext(ctx, `SELECT DISTINCT `+column+` FROM audit_log ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("audit values: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// AuditLine is one audit record as the export writes it: one JSON object
// a line, for a SIEM. The hashes let the SIEM hold the chain too: a trail
// rewritten afterwards disagrees with what it received.
type AuditLine struct {
	ID       int64  `json:"id"`
	Time     string `json:"time"`
	Action   string `json:"action"`
	Object   string `json:"object"`
	Result   string `json:"result"`
	Origin   string `json:"origin"`
	Actor    string `json:"actor"`
	Project  int64  `json:"project_id,omitempty"`
	Reason   string `json:"reason,omitempty"`
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// ExportAudit writes the records f selects, oldest first, as JSON lines,
// and returns how many it wrote.
func (db *DB) ExportAudit(ctx context.Context, w io.Writer, f AuditFilter) (int, error) {
	f.Ascending = true
	enc := json.NewEncoder(w)
	n := 0
	err := db.EachAuditRecord(ctx, f, func(e Event) error {
		n++
		return enc.Encode(AuditLine{ID: e.ID, Time: e.storedAt, Action: e.Action, Object: e.Object, Result: e.Result,
			Origin: e.Origin, Actor: e.Actor, Project: e.Project, Reason: e.Reason,
			PrevHash: hex.EncodeToString(e.PrevHash), Hash: hex.EncodeToString(e.Hash)})
	})
	return n, err
}

// Bounds of the audit trail's retention, in days: at least a year (the
// BIO asks for logs to be kept long enough to investigate an incident),
// at most fifty.
const (
	MinAuditRetentionDays     = 365
	MaxAuditRetentionDays     = 50 * 365
	DefaultAuditRetentionDays = 2557 // seven years
)

// AuditRetentionDays returns how many days audit records are kept.
func (db *DB) AuditRetentionDays(ctx context.Context) (int, error) {
	var days int
	if err := db.Read.QueryRowContext(ctx, `SELECT retention_days FROM audit_chain WHERE id = 1`).Scan(&days); err != nil {
		return 0, fmt.Errorf("audit retention: %w", err)
	}
	return days, nil
}

// SetAuditRetentionDays changes how long audit records are kept; the
// change is itself audited. Days outside the bounds are refused.
func (db *DB) SetAuditRetentionDays(ctx context.Context, days int, actor, origin string) error {
	if days < MinAuditRetentionDays || days > MaxAuditRetentionDays {
		return apperr.New(apperr.Invalid, "audit.retention_range", MinAuditRetentionDays, MaxAuditRetentionDays)
	}
	return db.Tx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE audit_chain SET retention_days = ? WHERE id = 1`, days); err != nil {
			return fmt.Errorf("set audit retention: %w", err)
		}
		return Audit(ctx, tx, Event{Action: "audit.retention", Object: "audit_log", Result: "ok", Origin: origin, Actor: actor,
			Reason: fmt.Sprintf("retention_days=%d", days)})
	})
}
