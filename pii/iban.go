package pii

import (
	"regexp"
	"slices"
	"strings"
)

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
		if sp.kind == IBAN || sp.kind == Email || sp.kind == URL || before(s, sp.start) != ' ' {
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
