package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"atelier/internal/barehub"
	"atelier/internal/liveclient"
)

func env(k string) string {
	if k == "ATELIER_LOAD_PASSWORD" {
		return "secret"
	}
	return ""
}

// bareHub serves the bare reference hub on 127.0.0.1 with a database in a
// temporary directory.
func bareHub(t *testing.T, coalesce bool) string {
	t.Helper()
	h, err := barehub.New(barehub.Options{DBPath: filepath.Join(t.TempDir(), "bare.db"), Coalesce: coalesce})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h.Handler())
	t.Cleanup(func() { srv.Close() })
	t.Cleanup(func() { h.Close() })
	return srv.URL
}

// parseLine reads the key=value pairs of the last line of out.
func parseLine(t *testing.T, out string) map[string]float64 {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "participants=") {
		t.Fatalf("last line: %q", last)
	}
	m := map[string]float64{}
	for _, kv := range strings.Fields(last) {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			t.Fatalf("field %q", kv)
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("field %q: %v", kv, err)
		}
		m[k] = f
	}
	want := []string{"participants", "sessions", "sent", "acked", "delivered", "expected", "lost", "late", "dup", "dropped",
		"votes_sent", "votes_acked", "votes_lost", "p50_ms", "p95_ms", "p99_ms", "max_ms", "server_rss_mb", "server_kb_per_conn"}
	if len(m) != len(want) {
		t.Fatalf("last line has fields %v", m)
	}
	for _, k := range want {
		if _, ok := m[k]; !ok {
			t.Fatalf("last line lacks %s: %q", k, last)
		}
	}
	return m
}

func runLoader(t *testing.T, args ...string) (map[string]float64, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err := run(ctx, args, env, &stdout, &stderr)
	t.Logf("stderr:\n%s", stderr.String())
	t.Logf("stdout:\n%s", stdout.String())
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return parseLine(t, stdout.String()), stdout.String()
}

func TestLoadAgainstBareHub(t *testing.T) {
	for _, coalesce := range []bool{false, true} {
		t.Run("coalesce="+strconv.FormatBool(coalesce), func(t *testing.T) {
			url := bareHub(t, coalesce)
			m, _ := runLoader(t, "-url", url, "-email", "fac@example.org", "-participants", "20", "-sessions", "2",
				"-rate", "50", "-duration", "2s", "-grace", "5s", "-pid", strconv.Itoa(os.Getpid()))
			if m["participants"] != 20 || m["sessions"] != 2 || m["sent"] != 100 || m["acked"] != 100 {
				t.Fatalf("counts: %v", m)
			}
			// 100 notes over 2 sessions of 10 participants: each reaches 10.
			if m["expected"] != 1000 || m["delivered"] != 1000 || m["lost"] != 0 || m["dup"] != 0 || m["dropped"] != 0 {
				t.Fatalf("delivery: %v", m)
			}
			if m["p50_ms"] <= 0 || m["p50_ms"] > m["p99_ms"] || m["p99_ms"] > m["max_ms"] || m["server_rss_mb"] <= 0 {
				t.Fatalf("figures: %v", m)
			}
		})
	}
}

// TestVotesAndJoinRetries runs the tenant-scale shape in small: votes
// beside the notes, and a server that answers the first joins 429 with
// Retry-After, as Atelier does under a burst of joins.
func TestVotesAndJoinRetries(t *testing.T) {
	h, err := barehub.New(barehub.Options{DBPath: filepath.Join(t.TempDir(), "bare.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	var refused atomic.Int32
	inner := h.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/join" && refused.Add(1) <= 5 {
			w.Header().Set("Retry-After", "0")
			http.Error(w, `{"error":{"code":"too_many"}}`, http.StatusTooManyRequests)
			return
		}
		inner.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	m, _ := runLoader(t, "-url", srv.URL, "-email", "fac@example.org", "-participants", "20", "-sessions", "2",
		"-rate", "20", "-duration", "2s", "-vote-every", "1s", "-grace", "5s", "-pid", strconv.Itoa(os.Getpid()))
	if m["participants"] != 20 || m["acked"] != 40 || m["lost"] != 0 || m["late"] != 0 || m["dropped"] != 0 {
		t.Fatalf("notes: %v", m)
	}
	// Two votes per participant, every one acknowledged and its total seen
	// by every member of its session.
	if m["votes_sent"] != 40 || m["votes_acked"] != 40 || m["votes_lost"] != 0 {
		t.Fatalf("votes: %v", m)
	}
}

func TestJoinStormAgainstBareHub(t *testing.T) {
	url := bareHub(t, false)
	m, out := runLoader(t, "-url", url, "-email", "fac@example.org", "-join-storm", "20", "-prefill", "40",
		"-prefill-rate", "100", "-storm-window", "1s")
	if !strings.Contains(out, "join_storm=20 prefill=40 snapshot_p50_ms=") {
		t.Fatalf("no join_storm line in %q", out)
	}
	if m["sent"] != 40 || m["acked"] != 40 || m["lost"] != 0 || m["dup"] != 0 || m["dropped"] != 0 {
		t.Fatalf("%v", m)
	}
}

func TestRefusesNonLoopback(t *testing.T) {
	for _, u := range []string{
		"http://10.0.0.1:8080", "http://192.168.1.2", "http://example.org", "http://127.0.0.1.nip.io:8080",
		"http://[::ffff:10.0.0.1]:80", "https://127.0.0.1:8443", "ftp://127.0.0.1", "http://user:pw@127.0.0.1",
		"http://0.0.0.0:8080", "http://[::]:8080",
	} {
		start := time.Now()
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{"-url", u, "-email", "a@b"}, env, &stdout, &stderr)
		if err == nil || stdout.Len() != 0 {
			t.Errorf("%s: accepted (%v)", u, err)
		}
		if time.Since(start) > time.Second {
			t.Errorf("%s: took %s: it tried the network", u, time.Since(start))
		}
	}
	for _, u := range []string{"http://127.0.0.1:8080", "http://127.1.2.3", "http://localhost:9", "http://[::1]:8080", "http://LOCALHOST"} {
		if _, err := loopbackURL(u); err != nil {
			t.Errorf("%s: refused: %v", u, err)
		}
	}
	// The dialers refuse whatever a name resolved to if it is not loopback.
	if err := loopbackOnly("tcp", "10.0.0.1:80", nil); err == nil {
		t.Error("dial to 10.0.0.1 allowed")
	}
	if err := loopbackOnly("tcp", "127.0.0.1:80", nil); err != nil {
		t.Error(err)
	}
}

func TestBounds(t *testing.T) {
	base := []string{"-url", "http://127.0.0.1:1", "-email", "a@b"}
	for _, extra := range [][]string{
		{"-participants", "5001"}, {"-participants", "0"}, {"-sessions", "3", "-participants", "2"},
		{"-rate", "20001"}, {"-rate", "0"}, {"-duration", "601s"}, {"-duration", "0"},
		{"-rate", "20000", "-duration", "200"}, // 4 million notes
		{"-join-storm", "5001"}, {"-join-storm", "10", "-prefill", "100001"},
	} {
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), append(base, extra...), env, &stdout, &stderr); err == nil {
			t.Errorf("%v: accepted", extra)
		}
	}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), base, func(string) string { return "" }, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "ATELIER_LOAD_PASSWORD") {
		t.Errorf("without a password: %v", err)
	}
}

func TestFastPath(t *testing.T) {
	for in, want := range map[string]string{
		`{"type":"event","seq":7,"kind":"note.created","note":{"id":"n1","text":"load from p3 n=12","x":"}]{\"q"}}`: "load from p3 n=12",
		`{"type":"event","kind":"note.created","seq":2,"note":{"text":"load from p0 n=1"}}`:                         "load from p0 n=1",
		`{"type":"event","seq":8,"kind":"note.created","note":{"text":"a\"b"}}`:                                     "", // escapes: decoded instead
		`{"type":"event","seq":8,"kind":"votes.changed","note_id":"n1","votes":2}`:                                  "",
	} {
		text, ok := noteCreatedText([]byte(in))
		if string(text) != want || ok != (want != "") {
			t.Errorf("%s: %q %v, want %q", in, text, ok, want)
		}
	}
	tb := &notes{runID: "ldX", sessions: 1, state: make([]atomic.Uint32, 20)}
	for in, want := range map[string]int{"load from p3 n=12": 12, "load from p3 n=20": -1, "load from p3 n=1x": -1, "other": -1, "load from p1 n=": -1} {
		n, ok := tb.parseText([]byte(in))
		if (want < 0 && ok) || (want >= 0 && (!ok || n != want)) {
			t.Errorf("%q: %d %v", in, n, ok)
		}
	}
	if n, ok := tb.noteOf(tb.opID(5)); !ok || n != 5 || tb.opID(5) != "ldX-5" {
		t.Errorf("noteOf: %d %v", n, ok)
	}
	if _, ok := tb.noteOf("other-5"); ok {
		t.Error("foreign op_id accepted")
	}
}

func TestHistogram(t *testing.T) {
	var h histogram
	for i := 1; i <= 1000; i++ {
		h.add(int64(i) * int64(time.Millisecond) / 10) // 0.1 .. 100 ms
	}
	for q, want := range map[float64]float64{0.5: 50, 0.95: 95, 0.99: 99} {
		if got := h.quantile(q); got < want*0.98 || got > want*1.02 {
			t.Errorf("q%.2f = %.2f, want about %.0f", q, got, want)
		}
	}
	if h.quantile(1) != 100 || float64(h.max.Load())/1e6 != 100 {
		t.Errorf("max %v", h.quantile(1))
	}
}

// TestMessageForms feeds one participant, over a real websocket, the same
// kind of note event in the forms the loader handles: by position, by key
// search, and decoded by the client; alone and in a batch; once repeated
// and once out of order. The raw hook allocates nothing for a note event.
func TestMessageForms(t *testing.T) {
	frames := []string{
		`{"type":"event","seq":1,"kind":"note.created","note":{"id":"n1","text":"load from p0 n=0","mine":true}}`,
		`{"type":"event","kind":"note.created","seq":2,"note":{"text":"load from p0 n=1"}}`,
		`{"type": "event", "seq": 3, "kind": "note.created", "note": {"text": "load from p0 n=2"}}`,
		`{"type":"batch","items":[{"type":"event","seq":4,"kind":"note.created","note":{"text":"load from p0 n=3"}},{"type":"event","seq":5,"kind":"votes.changed","note_id":"n1","votes":1}]}`,
		`{"type":"event","seq":6,"kind":"note.created","note":{"text":"load from p0 n=3"}}`, // a duplicate
		`{"type":"event","seq":6,"kind":"note.created","note":{"text":"iemand anders"}}`,    // out of order, foreign
		`{"type":"synced","seq":6}`,
	}
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		ws.ReadMessage() // hello
		for _, f := range frames {
			ws.WriteMessage(websocket.TextMessage, []byte(f))
		}
		ws.ReadMessage() // until the client goes
	}))
	defer srv.Close()

	var stderr bytes.Buffer
	base, _ := loopbackURL(srv.URL)
	l := newLoader(&config{base: base}, &stderr)
	s := &sessionInfo{id: 1}
	p := l.newParticipant(0, s)
	s.members = []*participant{p}
	l.sessions = []*sessionInfo{s}
	l.notes = newNotes(10, 1, 0, l.sessions)
	if err := p.connect(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer l.closeAll()
	if err := p.waitSynced(t.Context(), 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if st := p.conn.Stats(); p.delivered.Load() != 4 || p.dup != 1 || st.Stale != 1 || p.foreign != 1 || p.conn.LastSeq() != 6 {
		t.Fatalf("delivered %d dup %d stale %d foreign %d last %d; log %s", p.delivered.Load(), p.dup, st.Stale, p.foreign, p.conn.LastSeq(), stderr.String())
	}
	ev := []byte(frames[0])
	if n := testing.AllocsPerRun(100, func() { p.raw(liveclient.Header{Type: liveclient.TypeEvent, Seq: 7}, ev, time.Now()) }); n != 0 {
		t.Errorf("the raw hook allocates %.1f times per note event", n)
	}
}

// BenchmarkRawHook is the loader's share of reading a note event: the
// client's share (cutting a batch, reading the header) is
// internal/liveclient's BenchmarkFrame.
func BenchmarkRawHook(b *testing.B) {
	base, _ := loopbackURL("http://127.0.0.1:1")
	l := newLoader(&config{base: base}, &bytes.Buffer{})
	s := &sessionInfo{id: 1}
	p := l.newParticipant(0, s)
	s.members = []*participant{p}
	l.sessions = []*sessionInfo{s}
	l.notes = newNotes(100, 1, 0, l.sessions)
	ev := []byte(`{"type":"event","seq":1234,"kind":"note.created","note":{"id":"n1234","cluster":"C2","kind":"idee","text":"load from p0 n=12","author":"Blauwe Reiger","role":"parent","mine":false,"version":1,"votes":0,"created_at":"2026-11-25T10:06:02Z"}}`)
	h := liveclient.Header{Type: liveclient.TypeEvent, Seq: 1234}
	at := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		p.raw(h, ev, at)
	}
}
