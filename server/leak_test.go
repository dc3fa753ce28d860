package server

import (
	"archive/zip"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"atelier/accounts"
	"atelier/disclosure"
	"atelier/i18n"
	"atelier/profiles"
)

// rawCell is one figure of the test export as the researcher had it,
// including what must never be shown.
type rawCell struct {
	cluster, variable, category string
	count                       float64
	sum, contributors           float64
	top1, top2                  float64
	magnitude                   bool
}

func readRawExport(t *testing.T, path string) []rawCell {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	num := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
	var out []rawCell
	for _, r := range recs[1:] {
		c := rawCell{cluster: r[0], variable: r[2], category: r[4], count: num(r[5]), sum: num(r[6]),
			contributors: num(r[7]), top1: num(r[8]), top2: num(r[9])}
		c.magnitude = r[2] != "" && r[4] == ""
		out = append(out, c)
	}
	return out
}

// forbidden returns the numbers that must appear in no output: every
// suppressed figure, its share of the cluster, its mean, and every single
// household's contribution (top1, top2), published or not.
func forbidden(t *testing.T, raw []rawCell, res *disclosure.Result) []float64 {
	t.Helper()
	sizes := map[string]float64{}
	for _, c := range raw {
		if c.variable == "" {
			sizes[c.cluster] = c.count
		}
	}
	status := func(c rawCell) disclosure.Status {
		for _, cf := range res.Clusters {
			if cf.ID != c.cluster {
				continue
			}
			if c.variable == "" {
				return cf.Size.Status
			}
			for vi, v := range res.Variables {
				if v.Name != c.variable {
					continue
				}
				if c.magnitude {
					return cf.Variables[vi].Magnitude.Status
				}
				for k, cat := range v.Categories {
					if cat == c.category {
						return cf.Variables[vi].Counts[k].Status
					}
				}
			}
		}
		t.Fatalf("no figure for %+v", c)
		return ""
	}
	var out []float64
	for _, c := range raw {
		if c.top1 != 0 {
			out = append(out, c.top1, c.top2)
		}
		if status(c) == disclosure.Published {
			continue
		}
		if c.magnitude {
			out = append(out, c.sum, math.Round(c.sum/c.contributors*10)/10)
			continue
		}
		// Small counts (under 10) are single digits found everywhere in a
		// page; they are checked structurally (chart data, table cells)
		// rather than as text.
		if c.count >= 10 {
			out = append(out, c.count)
		}
		if c.variable != "" && sizes[c.cluster] > 0 {
			out = append(out, math.Round(c.count/sizes[c.cluster]*1000)/10)
		}
	}
	return out
}

// published returns every number an honest page may show: published
// figures, shares and means computed from published figures only, and the
// audit bounds (which follow from published figures by construction).
func published(res *disclosure.Result) map[float64]bool {
	ok := map[float64]bool{}
	round := func(x float64) float64 { return math.Round(x*10) / 10 }
	rows := append(append([]disclosure.ClusterFigures{}, res.Clusters...), res.Population)
	for _, cf := range rows {
		var size float64
		if cf.Size.Count != nil {
			size = float64(*cf.Size.Count)
			ok[size] = true
		}
		addAudit := func(f disclosure.Figure) {
			if f.Audit != nil {
				ok[round(f.Audit.Min)] = true
				if f.Audit.Max != nil {
					ok[round(*f.Audit.Max)] = true
				}
			}
		}
		addAudit(cf.Size)
		for _, vf := range cf.Variables {
			for _, f := range vf.Counts {
				addAudit(f)
				if f.Count != nil {
					ok[float64(*f.Count)] = true
					if size > 0 {
						ok[round(float64(*f.Count)/size*100)] = true
					}
				}
			}
			if m := vf.Magnitude; m != nil {
				addAudit(*m)
				if m.Sum != nil {
					ok[*m.Sum] = true
				}
				if m.Contributors != nil {
					ok[float64(*m.Contributors)] = true
				}
				if mean, has := m.Mean(); has {
					ok[round(mean)] = true
				}
			}
		}
	}
	return ok
}

// seriesValues collects the data values of every chart series.
func seriesValues(doc any) []float64 {
	var out []float64
	m, _ := doc.(map[string]any)
	series, _ := m["series"].([]any)
	for _, s := range series {
		sm, _ := s.(map[string]any)
		data, _ := sm["data"].([]any)
		for _, d := range data {
			switch x := d.(type) {
			case float64:
				out = append(out, x)
			case map[string]any:
				if v, isNum := x["value"].(float64); isNum {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

var staticRef = regexp.MustCompile(`/static/[^"']+`)

// numberForms are the ways a number can be written on a page or in JSON.
func numberForms(v float64) []string {
	forms := []string{i18n.Number(i18n.NL, v, 1), i18n.Number(i18n.EN, v, 1), strconv.FormatFloat(v, 'f', -1, 64)}
	if v != math.Trunc(v) {
		forms = append(forms, strings.Replace(strconv.FormatFloat(v, 'f', 1, 64), ".", ",", 1))
	}
	return forms
}

// numbersIn returns a pattern that finds any of the forms written as a
// number of its own (not part of a longer number or a word); its second
// group is the form found. One pattern for all forms reads each page once.
func numbersIn(forms []string) *regexp.Regexp {
	quoted := make([]string, len(forms))
	for i, f := range forms {
		quoted[i] = regexp.QuoteMeta(f)
	}
	return regexp.MustCompile(`(^|[^0-9A-Za-z.,_-])(` + strings.Join(quoted, "|") + `)($|[^0-9A-Za-z]|[.,][^0-9])`)
}

// TestNoSuppressedValueLeaks imports a set and, while it is pending,
// rejected, approved and withdrawn, requests every page and JSON endpoint as
// every role. A set that is not approved is invisible to everyone but
// stewards; no state lets any suppressed value or single household's value
// out, in HTML, attributes, JSON or chart options.
func TestNoSuppressedValueLeaks(t *testing.T) {
	ts := newTestServer(t)
	raw := readRawExport(t, "testdata/export.csv")

	steward2 := ts.client(t)
	ts.loginAs(t, steward2, "steward2@example.test")
	decide := func(setPath, action, reason string) {
		t.Helper()
		res := ts.postForm(t, steward2, setPath+"/"+action, url.Values{"_csrf": {ts.csrfFrom(t, steward2, setPath)}, "reason": {reason}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d", action, res.StatusCode)
		}
	}
	setID := func(setPath string) int64 {
		id, _ := strconv.ParseInt(setLocation.FindStringSubmatch(setPath)[1], 10, 64)
		return id
	}

	rejected := ts.importTestSet(t)
	decide(rejected, "reject", "Niet de goede populatie.")
	pending := ts.importTestSet(t)
	approved := ts.importTestSet(t)
	decide(approved, "approve", "Gecontroleerd.")

	// A closed session on the approved set's clusters: its report and its
	// chart images (one SVG per cluster and variable, and all of them in
	// a ZIP) draw on the same figures.
	fac := ts.client(t)
	ts.login(t, fac, accounts.Facilitator)
	var sess struct{ ID int64 }
	if st := ts.postJSON(t, fac, "/api/sessions", map[string]any{"project": "test-project", "title": "Lektest",
		"question": "Hoe kunnen we …?", "clusters": []string{"A", "B", "C", "E"}}, &sess); st != http.StatusCreated {
		t.Fatalf("create session: %d", st)
	}
	ts.postJSON(t, fac, "/api/sessions/"+itoa64(sess.ID)+"/open", map[string]any{}, nil)
	ts.postJSON(t, fac, "/api/sessions/"+itoa64(sess.ID)+"/close", map[string]any{}, nil)
	sessionPaths := []string{"/s/" + itoa64(sess.ID) + "/report", "/s/" + itoa64(sess.ID) + "/charts.zip"}
	for _, cl := range []string{"A", "B", "C", "E"} {
		for _, v := range []string{"huishoudtype", "huurachterstand", "inkomen"} {
			sessionPaths = append(sessionPaths, "/s/"+itoa64(sess.ID)+"/charts/"+cl+"-"+v+".svg")
		}
	}

	set, err := ts.Profiles.Set(t.Context(), profiles.Viewer{UserID: ts.Users[accounts.Steward].ID, Reviewer: true}, setID(approved))
	if err != nil {
		t.Fatal(err)
	}
	allowed := published(set.Result)
	var bad, badText []float64
	for _, v := range forbidden(t, raw, set.Result) {
		if allowed[v] {
			continue // the same number is also published elsewhere: not telling
		}
		bad = append(bad, v)
		// Small whole numbers are everywhere in a page (font sizes, list
		// positions); as text, only distinctive numbers are searched. The
		// chart data below is checked for every one.
		if v >= 100 || v != math.Trunc(v) {
			badText = append(badText, v)
		}
	}
	if len(bad) < 10 || len(badText) < 5 {
		t.Fatalf("only %d (%d distinctive) forbidden numbers: the test data hides too little to test", len(bad), len(badText))
	}
	var forms []string
	for _, v := range badText {
		forms = append(forms, numberForms(v)...)
	}
	forbidden := numbersIn(forms)

	paths := func(setPath string) []string {
		id := setID(setPath)
		p := []string{"/", "/p/test-project", setPath, setPath + "/compare?variable=huishoudtype&c=A&c=B&c=C&c=E",
			"/api/projects", fmt.Sprintf("/api/sets/%d/compare/huishoudtype?c=A&c=B&c=C&c=E", id)}
		for _, cl := range []string{"A", "B", "C", "E"} {
			p = append(p, setPath+"/clusters/"+cl)
			for _, v := range []string{"huishoudtype", "huurachterstand", "inkomen"} {
				p = append(p, fmt.Sprintf("/api/sets/%d/clusters/%s/charts/%s", id, cl, v))
			}
		}
		if setPath == approved {
			p = append(p, sessionPaths...)
		}
		return p
	}

	check := func(state, setPath string, visibleToAll bool) {
		roles := append([]accounts.Role{}, accounts.Roles...)
		for _, r := range roles {
			c := ts.client(t)
			ts.login(t, c, r)
			for _, p := range paths(setPath) {
				res, body := ts.get(t, c, p)
				// Every test set has the same name and clusters, so look for
				// this set by its id: a link to it, or its own pages answering.
				id := strconv.FormatInt(setID(setPath), 10)
				seesSet := res.StatusCode == http.StatusOK &&
					(strings.Contains(body, "/sets/"+id+`"`) || strings.Contains(p, "/sets/"+id) || strings.Contains(p, "/api/sets/"+id))
				mayBeSeen := visibleToAll || r == accounts.Steward
				if !mayBeSeen && seesSet && !strings.HasPrefix(p, "/api/projects") {
					t.Errorf("%s set: %s sees it at %s", state, r, p)
				}
				if !mayBeSeen && strings.HasPrefix(p, "/api/projects") && strings.Contains(body, `"set":`+strconv.FormatInt(setID(setPath), 10)) {
					t.Errorf("%s set: %s finds its clusters in /api/projects", state, r)
				}
				text := staticRef.ReplaceAllString(body, "")
				// In an image the coordinates are numbers too: search its
				// texts, and check every figure beside a bar as chart data.
				var images []string
				switch {
				case res.StatusCode != http.StatusOK:
				case strings.HasSuffix(p, ".svg"):
					images = []string{body}
				case strings.HasSuffix(p, ".zip"):
					images = unzipAll(t, body)
				}
				if images != nil {
					text = ""
				}
				for _, img := range images {
					texts, values := svgTexts(t, p, img)
					text += texts
					if len(values) == 0 {
						t.Errorf("%s: an image without figures; the check below would pass vacuously", p)
					}
					for _, n := range values {
						for _, v := range bad {
							if n == v {
								t.Errorf("%s set, %s, %s: an image shows forbidden value %v", state, r, p, v)
							}
						}
					}
				}
				if m := forbidden.FindStringSubmatch(text); m != nil {
					t.Errorf("%s set, %s, %s: forbidden number %s appears", state, r, p, m[2])
				}
				if strings.HasPrefix(p, "/api/sets/") && res.StatusCode == http.StatusOK {
					var doc any
					if err := json.Unmarshal([]byte(body), &doc); err != nil {
						t.Fatalf("%s: not JSON: %v", p, err)
					}
					nums := seriesValues(doc)
					if len(nums) == 0 {
						t.Errorf("%s: no series data found; the check below would pass vacuously", p)
					}
					for _, n := range nums {
						for _, v := range bad {
							if n == v {
								t.Errorf("%s set, %s, %s: chart options hold forbidden value %v", state, r, p, v)
							}
						}
					}
				}
			}
		}
	}
	check("rejected", rejected, false)
	check("pending", pending, false)
	check("approved", approved, true)
	decide(approved, "withdraw", "Vervangen door een nieuwere export.")
	check("withdrawn", approved, false)

	// A withdrawn set's charts leave the session's report and its images,
	// for stewards too: the images show approved sets only.
	for _, r := range accounts.Roles {
		c := ts.client(t)
		ts.login(t, c, r)
		for _, p := range sessionPaths {
			res, body := ts.get(t, c, p)
			switch {
			case strings.HasSuffix(p, "/report"):
				if res.StatusCode != http.StatusOK || strings.Contains(body, "report__chart") || strings.Contains(body, "charts.zip") {
					t.Errorf("withdrawn set, %s, %s: %d, still shows charts", r, p, res.StatusCode)
				}
			case res.StatusCode != http.StatusNotFound:
				t.Errorf("withdrawn set, %s, %s: %d, want 404", r, p, res.StatusCode)
			}
		}
	}
}

// unzipAll returns the contents of every file in a ZIP archive.
func unzipAll(t *testing.T, body string) []string {
	t.Helper()
	zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a ZIP: %v", err)
	}
	var out []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

// svgTexts parses an SVG image and returns its texts, one per line, and
// the numbers of its value labels (the figures beside the bars), read in
// Dutch, the test clients' language.
func svgTexts(t *testing.T, where, body string) (string, []float64) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(body))
	var texts strings.Builder
	var values []float64
	value := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: not well-formed: %v", where, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			value = false
			for _, a := range tok.Attr {
				if a.Name.Local == "class" && a.Value == "value" {
					value = true
				}
			}
		case xml.CharData:
			texts.Write(tok)
			texts.WriteByte('\n')
			if value {
				s := strings.NewReplacer(".", "", ",", ".", "%", "").Replace(strings.TrimSpace(string(tok)))
				n, err := strconv.ParseFloat(s, 64)
				if err != nil {
					t.Errorf("%s: value label %q is not a number", where, tok)
				}
				values = append(values, n)
			}
		case xml.EndElement:
			value = false
		}
	}
	return texts.String(), values
}
