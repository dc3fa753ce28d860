package retention

import (
	"context"
	"encoding/json"
	"fmt"

	"atelier/store"
)

// MaterialTables are the tables that hold a session's workshop material,
// in the order they are emptied (votes point at notes, notes and excerpts
// at themes, all of them at participants). A table added later that holds
// what participants wrote or cast belongs here; TestEverySessionTableIsClassified
// fails until it is.
var MaterialTables = []struct{ Table, Kind string }{
	{"votes", Votes},
	{"notes", Notes},
	{"excerpts", Excerpts},
	{"themes", Themes},
	{"events", Events},
	{"ops", Ops},
	{"outcome_fts", Outcomes},
	{"participants", Participants},
}

// ArchiveTables are the tables with a session_id that hold only what the
// archive keeps of a session; they go with the session.
var ArchiveTables = []string{"session_clusters", "session_archive"}

// run is one project's retention inside one transaction.
type run struct {
	ctx  context.Context
	tx   *store.Tx
	p    project
	opt  Options
	done []Deletion
}

// changed tells the live engine, if any, that a session changed.
func (r *run) changed(id int64) {
	if r.opt.Changed != nil {
		r.opt.Changed(id)
	}
}

// cutoff is the moment before which something kept for days has expired.
func (r *run) cutoff(days int) store.Time { return store.At(r.tx.Now.AddDate(0, 0, -days)) }

// record notes a deletion and audits it, without what was deleted.
func (r *run) record(session int64, object, kind string, n int64, reason string) error {
	if n == 0 {
		return nil
	}
	r.done = append(r.done, Deletion{Project: r.p.id, Slug: r.p.slug, Session: session, Kind: kind, Count: n, Reason: reason})
	return store.Audit(r.ctx, r.tx, store.Event{Action: "retention.delete." + kind, Object: object,
		Result: fmt.Sprintf("deleted %d", n), Origin: r.opt.Origin, Actor: r.opt.Actor, Project: r.p.id, Reason: reason})
}

// expired lists the sessions a query selects, with the time their period
// counts from.
func (r *run) expired(query string, args ...any) ([]int64, []store.Time, error) {
	rows, err := r.tx.QueryContext(r.ctx, query, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("expired sessions: %w", err)
	}
	defer rows.Close()
	var ids []int64
	var since []store.Time
	for rows.Next() {
		var id int64
		var t store.Time
		if err := rows.Scan(&id, &t); err != nil {
			return nil, nil, err
		}
		ids, since = append(ids, id), append(since, t)
	}
	return ids, since, rows.Err()
}

// material deletes the workshop material of every session whose notes
// period has passed since its close. A session left open longer than that
// period is closed first: a forgotten session must not keep what people
// wrote for ever.
func (r *run) material() error {
	cutoff := r.cutoff(r.p.notesDays)
	ids, since, err := r.expired(`SELECT id, COALESCE(closed_at, opened_at) FROM sessions
		WHERE project_id = ? AND ((state = 'closed' AND closed_at <= ?) OR (state = 'open' AND opened_at <= ?))
		AND id NOT IN (SELECT session_id FROM session_archive) ORDER BY id`, r.p.id, cutoff, cutoff)
	if err != nil {
		return err
	}
	for i, id := range ids {
		reason := fmt.Sprintf("notes_retention_days=%d since %s", r.p.notesDays, since[i])
		if err := r.closeForgotten(id, reason); err != nil {
			return err
		}
		if err := r.deleteMaterial(id, reason); err != nil {
			return err
		}
	}
	return nil
}

// closeForgotten closes a session that is still open, as Close would.
func (r *run) closeForgotten(id int64, reason string) error {
	res, err := r.tx.ExecContext(r.ctx, `UPDATE sessions SET state = 'closed', code = NULL, closed_at = ? WHERE id = ? AND state = 'open'`,
		r.tx.Now, id)
	if err != nil {
		return fmt.Errorf("close session %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	r.changed(id)
	return store.Audit(r.ctx, r.tx, store.Event{Action: "session.close", Object: fmt.Sprintf("session:%d", id), Result: "ok",
		Origin: r.opt.Origin, Actor: r.opt.Actor, Project: r.p.id, Reason: reason})
}

// deleteMaterial keeps the counts a report shows of a session and deletes
// everything its participants wrote or cast.
func (r *run) deleteMaterial(id int64, reason string) error {
	r.changed(id)
	if err := r.keepCounts(id); err != nil {
		return err
	}
	object := fmt.Sprintf("project:%d session:%d", r.p.id, id)
	for _, m := range MaterialTables {
		res, err := r.tx.ExecContext(r.ctx, `DELETE FROM `+m.Table+` WHERE session_id = ?`, id)
		if err != nil {
			return fmt.Errorf("delete %s of session %d: %w", m.Table, id, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if err := r.record(id, object, m.Kind, n, reason); err != nil {
			return err
		}
	}
	return nil
}

// keepCounts writes the session's skeleton counts: participants per role,
// and the notes, votes, excerpts and themes its report showed.
func (r *run) keepCounts(id int64) error {
	rows, err := r.tx.QueryContext(r.ctx, `SELECT role, COUNT(*) FROM participants WHERE session_id = ? GROUP BY role`, id)
	if err != nil {
		return fmt.Errorf("count participants: %w", err)
	}
	roles := map[string]int{}
	for rows.Next() {
		var role string
		var n int
		if err := rows.Scan(&role, &n); err != nil {
			rows.Close()
			return err
		}
		roles[role] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	body, err := json.Marshal(roles)
	if err != nil {
		return err
	}
	const shown = `n.session_id = ? AND n.deleted = 0 AND n.hidden = 0 AND n.private = 0`
	_, err = r.tx.ExecContext(r.ctx, `INSERT INTO session_archive (session_id, participants, notes, excerpts, votes, themes, material_deleted_at)
		VALUES (?, ?,
			(SELECT COUNT(*) FROM notes n WHERE `+shown+`),
			(SELECT COUNT(*) FROM excerpts WHERE session_id = ?),
			(SELECT COUNT(*) FROM votes v JOIN notes n ON n.id = v.note_id WHERE `+shown+`),
			(SELECT COUNT(*) FROM themes WHERE session_id = ?),
			?)`, id, string(body), id, id, id, id, r.tx.Now)
	if err != nil {
		return fmt.Errorf("keep counts of session %d: %w", id, err)
	}
	return nil
}

// sessions deletes the archive of every session whose archive period has
// passed since its close (a draft: since it was made), with any material
// still there.
func (r *run) sessions() error {
	cutoff := r.cutoff(r.p.archiveDays)
	ids, since, err := r.expired(`SELECT id, COALESCE(closed_at, created_at) FROM sessions
		WHERE project_id = ? AND ((state = 'closed' AND closed_at <= ?) OR (state = 'draft' AND created_at <= ?)) ORDER BY id`,
		r.p.id, cutoff, cutoff)
	if err != nil {
		return err
	}
	for i, id := range ids {
		reason := fmt.Sprintf("archive_retention_days=%d since %s", r.p.archiveDays, since[i])
		var archived int
		if err := r.tx.QueryRowContext(r.ctx, `SELECT COUNT(*) FROM session_archive WHERE session_id = ?`, id).Scan(&archived); err != nil {
			return err
		}
		if archived == 0 {
			if err := r.deleteMaterial(id, reason); err != nil {
				return err
			}
		}
		r.changed(id)
		res, err := r.tx.ExecContext(r.ctx, `DELETE FROM sessions WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("delete session %d: %w", id, err)
		}
		n, _ := res.RowsAffected()
		if err := r.record(id, fmt.Sprintf("project:%d session:%d", r.p.id, id), Sessions, n, reason); err != nil {
			return err
		}
	}
	return nil
}

// setLastUse is, per profile set of a project that no unclosed session
// uses, the moment its archive period counts from: the latest of its
// import, its decision, its withdrawal and the close of the sessions that
// discussed it. RFC 3339 text in UTC compares as time.
const setLastUse = `SELECT ps.id AS id, MAX(ps.imported_at, COALESCE(ps.decided_at, ''), COALESCE(ps.withdrawn_at, ''),
		COALESCE((SELECT MAX(s.closed_at) FROM session_clusters sc JOIN sessions s ON s.id = sc.session_id WHERE sc.set_id = ps.id), '')) AS last_use
	FROM profile_sets ps
	WHERE ps.project_id = ? AND NOT EXISTS (SELECT 1 FROM session_clusters sc JOIN sessions s ON s.id = sc.session_id
		WHERE sc.set_id = ps.id AND s.state <> 'closed')`

// sets deletes the profile sets whose archive period has passed since
// their last use.
func (r *run) sets() error {
	cutoff := r.cutoff(r.p.archiveDays)
	ids, since, err := r.expired(`SELECT id, last_use FROM (`+setLastUse+`) WHERE last_use <= ? ORDER BY id`, r.p.id, cutoff)
	if err != nil {
		return err
	}
	for i, id := range ids {
		res, err := r.tx.ExecContext(r.ctx, `DELETE FROM profile_sets WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("delete profile set %d: %w", id, err)
		}
		n, _ := res.RowsAffected()
		reason := fmt.Sprintf("archive_retention_days=%d since %s", r.p.archiveDays, since[i])
		if err := r.record(0, fmt.Sprintf("project:%d set:%d", r.p.id, id), Sets, n, reason); err != nil {
			return err
		}
	}
	return nil
}
