package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"atelier/accounts"
)

// TestMarkersNameNoThreshold: wherever a figure is hidden (cluster pages,
// chart options, the set page) the marker is "afgeschermd" and never
// "<10": a cluster whose size is a secondary suppression is not under 10,
// and saying so would narrow what it can be.
func TestMarkersNameNoThreshold(t *testing.T) {
	ts := newTestServer(t)
	setPath := ts.importTestSet(t)
	second := ts.client(t)
	ts.loginAs(t, second, "steward2@example.test")
	ts.postForm(t, second, setPath+"/approve", url.Values{"_csrf": {ts.csrfFrom(t, second, setPath)}})
	c := ts.client(t)
	ts.login(t, c, accounts.Policymaker)
	id := setLocation.FindStringSubmatch(setPath)[1]
	hidden := 0
	paths := []string{setPath}
	for _, cl := range []string{"A", "B", "C", "E"} {
		paths = append(paths, setPath+"/clusters/"+cl)
		for _, v := range []string{"huishoudtype", "huurachterstand", "inkomen"} {
			paths = append(paths, "/api/sets/"+id+"/clusters/"+cl+"/charts/"+v)
		}
	}
	for _, p := range paths {
		res, body := ts.get(t, c, p)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", p, res.StatusCode)
		}
		for _, bad := range []string{"&lt;10", "<10", `\u003c10`, "(<", "(&lt;"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s holds %q", p, bad)
			}
		}
		hidden += strings.Count(body, "afgeschermd")
		if strings.Contains(p, "/clusters/") && !strings.Contains(p, "/api/") && strings.Contains(body, "Aantal huishoudens afgeschermd") {
			// A hidden size says so without a threshold, and the page
			// explains the marker beside its charts.
			if !strings.Contains(body, "Welke reden bij welk cijfer hoort, zeggen we niet") {
				t.Errorf("%s: a hidden size without the explanation of the marker", p)
			}
		}
	}
	if hidden == 0 {
		t.Fatal("no hidden figure in the test set: the test would pass vacuously")
	}
}
