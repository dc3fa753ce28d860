package server

import (
	"encoding/json"
	"testing"

	"atelier/accounts"
	"atelier/sessions"
)

// TestWallOps: the wall's view, variable and join panel are session state
// like the focus: every client follows in sequence, a wrong value is
// refused, participants may not send them, a reconnecting client gets
// them in its welcome, and moving the focus resets the variable.
func TestWallOps(t *testing.T) {
	ts := newTestServer(t)
	id, a, b, wall, bClient := ts.openLiveRoom(t)

	session := func(ev *sessions.EventMessage) *sessions.SessionView {
		t.Helper()
		if ev.Kind != "session.changed" || ev.Session == nil {
			t.Fatalf("want session.changed, got %+v", ev)
		}
		return ev.Session
	}
	wall.op("w1", "session.view", map[string]any{"view": "results"})
	for _, c := range []*liveClient{a, b, wall} {
		if s := session(c.nextEvent()); s.WallView != "results" {
			t.Fatalf("view: %+v", s)
		}
	}
	wall.op("w2", "session.variable", map[string]any{"variable": "huishoudtype"})
	for _, c := range []*liveClient{a, b, wall} {
		if s := session(c.nextEvent()); s.WallVariable != "huishoudtype" {
			t.Fatalf("variable: %+v", s)
		}
	}
	wall.op("w3", "session.join", map[string]any{"on": true})
	for _, c := range []*liveClient{a, b, wall} {
		if s := session(c.nextEvent()); !s.JoinLarge {
			t.Fatalf("join: %+v", s)
		}
	}

	// Wrong values and wrong senders change nothing.
	for _, bad := range []struct {
		opID, op string
		data     map[string]any
	}{
		{"w4", "session.view", map[string]any{"view": "slides"}},
		{"w5", "session.view", map[string]any{}},
		{"w6", "session.variable", map[string]any{"variable": string(make([]byte, 101))}},
		{"w7", "session.join", map[string]any{"on": "ja"}},
	} {
		wall.op(bad.opID, bad.op, bad.data)
		if m := wall.refusal(bad.opID); m.Code != "invalid" {
			t.Fatalf("%v: %+v", bad, m)
		}
	}
	a.op("a1", "session.view", map[string]any{"view": "chart"})
	if m := a.refusal("a1"); m.Code != "forbidden" {
		t.Fatalf("participant changing the wall: %+v", m)
	}

	// A reconnecting phone gets the state in its welcome.
	b2 := ts.dialLive(t, bClient, id, 0)
	var welcome *sessions.SessionView
	for _, m := range b2.until("synced") {
		if m.Welcome != nil {
			welcome = &m.Welcome.Session
		}
	}
	if welcome == nil || welcome.WallView != "results" || welcome.WallVariable != "huishoudtype" || !welcome.JoinLarge {
		t.Fatalf("welcome after reconnecting: %+v", welcome)
	}

	// Moving the focus resets the variable: the next cluster may have
	// nothing published for it.
	wall.op("w8", "session.focus", map[string]any{"cluster": "C"})
	if s := session(wall.eventOf("session.changed")); s.Focus != "C" || s.WallVariable != "" || s.WallView != "results" {
		t.Fatalf("focus: %+v", s)
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
