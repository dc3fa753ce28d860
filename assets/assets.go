// Package assets embeds Atelier's templates, stylesheets, scripts and the
// front-end libraries fetched from npm at build time (make assets), so that
// the binary needs nothing from the internet in the workshop room.
//
// Static files are served under content-hashed names
// (/static/css/atelier.1a2b3c4d.css) so that browsers may keep them for a
// year; a new build changes the name, never the content behind a name.
//
// Our scripts under js/ are ES modules that import each other with relative
// specifiers (import { el } from "./dom.js"). A browser would resolve those
// to unhashed names, so at start every import is rewritten to the hashed
// URL of the module it names, and a module's hash is taken after that
// rewrite: a changed module changes the URL of every module that imports
// it, all the way up to the page's entry module.
package assets

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"regexp"
	"strings"
)

//go:embed templates static
var files embed.FS

// Templates returns the HTML templates.
func Templates() fs.FS {
	sub, _ := fs.Sub(files, "templates")
	return sub
}

// Asset is one static file, ready to serve.
type Asset struct {
	Name        string // logical name, e.g. "css/atelier.css"
	URL         string // hashed URL, e.g. "/static/css/atelier.1a2b3c4d.css"
	ContentType string
	ETag        string
	Body        []byte
	Gzip        []byte // nil when compression does not pay
}

// Static indexes the embedded static files by logical name and by URL.
type Static struct {
	byName map[string]*Asset
	byURL  map[string]*Asset
}

// Prefix is where static files are served.
const Prefix = "/static/"

// LoadStatic hashes and compresses every embedded static file once, at start.
func LoadStatic() (*Static, error) {
	root, _ := fs.Sub(files, "static")
	return loadStatic(root)
}

// loadStatic reads every file of root. Modules are resolved depth first, so
// that a module's imports have their hashed URLs before it is hashed itself.
func loadStatic(root fs.FS) (*Static, error) {
	l := &loader{
		static:    &Static{byName: map[string]*Asset{}, byURL: map[string]*Asset{}},
		bodies:    map[string][]byte{},
		resolving: map[string]bool{},
	}
	var names []string
	err := fs.WalkDir(root, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if ext := path.Ext(name); ext == ".md" || ext == ".txt" {
			return nil // notes for developers, not for browsers
		}
		body, err := fs.ReadFile(root, name)
		if err != nil {
			return err
		}
		l.bodies[name] = body
		names = append(names, name)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static files: %w", err)
	}
	for _, name := range names {
		if _, err := l.load(name); err != nil {
			return nil, fmt.Errorf("load static files: %w", err)
		}
	}
	return l.static, nil
}

// A loader turns the files read into assets, each once.
type loader struct {
	static    *Static
	bodies    map[string][]byte // every file, by logical name
	resolving map[string]bool   // modules whose imports are being resolved
}

// load returns the asset of a logical name, making it first if need be.
func (l *loader) load(name string) (*Asset, error) {
	if a, ok := l.static.byName[name]; ok {
		return a, nil
	}
	body, ok := l.bodies[name]
	if !ok {
		return nil, fmt.Errorf("no file %q", name)
	}
	if isModule(name) {
		// A cycle of imports has no order to hash in; modules must form a
		// tree (or a graph without cycles), which is good design anyway.
		if l.resolving[name] {
			return nil, fmt.Errorf("%s: import cycle", name)
		}
		l.resolving[name] = true
		var err error
		body, err = l.rewriteImports(name, body)
		delete(l.resolving, name)
		if err != nil {
			return nil, err
		}
	}
	a := newAsset(name, body)
	l.static.byName[name] = a
	l.static.byURL[a.URL] = a
	return a, nil
}

// isModule reports whether a file is one of our ES modules. Everything
// under js/ is; the libraries under lib/ are not ours and stay untouched.
func isModule(name string) bool {
	return strings.HasPrefix(name, "js/") && path.Ext(name) == ".js"
}

// importSpec matches the specifier of a static import or re-export, at the
// start of a line, as Prettier writes them:
//
//	import "./a.js";
//	import { b, c as d } from "./a.js";
//	import * as e from "../a.js";
//	export { f } from "./a.js";
//	export * from "./a.js";
//
// The import list may span lines. Group 1 is the specifier with its quotes.
var importSpec = regexp.MustCompile(`(?m)^[ \t]*(?:import[ \t]*(?:[\w$*{},\s]+?\s*from\s*)?|export\s*(?:\*(?:\s*as\s+[\w$]+)?|\{[\w$,\s]*\})\s*from\s*)("[^"\n]*"|'[^'\n]*')`)

// dynamicImport matches import("…"), which is not rewritten.
var dynamicImport = regexp.MustCompile(`\bimport\s*\(\s*["'` + "`" + `]`)

// rewriteImports replaces every import specifier of a module by the hashed
// URL of the module it names. Specifiers must be relative ("./", "../") and
// name a module in the binary: anything else fails the start, rather than a
// page in the workshop room.
func (l *loader) rewriteImports(name string, body []byte) ([]byte, error) {
	if loc := dynamicImport.FindIndex(body); loc != nil {
		return nil, fmt.Errorf("%s: dynamic import() is not supported; import statically", name)
	}
	var out bytes.Buffer
	last := 0
	for _, m := range importSpec.FindAllSubmatchIndex(body, -1) {
		quoted := body[m[2]:m[3]]
		spec := string(quoted[1 : len(quoted)-1])
		if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") {
			return nil, fmt.Errorf("%s: import %q: only relative imports (./, ../) of our own modules", name, spec)
		}
		dep := path.Join(path.Dir(name), spec)
		if !isModule(dep) {
			return nil, fmt.Errorf("%s: import %q: not a module under js/", name, spec)
		}
		a, err := l.load(dep)
		if err != nil {
			return nil, fmt.Errorf("%s: import %q: %w", name, spec, err)
		}
		out.Write(body[last:m[2]])
		out.WriteString(`"` + a.URL + `"`)
		last = m[3]
	}
	out.Write(body[last:])
	return out.Bytes(), nil
}

// newAsset hashes and compresses one file.
func newAsset(name string, body []byte) *Asset {
	ext := path.Ext(name)
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])[:12]
	a := &Asset{
		Name:        name,
		URL:         Prefix + strings.TrimSuffix(name, ext) + "." + hash + ext,
		ContentType: contentType(ext),
		ETag:        `"` + hash + `"`,
		Body:        body,
	}
	if compressible(ext) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(body)
		zw.Close()
		if buf.Len() < len(body) {
			a.Gzip = buf.Bytes()
		}
	}
	return a
}

// URL returns the hashed URL of a logical name. It panics on an unknown
// name, which a test of every page catches: a template must not point at a
// file that is not in the binary.
func (s *Static) URL(name string) string {
	a, ok := s.byName[name]
	if !ok {
		panic(fmt.Sprintf("assets: no static file %q (run make assets?)", name))
	}
	return a.URL
}

// Has reports whether a logical name exists.
func (s *Static) Has(name string) bool {
	_, ok := s.byName[name]
	return ok
}

// ByURL returns the asset served at url.
func (s *Static) ByURL(url string) (*Asset, bool) {
	a, ok := s.byURL[url]
	return a, ok
}

func contentType(ext string) string {
	switch ext {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

func compressible(ext string) bool {
	switch ext {
	case ".js", ".css", ".svg", ".json", ".html":
		return true
	}
	return false
}
