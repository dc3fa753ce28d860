package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"atelier/accounts"
	"atelier/internal/liveclient"
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

// liveClient is a connection to a live session (internal/liveclient) that
// fails its test instead of returning errors.
type liveClient struct {
	*liveclient.Conn
	t testing.TB
}

// dialLive connects c to the session and says hello with since; it does
// not wait for synced.
func (ts *testServer) dialLive(t testing.TB, c *http.Client, sessionID int64, since int64) *liveClient {
	t.Helper()
	conn, err := liveclient.Dial(t.Context(), liveclient.Options{URL: ts.URL, Session: sessionID, Client: c, Since: since})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &liveClient{conn, t}
}

// liveWait bounds every wait for a message.
const liveWait = 5 * time.Second

// op sends an op under the given op id.
func (lc *liveClient) op(opID, op string, data any) {
	lc.t.Helper()
	if err := lc.SendOp(opID, op, data); err != nil {
		lc.t.Fatal(err)
	}
}

// note sends note.create.
func (lc *liveClient) note(opID, cluster, kind, text string) {
	lc.t.Helper()
	lc.op(opID, "note.create", map[string]string{"cluster": cluster, "kind": kind, "text": text})
}

// next returns the next message, or fails after a few seconds.
func (lc *liveClient) next() liveclient.Message {
	lc.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), liveWait)
	defer cancel()
	m, err := lc.Next(ctx)
	if err != nil {
		lc.t.Fatalf("next message: %v", err)
	}
	return m
}

// until reads messages until one of type typ, returning all it read.
func (lc *liveClient) until(typ string) []liveclient.Message {
	lc.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), liveWait)
	defer cancel()
	msgs, err := lc.Until(ctx, typ)
	if err != nil {
		lc.t.Fatalf("until %s: %v (read %v)", typ, err, msgs)
	}
	return msgs
}

// ack reads until the answer to opID and fails unless it is an ack.
func (lc *liveClient) ack(opID string) *sessions.Ack {
	lc.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), liveWait)
	defer cancel()
	a, err := lc.WaitAck(ctx, opID)
	if err != nil {
		lc.t.Fatalf("op %s: %v", opID, err)
	}
	return a
}

// refusal reads until the answer to opID and fails unless it is an error.
func (lc *liveClient) refusal(opID string) *liveclient.OpError {
	lc.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), liveWait)
	defer cancel()
	a, err := lc.WaitAck(ctx, opID)
	var oe *liveclient.OpError
	if !errors.As(err, &oe) {
		lc.t.Fatalf("op %s: want a refusal, got %+v, %v", opID, a, err)
	}
	return oe
}

// nextEvent skips acks and returns the next event; an error fails.
func (lc *liveClient) nextEvent() *sessions.EventMessage {
	lc.t.Helper()
	for {
		m := lc.next()
		if m.Event != nil {
			return m.Event
		}
		if m.Error != nil {
			lc.t.Fatalf("unexpected error %v", m)
		}
	}
}

// eventOf skips messages until an event of kind, and returns it.
func (lc *liveClient) eventOf(kind string) *sessions.EventMessage {
	lc.t.Helper()
	for {
		if ev := lc.nextEvent(); ev.Kind == kind {
			return ev
		}
	}
}

// snapshot reads until synced and returns the snapshot on the way.
func (lc *liveClient) snapshot() *sessions.Snapshot {
	lc.t.Helper()
	for _, m := range lc.until("synced") {
		if m.Snapshot != nil {
			return m.Snapshot
		}
	}
	lc.t.Fatal("no snapshot")
	return nil
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
		if msgs[0].Welcome == nil || msgs[1].Snapshot == nil {
			t.Fatalf("catch-up sequence: %v", msgs)
		}
	}

	// A note: the sender gets an ack and the event, everyone the event.
	a.note("op-1", "B", "zorg", "Ouders durven niet om hulp te vragen.")
	var first *sessions.Ack
	var mine bool
	for _, m := range a.until("ack") {
		if m.Event != nil {
			mine = m.Event.Note.Mine
		}
		first = m.Ack
	}
	// The event is published before the ack is sent, so it came first.
	if !mine || first.OpID != "op-1" || first.Seq == 0 {
		t.Fatalf("sender: mine=%v ack %+v", mine, first)
	}
	ev := b.next().Event
	if ev == nil || ev.Seq != first.Seq || ev.Note.Mine {
		t.Fatalf("other participant got %+v", ev)
	}
	if ev := wall.next().Event; ev == nil || ev.Kind != "note.created" {
		t.Fatalf("facilitator got %+v", ev)
	}

	// The same op_id again: acknowledged again, applied once (the next
	// event anyone sees is the next op's, right after the first).
	a.note("op-1", "B", "zorg", "Ouders durven niet om hulp te vragen.")
	if again := a.next().Ack; again == nil || again.Seq != first.Seq || again.ID != first.ID {
		t.Fatalf("repeated op: %+v", again)
	}

	// Personal data is removed before storing, and the author is told.
	a.note("op-2", "C", "idee", "Bel de wijkcoach op 06-12345678 of mail jan@voorbeeld.nl")
	if ack := a.ack("op-2"); ack.Notice == "" || len(ack.Removed) != 2 {
		t.Fatalf("privacy ack: %+v", ack)
	}
	ev = b.next().Event
	if ev == nil || ev.Seq != first.Seq+1 {
		t.Fatalf("after a repeated op: %+v, want the next op's event, seq %d", ev, first.Seq+1)
	}
	if text := ev.Note.Text; strings.Contains(text, "12345678") || strings.Contains(text, "voorbeeld.nl") || !strings.Contains(text, "[") {
		t.Fatalf("stored text: %q", text)
	}

	// Errors are typed and in the participant's language.
	a.note("op-3", "X", "zorg", "Onbekend cluster")
	if m := a.next().Error; m == nil || m.Code != "invalid" || m.OpID != "op-3" {
		t.Fatalf("bad cluster: %+v", m)
	}
	b.op("b-1", "note.delete", map[string]string{"id": ev.Note.ID})
	if m := b.next().Error; m == nil || m.Code != "forbidden" {
		t.Fatalf("deleting someone else's note: %+v", m)
	}

	// A reconnecting client receives exactly what it missed.
	lastSeen := ev.Seq
	b.Close()
	for i, txt := range []string{"een", "twee", "drie"} {
		a.note("miss-"+itoa64(int64(i)), "B", "kans", "Gemist "+txt)
	}
	b2 := ts.dialLive(t, pro, id, lastSeen)
	var missed []int64
	for _, m := range b2.until("synced") {
		if m.Event != nil {
			missed = append(missed, m.Event.Seq)
		}
		if m.Snapshot != nil {
			t.Fatal("got a snapshot where three events would do")
		}
	}
	// Events after the catch-up read may follow: collect until all three.
	for len(missed) < 3 {
		if m := b2.next(); m.Event != nil {
			missed = append(missed, m.Event.Seq)
		}
	}
	for i, s := range missed {
		if s != lastSeen+int64(i)+1 {
			t.Fatalf("missed events %v after %v", missed, lastSeen)
		}
	}
	if st := b2.Stats(); st != (liveclient.Stats{}) {
		t.Fatalf("sequence after reconnecting: %+v", st)
	}

	// Votes within the budget (5).
	for i := 0; i < 6; i++ {
		b2.op("v"+itoa64(int64(i)), "vote.add", map[string]string{"note": "n1"})
	}
	if m := b2.refusal("v5"); m.Code != "budget" {
		t.Fatalf("sixth vote: %+v", m)
	}

	// Closing: everyone hears it, and nothing more can be added.
	if st := ts.postJSON(t, fac, "/api/sessions/"+itoa64(id)+"/close", map[string]any{}, nil); st != 200 {
		t.Fatalf("close: %d", st)
	}
	if ev := a.eventOf("session.changed"); ev.Session.State != "closed" {
		t.Fatalf("session.changed: %+v", ev.Session)
	}
	// Then the server ends the connection with 1000 (docs/protocol.md).
	ctx, cancel := context.WithTimeout(t.Context(), liveWait)
	defer cancel()
	if m, err := a.Next(ctx); !errors.Is(err, liveclient.ErrClosed) {
		t.Fatalf("after the session closed: %v, %v", m, err)
	}
	if code := a.CloseCode(); code != websocket.CloseNormalClosure {
		t.Fatalf("close after the session closed: %d, want 1000", code)
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
