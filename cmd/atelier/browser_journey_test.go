package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"atelier/internal/browsertest"
)

// TestBrowserJourney walks every role's journey from an empty install, in
// real browsers, typing no address but "/", the setup address `atelier serve`
// printed and the invitation links: the first administrator sets Atelier up,
// invites a steward, a second steward, a facilitator and a policymaker,
// creates a project and adds them as members; the stewards import and
// approve profiles (four eyes), refusing an export meant for another
// project; the facilitator creates a session on clusters of the approved
// set, opens it and projects the wall; a participant joins by code from the
// landing page on a phone and adds a note; the facilitator closes the
// session (the wall shows its end screen) and opens the report; the
// policymaker, on a phone, finds the report and the project's insights.
// axe-core checks every new page at 1366×768 and at 360 px.
func TestBrowserJourney(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := startServe(t, filepath.Join(dir, "data"))
	m := setupLine.FindStringSubmatch(p.Stdout.String())
	if m == nil {
		t.Fatalf("no setup address printed:\n%s", p.Stdout.String())
	}
	setupURL := m[1]
	b := browsertest.New(t)
	life := browsertest.Timeout(5 * time.Minute)
	laptop := func() context.Context {
		ctx := b.NewContext(t, life)
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768)); err != nil {
			t.Fatal(err)
		}
		return ctx
	}

	// The landing page on a phone: joining a session comes first.
	participant := b.NewContext(t, browsertest.Phone, life)
	browsertest.Navigate(participant, t, p.URL+"/")
	if first := evalJS[string](t, participant, `document.querySelector("main input, main a, main button").id`); first != "join-code" {
		t.Fatalf("the first control on the landing page is %q, not the join field", first)
	}
	browsertest.Axe(participant, t)
	browsertest.Screenshot(participant, t, "journey-landing-phone")

	// 1. First start: the setup page, on a phone and on a laptop.
	setupPhone := b.NewContext(t, browsertest.Phone, life)
	browsertest.Navigate(setupPhone, t, setupURL)
	browsertest.Axe(setupPhone, t)
	browsertest.Screenshot(setupPhone, t, "journey-setup-phone")
	admin := laptop()
	browsertest.Navigate(admin, t, setupURL)
	browsertest.Axe(admin, t)
	browsertest.Screenshot(admin, t, "journey-setup-desktop")
	fill(t, admin, map[string]string{"#email": "beheer@gemeente.example", "#password": "beheerder-wachtwoord", "#password_again": "beheerder-wachtwoord"})
	browsertest.Submit(admin, t, `form.form button[type="submit"]`)
	browsertest.WaitText(admin, t, ".first-steps", "Eerste stappen")

	// 2. People: one invitation each, from the first steps.
	clickText(t, admin, ".first-steps a", "Nodig mensen uit")
	waitPath(t, admin, "/admin/users")
	browsertest.Axe(admin, t)
	people := []struct{ email, role string }{
		{"steward@gemeente.example", "steward"}, {"steward2@gemeente.example", "steward"},
		{"facilitator@gemeente.example", "facilitator"}, {"beleid@gemeente.example", "policymaker"},
	}
	links := map[string]string{}
	for i, who := range people {
		fill(t, admin, map[string]string{"#invite-email": who.email, "#invite-role": who.role})
		browsertest.Submit(admin, t, `.admin-card form button[type="submit"]`)
		browsertest.WaitText(admin, t, "h1", who.email)
		links[who.email] = evalJS[string](t, admin, `document.querySelector("#link").value`)
		if i == 0 {
			browsertest.Axe(admin, t)
			browsertest.Screenshot(admin, t, "journey-admin-link-desktop")
		}
		clickText(t, admin, "main a.button", "Terug naar de accounts")
		waitPath(t, admin, "/admin/users")
	}
	browsertest.WaitText(admin, t, ".users-table", "wacht op wachtwoord")
	browsertest.Screenshot(admin, t, "journey-admin-users-desktop")

	// 3. A project, its members and its settings.
	clickText(t, admin, ".site-nav a", "Projecten")
	waitPath(t, admin, "/")
	clickText(t, admin, "main a.button", "Nieuw project")
	waitPath(t, admin, "/admin/projects/new")
	browsertest.Axe(admin, t)
	fill(t, admin, map[string]string{"#name": "Smart Start Gemeente", "#slug": "smart-start-demo",
		"#purpose": "Preventie van schulden en huurachterstand bij gezinnen, met goedgekeurde groepsprofielen."})
	browsertest.Submit(admin, t, `main form.form button[type="submit"]`)
	waitPath(t, admin, "/p/smart-start-demo/members")
	browsertest.WaitText(admin, t, "[role=status]", "Voeg nu de mensen toe")
	browsertest.Axe(admin, t)
	for _, who := range people {
		evalJS[bool](t, admin, `(() => { const s = document.querySelector("#member-user");
			s.value = [...s.options].find((o) => o.text.startsWith(`+strconv.Quote(who.email)+`)).value; return true; })()`)
		browsertest.Submit(admin, t, `.admin-card form button[type="submit"]`)
		browsertest.WaitText(admin, t, ".data-table", who.email)
	}
	browsertest.Screenshot(admin, t, "journey-admin-members-desktop")
	clickText(t, admin, ".subtabs a", "Instellingen")
	waitPath(t, admin, "/p/smart-start-demo/settings")
	browsertest.Axe(admin, t)
	browsertest.Screenshot(admin, t, "journey-admin-settings-desktop")
	browsertest.AssertNoConsoleErrors(admin, t)

	// The same administration pages on a phone.
	adminPhone := b.NewContext(t, browsertest.Phone, life)
	loginByClicking(t, adminPhone, p.URL, "beheer@gemeente.example", "beheerder-wachtwoord")
	for _, step := range []struct{ sel, text, path, shot string }{
		{".site-nav a", "Accounts", "/admin/users", "journey-admin-users-phone"},
		{".site-nav a", "Projecten", "/", "journey-admin-home-phone"},
		{".card__title a", "Smart Start Gemeente", "/p/smart-start-demo", ""},
		{".tabs a", "Beheer", "/p/smart-start-demo/settings", "journey-admin-settings-phone"},
		{".subtabs a", "Leden", "/p/smart-start-demo/members", "journey-admin-members-phone"},
	} {
		clickText(t, adminPhone, step.sel, step.text)
		waitPath(t, adminPhone, step.path)
		browsertest.Axe(adminPhone, t)
		assertFits(t, adminPhone)
		if step.shot != "" {
			browsertest.Screenshot(adminPhone, t, step.shot)
		}
	}

	// 4. Each invitee opens their link and chooses a password; the
	// policymaker does so on a phone.
	accounts := map[string]context.Context{}
	for _, who := range people {
		ctx := laptop()
		if who.role == "policymaker" {
			ctx = b.NewContext(t, browsertest.Phone, life)
		}
		browsertest.Navigate(ctx, t, links[who.email])
		browsertest.WaitText(ctx, t, "h1", "Welkom bij Atelier")
		if who.role == "facilitator" || who.role == "policymaker" {
			browsertest.Axe(ctx, t)
			browsertest.Screenshot(ctx, t, "journey-invitation-"+who.role)
		}
		fill(t, ctx, map[string]string{"#password": "wachtwoord van " + who.email, "#password_again": "wachtwoord van " + who.email})
		browsertest.Submit(ctx, t, `form.form button[type="submit"]`)
		browsertest.WaitText(ctx, t, ".card-list", "Smart Start Gemeente")
		accounts[who.email] = ctx
	}

	// 5. The first steward imports from the project's page; a meta file
	// meant for another project is refused with a clear message.
	steward := accounts["steward@gemeente.example"]
	clickText(t, steward, ".card__title a", "Smart Start Gemeente")
	clickText(t, steward, "main a.button", "importeren")
	waitPath(t, steward, "/p/smart-start-demo/import")
	browsertest.WaitText(steward, t, "main", "Smart Start Gemeente")
	export, err := filepath.Abs("../../examples/export.csv")
	if err != nil {
		t.Fatal(err)
	}
	meta, _ := filepath.Abs("../../examples/export.meta.json")
	wrongMeta := filepath.Join(dir, "export.meta.json")
	body, _ := os.ReadFile(meta)
	os.WriteFile(wrongMeta, []byte(strings.Replace(string(body), `"smart-start-demo"`, `"een-ander-project"`, 1)), 0o600)
	upload(t, steward, export, wrongMeta)
	browsertest.WaitText(steward, t, "[role=alert]", "hoort bij project")
	upload(t, steward, export, meta)
	waitJS(t, steward, "the new set's page", `/^\/p\/smart-start-demo\/sets\/\d+$/.test(location.pathname)`)
	browsertest.WaitText(steward, t, ".set-state", "wacht op beoordeling")

	// 6. The second steward approves it (four eyes).
	steward2 := accounts["steward2@gemeente.example"]
	clickText(t, steward2, ".card__title a", "Smart Start Gemeente")
	browsertest.Submit(steward2, t, `.card__title a[href*="/sets/"]`)
	browsertest.WaitText(steward2, t, "main", "wacht op beoordeling")
	browsertest.Submit(steward2, t, `.decision-bar button.button:not(.button--quiet)`)
	browsertest.WaitText(steward2, t, ".decision-bar", "Goedgekeurd op")

	// 7. The facilitator creates a session on two of its clusters, opens it
	// and projects the wall from a second browser.
	fac := accounts["facilitator@gemeente.example"]
	clickText(t, fac, ".card__title a", "Smart Start Gemeente")
	clickText(t, fac, ".tabs a", "Sessies")
	waitPath(t, fac, "/p/smart-start-demo/sessions")
	browsertest.Screenshot(fac, t, "journey-tabs-sessions-desktop")
	fill(t, fac, map[string]string{"#title": "Werksessie huurachterstand", "#question": "Hoe helpen we gezinnen eerder?"})
	evalJS[int](t, fac, `[...document.querySelectorAll('input[name="cluster"]')].slice(0, 2).map((c) => c.click()).length`)
	browsertest.Submit(fac, t, `.new-session form.form button[type="submit"]`)
	browsertest.Submit(fac, t, `form[action$="/open"] button`)
	browsertest.WaitText(fac, t, ".code", "")
	waitJS(t, fac, "the join code shows", `document.querySelector(".code").textContent.replace(/\s/g, "").length === 8`)
	code := evalJS[string](t, fac, `document.querySelector(".code").textContent`)
	browsertest.Axe(fac, t)

	wall := b.NewContext(t, browsertest.Wall, life)
	loginByClicking(t, wall, p.URL, "facilitator@gemeente.example", "wachtwoord van facilitator@gemeente.example")
	clickText(t, wall, ".card__links a", "Sessies")
	clickText(t, wall, ".card__links a", "Muur")
	waitConnected(t, wall)

	// 8. A participant types the code on the landing page of a phone.
	fill(t, participant, map[string]string{"#join-code": code})
	browsertest.Submit(participant, t, `.join-bar button[type="submit"]`)
	waitPath(t, participant, "/j")
	evalJS[bool](t, participant, `(document.querySelector('input[name="role"][value="parent"]').click(), true)`)
	browsertest.Submit(participant, t, `form.form button[type="submit"]`)
	waitConnected(t, participant)
	const note = "Een vast aanspreekpunt op school"
	submitNote(t, &phone{ctx: participant, role: "parent"}, "idee", note)
	browsertest.WaitText(wall, t, ".wall__stage", note)
	browsertest.WaitText(fac, t, ".console-notes", note)

	// 9. Closing: the wall shows its end screen, the console the report.
	closeSession(t, fac)
	waitJS(t, wall, "the wall's end screen", `!document.querySelector(".wall__end").hidden`)
	browsertest.Axe(wall, t)
	browsertest.Screenshot(wall, t, "journey-wall-end")
	clickText(t, fac, "a.report-link", "Verslag openen")
	browsertest.WaitText(fac, t, ".report", note)

	// 10. The policymaker, on a phone, finds the report and the insights.
	pm := accounts["beleid@gemeente.example"]
	clickText(t, pm, ".card__title a", "Smart Start Gemeente")
	waitPath(t, pm, "/p/smart-start-demo")
	browsertest.Screenshot(pm, t, "journey-tabs-profiles-phone")
	clickText(t, pm, ".tabs a", "Sessies")
	waitPath(t, pm, "/p/smart-start-demo/sessions")
	browsertest.Axe(pm, t)
	assertFits(t, pm)
	browsertest.Screenshot(pm, t, "journey-tabs-sessions-phone")
	clickText(t, pm, ".card__links a", "Verslag")
	browsertest.WaitText(pm, t, ".report", note)
	clickText(t, pm, ".crumbs a", "Smart Start Gemeente")
	clickText(t, pm, ".tabs a", "Inzichten")
	waitPath(t, pm, "/p/smart-start-demo/insights")
	browsertest.WaitText(pm, t, "main", note)
	browsertest.Screenshot(pm, t, "journey-tabs-insights-phone")

	for name, ctx := range map[string]context.Context{"administrator": adminPhone, "facilitator": fac, "policymaker": pm, "participant": participant} {
		for _, e := range browsertest.ConsoleErrors(ctx, t) {
			t.Errorf("%s: console error %v", name, e)
		}
		browsertest.AssertLocalRequests(ctx, t)
	}
}

// fill sets form fields by CSS selector, selects included.
func fill(t *testing.T, ctx context.Context, fields map[string]string) {
	t.Helper()
	for sel, v := range fields {
		if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(sel), v)); err != nil {
			t.Fatalf("filling %s: %v", sel, err)
		}
	}
}

// clickText clicks the first element matching selector whose text contains
// text, as a person picks a link by what it says.
func clickText(t *testing.T, ctx context.Context, selector, text string) {
	t.Helper()
	expr := `(() => { const el = [...document.querySelectorAll(` + strconv.Quote(selector) + `)].find((e) => e.textContent.includes(` +
		strconv.Quote(text) + `)); if (!el) return false; window.__atelierLeaving = true; el.click(); return true; })()`
	if !pollJS(ctx, expr) {
		t.Fatalf("nothing to click: %s with %q", selector, text)
	}
	// Every link the journey follows leads to another page: the next step
	// looks at that one, never at the page it leaves.
	waitJS(t, ctx, "the page after "+strconv.Quote(text), `window.__atelierLeaving !== true && document.readyState === "complete"`)
}

// waitPath waits until the page is at path (a navigation went through).
func waitPath(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	waitJS(t, ctx, "the page at "+path, `location.pathname === `+strconv.Quote(path)+` && document.readyState === "complete"`)
}

// loginByClicking logs in from "/" through the header's login link.
func loginByClicking(t *testing.T, ctx context.Context, base, email, password string) {
	t.Helper()
	browsertest.Navigate(ctx, t, base+"/")
	clickText(t, ctx, ".site-tools a", "Inloggen")
	waitPath(t, ctx, "/login")
	fill(t, ctx, map[string]string{"#email": email, "#password": password})
	browsertest.Submit(ctx, t, `form.form button[type="submit"]`)
	browsertest.WaitText(ctx, t, ".who", email)
}

// upload submits the import form with an export and its meta file.
func upload(t *testing.T, ctx context.Context, export, meta string) {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.SetUploadFiles(chromedp.CSS("#export"), []string{export}),
		chromedp.SetUploadFiles(chromedp.CSS("#meta"), []string{meta}),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.Submit(ctx, t, `main form.form button[type="submit"]`)
}

// assertFits fails when a page sticks out on the right of a phone's screen.
func assertFits(t *testing.T, ctx context.Context) {
	t.Helper()
	if wide := tooWide(t, ctx); len(wide) > 0 {
		t.Errorf("%s is wider than the phone: %v", evalJS[string](t, ctx, "location.pathname"), wide)
	}
}
