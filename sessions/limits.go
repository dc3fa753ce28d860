package sessions

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rates of docs/protocol.md: per participant (or facilitator) and per
// session, never per network address (a whole room shares one Wi-Fi
// address).
const (
	participantRate  = 10
	participantBurst = 30
	sessionRate      = 2000
	sessionBurst     = 4000

	// limiterIdle is how long an unused limiter is kept. After a few
	// seconds of silence a limiter is full again, so forgetting it then
	// changes nothing; it keeps the maps as small as the active senders.
	limiterIdle = 5 * time.Minute
)

// limiters holds a token bucket per sender and per session, in memory.
type limiters struct {
	mu        sync.Mutex
	senders   map[int64]*limiter
	sessions  map[int64]*limiter
	lastSweep time.Time
}

type limiter struct {
	*rate.Limiter
	used time.Time
}

func newLimiters() *limiters {
	return &limiters{senders: map[int64]*limiter{}, sessions: map[int64]*limiter{}}
}

// allow takes one token from the sender's bucket and one from the
// session's, or reports how long to wait. A sender refused because the
// whole session is busy keeps their token: it was not their doing.
func (l *limiters) allow(sessionID, sender int64, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > time.Minute {
		l.sweep(now)
	}
	p := l.get(l.senders, sender, participantRate, participantBurst, now)
	s := l.get(l.sessions, sessionID, sessionRate, sessionBurst, now)
	pr := p.ReserveN(now, 1)
	if d := pr.DelayFrom(now); d > 0 {
		pr.CancelAt(now)
		return d, false
	}
	sr := s.ReserveN(now, 1)
	if d := sr.DelayFrom(now); d > 0 {
		sr.CancelAt(now)
		pr.CancelAt(now)
		return d, false
	}
	return 0, true
}

func (l *limiters) get(m map[int64]*limiter, key int64, r, burst int, now time.Time) *limiter {
	lim := m[key]
	if lim == nil {
		lim = &limiter{Limiter: rate.NewLimiter(rate.Limit(r), burst)}
		m[key] = lim
	}
	lim.used = now
	return lim
}

// sweep forgets limiters nobody used for limiterIdle.
func (l *limiters) sweep(now time.Time) {
	l.lastSweep = now
	for _, m := range []map[int64]*limiter{l.senders, l.sessions} {
		for k, lim := range m {
			if now.Sub(lim.used) > limiterIdle {
				delete(m, k)
			}
		}
	}
}

// size reports how many limiters are kept, for tests.
func (l *limiters) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.senders) + len(l.sessions)
}
