-- Facilitator controls: phase and shared timer, focus, private mode (notes
-- visible to their author and the facilitator until a reveal), hidden vote
-- tallies, locking, and moderation of single notes.

ALTER TABLE sessions ADD COLUMN phase TEXT NOT NULL DEFAULT 'verkennen';
ALTER TABLE sessions ADD COLUMN timer_ends_at TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN focus TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN private INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN tallies_hidden INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;

ALTER TABLE notes ADD COLUMN private INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notes ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;

-- Who may see an event: 0 everyone, 1 its author and facilitators,
-- 2 facilitators only. Others receive a content-free placeholder, so that
-- sequence numbers stay gap-free for everyone.
ALTER TABLE events ADD COLUMN audience INTEGER NOT NULL DEFAULT 0;
