package server

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
	"atelier/i18n"
	"atelier/internal/apperr"
	"atelier/pii"
	"atelier/profiles"
	"atelier/sessions"
)

// canRun reports whether an account may run a session: a facilitator
// member of its project (not one who only reads there), or an
// administrator.
func (s *server) canRun(c *fiber.Ctx, u *accounts.User, sess *sessions.Session) error {
	_, err := s.runnableProject(c, u, sess.ProjectID)
	return err
}

// runnableProject loads a project for an account that runs its sessions.
func (s *server) runnableProject(c *fiber.Ctx, u *accounts.User, projectID int64) (*profiles.Project, error) {
	if u.Role != accounts.Facilitator && u.Role != accounts.Admin {
		return nil, fiber.ErrForbidden
	}
	p, err := s.deps.Profiles.ProjectByIDFor(c.UserContext(), viewerOf(u), projectID)
	if err != nil {
		return nil, fiber.ErrNotFound
	}
	if !runs(p) {
		return nil, fiber.ErrForbidden
	}
	return p, nil
}

// runs reports whether the viewer a project was loaded for runs its
// sessions.
func runs(p *profiles.Project) bool {
	return p.Role == string(accounts.Facilitator) || p.Role == string(accounts.Admin)
}

// managedSession loads the session in the URL for the account running it.
func (s *server) managedSession(c *fiber.Ctx) (*sessions.Session, error) {
	sess, _, err := s.managedSessionProject(c)
	return sess, err
}

// managedSessionProject is managedSession with the session's project, for
// pages that show where the session belongs.
func (s *server) managedSessionProject(c *fiber.Ctx) (*sessions.Session, *profiles.Project, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	sess, err := s.deps.Sessions.Get(c.UserContext(), id)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.runnableProject(c, userOf(c), sess.ProjectID)
	if err != nil {
		return nil, nil, err
	}
	return sess, p, nil
}

type newSessionRequest struct {
	Project string `json:"project"`
	// Set is the approved profile set whose clusters the session discusses;
	// 0 means the project's newest approved set.
	Set        int64             `json:"set"`
	Title      string            `json:"title"`
	Question   string            `json:"question"`
	Clusters   []json.RawMessage `json:"clusters"`
	VoteBudget int               `json:"vote_budget"`
	Agenda     sessions.Agenda   `json:"agenda"`
}

// createSession resolves the chosen clusters among the project's approved
// ones and stores a draft. A cluster is named by its id within the chosen
// set ("C2"), or as {"set": 1, "id": "C2"}: two approved sets may use the
// same ids, so an id alone never reaches into another set.
func (s *server) createSession(c *fiber.Ctx, req newSessionRequest) (*sessions.Session, []pii.Redaction, *profiles.Project, error) {
	u := userOf(c)
	p, err := s.deps.Profiles.ProjectFor(c.UserContext(), viewerOf(u), req.Project)
	if err != nil {
		return nil, nil, nil, err
	}
	if !runs(p) {
		return nil, nil, nil, apperr.New(apperr.Forbidden, "members.not_facilitator")
	}
	if p.Archived() {
		return nil, nil, nil, apperr.New(apperr.Conflict, "projects.archived")
	}
	approved, err := s.deps.Profiles.ApprovedClusters(c.UserContext(), viewerOf(u), p.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	setID := req.Set
	if setID == 0 && len(approved) > 0 {
		setID = approved[0].SetID // newest first
	}
	var chosen []sessions.Cluster
	for _, raw := range req.Clusters {
		ref := struct {
			Set int64  `json:"set"`
			ID  string `json:"id"`
		}{Set: setID}
		if json.Unmarshal(raw, &ref.ID) != nil && json.Unmarshal(raw, &ref) != nil {
			return nil, nil, nil, apperr.New(apperr.Invalid, "sessions.op_data_invalid")
		}
		found := false
		for _, a := range approved {
			if a.ID == ref.ID && a.SetID == ref.Set {
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
		Clusters: chosen, VoteBudget: req.VoteBudget, Agenda: req.Agenda, Lang: langOf(c), CreatedBy: u.ID, Actor: actorOf(u)})
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
			out["notice"] = pii.DescribeRedactions(removed, langOf(c))
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

// Pages.

type sessionsPage struct {
	Project   *profiles.Project
	Sessions  []sessionRow
	Sets      []profiles.ProfileSet      // the approved sets to choose from, newest first
	Set       *profiles.ProfileSet       // the chosen one
	Clusters  []profiles.ApprovedCluster // the chosen set's clusters
	Templates []sessions.Template
	Error     string
	CanRun    bool
}

// sessionRow is a session in the list, with how many notes it holds.
type sessionRow struct {
	sessions.Session
	Notes int
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
	counts, err := s.deps.Sessions.NoteCounts(c.UserContext(), p.ID)
	if err != nil {
		return err
	}
	page := sessionsPage{Project: p, Error: errText, CanRun: runs(p) && !p.Archived()}
	for _, sess := range list {
		page.Sessions = append(page.Sessions, sessionRow{Session: sess, Notes: counts[sess.ID]})
	}
	if page.CanRun {
		if err := s.chooseSet(c, &page); err != nil {
			return err
		}
		if page.Templates, err = s.deps.Sessions.Templates(c.UserContext(), p.ID); err != nil {
			return err
		}
	}
	return s.render(c, "sessions.html", i18n.T(langOf(c), "sessionlist.title")+" · "+p.Name, page)
}

// chooseSet fills in the approved sets, the chosen one (?set=, or the
// newest) and its clusters: the facilitator picks a set first, then its
// clusters, so that a cluster id can only mean that set's cluster.
func (s *server) chooseSet(c *fiber.Ctx, page *sessionsPage) error {
	v := viewerOf(userOf(c))
	v.Reviewer = false // approved sets only, whoever asks
	sets, err := s.deps.Profiles.Sets(c.UserContext(), v, page.Project.ID)
	if err != nil || len(sets) == 0 {
		return err
	}
	page.Sets = sets
	want, _ := strconv.ParseInt(c.FormValue("set"), 10, 64) // the query on a GET, the form on a POST
	page.Set = &page.Sets[0]
	for i := range sets {
		if sets[i].ID == want {
			page.Set = &page.Sets[i]
		}
	}
	set, err := s.deps.Profiles.Set(c.UserContext(), v, page.Set.ID)
	if err != nil {
		return err
	}
	for _, cl := range set.Result.Clusters {
		page.Clusters = append(page.Clusters, profiles.ApprovedCluster{SetID: set.ID, ID: cl.ID, Label: cl.Label})
	}
	return nil
}

// handleSessionCreate is the form version of POST /api/sessions.
func (s *server) handleSessionCreate() fiber.Handler {
	return func(c *fiber.Ctx) error {
		budget, _ := strconv.Atoi(c.FormValue("vote_budget"))
		set, _ := strconv.ParseInt(c.FormValue("set"), 10, 64)
		req := newSessionRequest{Project: strings.Clone(c.Params("project")), Set: set, Title: strings.Clone(c.FormValue("title")),
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
	Project       *profiles.Project
	Session       *sessions.Session
	Code          string
	JoinURL       string
	Phases        []string
	Sources       []string
	Kinds         []string
	TemplateSaved bool
	TemplateError string
	// The agenda form: the planned phases and a few empty rows to add more.
	AgendaRows  sessions.Agenda
	AgendaSaved bool
	AgendaError string
}

// agendaRows is the agenda with three empty rows after it, at most
// MaxAgendaItems in all.
func agendaRows(a sessions.Agenda) sessions.Agenda {
	rows := append(sessions.Agenda{}, a...)
	for i := 0; i < 3 && len(rows) < sessions.MaxAgendaItems; i++ {
		rows = append(rows, sessions.AgendaItem{})
	}
	return rows
}

// handleConsole is the facilitator's page: state, code and the live list.
func (s *server) handleConsole() fiber.Handler {
	return func(c *fiber.Ctx) error {
		sess, p, err := s.managedSessionProject(c)
		if err != nil {
			return err
		}
		page := consolePage{Project: p, Session: sess, JoinURL: c.BaseURL() + mustURL("join"), Phases: sessions.Phases, Sources: sessions.ExcerptSources, Kinds: sessions.NoteKinds,
			TemplateSaved: c.Query("template") == "saved", TemplateError: strings.Clone(c.Query("template_error")),
			AgendaRows: agendaRows(sess.Agenda), AgendaSaved: c.Query("agenda") == "saved", AgendaError: strings.Clone(c.Query("agenda_error"))}
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
