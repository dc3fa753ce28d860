package sessions

import (
	"unicode/utf8"

	"atelier/internal/apperr"
)

// Wall ops (docs/protocol.md): what the projected wall shows. They are
// session state like the focus, sequenced and caught up on, so that a wall
// reloaded or opened on a second projector shows the same view.

// WallViews are the wall's views: the notes of the cluster in focus, the
// themes as an affinity board, the ranked results of the votes, and the
// cluster's chart.
var WallViews = []string{"notes", "themes", "results", "chart"}

// maxVariableName bounds a variable's name; the wall checks that it names
// a variable of the cluster in focus, and shows its default otherwise.
const maxVariableName = 100

func sessionView(c *opContext) (*result, error) {
	var in struct{ View string }
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if !contains(WallViews, in.View) {
		return nil, apperr.New(apperr.Invalid, "sessions.view_invalid")
	}
	c.sess.WallView = in.View
	return sessionChanged(c.sess), c.set("wall_view", in.View)
}

func sessionVariable(c *opContext) (*result, error) {
	var in struct{ Variable string }
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if !utf8.ValidString(in.Variable) || len(in.Variable) > maxVariableName {
		return nil, apperr.New(apperr.Invalid, "sessions.variable_invalid")
	}
	c.sess.WallVariable = in.Variable
	return sessionChanged(c.sess), c.set("wall_variable", in.Variable)
}

func sessionJoin(c *opContext) (*result, error) {
	in, err := c.setting()
	if err != nil {
		return nil, err
	}
	c.sess.JoinLarge = in.On
	return sessionChanged(c.sess), c.set("join_large", in.On)
}
