// Package exports reads and writes the cluster-profile export formats of
// docs/profile-format.md: the long CSV (comma or semicolon), the JSON
// document, the metadata sidecar, the checked file and the check report.
// It also builds an export from household-level microdata, which is what a
// researcher runs inside the secure environment ("atelier profile").
//
// Every reading error is an *apperr.Error naming the file, line, column and
// field at fault; a file with an error is rejected as a whole.
package exports

import (
	"bytes"
	"path/filepath"
	"strings"

	"atelier/disclosure"
	"atelier/internal/apperr"
)

// Limits that keep untrusted input from exhausting memory or time. A file
// that exceeds one is rejected as a whole.
const (
	MaxFileBytes  = 16 << 20 // bytes in one CSV or JSON file
	MaxRows       = 200_000  // data rows in one file
	MaxFieldLen   = 200      // characters in an id, name or category
	MaxLabelLen   = 500      // characters in a label or reason
	MaxClusters   = 1_000
	MaxVariables  = 1_000
	MaxCategories = 100     // categories of one frequency variable
	MaxCells      = 200_000 // clusters × (categories summed over variables)
	maxNumber     = 1e15    // largest accepted magnitude
)

// ReadExport reads one export, choosing the format by the file name (".json"
// is the JSON document, anything else the long CSV), with its metadata
// sidecar when meta is not nil (its labels, if any, applied). Both the web importer and the command line
// read through here.
func ReadExport(name string, body, meta []byte) (*disclosure.Export, error) {
	var (
		e   *disclosure.Export
		err error
	)
	if strings.EqualFold(filepath.Ext(name), ".json") {
		e, err = ReadJSON(name, bytes.NewReader(body))
	} else {
		e, err = ReadCSV(name, bytes.NewReader(body))
	}
	if err != nil {
		return nil, err
	}
	if meta != nil {
		metaName := filepath.Base(MetaPath(name))
		m, labels, err := ReadMeta(metaName, bytes.NewReader(meta))
		if err != nil {
			return nil, err
		}
		e.Meta = m
		if err := ApplyLabels(e, labels, metaName); err != nil {
			return nil, err
		}
	}
	if e.Meta.Name != "" {
		e.Name = e.Meta.Name
	}
	return e, nil
}

// errAt builds an invalid-input error at a place in file.
func errAt(file string, line, col int, field, key string, args ...any) *apperr.Error {
	e := apperr.New(apperr.Invalid, key, args...)
	e.At = &apperr.Pos{File: file, Line: line, Column: col, Field: field}
	return e
}

// tooLarge turns an input error into a size error.
func tooLarge(e *apperr.Error) *apperr.Error {
	e.Code = apperr.TooLarge
	return e
}
