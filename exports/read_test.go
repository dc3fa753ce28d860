package exports

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"atelier/disclosure"
	"atelier/i18n"
	"atelier/internal/apperr"
)

// mustCheck reads and checks a CSV export, failing the test on an error.
func mustCheck(tb testing.TB, csv string) *disclosure.Result {
	tb.Helper()
	e, err := ReadCSV("test.csv", strings.NewReader(csv))
	if err != nil {
		tb.Fatalf("ReadCSV: %v", err)
	}
	res, err := disclosure.Check(e, disclosure.DefaultRules())
	if err != nil {
		tb.Fatalf("Check: %v", err)
	}
	return res
}

const header = "cluster,cluster_label,variable,variable_label,category,count,sum,contributors,top1,top2,suppress\n"

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		line    int
		column  int
		colName string
		key     string
	}{
		{"bad header", "cluster,label\n", 1, 0, "", "profiles.error.header"},
		{"count not a number", header + "A,,,,,12x,,,,,\n", 2, 6, "count", "profiles.error.count"},
		{"negative sum", header + "A,,,,,20,,,,,\nA,,inc,,,,-5,20,1,1,\n", 3, 7, "sum", "profiles.error.number"},
		{"partition", header + "A,,,,,20,,,,,\nA,,v,,x,15,,,,,\nA,,v,,y,4,,,,,\n", 3, 6, "count", "profiles.error.partition"},
		{"top order", header + "A,,,,,20,,,,,\nA,,inc,,,,100,20,5,9,\n", 3, 10, "top2", "profiles.error.top_order"},
		{"suppress value", header + "A,,,,,20,,,,,2\n", 2, 11, "suppress", "profiles.error.suppress"},
		{"reserved id", header + "_all,,,,,20,,,,,\n", 2, 1, "cluster", "profiles.error.reserved"},
		{"fields", header + "A,,,,,20\n", 2, 0, "", "profiles.error.fields"},
		{"no size", header + "A,,v,,x,15,,,,,\n", 2, 3, "variable", "profiles.error.no_size"},
		{"duplicate", header + "A,,,,,20,,,,,\nA,,,,,20,,,,,\n", 3, 0, "", "profiles.error.duplicate"},
		{"semicolon decimal comma and dot", strings.ReplaceAll(header, ",", ";") + "A;;;;;20;;;;;\nA;;inc;;;;1.000,5;20;1;1;\n", 3, 7, "sum", "profiles.error.number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCSV("in.csv", strings.NewReader(tt.in))
			e, ok := apperr.As(err)
			if !ok || e.At == nil {
				t.Fatalf("err = %v, want an *apperr.Error with a place", err)
			}
			if got, want := e.Key, tt.key; got != want {
				t.Errorf("key = %q, want %q", got, want)
			}
			if got, want := e.At.Line, tt.line; got != want {
				t.Errorf("line = %d, want %d", got, want)
			}
			if got, want := e.At.Column, tt.column; got != want {
				t.Errorf("column = %d, want %d", got, want)
			}
			if got, want := e.At.Field, tt.colName; got != want {
				t.Errorf("column name = %q, want %q", got, want)
			}
			if got := i18n.ErrorText(i18n.NL, e, ""); !strings.HasPrefix(got, "in.csv") || strings.Contains(got, "%!") {
				t.Errorf("message = %q", got)
			}
		})
	}
}

func TestReadSemicolonAndBOM(t *testing.T) {
	in := "\xef\xbb\xbf" + strings.ReplaceAll(header, ",", ";") + "A;Groep A;;;;20;;;;;\nA;;inc;;;;1234,5;20;100;90;\n"
	e, err := ReadCSV("nl.csv", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := e.Variables[0].Mags[0].Sum, 1234.5; got != want {
		t.Fatalf("sum = %v, want %v", got, want)
	}
}

// TestCheckedRoundTrip: a checked file reads back, and checking it again
// keeps every suppression and stays safe.
func TestCheckedRoundTrip(t *testing.T) {
	f, err := os.ReadFile("../examples/export.csv")
	if err != nil {
		t.Fatal(err)
	}
	res := mustCheck(t, string(f))
	var buf bytes.Buffer
	if err := WriteCheckedCSV(&buf, res, i18n.NL); err != nil {
		t.Fatal(err)
	}
	e, err := ReadCSV("checked.csv", &buf)
	if err != nil {
		t.Fatalf("read checked: %v", err)
	}
	again, err := disclosure.Check(e, disclosure.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	if !again.Safe {
		t.Fatalf("re-check not safe: %v", again.Problems)
	}
	if got, want := again.Summary.Published, res.Summary.Published; got != want {
		t.Errorf("published = %d, want %d", got, want)
	}
}

func TestReadJSON(t *testing.T) {
	f, err := os.Open("../examples/export.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	e, err := ReadJSON("export.json", f)
	if err != nil {
		t.Fatal(err)
	}
	if !e.Meta.Synthetic || e.Meta.Project == "" {
		t.Errorf("meta = %+v", e.Meta)
	}
	res, err := disclosure.Check(e, disclosure.DefaultRules())
	if err != nil || !res.Safe {
		t.Fatalf("check: %v %v", err, res)
	}
	_, err = ReadJSON("bad.json", strings.NewReader("{\"format\": \"atelier-profiles/1\",\n \"rows\": [\n {\"cluster\": \"A\", \"count\": 20},\n {\"cluster\": \"A\", \"variable\": \"v\", \"category\": \"x\", \"count\": -1}]}"))
	pe, ok := apperr.As(err)
	if !ok || pe.At == nil || pe.At.Line != 4 || pe.At.Field != "count" {
		t.Fatalf("err = %#v", err)
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, p := range []string{"../examples/export.csv", "../examples/export-semicolon.csv"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := ReadCSV("fuzz.csv", bytes.NewReader(data))
		if err != nil {
			if _, ok := apperr.As(err); !ok {
				t.Fatalf("not an *apperr.Error: %v", err)
			}
			return
		}
		if len(e.Clusters) > 20 || len(e.Variables) > 10 {
			return // keep each run short
		}
		if _, err := disclosure.Check(e, disclosure.DefaultRules()); err != nil {
			if _, ok := apperr.As(err); !ok {
				t.Fatalf("check: not an *apperr.Error: %v", err)
			}
		}
	})
}

func FuzzReadJSON(f *testing.F) {
	if b, err := os.ReadFile("../examples/export.json"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := ReadJSON("fuzz.json", bytes.NewReader(data))
		if err != nil {
			if _, ok := apperr.As(err); !ok {
				t.Fatalf("not an *apperr.Error: %v", err)
			}
			return
		}
		if len(e.Clusters) > 20 || len(e.Variables) > 10 {
			return
		}
		if _, err := disclosure.Check(e, disclosure.DefaultRules()); err != nil {
			if _, ok := apperr.As(err); !ok {
				t.Fatalf("check: not an *apperr.Error: %v", err)
			}
		}
	})
}
