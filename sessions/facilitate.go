package sessions

import (
	"context"
	"fmt"
	"strings"
	"time"

	"atelier/internal/apperr"
	"atelier/store"
)

// Facilitator ops (docs/protocol.md): phases and the shared timer, focus,
// private mode, hidden tallies, locking, and moderation of single notes.
// Each is sequenced like any other change, so every phone and the wall
// follow in order, and a reconnecting client catches up on them too.

// MaxTimer is the longest shared timer a facilitator can start.
const MaxTimer = 2 * time.Hour

// facilitatorOps are the ops only facilitators send. A participant who
// sends one is told it is not theirs (forbidden), not that it does not
// exist. note.delete is not here: authors delete their own notes.
var facilitatorOps = append([]string{"session.phase", "session.timer", "session.focus", "session.private", "session.tallies", "session.lock",
	"note.hide"}, ThemeOps...)

func (l *Live) facilitate(ctx context.Context, tx *store.Tx, sess *Session, op *Op) (*EventMessage, string, int, error) {
	var in struct {
		Phase   string
		Seconds int
		Cluster string
		On      bool
		ID      string
		Hidden  bool
	}
	if err := decode(op.Data, &in); err != nil {
		return nil, "", 0, err
	}
	set := func(column string, value any) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET `+column+` = ? WHERE id = ?`, value, sess.ID)
		return err
	}
	var err error
	switch op.Name {
	case "session.phase":
		if !contains(Phases, in.Phase) {
			return nil, "", 0, apperr.New(apperr.Invalid, "sessions.phase_invalid")
		}
		sess.Phase, err = in.Phase, set("phase", in.Phase)
	case "session.timer":
		if in.Seconds < 0 || time.Duration(in.Seconds)*time.Second > MaxTimer {
			return nil, "", 0, apperr.New(apperr.Invalid, "sessions.timer_invalid")
		}
		sess.TimerEndsAt = ""
		if in.Seconds > 0 {
			sess.TimerEndsAt = time.Now().UTC().Add(time.Duration(in.Seconds) * time.Second).Format(time.RFC3339)
		}
		err = set("timer_ends_at", sess.TimerEndsAt)
	case "session.focus":
		if in.Cluster != "" && !sess.HasCluster(in.Cluster) {
			return nil, "", 0, apperr.New(apperr.Invalid, "sessions.cluster_unknown")
		}
		sess.Focus, err = in.Cluster, set("focus", in.Cluster)
	case "session.lock":
		sess.Locked, err = in.On, set("locked", in.On)
	case "session.private":
		if !in.On && sess.Private {
			return l.reveal(ctx, tx, sess)
		}
		sess.Private, err = in.On, set("private", in.On)
	case "session.tallies":
		// On hides the totals; off reveals them.
		if !in.On && sess.TalliesHidden {
			return l.revealTallies(ctx, tx, sess)
		}
		sess.TalliesHidden, err = in.On, set("tallies_hidden", in.On)
	case "note.hide":
		return l.moderateHide(ctx, tx, sess, op, in.ID, in.Hidden)
	case "note.delete":
		ev, id, err := l.noteDelete(ctx, tx, sess, 0, op.Data)
		if err != nil {
			return nil, "", 0, err
		}
		if err := store.Audit(ctx, tx, store.Event{Action: "note.moderate_delete", Object: fmt.Sprintf("session:%d %s", sess.ID, id),
			Result: "ok", Origin: "web", Actor: op.Actor.Name}); err != nil {
			return nil, "", 0, err
		}
		return ev, id, Everyone, nil
	default:
		return nil, "", 0, apperr.New(apperr.Invalid, "sessions.op_unknown", op.Name)
	}
	if err != nil {
		return nil, "", 0, fmt.Errorf("%s: %w", op.Name, err)
	}
	view := sess.View()
	return &EventMessage{Kind: "session.changed", Session: &view}, "", Everyone, nil
}

// reveal ends private mode: every private note becomes visible to all, in
// one event that carries them.
func (l *Live) reveal(ctx context.Context, tx *store.Tx, sess *Session) (*EventMessage, string, int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT n.id FROM notes n WHERE n.session_id = ? AND n.private = 1 AND n.deleted = 0 AND n.hidden = 0 ORDER BY n.id`, sess.ID)
	if err != nil {
		return nil, "", 0, err
	}
	var ids []string
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, noteID(id))
	}
	rows.Close()
	if _, err := tx.ExecContext(ctx, `UPDATE notes SET private = 0 WHERE session_id = ? AND private = 1`, sess.ID); err != nil {
		return nil, "", 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET private = 0 WHERE id = ?`, sess.ID); err != nil {
		return nil, "", 0, err
	}
	sess.Private = false
	ev := &EventMessage{Kind: "notes.revealed", Notes: []NoteView{}}
	for _, id := range ids {
		n, _, err := loadNote(ctx, tx, sess.ID, id)
		if err != nil {
			return nil, "", 0, err
		}
		if sess.TalliesHidden {
			n.Votes = 0
		}
		ev.Notes = append(ev.Notes, *n)
	}
	view := sess.View()
	ev.Session = &view
	return ev, "", Everyone, nil
}

// revealTallies shows every note's vote total at once.
func (l *Live) revealTallies(ctx context.Context, tx *store.Tx, sess *Session) (*EventMessage, string, int, error) {
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET tallies_hidden = 0 WHERE id = ?`, sess.ID); err != nil {
		return nil, "", 0, err
	}
	sess.TalliesHidden = false
	rows, err := tx.QueryContext(ctx, `SELECT n.id, (SELECT COUNT(*) FROM votes v WHERE v.note_id = n.id) FROM notes n
		WHERE n.session_id = ? AND n.deleted = 0 AND n.hidden = 0 AND n.private = 0`, sess.ID)
	if err != nil {
		return nil, "", 0, err
	}
	defer rows.Close()
	ev := &EventMessage{Kind: "votes.revealed", Tallies: map[string]int{}}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, "", 0, err
		}
		ev.Tallies[noteID(id)] = n
	}
	view := sess.View()
	ev.Session = &view
	return ev, "", Everyone, rows.Err()
}

// moderateHide takes a note off the wall and the phones (or puts it back).
// Facilitators keep seeing it, marked hidden. Audited: moderation is a
// decision about what people wrote.
func (l *Live) moderateHide(ctx context.Context, tx *store.Tx, sess *Session, op *Op, id string, hidden bool) (*EventMessage, string, int, error) {
	note, _, err := loadNote(ctx, tx, sess.ID, id)
	if err != nil {
		return nil, "", 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE notes SET hidden = ? WHERE id = ?`, hidden, strings.TrimPrefix(note.ID, "n")); err != nil {
		return nil, "", 0, err
	}
	action := "note.hide"
	if !hidden {
		action = "note.unhide"
	}
	if err := store.Audit(ctx, tx, store.Event{Action: action, Object: fmt.Sprintf("session:%d %s", sess.ID, note.ID),
		Result: "ok", Origin: "web", Actor: op.Actor.Name}); err != nil {
		return nil, "", 0, err
	}
	note.Hidden = hidden
	if hidden {
		// Everyone learns that it is gone; facilitators keep it, marked.
		return &EventMessage{Kind: "note.hidden", NoteID: note.ID}, note.ID, Everyone, nil
	}
	audience := Everyone
	if note.Private {
		audience = FacilitatorsOnly
	}
	return &EventMessage{Kind: "note.updated", Note: note}, note.ID, audience, nil
}
