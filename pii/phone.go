package pii

import (
	"regexp"
	"strings"
)

// Dutch numbers have ten digits: 0 + nine, or +31/0031 + nine (the trunk 0
// dropped, sometimes written "(0)"). Mobile is 06, landlines have area codes
// of two or three digits ("020-1234567", "0591-123456", "(020) 123 45 67").
// Separators are a space or a hyphen between any digits (normalize has made
// en dashes and no-break spaces of those), or dots alone ("06.12.34.56.78");
// slashes are not taken, and dates ("01.02.2024"), amounts and fractions
// have too few digits or no trunk 0 to form one.
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
	`|(?:(?:\+|00)31\.?(?:\(0\)\.?)?|0)[1-9](?:\.?[0-9]){8}` +
	`|\+[1-9](?:` + phoneSep + `[0-9]){7,14})`)

// acceptPhone: not glued to a word, a number or a "+" on the left, and not
// followed by another digit (then it is some longer number).
func acceptPhone(s string, m []int) (int, int, bool) {
	if r := before(s, m[0]); isAlnum(r) || r == '+' || isDigit(after(s, m[1])) {
		return 0, 0, false
	}
	if strings.IndexByte(s[m[0]:m[1]], '.') >= 0 && (!numberStartsAt(s, m[0], ".") || !numberEndsAt(s, m[1], ".")) {
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
