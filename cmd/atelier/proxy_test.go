package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"atelier/internal/demo"
)

// TestServeBehindTLSProxy: docs/operations.md's reverse proxy, here Go's
// own in front of `atelier serve -tls-proxy`, terminating TLS and passing
// the Host header on. Through it an administrator logs in with a form
// that carries the browser's https origin; the cookies are Secure and
// __Host- prefixed, and HSTS is sent. Without -tls-proxy the same login
// is refused: Atelier would take the https origin for a foreign site.
func TestServeBehindTLSProxy(t *testing.T) {
	for _, tc := range []struct {
		name  string
		flags []string
		ok    bool
	}{
		{"tls-proxy", []string{"-demo", "-tls-proxy"}, true},
		{"plain", []string{"-demo"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := startServe(t, filepath.Join(t.TempDir(), "data"), tc.flags...)
			target, err := url.Parse(p.URL)
			if err != nil {
				t.Fatal(err)
			}
			proxy := httptest.NewTLSServer(httputil.NewSingleHostReverseProxy(target))
			t.Cleanup(proxy.Close)
			c := proxy.Client()
			c.Jar, _ = cookiejar.New(nil)

			res, err := c.Get(proxy.URL + "/login")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			m := csrfField.FindSubmatch(body)
			if m == nil {
				t.Fatal("no CSRF token on the login page")
			}
			hsts := res.Header.Get("Strict-Transport-Security")
			cookies := strings.Join(res.Header.Values("Set-Cookie"), "\n")
			if tc.ok && (hsts == "" || !strings.Contains(cookies, "__Host-atelier_csrf=") || !strings.Contains(strings.ToLower(cookies), "; secure")) {
				t.Fatalf("behind the proxy: HSTS %q, cookies %q; want HSTS and Secure __Host- cookies", hsts, cookies)
			}

			form := url.Values{"_csrf": {string(m[1])}, "email": {"admin@atelier.test"}, "password": {demo.Password}}
			req, err := http.NewRequest(http.MethodPost, proxy.URL+"/login", strings.NewReader(form.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", proxy.URL) // https://127.0.0.1:port, as a browser sends it
			res, err = c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			loggedIn := res.StatusCode == http.StatusOK && res.Request.URL.Path == "/"
			if loggedIn != tc.ok {
				t.Fatalf("login through the proxy: status %d at %s, want logged in: %v", res.StatusCode, res.Request.URL.Path, tc.ok)
			}
		})
	}
}
