package server

import (
	"bytes"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"atelier/i18n"
	"atelier/profiles"
	"atelier/sessions"
)

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
		cs, err := s.loadClosed(c)
		if err != nil {
			return err
		}
		rep, err := cs.report(c, s.deps.Sessions)
		if err != nil {
			return err
		}
		lang := langOf(c)
		page := reportPage{Project: cs.Project, Report: rep, Synthetic: cs.synthetic(), Kinds: sessions.NoteKinds, Figures: cs.charts()}
		for _, f := range page.Figures {
			for j := range f.Charts {
				ch, err := f.Charts[j].chart(lang)
				if err != nil {
					return err
				}
				f.Charts[j].Alt = ch.Summary
				page.ChartsZip = mustURL("report.charts", rep.SessionID)
			}
		}
		return s.render(c, "report.html", i18n.T(lang, "report.title", rep.Title), page)
	}
}

// handleExportCSV is the CSV export of a closed session's report.
func (s *server) handleExportCSV() fiber.Handler {
	return func(c *fiber.Ctx) error {
		cs, err := s.loadClosed(c)
		if err != nil {
			return err
		}
		rep, err := cs.report(c, s.deps.Sessions)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := rep.WriteCSV(&buf, sessions.Separator(c.Query("sep"))); err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="sessie-`+strconv.FormatInt(rep.SessionID, 10)+`.csv"`)
		return c.Send(buf.Bytes())
	}
}
