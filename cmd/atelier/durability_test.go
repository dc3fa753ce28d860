package main

// The kill -9 test of issue 4, item 6, and of DESIGN.md principle 5:
// "Nothing acknowledged is ever lost." It runs the real binary in a child
// process (not run() in-process: a SIGKILL must take the whole process, its
// SQLite connections and any buffers with it), sends a burst of notes from
// several participants, kills the server while the burst is going, starts
// the same binary again on the same data folder and reconnects the clients
// the way a real phone does: hello with the last sequence number it saw,
// then every pending op again with the same op_id. It then checks that
//
//   - every op acknowledged before the kill is in the session exactly once;
//   - every op that was pending at the kill is acknowledged after the
//     restart, exactly once in the session, and when it had been committed
//     before the kill, acknowledged with its original seq (not applied twice);
//   - no note text appears twice, no seq appears twice, no seq is skipped;
//   - every client converges to the same state as a fresh snapshot.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"atelier/internal/demo"
	"atelier/internal/liveclient"
	"atelier/internal/testutil"
	"atelier/sessions"
)

const (
	durParticipants = 24
	// durKillAfter is how many acks (over all participants) the clients
	// must have received before the server is killed: early enough that
	// the burst is still in flight, late enough that a good part of it
	// was acknowledged and must survive.
	durKillAfter = 100
	// The client keeps under the server's per-participant limit (10/s,
	// bursts of 30): 25 at once, then 8 a second.
	durBurst = 25
	durRate  = 8.0
)

func TestAcknowledgedOpsSurviveKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	started := time.Now()
	bin := buildAtelier(t)
	dir := filepath.Join(t.TempDir(), "data")

	// 1. A facilitator creates and opens a session on two approved clusters
	// of the demo project.
	srv := startBinary(t, bin, dir)
	fac := newClient()
	login(t, fac, srv.URL, "facilitator@atelier.test", demo.Password)
	var projects struct {
		Projects []struct {
			Slug     string
			Clusters []struct{ ID string }
		}
	}
	getJSON(t, fac, srv.URL+"/api/projects", &projects)
	var clusters []string
	for _, p := range projects.Projects {
		if p.Slug == "smart-start-demo" {
			for _, c := range p.Clusters {
				clusters = append(clusters, c.ID)
			}
		}
	}
	if len(clusters) < 2 {
		t.Fatalf("the demo project has %d approved clusters, want at least 2: %+v", len(clusters), projects)
	}
	clusters = clusters[:2]
	var created struct{ ID int64 }
	if st := postJSONTo(t, fac, srv.URL, "/api/sessions", map[string]any{"project": "smart-start-demo", "title": "Duurzaamheidstest",
		"question": "Hoe kunnen we niets verliezen?", "clusters": clusters}, &created); st != http.StatusCreated || created.ID == 0 {
		t.Fatalf("create session: %d %+v", st, created)
	}
	var opened struct{ Code string }
	if st := postJSONTo(t, fac, srv.URL, fmt.Sprintf("/api/sessions/%d/open", created.ID), map[string]any{}, &opened); st != 200 || opened.Code == "" {
		t.Fatalf("open session: %d %+v", st, opened)
	}
	// The cookies belong to this port; after the restart they are sent by
	// hand to the new one (only their hashes are in the database, so the
	// same values stay valid).
	facCookies := cookiesOf(fac, srv.URL)

	// 2. Participants join and sync.
	var acked atomic.Int64 // acks received by all clients, first acks only
	clients := make([]*durClient, durParticipants)
	for i := range clients {
		c := newClient()
		var joined struct{ Participant struct{ Pseudonym string } }
		if st := postJSONTo(t, c, srv.URL, "/api/join", map[string]string{"code": opened.Code, "role": "parent"}, &joined); st != 200 || joined.Participant.Pseudonym == "" {
			t.Fatalf("join: %d %+v", st, joined)
		}
		clients[i] = newDurClient(fmt.Sprintf("p%d", i), clusters, &acked)
		clients[i].dial(t, srv.URL, created.ID, cookiesOf(c, srv.URL))
	}
	t.Cleanup(func() {
		for _, c := range clients {
			c.close()
		}
	})
	initialSeq := clients[0].lastSeq()
	for _, c := range clients {
		if s := c.lastSeq(); s != initialSeq {
			t.Fatalf("clients synced at different seqs: %d and %d", initialSeq, s)
		}
	}

	// 3. The burst. Every participant sends notes as fast as the rate limit
	// allows; the server is killed once enough acks have come back, while
	// ops are still being sent and committed.
	// The kill comes from the reader that receives the durKillAfter-th ack,
	// at once: polling from here would be too slow, the server commits a
	// whole burst within milliseconds.
	var killOnce sync.Once
	for _, c := range clients {
		c.mu.Lock()
		c.onAck = func(n int64) {
			if n >= durKillAfter {
				killOnce.Do(func() { srv.cmd.Process.Kill() })
			}
		}
		c.mu.Unlock()
	}
	stop := make(chan struct{})
	var senders sync.WaitGroup
	for _, c := range clients {
		senders.Add(1)
		go func() {
			defer senders.Done()
			c.burst(stop)
		}()
	}
	deadline := time.Now().Add(20 * time.Second)
	for acked.Load() < durKillAfter && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
	if acked.Load() < durKillAfter {
		close(stop)
		t.Fatalf("only %d acks within 20 s; stderr:\n%s", acked.Load(), srv.Stderr.String())
	}
	srv.kill(t)
	close(stop)
	senders.Wait()
	// Let every reader see the end of its connection, so that every ack
	// the dead server managed to send is counted.
	for _, c := range clients {
		c.waitReader(5 * time.Second)
	}

	ackedBeforeKill := map[string]durAck{}
	pendingAtKill := map[string]bool{}
	sentBeforeKill := 0
	// What the clients were shown before the kill: the server publishes
	// only after committing, so all of it must be there after the restart.
	seenAtKill := map[string]int64{}
	seenNotes := map[string]string{}
	for _, c := range clients {
		for _, op := range c.conn.Pending() {
			pendingAtKill[op] = true
		}
		c.mu.Lock()
		seenAtKill[c.name] = c.seq
		for id, text := range c.notes {
			seenNotes[id] = text
		}
		for op, a := range c.acks {
			ackedBeforeKill[op] = a
		}
		sentBeforeKill += len(c.sent)
		c.mu.Unlock()
	}
	t.Logf("killed the server: %d ops sent, %d acknowledged, %d pending", sentBeforeKill, len(ackedBeforeKill), len(pendingAtKill))
	if len(pendingAtKill) == 0 {
		t.Log("no op was pending at the kill: the re-send path was not exercised this time")
	}

	// 4. The same binary on the same data folder, on a new port.
	srv2 := startBinary(t, bin, dir)

	// 5. Every participant reconnects with the last seq it saw, then sends
	// its pending ops again with the same op_ids (liveclient's Reconnect).
	for _, c := range clients {
		c.reconnect(t, srv2.URL)
		c.mu.Lock()
		if seen := seenAtKill[c.name]; seen > c.welcomeSeq {
			t.Errorf("%s was shown events up to seq %d before the kill, but the restarted session is at seq %d", c.name, seen, c.welcomeSeq)
		}
		c.mu.Unlock()
	}
	restartSeq := int64(0)
	for _, c := range clients {
		restartSeq = max(restartSeq, c.lastSeq())
	}
	// The kill does not always land between a commit and its acks, so
	// each client also re-sends its three last acknowledged ops, as a phone
	// does whose acks were lost with its connection: they must be
	// acknowledged again with their original seq, and not applied twice.
	replayed := 0
	for _, c := range clients {
		c.mu.Lock()
		var done []string
		for op := range c.acks {
			done = append(done, op)
		}
		c.mu.Unlock()
		sort.Strings(done)
		for _, op := range done[max(0, len(done)-3):] {
			if err := c.conn.SendOp(op, "note.create", c.opData(op)); err != nil {
				t.Fatalf("%s: re-send %s: %v", c.name, op, err)
			}
			replayed++
		}
	}
	// Wait until every op is answered; the clients re-send by themselves
	// what the server asks them to retry.
	deadline = time.Now().Add(15 * time.Second)
	for {
		left := 0
		for _, c := range clients {
			left += len(c.conn.Pending())
		}
		if left == 0 {
			break
		}
		if time.Now().After(deadline) {
			for _, c := range clients {
				c.mu.Lock()
				for _, p := range c.problems {
					t.Errorf("%s: %s", c.name, p)
				}
				c.mu.Unlock()
			}
			t.Fatalf("%d re-sent ops still unacknowledged after 15 s; stderr after the restart:\n%s", left, srv2.Stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}

	// 6. The final state, as a fresh connection sees it.
	obs := newDurClient("observer", nil, &atomic.Int64{})
	obs.dial(t, srv2.URL, created.ID, facCookies)
	t.Cleanup(obs.close)
	obs.mu.Lock()
	final, finalSeq, snapNotes := copyNotes(obs.notes), obs.seq, obs.snapshotNotes
	obs.mu.Unlock()

	// (b) No note twice, by id or by text.
	byText := map[string][]string{}
	ids := map[string]int{}
	for _, n := range snapNotes {
		byText[n.Text] = append(byText[n.Text], n.ID)
		ids[n.ID]++
	}
	for text, list := range byText {
		if len(list) > 1 {
			t.Errorf("note text %q is in the session %d times (ids %v)", text, len(list), list)
		}
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("note id %s is in the snapshot %d times", id, n)
		}
	}

	// (a) Every acknowledged op exactly once, as the note its ack named.
	allAcks := map[string]durAck{}
	sent := map[string]string{}
	for _, c := range clients {
		c.mu.Lock()
		for op, a := range c.acks {
			allAcks[op] = a
		}
		for op, text := range c.sent {
			sent[op] = text
		}
		c.mu.Unlock()
	}
	check := func(op string, a durAck, when string) {
		text := sent[op]
		if got := byText[text]; len(got) != 1 {
			t.Errorf("op %s (acknowledged %s as seq %d, %s) is in the session %d times, want once", op, when, a.Seq, a.ID, len(got))
		} else if got[0] != a.ID {
			t.Errorf("op %s was acknowledged %s as %s, but its text is note %s", op, when, a.ID, got[0])
		}
	}
	for op, a := range ackedBeforeKill {
		check(op, a, "before the kill")
		if a2 := allAcks[op]; a2 != a {
			t.Errorf("op %s: acknowledged before the kill as %+v, later as %+v", op, a, a2)
		}
	}
	committedBeforeKill := 0
	for op := range pendingAtKill {
		a, ok := allAcks[op]
		if !ok {
			t.Errorf("op %s, pending at the kill, was never acknowledged", op)
			continue
		}
		check(op, a, "after the restart")
		if a.Seq <= restartSeq {
			committedBeforeKill++ // its ack was lost with the server; the re-send found it
		}
	}
	for op := range sent {
		if _, ok := allAcks[op]; !ok && !pendingAtKill[op] {
			t.Errorf("op %s was sent but neither acknowledged nor pending", op)
		}
	}
	if len(snapNotes) != len(allAcks) {
		t.Errorf("the session has %d notes, the clients have %d acknowledged ops", len(snapNotes), len(allAcks))
	}
	// (d) One seq per op, each used once: nothing applied twice, nothing
	// sequenced that nobody asked for.
	seqs := map[int64]string{}
	for op, a := range allAcks {
		if other, dup := seqs[a.Seq]; dup {
			t.Errorf("ops %s and %s were both acknowledged as seq %d", op, other, a.Seq)
		}
		seqs[a.Seq] = op
		if a.Seq <= initialSeq || a.Seq > finalSeq {
			t.Errorf("op %s acknowledged as seq %d, outside (%d, %d]", op, a.Seq, initialSeq, finalSeq)
		}
	}
	if want := initialSeq + int64(len(allAcks)); finalSeq != want {
		t.Errorf("final seq %d, want %d (the seq before the burst, %d, plus one per acknowledged op, %d)",
			finalSeq, want, initialSeq, len(allAcks))
	}

	// (c) Every client converges on the fresh snapshot. Its seq is final
	// (all ops are acknowledged), so wait until each client has applied
	// events up to it, then compare what each one holds.
	deadline = time.Now().Add(10 * time.Second)
	for _, c := range clients {
		for c.lastSeq() < finalSeq && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		c.mu.Lock()
		seq, notes, problems := c.seq, copyNotes(c.notes), append([]string(nil), c.problems...)
		c.mu.Unlock()
		if seq != finalSeq {
			t.Errorf("%s is at seq %d, the session at %d", c.name, seq, finalSeq)
		}
		if d := diffNotes(notes, final); d != "" {
			t.Errorf("%s did not converge on the snapshot: %s", c.name, d)
		}
		for _, p := range problems {
			t.Errorf("%s: %s", c.name, p)
		}
		if st := c.conn.Stats(); st != (liveclient.Stats{}) {
			t.Errorf("%s saw events out of order: %d repeated, %d gaps", c.name, st.Stale, st.Gaps)
		}
	}
	for id, text := range seenNotes {
		if final[id] != text {
			t.Errorf("note %s (%q) was broadcast before the kill; after the restart it holds %q", id, text, final[id])
		}
	}
	obs.mu.Lock()
	for _, p := range obs.problems {
		t.Errorf("observer: %s", p)
	}
	obs.mu.Unlock()

	// 7. A clean stop of the restarted server.
	srv2.stop(t)
	t.Logf("%d ops acknowledged before the kill, %d pending (of which %d had been committed and were acknowledged again with their seq), "+
		"%d acknowledged ops re-sent; final seq %d, %d notes; %v", len(ackedBeforeKill), len(pendingAtKill), committedBeforeKill, replayed,
		finalSeq, len(snapNotes), time.Since(started).Round(time.Millisecond))
	if t.Failed() {
		t.Logf("stderr before the kill:\n%s\nstderr after the restart:\n%s", srv.Stderr.String(), srv2.Stderr.String())
	}
}

// buildAtelier builds the real binary once for this test.
func buildAtelier(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "atelier")
	out, err := exec.Command("go", "build", "-o", bin, "atelier/cmd/atelier").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// childServer is `atelier serve` running as a child process.
type childServer struct {
	URL            string
	Stdout, Stderr *testutil.SyncBuffer
	cmd            *exec.Cmd
	exited         chan struct{}
	err            error // of Wait, once exited is closed
}

// startBinary starts `BIN serve -demo` on a free port and waits for
// /healthz. A cleanup kills it if the test ends while it runs, so no
// process is ever left behind.
func startBinary(t *testing.T, bin, dir string) *childServer {
	t.Helper()
	s := &childServer{Stdout: &testutil.SyncBuffer{}, Stderr: &testutil.SyncBuffer{}, exited: make(chan struct{})}
	s.cmd = exec.Command(bin, "serve", "-addr", "127.0.0.1:0", "-data", dir, "-demo")
	// Settings from the environment must not point the server elsewhere.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ATELIER_") {
			s.cmd.Env = append(s.cmd.Env, kv)
		}
	}
	// Output is copied into buffers as it comes, so a full pipe never
	// blocks the server.
	s.cmd.Stdout, s.cmd.Stderr = s.Stdout, s.Stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-s.exited:
		default:
			s.cmd.Process.Kill()
			<-s.exited
		}
	})

	deadline := time.Now().Add(30 * time.Second)
	for s.URL == "" {
		if m := listening.FindStringSubmatch(s.Stdout.String()); m != nil {
			s.URL = m[1]
			break
		}
		select {
		case <-s.exited:
			t.Fatalf("serve ended early: %v\nstderr: %s", s.err, s.Stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not report its address; stdout: %s", s.Stdout.String())
		}
	}
	hc := &http.Client{Timeout: 2 * time.Second}
	for {
		res, err := hc.Get(s.URL + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("healthz never answered 200; stderr: %s", s.Stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill sends SIGKILL and waits until the process is gone.
func (s *childServer) kill(t *testing.T) {
	t.Helper()
	// The first ack handler past durKillAfter may have killed it already.
	if err := s.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("kill: %v", err)
	}
	<-s.exited
}

// stop sends SIGINT and waits for a clean exit.
func (s *childServer) stop(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
		if s.err != nil {
			t.Errorf("serve exited with %v after SIGINT; stderr: %s", s.err, s.Stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Errorf("serve did not stop within 15 s of SIGINT")
		s.cmd.Process.Kill()
		<-s.exited
	}
}

func cookiesOf(c *http.Client, base string) []*http.Cookie {
	u, _ := url.Parse(base)
	return c.Jar.Cookies(u)
}

func getJSON(t *testing.T, c *http.Client, u string, out any) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || json.Unmarshal(data, out) != nil {
		t.Fatalf("GET %s: %d %s", u, res.StatusCode, data)
	}
}

// postJSONTo posts body as c from base's own origin, as JSON endpoints
// require, and decodes the answer.
func postJSONTo(t *testing.T, c *http.Client, base, path string, body, out any) int {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", base)
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

// durAck is what an ack said about an op.
type durAck struct {
	Seq int64
	ID  string
}

// durClient is one participant as a real client behaves: through
// internal/liveclient it keeps every op pending until it is answered and
// re-sends pending ops after reconnecting; here it applies the snapshot
// and the events, and checks every ack against what it sent and saw.
// Whatever breaks the protocol's promises is collected in problems.
type durClient struct {
	name     string
	clusters []string
	acked    *atomic.Int64 // shared count of first acks
	conn     *liveclient.Conn

	mu            sync.Mutex
	onAck         func(n int64) // called with the new count, c.mu held
	seq           int64         // the last seq applied
	welcomeSeq    int64         // the session's seq when this connection was welcomed
	notes         map[string]string
	snapshotNotes []sessions.NoteView // the last snapshot, as received
	sent          map[string]string   // op_id -> text, every op ever sent
	acks          map[string]durAck   // op_id -> its (first) ack
	problems      []string
}

func newDurClient(name string, clusters []string, acked *atomic.Int64) *durClient {
	return &durClient{name: name, clusters: clusters, acked: acked, notes: map[string]string{}, sent: map[string]string{}, acks: map[string]durAck{}}
}

func (c *durClient) problem(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

func (c *durClient) lastSeq() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seq
}

// dial connects to the session with cookies and waits for synced.
func (c *durClient) dial(t *testing.T, base string, session int64, cookies []*http.Cookie) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	defer cancel()
	conn, err := liveclient.Dial(ctx, liveclient.Options{URL: base, Session: session, Cookies: cookies, OnMessage: c.handle})
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	c.conn = conn
	if err := conn.WaitSynced(ctx); err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
}

// reconnect connects again to the server now at base: hello with the last
// seq seen, then the pending ops again; it waits for synced.
func (c *durClient) reconnect(t *testing.T, base string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	defer cancel()
	if err := c.conn.Reconnect(ctx, base); err != nil {
		t.Fatalf("%s: reconnect: %v", c.name, err)
	}
	if err := c.conn.WaitSynced(ctx); err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
}

func (c *durClient) close() {
	if c.conn != nil {
		c.conn.Close()
	}
}

// waitReader waits until the current connection's reader has ended (the
// server is gone); Reconnect closes the socket if it is still open.
func (c *durClient) waitReader(d time.Duration) {
	select {
	case <-c.conn.Done():
	case <-time.After(d):
	}
}

// handle applies one message, on the connection's reader goroutine.
func (c *durClient) handle(m liveclient.Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case m.Welcome != nil:
		c.welcomeSeq = m.Welcome.Seq
	case m.Snapshot != nil:
		c.notes = map[string]string{}
		for _, n := range m.Snapshot.Notes {
			c.notes[n.ID] = n.Text
		}
		c.snapshotNotes = m.Snapshot.Notes
		c.seq = m.Snapshot.Seq
	case m.Event != nil:
		c.apply(m.Event)
	case m.Synced != nil:
		if m.Synced.Seq != c.seq {
			c.problem("synced at seq %d, but applied up to %d", m.Synced.Seq, c.seq)
		}
	case m.Ack != nil:
		c.settle(m.Ack)
	case m.Error != nil:
		switch {
		case m.Error.OpID == "":
			c.problem("connection error %s: %s", m.Error.Code, m.Error.Message)
		case !liveclient.Retryable(m.Error.Code): // retryable: the Conn sends it again
			c.problem("op %s rejected: %s: %s", m.Error.OpID, m.Error.Code, m.Error.Message)
		}
	case m.Type == liveclient.TypePong:
	default:
		c.problem("unexpected message %.200s", m)
	}
}

// apply applies one event; c.mu is held. The Conn counts events out of
// order (Stats); a naive client would apply a repeated seq twice.
func (c *durClient) apply(ev *sessions.EventMessage) {
	c.seq = ev.Seq
	switch ev.Kind {
	case "note.created", "note.updated":
		if ev.Note == nil {
			c.problem("event %d without a note", ev.Seq)
			return
		}
		if _, dup := c.notes[ev.Note.ID]; dup && ev.Kind == "note.created" {
			c.problem("note %s created twice (seq %d)", ev.Note.ID, ev.Seq)
		}
		c.notes[ev.Note.ID] = ev.Note.Text
	case "note.deleted":
		delete(c.notes, ev.NoteID)
	}
}

// settle checks one ack against what was sent and seen; c.mu is held.
func (c *durClient) settle(ack *sessions.Ack) {
	text, ours := c.sent[ack.OpID]
	if !ours {
		c.problem("ack for an op it never sent: %s", ack.OpID)
		return
	}
	a := durAck{Seq: ack.Seq, ID: ack.ID}
	if prev, again := c.acks[ack.OpID]; again {
		if prev != a {
			c.problem("op %s acknowledged as %+v, then as %+v", ack.OpID, prev, a)
		}
	} else {
		c.acks[ack.OpID] = a
		if n := c.acked.Add(1); c.onAck != nil {
			c.onAck(n)
		}
	}
	// The server publishes the event before it acknowledges: the note
	// must already be here, with the text that was sent.
	if ack.Seq > c.seq {
		c.problem("ack of %s as seq %d before its event (at seq %d)", ack.OpID, ack.Seq, c.seq)
	} else if got, ok := c.notes[ack.ID]; !ok || got != text {
		c.problem("ack of %s names note %s, which holds %q (present: %v), want %q", ack.OpID, ack.ID, got, ok, text)
	}
}

// noteText makes a note's text from its op_id. Digits become letters so
// that the privacy guard (phone numbers, postcodes, dates) never changes
// it: the test finds notes by their exact text.
func noteText(opID string) string {
	var b strings.Builder
	for _, r := range opID {
		if r >= '0' && r <= '9' {
			r = 'a' + (r - '0')
		}
		b.WriteRune(r)
	}
	return "Notitie " + b.String() + ": een vast aanspreekpunt in de wijk."
}

// opData is the note.create data of opID; a re-send is the same op.
func (c *durClient) opData(opID string) map[string]string {
	c.mu.Lock()
	text := c.sent[opID]
	c.mu.Unlock()
	var n int
	fmt.Sscanf(opID[strings.LastIndex(opID, "-")+1:], "%d", &n)
	return map[string]string{"cluster": c.clusters[n%len(c.clusters)], "kind": "idee", "text": text}
}

// burst sends notes until stop is closed or the connection fails, keeping
// under the rate limit. An op is pending from before it is written.
func (c *durClient) burst(stop <-chan struct{}) {
	tokens, last := float64(durBurst), time.Now()
	for i := 1; ; i++ {
		now := time.Now()
		tokens = min(durBurst, tokens+now.Sub(last).Seconds()*durRate)
		last = now
		if tokens < 1 {
			select {
			case <-stop:
				return
			case <-time.After(time.Duration((1 - tokens) / durRate * float64(time.Second))):
			}
			i--
			continue
		}
		select {
		case <-stop:
			return
		default:
		}
		tokens--
		opID := fmt.Sprintf("dur-%s-%04d", c.name, i)
		c.mu.Lock()
		c.sent[opID] = noteText(opID)
		c.mu.Unlock()
		if err := c.conn.SendOp(opID, "note.create", c.opData(opID)); err != nil {
			return // the server is gone; the op stays pending
		}
	}
}

func copyNotes(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// diffNotes describes how got differs from want, or returns "".
func diffNotes(got, want map[string]string) string {
	var d []string
	for id, text := range want {
		if g, ok := got[id]; !ok {
			d = append(d, "missing "+id)
		} else if g != text {
			d = append(d, fmt.Sprintf("%s is %q, want %q", id, g, text))
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			d = append(d, "extra "+id)
		}
	}
	sort.Strings(d)
	if len(d) > 5 {
		d = append(d[:5], fmt.Sprintf("and %d more", len(d)-5))
	}
	return strings.Join(d, "; ")
}
