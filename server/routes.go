package server

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
)

// access says who may use a route. Every route names one explicitly; the
// route table test fails for a route that is not in its own table.
type access struct {
	public bool            // anyone, logged in or not
	roles  []accounts.Role // otherwise: these account roles
}

var (
	public     = access{public: true}
	anyAccount = access{roles: accounts.Roles}
	adminOnly  = access{roles: []accounts.Role{accounts.Admin}}
	// Stewards only: administrators manage accounts, they do not judge
	// disclosure (and so cannot become a second pair of eyes by default).
	stewardsOnly = access{roles: []accounts.Role{accounts.Steward}}
	// Facilitators run sessions; administrators may stand in for them.
	facilitators = access{roles: []accounts.Role{accounts.Facilitator, accounts.Admin}}
	// Outcome readers: the people who decide, and those who ran the
	// sessions. Never participants.
	outcomeReaders = access{roles: []accounts.Role{accounts.Policymaker, accounts.Facilitator, accounts.Admin}}
)

// route is one endpoint: its name (for building links), method, path, who
// may use it and what answers.
type route struct {
	name    string
	method  string
	path    string
	access  access
	handler func(*server) fiber.Handler
}

// decision binds a profile-set decision to its handler.
func decision(action string) func(*server) fiber.Handler {
	return func(s *server) fiber.Handler { return s.handleSetDecision(action) }
}

// userActive binds disabling or enabling an account to its handler.
func userActive(enable bool) func(*server) fiber.Handler {
	return func(s *server) fiber.Handler { return s.handleUserActive(enable) }
}

// sessionState binds opening or closing a session to its handler.
func sessionState(open, api bool) func(*server) fiber.Handler {
	return func(s *server) fiber.Handler {
		if api {
			return s.handleAPISessionState(open)
		}
		return s.handleSessionStateForm(open)
	}
}

// routeTable lists every endpoint in one place. Pages and handlers build
// links with urlFor and a route's name, never by typing a path.
var routeTable = []route{
	// Pages.
	{"home", fiber.MethodGet, "/", public, (*server).handleHome},
	{"login", fiber.MethodGet, "/login", public, (*server).handleLoginForm},
	{"login.post", fiber.MethodPost, "/login", public, (*server).handleLogin},
	{"logout", fiber.MethodPost, "/logout", anyAccount, (*server).handleLogout},
	{"lang", fiber.MethodGet, "/lang/:lang", public, (*server).handleLanguage},

	// First start and one-time links: public, the token is the key. The
	// setup pages answer 404 once an administrator exists.
	{"setup", fiber.MethodGet, "/setup/:token", public, (*server).handleSetupForm},
	{"setup.post", fiber.MethodPost, "/setup/:token", public, (*server).handleSetup},
	{"invite", fiber.MethodGet, "/invite/:token", public, (*server).handleInviteForm},
	{"invite.post", fiber.MethodPost, "/invite/:token", public, (*server).handleInviteAccept},

	// Administration: accounts and projects.
	{"users", fiber.MethodGet, "/admin/users", adminOnly, (*server).handleUsers},
	{"user.invite", fiber.MethodPost, "/admin/users", adminOnly, (*server).handleUserInvite},
	{"audit", fiber.MethodGet, "/admin/audit", adminOnly, (*server).handleAudit},
	{"audit.retention", fiber.MethodPost, "/admin/audit/retention", adminOnly, (*server).handleAuditRetention},
	{"audit.export", fiber.MethodGet, "/admin/audit/export", adminOnly, (*server).handleAuditExport},
	{"user.role", fiber.MethodPost, "/admin/users/:id/role", adminOnly, (*server).handleUserRole},
	{"user.disable", fiber.MethodPost, "/admin/users/:id/disable", adminOnly, userActive(false)},
	{"user.enable", fiber.MethodPost, "/admin/users/:id/enable", adminOnly, userActive(true)},
	{"user.reset", fiber.MethodPost, "/admin/users/:id/reset", adminOnly, (*server).handleUserReset},
	{"project.new", fiber.MethodGet, "/admin/projects/new", adminOnly, (*server).handleProjectNew},
	{"project.create", fiber.MethodPost, "/admin/projects", adminOnly, (*server).handleProjectCreate},
	{"project.settings", fiber.MethodGet, "/p/:project/settings", adminOnly, (*server).handleProjectSettings},
	{"project.update", fiber.MethodPost, "/p/:project/settings", adminOnly, (*server).handleProjectUpdate},
	{"project.archive", fiber.MethodPost, "/p/:project/archive", adminOnly, (*server).handleProjectArchive},
	{"members", fiber.MethodGet, "/p/:project/members", adminOnly, (*server).handleMembers},
	{"member.add", fiber.MethodPost, "/p/:project/members", adminOnly, (*server).handleMemberAdd},
	{"member.role", fiber.MethodPost, "/p/:project/members/:user", adminOnly, (*server).handleMemberRole},
	{"member.remove", fiber.MethodPost, "/p/:project/members/:user/remove", adminOnly, (*server).handleMemberRemove},

	// Projects and profile sets. The profiles store decides which sets a
	// viewer sees; the access here only says who may ask.
	{"project", fiber.MethodGet, "/p/:project", anyAccount, (*server).handleProject},
	{"import", fiber.MethodGet, "/p/:project/import", stewardsOnly, (*server).handleImportForm},
	{"import.post", fiber.MethodPost, "/p/:project/import", stewardsOnly, (*server).handleImport},
	{"set", fiber.MethodGet, "/p/:project/sets/:set", anyAccount, (*server).handleSet},
	{"set.approve", fiber.MethodPost, "/p/:project/sets/:set/approve", stewardsOnly, decision("approve")},
	{"set.reject", fiber.MethodPost, "/p/:project/sets/:set/reject", stewardsOnly, decision("reject")},
	{"set.withdraw", fiber.MethodPost, "/p/:project/sets/:set/withdraw", stewardsOnly, decision("withdraw")},
	{"set.labels", fiber.MethodPost, "/p/:project/sets/:set/labels", stewardsOnly, (*server).handleSetLabels},
	{"cluster", fiber.MethodGet, "/p/:project/sets/:set/clusters/:cluster", anyAccount, (*server).handleCluster},
	{"compare", fiber.MethodGet, "/p/:project/sets/:set/compare", anyAccount, (*server).handleCompare},

	// Retention and transparency: the archive's one extension and a
	// project's Algoritmeregister entry are an administrator's; the
	// entry itself, "/algoritme/{project}.json" included, and the privacy
	// statement are public.
	{"retention.extend", fiber.MethodGet, "/p/:project/retention", adminOnly, (*server).handleRetentionExtend},
	{"retention.extend.post", fiber.MethodPost, "/p/:project/retention", adminOnly, (*server).handleRetentionExtendSave},
	{"algoritme.edit", fiber.MethodGet, "/p/:project/algoritme", adminOnly, (*server).handleAlgoritmeEdit},
	{"algoritme.edit.post", fiber.MethodPost, "/p/:project/algoritme", adminOnly, (*server).handleAlgoritmeSave},
	{"algoritme", fiber.MethodGet, "/algoritme/:project", public, (*server).handleAlgoritme},
	{"privacy", fiber.MethodGet, "/privacy", public, (*server).handlePrivacy},

	// Live sessions. Participants have no account: the routes they use
	// are public and check the participant cookie themselves.
	{"sessions", fiber.MethodGet, "/p/:project/sessions", anyAccount, (*server).handleSessions},
	{"sessions.post", fiber.MethodPost, "/p/:project/sessions", facilitators, (*server).handleSessionCreate},
	{"console", fiber.MethodGet, "/s/:id/console", facilitators, (*server).handleConsole},
	{"wall", fiber.MethodGet, "/s/:id/wall", facilitators, (*server).handleWall},
	{"session.open", fiber.MethodPost, "/s/:id/open", facilitators, sessionState(true, false)},
	{"session.close", fiber.MethodPost, "/s/:id/close", facilitators, sessionState(false, false)},
	{"agenda.save", fiber.MethodPost, "/s/:id/agenda", facilitators, (*server).handleAgendaSave},
	{"template.save", fiber.MethodPost, "/s/:id/template", facilitators, (*server).handleTemplateSave},
	{"template.start", fiber.MethodPost, "/p/:project/templates/:template/start", facilitators, (*server).handleTemplateStart},
	{"phone", fiber.MethodGet, "/s/:id", public, (*server).handlePhone},
	{"join", fiber.MethodGet, "/j", public, (*server).handleJoinForm},
	{"join.code", fiber.MethodGet, "/j/:code", public, (*server).handleJoinForm},
	{"join.post", fiber.MethodPost, "/j", public, (*server).handleJoin},
	{"api.sessions.post", fiber.MethodPost, "/api/sessions", facilitators, (*server).handleAPISessionCreate},
	{"api.session", fiber.MethodGet, "/api/sessions/:id", facilitators, (*server).handleAPISessionGet},
	{"api.session.wall", fiber.MethodGet, "/api/sessions/:id/wall", facilitators, (*server).handleAPIWall},
	{"api.session.open", fiber.MethodPost, "/api/sessions/:id/open", facilitators, sessionState(true, true)},
	{"api.session.close", fiber.MethodPost, "/api/sessions/:id/close", facilitators, sessionState(false, true)},
	{"api.join", fiber.MethodPost, "/api/join", public, (*server).handleAPIJoin},
	{"api.privacy", fiber.MethodPost, "/api/privacy-check", public, (*server).handlePrivacyCheck},
	{"ws.session", fiber.MethodGet, "/ws/sessions/:id", public, (*server).handleLiveSocket},
	{"report", fiber.MethodGet, "/s/:id/report", anyAccount, (*server).handleReport},
	{"insights", fiber.MethodGet, "/p/:project/insights", outcomeReaders, (*server).handleInsights},
	{"insights.csv", fiber.MethodGet, "/p/:project/insights.csv", outcomeReaders, (*server).handleInsightsCSV},
	{"api.insights", fiber.MethodGet, "/api/projects/:project/insights", outcomeReaders, (*server).handleAPIInsights},
	{"report.csv", fiber.MethodGet, "/s/:id/export.csv", anyAccount, (*server).handleExportCSV},
	{"report.charts", fiber.MethodGet, "/s/:id/charts.zip", anyAccount, (*server).handleReportChartsZip},
	{"report.chart", fiber.MethodGet, "/s/:id/charts/:file", anyAccount, (*server).handleReportChart},

	// Machine endpoints.
	{"healthz", fiber.MethodGet, "/healthz", public, (*server).handleHealth},
	{"security.txt", fiber.MethodGet, "/.well-known/security.txt", public, (*server).handleSecurityTxt},
	{"static", fiber.MethodGet, "/static/*", public, (*server).handleStatic},
	{"api.me", fiber.MethodGet, "/api/me", anyAccount, (*server).handleMe},
	{"api.projects", fiber.MethodGet, "/api/projects", anyAccount, (*server).handleAPIProjects},
	{"api.chart", fiber.MethodGet, "/api/sets/:set/clusters/:cluster/charts/:variable", anyAccount, (*server).handleChartOptions},
	{"api.compare", fiber.MethodGet, "/api/sets/:set/compare/:variable", anyAccount, (*server).handleCompareOptions},

	// Websockets.
	{"ws.ping", fiber.MethodGet, "/ws/ping", anyAccount, (*server).handlePingSocket},
}

// routes mounts every route of routeTable behind its access check.
func (s *server) routes(app *fiber.App) {
	for _, r := range routeTable {
		app.Add(r.method, r.path, s.authorize(r.access), r.handler(s))
	}
}

// routePaths maps every route's name to its path pattern. It is filled in
// init: handlers in routeTable build links through it, which a variable
// initializer could not express without a cycle.
var routePaths map[string]string

func init() {
	routePaths = make(map[string]string, len(routeTable))
	for _, r := range routeTable {
		if _, dup := routePaths[r.name]; dup {
			panic("server: two routes named " + r.name)
		}
		routePaths[r.name] = r.path
	}
}

// urlFor builds the path of the route called name, filling its parameters
// in order, each escaped as a path segment. Templates call it as
// {{url "set" .Project.Slug .Set.ID}}.
func urlFor(name string, params ...any) (string, error) {
	pattern, ok := routePaths[name]
	if !ok {
		return "", fmt.Errorf("url: no route named %q", name)
	}
	segments := strings.Split(pattern, "/")
	next := 0
	for i, seg := range segments {
		if !strings.HasPrefix(seg, ":") {
			continue
		}
		if next >= len(params) {
			return "", fmt.Errorf("url %q: missing parameter %s", name, seg)
		}
		segments[i] = url.PathEscape(paramString(params[next]))
		next++
	}
	if next != len(params) {
		return "", fmt.Errorf("url %q: %d parameters for %d places", name, len(params), next)
	}
	return strings.Join(segments, "/"), nil
}

// mustURL is urlFor for handlers, whose route names are constants.
func mustURL(name string, params ...any) string {
	u, err := urlFor(name, params...)
	if err != nil {
		panic(err)
	}
	return u
}

func paramString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	}
	return fmt.Sprint(v)
}
