package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"atelier/accounts"
	"atelier/internal/demo"
	"atelier/internal/testutil"
)

// program is `atelier serve` running inside the test through run.
type program struct {
	URL    string
	Data   string
	Stdout *testutil.SyncBuffer
	Stderr *testutil.SyncBuffer
	stop   context.CancelFunc
	done   chan error
}

// listening matches the address line `serve` prints for its operator; the
// kill -9 test reads it from a child process's output.
var listening = regexp.MustCompile(`draait op (https?://[^/\s]+)/`)

// startServe runs `atelier serve` on 127.0.0.1:0 and waits until it reports
// its address and /healthz answers.
func startServe(t *testing.T, dataDir string, extra ...string) *program {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p := &program{Data: dataDir, Stdout: &testutil.SyncBuffer{}, Stderr: &testutil.SyncBuffer{}, stop: cancel, done: make(chan error, 1)}
	args := append([]string{"atelier", "serve", "-addr", "127.0.0.1:0", "-data", dataDir}, extra...)
	ready := make(chan string, 1)
	e := env{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: p.Stdout, stderr: p.Stderr,
		ready: func(url string) { ready <- url }, passwordCost: accounts.PasswordCost{MemoryKiB: 64, Passes: 1}}
	go func() { p.done <- runEnv(ctx, args, e) }()

	deadline := time.Now().Add(20 * time.Second)
	select {
	case p.URL = <-ready:
	case err := <-p.done:
		t.Fatalf("serve ended early: %v\nstderr: %s", err, p.Stderr.String())
	case <-time.After(time.Until(deadline)):
		t.Fatalf("serve did not report its address; stdout: %s", p.Stdout.String())
	}
	for time.Now().Before(deadline) {
		res, err := http.Get(p.URL + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				t.Cleanup(func() { p.Stop(t) })
				return p
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("healthz never answered 200")
	return nil
}

// Stop sends the equivalent of SIGINT and waits for a clean exit.
func (p *program) Stop(t *testing.T) {
	t.Helper()
	if p.stop == nil {
		return
	}
	p.stop()
	p.stop = nil
	select {
	case err := <-p.done:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop within 15 s")
	}
}

func newClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 10 * time.Second}
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func login(t *testing.T, c *http.Client, base, email, password string) {
	t.Helper()
	res, err := c.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfField.FindSubmatch(body)
	if m == nil {
		t.Fatal("no CSRF token on the login page")
	}
	res, err = c.PostForm(base+"/login", url.Values{"_csrf": {string(m[1])}, "email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/" {
		t.Fatalf("login as %s: status %d at %s", email, res.StatusCode, res.Request.URL.Path)
	}
}

func TestServeDemoLoginRestartAndNoAddressStored(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	p := startServe(t, dir, "-demo")
	if out := p.Stdout.String(); !strings.Contains(out, "facilitator@atelier.test") || !strings.Contains(out, demo.Password) {
		t.Fatalf("demo logins not printed:\n%s", out)
	}

	c := newClient()
	login(t, c, p.URL, "facilitator@atelier.test", demo.Password)
	res, err := c.Get(p.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), "Smart Start (demo") {
		t.Fatalf("home page does not list the demo project")
	}
	// A few wrong passwords and pages, so that logs and audit have lines.
	c2 := newClient()
	for i := 0; i < 3; i++ {
		res, _ := c2.Get(p.URL + "/login?next=/admin/users")
		res.Body.Close()
		res, _ = c2.PostForm(p.URL+"/login", url.Values{"email": {"steward@atelier.test"}, "password": {"nope"}})
		res.Body.Close()
	}
	// A socket left open must not hold shutdown up: the hub closes it.
	u, _ := url.Parse(p.URL)
	hdr := http.Header{}
	for _, ck := range c.Jar.Cookies(u) {
		hdr.Add("Cookie", ck.Name+"="+ck.Value)
	}
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+u.Host+"/ws/ping", hdr)
	if err != nil {
		t.Fatalf("open a socket: %v", err)
	}
	defer ws.Close()
	stopped := time.Now()
	p.Stop(t)
	if d := time.Since(stopped); d > 5*time.Second {
		t.Errorf("shutdown with an open socket took %v", d)
	}
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, _, err := ws.ReadMessage(); err == nil {
		t.Error("socket still open after shutdown")
	}

	// A restart loses nothing: the session cookie still works, the demo is
	// not created twice.
	p2 := startServe(t, dir, "-demo")
	if strings.Count(p2.Stdout.String(), "facilitator@atelier.test") != 1 {
		t.Errorf("second start printed the demo logins oddly:\n%s", p2.Stdout.String())
	}
	// The cookie belongs to the old port's origin; send it by hand.
	u1 := u
	req, _ := http.NewRequest(http.MethodGet, p2.URL+"/api/me", nil)
	for _, ck := range c.Jar.Cookies(u1) {
		req.AddCookie(ck)
	}
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("session after restart: %d, want 200", res.StatusCode)
	}
	p2.Stop(t)

	// No client address anywhere: not in the logs, not in the database.
	logs := p.Stderr.String() + p2.Stderr.String() + p.Stdout.String() + p2.Stdout.String()
	host := "127.0.0.1"
	// The listening address is printed once for the operator on stdout;
	// that is the server's own address, not a client's. Remove those lines.
	var kept []string
	for _, line := range strings.Split(logs, "\n") {
		if !strings.Contains(line, "draait op") {
			kept = append(kept, line)
		}
	}
	if strings.Contains(strings.Join(kept, "\n"), host) {
		t.Errorf("logs contain %s:\n%s", host, logs)
	}
	if !strings.Contains(logs, "action=login") {
		t.Errorf("no login security event in the logs")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(host)) {
			t.Errorf("%s contains %s", f, host)
		}
		for _, secret := range []string{demo.Password, "nope"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s contains the password %q", f, secret)
			}
		}
	}
}

func TestUserAddListAndUsage(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	var out, errOut bytes.Buffer
	getenv := func(k string) string {
		if k == "ATELIER_DATA" {
			return dir
		}
		return ""
	}
	if err := run(ctx, []string{"atelier", "user", "add", "-email", "Stew@Gemeente.example", "-role", "steward"}, getenv,
		strings.NewReader("a long enough password\n"), &out, &errOut); err != nil {
		t.Fatalf("user add: %v (%s)", err, errOut.String())
	}
	err := run(ctx, []string{"atelier", "user", "add", "-email", "x@gemeente.example", "-role", "king"}, getenv,
		strings.NewReader("a long enough password\n"), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "king") {
		t.Fatalf("bad role accepted or unclear: %v", err)
	}
	out.Reset()
	if err := run(ctx, []string{"atelier", "user", "list"}, getenv, nil, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "stew@gemeente.example") || !strings.Contains(out.String(), "steward") {
		t.Fatalf("user list: %q", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"atelier", "help"}, getenv, nil, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"serve", "user", "version"} {
		if !strings.Contains(out.String(), cmd) {
			t.Errorf("help does not list %s", cmd)
		}
	}
	errOut.Reset()
	if err := run(ctx, []string{"atelier", "serve", "-h"}, getenv, nil, &out, &errOut); err != nil {
		t.Fatalf("serve -h: %v", err)
	}
	if !strings.Contains(errOut.String(), "-addr") || !strings.Contains(errOut.String(), "ATELIER_DATA") {
		t.Fatalf("serve -h: %q", errOut.String())
	}
	if err := run(ctx, []string{"atelier", "nonsense"}, getenv, nil, &out, &errOut); err != errUsage {
		t.Fatalf("unknown command: %v, want usage error", err)
	}
}
