package browsertest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"
)

// socketPage opens a websocket to /ws and logs what happens to it, and to
// the network, in window.socketLog.
const socketPage = `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Socket</title></head>
<body><main><h1>Socket</h1></main><script src="/socket.js"></script></body></html>`

const socketScript = `window.socketLog = [];
const log = (s) => window.socketLog.push(s);
window.openSocket = (name) => {
	const ws = new WebSocket("ws://" + location.host + "/ws");
	ws.onopen = () => log(name + " open");
	ws.onmessage = (e) => log(name + " message " + e.data);
	ws.onclose = (e) => log(name + " close " + e.code);
	return ws;
};
addEventListener("offline", () => log("offline event"));
addEventListener("online", () => log("online event"));
openSocket("first");`

// socketServer serves socketPage and a websocket that greets each client and
// reports on ended how each connection ended.
func socketServer(t *testing.T) (srv *httptest.Server, ended <-chan error) {
	t.Helper()
	endedc := make(chan error, 10)
	up := websocket.Upgrader{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, socketPage)
	})
	mux.HandleFunc("GET /socket.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		fmt.Fprint(w, socketScript)
	})
	mux.HandleFunc("GET /ws", func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		if err := c.WriteMessage(websocket.TextMessage, []byte("hello")); err != nil {
			endedc <- err
			return
		}
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				endedc <- err
				return
			}
		}
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, endedc
}

// TestNetworkSwitch checks that GoOffline breaks an open websocket on both
// ends, as a lost network does (Chrome's offline emulation alone only holds
// its frames back), that nothing new connects while offline, and that
// GoOnlineExcept and GoOnline bring the network back.
func TestNetworkSwitch(t *testing.T) {
	b := New(t)
	srv, ended := socketServer(t)
	ctx := b.NewContext(t, NetworkSwitch, Timeout(60*time.Second))
	Navigate(ctx, t, srv.URL+"/")
	waitLog(t, ctx, "first message hello")

	GoOffline(ctx, t)
	waitLog(t, ctx, "first close 1006")
	select {
	case err := <-ended:
		// A dropped connection, not a close the page asked for.
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != websocket.CloseAbnormalClosure {
			t.Errorf("the server saw the socket end with %v, want an abnormal closure (1006)", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the server never saw the socket end")
	}
	if online := evalBool(t, ctx, `navigator.onLine`); online {
		t.Error("navigator.onLine is true while offline")
	}
	waitLog(t, ctx, "offline event")
	evalBool(t, ctx, `!!openSocket("offline")`)
	waitLog(t, ctx, "offline close 1006")
	if fetched := evalBool(t, ctx, `fetch("/socket.js").then(() => true, () => false)`, chromedp.EvalAwaitPromise); fetched {
		t.Error("a fetch succeeded while offline")
	}

	GoOnlineExcept(ctx, t, "ws://*:*/ws")
	if fetched := evalBool(t, ctx, `fetch("/socket.js").then(() => true, () => false)`, chromedp.EvalAwaitPromise); !fetched {
		t.Error("a fetch failed after GoOnlineExcept")
	}
	evalBool(t, ctx, `!!openSocket("excepted")`)
	waitLog(t, ctx, "excepted close 1006")

	GoOnline(ctx, t)
	waitLog(t, ctx, "online event")
	evalBool(t, ctx, `!!openSocket("online")`)
	waitLog(t, ctx, "online message hello")
	if got := Requests(ctx, t); NonLocal(got) != nil {
		t.Errorf("requests outside 127.0.0.1 through the switch: %q", NonLocal(got))
	}
}

// TestProxyRefusesOtherHosts checks that the proxy of NetworkSwitch connects
// to loopback addresses only.
func TestProxyRefusesOtherHosts(t *testing.T) {
	p := startProxy(t)
	c, err := net.Dial("tcp", p.ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	// Greeting (no authentication), then CONNECT 10.0.0.1:80.
	if _, err := c.Write([]byte{5, 1, 0, 5, 1, 0, 1, 10, 0, 0, 1, 0, 80}); err != nil {
		t.Fatal(err)
	}
	reply := make([]byte, 12)
	if _, err := io.ReadFull(c, reply); err != nil {
		t.Fatal(err)
	}
	if got := reply[:4]; string(got) != string([]byte{5, 0, 5, 2}) {
		t.Errorf("proxy answered % x to CONNECT 10.0.0.1:80, want 05 00 (no auth) then 05 02 (not allowed)", reply)
	}
}

// waitLog waits until window.socketLog holds entry.
func waitLog(t *testing.T, ctx context.Context, entry string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var log []string
	for time.Now().Before(deadline) {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.socketLog || []`))
		if err == nil {
			log = got
			for _, e := range got {
				if e == entry {
					return
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("socket log never had %q; it has %q", entry, strings.Join(log, " | "))
}

// evalBool evaluates a JavaScript expression that gives a boolean.
func evalBool(t *testing.T, ctx context.Context, expr string, opts ...chromedp.EvaluateOption) bool {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr, opts...))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}
