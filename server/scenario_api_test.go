package server

import (
	"net/http"
	"strings"
	"testing"
)

// The other endpoints of docs/api.md: health, the account, projects,
// chart options, joining, the privacy check and a closed session's chart
// images. The sessions endpoints are in scenario_sessions_test.go.

func healthScenarios(t *testing.T, fx *apiFixture) []apiScenario {
	return []apiScenario{{
		name: "healthy", url: "/healthz",
		expectedStatus: http.StatusOK, expectedContent: []string{`"audit":"verified"`, `"database":"ok","status":"ok","version":"test"}`},
	}}
}

// TestAPIHealthWithoutDatabase: when the database does not answer, the
// health check says so with 503, for a load balancer to act on.
func TestAPIHealthWithoutDatabase(t *testing.T) {
	fx := &apiFixture{testServer: newTestServer(t), clients: map[viewer]*http.Client{}}
	runScenarios(t, fx, []apiScenario{{
		name: "database closed", url: "/healthz",
		before:         func(t *testing.T, fx *apiFixture) { fx.DB.Close() },
		expectedStatus: http.StatusServiceUnavailable, expectedContent: []string{`"database":"unavailable"`, `"status":"degraded"`},
	}})
}

func meScenarios(t *testing.T, fx *apiFixture) []apiScenario {
	return []apiScenario{
		{
			name: "anonymous", url: "/api/me",
			expectedStatus: http.StatusUnauthorized, expectedError: "unauthorized",
		},
		{
			name: "an account", url: "/api/me", as: asFacilitator,
			expectedStatus:  http.StatusOK,
			expectedContent: []string{`"email":"facilitator@example.test"`, `"id":` + itoa64(fx.Users["facilitator"].ID) + `,`, `"lang":"nl"`, `"role":"facilitator"`},
		},
		{
			name: "in English", url: "/api/me", as: asPolicy, headers: map[string]string{"Accept-Language": "en-GB,en;q=0.9"},
			expectedStatus: http.StatusOK, expectedContent: []string{`"lang":"en"`, `"role":"policymaker"`},
		},
	}
}

func projectScenarios(t *testing.T, fx *apiFixture) []apiScenario {
	approved := `{"set":` + itoa64(fx.set) + `,"id":"A","label":"Eenoudergezinnen in de bijstand"}`
	pending := `"set":` + itoa64(fx.pendingSet) + `,`
	return []apiScenario{
		{
			name: "anonymous", url: "/api/projects",
			expectedStatus: http.StatusUnauthorized, expectedError: "unauthorized",
		},
		{
			name: "a member sees the approved clusters only", url: "/api/projects", as: asPolicy,
			expectedStatus:     http.StatusOK,
			expectedContent:    []string{`"slug":"test-project"`, `"name":"Testproject"`, `"purpose":"Testen van Atelier."`, approved},
			notExpectedContent: []string{pending, "other-project"},
		},
		{
			name: "a steward's list holds no pending set either", url: "/api/projects", as: asSteward,
			expectedStatus: http.StatusOK, expectedContent: []string{approved}, notExpectedContent: []string{pending},
		},
		{
			name: "another project's member", url: "/api/projects", as: stranger,
			expectedStatus:     http.StatusOK,
			expectedContent:    []string{`{"projects":[{"slug":"other-project","name":"Ander project","purpose":"Iets anders.","clusters":[]}]}`},
			notExpectedContent: []string{"test-project", "Eenoudergezinnen"},
		},
		{
			name: "an administrator sees every project", url: "/api/projects", as: asAdmin,
			expectedStatus: http.StatusOK, expectedContent: []string{`"slug":"test-project"`, `"slug":"other-project"`},
		},
	}
}

func chartOptionScenarios(t *testing.T, fx *apiFixture) []apiScenario {
	set, pending := itoa64(fx.set), itoa64(fx.pendingSet)
	chart := func(set, cluster, variable string) string {
		return "/api/sets/" + set + "/clusters/" + cluster + "/charts/" + variable
	}
	return []apiScenario{
		{
			name: "a cluster beside the population", url: chart(set, "A", "huishoudtype"), as: asPolicy,
			expectedStatus: http.StatusOK, expectedContent: []string{`"series":[`, `"eenoudergezin"`},
		},
		{
			name: "anonymous", url: chart(set, "A", "huishoudtype"),
			expectedStatus: http.StatusUnauthorized, expectedError: "unauthorized",
		},
		{
			name: "a pending set does not exist for a facilitator", url: chart(pending, "A", "huishoudtype"), as: asFacilitator,
			expectedStatus: http.StatusNotFound, expectedError: "not_found", notExpectedContent: []string{"eenoudergezin"},
		},
		{
			name: "a steward sees a pending set", url: chart(pending, "A", "huishoudtype"), as: asSteward,
			expectedStatus: http.StatusOK, expectedContent: []string{`"series":[`},
		},
		{
			name: "another project's member", url: chart(set, "A", "huishoudtype"), as: stranger,
			expectedStatus: http.StatusNotFound, expectedError: "not_found",
		},
		{
			name: "an unknown set", url: chart("999", "A", "huishoudtype"), as: asPolicy,
			expectedStatus: http.StatusNotFound, expectedError: "not_found",
		},
		{
			name: "a set that is no number", url: chart("een", "A", "huishoudtype"), as: asPolicy,
			expectedStatus: http.StatusNotFound, expectedError: "not_found",
		},
		{
			name: "an unknown cluster", url: chart(set, "Z", "huishoudtype"), as: asPolicy,
			expectedStatus: http.StatusNotFound, expectedError: "not_found",
		},
		{
			name: "an unknown variable", url: chart(set, "A", "schoenmaat"), as: asPolicy,
			expectedStatus: http.StatusNotFound, expectedError: "not_found",
		},
		{
			name: "a comparison", url: "/api/sets/" + set + "/compare/huurachterstand?c=A&c=B", as: asPolicy,
			expectedStatus: http.StatusOK, expectedContent: []string{`"series":[`},
		},
		{
			name: "a comparison of nothing", url: "/api/sets/" + set + "/compare/huurachterstand", as: asPolicy,
			expectedStatus: http.StatusNotFound, expectedError: "not_found",
		},
		{
			name: "a comparison on an unknown variable", url: "/api/sets/" + set + "/compare/schoenmaat?c=A&c=B", as: asPolicy,
			expectedStatus: http.StatusNotFound, expectedError: "not_found",
		},
	}
}

func joinScenarios(t *testing.T, fx *apiFixture) []apiScenario {
	id, code := fx.session(t, "open")
	_, closedCode := fx.session(t, "closed")
	join := func(code, role string) string { return `{"code":"` + code + `","role":"` + role + `"}` }
	guesser := fx.client(t) // a visitor (cookie) with ten wrong codes behind them
	return []apiScenario{
		{
			name: "joins with a code", method: http.MethodPost, url: "/api/join", body: join(code, "parent"),
			expectedStatus:     http.StatusOK,
			expectedContent:    []string{`"session":{"id":` + itoa64(id) + `,`, `"participant":{"pseudonym":"`, `"role":"parent"`},
			notExpectedContent: []string{code},
			after: func(t *testing.T, fx *apiFixture, res *http.Response, body string) {
				var cookie *http.Cookie
				for _, c := range res.Cookies() {
					if c.Name == "atelier_participant" {
						cookie = c
					}
				}
				if cookie == nil || !cookie.HttpOnly || cookie.Value == "" || cookie.SameSite != http.SameSiteLaxMode {
					t.Errorf("participant cookie %+v", cookie)
				}
			},
		},
		{
			name: "a code typed loosely", method: http.MethodPost, url: "/api/join", body: join(strings.ToLower(code[:3]+"-"+code[3:]), "professional"),
			expectedStatus: http.StatusOK, expectedContent: []string{`"role":"professional"`},
		},
		{
			name: "an unknown code", method: http.MethodPost, url: "/api/join", body: join("AAAAAA", "parent"),
			expectedStatus: http.StatusNotFound, expectedError: "not_found", expectedContent: []string{"Die code kennen we niet"},
		},
		{
			name: "an unknown code, in English", method: http.MethodPost, url: "/api/join", body: join("AAAAAA", "parent"),
			headers:        map[string]string{"Accept-Language": "en"},
			expectedStatus: http.StatusNotFound, expectedError: "not_found", expectedContent: []string{"We do not know that code"},
		},
		{
			name: "a closed session's code", method: http.MethodPost, url: "/api/join", body: join(closedCode, "parent"),
			expectedStatus: http.StatusNotFound, expectedError: "not_found",
		},
		{
			name: "a role that does not exist", method: http.MethodPost, url: "/api/join", body: join(code, "burgemeester"),
			expectedStatus: http.StatusBadRequest, expectedError: "invalid", expectedContent: []string{"Kies een rol"},
		},
		{
			name: "not JSON", method: http.MethodPost, url: "/api/join", body: `code=` + code,
			expectedStatus: http.StatusBadRequest, expectedError: "invalid",
		},
		{
			name: "not sent as JSON", method: http.MethodPost, url: "/api/join", body: join(code, "parent"),
			headers:        map[string]string{"Content-Type": "text/plain"},
			expectedStatus: http.StatusUnsupportedMediaType, expectedError: "not_json",
		},
		{
			name: "from another site", method: http.MethodPost, url: "/api/join", body: join(code, "parent"),
			headers:        map[string]string{"Origin": "https://evil.example"},
			expectedStatus: http.StatusForbidden, expectedError: "forbidden",
		},
		{
			// Even the right code waits now, or guessing would go on.
			name: "after ten wrong codes", method: http.MethodPost, url: "/api/join", body: join(code, "parent"), client: guesser,
			before: func(t *testing.T, fx *apiFixture) {
				fx.get(t, guesser, "/j") // the join page gives the visitor a cookie
				for range 10 {
					if st := fx.postJSON(t, guesser, "/api/join", map[string]string{"code": "AAAAAA", "role": "parent"}, nil); st != http.StatusNotFound {
						t.Fatalf("wrong code: %d", st)
					}
				}
			},
			expectedStatus: http.StatusTooManyRequests, expectedError: "too_many", expectedContent: []string{"Te veel verkeerde codes"},
			after: func(t *testing.T, fx *apiFixture, res *http.Response, body string) {
				// Counted per visitor: others in the room still join.
				if st := fx.postJSON(t, fx.client(t), "/api/join", map[string]string{"code": code, "role": "youth"}, nil); st != http.StatusOK {
					t.Errorf("another visitor: %d, want 200", st)
				}
			},
		},
	}
}

// privacyCheckScenarios: the phone asks before sending whether a text
// looks like it holds personal data and gets the verdict the engine would
// apply, in the visitor's language; the text is neither stored nor logged.
func privacyCheckScenarios(t *testing.T, fx *apiFixture) []apiScenario {
	notLogged := func(t *testing.T, fx *apiFixture, res *http.Response, body string) {
		if logs := fx.Logs.String(); strings.Contains(logs, "12345678") || strings.Contains(logs, "fatima") {
			t.Error("the checked text reached the log")
		}
	}
	return []apiScenario{
		{
			name: "a phone number and an e-mail address", method: http.MethodPost, url: "/api/privacy-check",
			body:           `{"text":"Bel Fatima op 06-12345678 of mail fatima@example.nl"}`,
			expectedStatus: http.StatusOK,
			expectedContent: []string{`{"kind":"phone","count":1}`, `{"kind":"email","count":1}`, "persoonsgegevens", "1 telefoonnummer",
				"[telefoonnummer verwijderd]"},
			notExpectedContent: []string{"06-12345678", "fatima@example.nl"},
			after:              notLogged,
		},
		{
			name: "in English", method: http.MethodPost, url: "/api/privacy-check", headers: map[string]string{"Accept-Language": "en"},
			body:           `{"text":"Call 06-12345678"}`,
			expectedStatus: http.StatusOK, expectedContent: []string{`{"kind":"phone","count":1}`, "personal data"},
			notExpectedContent: []string{"persoonsgegevens"},
		},
		{
			name: "a harmless text", method: http.MethodPost, url: "/api/privacy-check", body: `{"text":"Een vast aanspreekpunt op school"}`,
			expectedStatus: http.StatusOK, expectedContent: []string{`{"message":"","names":[],"removed":[],"text":"Een vast aanspreekpunt op school"}`},
		},
		{
			name: "too large a body is refused before it is read", method: http.MethodPost, url: "/api/privacy-check",
			body:           `{"text":"` + strings.Repeat("a", 20<<10) + `"}`,
			expectedStatus: http.StatusRequestEntityTooLarge, expectedError: "too_large",
		},
		{
			name: "not JSON", method: http.MethodPost, url: "/api/privacy-check", body: `tekst`,
			expectedStatus: http.StatusBadRequest, expectedError: "invalid",
		},
		{
			name: "not sent as JSON", method: http.MethodPost, url: "/api/privacy-check", body: `{"text":"x"}`,
			headers:        map[string]string{"Content-Type": "text/plain"},
			expectedStatus: http.StatusUnsupportedMediaType, expectedError: "not_json",
		},
	}
}

// reportChartScenarios: a closed session's chart images, and none while
// it is open (those answers are pages and files, not JSON).
func reportChartScenarios(t *testing.T, fx *apiFixture) []apiScenario {
	open, _ := fx.session(t, "open")
	closed, _ := fx.session(t, "closed")
	return []apiScenario{
		{
			name: "while open", url: "/s/" + itoa64(open) + "/charts.zip", as: asPolicy,
			expectedStatus: http.StatusConflict,
		},
		{
			name: "one image while open", url: "/s/" + itoa64(open) + "/charts/B-huishoudtype.svg", as: asPolicy,
			expectedStatus: http.StatusConflict,
		},
		{
			name: "closed", url: "/s/" + itoa64(closed) + "/charts.zip", as: asPolicy,
			expectedStatus: http.StatusOK,
			after: func(t *testing.T, fx *apiFixture, res *http.Response, body string) {
				if ct := res.Header.Get("Content-Type"); ct != "application/zip" || !strings.HasPrefix(body, "PK") {
					t.Errorf("Content-Type %q, body starts %q", ct, body[:min(len(body), 4)])
				}
			},
		},
		{
			name: "one image", url: "/s/" + itoa64(closed) + "/charts/B-huishoudtype.svg", as: asFacilitator,
			expectedStatus: http.StatusOK, expectedContent: []string{"<svg"},
		},
		{
			name: "another project's member", url: "/s/" + itoa64(closed) + "/charts.zip", as: stranger,
			expectedStatus: http.StatusNotFound,
		},
	}
}
