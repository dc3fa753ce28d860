package main

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"atelier/internal/browsertest"
	"atelier/internal/demo"
	"atelier/sessions"
)

// TestBrowserShell drives the real server, started through run, with a real
// headless Chromium: log in as the demo facilitator, see the demo project,
// log out; axe-core finds nothing on home, login and the error page, on a
// desktop and on a 360-px phone.
func TestBrowserShell(t *testing.T) {
	t.Parallel()
	p := startServe(t, filepath.Join(t.TempDir(), "data"), "-demo")
	b := browsertest.New(t)

	for _, vp := range []browsertest.Viewport{browsertest.Desktop, browsertest.Phone} {
		t.Run(vp.String(), func(t *testing.T) {
			ctx := b.NewContext(t, vp)
			name := func(page string) string { return "shell-" + page + "-" + strings.ToLower(vp.String()) }

			browsertest.Navigate(ctx, t, p.URL+"/")
			browsertest.WaitText(ctx, t, "h1", "Samen ontwerpen")
			browsertest.Axe(ctx, t)
			browsertest.Screenshot(ctx, t, name("landing"))

			browsertest.Navigate(ctx, t, p.URL+"/login")
			browsertest.Axe(ctx, t)
			browsertest.Screenshot(ctx, t, name("login"))

			// A wrong password shows an error the screen reader announces.
			if err := chromedp.Do(ctx,
				chromedp.SetValue(chromedp.CSS("#email"), "facilitator@atelier.test"),
				chromedp.SetValue(chromedp.CSS("#password"), "not the password"),
				chromedp.Click(chromedp.CSS(`form.form button[type="submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[role="alert"]`)),
			); err != nil {
				t.Fatal(err)
			}
			browsertest.Axe(ctx, t)

			if err := chromedp.Do(ctx,
				chromedp.SetValue(chromedp.CSS("#password"), demo.Password),
				chromedp.Click(chromedp.CSS(`form.form button[type="submit"]`)),
			); err != nil {
				t.Fatal(err)
			}
			browsertest.WaitText(ctx, t, "main", "Smart Start (demo")
			browsertest.WaitText(ctx, t, ".who", "facilitator@atelier.test")
			browsertest.Axe(ctx, t)
			browsertest.Screenshot(ctx, t, name("home"))

			// A 403 for a facilitator: browsertest.Navigate refuses statuses
			// of 400 and more, so navigate with chromedp and look at the page.
			if err := chromedp.Do(ctx, chromedp.Navigate(p.URL+"/admin/users")); err != nil {
				t.Fatal(err)
			}
			browsertest.WaitText(ctx, t, "h1", "Geen toegang")
			browsertest.Axe(ctx, t)
			browsertest.Screenshot(ctx, t, name("error"))

			browsertest.Navigate(ctx, t, p.URL+"/")
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`form[action="/logout"] button`))); err != nil {
				t.Fatal(err)
			}
			browsertest.WaitText(ctx, t, "h1", "Samen ontwerpen")
			who, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".who").length`))
			if err != nil {
				t.Fatal(err)
			}
			if who != 0 {
				t.Fatal("still shown as logged in after logout")
			}
			// The wrong password (401) and the forbidden page (403) were
			// asked for on purpose; any other error is a defect.
			for _, e := range browsertest.ConsoleErrors(ctx, t) {
				expected := e.Source == "network" && (strings.Contains(e.Text, "401") && strings.HasSuffix(e.URL, "/login") ||
					strings.Contains(e.Text, "403") && strings.HasSuffix(e.URL, "/admin/users"))
				if !expected {
					t.Errorf("console error: %v", e)
				}
			}
			browsertest.AssertLocalRequests(ctx, t)
		})
	}
}

// TestBrowserClusterPage imports the example export through the command
// line, has a second steward approve it, and looks at a cluster page as the
// policymaker: charts drawn, a data table beside each, "afgeschermd"
// markers where figures are suppressed, and nothing for axe-core to report.
func TestBrowserClusterPage(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	p := startServe(t, dir, "-demo")
	b := browsertest.New(t)

	for _, vp := range []browsertest.Viewport{browsertest.Desktop, browsertest.Phone} {
		t.Run(vp.String(), func(t *testing.T) {
			ctx := b.NewContext(t, vp, browsertest.Timeout(3*time.Minute))
			loginBrowser(t, ctx, p.URL, "policymaker@atelier.test")
			browsertest.Navigate(ctx, t, p.URL+"/p/smart-start-demo")
			href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('a[href*="/sets/"]').getAttribute("href")`))
			if err != nil {
				t.Fatalf("no approved set on the demo project: %v", err)
			}
			browsertest.Navigate(ctx, t, p.URL+href)
			cluster, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('a[href*="/clusters/"]').getAttribute("href")`))
			if err != nil {
				t.Fatal(err)
			}
			browsertest.Navigate(ctx, t, p.URL+cluster)
			// Every chart draws (ECharts adds an SVG) and has its table.
			if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(".chart svg"))); err != nil {
				t.Fatal(err)
			}
			counts, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[
				document.querySelectorAll(".chart").length,
				document.querySelectorAll(".chart-figure table").length,
				document.querySelectorAll(".chart svg").length,
				document.querySelectorAll("td.suppressed").length,
				document.querySelectorAll(".chart-withheld").length]`))
			if err != nil {
				t.Fatal(err)
			}
			// A variable with nothing published for the cluster is one
			// line instead of a chart; its table (the population) stays.
			if counts[0] == 0 || counts[0]+counts[4] != counts[1] {
				t.Fatalf("%d charts, %d one-line notices and %d tables: every chart needs a table", counts[0], counts[4], counts[1])
			}
			browsertest.WaitText(ctx, t, "main", "afgeschermd")
			browsertest.Axe(ctx, t)
			browsertest.Screenshot(ctx, t, "cluster-"+strings.ToLower(vp.String()))
			browsertest.AssertNoConsoleErrors(ctx, t)
			browsertest.AssertLocalRequests(ctx, t)
		})
	}
}

// waitEval waits until a JavaScript expression is true.
func waitEval(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	if !pollJSFor(ctx, 10*time.Second, expr) {
		t.Fatalf("never true: %s", expr)
	}
}

func loginBrowser(t *testing.T, ctx context.Context, base, email string) {
	t.Helper()
	browsertest.Navigate(ctx, t, base+"/login")
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#email"), email),
		chromedp.SetValue(chromedp.CSS("#password"), demo.Password),
		chromedp.Click(chromedp.CSS(`form.form button[type="submit"]`)),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.WaitText(ctx, t, ".who", email)
}

// TestBrowserLiveSession: a facilitator creates and opens a session; a
// participant joins on a phone by code and adds a note; the note appears
// on the facilitator's console, as text.
func TestBrowserLiveSession(t *testing.T) {
	t.Parallel()
	p := startServe(t, filepath.Join(t.TempDir(), "data"), "-demo")
	b := browsertest.New(t)
	fac := b.NewContext(t, browsertest.Timeout(3*time.Minute))
	phone := b.NewContext(t, browsertest.Phone, browsertest.Timeout(3*time.Minute))

	loginBrowser(t, fac, p.URL, "facilitator@atelier.test")
	browsertest.Navigate(fac, t, p.URL+"/p/smart-start-demo/sessions")
	browsertest.Axe(fac, t)
	if err := chromedp.Do(fac,
		chromedp.SetValue(chromedp.CSS("#title"), "Werksessie huurachterstand"),
		chromedp.SetValue(chromedp.CSS("#question"), "Hoe kunnen we gezinnen eerder helpen?"),
		chromedp.Click(chromedp.CSS(`input[name="cluster"]`)),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.Submit(fac, t, `.new-session button[type="submit"]`)
	browsertest.Submit(fac, t, `form[action$="/open"] button`)
	if err := chromedp.Do(fac, chromedp.WaitVisible(chromedp.CSS(".code"))); err != nil {
		t.Fatal(err)
	}
	code, err := chromedp.Run(fac, chromedp.Text(chromedp.CSS(".code")))
	code = strings.ReplaceAll(code, " ", "")
	if err != nil || len(code) != sessions.CodeLength {
		t.Fatalf("join code %q: %v", code, err)
	}

	browsertest.Navigate(phone, t, p.URL+"/j")
	browsertest.Axe(phone, t)
	if err := chromedp.Do(phone,
		chromedp.SetValue(chromedp.CSS("#code"), strings.ToLower(code)),
		chromedp.Click(chromedp.CSS(`input[name="role"][value="parent"]`)),
		chromedp.Click(chromedp.CSS(`form.form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("[data-live-form] textarea")),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.WaitText(phone, t, "[data-live-connection]", "Verbonden")
	if txt, _ := chromedp.Run(phone, chromedp.Text(chromedp.CSS("[data-live-connection]"))); txt != "Verbonden" {
		t.Fatalf("connection line reads %q", txt)
	}
	const text = `<img src=x onerror="document.title='xss'"> Een vast aanspreekpunt op school`
	if err := chromedp.Do(phone,
		chromedp.SetValue(chromedp.CSS("#text"), text),
		chromedp.Click(chromedp.CSS(`[data-live-form] button[type="submit"]`)),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.WaitText(phone, t, ".note--mine .note__text", "Een vast aanspreekpunt")
	browsertest.WaitText(fac, t, ".note .note__text", "Een vast aanspreekpunt")
	// The markup arrived as text: no image element, no script ran.
	imgs, err := chromedp.Run(fac, chromedp.Evaluate[int](`document.querySelectorAll(".note img").length`))
	if err != nil || imgs != 0 {
		t.Fatalf("note markup became elements: %d %v", imgs, err)
	}
	browsertest.Axe(phone, t)
	browsertest.Axe(fac, t)
	browsertest.Screenshot(phone, t, "live-phone")
	browsertest.Screenshot(fac, t, "live-console")

	// Focus from the console: the phone's cluster follows.
	target, err := chromedp.Run(fac, chromedp.Evaluate[string](`document.querySelector("#focus option:last-child").value`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(fac, chromedp.SetValue(chromedp.CSS("#focus"), target),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#focus").dispatchEvent(new Event("change", {bubbles: true}))`)); err != nil {
		t.Fatal(err)
	}
	waitEval(t, phone, `document.querySelector("#cluster").value === `+strconv.Quote(target))

	// The wall, on a projector: the note in its column, the join code with
	// a QR code, nothing for axe to report.
	wall := b.NewContext(t, browsertest.Wall, browsertest.Timeout(3*time.Minute))
	loginBrowser(t, wall, p.URL, "facilitator@atelier.test")
	sessionPath, err := chromedp.Run(fac, chromedp.Evaluate[string](`location.pathname.replace("/console", "/wall")`))
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Navigate(wall, t, p.URL+sessionPath)
	browsertest.WaitText(wall, t, ".wall__stage .note--kans .note__text", "Een vast aanspreekpunt")
	waitEval(t, wall, `!!document.querySelector(".wall__join svg.qr path")`)
	// Key 4 projects the chart of the cluster in focus.
	if err := chromedp.Do(wall, chromedp.KeyEvent("4")); err != nil {
		t.Fatal(err)
	}
	waitEval(t, wall, `!!document.querySelector(".wall__cluster:not([hidden]) .chart svg")`)
	browsertest.Axe(wall, t)
	browsertest.Screenshot(wall, t, "live-wall")
	browsertest.AssertNoConsoleErrors(wall, t)
	browsertest.AssertNoConsoleErrors(phone, t)
	browsertest.AssertNoConsoleErrors(fac, t)
	browsertest.AssertLocalRequests(phone, t)
}
