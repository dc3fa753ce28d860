package sessions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"atelier/internal/apperr"
	"atelier/store"
)

// Themes are how a facilitator synthesises: headings on one cluster under
// which notes and interview excerpts are grouped ("schaamte", "de weg niet
// weten"). Only facilitators make and fill them. Like every other change
// they are sequenced events, so the wall and the phones follow, and the
// closed session's report is ordered by them.

// MaxThemeTitle is the longest theme title, in characters.
const MaxThemeTitle = 80

// ThemeOps are the facilitator ops on themes (docs/protocol.md).
var ThemeOps = []string{"theme.create", "theme.update", "theme.delete", "note.theme", "excerpt.theme"}

// theme applies one of ThemeOps. It returns the event, the id of the object
// changed, the event's audience, and what the privacy guard took out of a
// title.
func (l *Live) theme(ctx context.Context, tx *store.Tx, sess *Session, op *Op) (*EventMessage, string, int, []Redaction, error) {
	var in struct {
		ID      string
		Cluster string
		Title   string
		Theme   string
	}
	if err := decode(op.Data, &in); err != nil {
		return nil, "", 0, nil, err
	}
	switch op.Name {
	case "theme.create":
		return l.themeCreate(ctx, tx, sess, in.Cluster, in.Title)
	case "theme.update":
		return l.themeUpdate(ctx, tx, sess, in.ID, in.Title)
	case "theme.delete":
		ev, id, err := l.themeDelete(ctx, tx, sess, in.ID)
		return ev, id, Everyone, nil, err
	case "note.theme":
		ev, id, audience, err := l.noteTheme(ctx, tx, sess, in.ID, in.Theme)
		return ev, id, audience, nil, err
	case "excerpt.theme":
		ev, id, err := l.excerptTheme(ctx, tx, sess, in.ID, in.Theme)
		return ev, id, Everyone, nil, err
	}
	return nil, "", 0, nil, apperr.New(apperr.Invalid, "sessions.op_unknown", op.Name)
}

// A theme title is free text like a note's: the same length check and the
// same privacy guard, because facilitators also quote what they hear.
func (l *Live) themeCreate(ctx context.Context, tx *store.Tx, sess *Session, cluster, title string) (*EventMessage, string, int, []Redaction, error) {
	if !sess.HasCluster(cluster) {
		return nil, "", 0, nil, apperr.New(apperr.Invalid, "sessions.cluster_unknown")
	}
	title, removed, err := cleanText(title, MaxThemeTitle, sess.Lang, "sessions.theme_length")
	if err != nil {
		return nil, "", 0, nil, err
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO themes (session_id, cluster_id, title, position, created_at)
		VALUES (?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM themes WHERE session_id = ?), ?) RETURNING id`,
		sess.ID, cluster, title, sess.ID, tx.Now).Scan(&id)
	if err != nil {
		return nil, "", 0, nil, fmt.Errorf("insert theme: %w", err)
	}
	th := &ThemeView{ID: themeID(id), Cluster: cluster, Title: title}
	return &EventMessage{Kind: "theme.created", Theme: th}, th.ID, Everyone, removed, nil
}

func (l *Live) themeUpdate(ctx context.Context, tx *store.Tx, sess *Session, id, title string) (*EventMessage, string, int, []Redaction, error) {
	th, err := loadTheme(ctx, tx, sess.ID, id)
	if err != nil {
		return nil, "", 0, nil, err
	}
	title, removed, err := cleanText(title, MaxThemeTitle, sess.Lang, "sessions.theme_length")
	if err != nil {
		return nil, "", 0, nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE themes SET title = ? WHERE id = ?`, title, th.num); err != nil {
		return nil, "", 0, nil, fmt.Errorf("update theme: %w", err)
	}
	th.Title = title
	return &EventMessage{Kind: "theme.updated", Theme: &th.ThemeView}, th.ID, Everyone, removed, nil
}

// themeDelete removes a theme. Its notes and excerpts stay, ungrouped: a
// heading going away must never take what people wrote with it. The
// schema has no ON DELETE action for this on purpose; it is done here.
func (l *Live) themeDelete(ctx context.Context, tx *store.Tx, sess *Session, id string) (*EventMessage, string, error) {
	th, err := loadTheme(ctx, tx, sess.ID, id)
	if err != nil {
		return nil, "", err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE notes SET theme_id = NULL WHERE theme_id = ?`, th.num); err != nil {
		return nil, "", fmt.Errorf("ungroup notes: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE excerpts SET theme_id = NULL WHERE theme_id = ?`, th.num); err != nil {
		return nil, "", fmt.Errorf("ungroup excerpts: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM themes WHERE id = ?`, th.num); err != nil {
		return nil, "", fmt.Errorf("delete theme: %w", err)
	}
	return &EventMessage{Kind: "theme.deleted", ThemeID: th.ID}, th.ID, nil
}

// noteTheme groups a note under a theme of its own cluster, or ungroups it
// (theme ""). Whoever may not see the note may not learn that it moved
// either: a private or hidden note's event reaches facilitators only.
func (l *Live) noteTheme(ctx context.Context, tx *store.Tx, sess *Session, id, theme string) (*EventMessage, string, int, error) {
	note, _, err := loadNote(ctx, tx, sess.ID, id)
	if err != nil {
		return nil, "", 0, err
	}
	num, err := groupable(ctx, tx, sess.ID, note.Cluster, theme)
	if err != nil {
		return nil, "", 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE notes SET theme_id = ? WHERE id = ?`, num, strings.TrimPrefix(note.ID, "n")); err != nil {
		return nil, "", 0, fmt.Errorf("group note: %w", err)
	}
	audience := Everyone
	if note.Private || note.Hidden {
		audience = FacilitatorsOnly
	}
	return &EventMessage{Kind: "note.themed", NoteID: note.ID, ThemeID: themeRef(num)}, note.ID, audience, nil
}

// excerptTheme is noteTheme for an interview excerpt. Excerpts are never
// private or hidden, so everyone learns of it.
func (l *Live) excerptTheme(ctx context.Context, tx *store.Tx, sess *Session, id, theme string) (*EventMessage, string, error) {
	num, err := parseID("x", id)
	if err != nil {
		return nil, "", err
	}
	var cluster string
	err = tx.QueryRowContext(ctx, `SELECT cluster_id FROM excerpts WHERE id = ? AND session_id = ?`, num, sess.ID).Scan(&cluster)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", apperr.New(apperr.NotFound, "sessions.excerpt_not_found")
	}
	if err != nil {
		return nil, "", err
	}
	themeNum, err := groupable(ctx, tx, sess.ID, cluster, theme)
	if err != nil {
		return nil, "", err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE excerpts SET theme_id = ? WHERE id = ?`, themeNum, num); err != nil {
		return nil, "", fmt.Errorf("group excerpt: %w", err)
	}
	return &EventMessage{Kind: "excerpt.themed", ExcerptID: excerptID(num), ThemeID: themeRef(themeNum)}, excerptID(num), nil
}

// groupable checks that theme may hold something of cluster and returns
// the value for the theme_id column: NULL for "" (ungroup).
func groupable(ctx context.Context, tx *store.Tx, sessionID int64, cluster, theme string) (sql.NullInt64, error) {
	if theme == "" {
		return sql.NullInt64{}, nil
	}
	th, err := loadTheme(ctx, tx, sessionID, theme)
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

func loadTheme(ctx context.Context, q queryer, sessionID int64, id string) (*storedTheme, error) {
	num, err := parseID("t", id)
	if err != nil {
		return nil, err
	}
	th := &storedTheme{num: num}
	err = q.QueryRowContext(ctx, `SELECT cluster_id, title FROM themes WHERE id = ? AND session_id = ?`, num, sessionID).Scan(&th.Cluster, &th.Title)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "sessions.theme_not_found")
	}
	if err != nil {
		return nil, err
	}
	th.ID = themeID(num)
	return th, nil
}
