package server

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
	"atelier/i18n"
	"atelier/internal/apperr"
	"atelier/pii"
)

// Keys for values that middleware leaves in fiber.Ctx.Locals.
const (
	localLang    = "lang"
	localSession = "session"
)

// contentSecurityPolicy allows nothing but our own origin: no inline script
// or style, no foreign host, no framing. Charts get their options as JSON
// and run from our own script files, so nothing needs more.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

const permissionsPolicy = "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), " +
	"magnetometer=(), microphone=(), midi=(), payment=(), usb=(), fullscreen=(self)"

// securityHeaders sets the baseline headers on every response, errors and
// static files included.
func (s *server) securityHeaders(c *fiber.Ctx) error {
	h := func() {
		c.Set("Content-Security-Policy", contentSecurityPolicy)
		c.Set("X-Content-Type-Options", "nosniff")
		c.Set("Referrer-Policy", "no-referrer")
		c.Set("X-Frame-Options", "DENY")
		c.Set("Permissions-Policy", permissionsPolicy)
		c.Set("Cross-Origin-Opener-Policy", "same-origin")
		c.Set("Cross-Origin-Resource-Policy", "same-origin")
		if s.cfg.TLS {
			c.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		if len(c.Response().Header.Peek("Cache-Control")) == 0 {
			// Pages carry personal context (who is logged in, CSRF tokens):
			// never let a shared machine's cache keep them.
			c.Set("Cache-Control", "no-store")
		}
	}
	// Headers are set after the handler so that a handler's own
	// Cache-Control wins; an error's page is written later by the error
	// handler, keeping these headers.
	err := c.Next()
	h()
	return err
}

// recoverPanics turns a panic into a 500 without taking the server down.
func (s *server) recoverPanics(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic", "route", routePath(c), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fiber.ErrInternalServerError
		}
	}()
	return c.Next()
}

// logRequests writes one line per request. It logs the route pattern, never
// the raw path or query: a join code or token must not reach a log, and no
// network address is ever logged.
func (s *server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		status = statusOf(err)
	}
	s.log.Info("request",
		"method", c.Method(),
		"route", routePath(c),
		"status", status,
		"duration_ms", float64(time.Since(start).Microseconds())/1000,
	)
	return err
}

// routePath is the matched route's pattern ("/s/:id"), not the request's path.
func routePath(c *fiber.Ctx) string {
	if r := c.Route(); r != nil && r.Path != "" {
		return r.Path
	}
	return "-"
}

// language picks the page language: the lang cookie (set by the switch),
// then Accept-Language, then Dutch.
func (s *server) language(c *fiber.Ctx) error {
	lang := i18n.Default
	if v := c.Cookies(langCookie); v != "" {
		lang = i18n.Parse(v)
	} else if h := c.Get(fiber.HeaderAcceptLanguage); h != "" {
		lang = i18n.FromAcceptLanguage(h)
	}
	c.Locals(localLang, lang)
	return c.Next()
}

func langOf(c *fiber.Ctx) i18n.Lang {
	if l, ok := c.Locals(localLang).(i18n.Lang); ok {
		return l
	}
	return i18n.Default
}

// loadSession attaches the logged-in account, if any.
func (s *server) loadSession(c *fiber.Ctx) error {
	token := c.Cookies(s.sessionCookie())
	if token != "" {
		sess, err := s.deps.Accounts.SessionByToken(c.UserContext(), token)
		if err == nil {
			c.Locals(localSession, sess)
		} else if !apperr.Is(err, apperr.Unauthorized) {
			return err
		}
	}
	return s.checkForgery(c)
}

func sessionOf(c *fiber.Ctx) *accounts.Session {
	sess, _ := c.Locals(localSession).(*accounts.Session)
	return sess
}

func userOf(c *fiber.Ctx) *accounts.User {
	if sess := sessionOf(c); sess != nil {
		return sess.User
	}
	return nil
}

// checkForgery refuses cross-site state changes. JSON endpoints need a JSON
// content type (which a cross-site form cannot send) and, when the browser
// says where it comes from, our own origin; forms need the CSRF token of the
// page that showed them.
func (s *server) checkForgery(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	origin := c.Get(fiber.HeaderOrigin)
	if strings.HasPrefix(c.Path(), "/api/") {
		// Our scripts fetch with referrerPolicy "same-origin" so that the
		// browser names our origin despite the page's no-referrer policy.
		if origin != "" && !s.sameOrigin(c, origin) {
			return apperr.New(apperr.Forbidden, "error.origin")
		}
		if !strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEApplicationJSON) {
			return apperr.New(apperr.NotJSON, "error.json_content_type")
		}
		return c.Next()
	}
	// Under Referrer-Policy: no-referrer browsers send "Origin: null" with a
	// form post, so null cannot be told apart from a sandboxed attacker; the
	// CSRF token is what decides then.
	if origin != "" && origin != "null" && !s.sameOrigin(c, origin) {
		return apperr.New(apperr.Forbidden, "error.origin")
	}
	want := s.expectedCSRF(c)
	got := c.FormValue("_csrf")
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return apperr.New(apperr.Forbidden, "error.csrf")
	}
	return c.Next()
}

func (s *server) sameOrigin(c *fiber.Ctx, origin string) bool {
	scheme := "http://"
	if s.cfg.TLS {
		scheme = "https://"
	}
	return origin == scheme+string(c.Request().Host())
}

// authorize lets a request through when its route's access allows the
// viewer. It is the only place where roles are compared.
func (s *server) authorize(a access) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if a.public {
			return c.Next()
		}
		u := userOf(c)
		if u == nil {
			return fiber.ErrUnauthorized
		}
		if !slices.Contains(a.roles, u.Role) {
			return fiber.ErrForbidden
		}
		return c.Next()
	}
}

// refuseInvalidText refuses a form or JSON request with a text that
// pii.CheckText refuses (NUL and other control characters, invalid UTF-8),
// before any handler sees it, so no free-text field of any form or API can
// store one. The domains check the texts they store as well; this is the one
// place that covers every other field (names, titles, addresses). Uploads
// (multipart) are checked by their importers.
func (s *server) refuseInvalidText(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	switch {
	case strings.HasPrefix(ct, fiber.MIMEApplicationForm):
		for _, v := range c.Request().PostArgs().All() {
			if err := pii.CheckText(string(v)); err != nil {
				return err
			}
		}
	case strings.HasPrefix(ct, fiber.MIMEApplicationJSON):
		if err := checkJSONText(c.Body()); err != nil {
			return err
		}
	}
	return c.Next()
}

// checkJSONText checks every string of a JSON body, keys included. The
// raw body must be valid UTF-8; an escaped control character ("\u0000")
// or lone surrogate ("\ud800", which the decoder makes U+FFFD) is caught
// in the decoded string. A body that is not JSON is left to the handler.
func checkJSONText(body []byte) error {
	if !utf8.Valid(body) {
		return apperr.New(apperr.Invalid, "privacy.text_invalid")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		if s, ok := tok.(string); ok {
			if err := pii.CheckText(s); err != nil {
				return err
			}
		}
	}
}
