package server

import (
	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
	"atelier/i18n"
	"atelier/profiles"
)

// homePage is what an account sees first: its projects and, when there is
// nothing yet, the way on. Administrators see every project and their
// first steps; anyone else without a project, whom to ask.
type homePage struct {
	Projects []profiles.Project
	Admins   []accounts.User
	Accounts int // for an administrator's first steps
}

// handleHome shows a visitor what Atelier is (and where to join a
// session), and an account its projects.
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
		page := homePage{Projects: projects}
		switch {
		case u.Role == accounts.Admin:
			if page.Accounts, err = s.deps.Accounts.CountUsers(c.UserContext()); err != nil {
				return err
			}
		case len(projects) == 0:
			if page.Admins, err = s.deps.Accounts.Admins(c.UserContext()); err != nil {
				return err
			}
		}
		return s.render(c, "home.html", i18n.T(langOf(c), "home.title"), page)
	}
}
