package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"atelier/internal/browsertest"
)

// TestBrowserStewardReview: one steward imports the example export, the
// other reviews it on a laptop screen (1366×768). The summary is on the
// first screen, the decision bar stays in view while the page scrolls, the
// per-figure table is searchable, a rejection without a reason stays on the
// page with the message beside the bar, a corrected label is kept and
// listed, and axe-core finds nothing. Once rejected, the set's figures are
// gone: its charts answer 404 even to the steward.
func TestBrowserStewardReview(t *testing.T) {
	t.Parallel()
	root := browsertest.RepoRoot(t)
	p := startServe(t, filepath.Join(t.TempDir(), "data"), "-demo")
	b := browsertest.New(t)

	importer := b.NewContext(t, browsertest.Desktop, browsertest.Timeout(2*time.Minute))
	loginBrowser(t, importer, p.URL, "steward@atelier.test")
	importExample(t, importer, p.URL, root)
	setPath := evalJS[string](t, importer, "location.pathname")
	if !strings.Contains(setPath, "/sets/") {
		t.Fatalf("after the import the page is %s, want the set's page", setPath)
	}
	// The importer sees the bar but cannot approve or reject (four eyes).
	browsertest.WaitText(importer, t, ".decision-bar", "Zelf geïmporteerd")

	// A second import, for the phone and the large screen below.
	importExample(t, importer, p.URL, root)
	second := evalJS[string](t, importer, "location.pathname")

	ctx := b.NewContext(t, browsertest.Desktop, browsertest.Timeout(3*time.Minute))
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768)); err != nil {
		t.Fatal(err)
	}
	loginBrowser(t, ctx, p.URL, "steward2@atelier.test")
	browsertest.Navigate(ctx, t, p.URL+setPath)

	// The summary first: its figures are on the first screen, and so is the
	// decision bar.
	inView := `(sel) => { const r = document.querySelector(sel).getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }`
	for _, sel := range []string{"#summary-title", ".stats", ".decision-bar"} {
		if !evalJS[bool](t, ctx, "("+inView+")("+jsQuote(sel)+")") {
			t.Errorf("%s is not in view at 1366×768 on arrival", sel)
		}
	}
	// ... and not under the bar.
	if !evalJS[bool](t, ctx, `document.querySelector(".stats").getBoundingClientRect().bottom <= document.querySelector(".decision-bar").getBoundingClientRect().top`) {
		t.Error("the summary's figures are under the decision bar at 1366×768")
	}
	stats := evalJS[string](t, ctx, `document.querySelector(".stats").textContent`)
	for _, want := range []string{"Clusters", "Kenmerken", "Gepubliceerd", "Afgeschermd", "primair", "secundair"} {
		if !strings.Contains(stats, want) {
			t.Errorf("summary %q lacks %q", stats, want)
		}
	}
	browsertest.WaitText(ctx, t, ".review-summary", "Verloren informatie per kenmerk")
	browsertest.WaitText(ctx, t, ".review-summary", "Regels van dit project")
	browsertest.WaitText(ctx, t, ".review-summary", "Helemaal afgeschermde kenmerken")
	viewportShot(t, ctx, root, "review-1366-top")

	// Scrolled halfway and to the end: the bar is still in view.
	for _, y := range []string{"document.body.scrollHeight / 2", "document.body.scrollHeight"} {
		evalJS[bool](t, ctx, "(window.scrollTo(0, "+y+"), true)")
		if !evalJS[bool](t, ctx, "("+inView+")('.decision-bar')") {
			t.Errorf("decision bar out of view after scrolling to %s", y)
		}
	}
	evalJS[bool](t, ctx, "(window.scrollTo(0, document.body.scrollHeight / 2), true)")
	viewportShot(t, ctx, root, "review-1366-scrolled")

	// The per-figure table: collapsed, searchable.
	if n := evalJS[int](t, ctx, `document.querySelectorAll("details[data-review-group][open]").length`); n != 0 {
		t.Errorf("%d cluster groups open on arrival, want all collapsed", n)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#cell-search"), "secundair")); err != nil {
		t.Fatal(err)
	}
	waitEval(t, ctx, `document.querySelector("[data-review-count]").textContent.includes("cijfers gevonden")`)
	visible := evalJS[[]string](t, ctx, `[...document.querySelectorAll("details[data-review-group] tr[data-search]")].filter(r => !r.hidden && r.closest("details").open).map(r => r.textContent)`)
	if len(visible) == 0 {
		t.Fatal("searching for 'secundair' shows no figure")
	}
	for _, row := range visible {
		if !strings.Contains(row, "secundair") {
			t.Errorf("row %q shown for the search 'secundair'", row)
		}
	}
	browsertest.Axe(ctx, t)
	browsertest.AssertNoConsoleErrors(ctx, t)

	// Rejecting without a reason: the same page, the message in the bar,
	// the summary still there. (Its 422 status is a console error from
	// here on, like the 404 asked for below.)
	browsertest.Submit(ctx, t, `.decision-bar button[formaction$="/reject"]`)
	browsertest.WaitText(ctx, t, "#decision-error", "reden")
	if !evalJS[bool](t, ctx, "("+inView+")('#decision-error')") {
		t.Error("the refusal is not in view")
	}
	if got := evalJS[string](t, ctx, `document.querySelector("#summary-title").textContent`); got != "Samenvatting" {
		t.Errorf("after the refusal the page has no summary (%q): an error page?", got)
	}
	if got := evalJS[string](t, ctx, `document.querySelector("#reason").getAttribute("aria-invalid")`); got != "true" {
		t.Errorf("reason field aria-invalid = %q, want true", got)
	}
	browsertest.Axe(ctx, t)
	viewportShot(t, ctx, root, "review-1366-refused")

	// A corrected label is kept, listed with its old text, and the
	// figures beside it unchanged.
	browsertest.Navigate(ctx, t, p.URL+setPath)
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#labels details summary`)),
		chromedp.SetValue(chromedp.CSS("#label-cluster-0"), "Eenoudergezinnen met bijstand"),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.Submit(ctx, t, `#labels button[type="submit"]`)
	browsertest.WaitText(ctx, t, "#labels", "De labels zijn opgeslagen.")
	browsertest.WaitText(ctx, t, "#history-title + ul", "Eenoudergezinnen met bijstand")
	browsertest.WaitText(ctx, t, ".review-summary", "Eenoudergezinnen met bijstand")

	// Rejected with a reason: the set's figures are gone, for the steward
	// too; the decision is on the page.
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#reason"), "Labels onduidelijk; graag opnieuw.")); err != nil {
		t.Fatal(err)
	}
	browsertest.Submit(ctx, t, `.decision-bar button[formaction$="/reject"]`)
	browsertest.WaitText(ctx, t, ".decision-bar", "Afgewezen op")
	if n := evalJS[int](t, ctx, `document.querySelectorAll(".review-summary, .cells, a[href*='/clusters/']").length`); n != 0 {
		t.Errorf("a rejected set still shows %d figure elements", n)
	}
	status := evalJS[int](t, ctx, `(() => {
		const x = new XMLHttpRequest();
		x.open("GET", location.pathname.replace(/^\/p\/[^/]+\/sets\/(\d+).*/, "/api/sets/$1/clusters/A/charts/huishoudtype"), false);
		x.send();
		return x.status;
	})()`)
	if status != 404 {
		t.Errorf("chart JSON of a rejected set: HTTP %d for a steward, want 404", status)
	}
	browsertest.Axe(ctx, t)
	browsertest.AssertLocalRequests(ctx, t)

	// The other screens, to look at: a phone and a large screen, on the
	// second import, still pending.
	for _, vp := range []browsertest.Viewport{browsertest.Phone, browsertest.Wall} {
		t.Run(vp.String(), func(t *testing.T) {
			ctx := b.NewContext(t, vp, browsertest.Timeout(3*time.Minute))
			loginBrowser(t, ctx, p.URL, "steward2@atelier.test")
			browsertest.Navigate(ctx, t, p.URL+second)
			browsertest.WaitText(ctx, t, "#summary-title", "Samenvatting")
			browsertest.Axe(ctx, t)
			viewportShot(t, ctx, root, "review-"+strings.ToLower(vp.String()))
		})
	}
}

// viewportShot writes what the window shows (not the whole page) to
// screenshots/NAME.png: where a sticky bar sits is only visible so.
func viewportShot(t *testing.T, ctx context.Context, root, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join(root, "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// jsQuote writes s as a JavaScript string literal.
func jsQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// importExample imports the example export into the demo project through
// the import page, as the steward logged in on ctx.
func importExample(t *testing.T, ctx context.Context, base, root string) {
	t.Helper()
	browsertest.Navigate(ctx, t, base+"/p/smart-start-demo/import")
	if err := chromedp.Do(ctx,
		chromedp.SetUploadFiles(chromedp.CSS("#export"), []string{filepath.Join(root, "examples", "export.csv")}),
		chromedp.SetUploadFiles(chromedp.CSS("#meta"), []string{filepath.Join(root, "examples", "export.meta.json")}),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.Submit(ctx, t, `main form.form button[type="submit"]`)
}
