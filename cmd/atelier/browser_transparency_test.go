package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"atelier/i18n"
	"atelier/internal/browsertest"
)

// TestBrowserTransparency: the privacy statement and the demo project's
// Algoritmeregister entry open without login from the landing page, in
// Dutch and English, on a laptop and a phone, and axe-core finds nothing
// on them; nor on the administrator's pages of issue 14 (the project
// page's retention overview, the entry's form, the archive's extension,
// the audit trail).
func TestBrowserTransparency(t *testing.T) {
	t.Parallel()
	p := startServe(t, filepath.Join(t.TempDir(), "data"), "-demo")
	b := browsertest.New(t)

	for _, vp := range []browsertest.Viewport{browsertest.Desktop, browsertest.Phone} {
		for _, lang := range []i18n.Lang{i18n.NL, i18n.EN} {
			t.Run(vp.String()+"-"+string(lang), func(t *testing.T) {
				ctx := b.NewContext(t, vp, browsertest.Language(string(lang)), browsertest.Timeout(3*time.Minute))
				name := func(page string) string {
					return "transparency-" + page + "-" + strings.ToLower(vp.String()) + "-" + string(lang)
				}
				browsertest.Navigate(ctx, t, p.URL+"/")
				browsertest.WaitText(ctx, t, "#transparency-title", i18n.T(lang, "transparency.title"))
				browsertest.Axe(ctx, t)

				if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.transparency-links a[href="/privacy"]`))); err != nil {
					t.Fatal(err)
				}
				browsertest.WaitText(ctx, t, "h1", i18n.T(lang, "privacypage.title"))
				browsertest.WaitText(ctx, t, "main", "Gemeente Voorbeeld (demo)")
				browsertest.Axe(ctx, t)
				browsertest.Screenshot(ctx, t, name("privacy"))

				// From the privacy statement to the project's entry.
				if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`main a[href="/algoritme/smart-start-demo"]`))); err != nil {
					t.Fatal(err)
				}
				browsertest.WaitText(ctx, t, ".notice", i18n.T(lang, "algo.no_individual_decisions"))
				browsertest.WaitText(ctx, t, "main", i18n.T(lang, "algo.field.proportionality"))
				browsertest.Axe(ctx, t)
				browsertest.Screenshot(ctx, t, name("algoritme"))
				browsertest.AssertNoConsoleErrors(ctx, t)
				browsertest.AssertLocalRequests(ctx, t)
			})
		}
	}

	t.Run("admin", func(t *testing.T) {
		ctx := b.NewContext(t, browsertest.Timeout(3*time.Minute))
		loginBrowser(t, ctx, p.URL, "admin@atelier.test")
		browsertest.Navigate(ctx, t, p.URL+"/p/smart-start-demo")
		browsertest.WaitText(ctx, t, "#retention-title", i18n.T(i18n.NL, "retention.overview_title"))
		browsertest.Axe(ctx, t)
		browsertest.Screenshot(ctx, t, "transparency-project")

		browsertest.Navigate(ctx, t, p.URL+"/p/smart-start-demo/algoritme")
		browsertest.Axe(ctx, t)
		if err := chromedp.Do(ctx,
			chromedp.SetValue(chromedp.CSS("#f-lawful_basis"), "Participatiewet en Jeugdwet: preventie en vroegsignalering."),
			chromedp.Click(chromedp.CSS(`form.form button[type="submit"]`)),
		); err != nil {
			t.Fatal(err)
		}
		browsertest.WaitText(ctx, t, "main", "Participatiewet en Jeugdwet")
		browsertest.Axe(ctx, t)

		browsertest.Navigate(ctx, t, p.URL+"/p/smart-start-demo/retention")
		browsertest.Axe(ctx, t)
		if err := chromedp.Do(ctx,
			chromedp.SetValue(chromedp.CSS("#reason"), "De gemeenteraad evalueert het programma in 2031."),
			chromedp.Click(chromedp.CSS(`form.form button[type="submit"]`)),
		); err != nil {
			t.Fatal(err)
		}
		browsertest.WaitText(ctx, t, "#retention-title + p + div + p", "De gemeenteraad evalueert het programma in 2031.")
		browsertest.Axe(ctx, t)

		browsertest.Navigate(ctx, t, p.URL+"/admin/audit?action=retention.")
		browsertest.WaitText(ctx, t, ".audit-table", "retention.extend")
		browsertest.Axe(ctx, t)
		browsertest.Screenshot(ctx, t, "transparency-audit")
		browsertest.AssertNoConsoleErrors(ctx, t)
		browsertest.AssertLocalRequests(ctx, t)
	})
}
