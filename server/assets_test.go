package server

import (
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"atelier/accounts"
)

var (
	refAttr   = regexp.MustCompile(`(?i)(?:href|src|action|content)\s*=\s*"([^"]*)"`)
	anyURL    = regexp.MustCompile(`(?i)(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s"'<>)]*`)
	cssURLRef = regexp.MustCompile(`url\(\s*['"]?([^'")]+)`)
	// blockComment is a /* … */ comment of a script or stylesheet.
	blockComment = regexp.MustCompile(`(?s)/\*.*?\*/`)
)

// TestNothingPointsOutsideTheServer fetches every page as every role (and a
// participant's phone), every asset the pages reference and every module
// their scripts import, and fails on any URL to another host.
// A workshop room may have no internet, and the CSP would block it anyway.
func TestNothingPointsOutsideTheServer(t *testing.T) {
	ts := newTestServer(t)
	// Every kind of page: an approved set with its cluster and comparison
	// pages, an open session's console and wall, a closed one's report.
	fac := ts.client(t)
	ts.login(t, fac, accounts.Facilitator)
	open, code := ts.openTestSession(t, fac)
	var closed struct{ ID int64 }
	ts.postJSON(t, fac, "/api/sessions", map[string]any{"project": "test-project", "title": "Afgesloten",
		"question": "Hoe kunnen we …?", "clusters": []string{"B"}}, &closed)
	ts.postJSON(t, fac, "/api/sessions/"+itoa64(closed.ID)+"/open", map[string]any{}, nil)
	ts.postJSON(t, fac, "/api/sessions/"+itoa64(closed.ID)+"/close", map[string]any{}, nil)
	set := "/p/test-project/sets/1"
	pages := []string{"/", "/login", "/admin/users", "/nergens", "/.well-known/security.txt",
		"/p/test-project", "/p/test-project/import", set, set + "/clusters/B", set + "/compare?variable=huishoudtype&c=B&c=C",
		"/p/test-project/sessions", "/j", "/j/" + code, "/s/" + itoa64(open) + "/console", "/s/" + itoa64(open) + "/wall",
		"/s/" + itoa64(closed.ID) + "/report"}
	assetsSeen := map[string]bool{}
	imagesSeen := 0
	crawl := func(c *http.Client, who string, pages []string) {
		for _, p := range pages {
			res, body := ts.get(t, c, p)
			if res.StatusCode >= 500 {
				t.Fatalf("%s as %q: status %d", p, who, res.StatusCode)
			}
			checkLocal(t, p, body)
			for _, m := range refAttr.FindAllStringSubmatch(body, -1) {
				ref := m[1]
				if strings.HasPrefix(ref, "/static/") {
					assetsSeen[ref] = true
				}
				// The report's chart images and their ZIP are the
				// viewer's own: fetched with the same login.
				if strings.HasPrefix(ref, "/s/") && (strings.HasSuffix(ref, ".svg") || strings.HasSuffix(ref, ".zip")) {
					res, file := ts.get(t, c, ref)
					if res.StatusCode != http.StatusOK {
						t.Errorf("%s as %q: status %d", ref, who, res.StatusCode)
						continue
					}
					files := []string{file}
					if strings.HasSuffix(ref, ".zip") {
						files = unzipAll(t, file)
					}
					for _, f := range files {
						checkLocal(t, ref, f)
					}
					imagesSeen++
				}
			}
		}
	}
	for _, who := range append([]accounts.Role{""}, accounts.Roles...) {
		c := ts.client(t)
		if who != "" {
			ts.login(t, c, who)
		}
		crawl(c, string(who), pages)
	}
	// A participant's phone.
	crawl(ts.joinAs(t, code, "professional"), "participant", []string{"/s/" + itoa64(open)})
	if len(assetsSeen) == 0 {
		t.Fatal("pages reference no assets; the crawl found nothing to check")
	}
	if imagesSeen == 0 {
		t.Fatal("the report references no chart images; the crawl found none to check")
	}
	// Assets, and the modules that scripts import, each once.
	c := ts.client(t)
	queue := slices.Sorted(maps.Keys(assetsSeen))
	for len(queue) > 0 {
		ref := queue[0]
		queue = queue[1:]
		res, body := ts.get(t, c, ref)
		if res.StatusCode != http.StatusOK {
			t.Errorf("asset %s: status %d", ref, res.StatusCode)
			continue
		}
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("asset %s: Cache-Control %q, want long-lived", ref, cc)
		}
		// Licence notices in comments name their homes; they are text,
		// never fetched.
		checkLocal(t, ref, blockComment.ReplaceAllString(body, ""))
		if strings.HasPrefix(ref, "/static/js/") {
			for _, dep := range moduleImports(t, ref, body) {
				if !assetsSeen[dep] {
					assetsSeen[dep] = true
					queue = append(queue, dep)
				}
			}
		}
		if !strings.HasSuffix(ref, ".css") {
			continue
		}
		for _, m := range cssURLRef.FindAllStringSubmatch(body, -1) {
			if !strings.HasPrefix(m[1], "data:") && !strings.HasPrefix(m[1], "/") && !strings.HasPrefix(m[1], "#") {
				t.Errorf("%s: url(%s) is not local", ref, m[1])
			}
		}
	}
}

// importSpecifier finds the specifier of a static import or re-export:
// a quoted string after "from", or right after "import" at a line's start.
var importSpecifier = regexp.MustCompile(`(?m)(?:\bfrom|^\s*import)\s*["']([^"']+)["']`)

// moduleImports returns the URLs that the module served at ref imports,
// resolved as a browser resolves them: relative to ref.
func moduleImports(t *testing.T, ref, body string) []string {
	t.Helper()
	base, err := url.Parse(ref)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range importSpecifier.FindAllStringSubmatch(body, -1) {
		spec, err := url.Parse(m[1])
		if err != nil {
			t.Errorf("%s imports %q: %v", ref, m[1], err)
			continue
		}
		out = append(out, base.ResolveReference(spec).String())
	}
	return out
}

// TestStaticModuleImportsResolve loads the module scripts of the phone, the
// console and the wall and follows their imports: every module a browser
// would fetch is served, under a content-hashed URL cached for long. A
// relative import left as it is would resolve to an unhashed name that
// the server does not serve.
func TestStaticModuleImportsResolve(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client(t)
	ts.login(t, fac, accounts.Facilitator)
	open, code := ts.openTestSession(t, fac)
	phone := ts.joinAs(t, code, "parent")
	hashed := regexp.MustCompile(`^/static/js/[a-z/]+\.[0-9a-f]{12}\.js$`)
	seen := map[string]bool{}
	var queue []string
	for _, p := range []struct {
		c    *http.Client
		path string
	}{{phone, "/s/" + itoa64(open)}, {fac, "/s/" + itoa64(open) + "/console"}, {fac, "/s/" + itoa64(open) + "/wall"}} {
		_, body := ts.get(t, p.c, p.path)
		entries := moduleScript.FindAllStringSubmatch(body, -1)
		if len(entries) < 2 {
			t.Fatalf("%s loads %d module script(s), want the page's own and atelier.js", p.path, len(entries))
		}
		for _, m := range entries {
			if !seen[m[1]] {
				seen[m[1]] = true
				queue = append(queue, m[1])
			}
		}
	}
	imports := 0
	for len(queue) > 0 {
		ref := queue[0]
		queue = queue[1:]
		if !hashed.MatchString(ref) {
			t.Errorf("module %s: not a content-hashed URL", ref)
		}
		res, body := ts.get(t, fac, ref)
		if res.StatusCode != http.StatusOK {
			t.Errorf("module %s: status %d", ref, res.StatusCode)
			continue
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
			t.Errorf("module %s: Content-Type %q", ref, ct)
		}
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("module %s: Cache-Control %q, want long-lived", ref, cc)
		}
		for _, dep := range moduleImports(t, ref, body) {
			imports++
			if !seen[dep] {
				seen[dep] = true
				queue = append(queue, dep)
			}
		}
	}
	if imports == 0 {
		t.Fatal("no page's module imports another; the test checked nothing")
	}
}

// moduleScript finds the module scripts of a page.
var moduleScript = regexp.MustCompile(`<script type="module" src="([^"]+)"`)

// xmlNamespaces are the namespace identifiers that ECharts (which builds
// SVG in the browser) and our SVG chart images hold. They name a
// vocabulary and are never fetched; a standalone .svg file needs its
// xmlns to be shown as an image at all. Only these exact strings are
// exempt: any other address at www.w3.org is a foreign URL like all others.
var xmlNamespaces = map[string]bool{
	"http://www.w3.org/2000/svg":           true,
	"http://www.w3.org/1999/xlink":         true,
	"http://www.w3.org/2000/xmlns/":        true,
	"http://www.w3.org/XML/1998/namespace": true,
}

// foreignURLs returns the URLs to other hosts in body.
func foreignURLs(body string) []string {
	var out []string
	for _, u := range anyURL.FindAllString(body, -1) {
		if !xmlNamespaces[u] {
			out = append(out, u)
		}
	}
	return out
}

// checkLocal fails when body holds a URL to another host.
func checkLocal(t *testing.T, where, body string) {
	t.Helper()
	for _, u := range foreignURLs(body) {
		t.Errorf("%s points outside the server: %s", where, u)
	}
}

func TestForeignURLs(t *testing.T) {
	tests := []struct {
		body string
		want []string
	}{
		{`<svg xmlns="http://www.w3.org/2000/svg">`, nil},
		{`createElementNS("http://www.w3.org/1999/xlink",`, nil},
		{`<img src="/s/1/charts/A-inkomen.svg">`, nil},
		{`<script src="https://www.w3.org/2000/svg.js">`, []string{"https://www.w3.org/2000/svg.js"}},
		{`<a href="http://www.w3.org/TR/SVG/">`, []string{"http://www.w3.org/TR/SVG/"}},
		{`url(//cdn.example.com/x.woff)`, []string{"//cdn.example.com/x.woff"}},
	}
	for _, tt := range tests {
		if got := foreignURLs(tt.body); strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("foreignURLs(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

func TestStaticFilesAreCompressedAndCached(t *testing.T) {
	ts := newTestServer(t)
	ref := assetURL(t, "js/atelier.js")
	req, _ := http.NewRequest(http.MethodGet, ts.URL+ref, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("asset not gzip-compressed: %v", res.Header)
	}
	etag := res.Header.Get("ETag")
	req.Header.Set("If-None-Match", etag)
	res, err = http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("conditional request: %d, want 304", res.StatusCode)
	}
	req, _ = http.NewRequest(http.MethodGet, ts.URL+"/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err = http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("page not compressed")
	}
}
