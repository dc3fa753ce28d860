// Package token makes the random secrets Atelier hands out (login cookies,
// CSRF tokens, participant cookies, invitation and setup links) and the
// hashes it keeps of them instead. A copy of the database must never be
// enough to act as someone.
package token

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// New returns 32 random bytes, URL-safe base64 encoded (43 characters).
func New() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails: crypto/rand panics rather than return short
	return base64.RawURLEncoding.EncodeToString(b)
}

// Hash returns the SHA-256 of a token, the form in which it is stored.
func Hash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
