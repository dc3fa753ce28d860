package browsertest

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// strictCSP is the policy of Atelier's pages: no inline script, no eval.
const strictCSP = "default-src 'self'; script-src 'self'"

const goodPage = `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sessie starten · Atelier</title>
</head>
<body>
<header><p>Atelier</p></header>
<nav aria-label="Hoofdmenu"><a href="/good">Start</a></nav>
<main>
<h1>Sessie starten</h1>
<form method="post" action="/good">
<label for="name">Naam</label>
<input id="name" name="name" type="text" autocomplete="name">
<button type="submit">Start</button>
</form>
<p id="status" aria-live="polite">bezig</p>
</main>
<footer><p>Gemeente Voorbeeld</p></footer>
<script src="/good.js"></script>
</body>
</html>`

// badPage breaks three rules on purpose: no lang, an input without a label,
// and light grey text on white (from an external style sheet, because the
// strict CSP blocks inline styles).
const badPage = `<!doctype html>
<html>
<head><meta charset="utf-8"><title>Slecht</title><link rel="stylesheet" href="/bad.css"></head>
<body>
<p class="faint">Lichtgrijze tekst die niemand kan lezen</p>
<input type="text" name="x">
</body>
</html>`

const throwsPage = `<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><title>Fout</title></head>
<body><main><h1>Fout</h1></main><script src="/throws.js"></script></body>
</html>`

// inlinePage has an inline script that its strict CSP must block.
const inlinePage = `<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><title>CSP</title></head>
<body><main><h1>CSP</h1></main><script>document.title = "inline ran";</script></body>
</html>`

// newServer serves the test pages on 127.0.0.1.
func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	page := func(body, csp string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if csp != "" {
				w.Header().Set("Content-Security-Policy", csp)
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, body)
		}
	}
	script := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			fmt.Fprint(w, body)
		}
	}
	mux := http.NewServeMux()
	mux.Handle("GET /good", page(goodPage, strictCSP))
	mux.Handle("GET /good.js", script(`document.getElementById("status").textContent = "klaar";`))
	mux.Handle("GET /bad", page(badPage, strictCSP))
	mux.HandleFunc("GET /bad.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		fmt.Fprint(w, ".faint { color: #c0c0c0; background: #ffffff; }")
	})
	mux.Handle("GET /throws", page(throwsPage, strictCSP))
	mux.Handle("GET /throws.js", script(`console.error("console-error-from-test"); throw new Error("boom-from-test");`))
	mux.Handle("GET /inline", page(inlinePage, strictCSP))
	mux.HandleFunc("GET /set-cookie", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "who", Value: "facilitator", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		page(`<!doctype html><html lang="nl"><title>set</title><main><p>gezet</p></main></html>`, strictCSP)(w, r)
	})
	mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "cookie=[%s]", r.Header.Get("Cookie"))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestBrowser runs every check against one browser, in parallel subtests.
func TestBrowser(t *testing.T) {
	b := New(t)
	srv := newServer(t)

	t.Run("good page passes axe under a strict CSP", func(t *testing.T) {
		t.Parallel()
		ctx := b.NewContext(t)
		Navigate(ctx, t, srv.URL+"/good")
		// The external script ran, so the CSP allows 'self' scripts.
		WaitText(ctx, t, "#status", "klaar")
		Axe(ctx, t)
		AssertNoConsoleErrors(ctx, t)
		AssertLocalRequests(ctx, t)

		reqs := Requests(ctx, t)
		for _, want := range []string{srv.URL + "/good", srv.URL + "/good.js"} {
			if !slices.Contains(reqs, want) {
				t.Errorf("Requests() = %q, want it to contain %q", reqs, want)
			}
		}
	})

	t.Run("bad page fails axe under a strict CSP", func(t *testing.T) {
		t.Parallel()
		ctx := b.NewContext(t)
		Navigate(ctx, t, srv.URL+"/bad")
		AssertNoConsoleErrors(ctx, t)
		var ids []string
		for _, v := range AxeViolations(ctx, t) {
			ids = append(ids, v.ID)
			if len(v.Nodes) == 0 || len(v.Nodes[0].Target) == 0 || v.Nodes[0].HTML == "" {
				t.Errorf("violation %s has no element: %+v", v.ID, v)
			}
		}
		for _, want := range []string{"html-has-lang", "label", "color-contrast"} {
			if !slices.Contains(ids, want) {
				t.Errorf("axe violations = %q, want %q among them", ids, want)
			}
		}
	})

	t.Run("axe works again after a reload", func(t *testing.T) {
		t.Parallel()
		ctx := b.NewContext(t)
		Navigate(ctx, t, srv.URL+"/bad")
		if len(AxeViolations(ctx, t)) == 0 {
			t.Fatal("no violations on the bad page")
		}
		// A second audit on the same page reuses the injected axe.
		if len(AxeViolations(ctx, t)) == 0 {
			t.Fatal("no violations on the second audit")
		}
		Navigate(ctx, t, srv.URL+"/good")
		Axe(ctx, t)
	})

	t.Run("console collector catches exceptions", func(t *testing.T) {
		t.Parallel()
		ctx := b.NewContext(t)
		Navigate(ctx, t, srv.URL+"/throws")
		errs := ConsoleErrors(ctx, t)
		if !hasError(errs, "exception", "boom-from-test") {
			t.Errorf("ConsoleErrors() = %v, want the uncaught exception boom-from-test", errs)
		}
		if !hasError(errs, "console", "console-error-from-test") {
			t.Errorf("ConsoleErrors() = %v, want the console.error call", errs)
		}
	})

	t.Run("console collector catches CSP violations", func(t *testing.T) {
		t.Parallel()
		ctx := b.NewContext(t)
		Navigate(ctx, t, srv.URL+"/inline")
		title, err := chromedp.Run(ctx, chromedp.Title())
		if err != nil {
			t.Fatal(err)
		}
		if title == "inline ran" {
			t.Fatal("the inline script ran, so the browser did not enforce the CSP")
		}
		errs := ConsoleErrors(ctx, t)
		if !hasError(errs, "", "Content Security Policy") {
			t.Errorf("ConsoleErrors() = %v, want a CSP violation", errs)
		}
	})

	t.Run("contexts have separate cookies", func(t *testing.T) {
		t.Parallel()
		facilitator := b.NewContext(t)
		participant := b.NewContext(t, Phone)
		Navigate(facilitator, t, srv.URL+"/set-cookie")
		Navigate(facilitator, t, srv.URL+"/whoami")
		Navigate(participant, t, srv.URL+"/whoami")
		WaitText(facilitator, t, "body", "cookie=[who=facilitator]")
		WaitText(participant, t, "body", "cookie=[]")
	})

	t.Run("viewports", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			opt  Viewport
			want [3]float64
		}{
			{Desktop, [3]float64{1280, 800, 1}},
			{Phone, [3]float64{360, 740, 2}},
			{Wall, [3]float64{1920, 1080, 1}},
		} {
			ctx := b.NewContext(t, tc.opt)
			Navigate(ctx, t, srv.URL+"/good")
			got, err := chromedp.Run(ctx, chromedp.Evaluate[[3]float64](`[innerWidth, innerHeight, devicePixelRatio]`))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("%v: [innerWidth, innerHeight, devicePixelRatio] = %v, want %v", tc.opt, got, tc.want)
			}
		}
	})

	t.Run("screenshot", func(t *testing.T) {
		t.Parallel()
		ctx := b.NewContext(t, Phone)
		Navigate(ctx, t, srv.URL+"/good")
		Screenshot(ctx, t, "browsertest-good-phone")
		png, err := os.ReadFile(filepath.Join(RepoRoot(t), "screenshots", "browsertest-good-phone.png"))
		if err != nil {
			t.Fatal(err)
		}
		if len(png) < 1000 || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
			t.Errorf("screenshot is not a PNG of a page: %d bytes, starts with %q", len(png), png[:min(8, len(png))])
		}
	})
}

// hasError reports whether errs holds an error from source (any source when
// empty) whose text contains text.
func hasError(errs []ConsoleError, source, text string) bool {
	for _, e := range errs {
		if (source == "" || e.Source == source) && strings.Contains(e.Text, text) {
			return true
		}
	}
	return false
}

func TestNonLocal(t *testing.T) {
	urls := []string{
		"http://127.0.0.1:4321/",
		"ws://127.0.0.1:4321/ws",
		"http://localhost/x",
		"http://[::1]:80/",
		"data:image/png;base64,AAAA",
		"blob:http://127.0.0.1:4321/abc",
		"about:blank",
		"https://cdn.jsdelivr.net/npm/echarts",
		"http://10.0.0.1/",
		"wss://example.org/ws",
		"chrome-extension://abc/x.js",
	}
	want := []string{
		"https://cdn.jsdelivr.net/npm/echarts",
		"http://10.0.0.1/",
		"wss://example.org/ws",
		"chrome-extension://abc/x.js",
	}
	if got := NonLocal(urls); !slices.Equal(got, want) {
		t.Errorf("NonLocal() = %q, want %q", got, want)
	}
}

// fakeTB records Fatal and Skip and stops the goroutine as testing.T does.
type fakeTB struct {
	testing.TB
	fatal, skip string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (f *fakeTB) Skip(args ...any) {
	f.skip = fmt.Sprint(args...)
	runtime.Goexit()
}

// runFake runs New with a fake testing.TB and returns it.
func runFake(t *testing.T) *fakeTB {
	f := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		New(f)
	}()
	<-done
	return f
}

// TestMissingBrowserFails checks that a missing Chromium fails the test
// instead of skipping it silently.
func TestMissingBrowserFails(t *testing.T) {
	t.Setenv("ATELIER_SKIP_BROWSER", "")
	t.Setenv("ATELIER_CHROMIUM", filepath.Join(t.TempDir(), "no-chromium"))
	f := runFake(t)
	if f.skip != "" || !strings.Contains(f.fatal, "make test") {
		t.Errorf("New with no browser: fatal %q, skip %q; want a fatal that says to run make test", f.fatal, f.skip)
	}
}

// TestSkipBrowser checks that ATELIER_SKIP_BROWSER=1 skips with its reason.
func TestSkipBrowser(t *testing.T) {
	t.Setenv("ATELIER_SKIP_BROWSER", "1")
	f := runFake(t)
	if f.fatal != "" || !strings.Contains(f.skip, "ATELIER_SKIP_BROWSER=1") {
		t.Errorf("New with ATELIER_SKIP_BROWSER=1: fatal %q, skip %q; want a skip that names the variable", f.fatal, f.skip)
	}
}
