package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"atelier/internal/apperr"
	"atelier/internal/token"
	"atelier/store"
)

// LinkKind is what a one-time link is for.
type LinkKind string

// The one-time links. Atelier sends no e-mail (workshop rooms are offline):
// an administrator hands an invitation or reset link over in person, and the
// setup link is printed by `atelier serve` on the first start.
const (
	LinkSetup  LinkKind = "setup"  // the first administrator chooses an e-mail address and password
	LinkInvite LinkKind = "invite" // a new account chooses its password
	LinkReset  LinkKind = "reset"  // an account chooses a new password
)

// How long links stay valid.
const (
	SetupLinkLifetime = time.Hour
	LinkLifetime      = 7 * 24 * time.Hour
)

// Link is a one-time link that has not been used and has not expired.
type Link struct {
	Kind    LinkKind
	User    *User // the account it is for; nil for setup
	Expires time.Time
}

// StartSetup makes the setup link of a first start, when no administrator
// exists yet: it returns the token (the only copy; the database keeps a
// hash) and when it expires. Earlier setup links stop working. When an
// administrator exists it returns "" and makes nothing.
func (s *Store) StartSetup(ctx context.Context) (string, time.Time, error) {
	var tok string
	var expires time.Time
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		var admins int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin'`).Scan(&admins); err != nil {
			return fmt.Errorf("count administrators: %w", err)
		}
		if admins > 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM account_links WHERE kind = 'setup'`); err != nil {
			return fmt.Errorf("end old setup links: %w", err)
		}
		var err error
		if tok, expires, err = insertLink(ctx, tx, LinkSetup, 0, SetupLinkLifetime); err != nil {
			return err
		}
		return store.Audit(ctx, tx, store.Event{Action: "setup.link", Object: "setup", Result: "ok", Origin: "system", Actor: "system"})
	})
	return tok, expires, err
}

// CheckLink returns the link with that token, or says why it does not
// work: unknown (NotFound), used or expired (Gone), for a disabled account
// (Forbidden). A setup link after the setup is over is not found, whatever
// its token: the setup page is gone.
func (s *Store) CheckLink(ctx context.Context, tok string, kind LinkKind) (*Link, error) {
	if kind == LinkSetup {
		if done, err := s.HasAdmin(ctx); err != nil || done {
			if err == nil {
				err = apperr.New(apperr.NotFound, "setup.done")
			}
			return nil, err
		}
	}
	var (
		k               string
		userID          sql.NullInt64
		expires, usedAt store.Time
	)
	err := s.db.Read.QueryRowContext(ctx, `SELECT kind, user_id, expires_at, used_at FROM account_links WHERE token_hash = ?`,
		token.Hash(tok)).Scan(&k, &userID, &expires, &usedAt)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !sameFamily(LinkKind(k), kind) {
		return nil, apperr.New(apperr.NotFound, "links.unknown")
	}
	if err != nil {
		return nil, fmt.Errorf("read link: %w", err)
	}
	l := &Link{Kind: LinkKind(k), Expires: expires.Time}
	if err := linkUsable(kind, usedAt, expires, s.db.Now()); err != nil {
		return nil, err
	}
	if userID.Valid {
		if l.User, err = s.User(ctx, userID.Int64); err != nil {
			return nil, err
		}
		if l.User.Disabled {
			return nil, apperr.New(apperr.Forbidden, "links.disabled")
		}
	}
	return l, nil
}

// sameFamily: the invitation page takes invitation and reset links alike;
// the setup page only setup links.
func sameFamily(got, want LinkKind) bool {
	return got == want || got != LinkSetup && want != LinkSetup
}

// linkUsable says why a link found in the database no longer works.
func linkUsable(kind LinkKind, usedAt, expires, now store.Time) error {
	switch {
	case !usedAt.IsZero():
		return apperr.New(apperr.Gone, "links.used")
	case !now.Before(expires.Time) && kind == LinkSetup:
		return apperr.New(apperr.Gone, "setup.expired")
	case !now.Before(expires.Time):
		return apperr.New(apperr.Gone, "links.expired")
	}
	return nil
}

// CompleteSetup creates the first administrator through the setup link and
// logs them in. The link works once, and only while no administrator
// exists.
func (s *Store) CompleteSetup(ctx context.Context, tok, email, password string) (*Session, error) {
	email, err := normaliseEmail(email)
	if err != nil {
		return nil, err
	}
	hash, err := s.hashNewPassword(ctx, password)
	if err != nil {
		return nil, err
	}
	var sess *Session
	var id int64
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		var admins int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin'`).Scan(&admins); err != nil {
			return fmt.Errorf("count administrators: %w", err)
		}
		if admins > 0 {
			return apperr.New(apperr.NotFound, "setup.done")
		}
		if _, err := useLink(ctx, tx, tok, LinkSetup); err != nil {
			return err
		}
		u, err := insertUser(ctx, tx, email, Admin, hash)
		if err != nil {
			return err
		}
		id = u.ID
		if _, err := tx.ExecContext(ctx, `DELETE FROM account_links WHERE kind = 'setup' AND used_at IS NULL`); err != nil {
			return fmt.Errorf("end setup links: %w", err)
		}
		if sess, err = s.startSession(ctx, tx, id, ""); err != nil {
			return err
		}
		return store.Audit(ctx, tx, store.Event{Action: "user.create", Object: fmt.Sprintf("user:%d role:admin", id),
			Result: "ok", Origin: "setup", Actor: fmt.Sprintf("user:%d", id)})
	})
	if err != nil {
		return nil, err
	}
	sess.User, err = s.userByID(ctx, id)
	return sess, err
}

// Invite adds an account without a password and returns its invitation
// link's token (the only copy) and when the link expires. The invitee
// chooses a password through the link.
func (s *Store) Invite(ctx context.Context, email string, role Role, by Actor) (*User, string, time.Time, error) {
	email, err := normaliseEmail(email)
	if err != nil {
		return nil, "", time.Time{}, err
	}
	if !role.Valid() {
		return nil, "", time.Time{}, apperr.New(apperr.Invalid, "accounts.role_invalid", string(role))
	}
	var (
		u       *User
		tok     string
		expires time.Time
	)
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if u, err = insertUser(ctx, tx, email, role, ""); err != nil {
			return err
		}
		if tok, expires, err = insertLink(ctx, tx, LinkInvite, u.ID, LinkLifetime); err != nil {
			return err
		}
		return store.Audit(ctx, tx, store.Event{Action: "user.invite", Object: fmt.Sprintf("user:%d role:%s", u.ID, role),
			Result: "ok", Origin: by.Origin, Actor: by.Name})
	})
	if err != nil {
		return nil, "", time.Time{}, err
	}
	u.LinkExpires = expires
	return u, tok, expires, nil
}

// ResetLink gives an account a new one-time link. The account's password
// stops working and its browser sessions end at once; earlier links stop
// working too. An account that never chose a password gets a new
// invitation. A disabled account must be enabled first.
func (s *Store) ResetLink(ctx context.Context, userID int64, by Actor) (*User, string, time.Time, error) {
	var (
		u       *User
		tok     string
		expires time.Time
	)
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if u, err = userInTx(ctx, tx, userID); err != nil {
			return err
		}
		if u.Disabled {
			return apperr.New(apperr.Conflict, "accounts.reset_disabled")
		}
		kind, action := LinkReset, "user.reset"
		if u.Invited {
			kind, action = LinkInvite, "user.reinvite"
		}
		for _, q := range []string{
			`UPDATE users SET password_hash = '' WHERE id = ?`,
			`DELETE FROM login_sessions WHERE user_id = ?`,
			`DELETE FROM account_links WHERE user_id = ? AND used_at IS NULL`,
		} {
			if _, err := tx.ExecContext(ctx, q, userID); err != nil {
				return fmt.Errorf("reset: %w", err)
			}
		}
		if tok, expires, err = insertLink(ctx, tx, kind, userID, LinkLifetime); err != nil {
			return err
		}
		return store.Audit(ctx, tx, store.Event{Action: action, Object: fmt.Sprintf("user:%d", userID),
			Result: "ok", Origin: by.Origin, Actor: by.Name})
	})
	if err != nil {
		return nil, "", time.Time{}, err
	}
	u.Invited, u.LinkExpires = true, expires
	return u, tok, expires, nil
}

// AcceptLink sets the password of an invited or reset account through its
// link and logs it in. Every other session of the account ends, and so
// does the browser session whose cookie is replaces.
func (s *Store) AcceptLink(ctx context.Context, tok, password, replaces string) (*Session, error) {
	hash, err := s.hashNewPassword(ctx, password)
	if err != nil {
		return nil, err
	}
	var sess *Session
	var id int64
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if id, err = useLink(ctx, tx, tok, LinkInvite); err != nil {
			return err
		}
		u, err := userInTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if u.Disabled {
			return apperr.New(apperr.Forbidden, "links.disabled")
		}
		for _, q := range []string{
			`DELETE FROM login_sessions WHERE user_id = ?`,
			`DELETE FROM account_links WHERE user_id = ? AND used_at IS NULL`,
		} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return fmt.Errorf("accept link: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, id); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if sess, err = s.startSession(ctx, tx, id, replaces); err != nil {
			return err
		}
		return store.Audit(ctx, tx, store.Event{Action: "user.password_set", Object: fmt.Sprintf("user:%d", id),
			Result: "ok", Origin: "web", Actor: fmt.Sprintf("user:%d", id)})
	})
	if err != nil {
		return nil, err
	}
	sess.User, err = s.userByID(ctx, id)
	return sess, err
}

// insertLink stores a new link's hash and returns the token.
func insertLink(ctx context.Context, tx *store.Tx, kind LinkKind, userID int64, life time.Duration) (string, time.Time, error) {
	tok := token.New()
	expires := store.At(tx.Now.Add(life))
	var user any
	if userID != 0 {
		user = userID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO account_links (token_hash, kind, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		token.Hash(tok), string(kind), user, tx.Now, expires); err != nil {
		return "", time.Time{}, fmt.Errorf("insert link: %w", err)
	}
	return tok, expires.Time, nil
}

// useLink marks a usable link of the kind's family as used and returns its
// account (0 for setup).
func useLink(ctx context.Context, tx *store.Tx, tok string, kind LinkKind) (int64, error) {
	var (
		k               string
		userID          sql.NullInt64
		expires, usedAt store.Time
	)
	err := tx.QueryRowContext(ctx, `SELECT kind, user_id, expires_at, used_at FROM account_links WHERE token_hash = ?`,
		token.Hash(tok)).Scan(&k, &userID, &expires, &usedAt)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !sameFamily(LinkKind(k), kind) {
		return 0, apperr.New(apperr.NotFound, "links.unknown")
	}
	if err != nil {
		return 0, fmt.Errorf("read link: %w", err)
	}
	if err := linkUsable(kind, usedAt, expires, tx.Now); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE account_links SET used_at = ? WHERE token_hash = ?`, tx.Now, token.Hash(tok)); err != nil {
		return 0, fmt.Errorf("use link: %w", err)
	}
	return userID.Int64, nil
}
