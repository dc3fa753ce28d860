package liveclient

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestReconnectResendsPending: the server drops a slow client with 4008;
// the client reports the code, reconnects with the last seq it applied and
// sends its pending op again, byte for byte, before anything else.
func TestReconnectResendsPending(t *testing.T) {
	first := make(chan string, 2)
	base := scripted(t,
		func(t *testing.T, ws *websocket.Conn, r *http.Request) {
			expectHello(t, ws, 0)
			emit(ws, `{"type":"snapshot","seq":5,"notes":[],"excerpts":[],"themes":[],"my_votes":{},"votes_left":5}`, `{"type":"synced","seq":5}`)
			for range 2 {
				_, data, _ := ws.ReadMessage()
				first <- string(data)
			}
			emit(ws, `{"type":"event","seq":6,"kind":"hidden"}`, `{"type":"event","seq":7,"kind":"hidden"}`)
			ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4008, "too slow"), time.Now().Add(time.Second))
		},
		func(t *testing.T, ws *websocket.Conn, r *http.Request) {
			expectHello(t, ws, 7)
			for range 2 {
				_, data, _ := ws.ReadMessage()
				if sent := <-first; string(data) != sent {
					t.Errorf("re-sent %q, first sent %q", data, sent)
				}
			}
			emit(ws, `{"type":"synced","seq":7}`, `{"type":"error","op_id":"x-2","code":"not_found","message":"Weg."}`,
				`{"type":"event","seq":8,"kind":"hidden"}`, `{"type":"ack","op_id":"x-1","seq":8,"id":"n1"}`)
			receive(t, ws)
		})
	var got []Message
	acked := make(chan struct{})
	c := dial(t, Options{URL: base, Session: 7, OpPrefix: "x", OnMessage: func(m Message) {
		got = append(got, m)
		if m.Ack != nil {
			close(acked)
		}
	}})
	if err := c.WaitSynced(testContext(t)); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"x-1", "x-2"} {
		id, err := c.Send("vote.add", map[string]string{"note": "n" + strconv.Itoa(i+1)})
		if err != nil || id != want {
			t.Fatalf("send: %q %v", id, err)
		}
	}
	<-c.Done()
	if p := c.Pending(); !slices.Equal(p, []string{"x-1", "x-2"}) {
		t.Fatalf("pending at the drop: %v", p)
	}
	if c.CloseCode() != 4008 || c.LastSeq() != 7 {
		t.Fatalf("after the drop: code %d, last seq %d, err %v", c.CloseCode(), c.LastSeq(), c.Err())
	}
	if _, err := c.Next(testContext(t)); err == nil {
		t.Fatal("Next with OnMessage set")
	}
	if err := c.Reconnect(testContext(t), ""); err != nil {
		t.Fatal(err)
	}
	select {
	case <-acked:
	case <-time.After(5 * time.Second):
		t.Fatal("no ack after reconnecting")
	}
	if p := c.Pending(); len(p) != 0 || c.LastSeq() != 8 || c.Stats() != (Stats{}) {
		t.Fatalf("pending %v, last seq %d, stats %+v", p, c.LastSeq(), c.Stats())
	}
	c.Close()
	<-c.Done()
	if c.Err() != nil || c.CloseCode() != 0 {
		t.Errorf("closed by us: err %v, code %d", c.Err(), c.CloseCode())
	}
	if err := c.Reconnect(testContext(t), ""); !errors.Is(err, ErrClosed) {
		t.Errorf("reconnect after Close: %v", err)
	}
	var types []string
	for _, m := range got {
		types = append(types, m.Type)
	}
	if want := []string{"snapshot", "synced", "event", "event", "synced", "error", "event", "ack"}; !slices.Equal(types, want) {
		t.Errorf("delivered %v, want %v", types, want)
	}
}

// TestSequenceOrder counts repeated and skipped sequence numbers; a
// snapshot resets the sequence.
func TestSequenceOrder(t *testing.T) {
	base := scripted(t, func(t *testing.T, ws *websocket.Conn, r *http.Request) {
		expectHello(t, ws, 0)
		emit(ws, `{"type":"event","seq":1,"kind":"hidden"}`, `{"type":"event","seq":2,"kind":"hidden"}`,
			`{"type":"event","seq":2,"kind":"hidden"}`, `{"type":"event","seq":5,"kind":"hidden"}`,
			`{"type":"snapshot","seq":3,"notes":[],"excerpts":[],"themes":[],"my_votes":{},"votes_left":5}`,
			`{"type":"event","seq":4,"kind":"hidden"}`, `{"type":"synced","seq":4}`)
		receive(t, ws)
	})
	c := dial(t, Options{URL: base, Session: 7})
	if _, err := c.Until(testContext(t), TypeSynced); err != nil {
		t.Fatal(err)
	}
	if c.LastSeq() != 4 || c.Stats() != (Stats{Stale: 1, Gaps: 1}) {
		t.Fatalf("last seq %d, stats %+v", c.LastSeq(), c.Stats())
	}
}

// TestRefusedUpgrade reports the server's HTTP answer.
func TestRefusedUpgrade(t *testing.T) {
	base := scripted(t)
	_, err := Dial(testContext(t), Options{URL: base, Session: 7, Origin: "https://evil.example"})
	var de *DialError
	if !errors.As(err, &de) || de.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign origin: %v", err)
	}
	_, err = Dial(testContext(t), Options{URL: base, Session: 8})
	if !errors.As(err, &de) || de.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown session: %v", err)
	}
}
