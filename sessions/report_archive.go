package sessions

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"atelier/store"
)

// A session's life after it closes (DESIGN.md principle 4):
//
//   - at the close, the participants' tokens are deleted: they serve no
//     purpose once nobody can take part. The participant rows stay (the
//     report counts them per role) with their token hash overwritten by
//     random bytes: the column is NOT NULL and UNIQUE, and a random value
//     matches no token, which is what deleting it means;
//   - when the project's notes retention has passed since the close, the
//     retention package deletes the workshop material (notes, votes,
//     excerpts, themes, the event log, op records, participants) and
//     keeps counts in session_archive;
//   - when the archive retention has passed, the session goes.
//
// A report of a session whose material is gone says so and shows what the
// archive keeps: title, question, dates, clusters and counts.

// dropTokens deletes the tokens of a session's participants.
func dropTokens(ctx context.Context, tx *store.Tx, sessionID int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE participants SET token_hash = randomblob(32) WHERE session_id = ?`, sessionID); err != nil {
		return fmt.Errorf("delete participant tokens: %w", err)
	}
	return nil
}

// Expired is what the archive keeps of a session whose workshop material
// was deleted: when, and how much there was. Votes and notes are not
// counts of people; the participants are, and Report.Participants holds
// them under the under-ten rule.
type Expired struct {
	DeletedAt time.Time
	Notes     int
	Excerpts  int
	Votes     int
	Themes    int
}

// readArchive fills the report from session_archive when the session's
// material was deleted, and reports whether it was.
func (r *reportReader) readArchive() (bool, error) {
	var roles string
	var deleted store.Time
	x := &Expired{}
	err := r.tx.QueryRowContext(r.ctx, `SELECT participants, notes, excerpts, votes, themes, material_deleted_at
		FROM session_archive WHERE session_id = ?`, r.sess.ID).Scan(&roles, &x.Notes, &x.Excerpts, &x.Votes, &x.Themes, &deleted)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("report: archive: %w", err)
	}
	raw := map[Role]int{}
	if err := json.Unmarshal([]byte(roles), &raw); err != nil {
		return false, fmt.Errorf("report: archive counts: %w", err)
	}
	x.DeletedAt = deleted.Time
	r.rep.Expired = x
	r.rep.Participants = participantsOf(raw, r.min)
	return true, nil
}
