package accounts

import (
	"strings"
	"sync"
	"time"
)

// Throttle counts failed logins per account and in total, in memory. It
// never looks at network addresses: a workshop room shares one.
type Throttle struct {
	mu        sync.Mutex
	perKey    map[string][]time.Time
	global    []time.Time
	window    time.Duration
	maxPerKey int

	globalWindow time.Duration
	maxGlobal    int
}

// NewThrottle returns the policy of the login page: five failures for one
// account within fifteen minutes lock it for the rest of that window, and
// more than maxGlobal failures a minute across all accounts lock everyone
// out briefly (a password-spraying run).
func NewThrottle() *Throttle {
	return NewThrottleWith(15*time.Minute, 5, time.Minute, 100)
}

// NewThrottleWith returns a throttle that blocks a key after maxPerKey
// failures within window, and everyone after maxGlobal failures within
// globalWindow. An empty key counts only towards the total.
func NewThrottleWith(window time.Duration, maxPerKey int, globalWindow time.Duration, maxGlobal int) *Throttle {
	return &Throttle{
		perKey:       make(map[string][]time.Time),
		window:       window,
		maxPerKey:    maxPerKey,
		globalWindow: globalWindow,
		maxGlobal:    maxGlobal,
	}
}

// Blocked reports whether key may not try now, and for how long.
func (t *Throttle) Blocked(key string, now time.Time) (bool, time.Duration) {
	key = strings.ToLower(key)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.global = prune(t.global, now.Add(-t.globalWindow))
	if len(t.global) >= t.maxGlobal {
		return true, t.global[0].Add(t.globalWindow).Sub(now)
	}
	if key == "" {
		return false, 0
	}
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
	t.mu.Lock()
	defer t.mu.Unlock()
	t.global = append(prune(t.global, now.Add(-t.globalWindow)), now)
	if key == "" {
		return
	}
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
