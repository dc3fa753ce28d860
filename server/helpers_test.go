package server

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
	"atelier/internal/testutil"
	"atelier/profiles"
	"atelier/sessions"
	"atelier/store"
)

const testPassword = "correct horse battery"

// testServer is a real Atelier server on 127.0.0.1:0 over a real SQLite file.
type testServer struct {
	URL      string
	App      *fiber.App
	DB       *store.DB
	DataDir  string
	Accounts *accounts.Store
	Profiles *profiles.Store
	Hub      *sessions.Hub
	Sessions *sessions.Store
	Live     *sessions.Live
	Logs     *testutil.SyncBuffer
	Users    map[accounts.Role]*accounts.User
	Steward2 *accounts.User
	Project  *profiles.Project
}

// testPasswordCost is argon2id at its cheapest: under the race detector a
// hash at the default cost takes most of a second, and the tests log in
// hundreds of times. What the hash protects is tested at the default cost
// in accounts; here only the logins matter.
var testPasswordCost = accounts.PasswordCost{MemoryKiB: 64, Passes: 1}

// newTestServer starts a real Atelier on 127.0.0.1:0 over a real SQLite
// file, wired by Open exactly as `atelier serve` is, with a project and an
// account of every role (and a second steward) as members.
func newTestServer(t testing.TB, mutate ...func(*Config)) *testServer {
	t.Helper()
	ctx := context.Background()
	dataDir := t.TempDir()
	cfg := DefaultConfig()
	cfg.Version = "test"
	for _, m := range mutate {
		m(&cfg)
	}
	logs := &testutil.SyncBuffer{}
	inst, err := Open(ctx, cfg, dataDir, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	inst.Accounts.SetPasswordCost(testPasswordCost)
	ts := &testServer{App: inst.App, DB: inst.DB, DataDir: dataDir, Accounts: inst.Accounts, Profiles: inst.Profiles, Hub: inst.Hub,
		Sessions: inst.Sessions, Live: inst.Live, Logs: logs, Users: map[accounts.Role]*accounts.User{}}
	ts.Project, err = ts.Profiles.CreateProject(ctx, "test-project", "Testproject", "Testen van Atelier.", "test", "system")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range accounts.Roles {
		u, err := ts.Accounts.CreateUser(ctx, string(r)+"@example.test", r, testPassword, accounts.Actor{Name: "test", Origin: "system"})
		if err != nil {
			t.Fatal(err)
		}
		ts.Users[r] = u
		if err := ts.Profiles.AddMember(ctx, ts.Project.ID, u.ID); err != nil {
			t.Fatal(err)
		}
	}
	// A second steward, for the four-eyes rule.
	ts.Steward2, err = ts.Accounts.CreateUser(ctx, "steward2@example.test", accounts.Steward, testPassword, accounts.Actor{Name: "test", Origin: "system"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.Profiles.AddMember(ctx, ts.Project.ID, ts.Steward2.ID); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	serveCtx, stop := context.WithCancel(ctx)
	ready := make(chan string, 1)
	served := make(chan error, 1)
	go func() { served <- inst.Serve(serveCtx, ln, "http", func(url string) { ready <- url }) }()
	ts.URL = <-ready
	t.Cleanup(func() {
		stop()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return ts
}

// client is a browser-like HTTP client: a cookie jar, no automatic
// redirects (tests look at them).
func (ts *testServer) client(t testing.TB) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{
		Jar:     jar,
		Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrfFrom fetches a page and returns the CSRF token of its first form.
func (ts *testServer) csrfFrom(t testing.TB, c *http.Client, path string) string {
	t.Helper()
	_, body := ts.get(t, c, path)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on %s", path)
	}
	return m[1]
}

// login logs c in as the account of role r.
func (ts *testServer) login(t testing.TB, c *http.Client, r accounts.Role) {
	t.Helper()
	ts.loginAs(t, c, string(r)+"@example.test")
}

// loginAs logs c in as the account with that e-mail address.
func (ts *testServer) loginAs(t testing.TB, c *http.Client, email string) {
	t.Helper()
	res := ts.postForm(t, c, "/login", url.Values{
		"_csrf": {ts.csrfFrom(t, c, "/login")}, "email": {email}, "password": {testPassword},
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login as %s: status %d", email, res.StatusCode)
	}
}

func (ts *testServer) get(t testing.TB, c *http.Client, path string) (*http.Response, string) {
	t.Helper()
	res, err := c.Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func (ts *testServer) postForm(t testing.TB, c *http.Client, path string, form url.Values) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}
