// Package apperr is Atelier's one error vocabulary, shaped after wtf's
// error.go. Domain packages return an *Error with a code for the program and
// a catalogue key with arguments for a person; they never format text for a
// person themselves. The HTTP layer maps codes to statuses and translates the
// key in the viewer's language, the command line in the user's.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Code says what kind of failure an error is. The codes double as the JSON
// error codes of the API and the live protocol.
type Code string

// The codes. Internal is never returned by a domain on purpose: it is what
// any error without a code (a database failure, a bug) counts as, and its
// text is never shown to anyone.
const (
	Invalid      Code = "invalid"      // the input is malformed or breaks a rule
	Unauthorized Code = "unauthorized" // not logged in, or the credentials are wrong
	Forbidden    Code = "forbidden"    // logged in, but not allowed
	NotFound     Code = "not_found"    // nothing there, or nothing the caller may see
	Gone         Code = "gone"         // it was there once: a used or expired one-time link
	Conflict     Code = "conflict"     // the object is not in a state that allows it
	TooLarge     Code = "too_large"    // the input exceeds a size limit
	NotJSON      Code = "not_json"     // an API request without a JSON body
	TooMany      Code = "too_many"     // throttled: too many attempts
	RateLimited  Code = "rate_limited" // live ops sent faster than allowed
	Unsafe       Code = "unsafe"       // cannot be protected against disclosure
	Budget       Code = "budget"       // no votes left
	Internal     Code = "internal"     // anything else; never shown
)

// Error is a failure a person may be told about: a code, a message key of
// the i18n catalogue with its arguments, and for errors in an input file the
// place it concerns. Its arguments never hold a suppressed value, a single
// household's value or personal data.
type Error struct {
	Code Code
	Key  string
	Args []any
	At   *Pos
	// RetryAfter, for TooMany and RateLimited, is how long to wait before
	// trying again; zero when unknown.
	RetryAfter time.Duration
}

// Pos is a place in an input file: 1-based line and column (0 when the error
// concerns a whole row or file) and the name of the column or field.
type Pos struct {
	File   string
	Line   int
	Column int
	Field  string
}

// New returns an error with code, key and args.
func New(code Code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Error describes e for logs and tests: its code, key and arguments. People
// see the translated message instead.
func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Key
	if len(e.Args) > 0 {
		s += fmt.Sprint(e.Args)
	}
	if e.At != nil {
		s += fmt.Sprintf(" (%s line %d column %d %s)", e.At.File, e.At.Line, e.At.Column, e.At.Field)
	}
	return s
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// CodeOf returns the code of err: its *Error's code, "" for nil, and
// Internal for any other error.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	if e, ok := As(err); ok {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }

// Key is a catalogue key passed as an argument of another message, for
// example a state name inside "the set is already %s". The translator puts
// it into words in the same language as the message around it.
type Key string
