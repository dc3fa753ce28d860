package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"atelier/accounts"
	"atelier/profiles"
)

// TestStewardReview: the review page over HTTP. A refused decision stays
// on the page with the steward's reason kept; a label correction is kept,
// listed and audited, and changes no figure; labels are final once the
// set is decided; a rejected set is on the review list and its review page
// only, never on a cluster or chart route, for stewards too.
func TestStewardReview(t *testing.T) {
	ts := newTestServer(t)
	setPath := ts.importTestSet(t)
	id := setLocation.FindStringSubmatch(setPath)[1]
	st := ts.client(t)
	ts.loginAs(t, st, "steward2@example.test")

	_, page := ts.get(t, st, setPath)
	for _, want := range []string{"Samenvatting", "Verloren informatie per kenmerk", "Helemaal afgeschermde kenmerken", "Regels van dit project",
		"Alle cijfers per cluster en kenmerk", "Labels nakijken en verbeteren", `class="decision-bar"`} {
		if !strings.Contains(page, want) {
			t.Errorf("review page lacks %q", want)
		}
	}

	// Rejecting without a reason: the page, not an error page.
	res, body := ts.postFormBody(t, st, setPath+"/reject", url.Values{"_csrf": {ts.csrfFrom(t, st, setPath)}, "reason": {"  "}})
	if res.StatusCode != http.StatusBadRequest && res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("reject without a reason: %d", res.StatusCode)
	}
	if !strings.Contains(body, `id="decision-error"`) || !strings.Contains(body, "Samenvatting") {
		t.Fatalf("reject without a reason is not the review page with the message:\n%.400s", body)
	}

	before, err := ts.Profiles.Set(t.Context(), profiles.Viewer{UserID: ts.Users[accounts.Steward].ID, Reviewer: true}, 1)
	if err != nil {
		t.Fatal(err)
	}
	res, body = ts.postFormBody(t, st, setPath+"/labels", url.Values{"_csrf": {ts.csrfFrom(t, st, setPath)},
		"name": {"Najaar 2026"}, "cluster-0": {"Eenoudergezinnen (bijstand)"}, "category-0-1": {"stel met kinderen"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("labels: %d %.300s", res.StatusCode, body)
	}
	after, err := ts.Profiles.Set(t.Context(), profiles.Viewer{UserID: ts.Users[accounts.Steward].ID, Reviewer: true}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if after.Name != "Najaar 2026" || after.Result.Clusters[0].Label != "Eenoudergezinnen (bijstand)" || after.Result.Variables[0].Categories[1] != "stel met kinderen" {
		t.Fatalf("labels not kept: %q %q %v", after.Name, after.Result.Clusters[0].Label, after.Result.Variables[0].Categories)
	}
	if toJSON(t, after.Result.Clusters[0].Variables) != toJSON(t, before.Result.Clusters[0].Variables) || after.Result.Summary.Figures != before.Result.Summary.Figures {
		t.Fatal("a label correction changed a figure")
	}
	_, page = ts.get(t, st, setPath)
	if !strings.Contains(page, "Verbeterde labels") || !strings.Contains(page, "Eenoudergezinnen (bijstand)") {
		t.Error("the corrected labels are not listed on the review page")
	}
	var audited int
	ts.DB.Read.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'profiles.relabel' AND result = 'ok:3'`).Scan(&audited)
	if audited != 1 {
		t.Errorf("relabel audited %d times with 3 changes, want 1", audited)
	}

	// Rejected with a reason: labels are final, figures gone from every
	// route but the review.
	if res := ts.postForm(t, st, setPath+"/reject", url.Values{"_csrf": {ts.csrfFrom(t, st, setPath)}, "reason": {"Verkeerde populatie."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reject: %d", res.StatusCode)
	}
	res, body = ts.postFormBody(t, st, setPath+"/labels", url.Values{"_csrf": {ts.csrfFrom(t, st, setPath)}, "name": {"Anders"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "Labels kunnen alleen worden verbeterd") {
		t.Errorf("labels of a rejected set: %d", res.StatusCode)
	}
	for _, who := range []*http.Client{st, func() *http.Client { c := ts.client(t); ts.login(t, c, accounts.Steward); return c }()} {
		if res, body := ts.get(t, who, setPath); res.StatusCode != http.StatusOK || !strings.Contains(body, "Afgewezen op") || strings.Contains(body, "/clusters/") {
			t.Errorf("review page of a rejected set: %d, figures linked: %v", res.StatusCode, strings.Contains(body, "/clusters/"))
		}
		if _, body := ts.get(t, who, "/p/test-project"); !strings.Contains(body, setPath) {
			t.Error("the rejected set is not on the review list")
		}
		for _, p := range []string{setPath + "/clusters/A", setPath + "/compare?variable=huishoudtype&c=A&c=B",
			"/api/sets/" + id + "/clusters/A/charts/huishoudtype", "/api/sets/" + id + "/compare/huishoudtype?c=A&c=B"} {
			if res, _ := ts.get(t, who, p); res.StatusCode != http.StatusNotFound {
				t.Errorf("steward, rejected set, %s: %d, want 404", p, res.StatusCode)
			}
		}
	}
}
