package pii

import (
	"strings"
	"testing"
	"unicode/utf8"

	"atelier/i18n"
)

// Seeds for both targets: the table tests, and the corpora under
// testdata/fuzz (forms that once slipped through, defanged and invisible
// characters).

func FuzzRedact(f *testing.F) {
	for _, tt := range redactTests {
		f.Add(tt.in)
	}
	for _, in := range ordinaryTexts {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, lang := range i18n.Langs {
			out, rs := Redact(text, lang)
			if !utf8.ValidString(out) {
				t.Fatalf("Redact(%q) = %q: invalid UTF-8", text, out)
			}
			for _, r := range rs {
				if r.Count <= 0 {
					t.Fatalf("Redact(%q): count %d for %s", text, r.Count, r.Kind)
				}
				if got := strings.Count(out, r.Kind.Marker(lang)); got < r.Count {
					t.Fatalf("Redact(%q) = %q: %d %s markers, %d redactions", text, out, got, r.Kind, r.Count)
				}
			}
			again, rs2 := Redact(out, lang)
			if again != out || rs2 != nil {
				t.Fatalf("Redact(%q) = %q, but again gives %q, %v", text, out, again, rs2)
			}
			if len(rs) == 0 && utf8.ValidString(text) && out != text {
				t.Fatalf("Redact(%q) changed the text to %q without reporting", text, out)
			}
		}
	})
}

// FuzzNormalize checks the normalised path itself: the normalised text is
// valid UTF-8, every byte of it maps back onto a non-empty range of the
// original, in order, and the ranges of bytes that come from different
// original characters never overlap, so a match maps back onto one
// contiguous piece of the original that Redact can replace.
func FuzzNormalize(f *testing.F) {
	for _, tt := range redactTests {
		f.Add(tt.in)
	}
	for _, in := range ordinaryTexts {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			text = strings.ToValidUTF8(text, "\uFFFD")
		}
		n := normalize(text)
		if !utf8.ValidString(n.s) {
			t.Fatalf("normalize(%q) = %q: invalid UTF-8", text, n.s)
		}
		if n.from != nil && (len(n.from) != len(n.s) || len(n.to) != len(n.s)) {
			t.Fatalf("normalize(%q): %d bytes, %d/%d offsets", text, len(n.s), len(n.from), len(n.to))
		}
		for i := range len(n.s) {
			from, to := n.fromAt(i), n.toAt(i)
			if from < 0 || from >= to || to > len(text) {
				t.Fatalf("normalize(%q): byte %d maps to [%d, %d)", text, i, from, to)
			}
			if i > 0 && (from < n.fromAt(i-1) || to < n.toAt(i-1) || from != n.fromAt(i-1) && from < n.toAt(i-1)) {
				t.Fatalf("normalize(%q): byte %d maps to [%d, %d) after [%d, %d)", text, i, from, to, n.fromAt(i-1), n.toAt(i-1))
			}
		}
		if strings.Contains(n.s, "  ") {
			t.Fatalf("normalize(%q) = %q: a run of spaces", text, n.s)
		}
		// Every span of the normalised text maps onto whole characters.
		for i := range len(n.s) {
			sp := n.original([]span{{start: i, end: len(n.s)}})[0]
			if !utf8.ValidString(text[sp.start:sp.end]) {
				t.Fatalf("normalize(%q): bytes %d.. map to [%d, %d), not whole characters", text, i, sp.start, sp.end)
			}
		}
	})
}
