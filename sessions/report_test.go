package sessions

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"atelier/i18n"
	"atelier/internal/apperr"
	"atelier/store"
)

func TestCountThreshold(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{0, "<10"},
		{1, "<10"},
		{9, "<10"},
		{10, "10"},
		{12, "12"},
		{250, "250"},
	}
	for _, tt := range tests {
		c := countOf(tt.n, MinGroup)
		if got := c.String(); got != tt.want {
			t.Errorf("countOf(%d, MinGroup) = %q, want %q", tt.n, got, tt.want)
		}
		if c.Under && c.N != 0 {
			t.Errorf("countOf(%d, MinGroup) keeps the number %d behind \"<10\"", tt.n, c.N)
		}
	}
}

func TestParticipantsThreshold(t *testing.T) {
	tests := []struct {
		name   string
		raw    map[Role]int
		byRole map[Role]string
		total  string
	}{
		{"all small", map[Role]int{Professional: 4, Parent: 3}, map[Role]string{Professional: "<10", Parent: "<10", Youth: "<10", Other: "<10"}, "<10"},
		// 15 − 12 would give the 3 parents away: the total is withheld.
		{"complement", map[Role]int{Professional: 12, Parent: 3}, map[Role]string{Professional: "12", Parent: "<10", Youth: "<10", Other: "<10"}, "≥10"},
		{"small groups add up to ten", map[Role]int{Professional: 12, Parent: 6, Youth: 4}, map[Role]string{Professional: "12", Parent: "<10", Youth: "<10"}, "22"},
		{"only large groups", map[Role]int{Professional: 12, Parent: 10}, map[Role]string{Professional: "12", Parent: "10", Youth: "<10", Other: "<10"}, "22"},
		{"nobody", map[Role]int{}, map[Role]string{Professional: "<10"}, "<10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := participantsOf(tt.raw, MinGroup)
			if got, want := len(p.ByRole), len(Roles); got != want {
				t.Fatalf("%d roles, want %d", got, want)
			}
			for _, rc := range p.ByRole {
				if want, ok := tt.byRole[rc.Role]; ok && rc.Count.String() != want {
					t.Errorf("%s: %q, want %q", rc.Role, rc.Count, want)
				}
			}
			if got := p.Total.String(); got != tt.total {
				t.Errorf("total %q, want %q", got, tt.total)
			}
		})
	}
}

func TestRoleLabelThreshold(t *testing.T) {
	raw := map[Role]int{Professional: 12, Parent: 3, Youth: 10, Other: 9}
	tests := []struct {
		role Role
		want Role
	}{
		{Professional, Professional},
		{Youth, Youth},
		{Parent, ""},
		{Other, ""}, // not even "other": the label would still point at a small group
	}
	for _, tt := range tests {
		if got := labelled(tt.role, raw, MinGroup); got != tt.want {
			t.Errorf("labelled(%s, MinGroup) = %q, want %q", tt.role, got, tt.want)
		}
	}
}

func TestCSVSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=SUM(A1:A2)", "'=SUM(A1:A2)"},
		{"+31 6", "'+31 6"},
		{"-1", "'-1"},
		{"@cmd", "'@cmd"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"<10", "<10"},
		{"Ouders weten de weg niet", "Ouders weten de weg niet"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := csvSafe(tt.in); got != tt.want {
			t.Errorf("csvSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSortAndRankByVotes(t *testing.T) {
	list := []ReportNote{{Text: "a", Votes: 3}, {Text: "b", Votes: 12}, {Text: "c", Votes: 3}, {Text: "d", Votes: 30}, {Text: "e"}}
	ptrs := []*ReportNote{}
	for i := range list {
		ptrs = append(ptrs, &list[i])
	}
	rank(ptrs)
	sortByVotes(list)
	var got string
	for _, n := range list {
		got += n.Text + n.RankText()
	}
	// Equal totals share a rank and keep their writing order; a note
	// without votes has no rank.
	if want := "d1b2a3c3e–"; got != want {
		t.Fatalf("order and ranks %q, want %q", got, want)
	}
}

// TestVotesByRole: a role with fewer participants than the threshold shows
// "<10" whatever its votes; when the small roles together are a small
// group, no role's votes are shown, because the total minus the others
// would reveal theirs.
func TestVotesByRole(t *testing.T) {
	show := func(rcs []RoleCount) string {
		var parts []string
		for _, rc := range rcs {
			parts = append(parts, string(rc.Role)+"="+rc.Count.String())
		}
		return strings.Join(parts, " ")
	}
	votes := map[Role]int{Professional: 5, Parent: 2}
	if got, want := show(votesByRole(votes, map[Role]int{Professional: 12, Parent: 3}, 10)), "professional=– parent=<10 youth=<10 other=<10"; got != want {
		t.Errorf("3 parents: %s, want %s", got, want)
	}
	if got, want := show(votesByRole(votes, map[Role]int{Professional: 12, Parent: 11}, 10)), "professional=5 parent=2 youth=<10 other=<10"; got != want {
		t.Errorf("11 parents: %s, want %s", got, want)
	}
	if got, want := show(votesByRole(votes, map[Role]int{Professional: 12, Parent: 6, Youth: 5}, 10)), "professional=5 parent=<10 youth=<10 other=<10"; got != want {
		t.Errorf("6 parents and 5 young people (11 together): %s, want %s", got, want)
	}
}

func TestWriteCSV(t *testing.T) {
	byRole := votesByRole(map[Role]int{Professional: 12}, map[Role]int{Professional: 20, Parent: 10}, 10)
	rep := &Report{Clusters: []ClusterReport{{
		Cluster: Cluster{ID: "B", Label: "Werkende paren"},
		Themes: []ReportTheme{
			{Title: "@Schaamte", Notes: []ReportNote{{Kind: "zorg", Text: "Niemand vraagt het.", Votes: 12, Rank: 1, ByRole: byRole, Role: Professional}},
				Excerpts: []ReportExcerpt{{Text: "Ik durfde niet.", Source: "observatie", Tags: []string{}}}},
			{Title: "De weg niet weten"}, // empty: no rows
		},
		Kinds: []KindGroup{{Kind: "idee", Notes: []ReportNote{
			{Kind: "idee", Text: "=HYPERLINK(\"http://x\")"},
			{Kind: "idee", Text: "abc;=1+1", Votes: 4, Rank: 2, ByRole: byRole},
			{Kind: "idee", Text: "Een vast aanspreekpunt, \"dichtbij\"\nop school", Votes: 4, Rank: 2, ByRole: byRole, Role: Professional},
		}}},
		Excerpts: []ReportExcerpt{{Text: "Ik wist het niet.", Source: "interview", Tags: []string{"schaamte", "-x"}}},
	}}}
	roles := []string{"12", "0", "<10", "<10"}
	want := [][]string{
		CSVHeader,
		append([]string{"B", "Werkende paren", "note", "zorg", "Niemand vraagt het.", "12", "professional", "", "", "'@Schaamte", "1"}, roles...),
		{"B", "Werkende paren", "excerpt", "", "Ik durfde niet.", "", "", "observatie", "", "'@Schaamte"},
		{"B", "Werkende paren", "note", "idee", "'=HYPERLINK(\"http://x\")", "0", "", "", "", "", "–"},
		append([]string{"B", "Werkende paren", "note", "idee", "abc;=1+1", "4", "", "", "", "", "2"}, roles...),
		append([]string{"B", "Werkende paren", "note", "idee", "Een vast aanspreekpunt, \"dichtbij\"\nop school", "4", "professional", "", "", "", "2"}, roles...),
		{"B", "Werkende paren", "excerpt", "", "Ik wist het niet.", "", "", "interview", "schaamte; -x", ""},
	}
	for _, sep := range []byte{',', ';'} {
		var buf bytes.Buffer
		if err := rep.WriteCSV(&buf, sep); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !strings.HasPrefix(out, "\uFEFFcluster"+string(sep)+"cluster_label"+string(sep)) {
			t.Fatalf("no BOM and header: %q", out[:min(40, len(out))])
		}
		// A cell holding either delimiter is quoted, whichever is used.
		if !strings.Contains(out, `"abc;=1+1"`) {
			t.Errorf("sep %q: the cell with a semicolon is not quoted:\n%s", sep, out)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF")))
		r.Comma = rune(sep)
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(want) {
			t.Fatalf("%d rows, want %d: %q", len(rows), len(want), rows)
		}
		for i := range want {
			if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
				t.Errorf("sep %q row %d = %q, want %q", sep, i, rows[i], want[i])
			}
		}
	}
}

// TestReportFromStore builds a session in a real database: 3 parents and
// 12 professionals, notes, votes, a deleted and a hidden note, and checks
// that only a closed session has a report and that the report holds no
// pseudonym, no small count and no small group's role.
func TestReportFromStore(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, t.TempDir())
	t.Cleanup(func() { f.db.Close() })
	db, exec, user, project, set := f.db, f.exec, f.user, f.project, f.set
	now := store.Now()

	s := NewStore(db)
	sess, _, err := s.Create(ctx, NewSession{ProjectID: project, Title: "Werksessie", Question: "Hoe kunnen we eerder helpen?",
		Clusters: []Cluster{{SetID: set, ID: "B", Label: "Werkende paren"}, {SetID: set, ID: "C", Label: "Alleenstaanden"}}, Lang: i18n.NL, CreatedBy: user})
	if err != nil {
		t.Fatal(err)
	}
	report := func() (*Report, error) {
		cur, err := s.Get(ctx, sess.ID)
		if err != nil {
			return nil, err
		}
		return s.Report(ctx, cur, MinGroup)
	}
	if _, err := report(); codeOf(err) != apperr.Conflict {
		t.Fatalf("report of a draft: %v, want a conflict", err)
	}
	if _, err := s.Open(ctx, sess.ID, "test"); err != nil {
		t.Fatal(err)
	}
	code, _ := s.Code(ctx, sess.ID)
	var pseudonyms []string
	var parents, pros []int64
	for i := 0; i < 15; i++ {
		role := Professional
		if i < 3 {
			role = Parent
		}
		_, p, _, err := s.Join(ctx, code, role)
		if err != nil {
			t.Fatal(err)
		}
		pseudonyms = append(pseudonyms, p.Pseudonym)
		if role == Parent {
			parents = append(parents, p.ID)
		} else {
			pros = append(pros, p.ID)
		}
	}
	addNote := func(by int64, cluster, kind, text string, deleted, hidden bool) int64 {
		return exec(`INSERT INTO notes (session_id, participant_id, cluster_id, kind, text, deleted, hidden, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			sess.ID, by, cluster, kind, text, deleted, hidden, now, now)
	}
	parentNote := addNote(parents[0], "B", "zorg", "Brieven zijn moeilijk.", false, false)
	proNote := addNote(pros[0], "B", "idee", "Een vast aanspreekpunt.", false, false)
	deleted := addNote(pros[1], "C", "kans", "Verwijderd.", true, false)
	hidden := addNote(pros[2], "C", "kans", "Verborgen.", false, true)
	// Themes, in an order that is not their insertion order: on B one with
	// the parent's note (a small group's note inside a theme) and on C one
	// holding only the deleted and the hidden note, and the excerpt.
	addTheme := func(cluster, title string, position int) int64 {
		return exec(`INSERT INTO themes (session_id, cluster_id, title, position, created_at) VALUES (?, ?, ?, ?, ?)`, sess.ID, cluster, title, position, now)
	}
	brieven := addTheme("B", "Brieven", 2)
	addTheme("B", "Leeg thema", 1)
	schaamte := addTheme("C", "Schaamte", 3)
	exec(`UPDATE notes SET theme_id = ? WHERE id = ?`, brieven, parentNote)
	exec(`UPDATE notes SET theme_id = ? WHERE id IN (?, ?)`, schaamte, deleted, hidden)
	for _, p := range pros[:11] {
		exec(`INSERT INTO votes (session_id, note_id, participant_id, created_at) VALUES (?, ?, ?, ?)`, sess.ID, proNote, p, now)
	}
	exec(`INSERT INTO votes (session_id, note_id, participant_id, created_at) VALUES (?, ?, ?, ?)`, sess.ID, parentNote, parents[1], now)
	exec(`INSERT INTO excerpts (session_id, participant_id, cluster_id, text, source, tags, created_at, theme_id) VALUES (?, ?, 'C', 'Ik schaamde me.', 'interview', '["schaamte"]', ?, ?)`,
		sess.ID, parents[2], now, schaamte)
	exec(`INSERT INTO excerpts (session_id, participant_id, cluster_id, text, source, tags, created_at) VALUES (?, ?, 'C', 'Buiten elk thema.', 'observatie', '[]', ?)`,
		sess.ID, pros[3], now)

	if _, err := report(); codeOf(err) != apperr.Conflict {
		t.Fatalf("report of an open session: %v, want a conflict", err)
	}
	if _, err := s.Get(ctx, 9999); codeOf(err) != apperr.NotFound {
		t.Fatalf("no session: %v, want not found", err)
	}
	if _, err := s.Close(ctx, sess.ID, "test"); err != nil {
		t.Fatal(err)
	}
	rep, err := report()
	if err != nil {
		t.Fatal(err)
	}

	if got := rep.Participants.Total.String(); got != "≥10" {
		t.Errorf("total participants %q, want ≥10 (15 − 12 would reveal the parents)", got)
	}
	for _, rc := range rep.Participants.ByRole {
		want := "<10"
		if rc.Role == Professional {
			want = "12"
		}
		if rc.Count.String() != want {
			t.Errorf("participants %s = %q, want %q", rc.Role, rc.Count, want)
		}
	}
	if len(rep.Clusters) != 2 || rep.Clusters[0].ID != "B" || rep.Clusters[1].ID != "C" {
		t.Fatalf("clusters %+v", rep.Clusters)
	}
	b := rep.Clusters[0]
	// B: the empty theme first (position 1), then the parent's note under
	// its theme, without a role, with its one vote ranked second.
	if len(b.Themes) != 2 || b.Themes[0].Title != "Leeg thema" || len(b.Themes[0].Notes) != 0 || b.Themes[1].Title != "Brieven" {
		t.Fatalf("themes of B: %+v", b.Themes)
	}
	if th := b.Themes[1]; len(th.Notes) != 1 || th.Notes[0].Text != "Brieven zijn moeilijk." || th.Notes[0].Role != "" || th.Notes[0].Votes != 1 || th.Notes[0].Rank != 2 {
		t.Errorf("parent's note in a theme: %+v, want it without a role, 1 vote, rank 2", th.Notes)
	}
	if len(b.Kinds) != 1 || b.Kinds[0].Kind != "idee" {
		t.Fatalf("kinds of B (notes in no theme): %+v", b.Kinds)
	}
	// 3 parents: their votes, and so every role's, stay out of sight.
	if n := b.Kinds[0].Notes[0]; n.Role != Professional || n.Votes != 11 || n.Rank != 1 || n.ByRole[0].Count.String() != "–" || n.ByRole[1].Count.String() != "<10" {
		t.Errorf("professional's note: %+v, want professional, 11 votes, rank 1, per role – and <10", n)
	}
	c := rep.Clusters[1]
	if len(c.Kinds) != 0 {
		t.Errorf("deleted or hidden notes in the report: %+v", c.Kinds)
	}
	if len(c.Themes) != 1 || len(c.Themes[0].Notes) != 0 {
		t.Errorf("deleted or hidden notes in a theme: %+v", c.Themes)
	}
	if x := c.Themes[0].Excerpts; len(x) != 1 || x[0].Role != "" || x[0].Tags[0] != "schaamte" {
		t.Errorf("excerpts of C's theme: %+v", x)
	}
	if len(c.Excerpts) != 1 || c.Excerpts[0].Text != "Buiten elk thema." || c.Excerpts[0].Role != Professional {
		t.Errorf("excerpts of C in no theme: %+v", c.Excerpts)
	}

	var buf bytes.Buffer
	if err := rep.WriteCSV(&buf, ','); err != nil {
		t.Fatal(err)
	}
	for _, p := range pseudonyms {
		if strings.Contains(buf.String(), p) {
			t.Errorf("CSV holds pseudonym %q", p)
		}
	}
	if _, body, _ := strings.Cut(buf.String(), "\r\n"); strings.Contains(body, "parent") {
		t.Errorf("CSV names the parents' role:\n%s", buf.String())
	}
	if !strings.Contains(buf.String(), "Brieven zijn moeilijk.,1,,,,Brieven,2,–,<10,<10,<10\r\n") {
		t.Errorf("CSV lacks the theme of the parent's note:\n%s", buf.String())
	}

	// A session with themes can still be deleted as a whole: the themes,
	// and the notes that point at them, go with it.
	if _, err := db.Write.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, sess.ID); err != nil {
		t.Fatalf("delete a session with themes: %v", err)
	}
	var left int
	db.Write.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM themes) + (SELECT COUNT(*) FROM notes) + (SELECT COUNT(*) FROM excerpts)`).Scan(&left)
	if left != 0 {
		t.Errorf("%d themes, notes and excerpts left after deleting their session", left)
	}
}

func codeOf(err error) apperr.Code { return apperr.CodeOf(err) }

// TestReportThresholdFollowsProject: a project with stricter rules shows
// counts of people under its own minimum, never under the default.
func TestReportThresholdFollowsProject(t *testing.T) {
	raw := map[Role]int{Professional: 12, Parent: 16}
	p := participantsOf(raw, 15)
	if got, want := p.ByRole[0].Count.String(), "<15"; got != want {
		t.Errorf("12 professionals under a minimum of 15: %q, want %q", got, want)
	}
	if got, want := p.ByRole[1].Count.String(), "16"; got != want {
		t.Errorf("16 parents: %q, want %q", got, want)
	}
	if got, want := p.Total.String(), "≥15"; got != want {
		t.Errorf("total of 28 with 12 hidden: %q, want %q", got, want)
	}
	if got := labelled(Professional, raw, 15); got != "" {
		t.Errorf("a role of 12 people under a minimum of 15 is labelled %q", got)
	}
}
