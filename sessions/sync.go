package sessions

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// Catching up: a connection first subscribes (so that nothing published
// from now on is missed), then reads the state as of some sequence number S
// in one read transaction, sends it, and from its queue sends only events
// after S. Events published between the two steps arrive twice and are
// skipped by their sequence number.

// CatchUp returns what a client that has seen everything up to since needs:
// the missed events, or a snapshot when it has seen nothing or is too far
// behind, and the sequence number it is then at.
func (l *Live) CatchUp(ctx context.Context, sessionID int64, viewer *Participant, since int64) ([]Message, int64, error) {
	tx, err := l.db.Read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT seq FROM sessions WHERE id = ?`, sessionID).Scan(&seq); err != nil {
		return nil, 0, fmt.Errorf("read sequence: %w", err)
	}
	if since > 0 && since <= seq && seq-since <= replayLimit {
		msgs, complete, err := replay(ctx, tx, sessionID, viewer, since, seq)
		if err != nil {
			return nil, 0, err
		}
		if complete {
			return msgs, seq, nil
		}
	}
	snap, err := snapshot(ctx, tx, sessionID, viewer, seq)
	if err != nil {
		return nil, 0, err
	}
	return []Message{{Data: mustJSON(snap)}}, seq, nil
}

// replay reads the events after since up to seq; complete is false when
// any is missing (the log has been trimmed), and a snapshot is needed.
func replay(ctx context.Context, tx *sql.Tx, sessionID int64, viewer *Participant, since, seq int64) ([]Message, bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT seq, author, audience, payload FROM events WHERE session_id = ? AND seq > ? AND seq <= ? ORDER BY seq`,
		sessionID, since, seq)
	if err != nil {
		return nil, false, fmt.Errorf("read events: %w", err)
	}
	defer rows.Close()
	var msgs []Message
	next := since + 1
	for rows.Next() {
		var s, author int64
		var audience int
		var payload string
		if err := rows.Scan(&s, &author, &audience, &payload); err != nil {
			return nil, false, err
		}
		if s != next {
			return nil, false, nil
		}
		next++
		data := []byte(payload)
		isAuthor := viewer != nil && author == viewer.ID
		// The same audience rule as the hub's (viewer nil: a facilitator).
		if viewer != nil && audience != Everyone && !(isAuthor && audience == AuthorFacilitators) {
			msgs = append(msgs, Message{Seq: s, Data: hiddenEvent(s)})
			continue
		}
		if isAuthor {
			var ev EventMessage
			if err := json.Unmarshal(data, &ev); err != nil {
				return nil, false, fmt.Errorf("decode event %d: %w", s, err)
			}
			setMine(&ev, true)
			data = mustJSON(ev)
		}
		msgs = append(msgs, Message{Seq: s, Data: data})
	}
	return msgs, next == seq+1, rows.Err()
}

// snapshot reads the whole state of a session as viewer may see it (a
// facilitator when viewer is nil), as of seq.
func snapshot(ctx context.Context, tx *sql.Tx, sessionID int64, viewer *Participant, seq int64) (*Snapshot, error) {
	snap := &Snapshot{Type: "snapshot", Seq: seq, Notes: []NoteView{}, Excerpts: []ExcerptView{}, Themes: []ThemeView{}, MyVotes: map[string]int{}}
	var viewerID int64
	if viewer != nil {
		viewerID = viewer.ID
	}
	var talliesHidden bool
	var budget int
	if err := tx.QueryRowContext(ctx, `SELECT tallies_hidden, vote_budget FROM sessions WHERE id = ?`, sessionID).Scan(&talliesHidden, &budget); err != nil {
		return nil, fmt.Errorf("read session: %w", err)
	}
	q := snapshotQuery{ctx: ctx, tx: tx, sessionID: sessionID}
	if err := q.notes(snap, viewer, talliesHidden); err != nil {
		return nil, err
	}
	err := q.each(`SELECT e.id, e.cluster_id, e.text, e.source, e.tags, e.created_at, e.participant_id, p.pseudonym, p.role, e.theme_id
		FROM excerpts e JOIN participants p ON p.id = e.participant_id WHERE e.session_id = ? ORDER BY e.id`, func(rows *sql.Rows) error {
		var x ExcerptView
		var id, author int64
		var tags string
		var theme sql.NullInt64
		if err := rows.Scan(&id, &x.Cluster, &x.Text, &x.Source, &tags, &x.CreatedAt, &author, &x.Author, &x.Role, &theme); err != nil {
			return err
		}
		x.ID, x.Mine, x.Theme, x.Tags = excerptID(id), author == viewerID && viewerID != 0, themeRef(theme), []string{}
		if err := json.Unmarshal([]byte(tags), &x.Tags); err != nil {
			return fmt.Errorf("excerpt tags: %w", err)
		}
		snap.Excerpts = append(snap.Excerpts, x)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read excerpts: %w", err)
	}
	// Themes are the facilitator's headings: everyone sees all of them.
	err = q.each(`SELECT id, cluster_id, title FROM themes WHERE session_id = ? ORDER BY position, id`, func(rows *sql.Rows) error {
		var th ThemeView
		var id int64
		err := rows.Scan(&id, &th.Cluster, &th.Title)
		th.ID = themeID(id)
		snap.Themes = append(snap.Themes, th)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read themes: %w", err)
	}
	if viewer == nil {
		return snap, nil
	}
	used := 0
	err = q.each(`SELECT note_id, COUNT(*) FROM votes WHERE session_id = ? AND participant_id = ? GROUP BY note_id`,
		func(rows *sql.Rows) error {
			var note int64
			var n int
			err := rows.Scan(&note, &n)
			snap.MyVotes[noteID(note)] = n
			used += n
			return err
		}, viewer.ID)
	if err != nil {
		return nil, fmt.Errorf("read votes: %w", err)
	}
	snap.VotesLeft = budget - used
	return snap, nil
}

// snapshotQuery runs the queries of one snapshot in its read transaction.
type snapshotQuery struct {
	ctx       context.Context
	tx        *sql.Tx
	sessionID int64
}

// each runs query with the session id (and more) as its arguments and
// calls scan for every row.
func (q snapshotQuery) each(query string, scan func(*sql.Rows) error, more ...any) error {
	rows, err := q.tx.QueryContext(q.ctx, query, append([]any{q.sessionID}, more...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// notes adds the notes viewer may see to snap. Participants do not see
// hidden notes, others' private notes, or vote totals while they are
// hidden; facilitators (viewer nil) see everything.
func (q snapshotQuery) notes(snap *Snapshot, viewer *Participant, talliesHidden bool) error {
	var viewerID int64
	if viewer != nil {
		viewerID = viewer.ID
	}
	err := q.each(`SELECT n.id, n.cluster_id, n.kind, n.text, n.version, n.created_at, n.participant_id, p.pseudonym, p.role,
		(SELECT COUNT(*) FROM votes v WHERE v.note_id = n.id), n.private, n.hidden, n.theme_id
		FROM notes n JOIN participants p ON p.id = n.participant_id
		WHERE n.session_id = ? AND n.deleted = 0 ORDER BY n.id`, func(rows *sql.Rows) error {
		var n NoteView
		var id, author int64
		var theme sql.NullInt64
		if err := rows.Scan(&id, &n.Cluster, &n.Kind, &n.Text, &n.Version, &n.CreatedAt, &author, &n.Author, &n.Role, &n.Votes, &n.Private, &n.Hidden, &theme); err != nil {
			return err
		}
		n.ID, n.Mine, n.Theme = noteID(id), author == viewerID && viewerID != 0, themeRef(theme)
		if viewer != nil {
			if n.Hidden || n.Private && !n.Mine {
				return nil
			}
			if talliesHidden {
				n.Votes = 0
			}
		}
		snap.Notes = append(snap.Notes, n)
		return nil
	})
	if err != nil {
		return fmt.Errorf("read notes: %w", err)
	}
	return nil
}
