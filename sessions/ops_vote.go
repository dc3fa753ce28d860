package sessions

import (
	"fmt"

	"atelier/internal/apperr"
)

// Dot voting: each participant has the session's budget of votes and may
// put several on one note, as on a paper wall with stickers (Miro and Mural
// work the same way). A vote counts on a note the voter can see, only.

func voteAdd(c *opContext) (*result, error)    { return vote(c, true) }
func voteRemove(c *opContext) (*result, error) { return vote(c, false) }

func vote(c *opContext, add bool) (*result, error) {
	var in struct{ Note string }
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	n, err := loadVisibleNote(c, in.Note)
	if err != nil {
		return nil, err
	}
	var used int
	if err := c.tx.QueryRowContext(c.ctx, `SELECT COUNT(*) FROM votes WHERE session_id = ? AND participant_id = ?`, c.sess.ID, c.p.ID).Scan(&used); err != nil {
		return nil, fmt.Errorf("count votes: %w", err)
	}
	if add {
		if used >= c.sess.VoteBudget {
			return nil, apperr.New(apperr.Budget, "sessions.no_votes_left", c.sess.VoteBudget)
		}
		if _, err := c.tx.ExecContext(c.ctx, `INSERT INTO votes (session_id, note_id, participant_id, created_at) VALUES (?, ?, ?, ?)`,
			c.sess.ID, n.num, c.p.ID, c.tx.Now); err != nil {
			return nil, fmt.Errorf("insert vote: %w", err)
		}
		used++
	} else {
		res, err := c.tx.ExecContext(c.ctx, `DELETE FROM votes WHERE id = (SELECT id FROM votes WHERE note_id = ? AND participant_id = ? LIMIT 1)`, n.num, c.p.ID)
		if err != nil {
			return nil, fmt.Errorf("delete vote: %w", err)
		}
		if k, err := res.RowsAffected(); err != nil {
			return nil, fmt.Errorf("delete vote: %w", err)
		} else if k == 0 {
			return nil, apperr.New(apperr.NotFound, "sessions.no_vote")
		}
		used--
	}
	// loadNote counted the note's votes in this transaction, and the
	// engine is the only writer: the new total needs no second count.
	total := n.Votes - 1
	if add {
		total = n.Votes + 1
	}
	left := c.sess.VoteBudget - used
	// The tally goes only to those who may see the note, and to nobody but
	// the facilitators while tallies are hidden.
	audience := audienceOf(n)
	if c.sess.TalliesHidden {
		audience = FacilitatorsOnly
	}
	return &result{event: &EventMessage{Kind: "votes.changed", NoteID: n.ID, Votes: &total}, object: n.ID, audience: audience, votesLeft: &left}, nil
}
