package server

import (
	"bytes"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"atelier/i18n"
	"atelier/internal/apperr"
	"atelier/profiles"
	"atelier/sessions"
)

// sessionReport loads the report of the session in the URL for an account
// that may see the session's project. The project is checked before the
// session's state (closedSession), so that a stranger learns nothing from
// a 409.
func (s *server) sessionReport(c *fiber.Ctx) (*sessions.Report, *profiles.Project, error) {
	sess, p, err := s.closedSession(c)
	if err != nil {
		return nil, nil, err
	}
	rep, err := s.deps.Sessions.Report(c.UserContext(), sess.ID)
	if err != nil {
		return nil, nil, err
	}
	return rep, p, nil
}

// closedSession is the access rule of everything about a closed session:
// the viewer may see its project, and it is closed. Chart images need no
// more than this, so they do not build the whole report each.
func (s *server) closedSession(c *fiber.Ctx) (*sessions.Session, *profiles.Project, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	ctx := c.UserContext()
	sess, err := s.deps.Sessions.Get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.deps.Profiles.ProjectByIDFor(ctx, viewerOf(userOf(c)), sess.ProjectID)
	if err != nil {
		// The same answer as for a session that does not exist.
		return nil, nil, apperr.New(apperr.NotFound, "sessions.not_found")
	}
	if sess.State != sessions.Closed {
		return nil, nil, apperr.New(apperr.Conflict, "report.not_closed")
	}
	return sess, p, nil
}

type reportPage struct {
	Project   *profiles.Project
	Report    *sessions.Report
	Synthetic bool
	Kinds     []string
	// Figures holds the chart images per cluster, in the order of
	// Report.Clusters; ChartsZip is the download of them all, empty when
	// there are none.
	Figures   []reportFigure
	ChartsZip string
}

// handleReport is the read view of a closed session, for policymakers and
// everyone else on the project; with the print stylesheet it is also the
// printable report.
func (s *server) handleReport() fiber.Handler {
	return func(c *fiber.Ctx) error {
		rep, p, err := s.sessionReport(c)
		if err != nil {
			return err
		}
		page := reportPage{Project: p, Report: rep, Synthetic: s.synthetic(c, rep), Kinds: sessions.NoteKinds}
		if page.Figures, err = s.reportCharts(c, rep.SessionID, rep.ClusterList(), p); err != nil {
			return err
		}
		for _, f := range page.Figures {
			for j := range f.Charts {
				ch, err := f.Charts[j].chart(langOf(c))
				if err != nil {
					return err
				}
				f.Charts[j].Alt = ch.Summary
				page.ChartsZip = mustURL("report.charts", rep.SessionID)
			}
		}
		return s.render(c, "report.html", i18n.T(langOf(c), "report.title", rep.Title), page)
	}
}

// synthetic reports whether any of the report's clusters comes from a set
// of synthetic (practice) data.
func (s *server) synthetic(c *fiber.Ctx, rep *sessions.Report) bool {
	seen := map[int64]bool{}
	for _, cl := range rep.Clusters {
		if seen[cl.SetID] {
			continue
		}
		seen[cl.SetID] = true
		// A set withdrawn since is not visible any more: then it simply
		// does not count here.
		set, err := s.deps.Profiles.Set(c.UserContext(), viewerOf(userOf(c)), cl.SetID)
		if err == nil && set.Result != nil && set.Result.Meta.Synthetic {
			return true
		}
	}
	return false
}

// handleExportCSV is the CSV export of a closed session's report.
func (s *server) handleExportCSV() fiber.Handler {
	return func(c *fiber.Ctx) error {
		rep, _, err := s.sessionReport(c)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := rep.WriteCSV(&buf); err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="sessie-`+strconv.FormatInt(rep.SessionID, 10)+`.csv"`)
		return c.Send(buf.Bytes())
	}
}
