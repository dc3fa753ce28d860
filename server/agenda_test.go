package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAgendaForm: the console's agenda form plans a draft session's phases
// (empty rows left out, the order kept), refuses a row without minutes on
// the console itself, and refuses a session that is open: from then on the
// agenda changes through the live engine, so every screen follows.
func TestAgendaForm(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client(t)
	ts.login(t, fac, "facilitator")
	ts.openTestSession(t, fac) // imports and approves the test set
	var created struct{ ID int64 }
	if st := ts.postJSON(t, fac, "/api/sessions", map[string]any{"project": "test-project", "title": "Ronde 1", "question": "Wat helpt gezinnen?",
		"clusters": []string{"C"}, "vote_budget": 3}, &created); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	id := itoa64(created.ID)
	post := func(phases, minutes []string) *http.Response {
		return ts.postForm(t, fac, "/s/"+id+"/agenda", url.Values{"_csrf": {ts.csrfFrom(t, fac, "/s/"+id+"/console")}, "phase": phases, "minutes": minutes})
	}
	res := post([]string{"verkennen", "", "kiezen", ""}, []string{"15", "", "10", ""})
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "?agenda=saved") {
		t.Fatalf("save: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	sess, err := ts.Sessions.Get(t.Context(), created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(sess.Agenda) != 2 || sess.Agenda[0].Phase != "verkennen" || sess.Agenda[1].Minutes != 10 {
		t.Fatalf("agenda: %+v", sess.Agenda)
	}
	_, page := ts.get(t, fac, "/s/"+id+"/console?agenda=saved")
	if !strings.Contains(page, "De agenda is bewaard.") || !strings.Contains(page, `<option value="kiezen" selected>`) {
		t.Errorf("the console does not show the saved agenda")
	}

	res = post([]string{"verkennen"}, []string{""})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "agenda_error=") {
		t.Fatalf("a phase without minutes: %d %s", res.StatusCode, loc)
	}
	if sess, _ := ts.Sessions.Get(t.Context(), created.ID); len(sess.Agenda) != 2 {
		t.Fatalf("a refused form changed the agenda: %+v", sess.Agenda)
	}

	if st := ts.postJSON(t, fac, "/api/sessions/"+id+"/open", map[string]any{}, nil); st != http.StatusOK {
		t.Fatalf("open: %d", st)
	}
	res = post([]string{"afronden"}, []string{"5"})
	if loc := res.Header.Get("Location"); !strings.Contains(loc, "agenda_error=") {
		t.Fatalf("an open session's agenda changed by form: %d %s", res.StatusCode, loc)
	}
	if sess, _ := ts.Sessions.Get(t.Context(), created.ID); len(sess.Agenda) != 2 {
		t.Fatalf("the open session's agenda changed outside the engine: %+v", sess.Agenda)
	}
}
