package sessions

import (
	"testing"
	"time"
)

// TestLimitersRefundAndForget: a sender over its rate waits; a sender
// refused because the session is busy keeps its token; limiters nobody
// used for limiterIdle are forgotten, so the maps do not grow with every
// participant that ever joined.
func TestLimitersRefundAndForget(t *testing.T) {
	l := newLimiters()
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	for i := 0; i < participantBurst; i++ {
		if _, ok := l.allow(1, 7, now); !ok {
			t.Fatalf("op %d of a burst refused", i)
		}
	}
	wait, ok := l.allow(1, 7, now)
	if ok || wait <= 0 || wait > time.Second/participantRate+time.Millisecond {
		t.Fatalf("over the burst: ok=%v wait=%v, want a refusal of about %v", ok, wait, time.Second/participantRate)
	}
	// Empty the session's bucket with many senders, then check that the
	// refused sender did not lose a token.
	l.allow(3, 99, now)
	for s := int64(100); ; s++ {
		if _, ok := l.allow(2, s, now); !ok {
			break
		}
	}
	before := l.senders[99].TokensAt(now)
	if _, ok := l.allow(2, 99, now); ok {
		t.Fatal("a busy session let an op through")
	}
	if after := l.senders[99].TokensAt(now); after != before {
		t.Fatalf("the refused sender lost a token: %v → %v", before, after)
	}
	if l.size() == 0 {
		t.Fatal("no limiters kept")
	}
	later := now.Add(limiterIdle + 2*time.Minute)
	l.allow(3, 1, later)
	if got := l.size(); got != 2 {
		t.Fatalf("%d limiters after everyone else went idle, want 2 (the new sender and session)", got)
	}
	if _, ok := l.allow(3, 1, later.Add(time.Minute)); !ok {
		t.Fatal("a forgotten sender starts with a full bucket, yet was refused")
	}
}
