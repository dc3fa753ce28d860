package server

import (
	"encoding/json"
	"net/http"
	"testing"

	"atelier/sessions"
)

// The sessions endpoints of docs/api.md: create, get, open, close.

const newSession = `{"project":"test-project","title":"Werksessie huurachterstand","question":"Hoe kunnen we gezinnen eerder helpen?","clusters":["B","C"]}`

func sessionCreateScenarios(t *testing.T, fx *apiFixture) []apiScenario {
	const clusters = `"clusters":[{"id":"B","label":"Werkende paren met kinderen"},{"id":"C","label":"Alleenstaanden met schulden"}]`
	return []apiScenario{
		{
			name: "a facilitator creates a draft", method: http.MethodPost, url: "/api/sessions", body: newSession, as: asFacilitator,
			expectedStatus:  http.StatusCreated,
			expectedContent: []string{`"state":"draft"`, `"code":null`, `"vote_budget":5`, `"present":0`, `"title":"Werksessie huurachterstand"`, clusters},
		},
		{
			name: "an administrator may stand in", method: http.MethodPost, url: "/api/sessions", as: asAdmin,
			body:           `{"project":"test-project","title":"Vervanging","question":"Hoe?","clusters":[{"set":` + itoa64(fx.set) + `,"id":"C"}],"vote_budget":3}`,
			expectedStatus: http.StatusCreated, expectedContent: []string{`"state":"draft"`, `"vote_budget":3`, `"clusters":[{"id":"C"`},
		},
		{
			name: "personal data in the title is removed, and said so", method: http.MethodPost, url: "/api/sessions", as: asFacilitator,
			body:           `{"project":"test-project","title":"Bel Jan op 06-12345678","question":"Hoe?","clusters":["B"]}`,
			expectedStatus: http.StatusCreated, expectedContent: []string{`"notice":"`, `[telefoonnummer verwijderd]`},
			notExpectedContent: []string{"12345678"},
		},
		{
			name: "anonymous", method: http.MethodPost, url: "/api/sessions", body: newSession,
			expectedStatus: http.StatusUnauthorized, expectedError: "unauthorized",
		},
		{
			name: "a policymaker may not", method: http.MethodPost, url: "/api/sessions", body: newSession, as: asPolicy,
			expectedStatus: http.StatusForbidden, expectedError: "forbidden",
		},
		{
			name: "a steward may not", method: http.MethodPost, url: "/api/sessions", body: newSession, as: asSteward,
			expectedStatus: http.StatusForbidden, expectedError: "forbidden",
		},
		{
			name: "an unknown project", method: http.MethodPost, url: "/api/sessions", as: asFacilitator,
			body:           `{"project":"nergens","title":"T","question":"Hoe?","clusters":["B"]}`,
			expectedStatus: http.StatusNotFound, expectedError: "not_found",
		},
		{
			name: "another project's facilitator", method: http.MethodPost, url: "/api/sessions", body: newSession, as: stranger,
			expectedStatus: http.StatusNotFound, expectedError: "not_found", notExpectedContent: []string{"Werkende paren"},
		},
		{
			name: "a cluster that is not approved", method: http.MethodPost, url: "/api/sessions", as: asFacilitator,
			body:           `{"project":"test-project","title":"T","question":"Hoe?","clusters":["B","Z"]}`,
			expectedStatus: http.StatusBadRequest, expectedError: "invalid", expectedContent: []string{"Cluster Z is niet goedgekeurd in dit project."},
		},
		{
			name: "no clusters", method: http.MethodPost, url: "/api/sessions", as: asFacilitator,
			body:           `{"project":"test-project","title":"T","question":"Hoe?","clusters":[]}`,
			expectedStatus: http.StatusBadRequest, expectedError: "invalid", expectedContent: []string{"Kies 1 tot 20 goedgekeurde clusters."},
		},
		{
			name: "in English", method: http.MethodPost, url: "/api/sessions", as: asFacilitator, headers: map[string]string{"Accept-Language": "en"},
			body:           `{"project":"test-project","title":"T","question":"Hoe?","clusters":[]}`,
			expectedStatus: http.StatusBadRequest, expectedError: "invalid", expectedContent: []string{"Choose 1 to 20 approved clusters."},
		},
		{
			name: "a cluster twice", method: http.MethodPost, url: "/api/sessions", as: asFacilitator,
			body:           `{"project":"test-project","title":"T","question":"Hoe?","clusters":["B","B"]}`,
			expectedStatus: http.StatusBadRequest, expectedError: "invalid",
		},
		{
			name: "no title", method: http.MethodPost, url: "/api/sessions", as: asFacilitator,
			body:           `{"project":"test-project","title":" ","question":"Hoe?","clusters":["B"]}`,
			expectedStatus: http.StatusBadRequest, expectedError: "invalid",
		},
		{
			name: "too many votes", method: http.MethodPost, url: "/api/sessions", as: asFacilitator,
			body:           `{"project":"test-project","title":"T","question":"Hoe?","clusters":["B"],"vote_budget":21}`,
			expectedStatus: http.StatusBadRequest, expectedError: "invalid",
		},
		{
			name: "not JSON", method: http.MethodPost, url: "/api/sessions", as: asFacilitator, body: `{"project":`,
			expectedStatus: http.StatusBadRequest, expectedError: "invalid",
		},
		{
			name: "not sent as JSON", method: http.MethodPost, url: "/api/sessions", as: asFacilitator, body: newSession,
			headers:        map[string]string{"Content-Type": "text/plain"},
			expectedStatus: http.StatusUnsupportedMediaType, expectedError: "not_json",
		},
		{
			name: "from another site", method: http.MethodPost, url: "/api/sessions", as: asFacilitator, body: newSession,
			headers:        map[string]string{"Origin": "https://evil.example"},
			expectedStatus: http.StatusForbidden, expectedError: "forbidden", expectedContent: []string{"andere website"},
		},
	}
}

func sessionGetScenarios(t *testing.T, fx *apiFixture) []apiScenario {
	draft, _ := fx.session(t, "draft")
	open, code := fx.session(t, "open")
	return []apiScenario{
		{
			name: "a draft", url: "/api/sessions/" + itoa64(draft), as: asFacilitator,
			expectedStatus:  http.StatusOK,
			expectedContent: []string{`"id":` + itoa64(draft) + `,`, `"state":"draft"`, `"code":null`, `"question":"Hoe kunnen we gezinnen eerder helpen?"`},
		},
		{
			name: "an open session shows its code", url: "/api/sessions/" + itoa64(open), as: asAdmin,
			expectedStatus: http.StatusOK, expectedContent: []string{`"state":"open"`, `"code":"` + code + `"`},
		},
		{
			name: "anonymous", url: "/api/sessions/" + itoa64(open),
			expectedStatus: http.StatusUnauthorized, expectedError: "unauthorized", notExpectedContent: []string{code},
		},
		{
			name: "a policymaker may not", url: "/api/sessions/" + itoa64(open), as: asPolicy,
			expectedStatus: http.StatusForbidden, expectedError: "forbidden", notExpectedContent: []string{code},
		},
		{
			name: "another project's facilitator", url: "/api/sessions/" + itoa64(open), as: stranger,
			expectedStatus: http.StatusNotFound, expectedError: "not_found", notExpectedContent: []string{code, "Werksessie"},
		},
		{
			name: "an unknown session", url: "/api/sessions/999", as: asFacilitator,
			expectedStatus: http.StatusNotFound, expectedError: "not_found",
		},
		{
			name: "no number", url: "/api/sessions/drie", as: asFacilitator,
			expectedStatus: http.StatusNotFound, expectedError: "not_found",
		},
	}
}

// joinCodeOf reads a session answer's join code.
func joinCodeOf(t *testing.T, body string) string {
	t.Helper()
	var s struct{ Code *string }
	if json.Unmarshal([]byte(body), &s) != nil || s.Code == nil {
		t.Fatalf("no code in %s", body)
	}
	return *s.Code
}

func sessionOpenScenarios(t *testing.T, fx *apiFixture) []apiScenario {
	draft, _ := fx.session(t, "draft")
	open, code := fx.session(t, "open")
	closed, _ := fx.session(t, "closed")
	other, _ := fx.session(t, "draft")
	return []apiScenario{
		{
			name: "a draft opens with a code", method: http.MethodPost, url: "/api/sessions/" + itoa64(draft) + "/open", body: `{}`, as: asFacilitator,
			expectedStatus: http.StatusOK, expectedContent: []string{`"state":"open"`, `"code":"`},
			after: func(t *testing.T, fx *apiFixture, res *http.Response, body string) {
				// The code works: a participant joins with it.
				code := joinCodeOf(t, body)
				if len(code) != sessions.CodeLength || fx.postJSON(t, fx.client(t), "/api/join", map[string]string{"code": code, "role": "youth"}, nil) != http.StatusOK {
					t.Errorf("joining with the new code %q failed", code)
				}
			},
		},
		{
			name: "opening twice keeps the code", method: http.MethodPost, url: "/api/sessions/" + itoa64(open) + "/open", body: `{}`, as: asAdmin,
			expectedStatus: http.StatusOK, expectedContent: []string{`"state":"open"`, `"code":"` + code + `"`},
		},
		{
			name: "a closed session stays closed", method: http.MethodPost, url: "/api/sessions/" + itoa64(closed) + "/open", body: `{}`, as: asFacilitator,
			expectedStatus: http.StatusConflict, expectedError: "conflict", expectedContent: []string{"Deze sessie is afgesloten."},
		},
		{
			name: "anonymous", method: http.MethodPost, url: "/api/sessions/" + itoa64(other) + "/open", body: `{}`,
			expectedStatus: http.StatusUnauthorized, expectedError: "unauthorized",
		},
		{
			name: "a policymaker may not", method: http.MethodPost, url: "/api/sessions/" + itoa64(other) + "/open", body: `{}`, as: asPolicy,
			expectedStatus: http.StatusForbidden, expectedError: "forbidden",
		},
		{
			name: "another project's facilitator", method: http.MethodPost, url: "/api/sessions/" + itoa64(other) + "/open", body: `{}`, as: stranger,
			expectedStatus: http.StatusNotFound, expectedError: "not_found",
			after: func(t *testing.T, fx *apiFixture, res *http.Response, body string) {
				if s, err := fx.Sessions.Get(t.Context(), other); err != nil || s.State != "draft" {
					t.Errorf("after refusals the session is %+v (%v), want a draft", s, err)
				}
			},
		},
		{
			name: "an unknown session", method: http.MethodPost, url: "/api/sessions/999/open", body: `{}`, as: asFacilitator,
			expectedStatus: http.StatusNotFound, expectedError: "not_found",
		},
		{
			name: "not sent as JSON", method: http.MethodPost, url: "/api/sessions/" + itoa64(other) + "/open", body: `{}`, as: asFacilitator,
			headers:        map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			expectedStatus: http.StatusUnsupportedMediaType, expectedError: "not_json",
		},
	}
}

func sessionCloseScenarios(t *testing.T, fx *apiFixture) []apiScenario {
	open, code := fx.session(t, "open")
	draft, _ := fx.session(t, "draft")
	closed, _ := fx.session(t, "closed")
	other, _ := fx.session(t, "open")
	return []apiScenario{
		{
			name: "an open session closes and its code stops working", method: http.MethodPost, url: "/api/sessions/" + itoa64(open) + "/close", body: `{}`,
			as: asFacilitator, expectedStatus: http.StatusOK, expectedContent: []string{`"state":"closed"`, `"code":null`},
			after: func(t *testing.T, fx *apiFixture, res *http.Response, body string) {
				if st := fx.postJSON(t, fx.client(t), "/api/join", map[string]string{"code": code, "role": "parent"}, nil); st != http.StatusNotFound {
					t.Errorf("joining a closed session: %d, want 404", st)
				}
			},
		},
		{
			name: "a draft may be closed", method: http.MethodPost, url: "/api/sessions/" + itoa64(draft) + "/close", body: `{}`, as: asAdmin,
			expectedStatus: http.StatusOK, expectedContent: []string{`"state":"closed"`},
		},
		{
			name: "closing twice", method: http.MethodPost, url: "/api/sessions/" + itoa64(closed) + "/close", body: `{}`, as: asFacilitator,
			expectedStatus: http.StatusOK, expectedContent: []string{`"state":"closed"`, `"code":null`},
		},
		{
			name: "anonymous", method: http.MethodPost, url: "/api/sessions/" + itoa64(other) + "/close", body: `{}`,
			expectedStatus: http.StatusUnauthorized, expectedError: "unauthorized",
		},
		{
			name: "a steward may not", method: http.MethodPost, url: "/api/sessions/" + itoa64(other) + "/close", body: `{}`, as: asSteward,
			expectedStatus: http.StatusForbidden, expectedError: "forbidden",
		},
		{
			name: "another project's facilitator", method: http.MethodPost, url: "/api/sessions/" + itoa64(other) + "/close", body: `{}`, as: stranger,
			expectedStatus: http.StatusNotFound, expectedError: "not_found",
			after: func(t *testing.T, fx *apiFixture, res *http.Response, body string) {
				if s, err := fx.Sessions.Get(t.Context(), other); err != nil || s.State != "open" {
					t.Errorf("after refusals the session is %+v (%v), want it open", s, err)
				}
			},
		},
		{
			name: "an unknown session", method: http.MethodPost, url: "/api/sessions/999/close", body: `{}`, as: asFacilitator,
			expectedStatus: http.StatusNotFound, expectedError: "not_found",
		},
	}
}
