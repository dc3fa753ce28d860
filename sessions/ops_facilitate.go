package sessions

import (
	"fmt"
	"time"

	"atelier/internal/apperr"
)

// Facilitator ops (docs/protocol.md): phases and the shared timer, focus,
// private mode, hidden tallies and locking. Each is sequenced like any
// other change, so every phone and the wall follow in order, and a
// reconnecting client catches up on them too.

// MaxTimer is the longest shared timer a facilitator can start.
const MaxTimer = 2 * time.Hour

// Phases of a co-design session, in order.
var Phases = []string{"verkennen", "begrijpen", "ideeen", "kiezen", "afronden"}

// setting is the data of the facilitator ops on the session itself.
type setting struct {
	Phase   string
	Seconds int
	Cluster string
	On      bool
}

func (c *opContext) setting() (setting, error) {
	var in setting
	return in, c.decode(&in)
}

// set writes one column of the session row.
func (c *opContext) set(column string, value any) error {
	if _, err := c.tx.ExecContext(c.ctx, `UPDATE sessions SET `+column+` = ? WHERE id = ?`, value, c.sess.ID); err != nil {
		return fmt.Errorf("%s: %w", c.op.Name, err)
	}
	return nil
}

func sessionPhase(c *opContext) (*result, error) {
	in, err := c.setting()
	if err != nil {
		return nil, err
	}
	if !contains(Phases, in.Phase) {
		return nil, apperr.New(apperr.Invalid, "sessions.phase_invalid")
	}
	c.sess.Phase = in.Phase
	return sessionChanged(c.sess), c.set("phase", in.Phase)
}

func sessionTimer(c *opContext) (*result, error) {
	in, err := c.setting()
	if err != nil {
		return nil, err
	}
	if in.Seconds < 0 || time.Duration(in.Seconds)*time.Second > MaxTimer {
		return nil, apperr.New(apperr.Invalid, "sessions.timer_invalid")
	}
	c.sess.TimerEndsAt = ""
	if in.Seconds > 0 {
		c.sess.TimerEndsAt = c.tx.Now.Add(time.Duration(in.Seconds) * time.Second).UTC().Format(time.RFC3339)
	}
	return sessionChanged(c.sess), c.set("timer_ends_at", c.sess.TimerEndsAt)
}

func sessionFocus(c *opContext) (*result, error) {
	in, err := c.setting()
	if err != nil {
		return nil, err
	}
	if in.Cluster != "" && !c.sess.HasCluster(in.Cluster) {
		return nil, apperr.New(apperr.Invalid, "sessions.cluster_unknown")
	}
	if in.Cluster != c.sess.Focus {
		// A variable chosen for one cluster may have nothing published for
		// the next: the wall goes back to its default.
		c.sess.WallVariable = ""
		if err := c.set("wall_variable", ""); err != nil {
			return nil, err
		}
	}
	c.sess.Focus = in.Cluster
	return sessionChanged(c.sess), c.set("focus", in.Cluster)
}

func sessionLock(c *opContext) (*result, error) {
	in, err := c.setting()
	if err != nil {
		return nil, err
	}
	c.sess.Locked = in.On
	return sessionChanged(c.sess), c.set("locked", in.On)
}

// sessionPrivate turns private mode on, or off with a reveal: every
// private note becomes visible to all, in one event that carries them.
func sessionPrivate(c *opContext) (*result, error) {
	in, err := c.setting()
	if err != nil {
		return nil, err
	}
	if in.On || !c.sess.Private {
		c.sess.Private = in.On
		return sessionChanged(c.sess), c.set("private", in.On)
	}
	rows, err := c.tx.QueryContext(c.ctx, `SELECT id FROM notes WHERE session_id = ? AND private = 1 AND deleted = 0 AND hidden = 0 ORDER BY id`, c.sess.ID)
	if err != nil {
		return nil, err
	}
	var ids []string
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, noteID(id))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if _, err := c.tx.ExecContext(c.ctx, `UPDATE notes SET private = 0 WHERE session_id = ? AND private = 1`, c.sess.ID); err != nil {
		return nil, err
	}
	c.sess.Private = false
	if err := c.set("private", false); err != nil {
		return nil, err
	}
	ev := &EventMessage{Kind: "notes.revealed", Notes: []NoteView{}}
	for _, id := range ids {
		n, err := loadNote(c, id)
		if err != nil {
			return nil, err
		}
		if c.sess.TalliesHidden {
			n.Votes = 0
		}
		ev.Notes = append(ev.Notes, n.NoteView)
	}
	view := c.sess.View()
	ev.Session = &view
	return changed(ev, ""), nil
}

// sessionTallies hides vote totals (on), or reveals every visible note's
// total at once (off).
func sessionTallies(c *opContext) (*result, error) {
	in, err := c.setting()
	if err != nil {
		return nil, err
	}
	if in.On || !c.sess.TalliesHidden {
		c.sess.TalliesHidden = in.On
		return sessionChanged(c.sess), c.set("tallies_hidden", in.On)
	}
	c.sess.TalliesHidden = false
	if err := c.set("tallies_hidden", false); err != nil {
		return nil, err
	}
	rows, err := c.tx.QueryContext(c.ctx, `SELECT n.id, (SELECT COUNT(*) FROM votes v WHERE v.note_id = n.id) FROM notes n
		WHERE n.session_id = ? AND n.deleted = 0 AND n.hidden = 0 AND n.private = 0`, c.sess.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ev := &EventMessage{Kind: "votes.revealed", Tallies: map[string]int{}}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		ev.Tallies[noteID(id)] = n
	}
	view := c.sess.View()
	ev.Session = &view
	return changed(ev, ""), rows.Err()
}
