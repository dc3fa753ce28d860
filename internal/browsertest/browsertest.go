// Package browsertest drives a real headless Chromium for the browser tests of
// Atelier. It is a thin layer over chromedp: it starts the browser, opens
// isolated browser contexts (one per person in a test), records console errors
// and requested URLs, runs axe-core audits and writes screenshots.
//
// Chromedp itself stays the API for everything else, for example:
//
//	b := browsertest.New(t)
//	facilitator := b.NewContext(t)
//	participant := b.NewContext(t, browsertest.Phone)
//	browsertest.Navigate(facilitator, t, srv.URL+"/")
//	if err := chromedp.Do(facilitator, chromedp.Click(chromedp.CSS("#start"))); err != nil {
//		t.Fatal(err)
//	}
//	browsertest.WaitText(participant, t, "#status", "Gestart")
//	browsertest.Axe(participant, t)
//	browsertest.AssertNoConsoleErrors(participant, t)
//	browsertest.AssertLocalRequests(participant, t)
//
// The browser is Debian's chromium at /usr/bin/chromium, or the program that
// the environment variable ATELIER_CHROMIUM names. A missing browser fails the
// test. The only way to skip browser tests is ATELIER_SKIP_BROWSER=1.
package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// DefaultChromium is the browser that New starts when ATELIER_CHROMIUM is not
// set.
const DefaultChromium = "/usr/bin/chromium"

// DefaultTimeout is how long a context from NewContext lives, unless a
// Timeout option changes it. A page that hangs then fails the test instead of
// hanging the whole suite.
const DefaultTimeout = 20 * time.Second

// Browser is one headless Chromium process. Make it with New. Its contexts,
// made with NewContext, can be used from different goroutines, one goroutine
// per context.
type Browser struct {
	// ctx is the chromedp context of the first tab. It owns the browser
	// process, and every context from NewContext is its child.
	ctx context.Context
}

// New starts a headless Chromium with a fresh profile in t.TempDir and stops it
// when the test ends. It fails the test when the browser is missing or does not
// start. When the environment variable ATELIER_SKIP_BROWSER is 1, it skips the
// test instead.
func New(t testing.TB) *Browser {
	t.Helper()
	if os.Getenv("ATELIER_SKIP_BROWSER") == "1" {
		t.Skip("browser test skipped because ATELIER_SKIP_BROWSER=1")
	}
	path := os.Getenv("ATELIER_CHROMIUM")
	if path == "" {
		path = DefaultChromium
	}
	if _, err := exec.LookPath(path); err != nil {
		t.Fatalf("browser tests need Chromium at %s (%v). Run `make test`, which installs it, "+
			"or set ATELIER_CHROMIUM to another Chromium. To skip browser tests on purpose, set ATELIER_SKIP_BROWSER=1.",
			path, err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 800),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	// Both start and the cleanup may cancel; a second call of a chromedp
	// cancel func can wait for ever, so make it run once.
	cancel := sync.OnceFunc(cancelCtx)
	// Cleanups run in reverse order, so the browser stops before the
	// TempDir above is removed.
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})

	if err := start(ctx, cancel); err != nil {
		t.Fatalf("starting Chromium %s: %v", path, err)
	}
	return &Browser{ctx: ctx}
}

// An Option changes a context that NewContext makes. The options are the
// viewports Desktop, Phone and Wall, Timeout, Language and NetworkSwitch.
type Option interface {
	apply(*contextConfig)
}

type contextConfig struct {
	viewport      Viewport
	timeout       time.Duration
	language      Language
	networkSwitch bool
}

// Language is an Option that sets the Accept-Language header the context
// sends. The default is Dutch ("nl-NL,nl"), the language of Atelier's users;
// Debian's headless Chromium would otherwise ask for American English.
type Language string

func (l Language) apply(c *contextConfig) { c.language = l }

// Viewport is the screen that a context emulates.
type Viewport int

// The viewports of the people who use Atelier.
const (
	// Desktop is a laptop screen of 1280×800 CSS pixels. It is the default.
	Desktop Viewport = iota
	// Phone is a phone held upright: 360×740 CSS pixels at device scale 2,
	// with mobile and touch emulation.
	Phone
	// Wall is a projector or large screen of 1920×1080 CSS pixels.
	Wall
)

func (v Viewport) apply(c *contextConfig) { c.viewport = v }

// String returns the name of the viewport.
func (v Viewport) String() string {
	switch v {
	case Desktop:
		return "Desktop"
	case Phone:
		return "Phone"
	case Wall:
		return "Wall"
	}
	return fmt.Sprintf("Viewport(%d)", int(v))
}

// emulate returns the action that sets the viewport in a tab.
func (v Viewport) emulate() chromedp.Action[chromedp.Void] {
	switch v {
	case Phone:
		return chromedp.EmulateViewport(360, 740,
			chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch,
			chromedp.EmulateOrientation(emulation.ScreenOrientationTypePortraitPrimary, 0))
	case Wall:
		return chromedp.EmulateViewport(1920, 1080)
	default:
		return chromedp.EmulateViewport(1280, 800)
	}
}

// Timeout is an Option that sets how long a context lives, from the moment
// NewContext returns. Every chromedp call on the context fails after it. The
// default is DefaultTimeout.
type Timeout time.Duration

func (d Timeout) apply(c *contextConfig) { c.timeout = time.Duration(d) }

// NewContext opens a tab in a new, isolated browser context, like an incognito
// window: it shares no cookies, storage or cache with other contexts. Use one
// context per person that a test plays. The context records console errors
// (see ConsoleErrors) and requested URLs (see Requests) from its start.
//
// The returned context ends after DefaultTimeout (or the Timeout option), and
// the tab closes when the test ends. Use the context from one goroutine at a
// time.
func (b *Browser) NewContext(t testing.TB, opts ...Option) context.Context {
	t.Helper()
	cfg := contextConfig{viewport: Desktop, timeout: DefaultTimeout, language: "nl-NL,nl;q=0.9"}
	for _, o := range opts {
		o.apply(&cfg)
	}

	rec := &recorder{}
	var px *proxy
	var browserContext []chromedp.CreateBrowserContextOption
	if cfg.networkSwitch {
		px = startProxy(t)
		browserContext = append(browserContext, func(p *target.CreateBrowserContextParams) {
			p.ProxyServer = px.url()
			// Chrome never sends loopback traffic to a proxy unless told to.
			p.ProxyBypassList = "<-loopback>"
		})
	}
	ctx, cancelCtx := chromedp.NewContext(b.ctx,
		chromedp.WithNewBrowserContext(browserContext...),
		chromedp.WithListener(rec.handle),
	)
	cancel := sync.OnceFunc(cancelCtx)
	ctx = context.WithValue(ctx, recorderKey{}, rec)
	if px != nil {
		ctx = context.WithValue(ctx, switchKey{}, px)
	}
	tctx, cancelTimeout := context.WithTimeout(ctx, cfg.timeout)
	t.Cleanup(func() {
		cancelTimeout()
		cancel()
	})

	if err := start(ctx, cancel); err != nil {
		t.Fatalf("opening a browser context: %v", err)
	}
	if err := chromedp.Do(tctx, cfg.viewport.emulate()); err != nil {
		t.Fatalf("emulating the %v viewport: %v", cfg.viewport, err)
	}
	setLanguage := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return chromedp.Void{}, err
		}
		_, err := cdp.Call(ctx, tg, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
			Headers: network.Headers{"Accept-Language": string(cfg.language)},
		})
		return chromedp.Void{}, err
	}
	if err := chromedp.Do(tctx, setLanguage); err != nil {
		t.Fatalf("setting the language %q: %v", cfg.language, err)
	}
	return tctx
}

// startTimeout limits how long New waits for the browser, and NewContext for
// a tab.
const startTimeout = 30 * time.Second

// start runs the first chromedp call on ctx, which starts the browser or opens
// the tab. The browser or tab lives as long as the context of that first call,
// so the call must not get a context with a timeout. A timer guards it instead:
// after startTimeout, start calls cancel, which ends the call.
func start(ctx context.Context, cancel func()) error {
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx) }()
	timer := time.NewTimer(startTimeout)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		cancel()
		<-done
		return fmt.Errorf("no answer after %v", startTimeout)
	}
}

// Navigate loads url in the tab of ctx and waits for its load event. It fails
// the test when the page does not load or answers with an HTTP status of 400
// or more. To look at an error page, use chromedp.NavigateResponse directly.
func Navigate(ctx context.Context, t testing.TB, url string) {
	t.Helper()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("navigating to %s: %v", url, err)
	}
	if resp != nil && resp.Status >= 400 {
		t.Fatalf("navigating to %s: HTTP status %d %s", url, resp.Status, resp.StatusText)
	}
}

// WaitText waits until the first element that matches the CSS selector has a
// text content that contains want. It fails the test when the context ends
// first, and reports the last text it saw.
func WaitText(ctx context.Context, t testing.TB, selector, want string) {
	t.Helper()
	expr := fmt.Sprintf(`(() => { const el = document.querySelector(%s); return el ? el.textContent : null; })()`,
		jsString(selector))
	var last *string
	for {
		text, err := chromedp.Run(ctx, chromedp.Evaluate[*string](expr))
		if err == nil {
			last = text
			if text != nil && strings.Contains(*text, want) {
				return
			}
		}
		select {
		case <-ctx.Done():
			switch {
			case last == nil:
				t.Fatalf("waiting for %q to contain %q: no such element (%v)", selector, want, ctx.Err())
			default:
				t.Fatalf("waiting for %q to contain %q: text is %q (%v)", selector, want, *last, ctx.Err())
			}
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Submit clicks the element that matches the CSS selector, a button that
// submits a form or a link, and waits until the next page has loaded with all
// its scripts. Chaining the click and a query of the next page in one
// chromedp.Do races the navigation: the query can match the old page and then
// act on a node that is gone ("Could not find node with given id").
func Submit(ctx context.Context, t testing.TB, selector string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__atelierLeaving = true`)); err != nil {
		t.Fatalf("before clicking %q: %v", selector, err)
	}
	// Clicked in the page rather than at its coordinates: while a page
	// still lays itself out, or under a sticky bar, a click at a point can
	// land on another element and nothing is submitted.
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(selector)),
		chromedp.Evaluate[chromedp.Void](`document.querySelector(`+jsString(selector)+`).click()`)); err != nil {
		t.Fatalf("clicking %q: %v", selector, err)
	}
	const loaded = `window.__atelierLeaving !== true && document.readyState === "complete"`
	for {
		// While the page changes, evaluating can fail; that is not an answer.
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](loaded))
		if err == nil && done {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("after clicking %q, no next page loaded (%v)", selector, ctx.Err())
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Screenshot writes a PNG of the whole page (beyond the viewport) in the tab of
// ctx to screenshots/<name>.png at the root of the repository. The name must
// be a plain file name without a folder.
func Screenshot(ctx context.Context, t testing.TB, name string) {
	t.Helper()
	if name == "" || filepath.Base(name) != name || name == "." || name == ".." {
		t.Fatalf("screenshot name %q must be a plain file name", name)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("taking screenshot %s: %v", name, err)
	}
	dir := filepath.Join(RepoRoot(t), "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("taking screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("taking screenshot %s: %v", name, err)
	}
	t.Logf("screenshot written to %s", path)
}

// RepoRoot returns the folder that holds go.mod, found by walking up from the
// working directory of the test. It fails the test when there is none.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("finding the repository root: %v", err)
	}
	for {
		_, err := os.Stat(filepath.Join(dir, "go.mod"))
		if err == nil {
			return dir
		}
		if !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("finding the repository root: %v", err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("finding the repository root: no go.mod above the working directory")
		}
		dir = parent
	}
}

// jsString returns s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
