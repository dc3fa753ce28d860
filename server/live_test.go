package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"atelier/accounts"
	"atelier/sessions"
)

// postJSON posts body as c, from our own origin, and decodes the answer.
func (ts *testServer) postJSON(t testing.TB, c *http.Client, path string, body any, out any) int {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, ts.URL+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", ts.URL)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if out != nil {
		json.Unmarshal(data, out)
	}
	return res.StatusCode
}

// openTestSession imports and approves the test set, creates a session on
// two of its clusters and opens it. It returns the session id and code.
func (ts *testServer) openTestSession(t testing.TB, facilitator *http.Client) (int64, string) {
	t.Helper()
	setPath := ts.importTestSet(t)
	second := ts.client(t)
	ts.loginAs(t, second, "steward2@example.test")
	ts.postForm(t, second, setPath+"/approve", url.Values{"_csrf": {ts.csrfFrom(t, second, setPath)}})
	var created struct {
		ID    int64  `json:"id"`
		State string `json:"state"`
	}
	if st := ts.postJSON(t, facilitator, "/api/sessions", map[string]any{"project": "test-project", "title": "Werksessie",
		"question": "Hoe kunnen we gezinnen eerder helpen?", "clusters": []string{"B", "C"}}, &created); st != http.StatusCreated || created.State != "draft" {
		t.Fatalf("create session: %d %+v", st, created)
	}
	var opened struct{ Code string }
	if st := ts.postJSON(t, facilitator, "/api/sessions/"+itoa64(created.ID)+"/open", map[string]any{}, &opened); st != 200 || len(opened.Code) != sessions.CodeLength {
		t.Fatalf("open session: %d %+v", st, opened)
	}
	return created.ID, opened.Code
}

// joinAs joins a new participant and returns its cookie jar client.
func (ts *testServer) joinAs(t testing.TB, code, role string) *http.Client {
	t.Helper()
	c := ts.client(t)
	var out struct{ Participant struct{ Pseudonym string } }
	if st := ts.postJSON(t, c, "/api/join", map[string]string{"code": code, "role": role}, &out); st != 200 || out.Participant.Pseudonym == "" {
		t.Fatalf("join: %d %+v", st, out)
	}
	return c
}

// liveClient is a test client of the live protocol.
type liveClient struct {
	t    testing.TB
	conn *websocket.Conn
	msgs chan map[string]any
}

func (ts *testServer) dialLive(t testing.TB, c *http.Client, sessionID int64, since int64) *liveClient {
	t.Helper()
	u, _ := url.Parse(ts.URL)
	h := http.Header{"Origin": {ts.URL}}
	for _, ck := range c.Jar.Cookies(u) {
		h.Add("Cookie", ck.Name+"="+ck.Value)
	}
	conn, res, err := websocket.DefaultDialer.Dial("ws://"+u.Host+"/ws/sessions/"+itoa64(sessionID), h)
	if err != nil {
		st := 0
		if res != nil {
			st = res.StatusCode
		}
		t.Fatalf("dial: %v (%d)", err, st)
	}
	lc := &liveClient{t: t, conn: conn, msgs: make(chan map[string]any, 1000)}
	go func() {
		defer close(lc.msgs)
		for {
			_, data, err := conn.ReadMessage()
			if err != nil {
				return
			}
			var m map[string]any
			json.Unmarshal(data, &m)
			if m["type"] == "batch" {
				for _, it := range m["items"].([]any) {
					lc.msgs <- it.(map[string]any)
				}
				continue
			}
			lc.msgs <- m
		}
	}()
	t.Cleanup(func() { conn.Close() })
	lc.send(map[string]any{"type": "hello", "since": since})
	return lc
}

func (lc *liveClient) send(v any) {
	lc.t.Helper()
	if err := lc.conn.WriteJSON(v); err != nil {
		lc.t.Fatal(err)
	}
}

// next returns the next message, or fails after a few seconds.
func (lc *liveClient) next() map[string]any {
	lc.t.Helper()
	select {
	case m, ok := <-lc.msgs:
		if !ok {
			lc.t.Fatal("connection closed")
		}
		return m
	case <-time.After(5 * time.Second):
		lc.t.Fatal("no message within 5 s")
	}
	return nil
}

// until reads messages until one of type typ, returning all it read.
func (lc *liveClient) until(typ string) []map[string]any {
	lc.t.Helper()
	var out []map[string]any
	for {
		m := lc.next()
		out = append(out, m)
		if m["type"] == typ {
			return out
		}
	}
}

// quiet checks that nothing arrives for a while.
func (lc *liveClient) quiet(d time.Duration) {
	lc.t.Helper()
	select {
	case m := <-lc.msgs:
		lc.t.Fatalf("unexpected message %v", m)
	case <-time.After(d):
	}
}

func note(cluster, kind, text, opID string) map[string]any {
	return map[string]any{"type": "op", "op_id": opID, "op": "note.create", "data": map[string]string{"cluster": cluster, "kind": kind, "text": text}}
}

func TestLiveProtocol(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client(t)
	ts.login(t, fac, accounts.Facilitator)
	id, code := ts.openTestSession(t, fac)

	parent := ts.joinAs(t, strings.ToLower(code), "parent") // codes are forgiving about case
	pro := ts.joinAs(t, code, "professional")
	a := ts.dialLive(t, parent, id, 0)
	b := ts.dialLive(t, pro, id, 0)
	wall := ts.dialLive(t, fac, id, 0)
	for _, c := range []*liveClient{a, b, wall} {
		msgs := c.until("synced")
		if msgs[0]["type"] != "welcome" || msgs[1]["type"] != "snapshot" {
			t.Fatalf("catch-up sequence: %v", msgs)
		}
	}

	// A note: the sender gets an ack and the event, everyone the event.
	a.send(note("B", "zorg", "Ouders durven niet om hulp te vragen.", "op-1"))
	var ackSeq float64
	var mine bool
	for _, m := range a.until("ack") {
		if m["type"] == "event" {
			mine = m["note"].(map[string]any)["mine"].(bool)
		}
		if m["type"] == "ack" {
			ackSeq = m["seq"].(float64)
		}
	}
	// The event is published before the ack is sent, so it came first.
	if !mine || ackSeq == 0 {
		t.Fatalf("sender: mine=%v ack seq=%v", mine, ackSeq)
	}
	ev := b.next()
	if ev["type"] != "event" || ev["seq"].(float64) != ackSeq || ev["note"].(map[string]any)["mine"].(bool) {
		t.Fatalf("other participant got %v", ev)
	}
	if ev := wall.next(); ev["kind"] != "note.created" {
		t.Fatalf("facilitator got %v", ev)
	}

	// The same op_id again: acknowledged again, applied once.
	a.send(note("B", "zorg", "Ouders durven niet om hulp te vragen.", "op-1"))
	if ack := a.next(); ack["type"] != "ack" || ack["seq"].(float64) != ackSeq {
		t.Fatalf("repeated op: %v", ack)
	}
	b.quiet(300 * time.Millisecond)

	// Personal data is removed before storing, and the author is told.
	a.send(note("C", "idee", "Bel de wijkcoach op 06-12345678 of mail jan@voorbeeld.nl", "op-2"))
	var ack map[string]any
	for _, m := range a.until("ack") {
		ack = m
	}
	if ack["notice"] == nil || len(ack["removed"].([]any)) != 2 {
		t.Fatalf("privacy ack: %v", ack)
	}
	ev = b.next()
	text := ev["note"].(map[string]any)["text"].(string)
	if strings.Contains(text, "12345678") || strings.Contains(text, "voorbeeld.nl") || !strings.Contains(text, "[") {
		t.Fatalf("stored text: %q", text)
	}

	// Errors are typed and in the participant's language.
	a.send(note("X", "zorg", "Onbekend cluster", "op-3"))
	if m := a.next(); m["type"] != "error" || m["code"] != "invalid" || m["op_id"] != "op-3" {
		t.Fatalf("bad cluster: %v", m)
	}
	b.send(map[string]any{"type": "op", "op_id": "b-1", "op": "note.delete", "data": map[string]string{"id": ev["note"].(map[string]any)["id"].(string)}})
	if m := b.next(); m["type"] != "error" || m["code"] != "forbidden" {
		t.Fatalf("deleting someone else's note: %v", m)
	}

	// A reconnecting client receives exactly what it missed.
	lastSeen := ev["seq"].(float64)
	b.conn.Close()
	for i, txt := range []string{"een", "twee", "drie"} {
		a.send(note("B", "kans", "Gemist "+txt, "miss-"+itoa64(int64(i))))
	}
	b2 := ts.dialLive(t, pro, id, int64(lastSeen))
	msgs := b2.until("synced")
	var missed []float64
	for _, m := range msgs {
		if m["type"] == "event" {
			missed = append(missed, m["seq"].(float64))
		}
		if m["type"] == "snapshot" {
			t.Fatal("got a snapshot where three events would do")
		}
	}
	// Events after the catch-up read may follow: collect until all three.
	for len(missed) < 3 {
		m := b2.next()
		if m["type"] == "event" {
			missed = append(missed, m["seq"].(float64))
		}
	}
	for i, s := range missed {
		if s != lastSeen+float64(i)+1 {
			t.Fatalf("missed events %v after %v", missed, lastSeen)
		}
	}

	// Votes within the budget (5).
	for i := 0; i < 6; i++ {
		b2.send(map[string]any{"type": "op", "op_id": "v" + itoa64(int64(i)), "op": "vote.add", "data": map[string]string{"note": "n1"}})
	}
	var budget map[string]any
	for budget == nil {
		m := b2.next()
		if m["type"] == "error" {
			budget = m
		}
	}
	if budget["code"] != "budget" || budget["op_id"] != "v5" {
		t.Fatalf("sixth vote: %v", budget)
	}

	// Closing: everyone hears it, and nothing more can be added.
	if st := ts.postJSON(t, fac, "/api/sessions/"+itoa64(id)+"/close", map[string]any{}, nil); st != 200 {
		t.Fatalf("close: %d", st)
	}
	for {
		m := a.next()
		if m["kind"] == "session.changed" {
			if m["session"].(map[string]any)["state"] != "closed" {
				t.Fatalf("session.changed: %v", m)
			}
			break
		}
	}
	// Then the server ends the connection with 1000 (docs/protocol.md).
	select {
	case m, open := <-a.msgs:
		if open {
			t.Fatalf("after the session closed: %v", m)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the connection stayed open after the session closed")
	}
	if _, _, err := a.conn.ReadMessage(); !websocket.IsCloseError(err, websocket.CloseNormalClosure) {
		t.Fatalf("close after the session closed: %v, want 1000", err)
	}
	if st := ts.postJSON(t, ts.client(t), "/api/join", map[string]string{"code": code, "role": "parent"}, nil); st != http.StatusNotFound {
		t.Fatalf("joining a closed session: %d", st)
	}

	// Nothing personal in the database file: not the number, not the code,
	// not a participant's token (only its hash is kept).
	secrets := []string{"12345678", "jan@voorbeeld.nl", code, "127.0.0.1"}
	u, _ := url.Parse(ts.URL)
	for _, c := range []*http.Client{parent, pro} {
		for _, ck := range c.Jar.Cookies(u) {
			if ck.Name == "atelier_participant" {
				secrets = append(secrets, ck.Value)
			}
		}
	}
	if len(secrets) != 6 {
		t.Fatalf("participant cookies not found: %d secrets", len(secrets))
	}
	ts.Live.Close()
	ts.DB.Close()
	files, _ := os.ReadDir(ts.DataDir)
	for _, f := range files {
		b, _ := os.ReadFile(ts.DataDir + "/" + f.Name())
		for _, secret := range secrets {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s contains %q", f.Name(), secret)
			}
		}
	}
	for _, secret := range secrets {
		if strings.Contains(ts.Logs.String(), secret) {
			t.Errorf("the logs contain %q", secret)
		}
	}
}
