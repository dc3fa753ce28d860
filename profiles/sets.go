package profiles

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"atelier/disclosure"
	"atelier/internal/apperr"
	"atelier/store"
)

// SetState is where a profile set is in the approval workflow.
type SetState string

// The states of a profile set. Only approved sets are ever shown outside
// the stewards' review.
const (
	Pending   SetState = "pending"
	Approved  SetState = "approved"
	Rejected  SetState = "rejected"
	Withdrawn SetState = "withdrawn"
)

// Viewer is who asks the store for profile sets. The store, not the page,
// decides what a viewer may see: reviewers (stewards) see the pending and
// approved sets of their projects, and rejected and withdrawn ones too only
// when they ask for the review (Decided); everyone else sees approved sets
// only. Administrators see every project, others only their own.
type Viewer struct {
	UserID   int64
	Reviewer bool
	// Decided lets a reviewer see rejected and withdrawn sets as well: the
	// stewards' review list and review page ask for it, and nothing that
	// draws a set's figures (cluster pages, charts, comparisons) does.
	Decided     bool
	AllProjects bool
}

// ProfileSet is one imported, checked export and its workflow.
type ProfileSet struct {
	ID             int64
	ProjectID      int64
	Name           string
	State          SetState
	Safe           bool
	ImportedBy     int64
	ImportedByName string
	ImportedAt     time.Time
	DecidedBy      int64
	DecidedByName  string
	DecidedAt      time.Time
	DecisionReason string
	WithdrawnAt    time.Time
	WithdrawReason string

	// Result is the checked profile: published values only.
	Result *disclosure.Result
}

// Actor is the account doing a workflow step, for the four-eyes rule and
// the audit trail. Origin is "web" or "cli", never an address.
type Actor struct {
	UserID int64
	Name   string
	Origin string
}

// MaxDecisionReason bounds the reason a steward gives.
const MaxDecisionReason = 1000

// MaxSetName bounds a set's name, from the meta file or typed at import.
const MaxSetName = 200

// Import stores a checked result as a pending set. Whatever the file
// claimed, res comes from Check: it was re-checked here.
func (s *Store) Import(ctx context.Context, projectID int64, res *disclosure.Result, by Actor) (*ProfileSet, error) {
	body, err := json.Marshal(res)
	if err != nil {
		return nil, fmt.Errorf("encode result: %w", err)
	}
	name := strings.TrimSpace(res.Name)
	if name == "" || len([]rune(name)) > MaxSetName {
		return nil, apperr.New(apperr.Invalid, "steward.name_length", MaxSetName)
	}
	set := &ProfileSet{ProjectID: projectID, Name: name, State: Pending, Safe: res.Safe, ImportedBy: by.UserID, Result: res}
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		if err := importable(ctx, tx, projectID, res.Meta.Project, by.UserID); err != nil {
			return err
		}
		set.ImportedAt = tx.Now.Time
		err := tx.QueryRowContext(ctx, `INSERT INTO profile_sets (project_id, name, state, safe, result, imported_by, imported_at)
			VALUES (?, ?, 'pending', ?, ?, ?, ?) RETURNING id`, projectID, set.Name, res.Safe, string(body), by.UserID, tx.Now).Scan(&set.ID)
		if err != nil {
			return fmt.Errorf("insert profile set: %w", err)
		}
		result := "pending"
		if !res.Safe {
			result = "pending_unsafe"
		}
		return store.Audit(ctx, tx, store.Event{Action: "profiles.import", Object: fmt.Sprintf("set:%d project:%d", set.ID, projectID),
			Result: result, Origin: by.Origin, Actor: by.Name})
	})
	if err != nil {
		return nil, err
	}
	return set, nil
}

// importable refuses an import into an archived project, by an account that
// is not one of its stewards, or of an export whose meta file names another
// project (by short address or name): the project comes from where the
// steward imports, and a meta file that disagrees is a mix-up to catch, not
// to follow.
func importable(ctx context.Context, tx *store.Tx, projectID int64, metaProject string, userID int64) error {
	var slug, name string
	var archived bool
	err := tx.QueryRowContext(ctx, `SELECT slug, name, archived_at IS NOT NULL FROM projects WHERE id = ?`, projectID).Scan(&slug, &name, &archived)
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.New(apperr.NotFound, "sets.not_found")
	}
	if err != nil {
		return fmt.Errorf("read project: %w", err)
	}
	if archived {
		return apperr.New(apperr.Conflict, "projects.archived")
	}
	if err := requireSteward(ctx, tx, projectID, userID); err != nil {
		return err
	}
	// The meta file names its project by short address or by name.
	metaProject = strings.TrimSpace(metaProject)
	if metaProject != "" && !strings.EqualFold(metaProject, slug) && !strings.EqualFold(metaProject, name) {
		return apperr.New(apperr.Invalid, "import.meta_project", metaProject, name)
	}
	return nil
}

// Approve makes a pending, safe set visible. The importer may not approve
// their own import (four eyes).
func (s *Store) Approve(ctx context.Context, setID int64, by Actor, reason string) error {
	return s.decide(ctx, setID, by, Approved, reason)
}

// Reject closes a pending set without showing it. Like approval, it is for
// a steward other than the importer; the importer withdraws instead.
func (s *Store) Reject(ctx context.Context, setID int64, by Actor, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return apperr.New(apperr.Invalid, "sets.reason_required")
	}
	return s.decide(ctx, setID, by, Rejected, reason)
}

func (s *Store) decide(ctx context.Context, setID int64, by Actor, to SetState, reason string) error {
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) > MaxDecisionReason {
		return apperr.New(apperr.Invalid, "sets.reason_too_long", MaxDecisionReason)
	}
	var refusal *apperr.Error
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		var (
			state      string
			safe       int
			importedBy int64
			projectID  int64
		)
		err := tx.QueryRowContext(ctx, `SELECT state, safe, imported_by, project_id FROM profile_sets WHERE id = ?`, setID).
			Scan(&state, &safe, &importedBy, &projectID)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "sets.not_found")
		}
		if err != nil {
			return fmt.Errorf("read profile set: %w", err)
		}
		if err := requireSteward(ctx, tx, projectID, by.UserID); err != nil {
			refusal, _ = apperr.As(err)
			return err
		}
		switch {
		case importedBy == by.UserID:
			refusal = apperr.New(apperr.Forbidden, "sets.four_eyes")
		case SetState(state) != Pending:
			refusal = apperr.New(apperr.Conflict, "sets.not_pending", apperr.Key("sets.state."+state))
		case to == Approved && safe != 1:
			refusal = apperr.New(apperr.Conflict, "sets.unsafe")
		}
		if refusal != nil {
			return refusal
		}
		if _, err := tx.ExecContext(ctx, `UPDATE profile_sets SET state = ?, decided_by = ?, decided_at = ?, decision_reason = ? WHERE id = ?`,
			string(to), by.UserID, tx.Now, reason, setID); err != nil {
			return fmt.Errorf("update profile set: %w", err)
		}
		return store.Audit(ctx, tx, store.Event{Action: "profiles." + string(to), Object: fmt.Sprintf("set:%d project:%d", setID, projectID),
			Result: "ok", Origin: by.Origin, Actor: by.Name})
	})
	if refusal != nil {
		// A refused step (say, approving one's own import) is audited too;
		// the transaction above rolled back, so in a write of its own.
		_ = store.Audit(ctx, s.db.Write, store.Event{Action: "profiles." + string(to), Object: fmt.Sprintf("set:%d", setID),
			Result: "refused:" + string(refusal.Code), Origin: by.Origin, Actor: by.Name})
	}
	return err
}

// Withdraw takes a set out of view: an approved set that should no longer
// be shown, or a pending one that should not be decided on. Any steward may
// withdraw, the importer included.
func (s *Store) Withdraw(ctx context.Context, setID int64, by Actor, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return apperr.New(apperr.Invalid, "sets.reason_required")
	}
	if len([]rune(reason)) > MaxDecisionReason {
		return apperr.New(apperr.Invalid, "sets.reason_too_long", MaxDecisionReason)
	}
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		var state string
		var projectID int64
		err := tx.QueryRowContext(ctx, `SELECT state, project_id FROM profile_sets WHERE id = ?`, setID).Scan(&state, &projectID)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "sets.not_found")
		}
		if err != nil {
			return fmt.Errorf("read profile set: %w", err)
		}
		if err := requireSteward(ctx, tx, projectID, by.UserID); err != nil {
			return err
		}
		if SetState(state) != Approved && SetState(state) != Pending {
			return apperr.New(apperr.Conflict, "sets.not_withdrawable", apperr.Key("sets.state."+state))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE profile_sets SET state = 'withdrawn', withdrawn_by = ?, withdrawn_at = ?, withdraw_reason = ? WHERE id = ?`,
			by.UserID, tx.Now, reason, setID); err != nil {
			return fmt.Errorf("withdraw profile set: %w", err)
		}
		return store.Audit(ctx, tx, store.Event{Action: "profiles.withdrawn", Object: fmt.Sprintf("set:%d project:%d", setID, projectID),
			Result: "ok", Origin: by.Origin, Actor: by.Name})
	})
}

// visible is the one filter every viewer query goes through: the project
// must be the viewer's, and a set must be approved unless the viewer
// reviews. Keeping it in one place keeps pending, rejected and withdrawn
// sets out of every page, API and export.
func visible(v Viewer) (string, []any) {
	where := `ps.project_id IN (SELECT id FROM projects WHERE ? OR id IN (SELECT project_id FROM project_members WHERE user_id = ?))`
	args := []any{boolInt(v.AllProjects), v.UserID}
	if !v.Reviewer {
		return where + ` AND ps.state = 'approved'`, args
	}
	if !v.Decided {
		where += ` AND ps.state IN ('pending', 'approved')`
	}
	// A reviewer reviews only where they are a steward member; where
	// their membership is for reading, they see what readers see.
	where += ` AND (ps.state = 'approved' OR ps.project_id IN (SELECT project_id FROM project_members WHERE user_id = ? AND role = 'steward'))`
	return where, append(args, v.UserID)
}

const setColumns = `ps.id, ps.project_id, ps.name, ps.state, ps.safe, ps.imported_by, COALESCE(ui.email, ''), ps.imported_at,
	COALESCE(ps.decided_by, 0), COALESCE(ud.email, ''), ps.decided_at, ps.decision_reason,
	ps.withdrawn_at, ps.withdraw_reason`

const setJoins = ` FROM profile_sets ps
	LEFT JOIN users ui ON ui.id = ps.imported_by
	LEFT JOIN users ud ON ud.id = ps.decided_by`

// Sets lists the sets of a project that v may see, newest first, without
// their results.
func (s *Store) Sets(ctx context.Context, v Viewer, projectID int64) ([]ProfileSet, error) {
	where, args := visible(v)
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+setColumns+setJoins+` WHERE ps.project_id = ? AND `+where+` ORDER BY ps.id DESC`,
		append([]any{projectID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("query profile sets: %w", err)
	}
	defer rows.Close()
	var out []ProfileSet
	for rows.Next() {
		var set ProfileSet
		if err := scanSet(rows, &set); err != nil {
			return nil, err
		}
		out = append(out, set)
	}
	return out, rows.Err()
}

// Set returns one set with its result, if v may see it. A set v may not see
// is reported as not found, so that its existence is not revealed either.
func (s *Store) Set(ctx context.Context, v Viewer, setID int64) (*ProfileSet, error) {
	where, args := visible(v)
	var set ProfileSet
	var revision int64
	row := s.db.Read.QueryRowContext(ctx, `SELECT ps.revision, `+setColumns+setJoins+` WHERE ps.id = ? AND `+where,
		append([]any{setID}, args...)...)
	err := scanSet(row, &set, &revision)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "sets.not_found")
	}
	if err != nil {
		return nil, err
	}
	// The visibility check above runs every time; only the decoded result
	// comes from the cache, by revision: a steward's label correction makes
	// a new revision, never a changed figure.
	set.Result, err = s.results.get(resultKey{setID, revision}, func() (*disclosure.Result, error) {
		var body string
		if err := s.db.Read.QueryRowContext(ctx, `SELECT result FROM profile_sets WHERE id = ? AND revision = ?`, setID, revision).Scan(&body); err != nil {
			return nil, fmt.Errorf("read profile set %d: %w", setID, err)
		}
		res := new(disclosure.Result)
		if err := json.Unmarshal([]byte(body), res); err != nil {
			return nil, fmt.Errorf("decode profile set %d: %w", setID, err)
		}
		return res, nil
	})
	if err != nil {
		return nil, err
	}
	return &set, nil
}

// resultCache keeps a few decoded results: a cluster page of a large set
// would otherwise spend most of its time decoding JSON. Results are shared
// and must not be modified.
type resultCache struct {
	mu      sync.Mutex
	results map[resultKey]*disclosure.Result
}

// resultKey names one stored revision of a set's result.
type resultKey struct {
	set, revision int64
}

const resultCacheSize = 16

func (c *resultCache) get(id resultKey, load func() (*disclosure.Result, error)) (*disclosure.Result, error) {
	c.mu.Lock()
	res, ok := c.results[id]
	c.mu.Unlock()
	if ok {
		return res, nil
	}
	res, err := load()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.results == nil {
		c.results = make(map[resultKey]*disclosure.Result)
	}
	if len(c.results) >= resultCacheSize {
		for k := range c.results {
			delete(c.results, k) // any one: sets are few and equally likely
			break
		}
	}
	c.results[id] = res
	return res, nil
}

// scanSet reads setColumns, after any extra columns selected before them.
func scanSet(r interface{ Scan(...any) error }, set *ProfileSet, extra ...any) error {
	var state string
	var importedAt, decidedAt, withdrawnAt store.Time
	if err := r.Scan(append(extra, &set.ID, &set.ProjectID, &set.Name, &state, &set.Safe, &set.ImportedBy, &set.ImportedByName, &importedAt,
		&set.DecidedBy, &set.DecidedByName, &decidedAt, &set.DecisionReason, &withdrawnAt, &set.WithdrawReason)...); err != nil {
		return err
	}
	set.State = SetState(state)
	set.ImportedAt, set.DecidedAt, set.WithdrawnAt = importedAt.Time, decidedAt.Time, withdrawnAt.Time
	return nil
}

// ApprovedCluster is a cluster of an approved set, as sessions and the
// project API list them.
type ApprovedCluster struct {
	SetID int64  `json:"set"`
	ID    string `json:"id"`
	Label string `json:"label"`
}

// ApprovedClusters lists the clusters of every approved set of a project
// that v may see.
func (s *Store) ApprovedClusters(ctx context.Context, v Viewer, projectID int64) ([]ApprovedCluster, error) {
	v.Reviewer, v.Decided = false, false // approved only, whoever asks
	sets, err := s.Sets(ctx, v, projectID)
	if err != nil {
		return nil, err
	}
	var out []ApprovedCluster
	for _, meta := range sets {
		set, err := s.Set(ctx, v, meta.ID)
		if err != nil {
			return nil, err
		}
		for _, c := range set.Result.Clusters {
			out = append(out, ApprovedCluster{SetID: set.ID, ID: c.ID, Label: c.Label})
		}
	}
	return out, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
