package sessions

import (
	"context"
	"testing"

	"atelier/i18n"
	"atelier/internal/apperr"
)

// TestCloseDeletesTokensKeepsCounts: once a session closes, its
// participants' tokens open nothing, and the report still counts them per
// role. Once the retention package has replaced the material with counts,
// the report says so and shows the skeleton.
func TestCloseDeletesTokensKeepsCounts(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, t.TempDir())
	t.Cleanup(func() { f.db.Close() })
	db, exec, user, project, set := f.db, f.exec, f.user, f.project, f.set
	s := NewStore(db)
	sess, _, err := s.Create(ctx, NewSession{ProjectID: project, Title: "Werksessie", Question: "Hoe?",
		Clusters: []Cluster{{SetID: set, ID: "B", Label: "Werkende paren"}}, Lang: i18n.NL, CreatedBy: user})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, sess.ID, "test"); err != nil {
		t.Fatal(err)
	}
	code, _ := s.Code(ctx, sess.ID)
	var tokens []string
	for i := 0; i < 11; i++ {
		_, _, token, err := s.Join(ctx, code, Professional)
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, token)
	}
	if _, err := s.ParticipantByToken(ctx, tokens[0]); err != nil {
		t.Fatalf("before the close: %v", err)
	}
	closed, err := s.Close(ctx, sess.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, token := range tokens {
		if _, err := s.ParticipantByToken(ctx, token); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("a token after the close: %v, want not found", err)
		}
	}
	rep, err := s.Report(ctx, closed, MinGroup)
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Participants.ByRole[0].Count.String(); got != "11" || rep.Expired != nil {
		t.Fatalf("professionals after the close: %q (expired %+v), want 11", got, rep.Expired)
	}

	// The material gone, counts kept.
	exec(`DELETE FROM participants WHERE session_id = ?`, sess.ID)
	exec(`INSERT INTO session_archive (session_id, participants, notes, excerpts, votes, themes, material_deleted_at)
		VALUES (?, '{"professional": 11, "parent": 2}', 30, 4, 52, 3, '2027-01-02T03:00:00Z')`, sess.ID)
	rep, err = s.Report(ctx, closed, MinGroup)
	if err != nil {
		t.Fatal(err)
	}
	x := rep.Expired
	if x == nil || x.Notes != 30 || x.Excerpts != 4 || x.Votes != 52 || x.Themes != 3 || x.DeletedAt.Year() != 2027 {
		t.Fatalf("expired: %+v", x)
	}
	if got := rep.Participants.ByRole[0].Count.String(); got != "11" {
		t.Errorf("professionals from the archive: %q, want 11", got)
	}
	if got := rep.Participants.ByRole[1].Count.String(); got != "<10" {
		t.Errorf("parents from the archive: %q, want <10", got)
	}
	if rep.Title != "Werksessie" || len(rep.Clusters) != 1 || rep.Clusters[0].Label != "Werkende paren" ||
		len(rep.Clusters[0].Kinds) != 0 || len(rep.Clusters[0].Themes) != 0 {
		t.Errorf("skeleton: %+v", rep)
	}
}
