package profiles

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"atelier/disclosure"
	"atelier/internal/apperr"
	"atelier/store"
)

// Project is a programme's workspace: its purpose (recorded because
// workshop material may only be used for it), its retention periods, its
// profile sets and its sessions.
type Project struct {
	ID                   int64
	Slug                 string
	Name                 string
	Purpose              string
	NotesRetentionDays   int
	ArchiveRetentionDays int
	CreatedAt            time.Time
	// Rules are the project's disclosure rules: the defaults, or stricter.
	Rules disclosure.Rules
}

// Store keeps projects and profile sets in SQLite.
type Store struct {
	db      *store.DB
	results resultCache
}

// NewStore returns a Store over db.
func NewStore(db *store.DB) *Store { return &Store{db: db} }

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

// CreateProject adds a project with the default retention periods.
func (s *Store) CreateProject(ctx context.Context, slug, name, purpose string, actor, origin string) (*Project, error) {
	slug = strings.TrimSpace(slug)
	if !slugPattern.MatchString(slug) {
		return nil, fmt.Errorf("project slug %q: use 2-63 lower-case letters, digits and dashes", slug)
	}
	if strings.TrimSpace(name) == "" || strings.TrimSpace(purpose) == "" {
		return nil, fmt.Errorf("project %q: a name and a purpose are required", slug)
	}
	p := &Project{Slug: slug, Name: name, Purpose: purpose, NotesRetentionDays: 730, ArchiveRetentionDays: 1826,
		Rules: disclosure.DefaultRules()}
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		p.CreatedAt = tx.Now.Time
		err := tx.QueryRowContext(ctx, `INSERT INTO projects (slug, name, purpose, notes_retention_days, archive_retention_days, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, p.Slug, p.Name, p.Purpose, p.NotesRetentionDays, p.ArchiveRetentionDays, tx.Now).Scan(&p.ID)
		if err != nil {
			return fmt.Errorf("insert project: %w", err)
		}
		return store.Audit(ctx, tx, store.Event{Action: "project.create", Object: "project:" + slug, Result: "ok", Origin: origin, Actor: actor})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// SetRules makes a project's disclosure rules stricter. Rules looser than
// the defaults in any parameter are refused, with the parameter named.
func (s *Store) SetRules(ctx context.Context, projectID int64, r disclosure.Rules, actor, origin string) error {
	if err := r.Validate(); err != nil {
		return err
	}
	body, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE projects SET rules = ? WHERE id = ?`, string(body), projectID); err != nil {
			return fmt.Errorf("set rules: %w", err)
		}
		return store.Audit(ctx, tx, store.Event{Action: "project.rules", Object: fmt.Sprintf("project:%d %s", projectID, body),
			Result: "ok", Origin: origin, Actor: actor})
	})
}

// AddMember gives an account access to a project.
func (s *Store) AddMember(ctx context.Context, projectID, userID int64) error {
	_, err := s.db.Write.ExecContext(ctx, `INSERT OR IGNORE INTO project_members (project_id, user_id) VALUES (?, ?)`, projectID, userID)
	if err != nil {
		return fmt.Errorf("add project member: %w", err)
	}
	return nil
}

// ProjectsFor lists the projects an account may see: all of them for an
// administrator, its memberships for everyone else.
func (s *Store) ProjectsFor(ctx context.Context, userID int64, all bool) ([]Project, error) {
	q := `SELECT id, slug, name, purpose, notes_retention_days, archive_retention_days, created_at, rules FROM projects`
	args := []any{}
	if !all {
		q += ` WHERE id IN (SELECT project_id FROM project_members WHERE user_id = ?)`
		args = append(args, userID)
	}
	rows, err := s.db.Read.QueryContext(ctx, q+` ORDER BY name`, args...)
	if err != nil {
		return nil, fmt.Errorf("query projects: %w", err)
	}
	defer rows.Close()
	var out []Project
	for rows.Next() {
		p, err := scanProject(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, rows.Err()
}

// ProjectBySlug returns the project with that slug, or nil when none has it.
func (s *Store) ProjectBySlug(ctx context.Context, slug string) (*Project, error) {
	row := s.db.Read.QueryRowContext(ctx, `SELECT id, slug, name, purpose, notes_retention_days, archive_retention_days, created_at, rules
		FROM projects WHERE slug = ?`, slug)
	p, err := scanProject(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return p, err
}

func scanProject(r interface{ Scan(...any) error }) (*Project, error) {
	var p Project
	var rules string
	var created store.Time
	if err := r.Scan(&p.ID, &p.Slug, &p.Name, &p.Purpose, &p.NotesRetentionDays, &p.ArchiveRetentionDays, &created, &rules); err != nil {
		return nil, err
	}
	p.CreatedAt = created.Time
	p.Rules = disclosure.DefaultRules()
	if rules != "" {
		if err := json.Unmarshal([]byte(rules), &p.Rules); err != nil {
			return nil, fmt.Errorf("project %s rules: %w", p.Slug, err)
		}
	}
	return &p, nil
}

// ProjectFor returns the project with that slug if v may see it; otherwise
// it reports not found, so that other projects' names do not leak.
func (s *Store) ProjectFor(ctx context.Context, v Viewer, slug string) (*Project, error) {
	return s.projectFor(ctx, v, "slug = ?", slug)
}

// ProjectByIDFor is ProjectFor by id.
func (s *Store) ProjectByIDFor(ctx context.Context, v Viewer, id int64) (*Project, error) {
	return s.projectFor(ctx, v, "id = ?", id)
}

func (s *Store) projectFor(ctx context.Context, v Viewer, where string, arg any) (*Project, error) {
	row := s.db.Read.QueryRowContext(ctx, `SELECT id, slug, name, purpose, notes_retention_days, archive_retention_days, created_at, rules
		FROM projects WHERE `+where+` AND (? OR id IN (SELECT project_id FROM project_members WHERE user_id = ?))`,
		arg, boolInt(v.AllProjects), v.UserID)
	p, err := scanProject(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "sets.not_found")
	}
	return p, err
}
