package exports

import (
	"atelier/disclosure"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// JSONFormat is the value of the "format" field of a JSON document.
const JSONFormat = "atelier-profiles/1"

// jsonRow is one row of a JSON document: the same fields as a CSV row.
type jsonRow struct {
	Cluster       string       `json:"cluster"`
	ClusterLabel  string       `json:"cluster_label"`
	Variable      string       `json:"variable"`
	VariableLabel string       `json:"variable_label"`
	Category      string       `json:"category"`
	Count         *json.Number `json:"count"`
	Sum           *json.Number `json:"sum"`
	Contributors  *json.Number `json:"contributors"`
	Top1          *json.Number `json:"top1"`
	Top2          *json.Number `json:"top2"`
	Suppress      *bool        `json:"suppress"`
	Status        string       `json:"status"`
	Reason        string       `json:"reason"`
}

// ReadJSON reads a cluster-profile export as a JSON document:
//
//	{"format": "atelier-profiles/1", "meta": {...}, "checked": false, "rows": [{...}, ...]}
//
// Each row has the fields of a CSV row (numbers as JSON numbers, suppress as
// a boolean). The same rules apply as for ReadCSV. Errors name the line of
// the row in the document and the field.
func ReadJSON(name string, r io.Reader) (*disclosure.Export, error) {
	data, err := readLimited(name, r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	lineAt := func(off int64) int {
		if off > int64(len(data)) {
			off = int64(len(data))
		}
		return 1 + bytes.Count(data[:off], []byte("\n"))
	}
	if !utf8.Valid(data) {
		return nil, errAt(name, lineAt(int64(firstInvalidUTF8(data))), 0, "", "profiles.error.utf8")
	}
	syntax := func(dec *json.Decoder, err error) error {
		var se *json.SyntaxError
		off := dec.InputOffset()
		if errors.As(err, &se) {
			off = se.Offset
		}
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return errAt(name, lineAt(off), 0, "", "profiles.error.json", err.Error())
	}

	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, syntax(dec, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errAt(name, 1, 0, "", "profiles.error.json", "expected an object")
	}
	var (
		format  string
		meta    *disclosure.Meta
		checked bool
		b       *builder
		sawRows bool
	)
	for dec.More() {
		keyLine := lineAt(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return nil, syntax(dec, err)
		}
		key, _ := tok.(string)
		switch key {
		case "format":
			if err := dec.Decode(&format); err != nil {
				return nil, syntax(dec, err)
			}
			if format != JSONFormat {
				return nil, errAt(name, keyLine, 0, "format", "profiles.error.json_format", JSONFormat)
			}
		case "meta":
			var m disclosure.Meta
			raw := json.RawMessage{}
			if err := dec.Decode(&raw); err != nil {
				return nil, syntax(dec, err)
			}
			md := json.NewDecoder(bytes.NewReader(raw))
			md.DisallowUnknownFields()
			if err := md.Decode(&m); err != nil {
				return nil, errAt(name, keyLine, 0, "meta", "profiles.error.json", err.Error())
			}
			if err := validateMeta(m, name, keyLine); err != nil {
				return nil, err
			}
			meta = &m
		case "checked":
			if sawRows {
				return nil, errAt(name, keyLine, 0, "checked", "profiles.error.json_order")
			}
			if err := dec.Decode(&checked); err != nil {
				return nil, syntax(dec, err)
			}
		case "rows":
			sawRows = true
			b = newBuilder(name, checked, false)
			tok, err := dec.Token()
			if err != nil {
				return nil, syntax(dec, err)
			}
			if d, ok := tok.(json.Delim); !ok || d != '[' {
				return nil, errAt(name, keyLine, 0, "rows", "profiles.error.json", "rows must be an array")
			}
			for dec.More() {
				// Skip the separator so that the offset is the row's own.
				line := lineAt(dec.InputOffset() + int64(leadingSpace(data[dec.InputOffset():])))
				raw := json.RawMessage{}
				if err := dec.Decode(&raw); err != nil {
					return nil, syntax(dec, err)
				}
				var jr jsonRow
				rd := json.NewDecoder(bytes.NewReader(raw))
				rd.UseNumber()
				rd.DisallowUnknownFields()
				if err := rd.Decode(&jr); err != nil {
					return nil, errAt(name, line, 0, "", "profiles.error.json", err.Error())
				}
				r := jr.record(checked)
				r.line = line
				if err := b.add(r); err != nil {
					return nil, err
				}
			}
			if _, err := dec.Token(); err != nil {
				return nil, syntax(dec, err)
			}
		default:
			return nil, errAt(name, keyLine, 0, key, "profiles.error.json_field", key)
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, syntax(dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errAt(name, lineAt(dec.InputOffset()), 0, "", "profiles.error.json", "data after the document")
	}
	if format == "" {
		return nil, errAt(name, 1, 0, "format", "profiles.error.json_format", JSONFormat)
	}
	if b == nil {
		return nil, errAt(name, 1, 0, "rows", "profiles.error.no_clusters")
	}
	e, err := b.finish()
	if err != nil {
		return nil, err
	}
	if meta != nil {
		e.Meta = *meta
	}
	return e, nil
}

func leadingSpace(b []byte) int {
	n := 0
	for n < len(b) && (b[n] == ' ' || b[n] == '\t' || b[n] == '\r' || b[n] == '\n' || b[n] == ',') {
		n++
	}
	return n
}

// record turns a JSON row into the normalised CSV record. Columns are
// numbered by field, in the CSV order.
func (jr jsonRow) record(checked bool) *row {
	r := &row{}
	f, cols := &r.f, &r.cols
	num := func(n *json.Number) string {
		if n == nil {
			return ""
		}
		return n.String()
	}
	f[colCluster] = strings.TrimSpace(jr.Cluster)
	f[colClusterLabel] = strings.TrimSpace(jr.ClusterLabel)
	f[colVariable] = strings.TrimSpace(jr.Variable)
	f[colVariableLabel] = strings.TrimSpace(jr.VariableLabel)
	f[colCategory] = strings.TrimSpace(jr.Category)
	f[colCount] = num(jr.Count)
	f[colSum] = num(jr.Sum)
	f[colContributors] = num(jr.Contributors)
	f[colTop1] = num(jr.Top1)
	f[colTop2] = num(jr.Top2)
	if jr.Suppress != nil && *jr.Suppress {
		f[colSuppress] = "1"
	}
	f[colStatus] = jr.Status
	f[colReason] = jr.Reason
	if checked && (f[colTop1] != "" || f[colTop2] != "") {
		// A checked document never carries single households' values;
		// report it on the field.
		f[colStatus] = "invalid"
	}
	for c := range cols {
		cols[c] = c + 1
	}
	return r
}

// ReadMeta reads the JSON sidecar NAME.meta.json of an export.
func ReadMeta(name string, r io.Reader) (disclosure.Meta, error) {
	data, err := readLimited(name, io.LimitReader(r, 1<<20))
	if err != nil {
		return disclosure.Meta{}, err
	}
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	dec.DisallowUnknownFields()
	var m disclosure.Meta
	if err := dec.Decode(&m); err != nil {
		line := 1
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line = 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		}
		return disclosure.Meta{}, errAt(name, line, 0, "", "profiles.error.json", err.Error())
	}
	if err := validateMeta(m, name, 1); err != nil {
		return disclosure.Meta{}, err
	}
	return m, nil
}

// MetaPath returns the sidecar path of an export file: "x/export.csv" →
// "x/export.meta.json".
func MetaPath(exportPath string) string {
	base := exportPath
	if i := strings.LastIndexByte(base, '.'); i > strings.LastIndexByte(base, '/') {
		base = base[:i]
	}
	return base + ".meta.json"
}

// validate checks the metadata fields: a project, bounded texts and, when
// given, a date in the form 2006-01-02.
func validateMeta(m disclosure.Meta, file string, line int) error {
	fields := []struct {
		name, value string
	}{
		{"name", m.Name}, {"project", m.Project}, {"source", m.Source}, {"population", m.Population},
		{"export_reference", m.ExportRef}, {"date", m.Date},
	}
	for _, f := range fields {
		if utf8.RuneCountInString(f.value) > MaxLabelLen*4 {
			return errAt(file, line, 0, f.name, "profiles.error.too_long", MaxLabelLen*4)
		}
	}
	if strings.TrimSpace(m.Project) == "" {
		return errAt(file, line, 0, "project", "profiles.error.meta_required", "project")
	}
	if m.Date != "" {
		if _, err := time.Parse(time.DateOnly, m.Date); err != nil {
			return errAt(file, line, 0, "date", "profiles.error.meta_date")
		}
	}
	return nil
}
