package sessions

import (
	"database/sql"
	"errors"
	"fmt"

	"atelier/internal/apperr"
)

// Themes are how a facilitator synthesises: headings on one cluster under
// which notes and interview excerpts are grouped ("schaamte", "de weg niet
// weten"). Only facilitators make and fill them. Like every other change
// they are sequenced events, so the wall and the phones follow, and the
// closed session's report is ordered by them.

// MaxThemeTitle is the longest theme title, in characters.
const MaxThemeTitle = 80

// themeData is the data of the theme ops.
type themeData struct {
	ID      string
	Cluster string
	Title   string
	Theme   string
}

func (c *opContext) themeData() (themeData, error) {
	var in themeData
	return in, c.decode(&in)
}

// themeCreate adds a theme to a cluster. A theme title is free text like a
// note's: the same length check and the same privacy guard, because
// facilitators also quote what they hear.
func themeCreate(c *opContext) (*result, error) {
	in, err := c.themeData()
	if err != nil {
		return nil, err
	}
	if !c.sess.HasCluster(in.Cluster) {
		return nil, apperr.New(apperr.Invalid, "sessions.cluster_unknown")
	}
	title, removed, err := c.cleanText(in.Title, MaxThemeTitle, "sessions.theme_length")
	if err != nil {
		return nil, err
	}
	var num int64
	err = c.tx.QueryRowContext(c.ctx, `INSERT INTO themes (session_id, cluster_id, title, position, created_at)
		VALUES (?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM themes WHERE session_id = ?), ?) RETURNING id`,
		c.sess.ID, in.Cluster, title, c.sess.ID, c.tx.Now).Scan(&num)
	if err != nil {
		return nil, fmt.Errorf("insert theme: %w", err)
	}
	th := &ThemeView{ID: themeID(num), Cluster: in.Cluster, Title: title}
	r := changed(&EventMessage{Kind: "theme.created", Theme: th}, th.ID)
	r.removed = removed
	return r, nil
}

func themeUpdate(c *opContext) (*result, error) {
	in, err := c.themeData()
	if err != nil {
		return nil, err
	}
	th, err := loadTheme(c, in.ID)
	if err != nil {
		return nil, err
	}
	title, removed, err := c.cleanText(in.Title, MaxThemeTitle, "sessions.theme_length")
	if err != nil {
		return nil, err
	}
	if _, err := c.tx.ExecContext(c.ctx, `UPDATE themes SET title = ? WHERE id = ?`, title, th.num); err != nil {
		return nil, fmt.Errorf("update theme: %w", err)
	}
	th.Title = title
	r := changed(&EventMessage{Kind: "theme.updated", Theme: &th.ThemeView}, th.ID)
	r.removed = removed
	return r, nil
}

// themeDelete removes a theme. Its notes and excerpts stay, ungrouped: a
// heading going away must never take what people wrote with it. The
// schema has no ON DELETE action for this on purpose; it is done here.
func themeDelete(c *opContext) (*result, error) {
	in, err := c.themeData()
	if err != nil {
		return nil, err
	}
	th, err := loadTheme(c, in.ID)
	if err != nil {
		return nil, err
	}
	for _, q := range []string{`UPDATE notes SET theme_id = NULL WHERE theme_id = ?`, `UPDATE excerpts SET theme_id = NULL WHERE theme_id = ?`,
		`DELETE FROM themes WHERE id = ?`} {
		if _, err := c.tx.ExecContext(c.ctx, q, th.num); err != nil {
			return nil, fmt.Errorf("delete theme: %w", err)
		}
	}
	return changed(&EventMessage{Kind: "theme.deleted", ThemeID: th.ID}, th.ID), nil
}

// noteTheme groups a note under a theme of its own cluster, or ungroups it
// (theme ""). Whoever may not see the note may not learn that it moved
// either: a private or hidden note's event reaches facilitators only.
func noteTheme(c *opContext) (*result, error) {
	in, err := c.themeData()
	if err != nil {
		return nil, err
	}
	n, err := loadNote(c, in.ID)
	if err != nil {
		return nil, err
	}
	num, err := groupable(c, n.Cluster, in.Theme)
	if err != nil {
		return nil, err
	}
	if _, err := c.tx.ExecContext(c.ctx, `UPDATE notes SET theme_id = ? WHERE id = ?`, num, n.num); err != nil {
		return nil, fmt.Errorf("group note: %w", err)
	}
	audience := Everyone
	if n.Private || n.Hidden {
		audience = FacilitatorsOnly
	}
	return &result{event: &EventMessage{Kind: "note.themed", NoteID: n.ID, ThemeID: themeRef(num)}, object: n.ID, audience: audience}, nil
}

// excerptTheme is noteTheme for an interview excerpt. Excerpts are never
// private or hidden, so everyone learns of it.
func excerptTheme(c *opContext) (*result, error) {
	in, err := c.themeData()
	if err != nil {
		return nil, err
	}
	num, err := parseID("x", in.ID)
	if err != nil {
		return nil, err
	}
	var cluster string
	err = c.tx.QueryRowContext(c.ctx, `SELECT cluster_id FROM excerpts WHERE id = ? AND session_id = ?`, num, c.sess.ID).Scan(&cluster)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "sessions.excerpt_not_found")
	}
	if err != nil {
		return nil, err
	}
	themeNum, err := groupable(c, cluster, in.Theme)
	if err != nil {
		return nil, err
	}
	if _, err := c.tx.ExecContext(c.ctx, `UPDATE excerpts SET theme_id = ? WHERE id = ?`, themeNum, num); err != nil {
		return nil, fmt.Errorf("group excerpt: %w", err)
	}
	return changed(&EventMessage{Kind: "excerpt.themed", ExcerptID: excerptID(num), ThemeID: themeRef(themeNum)}, excerptID(num)), nil
}

// groupable checks that theme may hold something of cluster and returns
// the value for the theme_id column: NULL for "" (ungroup).
func groupable(c *opContext, cluster, theme string) (sql.NullInt64, error) {
	if theme == "" {
		return sql.NullInt64{}, nil
	}
	th, err := loadTheme(c, theme)
	if err != nil {
		return sql.NullInt64{}, err
	}
	// A theme is a heading on one cluster: a note about another group of
	// households does not belong under it, and the report could not show it.
	if th.Cluster != cluster {
		return sql.NullInt64{}, apperr.New(apperr.Invalid, "sessions.theme_other_cluster", th.Cluster, cluster)
	}
	return sql.NullInt64{Int64: th.num, Valid: true}, nil
}

// storedTheme is a theme with its row id.
type storedTheme struct {
	ThemeView
	num int64
}

func loadTheme(c *opContext, id string) (*storedTheme, error) {
	num, err := parseID("t", id)
	if err != nil {
		return nil, err
	}
	th := &storedTheme{num: num}
	err = c.tx.QueryRowContext(c.ctx, `SELECT cluster_id, title FROM themes WHERE id = ? AND session_id = ?`, num, c.sess.ID).Scan(&th.Cluster, &th.Title)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "sessions.theme_not_found")
	}
	if err != nil {
		return nil, err
	}
	th.ID = themeID(num)
	return th, nil
}
