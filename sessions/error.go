package sessions

import (
	"fmt"

	"atelier/i18n"
)

// Error codes. They double as the protocol's error codes (docs/protocol.md)
// and map to HTTP statuses in the server.
const (
	EInvalid     = "invalid"
	EForbidden   = "forbidden"
	ENotFound    = "not_found"
	EConflict    = "conflict"
	EBudget      = "budget"
	ERateLimited = "rate_limited"
	ETooMany     = "too_many"
)

// Error is a session failure a person may see.
type Error struct {
	Code string
	Key  string
	Args []any
}

func errorf(code, key string, args ...any) *Error { return &Error{Code: code, Key: key, Args: args} }

func (e *Error) Error() string { return fmt.Sprintf("sessions: %s", i18n.T(i18n.EN, e.Key, e.Args...)) }

// ErrorCode returns the machine-readable code.
func (e *Error) ErrorCode() string { return e.Code }

// Message returns the text for a person in lang.
func (e *Error) Message(lang i18n.Lang) string { return i18n.T(lang, e.Key, e.Args...) }
