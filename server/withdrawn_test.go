package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"atelier/accounts"
)

// TestWithdrawnSetIsGone: a set used by a session is withdrawn. From then
// on no page, API answer, export or websocket welcome of that session holds
// its cluster labels or figures; they say "ingetrokken profiel" instead,
// and the notes stay.
func TestWithdrawnSetIsGone(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client(t)
	ts.login(t, fac, accounts.Facilitator)
	id, code := ts.openTestSession(t, fac) // clusters B and C of the test set
	sid := itoa64(id)
	labels := []string{"Werkende paren met kinderen", "Alleenstaanden met schulden"}

	phone := ts.joinAs(t, code, "parent")
	lc := ts.dialLive(t, phone, id, 0)
	lc.until("synced")
	lc.note("op-withdrawn-1", "B", "zorg", "Een notitie die blijft")
	lc.ack("op-withdrawn-1")

	// Before: the labels are there.
	if _, body := ts.get(t, fac, "/s/"+sid+"/console"); !strings.Contains(body, labels[0]) {
		t.Fatalf("console does not name cluster B before the withdrawal")
	}

	steward := ts.client(t)
	ts.loginAs(t, steward, "steward2@example.test")
	setPath := "/p/test-project/sets/1"
	res := ts.postForm(t, steward, setPath+"/withdraw", url.Values{"_csrf": {ts.csrfFrom(t, steward, setPath)}, "reason": {"Nieuwe export."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", res.StatusCode)
	}

	gone := func(where, body string, wantMarker bool) {
		t.Helper()
		for _, l := range labels {
			if strings.Contains(body, l) {
				t.Errorf("%s still names %q after the withdrawal", where, l)
			}
		}
		for _, fig := range []string{"210 huishoudens", "150 huishoudens", "/api/sets/1/"} {
			if strings.Contains(body, fig) {
				t.Errorf("%s still shows %q after the withdrawal", where, fig)
			}
		}
		if wantMarker && !strings.Contains(body, "ingetrokken profiel") {
			t.Errorf("%s does not say 'ingetrokken profiel'", where)
		}
	}
	for _, p := range []string{"/s/" + sid + "/console", "/s/" + sid + "/wall"} {
		res, body := ts.get(t, fac, p)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", p, res.StatusCode)
		}
		gone(p, body, true)
	}
	res, body := ts.get(t, phone, "/s/"+sid)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("phone: %d", res.StatusCode)
	}
	gone("phone", body, false) // the phone names the focus only, and B is not in focus
	_, body = ts.get(t, fac, "/api/sessions/"+sid)
	gone("session API", body, false)
	if !strings.Contains(body, `"withdrawn":true`) {
		t.Errorf("session API does not mark the clusters withdrawn: %.300s", body)
	}

	// A new connection's welcome carries no label, and the note is there.
	// The live engine trusts a session it read for at most sessionTTL (a
	// second): a welcome may name the clusters until then, never after.
	var welcome, notes string
	for deadline := time.Now().Add(3 * time.Second); ; {
		lc2 := ts.dialLive(t, phone, id, 0)
		welcome, notes = "", ""
		for _, m := range lc2.until("synced") {
			if m.Welcome != nil {
				welcome = toJSON(t, m.Welcome)
			}
			notes += toJSON(t, m)
		}
		lc2.Close()
		if strings.Contains(welcome, `"withdrawn":true`) || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	gone("welcome", welcome, false)
	if !strings.Contains(welcome, `"withdrawn":true`) {
		t.Errorf("welcome does not mark the clusters withdrawn: %.300s", welcome)
	}
	if !strings.Contains(notes, "Een notitie die blijft") {
		t.Error("the note left with the figures")
	}

	// The report and its CSV, once closed.
	ts.postJSON(t, fac, "/api/sessions/"+sid+"/close", map[string]any{}, nil)
	for _, p := range []string{"/s/" + sid + "/report", "/s/" + sid + "/export.csv"} {
		res, body := ts.get(t, fac, p)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", p, res.StatusCode)
		}
		gone(p, body, true)
		if !strings.Contains(body, "Een notitie die blijft") {
			t.Errorf("%s lost the note", p)
		}
	}
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
