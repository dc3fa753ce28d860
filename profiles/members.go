package profiles

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"atelier/internal/apperr"
	"atelier/store"
)

// A member's role in a project is the account's own role, or "policymaker"
// (read only) for an account whose role allows more: a steward who only
// reads a project's approved profiles, a facilitator who reads another
// project's outcomes without running its sessions. A membership never
// gives more than the account's role; administrators see every project
// without being members.

// ReaderRole is the role of a member who only reads.
const ReaderRole = "policymaker"

// MemberRoles lists the roles an account with role accountRole may have in
// a project: its own first, then reading only. Administrators need no
// membership and get none.
func MemberRoles(accountRole string) []string {
	switch accountRole {
	case "admin", "":
		return nil
	case ReaderRole:
		return []string{ReaderRole}
	}
	return []string{accountRole, ReaderRole}
}

// Member is an account's membership of a project.
type Member struct {
	UserID      int64
	Email       string
	AccountRole string
	Role        string // in the project
	Disabled    bool
	Invited     bool
}

// Members lists a project's members by e-mail address.
func (s *Store) Members(ctx context.Context, projectID int64) ([]Member, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT u.id, u.email, u.role, pm.role, u.disabled_at IS NOT NULL, u.password_hash = ''
		FROM project_members pm JOIN users u ON u.id = pm.user_id WHERE pm.project_id = ? ORDER BY u.email`, projectID)
	if err != nil {
		return nil, fmt.Errorf("query members: %w", err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var m Member
		if err := rows.Scan(&m.UserID, &m.Email, &m.AccountRole, &m.Role, &m.Disabled, &m.Invited); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// AddMember gives an account access to a project in its own role. It is
// for seeding (the demo, tests); administrators use SetMember, which is
// audited.
func (s *Store) AddMember(ctx context.Context, projectID, userID int64) error {
	_, err := s.db.Write.ExecContext(ctx, `INSERT OR IGNORE INTO project_members (project_id, user_id, role)
		SELECT ?, id, role FROM users WHERE id = ?`, projectID, userID)
	if err != nil {
		return fmt.Errorf("add project member: %w", err)
	}
	return nil
}

// SetMember adds an account to a project, or changes its role there. An
// empty role means the account's own role.
func (s *Store) SetMember(ctx context.Context, projectID, userID int64, role, actor, origin string) error {
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		var accountRole string
		err := tx.QueryRowContext(ctx, `SELECT role FROM users WHERE id = ?`, userID).Scan(&accountRole)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "accounts.user_not_found")
		}
		if err != nil {
			return fmt.Errorf("read account: %w", err)
		}
		allowed := MemberRoles(accountRole)
		if len(allowed) == 0 {
			return apperr.New(apperr.Invalid, "members.admin")
		}
		if role == "" {
			role = allowed[0]
		}
		if role != allowed[0] && role != ReaderRole {
			return apperr.New(apperr.Invalid, "members.role_invalid", apperr.Key("role."+accountRole))
		}
		var before string
		err = tx.QueryRowContext(ctx, `SELECT role FROM project_members WHERE project_id = ? AND user_id = ?`, projectID, userID).Scan(&before)
		action := "project.member_role"
		switch {
		case errors.Is(err, sql.ErrNoRows):
			action = "project.member_add"
		case err != nil:
			return fmt.Errorf("read membership: %w", err)
		case before == role:
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO project_members (project_id, user_id, role) VALUES (?, ?, ?)
			ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role`, projectID, userID, role); err != nil {
			return fmt.Errorf("set membership: %w", err)
		}
		return store.Audit(ctx, tx, store.Event{Action: action, Object: fmt.Sprintf("project:%d user:%d role:%s", projectID, userID, role),
			Result: "ok", Origin: origin, Actor: actor})
	})
}

// RemoveMember takes an account's access to a project away.
func (s *Store) RemoveMember(ctx context.Context, projectID, userID int64, actor, origin string) error {
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM project_members WHERE project_id = ? AND user_id = ?`, projectID, userID)
		if err != nil {
			return fmt.Errorf("remove member: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "members.not_member")
		}
		return store.Audit(ctx, tx, store.Event{Action: "project.member_remove", Object: fmt.Sprintf("project:%d user:%d", projectID, userID),
			Result: "ok", Origin: origin, Actor: actor})
	})
}

// requireSteward refuses a workflow step by an account that is not a
// steward of the project: a steward account acts only in the projects it is
// a steward member of, whatever channel it uses.
func requireSteward(ctx context.Context, tx *store.Tx, projectID, userID int64) error {
	var role string
	err := tx.QueryRowContext(ctx, `SELECT role FROM project_members WHERE project_id = ? AND user_id = ?`, projectID, userID).Scan(&role)
	if errors.Is(err, sql.ErrNoRows) || err == nil && role != "steward" {
		return apperr.New(apperr.Forbidden, "members.not_steward")
	}
	if err != nil {
		return fmt.Errorf("read membership: %w", err)
	}
	return nil
}
