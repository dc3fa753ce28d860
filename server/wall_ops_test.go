package server

import (
	"encoding/json"
	"testing"

	"atelier/accounts"
)

// TestWallOps: the wall's view, variable and join panel are session state
// like the focus: every client follows in sequence, a wrong value is
// refused, participants may not send them, a reconnecting client gets
// them in its welcome, and moving the focus resets the variable.
func TestWallOps(t *testing.T) {
	ts := newTestServer(t)
	id, a, b, wall, bClient := ts.openLiveRoom(t)

	session := func(ev map[string]any) map[string]any {
		t.Helper()
		if ev["kind"] != "session.changed" {
			t.Fatalf("want session.changed, got %v", ev)
		}
		return ev["session"].(map[string]any)
	}
	wall.send(facOp("w1", "session.view", map[string]any{"view": "results"}))
	for _, c := range []*liveClient{a, b, wall} {
		if s := session(c.nextEvent()); s["wall_view"] != "results" {
			t.Fatalf("view: %v", s)
		}
	}
	wall.send(facOp("w2", "session.variable", map[string]any{"variable": "huishoudtype"}))
	for _, c := range []*liveClient{a, b, wall} {
		if s := session(c.nextEvent()); s["wall_variable"] != "huishoudtype" {
			t.Fatalf("variable: %v", s)
		}
	}
	wall.send(facOp("w3", "session.join", map[string]any{"on": true}))
	for _, c := range []*liveClient{a, b, wall} {
		if s := session(c.nextEvent()); s["join_large"] != true {
			t.Fatalf("join: %v", s)
		}
	}

	// Wrong values and wrong senders change nothing.
	for _, bad := range []map[string]any{
		facOp("w4", "session.view", map[string]any{"view": "slides"}),
		facOp("w5", "session.view", map[string]any{}),
		facOp("w6", "session.variable", map[string]any{"variable": string(make([]byte, 101))}),
		facOp("w7", "session.join", map[string]any{"on": "ja"}),
	} {
		wall.send(bad)
		m := wall.next()
		for m["type"] == "ack" {
			m = wall.next() // of the ops above
		}
		if m["type"] != "error" || m["code"] != "invalid" || m["op_id"] != bad["op_id"] {
			t.Fatalf("%v: %v", bad, m)
		}
	}
	a.send(facOp("a1", "session.view", map[string]any{"view": "chart"}))
	if m := a.next(); m["type"] != "error" || m["code"] != "forbidden" || m["op_id"] != "a1" {
		t.Fatalf("participant changing the wall: %v", m)
	}

	// A reconnecting phone gets the state in its welcome.
	b2 := ts.dialLive(t, bClient, id, 0)
	var welcome map[string]any
	for _, m := range b2.until("synced") {
		if m["type"] == "welcome" {
			welcome = m["session"].(map[string]any)
		}
	}
	if welcome["wall_view"] != "results" || welcome["wall_variable"] != "huishoudtype" || welcome["join_large"] != true {
		t.Fatalf("welcome after reconnecting: %v", welcome)
	}

	// Moving the focus resets the variable: the next cluster may have
	// nothing published for it.
	wall.send(facOp("w8", "session.focus", map[string]any{"cluster": "C"}))
	ev := wall.nextEvent()
	for ev["kind"] != "session.changed" {
		ev = wall.nextEvent()
	}
	if s := session(ev); s["focus"] != "C" || s["wall_variable"] != "" || s["wall_view"] != "results" {
		t.Fatalf("focus: %v", s)
	}

	// The console's picker: per cluster the variables with published
	// figures.
	fac := ts.client(t)
	ts.login(t, fac, accounts.Facilitator)
	res, err := fac.Get(ts.URL + "/api/sessions/" + itoa64(id) + "/wall")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Clusters []struct {
			ID        string
			Variables []struct{ Name, Label, Chart string }
		}
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != 200 || len(out.Clusters) == 0 {
		t.Fatalf("GET wall: %d %v %+v", res.StatusCode, err, out)
	}
	for _, c := range out.Clusters {
		if len(c.Variables) == 0 || c.Variables[0].Chart == "" {
			t.Errorf("cluster %s offers no variable: %+v", c.ID, c)
		}
	}
	// A participant may not ask.
	res2, err := bClient.Get(ts.URL + "/api/sessions/" + itoa64(id) + "/wall")
	if err == nil {
		res2.Body.Close()
		if res2.StatusCode == 200 {
			t.Error("a participant read the wall's variables")
		}
	}
}
