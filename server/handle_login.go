package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
	"atelier/i18n"
)

type loginPage struct {
	Email string
	Next  string
	Error string
}

// handleLoginForm shows the login form.
func (s *server) handleLoginForm() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if userOf(c) != nil {
			return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
		}
		return s.render(c, "login.html", i18n.T(langOf(c), "login.title"), loginPage{Next: safeNext(c.Query("next"))})
	}
}

// handleLogin checks the password, starts a fresh session (a new cookie
// value, so a session fixed before login is worthless) and goes on to the
// page the person wanted.
func (s *server) handleLogin() fiber.Handler {
	return func(c *fiber.Ctx) error {
		email := strings.Clone(strings.TrimSpace(c.FormValue("email")))
		password := c.FormValue("password")
		next := safeNext(strings.Clone(c.FormValue("next")))

		// A login ends the browser session it replaces: the old cookie must
		// not keep working next to the new one.
		replaces := strings.Clone(c.Cookies(s.sessionCookie()))
		sess, err := s.deps.Accounts.Login(c.UserContext(), email, password, replaces)
		if err != nil {
			status := statusOf(err)
			if status >= 500 {
				return err
			}
			result := "failure"
			if status == fiber.StatusTooManyRequests {
				result = "throttled"
			}
			s.log.Warn("security", "action", "login", "object", "account", "result", result, "origin", "web", "actor", "anonymous")
			c.Status(status)
			if status == fiber.StatusTooManyRequests {
				c.Set(fiber.HeaderRetryAfter, retryAfter(err))
			}
			return s.render(c, "login.html", i18n.T(langOf(c), "login.title"),
				loginPage{Email: email, Next: next, Error: messageOf(err, status, langOf(c))})
		}
		s.startBrowserSession(c, sess)
		s.log.Info("security", "action", "login", "object", "account", "result", "success", "origin", "web", "actor", actorOf(sess.User))
		return c.Redirect(next, fiber.StatusSeeOther)
	}
}

// handleLogout ends the session and removes its cookie.
func (s *server) handleLogout() fiber.Handler {
	return func(c *fiber.Ctx) error {
		sess := sessionOf(c)
		if err := s.deps.Accounts.Logout(c.UserContext(), sess.Token); err != nil {
			return err
		}
		s.setCookie(c, s.sessionCookie(), "", -1)
		s.log.Info("security", "action", "logout", "object", "account", "result", "success", "origin", "web", "actor", actorOf(sess.User))
		return c.Redirect(mustURL("home"), fiber.StatusSeeOther)
	}
}

// actorOf names an account in logs by id and role, not by e-mail address.
func actorOf(u *accounts.User) string {
	if u == nil {
		return "anonymous"
	}
	return "user:" + itoa64(u.ID) + ":" + string(u.Role)
}
