package demo

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"atelier/disclosure"
	"atelier/exports"
	"atelier/i18n"
)

// assertNoTopValues checks that no household's own value (top1, top2 of a
// magnitude) appears in what leaves the secure environment: the checked
// file and the report.
func assertNoTopValues(t *testing.T, e *disclosure.Export, res *disclosure.Result) {
	t.Helper()
	var out bytes.Buffer
	if err := exports.WriteCheckedCSV(&out, res, i18n.NL); err != nil {
		t.Fatal(err)
	}
	if err := exports.WriteReport(&out, res, i18n.NL); err != nil {
		t.Fatal(err)
	}
	for _, v := range e.Variables {
		for _, m := range v.Mags {
			for _, x := range []float64{m.Top1, m.Top2} {
				if x >= 1000 && strings.Contains(out.String(), strconv.FormatFloat(x, 'f', -1, 64)) {
					t.Fatalf("top contribution %v of %s appears in the output", x, v.Name)
				}
			}
		}
	}
}

func TestGenerateMicrodataPipeline(t *testing.T) {
	var a, b bytes.Buffer
	if err := GenerateMicrodata(&a, 3000, 42); err != nil {
		t.Fatal(err)
	}
	if err := GenerateMicrodata(&b, 3000, 42); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Fatal("same seed, different data")
	}
	if !strings.HasPrefix(a.String(), exports.SyntheticMarker) {
		t.Fatal("synthetic marker missing")
	}
	e, err := exports.BuildExport("micro.csv", &a, "cluster", nil)
	if err != nil {
		t.Fatalf("BuildExport: %v", err)
	}
	if !e.Meta.Synthetic {
		t.Error("export not marked synthetic")
	}
	if got, want := len(e.Clusters), len(latentGroups); got != want {
		t.Fatalf("clusters = %d, want %d", got, want)
	}
	res, err := disclosure.Check(e, disclosure.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	if !res.Safe {
		t.Fatalf("not safe: %v", res.Problems)
	}
	assertNoTopValues(t, e, res)
	small := 0
	for _, cf := range res.Clusters {
		if cf.Size.Status != disclosure.Published {
			small++
		}
	}
	if small == 0 {
		t.Error("the small cluster's size is published")
	}
	var out bytes.Buffer
	if err := exports.WriteExportCSV(&out, e); err != nil {
		t.Fatal(err)
	}
	if _, err := exports.ReadCSV("again.csv", &out); err != nil {
		t.Fatalf("written export does not read back: %v", err)
	}
	t.Logf("demo: %d primary, %d secondary of %d figures", res.Summary.Primary, res.Summary.Secondary, res.Summary.Figures)
}
