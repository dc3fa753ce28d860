package server

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
	"atelier/i18n"
	"atelier/internal/apperr"
)

// linkPage is the page behind a one-time link: the first administrator's
// setup, or an invitation or reset where someone chooses a password. When
// the link does not work, Problem says why and the form is not shown.
type linkPage struct {
	Kind      accounts.LinkKind
	Token     string
	Email     string
	Role      accounts.Role
	Expires   time.Time
	Error     string
	Problem   string
	LoginHint bool // the problem is one that logging in solves
}

// handleSetupForm is the first start's page: while no administrator
// exists, the setup link printed by `atelier serve` lets one person choose
// the first administrator's e-mail address and password. Afterwards the
// page is gone (404), whatever the token.
func (s *server) handleSetupForm() fiber.Handler {
	return func(c *fiber.Ctx) error {
		tok := strings.Clone(c.Params("token"))
		l, err := s.deps.Accounts.CheckLink(c.UserContext(), tok, accounts.LinkSetup)
		if err != nil {
			return s.linkProblem(c, accounts.LinkSetup, err)
		}
		return s.renderLink(c, linkPage{Kind: accounts.LinkSetup, Token: tok, Expires: l.Expires})
	}
}

// handleSetup creates the first administrator and logs them in.
func (s *server) handleSetup() fiber.Handler {
	return func(c *fiber.Ctx) error {
		tok := strings.Clone(c.Params("token"))
		email := strings.Clone(strings.TrimSpace(c.FormValue("email")))
		page := linkPage{Kind: accounts.LinkSetup, Token: tok, Email: email}
		password, ok := s.chosenPassword(c, &page)
		if !ok {
			return s.renderLink(c, page)
		}
		sess, err := s.deps.Accounts.CompleteSetup(c.UserContext(), tok, email, password)
		if err != nil {
			return s.linkFormError(c, page, err)
		}
		s.startBrowserSession(c, sess)
		s.log.Info("security", "action", "setup", "object", "user:"+itoa64(sess.User.ID), "result", "success", "origin", "web", "actor", actorOf(sess.User))
		return c.Redirect(mustURL("home"), fiber.StatusSeeOther)
	}
}

// chosenPassword reads the password and its repetition; a mismatch is
// told on the form. Length rules are the accounts store's.
func (s *server) chosenPassword(c *fiber.Ctx, page *linkPage) (string, bool) {
	password, again := c.FormValue("password"), c.FormValue("password_again")
	if password != again {
		c.Status(fiber.StatusBadRequest)
		page.Error = i18n.T(langOf(c), "links.password_mismatch")
		return "", false
	}
	return strings.Clone(password), true
}

// linkFormError shows a refused form again with the reason, or the
// problem page when the link itself no longer works.
func (s *server) linkFormError(c *fiber.Ctx, page linkPage, err error) error {
	status := statusOf(err)
	if status >= 500 {
		return err
	}
	if code := apperr.CodeOf(err); code == apperr.NotFound || code == apperr.Gone || code == apperr.Forbidden {
		return s.linkProblem(c, page.Kind, err)
	}
	c.Status(status)
	page.Error = messageOf(err, status, langOf(c))
	return s.renderLink(c, page)
}

// linkProblem renders why a link does not work (unknown, used, expired,
// setup already done, account disabled) with the link's status: a page
// that says what to do, never a bare login redirect.
func (s *server) linkProblem(c *fiber.Ctx, kind accounts.LinkKind, err error) error {
	status := statusOf(err)
	if status >= 500 {
		return err
	}
	c.Status(status)
	e, _ := apperr.As(err)
	login := e != nil && (e.Key == "links.used" || e.Key == "setup.done")
	return s.renderLink(c, linkPage{Kind: kind, Problem: messageOf(err, status, langOf(c)), LoginHint: login})
}

func (s *server) renderLink(c *fiber.Ctx, page linkPage) error {
	title := "links.title." + string(page.Kind)
	return s.render(c, "link.html", i18n.T(langOf(c), title), page)
}

// startBrowserSession sets the cookie of a session the accounts store just
// started (after a login, a setup or an accepted link).
func (s *server) startBrowserSession(c *fiber.Ctx, sess *accounts.Session) {
	s.setCookie(c, s.sessionCookie(), sess.Token, int(accounts.SessionLifetime.Seconds()))
	// The visitor's pre-login CSRF cookie has done its job.
	s.setCookie(c, s.csrfCookie(), "", -1)
}

// SetupPath is the path of the setup page for a setup token, for the line
// `atelier serve` prints.
func SetupPath(token string) string { return mustURL("setup", token) }

// InvitePath is the path of the page behind an invitation or reset token,
// for the links the command line prints.
func InvitePath(token string) string { return mustURL("invite", token) }
