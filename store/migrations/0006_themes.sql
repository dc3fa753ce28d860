-- Themes: the facilitator's grouping of a cluster's notes and interview
-- excerpts during a session ("schaamte", "de weg niet weten"). A theme
-- belongs to one cluster of its session; the composite key makes the
-- database refuse a theme on a cluster the session does not discuss.

CREATE TABLE themes (
	id         INTEGER PRIMARY KEY,
	session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
	cluster_id TEXT NOT NULL,
	title      TEXT NOT NULL,
	position   INTEGER NOT NULL, -- the order in the report and on the wall
	created_at TEXT NOT NULL,
	FOREIGN KEY (session_id, cluster_id) REFERENCES session_clusters (session_id, cluster_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX themes_session ON themes (session_id, position);

-- No ON DELETE action on purpose: the theme.delete op ungroups the notes
-- and excerpts itself (and tells every client). A delete that forgot to
-- would fail here instead of silently taking notes with it.
ALTER TABLE notes ADD COLUMN theme_id INTEGER REFERENCES themes(id);
ALTER TABLE excerpts ADD COLUMN theme_id INTEGER REFERENCES themes(id);
CREATE INDEX notes_theme ON notes (theme_id) WHERE theme_id IS NOT NULL;
CREATE INDEX excerpts_theme ON excerpts (theme_id) WHERE theme_id IS NOT NULL;
