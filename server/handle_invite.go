package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
)

// handleInviteForm is the page behind an invitation or reset link: the
// account's e-mail address and a form to choose a password. Atelier sends
// no e-mail; an administrator hands the link over.
func (s *server) handleInviteForm() fiber.Handler {
	return func(c *fiber.Ctx) error {
		tok := strings.Clone(c.Params("token"))
		l, err := s.deps.Accounts.CheckLink(c.UserContext(), tok, accounts.LinkInvite)
		if err != nil {
			return s.linkProblem(c, accounts.LinkInvite, err)
		}
		return s.renderLink(c, linkPage{Kind: l.Kind, Token: tok, Email: l.User.Email, Role: l.User.Role, Expires: l.Expires})
	}
}

// handleInviteAccept sets the password and logs the account in. The
// browser session this replaces, if any, ends.
func (s *server) handleInviteAccept() fiber.Handler {
	return func(c *fiber.Ctx) error {
		tok := strings.Clone(c.Params("token"))
		l, err := s.deps.Accounts.CheckLink(c.UserContext(), tok, accounts.LinkInvite)
		if err != nil {
			return s.linkProblem(c, accounts.LinkInvite, err)
		}
		page := linkPage{Kind: l.Kind, Token: tok, Email: l.User.Email, Role: l.User.Role, Expires: l.Expires}
		password, ok := s.chosenPassword(c, &page)
		if !ok {
			return s.renderLink(c, page)
		}
		replaces := strings.Clone(c.Cookies(s.sessionCookie()))
		sess, err := s.deps.Accounts.AcceptLink(c.UserContext(), tok, password, replaces)
		if err != nil {
			return s.linkFormError(c, page, err)
		}
		s.startBrowserSession(c, sess)
		s.log.Info("security", "action", "password_set", "object", "user:"+itoa64(sess.User.ID), "result", "success", "origin", "web", "actor", actorOf(sess.User))
		return c.Redirect(mustURL("home"), fiber.StatusSeeOther)
	}
}
