package pii

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// detectors run in this order; on a tie (same start, same length) the
// earlier one wins.
var detectors = []struct {
	kind Kind
	find func(t *scanText) []span
}{
	{Email, findEmail},
	{URL, findURL},
	{IBAN, findIBAN},
	{BSN, findBSN},
	{Phone, findPhone},
	{Postcode, findPostcode},
	{Birthdate, findBirthdate},
}

// scanText is the text of one pass with what several detectors share.
type scanText struct {
	s       string
	maxYear int
	numbers []int // byte offsets where a run of ASCII digits starts
}

// findPII runs every detector and keeps a non-overlapping selection: the
// earliest start wins, then the longest. An identifier hidden by an overlap
// is found in Redact's next pass.
func findPII(s string, maxYear int) []span {
	t := &scanText{s: s, maxYear: maxYear}
	for i := 0; i < len(s); i++ {
		if isDigitByte(s[i]) && (i == 0 || !isDigitByte(s[i-1])) {
			t.numbers = append(t.numbers, i)
		}
	}
	var all []span
	for _, d := range detectors {
		for _, sp := range d.find(t) {
			sp.kind = d.kind
			all = append(all, sp)
		}
	}
	if len(all) == 0 {
		return nil
	}
	all = dropInsideInvalidIBAN(s, all)
	order := func(k Kind) int {
		for i, d := range detectors {
			if d.kind == k {
				return i
			}
		}
		return len(detectors)
	}
	slices.SortStableFunc(all, func(a, b span) int {
		if a.start != b.start {
			return a.start - b.start
		}
		if a.end != b.end {
			return b.end - a.end
		}
		return order(a.kind) - order(b.kind)
	})
	out := all[:0]
	end := 0
	for _, sp := range all {
		if sp.start >= end && sp.end > sp.start {
			out = append(out, sp)
			end = sp.end
		}
	}
	return out
}

// acceptFunc validates a regexp match m (submatch indexes into s) and returns
// the span to redact, which may be shorter or longer than the match.
type acceptFunc func(s string, m []int) (start, end int, ok bool)

// matchAt tries re, which must be anchored with ^, at each candidate start
// (in increasing order) on a window of at most maxLen bytes (0: no limit),
// skipping starts inside an accepted match. Detectors find their candidate
// starts with cheap byte tests, so the regexp engine only ever runs on a few
// short windows: this keeps the guard fast and linear, and a rejected
// candidate never hides a valid one that starts inside it.
func matchAt(s string, re *regexp.Regexp, maxLen int, starts []int, accept acceptFunc) []span {
	var out []span
	next := 0
	for _, i := range starts {
		if i < next {
			continue
		}
		end := len(s)
		if maxLen > 0 {
			end = min(end, i+maxLen)
		}
		m := re.FindStringSubmatchIndex(s[i:end])
		if m == nil {
			continue
		}
		for k := range m {
			if m[k] >= 0 {
				m[k] += i
			}
		}
		if a, b, ok := accept(s, m); ok && b > a {
			out = append(out, span{start: a, end: b})
			next = b
		}
	}
	return out
}

// filter returns the starts for which keep holds.
func filter(starts []int, keep func(i int) bool) []int {
	var out []int
	for _, i := range starts {
		if keep(i) {
			out = append(out, i)
		}
	}
	return out
}

// always accepts a match as it is.
func always(_ string, m []int) (int, int, bool) { return m[0], m[1], true }

// Boundary helpers. before/after return the rune next to a position, or 0.
func before(s string, i int) rune {
	if i <= 0 {
		return 0
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

func after(s string, i int) rune {
	if i >= len(s) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isASCIILetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

func isASCIIAlnum(c byte) bool { return isDigitByte(c) || isASCIILetter(c) }

// digitsAt reports whether s has n ASCII digits at i.
func digitsAt(s string, i, n int) bool {
	if i+n > len(s) {
		return false
	}
	for k := i; k < i+n; k++ {
		if !isDigitByte(s[k]) {
			return false
		}
	}
	return true
}

// numberStartsAt reports whether a number may start at i: it is not glued to
// a word or another number, nor the tail of "1.234" or "3,5" or "1-2".
func numberStartsAt(s string, i int, seps string) bool {
	r := before(s, i)
	if isAlnum(r) {
		return false
	}
	if r != 0 && strings.ContainsRune(seps, r) && isDigit(before(s, i-1)) {
		return false
	}
	return true
}

// numberEndsAt reports whether a number may end at j: not followed by a
// letter or digit, nor by a separator and a digit ("1.234.567.890").
func numberEndsAt(s string, j int, seps string) bool {
	r := after(s, j)
	if isAlnum(r) {
		return false
	}
	if r != 0 && strings.ContainsRune(seps, r) && isDigit(after(s, j+1)) {
		return false
	}
	return true
}

// digitsOf returns the ASCII digits of s.
func digitsOf(s string) []int {
	var d []int
	for i := 0; i < len(s); i++ {
		if c := s[i]; isDigitByte(c) {
			d = append(d, int(c-'0'))
		}
	}
	return d
}
