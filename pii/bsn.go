package pii

import (
	"regexp"
	"strings"
)

// reBSN: nine digits, plain or in the written groups 123.456.782,
// 123 456 782, 123-456-782, the official 1234.56.782 and 1234 56 782; or
// eight plain digits, a BSN whose leading zero was dropped (a spreadsheet
// does that). Only numbers passing the elfproef are taken (about one in
// eleven random numbers does), never when they read as an amount
// ("€ 123.456.782", "…,-"), and eight digits not when they read as a date
// ("12032015": the birth date detector takes those).
var reBSN = regexp.MustCompile(`^(?:[0-9]{4}([ .\-])[0-9]{2}([ .\-])[0-9]{3}|[0-9]{3}([ .\-]?)[0-9]{3}([ .\-]?)[0-9]{3}|[0-9]{8})`)

func acceptBSN(s string, m []int, maxYear int) (int, int, bool) {
	// Mixed separators: not a written BSN.
	if m[2] >= 0 && s[m[2]:m[3]] != s[m[4]:m[5]] || m[6] >= 0 && s[m[6]:m[7]] != s[m[8]:m[9]] {
		return 0, 0, false
	}
	if !numberStartsAt(s, m[0], ".,-") || !numberEndsAt(s, m[1], ".,-") ||
		strings.HasPrefix(s[m[1]:], ",-") || isAmount(s, m[0]) {
		return 0, 0, false
	}
	d := digitsOf(s[m[0]:m[1]])
	if len(d) == 8 {
		if dateDigits(s[m[0]:m[1]], maxYear) {
			return 0, 0, false
		}
		d = append([]int{0}, d...)
	}
	if !elfproef(d) {
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
	return matchAt(t.s, reBSN, 11, starts, func(s string, m []int) (int, int, bool) { return acceptBSN(s, m, t.maxYear) })
}
