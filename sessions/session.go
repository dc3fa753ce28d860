package sessions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"atelier/i18n"
	"atelier/internal/apperr"
	"atelier/pii"
	"atelier/store"
)

// State is where a session is in its life.
type State string

// Session states: prepared, running (joinable), archived (read-only).
const (
	Draft  State = "draft"
	Open   State = "open"
	Closed State = "closed"
)

// Cluster is an approved cluster a session discusses. When its set has
// been withdrawn since (or is no longer approved for any reason), Withdrawn
// is true and Label is empty: the cluster's name went with its figures.
// Pages show the catalogue's "withdrawn profile" in its place; notes stay.
type Cluster struct {
	SetID     int64  `json:"-"`
	ID        string `json:"id"`
	Label     string `json:"label"`
	Withdrawn bool   `json:"withdrawn,omitempty"`
}

// Session is a workshop.
type Session struct {
	ID         int64     `json:"id"`
	ProjectID  int64     `json:"-"`
	Title      string    `json:"title"`
	Question   string    `json:"question"`
	State      State     `json:"state"`
	VoteBudget int       `json:"vote_budget"`
	Lang       i18n.Lang `json:"-"`
	CreatedBy  int64     `json:"-"`
	CreatedAt  time.Time `json:"-"`
	OpenedAt   time.Time `json:"-"` // zero until first opened
	ClosedAt   time.Time `json:"-"` // zero until closed
	Clusters   []Cluster `json:"clusters"`

	// What the facilitator controls during the session.
	Phase         string
	TimerEndsAt   string // RFC 3339, empty when no timer runs
	Focus         string // a cluster id, or empty
	Private       bool   // new notes stay with their author until a reveal
	TalliesHidden bool   // vote totals stay hidden until a reveal
	Locked        bool   // participants cannot add or change anything
	Agenda        Agenda // the phases the facilitator plans, with minutes

	// What the wall projects (ops_wall.go).
	WallView     string // one of WallViews
	WallVariable string // a variable of the cluster in focus; empty: the wall's default
	JoinLarge    bool   // the large join panel, even once people are in

	seq int64 // the last event's sequence number, as read

}

// HasCluster reports whether id is one of the session's clusters.
func (s *Session) HasCluster(id string) bool {
	for _, c := range s.Clusters {
		if c.ID == id {
			return true
		}
	}
	return false
}

// ClusterLabel returns the label of one of the session's clusters, or its id.
func (s *Session) ClusterLabel(id string) string {
	for _, c := range s.Clusters {
		if c.ID == id {
			return c.Label
		}
	}
	return id
}

// Store keeps sessions in SQLite. Join codes are stored only as hashes
// (the database must hold no code); the plain codes of open sessions live
// in memory, for the facilitator's screen. After a restart an open
// session gets a new code the first time its facilitator looks.
type Store struct {
	db    *store.DB
	mu    sync.Mutex
	codes map[int64]string

	// changed, when set, learns of a change to a session's row made
	// outside the live engine (opened, closed), inside the transaction
	// that makes it: the engine keeps sessions in memory between batches.
	changed func(id int64)
}

// OnChange registers fn to learn of changes to a session made outside the
// live engine, before they commit.
func (s *Store) OnChange(fn func(id int64)) { s.changed = fn }

func (s *Store) notify(id int64) {
	if s.changed != nil {
		s.changed(id)
	}
}

// NewStore returns a Store over db.
func NewStore(db *store.DB) *Store { return &Store{db: db, codes: map[int64]string{}} }

// Limits on what people type.
const (
	MaxTitle    = 120
	MaxQuestion = 300
)

// NewSession is what a facilitator fills in.
type NewSession struct {
	ProjectID  int64
	Title      string
	Question   string
	Clusters   []Cluster // approved clusters, in order
	VoteBudget int
	Agenda     Agenda
	Lang       i18n.Lang
	CreatedBy  int64
	Actor      string
}

// Create stores a draft session. Title and question pass the privacy guard
// first; what it removed is returned for the facilitator.
func (s *Store) Create(ctx context.Context, n NewSession) (*Session, []pii.Redaction, error) {
	for _, text := range []string{n.Title, n.Question} {
		if err := pii.CheckText(text); err != nil {
			return nil, nil, err
		}
	}
	title := strings.TrimSpace(n.Title)
	question := strings.TrimSpace(n.Question)
	if title == "" || utf8.RuneCountInString(title) > MaxTitle {
		return nil, nil, apperr.New(apperr.Invalid, "sessions.title_length", MaxTitle)
	}
	if question == "" || utf8.RuneCountInString(question) > MaxQuestion {
		return nil, nil, apperr.New(apperr.Invalid, "sessions.question_length", MaxQuestion)
	}
	if len(n.Clusters) == 0 || len(n.Clusters) > 20 {
		return nil, nil, apperr.New(apperr.Invalid, "sessions.clusters_count")
	}
	seen := map[string]bool{}
	for _, c := range n.Clusters {
		if seen[c.ID] {
			return nil, nil, apperr.New(apperr.Invalid, "sessions.cluster_twice", c.ID)
		}
		seen[c.ID] = true
	}
	if n.VoteBudget <= 0 {
		n.VoteBudget = 5
	}
	if n.VoteBudget > 20 {
		return nil, nil, apperr.New(apperr.Invalid, "sessions.budget_range")
	}
	title, r1 := pii.Redact(title, n.Lang)
	question, r2 := pii.Redact(question, n.Lang)
	sess := &Session{ProjectID: n.ProjectID, Title: title, Question: question, State: Draft, VoteBudget: n.VoteBudget,
		Lang: n.Lang, CreatedBy: n.CreatedBy, Clusters: n.Clusters, Agenda: n.Agenda}
	if err := n.Agenda.Validate(); err != nil {
		return nil, nil, err
	}
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		sess.CreatedAt = tx.Now.Time
		err := tx.QueryRowContext(ctx, `INSERT INTO sessions (project_id, title, question, state, vote_budget, lang, created_by, created_at, agenda)
			VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?) RETURNING id`, n.ProjectID, title, question, n.VoteBudget, string(n.Lang), n.CreatedBy,
			tx.Now, n.Agenda).Scan(&sess.ID)
		if err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		for i, c := range n.Clusters {
			if _, err := tx.ExecContext(ctx, `INSERT INTO session_clusters (session_id, position, set_id, cluster_id, label) VALUES (?, ?, ?, ?, ?)`,
				sess.ID, i, c.SetID, c.ID, c.Label); err != nil {
				return fmt.Errorf("insert session cluster: %w", err)
			}
		}
		return store.Audit(ctx, tx, store.Event{Action: "session.create", Object: fmt.Sprintf("session:%d project:%d", sess.ID, n.ProjectID),
			Result: "ok", Origin: "web", Actor: n.Actor})
	})
	if err != nil {
		return nil, nil, err
	}
	return sess, append(r1, r2...), nil
}

// Open makes a draft session joinable and gives it a code. A closed
// session stays closed.
func (s *Store) Open(ctx context.Context, id int64, actor string) (*Session, error) {
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		var state string
		if err := tx.QueryRowContext(ctx, `SELECT state FROM sessions WHERE id = ?`, id).Scan(&state); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return apperr.New(apperr.NotFound, "sessions.not_found")
			}
			return err
		}
		switch State(state) {
		case Open:
			return nil
		case Closed:
			return apperr.New(apperr.Conflict, "sessions.closed")
		}
		if err := s.setCode(ctx, tx, id); err != nil {
			return err
		}
		return store.Audit(ctx, tx, store.Event{Action: "session.open", Object: fmt.Sprintf("session:%d", id), Result: "ok", Origin: "web", Actor: actor})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// Close ends a session: its code stops working, its participants' tokens
// are deleted (report_archive.go) and it becomes a read-only archive.
func (s *Store) Close(ctx context.Context, id int64, actor string) (*Session, error) {
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sessions SET state = 'closed', code = NULL, closed_at = ?, timer_ends_at = '' WHERE id = ? AND state <> 'closed'`,
			tx.Now, id)
		if err != nil {
			return fmt.Errorf("close session: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("close session: %w", err)
		} else if n == 0 {
			return nil
		}
		s.mu.Lock()
		delete(s.codes, id)
		s.mu.Unlock()
		s.notify(id)
		if err := dropTokens(ctx, tx, id); err != nil {
			return err
		}
		if err := indexOutcome(ctx, tx, id); err != nil {
			return err
		}
		return store.Audit(ctx, tx, store.Event{Action: "session.close", Object: fmt.Sprintf("session:%d", id), Result: "ok", Origin: "web", Actor: actor})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// Get returns a session with its clusters.
func (s *Store) Get(ctx context.Context, id int64) (*Session, error) {
	return getSession(ctx, s.db.Read, id)
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func getSession(ctx context.Context, q queryer, id int64) (*Session, error) {
	var sess Session
	var state, lang string
	var created, opened, closed store.Time
	err := q.QueryRowContext(ctx, `SELECT id, project_id, title, question, state, vote_budget, lang, created_by, created_at,
		opened_at, closed_at, phase, timer_ends_at, focus, private, tallies_hidden, locked, agenda, seq,
		wall_view, wall_variable, join_large
		FROM sessions WHERE id = ?`, id).Scan(&sess.ID, &sess.ProjectID, &sess.Title, &sess.Question, &state,
		&sess.VoteBudget, &lang, &sess.CreatedBy, &created, &opened, &closed,
		&sess.Phase, &sess.TimerEndsAt, &sess.Focus, &sess.Private, &sess.TalliesHidden, &sess.Locked, &sess.Agenda, &sess.seq,
		&sess.WallView, &sess.WallVariable, &sess.JoinLarge)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "sessions.not_found")
	}
	if err != nil {
		return nil, fmt.Errorf("read session: %w", err)
	}
	sess.State, sess.Lang = State(state), i18n.Parse(lang)
	sess.CreatedAt, sess.OpenedAt, sess.ClosedAt = created.Time, opened.Time, closed.Time
	// The label of a cluster whose set is no longer approved never leaves
	// this query: every page, the API and the websocket welcome read the
	// session's clusters here, so none of them can forget the rule.
	rows, err := q.QueryContext(ctx, `SELECT sc.set_id, sc.cluster_id,
		CASE WHEN ps.state = 'approved' THEN sc.label ELSE '' END, COALESCE(ps.state, '') <> 'approved'
		FROM session_clusters sc LEFT JOIN profile_sets ps ON ps.id = sc.set_id
		WHERE sc.session_id = ? ORDER BY sc.position`, id)
	if err != nil {
		return nil, fmt.Errorf("read session clusters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c Cluster
		if err := rows.Scan(&c.SetID, &c.ID, &c.Label, &c.Withdrawn); err != nil {
			return nil, err
		}
		sess.Clusters = append(sess.Clusters, c)
	}
	return &sess, rows.Err()
}

// ByProject lists a project's sessions, newest first.
func (s *Store) ByProject(ctx context.Context, projectID int64) ([]Session, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT id FROM sessions WHERE project_id = ? ORDER BY id DESC`, projectID)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []Session
	for _, id := range ids {
		sess, err := s.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *sess)
	}
	return out, nil
}
