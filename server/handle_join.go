package server

// Joining a session, by API and by the join page, and the participant's
// phone view.

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
	"atelier/i18n"
	"atelier/internal/apperr"
	"atelier/profiles"
	"atelier/sessions"
)

// handleAPIJoin: POST /api/join. Wrong codes are counted per visitor (a
// cookie) and in total, never per network address.
func (s *server) handleAPIJoin() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req struct {
			Code   string `json:"code"`
			Role   string `json:"role"`
			Ticket string `json:"ticket"`
		}
		if err := json.Unmarshal(c.Body(), &req); err != nil {
			return apperr.New(apperr.Invalid, "sessions.op_data_invalid")
		}
		sess, p, err := s.join(c, req.Code, req.Role, req.Ticket)
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"session": sess.View(), "participant": fiber.Map{"pseudonym": p.Pseudonym, "role": p.Role}})
	}
}

// join asks the join gate whether the code may be evaluated, joins and sets
// the participant cookie. ticket is the QR code's, or empty when the code
// was typed.
func (s *server) join(c *fiber.Ctx, code, role, ticket string) (*sessions.Session, *sessions.Participant, error) {
	visitor := strings.Clone(c.Cookies(s.csrfCookie()))
	code, ticket = strings.Clone(code), strings.Clone(ticket)
	now := time.Now()
	if err := s.joins.admit(visitor, code, ticket, now); err != nil {
		s.log.Warn("security", "action", "join", "object", "session", "result", "throttled", "origin", "web", "actor", "anonymous")
		return nil, nil, err
	}
	sess, p, token, err := s.deps.Sessions.Join(c.UserContext(), code, sessions.Role(strings.Clone(role)))
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			s.joins.wrong(visitor, now)
			s.log.Info("security", "action", "join", "object", "session", "result", "failure", "origin", "web", "actor", "anonymous")
		}
		return nil, nil, err
	}
	s.setCookie(c, s.participantCookie(), token, 12*3600)
	s.log.Info("security", "action", "join", "object", "session:"+itoa64(sess.ID), "result", "success", "origin", "web", "actor", "participant:"+itoa64(p.ID))
	return sess, p, nil
}

func (s *server) participantCookie() string { return s.cookieName("atelier_participant") }

type joinPage struct {
	Code   string
	Ticket string // from the QR code; empty when the code is typed
	Role   string
	Roles  []sessions.Role
	Error  string
}

// handleJoinForm is the page a phone opens: /j, or /j/CODE from a QR code.
func (s *server) handleJoinForm() fiber.Handler {
	return func(c *fiber.Ctx) error {
		// /j/CODE from a QR code, or /j?code= from the landing page's field.
		code := c.Params("code", c.Query("code"))
		return s.render(c, "join.html", i18n.T(langOf(c), "join.title"), joinPage{Code: sessions.FormatCode(sessions.NormaliseCode(code)),
			Ticket: strings.Clone(c.Query("t")), Roles: sessions.Roles})
	}
}

// handleJoin is the form post of the join page; it works without script.
func (s *server) handleJoin() fiber.Handler {
	return func(c *fiber.Ctx) error {
		code, role, ticket := strings.Clone(c.FormValue("code")), strings.Clone(c.FormValue("role")), strings.Clone(c.FormValue("ticket"))
		sess, _, err := s.join(c, code, role, ticket)
		if err != nil {
			if statusOf(err) >= 500 {
				return err
			}
			c.Status(statusOf(err))
			if statusOf(err) == fiber.StatusTooManyRequests {
				c.Set(fiber.HeaderRetryAfter, retryAfter(err))
			}
			return s.render(c, "join.html", i18n.T(langOf(c), "join.title"),
				joinPage{Code: sessions.FormatCode(sessions.NormaliseCode(code)), Ticket: ticket, Role: role, Roles: sessions.Roles,
					Error: messageOf(err, statusOf(err), langOf(c))})
		}
		return c.Redirect(mustURL("phone", sess.ID), fiber.StatusSeeOther)
	}
}

type phonePage struct {
	Session     *sessions.Session
	Participant *sessions.Participant
	Kinds       []string
	Sources     []string // interview excerpts, for professionals
	ProjectSlug string   // for the link to the project's Algoritmeregister entry
}

// handlePhone is a participant's view of a session. Without the
// participant's cookie for this session, it sends the visitor to join.
func (s *server) handlePhone() fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		p, err := s.deps.Sessions.ParticipantByToken(c.UserContext(), c.Cookies(s.participantCookie()))
		if err != nil || p.SessionID != id {
			if u := userOf(c); u != nil && (u.Role == accounts.Facilitator || u.Role == accounts.Admin) {
				return c.Redirect(mustURL("console", id), fiber.StatusSeeOther)
			}
			return c.Redirect(mustURL("join"), fiber.StatusSeeOther)
		}
		sess, err := s.deps.Sessions.Get(c.UserContext(), id)
		if err != nil {
			return err
		}
		project, err := s.deps.Profiles.ProjectByIDFor(c.UserContext(), profiles.Viewer{AllProjects: true}, sess.ProjectID)
		if err != nil {
			return err
		}
		return s.render(c, "phone.html", sess.Title, phonePage{Session: sess, Participant: p, Kinds: sessions.NoteKinds, Sources: sessions.ExcerptSources,
			ProjectSlug: project.Slug})
	}
}
