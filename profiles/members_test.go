package profiles

import (
	"context"
	"os"
	"testing"

	"atelier/disclosure"
	"atelier/exports"
	"atelier/internal/apperr"
	"atelier/store"
)

// fixture is a database with a project, two steward accounts and a
// facilitator, made with plain SQL: profiles does not import accounts.
type fixture struct {
	db       *store.DB
	ps       *Store
	project  *Project
	stewards [2]int64
	fac      int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{db: db, ps: NewStore(db)}
	user := func(email, role string) int64 {
		var id int64
		if err := db.Write.QueryRow(`INSERT INTO users (email, role, password_hash, created_at) VALUES (?, ?, 'x', '2027-01-01T00:00:00Z') RETURNING id`,
			email, role).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	f.stewards = [2]int64{user("s1@x.test", "steward"), user("s2@x.test", "steward")}
	f.fac = user("f@x.test", "facilitator")
	if f.project, err = f.ps.CreateProject(ctx, "smart-start-demo", "Smart Start", "Testen.", "test", "cli"); err != nil {
		t.Fatal(err)
	}
	return f
}

// checked reads and checks the example export with its meta file, whose
// project is "smart-start-demo", optionally renamed.
func checked(t *testing.T, project string) *disclosure.Result {
	t.Helper()
	body, err := os.ReadFile("../examples/export.csv")
	if err != nil {
		t.Fatal(err)
	}
	meta, err := os.ReadFile("../examples/export.meta.json")
	if err != nil {
		t.Fatal(err)
	}
	e, err := exports.ReadExport("export.csv", body, meta)
	if err != nil {
		t.Fatal(err)
	}
	if project != "" {
		e.Meta.Project = project
	}
	res, err := disclosure.Check(e, disclosure.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func actor(id int64) Actor { return Actor{UserID: id, Name: "test", Origin: "cli"} }

// TestStewardsActOnlyWhereTheyAreStewards: import and decide need a steward
// membership of the project; a steward who only reads there sees approved
// sets only, and a membership can never exceed the account's role.
func TestStewardsActOnlyWhereTheyAreStewards(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	p := f.project

	_, err := f.ps.Import(ctx, p.ID, checked(t, ""), actor(f.stewards[0]))
	if e, _ := apperr.As(err); e == nil || e.Key != "members.not_steward" {
		t.Fatalf("import by a non-member: %v", err)
	}
	for _, id := range f.stewards {
		if err := f.ps.SetMember(ctx, p.ID, id, "", "test", "cli"); err != nil {
			t.Fatal(err)
		}
	}
	// A meta file that names another project is refused, with both names.
	_, err = f.ps.Import(ctx, p.ID, checked(t, "een-ander-project"), actor(f.stewards[0]))
	if e, _ := apperr.As(err); e == nil || e.Key != "import.meta_project" || e.Args[0] != "een-ander-project" {
		t.Fatalf("import of another project's export: %v", err)
	}
	// By short address or by name, in any case: accepted.
	if _, err := f.ps.Import(ctx, p.ID, checked(t, "SMART START"), actor(f.stewards[0])); err != nil {
		t.Fatalf("import naming the project by name: %v", err)
	}
	set, err := f.ps.Import(ctx, p.ID, checked(t, ""), actor(f.stewards[0]))
	if err != nil {
		t.Fatal(err)
	}

	// The second steward, narrowed to reading, may not decide and no longer
	// sees the pending set.
	if err := f.ps.SetMember(ctx, p.ID, f.stewards[1], ReaderRole, "test", "cli"); err != nil {
		t.Fatal(err)
	}
	if err := f.ps.Approve(ctx, set.ID, actor(f.stewards[1]), ""); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("a reading steward approved: %v", err)
	}
	reviewer := Viewer{UserID: f.stewards[1], Reviewer: true}
	if _, err := f.ps.Set(ctx, reviewer, set.ID); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("a reading steward sees a pending set: %v", err)
	}
	if err := f.ps.SetMember(ctx, p.ID, f.stewards[1], "steward", "test", "cli"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ps.Set(ctx, reviewer, set.ID); err != nil {
		t.Fatalf("a steward member does not see the pending set: %v", err)
	}
	if err := f.ps.Approve(ctx, set.ID, actor(f.stewards[1]), ""); err != nil {
		t.Fatalf("the second steward approving: %v", err)
	}

	// Never more than the account allows; administrators are no members.
	if err := f.ps.SetMember(ctx, p.ID, f.fac, "steward", "test", "cli"); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("a facilitator made steward of a project: %v", err)
	}
	loaded, err := f.ps.ProjectFor(ctx, Viewer{UserID: f.fac}, p.Slug)
	if !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("a non-member loads the project: %+v %v", loaded, err)
	}
	if err := f.ps.SetMember(ctx, p.ID, f.fac, "", "test", "cli"); err != nil {
		t.Fatal(err)
	}
	if loaded, err = f.ps.ProjectFor(ctx, Viewer{UserID: f.fac}, p.Slug); err != nil || loaded.Role != "facilitator" {
		t.Fatalf("a facilitator member loads %+v %v", loaded, err)
	}
	if loaded, _ = f.ps.ProjectFor(ctx, Viewer{UserID: 999, AllProjects: true}, p.Slug); loaded.Role != "admin" {
		t.Fatalf("an administrator's role in the project: %q", loaded.Role)
	}

	// Archived: no new imports.
	if err := f.ps.SetArchived(ctx, p.ID, true, "test", "cli"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ps.Import(ctx, p.ID, checked(t, ""), actor(f.stewards[0])); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("import into an archived project: %v", err)
	}

	members, err := f.ps.Members(ctx, p.ID)
	if err != nil || len(members) != 3 {
		t.Fatalf("members: %+v %v", members, err)
	}
	if err := f.ps.RemoveMember(ctx, p.ID, f.fac, "test", "cli"); err != nil {
		t.Fatal(err)
	}
	if err := f.ps.RemoveMember(ctx, p.ID, f.fac, "test", "cli"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("removing a non-member: %v", err)
	}
}

// TestProjectInput: the administrator's form is checked in the store.
func TestProjectInput(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	for _, tt := range []struct {
		in  ProjectInput
		key string
	}{
		{ProjectInput{Slug: "A b", Name: "n", Purpose: "p"}, "projects.slug_invalid"},
		{ProjectInput{Slug: "ok", Name: " ", Purpose: "p"}, "projects.name_length"},
		{ProjectInput{Slug: "ok", Name: "n", Purpose: ""}, "projects.purpose_length"},
		{ProjectInput{Slug: "ok", Name: "n", Purpose: "p", NotesRetentionDays: 731}, "projects.notes_retention"},
		{ProjectInput{Slug: "ok", Name: "n", Purpose: "p", NotesRetentionDays: 100, ArchiveRetentionDays: 50}, "projects.archive_retention"},
		{ProjectInput{Slug: "smart-start-demo", Name: "n", Purpose: "p"}, "projects.slug_taken"},
	} {
		_, err := f.ps.AddProject(ctx, tt.in, "test", "cli")
		if e, _ := apperr.As(err); e == nil || e.Key != tt.key {
			t.Errorf("%+v: %v, want %s", tt.in, err, tt.key)
		}
	}
	in := ProjectInput{Slug: "tweede", Name: "Tweede", Purpose: "Iets anders.", NotesRetentionDays: 90, ArchiveRetentionDays: 365}
	p, err := f.ps.AddProject(ctx, in, "test", "cli")
	if err != nil {
		t.Fatal(err)
	}
	in.Slug, in.Name = "tweede-project", "Tweede project"
	if err := f.ps.UpdateProject(ctx, p.ID, in, "test", "cli"); err != nil {
		t.Fatal(err)
	}
	got, err := f.ps.ProjectBySlug(ctx, "tweede-project")
	if err != nil || got == nil || got.Name != "Tweede project" || got.NotesRetentionDays != 90 || got.ArchiveRetentionDays != 365 {
		t.Fatalf("after update: %+v %v", got, err)
	}
}
