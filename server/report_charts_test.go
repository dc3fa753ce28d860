package server

import (
	"archive/zip"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"atelier/accounts"
)

// TestReportCharts follows a session on the test set's clusters A, B, C
// and E from open to closed: while it is open there are no chart images;
// once closed, the report links a ZIP with one SVG per cluster and
// variable, shows the same images per cluster, and serves each on its own.
// No figure leaks through them: TestNoSuppressedValueLeaks checks every
// image's texts and figures.
func TestReportCharts(t *testing.T) {
	ts := newTestServer(t)
	setPath := ts.importTestSet(t)
	steward2 := ts.client(t)
	ts.loginAs(t, steward2, "steward2@example.test")
	ts.postForm(t, steward2, setPath+"/approve", url.Values{"_csrf": {ts.csrfFrom(t, steward2, setPath)}})

	fac := ts.client(t)
	ts.login(t, fac, accounts.Facilitator)
	var sess struct{ ID int64 }
	if st := ts.postJSON(t, fac, "/api/sessions", map[string]any{"project": "test-project", "title": "Grafieken",
		"question": "Hoe kunnen we …?", "clusters": []string{"A", "B", "C", "E"}}, &sess); st != http.StatusCreated {
		t.Fatalf("create session: %d", st)
	}
	id := itoa64(sess.ID)
	ts.postJSON(t, fac, "/api/sessions/"+id+"/open", map[string]any{}, nil)

	policy := ts.client(t)
	ts.login(t, policy, accounts.Policymaker)
	for _, p := range []string{"/s/" + id + "/charts.zip", "/s/" + id + "/charts/A-huishoudtype.svg"} {
		if res, _ := ts.get(t, policy, p); res.StatusCode != http.StatusConflict {
			t.Errorf("%s of an open session: %d, want 409", p, res.StatusCode)
		}
	}
	ts.postJSON(t, fac, "/api/sessions/"+id+"/close", map[string]any{}, nil)

	// The ZIP: one SVG per cluster and variable, named by their ids.
	res, body := ts.get(t, policy, "/s/"+id+"/charts.zip")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("charts.zip: %d\n%.500s", res.StatusCode, body)
	}
	if got, want := res.Header.Get("Content-Type"), "application/zip"; got != want {
		t.Errorf("Content-Type %q, want %q", got, want)
	}
	if got, want := res.Header.Get("Content-Disposition"), `attachment; filename="sessie-`+id+`-grafieken.zip"`; got != want {
		t.Errorf("Content-Disposition %q, want %q", got, want)
	}
	zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	files := map[string]string{}
	for _, f := range zr.File {
		names = append(names, f.Name)
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = string(b)
	}
	var want []string
	for _, cl := range []string{"A", "B", "C", "E"} {
		for _, v := range []string{"huishoudtype", "huurachterstand", "inkomen"} {
			want = append(want, cl+"-"+v+".svg")
		}
	}
	if !slices.Equal(names, want) {
		t.Fatalf("files in the ZIP = %q, want %q", names, want)
	}
	markers := 0
	for name, svg := range files {
		svgTexts(t, name, svg) // fails when not well-formed
		checkLocal(t, name, svg)
		if !strings.Contains(svg, "<title id=\"chart-title\">") || !strings.Contains(svg, "<desc id=\"chart-desc\">") {
			t.Errorf("%s has no title or description", name)
		}
		markers += strings.Count(svg, ">afgeschermd</text>")
	}
	// E (6 households) is suppressed throughout: its images must say so.
	if !strings.Contains(files["E-huishoudtype.svg"], `class="suppressed"`) || markers == 0 {
		t.Errorf("no suppression marker in the images of the small cluster E")
	}

	// One image on its own is the same file as in the ZIP.
	res, one := ts.get(t, policy, "/s/"+id+"/charts/C-huishoudtype.svg")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("one chart: %d", res.StatusCode)
	}
	if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, "image/svg+xml") {
		t.Errorf("Content-Type %q, want image/svg+xml", got)
	}
	if strings.Contains(one, "synthetische") {
		t.Errorf("an image of real (not synthetic) data is labelled synthetic")
	}
	if one != files["C-huishoudtype.svg"] {
		t.Errorf("the single image differs from the one in the ZIP")
	}
	for _, p := range []string{"/s/" + id + "/charts/C-nergens.svg", "/s/" + id + "/charts/..%2Freport", "/s/999/charts.zip"} {
		if res, _ := ts.get(t, policy, p); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, res.StatusCode)
		}
	}

	// The report links the ZIP and shows every image with its summary as
	// alt text, beside a link to the cluster page's tables.
	_, page := ts.get(t, policy, "/s/"+id+"/report")
	if !strings.Contains(page, `href="/s/`+id+`/charts.zip"`) {
		t.Errorf("the report does not link the ZIP")
	}
	imgs := regexp.MustCompile(`<img class="report__chart" src="/s/`+id+`/charts/([^"]+)" alt="([^"]+)">`).FindAllStringSubmatch(page, -1)
	if len(imgs) != len(want) {
		t.Fatalf("%d chart images in the report, want %d", len(imgs), len(want))
	}
	for i, m := range imgs {
		if m[1] != want[i] || !strings.HasPrefix(m[2], "Staafdiagram") {
			t.Errorf("image %d: %q alt %q", i, m[1], m[2])
		}
	}
	if !regexp.MustCompile(`<a href="/p/test-project/sets/\d+/clusters/E">`).MatchString(page) {
		t.Errorf("the report does not link cluster E's page with its tables")
	}
}

func TestSafeFileName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"C1", "C1"},
		{"inkomen", "inkomen"},
		{"huur_achterstand", "huur_achterstand"},
		{"../../etc/passwd", "etc-passwd"},
		{`a"b c`, "a-b-c"},
		{"één", "n"},
		{"", "x"},
		{"///", "x"},
		{strings.Repeat("a", 80), strings.Repeat("a", 60)},
	}
	for _, tt := range tests {
		if got := safeFileName(tt.in); got != tt.want {
			t.Errorf("safeFileName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
