package server

import (
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
)

// route is one endpoint: method, path, who may use it and what answers.
type route struct {
	method  string
	path    string
	access  access
	handler fiber.Handler
}

// routes lists every endpoint in one place.
func (s *server) routes(app *fiber.App) {
	table := []route{
		// Pages.
		{fiber.MethodGet, "/", public, s.handleHome()},
		{fiber.MethodGet, "/login", public, s.handleLoginForm()},
		{fiber.MethodPost, "/login", public, s.handleLogin()},
		{fiber.MethodPost, "/logout", anyAccount, s.handleLogout()},
		{fiber.MethodGet, "/lang/:lang", public, s.handleLanguage()},
		{fiber.MethodGet, "/admin/users", adminOnly, s.handleUsers()},
		{fiber.MethodPost, "/admin/users/:id/role", adminOnly, s.handleUserRole()},

		// Projects and profile sets. The profiles store decides which sets
		// a viewer sees; the access here only says who may ask.
		{fiber.MethodGet, "/p/:project", anyAccount, s.handleProject()},
		{fiber.MethodGet, "/p/:project/import", stewardsOnly, s.handleImportForm()},
		{fiber.MethodPost, "/p/:project/import", stewardsOnly, s.handleImport()},
		{fiber.MethodGet, "/p/:project/sets/:set", anyAccount, s.handleSet()},
		{fiber.MethodPost, "/p/:project/sets/:set/approve", stewardsOnly, s.handleSetDecision("approve")},
		{fiber.MethodPost, "/p/:project/sets/:set/reject", stewardsOnly, s.handleSetDecision("reject")},
		{fiber.MethodPost, "/p/:project/sets/:set/withdraw", stewardsOnly, s.handleSetDecision("withdraw")},
		{fiber.MethodGet, "/p/:project/sets/:set/clusters/:cluster", anyAccount, s.handleCluster()},
		{fiber.MethodGet, "/p/:project/sets/:set/compare", anyAccount, s.handleCompare()},

		// Live sessions. Participants have no account: the routes they use
		// are public and check the participant cookie themselves.
		{fiber.MethodGet, "/p/:project/sessions", anyAccount, s.handleSessions()},
		{fiber.MethodPost, "/p/:project/sessions", facilitators, s.handleSessionCreate()},
		{fiber.MethodGet, "/s/:id/console", facilitators, s.handleConsole()},
		{fiber.MethodGet, "/s/:id/wall", facilitators, s.handleWall()},
		{fiber.MethodPost, "/s/:id/open", facilitators, s.handleSessionStateForm(true)},
		{fiber.MethodPost, "/s/:id/close", facilitators, s.handleSessionStateForm(false)},
		{fiber.MethodGet, "/s/:id", public, s.handlePhone()},
		{fiber.MethodGet, "/j", public, s.handleJoinForm()},
		{fiber.MethodGet, "/j/:code", public, s.handleJoinForm()},
		{fiber.MethodPost, "/j", public, s.handleJoin()},
		{fiber.MethodPost, "/api/sessions", facilitators, s.handleAPISessionCreate()},
		{fiber.MethodGet, "/api/sessions/:id", facilitators, s.handleAPISessionGet()},
		{fiber.MethodPost, "/api/sessions/:id/open", facilitators, s.handleAPISessionState(true)},
		{fiber.MethodPost, "/api/sessions/:id/close", facilitators, s.handleAPISessionState(false)},
		{fiber.MethodPost, "/api/join", public, s.handleAPIJoin()},
		{fiber.MethodPost, "/api/privacy-check", public, s.handlePrivacyCheck()},
		{fiber.MethodGet, "/ws/sessions/:id", public, s.handleLiveSocket()},
		{fiber.MethodGet, "/s/:id/report", anyAccount, s.handleReport()},
		{fiber.MethodGet, "/s/:id/export.csv", anyAccount, s.handleExportCSV()},
		{fiber.MethodGet, "/s/:id/charts.zip", anyAccount, s.handleReportChartsZip()},
		{fiber.MethodGet, "/s/:id/charts/:file", anyAccount, s.handleReportChart()},

		// Machine endpoints.
		{fiber.MethodGet, "/healthz", public, s.handleHealth()},
		{fiber.MethodGet, "/.well-known/security.txt", public, s.handleSecurityTxt()},
		{fiber.MethodGet, "/static/*", public, s.handleStatic()},
		{fiber.MethodGet, "/api/me", anyAccount, s.handleMe()},
		{fiber.MethodGet, "/api/projects", anyAccount, s.handleAPIProjects()},
		{fiber.MethodGet, "/api/sets/:set/clusters/:cluster/charts/:variable", anyAccount, s.handleChartOptions()},
		{fiber.MethodGet, "/api/sets/:set/compare/:variable", anyAccount, s.handleCompareOptions()},

		// Websockets.
		{fiber.MethodGet, "/ws/ping", anyAccount, s.handlePingSocket()},
	}
	for _, r := range table {
		app.Add(r.method, r.path, s.authorize(r.access), r.handler)
	}
}
