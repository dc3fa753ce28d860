package exports

import (
	"strings"
	"testing"
)

const labelsExport = `cluster,cluster_label,variable,variable_label,category,count,sum,contributors,top1,top2,suppress
A,,,,,120,,,,,
A,,hh,,1,70,,,,,
A,,hh,,2,50,,,,,
B,,,,,80,,,,,
B,,hh,,1,30,,,,,
B,,hh,,2,50,,,,,
`

// TestMetaLabels: labels in the metadata sidecar name clusters,
// variables and categories at import; one that names nothing, or two
// categories that would read the same, reject the files whole.
func TestMetaLabels(t *testing.T) {
	meta := `{"project": "p", "name": "Najaar", "labels": {"clusters": {"A": "Groep A"}, "variables": {"hh": "Huishoudtype"},
		"categories": {"hh": {"1": "eenoudergezin", "2": "paar"}}}}`
	e, err := ReadExport("x.csv", []byte(labelsExport), []byte(meta))
	if err != nil {
		t.Fatal(err)
	}
	if e.Name != "Najaar" || e.Clusters[0].Label != "Groep A" || e.Variables[0].Label != "Huishoudtype" ||
		strings.Join(e.Variables[0].Categories, "|") != "eenoudergezin|paar" {
		t.Fatalf("labels not applied: name %q, cluster %q, variable %q, categories %v", e.Name, e.Clusters[0].Label, e.Variables[0].Label, e.Variables[0].Categories)
	}
	if got := e.Variables[0].Counts[0][0].Count; got != 70 {
		t.Fatalf("count of A/eenoudergezin = %d, want 70: a label moved a figure", got)
	}
	for _, bad := range []string{
		`{"project": "p", "labels": {"variables": {"hhtype": "Huishoudtype"}}}`,
		`{"project": "p", "labels": {"categories": {"hh": {"1": "paar", "2": "paar"}}}}`,
		`{"project": "p", "labels": {"clusters": {"A": " "}}}`,
		`{"project": "p", "labels": {"rows": {}}}`,
	} {
		if _, err := ReadExport("x.csv", []byte(labelsExport), []byte(bad)); err == nil {
			t.Errorf("meta %s accepted", bad)
		}
	}
}
