-- Retention, a tamper-evident audit trail and the public transparency
-- pages (issue 14).

-- A project's archive may be extended once, by five years, with a reason
-- an administrator gives. NULL: not extended.
ALTER TABLE projects ADD COLUMN archive_extended_at TEXT;
ALTER TABLE projects ADD COLUMN archive_extended_by TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN archive_extension_reason TEXT NOT NULL DEFAULT '';

-- What stays of a session once its workshop material is deleted: counts,
-- nothing anyone wrote. Participants holds the number per role as JSON;
-- the report applies the under-ten rule when it shows them.
CREATE TABLE session_archive (
	session_id          INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
	participants        TEXT NOT NULL,
	notes               INTEGER NOT NULL,
	excerpts            INTEGER NOT NULL,
	votes               INTEGER NOT NULL,
	themes              INTEGER NOT NULL,
	material_deleted_at TEXT NOT NULL
) STRICT;

-- The audit trail becomes a hash chain: every record holds the hash of the
-- one before it and its own. project_id lets an administrator filter by
-- project; reason is why (a retention rule, an administrator's reason),
-- never text a participant wrote.
ALTER TABLE audit_log ADD COLUMN project_id INTEGER;
ALTER TABLE audit_log ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN prev_hash BLOB;
ALTER TABLE audit_log ADD COLUMN hash BLOB;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_project ON audit_log (project_id, id);

-- The chain's state, one row, created with a random anchor the first time
-- the database is opened after this migration (store.Open): anchor is the
-- hash the first kept record follows, first_id that record (0 while the
-- trail is empty), head the last record. Deleting old records moves the
-- anchor to the first record kept. retention_days is how long records are
-- kept: seven years unless an administrator sets otherwise.
CREATE TABLE audit_chain (
	id             INTEGER PRIMARY KEY CHECK (id = 1),
	anchor         BLOB NOT NULL,
	first_id       INTEGER NOT NULL,
	head_id        INTEGER NOT NULL,
	head_hash      BLOB NOT NULL,
	retention_days INTEGER NOT NULL DEFAULT 2557
) STRICT;

-- A project's entry in the Algoritmeregister (docs/algoritmeregister.md),
-- as an administrator edited it: JSON with the publication standard's
-- field names. No row: the entry shows what the project's settings say.
CREATE TABLE algorithm_entries (
	project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
	entry      TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	updated_by TEXT NOT NULL
) STRICT;
