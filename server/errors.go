package server

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"atelier/i18n"
)

// codedError is what the domain packages' errors offer: a code for the
// program and a message for a person. Declared here, where it is used.
type codedError interface {
	error
	ErrorCode() string
	Message(lang i18n.Lang) string
}

// statusByCode maps domain error codes to HTTP statuses.
var statusByCode = map[string]int{
	"invalid":      fiber.StatusBadRequest,
	"unauthorized": fiber.StatusUnauthorized,
	"forbidden":    fiber.StatusForbidden,
	"not_found":    fiber.StatusNotFound,
	"conflict":     fiber.StatusConflict,
	"too_large":    fiber.StatusRequestEntityTooLarge,
	"too_many":     fiber.StatusTooManyRequests,
	"unsafe":       fiber.StatusUnprocessableEntity,
}

// httpError is an error raised by the HTTP layer itself, with a catalogue
// key for its message.
type httpError struct {
	status int
	key    string
	args   []any
}

func coded(status int, key string, args ...any) *httpError {
	return &httpError{status: status, key: key, args: args}
}

func (e *httpError) Error() string                 { return e.key }
func (e *httpError) ErrorCode() string             { return codeOfStatus(e.status) }
func (e *httpError) Message(lang i18n.Lang) string { return i18n.T(lang, e.key, e.args...) }

func codeOfStatus(status int) string {
	for code, st := range statusByCode {
		if st == status {
			return code
		}
	}
	if status == fiber.StatusUnsupportedMediaType {
		return "invalid"
	}
	return "internal"
}

func isCode(err error, code string) bool {
	var ce codedError
	return errors.As(err, &ce) && ce.ErrorCode() == code
}

// statusOf returns the HTTP status for err.
func statusOf(err error) int {
	var he *httpError
	if errors.As(err, &he) {
		return he.status
	}
	var ce codedError
	if errors.As(err, &ce) {
		if st, ok := statusByCode[ce.ErrorCode()]; ok {
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

// messageOf returns the text a person may read for err. Internal errors get
// a general sentence: their own text may hold SQL, paths or values.
func messageOf(err error, status int, lang i18n.Lang) string {
	var ce codedError
	if errors.As(err, &ce) && status < 500 {
		return ce.Message(lang)
	}
	key := "error." + strconv.Itoa(status) + ".text"
	if i18n.Has(key) {
		return i18n.T(lang, key)
	}
	if status >= 500 {
		return i18n.T(lang, "error.500.text")
	}
	return i18n.T(lang, "error.generic")
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
	path := c.Path()
	if strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/ws/") {
		code := "internal"
		var ce codedError
		if errors.As(err, &ce) && status < 500 {
			code = ce.ErrorCode()
		} else if status < 500 {
			code = codeOfStatus(status)
		}
		return c.Status(status).JSON(fiber.Map{"error": fiber.Map{"code": code, "message": msg}})
	}
	if status == fiber.StatusUnauthorized && c.Method() == fiber.MethodGet {
		return c.Redirect("/login?next="+safeNext(c.OriginalURL()), fiber.StatusSeeOther)
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
