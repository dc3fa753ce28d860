package sessions

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"atelier/store"
)

// Insights: what a project's closed sessions produced, read together. The
// same rules as a report apply (report.go): nothing from an open session,
// nothing deleted, hidden or never revealed, no pseudonyms, a role label
// only where the session had at least the threshold of that role, and
// counts of people under it as "<10". Vote totals are shown: they count
// dots, not households, and identify no voter.

// indexOutcome puts what a closing session produced into the full-text
// index. A closed session no longer changes, so the index stays true.
func indexOutcome(ctx context.Context, tx *store.Tx, sessionID int64) error {
	for _, q := range []string{
		`DELETE FROM outcome_fts WHERE session_id = ?`,
		`INSERT INTO outcome_fts (body, session_id, ref) SELECT text, session_id, 'n' || id FROM notes
			WHERE session_id = ? AND deleted = 0 AND hidden = 0 AND private = 0`,
		`INSERT INTO outcome_fts (body, session_id, ref) SELECT text || ' ' || tags, session_id, 'x' || id FROM excerpts WHERE session_id = ?`,
		`INSERT INTO outcome_fts (body, session_id, ref) SELECT title, session_id, 't' || id FROM themes WHERE session_id = ?`,
	} {
		if _, err := tx.ExecContext(ctx, q, sessionID); err != nil {
			return fmt.Errorf("index outcome: %w", err)
		}
	}
	return nil
}

// InsightFilter narrows a project's insights. The zero value is everything.
type InsightFilter struct {
	Query   string    // words to find in notes, excerpts and theme titles
	Kind    string    // a note kind, or "excerpt"
	Tag     string    // an excerpt tag
	Cluster string    // a cluster id
	Session int64     // one session
	From    time.Time // sessions closed on or after this day
	To      time.Time // sessions closed on or before this day
	Role    Role      // only where the session had at least the threshold of this role
}

// InsightItem is one note or excerpt as insights show it.
type InsightItem struct {
	Type         string // "note" or "excerpt"
	SessionID    int64
	SessionTitle string
	ClosedAt     time.Time
	SetID        int64
	Cluster      string
	ClusterLabel string
	Kind         string // notes
	Text         string
	Votes        int      // notes: the total
	Source       string   // excerpts
	Tags         []string // excerpts
	Theme        string   // the theme's title, or ""
	Role         Role     // empty: not shown
}

// InsightSession is a closed session insights draw on.
type InsightSession struct {
	ID           int64
	Title        string
	ClosedAt     time.Time
	Participants Participants
}

// TagCount is how often an excerpt tag was used.
type TagCount struct {
	Tag   string
	Count int
}

// Insights is the filtered outcome of a project's closed sessions.
type Insights struct {
	Items    []InsightItem // in session order (newest first), then as written
	Sessions []InsightSession
	Roles    []Role // the roles one may filter on: some session had at least the threshold of them
	Tags     []TagCount
}

// Insights reads the outcome of a project's closed sessions under filter,
// with minGroup the project's threshold for counts of people.
func (s *Store) Insights(ctx context.Context, projectID int64, f InsightFilter, minGroup int) (*Insights, error) {
	minGroup = max(minGroup, MinGroup)
	tx, err := s.db.Read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	r := &insightReader{ctx: ctx, tx: tx, project: projectID, f: f, min: minGroup, out: &Insights{}}
	for _, step := range []func() error{r.readSessions, r.matches, r.notes, r.excerpts} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	r.finish()
	return r.out, nil
}

// insightReader reads one set of insights in one read transaction.
type insightReader struct {
	ctx     context.Context
	tx      *sql.Tx
	project int64
	f       InsightFilter
	min     int
	out     *Insights

	roles    map[int64]map[Role]int // session → participants per role
	sessions map[int64]InsightSession
	labels   map[[2]string]string // (session, cluster) → label
	sets     map[[2]string]int64  // (session, cluster) → set id
	found    map[string]bool      // refs the text search found; nil when there is no search
}

// sessions reads the project's closed sessions that the filter allows,
// with their participants per role and their clusters.
func (r *insightReader) readSessions() error {
	r.roles, r.sessions = map[int64]map[Role]int{}, map[int64]InsightSession{}
	r.labels, r.sets = map[[2]string]string{}, map[[2]string]int64{}
	rows, err := r.tx.QueryContext(r.ctx, `SELECT s.id, s.title, s.closed_at, p.role, COUNT(p.id)
		FROM sessions s LEFT JOIN participants p ON p.session_id = s.id
		WHERE s.project_id = ? AND s.state = 'closed' GROUP BY s.id, p.role ORDER BY s.closed_at DESC, s.id DESC`, r.project)
	if err != nil {
		return fmt.Errorf("insights: sessions: %w", err)
	}
	defer rows.Close()
	var order []int64
	for rows.Next() {
		var is InsightSession
		var closed store.Time
		var role sql.NullString
		var n int
		if err := rows.Scan(&is.ID, &is.Title, &closed, &role, &n); err != nil {
			return err
		}
		is.ClosedAt = closed.Time
		if !r.allowSession(is) {
			continue
		}
		if _, seen := r.sessions[is.ID]; !seen {
			order = append(order, is.ID)
			r.sessions[is.ID] = is
			r.roles[is.ID] = map[Role]int{}
		}
		if role.Valid {
			r.roles[is.ID][Role(role.String)] = n
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range order {
		is := r.sessions[id]
		is.Participants = participantsOf(r.roles[id], r.min)
		r.sessions[id] = is
		r.out.Sessions = append(r.out.Sessions, is)
	}
	for _, role := range Roles {
		for _, id := range order {
			if r.roles[id][role] >= r.min {
				r.out.Roles = append(r.out.Roles, role)
				break
			}
		}
	}
	return r.clusters()
}

func (r *insightReader) allowSession(is InsightSession) bool {
	f := r.f
	day := is.ClosedAt.UTC().Truncate(24 * time.Hour)
	return (f.Session == 0 || f.Session == is.ID) &&
		(f.From.IsZero() || !day.Before(f.From)) &&
		(f.To.IsZero() || !day.After(f.To))
}

func (r *insightReader) clusters() error {
	rows, err := r.tx.QueryContext(r.ctx, `SELECT sc.session_id, sc.cluster_id, sc.label, sc.set_id FROM session_clusters sc
		JOIN sessions s ON s.id = sc.session_id WHERE s.project_id = ? AND s.state = 'closed'`, r.project)
	if err != nil {
		return fmt.Errorf("insights: clusters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var session int64
		var cluster, label string
		var set int64
		if err := rows.Scan(&session, &cluster, &label, &set); err != nil {
			return err
		}
		key := [2]string{fmt.Sprint(session), cluster}
		r.labels[key], r.sets[key] = label, set
	}
	return rows.Err()
}

// matches runs the text search, if there is one.
func (r *insightReader) matches() error {
	q := ftsQuery(r.f.Query)
	if q == "" {
		return nil
	}
	r.found = map[string]bool{}
	rows, err := r.tx.QueryContext(r.ctx, `SELECT session_id, ref FROM outcome_fts WHERE outcome_fts MATCH ?`, q)
	if err != nil {
		return fmt.Errorf("insights: search: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var session int64
		var ref string
		if err := rows.Scan(&session, &ref); err != nil {
			return err
		}
		if _, ok := r.sessions[session]; ok {
			r.found[ref] = true
		}
	}
	return rows.Err()
}

// ftsQuery turns what someone typed into an FTS5 query: every word must
// occur, as a word or the start of one. Quotes keep FTS5's own syntax
// (AND, NEAR, column filters, stray quotes) out of a visitor's hands.
func ftsQuery(typed string) string {
	var terms []string
	for _, w := range strings.FieldsFunc(typed, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		terms = append(terms, `"`+w+`"*`)
		if len(terms) == 12 {
			break
		}
	}
	return strings.Join(terms, " ")
}

// hit reports whether an item (ref) or its theme (themeRef) matched the
// search, or there is no search.
func (r *insightReader) hit(ref string, theme sql.NullInt64) bool {
	return r.found == nil || r.found[ref] || theme.Valid && r.found[themeID(theme.Int64)]
}

// label returns the role label an item may carry in its session.
func (r *insightReader) label(session int64, role Role) Role {
	return labelled(role, r.roles[session], r.min)
}

func (r *insightReader) item(session int64, cluster string) InsightItem {
	is := r.sessions[session]
	key := [2]string{fmt.Sprint(session), cluster}
	return InsightItem{SessionID: session, SessionTitle: is.Title, ClosedAt: is.ClosedAt, Cluster: cluster, ClusterLabel: r.labels[key], SetID: r.sets[key]}
}

func (r *insightReader) notes() error {
	if r.f.Kind == "excerpt" || r.f.Tag != "" {
		return nil
	}
	rows, err := r.tx.QueryContext(r.ctx, `SELECT n.id, n.session_id, n.cluster_id, n.kind, n.text, p.role,
		(SELECT COUNT(*) FROM votes v WHERE v.note_id = n.id), n.theme_id, COALESCE(t.title, '')
		FROM notes n JOIN participants p ON p.id = n.participant_id JOIN sessions s ON s.id = n.session_id
		LEFT JOIN themes t ON t.id = n.theme_id
		WHERE s.project_id = ? AND s.state = 'closed' AND n.deleted = 0 AND n.hidden = 0 AND n.private = 0
		ORDER BY s.closed_at DESC, s.id DESC, n.id`, r.project)
	if err != nil {
		return fmt.Errorf("insights: notes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, session int64
		var cluster, kind, text, role, theme string
		var votes int
		var themeRef sql.NullInt64
		if err := rows.Scan(&id, &session, &cluster, &kind, &text, &role, &votes, &themeRef, &theme); err != nil {
			return err
		}
		if _, ok := r.sessions[session]; !ok || !r.hit(noteID(id), themeRef) || !r.allow(session, cluster, kind, Role(role)) {
			continue
		}
		it := r.item(session, cluster)
		it.Type, it.Kind, it.Text, it.Votes, it.Theme, it.Role = "note", kind, text, votes, theme, r.label(session, Role(role))
		r.out.Items = append(r.out.Items, it)
	}
	return rows.Err()
}

// allow applies the filters on kind, cluster and role.
func (r *insightReader) allow(session int64, cluster, kind string, role Role) bool {
	f := r.f
	return (f.Kind == "" || f.Kind == kind) && (f.Cluster == "" || f.Cluster == cluster) &&
		(f.Role == "" || f.Role == role && r.label(session, role) != "")
}

func (r *insightReader) excerpts() error {
	if r.f.Kind != "" && r.f.Kind != "excerpt" {
		return nil
	}
	rows, err := r.tx.QueryContext(r.ctx, `SELECT e.id, e.session_id, e.cluster_id, e.text, e.source, e.tags, p.role, e.theme_id, COALESCE(t.title, '')
		FROM excerpts e JOIN participants p ON p.id = e.participant_id JOIN sessions s ON s.id = e.session_id
		LEFT JOIN themes t ON t.id = e.theme_id
		WHERE s.project_id = ? AND s.state = 'closed' ORDER BY s.closed_at DESC, s.id DESC, e.id`, r.project)
	if err != nil {
		return fmt.Errorf("insights: excerpts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, session int64
		var cluster, text, source, tags, role, theme string
		var themeRef sql.NullInt64
		if err := rows.Scan(&id, &session, &cluster, &text, &source, &tags, &role, &themeRef, &theme); err != nil {
			return err
		}
		if _, ok := r.sessions[session]; !ok || !r.hit(excerptID(id), themeRef) || !r.allow(session, cluster, "excerpt", Role(role)) {
			continue
		}
		it := r.item(session, cluster)
		it.Type, it.Text, it.Source, it.Theme, it.Role = "excerpt", text, source, theme, r.label(session, Role(role))
		if err := json.Unmarshal([]byte(tags), &it.Tags); err != nil {
			return fmt.Errorf("insights: excerpt tags: %w", err)
		}
		if r.f.Tag != "" && !slices.Contains(it.Tags, r.f.Tag) {
			continue
		}
		r.out.Items = append(r.out.Items, it)
	}
	return rows.Err()
}

// finish counts the tags of the excerpts found, most used first.
func (r *insightReader) finish() {
	counts := map[string]int{}
	for _, it := range r.out.Items {
		for _, t := range it.Tags {
			counts[t]++
		}
	}
	for t, n := range counts {
		r.out.Tags = append(r.out.Tags, TagCount{Tag: t, Count: n})
	}
	slices.SortFunc(r.out.Tags, func(a, b TagCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Tag, b.Tag)
	})
}

// InsightsCSVHeader is the first line of the insights export.
var InsightsCSVHeader = []string{"session", "closed", "cluster", "cluster_label", "type", "kind", "text", "votes", "theme", "role", "source", "tags"}

// WriteInsightsCSV writes items as CSV for spreadsheets (see csv.go), sep
// between cells, one row per note or excerpt.
func WriteInsightsCSV(w io.Writer, items []InsightItem, sep byte) error {
	cw := newCSV(w, sep)
	cw.row(InsightsCSVHeader...)
	for _, it := range items {
		votes := ""
		if it.Type == "note" {
			votes = strconv.Itoa(it.Votes)
		}
		cw.row(it.SessionTitle, it.ClosedAt.UTC().Format(time.DateOnly), it.Cluster, it.ClusterLabel, it.Type, it.Kind, it.Text, votes,
			it.Theme, string(it.Role), it.Source, strings.Join(it.Tags, "; "))
	}
	return cw.close()
}
