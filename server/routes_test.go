package server

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"atelier/accounts"
	"atelier/assets"
)

// viewer is a role, or "anonymous".
type viewer string

const anonymous viewer = "anonymous"

// TestRouteAccess requests every route as every role, anonymous included,
// and checks the status. A route added without a row here fails the test:
// deciding who may use it is part of adding it.
func TestRouteAccess(t *testing.T) {
	ts := newTestServer(t)

	const (
		ok        = http.StatusOK
		redirect  = http.StatusSeeOther
		toLogin   = -1 // a page that sends anonymous visitors to the login form
		denied    = http.StatusForbidden
		unauth    = http.StatusUnauthorized
		upgrade   = http.StatusSwitchingProtocols
		noUpgrade = http.StatusBadRequest // a socket route asked without an upgrade
	)
	all := func(s int) map[viewer]int {
		m := map[viewer]int{anonymous: s}
		for _, r := range accounts.Roles {
			m[viewer(r)] = s
		}
		return m
	}
	accountsOnly := func(s int, anon int) map[viewer]int {
		m := all(s)
		m[anonymous] = anon
		return m
	}
	adminOnly := func(s int, anon int) map[viewer]int {
		m := all(denied)
		m[viewer(accounts.Admin)] = s
		m[anonymous] = anon
		return m
	}
	stewardOnly := func(s int, anon int) map[viewer]int {
		m := all(denied)
		m[viewer(accounts.Steward)] = s
		m[anonymous] = anon
		return m
	}
	// A role change ends the target's sessions: aim it at an account no
	// client of this test uses.
	target, err := ts.Accounts.CreateUser(t.Context(), "target@example.test", accounts.Policymaker, testPassword, accounts.Actor{Name: "test", Origin: "system"})
	if err != nil {
		t.Fatal(err)
	}

	// Disabling, enabling and new links each get an account of their own,
	// so that the order the rows run in does not matter; archiving gets a
	// project of its own, so that the test project keeps taking sessions.
	others := map[string]*accounts.User{}
	for _, name := range []string{"disable", "enable", "reset"} {
		u, err := ts.Accounts.CreateUser(t.Context(), name+"@example.test", accounts.Facilitator, testPassword, accounts.Actor{Name: "test", Origin: "system"})
		if err != nil {
			t.Fatal(err)
		}
		others[name] = u
	}
	if _, err := ts.Profiles.CreateProject(t.Context(), "other-project", "Ander project", "Testen van archiveren.", "test", "system"); err != nil {
		t.Fatal(err)
	}
	gone := http.StatusNotFound // setup pages once an administrator exists, unknown links

	facilitatorsOnly := func(s int, anon int) map[viewer]int {
		m := all(denied)
		m[viewer(accounts.Facilitator)] = s
		m[viewer(accounts.Admin)] = s
		m[anonymous] = anon
		return m
	}
	readers := func(s int, anon int) map[viewer]int {
		m := all(denied)
		for _, r := range []accounts.Role{accounts.Policymaker, accounts.Facilitator, accounts.Admin} {
			m[viewer(r)] = s
		}
		m[anonymous] = anon
		return m
	}
	type row struct {
		path   string // a concrete path for the route's pattern
		form   url.Values
		expect map[viewer]int
		json   string // for POSTs under /api/: the JSON body
	}
	table := map[string]row{
		"GET /":                                                 {"/", nil, all(ok), ""},
		"GET /login":                                            {"/login", nil, accountsOnly(redirect, ok), ""},
		"POST /login":                                           {"/login", url.Values{"email": {"nobody@example.test"}, "password": {"wrong-password"}}, all(unauth), ""},
		"POST /logout":                                          {"/logout", url.Values{}, accountsOnly(redirect, toLogin), ""},
		"GET /lang/:lang":                                       {"/lang/en?next=/", nil, all(redirect), ""},
		"GET /setup/:token":                                     {"/setup/not-a-token", nil, all(gone), ""},
		"POST /setup/:token":                                    {"/setup/not-a-token", url.Values{"email": {"x@example.test"}, "password": {"long enough password"}, "password_again": {"long enough password"}}, all(gone), ""},
		"GET /invite/:token":                                    {"/invite/not-a-token", nil, all(gone), ""},
		"POST /invite/:token":                                   {"/invite/not-a-token", url.Values{"password": {"long enough password"}, "password_again": {"long enough password"}}, all(gone), ""},
		"POST /admin/users":                                     {"/admin/users", url.Values{}, adminOnly(http.StatusBadRequest, toLogin), ""},
		"POST /admin/users/:id/disable":                         {"/admin/users/" + itoa64(others["disable"].ID) + "/disable", url.Values{}, adminOnly(redirect, toLogin), ""},
		"POST /admin/users/:id/enable":                          {"/admin/users/" + itoa64(others["enable"].ID) + "/enable", url.Values{}, adminOnly(redirect, toLogin), ""},
		"POST /admin/users/:id/reset":                           {"/admin/users/" + itoa64(others["reset"].ID) + "/reset", url.Values{}, adminOnly(ok, toLogin), ""},
		"GET /admin/projects/new":                               {"/admin/projects/new", nil, adminOnly(ok, toLogin), ""},
		"POST /admin/projects":                                  {"/admin/projects", url.Values{}, adminOnly(http.StatusBadRequest, toLogin), ""},
		"GET /p/:project/settings":                              {"/p/test-project/settings", nil, adminOnly(ok, toLogin), ""},
		"POST /p/:project/settings":                             {"/p/test-project/settings", url.Values{}, adminOnly(http.StatusBadRequest, toLogin), ""},
		"POST /p/:project/archive":                              {"/p/other-project/archive", url.Values{"archived": {"1"}}, adminOnly(redirect, toLogin), ""},
		"GET /p/:project/members":                               {"/p/test-project/members", nil, adminOnly(ok, toLogin), ""},
		"POST /p/:project/members":                              {"/p/test-project/members", url.Values{}, adminOnly(http.StatusNotFound, toLogin), ""},
		"POST /p/:project/members/:user":                        {"/p/test-project/members/999", url.Values{"role": {"policymaker"}}, adminOnly(http.StatusNotFound, toLogin), ""},
		"POST /p/:project/members/:user/remove":                 {"/p/test-project/members/999/remove", url.Values{}, adminOnly(http.StatusNotFound, toLogin), ""},
		"GET /admin/users":                                      {"/admin/users", nil, adminOnly(ok, toLogin), ""},
		"POST /admin/users/:id/role":                            {"/admin/users/" + itoa64(target.ID) + "/role", url.Values{"role": {"policymaker"}}, adminOnly(redirect, toLogin), ""},
		"GET /p/:project":                                       {"/p/test-project", nil, accountsOnly(ok, toLogin), ""},
		"GET /p/:project/import":                                {"/p/test-project/import", nil, stewardOnly(ok, toLogin), ""},
		"POST /p/:project/import":                               {"/p/test-project/import", url.Values{}, stewardOnly(http.StatusBadRequest, toLogin), ""},
		"GET /p/:project/sets/:set":                             {"/p/test-project/sets/999", nil, accountsOnly(http.StatusNotFound, toLogin), ""},
		"POST /p/:project/sets/:set/approve":                    {"/p/test-project/sets/999/approve", url.Values{}, stewardOnly(http.StatusNotFound, toLogin), ""},
		"POST /p/:project/sets/:set/reject":                     {"/p/test-project/sets/999/reject", url.Values{}, stewardOnly(http.StatusNotFound, toLogin), ""},
		"POST /p/:project/sets/:set/withdraw":                   {"/p/test-project/sets/999/withdraw", url.Values{}, stewardOnly(http.StatusNotFound, toLogin), ""},
		"POST /p/:project/sets/:set/labels":                     {"/p/test-project/sets/999/labels", url.Values{}, stewardOnly(http.StatusNotFound, toLogin), ""},
		"GET /p/:project/sets/:set/clusters/:cluster":           {"/p/test-project/sets/999/clusters/A", nil, accountsOnly(http.StatusNotFound, toLogin), ""},
		"GET /p/:project/sets/:set/compare":                     {"/p/test-project/sets/999/compare", nil, accountsOnly(http.StatusNotFound, toLogin), ""},
		"GET /api/projects":                                     {"/api/projects", nil, accountsOnly(ok, unauth), ""},
		"GET /api/sets/:set/clusters/:cluster/charts/:variable": {"/api/sets/999/clusters/A/charts/x", nil, accountsOnly(http.StatusNotFound, unauth), ""},
		"GET /api/sets/:set/compare/:variable":                  {"/api/sets/999/compare/x?c=A", nil, accountsOnly(http.StatusNotFound, unauth), ""},
		"GET /p/:project/sessions":                              {"/p/test-project/sessions", nil, accountsOnly(ok, toLogin), ""},
		"POST /p/:project/sessions":                             {"/p/test-project/sessions", url.Values{}, facilitatorsOnly(http.StatusBadRequest, toLogin), ""},
		"GET /s/:id/wall":                                       {"/s/999/wall", nil, facilitatorsOnly(http.StatusNotFound, toLogin), ""},
		"GET /s/:id/console":                                    {"/s/999/console", nil, facilitatorsOnly(http.StatusNotFound, toLogin), ""},
		"POST /s/:id/open":                                      {"/s/999/open", url.Values{}, facilitatorsOnly(http.StatusNotFound, toLogin), ""},
		"POST /s/:id/close":                                     {"/s/999/close", url.Values{}, facilitatorsOnly(http.StatusNotFound, toLogin), ""},
		"GET /s/:id":                                            {"/s/999", nil, all(redirect), ""},
		"GET /j":                                                {"/j", nil, all(ok), ""},
		"GET /j/:code":                                          {"/j/K7M2QX9A", nil, all(ok), ""},
		"POST /j":                                               {"/j", url.Values{"code": {"AAAAAAAA"}, "role": {"parent"}}, all(http.StatusNotFound), ""},
		"POST /api/sessions":                                    {"/api/sessions", nil, facilitatorsOnly(http.StatusNotFound, unauth), `{"project":"nope"}`},
		"GET /api/sessions/:id":                                 {"/api/sessions/999", nil, facilitatorsOnly(http.StatusNotFound, unauth), ""},
		"GET /api/sessions/:id/wall":                            {"/api/sessions/999/wall", nil, facilitatorsOnly(http.StatusNotFound, unauth), ""},
		"POST /api/sessions/:id/open":                           {"/api/sessions/999/open", nil, facilitatorsOnly(http.StatusNotFound, unauth), `{}`},
		"POST /api/sessions/:id/close":                          {"/api/sessions/999/close", nil, facilitatorsOnly(http.StatusNotFound, unauth), `{}`},
		"POST /api/join":                                        {"/api/join", nil, all(http.StatusNotFound), `{"code":"AAAAAAAA","role":"parent"}`},
		"POST /api/privacy-check":                               {"/api/privacy-check", nil, all(ok), `{"text":"bel 06-12345678"}`},
		"GET /ws/sessions/:id":                                  {"/ws/sessions/999", nil, all(http.StatusNotFound), ""},
		"GET /s/:id/report":                                     {"/s/999/report", nil, accountsOnly(http.StatusNotFound, toLogin), ""},
		"POST /s/:id/agenda":                                    {"/s/999/agenda", url.Values{"phase": {"verkennen"}, "minutes": {"10"}}, facilitatorsOnly(http.StatusNotFound, toLogin), ""},
		"POST /s/:id/template":                                  {"/s/999/template", url.Values{"name": {"x"}}, facilitatorsOnly(http.StatusNotFound, toLogin), ""},
		"POST /p/:project/templates/:template/start":            {"/p/test-project/templates/999/start", url.Values{}, facilitatorsOnly(http.StatusNotFound, toLogin), ""},
		"GET /p/:project/insights":                              {"/p/test-project/insights", nil, readers(ok, toLogin), ""},
		"GET /p/:project/insights.csv":                          {"/p/test-project/insights.csv", nil, readers(ok, toLogin), ""},
		"GET /api/projects/:project/insights":                   {"/api/projects/test-project/insights", nil, readers(ok, unauth), ""},
		"GET /s/:id/export.csv":                                 {"/s/999/export.csv", nil, accountsOnly(http.StatusNotFound, toLogin), ""},
		"GET /s/:id/charts.zip":                                 {"/s/999/charts.zip", nil, accountsOnly(http.StatusNotFound, toLogin), ""},
		"GET /s/:id/charts/:file":                               {"/s/999/charts/A-huishoudtype.svg", nil, accountsOnly(http.StatusNotFound, toLogin), ""},
		"GET /healthz":                                          {"/healthz", nil, all(ok), ""},
		"GET /.well-known/security.txt":                         {"/.well-known/security.txt", nil, all(ok), ""},
		"GET /static/*":                                         {assetURL(t, "css/atelier.css"), nil, all(ok), ""},
		"GET /api/me":                                           {"/api/me", nil, accountsOnly(ok, unauth), ""},
		"GET /admin/audit":                                      {"/admin/audit", nil, adminOnly(ok, toLogin), ""},
		"POST /admin/audit/retention":                           {"/admin/audit/retention", url.Values{"days": {"2557"}}, adminOnly(redirect, toLogin), ""},
		"GET /admin/audit/export":                               {"/admin/audit/export", nil, adminOnly(ok, toLogin), ""},
		"GET /p/:project/retention":                             {"/p/test-project/retention", nil, adminOnly(ok, toLogin), ""},
		"POST /p/:project/retention":                            {"/p/test-project/retention", url.Values{"reason": {"kort"}}, adminOnly(http.StatusBadRequest, toLogin), ""},
		"GET /p/:project/algoritme":                             {"/p/test-project/algoritme", nil, adminOnly(ok, toLogin), ""},
		"POST /p/:project/algoritme":                            {"/p/test-project/algoritme", url.Values{"organization": {"Gemeente Testdorp"}}, adminOnly(redirect, toLogin), ""},
		"GET /algoritme/:project":                               {"/algoritme/test-project", nil, all(ok), ""},
		"GET /privacy":                                          {"/privacy", nil, all(ok), ""},
		"GET /ws/ping":                                          {"/ws/ping", nil, accountsOnly(noUpgrade, unauth), ""},
	}

	// Every mounted route must have a row, and every row a route.
	mounted := map[string]bool{}
	for _, r := range ts.App.GetRoutes(true) {
		if r.Method == http.MethodHead {
			continue
		}
		mounted[r.Method+" "+r.Path] = true
	}
	var missing []string
	for k := range mounted {
		if _, ok := table[k]; !ok {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("routes without an access row in TestRouteAccess: %s", strings.Join(missing, ", "))
	}
	for k := range table {
		if !mounted[k] {
			t.Errorf("access row %q names no mounted route", k)
		}
	}

	viewers := []viewer{anonymous}
	for _, r := range accounts.Roles {
		viewers = append(viewers, viewer(r))
	}
	// One logged-in client per role serves every row but logout, which
	// gets a fresh login: hashing passwords dominates this test's time.
	endsSession := map[string]bool{"POST /logout": true}
	clients := map[viewer]*http.Client{}
	clientFor := func(t *testing.T, v viewer, key string) *http.Client {
		if c, ok := clients[v]; ok && !endsSession[key] {
			return c
		}
		c := ts.client(t)
		if v != anonymous {
			ts.login(t, c, accounts.Role(v))
		}
		if !endsSession[key] {
			clients[v] = c
		}
		return c
	}
	for key, rw := range table {
		method := strings.SplitN(key, " ", 2)[0]
		for _, v := range viewers {
			t.Run(key+"/"+string(v), func(t *testing.T) {
				c := clientFor(t, v, key)
				var res *http.Response
				if method == http.MethodPost && rw.json != "" {
					req, _ := http.NewRequest(http.MethodPost, ts.URL+rw.path, strings.NewReader(rw.json))
					req.Header.Set("Content-Type", "application/json")
					var err error
					if res, err = c.Do(req); err != nil {
						t.Fatal(err)
					}
					res.Body.Close()
				} else if method == http.MethodPost {
					form := url.Values{}
					for k, vs := range rw.form {
						form[k] = vs
					}
					if v == anonymous {
						form.Set("_csrf", ts.csrfFrom(t, c, "/login"))
					} else {
						form.Set("_csrf", ts.csrfFrom(t, c, "/"))
					}
					res = ts.postForm(t, c, rw.path, form)
				} else {
					res, _ = ts.get(t, c, rw.path)
				}
				want := rw.expect[v]
				if want == toLogin {
					if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusUnauthorized && res.StatusCode != http.StatusForbidden {
						t.Fatalf("status = %d, want a redirect to login or a refusal", res.StatusCode)
					}
					if res.StatusCode == http.StatusSeeOther && !strings.HasPrefix(res.Header.Get("Location"), "/login") {
						t.Fatalf("redirect to %q, want /login", res.Header.Get("Location"))
					}
					return
				}
				if res.StatusCode != want {
					t.Fatalf("status = %d, want %d", res.StatusCode, want)
				}
			})
		}
	}
}

// assetURL returns the hashed URL of a static file, as pages link it.
func assetURL(t testing.TB, name string) string {
	t.Helper()
	s, err := assets.LoadStatic()
	if err != nil {
		t.Fatal(err)
	}
	return s.URL(name)
}

// TestURLFor: links are built from route names, parameters escaped as
// path segments, and a wrong name or count of parameters is an error
// rather than a broken link.
func TestURLFor(t *testing.T) {
	tests := []struct {
		name   string
		params []any
		want   string
		ok     bool
	}{
		{"home", nil, "/", true},
		{"cluster", []any{"demo", int64(3), "C 1/x"}, "/p/demo/sets/3/clusters/C%201%2Fx", true},
		{"console", []any{int64(7)}, "/s/7/console", true},
		{"console", nil, "", false},
		{"console", []any{int64(7), int64(8)}, "", false},
		{"nonsense", nil, "", false},
	}
	for _, tt := range tests {
		got, err := urlFor(tt.name, tt.params...)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("urlFor(%q, %v) = %q, %v; want %q, ok %v", tt.name, tt.params, got, err, tt.want, tt.ok)
		}
	}
}
