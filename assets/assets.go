// Package assets embeds Atelier's templates, stylesheets, scripts and the
// front-end libraries fetched from npm at build time (make assets), so that
// the binary needs nothing from the internet in the workshop room.
//
// Static files are served under content-hashed names
// (/static/css/atelier.1a2b3c4d.css) so that browsers may keep them for a
// year; a new build changes the name, never the content behind a name.
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
	s := &Static{byName: map[string]*Asset{}, byURL: map[string]*Asset{}}
	root, _ := fs.Sub(files, "static")
	err := fs.WalkDir(root, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ext := path.Ext(name)
		if ext == ".md" || ext == ".txt" {
			return nil // notes for developers, not for browsers
		}
		body, err := fs.ReadFile(root, name)
		if err != nil {
			return err
		}
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
		s.byName[name] = a
		s.byURL[a.URL] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static files: %w", err)
	}
	return s, nil
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
