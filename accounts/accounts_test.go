package accounts

import (
	"context"
	"testing"
	"time"

	"atelier/store"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := HashPassword("een lang wachtwoord")
	if err != nil {
		t.Fatal(err)
	}
	if !CheckPassword(h, "een lang wachtwoord") {
		t.Fatal("the right password was refused")
	}
	if CheckPassword(h, "een lang wachtwoorD") {
		t.Fatal("a wrong password was accepted")
	}
	h2, _ := HashPassword("een lang wachtwoord")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for _, bad := range []string{"", "$argon2id$", "$bcrypt$v=19$m=1,t=1,p=1$AA$AA", h[:len(h)-4]} {
		if CheckPassword(bad, "een lang wachtwoord") {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
}

func TestThrottleWindow(t *testing.T) {
	th := NewThrottle()
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	for i := 0; i < 5; i++ {
		if blocked, _ := th.Blocked("A@x.test", now); blocked {
			t.Fatalf("blocked before the fifth failure (%d)", i)
		}
		th.Fail("a@x.test", now.Add(time.Duration(i)*time.Minute))
	}
	blocked, wait := th.Blocked("a@X.test", now.Add(5*time.Minute))
	if !blocked || wait != 10*time.Minute {
		t.Fatalf("after five failures: blocked=%v wait=%v, want true 10m", blocked, wait)
	}
	if blocked, _ := th.Blocked("other@x.test", now.Add(5*time.Minute)); blocked {
		t.Fatal("another account is blocked")
	}
	// The oldest failure leaves the window after fifteen minutes.
	if blocked, _ := th.Blocked("a@x.test", now.Add(15*time.Minute+time.Second)); blocked {
		t.Fatal("still blocked after the window")
	}
}

func TestRoleChangeEndsSessionsAndIsAudited(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := NewStore(db)
	u, err := s.CreateUser(ctx, "p@x.test", Policymaker, "een lang wachtwoord", Actor{Name: "test", Origin: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, "P@x.test", Admin, "een lang wachtwoord", Actor{Name: "test", Origin: "cli"}); err == nil {
		t.Fatal("a second account with the same address (other case) was created")
	}
	sess, err := s.Login(ctx, "p@x.test", "een lang wachtwoord", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetRole(ctx, u.ID, Steward, Actor{Name: "user:1:admin", Origin: "web"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByToken(ctx, sess.Token); err == nil {
		t.Fatal("session survived a role change")
	}
	events, _ := db.AuditLog(ctx, 10)
	var seen bool
	for _, e := range events {
		if e.Action == "user.role_change" && e.Actor == "user:1:admin" {
			seen = true
		}
	}
	if !seen {
		t.Fatalf("role change not audited: %+v", events)
	}
}
