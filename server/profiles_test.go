package server

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"atelier/accounts"
)

// upload posts an export file to the import form as c, and returns the
// response (not followed) and its body.
func (ts *testServer) upload(t testing.TB, c *http.Client, file string, content []byte) (*http.Response, string) {
	t.Helper()
	token := ts.csrfFrom(t, c, "/p/"+ts.Project.Slug+"/import")
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("_csrf", token)
	fw, _ := mw.CreateFormFile("export", file)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/p/"+ts.Project.Slug+"/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

var setLocation = regexp.MustCompile(`^/p/[a-z0-9-]+/sets/(\d+)$`)

// importTestSet imports server/testdata/export.csv as the first steward and
// returns the set's page path.
func (ts *testServer) importTestSet(t testing.TB) string {
	t.Helper()
	content, err := os.ReadFile("testdata/export.csv")
	if err != nil {
		t.Fatal(err)
	}
	c := ts.client(t)
	ts.login(t, c, accounts.Steward)
	res, body := ts.upload(t, c, "export.csv", content)
	if res.StatusCode != http.StatusSeeOther || !setLocation.MatchString(res.Header.Get("Location")) {
		t.Fatalf("import: %d %s\n%.500s", res.StatusCode, res.Header.Get("Location"), body)
	}
	return res.Header.Get("Location")
}

func TestImportFourEyesAndVisibility(t *testing.T) {
	ts := newTestServer(t)
	setPath := ts.importTestSet(t)

	steward := ts.client(t)
	ts.login(t, steward, accounts.Steward)
	_, body := ts.get(t, steward, setPath)
	for _, want := range []string{"wacht op beoordeling", "afgeschermd", "Veilig"} {
		if !strings.Contains(body, want) {
			t.Errorf("steward's review page lacks %q", want)
		}
	}

	// While pending, nobody but stewards sees the set or even its name.
	for _, r := range []accounts.Role{accounts.Facilitator, accounts.Policymaker, accounts.Admin} {
		c := ts.client(t)
		ts.login(t, c, r)
		if res, _ := ts.get(t, c, setPath); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s sees the pending set: %d", r, res.StatusCode)
		}
		if _, body := ts.get(t, c, "/p/"+ts.Project.Slug); strings.Contains(body, "export.csv") {
			t.Errorf("%s sees the pending set's name in the project", r)
		}
	}

	// The importer cannot approve their own import.
	res := ts.postForm(t, steward, setPath+"/approve", url.Values{"_csrf": {ts.csrfFrom(t, steward, setPath)}})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("importer approving own set: %d, want 403", res.StatusCode)
	}
	events, _ := ts.DB.AuditLog(t.Context(), 20)
	var refused bool
	for _, e := range events {
		if e.Action == "profiles.approved" && strings.HasPrefix(e.Result, "refused") {
			refused = true
		}
	}
	if !refused {
		t.Error("the refused self-approval is not in the audit log")
	}

	// A second steward approves.
	second := ts.client(t)
	ts.loginAs(t, second, "steward2@example.test")
	res = ts.postForm(t, second, setPath+"/approve", url.Values{"_csrf": {ts.csrfFrom(t, second, setPath)}, "reason": {"Gecontroleerd."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second steward approving: %d", res.StatusCode)
	}
	fac := ts.client(t)
	ts.login(t, fac, accounts.Facilitator)
	res, body = ts.get(t, fac, setPath)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Goedgekeurd") || !strings.Contains(body, "steward2@example.test") {
		t.Fatalf("facilitator after approval: %d\n%.400s", res.StatusCode, body)
	}
	// The small cluster's size never shows; the other sizes do.
	if !strings.Contains(body, "Kleine groep") {
		t.Fatal("the small cluster is not listed at all")
	}
	if !strings.Contains(body, ">210<") {
		t.Error("a published cluster size is missing")
	}
	// Approving twice is refused.
	res = ts.postForm(t, second, setPath+"/approve", url.Values{"_csrf": {ts.csrfFrom(t, second, setPath)}})
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("approving an approved set: %d, want 409", res.StatusCode)
	}
}

func TestImportRejectsBadFileWhole(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	ts.login(t, c, accounts.Steward)
	content, _ := os.ReadFile("testdata/bad.csv")
	res, body := ts.upload(t, c, "bad.csv", content)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad file: %d, want 422", res.StatusCode)
	}
	for _, want := range []string{"bad.csv", "3", "count", "niets opgeslagen"} {
		if !strings.Contains(body, want) {
			t.Errorf("error page lacks %q", want)
		}
	}
	var n int
	ts.DB.Read.QueryRow(`SELECT COUNT(*) FROM profile_sets`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d sets stored after a rejected file", n)
	}
}
