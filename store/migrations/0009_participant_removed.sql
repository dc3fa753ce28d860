-- A facilitator can remove a participant from a live session: their token
-- stops working at once; what they wrote stays unless a facilitator hides
-- it.
ALTER TABLE participants ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;
