package assets

import (
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// importedURL finds what a served module imports, more loosely than the
// loader does: any quoted string after "from" or right after "import".
var importedURL = regexp.MustCompile(`(?:\bfrom|^\s*import)\s*["']([^"']+)["']`)

func imports(body []byte) []string {
	var out []string
	for _, line := range strings.Split(string(body), "\n") {
		for _, m := range importedURL.FindAllStringSubmatch(line, -1) {
			out = append(out, m[1])
		}
	}
	return out
}

func mustLoad(t *testing.T, files fstest.MapFS) *Static {
	t.Helper()
	s, err := loadStatic(files)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func body(t *testing.T, s *Static, name string) string {
	t.Helper()
	a, ok := s.ByURL(s.URL(name))
	if !ok {
		t.Fatalf("%s is not served at its own URL", name)
	}
	return string(a.Body)
}

func TestStaticModuleImportsAreRewritten(t *testing.T) {
	s := mustLoad(t, fstest.MapFS{
		"js/page.js": {Data: []byte(`// import { not } from "./comment.js";
import "./side.js";
import { a, b as c } from "./live/a.js";
import {
  d,
  e,
} from './live/b.js';
import * as f from "./live/c.js";
export { g } from "./live/a.js";
export * from "./live/c.js";
const path = "./live/a.js";
a(b, d, e, f, path);
`)},
		"js/side.js":     {Data: []byte(`document.title = "x";`)},
		"js/live/a.js":   {Data: []byte(`import { d } from "./b.js"; export const a = d, b = 1, g = 2;`)},
		"js/live/b.js":   {Data: []byte(`import { x } from "../../js/live/c.js"; export const d = x, e = 2;`)},
		"js/live/c.js":   {Data: []byte(`export const x = 1;`)},
		"lib/classic.js": {Data: []byte(`import "./nowhere.js";`)},
		"css/a.css":      {Data: []byte(`body { color: red; }`)},
	})
	url := s.URL
	want := `// import { not } from "./comment.js";
import "` + url("js/side.js") + `";
import { a, b as c } from "` + url("js/live/a.js") + `";
import {
  d,
  e,
} from "` + url("js/live/b.js") + `";
import * as f from "` + url("js/live/c.js") + `";
export { g } from "` + url("js/live/a.js") + `";
export * from "` + url("js/live/c.js") + `";
const path = "./live/a.js";
a(b, d, e, f, path);
`
	if got := body(t, s, "js/page.js"); got != want {
		t.Errorf("js/page.js served as\n%s\nwant\n%s", got, want)
	}
	if got, want := body(t, s, "js/live/a.js"), `import { d } from "`+url("js/live/b.js")+`"; export const a = d, b = 1, g = 2;`; got != want {
		t.Errorf("js/live/a.js served as %s, want %s", got, want)
	}
	if got, want := body(t, s, "js/live/b.js"), `import { x } from "`+url("js/live/c.js")+`"; export const d = x, e = 2;`; got != want {
		t.Errorf("js/live/b.js served as %s, want %s", got, want)
	}
	// Libraries are not ours: served as they are.
	if got := body(t, s, "lib/classic.js"); got != `import "./nowhere.js";` {
		t.Errorf("lib/classic.js was changed: %s", got)
	}
	for _, name := range []string{"js/page.js", "js/live/a.js", "js/live/c.js", "css/a.css"} {
		if u := url(name); !regexp.MustCompile(`^/static/[a-z/]+\.[0-9a-f]{12}\.(js|css)$`).MatchString(u) {
			t.Errorf("%s has URL %s, want a content-hashed one", name, u)
		}
	}
}

// TestStaticHashFollowsImports: a changed module changes the URL of every
// module that imports it, directly or not, and of nothing else.
func TestStaticHashFollowsImports(t *testing.T) {
	files := func(c string) fstest.MapFS {
		return fstest.MapFS{
			"js/entry.js":     {Data: []byte(`import { b } from "./live/b.js"; b();`)},
			"js/other.js":     {Data: []byte(`import { d } from "./live/d.js"; d();`)},
			"js/live/b.js":    {Data: []byte(`import { c } from "./c.js"; export const b = c;`)},
			"js/live/c.js":    {Data: []byte(c)},
			"js/live/d.js":    {Data: []byte(`export const d = () => 1;`)},
			"css/atelier.css": {Data: []byte(`body {}`)},
		}
	}
	before := mustLoad(t, files(`export const c = () => 1;`))
	after := mustLoad(t, files(`export const c = () => 2;`))
	for name, changes := range map[string]bool{
		"js/live/c.js":    true,
		"js/live/b.js":    true,
		"js/entry.js":     true,
		"js/other.js":     false,
		"js/live/d.js":    false,
		"css/atelier.css": false,
	} {
		if got := before.URL(name) != after.URL(name); got != changes {
			t.Errorf("%s: URL changed = %v, want %v (%s, %s)", name, got, changes, before.URL(name), after.URL(name))
		}
	}
	// The old URLs are gone: a browser holding the old entry keeps the old
	// modules it imported, from its cache, never a mix.
	if _, ok := after.ByURL(before.URL("js/entry.js")); ok {
		t.Error("the old entry's URL is still served after its import changed")
	}
}

func TestStaticImportErrors(t *testing.T) {
	tests := []struct {
		name  string
		files fstest.MapFS
		want  string
	}{
		{"cycle", fstest.MapFS{
			"js/a.js": {Data: []byte(`import "./b.js";`)},
			"js/b.js": {Data: []byte(`import "./c.js";`)},
			"js/c.js": {Data: []byte(`import "./a.js";`)},
		}, "import cycle"},
		{"missing", fstest.MapFS{"js/a.js": {Data: []byte(`import { x } from "./gone.js";`)}}, `no file "js/gone.js"`},
		{"bare", fstest.MapFS{"js/a.js": {Data: []byte(`import * as echarts from "echarts";`)}}, "only relative imports"},
		{"absolute", fstest.MapFS{"js/a.js": {Data: []byte(`import "/static/js/b.js";`)}}, "only relative imports"},
		{"foreign", fstest.MapFS{"js/a.js": {Data: []byte(`import "https://cdn.example.com/x.js";`)}}, "only relative imports"},
		{"outside js", fstest.MapFS{
			"js/a.js":  {Data: []byte(`import "../lib/b.js";`)},
			"lib/b.js": {Data: []byte(`x();`)},
		}, "not a module under js/"},
		{"not a script", fstest.MapFS{
			"js/a.js":  {Data: []byte(`import "./b.css";`)},
			"js/b.css": {Data: []byte(`body {}`)},
		}, "not a module under js/"},
		{"dynamic", fstest.MapFS{
			"js/a.js": {Data: []byte(`const m = await import("./b.js");`)},
			"js/b.js": {Data: []byte(`x();`)},
		}, "dynamic import()"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadStatic(tt.files)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("loadStatic: %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// TestStaticEmbeddedModules looks at the modules in the binary: each import
// of each is the URL of a served module, and every module a page can load
// is served.
func TestStaticEmbeddedModules(t *testing.T) {
	s, err := LoadStatic()
	if err != nil {
		t.Fatal(err)
	}
	for _, entry := range []string{"js/phone.js", "js/console.js", "js/wall.js", "js/atelier.js", "js/charts.js"} {
		if !s.Has(entry) {
			t.Errorf("no module %s", entry)
		}
	}
	found := 0
	for name, a := range s.byName {
		if !isModule(name) {
			continue
		}
		for _, spec := range imports(a.Body) {
			found++
			dep, ok := s.ByURL(spec)
			if !ok {
				t.Errorf("%s imports %q, which is not a served URL", name, spec)
				continue
			}
			if !isModule(dep.Name) {
				t.Errorf("%s imports %s, which is not one of our modules", name, dep.Name)
			}
		}
	}
	if found == 0 {
		t.Fatal("no module imports another; the test checked nothing")
	}
}
