-- Live sessions. Participants are anonymous: a pseudonym, a role and a hash
-- of their cookie token; no name, no e-mail, no network address.

CREATE TABLE sessions (
	id          INTEGER PRIMARY KEY,
	project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	title       TEXT NOT NULL,
	question    TEXT NOT NULL,
	state       TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed')),
	code        TEXT UNIQUE, -- a hash of the join code, only while open
	vote_budget INTEGER NOT NULL DEFAULT 5,
	lang        TEXT NOT NULL DEFAULT 'nl',
	seq         INTEGER NOT NULL DEFAULT 0, -- the last event's sequence number
	created_by  INTEGER NOT NULL REFERENCES users(id),
	created_at  TEXT NOT NULL,
	opened_at   TEXT,
	closed_at   TEXT,
	CHECK (state = 'open' OR code IS NULL)
) STRICT;

CREATE TABLE session_clusters (
	session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	set_id     INTEGER NOT NULL REFERENCES profile_sets(id),
	cluster_id TEXT NOT NULL,
	label      TEXT NOT NULL,
	PRIMARY KEY (session_id, cluster_id)
) STRICT;

CREATE TABLE participants (
	id         INTEGER PRIMARY KEY,
	session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
	token_hash BLOB NOT NULL UNIQUE,
	pseudonym  TEXT NOT NULL,
	role       TEXT NOT NULL CHECK (role IN ('professional', 'parent', 'youth', 'other')),
	created_at TEXT NOT NULL,
	UNIQUE (session_id, pseudonym)
) STRICT;

CREATE TABLE notes (
	id             INTEGER PRIMARY KEY,
	session_id     INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
	participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
	cluster_id     TEXT NOT NULL,
	kind           TEXT NOT NULL CHECK (kind IN ('kans', 'zorg', 'idee', 'vraag')),
	text           TEXT NOT NULL,
	version        INTEGER NOT NULL DEFAULT 1,
	deleted        INTEGER NOT NULL DEFAULT 0,
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX notes_session ON notes (session_id, deleted);

CREATE TABLE votes (
	id             INTEGER PRIMARY KEY,
	session_id     INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
	note_id        INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
	participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
	created_at     TEXT NOT NULL
) STRICT;
CREATE INDEX votes_note ON votes (note_id);
CREATE INDEX votes_participant ON votes (session_id, participant_id);

CREATE TABLE excerpts (
	id             INTEGER PRIMARY KEY,
	session_id     INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
	participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
	cluster_id     TEXT NOT NULL,
	text           TEXT NOT NULL,
	source         TEXT NOT NULL CHECK (source IN ('interview', 'vragenlijst', 'observatie')),
	tags           TEXT NOT NULL DEFAULT '[]',
	created_at     TEXT NOT NULL
) STRICT;

-- The session's event log, for catching up after a reconnect. payload is
-- the event as everyone but its author sees it.
CREATE TABLE events (
	session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
	seq        INTEGER NOT NULL,
	author     INTEGER NOT NULL DEFAULT 0,
	payload    TEXT NOT NULL,
	PRIMARY KEY (session_id, seq)
) STRICT, WITHOUT ROWID;

-- Applied operations by client op_id, so that a re-sent op is acknowledged
-- again and never applied twice.
CREATE TABLE ops (
	session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
	actor      INTEGER NOT NULL,
	op_id      TEXT NOT NULL,
	seq        INTEGER NOT NULL,
	object     TEXT NOT NULL,
	removed    TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (session_id, actor, op_id)
) STRICT, WITHOUT ROWID;
