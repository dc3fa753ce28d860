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
	jr := &jsonReader{name: name, data: bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))}
	if !utf8.Valid(jr.data) {
		return nil, errAt(name, jr.lineAt(int64(firstInvalidUTF8(jr.data))), 0, "", "profiles.error.utf8")
	}
	jr.dec = json.NewDecoder(bytes.NewReader(jr.data))
	jr.dec.UseNumber()
	if err := jr.document(); err != nil {
		return nil, err
	}
	if jr.format == "" {
		return nil, errAt(name, 1, 0, "format", "profiles.error.json_format", JSONFormat)
	}
	if jr.b == nil {
		return nil, errAt(name, 1, 0, "rows", "profiles.error.no_clusters")
	}
	e, err := jr.b.finish()
	if err != nil {
		return nil, err
	}
	if jr.meta != nil {
		e.Meta = *jr.meta
	}
	return e, nil
}

// jsonReader reads one JSON document, field by field, so that errors can
// name the line they are on.
type jsonReader struct {
	name    string
	data    []byte
	dec     *json.Decoder
	format  string
	meta    *disclosure.Meta
	checked bool
	b       *builder // made when "rows" starts
}

// lineAt is the line of byte offset off.
func (jr *jsonReader) lineAt(off int64) int {
	if off > int64(len(jr.data)) {
		off = int64(len(jr.data))
	}
	return 1 + bytes.Count(jr.data[:off], []byte("\n"))
}

// syntax is a decoding error at the line where it happened.
func (jr *jsonReader) syntax(err error) error {
	var se *json.SyntaxError
	off := jr.dec.InputOffset()
	if errors.As(err, &se) {
		off = se.Offset
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return errAt(jr.name, jr.lineAt(off), 0, "", "profiles.error.json", err.Error())
}

// document reads the top-level object and checks that nothing follows it.
func (jr *jsonReader) document() error {
	dec := jr.dec
	tok, err := dec.Token()
	if err != nil {
		return jr.syntax(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return errAt(jr.name, 1, 0, "", "profiles.error.json", "expected an object")
	}
	for dec.More() {
		keyLine := jr.lineAt(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return jr.syntax(err)
		}
		key, _ := tok.(string)
		if err := jr.field(key, keyLine); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return jr.syntax(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errAt(jr.name, jr.lineAt(dec.InputOffset()), 0, "", "profiles.error.json", "data after the document")
	}
	return nil
}

// field reads the value of one top-level field.
func (jr *jsonReader) field(key string, keyLine int) error {
	switch key {
	case "format":
		if err := jr.dec.Decode(&jr.format); err != nil {
			return jr.syntax(err)
		}
		if jr.format != JSONFormat {
			return errAt(jr.name, keyLine, 0, "format", "profiles.error.json_format", JSONFormat)
		}
	case "meta":
		return jr.readMeta(keyLine)
	case "checked":
		if jr.b != nil {
			return errAt(jr.name, keyLine, 0, "checked", "profiles.error.json_order")
		}
		if err := jr.dec.Decode(&jr.checked); err != nil {
			return jr.syntax(err)
		}
	case "rows":
		return jr.readRows(keyLine)
	default:
		return errAt(jr.name, keyLine, 0, key, "profiles.error.json_field", key)
	}
	return nil
}

// readMeta reads and checks the meta object; unknown fields are refused.
func (jr *jsonReader) readMeta(keyLine int) error {
	var m disclosure.Meta
	raw := json.RawMessage{}
	if err := jr.dec.Decode(&raw); err != nil {
		return jr.syntax(err)
	}
	md := json.NewDecoder(bytes.NewReader(raw))
	md.DisallowUnknownFields()
	if err := md.Decode(&m); err != nil {
		return errAt(jr.name, keyLine, 0, "meta", "profiles.error.json", err.Error())
	}
	if err := validateMeta(m, jr.name, keyLine); err != nil {
		return err
	}
	jr.meta = &m
	return nil
}

// readRows reads the rows array into a new builder, each row checked as it
// comes with the line it starts on.
func (jr *jsonReader) readRows(keyLine int) error {
	dec := jr.dec
	jr.b = newBuilder(jr.name, jr.checked, false)
	tok, err := dec.Token()
	if err != nil {
		return jr.syntax(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return errAt(jr.name, keyLine, 0, "rows", "profiles.error.json", "rows must be an array")
	}
	for dec.More() {
		// Skip the separator so that the offset is the row's own.
		line := jr.lineAt(dec.InputOffset() + int64(leadingSpace(jr.data[dec.InputOffset():])))
		raw := json.RawMessage{}
		if err := dec.Decode(&raw); err != nil {
			return jr.syntax(err)
		}
		var row jsonRow
		rd := json.NewDecoder(bytes.NewReader(raw))
		rd.UseNumber()
		rd.DisallowUnknownFields()
		if err := rd.Decode(&row); err != nil {
			return errAt(jr.name, line, 0, "", "profiles.error.json", err.Error())
		}
		r := row.record(jr.checked)
		r.line = line
		if err := jr.b.add(r); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return jr.syntax(err)
	}
	return nil
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

// ReadMeta reads the JSON sidecar NAME.meta.json of an export: the
// metadata, and the labels it may carry ("labels", the object of a labels
// file), which ReadExport applies to the export.
func ReadMeta(name string, r io.Reader) (disclosure.Meta, Labels, error) {
	data, err := readLimited(name, io.LimitReader(r, 1<<20))
	if err != nil {
		return disclosure.Meta{}, Labels{}, err
	}
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	dec.DisallowUnknownFields()
	var m struct {
		disclosure.Meta
		Labels Labels `json:"labels"`
	}
	if err := dec.Decode(&m); err != nil {
		line := 1
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line = 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		}
		return disclosure.Meta{}, Labels{}, errAt(name, line, 0, "", "profiles.error.json", err.Error())
	}
	if err := validateMeta(m.Meta, name, 1); err != nil {
		return disclosure.Meta{}, Labels{}, err
	}
	return m.Meta, m.Labels, nil
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
