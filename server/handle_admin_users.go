package server

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
	"atelier/i18n"
)

// usersPage is the administrator's list of accounts with the invitation
// form above it.
type usersPage struct {
	Users  []accounts.User
	Roles  []accounts.Role
	Me     int64
	Now    time.Time
	Notice string
	Error  string
	Email  string        // the invitation form, filled in again after an error
	Role   accounts.Role // idem
}

// handleUsers lists accounts for an administrator.
func (s *server) handleUsers() fiber.Handler {
	return func(c *fiber.Ctx) error {
		notice := ""
		if done := c.Query("done"); done != "" && i18n.Has("users.done."+done) {
			notice = i18n.T(langOf(c), "users.done."+done)
		}
		return s.renderUsers(c, usersPage{Notice: notice, Role: accounts.Facilitator})
	}
}

func (s *server) renderUsers(c *fiber.Ctx, page usersPage) error {
	users, err := s.deps.Accounts.Users(c.UserContext())
	if err != nil {
		return err
	}
	page.Users, page.Roles, page.Me, page.Now = users, accounts.Roles, userOf(c).ID, time.Now()
	return s.render(c, "admin_users.html", i18n.T(langOf(c), "users.title"), page)
}

// usersRefused shows the accounts page again with why a change was
// refused (the last administrator, one's own account).
func (s *server) usersRefused(c *fiber.Ctx, err error, page usersPage) error {
	status := statusOf(err)
	if status >= 500 {
		return err
	}
	c.Status(status)
	page.Error = messageOf(err, status, langOf(c))
	return s.renderUsers(c, page)
}

// adminActor is the logged-in administrator, for the audit trail.
func adminActor(c *fiber.Ctx) accounts.Actor {
	u := userOf(c)
	return accounts.Actor{Name: actorOf(u), Origin: "web", UserID: u.ID}
}

// handleUserInvite adds an account and shows its one-time link once.
func (s *server) handleUserInvite() fiber.Handler {
	return func(c *fiber.Ctx) error {
		email := strings.Clone(strings.TrimSpace(c.FormValue("email")))
		role := accounts.Role(strings.Clone(c.FormValue("role")))
		u, tok, expires, err := s.deps.Accounts.Invite(c.UserContext(), email, role, adminActor(c))
		if err != nil {
			return s.usersRefused(c, err, usersPage{Email: email, Role: role})
		}
		s.log.Info("security", "action", "user.invite", "object", "user:"+itoa64(u.ID)+":"+string(role), "result", "success", "origin", "web", "actor", actorOf(userOf(c)))
		return s.renderLinkIssued(c, u, tok, expires, true)
	}
}

// handleUserReset gives an account a new one-time link; its password stops
// working and its sessions end.
func (s *server) handleUserReset() fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		u, tok, expires, err := s.deps.Accounts.ResetLink(c.UserContext(), id, adminActor(c))
		if err != nil {
			return s.usersRefused(c, err, usersPage{Role: accounts.Facilitator})
		}
		s.log.Info("security", "action", "user.reset", "object", "user:"+itoa64(id), "result", "success", "origin", "web", "actor", actorOf(userOf(c)))
		return s.renderLinkIssued(c, u, tok, expires, false)
	}
}

// linkIssuedPage shows a link an administrator hands over. The token is in
// this response only: the database keeps its hash.
type linkIssuedPage struct {
	User    *accounts.User
	URL     string
	Expires time.Time
	New     bool // an invitation of a new account, not a new link
}

func (s *server) renderLinkIssued(c *fiber.Ctx, u *accounts.User, tok string, expires time.Time, isNew bool) error {
	title := "link.issued_title_reset"
	if isNew {
		title = "link.issued_title_invite"
	}
	return s.render(c, "admin_link.html", i18n.T(langOf(c), title, u.Email),
		linkIssuedPage{User: u, URL: c.BaseURL() + mustURL("invite", tok), Expires: expires, New: isNew})
}

// handleUserRole changes an account's role; that ends its sessions.
func (s *server) handleUserRole() fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		role := accounts.Role(strings.Clone(c.FormValue("role")))
		if err := s.deps.Accounts.SetRole(c.UserContext(), id, role, adminActor(c)); err != nil {
			return s.usersRefused(c, err, usersPage{Role: accounts.Facilitator})
		}
		s.log.Info("security", "action", "role_change", "object", "user:"+itoa64(id)+":"+string(role), "result", "success", "origin", "web", "actor", actorOf(userOf(c)))
		return c.Redirect(mustURL("users")+"?done=role", fiber.StatusSeeOther)
	}
}

// handleUserActive disables or enables an account. Disabling ends its
// browser sessions at once.
func (s *server) handleUserActive(enable bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		action, done := "user.disable", "disabled"
		if enable {
			action, done = "user.enable", "enabled"
			err = s.deps.Accounts.Enable(c.UserContext(), id, adminActor(c))
		} else {
			err = s.deps.Accounts.Disable(c.UserContext(), id, adminActor(c))
		}
		if err != nil {
			return s.usersRefused(c, err, usersPage{Role: accounts.Facilitator})
		}
		s.log.Info("security", "action", action, "object", "user:"+itoa64(id), "result", "success", "origin", "web", "actor", actorOf(userOf(c)))
		return c.Redirect(mustURL("users")+"?done="+done, fiber.StatusSeeOther)
	}
}
