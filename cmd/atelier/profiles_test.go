package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCmd runs the program with args and returns its output and exit code.
func runCmd(t *testing.T, getenv func(string) string, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"atelier"}, args...), getenv, strings.NewReader(stdin), &out, &errOut)
	code := 0
	var ex exitError
	switch {
	case errors.As(err, &ex):
		code = ex.code
		errOut.WriteString(ex.msg)
	case err != nil:
		code = 1
		errOut.WriteString(err.Error())
	}
	return out.String(), errOut.String(), code
}

func TestCheckCommand(t *testing.T) {
	dir := t.TempDir()
	env := func(string) string { return "" }
	checked := filepath.Join(dir, "checked.csv")
	report := filepath.Join(dir, "report.json")

	out, errOut, code := runCmd(t, env, "", "check", "../../examples/export.csv", "-out", checked, "-report", report)
	if code != 0 {
		t.Fatalf("check of the example: exit %d\n%s%s", code, out, errOut)
	}
	f, err := os.Open(checked)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	header := strings.Join(recs[0], ",")
	if strings.Contains(header, "top1") || !strings.HasSuffix(header, "status,reason") {
		t.Fatalf("checked header: %s", header)
	}
	var primary, secondary, population int
	for _, r := range recs[1:] {
		status := r[len(r)-2]
		if r[0] == "_all" {
			population++
		}
		switch status {
		case "primary", "secondary":
			if status == "primary" {
				primary++
			} else {
				secondary++
			}
			for _, v := range r[5:8] {
				if v != "" {
					t.Errorf("suppressed row keeps a value: %v", r)
				}
			}
			if r[len(r)-1] == "" {
				t.Errorf("suppressed row without a reason: %v", r)
			}
		case "published":
		default:
			t.Errorf("row with status %q", status)
		}
	}
	if primary == 0 || secondary == 0 || population == 0 {
		t.Fatalf("primary=%d secondary=%d population rows=%d; the example has a cell under 10 and margins to protect", primary, secondary, population)
	}

	// Every suppressed figure has a non-degenerate audit interval.
	var rep map[string]any
	body, _ := os.ReadFile(report)
	if err := json.Unmarshal(body, &rep); err != nil {
		t.Fatalf("report.json: %v", err)
	}
	intervals := 0
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if a, ok := x["audit"].(map[string]any); ok {
				intervals++
				lo, _ := a["min"].(float64)
				if hi, ok := a["max"].(float64); ok && hi-lo <= 0 {
					t.Errorf("degenerate audit interval %v", a)
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(rep)
	if intervals != primary+secondary {
		t.Errorf("%d audit intervals for %d suppressed figures", intervals, primary+secondary)
	}
	// The largest single contributions never leave the check.
	raw, _ := os.ReadFile("../../examples/export.csv")
	rows, _ := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	for _, r := range rows[1:] {
		for _, top := range []string{r[8], r[9]} {
			if top == "" {
				continue
			}
			for _, out := range [][]byte{body, mustRead(t, checked)} {
				if bytes.Contains(out, []byte(top)) {
					t.Errorf("a single household's value %s appears in the output", top)
				}
			}
		}
	}

	// Bad input: exit 1 with the line and column; usage errors: exit 2.
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("cluster,cluster_label,variable,variable_label,category,count,sum,contributors,top1,top2,suppress\nA,x,,,,twelve,,,,,\n"), 0o600)
	_, errOut, code = runCmd(t, env, "", "check", bad, "-out", filepath.Join(dir, "x.csv"))
	if code != 1 || !strings.Contains(errOut, "bad.csv") || !strings.Contains(errOut, "2") {
		t.Fatalf("bad file: exit %d, %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.csv")); err == nil {
		t.Error("an output file was written for a rejected input")
	}
	if _, _, code := runCmd(t, env, "", "check"); code != 2 {
		t.Fatalf("check without arguments: exit %d, want 2", code)
	}
	_, errOut, _ = runCmd(t, func(k string) string {
		if k == "LANG" {
			return "en_GB.UTF-8"
		}
		return ""
	}, "", "check", bad, "-out", filepath.Join(dir, "x.csv"))
	if !strings.Contains(errOut, "line") {
		t.Errorf("English locale: %q", errOut)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestProfilePipelineAndFourEyesOnTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	env := func(k string) string {
		if k == "ATELIER_DATA" {
			return data
		}
		return ""
	}
	micro := filepath.Join(dir, "micro.csv")
	export := filepath.Join(dir, "export.csv")
	if out, errOut, code := runCmd(t, env, "", "demo-data", "-households", "600", "-seed", "7", "-out", micro); code != 0 {
		t.Fatalf("demo-data: %d %s %s", code, out, errOut)
	}
	if !bytes.Contains(mustRead(t, micro), []byte("SYNTHETIC")) {
		t.Fatal("microdata not labelled synthetic")
	}
	if out, errOut, code := runCmd(t, env, "", "profile", "-in", micro, "-cluster", "cluster", "-out", export); code != 0 {
		t.Fatalf("profile: %d %s %s", code, out, errOut)
	}

	// Two stewards and a project, through the real commands and store.
	for _, email := range []string{"a@gemeente.example", "b@gemeente.example"} {
		if _, errOut, code := runCmd(t, env, "long enough password\n", "user", "add", "-email", email, "-role", "steward"); code != 0 {
			t.Fatalf("user add: %s", errOut)
		}
	}
	if _, errOut, code := runCmd(t, env, "", "project", "add", "-slug", "p1", "-name", "Project 1", "-purpose", "Testen."); code != 0 {
		t.Fatalf("project add: %s", errOut)
	}
	// Stewards act only in projects they are stewards of.
	out, errOut, code := runCmd(t, env, "", "import", export, "-project", "p1", "-by", "a@gemeente.example")
	if code != 1 || !strings.Contains(errOut, "geen steward") {
		t.Fatalf("import by a non-member: exit %d %s %s", code, out, errOut)
	}
	for _, email := range []string{"a@gemeente.example", "b@gemeente.example"} {
		if _, errOut, code := runCmd(t, env, "", "project", "member", "add", "-project", "p1", "-email", email); code != 0 {
			t.Fatalf("member add: %s", errOut)
		}
	}

	// A project's rules can be made stricter, never looser.
	loose, strict := filepath.Join(dir, "loose.json"), filepath.Join(dir, "strict.json")
	os.WriteFile(loose, []byte(`{"min_frequency": 5}`), 0o600)
	os.WriteFile(strict, []byte(`{"min_frequency": 15}`), 0o600)
	if _, errOut, code := runCmd(t, env, "", "rules", "-project", "p1", "-set", loose); code != 1 || !strings.Contains(errOut, "min_frequency") {
		t.Fatalf("looser rules: exit %d %q", code, errOut)
	}
	if out, errOut, code := runCmd(t, env, "", "rules", "-project", "p1", "-set", strict); code != 0 || !strings.Contains(out, `"min_frequency": 15`) {
		t.Fatalf("stricter rules: exit %d %s %s", code, out, errOut)
	}
	// The check under the stricter rules hides more than under the defaults.
	defOut, _, _ := runCmd(t, env, "", "check", export, "-out", filepath.Join(dir, "c1.csv"))
	strictOut, _, _ := runCmd(t, env, "", "check", export, "-out", filepath.Join(dir, "c2.csv"), "-rules", strict)
	if defOut == strictOut {
		t.Fatalf("stricter rules changed nothing:\n%s", defOut)
	}

	out, errOut, code = runCmd(t, env, "", "import", export, "-project", "p1", "-by", "a@gemeente.example")
	if code != 0 || !strings.Contains(out, "set 1") {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	if _, errOut, code := runCmd(t, env, "", "approve", "-set", "1", "-by", "a@gemeente.example"); code != 1 || !strings.Contains(errOut, "vier-ogen") {
		t.Fatalf("importer approving: exit %d %q, want a four-eyes refusal", code, errOut)
	}
	if out, errOut, code := runCmd(t, env, "", "approve", "-set", "1", "-by", "b@gemeente.example"); code != 0 {
		t.Fatalf("second steward approving: %d %s %s", code, out, errOut)
	}
	if _, _, code := runCmd(t, env, "", "withdraw", "-set", "1", "-by", "a@gemeente.example"); code != 1 {
		t.Fatalf("withdraw without a reason: exit %d, want 1", code)
	}
	if _, errOut, code := runCmd(t, env, "", "withdraw", "-set", "1", "-by", "a@gemeente.example", "-reason", "Nieuwe export."); code != 0 {
		t.Fatalf("withdraw: %s", errOut)
	}
}
