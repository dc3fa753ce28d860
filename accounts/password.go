package accounts

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"atelier/internal/apperr"
)

// PasswordCost is what one argon2id hash costs: memory and passes. New
// hashes are made at a store's cost; a stored hash is checked at the cost
// written in it, so old hashes keep working after a change.
type PasswordCost struct {
	MemoryKiB uint32
	Passes    uint32
}

// defaultPasswordCost is OWASP's second recommended set (19 MiB, 2 passes,
// 1 lane). It keeps a login around 30 ms on a 2-core machine while still
// costing an attacker memory per guess. Every store uses it unless a test
// lowers it with SetPasswordCost.
var defaultPasswordCost = PasswordCost{MemoryKiB: 19 * 1024, Passes: 2}

const (
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// MinPasswordLength is the shortest password accepted for an account.
const MinPasswordLength = 10

// HashPassword returns an encoded argon2id hash in the PHC string format,
// at the default cost.
func HashPassword(password string) (string, error) {
	return defaultPasswordCost.hash(password)
}

func (c PasswordCost) hash(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, c.Passes, c.MemoryKiB, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, c.MemoryKiB, c.Passes, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches encoded. The parameters
// are read from the hash, so old hashes keep working after a change.
func CheckPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var mem, iter uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iter, &threads); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, iter, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash returns what a login is checked against when its account does
// not exist (or has no password yet), so that the answer takes as long as
// for a real account and does not reveal which e-mail addresses have one.
// It is made at the store's cost on first use: every command would pay for
// it at start otherwise.
func (s *Store) dummyHash() string {
	s.dummyOnce.Do(func() { s.dummy, _ = s.cost.hash("atelier-no-such-account") })
	return s.dummy
}

// hashing bounds how many password hashes run at once. argon2id costs 19
// MiB and tens of milliseconds each: a flood of logins (on made-up
// addresses, which are hashed too so that they take as long as real ones)
// must queue for the processor, not exhaust memory or lock anyone out.
var hashing = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))

// hashWait is how long a login may wait for a hashing slot before it is
// told to try again.
const hashWait = 10 * time.Second

// withHashing runs fn in a hashing slot, or reports that the server is too
// busy.
func withHashing(ctx context.Context, fn func()) error {
	t := time.NewTimer(hashWait)
	defer t.Stop()
	select {
	case hashing <- struct{}{}:
	case <-t.C:
		e := apperr.New(apperr.TooMany, "accounts.busy")
		e.RetryAfter = 2 * time.Second
		return e
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-hashing }()
	fn()
	return nil
}
