package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"atelier/internal/browsertest"
)

// TestBrowserWorkshopTools drives what people do with the notes once they
// are there: the privacy guard's warnings before sending (personal data,
// and a word that looks like a name), voting within the budget, editing
// one's own note, a professional's interview excerpt that others find by
// tag, and the facilitator grouping notes into a theme both by keyboard
// (the note's theme list) and by drag and drop.
func TestBrowserWorkshopTools(t *testing.T) {
	t.Parallel()
	p := startServe(t, filepath.Join(t.TempDir(), "data"), "-demo")
	b := browsertest.New(t)
	// 90 s: the phone steps before the console's run on this clock too.
	fac := b.NewContext(t, browsertest.Timeout(3*time.Minute))
	loginBrowser(t, fac, p.URL, "facilitator@atelier.test")
	id, code, _ := openWorkshop(t, fac, p.URL, 0)
	parent := joinPhone(t, b, p.URL, code, "parent", id).ctx
	pro := joinPhone(t, b, p.URL, code, "professional", id)

	// The privacy guard warns before sending; the author chooses to send,
	// and what looked like a phone number never leaves the phone's answer.
	if err := chromedp.Do(parent,
		chromedp.SetValue(chromedp.CSS("#text"), "Bel de wijkcoach op 06-12345678"),
		chromedp.Click(chromedp.CSS(`[data-live-form] button[type="submit"]`)),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.WaitText(parent, t, "[data-live-form] [data-live-privacy-message]", "1 telefoonnummer")
	if n := evalJS[int](t, parent, `document.querySelectorAll(".note").length`); n != 0 {
		t.Fatalf("the note was sent before the author chose: %d notes", n)
	}
	browsertest.Axe(parent, t)
	browsertest.Screenshot(parent, t, "tools-phone-privacy-warning")
	if err := chromedp.Do(parent, chromedp.Click(chromedp.CSS(`[data-live-form] [data-live-send-anyway]`))); err != nil {
		t.Fatal(err)
	}
	browsertest.WaitText(parent, t, ".note--mine .note__text", "[telefoonnummer verwijderd]")
	browsertest.WaitText(parent, t, "[data-live-notice]", "Verwijderd: 1 telefoonnummer")

	// A word that looks like a name is pointed out before sending; names
	// are never removed, so what the author sends anyway arrives as it is.
	if err := chromedp.Do(parent,
		chromedp.SetValue(chromedp.CSS("#text"), "Gisteren sprak ik Jansen bij de school"),
		chromedp.Click(chromedp.CSS(`[data-live-form] button[type="submit"]`)),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.WaitText(parent, t, "[data-live-form] [data-live-privacy-message]", "Staat hier een naam in (Jansen)?")
	if n := evalJS[int](t, parent, `document.querySelectorAll(".note").length`); n != 1 {
		t.Fatalf("the note with a name was sent before the author chose: %d notes", n)
	}
	browsertest.Screenshot(parent, t, "tools-phone-names-warning")
	if err := chromedp.Do(parent, chromedp.Click(chromedp.CSS(`[data-live-form] [data-live-send-anyway]`))); err != nil {
		t.Fatal(err)
	}
	waitEval(t, parent, `[...document.querySelectorAll(".note--mine .note__text")].some((el) => el.textContent.includes("sprak ik Jansen bij de school"))`)

	// Votes: the budget shows, and goes down with each vote.
	submitNote(t, pro, "zorg", "Ouders weten niet waar ze terecht kunnen")
	browsertest.WaitText(pro.ctx, t, ".note--mine .note__text", "Ouders weten niet")
	browsertest.WaitText(parent, t, "[data-live-votes-left]", "nog 5 van 5")
	waitEval(t, parent, `document.querySelectorAll(".note:not(.note--mine) .button--vote").length === 1`)
	// The note is redrawn as votes arrive, so click in the page, where
	// finding and clicking the button is one step.
	for _, left := range []string{"nog 4 van 5", "nog 3 van 5"} {
		if err := chromedp.Do(parent, chromedp.Evaluate[chromedp.Void](`document.querySelector(".note:not(.note--mine) .button--vote").click()`)); err != nil {
			t.Fatal(err)
		}
		browsertest.WaitText(parent, t, "[data-live-votes-left]", left)
	}
	browsertest.WaitText(parent, t, ".note:not(.note--mine) .note__votes", "2 stemmen · jij: 2")
	browsertest.WaitText(pro.ctx, t, ".note--mine .note__votes", "2 stemmen")

	// Editing one's own note: the edit arrives everywhere.
	if err := chromedp.Do(pro.ctx, chromedp.Click(chromedp.CSS(`.note--mine .button--edit`))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(pro.ctx,
		chromedp.SetValue(chromedp.CSS(".note--mine textarea"), "Ouders weten niet bij welk loket ze moeten zijn"),
		chromedp.Click(chromedp.CSS(`.note--mine .button--save`)),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.WaitText(parent, t, ".note:not(.note--mine) .note__text", "bij welk loket")
	browsertest.WaitText(fac, t, "[data-live-notes]", "bij welk loket")

	// A professional adds an interview excerpt; the parent finds it by tag.
	if err := chromedp.Do(pro.ctx,
		chromedp.Click(chromedp.CSS(`.excerpt-add summary`)),
		chromedp.SetValue(chromedp.CSS("#excerpt-text"), "Ik durfde niet te zeggen dat we de huur niet konden betalen."),
		chromedp.SetValue(chromedp.CSS("#excerpt-tags"), "Schaamte, huur"),
		chromedp.Click(chromedp.CSS(`[data-live-excerpt-form] button[type="submit"]`)),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.WaitText(parent, t, "[data-live-excerpts] .excerpt__text", "durfde niet")
	if err := chromedp.Do(parent, chromedp.SendKeys(chromedp.CSS("#excerpt-search"), "geld")); err != nil {
		t.Fatal(err)
	}
	waitEval(t, parent, `document.querySelectorAll("[data-live-excerpts] .excerpt").length === 0`)
	if err := chromedp.Do(parent, chromedp.Evaluate[chromedp.Void](`document.querySelector("#excerpt-search").value = ""`), chromedp.SendKeys(chromedp.CSS("#excerpt-search"), "schaam")); err != nil {
		t.Fatal(err)
	}
	waitEval(t, parent, `document.querySelectorAll("[data-live-excerpts] .excerpt").length === 1`)
	browsertest.Axe(pro.ctx, t)
	browsertest.Screenshot(pro.ctx, t, "tools-phone-professional")

	// Themes on the console: one by keyboard, one by dragging.
	if err := chromedp.Do(fac,
		chromedp.SendKeys(chromedp.CSS("#theme-title"), "Bereikbaarheid van hulp"),
		chromedp.Click(chromedp.CSS(`[data-live-theme-form] button[type="submit"]`)),
	); err != nil {
		t.Fatal(err)
	}
	waitEval(t, fac, `document.querySelectorAll(".theme").length === 1`)
	// Keyboard: in the first note's theme list, type the theme's first
	// letters, as a keyboard user picks from a list.
	if err := chromedp.Do(fac,
		chromedp.SendKeys(chromedp.CSS(`[data-live-notes] .theme-picker select`), "Ber"),
	); err != nil {
		t.Fatal(err)
	}
	waitEval(t, fac, `document.querySelectorAll(".theme .note").length === 1`)
	// Drag and drop: the other note onto the theme.
	if err := chromedp.Do(fac, chromedp.Evaluate[chromedp.Void](`(() => {
		const li = document.querySelector("[data-live-notes] > .note");
		const zone = document.querySelector(".theme");
		const dt = new DataTransfer();
		li.dispatchEvent(new DragEvent("dragstart", {bubbles: true, dataTransfer: dt}));
		zone.dispatchEvent(new DragEvent("dragover", {bubbles: true, cancelable: true, dataTransfer: dt}));
		zone.dispatchEvent(new DragEvent("drop", {bubbles: true, cancelable: true, dataTransfer: dt}));
		li.dispatchEvent(new DragEvent("dragend", {bubbles: true, dataTransfer: dt}));
	})()`)); err != nil {
		t.Fatal(err)
	}
	waitEval(t, fac, `document.querySelectorAll(".theme .note").length === 2`)
	// The excerpt joins the theme through its list too.
	if err := chromedp.Do(fac, chromedp.Evaluate[chromedp.Void](`(() => {
		const s = document.querySelector("[data-live-excerpts] .theme-picker select");
		s.value = s.options[1].value;
		s.dispatchEvent(new Event("change", {bubbles: true}));
	})()`)); err != nil {
		t.Fatal(err)
	}
	waitEval(t, fac, `document.querySelectorAll(".theme .excerpt").length === 1`)
	browsertest.WaitText(parent, t, ".note__theme", "Bereikbaarheid van hulp")
	browsertest.Axe(fac, t)
	browsertest.Screenshot(fac, t, "tools-console-themes")

	for _, ctx := range []context.Context{fac, parent, pro.ctx} {
		browsertest.AssertNoConsoleErrors(ctx, t)
		browsertest.AssertLocalRequests(ctx, t)
	}
}
