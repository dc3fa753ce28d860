package accounts

import (
	"fmt"

	"atelier/i18n"
)

// Error codes shared with the HTTP layer, which maps them to statuses.
const (
	EInvalid      = "invalid"
	EUnauthorized = "unauthorized"
	ENotFound     = "not_found"
	EConflict     = "conflict"
	ETooMany      = "too_many"
)

// Error is an accounts failure a person may see: a code for the program and
// a catalogue key for the person.
type Error struct {
	Code string
	Key  string
	Args []any
}

func errorf(code, key string, args ...any) *Error { return &Error{Code: code, Key: key, Args: args} }

func (e *Error) Error() string { return fmt.Sprintf("accounts: %s", i18n.T(i18n.EN, e.Key, e.Args...)) }

// ErrorCode returns the machine-readable code.
func (e *Error) ErrorCode() string { return e.Code }

// Message returns the text for a person in lang.
func (e *Error) Message(lang i18n.Lang) string { return i18n.T(lang, e.Key, e.Args...) }
