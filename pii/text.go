package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"atelier/internal/apperr"
)

// CheckText refuses a free text that is not valid UTF-8, or holds NUL or
// another control character (line breaks and tabs are fine), or U+FFFD.
// The replacement character is refused because it is what a JSON decoder
// makes of invalid UTF-8 and of a lone surrogate ("\ud800"): refusing it is
// the only way to refuse invalid text that arrived escaped. Every free text
// a person sends (notes, excerpts, tags, theme and session titles,
// questions, template names) passes here before anything else.
func CheckText(s string) error {
	if !utf8.ValidString(s) || strings.IndexFunc(s, invalidRune) >= 0 {
		return apperr.New(apperr.Invalid, "privacy.text_invalid")
	}
	return nil
}

func invalidRune(r rune) bool {
	return r == utf8.RuneError || unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t'
}
