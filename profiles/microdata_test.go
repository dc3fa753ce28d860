package profiles

import (
	"bytes"
	"strings"
	"testing"
)

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
	if !strings.HasPrefix(a.String(), SyntheticMarker) {
		t.Fatal("synthetic marker missing")
	}
	e, err := BuildExport("micro.csv", &a, "cluster", nil)
	if err != nil {
		t.Fatalf("BuildExport: %v", err)
	}
	if !e.Meta.Synthetic {
		t.Error("export not marked synthetic")
	}
	if got, want := len(e.Clusters), len(latentGroups); got != want {
		t.Fatalf("clusters = %d, want %d", got, want)
	}
	res, err := Check(e, DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	if !res.Safe {
		t.Fatalf("not safe: %v", res.Problems)
	}
	assertNoLeak(t, e, res)
	small := 0
	for _, cf := range res.Clusters {
		if cf.Size.Status != Published {
			small++
		}
	}
	if small == 0 {
		t.Error("the small cluster's size is published")
	}
	var out bytes.Buffer
	if err := WriteExportCSV(&out, e); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadCSV("again.csv", &out); err != nil {
		t.Fatalf("written export does not read back: %v", err)
	}
	t.Logf("demo: %d primary, %d secondary of %d figures", res.Summary.Primary, res.Summary.Secondary, res.Summary.Figures)
}
