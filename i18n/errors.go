package i18n

import (
	"atelier/internal/apperr"
)

// Message returns the message for key in lang like T, first putting into
// words every argument that is itself a catalogue key (apperr.Key).
func Message(lang Lang, key string, args ...any) string {
	copied := false
	for i, a := range args {
		if k, ok := a.(apperr.Key); ok {
			if !copied {
				args, copied = append([]any(nil), args...), true
			}
			args[i] = T(lang, string(k))
		}
	}
	return T(lang, key, args...)
}

// ErrorText is what a person reads for err in lang: the translated message
// of an *apperr.Error, prefixed with the place in a file it concerns, or
// fallback for any other error (whose own text may hold SQL, paths or
// values and is never shown).
func ErrorText(lang Lang, err error, fallback string) string {
	e, ok := apperr.As(err)
	if !ok || e.Code == apperr.Internal {
		return fallback
	}
	msg := Message(lang, e.Key, e.Args...)
	if p := e.At; p != nil {
		switch {
		case p.Line > 0 && p.Column > 0:
			return T(lang, "profiles.error.at_column", p.File, p.Line, p.Column, p.Field, msg)
		case p.Line > 0:
			return T(lang, "profiles.error.at_line", p.File, p.Line, msg)
		case p.File != "":
			return T(lang, "profiles.error.in_file", p.File, msg)
		}
	}
	return msg
}
