package server

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
)

// TestInsightsAcrossSessions: over three closed sessions of one project, a
// search finds a word used in a note of the first and an excerpt of the
// third; the filters narrow it; the CSV holds exactly the rows the page and
// the JSON show; an open session's notes never appear; participants never
// get in.
func TestInsightsAcrossSessions(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client(t)
	ts.login(t, fac, "facilitator")

	type written struct{ role, op, text string }
	session := func(close bool, items ...written) int64 {
		id, code := ts.openTestSession(t, fac)
		for i, w := range items {
			lc := ts.dialLive(t, ts.joinAs(t, code, w.role), id, 0)
			lc.until("synced")
			data := map[string]any{"cluster": "B", "kind": "zorg", "text": w.text}
			if w.op == "excerpt.create" {
				data = map[string]any{"cluster": "B", "text": w.text, "source": "interview", "tags": []string{"wachtlijst"}}
			}
			lc.op("w"+itoa64(int64(i)), w.op, data)
			lc.ack("w" + itoa64(int64(i)))
		}
		if close {
			if st := ts.postJSON(t, fac, "/api/sessions/"+itoa64(id)+"/close", map[string]any{}, nil); st != http.StatusOK {
				t.Fatalf("close: %d", st)
			}
		}
		return id
	}
	session(true, written{"parent", "note.create", "De wachtlijst bij de schuldhulp is te lang"})
	session(true, written{"parent", "note.create", "Brieven zijn moeilijk te lezen"})
	session(true, written{"professional", "excerpt.create", "Ouders haken af door de wachtlijsten"})
	session(false, written{"parent", "note.create", "Wachtlijst genoemd in een open sessie"})

	policy := ts.client(t)
	ts.login(t, policy, "policymaker")
	var out struct {
		Items []struct {
			Type, Text, Kind string
			Votes            *int
		}
		Sessions []struct{ ID int64 }
	}
	if st := ts.getJSON(t, policy, "/api/projects/test-project/insights?q=wachtlijst", &out); st != http.StatusOK {
		t.Fatalf("insights: %d", st)
	}
	texts := map[string]bool{}
	for _, it := range out.Items {
		texts[it.Text] = true
	}
	if len(out.Items) != 2 || !texts["De wachtlijst bij de schuldhulp is te lang"] || !texts["Ouders haken af door de wachtlijsten"] {
		t.Fatalf("search for wachtlijst: %+v", out.Items)
	}
	if len(out.Sessions) != 3 {
		t.Fatalf("%d sessions, want the 3 closed ones", len(out.Sessions))
	}
	if st := ts.getJSON(t, policy, "/api/projects/test-project/insights?q=wachtlijst&kind=excerpt", &out); st != http.StatusOK || len(out.Items) != 1 || out.Items[0].Type != "excerpt" {
		t.Fatalf("excerpts only: %d %+v", st, out.Items)
	}
	if st := ts.getJSON(t, policy, "/api/projects/test-project/insights?q=wachtlijst&kind=zorg&tag=wachtlijst", &out); st != http.StatusOK || len(out.Items) != 0 {
		t.Fatalf("notes with an excerpt tag: %d %+v", st, out.Items)
	}

	res, page := ts.get(t, policy, "/p/test-project/insights?q=wachtlijst")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("page: %d", res.StatusCode)
	}
	for _, want := range []string{"De wachtlijst bij de schuldhulp is te lang", "Ouders haken af door de wachtlijsten", "Testen van Atelier."} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// The export links carry the filter: the CSV is the filtered result.
	for _, link := range []string{`href="/p/test-project/insights.csv?q=wachtlijst"`, `href="/p/test-project/insights.csv?q=wachtlijst&amp;sep=semicolon"`} {
		if !strings.Contains(page, link) {
			t.Errorf("the page lacks the export link %s", link)
		}
	}
	for _, body := range []string{page} {
		if strings.Contains(body, "open sessie") || strings.Contains(body, "Brieven zijn moeilijk") {
			t.Errorf("the page shows what it should not")
		}
	}
	for _, sep := range []string{"", "semicolon"} {
		res, body := ts.get(t, policy, "/p/test-project/insights.csv?q=wachtlijst&sep="+sep)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("csv: %d", res.StatusCode)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF")))
		if sep == "semicolon" {
			r.Comma = ';'
		}
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1+2 {
			t.Fatalf("CSV rows %q, want a header and the 2 rows shown", rows)
		}
		for _, row := range rows[1:] {
			if !texts[row[6]] {
				t.Errorf("CSV row %q is not on the page", row)
			}
		}
	}
	// Participants never read insights: they have no account.
	if res, _ := ts.get(t, ts.client(t), "/api/projects/test-project/insights"); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("anonymous insights: %d", res.StatusCode)
	}
}
