package server

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"atelier/accounts"
)

// TestReportThresholds is issue 5's privacy test for the read view and
// the CSV export: a session with 3 parents and 12 professionals, built
// through the real flow (join, notes and votes over the websocket, themes
// by the facilitator, close over the API). Neither may show a count under
// 10 nor the parents' role, also not inside a theme; the professionals'
// role does appear, and no pseudonym anywhere.
func TestReportThresholds(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client(t)
	ts.login(t, fac, accounts.Facilitator)
	id, code := ts.openTestSession(t, fac)
	policy := ts.client(t)
	ts.login(t, policy, accounts.Policymaker)

	type member struct {
		live      *liveClient
		pseudonym string
		role      string
	}
	var members []member
	for i := 0; i < 15; i++ {
		role := "professional"
		if i < 3 {
			role = "parent"
		}
		lc := ts.dialLive(t, ts.joinAs(t, code, role), id, 0)
		msgs := lc.until("synced")
		if msgs[0].Welcome == nil || msgs[0].Welcome.You.Pseudonym == "" {
			t.Fatalf("no pseudonym in %v", msgs[0])
		}
		members = append(members, member{lc, msgs[0].Welcome.You.Pseudonym, role})
	}
	var noteIDs []string
	for i, m := range members {
		text := fmt.Sprintf("Notitie %d van een deelnemer.", i)
		kind := "zorg"
		switch {
		case i == 5:
			text, kind = "=SUM(A1:A9) zou mooi zijn", "idee"
		case i%2 == 0:
			kind = "kans"
		}
		m.live.note("op-n"+strconv.Itoa(i), "B", kind, text)
		noteIDs = append(noteIDs, m.live.ack("op-n"+strconv.Itoa(i)).ID)
	}
	// Eleven professionals vote for note 3 (a professional's), one parent
	// for note 0 (a parent's).
	for i, m := range members[3:14] {
		m.live.op("op-v"+strconv.Itoa(i), "vote.add", map[string]string{"note": noteIDs[3]})
		m.live.ack("op-v" + strconv.Itoa(i))
	}
	members[1].live.op("op-v-parent", "vote.add", map[string]string{"note": noteIDs[0]})
	members[1].live.ack("op-v-parent")
	// Excerpts come from professionals only.
	members[3].live.op("op-x", "excerpt.create",
		map[string]any{"cluster": "C", "text": "Ik durfde het niet te vragen.", "source": "interview", "tags": []string{"schaamte"}})
	excerptID := members[3].live.ack("op-x").ID

	// The facilitator groups the parent's note 0 and the professional's
	// note 3 (11 votes) under a theme on B, and the excerpt under one on C.
	wall := ts.dialLive(t, fac, id, 0)
	wall.until("synced")
	themeOn := func(opID, cluster, title string) string {
		wall.op(opID, "theme.create", map[string]any{"cluster": cluster, "title": title})
		return wall.ack(opID).ID
	}
	onB, onC := themeOn("f1", "B", "Hulp durven vragen"), themeOn("f2", "C", "Schaamte")
	for i, n := range []int{0, 3} {
		wall.op("f-n"+strconv.Itoa(i), "note.theme", map[string]any{"id": noteIDs[n], "theme": onB})
		wall.ack("f-n" + strconv.Itoa(i))
	}
	wall.op("f-x", "excerpt.theme", map[string]any{"id": excerptID, "theme": onC})
	wall.ack("f-x")

	// While the session is open there is no report.
	for _, path := range []string{"/s/" + itoa64(id) + "/report", "/s/" + itoa64(id) + "/export.csv"} {
		if res, _ := ts.get(t, policy, path); res.StatusCode != http.StatusConflict {
			t.Fatalf("%s of an open session: %d, want 409", path, res.StatusCode)
		}
	}
	if st := ts.postJSON(t, fac, "/api/sessions/"+itoa64(id)+"/close", map[string]any{}, nil); st != http.StatusOK {
		t.Fatalf("close: %d", st)
	}

	res, body := ts.get(t, policy, "/s/"+itoa64(id)+"/report")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("report: %d\n%.1000s", res.StatusCode, body)
	}
	for _, m := range members {
		if strings.Contains(body, m.pseudonym) {
			t.Errorf("report shows pseudonym %q", m.pseudonym)
		}
	}
	if !strings.Contains(body, `<span class="report__role">Rol: professional</span>`) {
		t.Errorf("report lacks the professionals' role label")
	}
	if strings.Contains(body, "Rol: ouder") || strings.Contains(body, "Rol: anders") || strings.Contains(body, "Role: parent") {
		t.Errorf("report labels a note or excerpt with a role of fewer than 10 participants")
	}
	// The themes, in order, each with what was grouped under it: the
	// parent's note without a role, the professional's with one.
	themes := regexp.MustCompile(`(?s)<div class="report__theme">(.*?)</div>`).FindAllStringSubmatch(body, -1)
	if len(themes) != 2 || !strings.Contains(themes[0][1], "Hulp durven vragen") || !strings.Contains(themes[1][1], "Schaamte") {
		t.Fatalf("themes in the report: %q", themes)
	}
	parentNote := regexp.MustCompile(`(?s)<li class="note note--kans">\s*<p class="note__text">Notitie 0 van een deelnemer.</p>\s*<p class="note__meta">(.*?)</p>`).FindStringSubmatch(themes[0][1])
	if parentNote == nil || strings.Contains(parentNote[1], "Rol") || !strings.Contains(parentNote[1], "1 stemmen · plaats 2") {
		t.Errorf("the parent's note in its theme: %q", parentNote)
	}
	if !strings.Contains(themes[0][1], "Notitie 3 van een deelnemer.") || !strings.Contains(themes[0][1], "11 stemmen · plaats 1") ||
		!strings.Contains(themes[0][1], `<span class="report__role">Rol: professional</span>`) {
		t.Errorf("the professional's note in its theme:\n%s", themes[0][1])
	}
	if !strings.Contains(themes[1][1], "Ik durfde het niet te vragen.") {
		t.Errorf("the excerpt is not in its theme:\n%s", themes[1][1])
	}
	if strings.Count(body, "Notitie 0 van een deelnemer.") != 1 || strings.Count(body, "Ik durfde het niet te vragen.") != 1 {
		t.Errorf("a note or excerpt in a theme is also shown outside it")
	}
	if !strings.Contains(body, "Zorg, buiten de thema’s") {
		t.Errorf("the notes in no theme are not headed as such")
	}
	// Participants per role and in total.
	for role, want := range map[string]string{"parent": "&lt;10", "professional": "12", "youth": "&lt;10", "other": "&lt;10"} {
		m := regexp.MustCompile(`data-role="` + role + `"><th scope="row">[^<]*</th><td class="num">([^<]*)</td>`).FindStringSubmatch(body)
		if m == nil || m[1] != want {
			t.Errorf("participants %s: %v, want %q", role, m, want)
		}
	}
	if !strings.Contains(body, `<tr class="total"><th scope="row">Totaal</th><td class="num">≥10</td>`) {
		t.Errorf("the total of 15 would reveal the 3 parents; want it shown as ≥10")
	}
	// Vote totals and ranks are shown as they are (they count dots, not
	// people); votes per role never show a small group's count: with 3
	// parents, not even the professionals' (the total minus theirs would
	// give the parents').
	if got := strings.Count(body, "Geen stemmen"); got != 13 {
		t.Errorf("%d notes without votes, want 13", got)
	}
	for _, m := range regexp.MustCompile(`Stemmen per rol: ([^<]*)</p>`).FindAllStringSubmatch(body, -1) {
		if m[1] != "professional –, ouder &lt;10, jongere &lt;10, anders &lt;10" {
			t.Errorf("votes per role: %q", m[1])
		}
	}
	assertNoSmallNumbers(t, "report", body)

	res, csvBody := ts.get(t, policy, "/s/"+itoa64(id)+"/export.csv")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("export: %d %s", res.StatusCode, csvBody)
	}
	if got := res.Header.Get("Content-Type"); got != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", got)
	}
	if got, want := res.Header.Get("Content-Disposition"), `attachment; filename="sessie-`+itoa64(id)+`.csv"`; got != want {
		t.Errorf("Content-Disposition %q, want %q", got, want)
	}
	if !strings.HasPrefix(csvBody, "\uFEFFcluster,cluster_label,type,kind,text,votes,role,source,tags,theme,rank,votes_professional,votes_parent,votes_youth,votes_other\r\n") {
		t.Fatalf("CSV starts %q", csvBody[:min(60, len(csvBody))])
	}
	for _, m := range members {
		if strings.Contains(csvBody, m.pseudonym) {
			t.Errorf("CSV holds pseudonym %q", m.pseudonym)
		}
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBody, "\uFEFF")))
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+15+1 {
		t.Fatalf("%d CSV rows, want a header, 15 notes and an excerpt", len(rows))
	}
	professionals, injected := 0, false
	wantTheme := map[string]string{"Notitie 0 van een deelnemer.": "Hulp durven vragen", "Notitie 3 van een deelnemer.": "Hulp durven vragen",
		"Ik durfde het niet te vragen.": "Schaamte"}
	for _, r := range rows[1:] {
		votes, role, text, theme := r[5], r[6], r[4], r[9]
		if theme != wantTheme[text] {
			t.Errorf("CSV row %q: theme %q, want %q", text, theme, wantTheme[text])
		}
		if role != "" && role != "professional" {
			t.Errorf("CSV row with role %q: %q", role, r)
		}
		if role == "professional" {
			professionals++
		}
		if r[2] == "note" {
			if _, err := strconv.Atoi(votes); err != nil {
				t.Errorf("CSV vote total %q", votes)
			}
			if got := strings.Join(r[11:], ","); got != "–,<10,<10,<10" {
				t.Errorf("CSV votes per role %q", got)
			}
		}
		if strings.Contains(text, "SUM(") {
			injected = text == "'=SUM(A1:A9) zou mooi zijn"
		}
	}
	if professionals != 12+1 {
		t.Errorf("%d CSV rows labelled professional, want 12 notes and the excerpt", professionals)
	}
	if !injected {
		t.Errorf("the formula cell is not defused")
	}
	if _, rest, _ := strings.Cut(csvBody, "\r\n"); strings.Contains(rest, "parent") || strings.Contains(rest, "ouder") {
		t.Errorf("CSV names the parents")
	}
}

// assertNoSmallNumbers fails when a number from 1 to 9 stands alone in a
// table cell (counts of people) or among the votes per role.
func assertNoSmallNumbers(t *testing.T, what, body string) {
	t.Helper()
	for _, m := range regexp.MustCompile(`(<td[^>]*>|(?:professional|ouder|jongere|anders) )(\d+)\b`).FindAllStringSubmatch(body, -1) {
		if n, _ := strconv.Atoi(m[2]); n < 10 {
			t.Errorf("%s shows %q", what, m[0])
		}
	}
}

func TestReportAccess(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client(t)
	ts.login(t, fac, accounts.Facilitator)
	id, code := ts.openTestSession(t, fac)
	p := ts.dialLive(t, ts.joinAs(t, code, "professional"), id, 0)
	p.until("synced")
	p.note("op-1", "B", "idee", "Een vast aanspreekpunt.")
	p.ack("op-1")
	if st := ts.postJSON(t, fac, "/api/sessions/"+itoa64(id)+"/close", map[string]any{}, nil); st != http.StatusOK {
		t.Fatalf("close: %d", st)
	}

	// A policymaker of another project only.
	other, err := ts.Profiles.CreateProject(t.Context(), "other-project", "Ander project", "Iets anders.", "test", "system")
	if err != nil {
		t.Fatal(err)
	}
	stranger, err := ts.Accounts.CreateUser(t.Context(), "stranger@example.test", accounts.Policymaker, testPassword, accounts.Actor{Name: "test", Origin: "system"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.Profiles.AddMember(t.Context(), other.ID, stranger.ID); err != nil {
		t.Fatal(err)
	}
	strangerClient := ts.client(t)
	ts.loginAs(t, strangerClient, "stranger@example.test")

	for _, path := range []string{"/s/" + itoa64(id) + "/report", "/s/" + itoa64(id) + "/export.csv"} {
		for _, r := range accounts.Roles {
			c := ts.client(t)
			ts.login(t, c, r)
			if res, body := ts.get(t, c, path); res.StatusCode != http.StatusOK {
				t.Errorf("%s as %s: %d %.300s", path, r, res.StatusCode, body)
			}
		}
		res, body := ts.get(t, strangerClient, path)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s as a policymaker of another project: %d, want 404", path, res.StatusCode)
		}
		if strings.Contains(body, "Een vast aanspreekpunt") || strings.Contains(body, "Werksessie") {
			t.Errorf("%s as a stranger shows the session", path)
		}
		if res, _ := ts.get(t, ts.client(t), path); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("%s anonymously: %d %q, want a login redirect", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
}
