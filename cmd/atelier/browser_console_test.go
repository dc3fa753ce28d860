package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"atelier/i18n"
	"atelier/internal/browsertest"
)

// consoleNoteTexts are forty notes for the console's board, with the long
// Dutch compounds people really write: a card must wrap them, never clip
// them or widen the board.
func consoleNoteTexts() (texts, kinds []string) {
	words := []string{
		"Kinderopvangtoeslagherbeoordelingsprocedure duurt maanden en niemand legt uit waarom",
		"De arbeidsongeschiktheidsverzekeringsmaatschappij stuurt brieven die ouders niet begrijpen",
		"Een vaste schuldhulpverleningstrajectbegeleider per gezin in plaats van steeds een ander",
		"Wachtlijst bij het wijkteam",
		"Ouders schamen zich om hulp te vragen bij de gemeente",
		"Huurachterstandsregelingen eerder aanbieden, al na één gemiste maand",
		"Waarom weet de school niet dat er thuis geldzorgen zijn?",
		"Jongerenwerkers kennen de gezinnen al: laat hen de eerste stap zetten",
	}
	kindsOf := []string{"zorg", "zorg", "idee", "zorg", "zorg", "idee", "vraag", "kans"}
	for i := 0; i < 40; i++ {
		texts = append(texts, fmt.Sprintf("%s (%d)", words[i%len(words)], i+1))
		kinds = append(kinds, kindsOf[i%len(kindsOf)])
	}
	return texts, kinds
}

// TestBrowserConsole plays a facilitator at a laptop (1366×768) with three
// phones (360×740): the agenda planned on the draft console and saved with
// the set-up as a template; forty notes on a dense board that filters by
// kind, cluster, theme and taken-off, and sorts by votes; themes in view
// while the board scrolls; a timer of a chosen length with one more minute;
// the agenda followed (the step in progress, time spent beside planned);
// who is present, and removing one of them; closing behind a dialog; and a
// new session started from the template. On the phones: a line per kind,
// the send button in view while typing, the session's tags suggested,
// votes counted in words ("1 stem", "2 stemmen") and the rule for several
// votes on one note. Every view is checked with axe and photographed.
func TestBrowserConsole(t *testing.T) {
	t.Parallel()
	p := startServe(t, filepath.Join(t.TempDir(), "data"), "-demo")
	b := browsertest.New(t)
	fac := b.NewContext(t, browsertest.Timeout(10*time.Minute))
	laptop(t, fac)
	loginBrowser(t, fac, p.URL, "facilitator@atelier.test")

	// A draft session on two clusters, with a vote budget of three.
	browsertest.Navigate(fac, t, p.URL+"/p/smart-start-demo/sessions")
	evalJS[int](t, fac, `[...document.querySelectorAll('input[name="cluster"]')].slice(0, 2).map((c) => c.click()).length`)
	if err := chromedp.Do(fac,
		chromedp.SetValue(chromedp.CSS("#title"), "Werkplaats huurachterstand"),
		chromedp.SetValue(chromedp.CSS("#question"), "Hoe helpen we gezinnen voordat de schulden groeien?"),
		chromedp.SetValue(chromedp.CSS("#vote_budget"), "3"),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.Submit(fac, t, `.new-session button[type="submit"]`)
	id := regexp.MustCompile(`^/s/(\d+)/console$`).FindStringSubmatch(evalJS[string](t, fac, `location.pathname`))
	if id == nil {
		t.Fatalf("after creating, the facilitator is at %s", evalJS[string](t, fac, `location.pathname`))
	}

	// The agenda, planned before the session: the form is open on a draft
	// without one; empty rows are left out.
	waitJS(t, fac, "the agenda form is open on the draft", `document.querySelector(".agenda-edit").open`)
	browsertest.Axe(fac, t)
	if err := chromedp.Do(fac, chromedp.Evaluate[chromedp.Void](`(() => {
		const rows = document.querySelectorAll(".agenda-form tbody tr");
		const plan = [["verkennen", 10], ["ideeen", 15], ["kiezen", 5]];
		plan.forEach(([phase, min], i) => {
			rows[i].querySelector("select").value = phase;
			rows[i].querySelector("input").value = String(min);
		});
	})()`)); err != nil {
		t.Fatal(err)
	}
	browsertest.Submit(fac, t, `.agenda-form button[type="submit"]`)
	browsertest.WaitText(fac, t, ".notice--ok", i18n.T(i18n.NL, "agenda.saved"))
	if n := evalJS[int](t, fac, `document.querySelectorAll("[data-live-agenda] li").length`); n != 3 {
		t.Fatalf("the draft console shows %d agenda steps, want 3", n)
	}

	// The set-up saved as a template of the project.
	if err := chromedp.Do(fac,
		chromedp.Click(chromedp.CSS(".template-save summary")),
		chromedp.SetValue(chromedp.CSS("#template-name"), "Huurronde met agenda"),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.Submit(fac, t, `.template-save button[type="submit"]`)
	browsertest.WaitText(fac, t, ".notice--ok", i18n.T(i18n.NL, "template.saved"))

	// Open it; three phones join.
	browsertest.Submit(fac, t, `form[action$="/open"] button`)
	code := evalJS[string](t, fac, `document.querySelector(".code").textContent.replace(/\s/g, "")`)
	waitConnected(t, fac)
	long := browsertest.Timeout(10 * time.Minute)
	parent := joinPhone(t, b, p.URL, code, "parent", id[1], long)
	pro := joinPhone(t, b, p.URL, code, "professional", id[1], long)
	youth := joinPhone(t, b, p.URL, code, "youth", id[1], long)

	// The phone explains each kind in a line.
	hints := evalJS[[]string](t, parent.ctx, `[...document.querySelectorAll(".kind-choice")].map((l) => l.querySelector("input").value + ": " + l.querySelector(".kind-choice__hint").textContent)`)
	for i, k := range []string{"kans", "zorg", "idee", "vraag"} {
		if i >= len(hints) || hints[i] != k+": "+i18n.T(i18n.NL, "kind."+k+".hint") {
			t.Errorf("the phone's kinds: %q", hints)
			break
		}
	}
	// The send button in view while typing: on the whole screen, and with a
	// keyboard taking the lower half (the viewport shrinks to 360×400).
	sendInView := func(ctx context.Context, what string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#text")), chromedp.SendKeys(chromedp.CSS("#text"), "Ouders weten niet waar ze moeten beginnen")); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, "the send button in view above the keyboard ("+what+")", `(() => {
			const b = document.querySelector("[data-live-form] button[type=submit]").getBoundingClientRect();
			const text = document.querySelector("#text").getBoundingClientRect();
			const h = window.visualViewport ? visualViewport.height : innerHeight;
			return document.activeElement.id === "text" && b.top >= 0 && b.bottom <= h + 0.5 && text.top < b.top && text.bottom > 0;
		})()`)
	}
	sendInView(parent.ctx, "360×740")
	viewShot(t, parent.ctx, "console-phone-typing-360x740")
	if err := chromedp.Do(parent.ctx, chromedp.EmulateViewport(360, 400, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	evalJS[bool](t, parent.ctx, `(document.querySelector("#text").value = "", window.scrollTo(0, 0), true)`)
	sendInView(parent.ctx, "360×400")
	viewShot(t, parent.ctx, "console-phone-typing-keyboard-360x400")
	if err := chromedp.Do(parent.ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	evalJS[bool](t, parent.ctx, `(document.querySelector("#text").value = "", true)`)

	// Forty notes through the phones' own forms, a few at a time per phone.
	texts, kinds := consoleNoteTexts()
	phones := []*phone{parent, pro, youth}
	newest, youthNotes := "", 0
	for i, ph := range phones {
		var mine, mineKinds []string
		for j := i; j < len(texts); j += len(phones) {
			mine, mineKinds = append(mine, texts[j]), append(mineKinds, kinds[j])
		}
		sendNotes(t, ph, mine, mineKinds)
		newest = mine[len(mine)-1]
		if ph == youth {
			youthNotes = len(mine)
		}
	}
	front(t, fac)
	total := len(texts)
	browsertest.WaitText(fac, t, "[data-live-board-count]", fmt.Sprintf("%d van %d notities", total, total))

	// Votes: the parent puts two on one note and one on another.
	twice, once := texts[1], texts[4] // the professional's and the youth's
	vote(t, parent.ctx, twice)
	browsertest.WaitText(parent.ctx, t, "[data-live-votes-left]", "Je hebt nog 2 van 3 stemmen.")
	vote(t, parent.ctx, twice)
	browsertest.WaitText(parent.ctx, t, "[data-live-votes-left]", "Je hebt nog 1 van 3 stemmen.")
	vote(t, parent.ctx, once)
	browsertest.WaitText(parent.ctx, t, "[data-live-votes-left]", "Je hebt nog 0 van 3 stemmen.")
	waitJS(t, parent.ctx, "the tallies in words", fmt.Sprintf(`%s === "2 stemmen · jij: 2" && %s === "1 stem · jij: 1"`, votesOf(twice), votesOf(once)))
	browsertest.WaitText(parent.ctx, t, ".votes-rule", i18n.T(i18n.NL, "vote.rule"))
	browsertest.Axe(parent.ctx, t)
	evalJS[bool](t, parent.ctx, `(document.querySelector("#notes-title").scrollIntoView(), true)`)
	viewShot(t, parent.ctx, "console-phone-votes-360x740")
	if bad := tooWide(t, parent.ctx); len(bad) > 0 {
		t.Errorf("the phone is wider than its screen: %v", bad)
	}

	// The professional's tags: the session's tags are suggested, most used
	// first, after what is already typed.
	if err := chromedp.Do(pro.ctx, chromedp.Click(chromedp.CSS(`.excerpt-add summary`))); err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct{ text, tags string }{
		{"We durfden niet te zeggen dat de huur niet lukte.", "schaamte, huur"},
		{"Ik wist niet dat de gemeente kon helpen.", "schaamte"},
	} {
		if err := chromedp.Do(pro.ctx,
			chromedp.SetValue(chromedp.CSS("#excerpt-text"), x.text),
			chromedp.SetValue(chromedp.CSS("#excerpt-tags"), x.tags),
			chromedp.Click(chromedp.CSS(`[data-live-excerpt-form] button[type="submit"]`)),
		); err != nil {
			t.Fatal(err)
		}
		waitJS(t, pro.ctx, "the excerpt arrives", fmt.Sprintf(`[...document.querySelectorAll(".excerpt__text")].some((e) => e.textContent === %s)`, strconv.Quote(x.text)))
	}
	if err := chromedp.Do(pro.ctx, chromedp.Click(chromedp.CSS("#excerpt-tags")), chromedp.SendKeys(chromedp.CSS("#excerpt-tags"), "s")); err != nil {
		t.Fatal(err)
	}
	options := `[...document.querySelectorAll("#excerpt-tag-list option")].map((o) => o.value)`
	if got := evalJS[[]string](t, pro.ctx, options); strings.Join(got, "|") != "schaamte|huur" {
		t.Errorf("tag suggestions for an empty field: %q, want schaamte (used twice) before huur", got)
	}
	if err := chromedp.Do(pro.ctx, chromedp.SendKeys(chromedp.CSS("#excerpt-tags"), "chaamte, h")); err != nil {
		t.Fatal(err)
	}
	if got := evalJS[[]string](t, pro.ctx, options); strings.Join(got, "|") != "schaamte, huur" {
		t.Errorf("tag suggestions after a chosen tag: %q, want only the other tag after it", got)
	}
	browsertest.Axe(pro.ctx, t)
	viewShot(t, pro.ctx, "console-phone-tags-360x740")

	// The console at 1366×768: nothing sticks out, no card clips its text.
	waitJS(t, fac, "the votes on the console", fmt.Sprintf(`[...document.querySelectorAll(".note")].some((li) => li.querySelector(".note__text")?.textContent === %s && li.querySelector(".note__votes")?.textContent === "2 stemmen")`, strconv.Quote(twice)))
	assertConsoleFits(t, fac)
	browsertest.Axe(fac, t)
	browsertest.Screenshot(fac, t, "console-board-1366x768")
	viewShot(t, fac, "console-view-1366x768")

	// Filters: by kind.
	setSelect(t, fac, "#filter-kind", "vraag")
	vragen := 0
	for _, k := range kinds {
		if k == "vraag" {
			vragen++
		}
	}
	browsertest.WaitText(fac, t, "[data-live-board-count]", fmt.Sprintf("%d van %d notities", vragen, total))
	if bad := evalJS[int](t, fac, visibleNotes+`.filter((li) => !li.classList.contains("note--vraag")).length`); bad != 0 {
		t.Errorf("the kind filter shows %d notes of another kind", bad)
	}
	setSelect(t, fac, "#filter-kind", "")
	// By cluster: the phones wrote on the first cluster (their focus, or
	// the first in their list).
	clusters := evalJS[[]string](t, fac, `[...document.querySelectorAll("#filter-cluster option")].map((o) => o.value).filter(Boolean)`)
	if len(clusters) != 2 {
		t.Fatalf("the cluster filter offers %q", clusters)
	}
	setSelect(t, fac, "#filter-cluster", clusters[1])
	browsertest.WaitText(fac, t, "[data-live-board-count]", fmt.Sprintf("0 van %d notities", total))
	setSelect(t, fac, "#filter-cluster", "")
	// Sort by votes: the note with two votes first, then the one with one.
	setSelect(t, fac, "#board-sort", "votes")
	waitJS(t, fac, "the board sorted by votes", fmt.Sprintf(`(() => { const t = %s.map((li) => li.querySelector(".note__text").textContent); return t[0] === %s && t[1] === %s; })()`,
		visibleNotes, strconv.Quote(twice), strconv.Quote(once)))
	setSelect(t, fac, "#board-sort", "newest")
	waitJS(t, fac, "the board sorted newest first", fmt.Sprintf(`%s[0].querySelector(".note__text").textContent === %s`, visibleNotes, strconv.Quote(newest)))
	// Taken off the wall: one note, then only the taken-off ones.
	clickInNote(t, fac, texts[7], ".button--hide")
	waitJS(t, fac, "the note is taken off", fmt.Sprintf(`%s.classList.contains("note--hidden")`, noteEl(texts[7])))
	setSelect(t, fac, "#filter-hidden", "only")
	browsertest.WaitText(fac, t, "[data-live-board-count]", fmt.Sprintf("1 van %d notities", total))
	setSelect(t, fac, "#filter-hidden", "shown")
	browsertest.WaitText(fac, t, "[data-live-board-count]", fmt.Sprintf("%d van %d notities", total-1, total))
	setSelect(t, fac, "#filter-hidden", "")
	// A theme, and the filter by theme.
	if err := chromedp.Do(fac,
		chromedp.SendKeys(chromedp.CSS("#theme-title"), "Brieven die niemand begrijpt"),
		chromedp.Click(chromedp.CSS(`[data-live-theme-form] button[type="submit"]`)),
	); err != nil {
		t.Fatal(err)
	}
	waitJS(t, fac, "the theme is on the board and in the filter", `document.querySelectorAll(".theme").length === 1 && document.querySelectorAll("#filter-theme option").length === 3`)
	evalJS[bool](t, fac, fmt.Sprintf(`(() => { const s = %s.querySelector(".theme-picker select"); s.value = s.options[1].value; s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`, noteEl(texts[1])))
	waitJS(t, fac, "the note is in its theme", `document.querySelectorAll(".theme .note").length === 1`)
	setSelect(t, fac, "#filter-theme", evalJS[string](t, fac, `document.querySelector("#filter-theme option[data-theme]").value`))
	browsertest.WaitText(fac, t, "[data-live-board-count]", fmt.Sprintf("1 van %d notities", total))
	setSelect(t, fac, "#filter-theme", "-")
	browsertest.WaitText(fac, t, "[data-live-board-count]", fmt.Sprintf("%d van %d notities", total-1, total))
	setSelect(t, fac, "#filter-theme", "")
	browsertest.Axe(fac, t)

	// The themes stay in view while the board scrolls: at the top of the
	// screen halfway down the board, and still whole at its end.
	themesAt := func(where string) string {
		return evalJS[string](t, fac, `JSON.stringify({scrollY, inner: innerHeight, column: document.querySelector(".console-themes").getBoundingClientRect(),
			theme: document.querySelector(".theme").getBoundingClientRect()})`) + " " + where
	}
	evalJS[bool](t, fac, `(window.scrollTo(0, document.documentElement.scrollHeight / 2), true)`)
	if !pollJSFor(fac, 5*time.Second, `(() => {
		const r = document.querySelector(".console-themes").getBoundingClientRect();
		const theme = document.querySelector(".theme").getBoundingClientRect();
		return scrollY > 800 && r.top >= 0 && r.top < 20 && theme.top >= 0 && theme.bottom <= innerHeight;
	})()`) {
		t.Errorf("the themes are not in view halfway down the board: %s", themesAt("halfway"))
	}
	viewShot(t, fac, "console-halfway-1366x768")
	evalJS[bool](t, fac, `(window.scrollTo(0, document.documentElement.scrollHeight), true)`)
	if !pollJSFor(fac, 5*time.Second, `(() => {
		const theme = document.querySelector(".theme").getBoundingClientRect();
		return scrollY > 1500 && theme.top >= 0 && theme.bottom <= innerHeight;
	})()`) {
		t.Errorf("the themes are not in view at the end of the board: %s", themesAt("at the end"))
	}
	browsertest.Screenshot(fac, t, "console-scrolled-1366x768")
	evalJS[bool](t, fac, `(window.scrollTo(0, 0), true)`)

	// The timer: a chosen length, one more minute, and no length beyond 60.
	if err := chromedp.Do(fac, chromedp.SetValue(chromedp.CSS("#timer-minutes"), "7"), chromedp.Click(chromedp.CSS("[data-live-timer-start]"))); err != nil {
		t.Fatal(err)
	}
	timerLeft := `(() => { const m = /^(\d+):(\d\d)$/.exec(document.querySelector("[data-live-timer]").textContent); return m ? +m[1] * 60 + +m[2] : -1; })()`
	waitJS(t, fac, "a timer of 7 minutes", timerLeft+` > 410 && `+timerLeft+` <= 420`)
	before := evalJS[int](t, fac, timerLeft)
	click(t, fac, "[data-live-timer-add]")
	waitJS(t, fac, "one more minute", fmt.Sprintf(`%s >= %d`, timerLeft, before+55))
	// The phones count down to the same moment.
	front(t, parent.ctx)
	facLeft := evalJS[int](t, fac, timerLeft)
	waitJS(t, parent.ctx, "the phone's timer with the extra minute", fmt.Sprintf(`Math.abs(%s - %d) <= 3`, timerLeft, facLeft))
	front(t, fac)
	// A refused length sends nothing: behind it, one more minute is the
	// only timer op that leaves the page.
	recordOps(t, fac)
	if err := chromedp.Do(fac, chromedp.SetValue(chromedp.CSS("#timer-minutes"), "61"), chromedp.Click(chromedp.CSS("[data-live-timer-start]"))); err != nil {
		t.Fatal(err)
	}
	if valid := evalJS[bool](t, fac, `document.querySelector("#timer-minutes").validity.valid`); valid {
		t.Error("61 minutes is a valid timer length")
	}
	click(t, fac, "[data-live-timer-add]")
	waitJS(t, fac, "one more minute sent", `window.__ops.some((o) => o.op === "session.timer")`)
	if sent := evalJS[string](t, fac, `JSON.stringify(window.__ops)`); strings.Count(sent, `"session.timer"`) != 1 || strings.Contains(sent, `"seconds":3660`) {
		t.Errorf("after a refused length and one more minute, the console sent %s", sent)
	}

	// The agenda followed: starting step 2 moves the room to its phase with
	// a timer of its minutes; the console marks it and counts its time.
	click(t, fac, `[data-live-agenda] [data-step="1"] .button--agenda-start`)
	waitJS(t, fac, "the room in the step's phase", `document.querySelector("#phase").value === "ideeen" && document.querySelector('[data-step="1"]').getAttribute("aria-current") === "step"`)
	waitJS(t, fac, "a timer of the step's 15 minutes", timerLeft+` > 890 && `+timerLeft+` <= 900`)
	browsertest.WaitText(parent.ctx, t, "[data-live-phase]", i18n.T(i18n.NL, "phase.ideeen"))
	browsertest.WaitText(fac, t, `[data-step="1"] .agenda__time`, "van 15 min")
	waitJS(t, fac, "time spent on the step", `/^0:0[1-9] van 15 min/.test(document.querySelector('[data-step="1"] .agenda__time').textContent)`)
	// Changing the plan while it runs goes through the engine.
	if err := chromedp.Do(fac,
		chromedp.Click(chromedp.CSS(".agenda-edit summary")),
		chromedp.SetValue(chromedp.CSS(".agenda-form tbody tr:nth-child(3) input"), "8"),
		chromedp.Click(chromedp.CSS(`.agenda-form button[type="submit"]`)),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.WaitText(fac, t, `[data-step="2"] .agenda__time`, "van 8 min")
	browsertest.WaitText(fac, t, "[data-live-agenda-total]", "Gepland 33 min")

	// Who is present: three people, connected, with pseudonym and role.
	waitJS(t, fac, "three people connected", `document.querySelectorAll(".person--connected").length === 3`)
	for _, ph := range phones {
		want := ph.name + i18n.T(i18n.NL, "role."+ph.role) + i18n.T(i18n.NL, "people.connected")
		got := evalJS[string](t, fac, fmt.Sprintf(`[...document.querySelectorAll(".person")].filter((li) => li.querySelector(".person__name").textContent === %s).map((li) => li.querySelector(".person__name").textContent + li.querySelector(".person__role").textContent + li.querySelector(".person__state").textContent).join()`, strconv.Quote(ph.name)))
		if got != want {
			t.Errorf("the console lists %s as %q, want %q", ph.role, got, want)
		}
	}
	// Removing asks first; Escape keeps them.
	removeYouth := fmt.Sprintf(`([...document.querySelectorAll(".person")].find((li) => li.querySelector(".person__name").textContent === %s).querySelector("button").click(), true)`, strconv.Quote(youth.name))
	recordOps(t, fac)
	evalJS[bool](t, fac, removeYouth)
	waitJS(t, fac, "the confirmation dialog", `document.querySelector("#confirm-dialog").open && document.querySelector("#confirm-dialog").contains(document.activeElement)`)
	browsertest.Axe(fac, t)
	browsertest.Screenshot(fac, t, "console-remove-dialog-1366x768")
	if err := chromedp.Do(fac, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, fac, "the dialog closed", `!document.querySelector("#confirm-dialog").open`)
	evalJS[bool](t, fac, removeYouth)
	waitJS(t, fac, "the confirmation dialog", `document.querySelector("#confirm-dialog").open`)
	click(t, fac, "#confirm-dialog [data-confirm-ok]")
	waitJS(t, fac, "the youth listed as removed", fmt.Sprintf(`[...document.querySelectorAll(".person--removed .person__name")].map((e) => e.textContent).join() === %s`, strconv.Quote(youth.name)))
	// Escape sent nothing: the confirmed removal is the only one that left.
	if n := evalJS[int](t, fac, `window.__ops.filter((o) => o.op === "participant.remove").length`); n != 1 {
		t.Fatalf("the console sent %d removals for one confirmed (Escape removed someone)", n)
	}
	// The youth's phone says so and takes no input; their token no longer
	// opens the session; their notes stay on the console.
	waitJS(t, youth.ctx, "the removed phone says so", `!document.querySelector("[data-live-removed]").hidden && document.querySelector("[data-live-form]").hidden`)
	browsertest.Axe(youth.ctx, t)
	evalJS[bool](t, youth.ctx, `(window.scrollTo(0, 0), true)`)
	viewShot(t, youth.ctx, "console-phone-removed-360x740")
	browsertest.Navigate(youth.ctx, t, p.URL+"/s/"+id[1])
	if path := evalJS[string](t, youth.ctx, `location.pathname`); path == "/s/"+id[1] {
		t.Errorf("a removed participant's cookie still opens the phone view")
	}
	if n := evalJS[int](t, fac, fmt.Sprintf(`[...document.querySelectorAll(".note .note__meta")].filter((m) => m.textContent.startsWith(%s)).length`, strconv.Quote(youth.name))); n != youthNotes {
		t.Errorf("the removed participant's notes on the console: %d, want %d", n, youthNotes)
	}
	browsertest.Screenshot(fac, t, "console-present-1366x768")
	if err := chromedp.Do(fac, chromedp.EmulateViewport(1920, 1080)); err != nil {
		t.Fatal(err)
	}
	assertConsoleFits(t, fac)
	browsertest.Screenshot(fac, t, "console-board-1920x1080")
	laptop(t, fac)

	// Closing asks first: Escape keeps the session open, the confirm
	// button closes it.
	click(t, fac, `[data-open-dialog="close-dialog"]`)
	waitJS(t, fac, "the closing dialog, with the focus inside", `document.querySelector("#close-dialog").open && document.activeElement.matches("#close-dialog [data-close-dialog]")`)
	browsertest.Axe(fac, t)
	browsertest.Screenshot(fac, t, "console-close-dialog-1366x768")
	if err := chromedp.Do(fac, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, fac, "the closing dialog closed", `!document.querySelector("#close-dialog").open`)
	if state := evalJS[string](t, fac, `document.querySelector("[data-live-state]").className`); !strings.Contains(state, "state--open") {
		t.Fatalf("Escape changed the session: %s", state)
	}
	click(t, fac, `[data-open-dialog="close-dialog"]`)
	browsertest.Submit(fac, t, `#close-dialog button[type="submit"]`)
	browsertest.WaitText(fac, t, "[data-live-state]", i18n.T(i18n.NL, "state.closed"))
	browsertest.Axe(fac, t)

	// A new session from the template, in the browser: same question,
	// clusters, agenda (as planned then) and budget.
	browsertest.Navigate(fac, t, p.URL+"/p/smart-start-demo/sessions")
	browsertest.WaitText(fac, t, ".templates", "Huurronde met agenda")
	browsertest.WaitText(fac, t, ".templates .card", "2 groepen · 3 stemmen per deelnemer · agenda 30 minuten")
	browsertest.Axe(fac, t)
	if err := chromedp.Do(fac, chromedp.SetValue(chromedp.CSS(".templates input[name=title]"), "Werkplaats huurachterstand, ronde 2")); err != nil {
		t.Fatal(err)
	}
	browsertest.Submit(fac, t, `.templates button[type="submit"]`)
	browsertest.WaitText(fac, t, "h1", "Werkplaats huurachterstand, ronde 2")
	browsertest.WaitText(fac, t, ".console-head .question", "Hoe helpen we gezinnen voordat de schulden groeien?")
	steps := evalJS[[]string](t, fac, `[...document.querySelectorAll("[data-live-agenda] li")].map((li) => li.textContent.replace(/\s+/g, " ").trim())`)
	if b, _ := json.Marshal(steps); string(b) != `["Verkennen 10 minuten","Ideeën 15 minuten","Kiezen 5 minuten"]` {
		t.Errorf("the agenda of the session from the template: %s", b)
	}
	if n := evalJS[int](t, fac, `document.querySelectorAll("#filter-cluster option[value]:not([value=''])").length`); n != 2 {
		t.Errorf("the session from the template has %d clusters, want 2", n)
	}
	browsertest.Axe(fac, t)
	browsertest.Screenshot(fac, t, "console-from-template-1366x768")

	for _, ctx := range []context.Context{fac, parent.ctx, pro.ctx} {
		browsertest.AssertNoConsoleErrors(ctx, t)
		browsertest.AssertLocalRequests(ctx, t)
	}
}

// viewShot writes a PNG of what the screen shows (not the whole page) to
// screenshots/<name>.png: a phone's list of forty notes is too long to
// look at whole, and the sticky send button shows where it really is.
func viewShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join(browsertest.RepoRoot(t), "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// front brings the tab of ctx to the front, as the phone in someone's
// hand is: Chromium slows the timers of a tab behind others to about one a
// second, which a countdown and a page's own waiting loops notice.
func front(t *testing.T, ctx context.Context) {
	t.Helper()
	bring := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, page.BringToFront, cdp.Empty{})
		return chromedp.Void{}, err
	}
	if err := chromedp.Do(ctx, bring); err != nil {
		t.Fatalf("bringing the tab to the front: %v", err)
	}
}

// closeSession closes the session on the console as a facilitator does:
// "Sessie afsluiten", then the confirmation in its dialog.
func closeSession(t *testing.T, ctx context.Context) {
	t.Helper()
	click(t, ctx, `[data-open-dialog="close-dialog"]`)
	waitJS(t, ctx, "the closing dialog", `document.querySelector("#close-dialog").open`)
	browsertest.Submit(ctx, t, `#close-dialog button[type="submit"]`)
}

// visibleNotes is a JavaScript expression: the notes the console shows,
// in the order it shows them.
const visibleNotes = `[...document.querySelectorAll("li.note[data-note]")].filter((li) => !li.hidden && li.offsetParent !== null)`

// laptop sets the context's screen to a laptop of 1366×768.
func laptop(t *testing.T, ctx context.Context) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768)); err != nil {
		t.Fatal(err)
	}
}

// noteEl is a JavaScript expression: the note element whose text is text.
func noteEl(text string) string {
	return fmt.Sprintf(`[...document.querySelectorAll("li.note")].find((li) => li.querySelector(".note__text")?.textContent === %s)`, strconv.Quote(text))
}

// votesOf is a JavaScript expression: the tally line of the note with text.
func votesOf(text string) string {
	return fmt.Sprintf(`(%s?.querySelector(".note__votes")?.textContent)`, noteEl(text))
}

// vote clicks the vote button of the note with text, in the page: the note
// is redrawn as votes arrive, so finding and clicking is one step.
func vote(t *testing.T, ctx context.Context, text string) {
	t.Helper()
	clickInNote(t, ctx, text, ".button--vote")
}

func clickInNote(t *testing.T, ctx context.Context, text, selector string) {
	t.Helper()
	waitJS(t, ctx, "the note's "+selector, fmt.Sprintf(`!!%s?.querySelector(%s)`, noteEl(text), strconv.Quote(selector)))
	evalJS[bool](t, ctx, fmt.Sprintf(`(%s.querySelector(%s).click(), true)`, noteEl(text), strconv.Quote(selector)))
}

// setSelect chooses a value in a list, as a person does: the change event
// fires.
func setSelect(t *testing.T, ctx context.Context, selector, value string) {
	t.Helper()
	evalJS[bool](t, ctx, fmt.Sprintf(`(() => { const s = document.querySelector(%s); s.value = %s; s.dispatchEvent(new Event("change", {bubbles: true})); return s.value === %s; })()`,
		strconv.Quote(selector), strconv.Quote(value), strconv.Quote(value)))
}

// sendNotes writes notes through a phone's form, one after the other: each
// is sent (the form empties) before the next is typed.
func sendNotes(t *testing.T, ph *phone, texts, kinds []string) {
	t.Helper()
	front(t, ph.ctx)
	tj, _ := json.Marshal(texts)
	kj, _ := json.Marshal(kinds)
	ok, err := chromedp.Run(ph.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(async () => {
		const form = document.querySelector("[data-live-form]");
		const area = form.querySelector("#text");
		const texts = %s, kinds = %s;
		for (let i = 0; i < texts.length; i++) {
			form.querySelector('input[name="kind"][value="' + kinds[i] + '"]').checked = true;
			area.value = texts[i];
			form.requestSubmit();
			for (let w = 0; area.value !== "" && w < 200; w++) await new Promise((r) => setTimeout(r, 25));
			if (area.value !== "") return false;
		}
		return true;
	})()`, tj, kj), chromedp.EvalAwaitPromise))
	if err != nil || !ok {
		t.Fatalf("%s sending %d notes: ok=%v, %v", ph.role, len(texts), ok, err)
	}
	waitJS(t, ph.ctx, "the phone's notes acknowledged", `document.querySelectorAll(".note--pending").length === 0`)
}

// assertConsoleFits checks that the console is no wider than the screen
// and that no note, theme or person clips its text.
func assertConsoleFits(t *testing.T, ctx context.Context) {
	t.Helper()
	if w := evalJS[[]int](t, ctx, `[document.documentElement.scrollWidth, innerWidth]`); w[0] > w[1] {
		t.Errorf("the console is %d px wide on a screen of %d", w[0], w[1])
	}
	clipped := evalJS[[]string](t, ctx, `[...document.querySelectorAll(".note, .note__text, .theme, .person, .agenda__item, .board-filter, .excerpt")]
		.filter((e) => e.offsetParent !== null && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1))
		.map((e) => e.className + ": " + e.textContent.slice(0, 40))`)
	if len(clipped) > 0 {
		t.Errorf("clipped on the console: %q", clipped)
	}
}

// recordOps makes the page keep every op it sends in window.__ops, so that
// a test can see an op was not sent without waiting for it: a page sends
// its ops in the order they are made, so once a later one is recorded, an
// earlier one would be too.
func recordOps(t *testing.T, ctx context.Context) {
	t.Helper()
	evalJS[bool](t, ctx, `(() => {
		if (window.__ops) return true;
		window.__ops = [];
		const send = WebSocket.prototype.send;
		WebSocket.prototype.send = function (data) {
			try { const m = JSON.parse(data); if (m.type === "op") window.__ops.push({ op: m.op, data: m.data }); } catch (e) {}
			return send.call(this, data);
		};
		return true;
	})()`)
}
