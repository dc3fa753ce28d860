package server

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Conformance tests of docs/protocol.md. Each speaks only the documented
// JSON, over a plain websocket, the way a client written from the docs
// would; each case names the line of the docs it holds the server to.

// rawConn is a client of the protocol that knows nothing but the docs. It
// does not use internal/liveclient on purpose: that client decodes into the
// server's own types, so a field the docs and the server both get wrong
// the same way would pass through it unseen.
type rawConn struct {
	t    *testing.T
	conn *websocket.Conn
}

// dialRaw opens /ws/sessions/{id} with c's cookies, without a hello.
func (ts *testServer) dialRaw(t *testing.T, c *http.Client, id int64, d *websocket.Dialer) *rawConn {
	t.Helper()
	u, _ := url.Parse(ts.URL)
	h := http.Header{"Origin": {ts.URL}}
	for _, ck := range c.Jar.Cookies(u) {
		h.Add("Cookie", ck.Name+"="+ck.Value)
	}
	if d == nil {
		d = websocket.DefaultDialer
	}
	conn, _, err := d.Dial("ws://"+u.Host+"/ws/sessions/"+itoa64(id), h)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return &rawConn{t: t, conn: conn}
}

func (r *rawConn) write(kind int, data string) {
	r.t.Helper()
	if err := r.conn.WriteMessage(kind, []byte(data)); err != nil {
		r.t.Fatal(err)
	}
}

// read returns the next message (batch items one by one), or the error
// that ended the connection.
func (r *rawConn) read(pending *[]map[string]any) (map[string]any, error) {
	if len(*pending) > 0 {
		m := (*pending)[0]
		*pending = (*pending)[1:]
		return m, nil
	}
	r.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, data, err := r.conn.ReadMessage()
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		r.t.Fatalf("a frame that is not JSON: %q", data)
	}
	if m["type"] == "batch" {
		for _, it := range m["items"].([]any) {
			*pending = append(*pending, it.(map[string]any))
		}
		return r.read(pending)
	}
	return m, nil
}

// until reads until a message of type typ (and, when given, with op_id).
func (r *rawConn) until(typ, opID string) map[string]any {
	r.t.Helper()
	var pending []map[string]any
	for {
		m, err := r.read(&pending)
		if err != nil {
			r.t.Fatalf("waiting for %s %s: %v", typ, opID, err)
		}
		if m["type"] == typ && (opID == "" || m["op_id"] == opID) {
			return m
		}
	}
}

// closeCode reads until the connection ends and returns its close code.
func (r *rawConn) closeCode() int {
	r.t.Helper()
	var pending []map[string]any
	for {
		_, err := r.read(&pending)
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if ok := asCloseError(err, &ce); ok {
			return ce.Code
		}
		r.t.Fatalf("the connection ended without a close frame: %v", err)
	}
}

func asCloseError(err error, ce **websocket.CloseError) bool {
	e, ok := err.(*websocket.CloseError)
	*ce = e
	return ok
}

// notesIn counts the notes in the database with text.
func (ts *testServer) notesIn(t *testing.T, text string) int {
	t.Helper()
	var n int
	if err := ts.DB.Read.QueryRow(`SELECT COUNT(*) FROM notes WHERE text LIKE ?`, "%"+text+"%").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestProtocolConformance(t *testing.T) {
	// A small kernel send buffer, so that a client that stops reading
	// fills its send queue within a test's worth of notes; a keep-alive
	// of two minutes, so that a slow machine has time to commit them
	// before the server gives the silent client up.
	ts := newTestServer(t, func(c *Config) { c.SocketSendBuffer, c.PongWait = 4096, 2*time.Minute })
	fac := ts.client(t)
	ts.login(t, fac, "facilitator")
	id, code := ts.openTestSession(t, fac)
	parent := ts.joinAs(t, code, "parent")
	youth := ts.joinAs(t, code, "youth")

	hello := `{"type":"hello","since":0}`
	t.Run("frames that are not a JSON object get an error without op_id and the connection stays open", func(t *testing.T) {
		r := ts.dialRaw(t, parent, id, nil)
		r.write(websocket.TextMessage, hello)
		r.until("synced", "")
		for _, frame := range []string{`{"type":`, `[1,2]`, `"op"`, `{"type":"dance"}`} {
			r.write(websocket.TextMessage, frame)
			e := r.until("error", "")
			if e["code"] != "invalid" || e["op_id"] != nil || e["message"] == "" {
				t.Fatalf("%s: %v", frame, e)
			}
		}
		r.write(websocket.TextMessage, `{"type":"op","op":"note.create","data":{"cluster":"B","kind":"idee","text":"zonder op_id"}}`)
		if e := r.until("error", ""); e["code"] != "invalid" {
			t.Fatalf("an op without op_id: %v", e)
		}
		r.write(websocket.TextMessage, `{"type":"ping"}`)
		r.until("pong", "")
		if n := ts.notesIn(t, "zonder op_id"); n != 0 {
			t.Fatalf("an op without op_id was stored")
		}
	})
	t.Run("a bad hello or an op before hello gets an error and close 1002", func(t *testing.T) {
		for _, first := range []string{`{"type":"op","op_id":"x1","op":"note.create","data":{}}`, `{"type":"hello","since":-1}`, `hello`} {
			r := ts.dialRaw(t, parent, id, nil)
			r.write(websocket.TextMessage, first)
			if e := r.until("error", ""); e["code"] != "invalid" || e["op_id"] != nil {
				t.Fatalf("%s: %v", first, e)
			}
			if got := r.closeCode(); got != websocket.CloseProtocolError {
				t.Fatalf("%s: close %d, want 1002", first, got)
			}
		}
	})
	t.Run("binary frames close 1003 and invalid UTF-8 closes 1007; nothing is stored", func(t *testing.T) {
		op := `{"type":"op","op_id":"bin1","op":"note.create","data":{"cluster":"B","kind":"idee","text":"binair bericht"}}`
		r := ts.dialRaw(t, parent, id, nil)
		r.write(websocket.TextMessage, hello)
		r.until("synced", "")
		r.write(websocket.BinaryMessage, op)
		if got := r.closeCode(); got != websocket.CloseUnsupportedData {
			t.Fatalf("binary frame: close %d, want 1003", got)
		}
		r = ts.dialRaw(t, parent, id, nil)
		r.write(websocket.TextMessage, hello)
		r.until("synced", "")
		r.write(websocket.TextMessage, strings.Replace(op, "binair bericht", "ongeldig \xff\xfe utf8", 1))
		if got := r.closeCode(); got != websocket.CloseInvalidFramePayloadData {
			t.Fatalf("invalid UTF-8: close %d, want 1007", got)
		}
		if ts.notesIn(t, "binair") != 0 || ts.notesIn(t, "ongeldig") != 0 {
			t.Fatal("a refused frame was stored")
		}
	})
	t.Run("note.update with neither text nor kind is invalid and changes nothing", func(t *testing.T) {
		r := ts.dialRaw(t, parent, id, nil)
		r.write(websocket.TextMessage, hello)
		r.until("synced", "")
		r.write(websocket.TextMessage, `{"type":"op","op_id":"u0","op":"note.create","data":{"cluster":"B","kind":"idee","text":"Te wijzigen"}}`)
		noteID := r.until("ack", "u0")["id"].(string)
		r.write(websocket.TextMessage, `{"type":"op","op_id":"u1","op":"note.update","data":{"id":"`+noteID+`","version":1}}`)
		if e := r.until("error", "u1"); e["code"] != "invalid" {
			t.Fatalf("empty update: %v", e)
		}
		var version int
		ts.DB.Read.QueryRow(`SELECT version FROM notes WHERE id = ?`, strings.TrimPrefix(noteID, "n")).Scan(&version)
		if version != 1 {
			t.Fatalf("version %d after an empty update, want 1", version)
		}
	})
	t.Run("a vote on a note the voter cannot see is not_found and nobody hears a tally", func(t *testing.T) {
		w := ts.dialRaw(t, fac, id, nil)
		w.write(websocket.TextMessage, hello)
		w.until("synced", "")
		a := ts.dialRaw(t, parent, id, nil)
		a.write(websocket.TextMessage, hello)
		a.until("synced", "")
		b := ts.dialRaw(t, youth, id, nil)
		b.write(websocket.TextMessage, hello)
		b.until("synced", "")
		w.write(websocket.TextMessage, `{"type":"op","op_id":"pv1","op":"session.private","data":{"on":true}}`)
		w.until("ack", "pv1")
		a.write(websocket.TextMessage, `{"type":"op","op_id":"p1","op":"note.create","data":{"cluster":"B","kind":"zorg","text":"Privé van A"}}`)
		private := a.until("ack", "p1")["id"].(string)
		w.write(websocket.TextMessage, `{"type":"op","op_id":"pv2","op":"session.private","data":{"on":false}}`)
		w.until("ack", "pv2")
		w.write(websocket.TextMessage, `{"type":"op","op_id":"pv3","op":"session.private","data":{"on":true}}`)
		w.until("ack", "pv3")
		a.write(websocket.TextMessage, `{"type":"op","op_id":"p2","op":"note.create","data":{"cluster":"B","kind":"zorg","text":"Nog privé"}}`)
		stillPrivate := a.until("ack", "p2")["id"].(string)
		w.write(websocket.TextMessage, `{"type":"op","op_id":"h1","op":"note.hide","data":{"id":"`+private+`","hidden":true}}`)
		w.until("ack", "h1")
		for i, target := range []string{stillPrivate, private} {
			op := "v" + itoa64(int64(i))
			b.write(websocket.TextMessage, `{"type":"op","op_id":"`+op+`","op":"vote.add","data":{"note":"`+target+`"}}`)
			if e := b.until("error", op); e["code"] != "not_found" {
				t.Fatalf("vote on an unseen note: %v", e)
			}
		}
		// The barrier: a change everyone sees. Nothing about the two notes
		// may have reached the parent before it.
		w.write(websocket.TextMessage, `{"type":"op","op_id":"ph","op":"session.phase","data":{"phase":"begrijpen"}}`)
		var pending []map[string]any
		for {
			m, err := a.read(&pending)
			if err != nil {
				t.Fatal(err)
			}
			if m["kind"] == "votes.changed" {
				t.Fatalf("a tally reached another participant: %v", m)
			}
			if m["kind"] == "session.changed" {
				break
			}
		}
	})
	t.Run("a connection that stops reading is closed with 4008 once it reads again", func(t *testing.T) {
		// A tiny receive buffer, so that the server's writes block soon.
		d := &websocket.Dialer{NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
				var serr error
				rc.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 2048) })
				return serr
			}}).DialContext(ctx, network, addr)
			return c, err
		}}
		slow := ts.dialRaw(t, ts.joinAs(t, code, "other"), id, d)
		slow.write(websocket.TextMessage, hello)
		slow.until("synced", "")
		silentSince := time.Now()
		// Seventy writers, thirty notes each: more events than one send
		// queue holds, beyond what the engine hands over in one batch.
		text := strings.Repeat("lang ", 90)
		for w := 0; w < 70; w++ {
			r := ts.dialRaw(t, ts.joinAs(t, code, "parent"), id, nil)
			r.write(websocket.TextMessage, hello)
			go func() {
				for {
					if _, _, err := r.conn.ReadMessage(); err != nil {
						return
					}
				}
			}()
			for i := 0; i < 30; i++ {
				r.conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"op","op_id":"f`+itoa64(int64(w*100+i))+`","op":"note.create","data":{"cluster":"B","kind":"idee","text":"`+text+`"}}`))
			}
		}
		// The slow client reads nothing until every note is committed (and
		// so published), then reads again.
		// Wait until the writers are done: every note committed, or the
		// count still for three seconds (a busy server answers some ops
		// with rate_limited, and these writers do not send them again).
		// What matters is that far more was published than the slow
		// client's buffers hold.
		// The server waits for a silent client as long as its keep-alive
		// (two minutes here); the slow client must read again within it.
		deadline := silentSince.Add(100 * time.Second)
		n, last, still := 0, -1, time.Now()
		for {
			n = ts.notesIn(t, "lang lang")
			if n >= 70*30 {
				break
			}
			if n != last {
				last, still = n, time.Now()
			} else if time.Since(still) > 3*time.Second {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("only %d of %d notes committed in 100 s", n, 70*30)
			}
			time.Sleep(50 * time.Millisecond)
		}
		if n < 1000 {
			t.Fatalf("only %d notes committed; the case needs far more events than the slow client's buffers hold", n)
		}
		if got := slow.closeCode(); got != 4008 {
			t.Fatalf("close %d, want 4008", got)
		}
	})
	t.Run("closing the session closes every connection with 1000 after the event", func(t *testing.T) {
		r := ts.dialRaw(t, parent, id, nil)
		r.write(websocket.TextMessage, hello)
		r.until("synced", "")
		if st := ts.postJSON(t, fac, "/api/sessions/"+itoa64(id)+"/close", map[string]any{}, nil); st != http.StatusOK {
			t.Fatalf("close: %d", st)
		}
		var pending []map[string]any
		for {
			m, err := r.read(&pending)
			if err != nil {
				t.Fatalf("before the session.changed event: %v", err)
			}
			if m["kind"] == "session.changed" && m["session"].(map[string]any)["state"] == "closed" {
				break
			}
		}
		if got := r.closeCode(); got != websocket.CloseNormalClosure {
			t.Fatalf("close %d, want 1000", got)
		}
	})
}
