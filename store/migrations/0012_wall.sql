-- What the wall projects, chosen by the facilitator: the view (notes,
-- themes, results, chart), the variable of the cluster in focus ('' for
-- its first variable with published figures), and whether the large join
-- panel is back after people are in.

ALTER TABLE sessions ADD COLUMN wall_view TEXT NOT NULL DEFAULT 'notes';
ALTER TABLE sessions ADD COLUMN wall_variable TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN join_large INTEGER NOT NULL DEFAULT 0;
