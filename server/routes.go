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

		// Machine endpoints.
		{fiber.MethodGet, "/healthz", public, s.handleHealth()},
		{fiber.MethodGet, "/.well-known/security.txt", public, s.handleSecurityTxt()},
		{fiber.MethodGet, "/static/*", public, s.handleStatic()},
		{fiber.MethodGet, "/api/me", anyAccount, s.handleMe()},

		// Websockets.
		{fiber.MethodGet, "/ws/ping", anyAccount, s.handlePingSocket()},
	}
	for _, r := range table {
		app.Add(r.method, r.path, s.authorize(r.access), r.handler)
	}
}
