-- What the room decides, on its way out: a session's agenda (phases with
-- planned minutes), session templates per project, and a full-text index
-- over what closed sessions produced, for the policymakers' insights.

ALTER TABLE sessions ADD COLUMN agenda TEXT NOT NULL DEFAULT '[]';

CREATE TABLE session_templates (
	id          INTEGER PRIMARY KEY,
	project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	name        TEXT NOT NULL,
	question    TEXT NOT NULL,
	clusters    TEXT NOT NULL, -- JSON: [{"set": 1, "id": "C2"}, ...]
	agenda      TEXT NOT NULL DEFAULT '[]',
	vote_budget INTEGER NOT NULL,
	created_by  INTEGER NOT NULL REFERENCES users(id),
	created_at  TEXT NOT NULL,
	UNIQUE (project_id, name)
) STRICT;

-- One row per note, excerpt and theme of a closed session that may leave
-- the room (not deleted, not hidden, never left private). Filled when a
-- session closes; a closed session no longer changes. ref is "n12", "x4"
-- or "t3". It holds copies of text: retention deletes its rows with the
-- session's material.
CREATE VIRTUAL TABLE outcome_fts USING fts5(
	body,
	session_id UNINDEXED,
	ref UNINDEXED,
	tokenize = 'unicode61 remove_diacritics 2'
);
-- Deleted rows are overwritten in the index too, not only unlinked.
INSERT INTO outcome_fts(outcome_fts, rank) VALUES ('secure-delete', 1);
