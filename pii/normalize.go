package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalized is a text as the detectors see it, with the way back: byte i
// of s came from the original bytes [from[i], to[i]).
//
// The detectors are written for plain ASCII digits, dashes and spaces. What
// people paste is not: full-width and Arabic-Indic digits, en dashes,
// no-break and double spaces, zero-width spaces and soft hyphens in the
// middle of a number (often on purpose, to get past a filter), defanged
// links. Normalising first lets one set of patterns catch all of those, and
// the way back lets Redact remove exactly the original characters, leaving
// the rest of the text as it was written.
//
// For the common case, ASCII text without a double space, s is the text
// itself and from and to are nil: the way back is the identity, and
// normalising costs no allocation.
type normalized struct {
	s        string
	from, to []int32
}

// fromAt and toAt are the original range of byte i of s.
func (n normalized) fromAt(i int) int {
	if n.from == nil {
		return i
	}
	return int(n.from[i])
}

func (n normalized) toAt(i int) int {
	if n.to == nil {
		return i + 1
	}
	return int(n.to[i])
}

// normalize applies, in order: Unicode NFKC (full-width letters, digits and
// signs become ASCII, "①" becomes "1"), then per character: format and
// zero-width characters (U+200B, U+00AD, U+2060, U+FEFF, bidi marks) and
// variation selectors are dropped; every dash becomes '-', every space one
// ' ' (a run of spaces becomes one); every decimal digit of any script
// becomes its ASCII digit; typographic apostrophes become '\”. Finally
// defanged forms are undone (undefang). Case is kept: some detectors need
// it. The text must be valid UTF-8.
func normalize(text string) normalized {
	if isASCII(text) && !strings.Contains(text, "  ") {
		return undefang(normalized{s: text})
	}
	var b builder
	b.grow(len(text))
	if isASCII(text) {
		for i := 0; i < len(text); i++ {
			b.fold(rune(text[i]), i, i+1)
		}
		return undefang(b.done())
	}
	// The iterator returns the NFKC form one segment at a time; a long
	// segment comes in pieces without its position moving, so output waits
	// until the position moves and then maps to all the input consumed.
	var it norm.Iter
	it.InitString(norm.NFKC, text)
	var pending []byte
	start := 0
	for !it.Done() {
		pending = append(pending, it.Next()...)
		end := it.Pos()
		if it.Done() {
			end = len(text)
		}
		if end <= start {
			continue
		}
		for len(pending) > 0 {
			r, size := utf8.DecodeRune(pending)
			pending = pending[size:]
			b.fold(r, start, end)
		}
		start = end
	}
	return undefang(b.done())
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// builder collects normalised bytes with their original ranges.
type builder struct {
	b        []byte
	from, to []int32
}

func (b *builder) grow(n int) {
	b.b = make([]byte, 0, n)
	b.from = make([]int32, 0, n)
	b.to = make([]int32, 0, n)
}

func (b *builder) add(s string, from, to int) {
	for i := 0; i < len(s); i++ {
		b.b = append(b.b, s[i])
		b.from = append(b.from, int32(from))
		b.to = append(b.to, int32(to))
	}
}

func (b *builder) addRune(r rune, from, to int) {
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	b.add(string(buf[:n]), from, to)
}

func (b *builder) done() normalized {
	return normalized{s: string(b.b), from: b.from, to: b.to}
}

// fold adds one character of the NFKC text, which came from the original
// bytes [from, to).
func (b *builder) fold(r rune, from, to int) {
	switch {
	case r == ' ' || r >= utf8.RuneSelf && unicode.Is(unicode.Zs, r):
		if n := len(b.b); n > 0 && b.b[n-1] == ' ' {
			b.to[n-1] = int32(to) // a run of spaces is one space
			return
		}
		b.add(" ", from, to)
	case r < utf8.RuneSelf:
		b.b = append(b.b, byte(r))
		b.from = append(b.from, int32(from))
		b.to = append(b.to, int32(to))
	case unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r) || r == '\u034F':
		// Invisible: dropped. Its bytes are removed with a match around it.
	case unicode.Is(unicode.Pd, r) || r == '\u2212':
		b.add("-", from, to)
	case unicode.IsDigit(r):
		b.add(string(rune('0'+digitValue(r))), from, to)
	case r == '\u2018' || r == '\u2019' || r == '\u201B' || r == '\u02BC' || r == '\u00B4' || r == '\u2032':
		b.add("'", from, to)
	case r == '\u3002': // ideographic full stop (NFKC makes U+FF61 one)
		b.add(".", from, to)
	default:
		b.addRune(r, from, to)
	}
}

// digitValue is the value of a decimal digit of any script. Unicode encodes
// every script's decimal digits as runs of ten, from zero up, so the value
// is the distance from the start of the run, modulo ten (some runs hold
// several sets of ten back to back).
func digitValue(r rune) int {
	start := r
	for start > 0 && unicode.IsDigit(start-1) {
		start--
	}
	return int(r-start) % 10
}

// defanged are the ways people write a link or an address so that it is
// not one ("jan[at]voorbeeld[.]nl", "hxxps://…"), and what they stand for.
// They are matched without regard to case.
var defanged = []struct{ from, to string }{
	{"[.]", "."}, {"(.)", "."}, {"{.}", "."},
	{"[dot]", "."}, {"(dot)", "."}, {"{dot}", "."}, {"[punt]", "."}, {"(punt)", "."}, {"{punt}", "."},
	{"[@]", "@"}, {"(@)", "@"}, {"{@}", "@"}, {"[at]", "@"}, {"(at)", "@"}, {"{at}", "@"},
	{"[://]", "://"}, {"[:]", ":"}, {"[/]", "/"},
	{"hxxp", "http"}, {"fxp", "ftp"},
}

// undefang replaces the defanged forms in n. "hxxp" and "fxp" count only
// at the start of a word and before "://" or "s://" (or "[://]"), so words
// that happen to contain them stay.
func undefang(n normalized) normalized {
	s := n.s
	if !strings.ContainsAny(s, "[({") && !containsXP(s) {
		return n
	}
	var b builder
	b.grow(len(s))
	for i := 0; i < len(s); {
		if k, ok := defangedAt(s, i); ok {
			d := defanged[k]
			b.add(d.to, n.fromAt(i), n.toAt(i+len(d.from)-1))
			i += len(d.from)
			continue
		}
		b.add(s[i:i+1], n.fromAt(i), n.toAt(i))
		i++
	}
	return b.done()
}

// containsXP reports whether s holds "xp" in any case, the heart of
// "hxxp" and "fxp", without the copy strings.ToLower would make.
func containsXP(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i]|0x20 == 'x' && s[i+1]|0x20 == 'p' {
			return true
		}
	}
	return false
}

// defangedAt reports which defanged form starts at s[i], if any.
func defangedAt(s string, i int) (int, bool) {
	switch s[i] {
	case '[', '(', '{':
	case 'h', 'H', 'f', 'F':
		if i+2 >= len(s) || s[i+1]|0x20 != 'x' && s[i+2]|0x20 != 'x' {
			return 0, false
		}
	default:
		return 0, false
	}
	for k, d := range defanged {
		if d.from[0] != s[i]|0x20 && d.from[0] != s[i] {
			continue
		}
		if len(s)-i < len(d.from) || !strings.EqualFold(s[i:i+len(d.from)], d.from) {
			continue
		}
		if d.from[0] == 'h' || d.from[0] == 'f' {
			rest := strings.ToLower(s[i+len(d.from):])
			if isAlnum(before(s, i)) || !(strings.HasPrefix(rest, "://") || strings.HasPrefix(rest, "s://") ||
				strings.HasPrefix(rest, "[://]") || strings.HasPrefix(rest, "s[://]")) {
				continue
			}
		}
		return k, true
	}
	return 0, false
}

// original maps spans of the normalised text back onto the original text.
// A span that starts inside an original character removes that character
// whole; spans that would overlap in the original merge.
func (n normalized) original(spans []span) []span {
	out := spans[:0]
	for _, sp := range spans {
		o := span{start: n.fromAt(sp.start), end: n.toAt(sp.end - 1), kind: sp.kind}
		if k := len(out); k > 0 && o.start < out[k-1].end {
			out[k-1].end = max(out[k-1].end, o.end)
			continue
		}
		out = append(out, o)
	}
	return out
}
