package pii

import (
	"regexp"
	"strings"
)

// A Dutch postcode is four digits (no leading zero) and two letters. Next to
// a house number ("1234 AB 12", "1234AB 12a", "1234ab, 5", "1234-AB nr. 5",
// or the usual order "12, 1234 AB") it points at one household. Double and
// no-break spaces are one space after normalize. SA, SD and SS are never
// issued.
//
// Letters attached to the digits ("1234ab") or in capitals ("1234 AB")
// always count. Apart and not all in capitals ("1234 ab", "1234 Ab") they
// count unless they are a common two-letter word or unit, so that "tussen
// 2020 en 2024", "in 2024 is 12%" and "1500 km 3" stay.
const (
	postcode    = `([1-9][0-9]{3})([ \-])?([a-zA-Z]{2})`
	houseNumber = `[1-9][0-9]{0,4}((?:[ \-]?[a-zA-Z])?)`
	houseSep    = `(?:,? ?(?:[Nn][Rr]|[Nn]o|[Hh]uisnummer)\.? ?|, ?| )`
)

var (
	rePostcodeHouse = regexp.MustCompile(`^` + postcode + houseSep + houseNumber)
	reHousePostcode = regexp.MustCompile(`^` + houseNumber + `(?:, ?| )` + postcode)
)

// notPostcodeLetters are two-letter words and units that follow a number in
// ordinary text; apart and not in capitals they are not a postcode's letters.
var notPostcodeLetters = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`en of om te in op is de er ze we je al nu zo na af ik ja ga tm ca cq ie
		eg vs ex st nr no pp jr at to an as be by do go he if it me my on or so up us am pm
		km cm mm dm hm kg mg gr ml cl dl hl mb gb kb tb hz pk ha ct eu nl uu mu`) {
		notPostcodeLetters[w] = true
	}
}

// validPostcode checks a postcode's letters, given the separator between
// its digits and letters ("" when attached).
func validPostcode(sep, letters string) bool {
	upper := strings.ToUpper(letters)
	if upper == "SA" || upper == "SD" || upper == "SS" {
		return false
	}
	return sep == "" || letters == upper || !notPostcodeLetters[strings.ToLower(letters)]
}

// group returns submatch k of m in s, or "".
func group(s string, m []int, k int) string {
	if m[2*k] < 0 {
		return ""
	}
	return s[m[2*k]:m[2*k+1]]
}

func acceptPostcodeHouse(s string, m []int) (int, int, bool) {
	if !numberStartsAt(s, m[0], ".,") || !validPostcode(group(s, m, 2), group(s, m, 3)) {
		return 0, 0, false
	}
	end := m[1]
	if !numberEndsAt(s, end, ".,") && m[9] > m[8] { // "1234 AB 12 en": the letter is a word, not a suffix
		end = m[8]
	}
	if !numberEndsAt(s, end, ".,") {
		return 0, 0, false
	}
	return m[0], end, true
}

func acceptHousePostcode(s string, m []int) (int, int, bool) {
	if !numberStartsAt(s, m[0], ".,") || !numberEndsAt(s, m[1], ".,") || !validPostcode(group(s, m, 3), group(s, m, 4)) {
		return 0, 0, false
	}
	return m[0], m[1], true
}

func findPostcode(t *scanText) []span {
	s := t.s
	// A postcode: four digits then a letter (maybe after a space or hyphen).
	isPostcode := func(i int) bool {
		return s[i] != '0' && digitsAt(s, i, 4) && i+5 < len(s) &&
			(isASCIILetter(s[i+4]) || (s[i+4] == ' ' || s[i+4] == '-') && isASCIILetter(s[i+5]))
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
	out := matchAt(s, rePostcodeHouse, 40, filter(t.numbers, isPostcode), acceptPostcodeHouse)
	return append(out, matchAt(s, reHousePostcode, 32, filter(t.numbers, isHouse), acceptHousePostcode)...)
}
