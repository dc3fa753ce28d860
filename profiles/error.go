package profiles

import (
	"errors"
	"fmt"

	"atelier/i18n"
)

// Error codes, for the lead's error-to-status mapping (as in wtf's error.go).
const (
	EINVALID  = "invalid"   // the input is malformed or inconsistent
	EUNSAFE   = "unsafe"    // the input cannot be protected
	ETOOLARGE = "too_large" // the input exceeds a size limit
)

// Error is a parse, validation or protection error. It names the place in
// the input (file, line, column) and carries a message key from the i18n
// catalogue with its arguments, so that it can be shown in the user's
// language. Its arguments never hold a suppressed value or a single
// household's value.
type Error struct {
	Code       string
	File       string
	Line       int    // 1-based; 0 when the error concerns the whole file
	Column     int    // 1-based; 0 when the error concerns a whole row
	ColumnName string // the header name of Column, or a JSON field name
	Key        string
	Args       []any
}

// Error returns the English message, for logs and tests.
func (e *Error) Error() string { return e.Message(i18n.EN) }

// Message returns the message in lang, prefixed with the place it concerns.
func (e *Error) Message(lang i18n.Lang) string {
	msg := i18n.T(lang, e.Key, e.Args...)
	switch {
	case e.Line > 0 && e.Column > 0:
		return i18n.T(lang, "profiles.error.at_column", e.File, e.Line, e.Column, e.ColumnName, msg)
	case e.Line > 0:
		return i18n.T(lang, "profiles.error.at_line", e.File, e.Line, msg)
	case e.File != "":
		return i18n.T(lang, "profiles.error.in_file", e.File, msg)
	}
	return msg
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, and
// "internal" otherwise.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return "internal"
}

// errorf builds an invalid-input error at a place.
func errorf(file string, line, col int, colName, key string, args ...any) *Error {
	return &Error{Code: EINVALID, File: file, Line: line, Column: col, ColumnName: colName, Key: key, Args: args}
}

// Message is a translatable text: a catalogue key and its arguments.
type Message struct {
	Key  string `json:"key"`
	Args []any  `json:"args,omitempty"`
}

// Text renders m in lang.
func (m Message) Text(lang i18n.Lang) string { return i18n.T(lang, m.Key, m.Args...) }

// String renders m in English, for debugging.
func (m Message) String() string { return fmt.Sprint(m.Text(i18n.EN)) }
