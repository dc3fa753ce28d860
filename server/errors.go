package server

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"atelier/i18n"
	"atelier/internal/apperr"
)

// statusByCode maps the error codes of every domain to HTTP statuses. It is
// the only such map: domains return codes, this decides what they mean on
// the web.
var statusByCode = map[apperr.Code]int{
	apperr.Invalid:      fiber.StatusBadRequest,
	apperr.Unauthorized: fiber.StatusUnauthorized,
	apperr.Forbidden:    fiber.StatusForbidden,
	apperr.NotFound:     fiber.StatusNotFound,
	apperr.Gone:         fiber.StatusGone,
	apperr.Conflict:     fiber.StatusConflict,
	apperr.TooLarge:     fiber.StatusRequestEntityTooLarge,
	apperr.NotJSON:      fiber.StatusUnsupportedMediaType,
	apperr.Unsafe:       fiber.StatusUnprocessableEntity,
	apperr.TooMany:      fiber.StatusTooManyRequests,
	apperr.RateLimited:  fiber.StatusTooManyRequests,
	apperr.Budget:       fiber.StatusConflict,
	apperr.Internal:     fiber.StatusInternalServerError,
}

// codeByStatus is the reverse, for Fiber's own errors (a 404 for an
// unknown route, a 413 for a body over the limit).
func codeByStatus(status int) apperr.Code {
	switch status {
	case fiber.StatusBadRequest:
		return apperr.Invalid
	case fiber.StatusUnauthorized:
		return apperr.Unauthorized
	case fiber.StatusForbidden:
		return apperr.Forbidden
	case fiber.StatusNotFound, fiber.StatusMethodNotAllowed:
		return apperr.NotFound
	case fiber.StatusRequestEntityTooLarge:
		return apperr.TooLarge
	case fiber.StatusTooManyRequests:
		return apperr.TooMany
	}
	return apperr.Internal
}

// statusOf returns the HTTP status for err.
func statusOf(err error) int {
	if e, ok := apperr.As(err); ok {
		if st, ok := statusByCode[e.Code]; ok {
			return st
		}
		return fiber.StatusInternalServerError
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		return fe.Code
	}
	return fiber.StatusInternalServerError
}

// codeOf returns the JSON error code for err.
func codeOf(err error, status int) apperr.Code {
	if e, ok := apperr.As(err); ok && status < 500 {
		return e.Code
	}
	return codeByStatus(status)
}

// messageOf returns the text a person may read for err. Internal errors get
// a general sentence: their own text may hold SQL, paths or values.
func messageOf(err error, status int, lang i18n.Lang) string {
	fallback := i18n.T(lang, "error.generic")
	key := "error." + strconv.Itoa(status) + ".text"
	switch {
	case i18n.Has(key):
		fallback = i18n.T(lang, key)
	case status >= 500:
		fallback = i18n.T(lang, "error.500.text")
	}
	if status >= 500 {
		return fallback
	}
	return i18n.ErrorText(lang, err, fallback)
}

// retryAfter is the Retry-After value of a 429: whole seconds, at least one.
func retryAfter(err error) string {
	secs := 1
	if e, ok := apperr.As(err); ok && e.RetryAfter > time.Second {
		secs = int((e.RetryAfter + time.Second - 1) / time.Second)
	}
	return strconv.Itoa(secs)
}

func headingOf(status int, lang i18n.Lang) string {
	key := "error." + strconv.Itoa(status)
	if i18n.Has(key) {
		return i18n.T(lang, key)
	}
	if status >= 500 {
		return i18n.T(lang, "error.500")
	}
	return i18n.T(lang, "error.400")
}

// handleError is Fiber's one error handler: JSON under /api/ and /ws/, a
// friendly page elsewhere, a login redirect for pages that need one.
func (s *server) handleError(c *fiber.Ctx, err error) error {
	status := statusOf(err)
	lang := langOf(c)
	if status >= 500 {
		s.log.Error("internal error", "method", c.Method(), "route", routePath(c), "err", err.Error())
	}
	msg := messageOf(err, status, lang)
	if status == fiber.StatusTooManyRequests {
		c.Set(fiber.HeaderRetryAfter, retryAfter(err))
	}
	path := c.Path()
	if strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/ws/") {
		return c.Status(status).JSON(fiber.Map{"error": fiber.Map{"code": codeOf(err, status), "message": msg}})
	}
	if status == fiber.StatusUnauthorized && c.Method() == fiber.MethodGet {
		return c.Redirect(mustURL("login")+"?next="+url.QueryEscape(safeNext(c.OriginalURL())), fiber.StatusSeeOther)
	}
	c.Status(status)
	return s.render(c, "error.html", headingOf(status, lang), errorPage{Status: status, Heading: headingOf(status, lang), Message: msg})
}

type errorPage struct {
	Status  int
	Heading string
	Message string
}

// safeNext keeps a redirect target on this site: a path, never "//host".
func safeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}
