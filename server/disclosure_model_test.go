package server

import (
	"atelier/i18n"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"math/rand"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"atelier/accounts"
	"atelier/disclosure"
	"atelier/internal/sdcattack"
	"atelier/profiles"
)

// Disclosure over HTTP: what a policymaker can read of an approved set,
// scraped from the pages, is attacked by an LP that knows only that and
// the relations that hold by construction (internal/sdcattack); and every
// number a page, a chart's options or a chart image shows is a figure of
// the audit's model or computed from published figures only.

// testSet is a raw export for the HTTP tests: cluster sizes, frequency
// variables (counts per cluster and category) and magnitudes (per cluster:
// sum, contributors, top1, top2).
type testSet struct {
	sizes []int64
	freqs map[string][][]int64
	mags  map[string][][4]float64
	order []string // variable names in file order
}

func (s testSet) csv() []byte {
	var b strings.Builder
	b.WriteString("cluster,cluster_label,variable,variable_label,category,count,sum,contributors,top1,top2,suppress\n")
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	for ci, n := range s.sizes {
		fmt.Fprintf(&b, "c%d,Groep %d,,,,%d,,,,,\n", ci, ci, n)
		for _, v := range s.order {
			if rows, ok := s.freqs[v]; ok {
				for k, n := range rows[ci] {
					fmt.Fprintf(&b, "c%d,,%s,,k%d,%d,,,,,\n", ci, v, k, n)
				}
				continue
			}
			m := s.mags[v][ci]
			fmt.Fprintf(&b, "c%d,,%s,,,,%s,%d,%s,%s,\n", ci, v, num(m[0]), int64(m[1]), num(m[2]), num(m[3]))
		}
	}
	return []byte(b.String())
}

// approveSet imports a set as the first steward and approves it as the
// second; it returns the set's id.
func (ts *testServer) approveSet(t *testing.T, s testSet) int64 {
	t.Helper()
	st := ts.client(t)
	ts.login(t, st, accounts.Steward)
	res, body := ts.upload(t, st, "set.csv", s.csv())
	m := setLocation.FindStringSubmatch(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("import: %d\n%.600s", res.StatusCode, body)
	}
	second := ts.client(t)
	ts.loginAs(t, second, "steward2@example.test")
	path := res.Header.Get("Location")
	if r := ts.postForm(t, second, path+"/approve", url.Values{"_csrf": {ts.csrfFrom(t, second, path)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d (is the set safe?)", r.StatusCode)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

var (
	tableRe = regexp.MustCompile(`(?s)<table class="data-table">(.*?)</table>`)
	rowRe   = regexp.MustCompile(`(?s)<tr[^>]*>\s*<th scope="row">(.*?)</th>(.*?)</tr>`)
	cellRe  = regexp.MustCompile(`(?s)<td class="num[^"]*">(.*?)</td>`)
	tagRe   = regexp.MustCompile(`<[^>]+>`)
)

// dutchNumber reads "1.234", "23,4%" or "12.345,6"; ok is false for a
// marker or any other text.
func dutchNumber(s string) (float64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	s = strings.NewReplacer(".", "", ",", ".").Replace(s)
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// tables returns every data table of a page: rows of header and cell texts.
func tables(body string) [][][]string {
	var out [][][]string
	for _, tm := range tableRe.FindAllStringSubmatch(body, -1) {
		var rows [][]string
		for _, rm := range rowRe.FindAllStringSubmatch(tm[1], -1) {
			row := []string{strings.TrimSpace(tagRe.ReplaceAllString(rm[1], ""))}
			for _, cm := range cellRe.FindAllStringSubmatch(rm[2], -1) {
				row = append(row, strings.TrimSpace(cm[1]))
			}
			rows = append(rows, row)
		}
		out = append(out, rows)
	}
	return out
}

// scraped is what a policymaker reads of a set: every number in a table,
// by figure name as in disclosure's tests ("c1//" a size, "c1/v/k0" a
// count, "c1/m/#" contributors, "_all" the population), nil when shown as
// suppressed.
type scraped map[string]*float64

// scrapeSet reads the set page and every cluster page of set id.
func (ts *testServer) scrapeSet(t *testing.T, c *http.Client, id int64, s testSet) scraped {
	t.Helper()
	out := scraped{}
	setPage := "/p/" + ts.Project.Slug + "/sets/" + itoa64(id)
	res, body := ts.get(t, c, setPage)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("set page: %d", res.StatusCode)
	}
	sizes := tables(body)[0]
	if len(sizes) != len(s.sizes)+1 {
		t.Fatalf("size table has %d rows, want %d", len(sizes), len(s.sizes)+1)
	}
	for i, row := range sizes {
		id := "_all"
		if i < len(s.sizes) {
			id = "c" + strconv.Itoa(i)
		}
		out[id+"//"] = numberOrNil(row[1])
	}
	for ci := range s.sizes {
		res, body := ts.get(t, c, setPage+"/clusters/c"+strconv.Itoa(ci))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("cluster page c%d: %d", ci, res.StatusCode)
		}
		tbls := tables(body)
		for vi, v := range s.order {
			rows := tbls[vi]
			if _, isFreq := s.freqs[v]; isFreq {
				for k, row := range rows {
					cat := fmt.Sprintf("k%d", k)
					// With shares: count and share per group; without
					// (a size is hidden): counts only.
					step := 2
					if len(row) == 3 {
						step = 1
					}
					out[fmt.Sprintf("c%d/%s/%s", ci, v, cat)] = numberOrNil(row[1])
					out["_all/"+v+"/"+cat] = numberOrNil(row[1+step])
				}
				continue
			}
			// Mean and contributors, the cluster's row then the population's.
			out[fmt.Sprintf("c%d/%s/#", ci, v)] = numberOrNil(rows[0][2])
			out["_all/"+v+"/#"] = numberOrNil(rows[1][2])
		}
	}
	return out
}

func numberOrNil(s string) *float64 {
	if v, ok := dutchNumber(s); ok {
		return &v
	}
	return nil
}

// attackScraped builds the attacker's model from scraped figures alone and
// returns the interval of every hidden one.
func attackScraped(t *testing.T, got scraped, s testSet) map[string]sdcattack.Interval {
	t.Helper()
	m := sdcattack.New()
	fig := func(name string) string { return m.Figure(name, got[name], true) }
	groups := []string{}
	for ci := range s.sizes {
		groups = append(groups, "c"+strconv.Itoa(ci))
	}
	all := append(append([]string{}, groups...), "_all")
	var sizes []string
	for _, g := range groups {
		sizes = append(sizes, fig(g+"//"))
	}
	m.Sum(sizes, fig("_all//"))
	for _, v := range s.order {
		if rows, ok := s.freqs[v]; ok {
			for _, g := range all {
				var cells []string
				for k := range rows[0] {
					cells = append(cells, fig(fmt.Sprintf("%s/%s/k%d", g, v, k)))
				}
				m.Sum(cells, g+"//")
			}
			for k := range rows[0] {
				var col []string
				for _, g := range groups {
					col = append(col, fmt.Sprintf("%s/%s/k%d", g, v, k))
				}
				m.Sum(col, fmt.Sprintf("_all/%s/k%d", v, k))
			}
			continue
		}
		var col []string
		for _, g := range all {
			n := fig(g + "/" + v + "/#")
			m.AtMost(n, g+"//")
			if g != "_all" {
				col = append(col, n)
			}
		}
		m.Sum(col, "_all/"+v+"/#")
	}
	ivs, err := m.Attack()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]sdcattack.Interval{}
	for _, iv := range ivs {
		out[iv.Name] = iv
	}
	return out
}

// checkProtected fails for a hidden count known exactly, or, when its true
// value is under the threshold, known within less than the threshold.
// Contributors of a magnitude hidden for another reason than their number
// may be known (docs/disclosure.md).
func checkProtected(t *testing.T, ivs map[string]sdcattack.Interval, truth map[string]float64) {
	t.Helper()
	for name, iv := range ivs {
		small := truth[name] < 10
		if strings.HasSuffix(name, "/#") && !small {
			continue
		}
		if iv.Width() <= 1e-6 {
			t.Errorf("%s recovered exactly: %v", name, iv.Lo)
		} else if small && iv.Width() < 10 {
			t.Errorf("%s (under ten) known within [%v, %v]", name, iv.Lo, iv.Hi)
		}
	}
}

// truthOf lists the true value of every count of a test set, by figure name.
func truthOf(s testSet) map[string]float64 {
	out := map[string]float64{}
	var pop int64
	for ci, n := range s.sizes {
		out[fmt.Sprintf("c%d//", ci)] = float64(n)
		pop += n
	}
	out["_all//"] = float64(pop)
	for v, rows := range s.freqs {
		for ci, row := range rows {
			for k, n := range row {
				out[fmt.Sprintf("c%d/%s/k%d", ci, v, k)] = float64(n)
				out[fmt.Sprintf("_all/%s/k%d", v, k)] += float64(n)
			}
		}
	}
	for v, cells := range s.mags {
		for ci, m := range cells {
			out[fmt.Sprintf("c%d/%s/#", ci, v)] = m[1]
			out["_all/"+v+"/#"] += m[1]
		}
	}
	return out
}

// leakSet is the set of issue 9's leak: 120, 210, 150, 95 and 8
// households, and an income every household has, highest in D.
func leakSet() testSet {
	s := testSet{sizes: []int64{120, 210, 150, 95, 8}, freqs: map[string][][]int64{"huishoudtype": {{60, 60}, {100, 110}, {80, 70}, {50, 45}, {5, 3}}},
		mags: map[string][][4]float64{}, order: []string{"huishoudtype", "inkomen"}}
	for i, n := range s.sizes {
		per := []float64{24000, 30000, 28000, 60000, 20000}[i]
		s.mags["inkomen"] = append(s.mags["inkomen"], [4]float64{float64(n) * per, float64(n), per * 1.3, per * 1.25})
	}
	return s
}

// TestContributorsLeakOverHTTP: the leak of issue 9 on a real server. The
// attacker reads the set's pages as a policymaker: no hidden count is
// recovered exactly, and none under ten is known more narrowly than ten.
func TestContributorsLeakOverHTTP(t *testing.T) {
	ts := newTestServer(t)
	s := leakSet()
	id := ts.approveSet(t, s)
	pm := ts.client(t)
	ts.login(t, pm, accounts.Policymaker)
	got := ts.scrapeSet(t, pm, id, s)
	if got["c3/inkomen/#"] != nil && got["c3//"] == nil {
		t.Logf("D's contributors are shown beside its hidden size; the model holds them")
	}
	ivs := attackScraped(t, got, s)
	checkProtected(t, ivs, truthOf(s))
	t.Logf("E's size ∈ [%v, %v], D's size ∈ [%v, %v]", ivs["c4//"].Lo, ivs["c4//"].Hi, ivs["c3//"].Lo, ivs["c3//"].Hi)
}

// randomTestSet is a random set of the shape of issue 9's property test.
func randomTestSet(rng *rand.Rand) testSet {
	n := 3 + rng.Intn(5)
	s := testSet{freqs: map[string][][]int64{}, mags: map[string][][4]float64{}}
	for i := 0; i < n; i++ {
		s.sizes = append(s.sizes, int64(15+rng.Intn(250)))
	}
	if rng.Intn(2) == 0 {
		s.sizes[rng.Intn(n)] = int64(1 + rng.Intn(9))
	}
	for v := 0; v < 1+rng.Intn(2); v++ {
		name := "f" + strconv.Itoa(v)
		k := 2 + rng.Intn(4)
		for _, size := range s.sizes {
			row := make([]int64, k)
			left := size
			for j := 0; j < k-1; j++ {
				row[j] = int64(rng.Intn(int(left) + 1))
				left -= row[j]
			}
			row[k-1] = left
			s.freqs[name] = append(s.freqs[name], row)
		}
		s.order = append(s.order, name)
	}
	name := "m0"
	for _, size := range s.sizes {
		c := size - int64(rng.Intn(2))
		per := float64(15000 + rng.Intn(20000))
		top2 := per * 1.2
		if c < 2 {
			top2 = 0
		}
		s.mags[name] = append(s.mags[name], [4]float64{per * float64(c), float64(c), per * 1.4 * math.Min(1, float64(c)), top2})
	}
	s.order = append(s.order, name)
	return s
}

// TestRandomSetsAttackedOverHTTP: random sets with clusters under ten and
// a magnitude whose contributors equal or nearly equal the sizes, checked
// by the server on import, then attacked from their pages.
func TestRandomSetsAttackedOverHTTP(t *testing.T) {
	ts := newTestServer(t)
	pm := ts.client(t)
	ts.login(t, pm, accounts.Policymaker)
	for seed := 0; seed < 8; seed++ {
		s := randomTestSet(rand.New(rand.NewSource(int64(seed))))
		id := ts.approveSet(t, s)
		t.Run(strconv.Itoa(seed), func(t *testing.T) {
			checkProtected(t, attackScraped(t, ts.scrapeSet(t, pm, id, s), s), truthOf(s))
		})
	}
}

// TestEveryShownNumberIsInTheModel: every number the pages, the charts'
// options and the chart images show of a set is a published figure of the
// audit's model, or a share or mean computed from published figures only.
func TestEveryShownNumberIsInTheModel(t *testing.T) {
	ts := newTestServer(t)
	s := leakSet()
	id := ts.approveSet(t, s)
	set, err := ts.Profiles.Set(t.Context(), profilesViewer(ts), id)
	if err != nil {
		t.Fatal(err)
	}
	model := modelNumbers(set.Result)
	var labels []string
	for _, cf := range set.Result.Clusters {
		labels = append(labels, cf.Label)
	}
	pm := ts.client(t)
	ts.login(t, pm, accounts.Policymaker)
	check := func(where string, v float64) {
		if !model[math.Round(v*10)/10] {
			t.Errorf("%s shows %v, which is not in the audit's model", where, v)
		}
	}
	setPage := "/p/" + ts.Project.Slug + "/sets/" + itoa64(id)
	pages := []string{setPage}
	for ci := range s.sizes {
		pages = append(pages, setPage+"/clusters/c"+strconv.Itoa(ci))
	}
	for _, p := range pages {
		_, body := ts.get(t, pm, p)
		for _, v := range describedNumbers(body, labels) {
			check(p+" (chart summary)", v)
		}
		for _, tbl := range tables(body) {
			for _, row := range tbl {
				for _, cell := range row[1:] {
					if v, ok := dutchNumber(cell); ok {
						check(p, v)
					}
				}
			}
		}
	}
	for ci := range s.sizes {
		for _, v := range s.order {
			path := fmt.Sprintf("/api/sets/%d/clusters/c%d/charts/%s", id, ci, v)
			_, body := ts.get(t, pm, path)
			var doc any
			if err := json.Unmarshal([]byte(body), &doc); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			for _, x := range seriesValues(doc) {
				check(path, x)
			}
		}
	}
	// The chart images of a closed session on the set.
	fac := ts.client(t)
	ts.login(t, fac, accounts.Facilitator)
	var created struct{ ID int64 }
	if st := ts.postJSON(t, fac, "/api/sessions", map[string]any{"project": "test-project", "title": "Beeld", "question": "Wat zien we?",
		"clusters": []map[string]any{{"set": id, "id": "c0"}, {"set": id, "id": "c3"}}}, &created); st != http.StatusCreated {
		t.Fatalf("session: %d", st)
	}
	for _, step := range []string{"open", "close"} {
		if st := ts.postJSON(t, fac, "/api/sessions/"+itoa64(created.ID)+"/"+step, map[string]any{}, nil); st != http.StatusOK {
			t.Fatalf("%s: %d", step, st)
		}
	}
	// The report shows the session's clusters with their figures; the CSV
	// export holds notes and excerpts only, no figure of the set.
	report := "/s/" + itoa64(created.ID) + "/report"
	res, body := ts.get(t, pm, report)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("report: %d", res.StatusCode)
	}
	if !strings.Contains(body, `class="report__chart"`) {
		t.Errorf("the report shows no chart of the set; the test reads nothing there")
	}
	for _, v := range describedNumbers(body, labels) {
		check(report+" (alt text)", v)
	}
	for _, tbl := range tables(body) {
		for _, row := range tbl {
			for _, cell := range row[1:] {
				if v, ok := dutchNumber(cell); ok {
					check(report, v)
				}
			}
		}
	}
	_, zipBody := ts.get(t, pm, "/s/"+itoa64(created.ID)+"/charts.zip")
	images := unzipAll(t, zipBody)
	if len(images) == 0 {
		t.Fatal("no chart images")
	}
	for i, img := range images {
		_, values := svgTexts(t, fmt.Sprintf("image %d", i), img)
		for _, v := range values {
			check(fmt.Sprintf("image %d", i), v)
		}
	}
}

var (
	describedRe = regexp.MustCompile(`(?:alt|aria-label)="([^"]*)"`)
	numberRe    = regexp.MustCompile(`\d[\d.]*(?:,\d+)?`)
)

// shapeSentences match the sentences of a chart's summary that describe
// its shape (how many categories and groups, how many figures are
// suppressed), built from the catalogue so that a changed wording still
// matches. Their numbers are not figures of the set; every other number in
// a summary is.
var shapeSentences = func() []*regexp.Regexp {
	const name, n1, n2 = "NAAM", 987654, 876543
	var out []*regexp.Regexp
	for _, key := range []string{"charts.summary.share", "charts.summary.count", "charts.summary.mean", "charts.summary.suppressed"} {
		var text string
		if key == "charts.summary.suppressed" {
			text = i18n.T(i18n.NL, key, n1)
		} else if key == "charts.summary.mean" {
			text = i18n.T(i18n.NL, key, name, n1)
		} else {
			text = i18n.T(i18n.NL, key, name, n1, n2)
		}
		re := regexp.QuoteMeta(text)
		re = strings.Replace(re, name, `.*?`, 1)
		for _, n := range []int{n1, n2} {
			re = strings.Replace(re, regexp.QuoteMeta(i18n.T(i18n.NL, "%[1]v", n)), `\d+`, 1)
			re = strings.Replace(re, strconv.Itoa(n), `\d+`, 1)
		}
		out = append(out, regexp.MustCompile(re))
	}
	return out
}()

// describedNumbers are the numbers in the text alternatives of a page's
// charts (an image's alt, a chart's aria-label) outside the sentences on
// their shape: a screen reader reads them out, so they are published
// figures as much as a table cell. Cluster labels ("Groep 3") are names,
// not figures.
func describedNumbers(body string, labels []string) []float64 {
	var out []float64
	for _, m := range describedRe.FindAllStringSubmatch(body, -1) {
		text := html.UnescapeString(m[1])
		for _, l := range labels {
			text = strings.ReplaceAll(text, l, "")
		}
		for _, re := range shapeSentences {
			text = re.ReplaceAllString(text, "")
		}
		for _, n := range numberRe.FindAllString(text, -1) {
			if v, ok := dutchNumber(strings.TrimSuffix(n, ".")); ok {
				out = append(out, v)
			}
		}
	}
	return out
}

// modelNumbers are the constants of the audit's model for a Result (its
// published figures) and what is computed from them alone (shares to one
// decimal, means), as pages round them.
func modelNumbers(res *disclosure.Result) map[float64]bool {
	ok := map[float64]bool{}
	round := func(x float64) float64 { return math.Round(x*10) / 10 }
	for _, cf := range append(append([]disclosure.ClusterFigures{}, res.Clusters...), res.Population) {
		var size float64
		if cf.Size.Count != nil {
			size = float64(*cf.Size.Count)
			ok[size] = true
		}
		for _, vf := range cf.Variables {
			for _, f := range vf.Counts {
				if f.Count != nil {
					ok[float64(*f.Count)] = true
					if size > 0 {
						ok[round(float64(*f.Count)/size*100)] = true
					}
				}
			}
			if m := vf.Magnitude; m != nil && m.Contributors != nil {
				ok[float64(*m.Contributors)] = true
				if mean, has := m.Mean(); has {
					for d := 0; d <= 2; d++ {
						p := math.Pow(10, float64(d))
						ok[round(math.Round(mean*p)/p)] = true
					}
				}
			}
		}
	}
	return ok
}

func profilesViewer(ts *testServer) profiles.Viewer {
	return profiles.Viewer{UserID: ts.Users[accounts.Policymaker].ID}
}
