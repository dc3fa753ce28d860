package pii

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// URLs: anything after a scheme or "www.", and bare domains with a known
// TLD, with or without a path ("facebook.com/naam", "jansen-gezin.nl"): a
// family's own domain names the family. Without a path the TLD list is
// shorter (no "de", "nu", "me": Dutch words after a missing space) and the
// TLD must be all lower or all upper case, so that a sentence with a
// missing space ("ouders.Vaak", "gedaan.nu") and abbreviations ("o.a.",
// "bijv./") stay. Defanged forms ("hxxps://", "voorbeeld[.]nl") are undone
// by normalize first. Brackets end a URL so a marker is never absorbed.
const urlChar = "[^\\s<>\"'\\[\\]{}|\\\\^`]"

var (
	reURL     = regexp.MustCompile(`^(?i)(?:(?:https?|ftp)://|www\.)` + urlChar + `+`)
	reURLBare = regexp.MustCompile(`^[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.[A-Za-z]+(?:/` + urlChar + `*)?`)
	urlTLDs   = map[string]bool{"nl": true, "com": true, "org": true, "net": true, "eu": true, "be": true,
		"de": true, "fr": true, "uk": true, "info": true, "nu": true, "io": true, "me": true, "tv": true,
		"co": true, "ly": true, "gl": true, "gg": true, "app": true, "social": true, "online": true, "site": true}
	domainTLDs = map[string]bool{"nl": true, "com": true, "org": true, "net": true, "eu": true, "be": true,
		"info": true, "io": true, "app": true, "social": true, "online": true, "site": true, "shop": true,
		"frl": true, "amsterdam": true, "family": true, "email": true, "blog": true, "website": true}
)

// acceptURL drops trailing sentence punctuation and an unmatched ")".
func acceptURL(s string, m []int) (int, int, bool) {
	a, b := m[0], m[1]
	for b > a {
		c := s[b-1]
		if strings.IndexByte(".,;:!?", c) >= 0 ||
			(c == ')' && strings.Count(s[a:b], "(") < strings.Count(s[a:b], ")")) {
			b--
			continue
		}
		break
	}
	return a, b, true
}

// acceptBareURL checks the TLD of a domain without a scheme: known, and
// for a domain without a path one of the shorter list, in one case, after
// a label of two characters or more, and not glued to what follows.
func acceptBareURL(s string, m []int) (int, int, bool) {
	domain := s[m[0]:m[1]]
	slash := strings.IndexByte(domain, '/')
	if slash >= 0 {
		domain = domain[:slash]
	}
	dot := strings.LastIndexByte(domain, '.')
	tld := domain[dot+1:]
	lower := strings.ToLower(tld)
	if slash >= 0 {
		if !urlTLDs[lower] {
			return 0, 0, false
		}
		return acceptURL(s, m)
	}
	label := domain[strings.LastIndexByte(domain[:dot], '.')+1 : dot]
	end := m[1]
	if r := after(s, end); !domainTLDs[lower] || tld != lower && tld != strings.ToUpper(tld) ||
		utf8.RuneCountInString(label) < 2 || isAlnum(r) || r == '@' || r == '-' {
		return 0, 0, false
	}
	return m[0], end, true
}

func findURL(t *scanText) []span {
	s := t.s
	var schemes, bare []int
	for i := 0; i < len(s); i++ {
		switch c := s[i] | 0x20; {
		case (c == 'h' || c == 'f' || c == 'w') && !isAlnum(before(s, i)):
			if l := strings.ToLower(s[i:min(len(s), i+8)]); strings.HasPrefix(l, "http") ||
				strings.HasPrefix(l, "ftp://") || strings.HasPrefix(l, "www.") {
				schemes = append(schemes, i)
			}
		case s[i] == '.':
			// A known TLD after the dot: walk back to the domain's start.
			j := i + 1
			for j < len(s) && isASCIILetter(s[j]) {
				j++
			}
			tld := strings.ToLower(s[i+1 : j])
			if j == i+1 || !urlTLDs[tld] && !domainTLDs[tld] || j < len(s) && s[j] == '.' && j+1 < len(s) && isASCIILetter(s[j+1]) {
				continue
			}
			q := i
			for q > 0 {
				r, size := utf8.DecodeLastRuneInString(s[:q])
				if !isAlnum(r) && r != '-' && r != '.' {
					break
				}
				q -= size
			}
			for q < i && (s[q] == '.' || s[q] == '-') {
				q++
			}
			if q < i && (len(bare) == 0 || bare[len(bare)-1] < q) {
				bare = append(bare, q)
			}
		}
	}
	out := matchAt(s, reURL, 0, schemes, acceptURL)
	return append(out, matchAt(s, reURLBare, 0, bare, acceptBareURL)...)
}
