package server

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"atelier/accounts"
	"atelier/internal/testutil"
	"atelier/store"
)

// newEmptyServer starts a real server over a database without any account,
// as `atelier serve` finds it on a first start, and returns its URL, its
// instance and the setup token it made.
func newEmptyServer(t *testing.T) (*testServer, string) {
	t.Helper()
	ctx := context.Background()
	cfg := DefaultConfig()
	inst, err := Open(ctx, cfg, t.TempDir(), slog.New(slog.NewTextHandler(&testutil.SyncBuffer{}, nil)))
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := inst.Accounts.StartSetup(ctx)
	if err != nil || tok == "" {
		t.Fatalf("setup link: %q %v", tok, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	serveCtx, stop := context.WithCancel(ctx)
	ready, served := make(chan string, 1), make(chan error, 1)
	go func() { served <- inst.Serve(serveCtx, ln, "http", func(url string) { ready <- url }) }()
	ts := &testServer{URL: <-ready, App: inst.App, DB: inst.DB, Accounts: inst.Accounts, Profiles: inst.Profiles}
	t.Cleanup(func() {
		stop()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return ts, tok
}

// TestSetupPage: the first administrator is made through the setup link,
// which then, like every other setup address, answers 404 with a page that
// says why; a wrong token says so too, and neither is a login redirect.
func TestSetupPage(t *testing.T) {
	ts, tok := newEmptyServer(t)
	c := ts.client(t)

	res, body := ts.get(t, c, "/setup/wrong-token")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Deze link kennen we niet") {
		t.Fatalf("wrong setup token: %d\n%.300s", res.StatusCode, body)
	}
	res, body = ts.get(t, c, "/setup/"+tok)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Atelier inrichten") {
		t.Fatalf("setup page: %d", res.StatusCode)
	}
	csrf := csrfField.FindStringSubmatch(body)[1]
	form := url.Values{"_csrf": {csrf}, "email": {"beheer@gemeente.example"}, "password": {"een lang wachtwoord"}, "password_again": {"een ander wachtwoord"}}
	if res := ts.postForm(t, c, "/setup/"+tok, form); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("mismatched passwords: %d", res.StatusCode)
	}
	form.Set("password_again", "een lang wachtwoord")
	if res := ts.postForm(t, c, "/setup/"+tok, form); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("setup: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	var me struct{ Email, Role string }
	if st := ts.getJSON(t, c, "/api/me", &me); st != http.StatusOK || me.Role != "admin" || me.Email != "beheer@gemeente.example" {
		t.Fatalf("after setup: %d %+v", st, me)
	}
	_, body = ts.get(t, c, "/")
	if !strings.Contains(body, "Eerste stappen") || !strings.Contains(body, `href="/admin/projects/new"`) {
		t.Error("an administrator's empty home does not show the first steps")
	}
	for _, path := range []string{"/setup/" + tok, "/setup/wrong-token"} {
		res, body := ts.get(t, ts.client(t), path)
		if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "al ingericht") {
			t.Fatalf("%s after setup: %d\n%.300s", path, res.StatusCode, body)
		}
	}
}

var inviteURL = regexp.MustCompile(`value="(https?://[^"]+/invite/([A-Za-z0-9_-]+))"`)

// invite has the administrator invite an account through the accounts page
// and returns the link's path.
func (ts *testServer) invite(t *testing.T, admin *http.Client, email string, role accounts.Role) string {
	t.Helper()
	form := url.Values{"_csrf": {ts.csrfFrom(t, admin, "/admin/users")}, "email": {email}, "role": {string(role)}}
	res, body := ts.postFormBody(t, admin, "/admin/users", form)
	m := inviteURL.FindStringSubmatch(body)
	if res.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("invite %s: %d\n%.500s", email, res.StatusCode, body)
	}
	u, _ := url.Parse(m[1])
	return u.Path
}

// accept opens an invitation or reset link as c and chooses a password.
func (ts *testServer) accept(t *testing.T, c *http.Client, path, password string) *http.Response {
	t.Helper()
	csrf := ts.csrfFrom(t, c, path)
	return ts.postForm(t, c, path, url.Values{"_csrf": {csrf}, "password": {password}, "password_again": {password}})
}

// TestInvitationDisableAndReset: an administrator invites someone, who
// chooses a password through the link and is logged in; the used or
// expired link gets a clear page; disabling ends the account's sessions on
// its next request; a reset ends them too and gives a new link; logging
// in again ends the session it replaces.
func TestInvitationDisableAndReset(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.client(t)
	ts.login(t, admin, accounts.Admin)

	link := ts.invite(t, admin, "nieuw@example.test", accounts.Facilitator)
	_, body := ts.get(t, admin, "/admin/users")
	if !strings.Contains(body, "nieuw@example.test") || !strings.Contains(body, "wacht op wachtwoord") {
		t.Fatal("the invited account is not listed as waiting")
	}
	invitee := ts.client(t)
	res, body := ts.get(t, invitee, link)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "nieuw@example.test") || !strings.Contains(body, "facilitator") {
		t.Fatalf("invitation page: %d", res.StatusCode)
	}
	if res := ts.accept(t, invitee, link, testPassword); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.StatusCode)
	}
	if st := ts.getJSON(t, invitee, "/api/me", nil); st != http.StatusOK {
		t.Fatalf("not logged in after accepting: %d", st)
	}
	res, body = ts.get(t, ts.client(t), link)
	if res.StatusCode != http.StatusGone || !strings.Contains(body, "al gebruikt") || !strings.Contains(body, `href="/login"`) {
		t.Fatalf("used link: %d\n%.300s", res.StatusCode, body)
	}

	// An expired invitation: a page that says so.
	expired := ts.invite(t, admin, "laat@example.test", accounts.Policymaker)
	if _, err := ts.DB.Write.Exec(`UPDATE account_links SET expires_at = ? WHERE used_at IS NULL`, store.Now()); err != nil {
		t.Fatal(err)
	}
	res, body = ts.get(t, ts.client(t), expired)
	if res.StatusCode != http.StatusGone || !strings.Contains(body, "verlopen") {
		t.Fatalf("expired link: %d\n%.300s", res.StatusCode, body)
	}
	_, body = ts.get(t, admin, "/admin/users")
	if !strings.Contains(body, "link verlopen") {
		t.Error("the accounts page does not show the expired invitation")
	}

	// Disabled: 401 on the very next request, and a reason at login.
	u, err := ts.Accounts.UserByEmail(t.Context(), "nieuw@example.test")
	if err != nil {
		t.Fatal(err)
	}
	res = ts.postForm(t, admin, "/admin/users/"+itoa64(u.ID)+"/disable", url.Values{"_csrf": {ts.csrfFrom(t, admin, "/admin/users")}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", res.StatusCode)
	}
	if st := ts.getJSON(t, invitee, "/api/me", nil); st != http.StatusUnauthorized {
		t.Fatalf("a disabled account's next request: %d, want 401", st)
	}
	c := ts.client(t)
	res = ts.postForm(t, c, "/login", url.Values{"_csrf": {ts.csrfFrom(t, c, "/login")}, "email": {"nieuw@example.test"}, "password": {testPassword}})
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a disabled account logged in: %d", res.StatusCode)
	}
	// An administrator cannot disable themselves.
	res = ts.postForm(t, admin, "/admin/users/"+itoa64(ts.Users[accounts.Admin].ID)+"/disable", url.Values{"_csrf": {ts.csrfFrom(t, admin, "/admin/users")}})
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("self-disable: %d", res.StatusCode)
	}
	res = ts.postForm(t, admin, "/admin/users/"+itoa64(u.ID)+"/enable", url.Values{"_csrf": {ts.csrfFrom(t, admin, "/admin/users")}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("enable: %d", res.StatusCode)
	}

	// Logging in again ends the session it replaces.
	before := ts.client(t)
	ts.loginAs(t, before, "nieuw@example.test")
	old := cookieValue(t, ts, before, "atelier_session")
	ts.postForm(t, before, "/login", url.Values{"_csrf": {ts.csrfFrom(t, before, "/")}, "email": {"nieuw@example.test"}, "password": {testPassword}})
	if cookieValue(t, ts, before, "atelier_session") == old {
		t.Fatal("a new login kept the old cookie")
	}
	stale := ts.client(t)
	base, _ := url.Parse(ts.URL)
	stale.Jar.SetCookies(base, []*http.Cookie{{Name: "atelier_session", Value: old}})
	if st := ts.getJSON(t, stale, "/api/me", nil); st != http.StatusUnauthorized {
		t.Fatalf("the replaced cookie still works: %d", st)
	}

	// A reset: the password stops working, sessions end, a new link works.
	res, body = ts.postFormBody(t, admin, "/admin/users/"+itoa64(u.ID)+"/reset", url.Values{"_csrf": {ts.csrfFrom(t, admin, "/admin/users")}})
	m := inviteURL.FindStringSubmatch(body)
	if res.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("reset: %d", res.StatusCode)
	}
	if st := ts.getJSON(t, before, "/api/me", nil); st != http.StatusUnauthorized {
		t.Fatalf("a session survived the reset: %d", st)
	}
	resetPath, _ := url.Parse(m[1])
	if res := ts.accept(t, ts.client(t), resetPath.Path, "een nieuw lang wachtwoord"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("accepting the reset: %d", res.StatusCode)
	}

	// All of it audited, none of it with a token.
	events, err := ts.DB.AuditLog(t.Context(), 100)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range events {
		seen[e.Action] = true
		if strings.Contains(e.Object, strings.TrimPrefix(link, "/invite/")) {
			t.Errorf("a token in the audit trail: %+v", e)
		}
	}
	for _, a := range []string{"user.invite", "user.password_set", "user.disable", "user.enable", "user.reset"} {
		if !seen[a] {
			t.Errorf("%s not audited", a)
		}
	}
	if strings.Contains(ts.Logs.String(), strings.TrimPrefix(link, "/invite/")) {
		t.Error("an invitation token in the logs")
	}
}

// postFormBody is postForm that also returns the body.
func (ts *testServer) postFormBody(t *testing.T, c *http.Client, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func cookieValue(t *testing.T, ts *testServer, c *http.Client, name string) string {
	t.Helper()
	base, _ := url.Parse(ts.URL)
	for _, ck := range c.Jar.Cookies(base) {
		if ck.Name == name {
			return ck.Value
		}
	}
	t.Fatalf("no cookie %s", name)
	return ""
}
