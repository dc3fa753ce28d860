package exports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"atelier/disclosure"
)

// Column names of the export format, in order.
var (
	exportHeader  = []string{"cluster", "cluster_label", "variable", "variable_label", "category", "count", "sum", "contributors", "top1", "top2", "suppress"}
	checkedHeader = []string{"cluster", "cluster_label", "variable", "variable_label", "category", "count", "sum", "contributors", "suppress", "status", "reason"}
)

// column indexes into a normalised record (the export header order plus
// status and reason).
const (
	colCluster = iota
	colClusterLabel
	colVariable
	colVariableLabel
	colCategory
	colCount
	colSum
	colContributors
	colTop1
	colTop2
	colSuppress
	colStatus
	colReason
	numCols
)

var colNames = [numCols]string{"cluster", "cluster_label", "variable", "variable_label", "category", "count", "sum", "contributors", "top1", "top2", "suppress", "status", "reason"}

// ReadCSV reads a cluster-profile export in the long CSV format (or its
// checked form, with status and reason columns). name is used in error
// messages. The separator (comma or semicolon) is detected from the header
// line; with a semicolon, numbers may use a decimal comma. Every error is an
// *Error naming the line and column; the whole file is rejected on the first
// one.
func ReadCSV(name string, r io.Reader) (*disclosure.Export, error) {
	data, err := readLimited(name, r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:firstInvalidUTF8(data)], []byte("\n"))
		return nil, errAt(name, line, 0, "", "profiles.error.utf8")
	}
	firstLine, _, _ := bytes.Cut(data, []byte("\n"))
	sep := ','
	if bytes.Count(firstLine, []byte(";")) > bytes.Count(firstLine, []byte(",")) {
		sep = ';'
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	header, err := cr.Read()
	if err == io.EOF {
		return nil, errAt(name, 1, 0, "", "profiles.error.empty")
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	checked, ok := matchHeader(header)
	if !ok {
		return nil, errAt(name, 1, 0, "", "profiles.error.header", strings.Join(exportHeader, string(sep)))
	}
	var index []int // record position → normalised column
	if checked {
		index = []int{colCluster, colClusterLabel, colVariable, colVariableLabel, colCategory, colCount, colSum, colContributors, colSuppress, colStatus, colReason}
	} else {
		index = []int{colCluster, colClusterLabel, colVariable, colVariableLabel, colCategory, colCount, colSum, colContributors, colTop1, colTop2, colSuppress}
	}
	b := newBuilder(name, checked, sep == ';')
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(index) {
			return nil, errAt(name, line, 0, "", "profiles.error.fields", len(index), len(rec))
		}
		r := &row{line: line}
		for i, f := range rec {
			r.f[index[i]] = strings.TrimSpace(f)
			r.cols[index[i]] = i + 1
		}
		if err := b.add(r); err != nil {
			return nil, err
		}
	}
	return b.finish()
}

// readLimited reads all of r, refusing more than MaxFileBytes.
func readLimited(name string, r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > MaxFileBytes {
		return nil, tooLarge(errAt(name, 0, 0, "", "profiles.error.too_large", MaxFileBytes>>20))
	}
	return data, nil
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func matchHeader(h []string) (checked, ok bool) {
	same := func(want []string) bool {
		if len(h) != len(want) {
			return false
		}
		for i := range h {
			if strings.TrimSpace(h[i]) != want[i] {
				return false
			}
		}
		return true
	}
	switch {
	case same(exportHeader):
		return false, true
	case same(checkedHeader):
		return true, true
	}
	return false, false
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return errAt(name, pe.Line, pe.Column, "", "profiles.error.csv", pe.Err.Error())
	}
	return fmt.Errorf("read %s: %w", name, err)
}
