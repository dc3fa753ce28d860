package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"atelier/internal/apperr"
	"atelier/store"
)

// HasAdmin reports whether any administrator account exists, invited or
// not. Once one does, the first-run setup is over.
func (s *Store) HasAdmin(ctx context.Context) (bool, error) {
	var n int
	if err := s.db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin'`).Scan(&n); err != nil {
		return false, fmt.Errorf("count administrators: %w", err)
	}
	return n > 0, nil
}

// Admins lists the administrators who can log in, for people who need to
// know whom to ask.
func (s *Store) Admins(ctx context.Context) ([]User, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+userColumns+` FROM users
		WHERE role = 'admin' AND disabled_at IS NULL AND password_hash <> '' ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("query administrators: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *u)
	}
	return out, rows.Err()
}

// User returns the account with that id.
func (s *Store) User(ctx context.Context, id int64) (*User, error) {
	row := s.db.Read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id)
	u, err := scanUser(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "accounts.user_not_found")
	}
	return u, err
}

// Disable switches an account off: it can no longer log in, and its browser
// sessions end in the same transaction, so its next request is refused.
// Nobody disables themselves, and the last administrator who can log in
// stays. Disabling a disabled account changes nothing.
func (s *Store) Disable(ctx context.Context, userID int64, by Actor) error {
	if userID == by.UserID {
		return apperr.New(apperr.Conflict, "accounts.self_disable")
	}
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		u, err := userInTx(ctx, tx, userID)
		if err != nil || u.Disabled {
			return err
		}
		if u.Role == Admin {
			if err := keepAnAdmin(ctx, tx, userID); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = ? WHERE id = ?`, tx.Now, userID); err != nil {
			return fmt.Errorf("disable user: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_sessions WHERE user_id = ?`, userID); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return store.Audit(ctx, tx, store.Event{Action: "user.disable", Object: fmt.Sprintf("user:%d", userID),
			Result: "ok", Origin: by.Origin, Actor: by.Name})
	})
}

// Enable switches a disabled account on again. Its password (or its
// pending link) works as before.
func (s *Store) Enable(ctx context.Context, userID int64, by Actor) error {
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		u, err := userInTx(ctx, tx, userID)
		if err != nil || !u.Disabled {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = NULL WHERE id = ?`, userID); err != nil {
			return fmt.Errorf("enable user: %w", err)
		}
		return store.Audit(ctx, tx, store.Event{Action: "user.enable", Object: fmt.Sprintf("user:%d", userID),
			Result: "ok", Origin: by.Origin, Actor: by.Name})
	})
}

// userInTx reads an account inside a write transaction.
func userInTx(ctx context.Context, tx *store.Tx, id int64) (*User, error) {
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "accounts.user_not_found")
	}
	if err != nil {
		return nil, fmt.Errorf("read user: %w", err)
	}
	return u, nil
}

// keepAnAdmin refuses a change that would leave no administrator who can
// log in besides the account userID.
func keepAnAdmin(ctx context.Context, tx *store.Tx, userID int64) error {
	var others int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL
		AND password_hash <> '' AND id <> ?`, userID).Scan(&others)
	if err != nil {
		return fmt.Errorf("count administrators: %w", err)
	}
	if others == 0 {
		return apperr.New(apperr.Conflict, "accounts.last_admin")
	}
	return nil
}
