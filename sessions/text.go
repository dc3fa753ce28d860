package sessions

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"atelier/internal/apperr"
)

// validateText refuses text that is not valid UTF-8 or holds control
// characters (NUL and the like; line breaks and tabs are fine).
func validateText(s string) error {
	if !utf8.ValidString(s) {
		return apperr.New(apperr.Invalid, "sessions.text_invalid")
	}
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) >= 0 {
		return apperr.New(apperr.Invalid, "sessions.text_invalid")
	}
	return nil
}
