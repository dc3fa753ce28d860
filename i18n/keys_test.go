package i18n_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"atelier/assets"
	"atelier/i18n"
)

// A whole key written out where a message is asked for: .T or .N with a
// quoted key in a template, i18n.T or i18n.N with a quoted key after the
// language in Go. A quoted prefix that code completes ("role." + r) is not
// a whole key and does not match.
var (
	templateKey = regexp.MustCompile(`\.([TN]) "([A-Za-z0-9_.]+)"[ )}]`)
	goKey       = regexp.MustCompile(`i18n\.([TN])\([^,()]+, "([A-Za-z0-9_.]+)"[,)]`)
)

// TestEveryLiteralKeyExists finds every literal key in the templates and
// the Go code and checks the catalogue has it (for N, both of its forms).
// An unknown key renders as itself, which no other test would notice.
func TestEveryLiteralKeyExists(t *testing.T) {
	found := 0
	check := func(where, fn, key string) {
		found++
		keys := []string{key}
		if fn == "N" {
			keys = []string{key + ".one", key + ".other"}
		}
		for _, k := range keys {
			if !i18n.Has(k) {
				t.Errorf("%s: %q is not in the catalogue", where, k)
			}
		}
	}
	err := fs.WalkDir(assets.Templates(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assets.Templates(), path)
		for _, m := range templateKey.FindAllStringSubmatch(string(b), -1) {
			check(path, m[1], m[2])
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The module's Go files, from its root one folder up.
	err = filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".") && d.Name() != "..") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		for _, m := range goKey.FindAllStringSubmatch(string(b), -1) {
			check(path, m[1], m[2])
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 100 {
		t.Fatalf("found only %d literal keys; the patterns no longer match how messages are asked for", found)
	}
}
