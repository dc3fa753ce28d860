-- Accounts, their browser sessions, projects and the audit trail.

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
	role          TEXT NOT NULL CHECK (role IN ('admin', 'steward', 'facilitator', 'policymaker')),
	password_hash TEXT NOT NULL,
	created_at    TEXT NOT NULL
) STRICT;

-- A browser session after login. Only a hash of the cookie value is kept, so
-- a copy of the database cannot be used to log in.
CREATE TABLE login_sessions (
	token_hash  BLOB PRIMARY KEY,
	user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	csrf        TEXT NOT NULL,
	created_at  TEXT NOT NULL,
	expires_at  TEXT NOT NULL
) STRICT;
CREATE INDEX login_sessions_expiry ON login_sessions (expires_at);

CREATE TABLE projects (
	id                INTEGER PRIMARY KEY,
	slug              TEXT NOT NULL UNIQUE,
	name              TEXT NOT NULL,
	purpose           TEXT NOT NULL,
	notes_retention_days   INTEGER NOT NULL DEFAULT 730,
	archive_retention_days INTEGER NOT NULL DEFAULT 1826,
	created_at        TEXT NOT NULL
) STRICT;

CREATE TABLE project_members (
	project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	PRIMARY KEY (project_id, user_id)
) STRICT;

CREATE TABLE audit_log (
	id     INTEGER PRIMARY KEY,
	at     TEXT NOT NULL,
	action TEXT NOT NULL,
	object TEXT NOT NULL,
	result TEXT NOT NULL,
	origin TEXT NOT NULL,
	actor  TEXT NOT NULL
) STRICT;
