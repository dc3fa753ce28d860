package sessions

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"atelier/internal/apperr"
)

// What leaves the live room. A closed session's report (the policymaker's
// read view, the printable page and the CSV export) follows principle 2:
// every count about people under MinGroup is shown as "<10", and a note's
// role label appears only for a role that at least MinGroup participants
// of the session chose. Pseudonyms never leave the live room: they link a
// person's notes to each other. The rules are applied here, in the query
// layer, so that no template or export can get them wrong.

// MinGroup is the default smallest count of people shown outside the live
// room. A project whose disclosure rules ask for a higher minimum
// frequency uses that instead (Report's minGroup).
const MinGroup = 10

// Count is a count about people as it may be shown outside the live room.
// The raw number is kept only when it may be shown.
type Count struct {
	N        int  // the number; 0 unless it may be shown
	Under    bool // fewer than Min: shown as "<10"
	Withheld bool // at least Min, but a smaller count could be derived from it: shown as "≥10"
	NotShown bool // could reveal a small group's count by subtraction: shown as "–"
	Min      int  // the threshold it was judged by
}

// countOf returns n as it may be shown under threshold min.
func countOf(n, min int) Count {
	if n < min {
		return Count{Under: true, Min: min}
	}
	return Count{N: n, Min: min}
}

// String returns the count as people read it: "<10", "≥10" or the number.
func (c Count) String() string {
	min := c.Min
	if min == 0 {
		min = MinGroup
	}
	switch {
	case c.NotShown:
		return "–"
	case c.Under:
		return "<" + strconv.Itoa(min)
	case c.Withheld:
		return "≥" + strconv.Itoa(min)
	}
	return strconv.Itoa(c.N)
}

// RoleCount is the number of a session's participants with one role.
type RoleCount struct {
	Role  Role
	Count Count
}

// Participants counts a session's participants by role, as may be shown.
type Participants struct {
	ByRole []RoleCount // every role, in the order of Roles
	Total  Count
}

// participantsOf applies the threshold to raw counts per role. The total
// is withheld when the roles shown as "<10" hold between 1 and 9 people
// together: the total minus the published roles would reveal them.
func participantsOf(raw map[Role]int, min int) Participants {
	var p Participants
	total, hidden := 0, 0
	for _, r := range Roles {
		n := raw[r]
		total += n
		c := countOf(n, min)
		if c.Under {
			hidden += n
		}
		p.ByRole = append(p.ByRole, RoleCount{Role: r, Count: c})
	}
	p.Total = countOf(total, min)
	if !p.Total.Under && hidden > 0 && hidden < min {
		p.Total = Count{Withheld: true, Min: min}
	}
	return p
}

// votesByRole applies the threshold to one note's votes per role: a role
// with fewer than min participants shows "<10" whatever its votes. When
// the small roles together have between 1 and min−1 participants, the
// note's total minus the shown roles would reveal what that small group
// voted, so then no role's votes are shown ("–").
func votesByRole(votes, raw map[Role]int, min int) []RoleCount {
	small := 0
	for _, r := range Roles {
		if raw[r] < min {
			small += raw[r]
		}
	}
	out := make([]RoleCount, 0, len(Roles))
	for _, r := range Roles {
		c := Count{N: votes[r], Min: min}
		switch {
		case raw[r] < min:
			c = Count{Under: true, Min: min}
		case small > 0 && small < min:
			c = Count{NotShown: true, Min: min}
		}
		out = append(out, RoleCount{Role: r, Count: c})
	}
	return out
}

// labelled returns the role label a note by someone with role may carry:
// the role when at least min participants had it, otherwise none.
func labelled(role Role, raw map[Role]int, min int) Role {
	if raw[role] >= min {
		return role
	}
	return ""
}

// ReportNote is a note as a report shows it: no author, no pseudonym, a
// role only where its group is large enough. Its vote total and rank are
// shown as they are: they count dots, not households, and identify no
// voter. Votes per role are counts about a group of people and follow the
// threshold.
type ReportNote struct {
	Kind   string
	Text   string
	Votes  int
	Rank   int         // 1 for the most votes in its cluster; equal totals share a rank; 0 without votes
	ByRole []RoleCount // votes from each role, in the order of Roles
	Role   Role        // empty: the role is not shown
}

// RankText is the rank as a report prints it: "1", "2", or "–" for a note
// without votes.
func (n ReportNote) RankText() string {
	if n.Rank == 0 {
		return "–"
	}
	return strconv.Itoa(n.Rank)
}

// KindGroup is a cluster's notes of one kind.
type KindGroup struct {
	Kind  string
	Notes []ReportNote
}

// ReportExcerpt is an interview excerpt as a report shows it.
type ReportExcerpt struct {
	Text   string
	Source string
	Tags   []string
	Role   Role // empty: the role is not shown
}

// ReportTheme is a facilitator's theme with the notes and excerpts grouped
// under it, under the same rules as the rest of the report.
type ReportTheme struct {
	Title    string
	Notes    []ReportNote // most votes first, as in a KindGroup
	Excerpts []ReportExcerpt
}

// ClusterReport is what a session made of one cluster: its themes first,
// then what is in no theme.
type ClusterReport struct {
	Cluster
	Themes   []ReportTheme   // in the facilitator's order, also those left empty
	Kinds    []KindGroup     // notes in no theme, in the order of NoteKinds; kinds without notes are left out
	Excerpts []ReportExcerpt // excerpts in no theme
}

// Report is a closed session as it may be shown outside the live room.
type Report struct {
	SessionID    int64
	ProjectID    int64
	Title        string
	Question     string
	OpenedAt     time.Time // zero when unknown
	ClosedAt     time.Time
	Participants Participants
	Clusters     []ClusterReport // in the session's order
	// Expired is set when the session's workshop material was deleted at
	// the end of its retention period; the report is then what the
	// archive keeps (report_archive.go).
	Expired *Expired
}

// Report returns what the closed session sess produced, with the rules of
// principle 2 applied under threshold minGroup (the project's minimum
// frequency, at least MinGroup). A session that is not closed has no
// report yet (Conflict): its notes are still in the live room. Deleted
// notes, notes a facilitator hid, and private notes that were never
// revealed are left out. Whether the viewer may see the session's project
// is the caller's question; ask it first, so that a refusal does not
// reveal the state.
func (s *Store) Report(ctx context.Context, sess *Session, minGroup int) (*Report, error) {
	if sess.State != Closed {
		return nil, apperr.New(apperr.Conflict, "report.not_closed")
	}
	tx, err := s.db.Read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	r := &reportReader{ctx: ctx, tx: tx, sess: sess, min: max(minGroup, MinGroup),
		rep: &Report{SessionID: sess.ID, ProjectID: sess.ProjectID, Title: sess.Title, Question: sess.Question,
			OpenedAt: sess.OpenedAt, ClosedAt: sess.ClosedAt},
		byCluster: map[string]*ClusterReport{}, themes: map[int64]placedTheme{}, loose: map[string]map[string][]ReportNote{}}
	r.rep.Clusters = make([]ClusterReport, len(sess.Clusters))
	for i, c := range sess.Clusters {
		r.rep.Clusters[i].Cluster = c
		r.byCluster[c.ID] = &r.rep.Clusters[i]
	}
	if expired, err := r.readArchive(); expired || err != nil {
		return r.rep, err
	}
	// Themes before notes and excerpts, so that those can be put under them.
	for _, step := range []func() error{r.participants, r.readThemes, r.readNotes, r.readExcerpts} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	r.order()
	return r.rep, nil
}

// reportReader reads one report inside one read transaction.
type reportReader struct {
	ctx  context.Context
	tx   *sql.Tx
	sess *Session
	min  int

	rep       *Report
	raw       map[Role]int // participants per role, before the threshold
	byCluster map[string]*ClusterReport
	themes    map[int64]placedTheme
	loose     map[string]map[string][]ReportNote // cluster → kind → notes in no theme
}

// placedTheme is where a theme stands in the report.
type placedTheme struct {
	cluster string
	index   int // in its cluster's Themes
}

// each runs query and calls scan for every row.
func (r *reportReader) each(query string, scan func(*sql.Rows) error) error {
	rows, err := r.tx.QueryContext(r.ctx, query, r.sess.ID)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// participants counts the session's participants per role.
func (r *reportReader) participants() error {
	r.raw = map[Role]int{}
	err := r.each(`SELECT role, COUNT(*) FROM participants WHERE session_id = ? GROUP BY role`, func(rows *sql.Rows) error {
		var role string
		var n int
		err := rows.Scan(&role, &n)
		r.raw[Role(role)] = n
		return err
	})
	r.rep.Participants = participantsOf(r.raw, r.min)
	return err
}

func (r *reportReader) readThemes() error {
	return r.each(`SELECT id, cluster_id, title FROM themes WHERE session_id = ? ORDER BY position, id`, func(rows *sql.Rows) error {
		var id int64
		var cluster, title string
		if err := rows.Scan(&id, &cluster, &title); err != nil {
			return err
		}
		if cr := r.byCluster[cluster]; cr != nil {
			r.themes[id] = placedTheme{cluster, len(cr.Themes)}
			cr.Themes = append(cr.Themes, ReportTheme{Title: title})
		}
		return nil
	})
}

// themeOf returns the theme a note or excerpt of cluster is grouped under,
// or nil. The ops refuse a theme of another cluster; should the data ever
// disagree, the item shows ungrouped rather than elsewhere.
func (r *reportReader) themeOf(cluster string, id sql.NullInt64) *ReportTheme {
	ref, ok := r.themes[id.Int64]
	if !id.Valid || !ok || ref.cluster != cluster {
		return nil
	}
	return &r.byCluster[cluster].Themes[ref.index]
}

// readNotes reads the notes that may leave the room. The pseudonym is not
// even read.
func (r *reportReader) readNotes() error {
	byRole := map[int64]map[Role]int{} // note → votes per voter's role
	err := r.each(`SELECT v.note_id, p.role, COUNT(*) FROM votes v JOIN participants p ON p.id = v.participant_id
		WHERE v.session_id = ? GROUP BY v.note_id, p.role`, func(rows *sql.Rows) error {
		var note int64
		var role string
		var n int
		if err := rows.Scan(&note, &role, &n); err != nil {
			return err
		}
		if byRole[note] == nil {
			byRole[note] = map[Role]int{}
		}
		byRole[note][Role(role)] = n
		return nil
	})
	if err != nil {
		return err
	}
	return r.each(`SELECT n.id, n.cluster_id, n.kind, n.text, p.role, (SELECT COUNT(*) FROM votes v WHERE v.note_id = n.id), n.theme_id
		FROM notes n JOIN participants p ON p.id = n.participant_id
		WHERE n.session_id = ? AND n.deleted = 0 AND n.hidden = 0 AND n.private = 0 ORDER BY n.id`, func(rows *sql.Rows) error {
		var id int64
		var cluster, kind, text, role string
		var votes int
		var theme sql.NullInt64
		if err := rows.Scan(&id, &cluster, &kind, &text, &role, &votes, &theme); err != nil {
			return err
		}
		n := ReportNote{Kind: kind, Text: text, Votes: votes, ByRole: votesByRole(byRole[id], r.raw, r.min), Role: labelled(Role(role), r.raw, r.min)}
		if th := r.themeOf(cluster, theme); th != nil {
			th.Notes = append(th.Notes, n)
			return nil
		}
		if r.loose[cluster] == nil {
			r.loose[cluster] = map[string][]ReportNote{}
		}
		r.loose[cluster][kind] = append(r.loose[cluster][kind], n)
		return nil
	})
}

func (r *reportReader) readExcerpts() error {
	return r.each(`SELECT e.cluster_id, e.text, e.source, e.tags, p.role, e.theme_id
		FROM excerpts e JOIN participants p ON p.id = e.participant_id WHERE e.session_id = ? ORDER BY e.id`, func(rows *sql.Rows) error {
		var cluster, text, source, tags, role string
		var theme sql.NullInt64
		if err := rows.Scan(&cluster, &text, &source, &tags, &role, &theme); err != nil {
			return err
		}
		cr := r.byCluster[cluster]
		if cr == nil {
			return nil
		}
		x := ReportExcerpt{Text: text, Source: source, Tags: []string{}, Role: labelled(Role(role), r.raw, r.min)}
		if err := json.Unmarshal([]byte(tags), &x.Tags); err != nil {
			return fmt.Errorf("report: excerpt tags: %w", err)
		}
		if th := r.themeOf(cluster, theme); th != nil {
			th.Excerpts = append(th.Excerpts, x)
			return nil
		}
		cr.Excerpts = append(cr.Excerpts, x)
		return nil
	})
}

// order ranks the notes of each cluster by their votes, sorts every list
// of notes by votes and groups the notes in no theme by kind, in the order
// of NoteKinds.
func (r *reportReader) order() {
	for id, cr := range r.byCluster {
		var all []*ReportNote
		for i := range cr.Themes {
			for j := range cr.Themes[i].Notes {
				all = append(all, &cr.Themes[i].Notes[j])
			}
		}
		for _, list := range r.loose[id] {
			for j := range list {
				all = append(all, &list[j])
			}
		}
		rank(all)
		for i := range cr.Themes {
			sortByVotes(cr.Themes[i].Notes)
		}
		for _, kind := range NoteKinds {
			list := r.loose[id][kind]
			if len(list) == 0 {
				continue
			}
			sortByVotes(list)
			cr.Kinds = append(cr.Kinds, KindGroup{Kind: kind, Notes: list})
		}
	}
}

// sortByVotes puts the notes with the most votes first; equal totals keep
// the order in which the notes were written.
func sortByVotes(list []ReportNote) {
	slices.SortStableFunc(list, func(a, b ReportNote) int { return b.Votes - a.Votes })
}

// rank gives every note with votes its rank among notes: one more than the
// number of notes with more votes, so that equal totals share a rank.
func rank(notes []*ReportNote) {
	for _, n := range notes {
		if n.Votes == 0 {
			continue
		}
		n.Rank = 1
		for _, m := range notes {
			if m.Votes > n.Votes {
				n.Rank++
			}
		}
	}
}
