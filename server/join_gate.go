package server

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"time"

	"golang.org/x/time/rate"

	"atelier/accounts"
	"atelier/internal/apperr"
	"atelier/sessions"
)

// Joining by code must stay hopeless to guess and impossible to block.
//
// Guessing: a code is 8 characters from an alphabet of 25
// (sessions.CodeLength, 25^8 ≈ 1.5·10^11 codes), and the server evaluates
// at most joinRate codes a second in total, whoever sends them. With 100
// sessions open, a guesser needs about 1.5·10^11 / 101 ≈ 1.5·10^9 guesses
// on average, which at 500 a second takes 3.0·10^6 s: 35 days, in which
// every one of those sessions would have long been closed (a code lives
// only while its session is open). docs/security.md has the arithmetic.
//
// Blocking: no number of wrong codes locks anyone else out. There is no
// lock per network address (a room shares one) and none for everyone; a
// visitor who types ten wrong codes waits, alone. Past the global rate,
// typed codes are answered 429 with Retry-After: 1 and the phone tries
// again; people who scan the wall's QR code carry a ticket (an HMAC of
// the code under a key that lives only in this process) and are never
// rate-limited: a forged ticket costs one HMAC and says nothing about
// whether a code is open, so the ticket path leaks nothing.
const (
	joinRate  = 500  // codes evaluated per second, in total
	joinBurst = 1000 // codes that may be evaluated at once
)

// joinGate decides whether a join attempt may have its code evaluated.
type joinGate struct {
	limit    *rate.Limiter
	visitors *accounts.Throttle // wrong codes per visitor cookie
	key      []byte
}

func newJoinGate() *joinGate {
	key := make([]byte, 32)
	rand.Read(key)
	return &joinGate{limit: rate.NewLimiter(joinRate, joinBurst), visitors: accounts.NewThrottleWith(10*time.Minute, 10), key: key}
}

// ticket is what the QR code of an open session carries beside its code.
func (g *joinGate) ticket(code string) string {
	m := hmac.New(sha256.New, g.key)
	m.Write([]byte(sessions.NormaliseCode(code)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// admit reports whether an attempt from visitor with code (and ticket, if
// it came from a QR code) may be evaluated now, or how long to wait.
func (g *joinGate) admit(visitor, code, ticket string, now time.Time) error {
	if ticket != "" && hmac.Equal([]byte(ticket), []byte(g.ticket(code))) {
		return nil
	}
	if blocked, wait := g.visitors.Blocked(visitor, now); blocked {
		e := apperr.New(apperr.TooMany, "sessions.join_throttled")
		e.RetryAfter = wait
		return e
	}
	if r := g.limit.ReserveN(now, 1); r.DelayFrom(now) > 0 {
		r.CancelAt(now)
		e := apperr.New(apperr.TooMany, "sessions.join_busy")
		e.RetryAfter = time.Second
		return e
	}
	return nil
}

// wrong records a wrong code from visitor.
func (g *joinGate) wrong(visitor string, now time.Time) { g.visitors.Fail(visitor, now) }
