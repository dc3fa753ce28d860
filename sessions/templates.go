package sessions

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"atelier/internal/apperr"
	"atelier/pii"
	"atelier/store"
)

// A template is a session's set-up kept in its project, to start the next
// session from: the question, the clusters, the agenda and the vote budget.
// Nothing participants wrote is in it.

// Template is a saved session set-up.
type Template struct {
	ID         int64
	ProjectID  int64
	Name       string
	Question   string
	Clusters   []ClusterRef
	Agenda     Agenda
	VoteBudget int
}

// ClusterRef names a cluster of a profile set.
type ClusterRef struct {
	SetID int64  `json:"set"`
	ID    string `json:"id"`
}

// MaxTemplateName bounds a template's name.
const MaxTemplateName = 80

// SaveTemplate keeps sess's set-up in its project under name. A name that
// is taken is a conflict.
func (s *Store) SaveTemplate(ctx context.Context, sess *Session, name string, by int64, actor string) (*Template, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > MaxTemplateName {
		return nil, apperr.New(apperr.Invalid, "sessions.template_name", MaxTemplateName)
	}
	if err := pii.CheckText(name); err != nil {
		return nil, err
	}
	t := &Template{ProjectID: sess.ProjectID, Name: name, Question: sess.Question, Agenda: sess.Agenda.orEmpty(), VoteBudget: sess.VoteBudget}
	for _, c := range sess.Clusters {
		t.Clusters = append(t.Clusters, ClusterRef{SetID: c.SetID, ID: c.ID})
	}
	clusters, err := json.Marshal(t.Clusters)
	if err != nil {
		return nil, err
	}
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO session_templates (project_id, name, question, clusters, agenda, vote_budget, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, t.ProjectID, t.Name, t.Question, string(clusters), t.Agenda, t.VoteBudget, by, tx.Now).Scan(&t.ID)
		if store.IsUnique(err) {
			return apperr.New(apperr.Conflict, "sessions.template_taken", name)
		}
		if err != nil {
			return fmt.Errorf("insert template: %w", err)
		}
		return store.Audit(ctx, tx, store.Event{Action: "session.template", Object: fmt.Sprintf("template:%d project:%d", t.ID, t.ProjectID),
			Result: "ok", Origin: "web", Actor: actor})
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Templates lists a project's templates by name.
func (s *Store) Templates(ctx context.Context, projectID int64) ([]Template, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT id, project_id, name, question, clusters, agenda, vote_budget
		FROM session_templates WHERE project_id = ? ORDER BY name`, projectID)
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	defer rows.Close()
	var out []Template
	for rows.Next() {
		var t Template
		var clusters string
		if err := rows.Scan(&t.ID, &t.ProjectID, &t.Name, &t.Question, &clusters, &t.Agenda, &t.VoteBudget); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(clusters), &t.Clusters); err != nil {
			return nil, fmt.Errorf("template %d clusters: %w", t.ID, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Template returns one template of a project.
func (s *Store) Template(ctx context.Context, projectID, id int64) (*Template, error) {
	list, err := s.Templates(ctx, projectID)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].ID == id {
			return &list[i], nil
		}
	}
	return nil, apperr.New(apperr.NotFound, "sessions.template_not_found")
}
