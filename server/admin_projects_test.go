package server

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"atelier/accounts"
	"atelier/profiles"
)

// TestProjectAdministration: an administrator creates a project, is sent on
// to its members, adds a facilitator to read only and then in their own
// role, edits the settings and archives the project; what each member may
// do follows the role in the project.
func TestProjectAdministration(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.client(t)
	ts.login(t, admin, accounts.Admin)
	fac := ts.client(t)
	ts.login(t, fac, accounts.Facilitator)

	csrf := ts.csrfFrom(t, admin, "/admin/projects/new")
	form := url.Values{"_csrf": {csrf}, "name": {"Armoede 2027"}, "slug": {"Armoede 2027"}, "purpose": {"Preventie van schulden."},
		"notes_days": {"365"}, "archive_days": {"1000"}}
	res, body := ts.postFormBody(t, admin, "/admin/projects", form)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "kleine letters") {
		t.Fatalf("a bad short address: %d", res.StatusCode)
	}
	form.Set("slug", "armoede-2027")
	res = ts.postForm(t, admin, "/admin/projects", form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/p/armoede-2027/members?done=created" {
		t.Fatalf("create: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	p, err := ts.Profiles.ProjectBySlug(t.Context(), "armoede-2027")
	if err != nil || p == nil || p.NotesRetentionDays != 365 || p.ArchiveRetentionDays != 1000 {
		t.Fatalf("created %+v %v", p, err)
	}
	// Not a member yet: the facilitator does not see it.
	if res, _ := ts.get(t, fac, "/p/armoede-2027"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("a non-member sees the project: %d", res.StatusCode)
	}

	members := "/p/armoede-2027/members"
	facID := strconv.FormatInt(ts.Users[accounts.Facilitator].ID, 10)
	res = ts.postForm(t, admin, members, url.Values{"_csrf": {ts.csrfFrom(t, admin, members)}, "user": {facID}, "role": {"policymaker"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add member: %d", res.StatusCode)
	}
	// Read only: the project is there, running a session is not.
	_, body = ts.get(t, fac, "/p/armoede-2027/sessions")
	if strings.Contains(body, "new-session") || !strings.Contains(body, "Preventie van schulden.") {
		t.Fatal("a reading facilitator is offered a new session, or the purpose is missing")
	}
	if st := ts.postJSON(t, fac, "/api/sessions", map[string]any{"project": "armoede-2027", "title": "t", "question": "q?", "clusters": []string{"A"}}, nil); st != http.StatusForbidden {
		t.Fatalf("a reading facilitator created a session: %d", st)
	}
	// A steward account cannot become a facilitator of a project.
	stewardID := strconv.FormatInt(ts.Users[accounts.Steward].ID, 10)
	res = ts.postForm(t, admin, members, url.Values{"_csrf": {ts.csrfFrom(t, admin, members)}, "user": {stewardID}, "role": {"facilitator"}})
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("a steward made facilitator: %d", res.StatusCode)
	}
	res = ts.postForm(t, admin, members+"/"+facID, url.Values{"_csrf": {ts.csrfFrom(t, admin, members)}, "role": {"facilitator"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change member role: %d", res.StatusCode)
	}
	_, body = ts.get(t, fac, "/p/armoede-2027/sessions")
	if !strings.Contains(body, "new-session") {
		t.Fatal("a facilitator member is not offered a new session")
	}

	// Settings: a new short address moves the project.
	settings := "/p/armoede-2027/settings"
	form = url.Values{"_csrf": {ts.csrfFrom(t, admin, settings)}, "name": {"Armoede"}, "slug": {"armoede"}, "purpose": {"Preventie van schulden bij gezinnen."},
		"notes_days": {"365"}, "archive_days": {"1826"}}
	if res := ts.postForm(t, admin, settings, form); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/p/armoede/settings?done=saved" {
		t.Fatalf("update: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res = ts.postForm(t, admin, "/p/armoede/archive", url.Values{"_csrf": {ts.csrfFrom(t, admin, "/p/armoede/settings")}, "archived": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("archive: %d", res.StatusCode)
	}
	if st := ts.postJSON(t, fac, "/api/sessions", map[string]any{"project": "armoede", "title": "t", "question": "q?", "clusters": []string{"A"}}, nil); st != http.StatusConflict {
		t.Fatalf("a session in an archived project: %d", st)
	}
	_, body = ts.get(t, fac, "/")
	if !strings.Contains(body, "gearchiveerd") {
		t.Error("the home page does not mark the archived project")
	}

	res = ts.postForm(t, admin, "/p/armoede/members/"+facID+"/remove", url.Values{"_csrf": {ts.csrfFrom(t, admin, "/p/armoede/members")}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove member: %d", res.StatusCode)
	}
	if res, _ := ts.get(t, fac, "/p/armoede"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("a removed member still sees the project: %d", res.StatusCode)
	}
	events, _ := ts.DB.AuditLog(t.Context(), 50)
	seen := map[string]bool{}
	for _, e := range events {
		seen[e.Action] = true
	}
	for _, a := range []string{"project.create", "project.update", "project.archive", "project.member_add", "project.member_role", "project.member_remove"} {
		if !seen[a] {
			t.Errorf("%s not audited", a)
		}
	}
}

// TestProjectTabs: every role finds the project's tabs, each tab shown to
// whoever may follow it.
func TestProjectTabs(t *testing.T) {
	ts := newTestServer(t)
	for _, tt := range []struct {
		role          accounts.Role
		insights, adm bool
	}{
		{accounts.Admin, true, true},
		{accounts.Steward, false, false},
		{accounts.Facilitator, true, false},
		{accounts.Policymaker, true, false},
	} {
		c := ts.client(t)
		ts.login(t, c, tt.role)
		for _, page := range []string{"/p/test-project", "/p/test-project/sessions"} {
			_, body := ts.get(t, c, page)
			for link, want := range map[string]bool{`href="/p/test-project/sessions"`: true, `href="/p/test-project/insights"`: tt.insights,
				`href="/p/test-project/settings"`: tt.adm, `class="crumbs"`: true, "Testen van Atelier.": true} {
				if strings.Contains(body, link) != want {
					t.Errorf("%s on %s: %s present = %v, want %v", tt.role, page, link, !want, want)
				}
			}
		}
	}
}

var consoleLocation = regexp.MustCompile(`^/s/(\d+)/console$`)

// TestSessionBindsTheChosenSet is the regression test of issue 12, item 5:
// two approved sets use the same cluster ids; the facilitator picks a set,
// then its clusters, and the session is bound to that set's clusters, not
// to the other set's figures.
func TestSessionBindsTheChosenSet(t *testing.T) {
	ts := newTestServer(t)
	var sets []int64
	for range 2 {
		m := setLocation.FindStringSubmatch(ts.importTestSet(t))
		id, _ := strconv.ParseInt(m[1], 10, 64)
		if err := ts.Profiles.Approve(t.Context(), id, profiles.Actor{UserID: ts.Steward2.ID, Name: "test", Origin: "cli"}, ""); err != nil {
			t.Fatal(err)
		}
		sets = append(sets, id)
	}
	older, newer := sets[0], sets[1]
	fac := ts.client(t)
	ts.login(t, fac, accounts.Facilitator)

	// The newest set is chosen by default, and the form names it.
	_, body := ts.get(t, fac, "/p/test-project/sessions")
	if !strings.Contains(body, `<option value="`+itoa64(newer)+`" selected>`) || !strings.Contains(body, `name="set" value="`+itoa64(newer)+`"`) {
		t.Fatalf("the newest set is not the default:\n%s", body)
	}
	_, body = ts.get(t, fac, "/p/test-project/sessions?set="+itoa64(older))
	if !strings.Contains(body, `name="set" value="`+itoa64(older)+`"`) {
		t.Fatal("choosing the older set does not carry it into the form")
	}

	for _, set := range []int64{older, newer} {
		form := url.Values{"_csrf": {ts.csrfFrom(t, fac, "/p/test-project/sessions")}, "set": {itoa64(set)}, "title": {"Sessie"},
			"question": {"Hoe helpen we eerder?"}, "cluster": {"C", "B"}}
		res := ts.postForm(t, fac, "/p/test-project/sessions", form)
		m := consoleLocation.FindStringSubmatch(res.Header.Get("Location"))
		if res.StatusCode != http.StatusSeeOther || m == nil {
			t.Fatalf("create on set %d: %d %s", set, res.StatusCode, res.Header.Get("Location"))
		}
		id, _ := strconv.ParseInt(m[1], 10, 64)
		sess, err := ts.Sessions.Get(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		for _, cl := range sess.Clusters {
			if cl.SetID != set {
				t.Errorf("ticked %s of set %d, bound to set %d", cl.ID, set, cl.SetID)
			}
		}
	}

	// The API: "set" names the set; without it the newest counts; an object
	// names its own set.
	var created struct{ ID int64 }
	for _, tt := range []struct {
		body map[string]any
		want int64
	}{
		{map[string]any{"set": older, "clusters": []string{"A"}}, older},
		{map[string]any{"clusters": []string{"A"}}, newer},
		{map[string]any{"set": newer, "clusters": []any{map[string]any{"set": older, "id": "A"}}}, older},
	} {
		tt.body["project"], tt.body["title"], tt.body["question"] = "test-project", "API", "Hoe helpen we eerder?"
		if st := ts.postJSON(t, fac, "/api/sessions", tt.body, &created); st != http.StatusCreated {
			t.Fatalf("API create %v: %d", tt.body, st)
		}
		sess, _ := ts.Sessions.Get(t.Context(), created.ID)
		if got := sess.Clusters[0].SetID; got != tt.want {
			t.Errorf("API %v bound to set %d, want %d", tt.body, got, tt.want)
		}
	}
}
