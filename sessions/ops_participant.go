package sessions

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"atelier/internal/apperr"
	"atelier/store"
)

// participantRemove takes a participant out of the session: their token
// stops working and their connections close with 1008 ("may no longer
// take part"). Their notes stay; the facilitator hides any that should go.
// Audited, like every moderation.
func participantRemove(c *opContext) (*result, error) {
	var in struct{ Participant string }
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(in.Participant, "p"), 10, 64)
	if err != nil || !strings.HasPrefix(in.Participant, "p") {
		return nil, apperr.New(apperr.NotFound, "sessions.participant_not_found")
	}
	var removed bool
	err = c.tx.QueryRowContext(c.ctx, `SELECT removed FROM participants WHERE id = ? AND session_id = ?`, id, c.sess.ID).Scan(&removed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "sessions.participant_not_found")
	}
	if err != nil {
		return nil, fmt.Errorf("read participant: %w", err)
	}
	if !removed {
		if _, err := c.tx.ExecContext(c.ctx, `UPDATE participants SET removed = 1 WHERE id = ?`, id); err != nil {
			return nil, fmt.Errorf("remove participant: %w", err)
		}
		if err := store.Audit(c.ctx, c.tx, store.Event{Action: "participant.remove", Object: fmt.Sprintf("session:%d participant:%d", c.sess.ID, id),
			Result: "ok", Origin: "web", Actor: c.op.Actor.Name}); err != nil {
			return nil, err
		}
	}
	r := &result{event: &EventMessage{Kind: "participant.removed", Participant: in.Participant}, object: in.Participant,
		audience: FacilitatorsOnly, kick: id}
	return r, nil
}
