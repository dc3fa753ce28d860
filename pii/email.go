package pii

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// reEmail: the usual local@domain.tld, Unicode letters allowed, the TLD
// letters only (so "a@b.1" stays). Candidates start where the run of
// local-part characters before an '@' starts.
var reEmail = regexp.MustCompile(`^[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}`)

// reEmailSpaced: an address with a space around its '@' or dots, as people
// write one to get past a filter ("jan @ voorbeeld . nl", and what
// normalize makes of "jan[at]voorbeeld[dot]nl"). With spaces the end is
// ambiguous ("mail me @ thuis. Daarna"), so only a common TLD that ends a
// word counts.
var reEmailSpaced = regexp.MustCompile(`^(?i)[\p{L}\p{N}._%+\-]+ ?@ ?[\p{L}\p{N}\-]+(?: ?\. ?[\p{L}\p{N}\-]+)*? ?\. ?` +
	commonTLDs + `\b`)

func isLocalRune(r rune) bool { return isAlnum(r) || strings.ContainsRune("._%+-", r) }

// Obfuscated forms. A bracketed "at" ("jan(at)voorbeeld.nl", "jan [at]
// voorbeeld [punt] nl") is unambiguous. A spoken " at " is only taken when
// the last dot is spelled out too and the TLD is a common one ("jan at
// voorbeeld punt nl"), so that English "look at website.nl" stays. These are
// rare, so a cheap test on the lower-cased text guards the (unanchored)
// regexp.
const (
	emailLocal   = `[\p{L}\p{N}._%+\-]+`
	emailLabel   = `[\p{L}\p{N}\-]+`
	bracketAt    = `\s?[(\[{]\s?(?:at|apenstaartje)\s?[)\]}]\s?`
	spokenAt     = ` (?:at|apenstaartje) `
	spelledDot   = `(?:\s?[(\[{]\s?(?:punt|dot)\s?[)\]}]\s?| (?:punt|dot) )`
	anyDot       = `(?:\.|` + spelledDot + `)`
	commonTLDs   = `(?:nl|com|org|net|be|eu|de|info|nu|uk|fr)`
	emailObfBody = `(?:` + emailLabel + anyDot + `)*`
)

var reEmailObfuscated = regexp.MustCompile(`(?i)` + emailLocal + `(?:` +
	bracketAt + emailObfBody + emailLabel + anyDot + `\p{L}{2,}` + `|` +
	spokenAt + emailObfBody + emailLabel + spelledDot + commonTLDs + `\b)`)

func mayHoldObfuscatedEmail(s string) bool {
	l := strings.ToLower(s)
	has := func(subs ...string) bool {
		for _, sub := range subs {
			if strings.Contains(l, sub) {
				return true
			}
		}
		return false
	}
	return has("at)", "at]", "at}", "apenstaartje") || has(" at ") && has("punt", "dot")
}

func findEmail(t *scanText) []span {
	s := t.s
	var starts []int
	for p := strings.IndexByte(s, '@'); p >= 0; {
		q := p
		if q > 0 && s[q-1] == ' ' {
			q--
		}
		end := q
		for q > 0 {
			r, size := utf8.DecodeLastRuneInString(s[:q])
			if !isLocalRune(r) {
				break
			}
			q -= size
		}
		if q < end && (len(starts) == 0 || starts[len(starts)-1] < q) {
			starts = append(starts, q)
		}
		n := strings.IndexByte(s[p+1:], '@')
		if n < 0 {
			break
		}
		p += 1 + n
	}
	out := matchAt(s, reEmail, 0, starts, always)
	out = append(out, matchAt(s, reEmailSpaced, 256, starts, always)...)
	if mayHoldObfuscatedEmail(s) {
		for _, m := range reEmailObfuscated.FindAllStringIndex(s, -1) {
			out = append(out, span{start: m[0], end: m[1]})
		}
	}
	return out
}
