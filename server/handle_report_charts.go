package server

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"atelier/charts"
	"atelier/i18n"
	"atelier/profiles"
)

// The charts of a closed session as images: one SVG per variable of each of
// the session's clusters, for print, for a policy memo and for pages
// without JavaScript. They follow the report's rules (a closed session, a
// project the viewer may see) and the wall's rule for sets: approved sets
// only, whoever asks, so a steward's export holds nothing pending and a
// withdrawn set's charts disappear from old reports.

// reportChart is one chart image of a report.
type reportChart struct {
	// File is the image's file name, in the ZIP and at the end of its URL:
	// "C1-inkomen.svg". Unique within the session.
	File string
	URL  string
	// Alt is the chart's summary, for the image's alt text; only the
	// report page fills it in.
	Alt string

	set      *profiles.ProfileSet
	cluster  string
	variable string
}

// chart builds the chart of c in lang.
// An image travels alone, pasted into a memo: when its set is synthetic,
// its title says so, as the report page does.
func (c reportChart) chart(lang i18n.Lang) (charts.Chart, error) {
	ch, err := charts.ClusterVariable(c.set.Result, c.cluster, c.variable, lang)
	if err == nil && c.set.Result.Meta.Synthetic {
		ch.Title += " (" + i18n.T(lang, "charts.synthetic") + ")"
	}
	return ch, err
}

// reportFigure is the chart images of one of the report's clusters.
type reportFigure struct {
	// ClusterURL is the cluster's page, where the same figures stand in
	// data tables; empty when the cluster has no images.
	ClusterURL string
	Charts     []reportChart
}

// safeFileName keeps ASCII letters, digits and '_' of s and turns every
// other run of characters into one '-': the name is safe in a URL, in a
// ZIP on every operating system and in a Content-Disposition header.
func safeFileName(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	name := strings.TrimSuffix(b.String(), "-")
	if len(name) > 60 {
		name = strings.TrimSuffix(name[:60], "-")
	}
	if name == "" {
		name = "x"
	}
	return name
}

// handleReportChartsZip sends every chart image of a closed session as one
// ZIP file.
func (s *server) handleReportChartsZip() fiber.Handler {
	return func(c *fiber.Ctx) error {
		cs, err := s.loadClosed(c)
		if err != nil {
			return err
		}
		figures := cs.charts()
		lang := langOf(c)
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		files := 0
		for _, f := range figures {
			for _, rc := range f.Charts {
				ch, err := rc.chart(lang)
				if err != nil {
					return err
				}
				svg, err := ch.SVG()
				if err != nil {
					return err
				}
				// The session's closing time, so that the same report
				// gives the same file.
				w, err := zw.CreateHeader(&zip.FileHeader{Name: rc.File, Method: zip.Deflate, Modified: cs.Session.ClosedAt})
				if err != nil {
					return fmt.Errorf("zip %s: %w", rc.File, err)
				}
				if _, err := w.Write(svg); err != nil {
					return fmt.Errorf("zip %s: %w", rc.File, err)
				}
				files++
			}
		}
		if err := zw.Close(); err != nil {
			return fmt.Errorf("zip: %w", err)
		}
		if files == 0 {
			return fiber.ErrNotFound
		}
		c.Set(fiber.HeaderContentType, "application/zip")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="sessie-`+itoa64(cs.Session.ID)+`-grafieken.zip"`)
		return c.Send(buf.Bytes())
	}
}

// handleReportChart sends one chart image of a closed session, named as in
// the ZIP.
func (s *server) handleReportChart() fiber.Handler {
	return func(c *fiber.Ctx) error {
		cs, err := s.loadClosed(c)
		if err != nil {
			return err
		}
		// File names are made of safe characters only: compared as sent.
		file := c.Params("file")
		for _, f := range cs.charts() {
			for _, rc := range f.Charts {
				if rc.File != file {
					continue
				}
				ch, err := rc.chart(langOf(c))
				if err != nil {
					return err
				}
				svg, err := ch.SVG()
				if err != nil {
					return err
				}
				c.Set(fiber.HeaderContentType, "image/svg+xml; charset=utf-8")
				c.Set(fiber.HeaderContentDisposition, `inline; filename="`+rc.File+`"`)
				return c.Send(svg)
			}
		}
		return fiber.ErrNotFound
	}
}
