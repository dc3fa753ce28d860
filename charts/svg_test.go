package charts

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"atelier/disclosure"
	"atelier/exports"
	"atelier/i18n"
)

// svgText is one <text> element of an SVG image: its class and content.
type svgText struct {
	class, text string
}

// svgImage is what the tests read from an SVG image.
type svgImage struct {
	title, desc string
	texts       []svgText
	bars        int
}

// decodeSVG parses b strictly as XML and fails the test when it is not
// well-formed or its root is not an <svg> in the SVG namespace.
func decodeSVG(t *testing.T, b []byte) svgImage {
	t.Helper()
	var img svgImage
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	var stack []string
	var class string
	var text strings.Builder
	root := true
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, b)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root {
				if tok.Name.Local != "svg" || tok.Name.Space != svgNamespace {
					t.Fatalf("root element %v, want svg in %s", tok.Name, svgNamespace)
				}
				root = false
			}
			stack = append(stack, tok.Name.Local)
			text.Reset()
			class = ""
			for _, a := range tok.Attr {
				if a.Name.Local == "class" {
					class = a.Value
				}
			}
			if tok.Name.Local == "rect" && class == "bar" {
				img.bars++
			}
		case xml.CharData:
			text.Write(tok)
		case xml.EndElement:
			switch tok.Name.Local {
			case "title":
				img.title = text.String()
			case "desc":
				img.desc = text.String()
			case "text":
				img.texts = append(img.texts, svgText{class, text.String()})
			}
			stack = stack[:len(stack)-1]
		}
	}
	if root {
		t.Fatal("SVG has no root element")
	}
	return img
}

// allCharts builds every chart of the test export, first in Dutch, then in
// English.
func allCharts(t *testing.T, res *disclosure.Result) []Chart {
	t.Helper()
	var out []Chart
	for _, lang := range i18n.Langs {
		for _, v := range res.Variables {
			for _, cf := range res.Clusters {
				c, err := ClusterVariable(res, cf.ID, v.Name, lang)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, c)
			}
			c, err := Comparison(res, v.Name, nil, lang)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, c)
		}
	}
	return out
}

// TestSVGIsStandaloneAndAccessible checks every image: well-formed XML in
// the SVG namespace, the chart's title and summary as <title> and <desc>,
// and nothing that loads or runs anything.
func TestSVGIsStandaloneAndAccessible(t *testing.T) {
	res := mustResult(t)
	for _, c := range allCharts(t, res) {
		b, err := c.SVG()
		if err != nil {
			t.Fatalf("%s: %v", c.Title, err)
		}
		img := decodeSVG(t, b)
		if img.title != c.Title {
			t.Errorf("<title> = %q, want %q", img.title, c.Title)
		}
		if img.desc != c.Summary {
			t.Errorf("<desc> = %q, want the summary %q", img.desc, c.Summary)
		}
		// The namespace is the only URL-like text: it names the
		// vocabulary and is never fetched.
		if got := bytes.Count(b, []byte("//")); got != 1 || !bytes.Contains(b, []byte(`xmlns="`+svgNamespace+`"`)) {
			t.Errorf("%s: %d URL-like strings, want only the namespace", c.Title, got)
		}
		for _, bad := range []string{"href", "<script", "<style", " style=", "<image", "<foreignObject", "url("} {
			if bytes.Contains(b, []byte(bad)) {
				t.Errorf("%s: SVG contains %q", c.Title, bad)
			}
		}
	}
	if _, err := (Chart{}).SVG(); err == nil {
		t.Errorf("SVG of an empty Chart: no error")
	}
}

// TestSVGSuppressed checks that a suppressed figure is drawn as the marker,
// never as a bar or a number, and that every number in the image is a
// published figure (the value axis aside: round ticks, no figures).
func TestSVGSuppressed(t *testing.T) {
	res := mustResult(t)
	allowed := allowedNumbers(res)
	markers := 0
	for i, c := range allCharts(t, res) {
		lang := i18n.NL
		if i >= len(res.Variables)*(len(res.Clusters)+1) {
			lang = i18n.EN
		}
		_, o := render(t, c)
		hidden, shown := 0, 0
		for _, s := range o.Series {
			for _, d := range s.Data {
				if d.Value == nil {
					hidden++
				} else {
					shown++
				}
			}
		}
		b, err := c.SVG()
		if err != nil {
			t.Fatal(err)
		}
		img := decodeSVG(t, b)
		var suppressed, values int
		for _, tx := range img.texts {
			switch tx.class {
			case "suppressed":
				suppressed++
				if want := i18n.T(lang, "charts.suppressed"); tx.text != want {
					t.Errorf("%s: marker %q, want %q", c.Title, tx.text, want)
				}
			case "value":
				values++
			case "tick":
				continue
			case "":
				t.Errorf("%s: text %q has no class", c.Title, tx.text)
			}
			checkText(t, c.Title, tx.text, lang, allowed)
		}
		if suppressed != hidden {
			t.Errorf("%s: %d markers, want %d (one per suppressed figure)", c.Title, suppressed, hidden)
		}
		if values != shown || img.bars != shown {
			t.Errorf("%s: %d value labels and %d bars, want %d each (published figures only)", c.Title, values, img.bars, shown)
		}
		markers += suppressed
	}
	if markers == 0 {
		t.Fatal("no chart had a suppressed figure: the test proves nothing")
	}

	// Cluster C (8 households) is suppressed throughout: its image shows
	// the population's figures and three markers, and none of C's counts.
	c, err := ClusterVariable(res, "C", "huishoudtype", i18n.NL)
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	img := decodeSVG(t, b)
	var got []string
	for _, tx := range img.texts {
		if tx.class == "value" || tx.class == "suppressed" {
			got = append(got, tx.text)
		}
	}
	want := []string{"afgeschermd", "135", "afgeschermd", "196", "afgeschermd", "157"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("cluster C's figures in the image = %q, want %q", got, want)
	}
}

// TestSVGEscapesText gives a cluster and a category labels with markup:
// they stay text.
func TestSVGEscapesText(t *testing.T) {
	export := strings.NewReplacer(
		"Eenoudergezinnen in de bijstand", `<script>alert('x')</script>`,
		"paar met kinderen", "paar & <b>kinderen</b>",
	).Replace(testExport)
	e, err := exports.ReadCSV("test.csv", strings.NewReader(export))
	if err != nil {
		t.Fatal(err)
	}
	res, err := disclosure.Check(e, disclosure.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	c, err := ClusterVariable(res, "A", "huishoudtype", i18n.NL)
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "<b>", "& "} {
		if bytes.Contains(b, []byte(bad)) {
			t.Errorf("SVG holds %q unescaped", bad)
		}
	}
	img := decodeSVG(t, b)
	var legend, categories []string
	for _, tx := range img.texts {
		switch tx.class {
		case "legend":
			legend = append(legend, tx.text)
		case "category":
			categories = append(categories, tx.text)
		}
	}
	if len(legend) == 0 || legend[0] != `<script>alert('x')</script>` {
		t.Errorf("legend = %q, want the label as text", legend)
	}
	if !strings.Contains(strings.Join(categories, " "), "paar & <b>kinderen</b>") {
		t.Errorf("categories = %q, want the label as text", categories)
	}
	if !strings.Contains(img.title, `<script>alert('x')</script>`) {
		t.Errorf("title = %q", img.title)
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		width float64
		want  []string
	}{
		{"fits", "paar met kinderen", 220, []string{"paar met kinderen"}},
		{"words", "een heel lange categorie met veel woorden erin", 100, []string{"een heel", "lange", "categorie", "met veel", "woorden erin"}},
		{"newline", "werk\nafgeschermd", 220, []string{"werk", "afgeschermd"}},
		{"long word", "arbeidsongeschiktheidsuitkering", 100, []string{"arbeidsonges", "chiktheidsui", "tkering"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrap(tt.in, 14, tt.width)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("wrap(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		top  float64
		want []float64
	}{
		{0, []float64{0, 1}},
		{52.7, []float64{0, 20, 40, 60}},
		{196, []float64{0, 50, 100, 150, 200}},
		{27168, []float64{0, 10000, 20000, 30000}},
		{100, []float64{0, 20, 40, 60, 80, 100}},
	}
	for _, tt := range tests {
		got := niceTicks(tt.top)
		if len(got) != len(tt.want) {
			t.Errorf("niceTicks(%v) = %v, want %v", tt.top, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("niceTicks(%v) = %v, want %v", tt.top, got, tt.want)
				break
			}
		}
	}
}
