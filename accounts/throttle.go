package accounts

import (
	"strings"
	"sync"
	"time"
)

// Throttle counts failed attempts per key (an account's e-mail address, a
// visitor's cookie), in memory. It never looks at network addresses (a
// workshop room shares one), and it never locks out everyone: a flood of
// failures for made-up keys blocks only those keys.
type Throttle struct {
	mu        sync.Mutex
	perKey    map[string][]time.Time
	window    time.Duration
	maxPerKey int
}

// NewThrottle returns the policy of the login page: five failures for one
// account within fifteen minutes block it (the sixth try gets 429) for the
// rest of that window.
func NewThrottle() *Throttle {
	return NewThrottleWith(15*time.Minute, 5)
}

// NewThrottleWith returns a throttle that blocks a key after maxPerKey
// failures within window. An empty key is never blocked.
func NewThrottleWith(window time.Duration, maxPerKey int) *Throttle {
	return &Throttle{perKey: make(map[string][]time.Time), window: window, maxPerKey: maxPerKey}
}

// Blocked reports whether key may not try now, and for how long.
func (t *Throttle) Blocked(key string, now time.Time) (bool, time.Duration) {
	key = strings.ToLower(key)
	if key == "" {
		return false, 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	fails := prune(t.perKey[key], now.Add(-t.window))
	if len(fails) == 0 {
		delete(t.perKey, key)
		return false, 0
	}
	t.perKey[key] = fails
	if len(fails) >= t.maxPerKey {
		return true, fails[0].Add(t.window).Sub(now)
	}
	return false, 0
}

// Fail records a failed attempt for key.
func (t *Throttle) Fail(key string, now time.Time) {
	key = strings.ToLower(key)
	if key == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.perKey[key] = append(prune(t.perKey[key], now.Add(-t.window)), now)
	// Bound memory against a flood of made-up account names.
	if len(t.perKey) > 100_000 {
		for k, v := range t.perKey {
			if len(prune(v, now.Add(-t.window))) == 0 {
				delete(t.perKey, k)
			}
		}
	}
}

// Reset forgets key's failures after a successful login.
func (t *Throttle) Reset(key string) {
	t.mu.Lock()
	delete(t.perKey, strings.ToLower(key))
	t.mu.Unlock()
}

func prune(ts []time.Time, after time.Time) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(after) {
		i++
	}
	return ts[i:]
}
