package server

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"atelier/i18n"
	"atelier/internal/apperr"
	"atelier/profiles"
	"atelier/sessions"
)

// closedSession is everything the views of a closed session need (the read
// view, its CSV, its chart images), loaded once per request: the session,
// its project, and the approved profile set of each of its clusters.
type closedSession struct {
	Session *sessions.Session
	Project *profiles.Project
	// Sets are the approved sets the session's clusters come from, by id.
	// A set withdrawn since is absent: its figures are no longer shown.
	Sets map[int64]*profiles.ProfileSet
}

// loadClosed loads the closed session in the URL for a viewer who may see
// its project. The project is checked before the session's state, so that
// a stranger learns nothing from a 409; a session of a project the viewer
// may not see answers as one that does not exist.
func (s *server) loadClosed(c *fiber.Ctx) (*closedSession, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx := c.UserContext()
	sess, err := s.deps.Sessions.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	v := viewerOf(userOf(c))
	p, err := s.deps.Profiles.ProjectByIDFor(ctx, v, sess.ProjectID)
	if err != nil {
		return nil, apperr.New(apperr.NotFound, "sessions.not_found")
	}
	if sess.State != sessions.Closed {
		return nil, apperr.New(apperr.Conflict, "report.not_closed")
	}
	cs := &closedSession{Session: sess, Project: p, Sets: map[int64]*profiles.ProfileSet{}}
	// Approved sets only, whoever asks: a steward's report holds nothing
	// pending, and a withdrawn set's figures disappear from old reports.
	v.Reviewer = false
	tried := map[int64]bool{}
	for _, cl := range sess.Clusters {
		if tried[cl.SetID] {
			continue
		}
		tried[cl.SetID] = true
		set, err := s.deps.Profiles.Set(ctx, v, cl.SetID)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		cs.Sets[set.ID] = set
	}
	return cs, nil
}

// report reads what the session produced, under the project's threshold
// for counts of people.
// A cluster whose set was withdrawn is named "withdrawn profile" in the
// report, its page and its CSV alike: its label went with its figures.
func (cs *closedSession) report(c *fiber.Ctx, store *sessions.Store) (*sessions.Report, error) {
	rep, err := store.Report(c.UserContext(), cs.Session, int(cs.Project.Rules.MinFrequency))
	if err != nil {
		return nil, err
	}
	for i := range rep.Clusters {
		if rep.Clusters[i].Withdrawn {
			rep.Clusters[i].Label = i18n.T(langOf(c), "steward.withdrawn_profile")
		}
	}
	return rep, nil
}

// synthetic reports whether any of the session's clusters comes from a set
// of synthetic (practice) data.
func (cs *closedSession) synthetic() bool {
	for _, set := range cs.Sets {
		if set.Result.Meta.Synthetic {
			return true
		}
	}
	return false
}

// charts lists the chart images of the session, per cluster in the
// session's order: one per variable of each cluster whose set is still
// approved. Nothing is drawn here; each image knows how to draw itself.
func (cs *closedSession) charts() []reportFigure {
	taken := map[string]bool{}
	figures := make([]reportFigure, len(cs.Session.Clusters))
	for i, cl := range cs.Session.Clusters {
		set := cs.Sets[cl.SetID]
		if set == nil {
			continue
		}
		if _, ok := findCluster(set.Result, cl.ID); !ok {
			continue
		}
		figures[i].ClusterURL = mustURL("cluster", cs.Project.Slug, set.ID, cl.ID)
		for _, variable := range set.Result.Variables {
			name := safeFileName(cl.ID) + "-" + safeFileName(variable.Name)
			file := name + ".svg"
			// Two clusters may share an id when they come from different
			// sets; the second gets a number.
			for n := 2; taken[file]; n++ {
				file = fmt.Sprintf("%s-%d.svg", name, n)
			}
			taken[file] = true
			figures[i].Charts = append(figures[i].Charts, reportChart{
				File: file, URL: mustURL("report.chart", cs.Session.ID, file),
				set: set, cluster: cl.ID, variable: variable.Name,
			})
		}
	}
	return figures
}
