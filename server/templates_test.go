package server

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestSessionTemplates: a session's set-up (question, clusters, agenda,
// vote budget) is kept as a template of its project, and a new session
// starts from it with the same set-up; a second template with the same
// name is refused on the console, not with an error page.
func TestSessionTemplates(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client(t)
	ts.login(t, fac, "facilitator")
	ts.openTestSession(t, fac) // imports and approves the test set
	var created struct{ ID int64 }
	agenda := []map[string]any{{"phase": "verkennen", "minutes": 10}, {"phase": "kiezen", "minutes": 15}}
	if st := ts.postJSON(t, fac, "/api/sessions", map[string]any{"project": "test-project", "title": "Ronde 1", "question": "Wat helpt gezinnen?",
		"clusters": []string{"C", "B"}, "vote_budget": 3, "agenda": agenda}, &created); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	console := "/s/" + itoa64(created.ID) + "/console"
	save := func(name string) *http.Response {
		return ts.postForm(t, fac, "/s/"+itoa64(created.ID)+"/template", url.Values{"_csrf": {ts.csrfFrom(t, fac, console)}, "name": {name}})
	}
	if res := save("Standaardronde"); res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "?template=saved") {
		t.Fatalf("save: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := save("Standaardronde"); res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "template_error=") {
		t.Fatalf("save again: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	_, page := ts.get(t, fac, "/p/test-project/sessions")
	m := regexp.MustCompile(`action="(/p/test-project/templates/\d+/start)"`).FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, "Standaardronde") {
		t.Fatalf("the template is not on the sessions page")
	}
	res := ts.postForm(t, fac, m[1], url.Values{"_csrf": {ts.csrfFrom(t, fac, "/p/test-project/sessions")}, "title": {"Ronde 2"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("start from template: %d", res.StatusCode)
	}
	id := regexp.MustCompile(`/s/(\d+)/console`).FindStringSubmatch(res.Header.Get("Location"))
	if id == nil {
		t.Fatalf("start went to %q", res.Header.Get("Location"))
	}
	var got struct {
		Title, Question string
		VoteBudget      int `json:"vote_budget"`
		Clusters        []struct{ ID string }
	}
	if st := ts.getJSON(t, fac, "/api/sessions/"+id[1], &got); st != http.StatusOK {
		t.Fatalf("new session: %d", st)
	}
	if got.Title != "Ronde 2" || got.Question != "Wat helpt gezinnen?" || got.VoteBudget != 3 || len(got.Clusters) != 2 || got.Clusters[0].ID != "C" {
		t.Fatalf("session from the template: %+v", got)
	}
	sess, err := ts.Sessions.Get(t.Context(), mustParse(t, id[1]))
	if err != nil {
		t.Fatal(err)
	}
	if len(sess.Agenda) != 2 || sess.Agenda[1].Phase != "kiezen" || sess.Agenda.Minutes() != 25 {
		t.Fatalf("agenda from the template: %+v", sess.Agenda)
	}
}

func mustParse(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	for _, r := range s {
		if r < '0' || r > '9' {
			t.Fatalf("not a number: %q", s)
		}
		n = n*10 + int64(r-'0')
	}
	return n
}
