-- Running Atelier for real: accounts an administrator can disable, one-time
-- links (the first administrator's setup, invitations, password resets), a
-- role per project membership, and archived projects.

-- A disabled account cannot log in and its browser sessions are gone. An
-- invited account has no password yet: password_hash is '' until the
-- invitee chooses one through their link, and '' never matches a password.
ALTER TABLE users ADD COLUMN disabled_at TEXT;

-- One-time links. Only a hash of the token is kept: the link itself exists
-- once, in the address an administrator hands over (or, for setup, in the
-- line `atelier serve` prints). A used link keeps its row (used_at set) so
-- that opening it again says "already used" rather than "unknown".
CREATE TABLE account_links (
	token_hash BLOB PRIMARY KEY,
	kind       TEXT NOT NULL CHECK (kind IN ('setup', 'invite', 'reset')),
	user_id    INTEGER REFERENCES users(id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	used_at    TEXT,
	CHECK ((kind = 'setup') = (user_id IS NULL))
) STRICT;
CREATE INDEX account_links_user ON account_links (user_id);

-- A member's role in a project: the account's own role, or 'policymaker'
-- (read only) for an account that may do more elsewhere. Never more than
-- the account's role allows; changing the account's role carries its
-- memberships along.
ALTER TABLE project_members ADD COLUMN role TEXT NOT NULL DEFAULT 'policymaker'
	CHECK (role IN ('admin', 'steward', 'facilitator', 'policymaker'));
UPDATE project_members SET role = (SELECT u.role FROM users u WHERE u.id = project_members.user_id);

-- An archived project is kept and read, but takes no new sessions or
-- imports.
ALTER TABLE projects ADD COLUMN archived_at TEXT;
