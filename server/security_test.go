package server

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
)

func TestSecurityHeadersOnEveryKindOfResponse(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	for _, path := range []string{"/", "/login", assetURL(t, "css/atelier.css"), "/no-such-page", "/api/no-such-thing", "/healthz"} {
		res, _ := ts.get(t, c, path)
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "http") {
			t.Errorf("%s: CSP %q allows inline code or a foreign origin", path, csp)
		}
		for name, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "no-referrer",
			"X-Frame-Options":        "DENY",
		} {
			if got := h.Get(name); got != want {
				t.Errorf("%s: %s = %q, want %q", path, name, got, want)
			}
		}
		if pp := h.Get("Permissions-Policy"); !strings.Contains(pp, "camera=()") || !strings.Contains(pp, "geolocation=()") {
			t.Errorf("%s: Permissions-Policy %q is not restrictive", path, pp)
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS sent over plain HTTP", path)
		}
	}
}

func TestHSTSUnderTLS(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.TLS = true })
	// The listener is plain; the setting is what decides the header.
	res, _ := ts.get(t, ts.client(t), "/healthz")
	if got := res.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=") {
		t.Fatalf("HSTS = %q under TLS", got)
	}
}

func TestPagesAreDutchByDefaultAndEnglishByChoice(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	_, body := ts.get(t, c, "/login")
	if !strings.Contains(body, `<html lang="nl">`) || !strings.Contains(body, "Wachtwoord") {
		t.Fatalf("default login page is not Dutch")
	}
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/login", nil)
	req.Header.Set("Accept-Language", "en-GB,en;q=0.9")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("Content-Language"); got != "en" {
		t.Fatalf("Accept-Language en: Content-Language = %q", got)
	}
	// The switch wins over the header and sticks.
	ts.get(t, c, "/lang/en?next=/login")
	_, body = ts.get(t, c, "/login")
	if !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "Password") {
		t.Fatalf("after switching to English the page is not English")
	}
	res, _ = ts.get(t, c, "/lang/nl?next=//evil.example")
	if got := res.Header.Get("Location"); got != "/" {
		t.Fatalf("language switch redirected to %q; it must stay on the site", got)
	}
}

func TestSixthWrongPasswordIsThrottled(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	token := ts.csrfFrom(t, c, "/login")
	try := func(password string) int {
		return ts.postForm(t, c, "/login", url.Values{"_csrf": {token}, "email": {"facilitator@example.test"}, "password": {password}}).StatusCode
	}
	for i := 1; i <= 5; i++ {
		if got := try("wrong password"); got != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d, want 401", i, got)
		}
	}
	if got := try("wrong password"); got != http.StatusTooManyRequests {
		t.Fatalf("sixth wrong password: status %d, want 429", got)
	}
	// Even the right password waits now: otherwise guessing goes on.
	if got := try(testPassword); got != http.StatusTooManyRequests {
		t.Fatalf("right password while throttled: status %d, want 429", got)
	}
	// Another account is not affected: counting is per account, not per
	// address (the whole room shares one).
	ts.login(t, ts.client(t), accounts.Steward)

	logs := ts.Logs.String()
	if !strings.Contains(logs, "result=throttled") {
		t.Errorf("no throttle event in the logs")
	}
	events, err := ts.DB.AuditLog(t.Context(), 50)
	if err != nil {
		t.Fatal(err)
	}
	var throttled bool
	for _, e := range events {
		if e.Action == "login" && e.Result == "throttled" && e.Origin == "web" {
			throttled = true
		}
	}
	if !throttled {
		t.Errorf("no throttle event in the audit log")
	}
}

func TestForgedRequestsAreRefused(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	ts.login(t, c, accounts.Facilitator)

	// A form without the token.
	if got := ts.postForm(t, c, "/logout", url.Values{}).StatusCode; got != http.StatusForbidden {
		t.Fatalf("logout without CSRF token: %d, want 403", got)
	}
	// A form with the token but from another site.
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/logout", strings.NewReader(url.Values{"_csrf": {ts.csrfFrom(t, c, "/")}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin logout: %d, want 403", res.StatusCode)
	}
	// A JSON endpoint with a form content type, as a cross-site form would send.
	req, _ = http.NewRequest(http.MethodPost, ts.URL+"/api/me", strings.NewReader("a=b"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Error struct{ Code, Message string }
	}
	json.NewDecoder(res.Body).Decode(&body)
	res.Body.Close()
	if res.StatusCode != http.StatusUnsupportedMediaType || body.Error.Message == "" {
		t.Fatalf("form post to JSON API: %d %+v, want 415 with a message", res.StatusCode, body)
	}
	// Still logged in: nothing above took effect.
	if res, _ := ts.get(t, c, "/api/me"); res.StatusCode != http.StatusOK {
		t.Fatalf("session lost after refused requests: %d", res.StatusCode)
	}
}

func TestLoginRotatesTheSessionAndLogoutEndsIt(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	ts.login(t, c, accounts.Policymaker)
	u, _ := url.Parse(ts.URL)
	var first string
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "atelier_session" {
			first = ck.Value
		}
	}
	ts.login(t, ts.client(t), accounts.Policymaker)
	c3 := ts.client(t)
	ts.login(t, c3, accounts.Policymaker)
	for _, ck := range c3.Jar.Cookies(u) {
		if ck.Name == "atelier_session" && ck.Value == first {
			t.Fatal("two logins got the same session token")
		}
	}
	res := ts.postForm(t, c, "/logout", url.Values{"_csrf": {ts.csrfFrom(t, c, "/")}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	// The old token is dead on the server, not only forgotten by the browser.
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/me", nil)
	req.AddCookie(&http.Cookie{Name: "atelier_session", Value: first})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("old session after logout: %d, want 401", res.StatusCode)
	}
}

func TestErrorsNeverShowInternalText(t *testing.T) {
	ts := newTestServer(t)
	// An app of its own, so that a failing route can be added before it
	// serves; app.Test drives it in memory.
	app, err := New(DefaultConfig(), Deps{DB: ts.DB, Accounts: ts.Accounts, Profiles: ts.Profiles, Sessions: ts.Sessions, Live: ts.Live, Hub: ts.Hub,
		Logger: slog.New(slog.NewTextHandler(ts.Logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	secret := "SELECT password_hash FROM users -- /srv/atelier/data"
	app.Get("/api/boom", func(c *fiber.Ctx) error { return &internalErr{secret} })
	app.Get("/boom", func(c *fiber.Ctx) error { return &internalErr{secret} })
	get := func(path string) (*http.Response, string) {
		res, err := app.Test(httptest.NewRequest(http.MethodGet, path, nil))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res, string(b)
	}

	res, body := get("/boom")
	if res.StatusCode != http.StatusInternalServerError || strings.Contains(body, "password_hash") || !strings.Contains(body, "Er ging iets mis") {
		t.Fatalf("page error: %d, leaked or not friendly: %.300s", res.StatusCode, body)
	}
	res, body = get("/api/boom")
	if res.StatusCode != http.StatusInternalServerError || strings.Contains(body, "password_hash") || !strings.Contains(res.Header.Get("Content-Type"), "json") {
		t.Fatalf("API error: %d %s", res.StatusCode, body)
	}
	if !strings.Contains(ts.Logs.String(), "password_hash") {
		t.Fatalf("the internal error was not logged for the operator")
	}
	res, body = get("/nergens")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Pagina niet gevonden") || !strings.Contains(body, `lang="nl"`) {
		t.Fatalf("404 page: %d %.200s", res.StatusCode, body)
	}
}

type internalErr struct{ s string }

func (e *internalErr) Error() string { return e.s }

func TestSecurityTxt(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.SecurityContact = "mailto:cert@gemeente.example" })
	res, body := ts.get(t, ts.client(t), "/.well-known/security.txt")
	if res.StatusCode != 200 || !strings.Contains(body, "Contact: mailto:cert@gemeente.example") || !strings.Contains(body, "Expires: ") {
		t.Fatalf("security.txt: %d %q", res.StatusCode, body)
	}
}
