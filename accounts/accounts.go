// Package accounts holds the people who log in (administrators, stewards,
// facilitators and policymakers), their passwords, their browser sessions
// and the login throttle. Workshop participants have no account; they live
// in package sessions.
package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"time"

	"atelier/internal/apperr"
	"atelier/internal/token"
	"atelier/store"
)

// Role is what an account may do.
type Role string

// The roles of DESIGN.md. Participants are not accounts.
const (
	Admin       Role = "admin"
	Steward     Role = "steward"
	Facilitator Role = "facilitator"
	Policymaker Role = "policymaker"
)

// Roles lists every account role.
var Roles = []Role{Admin, Steward, Facilitator, Policymaker}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// User is an account.
type User struct {
	ID        int64
	Email     string
	Role      Role
	CreatedAt time.Time
	// Disabled accounts cannot log in; an administrator switched them off.
	Disabled bool
	// Invited accounts have no password yet: they wait for their one-time
	// link (see Invite and ResetLink).
	Invited bool
	// LinkExpires is when the account's newest unused link ends; zero when
	// it has none. Only Users fills it in.
	LinkExpires time.Time
}

// Session is a logged-in browser: the cookie value (given once, stored only
// as a hash) and its CSRF token.
type Session struct {
	Token   string
	CSRF    string
	User    *User
	Expires time.Time
}

// SessionLifetime is how long a login lasts: a long workshop day.
const SessionLifetime = 12 * time.Hour

// Store keeps accounts in SQLite.
type Store struct {
	db       *store.DB
	throttle *Throttle
	now      func() time.Time

	cost      PasswordCost
	dummyOnce sync.Once
	dummy     string
}

// NewStore returns a Store over db with its own login throttle, hashing
// passwords at defaultPasswordCost.
func NewStore(db *store.DB) *Store {
	return &Store{db: db, throttle: NewThrottle(), now: time.Now, cost: defaultPasswordCost}
}

// SetPasswordCost changes the cost of the hashes the store makes from now
// on, its unknown-account check included. Tests lower it: under the race
// detector one hash at the default cost takes most of a second. The
// command line and the server never call it.
func (s *Store) SetPasswordCost(c PasswordCost) { s.cost = c }

// Actor says who did something and through which channel, for the audit
// trail. Origin is "web", "cli" or "system", never an address. UserID is
// the acting account, 0 for the command line and the system: rules such as
// "an administrator does not disable themselves" need it.
type Actor struct {
	Name   string
	Origin string
	UserID int64
}

func normaliseEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || len(email) > 254 {
		return "", apperr.New(apperr.Invalid, "accounts.email_invalid")
	}
	return strings.ToLower(email), nil
}

// CreateUser adds an account. The password is hashed with argon2id; the
// plain text goes no further.
func (s *Store) CreateUser(ctx context.Context, email string, role Role, password string, by Actor) (*User, error) {
	email, err := normaliseEmail(email)
	if err != nil {
		return nil, err
	}
	if !role.Valid() {
		return nil, apperr.New(apperr.Invalid, "accounts.role_invalid", string(role))
	}
	hash, err := s.hashNewPassword(ctx, password)
	if err != nil {
		return nil, err
	}
	var u *User
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		u, err = insertUser(ctx, tx, email, role, hash)
		if err != nil {
			return err
		}
		return store.Audit(ctx, tx, store.Event{Action: "user.create", Object: fmt.Sprintf("user:%d role:%s", u.ID, role),
			Result: "ok", Origin: by.Origin, Actor: by.Name})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// checkPassword says what is wrong with a password someone chose, if
// anything.
func checkPassword(password string) error {
	if len([]rune(password)) < MinPasswordLength {
		return apperr.New(apperr.Invalid, "accounts.password_short", MinPasswordLength)
	}
	if len(password) > 1024 {
		return apperr.New(apperr.Invalid, "accounts.password_long")
	}
	return nil
}

// hashNewPassword checks a chosen password and hashes it in a hashing slot.
func (s *Store) hashNewPassword(ctx context.Context, password string) (string, error) {
	if err := checkPassword(password); err != nil {
		return "", err
	}
	var (
		hash string
		err  error
	)
	if herr := withHashing(ctx, func() { hash, err = s.cost.hash(password) }); herr != nil {
		return "", herr
	}
	return hash, err
}

// insertUser adds an account row; hash is "" for an account that still
// has to choose its password.
func insertUser(ctx context.Context, tx *store.Tx, email string, role Role, hash string) (*User, error) {
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE email = ?`, email).Scan(&exists); err != nil {
		return nil, fmt.Errorf("check user: %w", err)
	}
	if exists > 0 {
		return nil, apperr.New(apperr.Conflict, "accounts.email_taken")
	}
	u := &User{Email: email, Role: role, CreatedAt: tx.Now.Time, Invited: hash == ""}
	err := tx.QueryRowContext(ctx, `INSERT INTO users (email, role, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		email, string(role), hash, tx.Now).Scan(&u.ID)
	if err != nil {
		return nil, fmt.Errorf("insert user: %w", err)
	}
	return u, nil
}

// SetRole changes an account's role; role changes are security events.
// The last administrator who can log in keeps the role, so that an install
// never locks itself out. Project memberships in the old role follow the
// account into the new one; memberships narrowed to reading stay narrow.
func (s *Store) SetRole(ctx context.Context, userID int64, role Role, by Actor) error {
	if !role.Valid() {
		return apperr.New(apperr.Invalid, "accounts.role_invalid", string(role))
	}
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		target, err := userInTx(ctx, tx, userID)
		if err != nil {
			return err
		}
		if target.Role == Admin && role != Admin {
			if err := keepAnAdmin(ctx, tx, userID); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET role = ? WHERE id = ?`, string(role), userID); err != nil {
			return fmt.Errorf("update role: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE project_members SET role = ? WHERE user_id = ? AND role = ?`,
			string(role), userID, string(target.Role)); err != nil {
			return fmt.Errorf("update memberships: %w", err)
		}
		// Sessions end on a role change so that new rights take effect at once.
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_sessions WHERE user_id = ?`, userID); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return store.Audit(ctx, tx, store.Event{Action: "user.role_change", Object: fmt.Sprintf("user:%d role:%s", userID, role),
			Result: "ok", Origin: by.Origin, Actor: by.Name})
	})
}

// Users lists every account by e-mail address, with the end of its newest
// unused link.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+userColumns+`,
		(SELECT MAX(l.expires_at) FROM account_links l WHERE l.user_id = users.id AND l.used_at IS NULL)
		FROM users ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("query users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		var role string
		var created, link store.Time
		if err := rows.Scan(&u.ID, &u.Email, &role, &created, &u.Disabled, &u.Invited, &link); err != nil {
			return nil, err
		}
		u.Role, u.CreatedAt, u.LinkExpires = Role(role), created.Time, link.Time
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUsers returns how many accounts exist.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

// UserByEmail returns the account with that address.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	row := s.db.Read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, strings.TrimSpace(email))
	u, err := scanUser(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "accounts.user_not_found")
	}
	return u, err
}

type scanner interface{ Scan(...any) error }

// userColumns are the columns scanUser reads, in its order.
const userColumns = `id, email, role, created_at, disabled_at IS NOT NULL, password_hash = ''`

func scanUser(r scanner) (*User, error) {
	var u User
	var role string
	var created store.Time
	if err := r.Scan(&u.ID, &u.Email, &role, &created, &u.Disabled, &u.Invited); err != nil {
		return nil, err
	}
	u.Role, u.CreatedAt = Role(role), created.Time
	return &u, nil
}

// Login checks a password and, when it matches, starts a new session. Five
// failures for one account within fifteen minutes block further tries
// (ETooMany) until the window passes, whatever the password. replaces is
// the cookie of the browser session this login takes the place of, if any:
// it ends, so that an old cookie stops working once someone logs in again.
// A disabled account is told so, but only after the right password.
func (s *Store) Login(ctx context.Context, email, password, replaces string) (*Session, error) {
	key := strings.ToLower(strings.TrimSpace(email))
	now := s.now()
	if blocked, wait := s.throttle.Blocked(key, now); blocked {
		minutes := int(wait.Minutes()) + 1
		// Not the typed address: it may belong to no account, and then it is
		// just something a stranger typed.
		s.audit(ctx, "login", "account", "throttled", "anonymous")
		e := apperr.New(apperr.TooMany, "accounts.login_throttled", minutes)
		e.RetryAfter = wait
		return nil, e
	}
	var (
		id       int64
		hash     string
		disabled bool
	)
	err := s.db.Read.QueryRowContext(ctx, `SELECT id, password_hash, disabled_at IS NOT NULL FROM users WHERE email = ?`, key).
		Scan(&id, &hash, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		// Hash anyway, so that an unknown address takes as long as a known
		// one and cannot be told apart.
		if herr := withHashing(ctx, func() { CheckPassword(s.dummyHash(), password) }); herr != nil {
			return nil, herr
		}
		s.throttle.Fail(key, now)
		s.audit(ctx, "login", "account", "failure", "unknown")
		return nil, apperr.New(apperr.Unauthorized, "accounts.login_failed")
	}
	if err != nil {
		return nil, fmt.Errorf("look up user: %w", err)
	}
	var ok bool
	invited := hash == ""
	if invited {
		// An invited account has no password yet; checking against the
		// dummy hash keeps it as slow as any other.
		hash = s.dummyHash()
	}
	if herr := withHashing(ctx, func() { ok = CheckPassword(hash, password) && !invited }); herr != nil {
		return nil, herr
	}
	if !ok {
		s.throttle.Fail(key, now)
		s.audit(ctx, "login", fmt.Sprintf("user:%d", id), "failure", fmt.Sprintf("user:%d", id))
		return nil, apperr.New(apperr.Unauthorized, "accounts.login_failed")
	}
	s.throttle.Reset(key)
	if disabled {
		s.audit(ctx, "login", fmt.Sprintf("user:%d", id), "disabled", fmt.Sprintf("user:%d", id))
		return nil, apperr.New(apperr.Unauthorized, "accounts.disabled")
	}

	var sess *Session
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if sess, err = s.startSession(ctx, tx, id, replaces); err != nil {
			return err
		}
		return store.Audit(ctx, tx, store.Event{Action: "login", Object: fmt.Sprintf("user:%d", id), Result: "success",
			Origin: "web", Actor: fmt.Sprintf("user:%d", id)})
	})
	if err != nil {
		return nil, err
	}
	sess.User, err = s.userByID(ctx, id)
	return sess, err
}

// startSession opens a browser session for an account inside tx, ending the
// session whose cookie is replaces (if any). The caller fills in User after
// the commit.
func (s *Store) startSession(ctx context.Context, tx *store.Tx, userID int64, replaces string) (*Session, error) {
	sess := &Session{Token: token.New(), CSRF: token.New(), Expires: store.At(s.now().Add(SessionLifetime)).Time}
	// Expired sessions are swept here rather than by a timer: logins are
	// frequent enough and it keeps the table small.
	if _, err := tx.ExecContext(ctx, `DELETE FROM login_sessions WHERE expires_at < ?`, store.At(s.now())); err != nil {
		return nil, fmt.Errorf("sweep sessions: %w", err)
	}
	if replaces != "" {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_sessions WHERE token_hash = ?`, token.Hash(replaces)); err != nil {
			return nil, fmt.Errorf("end replaced session: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO login_sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		token.Hash(sess.Token), userID, sess.CSRF, tx.Now, store.At(sess.Expires)); err != nil {
		return nil, fmt.Errorf("insert session: %w", err)
	}
	return sess, nil
}

// audit records a security event outside a transaction; failing to record
// is logged by the caller's error path, not fatal for the attempt itself.
func (s *Store) audit(ctx context.Context, action, object, result, actor string) {
	_ = store.Audit(ctx, s.db.Write, store.Event{Action: action, Object: object, Result: result, Origin: "web", Actor: actor})
}

// SessionByToken returns the live session for a cookie value.
func (s *Store) SessionByToken(ctx context.Context, cookie string) (*Session, error) {
	if cookie == "" {
		return nil, apperr.New(apperr.Unauthorized, "accounts.not_logged_in")
	}
	var (
		id      int64
		csrf    string
		expires store.Time
	)
	// A disabled account's sessions are deleted when it is disabled; the
	// join keeps it out even so.
	err := s.db.Read.QueryRowContext(ctx, `SELECT s.user_id, s.csrf, s.expires_at FROM login_sessions s
		JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND u.disabled_at IS NULL`,
		token.Hash(cookie)).Scan(&id, &csrf, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.Unauthorized, "accounts.not_logged_in")
	}
	if err != nil {
		return nil, fmt.Errorf("look up session: %w", err)
	}
	exp := expires.Time
	if !s.now().Before(exp) {
		return nil, apperr.New(apperr.Unauthorized, "accounts.not_logged_in")
	}
	u, err := s.userByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return &Session{Token: cookie, CSRF: csrf, User: u, Expires: exp}, nil
}

// Logout ends the session with that cookie value.
func (s *Store) Logout(ctx context.Context, cookie string) error {
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `DELETE FROM login_sessions WHERE token_hash = ? RETURNING user_id`, token.Hash(cookie)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("delete session: %w", err)
		}
		return store.Audit(ctx, tx, store.Event{Action: "logout", Object: fmt.Sprintf("user:%d", id), Result: "success",
			Origin: "web", Actor: fmt.Sprintf("user:%d", id)})
	})
}

func (s *Store) userByID(ctx context.Context, id int64) (*User, error) {
	row := s.db.Read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id)
	u, err := scanUser(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.Unauthorized, "accounts.not_logged_in")
	}
	return u, err
}
