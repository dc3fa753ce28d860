package profiles

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"atelier/i18n"
)

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
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if got, want := e.Key, tt.key; got != want {
				t.Errorf("key = %q, want %q", got, want)
			}
			if got, want := e.Line, tt.line; got != want {
				t.Errorf("line = %d, want %d", got, want)
			}
			if got, want := e.Column, tt.column; got != want {
				t.Errorf("column = %d, want %d", got, want)
			}
			if got, want := e.ColumnName, tt.colName; got != want {
				t.Errorf("column name = %q, want %q", got, want)
			}
			if got := e.Message(i18n.NL); !strings.HasPrefix(got, "in.csv") || strings.Contains(got, "%!") {
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
	if got, want := e.Variables[0].mags[0].sum, 1234.5; got != want {
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
	again, err := Check(e, DefaultRules())
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
	res, err := Check(e, DefaultRules())
	if err != nil || !res.Safe {
		t.Fatalf("check: %v %v", err, res)
	}
	_, err = ReadJSON("bad.json", strings.NewReader("{\"format\": \"atelier-profiles/1\",\n \"rows\": [\n {\"cluster\": \"A\", \"count\": 20},\n {\"cluster\": \"A\", \"variable\": \"v\", \"category\": \"x\", \"count\": -1}]}"))
	var pe *Error
	if !errors.As(err, &pe) || pe.Line != 4 || pe.ColumnName != "count" {
		t.Fatalf("err = %#v", err)
	}
}

func TestRulesOnlyStricter(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Rules)
		ok   bool
	}{
		{"defaults", func(*Rules) {}, true},
		{"higher threshold", func(r *Rules) { r.MinFrequency = 15 }, true},
		{"lower threshold", func(r *Rules) { r.MinFrequency = 5 }, false},
		{"looser dominance", func(r *Rules) { r.Dominance1 = 60 }, false},
		{"smaller p", func(r *Rules) { r.P = 5 }, false},
		{"larger share", func(r *Rules) { r.MaxShare = 95 }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := DefaultRules()
			tt.edit(&r)
			if got, want := r.Validate() == nil, tt.ok; got != want {
				t.Fatalf("Validate() ok = %v, want %v", got, want)
			}
		})
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
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("not an *Error: %v", err)
			}
			return
		}
		if len(e.Clusters) > 20 || len(e.Variables) > 10 {
			return // keep each run short
		}
		if _, err := Check(e, DefaultRules()); err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("check: not an *Error: %v", err)
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
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("not an *Error: %v", err)
			}
			return
		}
		if len(e.Clusters) > 20 || len(e.Variables) > 10 {
			return
		}
		if _, err := Check(e, DefaultRules()); err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("check: not an *Error: %v", err)
			}
		}
	})
}
