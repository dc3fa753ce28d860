package main

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"atelier/i18n"
	"atelier/internal/browsertest"
	"atelier/sessions"
)

// TestBrowserWorkshop plays a whole workshop with five browsers open at once:
// the facilitator's console (laptop) and wall (projector, 1920×1080), and
// three participants on 360-px phones. It checks that notes reach the wall
// within a second, private mode and its reveal, focus, a phone that loses
// its network (and reloads) while a note is pending, notes with markup,
// accessibility on every screen, and the read view once the session is
// closed.
//
// It runs alone, before the other browser tests (which wait more than they
// compute, and so run two at a time): it measures how fast a note reaches
// the wall.
func TestBrowserWorkshop(t *testing.T) {
	p := startServe(t, filepath.Join(t.TempDir(), "data"), "-demo")
	b := browsertest.New(t)
	life := browsertest.Timeout(4 * time.Minute)

	// 1. The facilitator prepares and opens a session on all clusters, and
	// projects the wall from a second browser.
	console := b.NewContext(t, life)
	loginBrowser(t, console, p.URL, "facilitator@atelier.test")
	id, code, clusters := openWorkshop(t, console, p.URL, 0)
	wall := b.NewContext(t, browsertest.Wall, life)
	loginBrowser(t, wall, p.URL, "facilitator@atelier.test")
	browsertest.Navigate(wall, t, p.URL+"/s/"+id+"/wall")
	waitJS(t, wall, "the wall lists every cluster", fmt.Sprintf(`document.querySelectorAll("[data-live-cluster]").length === %d`, len(clusters)))
	waitConnected(t, console)
	waitConnected(t, wall)
	staff := []screen{{"console", console}, {"wall", wall}}

	// 2. Three participants join by code on their phones. The parent's phone
	// can lose its network later.
	parent := joinPhone(t, b, p.URL, code, "parent", id, browsertest.NetworkSwitch)
	youth := joinPhone(t, b, p.URL, code, "youth", id)
	pro := joinPhone(t, b, p.URL, code, "professional", id)
	phones := []*phone{parent, youth, pro}
	if parent.name == youth.name || youth.name == pro.name || parent.name == pro.name {
		t.Errorf("pseudonyms are not distinct: %q, %q, %q", parent.name, youth.name, pro.name)
	}
	everyone := append(slices.Clone(staff), screen{"parent", parent.ctx}, screen{"youth", youth.ctx}, screen{"professional", pro.ctx})

	// 3. Note to wall: one note of each kind, so every column fills.
	var latencies []time.Duration
	for i, n := range []struct {
		by   *phone
		kind string
		text string
	}{
		{parent, "kans", "De school ziet het vaak als eerste."},
		{youth, "zorg", "Ik durfde niet te zeggen dat er thuis geen geld was."},
		{pro, "idee", "Een vast aanspreekpunt bij de huisarts."},
		{parent, "vraag", "Wie belt er als de huur twee keer te laat is?"},
	} {
		inPage, outside := noteToWall(t, n.by, wall, n.kind, n.text)
		t.Logf("note %d (%s) click → wall column: %v measured in the pages, %v seen from the test", i+1, n.kind, inPage.Round(time.Millisecond), outside.Round(time.Millisecond))
		if inPage >= time.Second || outside >= time.Second {
			t.Errorf("note %d took %v (in the pages) / %v (from the test) to reach the wall; want < 1s", i+1, inPage, outside)
		}
		latencies = append(latencies, inPage)
		// The wall names the author by pseudonym and role, never more.
		waitJS(t, wall, "the wall names the author", fmt.Sprintf(`[...document.querySelectorAll(".wall__stage .note--%s")].some((li) =>
			li.querySelector(".note__text").textContent === %s && li.querySelector(".note__meta").textContent.startsWith(%s))`,
			n.kind, strconv.Quote(n.text), strconv.Quote(n.by.name+" · ")))
		for _, s := range everyone {
			waitCount(t, s, ".note__text", n.text, 1)
		}
	}
	slices.Sort(latencies)
	t.Logf("note to wall: median %v, max %v over %d notes", latencies[len(latencies)/2].Round(time.Millisecond), latencies[len(latencies)-1].Round(time.Millisecond), len(latencies))

	// 4. Private mode: a new note reaches its author and the facilitator's
	// console only, until the facilitator reveals it. The wall is projected
	// for the whole room, so it waits for the reveal too.
	privateButton := `button[data-live-op="session.private"]`
	click(t, console, privateButton)
	waitJS(t, console, "the private button is pressed", `document.querySelector(`+strconv.Quote(privateButton)+`).getAttribute("aria-pressed") === "true"`)
	const secret = "Privé: wij schamen ons om hulp te vragen."
	submitNote(t, youth, "zorg", secret)
	waitCount(t, screen{"youth", youth.ctx}, ".note--mine .note__text", secret, 1)
	waitCount(t, screen{"console", console}, ".note__text", secret, 1)
	others := []screen{{"wall", wall}, {"parent", parent.ctx}, {"professional", pro.ctx}}
	barrier(t, console, others)
	for _, s := range others {
		if n := countText(t, s.ctx, ".note__text", secret); n != 0 {
			t.Errorf("%s shows the private note %d time(s) before the reveal", s.name, n)
		}
	}
	waitJS(t, wall, "the wall says a note waits for the reveal", `(() => { const w = document.querySelector("[data-live-waiting]");
		return !w.hidden && w.textContent === `+strconv.Quote(i18n.N(i18n.NL, "wall.waiting", 1))+`; })()`)
	click(t, console, privateButton)
	waitJS(t, console, "the private button is released", `document.querySelector(`+strconv.Quote(privateButton)+`).getAttribute("aria-pressed") === "false"`)
	for _, s := range everyone {
		waitCount(t, s, ".note__text", secret, 1)
	}
	waitJS(t, wall, "the wall no longer says a note waits", `document.querySelector("[data-live-waiting]").hidden`)
	revealed := i18n.T(i18n.NL, "wall.revealed")
	for _, s := range staff {
		waitJS(t, s.ctx, "the "+s.name+" announces the reveal", `document.querySelector("[data-live-announce]").textContent.includes(`+strconv.Quote(revealed)+`)`)
	}

	// 5. Focus: the facilitator brings everyone to one cluster.
	current := evalJS[string](t, console, `document.querySelector("#focus").value`)
	target := ""
	for _, c := range clusters {
		if c != current {
			target = c
		}
	}
	if err := chromedp.Do(console, chromedp.SetValue(chromedp.CSS("#focus"), target),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#focus").dispatchEvent(new Event("change", {bubbles: true}))`)); err != nil {
		t.Fatal(err)
	}
	for _, ph := range phones {
		waitJS(t, ph.ctx, "the "+ph.role+"'s phone follows the focus", `document.querySelector("#cluster").value === `+strconv.Quote(target))
	}
	waitJS(t, wall, "the wall shows the cluster in focus, and only that one", fmt.Sprintf(
		`[...document.querySelectorAll("[data-live-cluster]")].every((el) => el.hidden === (el.dataset.liveCluster !== %s))`, strconv.Quote(target)))

	// 6. The parent's phone loses its network, writes a note, and gets the
	// network back: the note arrives once, everywhere. GoOffline breaks the
	// open websocket too, as a lost Wi-Fi does; Chrome's offline emulation
	// alone would only hold its frames back (see browsertest.NetworkSwitch).
	offlineText := i18n.T(i18n.NL, "phone.offline")
	browsertest.GoOffline(parent.ctx, t)
	waitJS(t, parent.ctx, "the phone says it is offline", `document.querySelector("[data-live-connection]").textContent.startsWith(`+strconv.Quote(offlineText)+`)`)
	const away = "Geschreven zonder verbinding: de buurtcoach komt pas als het misgaat."
	submitNote(t, parent, "kans", away)
	waitCount(t, screen{"parent", parent.ctx}, ".note--pending .note__text", away, 1)
	back := time.Now()
	browsertest.GoOnline(parent.ctx, t)
	waitConnected(t, parent.ctx)
	t.Logf("the phone reconnected %v after the network came back", time.Since(back).Round(time.Millisecond))
	arrivesOnce(t, console, everyone, away)
	waitCount(t, screen{"parent", parent.ctx}, ".note--mine .note__text", away, 1)

	// Again, but the phone reloads while its note is pending: the note waits
	// in localStorage. The page loads while its websocket still cannot
	// connect, so the pending note must come from storage.
	browsertest.GoOffline(parent.ctx, t)
	waitJS(t, parent.ctx, "the phone says it is offline", `document.querySelector("[data-live-connection]").textContent.startsWith(`+strconv.Quote(offlineText)+`)`)
	const stored = "Na herladen nog steeds hier: een wachtlijst van drie maanden."
	submitNote(t, parent, "zorg", stored)
	waitCount(t, screen{"parent", parent.ctx}, ".note--pending .note__text", stored, 1)
	browsertest.GoOnlineExcept(parent.ctx, t, "ws://*:*/ws/*")
	browsertest.Navigate(parent.ctx, t, p.URL+"/s/"+id)
	waitJS(t, parent.ctx, "the reloaded phone says it is offline, with one note waiting", `document.querySelector("[data-live-connection]").textContent === `+
		strconv.Quote(offlineText+" "+i18n.N(i18n.NL, "phone.waiting", 1)))
	if !pollJSFor(parent.ctx, 3*time.Second, `[...document.querySelectorAll(".note--pending .note__text")].some((el) => el.textContent === `+strconv.Quote(stored)+`)`) {
		t.Errorf("after a reload without connection, the phone does not show its pending note %q (it is in localStorage: %s)",
			stored, evalJS[string](t, parent.ctx, `localStorage.getItem("atelier.pending.`+id+`")`))
	}
	browsertest.GoOnline(parent.ctx, t)
	waitConnected(t, parent.ctx)
	arrivesOnce(t, console, everyone, stored)

	// 7. Markup in a note is text on every screen: no element, no script.
	const markup = `<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> Is dit veilig?`
	submitNote(t, pro, "vraag", markup)
	for _, s := range everyone {
		waitCount(t, s, ".note__text", markup, 1)
		if n := evalJS[int](t, s.ctx, `document.querySelectorAll(".note img, .note script").length`); n != 0 {
			t.Errorf("%s: the note's markup became %d element(s)", s.name, n)
		}
		if xss := evalJS[string](t, s.ctx, `typeof window.__xss`); xss != "undefined" {
			t.Errorf("%s: the note's markup ran (window.__xss is %s)", s.name, xss)
		}
		for _, u := range browsertest.Requests(s.ctx, t) {
			if strings.HasSuffix(u, "/x") {
				t.Errorf("%s: the note's <img src=x> was requested: %s", s.name, u)
			}
		}
	}

	// The console, loaded afresh, shows what the database holds: every note
	// once.
	browsertest.Navigate(console, t, p.URL+"/s/"+id+"/console")
	waitConnected(t, console)
	for _, text := range []string{away, stored, secret, markup} {
		waitCount(t, screen{"console", console}, ".note__text", text, 1)
	}

	// 8 and 9. Accessibility and screenshots of every screen.
	for _, s := range everyone {
		browsertest.Axe(s.ctx, t)
	}
	click(t, console, `[data-wall-view="chart"]`)
	waitJS(t, wall, "the wall's chart is drawn", `!!document.querySelector(".wall__cluster:not([hidden]) .chart svg")`)
	click(t, console, `[data-wall-view="notes"]`)
	waitJS(t, wall, "the wall shows the notes again", `!document.querySelector(".wall__stage").hidden && !!document.querySelector(".wall__stage .note")`)
	browsertest.Screenshot(wall, t, "workshop-wall")
	// On the projector, a note stays inside its column, whatever its text.
	if wide := evalJS[[]string](t, wall, `[...document.querySelectorAll(".wall__stage .note")].filter((n) =>
		n.getBoundingClientRect().right > Math.min(innerWidth, n.closest("ol").getBoundingClientRect().right) + 1).map((n) =>
		n.querySelector(".note__text").textContent.slice(0, 40))`); len(wide) > 0 {
		t.Errorf("on the wall, %d note(s) stick out of their column or the screen: %q", len(wide), wide)
	}
	browsertest.Screenshot(youth.ctx, t, "workshop-phone")
	for _, ph := range phones {
		if wide := tooWide(t, ph.ctx); len(wide) > 0 {
			t.Errorf("the %s's 360-px phone scrolls sideways; too wide: %s", ph.role, strings.Join(wide, ", "))
		}
	}
	browsertest.Screenshot(console, t, "workshop-console")

	// The facilitator closes the session: phones say so, and the read view
	// opens.
	closeSession(t, console)
	browsertest.WaitText(console, t, "[data-live-state]", i18n.T(i18n.NL, "state.closed"))
	for _, ph := range phones {
		waitJS(t, ph.ctx, "the "+ph.role+"'s phone says the session ended", `!document.querySelector("[data-live-closed]").hidden && document.querySelector("[data-live-form]").hidden`)
	}
	browsertest.Navigate(console, t, p.URL+"/s/"+id+"/report")
	browsertest.WaitText(console, t, "main", markup)
	if xss := evalJS[string](t, console, `typeof window.__xss + " " + document.querySelectorAll("main .note img, main .note script").length`); xss != "undefined 0" {
		t.Errorf("report: the note's markup became elements or ran: %s", xss)
	}
	browsertest.Axe(console, t)
	browsertest.Screenshot(console, t, "workshop-report")

	// 10. Nothing went wrong in any browser, and nothing left the machine.
	// The parent's phone was offline on purpose: requests that failed
	// because of that (the privacy check as it sends a note, attempts to
	// reconnect) are expected, and nothing else.
	for _, s := range everyone {
		for _, e := range browsertest.ConsoleErrors(s.ctx, t) {
			if s.ctx == parent.ctx && strings.Contains(e.Text, "net::ERR_INTERNET_DISCONNECTED") {
				continue
			}
			t.Errorf("%s: console error: %v", s.name, e)
		}
		browsertest.AssertLocalRequests(s.ctx, t)
	}
}

// A screen is one browser in the workshop, named for messages.
type screen struct {
	name string
	ctx  context.Context
}

// A phone is a participant who joined on a phone.
type phone struct {
	ctx  context.Context
	role string
	name string // the pseudonym
}

// openWorkshop creates a session on every cluster of the demo project (with
// a budget of votes per participant, 0 for the default), opens it, and
// returns its id, its join code and its cluster ids.
func openWorkshop(t *testing.T, ctx context.Context, base string, votes int) (id, code string, clusters []string) {
	t.Helper()
	browsertest.Navigate(ctx, t, base+"/p/smart-start-demo/sessions")
	clusters = evalJS[[]string](t, ctx, `[...document.querySelectorAll('input[name="cluster"]')].map((c) => { c.click(); return c.value; })`)
	if len(clusters) < 2 {
		t.Fatalf("the demo project offers %d cluster(s); the workshop needs at least two", len(clusters))
	}
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#title"), "Werkplaats: waarom lukt de huur niet?"),
		chromedp.SetValue(chromedp.CSS("#question"), "Hoe helpen we gezinnen voordat de schulden groeien?"),
	); err != nil {
		t.Fatal(err)
	}
	if votes > 0 {
		if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#vote_budget"), strconv.Itoa(votes))); err != nil {
			t.Fatal(err)
		}
	}
	browsertest.Submit(ctx, t, `.new-session button[type="submit"]`)
	browsertest.Submit(ctx, t, `form[action$="/open"] button`)
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(".code"))); err != nil {
		t.Fatal(err)
	}
	path := evalJS[string](t, ctx, `location.pathname`)
	m := regexp.MustCompile(`^/s/(\d+)/console$`).FindStringSubmatch(path)
	if m == nil {
		t.Fatalf("after opening, the facilitator is at %s, not on a console", path)
	}
	code = evalJS[string](t, ctx, `document.querySelector(".code").textContent.replace(/\s/g, "")`)
	if len(code) != sessions.CodeLength {
		t.Fatalf("join code %q", code)
	}
	if n := evalJS[int](t, ctx, `document.querySelectorAll("#focus option[value]:not([value=''])").length`); n != len(clusters) {
		t.Errorf("the console offers %d clusters to focus on, want %d", n, len(clusters))
	}
	return m[1], code, clusters
}

// joinPhone opens a phone, joins the session by code in the given role, and
// waits until it is connected.
func joinPhone(t *testing.T, b *browsertest.Browser, base, code, role, id string, opts ...browsertest.Option) *phone {
	t.Helper()
	ctx := b.NewContext(t, append([]browsertest.Option{browsertest.Phone, browsertest.Timeout(4 * time.Minute)}, opts...)...)
	browsertest.Navigate(ctx, t, base+"/j")
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#code"), code),
		chromedp.Click(chromedp.CSS(`input[name="role"][value="`+role+`"]`)),
		chromedp.Click(chromedp.CSS(`form.form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".you")),
	); err != nil {
		t.Fatalf("%s joining: %v", role, err)
	}
	if path := evalJS[string](t, ctx, `location.pathname`); path != "/s/"+id {
		t.Errorf("the %s landed on %s, want /s/%s", role, path, id)
	}
	waitConnected(t, ctx)
	you := evalJS[string](t, ctx, `document.querySelector(".you").textContent`)
	before, after, _ := strings.Cut(i18n.T(i18n.NL, "phone.you_are", "\x00"), "\x00")
	m := regexp.MustCompile("^" + regexp.QuoteMeta(before) + "(.+)" + regexp.QuoteMeta(after+" · "+i18n.T(i18n.NL, "role."+role)) + "$").
		FindStringSubmatch(strings.TrimSpace(you))
	if m == nil {
		t.Fatalf("the %s's phone says %q, want its pseudonym and role", role, you)
	}
	return &phone{ctx: ctx, role: role, name: m[1]}
}

// submitNote writes a note of a kind on a phone and sends it.
func submitNote(t *testing.T, ph *phone, kind, text string) {
	t.Helper()
	// The kind is chosen in the page: a click at the radio's coordinates
	// can land on the sticky send bar that covers the foot of the screen.
	evalJS[bool](t, ph.ctx, `(() => { const r = document.querySelector('input[name="kind"][value="`+kind+`"]'); r.click(); return r.checked; })()`)
	if err := chromedp.Do(ph.ctx,
		chromedp.SetValue(chromedp.CSS("#text"), text),
		chromedp.Click(chromedp.CSS(`[data-live-form] button[type="submit"]`)),
	); err != nil {
		t.Fatalf("%s sending a note: %v", ph.role, err)
	}
}

// noteToWall sends a note from a phone and measures how long it takes to
// appear in its column on the wall, twice:
//
//   - in the pages: from the click event on the phone's send button (a
//     capture listener, so before the page's own handler) to the moment the
//     note's element is in the wall's column (a MutationObserver, which runs
//     right after the insertion, before the browser paints it). Both read
//     performance.timeOrigin + performance.now(), the same clock in two tabs
//     of one browser. This is the page's submit handler, the websocket
//     frame, the server (validation, privacy screen, SQLite commit,
//     sequence, fan-out) and the wall's handling; not the paint, nor the
//     touch screen of a real phone.
//   - from the test: from just before the DevTools click (which itself takes
//     a few protocol round trips) until a poll of the wall every few
//     milliseconds finds the note. An upper bound with the harness in it.
func noteToWall(t *testing.T, ph *phone, wall context.Context, kind, text string) (inPage, outside time.Duration) {
	t.Helper()
	evalJS[bool](t, wall, fmt.Sprintf(`(() => {
		window.__seenAt = 0;
		const column = document.querySelector("[data-wall-stage]");
		const there = () => [...column.querySelectorAll(".note--%s .note__text")].some((p) => p.textContent === %s);
		const observer = new MutationObserver(() => {
			if (there()) { window.__seenAt = performance.timeOrigin + performance.now(); observer.disconnect(); }
		});
		observer.observe(column, {childList: true, subtree: true, characterData: true});
		return true;
	})()`, kind, strconv.Quote(text)))
	// The kind is chosen in the page: a click at the radio's coordinates
	// can land on the sticky send bar that covers the foot of the screen.
	evalJS[bool](t, ph.ctx, `(() => { const r = document.querySelector('input[name="kind"][value="`+kind+`"]'); r.click(); return r.checked; })()`)
	if err := chromedp.Do(ph.ctx,
		chromedp.SetValue(chromedp.CSS("#text"), text),
		chromedp.Evaluate[chromedp.Void](`window.__clickedAt = 0; document.addEventListener("click", (e) => {
			if (e.target.closest("[data-live-form] button[type=submit]")) window.__clickedAt = performance.timeOrigin + performance.now();
		}, {capture: true, once: true})`),
	); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := chromedp.Do(ph.ctx, chromedp.Click(chromedp.CSS(`[data-live-form] button[type="submit"]`))); err != nil {
		t.Fatal(err)
	}
	var seenAt float64
	for deadline := start.Add(10 * time.Second); seenAt == 0; time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the %s note %q never reached the wall's column", kind, text)
		}
		seenAt = evalJS[float64](t, wall, `window.__seenAt`)
	}
	outside = time.Since(start)
	clickedAt := evalJS[float64](t, ph.ctx, `window.__clickedAt`)
	if clickedAt == 0 || seenAt < clickedAt {
		t.Fatalf("no sensible measurement: clicked at %v, seen at %v", clickedAt, seenAt)
	}
	return time.Duration((seenAt - clickedAt) * float64(time.Millisecond)), outside
}

// arrivesOnce waits until the note with text is on every screen, then
// behind a barrier checks that each screen shows it once and none as
// pending: a duplicate re-sent on reconnecting would have been sequenced
// before the barrier's event.
func arrivesOnce(t *testing.T, console context.Context, screens []screen, text string) {
	t.Helper()
	for _, s := range screens {
		waitCount(t, s, ".note__text", text, 1)
	}
	barrier(t, console, screens)
	for _, s := range screens {
		if n := countText(t, s.ctx, ".note__text", text); n != 1 {
			t.Errorf("%s shows the note %q %d times, want once", s.name, text, n)
		}
		if n := countText(t, s.ctx, ".note--pending .note__text", text); n != 0 {
			t.Errorf("%s still shows the note %q as pending", s.name, text)
		}
	}
}

// barrier is how a test sees that something did not arrive, instead of a
// pause: the facilitator moves the room to another phase, an event
// sequenced after everything the server took in before, and each screen
// applies its events in order. Once every screen shows the new phase, what
// was sent before it (a leak, a duplicate) would be there. The console
// shows the phase in its own select before the event comes back, so it
// waits instead until its data-live-seq reaches the others': it receives
// every event they do.
func barrier(t *testing.T, console context.Context, screens []screen) {
	t.Helper()
	phase := evalJS[string](t, console, `(() => { const s = document.querySelector("#phase"); return [...s.options].find((o) => o.value !== s.value).textContent; })()`)
	evalJS[bool](t, console, `(() => { const s = document.querySelector("#phase"); s.value = [...s.options].find((o) => o.value !== s.value).value; s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
	const seq = `+document.querySelector("[data-live-seq]").dataset.liveSeq`
	var after int
	var staff []screen
	for _, s := range screens {
		if s.ctx == console {
			staff = append(staff, s)
			continue
		}
		waitJS(t, s.ctx, "the "+s.name+" shows the next phase", `document.querySelector("[data-live-phase]").textContent === `+strconv.Quote(phase))
		after = max(after, evalJS[int](t, s.ctx, seq))
	}
	if after == 0 {
		t.Fatal("a barrier needs a screen besides the console")
	}
	for _, s := range staff {
		waitJS(t, s.ctx, "the "+s.name+" has applied the phase change", fmt.Sprintf(`%s >= %d`, seq, after))
	}
}

// tooWide lists the outermost elements that stick out on the right of the
// phone's screen, each as tag.class and its right edge in CSS pixels. A
// mobile browser widens the layout viewport (innerWidth) to fit such
// elements, so the screen's width is the measure.
func tooWide(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return evalJS[[]string](t, ctx, `(() => {
		const width = screen.width;
		if (document.documentElement.scrollWidth <= width) return [];
		const out = [];
		for (const el of document.body.querySelectorAll("*")) {
			const r = el.getBoundingClientRect();
			if (r.right <= width + 0.5 || r.width === 0) continue;
			const parent = el.parentElement.getBoundingClientRect();
			if (parent.right > width + 0.5) continue; // its parent is listed
			out.push(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).trim().split(/\s+/).join(".") : "") + " (" + Math.round(r.right) + "px)");
		}
		return out.length ? out : ["the document (" + document.documentElement.scrollWidth + "px)"];
	})()`)
}

// waitConnected waits until a live page says it is connected.
func waitConnected(t *testing.T, ctx context.Context) {
	t.Helper()
	// The line may go on to say how many notes still wait to be sent.
	waitJS(t, ctx, "the page is connected", `document.querySelector("[data-live-connection]").textContent.startsWith(`+strconv.Quote(i18n.T(i18n.NL, "phone.online"))+`)`)
}

// waitCount waits until exactly n elements that match selector have text as
// their whole text.
func waitCount(t *testing.T, s screen, selector, text string, n int) {
	t.Helper()
	expr := fmt.Sprintf(`[...document.querySelectorAll(%s)].filter((el) => el.textContent === %s).length === %d`,
		strconv.Quote(selector), strconv.Quote(text), n)
	if !pollJS(s.ctx, expr) {
		seen, _ := chromedp.Run(s.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(`+strconv.Quote(selector)+`)].map((el) => el.textContent)`))
		t.Fatalf("%s: waited 20s for %q to be there %d time(s) in %s; it shows %q", s.name, text, n, selector, seen)
	}
}

// countText counts the elements that match selector and have text as their
// whole text.
func countText(t *testing.T, ctx context.Context, selector, text string) int {
	t.Helper()
	return evalJS[int](t, ctx, fmt.Sprintf(`[...document.querySelectorAll(%s)].filter((el) => el.textContent === %s).length`,
		strconv.Quote(selector), strconv.Quote(text)))
}

// click clicks the element that matches selector.
func click(t *testing.T, ctx context.Context, selector string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(selector))); err != nil {
		t.Fatalf("clicking %s: %v", selector, err)
	}
}

// waitJS waits, for at most 20 seconds, until a JavaScript expression is
// true; what says what is awaited.
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	if !pollJS(ctx, expr) {
		t.Fatalf("waited 20s for: %s\n%s", what, expr)
	}
}

// pollJS reports whether a JavaScript expression becomes true within 20
// seconds.
func pollJS(ctx context.Context, expr string) bool {
	return pollJSFor(ctx, 20*time.Second, expr)
}

// pollJSFor reports whether a JavaScript expression becomes true within d.
func pollJSFor(ctx context.Context, d time.Duration, expr string) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr)); err == nil && ok {
			return true
		}
	}
	return false
}

// evalJS evaluates a JavaScript expression and returns its value.
func evalJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}
