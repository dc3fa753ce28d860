-- The steward's review: labels a steward corrected before approval, with
-- who changed what and when. Only labels are ever rewritten in a set's
-- result; its figures are never editable. revision counts the rewrites, so
-- that a cached decoded result of an older revision is never served.

ALTER TABLE profile_sets ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

CREATE TABLE profile_set_labels (
	id         INTEGER PRIMARY KEY,
	set_id     INTEGER NOT NULL REFERENCES profile_sets(id) ON DELETE CASCADE,
	target     TEXT NOT NULL, -- "name", "cluster:C1", "variable:huishoudtype", "category:huishoudtype:2"
	old_label  TEXT NOT NULL,
	new_label  TEXT NOT NULL,
	changed_by INTEGER NOT NULL REFERENCES users(id),
	changed_at TEXT NOT NULL
) STRICT;
CREATE INDEX profile_set_labels_set ON profile_set_labels (set_id, id);
