package server

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"atelier/accounts"
	"atelier/i18n"
	"atelier/retention"
	"atelier/store"
)

// TestRetentionOnTheWeb: a closed session's participants cannot come back
// with their token; once its material expires, the report says so and
// shows the skeleton; the project page lists the next deletions; an
// administrator extends the archive once, with a reason.
func TestRetentionOnTheWeb(t *testing.T) {
	ts := newTestServer(t)
	ctx := t.Context()
	fac := ts.client(t)
	ts.login(t, fac, accounts.Facilitator)
	id, code := ts.openTestSession(t, fac)
	phone := ts.joinAs(t, code, "parent")
	// The phone links the privacy statement and the project's entry.
	if _, page := ts.get(t, phone, "/s/"+itoa64(id)); !strings.Contains(page, `href="/privacy"`) || !strings.Contains(page, `href="/algoritme/test-project"`) {
		t.Error("the phone view does not link the transparency pages")
	}
	lc := ts.dialLive(t, phone, id, 0)
	lc.until("synced")
	lc.note("op-r1", "B", "zorg", "Een notitie die verloopt.")
	lc.ack("op-r1")
	if st := ts.postJSON(t, fac, "/api/sessions/"+itoa64(id)+"/close", map[string]any{}, nil); st != http.StatusOK {
		t.Fatalf("close: %d", st)
	}
	// The token went with the close: the phone is sent to the join page.
	if res, _ := ts.get(t, phone, "/s/"+itoa64(id)); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/j" {
		t.Errorf("a participant after the close: %d %s, want a redirect to /j", res.StatusCode, res.Header.Get("Location"))
	}

	policy := ts.client(t)
	ts.login(t, policy, accounts.Policymaker)
	_, page := ts.get(t, policy, "/p/test-project")
	for _, want := range []string{`id="retention-title"`, `data-retention-kind="material"`, `data-retention-kind="sets"`, `href="/algoritme/test-project"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the project page lacks %s", want)
		}
	}
	if strings.Contains(page, `href="/p/test-project/retention"`) {
		t.Error("a policymaker is offered the archive's extension")
	}

	// The session closed 800 days ago: its material expired, its archive
	// not yet.
	closed := store.At(time.Now().AddDate(0, 0, -800))
	if _, err := ts.DB.Write.ExecContext(ctx, `UPDATE sessions SET closed_at = ? WHERE id = ?`, closed, id); err != nil {
		t.Fatal(err)
	}
	res, err := retention.Run(ctx, ts.DB, retention.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total() == 0 {
		t.Fatal("nothing deleted")
	}
	_, report := ts.get(t, policy, "/s/"+itoa64(id)+"/report")
	if !strings.Contains(report, "report__expired") || strings.Contains(report, "Een notitie die verloopt.") || !strings.Contains(report, "Werksessie") {
		t.Errorf("the report of an expired session: notice %v, text gone %v", strings.Contains(report, "report__expired"),
			!strings.Contains(report, "Een notitie die verloopt."))
	}

	// The archive's one extension.
	admin := ts.client(t)
	ts.login(t, admin, accounts.Admin)
	_, page = ts.get(t, admin, "/p/test-project")
	if !strings.Contains(page, `href="/p/test-project/retention"`) {
		t.Fatal("the administrator is not offered the archive's extension")
	}
	form := url.Values{"_csrf": {ts.csrfFrom(t, admin, "/p/test-project/retention")}, "reason": {"kort"}}
	if r := ts.postForm(t, admin, "/p/test-project/retention", form); r.StatusCode != http.StatusBadRequest {
		t.Errorf("a short reason: %d", r.StatusCode)
	}
	form.Set("reason", "Evaluatie door de gemeenteraad in 2031.")
	if r := ts.postForm(t, admin, "/p/test-project/retention", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("extend: %d", r.StatusCode)
	}
	_, page = ts.get(t, admin, "/p/test-project")
	if !strings.Contains(page, "Evaluatie door de gemeenteraad in 2031.") || strings.Contains(page, `href="/p/test-project/retention"`) {
		t.Error("the project page does not show the extension, or offers a second one")
	}
	if r := ts.postForm(t, admin, "/p/test-project/retention", form); r.StatusCode != http.StatusBadRequest {
		t.Errorf("a second extension: %d, want a refusal", r.StatusCode)
	}
	p, _ := ts.Profiles.ProjectBySlug(ctx, "test-project")
	if p.ArchiveRetentionDays != 1826+retention.ExtensionDays {
		t.Errorf("archive after the extension: %d days", p.ArchiveRetentionDays)
	}

	// The project's settings keep the extension: the form offers up to ten
	// years, saving it unchanged keeps them, and more is refused.
	_, settings := ts.get(t, admin, "/p/test-project/settings")
	if !strings.Contains(settings, `max="3652"`) || !strings.Contains(settings, `value="3652"`) {
		t.Error("the settings form does not offer the extended archive period")
	}
	save := func(archive string) int {
		f := url.Values{"_csrf": {ts.csrfFrom(t, admin, "/p/test-project/settings")}, "slug": {"test-project"}, "name": {"Testproject"},
			"purpose": {"Testen van Atelier."}, "notes_days": {"730"}, "archive_days": {archive}}
		return ts.postForm(t, admin, "/p/test-project/settings", f).StatusCode
	}
	if st := save("3653"); st != http.StatusBadRequest {
		t.Errorf("an archive period beyond the extension: %d, want 400", st)
	}
	if st := save("3652"); st != http.StatusSeeOther {
		t.Errorf("saving the settings of an extended project: %d, want 303", st)
	}
	if p, _ := ts.Profiles.ProjectBySlug(ctx, "test-project"); p.ArchiveRetentionDays != 3652 {
		t.Errorf("archive after saving the settings: %d days", p.ArchiveRetentionDays)
	}
}

// TestAuditPage: an administrator filters the trail by action, project,
// actor and period, exports it as JSON lines, and sets its retention; /healthz says the
// chain verified.
func TestAuditPage(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.client(t)
	ts.login(t, admin, accounts.Admin)
	_, page := ts.get(t, admin, "/admin/audit?action=project.")
	if !strings.Contains(page, "<td>project.create</td>") || strings.Contains(page, "<td>login</td>") {
		t.Errorf("filter by action: project.create shown %v", strings.Contains(page, "project.create"))
	}
	_, page = ts.get(t, admin, "/admin/audit?project=test-project")
	if !strings.Contains(page, "<td>project.create</td>") || strings.Contains(page, "<td>user.create</td>") {
		t.Error("filter by project lets other records through")
	}
	// Who: the administrator's login, not the accounts the test made.
	_, page = ts.get(t, admin, "/admin/audit?actor=user:"+itoa64(ts.Users[accounts.Admin].ID))
	if !strings.Contains(page, "<td>login</td>") || strings.Contains(page, "<td>user.create</td>") {
		t.Error("filter by actor: the administrator's login missing, or others' records shown")
	}
	// Period: today holds the records, a day in 2001 none.
	today := time.Now().UTC().Format(time.DateOnly)
	if _, page = ts.get(t, admin, "/admin/audit?from="+today+"&to="+today); !strings.Contains(page, "<td>project.create</td>") {
		t.Error("filter by period: today's records missing")
	}
	if _, page = ts.get(t, admin, "/admin/audit?from=2001-01-01&to=2001-01-02"); strings.Contains(page, "<td>project.create</td>") {
		t.Error("filter by period: a day in 2001 shows today's records")
	}
	res, body := ts.get(t, admin, "/admin/audit/export?project=test-project")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("export: %d", res.StatusCode)
	}
	sc := bufio.NewScanner(strings.NewReader(body))
	lines := 0
	for sc.Scan() {
		var l store.AuditLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil || l.Project != ts.Project.ID || len(l.Hash) != 64 {
			t.Errorf("export line %q: %+v %v", sc.Text(), l, err)
		}
		lines++
	}
	if lines == 0 {
		t.Error("the export is empty")
	}
	if recs, _ := ts.DB.AuditRecords(t.Context(), store.AuditFilter{Action: "audit.export"}); len(recs) != 1 {
		t.Errorf("the export is not audited: %+v", recs)
	}

	form := url.Values{"_csrf": {ts.csrfFrom(t, admin, "/admin/audit")}, "days": {"100"}}
	if r := ts.postForm(t, admin, "/admin/audit/retention", form); r.StatusCode != http.StatusBadRequest {
		t.Errorf("100 days: %d, want a refusal", r.StatusCode)
	}
	form.Set("days", "3650")
	if r := ts.postForm(t, admin, "/admin/audit/retention", form); r.StatusCode != http.StatusSeeOther {
		t.Errorf("3650 days: %d", r.StatusCode)
	}
	if d, _ := ts.DB.AuditRetentionDays(t.Context()); d != 3650 {
		t.Errorf("audit retention %d, want 3650", d)
	}
	_, page = ts.get(t, admin, "/admin/audit")
	if !strings.Contains(page, i18n.T(i18n.NL, "audit.retention_lead", i18n.N(i18n.NL, "home.days", 3650))) {
		t.Error("the audit page does not show the new retention")
	}

	var health map[string]any
	if st := ts.getJSON(t, ts.client(t), "/healthz", &health); st != http.StatusOK || health["audit"] != "verified" || health["status"] != "ok" {
		t.Errorf("healthz: %d %v", st, health)
	}
}

// TestRetentionJobRepeats: the server's job does not only run at start.
// Here it runs every second instead of daily; a session whose material
// expires after the server started is deleted by a later run, without
// anyone asking.
func TestRetentionJobRepeats(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.RetentionEvery = time.Second })
	fac := ts.client(t)
	ts.login(t, fac, accounts.Facilitator)
	id, code := ts.openTestSession(t, fac)
	lc := ts.dialLive(t, ts.joinAs(t, code, "parent"), id, 0)
	lc.until("synced")
	lc.note("op-j1", "B", "zorg", "Een notitie die later verloopt.")
	lc.ack("op-j1")
	if st := ts.postJSON(t, fac, "/api/sessions/"+itoa64(id)+"/close", map[string]any{}, nil); st != http.StatusOK {
		t.Fatalf("close: %d", st)
	}
	time.Sleep(1500 * time.Millisecond) // runs that find nothing
	closed := store.At(time.Now().AddDate(0, 0, -731))
	if _, err := ts.DB.Write.ExecContext(t.Context(), `UPDATE sessions SET closed_at = ? WHERE id = ?`, closed, id); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		var notes int
		ts.DB.Read.QueryRow(`SELECT COUNT(*) FROM notes WHERE session_id = ?`, id).Scan(&notes)
		if notes == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the job did not delete the expired notes within 20 s; logs:\n%s", ts.Logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n := strings.Count(ts.Logs.String(), "msg=retention deleted="); n < 2 {
		t.Errorf("the job logged %d runs, want several", n)
	}
}
