package server

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"atelier/internal/apperr"
	"atelier/sessions"
)

// TestJoinFloodLocksNobodyOut: 300 wrong codes from clients without
// cookies (each a stranger as far as the server can tell) do not stop a
// participant with the right code, who joins within 2 s; a 429 always says
// when to try again; a QR code's ticket joins whatever the load, and a
// forged ticket is just a wrong code.
func TestJoinFloodLocksNobodyOut(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client(t)
	ts.login(t, fac, "facilitator")
	id, code := ts.openTestSession(t, fac)

	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for w := 0; w < 10; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := &http.Client{Timeout: 10 * time.Second}
			for i := 0; i < 30; i++ {
				body := fmt.Sprintf(`{"code":"W%07d","role":"parent"}`, w*100+i)
				res, err := c.Post(ts.URL+"/api/join", "application/json", strings.NewReader(body))
				if err != nil {
					t.Error(err)
					return
				}
				res.Body.Close()
				mu.Lock()
				statuses[res.StatusCode]++
				mu.Unlock()
				if res.StatusCode == http.StatusTooManyRequests && res.Header.Get("Retry-After") == "" {
					t.Error("429 without Retry-After")
				}
			}
		}(w)
	}
	wg.Wait()
	if statuses[http.StatusNotFound] == 0 {
		t.Fatalf("the flood's answers: %v, want 404s for wrong codes", statuses)
	}

	start := time.Now()
	joiner := ts.client(t)
	for {
		st := ts.postJSON(t, joiner, "/api/join", map[string]string{"code": sessions.FormatCode(code), "role": "parent"}, nil)
		if st == http.StatusOK {
			break
		}
		if st != http.StatusTooManyRequests || time.Since(start) > 2*time.Second {
			t.Fatalf("the right code after 300 wrong ones: %d after %v", st, time.Since(start))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("joining took %v", d)
	}
	t.Logf("flood answers %v; the right code joined in %v", statuses, time.Since(start))

	// The QR code's ticket joins too (TestJoinGate shows that it does
	// so whatever the load, and that a forged one counts as typed).
	res, wall := ts.get(t, fac, "/s/"+itoa64(id)+"/wall")
	m := qrTicket.FindStringSubmatch(wall)
	if res.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("wall: %d, ticket found: %v", res.StatusCode, m != nil)
	}
	ticket := m[1]
	if st := ts.postJSON(t, ts.client(t), "/api/join", map[string]string{"code": code, "role": "youth", "ticket": ticket}, nil); st != http.StatusOK {
		t.Fatalf("joining with the QR code's ticket: %d", st)
	}
}

// TestJoinGate: past the global rate a typed code waits a second, a QR
// code's ticket does not, and a forged ticket counts as typed.
func TestJoinGate(t *testing.T) {
	g := newJoinGate()
	now := time.Now()
	for i := 0; i < joinBurst; i++ {
		if err := g.admit("", "WRONGWRO", "", now); err != nil {
			t.Fatalf("attempt %d of the burst: %v", i, err)
		}
	}
	err := g.admit("", "WRONGWRO", "", now)
	if e, ok := apperr.As(err); !ok || e.Code != apperr.TooMany || e.RetryAfter != time.Second {
		t.Fatalf("past the burst: %v, want too_many with a second to wait", err)
	}
	if err := g.admit("", "WRONGWRO", "AAAAAAAAAAAAAAAAAAAAAA", now); !apperr.Is(err, apperr.TooMany) {
		t.Fatalf("a forged ticket past the burst: %v, want too_many", err)
	}
	if err := g.admit("", "KM7Q X9AP", g.ticket("km7qx9ap"), now); err != nil {
		t.Fatalf("the QR ticket past the burst: %v", err)
	}
	if err := g.admit("", "KM7QX9AP", g.ticket("KM7QX9AQ"), now); err == nil {
		t.Fatal("another code's ticket was taken")
	}
	// One visitor's wrong codes hold up that visitor only.
	later := now.Add(time.Hour)
	for i := 0; i < 10; i++ {
		g.wrong("visitor-a", later)
	}
	if err := g.admit("visitor-a", "WRONGWRO", "", later); !apperr.Is(err, apperr.TooMany) {
		t.Fatalf("the eleventh try of one visitor: %v, want too_many", err)
	}
	if err := g.admit("visitor-b", "WRONGWRO", "", later); err != nil {
		t.Fatalf("another visitor: %v", err)
	}
}

// qrTicket finds the ticket the wall's QR code carries, in the link the
// wall prints for people who cannot scan.
var qrTicket = regexp.MustCompile(`data-join-link="[^"?]*\?t=([A-Za-z0-9_-]+)"`)

// TestLoginFloodLocksNobodyOut: 105 wrong logins on made-up addresses do
// not lock out the administrator; the sixth wrong password for one account
// is refused with 429 and Retry-After.
func TestLoginFloodLocksNobodyOut(t *testing.T) {
	ts := newTestServer(t)
	flood := ts.client(t)
	token := ts.csrfFrom(t, flood, "/login")
	var wg sync.WaitGroup
	for w := 0; w < 5; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 21; i++ {
				res := ts.postForm(t, flood, "/login", url.Values{"_csrf": {token}, "email": {fmt.Sprintf("x%d-%d@example.test", w, i)}, "password": {"wrong-password"}})
				if res.StatusCode != http.StatusUnauthorized {
					t.Errorf("wrong login: %d", res.StatusCode)
				}
			}
		}(w)
	}
	wg.Wait()
	admin := ts.client(t)
	ts.login(t, admin, "admin")

	victim := ts.client(t)
	vt := ts.csrfFrom(t, victim, "/login")
	for i := 1; i <= 6; i++ {
		res := ts.postForm(t, victim, "/login", url.Values{"_csrf": {vt}, "email": {"policymaker@example.test"}, "password": {"wrong-password"}})
		want := http.StatusUnauthorized
		if i == 6 {
			want = http.StatusTooManyRequests
		}
		if res.StatusCode != want {
			t.Fatalf("wrong password %d: %d, want %d", i, res.StatusCode, want)
		}
		if i == 6 && res.Header.Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
	}
}

// TestSessionIdsCannotBeCounted: without access, a session that exists and
// one that does not get the same answer on the socket route.
func TestSessionIdsCannotBeCounted(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client(t)
	ts.login(t, fac, "facilitator")
	id, code := ts.openTestSession(t, fac)
	other := ts.joinAs(t, code, "parent") // a participant, of this session only
	policymaker := ts.client(t)
	ts.login(t, policymaker, "policymaker")
	var second struct{ ID int64 }
	if st := ts.postJSON(t, fac, "/api/sessions", map[string]any{"project": "test-project", "title": "Tweede sessie",
		"question": "Wat nu?", "clusters": []string{"B"}}, &second); st != http.StatusCreated {
		t.Fatalf("second session: %d", st)
	}
	for _, tt := range []struct {
		name string
		c    *http.Client
	}{{"anonymous", ts.client(t)}, {"policymaker", policymaker}, {"participant elsewhere", other}} {
		target := id
		if tt.name == "participant elsewhere" {
			target = second.ID
		}
		existing, _ := ts.get(t, tt.c, "/ws/sessions/"+itoa64(target))
		missing, _ := ts.get(t, tt.c, "/ws/sessions/"+itoa64(second.ID+100))
		if existing.StatusCode != missing.StatusCode || existing.StatusCode != http.StatusNotFound {
			t.Errorf("%s: existing %d, missing %d; want 404 for both", tt.name, existing.StatusCode, missing.StatusCode)
		}
	}
}
