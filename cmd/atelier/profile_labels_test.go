package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProfileLabels: `atelier profile` writes the readable labels of a
// labels file and of -label flags into the export (clusters, variables,
// categories), changes no figure, and refuses a label that names nothing.
func TestProfileLabels(t *testing.T) {
	dir := t.TempDir()
	env := func(string) string { return "" }
	micro := filepath.Join(dir, "micro.csv")
	if _, errOut, code := runCmd(t, env, "", "demo-data", "-households", "600", "-seed", "7", "-out", micro); code != 0 {
		t.Fatalf("demo-data: %s", errOut)
	}
	labels := filepath.Join(dir, "labels.json")
	os.WriteFile(labels, []byte(`{
  "clusters": {"stabiele gezinnen": "Stabiele gezinnen (synthetisch)"},
  "variables": {"household_type": "Huishoudtype", "rent_arrears": "Huurachterstand"},
  "categories": {"rent_arrears": {"ja": "met huurachterstand", "nee": "zonder huurachterstand"}}
}`), 0o600)
	plain, labelled := filepath.Join(dir, "plain.csv"), filepath.Join(dir, "labelled.csv")
	args := []string{"profile", "-in", micro, "-cluster", "cluster", "-vars", "household_type,rent_arrears,region,disposable_income"}
	if _, errOut, code := runCmd(t, env, "", append(args, "-out", plain)...); code > 1 {
		t.Fatalf("profile without labels: exit %d %s", code, errOut)
	}
	_, errOut, code := runCmd(t, env, "", append(args, "-out", labelled, "-labels", labels,
		"-label", "disposable_income=Besteedbaar inkomen", "-label", "region:Oost=regio Oost", "-label", "household_type=Soort huishouden")...)
	if code > 1 {
		t.Fatalf("profile with labels: exit %d %s", code, errOut)
	}
	if _, err := os.Stat(labelled); err != nil {
		t.Fatalf("profile with labels wrote no export: %s", errOut)
	}
	body := string(mustRead(t, labelled))
	for _, want := range []string{"Stabiele gezinnen (synthetisch)", "Soort huishouden", "Huurachterstand", "met huurachterstand",
		"zonder huurachterstand", "Besteedbaar inkomen", "regio Oost"} {
		if !strings.Contains(body, want) {
			t.Errorf("labelled export lacks %q", want)
		}
	}
	if strings.Contains(body, ",Huishoudtype,") {
		t.Error("a -label flag did not win over the labels file")
	}

	// The figures are the same, row by row: labels change names only.
	a, b := readRows(t, plain), readRows(t, labelled)
	if len(a) != len(b) {
		t.Fatalf("%d rows without labels, %d with", len(a), len(b))
	}
	for i := range a {
		if got, want := strings.Join(b[i][5:], ","), strings.Join(a[i][5:], ","); got != want {
			t.Errorf("row %d: figures %s with labels, %s without", i, got, want)
		}
	}

	// A label for something the microdata do not have is an error.
	_, errOut, code = runCmd(t, env, "", append(args, "-out", filepath.Join(dir, "x.csv"), "-label", "huishoudtype=Typo")...)
	if code != 1 || !strings.Contains(errOut, "huishoudtype") {
		t.Fatalf("unknown label: exit %d %q, want 1 naming it", code, errOut)
	}
	_, errOut, code = runCmd(t, env, "", append(args, "-out", filepath.Join(dir, "y.csv"), "-label", "rent_arrears:ja=nee")...)
	if code != 1 || !strings.Contains(errOut, "nee") {
		t.Fatalf("two categories with one name: exit %d %q, want 1", code, errOut)
	}
}

func readRows(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
