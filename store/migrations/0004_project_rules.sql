-- A project's disclosure rules, as JSON (profiles.Rules). Empty means the
-- defaults; a project may only make them stricter.
ALTER TABLE projects ADD COLUMN rules TEXT NOT NULL DEFAULT '';
