package server

import (
	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
	"atelier/i18n"
	"atelier/profiles"
)

// handleHome shows a visitor what Atelier is, and an account its projects.
func (s *server) handleHome() fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := userOf(c)
		if u == nil {
			// Every project's Algoritmeregister entry is public, and the
			// landing page links them.
			public, err := s.deps.Profiles.ProjectsFor(c.UserContext(), 0, true)
			if err != nil {
				return err
			}
			return s.render(c, "home.html", i18n.T(langOf(c), "landing.title"), struct{ Public []profiles.Project }{public})
		}
		projects, err := s.deps.Profiles.ProjectsFor(c.UserContext(), u.ID, u.Role == accounts.Admin)
		if err != nil {
			return err
		}
		return s.render(c, "home.html", i18n.T(langOf(c), "home.title"), struct{ Projects []profiles.Project }{projects})
	}
}
