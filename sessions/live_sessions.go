package sessions

// The engine's sessions: what it read of each open session, with the
// sequence number it gives out next, and when to read a session again.

import (
	"context"
	"time"

	"atelier/store"
)

// cachedSession is a session the engine read, and when.
type cachedSession struct {
	*Session
	read time.Time
}

// How long the engine trusts a session it read. Changes made outside the
// engine are announced (Invalidate), except one: a profile set that is
// withdrawn or approved changes its clusters' labels. Labels go out only
// in a session's view, with the ops of facilitators, which re-read the
// session when it is more than sessionTTL old. Participants' ops use the
// state, the lock, the budget and the clusters' ids, which are all
// announced; reading the session again for each of them was, with 250
// sessions, most of what the engine did (a read every second per session),
// so they trust it for participantTTL, a bound for what nobody thought of.
const (
	sessionTTL     = time.Second
	participantTTL = time.Minute
)

// Invalidate tells the engine that a session changed outside it. The
// sessions store calls it inside the transaction of the change, so that no
// batch that starts after the commit uses what the engine read before.
func (l *Live) Invalidate(sessionID int64) {
	l.staleMu.Lock()
	l.stale[sessionID] = true
	l.staleMu.Unlock()
}

// forgetStale drops the sessions changed outside the engine.
func (l *Live) forgetStale() {
	l.staleMu.Lock()
	for id := range l.stale {
		delete(l.sessions, id)
	}
	clear(l.stale)
	l.staleMu.Unlock()
}

// session returns the session an op is for, read at most maxAge ago. A
// session read again keeps the sequence number the engine holds: the
// engine gives out every number and saves them at the end of the batch, so
// in the middle of one the database's number is behind. (Taking the
// database's made two events of one session share a number whenever a
// batch re-read a session it had already sequenced an event of, and the
// whole batch failed on the events table's key; under load, when batches
// take longer than sessionTTL, that happened every few seconds.)
func (l *Live) session(ctx context.Context, tx *store.Tx, id int64, maxAge time.Duration) (*cachedSession, error) {
	cs, ok := l.sessions[id]
	if ok && time.Since(cs.read) < maxAge {
		return cs, nil
	}
	sess, err := getSession(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if ok {
		sess.seq = cs.seq
	}
	fresh := &cachedSession{Session: sess, read: time.Now()}
	l.sessions[id] = fresh
	return fresh, nil
}
