package store

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// TimeFormat is how times are stored: RFC 3339 in UTC sorts as text.
const TimeFormat = time.RFC3339

// Time is a time as the database stores it: UTC, whole seconds, RFC 3339
// text. It scans and values itself, so that no query formats or parses a
// time by hand. The zero Time is stored as NULL and NULL (or an empty text)
// scans as the zero Time.
type Time struct{ time.Time }

// At returns t as a stored Time: in UTC, truncated to the second.
func At(t time.Time) Time {
	if t.IsZero() {
		return Time{}
	}
	return Time{t.UTC().Truncate(time.Second)}
}

// Now is the clock used for stored times.
func Now() Time { return At(time.Now()) }

// Value implements driver.Valuer.
func (t Time) Value() (driver.Value, error) {
	if t.IsZero() {
		return nil, nil
	}
	return t.UTC().Format(TimeFormat), nil
}

// Scan implements sql.Scanner. A text that is not a time is an error, not a
// silent zero.
func (t *Time) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*t = Time{}
		return nil
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	case time.Time:
		*t = At(v)
		return nil
	}
	return fmt.Errorf("store: cannot scan %T into a time", src)
}

func (t *Time) parse(s string) error {
	if s == "" {
		*t = Time{}
		return nil
	}
	v, err := time.Parse(TimeFormat, s)
	if err != nil {
		return fmt.Errorf("store: stored time %q: %w", s, err)
	}
	*t = At(v)
	return nil
}

// String is the stored form, for logs and tests.
func (t Time) String() string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(TimeFormat)
}

// IsUnique reports whether err is SQLite refusing a row because a UNIQUE or
// PRIMARY KEY constraint would break, judged by the driver's extended error
// code rather than by the message text.
func IsUnique(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return true
	}
	return false
}
