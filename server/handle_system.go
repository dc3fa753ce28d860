package server

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"atelier/i18n"
)

// handleLanguage stores the chosen language in a cookie and returns to the
// page the switch was on.
func (s *server) handleLanguage() fiber.Handler {
	return func(c *fiber.Ctx) error {
		lang := i18n.Parse(c.Params("lang"))
		c.Cookie(&fiber.Cookie{Name: langCookie, Value: string(lang), Path: "/", MaxAge: 365 * 24 * 3600,
			HTTPOnly: true, Secure: s.cfg.TLS, SameSite: fiber.CookieSameSiteLaxMode})
		return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
}

// handleHealth reports the version, whether the database answers and
// whether the audit trail verified (handle_audit.go).
func (s *server) handleHealth() fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		status, db := "ok", "ok"
		code := fiber.StatusOK
		if err := s.deps.DB.Ping(ctx); err != nil {
			status, db = "degraded", "unavailable"
			code = fiber.StatusServiceUnavailable
		}
		answer := fiber.Map{"status": status, "version": s.cfg.Version, "database": db}
		if s.deps.Audit != nil {
			auditHealth(answer, s.deps.Audit)
		}
		return c.Status(code).JSON(answer)
	}
}

// handleSecurityTxt answers RFC 9116's security.txt.
func (s *server) handleSecurityTxt() fiber.Handler {
	return func(c *fiber.Ctx) error {
		expires := time.Now().UTC().AddDate(1, 0, 0).Truncate(24 * time.Hour).Format(time.RFC3339)
		c.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
		return c.SendString(fmt.Sprintf("Contact: %s\nExpires: %s\nPreferred-Languages: nl, en\n", s.cfg.SecurityContact, expires))
	}
}

// handleStatic serves embedded files under their content-hashed names, with
// a year of caching (a new build means a new name) and gzip computed once.
func (s *server) handleStatic() fiber.Handler {
	return func(c *fiber.Ctx) error {
		a, ok := s.static.ByURL(c.Path())
		if !ok {
			return fiber.ErrNotFound
		}
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
		c.Set(fiber.HeaderETag, a.ETag)
		c.Set(fiber.HeaderContentType, a.ContentType)
		c.Vary(fiber.HeaderAcceptEncoding)
		if c.Get(fiber.HeaderIfNoneMatch) == a.ETag {
			return c.SendStatus(fiber.StatusNotModified)
		}
		if a.Gzip != nil && strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip") {
			c.Set(fiber.HeaderContentEncoding, "gzip")
			return c.Send(a.Gzip)
		}
		return c.Send(a.Body)
	}
}

// handleMe returns the logged-in account, for scripts.
func (s *server) handleMe() fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := userOf(c)
		return c.JSON(fiber.Map{"id": u.ID, "email": u.Email, "role": u.Role, "lang": langOf(c)})
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
