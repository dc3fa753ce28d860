package server

import (
	"encoding/json"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"atelier/i18n"
)

// handleTemplateSave keeps the set-up of the session in the URL (question,
// clusters, agenda, vote budget) as a template of its project.
func (s *server) handleTemplateSave() fiber.Handler {
	return func(c *fiber.Ctx) error {
		sess, err := s.managedSession(c)
		if err != nil {
			return err
		}
		u := userOf(c)
		if _, err := s.deps.Sessions.SaveTemplate(c.UserContext(), sess, strings.Clone(c.FormValue("name")), u.ID, actorOf(u)); err != nil {
			if statusOf(err) >= 500 {
				return err
			}
			return c.Redirect(mustURL("console", sess.ID)+"?template_error="+urlQuery(messageOf(err, statusOf(err), langOf(c))), fiber.StatusSeeOther)
		}
		return c.Redirect(mustURL("console", sess.ID)+"?template=saved", fiber.StatusSeeOther)
	}
}

// handleTemplateStart creates a draft session from a template: its
// question, clusters (as long as their sets are still approved), agenda
// and vote budget, under the title given.
func (s *server) handleTemplateStart() fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := userOf(c)
		p, err := s.deps.Profiles.ProjectFor(c.UserContext(), viewerOf(u), c.Params("project"))
		if err != nil {
			return err
		}
		id, err := paramID(c, "template")
		if err != nil {
			return err
		}
		t, err := s.deps.Sessions.Template(c.UserContext(), p.ID, id)
		if err != nil {
			return err
		}
		title := strings.TrimSpace(strings.Clone(c.FormValue("title")))
		if title == "" {
			title = t.Name
		}
		req := newSessionRequest{Project: p.Slug, Title: title, Question: t.Question, VoteBudget: t.VoteBudget, Agenda: t.Agenda}
		for _, ref := range t.Clusters {
			raw, err := json.Marshal(ref)
			if err != nil {
				return err
			}
			req.Clusters = append(req.Clusters, raw)
		}
		sess, _, _, err := s.createSession(c, req)
		if err != nil {
			if statusOf(err) < 500 {
				c.Status(statusOf(err))
				return s.renderSessions(c, i18n.T(langOf(c), "template.start_failed")+" "+messageOf(err, statusOf(err), langOf(c)))
			}
			return err
		}
		return c.Redirect(mustURL("console", sess.ID), fiber.StatusSeeOther)
	}
}

// urlQuery escapes s for a query string.
func urlQuery(s string) string { return url.QueryEscape(s) }
