package pii

import (
	"regexp"
	"strconv"
	"strings"
)

// A full date with a plausible birth year (1900 up to this year) is taken,
// whatever it is about: the guard cannot tell a birth date from a meeting
// date, and a full date is what makes a person findable. Dates without a
// year ("op 12 maart hadden we …") are fine. Numeric forms need the same
// separator twice (dd-mm-yyyy, d/m/yyyy, dd.mm.yy, 12-3-15, and ISO
// yyyy-mm-dd); a two-digit year only when the day or the month has two
// digits ("12-3-15", "01.02.85"), so scores and fractions like "3-1-10"
// stay. Eight digits in a row are a date when they read as ddmmyyyy or
// yyyymmdd with a plausible year ("12032015"). Written months take a year
// of four digits or an apostrophe and two ("1 januari '15"). Times
// ("14:30") use ':' and never match.
const months = `januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|` +
	`january|february|march|may|june|july|august|october|` +
	`jan|feb|mrt|mar|apr|jun|jul|aug|sept|sep|okt|oct|nov|dec`

var (
	reDateNumeric = regexp.MustCompile(`^([0-9]{1,2})([\-/.])([0-9]{1,2})([\-/.])([0-9]{4}|[0-9]{2})`)
	reDateISO     = regexp.MustCompile(`^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})`)
	reDateWords   = regexp.MustCompile(`^(?i)([0-9]{1,2})(?:e|ste|de|st|nd|rd|th)? (` + months + `)\.?,? ([0-9]{4}|'[0-9]{2})`)
	reDateWordsEN = regexp.MustCompile(`^(?i)(` + months + `)\.? ([0-9]{1,2})(?:st|nd|rd|th)?,? ([0-9]{4}|'[0-9]{2})`)
	reDateDigits  = regexp.MustCompile(`^[0-9]{8}`)
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

// yearOf reads a year of four digits, or -1 for a two-digit one ("'15").
func yearOf(s string) int {
	if strings.HasPrefix(s, "'") {
		return -1
	}
	return atoi(s)
}

// dateDigits reports whether eight digits read as a date, ddmmyyyy or
// yyyymmdd, with a plausible birth year.
func dateDigits(d string, maxYear int) bool {
	return len(d) == 8 && (validDate(atoi(d[:2]), atoi(d[2:4]), atoi(d[4:]), maxYear) ||
		validDate(atoi(d[6:]), atoi(d[4:6]), atoi(d[:4]), maxYear))
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
			if len(day) == 1 && len(month) == 1 {
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
		ok := bounded(s, m) && validDate(atoi(s[m[2]:m[3]]), month, yearOf(s[m[6]:m[7]]), maxYear)
		return m[0], m[1], ok
	}
	wordsEN := func(s string, m []int) (int, int, bool) {
		month := monthNumbers[strings.ToLower(s[m[2]:m[3]])]
		ok := !isAlnum(before(s, m[0])) && numberEndsAt(s, m[1], "-/.") &&
			validDate(atoi(s[m[4]:m[5]]), month, yearOf(s[m[6]:m[7]]), maxYear)
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
	out = append(out, matchAt(s, reDateWordsEN, 32, monthStarts, wordsEN)...)
	digits := func(s string, m []int) (int, int, bool) {
		return m[0], m[1], bounded(s, m) && dateDigits(s[m[0]:m[1]], maxYear)
	}
	return append(out, matchAt(s, reDateDigits, 8, filter(t.numbers, func(i int) bool { return digitsAt(s, i, 8) }), digits)...)
}
