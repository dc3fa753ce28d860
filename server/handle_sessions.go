package server

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
	"atelier/i18n"
	"atelier/internal/apperr"
	"atelier/profiles"
	"atelier/sessions"
)

// canRun reports whether an account may run a session: a facilitator or
// administrator who may see its project.
func (s *server) canRun(c *fiber.Ctx, u *accounts.User, sess *sessions.Session) error {
	if u.Role != accounts.Facilitator && u.Role != accounts.Admin {
		return fiber.ErrForbidden
	}
	if _, err := s.deps.Profiles.ProjectByIDFor(c.UserContext(), viewerOf(u), sess.ProjectID); err != nil {
		return fiber.ErrNotFound
	}
	return nil
}

// managedSession loads the session in the URL for the account running it.
func (s *server) managedSession(c *fiber.Ctx) (*sessions.Session, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	sess, err := s.deps.Sessions.Get(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	if err := s.canRun(c, userOf(c), sess); err != nil {
		return nil, err
	}
	return sess, nil
}

type newSessionRequest struct {
	Project    string            `json:"project"`
	Title      string            `json:"title"`
	Question   string            `json:"question"`
	Clusters   []json.RawMessage `json:"clusters"`
	VoteBudget int               `json:"vote_budget"`
}

// createSession resolves the chosen clusters among the project's approved
// ones and stores a draft.
func (s *server) createSession(c *fiber.Ctx, req newSessionRequest) (*sessions.Session, []sessions.Redaction, *profiles.Project, error) {
	u := userOf(c)
	p, err := s.deps.Profiles.ProjectFor(c.UserContext(), viewerOf(u), req.Project)
	if err != nil {
		return nil, nil, nil, err
	}
	approved, err := s.deps.Profiles.ApprovedClusters(c.UserContext(), viewerOf(u), p.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	var chosen []sessions.Cluster
	for _, raw := range req.Clusters {
		// A cluster is named by its id ("C2"), or as {"set": 1, "id": "C2"}
		// when two approved sets use the same id. Newest set first.
		var ref struct {
			Set int64  `json:"set"`
			ID  string `json:"id"`
		}
		if json.Unmarshal(raw, &ref.ID) != nil && json.Unmarshal(raw, &ref) != nil {
			return nil, nil, nil, apperr.New(apperr.Invalid, "sessions.op_data_invalid")
		}
		found := false
		for _, a := range approved {
			if a.ID == ref.ID && (ref.Set == 0 || ref.Set == a.SetID) {
				chosen = append(chosen, sessions.Cluster{SetID: a.SetID, ID: a.ID, Label: a.Label})
				found = true
				break
			}
		}
		if !found {
			return nil, nil, nil, apperr.New(apperr.Invalid, "sessions.cluster_not_found", ref.ID)
		}
	}
	sess, removed, err := s.deps.Sessions.Create(c.UserContext(), sessions.NewSession{ProjectID: p.ID, Title: req.Title, Question: req.Question,
		Clusters: chosen, VoteBudget: req.VoteBudget, Lang: langOf(c), CreatedBy: u.ID, Actor: actorOf(u)})
	return sess, removed, p, err
}

// sessionJSON is a session as the API returns it, with its join code
// while open.
func (s *server) sessionJSON(c *fiber.Ctx, sess *sessions.Session) (fiber.Map, error) {
	var code any
	if sess.State == sessions.Open {
		k, err := s.deps.Sessions.Code(c.UserContext(), sess.ID)
		if err != nil {
			return nil, err
		}
		code = k
	}
	people, err := s.deps.Sessions.Participants(c.UserContext(), sess.ID)
	if err != nil {
		return nil, err
	}
	connected := s.deps.Hub.Connected(sess.ID)
	for i := range people {
		id, _ := strconv.ParseInt(people[i].ID[1:], 10, 64)
		people[i].Connected = connected[id]
	}
	return fiber.Map{"id": sess.ID, "title": sess.Title, "question": sess.Question, "state": sess.State, "code": code,
		"vote_budget": sess.VoteBudget, "clusters": sess.Clusters, "present": len(connected), "participants": people}, nil
}

// handleAPISessionCreate: POST /api/sessions.
func (s *server) handleAPISessionCreate() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req newSessionRequest
		if err := json.Unmarshal(c.Body(), &req); err != nil {
			return apperr.New(apperr.Invalid, "sessions.op_data_invalid")
		}
		sess, removed, _, err := s.createSession(c, req)
		if err != nil {
			return err
		}
		out, err := s.sessionJSON(c, sess)
		if err != nil {
			return err
		}
		if len(removed) > 0 {
			out["notice"] = sessions.DescribeRedactions(removed, langOf(c))
		}
		return c.Status(fiber.StatusCreated).JSON(out)
	}
}

// handleAPISessionGet: GET /api/sessions/:id.
func (s *server) handleAPISessionGet() fiber.Handler {
	return func(c *fiber.Ctx) error {
		sess, err := s.managedSession(c)
		if err != nil {
			return err
		}
		out, err := s.sessionJSON(c, sess)
		if err != nil {
			return err
		}
		return c.JSON(out)
	}
}

// handleAPISessionState: POST /api/sessions/:id/open and /close.
func (s *server) handleAPISessionState(open bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		sess, err := s.changeState(c, open)
		if err != nil {
			return err
		}
		out, err := s.sessionJSON(c, sess)
		if err != nil {
			return err
		}
		return c.JSON(out)
	}
}

func (s *server) changeState(c *fiber.Ctx, open bool) (*sessions.Session, error) {
	sess, err := s.managedSession(c)
	if err != nil {
		return nil, err
	}
	actor := actorOf(userOf(c))
	if open {
		sess, err = s.deps.Sessions.Open(c.UserContext(), sess.ID, actor)
	} else {
		sess, err = s.deps.Sessions.Close(c.UserContext(), sess.ID, actor)
	}
	if err != nil {
		return nil, err
	}
	if err := s.deps.Live.PublishSession(c.UserContext(), sess.ID); err != nil {
		return nil, err
	}
	if sess.State == sessions.Closed {
		s.deps.Hub.CloseSession(sess.ID)
	}
	return sess, nil
}

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

// Pages.

type sessionsPage struct {
	Project  *profiles.Project
	Sessions []sessions.Session
	Clusters []profiles.ApprovedCluster
	Error    string
	CanRun   bool
}

// handleSessions lists a project's sessions with a form for a new one.
func (s *server) handleSessions() fiber.Handler {
	return func(c *fiber.Ctx) error {
		return s.renderSessions(c, "")
	}
}

func (s *server) renderSessions(c *fiber.Ctx, errText string) error {
	u := userOf(c)
	p, err := s.deps.Profiles.ProjectFor(c.UserContext(), viewerOf(u), c.Params("project"))
	if err != nil {
		return err
	}
	list, err := s.deps.Sessions.ByProject(c.UserContext(), p.ID)
	if err != nil {
		return err
	}
	clusters, err := s.deps.Profiles.ApprovedClusters(c.UserContext(), viewerOf(u), p.ID)
	if err != nil {
		return err
	}
	return s.render(c, "sessions.html", i18n.T(langOf(c), "sessionlist.title"), sessionsPage{Project: p, Sessions: list, Clusters: clusters, Error: errText,
		CanRun: u.Role == accounts.Facilitator || u.Role == accounts.Admin})
}

// handleSessionCreate is the form version of POST /api/sessions.
func (s *server) handleSessionCreate() fiber.Handler {
	return func(c *fiber.Ctx) error {
		budget, _ := strconv.Atoi(c.FormValue("vote_budget"))
		req := newSessionRequest{Project: strings.Clone(c.Params("project")), Title: strings.Clone(c.FormValue("title")),
			Question: strings.Clone(c.FormValue("question")), VoteBudget: budget}
		for _, v := range c.Context().PostArgs().PeekMulti("cluster") {
			id, _ := json.Marshal(string(v))
			req.Clusters = append(req.Clusters, id)
		}
		sess, _, _, err := s.createSession(c, req)
		if err != nil {
			if statusOf(err) < 500 {
				c.Status(statusOf(err))
				return s.renderSessions(c, messageOf(err, statusOf(err), langOf(c)))
			}
			return err
		}
		return c.Redirect(mustURL("console", sess.ID), fiber.StatusSeeOther)
	}
}

type consolePage struct {
	Session *sessions.Session
	Code    string
	JoinURL string
	Phases  []string
	Sources []string
}

// handleConsole is the facilitator's page: state, code and the live list.
func (s *server) handleConsole() fiber.Handler {
	return func(c *fiber.Ctx) error {
		sess, err := s.managedSession(c)
		if err != nil {
			return err
		}
		page := consolePage{Session: sess, JoinURL: c.BaseURL() + mustURL("join"), Phases: sessions.Phases, Sources: sessions.ExcerptSources}
		if sess.State == sessions.Open {
			if page.Code, err = s.deps.Sessions.Code(c.UserContext(), sess.ID); err != nil {
				return err
			}
		}
		return s.render(c, "console.html", sess.Title, page)
	}
}

// handleSessionStateForm opens or closes a session from the console.
func (s *server) handleSessionStateForm(open bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		sess, err := s.changeState(c, open)
		if err != nil {
			return err
		}
		return c.Redirect(mustURL("console", sess.ID), fiber.StatusSeeOther)
	}
}

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
		return s.render(c, "join.html", i18n.T(langOf(c), "join.title"), joinPage{Code: sessions.FormatCode(sessions.NormaliseCode(c.Params("code"))),
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
