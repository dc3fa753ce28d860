package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"atelier/i18n"
	"atelier/internal/browsertest"
)

// longWords are Dutch words too long for a narrow card: the wall must
// neither cut them nor break them inside (hyphenation aside).
var longWords = []string{"arbeidsongeschiktheidsverzekeringsmaatschappij", "kinderopvangtoeslagaffaire",
	"schuldhulpverleningstraject", "jeugdgezondheidszorgmedewerkers", "huurachterstandsbegeleidingsgesprek"}

// TestBrowserWall projects a workshop on a wall at 1920×1080 and 1280×720,
// with the facilitator's console, the wall and three phones open: 40 notes
// on one cluster fit without a clipped card or a broken word, the wall
// follows the focus (after "next cluster" none of the previous cluster's
// notes), the views switch from the console and the keyboard (notes,
// themes with notes and excerpts, results after the reveal, the chart of
// a chosen variable, its text at least 24 px), the join panel becomes a
// strip once people are in, and closing leaves an end screen without code,
// QR code or timer. Every view is axe-clean and photographed.
func TestBrowserWall(t *testing.T) {
	t.Parallel()
	p := startServe(t, t.TempDir()+"/data", "-demo")
	b := browsertest.New(t)
	life := browsertest.Timeout(6 * time.Minute)

	console := b.NewContext(t, life)
	loginBrowser(t, console, p.URL, "facilitator@atelier.test")
	id, code, clusters := openWorkshop(t, console, p.URL, 20)
	wall := b.NewContext(t, browsertest.Wall, life)
	loginBrowser(t, wall, p.URL, "facilitator@atelier.test")
	browsertest.Navigate(wall, t, p.URL+"/s/"+id+"/wall")
	if err := chromedp.Do(wall, chromedp.Evaluate[chromedp.Void](`window.__wallErrors = []; window.addEventListener("error", (e) => window.__wallErrors.push(String(e.message))); window.addEventListener("unhandledrejection", (e) => window.__wallErrors.push(String(e.reason)))`)); err != nil {
		t.Fatal(err)
	}
	waitConnected(t, console)
	waitConnected(t, wall)

	// Before anyone is in, the large join panel; the wall's view starts at
	// the notes, of all clusters.
	waitJS(t, wall, "the large join panel", `(() => { const j = document.querySelector("[data-wall-join]");
		return !!j && !j.classList.contains("wall__join--compact") && j.querySelector(".qr").getBoundingClientRect().width > 150; })()`)
	waitJS(t, wall, "the notes view of all clusters", `document.querySelector(".wall").classList.contains("wall--notes") &&
		document.querySelector("[data-wall-heading]").textContent === `+strconv.Quote(i18n.T(i18n.NL, "wall.all_clusters")))
	browsertest.Axe(wall, t)
	browsertest.Screenshot(wall, t, "wall-1920-join")

	parent := joinPhone(t, b, p.URL, code, "parent", id)
	youth := joinPhone(t, b, p.URL, code, "youth", id)
	pro := joinPhone(t, b, p.URL, code, "professional", id)
	waitJS(t, wall, "the join panel becomes a strip once people are in", `document.querySelector("[data-wall-join]").classList.contains("wall__join--compact")`)
	// The facilitator can bring the large one back, and put it away again.
	click(t, console, "[data-wall-join-toggle]")
	waitJS(t, wall, "the large join panel is back", `!document.querySelector("[data-wall-join]").classList.contains("wall__join--compact")`)
	waitJS(t, console, "the console says the large panel is on", `document.querySelector("[data-wall-join-toggle]").getAttribute("aria-pressed") === "true"`)
	click(t, console, "[data-wall-join-toggle]")
	waitJS(t, wall, "the strip again", `document.querySelector("[data-wall-join]").classList.contains("wall__join--compact")`)

	// 40 notes on the first cluster, with long Dutch words, from three
	// phones; two on the second.
	focus(t, console, clusters[0])
	phones := []*phone{parent, youth, pro}
	for _, ph := range phones {
		waitJS(t, ph.ctx, "the phone follows the focus", `document.querySelector("#cluster").value === `+strconv.Quote(clusters[0]))
	}
	var texts []string
	for i := 0; i < 40; i++ {
		text := fmt.Sprintf("Notitie %d: %s", i+1, strings.Repeat("de buurt helpt mee ", i%4))
		if i%3 == 0 {
			text += longWords[i%len(longWords)] + " is een woord dat niet past"
		}
		text = strings.TrimSpace(text)
		texts = append(texts, text)
		sendNote(t, phones[i%3], []string{"kans", "zorg", "idee", "vraag"}[i%4], text)
	}
	if !pollJS(wall, `(() => { const st = document.querySelector("[data-wall-stage]");
		return st.querySelectorAll(".note").length + Number(st.dataset.left || 0) === 40; })()`) {
		t.Logf("console: %s", evalJS[string](t, console, `[...document.querySelectorAll(".note .note__text")].filter((p) => p.textContent.startsWith("Notitie")).length + " notes; " + [...document.querySelectorAll(".note")].map((n) => n.querySelector(".note__text").textContent.slice(0, 11) + "|" + (n.querySelector(".note__cluster") || {}).textContent).join(", ")`))
		t.Fatalf("the wall does not show 40 notes: %s; console: %v", evalJS[string](t, wall, `(() => { const st = document.querySelector("[data-wall-stage]");
			return st.querySelectorAll(".note").length + " shown, " + st.dataset.left + " left, more: " + [...st.querySelectorAll(".wall__more")].map((m) => m.textContent); })()`),
			evalJS[any](t, wall, `window.__wallErrors || null`))
	}
	t.Logf("console: %s", evalJS[string](t, console, `[...document.querySelectorAll(".note .note__text")].filter((p) => p.textContent.startsWith("Notitie")).length + " notes"`))

	onProjectors(t, wall, "notes", texts)
	fits(t, wall, "1920 notes again", 40, texts)

	// "Next cluster" from the wall's keyboard: only the second cluster's
	// notes, none of the first's, and the cluster is named.
	focus(t, console, clusters[1])
	for _, ph := range []*phone{parent, youth} {
		waitJS(t, ph.ctx, "the phone follows the focus", `document.querySelector("#cluster").value === `+strconv.Quote(clusters[1]))
	}
	sendNote(t, parent, "idee", "Een buurthuis met spreekuur")
	sendNote(t, youth, "zorg", "Ik weet niet bij wie ik moet zijn")
	// A phone reads the cluster as it sends, after the privacy check: the
	// notes must be in before the focus moves on.
	waitCount(t, screen{"console", console}, ".note__text", "Ik weet niet bij wie ik moet zijn", 1)
	waitCount(t, screen{"console", console}, ".note__text", "Een buurthuis met spreekuur", 1)
	focus(t, console, clusters[0])
	waitJS(t, wall, "the first cluster again", `document.querySelectorAll("[data-wall-stage] .note").length > 2`)
	key(t, wall, "n")
	if !pollJS(wall, `(() => {
		const notes = [...document.querySelectorAll("[data-wall-stage] .note__text")].map((p) => p.textContent);
		return notes.length === 2 && notes.includes("Een buurthuis met spreekuur") && !notes.some((t) => t.startsWith("Notitie"));
	})()`) {
		t.Fatalf("after next cluster, the wall shows %s under %q", evalJS[string](t, wall, `[...document.querySelectorAll("[data-wall-stage] .note__text")].map((p) => p.textContent.slice(0, 20)).join(" | ")`),
			evalJS[string](t, wall, `document.querySelector("[data-wall-heading]").textContent`))
	}
	heading := evalJS[string](t, wall, `document.querySelector("[data-wall-heading]").textContent`)
	label := evalJS[string](t, console, `document.querySelector(`+strconv.Quote(`#focus option[value="`+clusters[1]+`"]`)+`).textContent`)
	if heading != label {
		t.Errorf("the wall names the cluster %q, want %q", heading, label)
	}
	// No focus: every note, each card naming its cluster.
	key(t, wall, "a")
	waitJS(t, wall, "all clusters, each card named", `(() => { const cards = [...document.querySelectorAll("[data-wall-stage] .note")];
		return cards.length > 2 && cards.every((c) => c.querySelector(".note__cluster")); })()`)
	key(t, wall, "n")
	waitJS(t, wall, "the first cluster", `document.querySelectorAll("[data-wall-stage] .note").length > 2`)

	// Themes: the affinity board, a column per theme with its notes and an
	// excerpt; the notes without a theme last.
	themeNote := texts[1]
	if err := chromedp.Do(console,
		chromedp.SetValue(chromedp.CSS("#theme-cluster"), clusters[0]),
		chromedp.SetValue(chromedp.CSS("#theme-title"), "Samen met de buurt"),
		chromedp.Click(chromedp.CSS(`[data-live-theme-form] button[type="submit"]`)),
	); err != nil {
		t.Fatal(err)
	}
	waitJS(t, console, "the theme is on the console", `!!document.querySelector(".theme[data-theme]")`)
	themeID := evalJS[string](t, console, `document.querySelector(".theme[data-theme]").dataset.theme`)
	if err := chromedp.Do(console, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const li = [...document.querySelectorAll(".note")].find((n) => n.querySelector(".note__text").textContent === %s);
		const sel = li.querySelector(".theme-picker select");
		sel.value = %s;
		sel.dispatchEvent(new Event("change", {bubbles: true}));
	})()`, strconv.Quote(themeNote), strconv.Quote(themeID)))); err != nil {
		t.Fatal(err)
	}
	const excerpt = "Een moeder vertelde dat de buurvrouw haar meenam naar het spreekuur."
	if err := chromedp.Do(pro.ctx,
		chromedp.Click(chromedp.CSS(".excerpt-add summary")),
		chromedp.SetValue(chromedp.CSS("#excerpt-text"), excerpt),
		chromedp.Click(chromedp.CSS(`[data-live-excerpt-form] button[type="submit"]`)),
	); err != nil {
		t.Fatal(err)
	}
	// The privacy guard may ask about a word that looks like a name; the
	// professional sends it as it is.
	if pollJSFor(pro.ctx, 2*time.Second, `!document.querySelector("[data-live-excerpt-form] [data-live-privacy-warning]").hidden`) {
		click(t, pro.ctx, "[data-live-excerpt-form] [data-live-send-anyway]")
	}
	waitJS(t, console, "the excerpt is on the console", `[...document.querySelectorAll(".excerpt")].some((x) => x.textContent.includes(`+strconv.Quote(excerpt)+`))`)
	if err := chromedp.Do(console, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const x = [...document.querySelectorAll(".excerpt")].find((x) => x.textContent.includes(%s));
		const sel = x.querySelector(".theme-picker select");
		sel.value = %s;
		sel.dispatchEvent(new Event("change", {bubbles: true}));
	})()`, strconv.Quote(excerpt), strconv.Quote(themeID)))); err != nil {
		t.Fatal(err)
	}
	click(t, console, `[data-wall-view="themes"]`)
	waitJS(t, wall, "the theme's column holds its note and excerpt", fmt.Sprintf(`(() => {
		const col = [...document.querySelectorAll(".wall-column")].find((c) => c.querySelector(".wall-column__title").textContent === "Samen met de buurt");
		return !!col && [...col.querySelectorAll(".note__text")].some((p) => p.textContent === %s) &&
			[...col.querySelectorAll(".excerpt__text")].some((p) => p.textContent === %s);
	})()`, strconv.Quote(themeNote), strconv.Quote(excerpt)))
	onProjectors(t, wall, "themes", texts)

	// Results: the facilitator hides the tallies, the phones vote 0–7
	// times per note, the wall shows nothing of it until the reveal, then
	// the ranking with totals, top first.
	click(t, console, `button[data-live-op="session.tallies"]`)
	waitJS(t, console, "tallies hidden", `document.querySelector('button[data-live-op="session.tallies"]').getAttribute("aria-pressed") === "true"`)
	key(t, wall, "3")
	waitJS(t, wall, "the results wait for the reveal", `document.querySelector("[data-wall-stage]").textContent === `+strconv.Quote(i18n.T(i18n.NL, "wall.results_hidden")))
	votes := map[string]int{texts[39]: 7, texts[38]: 6, texts[37]: 5, texts[0]: 4, texts[1]: 3, texts[2]: 3, texts[3]: 2, texts[4]: 1}
	given := map[*phone]int{}
	for text, n := range votes {
		for i := 0; i < n; i++ {
			ph := phones[0]
			for _, cand := range phones {
				if given[cand] < given[ph] {
					ph = cand
				}
			}
			voteAndWait(t, ph, text)
			given[ph]++
		}
	}
	// The facilitator's connection has every vote, the wall shows none.
	waitJS(t, console, "the console counts every vote", fmt.Sprintf(`(() => {
		const li = [...document.querySelectorAll(".note")].find((n) => n.querySelector(".note__text").textContent === %s);
		return !!li && li.querySelector(".note__votes").textContent === %s; })()`, strconv.Quote(texts[39]), strconv.Quote(i18n.N(i18n.NL, "vote", 7))))
	if n := evalJS[int](t, wall, `document.querySelectorAll(".wall-result").length`); n != 0 {
		t.Errorf("the wall shows %d results before the reveal", n)
	}
	browsertest.Axe(wall, t)
	key(t, wall, "r")
	waitJS(t, wall, "the ranking after the reveal", `document.querySelectorAll(".wall-result").length > 0`)
	ranked := evalJS[[]struct {
		Text  string
		Rank  string
		Votes string
		Shown string
	}](t, wall, `[...document.querySelectorAll(".wall-result")].map((r) => ({Text: r.querySelector(".note__text").textContent,
		Rank: r.dataset.rank, Votes: r.dataset.votes, Shown: r.querySelector(".wall-result__votes").textContent}))`)
	want := []struct {
		text        string
		rank, votes int
	}{{texts[39], 1, 7}, {texts[38], 2, 6}, {texts[37], 3, 5}, {texts[0], 4, 4}, {texts[1], 5, 3}, {texts[2], 5, 3}, {texts[3], 7, 2}, {texts[4], 8, 1}}
	if len(ranked) < len(want) {
		t.Fatalf("the wall ranks %d notes: %+v", len(ranked), ranked)
	}
	for i, w := range want {
		r := ranked[i]
		if r.Text != w.text || r.Rank != strconv.Itoa(w.rank) || r.Votes != strconv.Itoa(w.votes) || r.Shown != i18n.N(i18n.NL, "vote", w.votes) {
			t.Errorf("result %d: %+v, want %q rank %d with %d votes", i+1, r, w.text, w.rank, w.votes)
		}
	}
	for _, r := range ranked[len(want):] {
		if r.Votes != "0" || r.Rank != "0" {
			t.Errorf("a note without votes: %+v", r)
		}
	}
	for _, size := range []struct {
		name string
		w, h int64
	}{{"1920", 1920, 1080}, {"1280", 1280, 720}} {
		if err := chromedp.Do(wall, chromedp.EmulateViewport(size.w, size.h)); err != nil {
			t.Fatal(err)
		}
		fits(t, wall, size.name+" results", 40, texts)
		// Large enough for the back of the room: the top note's text.
		if px := evalJS[float64](t, wall, `parseFloat(getComputedStyle(document.querySelector(".wall-result .note__text")).fontSize)`); px < 15 {
			t.Errorf("%s: the results' text is %vpx", size.name, px)
		}
		browsertest.Axe(wall, t)
		browsertest.Screenshot(wall, t, "wall-"+size.name+"-results")
	}
	if err := chromedp.Do(wall, chromedp.EmulateViewport(1920, 1080)); err != nil {
		t.Fatal(err)
	}

	// The chart: the default variable is the first with published figures;
	// the facilitator picks another on the console.
	click(t, console, `[data-wall-view="chart"]`)
	waitJS(t, wall, "the chart is drawn", `!!document.querySelector(".wall__cluster:not([hidden]) .wall__chart:not([hidden]) .chart svg text")`)
	variables := evalJS[[]string](t, console, `[...document.querySelectorAll("#wall-variable option")].map((o) => o.value)`)
	if len(variables) < 3 || variables[0] != "" {
		t.Fatalf("the console offers the variables %q; want the default and at least two", variables)
	}
	first := evalJS[string](t, wall, `document.querySelector(".wall__cluster:not([hidden]) .wall__chart:not([hidden])").dataset.wallVariable`)
	if first != variables[1] {
		t.Errorf("the wall's default variable is %q, want the first with published figures, %q", first, variables[1])
	}
	chartText(t, wall, "1920")
	browsertest.Axe(wall, t)
	browsertest.Screenshot(wall, t, "wall-1920-chart")
	if err := chromedp.Do(console, chromedp.SetValue(chromedp.CSS("#wall-variable"), variables[2]),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#wall-variable").dispatchEvent(new Event("change", {bubbles: true}))`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, wall, "the chosen variable's chart", fmt.Sprintf(`(() => { const f = document.querySelector(".wall__cluster:not([hidden]) .wall__chart:not([hidden])");
		return f.dataset.wallVariable === %s && !!f.querySelector(".chart svg text"); })()`, strconv.Quote(variables[2])))
	if err := chromedp.Do(wall, chromedp.EmulateViewport(1280, 720)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond) // the chart resizes after the window settles
	chartText(t, wall, "1280")
	noOverflow(t, wall, "1280 chart")
	browsertest.Screenshot(wall, t, "wall-1280-chart")
	browsertest.Axe(console, t)
	browsertest.Screenshot(console, t, "wall-console-controls")

	// Closing: the end screen, without code, QR code or timer.
	key(t, wall, "t")
	waitJS(t, wall, "the timer runs", `/^\d+:\d\d$/.test(document.querySelector("[data-live-timer]").textContent)`)
	closeSession(t, console)
	waitJS(t, wall, "the end screen", `!document.querySelector(".wall__end").hidden`)
	waitJS(t, wall, "no code, no QR code, no timer", `!document.querySelector("[data-wall-join], .qr, .code, [data-live-timer]")`)
	if got := evalJS[string](t, wall, `document.querySelector(".wall__end h2").textContent`); got != i18n.T(i18n.NL, "wall.thanks") {
		t.Errorf("the end screen says %q", got)
	}
	browsertest.Axe(wall, t)
	browsertest.Screenshot(wall, t, "wall-1280-end")
	// Loaded afresh, the closed session's wall is the end screen too.
	browsertest.Navigate(wall, t, p.URL+"/s/"+id+"/wall")
	waitJS(t, wall, "the end screen after a reload", `!document.querySelector(".wall__end").hidden && !document.querySelector(".qr, .code")`)
	for _, s := range []screen{{"console", console}, {"wall", wall}} {
		browsertest.AssertNoConsoleErrors(s.ctx, t)
		browsertest.AssertLocalRequests(s.ctx, t)
	}
}

// sendNote sends a note from a phone and waits until the phone took it
// (it empties its text box after the privacy check): a test types faster
// than a person, and the next note must not land in the box before.
func sendNote(t *testing.T, ph *phone, kind, text string) {
	t.Helper()
	submitNote(t, ph, kind, text)
	waitJS(t, ph.ctx, "the phone took the note", `document.querySelector("#text").value === ""`)
}

// focus brings the room to a cluster from the console.
func focus(t *testing.T, console context.Context, cluster string) {
	t.Helper()
	if err := chromedp.Do(console, chromedp.SetValue(chromedp.CSS("#focus"), cluster),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#focus").dispatchEvent(new Event("change", {bubbles: true}))`)); err != nil {
		t.Fatal(err)
	}
}

// key presses a key on the wall, as the facilitator at the laptop does.
func key(t *testing.T, wall context.Context, k string) {
	t.Helper()
	if err := chromedp.Do(wall, chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur()`), chromedp.KeyEvent(k)); err != nil {
		t.Fatal(err)
	}
}

// voteAndWait puts one vote of a phone on the note with text, and waits until the
// phone counts it.
func voteAndWait(t *testing.T, ph *phone, text string) {
	t.Helper()
	find := fmt.Sprintf(`[...document.querySelectorAll(".note")].find((n) => n.querySelector(".note__text")?.textContent === %s)`, strconv.Quote(text))
	waitJS(t, ph.ctx, "the phone shows the note to vote on", `!!(`+find+`)?.querySelector("[data-action=vote]")`)
	mine := `(() => { const li = ` + find + `; const v = li.querySelector(".note__votes").textContent; const m = v.match(/·\D*(\d+)/); return m ? Number(m[1]) : 0; })()`
	had := evalJS[int](t, ph.ctx, mine)
	if err := chromedp.Do(ph.ctx, chromedp.Evaluate[chromedp.Void](`(`+find+`).querySelector("[data-action=vote]").click()`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ph.ctx, "the phone counts its vote", mine+` === `+strconv.Itoa(had+1))
}

// fits checks the wall's stage at the current size: the page does not
// scroll, nothing sticks out of the stage, every card shows all of its
// text (scroll height within client height, nothing wider than the card),
// each card is a whole note, and the cards shown plus "+N meer" count all
// notes of the cluster (of the view: n for the notes and the results).
func fits(t *testing.T, wall context.Context, name string, n int, texts []string) {
	t.Helper()
	// Wait until the wall has fitted itself to the new size.
	waitJS(t, wall, name+": fitted", `(() => { const st = document.querySelector("[data-wall-stage]");
		return st.dataset.fittedTo === innerWidth + "x" + innerHeight && st.scrollHeight <= st.clientHeight + 1 && document.documentElement.scrollHeight <= innerHeight + 1; })()`)
	noOverflow(t, wall, name)
	type card struct {
		Text          string
		ScrollHeight  int
		ClientHeight  int
		ScrollWidth   int
		ClientWidth   int
		TextWidth     int
		TextBoxWidth  int
		FontSize      float64
		OutsideStage  bool
		OutsideScreen bool
	}
	cards := evalJS[[]card](t, wall, `(() => {
		const st = document.querySelector("[data-wall-stage]").getBoundingClientRect();
		return [...document.querySelectorAll("[data-wall-stage] [data-fit-card]")].map((c) => {
			const r = c.getBoundingClientRect();
			const text = c.querySelector(".note__text, .excerpt__text");
			return {Text: text.textContent, ScrollHeight: c.scrollHeight, ClientHeight: c.clientHeight, ScrollWidth: c.scrollWidth, ClientWidth: c.clientWidth,
				TextWidth: text.scrollWidth, TextBoxWidth: text.clientWidth, FontSize: parseFloat(getComputedStyle(text).fontSize),
				OutsideStage: r.bottom > st.bottom + 1 || r.right > st.right + 1 || r.top < st.top - 1 || r.left < st.left - 1,
				OutsideScreen: r.right > innerWidth || r.bottom > innerHeight};
		});
	})()`)
	if len(cards) == 0 {
		t.Fatalf("%s: no cards on the wall", name)
	}
	known := map[string]bool{}
	for _, x := range texts {
		known[x] = true
	}
	minFont := 100.0
	for _, c := range cards {
		if c.ScrollHeight > c.ClientHeight || c.ScrollWidth > c.ClientWidth || c.TextWidth > c.TextBoxWidth {
			t.Errorf("%s: card %.40q is clipped or too wide: scroll %dx%d in %dx%d, text %d in %d", name, c.Text, c.ScrollWidth, c.ScrollHeight, c.ClientWidth, c.ClientHeight, c.TextWidth, c.TextBoxWidth)
		}
		if c.OutsideStage || c.OutsideScreen {
			t.Errorf("%s: card %.40q lies outside the stage or the screen", name, c.Text)
		}
		minFont = min(minFont, c.FontSize)
	}
	if minFont < 15 {
		t.Errorf("%s: a card's text is %vpx, below a readable minimum", name, minFont)
	}
	shown := evalJS[int](t, wall, `document.querySelectorAll("[data-wall-stage] .note").length`)
	left := evalJS[int](t, wall, `Number(document.querySelector("[data-wall-stage]").dataset.left || 0)`)
	more := evalJS[[]string](t, wall, `[...document.querySelectorAll("[data-wall-stage] .wall__more")].map((m) => m.textContent)`)
	sum := 0
	for _, m := range more {
		k, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(m, "+"), " meer"))
		if err != nil {
			t.Errorf("%s: %q is not \"+N meer\"", name, m)
		}
		sum += k
	}
	if sum != left {
		t.Errorf("%s: the wall says %q, but left out %d", name, more, left)
	}
	if !strings.Contains(name, "themes") && shown+left != n {
		t.Errorf("%s: %d cards shown and %d left out, want %d notes in all", name, shown, left, n)
	}
	t.Logf("%s: %d cards, %d left out (%q), smallest text %.1fpx, drawn and fitted in %s ms", name, shown, left, more, minFont,
		evalJS[string](t, wall, `document.querySelector("[data-wall-stage]").dataset.drawMs`))
}

// noOverflow checks that the wall's page scrolls neither way.
func noOverflow(t *testing.T, wall context.Context, name string) {
	t.Helper()
	if over := evalJS[string](t, wall, `(() => { const d = document.documentElement;
		return d.scrollWidth > innerWidth || d.scrollHeight > innerHeight ? d.scrollWidth + "x" + d.scrollHeight + " in " + innerWidth + "x" + innerHeight : ""; })()`); over != "" {
		t.Errorf("%s: the wall's page overflows: %s", name, over)
	}
}

// chartText checks that every text of the wall's chart is at least 24 px.
func chartText(t *testing.T, wall context.Context, name string) {
	t.Helper()
	sizes := evalJS[[]float64](t, wall, `[...document.querySelectorAll(".wall__cluster:not([hidden]) .wall__chart:not([hidden]) .chart svg text")].map((x) => parseFloat(getComputedStyle(x).fontSize))`)
	if len(sizes) == 0 {
		t.Fatalf("%s: the chart has no text", name)
	}
	for _, px := range sizes {
		if px < 24 {
			t.Errorf("%s: chart text of %vpx; want at least 24", name, px)
			break
		}
	}
}

// onProjectors checks a wall view at a projector's 1920×1080 and 1280×720:
// it fits with the 40 notes' texts, axe-core finds nothing, and a
// screenshot is taken. The wall is left at 1920×1080.
func onProjectors(t *testing.T, wall context.Context, view string, texts []string) {
	t.Helper()
	shot := view
	if view == "notes" {
		shot = "notes-40"
	}
	for _, size := range []struct {
		name string
		w, h int64
	}{{"1920", 1920, 1080}, {"1280", 1280, 720}} {
		if err := chromedp.Do(wall, chromedp.EmulateViewport(size.w, size.h)); err != nil {
			t.Fatal(err)
		}
		fits(t, wall, size.name+" "+view, 40, texts)
		browsertest.Axe(wall, t)
		browsertest.Screenshot(wall, t, "wall-"+size.name+"-"+shot)
	}
	if err := chromedp.Do(wall, chromedp.EmulateViewport(1920, 1080)); err != nil {
		t.Fatal(err)
	}
}
