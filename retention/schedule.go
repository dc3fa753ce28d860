package retention

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"atelier/internal/apperr"
	"atelier/profiles"
	"atelier/store"
)

// Kinds of material as a project page lists them.
const (
	KindTokens   = "tokens"   // participant tokens: at a session's close
	KindMaterial = "material" // notes, votes, excerpts, themes, event log, participants
	KindArchive  = "archive"  // what the archive keeps of a session
	KindSets     = "sets"     // profile sets
)

// Next is when the next deletion of one kind of a project's material is
// due.
type Next struct {
	Kind string
	Days int       // the period; 0 for tokens (deleted at the close)
	Due  time.Time // zero: nothing of this kind is waiting for deletion
	// Waiting counts what will go under this rule: open sessions for
	// tokens, sessions for material and archive, sets for sets.
	Waiting int
}

// Schedule returns, per kind of material of a project, when its next
// deletion is due. A date in the past means the next run deletes it.
func Schedule(ctx context.Context, db *store.DB, projectID int64) ([]Next, error) {
	var notesDays, archiveDays int
	err := db.Read.QueryRowContext(ctx, `SELECT notes_retention_days, archive_retention_days FROM projects WHERE id = ?`, projectID).
		Scan(&notesDays, &archiveDays)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "sets.not_found")
	}
	if err != nil {
		return nil, fmt.Errorf("schedule: %w", err)
	}
	out := []Next{{Kind: KindTokens}, {Kind: KindMaterial, Days: notesDays}, {Kind: KindArchive, Days: archiveDays}, {Kind: KindSets, Days: archiveDays}}
	queries := []string{
		`SELECT COUNT(*), NULL FROM sessions WHERE project_id = ? AND state = 'open'`,
		`SELECT COUNT(*), MIN(COALESCE(closed_at, opened_at)) FROM sessions WHERE project_id = ? AND state IN ('open', 'closed')
			AND id NOT IN (SELECT session_id FROM session_archive)`,
		`SELECT COUNT(*), MIN(COALESCE(closed_at, created_at)) FROM sessions WHERE project_id = ? AND state IN ('closed', 'draft')`,
		`SELECT COUNT(*), MIN(last_use) FROM (` + setLastUse + `)`,
	}
	for i, q := range queries {
		var since store.Time
		if err := db.Read.QueryRowContext(ctx, q, projectID).Scan(&out[i].Waiting, &since); err != nil {
			return nil, fmt.Errorf("schedule %s: %w", out[i].Kind, err)
		}
		if !since.IsZero() {
			out[i].Due = since.AddDate(0, 0, out[i].Days)
		}
	}
	return out, nil
}

// ExtensionDays is how much longer the archive is kept after its one
// extension: five years.
const ExtensionDays = profiles.ArchiveExtensionDays

// Reason lengths for the extension, in characters.
const (
	MinReason = 10
	MaxReason = 500
)

// Extension is a project's one extension of its archive, if it had one.
type Extension struct {
	At     time.Time
	By     string
	Reason string
}

// ExtensionOf returns the project's extension, or nil when its archive was
// never extended.
func ExtensionOf(ctx context.Context, db *store.DB, projectID int64) (*Extension, error) {
	var at store.Time
	x := &Extension{}
	err := db.Read.QueryRowContext(ctx, `SELECT archive_extended_at, archive_extended_by, archive_extension_reason FROM projects WHERE id = ?`,
		projectID).Scan(&at, &x.By, &x.Reason)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "sets.not_found")
	}
	if err != nil {
		return nil, fmt.Errorf("archive extension: %w", err)
	}
	if at.IsZero() {
		return nil, nil
	}
	x.At = at.Time
	return x, nil
}

// ExtendArchive keeps a project's archive five years longer, once, for a
// reason an administrator gives; the reason goes into the audit trail.
func ExtendArchive(ctx context.Context, db *store.DB, projectID int64, reason, actor, origin string) error {
	reason = strings.Join(strings.Fields(reason), " ")
	if n := utf8.RuneCountInString(reason); n < MinReason || n > MaxReason {
		return apperr.New(apperr.Invalid, "retention.reason_length", MinReason, MaxReason)
	}
	return db.Tx(ctx, func(tx *store.Tx) error {
		var extended store.Time
		var days int
		err := tx.QueryRowContext(ctx, `SELECT archive_extended_at, archive_retention_days FROM projects WHERE id = ?`, projectID).
			Scan(&extended, &days)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "sets.not_found")
		}
		if err != nil {
			return fmt.Errorf("extend archive: %w", err)
		}
		if !extended.IsZero() {
			return apperr.New(apperr.Conflict, "retention.already_extended")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE projects SET archive_retention_days = ?, archive_extended_at = ?,
			archive_extended_by = ?, archive_extension_reason = ? WHERE id = ?`, days+ExtensionDays, tx.Now, actor, reason, projectID); err != nil {
			return fmt.Errorf("extend archive: %w", err)
		}
		return store.Audit(ctx, tx, store.Event{Action: "retention.extend", Object: fmt.Sprintf("project:%d", projectID),
			Result: fmt.Sprintf("archive_retention_days %d -> %d", days, days+ExtensionDays), Origin: origin, Actor: actor, Reason: reason})
	})
}
