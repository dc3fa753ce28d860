// Package retention keeps DESIGN.md's principle 4: what people add is kept
// as long as its purpose requires, and no longer.
//
// Per project (its notes_retention_days and archive_retention_days):
//
//   - participant tokens go when a session closes (sessions.Store.Close);
//   - a closed session's workshop material (everything written or cast in
//     it: notes, votes, excerpts, themes, the event log and op records that
//     hold copies of their text, the search index's copies of what the
//     session produced, and the participants) goes when the notes
//     period after its close has passed; counts stay in session_archive;
//   - the archive (a session's skeleton: title, question, dates, clusters,
//     counts; and the project's profile sets) goes when the archive period
//     has passed: for a session after its close, for a profile set after
//     its last use (its import, decision, withdrawal, or the close of the
//     last session that discussed it). A set that an unclosed session uses
//     stays.
//
// The audit trail has a period of its own (store.AuditRetentionDays).
//
// Run does all of it, for the server's daily job and for `atelier
// retention run`. Every deletion is audited (what kind, how many, which
// project, why), never with what was deleted; and after a deletion the WAL
// is checkpointed and truncated, so that with secure_delete no copy of the
// text stays in any file.
package retention

import (
	"context"
	"errors"
	"fmt"
	"time"

	"atelier/store"
)

// Kinds of what is deleted, as the audit trail and the command line name
// them ("retention.delete.<kind>").
const (
	Notes        = "notes"
	Votes        = "votes"
	Excerpts     = "excerpts"
	Themes       = "themes"
	Events       = "events"
	Ops          = "ops"
	Outcomes     = "outcomes" // the search index's copies of a closed session's text
	Participants = "participants"
	Sessions     = "sessions"
	Sets         = "sets"
	AuditRecords = "audit"
)

// Options say how Run runs.
type Options struct {
	// DryRun finds what would be deleted, deletes it inside transactions
	// and rolls them back: the counts are exact and nothing changes.
	DryRun bool
	// Origin and Actor go into the audit trail: "system" and "retention"
	// for the server's job, "cli" and the operator for the command line.
	Origin string
	Actor  string
	// Changed, when set, is called inside the transaction with each
	// session a run closes or deletes from, so that the live engine drops
	// what it holds of it (sessions.Live.Invalidate).
	Changed func(sessionID int64)
}

// Deletion is one kind of material deleted from one session, or one
// project's profile sets, or old audit records.
type Deletion struct {
	Project int64
	Slug    string
	Session int64 // 0 when the deletion is not about one session
	Kind    string
	Count   int64
	Reason  string // the rule, as the audit trail records it
}

// Result is what a run deleted (or, dry, would delete).
type Result struct {
	Now       time.Time
	DryRun    bool
	Deletions []Deletion
	// AuditBroken is set when the audit trail's chain does not verify: its
	// old records are then kept, as evidence.
	AuditBroken *store.ChainBreak
}

// Total is the number of rows deleted.
func (r *Result) Total() int64 {
	var n int64
	for _, d := range r.Deletions {
		n += d.Count
	}
	return n
}

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("dry run")

// Run deletes what has expired at db.Now() (the clock tests and -now set).
func Run(ctx context.Context, db *store.DB, opt Options) (*Result, error) {
	if opt.Origin == "" {
		opt.Origin = "system"
	}
	if opt.Actor == "" {
		opt.Actor = "retention"
	}
	res := &Result{Now: db.Now().Time, DryRun: opt.DryRun}
	projects, err := loadProjects(ctx, db)
	if err != nil {
		return nil, err
	}
	for _, p := range projects {
		// One transaction per project: a run never holds the writer for
		// long, and within a project a dry run counts each thing once.
		var found []Deletion
		err := db.Tx(ctx, func(tx *store.Tx) error {
			r := &run{ctx: ctx, tx: tx, p: p, opt: opt}
			for _, step := range []func() error{r.material, r.sessions, r.sets} {
				if err := step(); err != nil {
					return err
				}
			}
			found = r.done
			if opt.DryRun {
				return errDryRun
			}
			return nil
		})
		if err != nil && !errors.Is(err, errDryRun) {
			return nil, fmt.Errorf("retention of project %s: %w", p.slug, err)
		}
		res.Deletions = append(res.Deletions, found...)
	}
	if err := pruneAudit(ctx, db, opt, res); err != nil {
		return nil, err
	}
	if !opt.DryRun && len(res.Deletions) > 0 {
		if err := db.Checkpoint(ctx); err != nil {
			return res, err
		}
	}
	return res, nil
}

// pruneAudit deletes audit records older than the trail's own period.
func pruneAudit(ctx context.Context, db *store.DB, opt Options, res *Result) error {
	days, err := db.AuditRetentionDays(ctx)
	if err != nil {
		return err
	}
	err = db.Tx(ctx, func(tx *store.Tx) error {
		n, err := store.PruneAudit(ctx, tx, store.At(tx.Now.AddDate(0, 0, -days)))
		var broken *store.BrokenChainError
		if errors.As(err, &broken) {
			res.AuditBroken = &broken.Break
			return nil
		}
		if err != nil || n == 0 {
			return err
		}
		d := Deletion{Kind: AuditRecords, Count: n, Reason: fmt.Sprintf("audit_retention_days=%d", days)}
		res.Deletions = append(res.Deletions, d)
		if err := store.Audit(ctx, tx, store.Event{Action: "retention.delete." + AuditRecords, Object: "audit_log",
			Result: fmt.Sprintf("deleted %d", n), Origin: opt.Origin, Actor: opt.Actor, Reason: d.Reason}); err != nil {
			return err
		}
		if opt.DryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		return nil
	}
	return err
}

// project is what retention needs to know of a project.
type project struct {
	id                     int64
	slug                   string
	notesDays, archiveDays int
}

func loadProjects(ctx context.Context, db *store.DB) ([]project, error) {
	rows, err := db.Read.QueryContext(ctx, `SELECT id, slug, notes_retention_days, archive_retention_days FROM projects ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("retention: projects: %w", err)
	}
	defer rows.Close()
	var out []project
	for rows.Next() {
		var p project
		if err := rows.Scan(&p.id, &p.slug, &p.notesDays, &p.archiveDays); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
