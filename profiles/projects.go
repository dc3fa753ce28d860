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
	"unicode/utf8"

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
	// ArchivedAt is when the project was archived: it is read, but takes
	// no new sessions or imports. Zero while active.
	ArchivedAt time.Time
	// Rules are the project's disclosure rules: the defaults, or stricter.
	Rules disclosure.Rules
	// Role is the viewer's role in the project when it was loaded for a
	// viewer (ProjectFor, ProjectByIDFor, ProjectsFor): "admin" for
	// administrators, the membership's role for members, "" otherwise.
	Role string
}

// Archived reports whether the project is archived.
func (p *Project) Archived() bool { return !p.ArchivedAt.IsZero() }

// Store keeps projects and profile sets in SQLite.
type Store struct {
	db      *store.DB
	results resultCache
}

// NewStore returns a Store over db.
func NewStore(db *store.DB) *Store { return &Store{db: db} }

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

// Retention periods a project may choose, in days. The defaults are the
// longest: two years for raw notes and excerpts, five for the archive.
const (
	DefaultNotesRetentionDays   = 730
	DefaultArchiveRetentionDays = 1826
	// ArchiveExtensionDays is how much longer an archive is kept once an
	// administrator extended it, once, with a reason (retention.ExtendArchive).
	ArchiveExtensionDays = 1826
	MaxProjectName       = 120
	MaxProjectPurpose    = 1000
)

// ProjectInput is what an administrator fills in for a project. Zero
// retention periods mean the defaults.
type ProjectInput struct {
	Slug                 string
	Name                 string
	Purpose              string
	NotesRetentionDays   int
	ArchiveRetentionDays int
}

// normalise trims the input, fills in default periods and checks it;
// maxArchive is the longest archive period the project may have.
func (in *ProjectInput) normalise(maxArchive int) error {
	in.Slug = strings.TrimSpace(in.Slug)
	in.Name = strings.TrimSpace(in.Name)
	in.Purpose = strings.TrimSpace(in.Purpose)
	if in.NotesRetentionDays == 0 {
		in.NotesRetentionDays = DefaultNotesRetentionDays
	}
	if in.ArchiveRetentionDays == 0 {
		in.ArchiveRetentionDays = DefaultArchiveRetentionDays
	}
	switch {
	case !slugPattern.MatchString(in.Slug):
		return apperr.New(apperr.Invalid, "projects.slug_invalid")
	case in.Name == "" || utf8.RuneCountInString(in.Name) > MaxProjectName:
		return apperr.New(apperr.Invalid, "projects.name_length", MaxProjectName)
	case in.Purpose == "" || utf8.RuneCountInString(in.Purpose) > MaxProjectPurpose:
		return apperr.New(apperr.Invalid, "projects.purpose_length", MaxProjectPurpose)
	case in.NotesRetentionDays < 1 || in.NotesRetentionDays > DefaultNotesRetentionDays:
		return apperr.New(apperr.Invalid, "projects.notes_retention", DefaultNotesRetentionDays)
	case in.ArchiveRetentionDays < in.NotesRetentionDays || in.ArchiveRetentionDays > maxArchive:
		return apperr.New(apperr.Invalid, "projects.archive_retention", maxArchive)
	}
	return nil
}

// CreateProject adds a project with the default retention periods.
func (s *Store) CreateProject(ctx context.Context, slug, name, purpose string, actor, origin string) (*Project, error) {
	return s.AddProject(ctx, ProjectInput{Slug: slug, Name: name, Purpose: purpose}, actor, origin)
}

// AddProject adds a project; the audit trail records who did.
func (s *Store) AddProject(ctx context.Context, in ProjectInput, actor, origin string) (*Project, error) {
	if err := in.normalise(DefaultArchiveRetentionDays); err != nil {
		return nil, err
	}
	p := &Project{Slug: in.Slug, Name: in.Name, Purpose: in.Purpose, NotesRetentionDays: in.NotesRetentionDays,
		ArchiveRetentionDays: in.ArchiveRetentionDays, Rules: disclosure.DefaultRules()}
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		p.CreatedAt = tx.Now.Time
		err := tx.QueryRowContext(ctx, `INSERT INTO projects (slug, name, purpose, notes_retention_days, archive_retention_days, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, p.Slug, p.Name, p.Purpose, p.NotesRetentionDays, p.ArchiveRetentionDays, tx.Now).Scan(&p.ID)
		if store.IsUnique(err) {
			return apperr.New(apperr.Conflict, "projects.slug_taken", p.Slug)
		}
		if err != nil {
			return fmt.Errorf("insert project: %w", err)
		}
		return store.Audit(ctx, tx, store.Event{Action: "project.create", Object: "project:" + p.Slug, Result: "ok", Origin: origin, Actor: actor})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// UpdateProject changes a project's name, short address, purpose and
// retention periods. A changed short address changes the project's links.
// An archive that was extended may keep its extension (MaxArchiveDays).
func (s *Store) UpdateProject(ctx context.Context, id int64, in ProjectInput, actor, origin string) error {
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		maxArchive, err := maxArchiveDays(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := in.normalise(maxArchive); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE projects SET slug = ?, name = ?, purpose = ?, notes_retention_days = ?, archive_retention_days = ?
			WHERE id = ?`, in.Slug, in.Name, in.Purpose, in.NotesRetentionDays, in.ArchiveRetentionDays, id)
		if store.IsUnique(err) {
			return apperr.New(apperr.Conflict, "projects.slug_taken", in.Slug)
		}
		if err != nil {
			return fmt.Errorf("update project: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "sets.not_found")
		}
		return store.Audit(ctx, tx, store.Event{Action: "project.update",
			Object: fmt.Sprintf("project:%d slug:%s notes:%d archive:%d", id, in.Slug, in.NotesRetentionDays, in.ArchiveRetentionDays),
			Result: "ok", Origin: origin, Actor: actor})
	})
}

// MaxArchiveDays is the longest archive period a project may be given:
// five years, or ten once its archive was extended.
func (s *Store) MaxArchiveDays(ctx context.Context, id int64) (int, error) {
	return maxArchiveDays(ctx, s.db.Read, id)
}

func maxArchiveDays(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id int64) (int, error) {
	var extended bool
	err := q.QueryRowContext(ctx, `SELECT archive_extended_at IS NOT NULL FROM projects WHERE id = ?`, id).Scan(&extended)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, apperr.New(apperr.NotFound, "sets.not_found")
	}
	if err != nil {
		return 0, fmt.Errorf("project %d: %w", id, err)
	}
	if extended {
		return DefaultArchiveRetentionDays + ArchiveExtensionDays, nil
	}
	return DefaultArchiveRetentionDays, nil
}

// SetArchived archives a project or makes it active again.
func (s *Store) SetArchived(ctx context.Context, id int64, archived bool, actor, origin string) error {
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		var at any
		action := "project.unarchive"
		if archived {
			at, action = tx.Now, "project.archive"
		}
		res, err := tx.ExecContext(ctx, `UPDATE projects SET archived_at = ? WHERE id = ? AND (archived_at IS NULL) = ?`, at, id, boolInt(archived))
		if err != nil {
			return fmt.Errorf("archive project: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // already so
		}
		return store.Audit(ctx, tx, store.Event{Action: action, Object: fmt.Sprintf("project:%d", id), Result: "ok", Origin: origin, Actor: actor})
	})
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

// projectColumns are the columns scanProject reads, in its order; the last
// is the viewer's role, bound as two parameters: all (administrator) and
// the viewer's user id.
const projectColumns = `id, slug, name, purpose, notes_retention_days, archive_retention_days, created_at, rules, archived_at,
	CASE WHEN ? THEN 'admin' ELSE COALESCE((SELECT pm.role FROM project_members pm WHERE pm.project_id = projects.id AND pm.user_id = ?), '') END`

// ProjectsFor lists the projects an account may see: all of them for an
// administrator, its memberships for everyone else.
func (s *Store) ProjectsFor(ctx context.Context, userID int64, all bool) ([]Project, error) {
	q := `SELECT ` + projectColumns + ` FROM projects`
	args := []any{boolInt(all), userID}
	if !all {
		q += ` WHERE id IN (SELECT project_id FROM project_members WHERE user_id = ?)`
		args = append(args, userID)
	}
	rows, err := s.db.Read.QueryContext(ctx, q+` ORDER BY archived_at IS NOT NULL, name`, args...)
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
	row := s.db.Read.QueryRowContext(ctx, `SELECT `+projectColumns+` FROM projects WHERE slug = ?`, 0, 0, slug)
	p, err := scanProject(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return p, err
}

func scanProject(r interface{ Scan(...any) error }) (*Project, error) {
	var p Project
	var rules string
	var created, archived store.Time
	if err := r.Scan(&p.ID, &p.Slug, &p.Name, &p.Purpose, &p.NotesRetentionDays, &p.ArchiveRetentionDays, &created, &rules,
		&archived, &p.Role); err != nil {
		return nil, err
	}
	p.CreatedAt, p.ArchivedAt = created.Time, archived.Time
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
	row := s.db.Read.QueryRowContext(ctx, `SELECT `+projectColumns+`
		FROM projects WHERE `+where+` AND (? OR id IN (SELECT project_id FROM project_members WHERE user_id = ?))`,
		boolInt(v.AllProjects), v.UserID, arg, boolInt(v.AllProjects), v.UserID)
	p, err := scanProject(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "sets.not_found")
	}
	return p, err
}
