package sessions

import (
	"database/sql"
	"errors"
	"fmt"

	"atelier/internal/apperr"
	"atelier/pii"
	"atelier/store"
)

// Limits on what participants add.
const (
	MaxNote    = 500
	MaxExcerpt = 2000
	MaxTags    = 8
	MaxTag     = 40
)

// Note kinds and excerpt sources.
var (
	NoteKinds      = []string{"kans", "zorg", "idee", "vraag"}
	ExcerptSources = []string{"interview", "vragenlijst", "observatie"}
)

// storedNote is a note with what the engine needs beyond its view.
type storedNote struct {
	NoteView
	num    int64 // row id
	author int64 // participant id
}

// loadNote reads a live (not deleted) note of the session.
func loadNote(c *opContext, id string) (*storedNote, error) {
	num, err := parseID("n", id)
	if err != nil {
		return nil, err
	}
	n := &storedNote{num: num}
	var theme sql.NullInt64
	err = c.tx.QueryRowContext(c.ctx, `SELECT n.cluster_id, n.kind, n.text, n.version, n.created_at, n.participant_id, p.pseudonym, p.role,
		(SELECT COUNT(*) FROM votes v WHERE v.note_id = n.id), n.private, n.hidden, n.theme_id
		FROM notes n JOIN participants p ON p.id = n.participant_id
		WHERE n.id = ? AND n.session_id = ? AND n.deleted = 0`, num, c.sess.ID).
		Scan(&n.Cluster, &n.Kind, &n.Text, &n.Version, &n.CreatedAt, &n.author, &n.Author, &n.Role, &n.Votes, &n.Private, &n.Hidden, &theme)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "sessions.note_not_found")
	}
	if err != nil {
		return nil, fmt.Errorf("read note: %w", err)
	}
	n.ID, n.Theme = noteID(num), themeRef(theme)
	return n, nil
}

// loadVisibleNote is loadNote for what the sender may see: a participant
// never learns that a hidden note, or someone else's private note, exists.
func loadVisibleNote(c *opContext, id string) (*storedNote, error) {
	n, err := loadNote(c, id)
	if err != nil {
		return nil, err
	}
	if c.p != nil && (n.Hidden || n.Private && n.author != c.p.ID) {
		return nil, apperr.New(apperr.NotFound, "sessions.note_not_found")
	}
	return n, nil
}

// audienceOf is who may see events about note n: everyone, or while it is
// private only its author and the facilitators, or once hidden only the
// facilitators.
func audienceOf(n *storedNote) int {
	switch {
	case n.Hidden:
		return FacilitatorsOnly
	case n.Private:
		return AuthorFacilitators
	}
	return Everyone
}

func noteCreate(c *opContext) (*result, error) {
	var in struct{ Cluster, Kind, Text string }
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if !c.sess.HasCluster(in.Cluster) {
		return nil, apperr.New(apperr.Invalid, "sessions.cluster_unknown")
	}
	if !contains(NoteKinds, in.Kind) {
		return nil, apperr.New(apperr.Invalid, "sessions.kind_invalid")
	}
	text, removed, err := c.cleanText(in.Text, MaxNote, "sessions.note_length")
	if err != nil {
		return nil, err
	}
	var num int64
	err = c.tx.QueryRowContext(c.ctx, `INSERT INTO notes (session_id, participant_id, cluster_id, kind, text, private, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.sess.ID, c.p.ID, in.Cluster, in.Kind, text, c.sess.Private, c.tx.Now, c.tx.Now).Scan(&num)
	if err != nil {
		return nil, fmt.Errorf("insert note: %w", err)
	}
	n := &storedNote{num: num, author: c.p.ID, NoteView: NoteView{ID: noteID(num), Cluster: in.Cluster, Kind: in.Kind, Text: text,
		Author: c.p.Pseudonym, Role: c.p.Role, Version: 1, CreatedAt: c.tx.Now.String(), Private: c.sess.Private}}
	return &result{event: &EventMessage{Kind: "note.created", Note: &n.NoteView}, object: n.ID, audience: audienceOf(n), removed: removed}, nil
}

// noteUpdate edits a note's text or kind, for its author. Last writer wins:
// the edit applies whatever version it was based on.
func noteUpdate(c *opContext) (*result, error) {
	var in struct {
		ID      string
		Version int
		Text    *string
		Kind    *string
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if in.Text == nil && in.Kind == nil {
		return nil, apperr.New(apperr.Invalid, "sessions.update_empty")
	}
	n, err := loadVisibleNote(c, in.ID)
	if err != nil {
		return nil, err
	}
	if n.author != c.p.ID {
		return nil, apperr.New(apperr.Forbidden, "sessions.not_your_note")
	}
	var removed []pii.Redaction
	if in.Text != nil {
		if n.Text, removed, err = c.cleanText(*in.Text, MaxNote, "sessions.note_length"); err != nil {
			return nil, err
		}
	}
	if in.Kind != nil {
		if !contains(NoteKinds, *in.Kind) {
			return nil, apperr.New(apperr.Invalid, "sessions.kind_invalid")
		}
		n.Kind = *in.Kind
	}
	n.Version++
	if _, err := c.tx.ExecContext(c.ctx, `UPDATE notes SET text = ?, kind = ?, version = ?, updated_at = ? WHERE id = ?`,
		n.Text, n.Kind, n.Version, c.tx.Now, n.num); err != nil {
		return nil, fmt.Errorf("update note: %w", err)
	}
	return &result{event: &EventMessage{Kind: "note.updated", Note: &n.NoteView}, object: n.ID, audience: audienceOf(n), removed: removed}, nil
}

// noteDelete deletes a note: its author's own, or any note when a
// facilitator moderates (audited). Deleting removes the text and the votes:
// nothing a participant took back is kept.
func noteDelete(c *opContext) (*result, error) {
	var in struct{ ID string }
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	n, err := loadVisibleNote(c, in.ID)
	if err != nil {
		return nil, err
	}
	if !c.facilitator() && n.author != c.p.ID {
		return nil, apperr.New(apperr.Forbidden, "sessions.not_your_note")
	}
	if _, err := c.tx.ExecContext(c.ctx, `UPDATE notes SET deleted = 1, text = '', updated_at = ? WHERE id = ?`, c.tx.Now, n.num); err != nil {
		return nil, fmt.Errorf("delete note: %w", err)
	}
	if _, err := c.tx.ExecContext(c.ctx, `DELETE FROM votes WHERE note_id = ?`, n.num); err != nil {
		return nil, fmt.Errorf("delete votes: %w", err)
	}
	if c.facilitator() {
		if err := store.Audit(c.ctx, c.tx, store.Event{Action: "note.moderate_delete", Object: fmt.Sprintf("session:%d %s", c.sess.ID, n.ID),
			Result: "ok", Origin: "web", Actor: c.op.Actor.Name}); err != nil {
			return nil, err
		}
	}
	// The note's author learns of it even when a facilitator deleted a
	// private note that only the author and the facilitators saw.
	return &result{event: &EventMessage{Kind: "note.deleted", NoteID: n.ID}, object: n.ID, audience: audienceOf(n), author: n.author}, nil
}

// noteHide takes a note off the wall and the phones (or puts it back).
// Facilitators keep seeing it, marked hidden. Audited: moderation is a
// decision about what people wrote.
func noteHide(c *opContext) (*result, error) {
	var in struct {
		ID     string
		Hidden bool
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	n, err := loadNote(c, in.ID)
	if err != nil {
		return nil, err
	}
	if _, err := c.tx.ExecContext(c.ctx, `UPDATE notes SET hidden = ? WHERE id = ?`, in.Hidden, n.num); err != nil {
		return nil, fmt.Errorf("hide note: %w", err)
	}
	action := "note.hide"
	if !in.Hidden {
		action = "note.unhide"
	}
	if err := store.Audit(c.ctx, c.tx, store.Event{Action: action, Object: fmt.Sprintf("session:%d %s", c.sess.ID, n.ID),
		Result: "ok", Origin: "web", Actor: c.op.Actor.Name}); err != nil {
		return nil, err
	}
	wasPrivate := n.Private
	n.Hidden = in.Hidden
	if in.Hidden {
		// Those who saw it learn that it is gone; facilitators keep it,
		// marked. Nobody else learns that it existed.
		audience := Everyone
		if wasPrivate {
			audience = AuthorFacilitators
		}
		return &result{event: &EventMessage{Kind: "note.hidden", NoteID: n.ID}, object: n.ID, audience: audience, author: n.author}, nil
	}
	return &result{event: &EventMessage{Kind: "note.updated", Note: &n.NoteView}, object: n.ID, audience: audienceOf(n), author: n.author}, nil
}
