package accounts

import (
	"context"
	"testing"
	"time"

	"atelier/internal/apperr"
	"atelier/store"
)

const pw = "een lang wachtwoord"

// openStore opens a fresh database with a clock the test moves.
func openStore(t *testing.T) (*Store, *store.DB, *time.Time) {
	t.Helper()
	db, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	db.Clock = func() time.Time { return now }
	return NewStore(db), db, &now
}

func wantCode(t *testing.T, err error, code apperr.Code, key string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != code || e.Key != key {
		t.Fatalf("error %v, want %s %s", err, code, key)
	}
}

// TestSetupOnce: a first start makes a setup link that works once, for one
// hour, and only while no administrator exists; a new start ends the old
// link.
func TestSetupOnce(t *testing.T) {
	ctx := context.Background()
	s, db, now := openStore(t)

	old, _, err := s.StartSetup(ctx)
	if err != nil || old == "" {
		t.Fatalf("first setup link: %q %v", old, err)
	}
	tok, expires, err := s.StartSetup(ctx)
	if err != nil || tok == "" || tok == old {
		t.Fatalf("second setup link: %q %v", tok, err)
	}
	if got := expires.Sub(*now); got != SetupLinkLifetime {
		t.Errorf("setup link lives %v, want %v", got, SetupLinkLifetime)
	}
	if _, err := s.CheckLink(ctx, old, LinkSetup); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("the earlier setup link still works: %v", err)
	}
	if _, err := s.CheckLink(ctx, tok, LinkInvite); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("a setup link opens the invitation page: %v", err)
	}
	// Expired: a clear "expired", not "unknown".
	*now = now.Add(SetupLinkLifetime)
	_, err = s.CheckLink(ctx, tok, LinkSetup)
	wantCode(t, err, apperr.Gone, "setup.expired")
	if _, err := s.CompleteSetup(ctx, tok, "beheer@gemeente.example", pw); !apperr.Is(err, apperr.Gone) {
		t.Fatalf("expired setup accepted: %v", err)
	}

	tok, _, _ = s.StartSetup(ctx)
	if _, err := s.CompleteSetup(ctx, tok, "beheer@gemeente.example", "kort"); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("a short password was accepted: %v", err)
	}
	sess, err := s.CompleteSetup(ctx, tok, "Beheer@Gemeente.example", pw)
	if err != nil {
		t.Fatal(err)
	}
	if sess.User.Role != Admin || sess.User.Email != "beheer@gemeente.example" {
		t.Fatalf("setup made %+v", sess.User)
	}
	if _, err := s.SessionByToken(ctx, sess.Token); err != nil {
		t.Fatalf("setup did not log in: %v", err)
	}
	// Once an administrator exists the setup is gone, whatever the token.
	_, err = s.CheckLink(ctx, tok, LinkSetup)
	wantCode(t, err, apperr.NotFound, "setup.done")
	if again, _, err := s.StartSetup(ctx); err != nil || again != "" {
		t.Fatalf("a setup link after setup: %q %v", again, err)
	}
	var stored int
	db.Read.QueryRow(`SELECT COUNT(*) FROM account_links WHERE token_hash = ?`, []byte(tok)).Scan(&stored)
	if stored != 0 {
		t.Fatal("a token is stored as itself, not as a hash")
	}
}

// TestInviteAcceptResetDisable follows one account through its life: an
// invitation, its password, a reset, disabling and enabling, with the
// links' clear refusals.
func TestInviteAcceptResetDisable(t *testing.T) {
	ctx := context.Background()
	s, _, now := openStore(t)
	admin, err := s.CreateUser(ctx, "admin@x.test", Admin, pw, Actor{Name: "test", Origin: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	by := Actor{Name: "user:1:admin", Origin: "web", UserID: admin.ID}

	u, tok, expires, err := s.Invite(ctx, "nieuw@x.test", Facilitator, by)
	if err != nil {
		t.Fatal(err)
	}
	if !u.Invited || expires.Sub(*now) != LinkLifetime {
		t.Fatalf("invited %+v until %v", u, expires)
	}
	if _, _, _, err := s.Invite(ctx, "NIEUW@x.test", Steward, by); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a second invitation for the same address: %v", err)
	}
	// No password yet: nothing logs in, not even the empty one.
	for _, p := range []string{"", pw} {
		if _, err := s.Login(ctx, "nieuw@x.test", p, ""); !apperr.Is(err, apperr.Unauthorized) {
			t.Fatalf("an invited account logged in with %q: %v", p, err)
		}
	}
	l, err := s.CheckLink(ctx, tok, LinkInvite)
	if err != nil || l.User.Email != "nieuw@x.test" || l.Kind != LinkInvite {
		t.Fatalf("invitation link: %+v %v", l, err)
	}
	sess, err := s.AcceptLink(ctx, tok, pw, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.CheckLink(ctx, tok, LinkInvite)
	wantCode(t, err, apperr.Gone, "links.used")
	if _, err := s.AcceptLink(ctx, tok, "een ander lang wachtwoord", ""); !apperr.Is(err, apperr.Gone) {
		t.Fatalf("a used link worked again: %v", err)
	}

	// A reset: the password and the session stop working at once.
	_, reset, _, err := s.ResetLink(ctx, u.ID, by)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByToken(ctx, sess.Token); err == nil {
		t.Fatal("a session survived a reset")
	}
	if _, err := s.Login(ctx, "nieuw@x.test", pw, ""); err == nil {
		t.Fatal("the old password works after a reset")
	}
	*now = now.Add(LinkLifetime)
	_, err = s.CheckLink(ctx, reset, LinkInvite)
	wantCode(t, err, apperr.Gone, "links.expired")
	_, reset, _, err = s.ResetLink(ctx, u.ID, by)
	if err != nil {
		t.Fatal(err)
	}
	if sess, err = s.AcceptLink(ctx, reset, "een nieuw lang wachtwoord", ""); err != nil {
		t.Fatal(err)
	}

	// Disabled: the session ends, the password is refused with a reason,
	// links do not help.
	if err := s.Disable(ctx, u.ID, by); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByToken(ctx, sess.Token); err == nil {
		t.Fatal("a disabled account's session still works")
	}
	_, err = s.Login(ctx, "nieuw@x.test", "een nieuw lang wachtwoord", "")
	wantCode(t, err, apperr.Unauthorized, "accounts.disabled")
	if _, _, _, err := s.ResetLink(ctx, u.ID, by); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a reset link for a disabled account: %v", err)
	}
	if err := s.Enable(ctx, u.ID, by); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Login(ctx, "nieuw@x.test", "een nieuw lang wachtwoord", ""); err != nil {
		t.Fatalf("login after enabling: %v", err)
	}
}

// TestNoLockOut: nobody disables themselves, and the last administrator who
// can log in keeps the role and stays enabled.
func TestNoLockOut(t *testing.T) {
	ctx := context.Background()
	s, _, _ := openStore(t)
	a, _ := s.CreateUser(ctx, "a@x.test", Admin, pw, Actor{Name: "test", Origin: "cli"})
	by := Actor{Name: "cli", Origin: "cli"}
	wantCode(t, s.Disable(ctx, a.ID, Actor{Name: "a", Origin: "web", UserID: a.ID}), apperr.Conflict, "accounts.self_disable")
	wantCode(t, s.Disable(ctx, a.ID, by), apperr.Conflict, "accounts.last_admin")
	wantCode(t, s.SetRole(ctx, a.ID, Steward, by), apperr.Conflict, "accounts.last_admin")
	// An invited administrator without a password does not count.
	if _, _, _, err := s.Invite(ctx, "b@x.test", Admin, by); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.Disable(ctx, a.ID, by), apperr.Conflict, "accounts.last_admin")
	if _, err := s.CreateUser(ctx, "c@x.test", Admin, pw, by); err != nil {
		t.Fatal(err)
	}
	if err := s.Disable(ctx, a.ID, by); err != nil {
		t.Fatalf("disabling one of two administrators: %v", err)
	}
}

// TestLoginEndsTheSessionItReplaces: logging in again in the same browser
// ends the old cookie's session; other browsers stay logged in.
func TestLoginEndsTheSessionItReplaces(t *testing.T) {
	ctx := context.Background()
	s, _, _ := openStore(t)
	if _, err := s.CreateUser(ctx, "f@x.test", Facilitator, pw, Actor{Name: "test", Origin: "cli"}); err != nil {
		t.Fatal(err)
	}
	laptop, _ := s.Login(ctx, "f@x.test", pw, "")
	wall, _ := s.Login(ctx, "f@x.test", pw, "")
	again, err := s.Login(ctx, "f@x.test", pw, laptop.Token)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByToken(ctx, laptop.Token); err == nil {
		t.Fatal("the replaced session still works")
	}
	for _, sess := range []*Session{wall, again} {
		if _, err := s.SessionByToken(ctx, sess.Token); err != nil {
			t.Fatalf("another session ended: %v", err)
		}
	}
}
