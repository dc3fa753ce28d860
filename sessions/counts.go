package sessions

import (
	"context"
	"fmt"
)

// NoteCounts returns, per session of a project, how many notes it holds
// (deleted ones not counted), for the sessions list. Notes are not people:
// the under-ten rule does not apply to how many there are.
func (s *Store) NoteCounts(ctx context.Context, projectID int64) (map[int64]int, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT n.session_id, COUNT(*) FROM notes n
		JOIN sessions s ON s.id = n.session_id WHERE s.project_id = ? AND n.deleted = 0 GROUP BY n.session_id`, projectID)
	if err != nil {
		return nil, fmt.Errorf("count notes: %w", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}
