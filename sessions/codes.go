package sessions

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math/big"
	"strings"

	"atelier/internal/apperr"
	"atelier/store"
)

// Join codes. The database keeps only a hash of a code; the plain code of
// an open session lives in memory, for the facilitator's screen.

func codeHash(code string) string {
	h := sha256.Sum256([]byte("atelier-join-code:" + code))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// codeAlphabet has no look-alikes (0/O, 1/I/L, 5/S, 2/Z, 8/B): easy to
// read off a wall and type on a phone.
const codeAlphabet = "ACDEFGHJKMNPQRTUVWXY34679"

// CodeLength is the length of a join code: 25^8 ≈ 1.5·10^11 codes. With the
// server evaluating at most 500 codes a second, a guesser needs more than a
// month on average to hit one of 100 open sessions (server/join_gate.go).
const CodeLength = 8

func newCode() string {
	b := make([]byte, CodeLength)
	for i := range b {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(codeAlphabet))))
		b[i] = codeAlphabet[n.Int64()]
	}
	return string(b)
}

// FormatCode writes a code as it is read aloud and typed: two groups of
// four ("KM7Q X9AP"). NormaliseCode takes the space out again.
func FormatCode(code string) string {
	if len(code) != CodeLength {
		return code
	}
	return code[:CodeLength/2] + " " + code[CodeLength/2:]
}

// NormaliseCode turns what someone typed into a code: upper case, without
// spaces or dashes, with look-alikes read as what they must have meant.
func NormaliseCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case ' ', '-', '.':
			continue
		case 'O', '0':
			r = 'D' // never in a code: the nearest shape that is
		}
		b.WriteRune(r)
	}
	return b.String()
}

// setCode gives an open session a fresh code, storing only its hash.
func (s *Store) setCode(ctx context.Context, tx *store.Tx, id int64) error {
	for try := 0; ; try++ {
		code := newCode()
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET state = 'open', code = ?, opened_at = COALESCE(opened_at, ?) WHERE id = ?`,
			codeHash(code), tx.Now, id)
		if err == nil {
			s.mu.Lock()
			s.codes[id] = code
			s.mu.Unlock()
			s.notify(id)
			return nil
		}
		if try > 5 || !store.IsUnique(err) {
			return fmt.Errorf("set join code: %w", err)
		}
	}
}

// Code returns the join code of an open session, giving it a new one when
// this process does not know it (after a restart).
func (s *Store) Code(ctx context.Context, id int64) (string, error) {
	s.mu.Lock()
	code, ok := s.codes[id]
	s.mu.Unlock()
	if ok {
		return code, nil
	}
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		var state string
		if err := tx.QueryRowContext(ctx, `SELECT state FROM sessions WHERE id = ?`, id).Scan(&state); err != nil {
			return err
		}
		if State(state) != Open {
			return apperr.New(apperr.Conflict, "sessions.not_open")
		}
		return s.setCode(ctx, tx, id)
	})
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.codes[id], nil
}
