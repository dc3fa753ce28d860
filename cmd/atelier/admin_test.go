package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// setupLine matches the line `serve` prints on a first start.
var setupLine = regexp.MustCompile(`(https?://\S+/setup/([A-Za-z0-9_-]+))`)

// linkLine matches a link that `user invite` or `user reset` prints.
var linkLine = regexp.MustCompile(`(?m)^(https?://\S+/invite/[A-Za-z0-9_-]+)$`)

func dataEnv(data string) func(string) string {
	return func(k string) string {
		if k == "ATELIER_DATA" {
			return data
		}
		return ""
	}
}

// TestFirstStartPrintsOneSetupLink: without -demo, an empty install prints
// one setup address on standard output (never in the log); once an
// administrator exists, through `user add -role admin`, no address is
// printed and the old one answers 404.
func TestFirstStartPrintsOneSetupLink(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	p := startServe(t, data)
	out := p.Stdout.String()
	m := setupLine.FindStringSubmatch(out)
	if m == nil || strings.Count(out, "/setup/") != 1 {
		t.Fatalf("no single setup line on stdout:\n%s", out)
	}
	if strings.Contains(p.Stderr.String(), m[2]) {
		t.Fatal("the setup token is in the log")
	}
	res, err := http.Get(m[1])
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("setup page: %d", res.StatusCode)
	}
	p.Stop(t)

	if _, errOut, code := runCmd(t, dataEnv(data), "een lang wachtwoord\n", "user", "add", "-email", "beheer@gemeente.example", "-role", "admin"); code != 0 {
		t.Fatalf("user add: %s", errOut)
	}
	p2 := startServe(t, data)
	if strings.Contains(p2.Stdout.String(), "/setup/") {
		t.Fatalf("a setup line with an administrator present:\n%s", p2.Stdout.String())
	}
	u, _ := url.Parse(m[1])
	res, err = http.Get(p2.URL + u.Path)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "al ingericht") {
		t.Fatalf("the old setup address: %d", res.StatusCode)
	}
}

// TestCommandLineInstall sets up a real install from the command line
// alone, as a script would: an administrator, a project, members, an
// import and its four-eyes approval; then the facilitator sees the project
// and its clusters in GET /api/projects. Invitations, resets and
// disabling work from the command line too.
func TestCommandLineInstall(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	env := dataEnv(data)
	run := func(stdin string, args ...string) string {
		t.Helper()
		out, errOut, code := runCmd(t, env, stdin, args...)
		if code != 0 {
			t.Fatalf("atelier %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
		}
		return out
	}
	pw := "een lang wachtwoord\n"
	run(pw, "user", "add", "-email", "beheer@gemeente.example", "-role", "admin")
	run(pw, "user", "add", "-email", "fac@gemeente.example", "-role", "facilitator")
	run(pw, "user", "add", "-email", "s1@gemeente.example", "-role", "steward")
	run(pw, "user", "add", "-email", "s2@gemeente.example", "-role", "steward")
	run("", "project", "add", "-slug", "smart-start-demo", "-name", "Smart Start", "-purpose", "Preventie van schulden bij gezinnen.")
	for _, email := range []string{"fac@gemeente.example", "s1@gemeente.example", "s2@gemeente.example"} {
		run("", "project", "member", "add", "-project", "smart-start-demo", "-email", email)
	}
	if out := run("", "project", "list"); !strings.Contains(out, "smart-start-demo") || !strings.Contains(out, "Preventie") {
		t.Fatalf("project list:\n%s", out)
	}
	run("", "import", "../../examples/export.csv", "-project", "smart-start-demo", "-by", "s1@gemeente.example")
	run("", "approve", "-set", "1", "-by", "s2@gemeente.example")

	p := startServe(t, data)
	fac := newClient()
	login(t, fac, p.URL, "fac@gemeente.example", "een lang wachtwoord")
	res, err := fac.Get(p.URL + "/api/projects")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Projects []struct {
			Slug, Purpose string
			Clusters      []struct{ ID string }
		}
	}
	json.NewDecoder(res.Body).Decode(&got)
	res.Body.Close()
	if len(got.Projects) != 1 || got.Projects[0].Slug != "smart-start-demo" || len(got.Projects[0].Clusters) == 0 {
		t.Fatalf("the facilitator's projects: %+v", got)
	}

	// An invitation from the command line works in the browser.
	out := run("", "user", "invite", "-email", "beleid@gemeente.example", "-role", "policymaker", "-url", p.URL)
	m := linkLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no link printed:\n%s", out)
	}
	res, err = http.Get(m[1])
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "beleid@gemeente.example") {
		t.Fatalf("invitation page: %d", res.StatusCode)
	}
	if out := run("", "user", "list"); !strings.Contains(out, "invited until") {
		t.Fatalf("user list does not show the invitation:\n%s", out)
	}

	// Disabled from the command line: the browser session ends at once.
	run("", "user", "disable", "-email", "fac@gemeente.example")
	res, err = fac.Get(p.URL + "/api/me")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a disabled account's next request: %d", res.StatusCode)
	}
	run("", "user", "enable", "-email", "fac@gemeente.example")
	if out := run("", "user", "reset", "-email", "fac@gemeente.example", "-url", p.URL); linkLine.FindString(out) == "" {
		t.Fatalf("user reset printed no link:\n%s", out)
	}
	if _, errOut, code := runCmd(t, env, "", "user", "disable", "-email", "beheer@gemeente.example"); code != 1 || !strings.Contains(errOut, "laatste beheerder") {
		t.Fatalf("disabling the last administrator: exit %d %s", code, errOut)
	}
	if _, errOut, code := runCmd(t, env, "", "project", "member", "add", "-project", "nope", "-email", "fac@gemeente.example"); code != 1 || !strings.Contains(errOut, "nope") {
		t.Fatalf("member add to an unknown project: exit %d %s", code, errOut)
	}
}
