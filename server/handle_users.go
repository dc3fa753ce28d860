package server

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
	"atelier/i18n"
)

// handleUsers lists accounts for an administrator.
func (s *server) handleUsers() fiber.Handler {
	return func(c *fiber.Ctx) error {
		users, err := s.deps.Accounts.Users(c.UserContext())
		if err != nil {
			return err
		}
		return s.render(c, "admin_users.html", i18n.T(langOf(c), "users.title"), struct {
			Users []accounts.User
			Roles []accounts.Role
		}{users, accounts.Roles})
	}
}

// handleUserRole changes an account's role; that ends its sessions.
func (s *server) handleUserRole() fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := strconv.ParseInt(c.Params("id"), 10, 64)
		if err != nil {
			return fiber.ErrNotFound
		}
		role := accounts.Role(strings.Clone(c.FormValue("role")))
		by := userOf(c)
		if err := s.deps.Accounts.SetRole(c.UserContext(), id, role, accounts.Actor{Name: actorOf(by), Origin: "web"}); err != nil {
			return err
		}
		s.log.Info("security", "action", "role_change", "object", "user:"+itoa64(id)+":"+string(role), "result", "success", "origin", "web", "actor", actorOf(by))
		return c.Redirect(mustURL("users"), fiber.StatusSeeOther)
	}
}
