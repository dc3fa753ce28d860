package sessions

// The privacy guard (DESIGN.md principle 3, "No personal data"): every free
// text is screened for personal identifiers before it is stored, and what is
// found is replaced by a marker, not kept aside.
//
// Rules of the guard itself:
//   - Redact never logs, and a Redaction carries a kind and a count only, never
//     a removed substring, so the original text cannot leak through it.
//   - Detection is deliberately a little eager on strong patterns (an e-mail
//     address, a number that passes the elfproef or mod-97) and deliberately
//     strict on weak ones (ordinary numbers, years, amounts, percentages,
//     times, a postcode on its own), so that workshop notes full of numbers
//     survive intact.
//   - Markers contain no digits, '@', '.', ':' or '/', so no detector can
//     match a marker or part of one. Redact repeats its pass until nothing
//     more is found (each pass removes original text, so this ends); its
//     output is therefore a fixed point: Redact(Redact(x)) == Redact(x).
//   - All regular expressions are RE2 (linear time); the detectors with a
//     validation step retry only inside a rejected candidate, in a bounded
//     window, so the whole guard stays linear-ish in the text length.
//
// Deliberately not detected (documented decisions):
//   - a postcode without house number ("1234 AB"): it names a street segment
//     of some 15–25 addresses, not a household, and the shape collides with
//     ordinary text ("1500 MB", "2024 en"); street names with numbers
//     ("Kerkstraat 12") are not detected either;
//   - a bare domain without a path ("gemeente.nl"): organisations, not people;
//   - "naam at domein.nl" (spoken "at" with a real dot): too close to English
//     "look at website.nl"; the bracketed "naam(at)domein.nl" and the fully
//     spelled "naam at domein punt nl" are detected;
//   - dates without a year ("op 12 maart"), a year alone, a month and year
//     ("maart 1985"), and two-digit-year dates whose day or month has one
//     digit ("1-2-10", too close to scores and fractions);
//   - 8-digit numbers as BSN (the official rule: a BSN has nine digits, a
//     leading zero is written), and service numbers (0800, 0900).

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"atelier/i18n"
)

// PIIKind names a kind of personal identifier.
type PIIKind string

// The kinds of personal identifier the guard detects.
const (
	PIIEmail     PIIKind = "email"
	PIIPhone     PIIKind = "phone"
	PIIBSN       PIIKind = "bsn"
	PIIIBAN      PIIKind = "iban"
	PIIPostcode  PIIKind = "postcode"
	PIIBirthdate PIIKind = "birthdate"
	PIIURL       PIIKind = "url"
)

// PIIKinds lists every kind in the order Redact reports them.
var PIIKinds = []PIIKind{PIIEmail, PIIPhone, PIIBSN, PIIIBAN, PIIPostcode, PIIBirthdate, PIIURL}

// Redaction reports what was removed from a text: a kind and how many, never
// the removed text itself.
type Redaction struct {
	Kind  PIIKind
	Count int
}

// Marker is the text that replaces an identifier of kind k, for example
// "[e-mailadres verwijderd]" or "[e-mail address removed]".
func (k PIIKind) Marker(lang i18n.Lang) string {
	return i18n.T(lang, "privacy.marker."+string(k))
}

// Redact returns text with every personal identifier replaced by a marker in
// lang, and what was removed (in the order of PIIKinds, counts > 0 only).
// Invalid UTF-8 is replaced by U+FFFD first, so the result is always valid.
func Redact(text string, lang i18n.Lang) (string, []Redaction) {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	maxYear := time.Now().Year()
	counts := make(map[PIIKind]int)
	for {
		spans := findPII(text, maxYear)
		if len(spans) == 0 {
			break
		}
		var b strings.Builder
		b.Grow(len(text) + 16*len(spans))
		last := 0
		for _, s := range spans {
			b.WriteString(text[last:s.start])
			b.WriteString(s.kind.Marker(lang))
			last = s.end
			counts[s.kind]++
		}
		b.WriteString(text[last:])
		text = b.String()
	}
	var rs []Redaction
	for _, k := range PIIKinds {
		if n := counts[k]; n > 0 {
			rs = append(rs, Redaction{Kind: k, Count: n})
		}
	}
	return text, rs
}

// DescribeRedactions renders what was removed for the author, for example
// "Verwijderd: 1 e-mailadres, 2 telefoonnummers." It adds up repeated kinds
// (a caller may concatenate the lists of several fields) and returns "" when
// nothing was removed.
func DescribeRedactions(rs []Redaction, lang i18n.Lang) string {
	return describe(rs, lang, "privacy.removed")
}

// DescribeFindings warns the author before sending, for example "Dit lijkt
// persoonsgegevens te bevatten: 1 telefoonnummer. …", or returns "".
func DescribeFindings(rs []Redaction, lang i18n.Lang) string {
	return describe(rs, lang, "privacy.found")
}

func describe(rs []Redaction, lang i18n.Lang, key string) string {
	counts := make(map[PIIKind]int)
	for _, r := range rs {
		if r.Count > 0 {
			counts[r.Kind] += r.Count
		}
	}
	var parts []string
	for _, k := range PIIKinds {
		n := counts[k]
		if n == 0 {
			continue
		}
		parts = append(parts, i18n.N(lang, "privacy.count."+string(k), n))
	}
	if len(parts) == 0 {
		return ""
	}
	return i18n.T(lang, key, strings.Join(parts, ", "))
}

// span is one detected identifier: text[start:end].
type span struct {
	start, end int
	kind       PIIKind
}

// detectors run in this order; on a tie (same start, same length) the
// earlier one wins.
var detectors = []struct {
	kind PIIKind
	find func(t *scanText) []span
}{
	{PIIEmail, findEmail},
	{PIIURL, findURL},
	{PIIIBAN, findIBAN},
	{PIIBSN, findBSN},
	{PIIPhone, findPhone},
	{PIIPostcode, findPostcode},
	{PIIBirthdate, findBirthdate},
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
	order := func(k PIIKind) int {
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

// --- e-mail ---------------------------------------------------------------

// reEmail: the usual local@domain.tld, Unicode letters allowed, the TLD
// letters only (so "a@b.1" stays). Candidates start where the run of
// local-part characters before an '@' starts.
var reEmail = regexp.MustCompile(`^[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}`)

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
		for q > 0 {
			r, size := utf8.DecodeLastRuneInString(s[:q])
			if !isLocalRune(r) {
				break
			}
			q -= size
		}
		if q < p && (len(starts) == 0 || starts[len(starts)-1] < q) {
			starts = append(starts, q)
		}
		n := strings.IndexByte(s[p+1:], '@')
		if n < 0 {
			break
		}
		p += 1 + n
	}
	out := matchAt(s, reEmail, 0, starts, always)
	if mayHoldObfuscatedEmail(s) {
		for _, m := range reEmailObfuscated.FindAllStringIndex(s, -1) {
			out = append(out, span{start: m[0], end: m[1]})
		}
	}
	return out
}

// --- URL --------------------------------------------------------------------

// URLs: anything after a scheme or "www.", and bare domains only when a path
// follows ("facebook.com/naam") and the TLD is a known one, so that a
// sentence with a missing space ("ouders.Vaak/soms") and abbreviations
// ("o.a.", "bijv./") stay. Brackets end a URL so a marker is never absorbed.
const urlChar = "[^\\s<>\"'\\[\\]{}|\\\\^`]"

var (
	reURL     = regexp.MustCompile(`^(?i)(?:(?:https?|ftp)://|www\.)` + urlChar + `+`)
	reURLBare = regexp.MustCompile(`^[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.[A-Za-z]+/` + urlChar + `*`)
	urlTLDs   = map[string]bool{"nl": true, "com": true, "org": true, "net": true, "eu": true, "be": true,
		"de": true, "fr": true, "uk": true, "info": true, "nu": true, "io": true, "me": true, "tv": true,
		"co": true, "ly": true, "gl": true, "gg": true, "app": true, "social": true, "online": true, "site": true}
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
		case s[i] == '/':
			// A known TLD before the slash: walk back to the domain's start.
			dot := i
			for dot > 0 && isASCIILetter(s[dot-1]) {
				dot--
			}
			if dot == i || dot == 0 || s[dot-1] != '.' || !urlTLDs[strings.ToLower(s[dot:i])] {
				continue
			}
			q := dot - 1
			for q > 0 {
				r, size := utf8.DecodeLastRuneInString(s[:q])
				if !isAlnum(r) && r != '-' && r != '.' {
					break
				}
				q -= size
			}
			for q < dot && (s[q] == '.' || s[q] == '-') {
				q++
			}
			if q < dot-1 && (len(bare) == 0 || bare[len(bare)-1] < q) {
				bare = append(bare, q)
			}
		}
	}
	out := matchAt(s, reURL, 0, schemes, acceptURL)
	return append(out, matchAt(s, reURLBare, 0, bare, acceptURL)...)
}

// --- IBAN -------------------------------------------------------------------

// ibanLengths is the IBAN registry's length per country. An unknown country
// is not an IBAN: without a length the check is too weak.
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
	"BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
	"ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
	"HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
	"LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
	"MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
	"RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
	"TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}

// ibanStartsAt reports whether "country code + check digits" of a known
// country starts at i, not glued to a word. Case is ignored: people type
// "nl91abna…".
func ibanStartsAt(s string, i int) bool {
	return i+4 <= len(s) && isASCIILetter(s[i]) && isASCIILetter(s[i+1]) && digitsAt(s, i+2, 2) &&
		ibanLengths[strings.ToUpper(s[i:i+2])] > 0 && !isAlnum(before(s, i))
}

// ibanAt reads an IBAN at i up to its country's length, allowing single
// spaces between characters (paper form "NL91 ABNA 0417 1643 00"), and
// checks mod-97 and that no letter or digit follows.
func ibanAt(s string, i int) (int, bool) {
	n := ibanLengths[strings.ToUpper(s[i:i+2])]
	buf := make([]byte, 0, 34)
	for len(buf) < n && i < len(s) {
		c := s[i]
		if c == ' ' && len(buf) >= 4 && i+1 < len(s) && isASCIIAlnum(s[i+1]) && s[i-1] != ' ' {
			i++
			continue
		}
		if !isASCIIAlnum(c) {
			break
		}
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf = append(buf, c)
		i++
	}
	return i, len(buf) == n && !isAlnum(after(s, i)) && validIBAN(string(buf))
}

// validIBAN checks an upper-case IBAN without spaces with ISO 13616 mod-97:
// move the first four characters to the end, read letters as 10..35, and the
// number must leave 1 when divided by 97. Check digits 00, 01 and 99 are never
// issued.
func validIBAN(iban string) bool {
	if len(iban) < 5 || iban[2:4] == "00" || iban[2:4] == "01" || iban[2:4] == "99" {
		return false
	}
	r := iban[4:] + iban[:4]
	mod := 0
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch {
		case c >= '0' && c <= '9':
			mod = (mod*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			mod = (mod*100 + int(c-'A') + 10) % 97
		default:
			return false
		}
	}
	return mod == 1
}

func findIBAN(t *scanText) []span {
	s := t.s
	var out []span
	for i := 0; i+4 <= len(s); i++ {
		if !ibanStartsAt(s, i) {
			continue
		}
		if end, ok := ibanAt(s, i); ok {
			out = append(out, span{start: i, end: end})
			i = end - 1
		}
	}
	return out
}

// reIBANShape is an IBAN as written on paper, in groups of four. When such
// a string fails mod-97 it is not an IBAN, and its digit groups are not
// phone numbers or BSNs either ("NL91 ABNA 0417 1643 01" holds the
// phone-shaped "0417 1643 01"): dropInsideInvalidIBAN discards those.
var reIBANShape = regexp.MustCompile(`^[A-Za-z]{2}[0-9]{2}(?: [A-Za-z0-9]{4})+(?: [A-Za-z0-9]{1,3})?`)

func dropInsideInvalidIBAN(s string, spans []span) []span {
	return slices.DeleteFunc(spans, func(sp span) bool {
		if sp.kind == PIIIBAN || sp.kind == PIIEmail || sp.kind == PIIURL || before(s, sp.start) != ' ' {
			return false
		}
		// Walk back over at most eight groups of four to a possible start.
		for j := sp.start - 1; j >= 0 && j >= sp.start-45; j-- {
			c := s[j]
			if c != ' ' && !isASCIIAlnum(c) {
				break
			}
			if ibanStartsAt(s, j) {
				if m := reIBANShape.FindStringIndex(s[j:min(len(s), j+45)]); m != nil && j+m[1] >= sp.end {
					return true
				}
			}
		}
		return false
	})
}

// --- BSN --------------------------------------------------------------------

// reBSN: nine digits, plain or in the written groups 123.456.782,
// 123 456 782, 123-456-782 or the official 1234.56.782. Only numbers passing
// the elfproef are taken (about one in eleven random nine-digit numbers
// does), never when they read as an amount ("€ 123.456.782", "…,-").
var reBSN = regexp.MustCompile(`^(?:[0-9]{4}\.[0-9]{2}\.[0-9]{3}|[0-9]{3}([ .\-]?)[0-9]{3}([ .\-]?)[0-9]{3})`)

func acceptBSN(s string, m []int) (int, int, bool) {
	if m[2] >= 0 && s[m[2]:m[3]] != s[m[4]:m[5]] { // mixed separators: not a written BSN
		return 0, 0, false
	}
	if !numberStartsAt(s, m[0], ".,-") || !numberEndsAt(s, m[1], ".,-") ||
		strings.HasPrefix(s[m[1]:], ",-") || isAmount(s, m[0]) || !elfproef(digitsOf(s[m[0]:m[1]])) {
		return 0, 0, false
	}
	return m[0], m[1], true
}

// isAmount reports whether the number at i is preceded by a currency sign.
func isAmount(s string, i int) bool {
	t := strings.TrimRight(s[:i], " \u00a0")
	return strings.HasSuffix(t, "€") || strings.HasSuffix(strings.ToUpper(t), "EUR")
}

// elfproef is the BSN check: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 divisible by 11,
// and not all zeros.
func elfproef(d []int) bool {
	if len(d) != 9 {
		return false
	}
	sum, zero := 0, true
	for i, v := range d {
		w := 9 - i
		if i == 8 {
			w = -1
		}
		sum += w * v
		zero = zero && v == 0
	}
	return !zero && sum%11 == 0
}

func findBSN(t *scanText) []span {
	starts := filter(t.numbers, func(i int) bool { return digitsAt(t.s, i, 3) })
	return matchAt(t.s, reBSN, 11, starts, acceptBSN)
}

// --- phone ------------------------------------------------------------------

// Dutch numbers have ten digits: 0 + nine, or +31/0031 + nine (the trunk 0
// dropped, sometimes written "(0)"). Mobile is 06, landlines have area codes
// of two or three digits ("020-1234567", "0591-123456", "(020) 123 45 67").
// Separators are a space or a hyphen between any digits; dots and slashes are
// not taken, so dates ("01.02.2024"), amounts and fractions never form one.
// The first digit after the trunk 0 is never 0, which keeps zero-padded
// numbers out. Other countries: "+" and 8–15 digits (E.164), as a "+" before
// a long number is rare in ordinary text. Service numbers (0800, 0900) are
// not personal and have other lengths.
const phoneSep = `(?: ?- ?| )?`

var rePhone = regexp.MustCompile(`^(?:` +
	`(?:\+|00)31` + phoneSep + `(?:\(0\)` + phoneSep + `)?[1-9](?:` + phoneSep + `[0-9]){8}` +
	`|\(0[1-9][0-9]\)` + phoneSep + `[0-9](?:` + phoneSep + `[0-9]){6}` +
	`|\(0[1-9][0-9]{2}\)` + phoneSep + `[0-9](?:` + phoneSep + `[0-9]){5}` +
	`|0[1-9](?:` + phoneSep + `[0-9]){8}` +
	`|\+[1-9](?:` + phoneSep + `[0-9]){7,14})`)

// acceptPhone: not glued to a word, a number or a "+" on the left, and not
// followed by another digit (then it is some longer number).
func acceptPhone(s string, m []int) (int, int, bool) {
	if r := before(s, m[0]); isAlnum(r) || r == '+' || isDigit(after(s, m[1])) {
		return 0, 0, false
	}
	return m[0], m[1], true
}

func findPhone(t *scanText) []span {
	s := t.s
	var starts []int
	for i := 0; i+1 < len(s); i++ {
		c, d := s[i], s[i+1]
		if c == '0' && (i == 0 || !isDigitByte(s[i-1])) || c == '+' && isDigitByte(d) || c == '(' && d == '0' {
			starts = append(starts, i)
		}
	}
	return matchAt(s, rePhone, 64, starts, acceptPhone)
}

// --- postcode with house number ----------------------------------------------

// A Dutch postcode is four digits (no leading zero) and two letters. Next to
// a house number ("1234 AB 12", "1234AB 12a", "1234ab, 5", or the usual
// order "12, 1234 AB") it points at one household. To keep "tussen 2020 en
// 2024" and "in 2024 is 12%" out, a space between digits and letters is only
// accepted with capital letters; lower-case letters must be attached
// ("1234ab"). SA, SD and SS are never issued.
const (
	postcode    = `([1-9][0-9]{3} ?[A-Z]{2}|[1-9][0-9]{3}[a-zA-Z]{2})`
	houseNumber = `[1-9][0-9]{0,4}((?:[ \-]?[a-zA-Z])?)`
)

var (
	rePostcodeHouse = regexp.MustCompile(`^` + postcode + `(?:, ?| )` + houseNumber)
	reHousePostcode = regexp.MustCompile(`^` + houseNumber + `(?:, ?| )` + postcode)
)

func validPostcode(p string) bool {
	l := strings.ToUpper(p[len(p)-2:])
	return l != "SA" && l != "SD" && l != "SS"
}

func acceptPostcodeHouse(s string, m []int) (int, int, bool) {
	if !numberStartsAt(s, m[0], ".,") || !validPostcode(s[m[2]:m[3]]) {
		return 0, 0, false
	}
	end := m[1]
	if !numberEndsAt(s, end, ".,") && m[5] > m[4] { // "1234 AB 12 en": the letter is a word, not a suffix
		end = m[4]
	}
	if !numberEndsAt(s, end, ".,") {
		return 0, 0, false
	}
	return m[0], end, true
}

func acceptHousePostcode(s string, m []int) (int, int, bool) {
	if !numberStartsAt(s, m[0], ".,") || !numberEndsAt(s, m[1], ".,") || !validPostcode(s[m[4]:m[5]]) {
		return 0, 0, false
	}
	return m[0], m[1], true
}

func findPostcode(t *scanText) []span {
	s := t.s
	// A postcode: four digits then a letter (maybe after one space).
	isPostcode := func(i int) bool {
		return s[i] != '0' && digitsAt(s, i, 4) && i+5 < len(s) &&
			(isASCIILetter(s[i+4]) || s[i+4] == ' ' && isASCIILetter(s[i+5]))
	}
	// A house number: up to five digits, then a separator within a few bytes.
	isHouse := func(i int) bool {
		for k := i + 1; k < min(len(s), i+9); k++ {
			if s[k] == ',' || s[k] == ' ' {
				return true
			}
		}
		return false
	}
	out := matchAt(s, rePostcodeHouse, 32, filter(t.numbers, isPostcode), acceptPostcodeHouse)
	return append(out, matchAt(s, reHousePostcode, 32, filter(t.numbers, isHouse), acceptHousePostcode)...)
}

// --- dates that look like birth dates -------------------------------------

// A full date with a plausible birth year (1900 up to this year) is taken,
// whatever it is about: the guard cannot tell a birth date from a meeting
// date, and a full date is what makes a person findable. Dates without a
// year ("op 12 maart hadden we …") are fine. Numeric forms need the same
// separator twice (dd-mm-yyyy, d/m/yyyy, dd.mm.yy, and ISO yyyy-mm-dd); a
// two-digit year only with two-digit day and month ("01.02.85"), so scores
// and fractions like "3-1-10" stay. Times ("14:30") use ':' and never match.
const months = `januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|` +
	`january|february|march|may|june|july|august|october|` +
	`jan|feb|mrt|mar|apr|jun|jul|aug|sept|sep|okt|oct|nov|dec`

var (
	reDateNumeric = regexp.MustCompile(`^([0-9]{1,2})([\-/.])([0-9]{1,2})([\-/.])([0-9]{4}|[0-9]{2})`)
	reDateISO     = regexp.MustCompile(`^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})`)
	reDateWords   = regexp.MustCompile(`^(?i)([0-9]{1,2})(?:e|ste|de|st|nd|rd|th)? (` + months + `)\.?,? ([0-9]{4})`)
	reDateWordsEN = regexp.MustCompile(`^(?i)(` + months + `)\.? ([0-9]{1,2})(?:st|nd|rd|th)?,? ([0-9]{4})`)
)

var monthNumbers = map[string]int{
	"januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7, "augustus": 8,
	"september": 9, "oktober": 10, "november": 11, "december": 12,
	"january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "october": 10,
	"jan": 1, "feb": 2, "mrt": 3, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sept": 9, "sep": 9,
	"okt": 10, "oct": 10, "nov": 11, "dec": 12,
}

// validDate checks day and month, and the year against 1900..maxYear; year
// < 0 means a two-digit year, which is always plausible.
func validDate(day, month, year, maxYear int) bool {
	if month < 1 || month > 12 || day < 1 {
		return false
	}
	if year >= 0 && (year < 1900 || year > maxYear) {
		return false
	}
	days := [...]int{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	return day <= days[month-1]
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func findBirthdate(t *scanText) []span {
	s, maxYear := t.s, t.maxYear
	if len(t.numbers) == 0 {
		return nil
	}
	bounded := func(s string, m []int) bool {
		return numberStartsAt(s, m[0], "-/.") && numberEndsAt(s, m[1], "-/.")
	}
	numeric := func(s string, m []int) (int, int, bool) {
		day, month, year := s[m[2]:m[3]], s[m[6]:m[7]], s[m[10]:m[11]]
		y := atoi(year)
		if len(year) == 2 {
			if len(day) != 2 || len(month) != 2 {
				return 0, 0, false
			}
			y = -1
		}
		ok := s[m[4]:m[5]] == s[m[8]:m[9]] && bounded(s, m) && validDate(atoi(day), atoi(month), y, maxYear)
		return m[0], m[1], ok
	}
	iso := func(s string, m []int) (int, int, bool) {
		ok := bounded(s, m) && validDate(atoi(s[m[6]:m[7]]), atoi(s[m[4]:m[5]]), atoi(s[m[2]:m[3]]), maxYear)
		return m[0], m[1], ok
	}
	words := func(s string, m []int) (int, int, bool) {
		month := monthNumbers[strings.ToLower(s[m[4]:m[5]])]
		ok := bounded(s, m) && validDate(atoi(s[m[2]:m[3]]), month, atoi(s[m[6]:m[7]]), maxYear)
		return m[0], m[1], ok
	}
	wordsEN := func(s string, m []int) (int, int, bool) {
		month := monthNumbers[strings.ToLower(s[m[2]:m[3]])]
		ok := !isAlnum(before(s, m[0])) && numberEndsAt(s, m[1], "-/.") &&
			validDate(atoi(s[m[4]:m[5]]), month, atoi(s[m[6]:m[7]]), maxYear)
		return m[0], m[1], ok
	}
	sepAt := func(i int) bool { return i < len(s) && (s[i] == '-' || s[i] == '/' || s[i] == '.') }
	// Cheap shapes: "d-" or "dd-"; "dddd-"; "d " or "dd" + suffix + space.
	numericStarts := filter(t.numbers, func(i int) bool { return sepAt(i+1) || digitsAt(s, i, 2) && sepAt(i+2) })
	isoStarts := filter(t.numbers, func(i int) bool { return digitsAt(s, i, 4) && i+4 < len(s) && s[i+4] == '-' })
	wordStarts := filter(t.numbers, func(i int) bool {
		k := i + 1
		if k < len(s) && isDigitByte(s[k]) {
			k++
		}
		for k < len(s) && k < i+5 && isASCIILetter(s[k]) {
			k++
		}
		return k+1 < len(s) && s[k] == ' ' && isASCIILetter(s[k+1])
	})
	// English "March 12, 1985": words starting with a month's first three
	// letters, and only when a digit follows within a few bytes.
	var monthStarts []int
	for _, n := range t.numbers {
		for i := max(0, n-12); i < n; i++ {
			if isASCIILetter(s[i]) && !isAlnum(before(s, i)) && i+3 <= len(s) &&
				monthNumbers[strings.ToLower(s[i:i+3])] > 0 &&
				(len(monthStarts) == 0 || monthStarts[len(monthStarts)-1] < i) {
				monthStarts = append(monthStarts, i)
			}
		}
	}
	out := matchAt(s, reDateNumeric, 16, numericStarts, numeric)
	out = append(out, matchAt(s, reDateISO, 16, isoStarts, iso)...)
	out = append(out, matchAt(s, reDateWords, 32, wordStarts, words)...)
	return append(out, matchAt(s, reDateWordsEN, 32, monthStarts, wordsEN)...)
}
