-- Profile sets: one checked import of cluster profiles, with its approval
-- workflow. The result column holds the checked Result as JSON: published
-- values only (suppressed figures carry a status and reasons, never a
-- value) and never a single household's value.

CREATE TABLE profile_sets (
	id              INTEGER PRIMARY KEY,
	project_id      INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	name            TEXT NOT NULL,
	state           TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'withdrawn')),
	safe            INTEGER NOT NULL CHECK (safe IN (0, 1)),
	result          TEXT NOT NULL,
	imported_by     INTEGER NOT NULL REFERENCES users(id),
	imported_at     TEXT NOT NULL,
	decided_by      INTEGER REFERENCES users(id),
	decided_at      TEXT,
	decision_reason TEXT NOT NULL DEFAULT '',
	withdrawn_by    INTEGER REFERENCES users(id),
	withdrawn_at    TEXT,
	withdraw_reason TEXT NOT NULL DEFAULT '',
	-- Four eyes, also in the schema: nobody decides on their own import.
	CHECK (decided_by IS NULL OR decided_by <> imported_by),
	CHECK (state <> 'approved' OR safe = 1)
) STRICT;
CREATE INDEX profile_sets_project ON profile_sets (project_id, state);
