package i18n

import "golang.org/x/text/feature/plural"

// N returns the message that counts n of something, in the plural form lang
// uses for n. The catalogue holds each form under its own key, named by its
// CLDR category: key+".one" for "1 notitie", key+".other" for "2 notities".
// Dutch and English have only these two; a form a language has beyond them
// falls back to ".other".
//
// The message gets n, written as a number of lang ("1.234"), as its first
// argument (%[1]s) and args after it, so a form may also leave the number
// out ("de grootste bijdrage" beside "de grootste %[1]s bijdragen").
func N(lang Lang, key string, n int, args ...any) string {
	return T(lang, key+"."+pluralForm(lang, n), append([]any{Int(lang, int64(n))}, args...)...)
}

// pluralForm returns the name of the plural category of n in lang.
func pluralForm(lang Lang, n int) string {
	if n < 0 {
		n = -n // "-1 graad" takes the form of "1 graad"
	}
	// A whole number has no visible fraction digits: v, w, f and t are zero.
	if plural.Cardinal.MatchPlural(lang.tag(), n, 0, 0, 0, 0) == plural.One {
		return "one"
	}
	return "other"
}
