package charts

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"atelier/disclosure"
	"atelier/exports"
	"atelier/i18n"
)

// testExport has a small cluster (C, 8 households), small cells (A's
// "alleenstaand", 7) and a magnitude over too few contributors, so Check
// suppresses figures (primary and secondary) in every kind of chart. Labels
// hold no digits, so every digit in an output comes from a figure.
const testExport = `cluster,cluster_label,variable,variable_label,category,count,sum,contributors,top1,top2,suppress
A,Eenoudergezinnen in de bijstand,,,,120,,,,,
A,,huishoudtype,Huishoudtype,eenoudergezin,96,,,,,
A,,huishoudtype,Huishoudtype,paar met kinderen,17,,,,,
A,,huishoudtype,Huishoudtype,alleenstaand,7,,,,,
A,,huur,Huurachterstand,ja,41,,,,,
A,,huur,Huurachterstand,nee,79,,,,,
A,,inkomen,Besteedbaar inkomen,,,2268000,120,41000,38500,
B,Werkende paren met kinderen,,,,210,,,,,
B,,huishoudtype,Huishoudtype,eenoudergezin,24,,,,,
B,,huishoudtype,Huishoudtype,paar met kinderen,161,,,,,
B,,huishoudtype,Huishoudtype,alleenstaand,25,,,,,
B,,huur,Huurachterstand,ja,19,,,,,
B,,huur,Huurachterstand,nee,191,,,,,
B,,inkomen,Besteedbaar inkomen,,,7980000,210,88000,81000,
C,Kleine groep,,,,8,,,,,
C,,huishoudtype,Huishoudtype,eenoudergezin,3,,,,,
C,,huishoudtype,Huishoudtype,paar met kinderen,4,,,,,
C,,huishoudtype,Huishoudtype,alleenstaand,1,,,,,
C,,huur,Huurachterstand,ja,2,,,,,
C,,huur,Huurachterstand,nee,6,,,,,
C,,inkomen,Besteedbaar inkomen,,,160000,8,30000,29000,
D,Alleenstaanden met schulden,,,,150,,,,,
D,,huishoudtype,Huishoudtype,eenoudergezin,12,,,,,
D,,huishoudtype,Huishoudtype,paar met kinderen,14,,,,,
D,,huishoudtype,Huishoudtype,alleenstaand,124,,,,,
D,,huur,Huurachterstand,ja,57,,,,,
D,,huur,Huurachterstand,nee,93,,,,,
D,,inkomen,Besteedbaar inkomen,,,2850000,150,52000,47000,
`

// mustResult reads and checks testExport.
func mustResult(tb testing.TB) *disclosure.Result {
	tb.Helper()
	e, err := exports.ReadCSV("test.csv", strings.NewReader(testExport))
	if err != nil {
		tb.Fatalf("ReadCSV: %v", err)
	}
	res, err := disclosure.Check(e, disclosure.DefaultRules())
	if err != nil {
		tb.Fatalf("Check: %v", err)
	}
	return res
}

// options is the decoded part of the options JSON the tests look at.
type options struct {
	Series []struct {
		Name string `json:"name"`
		Type string `json:"type"`
		Data []struct {
			Value *float64 `json:"value"`
			Label *struct {
				Formatter string `json:"formatter"`
			} `json:"label"`
		} `json:"data"`
	} `json:"series"`
	XAxis []struct {
		Type string   `json:"type"`
		Data []string `json:"data"`
	} `json:"xAxis"`
	YAxis []struct {
		Type string   `json:"type"`
		Data []string `json:"data"`
	} `json:"yAxis"`
	Tooltip struct {
		RenderMode string `json:"renderMode"`
	} `json:"tooltip"`
	Aria struct {
		Label struct {
			Description string `json:"description"`
		} `json:"label"`
		Decal struct {
			Show bool `json:"show"`
		} `json:"decal"`
	} `json:"aria"`
}

// render returns a chart's options JSON and its decoded form.
func render(t *testing.T, c Chart) ([]byte, options) {
	t.Helper()
	var buf bytes.Buffer
	b, err := c.OptionsJSON()
	if err != nil {
		t.Fatalf("OptionsJSON: %v", err)
	}
	buf.Write(b)
	var o options
	if err := json.Unmarshal(buf.Bytes(), &o); err != nil {
		t.Fatalf("decode options: %v\n%s", err, buf.Bytes())
	}
	return buf.Bytes(), o
}

func cluster(t *testing.T, res *disclosure.Result, id string) disclosure.ClusterFigures {
	t.Helper()
	for _, cf := range res.Clusters {
		if cf.ID == id {
			return cf
		}
	}
	t.Fatalf("no cluster %q", id)
	return disclosure.ClusterFigures{}
}

func variableIndex(t *testing.T, res *disclosure.Result, name string) int {
	t.Helper()
	for i, v := range res.Variables {
		if v.Name == name {
			return i
		}
	}
	t.Fatalf("no variable %q", name)
	return 0
}

// wantShare is the share the chart must show for a figure, or nil when it
// must show none.
func wantShare(f, size disclosure.Figure) *float64 {
	if f.Status != disclosure.Published || size.Status != disclosure.Published || *size.Count == 0 {
		return nil
	}
	x := round(100*float64(*f.Count)/float64(*size.Count), 1)
	return &x
}

func TestClusterVariableFrequency(t *testing.T) {
	res := mustResult(t)
	vi := variableIndex(t, res, "huishoudtype")
	// A's size is suppressed (secondary, to protect C's): counts only.
	// B and D have published sizes: shares.
	tests := []struct {
		cluster string
		shares  bool
	}{
		{"A", false},
		{"B", true},
		{"D", true},
	}
	for _, tt := range tests {
		t.Run(tt.cluster, func(t *testing.T) {
			cf := cluster(t, res, tt.cluster)
			c, err := ClusterVariable(res, tt.cluster, "huishoudtype", i18n.NL)
			if err != nil {
				t.Fatal(err)
			}
			_, o := render(t, c)
			if got, want := len(o.Series), 2; got != want {
				t.Fatalf("series = %d, want %d", got, want)
			}
			if got, want := o.Series[0].Name, cf.Label; got != want {
				t.Errorf("series 0 = %q, want %q", got, want)
			}
			if got, want := o.Series[1].Name, "Hele populatie"; got != want {
				t.Errorf("series 1 = %q, want %q", got, want)
			}
			// Horizontal bars: categories on an explicit category y axis.
			if got, want := o.YAxis[0].Type, "category"; got != want {
				t.Errorf("yAxis type = %q, want %q", got, want)
			}
			if got, want := len(o.YAxis[0].Data), 3; got != want {
				t.Errorf("yAxis data = %d, want %d", got, want)
			}
			if got, want := o.XAxis[0].Type, "value"; got != want {
				t.Errorf("xAxis type = %q, want %q", got, want)
			}
			for si, fig := range []disclosure.ClusterFigures{cf, res.Population} {
				for k, f := range fig.Variables[vi].Counts {
					want := wantCount(f)
					if tt.shares {
						want = wantShare(f, fig.Size)
					}
					got := o.Series[si].Data[k].Value
					switch {
					case want == nil && got != nil:
						t.Errorf("series %d category %d: value %v, want null", si, k, *got)
					case want != nil && got == nil:
						t.Errorf("series %d category %d: null, want %v", si, k, *want)
					case want != nil && *got != *want:
						t.Errorf("series %d category %d: value %v, want %v", si, k, *got, *want)
					}
					if want == nil && !strings.Contains(o.YAxis[0].Data[k], "afgeschermd") {
						t.Errorf("category %d label %q lacks the marker", k, o.YAxis[0].Data[k])
					}
				}
			}
		})
	}
}

// wantCount is the count the chart must show for a figure, or nil.
func wantCount(f disclosure.Figure) *float64 {
	if f.Status != disclosure.Published {
		return nil
	}
	x := float64(*f.Count)
	return &x
}

func TestClusterVariableTable(t *testing.T) {
	res := mustResult(t)
	tests := []struct {
		cluster string
		lang    i18n.Lang
		cols    int
		row0    []Cell
		note    bool // figures are suppressed, so the note explains why
	}{
		// B: 24 of 210; population 135 of 488.
		{"B", i18n.NL, 5, []Cell{{Text: "24"}, {Text: "11,4%"}, {Text: "135"}, {Text: "27,7%"}}, false},
		{"B", i18n.EN, 5, []Cell{{Text: "24"}, {Text: "11.4%"}, {Text: "135"}, {Text: "27.7%"}}, false},
		// D: its whole row is suppressed (secondary).
		{"D", i18n.NL, 5, []Cell{{Text: "afgeschermd", Suppressed: true}, {Text: "afgeschermd", Suppressed: true}, {Text: "135"}, {Text: "27,7%"}}, true},
		{"D", i18n.EN, 5, []Cell{{Text: "suppressed", Suppressed: true}, {Text: "suppressed", Suppressed: true}, {Text: "135"}, {Text: "27.7%"}}, true},
		// A: size suppressed, so counts only.
		{"A", i18n.NL, 3, []Cell{{Text: "96"}, {Text: "135"}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.cluster+"/"+string(tt.lang), func(t *testing.T) {
			c, err := ClusterVariable(res, tt.cluster, "huishoudtype", tt.lang)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(c.Table.Columns), tt.cols; got != want {
				t.Fatalf("columns = %d (%q), want %d", got, c.Table.Columns, want)
			}
			if got, want := c.Table.Rows[0].Header, "eenoudergezin"; got != want {
				t.Errorf("row 0 = %q, want %q", got, want)
			}
			for i, want := range tt.row0 {
				if got := c.Table.Rows[0].Cells[i]; got != want {
					t.Errorf("cell %d = %+v, want %+v", i, got, want)
				}
			}
			if got, want := c.Note != "", tt.note; got != want {
				t.Errorf("note = %q, want a note: %v", c.Note, want)
			}
			if got, want := strings.Contains(c.Summary, i18n.T(tt.lang, "charts.summary.suppressed", "")[:10]), tt.note; got != want {
				t.Errorf("summary %q mentions suppression: %v, want %v", c.Summary, got, want)
			}
		})
	}
}

func TestClusterVariableSizeSuppressed(t *testing.T) {
	res := mustResult(t)
	c8 := cluster(t, res, "C")
	if c8.Size.Status == disclosure.Published {
		t.Fatalf("cluster C (8 households) has a published size")
	}
	c, err := ClusterVariable(res, "C", "huishoudtype", i18n.NL)
	if err != nil {
		t.Fatal(err)
	}
	_, o := render(t, c)
	// No share without a published size: counts only, for both groups.
	vi := variableIndex(t, res, "huishoudtype")
	for k, f := range res.Population.Variables[vi].Counts {
		got := o.Series[1].Data[k].Value
		if f.Status != disclosure.Published {
			if got != nil {
				t.Errorf("population category %d = %v, want null", k, *got)
			}
			continue
		}
		if got == nil || *got != float64(*f.Count) {
			t.Errorf("population category %d = %v, want count %d", k, got, *f.Count)
		}
	}
	for k, d := range o.Series[0].Data {
		if d.Value != nil {
			t.Errorf("cluster C category %d = %v, want null", k, *d.Value)
		}
	}
	if !strings.Contains(c.Table.Caption, "aantallen") {
		t.Errorf("caption %q should say the chart shows counts", c.Table.Caption)
	}
	for _, col := range c.Table.Columns {
		if strings.Contains(col, "percentage") {
			t.Errorf("column %q: no percentages without a published size", col)
		}
	}
}

func TestClusterVariableMagnitude(t *testing.T) {
	res := mustResult(t)
	tests := []struct {
		cluster   string
		lang      i18n.Lang
		wantMean  *float64 // nil: suppressed
		wantCells []Cell
	}{
		{"B", i18n.NL, ptr(38000), []Cell{{Text: "38.000"}, {Text: "210"}}},
		{"B", i18n.EN, ptr(38000), []Cell{{Text: "38,000"}, {Text: "210"}}},
		{"C", i18n.NL, nil, []Cell{{Text: "afgeschermd", Suppressed: true}, {Text: "afgeschermd", Suppressed: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.cluster+"/"+string(tt.lang), func(t *testing.T) {
			c, err := ClusterVariable(res, tt.cluster, "inkomen", tt.lang)
			if err != nil {
				t.Fatal(err)
			}
			_, o := render(t, c)
			if got, want := len(o.Series), 1; got != want {
				t.Fatalf("series = %d, want %d", got, want)
			}
			if got, want := len(o.YAxis[0].Data), 2; got != want {
				t.Fatalf("categories = %d, want %d", got, want)
			}
			got := o.Series[0].Data[0].Value
			switch {
			case tt.wantMean == nil && got != nil:
				t.Errorf("mean = %v, want null", *got)
			case tt.wantMean != nil && (got == nil || *got != *tt.wantMean):
				t.Errorf("mean = %v, want %v", got, *tt.wantMean)
			}
			if got, want := len(c.Table.Rows[0].Cells), len(tt.wantCells); got != want {
				t.Fatalf("cells = %d, want %d", got, want)
			}
			for i, want := range tt.wantCells {
				if got := c.Table.Rows[0].Cells[i]; got != want {
					t.Errorf("cell %d = %+v, want %+v", i, got, want)
				}
			}
		})
	}
}

func TestComparison(t *testing.T) {
	res := mustResult(t)
	tests := []struct {
		name     string
		variable string
		clusters []string
		series   []string
		cats     int
	}{
		{"two clusters", "huur", []string{"A", "B"}, []string{"Eenoudergezinnen in de bijstand", "Werkende paren met kinderen", "Hele populatie"}, 2},
		{"all clusters", "huishoudtype", nil, []string{"Eenoudergezinnen in de bijstand", "Werkende paren met kinderen", "Kleine groep", "Alleenstaanden met schulden", "Hele populatie"}, 3},
		{"duplicates once", "huur", []string{"B", "B"}, []string{"Werkende paren met kinderen", "Hele populatie"}, 2},
		{"magnitude", "inkomen", []string{"A", "C"}, []string{"Gemiddelde"}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Comparison(res, tt.variable, tt.clusters, i18n.NL)
			if err != nil {
				t.Fatal(err)
			}
			_, o := render(t, c)
			var names []string
			for _, s := range o.Series {
				names = append(names, s.Name)
				if got, want := s.Type, "bar"; got != want {
					t.Errorf("series %q type = %q, want %q", s.Name, got, want)
				}
				if got, want := len(s.Data), tt.cats; got != want {
					t.Errorf("series %q has %d values, want %d", s.Name, got, want)
				}
			}
			if got, want := strings.Join(names, "|"), strings.Join(tt.series, "|"); got != want {
				t.Errorf("series = %q, want %q", got, want)
			}
			if got, want := o.YAxis[0].Type, "category"; got != want {
				t.Errorf("yAxis type = %q, want %q", got, want)
			}
			if got, want := len(c.Table.Rows), tt.cats; got != want {
				t.Errorf("table rows = %d, want %d", got, want)
			}
		})
	}

	// The small cluster's size is suppressed: no share at all for it.
	c, err := Comparison(res, "huishoudtype", []string{"C", "A"}, i18n.NL)
	if err != nil {
		t.Fatal(err)
	}
	_, o := render(t, c)
	for k, d := range o.Series[0].Data {
		if d.Value != nil {
			t.Errorf("cluster C category %d = %v, want null", k, *d.Value)
		}
		if cell := c.Table.Rows[k].Cells[0]; !cell.Suppressed {
			t.Errorf("cluster C table cell %d = %+v, want suppressed", k, cell)
		}
	}
}

func TestNotFound(t *testing.T) {
	res := mustResult(t)
	tests := []struct {
		name string
		run  func() (Chart, error)
	}{
		{"cluster", func() (Chart, error) { return ClusterVariable(res, "Z", "huur", i18n.NL) }},
		{"variable", func() (Chart, error) { return ClusterVariable(res, "A", "nope", i18n.NL) }},
		{"comparison cluster", func() (Chart, error) { return Comparison(res, "huur", []string{"A", "Z"}, i18n.NL) }},
		{"comparison variable", func() (Chart, error) { return Comparison(res, "nope", nil, i18n.NL) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.run(); !errors.Is(err, ErrNotFound) {
				t.Fatalf("err = %v, want ErrNotFound", err)
			}
		})
	}
}

func TestOptionsForTheBrowser(t *testing.T) {
	res := mustResult(t)
	c, err := ClusterVariable(res, "A", "huishoudtype", i18n.NL)
	if err != nil {
		t.Fatal(err)
	}
	b, o := render(t, c)
	if got, want := o.Tooltip.RenderMode, "richText"; got != want {
		t.Errorf("tooltip renderMode = %q, want %q (HTML tooltips need inline styles)", got, want)
	}
	if !o.Aria.Decal.Show {
		t.Errorf("aria.decal.show = false: series must differ by pattern, not colour alone")
	}
	if got, want := o.Aria.Label.Description, c.Summary+" "+c.Note; got != want {
		t.Errorf("aria description = %q, want the summary and the note %q", got, want)
	}
	for _, bad := range []string{"__f__", "function", "http:", "https:", "<script", "\"value\":0,"} {
		if bytes.Contains(b, []byte(bad)) {
			t.Errorf("options contain %q", bad)
		}
	}
	if c.Height() <= 0 {
		t.Errorf("Height = %d", c.Height())
	}
	// Category labels wrap (and carry the marker on a second line): their
	// line height must be a number, or ECharts ignores it and the lines
	// overlap on machines without CJK fonts.
	var axes struct {
		YAxis []struct {
			Type      string         `json:"type"`
			AxisLabel map[string]any `json:"axisLabel"`
		} `json:"yAxis"`
	}
	if err := json.Unmarshal(b, &axes); err != nil {
		t.Fatal(err)
	}
	if len(axes.YAxis) != 1 || axes.YAxis[0].Type != "category" {
		t.Fatalf("yAxis = %+v, want one category axis", axes.YAxis)
	}
	if lh, ok := axes.YAxis[0].AxisLabel["lineHeight"].(float64); !ok || lh < labelSize {
		t.Errorf("category axisLabel.lineHeight = %#v, want a number of at least %d", axes.YAxis[0].AxisLabel["lineHeight"], labelSize)
	}
	if got := axes.YAxis[0].AxisLabel["overflow"]; got != "break" {
		t.Errorf("category axisLabel.overflow = %#v, want \"break\" (the label fields of go-echarts must survive)", got)
	}
}

// TestNoUnpublishedNumber renders every chart of the test export, in both
// languages, and checks that every number in the options, the table, the
// title and the summary is a published figure or derived from published
// figures only.
func TestNoUnpublishedNumber(t *testing.T) {
	res := mustResult(t)
	allowed := allowedNumbers(res)
	charts := allCharts(t, res)
	suppressedSeen := 0
	for i, c := range charts {
		lang := i18n.NL
		if i >= len(charts)/2 {
			lang = i18n.EN
		}
		b, _ := render(t, c)
		var doc any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		walk(doc, "", func(key string, v any) {
			switch x := v.(type) {
			case float64:
				if structural[key] {
					return
				}
				if !allowed[key4(x)] {
					t.Errorf("%s: options hold %v under %q, which is not a published figure", c.Title, x, key)
				}
			case string:
				if textual[key] {
					return
				}
				checkText(t, c.Title, x, lang, allowed)
			}
		})
		var texts []string
		texts = append(texts, c.Title, c.Table.Caption)
		texts = append(texts, c.Table.Columns...)
		for _, r := range c.Table.Rows {
			texts = append(texts, r.Header)
			for _, cell := range r.Cells {
				texts = append(texts, cell.Text)
				if cell.Suppressed {
					suppressedSeen++
					if got, want := cell.Text, i18n.T(lang, "charts.suppressed"); got != want {
						t.Errorf("suppressed cell = %q, want %q", got, want)
					}
				}
			}
		}
		for _, s := range texts {
			checkText(t, c.Title, s, lang, allowed)
		}
	}
	if suppressedSeen == 0 {
		t.Fatalf("the test export produced no suppressed cell: the test proves nothing")
	}
}

// structural are option keys whose numbers are layout, not figures.
var structural = map[string]bool{"borderWidth": true, "nameGap": true, "minInterval": true, "width": true, "fontSize": true, "lineHeight": true}

// textual are option keys whose strings are styling or the summary (checked
// separately as Chart.Summary, which counts categories, not households).
var textual = map[string]bool{"color": true, "borderColor": true, "left": true, "right": true, "top": true, "bottom": true,
	"barGap": true, "barCategoryGap": true, "description": true}

// walk calls fn on every leaf of a decoded JSON document with its key.
func walk(v any, key string, fn func(key string, v any)) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			walk(e, k, fn)
		}
	case []any:
		for _, e := range x {
			walk(e, key, fn)
		}
	default:
		fn(key, v)
	}
}

var (
	nlNumber = regexp.MustCompile(`\d[\d.]*(,\d+)?`)
	enNumber = regexp.MustCompile(`\d[\d,]*(\.\d+)?`)
)

// checkText fails when s holds a number, written in lang's style, that is
// not allowed.
func checkText(t *testing.T, where, s string, lang i18n.Lang, allowed map[int64]bool) {
	t.Helper()
	re, group, point := nlNumber, ".", ","
	if lang == i18n.EN {
		re, group, point = enNumber, ",", "."
	}
	for _, m := range re.FindAllString(s, -1) {
		m = strings.TrimRight(m, group)
		x, err := strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(m, group, ""), point, "."), 64)
		if err != nil {
			t.Errorf("%s: cannot read %q in %q", where, m, s)
			continue
		}
		if !allowed[key4(x)] {
			t.Errorf("%s: text %q holds %v, which is not a published figure", where, s, x)
		}
	}
}

// key4 keys a number to 4 decimals, so that floats compare reliably.
func key4(x float64) int64 { return int64(math.Round(x * 1e4)) }

// allowedNumbers is every number a chart may show: published counts, sizes,
// sums and contributors, means of published magnitudes, shares of a
// published count in a published size, and the threshold in the marker.
func allowedNumbers(res *disclosure.Result) map[int64]bool {
	ok := map[int64]bool{key4(10): true}
	all := append(append([]disclosure.ClusterFigures(nil), res.Clusters...), res.Population)
	for _, cf := range all {
		if cf.Size.Count != nil {
			ok[key4(float64(*cf.Size.Count))] = true
		}
		for vi := range res.Variables {
			vf := cf.Variables[vi]
			for _, f := range vf.Counts {
				if f.Count != nil {
					ok[key4(float64(*f.Count))] = true
				}
				if s := wantShare(f, cf.Size); s != nil {
					ok[key4(*s)] = true
				}
			}
			if m := vf.Magnitude; m != nil {
				if mean, published := m.Mean(); published {
					ok[key4(round(mean, meanDecimals(mean)))] = true
					ok[key4(float64(*m.Contributors))] = true
				}
			}
		}
	}
	return ok
}

func ptr(x float64) *float64 { return &x }

// TestMarkersTellNoReason: the marker names no threshold, the note beside a
// chart is the same for every chart of a kind (so it says nothing about
// which figure had which reason), and a variable with nothing published
// for a cluster is one line instead of an empty chart.
func TestMarkersTellNoReason(t *testing.T) {
	res := mustResult(t)
	for _, lang := range i18n.Langs {
		notes := map[disclosure.Kind]map[string]bool{}
		for _, cl := range res.Clusters {
			for _, v := range res.Variables {
				c, err := ClusterVariable(res, cl.ID, v.Name, lang)
				if err != nil {
					t.Fatal(err)
				}
				for _, row := range c.Table.Rows {
					for _, cell := range row.Cells {
						if cell.Suppressed && cell.Text != i18n.T(lang, "charts.suppressed") {
							t.Errorf("%s/%s: marker %q", cl.ID, v.Name, cell.Text)
						}
						if strings.Contains(cell.Text, "<") {
							t.Errorf("%s/%s: marker %q names a threshold", cl.ID, v.Name, cell.Text)
						}
					}
				}
				if c.Note != "" {
					if notes[v.Kind] == nil {
						notes[v.Kind] = map[string]bool{}
					}
					notes[v.Kind][c.Note] = true
				}
				// C (8 households) has every figure of every variable
				// suppressed: one line, no chart.
				if cl.ID == "C" && c.Withheld == "" {
					t.Errorf("C/%s: no withheld line", v.Name)
				}
				anyPublished := false
				for vi := range res.Variables {
					if res.Variables[vi].Name != v.Name {
						continue
					}
					vf := cl.Variables[vi]
					for _, f := range vf.Counts {
						anyPublished = anyPublished || f.Status == disclosure.Published
					}
					if vf.Magnitude != nil {
						anyPublished = vf.Magnitude.Status == disclosure.Published
					}
				}
				if got, want := c.Withheld != "", !anyPublished; got != want {
					t.Errorf("%s/%s: withheld line %q, want one: %v", cl.ID, v.Name, c.Withheld, want)
				}
			}
		}
		for kind, n := range notes {
			if len(n) != 1 {
				t.Errorf("%s: %d different notes for charts of kind %s, want one", lang, len(n), kind)
			}
		}
		if len(notes) != 2 {
			t.Errorf("%s: notes for %d kinds, want frequency and magnitude", lang, len(notes))
		}
	}
}
