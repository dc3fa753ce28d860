package sessions

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"atelier/i18n"
	"atelier/internal/apperr"
	"atelier/pii"
	"atelier/store"
)

// The ops of docs/protocol.md, in one table: who may send each, and the
// handler that applies it. One file per kind of object holds the handlers
// (ops_note.go, ops_vote.go, ops_excerpt.go, ops_theme.go,
// ops_facilitate.go, ops_wall.go); the engine (live.go) runs, commits and sequences.

// senders says who may send an op.
type senders uint8

const (
	participants senders = 1 << iota // anonymous participants of the session
	facilitators                     // accounts running the session
)

// opSpec is one row of the op table.
type opSpec struct {
	from  senders
	apply func(c *opContext) (*result, error)
}

// opTable maps every op name to who may send it and its handler.
var opTable = map[string]opSpec{
	"note.create":    {participants, noteCreate},
	"note.update":    {participants, noteUpdate},
	"note.delete":    {participants | facilitators, noteDelete},
	"vote.add":       {participants, voteAdd},
	"vote.remove":    {participants, voteRemove},
	"excerpt.create": {participants, excerptCreate},

	"session.phase":    {facilitators, sessionPhase},
	"session.timer":    {facilitators, sessionTimer},
	"session.focus":    {facilitators, sessionFocus},
	"session.private":  {facilitators, sessionPrivate},
	"session.tallies":  {facilitators, sessionTallies},
	"session.lock":     {facilitators, sessionLock},
	"session.agenda":   {facilitators, sessionAgenda},
	"session.view":     {facilitators, sessionView},
	"session.variable": {facilitators, sessionVariable},
	"session.join":     {facilitators, sessionJoin},
	"note.hide":        {facilitators, noteHide},

	"participant.remove": {facilitators, participantRemove},

	"theme.create":  {facilitators, themeCreate},
	"theme.update":  {facilitators, themeUpdate},
	"theme.delete":  {facilitators, themeDelete},
	"note.theme":    {facilitators, noteTheme},
	"excerpt.theme": {facilitators, excerptTheme},
}

// opContext is what a handler works with: the op, its sender, the session
// as the batch read it, and the transaction the op commits in.
type opContext struct {
	ctx  context.Context
	tx   *store.Tx
	sess *Session
	op   *Op
	// p is the participant who sent the op; nil for a facilitator.
	p *Participant
}

// result is what applying one op produced: the event everyone (as far as
// audience allows) receives, the id of the object changed, what the
// privacy guard removed from the op's text, and for votes the sender's
// votes left.
type result struct {
	event     *EventMessage
	object    string
	audience  int
	removed   []pii.Redaction
	votesLeft *int
	// author is the participant the event counts as theirs (their
	// connections receive it with "mine" and under the AuthorFacilitators
	// audience); 0 means the sender.
	author int64
	// kick is a participant whose connections close once the event is out.
	kick int64
}

// changed is the result of an op that changes one object for everyone.
func changed(ev *EventMessage, object string) *result {
	return &result{event: ev, object: object, audience: Everyone}
}

// sessionChanged is the result of a facilitator op on the session itself.
func sessionChanged(sess *Session) *result {
	view := sess.View()
	return changed(&EventMessage{Kind: "session.changed", Session: &view}, "")
}

// decode reads an op's data into v; anything that is not a JSON object of
// the right shape is invalid.
func (c *opContext) decode(v any) error {
	data := c.op.Data
	if len(data) == 0 || data[0] != '{' || json.Unmarshal(data, v) != nil {
		return apperr.New(apperr.Invalid, "sessions.op_data_invalid")
	}
	return nil
}

// facilitator reports whether the op comes from an account running the
// session.
func (c *opContext) facilitator() bool { return c.p == nil }

// cleanText trims a free text, checks its length and passes it through
// the privacy guard, in the session's language.
func (c *opContext) cleanText(text string, max int, key string) (string, []pii.Redaction, error) {
	return cleanText(text, max, c.sess.Lang, key)
}

// cleanText refuses invalid text (control characters, invalid UTF-8),
// trims, checks the length and passes the privacy guard.
func cleanText(text string, max int, lang i18n.Lang, key string) (string, []pii.Redaction, error) {
	if err := pii.CheckText(text); err != nil {
		return "", nil, err
	}
	text = strings.TrimSpace(text)
	if text == "" || utf8.RuneCountInString(text) > max {
		return "", nil, apperr.New(apperr.Invalid, key, max)
	}
	clean, removed := pii.Redact(text, lang)
	return clean, removed, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func noteID(id int64) string    { return "n" + strconv.FormatInt(id, 10) }
func excerptID(id int64) string { return "x" + strconv.FormatInt(id, 10) }
func themeID(id int64) string   { return "t" + strconv.FormatInt(id, 10) }

// themeRef is the wire id of a nullable theme column: "" for none.
func themeRef(id sql.NullInt64) string {
	if !id.Valid {
		return ""
	}
	return themeID(id.Int64)
}

// notFound is the message for an id of each kind that names nothing.
var notFound = map[string]string{"n": "sessions.note_not_found", "x": "sessions.excerpt_not_found", "t": "sessions.theme_not_found"}

func parseID(prefix, s string) (int64, error) {
	if !strings.HasPrefix(s, prefix) {
		return 0, apperr.New(apperr.NotFound, notFound[prefix])
	}
	id, err := strconv.ParseInt(s[len(prefix):], 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, notFound[prefix])
	}
	return id, nil
}
