package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"atelier/accounts"
)

// apiScenario is one request to the JSON API of docs/api.md and what must
// come back, in the style of pocketbase's ApiScenario: a table of these per
// endpoint, each run against a real server on a real SQLite file.
type apiScenario struct {
	name    string
	method  string            // GET when empty
	url     string            // a path on the server
	body    string            // JSON; with a body (or a method other than GET) the request is JSON from the server's own origin
	headers map[string]string // set after those defaults; an empty value removes one
	as      viewer            // who asks: anonymous (the default), an account role, or stranger
	client  *http.Client      // who asks, when it is no account: a participant, a visitor with a history

	expectedStatus     int
	expectedError      string   // the JSON error code; the body must be {"error":{"code":…,"message":…}}
	expectedContent    []string // fragments of the body (JSON is compacted first)
	notExpectedContent []string

	before func(t *testing.T, fx *apiFixture)
	after  func(t *testing.T, fx *apiFixture, res *http.Response, body string)
}

// stranger is a facilitator of another project only: the test project's
// sessions and sets do not exist for them.
const stranger viewer = "stranger"

// Shorthands for the account roles.
const (
	asAdmin       = viewer(accounts.Admin)
	asSteward     = viewer(accounts.Steward)
	asFacilitator = viewer(accounts.Facilitator)
	asPolicy      = viewer(accounts.Policymaker)
)

// apiFixture is the world the scenarios run in: the test server with the
// test project, its test set imported and approved (set), the same file
// imported once more and left pending (pendingSet), another project with a
// facilitator of its own (the stranger), and a logged-in client per
// viewer, made on first use.
type apiFixture struct {
	*testServer
	set, pendingSet int64
	clients         map[viewer]*http.Client
}

func newAPIFixture(t *testing.T) *apiFixture {
	t.Helper()
	ts := newTestServer(t)
	fx := &apiFixture{testServer: ts, clients: map[viewer]*http.Client{}}
	setPath := ts.importTestSet(t)
	second := ts.client(t)
	ts.loginAs(t, second, "steward2@example.test")
	ts.postForm(t, second, setPath+"/approve", url.Values{"_csrf": {ts.csrfFrom(t, second, setPath)}})
	fx.set = setID(t, setPath)
	fx.pendingSet = setID(t, ts.importTestSet(t))

	other, err := ts.Profiles.CreateProject(t.Context(), "other-project", "Ander project", "Iets anders.", "test", "system")
	if err != nil {
		t.Fatal(err)
	}
	u, err := ts.Accounts.CreateUser(t.Context(), "stranger@example.test", accounts.Facilitator, testPassword, accounts.Actor{Name: "test", Origin: "system"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.Profiles.AddMember(t.Context(), other.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	return fx
}

func setID(t *testing.T, setPath string) int64 {
	t.Helper()
	m := setLocation.FindStringSubmatch(setPath)
	if m == nil {
		t.Fatalf("set path %q", setPath)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// clientFor returns v's client: a new one for anonymous, a logged-in one
// (kept for the next scenario) for an account.
func (fx *apiFixture) clientFor(t *testing.T, v viewer) *http.Client {
	t.Helper()
	if v == "" || v == anonymous {
		return fx.client(t)
	}
	if c, ok := fx.clients[v]; ok {
		return c
	}
	c := fx.client(t)
	if v == stranger {
		fx.loginAs(t, c, "stranger@example.test")
	} else {
		fx.login(t, c, accounts.Role(v))
	}
	fx.clients[v] = c
	return c
}

// session creates a session on the test project's clusters B and C, as the
// facilitator, and takes it to state (draft, open or closed). It returns
// its id, and its join code while open (the code it had, once closed).
func (fx *apiFixture) session(t *testing.T, state string) (int64, string) {
	t.Helper()
	fac := fx.clientFor(t, asFacilitator)
	var s struct {
		ID   int64   `json:"id"`
		Code *string `json:"code"`
	}
	if st := fx.postJSON(t, fac, "/api/sessions", map[string]any{"project": "test-project", "title": "Werksessie " + state,
		"question": "Hoe kunnen we gezinnen eerder helpen?", "clusters": []string{"B", "C"}}, &s); st != http.StatusCreated {
		t.Fatalf("create session: %d", st)
	}
	var code string
	if state == "open" || state == "closed" {
		if st := fx.postJSON(t, fac, "/api/sessions/"+itoa64(s.ID)+"/open", map[string]any{}, &s); st != http.StatusOK || s.Code == nil {
			t.Fatalf("open session: %d", st)
		}
		code = *s.Code
	}
	if state == "closed" {
		if st := fx.postJSON(t, fac, "/api/sessions/"+itoa64(s.ID)+"/close", map[string]any{}, nil); st != http.StatusOK {
			t.Fatalf("close session: %d", st)
		}
	}
	return s.ID, code
}

// runScenarios runs each scenario as a subtest, in order.
func runScenarios(t *testing.T, fx *apiFixture, scenarios []apiScenario) {
	t.Helper()
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) { s.run(t, fx) })
	}
}

func (s apiScenario) run(t *testing.T, fx *apiFixture) {
	if s.expectedStatus == 0 {
		t.Fatal("a scenario must say which status it expects")
	}
	if s.before != nil {
		s.before(t, fx)
	}
	method := s.method
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequest(method, fx.URL+s.url, strings.NewReader(s.body))
	if err != nil {
		t.Fatal(err)
	}
	if s.body != "" || method != http.MethodGet {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", fx.URL)
	}
	for k, v := range s.headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	c := s.client
	if c == nil {
		c = fx.clientFor(t, s.as)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	body := string(raw)
	var compact bytes.Buffer
	if json.Compact(&compact, raw) == nil {
		body = compact.String()
	}

	if res.StatusCode != s.expectedStatus {
		t.Errorf("status %d, want %d; body %.500s", res.StatusCode, s.expectedStatus, body)
	}
	if s.expectedError != "" {
		var e struct {
			Error struct{ Code, Message string }
		}
		if !strings.Contains(res.Header.Get("Content-Type"), "json") || json.Unmarshal(raw, &e) != nil ||
			e.Error.Code != s.expectedError || e.Error.Message == "" {
			t.Errorf("want error %q with a message, got %s (%s)", s.expectedError, body, res.Header.Get("Content-Type"))
		}
	}
	for _, want := range s.expectedContent {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %s\n%.1000s", want, body)
		}
	}
	for _, unwanted := range s.notExpectedContent {
		if strings.Contains(body, unwanted) {
			t.Errorf("body holds %s\n%.1000s", unwanted, body)
		}
	}
	if s.after != nil {
		s.after(t, fx, res, body)
	}
}

// TestAPI runs the scenarios of every endpoint of docs/api.md on one
// server: each scenario that changes something makes its own session or
// client first, so that the order does not matter. Each documented error
// answer has a scenario: invalid (400, and 415 for a body that is not
// JSON), unauthorized (401), forbidden (403, also for a foreign Origin),
// not_found (404), conflict (409), too_large (413) and too_many (429).
func TestAPI(t *testing.T) {
	fx := newAPIFixture(t)
	for _, group := range []struct {
		name      string
		scenarios func(*testing.T, *apiFixture) []apiScenario
	}{
		{"healthz", healthScenarios},
		{"me", meScenarios},
		{"projects", projectScenarios},
		{"chart-options", chartOptionScenarios},
		{"session-create", sessionCreateScenarios},
		{"session-get", sessionGetScenarios},
		{"session-open", sessionOpenScenarios},
		{"session-close", sessionCloseScenarios},
		{"join", joinScenarios},
		{"privacy-check", privacyCheckScenarios},
		{"report-charts", reportChartScenarios},
	} {
		t.Run(group.name, func(t *testing.T) { runScenarios(t, fx, group.scenarios(t, fx)) })
	}
}
