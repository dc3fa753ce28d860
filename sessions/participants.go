package sessions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"atelier/internal/apperr"
	"atelier/internal/token"
	"atelier/store"
)

// Role is what a participant says they are. It is chosen, not checked.
type Role string

// Participant roles.
const (
	Professional Role = "professional"
	Parent       Role = "parent"
	Youth        Role = "youth"
	Other        Role = "other"
)

// Roles lists the participant roles.
var Roles = []Role{Professional, Parent, Youth, Other}

func (r Role) valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Participant is an anonymous person in a session.
type Participant struct {
	ID        int64
	SessionID int64
	Pseudonym string
	Role      Role
}

// Join adds an anonymous participant to the open session with code. The
// returned token goes into the participant's cookie; only its hash is
// stored.
func (s *Store) Join(ctx context.Context, code string, role Role) (*Session, *Participant, string, error) {
	if !role.valid() {
		return nil, nil, "", apperr.New(apperr.Invalid, "sessions.role_invalid")
	}
	code = NormaliseCode(code)
	var id int64
	err := s.db.Read.QueryRowContext(ctx, `SELECT id FROM sessions WHERE code = ? AND state = 'open'`, codeHash(code)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) || len(code) != CodeLength {
		return nil, nil, "", apperr.New(apperr.NotFound, "sessions.code_unknown")
	}
	if err != nil {
		return nil, nil, "", fmt.Errorf("look up code: %w", err)
	}
	sess, err := s.Get(ctx, id)
	if err != nil {
		return nil, nil, "", err
	}
	secret := token.New()
	p := &Participant{SessionID: id, Role: role}
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		for try := 0; try < 20; try++ {
			p.Pseudonym = pseudonym(sess.Lang, try)
			err := tx.QueryRowContext(ctx, `INSERT INTO participants (session_id, token_hash, pseudonym, role, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
				id, token.Hash(secret), p.Pseudonym, string(role), tx.Now).Scan(&p.ID)
			if err == nil {
				return nil
			}
			if !store.IsUnique(err) {
				return fmt.Errorf("insert participant: %w", err)
			}
		}
		return apperr.New(apperr.Conflict, "sessions.full")
	})
	if err != nil {
		return nil, nil, "", err
	}
	return sess, p, secret, nil
}

// ParticipantByToken returns the participant a cookie belongs to.
func (s *Store) ParticipantByToken(ctx context.Context, cookie string) (*Participant, error) {
	if cookie == "" {
		return nil, apperr.New(apperr.NotFound, "sessions.not_joined")
	}
	var p Participant
	var role string
	err := s.db.Read.QueryRowContext(ctx, `SELECT id, session_id, pseudonym, role FROM participants WHERE token_hash = ? AND removed = 0`, token.Hash(cookie)).
		Scan(&p.ID, &p.SessionID, &p.Pseudonym, &role)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "sessions.not_joined")
	}
	if err != nil {
		return nil, fmt.Errorf("look up participant: %w", err)
	}
	p.Role = Role(role)
	return &p, nil
}

// ParticipantInfo is a participant as the facilitator's list shows them.
type ParticipantInfo struct {
	ID        string `json:"id"` // "p7", as in the protocol
	Pseudonym string `json:"pseudonym"`
	Role      Role   `json:"role"`
	Removed   bool   `json:"removed"`
	Connected bool   `json:"connected"`
}

// Participants lists a session's participants in the order they joined.
// Connected is left for the caller, who knows the connections.
func (s *Store) Participants(ctx context.Context, sessionID int64) ([]ParticipantInfo, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT id, pseudonym, role, removed FROM participants WHERE session_id = ? ORDER BY id`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("list participants: %w", err)
	}
	defer rows.Close()
	out := []ParticipantInfo{}
	for rows.Next() {
		var p ParticipantInfo
		var id int64
		if err := rows.Scan(&id, &p.Pseudonym, &p.Role, &p.Removed); err != nil {
			return nil, err
		}
		p.ID = "p" + strconv.FormatInt(id, 10)
		out = append(out, p)
	}
	return out, rows.Err()
}
