package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"

	"atelier/internal/browsertest"
	"atelier/internal/demo"
)

// Words the search must find: in a note of session 1 and an excerpt of
// session 3, and in a note of the open session that must never show.
const (
	searchWord = "wachtlijstproblematiek"
	openNote   = "Wachtlijstproblematiek uit de sessie die nog openstaat"
	hiddenNote = "Wachtlijstproblematiek verborgen door de begeleider"
	s1Note     = "De wachtlijstproblematiek bij de schuldhulpverleningsorganisatie duurt maanden"
	s3Excerpt  = "Ouders haken af door de wachtlijstproblematiek; \"eerst bellen\", dan =wachten"
)

// insightWords make notes as long as Dutch gets.
var insightWords = []string{"arbeidsongeschiktheidsverzekering", "kinderopvangtoeslagaanvraag", "schuldhulpverleningstraject",
	"consultatiebureauafspraak", "zorgverzekeringspremie", "huurtoeslagformulier", "jeugdgezondheidszorgmedewerker", "gemeentebelastingaanslag"}

// TestBrowserInsights is issue 13's insights test: three closed sessions of
// the demo project and one open one, built through the real server; a
// policymaker on a phone and on a laptop reaches Inzichten by clicking
// from /, finds a word of a note of session 1 and an excerpt of session 3,
// narrows with the filters, and downloads a CSV with exactly the rows
// shown; the open session's and the hidden note never appear; axe-core is
// clean; the page prints on A4 with nothing cut; and the page works
// without JavaScript (plain GET over HTTP).
func TestBrowserInsights(t *testing.T) {
	t.Parallel()
	p := startServe(t, filepath.Join(t.TempDir(), "data"), "-demo")
	fac := newClient()
	login(t, fac, p.URL, "facilitator@atelier.test", demo.Password)
	clusters := demoClusters(t, fac, p.URL)

	// Session 1: ten parents (enough for the role filter) and two
	// professionals (shown as "<10"), 22 notes, one theme, votes, a note
	// the facilitator hides.
	s1 := newLiveSession(t, p.URL, fac, "Ochtendsessie Zuid", clusters)
	var parents []*liveConn
	for i := range 10 {
		parents = append(parents, s1.join(t, "parent", fmt.Sprintf("ouder%d", i)))
	}
	pros := []*liveConn{s1.join(t, "professional", "pro0"), s1.join(t, "professional", "pro1")}
	for i, pc := range parents {
		for j := range 2 {
			text := fmt.Sprintf("Het %s is onduidelijk voor gezin %d (%d)", insightWords[(i+j)%len(insightWords)], i, j)
			if i == 0 && j == 0 {
				text = s1Note
			}
			pc.op(t, fmt.Sprintf("n%d", j), "note.create", map[string]string{"cluster": clusters[j%2], "kind": []string{"zorg", "kans", "idee", "vraag"}[(i+j)%4], "text": text})
		}
	}
	for i, pc := range pros {
		pc.op(t, "n", "note.create", map[string]string{"cluster": clusters[0], "kind": "idee", "text": fmt.Sprintf("Een %s aan huis, voorstel %d", insightWords[i], i)})
	}
	parents[9].op(t, "hide-me", "note.create", map[string]string{"cluster": clusters[0], "kind": "zorg", "text": hiddenNote})
	for _, pc := range append(parents, pros...) {
		pc.waitAcks(t)
	}
	wall := s1.join(t, "", "begeleider")
	wall.op(t, "theme", "theme.create", map[string]string{"cluster": clusters[0], "title": "Toegankelijkheid van de hulpverlening"})
	wall.waitAcks(t)
	wall.op(t, "group", "note.theme", map[string]string{"id": parents[0].ids["n0"], "theme": wall.ids["theme"]})
	wall.op(t, "hide", "note.hide", map[string]any{"id": parents[9].ids["hide-me"], "hidden": true})
	for i, pc := range parents {
		for v := range i % 4 {
			pc.op(t, fmt.Sprintf("v%d", v), "vote.add", map[string]string{"note": parents[0].ids["n0"]})
		}
		pc.op(t, "vx", "vote.add", map[string]string{"note": parents[(i+1)%10].ids["n1"]})
	}
	for _, pc := range append(parents, wall) {
		pc.waitAcks(t)
	}
	s1.close(t)

	// Session 2: four parents, 12 notes.
	s2 := newLiveSession(t, p.URL, fac, "Middagsessie Noord", clusters)
	for i := range 4 {
		pc := s2.join(t, "parent", fmt.Sprintf("s2-%d", i))
		for j := range 3 {
			pc.op(t, fmt.Sprintf("n%d", j), "note.create", map[string]string{"cluster": clusters[j%2], "kind": "vraag",
				"text": fmt.Sprintf("Wie helpt bij de %s? Vraag %d-%d", insightWords[(i*3+j)%len(insightWords)], i, j)})
		}
		pc.waitAcks(t)
	}
	s2.close(t)

	// Session 3: three professionals, 6 notes and 4 excerpts with tags.
	s3 := newLiveSession(t, p.URL, fac, "Avondsessie Oost", clusters)
	for i := range 3 {
		pc := s3.join(t, "professional", fmt.Sprintf("s3-%d", i))
		for j := range 2 {
			pc.op(t, fmt.Sprintf("n%d", j), "note.create", map[string]string{"cluster": clusters[0], "kind": "kans",
				"text": fmt.Sprintf("Kans: de %s eenvoudiger maken, %d-%d", insightWords[(i+j+3)%len(insightWords)], i, j)})
		}
		text := fmt.Sprintf("Uit het interview: de %s kost ouders veel tijd (%d)", insightWords[i], i)
		if i == 0 {
			text = s3Excerpt
		}
		pc.op(t, "x", "excerpt.create", map[string]any{"cluster": clusters[0], "text": text, "source": "interview", "tags": []string{"wachtlijst", "bereik"}[:1+i%2]})
		if i == 1 {
			pc.op(t, "x2", "excerpt.create", map[string]any{"cluster": clusters[1], "text": "Formulieren zijn te lang; niemand leest ze", "source": "observatie", "tags": []string{"formulieren"}})
		}
		pc.waitAcks(t)
	}
	s3.close(t)

	// Session 4 stays open.
	s4 := newLiveSession(t, p.URL, fac, "Open sessie West", clusters)
	s4.join(t, "parent", "open").op(t, "n", "note.create", map[string]string{"cluster": clusters[0], "kind": "zorg", "text": openNote})
	s4.conns[0].waitAcks(t)

	noJavaScript(t, p.URL)

	b := browsertest.New(t)
	for _, vp := range []struct {
		name string
		opt  browsertest.Viewport
		w, h int64
	}{{"phone", browsertest.Phone, 0, 0}, {"laptop", browsertest.Desktop, 1366, 768}} {
		t.Run(vp.name, func(t *testing.T) {
			ctx := b.NewContext(t, vp.opt, browsertest.Timeout(3*time.Minute))
			if vp.w > 0 {
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.w, vp.h)); err != nil {
					t.Fatal(err)
				}
			}
			loginBrowser(t, ctx, p.URL, "policymaker@atelier.test")
			browsertest.Navigate(ctx, t, p.URL+"/")
			browsertest.Submit(ctx, t, `.card__title a[href="/p/smart-start-demo"]`)
			browsertest.Submit(ctx, t, `a[href="/p/smart-start-demo/insights"]`)
			waitPath(t, ctx, "/p/smart-start-demo/insights")
			browsertest.WaitText(ctx, t, "h2", "Inzichten")
			shown := shownItems(t, ctx)
			if len(shown) != 22+12+6+4 {
				t.Errorf("the unfiltered page shows %d notes and excerpts, want 44 (40 notes, 4 excerpts): %q", len(shown), shown)
			}
			noLeak(t, ctx)
			// Per cluster, the approved figures beside the notes, and the
			// top-voted note first (13 votes in session 1).
			if n := evalJS[int](t, ctx, `document.querySelectorAll(".insights__cluster .insights__figures table").length`); n < 2 {
				t.Errorf("%d tables of approved figures, want some for each of the 2 clusters", n)
			}
			if top := evalJS[string](t, ctx, `document.querySelector(".insights__top li")?.innerText ?? ""`); !strings.Contains(top, s1Note) || !strings.Contains(top, "13 stemmen") {
				t.Errorf("the first top-voted note is %q", top)
			}
			browsertest.Axe(ctx, t)
			browsertest.Screenshot(ctx, t, "insights-all-"+vp.name)
			if wide := tooWide(t, ctx); vp.w == 0 && len(wide) > 0 {
				t.Errorf("wider than the screen: %v", wide)
			}
			// The emulated laptop keeps the headless screen's size, so
			// there the window is the measure.
			if sw, iw := evalJS[int](t, ctx, `document.documentElement.scrollWidth`), evalJS[int](t, ctx, `innerWidth`); sw > iw {
				t.Errorf("the page is %d px wide in a window of %d", sw, iw)
			}

			// Search: the note of session 1 and the excerpt of session 3.
			if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#q"), searchWord)); err != nil {
				t.Fatal(err)
			}
			browsertest.Submit(ctx, t, `.insights__filter button[type="submit"]`)
			shown = shownItems(t, ctx)
			if !slices.Equal(sorted(shown), sorted([]string{s1Note, s3Excerpt})) {
				t.Fatalf("search %q shows %q", searchWord, shown)
			}
			noLeak(t, ctx)
			csvMatches(t, ctx, shown)
			browsertest.Axe(ctx, t)
			browsertest.Screenshot(ctx, t, "insights-search-"+vp.name)

			// Narrow: the parents only (session 1 had ten), then excerpts
			// only (none by parents), then excerpts of all roles.
			roles := evalJS[[]string](t, ctx, `[...document.querySelectorAll("#role option")].map(o => o.value).filter(Boolean)`)
			if !slices.Equal(roles, []string{"parent"}) {
				t.Errorf("roles offered %q, want only parent (ten in session 1; professionals never ten)", roles)
			}
			if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#role"), "parent")); err != nil {
				t.Fatal(err)
			}
			browsertest.Submit(ctx, t, `.insights__filter button[type="submit"]`)
			if shown = shownItems(t, ctx); !slices.Equal(shown, []string{s1Note}) {
				t.Fatalf("parents only: %q", shown)
			}
			csvMatches(t, ctx, shown)
			if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#role"), ""), chromedp.SetValue(chromedp.CSS("#kind"), "excerpt")); err != nil {
				t.Fatal(err)
			}
			browsertest.Submit(ctx, t, `.insights__filter button[type="submit"]`)
			if shown = shownItems(t, ctx); !slices.Equal(shown, []string{s3Excerpt}) {
				t.Fatalf("excerpts only: %q", shown)
			}
			csvMatches(t, ctx, shown)
			// The session filter keeps every session to choose from.
			if n := evalJS[int](t, ctx, `document.querySelectorAll("#session option[value]:not([value=''])").length`); n != 3 {
				t.Errorf("the session filter offers %d sessions, want the 3 closed ones", n)
			}
			// A tag link narrows to the excerpts with that tag.
			browsertest.Submit(ctx, t, `a.tag[href*="tag=wachtlijst"]`)
			if shown = shownItems(t, ctx); len(shown) != 3 || !slices.Contains(shown, s3Excerpt) {
				t.Fatalf("tag wachtlijst: %q", shown)
			}
			csvMatches(t, ctx, shown)

			// Last, as it changes the viewport: the whole page on A4.
			browsertest.Navigate(ctx, t, p.URL+"/p/smart-start-demo/insights")
			printsOnA4(t, ctx, vp.name)
			browsertest.AssertNoConsoleErrors(ctx, t)
			browsertest.AssertLocalRequests(ctx, t)
		})
	}
}

// shownItems returns the texts of the notes and excerpts the page lists
// (the top-voted list repeats some of them, so it is left out).
func shownItems(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return evalJS[[]string](t, ctx, `[...document.querySelectorAll(".insights__cluster ul.notes > li .note__text")].map(e => e.textContent.trim())`)
}

// noLeak fails when the open session's or the hidden note shows, or a
// pseudonym does.
func noLeak(t *testing.T, ctx context.Context) {
	t.Helper()
	body := evalJS[string](t, ctx, `document.body.innerText`)
	for _, bad := range []string{"nog openstaat", "verborgen door", "Open sessie West", "ouder3", "pro1"} {
		if strings.Contains(body, bad) {
			t.Errorf("the page shows %q", bad)
		}
	}
}

// csvMatches downloads both CSV exports with the page's cookies and checks
// they hold exactly the rows shown, in order.
func csvMatches(t *testing.T, ctx context.Context, shown []string) {
	t.Helper()
	for _, link := range []struct {
		sel string
		sep rune
	}{{`.report__actions a[href*="insights.csv"]:not([href*="semicolon"])`, ','}, {`.report__actions a[href*="sep=semicolon"]`, ';'}} {
		body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector(`+jsQuote(link.sel)+`).href).then(r => r.ok ? r.text() : "HTTP " + r.status)`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF")))
		r.Comma = link.sep
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("CSV (%c): %v\n%s", link.sep, err, body)
		}
		var texts []string
		for _, row := range rows[1:] {
			texts = append(texts, strings.TrimPrefix(row[6], "'"))
		}
		if !slices.Equal(texts, shown) {
			t.Errorf("CSV (%c) rows %q, the page shows %q", link.sep, texts, shown)
		}
		if strings.Contains(body, "openstaat") || strings.Contains(body, "verborgen door") {
			t.Errorf("CSV (%c) holds what it must not", link.sep)
		}
	}
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

// printsOnA4 prints the page as Chromium would on A4 and checks nothing
// is wider than the paper: every element fits the printable width.
func printsOnA4(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	// A4 is 210 mm; the @page margins leave 180 mm, 680 CSS pixels.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(680, 1000)); err != nil {
		t.Fatal(err)
	}
	cut := evalJS[[]string](t, ctx, `[...document.querySelectorAll("main *")].filter(e => {
		const r = e.getBoundingClientRect(); return r.width > 0 && !e.closest(".visually-hidden") && (r.right > 681 || e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "visible");
	}).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))`)
	if len(cut) > 0 {
		t.Errorf("on A4, cut or wider than the paper: %q", cut)
	}
	if n := evalJS[int](t, ctx, `[...document.querySelectorAll(".insights__filter, .report__actions")].filter(e => e.offsetParent !== null).length`); n != 0 {
		t.Errorf("the filter form or the export buttons show on paper (%d)", n)
	}
	res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: ptrTo(true)})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(res.Data, []byte("%PDF")) {
		t.Fatalf("no PDF (%d bytes)", len(res.Data))
	}
	pages := bytes.Count(res.Data, []byte("/Type /Page")) - bytes.Count(res.Data, []byte("/Type /Pages"))
	t.Logf("A4 print of the insights: %d bytes, %d pages", len(res.Data), pages)
	if pages < 2 {
		t.Errorf("the PDF has %d pages, want the 44 items over several", pages)
	}
	os.MkdirAll(filepath.Join(browsertest.RepoRoot(t), "screenshots"), 0o755)
	os.WriteFile(filepath.Join(browsertest.RepoRoot(t), "screenshots", "insights-print-"+name+".pdf"), res.Data, 0o644)
}

func ptrTo[T any](v T) *T { return &v }

// noJavaScript reads the page, a filtered page and the CSV as a browser
// without JavaScript does: plain GETs of the form's parameters.
func noJavaScript(t *testing.T, base string) {
	t.Helper()
	c := newClient()
	login(t, c, base, "policymaker@atelier.test", demo.Password)
	get := func(path string) string {
		res, err := c.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		return string(data)
	}
	page := get("/p/smart-start-demo/insights?" + url.Values{"q": {searchWord}, "kind": {"zorg"}, "role": {"parent"}}.Encode())
	if !strings.Contains(page, `method="get"`) || !strings.Contains(page, `value="`+searchWord+`"`) {
		t.Error("the page has no GET form keeping the query")
	}
	if !strings.Contains(page, "schuldhulpverleningsorganisatie") || strings.Contains(page, "Ouders haken af") || strings.Contains(page, "openstaat") {
		t.Error("the filtered page without scripts shows the wrong items")
	}
	csvBody := get("/p/smart-start-demo/insights.csv?sep=semicolon&q=" + searchWord)
	// The excerpt holds a semicolon, quotes and "=": its cell is quoted,
	// with its quotes doubled.
	if !strings.Contains(csvBody, `;"Ouders haken af door de wachtlijstproblematiek; ""eerst bellen"", dan =wachten";`) {
		t.Errorf("the excerpt's cell is not quoted as it should be:\n%s", csvBody)
	}
	// A participant, who has no account, never gets in.
	anon := newClient()
	if res, err := anon.Get(base + "/api/projects/smart-start-demo/insights"); err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Errorf("insights without an account: %v %v", res.StatusCode, err)
	}
}

// demoClusters returns the demo project's approved clusters.
func demoClusters(t *testing.T, c *http.Client, base string) []string {
	t.Helper()
	var projects struct {
		Projects []struct {
			Slug     string
			Clusters []struct{ ID string }
		}
	}
	getJSON(t, c, base+"/api/projects", &projects)
	var out []string
	for _, p := range projects.Projects {
		if p.Slug == "smart-start-demo" {
			for _, cl := range p.Clusters {
				out = append(out, cl.ID)
			}
		}
	}
	if len(out) < 2 {
		t.Fatalf("the demo project has %d approved clusters, want 2", len(out))
	}
	return out[:2]
}

// liveSession is an open session with the websocket connections of the
// people in it.
type liveSession struct {
	base  string
	fac   *http.Client
	id    int64
	code  string
	conns []*liveConn
}

func newLiveSession(t *testing.T, base string, fac *http.Client, title string, clusters []string) *liveSession {
	t.Helper()
	var created struct{ ID int64 }
	if st := postJSONTo(t, fac, base, "/api/sessions", map[string]any{"project": "smart-start-demo", "title": title,
		"question": "Wat maakt de hulp moeilijk te vinden?", "clusters": clusters}, &created); st != http.StatusCreated {
		t.Fatalf("create session: %d", st)
	}
	var opened struct{ Code string }
	if st := postJSONTo(t, fac, base, fmt.Sprintf("/api/sessions/%d/open", created.ID), map[string]any{}, &opened); st != http.StatusOK {
		t.Fatalf("open session: %d", st)
	}
	return &liveSession{base: base, fac: fac, id: created.ID, code: opened.Code}
}

// join connects a participant of role, or the facilitator when role is "".
func (s *liveSession) join(t *testing.T, role, name string) *liveConn {
	t.Helper()
	c := s.fac
	if role != "" {
		c = newClient()
		if st := postJSONTo(t, c, s.base, "/api/join", map[string]string{"code": s.code, "role": role}, nil); st != http.StatusOK {
			t.Fatalf("join: %d", st)
		}
	}
	lc := dialLive(t, s.base, c, s.id, name)
	s.conns = append(s.conns, lc)
	return lc
}

func (s *liveSession) close(t *testing.T) {
	t.Helper()
	for _, lc := range s.conns {
		lc.ws.Close()
	}
	if st := postJSONTo(t, s.fac, s.base, fmt.Sprintf("/api/sessions/%d/close", s.id), map[string]any{}, nil); st != http.StatusOK {
		t.Fatalf("close session: %d", st)
	}
}

// liveConn is one websocket connection that sends ops and waits for their
// acknowledgements.
type liveConn struct {
	name    string
	ws      *websocket.Conn
	pending map[string]bool
	ids     map[string]string // op id → the id of what it created
	msgs    chan map[string]any
}

func dialLive(t *testing.T, base string, c *http.Client, session int64, name string) *liveConn {
	t.Helper()
	u, _ := url.Parse(base)
	h := http.Header{"Origin": {base}}
	for _, ck := range c.Jar.Cookies(u) {
		h.Add("Cookie", ck.Name+"="+ck.Value)
	}
	ws, _, err := websocket.DefaultDialer.Dial(fmt.Sprintf("ws://%s/ws/sessions/%d", u.Host, session), h)
	if err != nil {
		t.Fatalf("dial %s: %v", name, err)
	}
	lc := &liveConn{name: name, ws: ws, pending: map[string]bool{}, ids: map[string]string{}, msgs: make(chan map[string]any, 1000)}
	go func() {
		defer close(lc.msgs)
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				return
			}
			var m map[string]any
			if json.Unmarshal(data, &m) != nil {
				continue
			}
			items := []any{m}
			if m["type"] == "batch" {
				items, _ = m["items"].([]any)
			}
			for _, it := range items {
				if mm, ok := it.(map[string]any); ok {
					select {
					case lc.msgs <- mm:
					default: // nobody reads events this test does not need
					}
				}
			}
		}
	}()
	t.Cleanup(func() { ws.Close() })
	if err := ws.WriteJSON(map[string]any{"type": "hello", "since": 0}); err != nil {
		t.Fatal(err)
	}
	for m := range lc.msgs {
		if m["type"] == "synced" {
			return lc
		}
	}
	t.Fatalf("%s: closed before synced", name)
	return nil
}

func (lc *liveConn) op(t *testing.T, opID, op string, data any) {
	t.Helper()
	lc.pending[opID] = true
	if err := lc.ws.WriteJSON(map[string]any{"type": "op", "op_id": opID, "op": op, "data": data}); err != nil {
		t.Fatal(err)
	}
}

// waitAcks waits until every op sent is acknowledged.
func (lc *liveConn) waitAcks(t *testing.T) {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for len(lc.pending) > 0 {
		select {
		case m, ok := <-lc.msgs:
			if !ok {
				t.Fatalf("%s: connection closed with %d ops pending", lc.name, len(lc.pending))
			}
			opID, _ := m["op_id"].(string)
			switch m["type"] {
			case "ack":
				if id, ok := m["id"].(string); ok {
					lc.ids[opID] = id
				}
				delete(lc.pending, opID)
			case "error":
				t.Fatalf("%s: op %s refused: %v", lc.name, opID, m)
			}
		case <-timeout:
			t.Fatalf("%s: %d ops not acknowledged within 20 s", lc.name, len(lc.pending))
		}
	}
}
