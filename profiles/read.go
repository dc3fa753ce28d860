package profiles

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
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
func ReadCSV(name string, r io.Reader) (*Export, error) {
	data, err := readLimited(name, r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:firstInvalidUTF8(data)], []byte("\n"))
		return nil, errorf(name, line, 0, "", "profiles.error.utf8")
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
		return nil, errorf(name, 1, 0, "", "profiles.error.empty")
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	checked, ok := matchHeader(header)
	if !ok {
		return nil, errorf(name, 1, 0, "", "profiles.error.header", strings.Join(exportHeader, string(sep)))
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
			return nil, errorf(name, line, 0, "", "profiles.error.fields", len(index), len(rec))
		}
		var row [numCols]string
		var cols [numCols]int
		for i, f := range rec {
			row[index[i]] = strings.TrimSpace(f)
			cols[index[i]] = i + 1
		}
		if err := b.add(row, line, cols); err != nil {
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
		e := errorf(name, 0, 0, "", "profiles.error.too_large", MaxFileBytes>>20)
		e.Code = ETOOLARGE
		return nil, e
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
		return errorf(name, pe.Line, pe.Column, "", "profiles.error.csv", pe.Err.Error())
	}
	return fmt.Errorf("read %s: %w", name, err)
}

// builder collects validated rows into an Export. It is shared by the CSV
// and JSON readers so that both apply exactly the same rules.
type builder struct {
	file         string
	checked      bool
	decimalComma bool
	rows         int

	e        *Export
	clusters map[string]int
	vars     map[string]int
	cats     []map[string]int
	sizes    map[int]figure         // cluster → size
	freq     []map[[2]int]figure    // variable → (cluster, category) → count
	mags     []map[int]figure       // variable → cluster → magnitude
	popFreq  []map[int]figure       // variable → category → population count
	popMag   map[int]figure         // variable → population magnitude
	popSize  *figure                // population size (checked files)
	firstRow map[[2]int]int         // (variable, cluster) → first line
	cluLine  map[int]int            // cluster → first line
	cluLabel map[int]bool           // cluster label was given
	varLabel map[int]bool           // variable label was given
	seen     map[[3]string]struct{} // duplicate detection
	lateCols [numCols]int           // column positions of the current format
}

func newBuilder(file string, checked, decimalComma bool) *builder {
	return &builder{
		file: file, checked: checked, decimalComma: decimalComma,
		e:        &Export{Name: file, Checked: checked},
		clusters: map[string]int{}, vars: map[string]int{},
		sizes: map[int]figure{}, popMag: map[int]figure{},
		firstRow: map[[2]int]int{}, cluLine: map[int]int{},
		cluLabel: map[int]bool{}, varLabel: map[int]bool{},
		seen: map[[3]string]struct{}{},
	}
}

// add validates one row. cols holds the 1-based column position of every
// normalised column (0 when the format has no such column).
func (b *builder) add(row [numCols]string, line int, cols [numCols]int) error {
	b.lateCols = cols
	fail := func(col int, key string, args ...any) error {
		return errorf(b.file, line, cols[col], colNames[col], key, args...)
	}
	b.rows++
	if b.rows > MaxRows {
		e := errorf(b.file, line, 0, "", "profiles.error.too_many_rows", MaxRows)
		e.Code = ETOOLARGE
		return e
	}
	for c := 0; c < numCols; c++ {
		limit := MaxFieldLen
		if c == colClusterLabel || c == colVariableLabel || c == colReason {
			limit = MaxLabelLen
		}
		if utf8.RuneCountInString(row[c]) > limit {
			return fail(c, "profiles.error.too_long", limit)
		}
		if strings.IndexFunc(row[c], unicode.IsControl) >= 0 {
			return fail(c, "profiles.error.control")
		}
	}
	cid, vname, cat := row[colCluster], row[colVariable], row[colCategory]
	if cid == "" {
		return fail(colCluster, "profiles.error.required")
	}
	isPop := cid == PopulationID
	if isPop && !b.checked {
		return fail(colCluster, "profiles.error.reserved", PopulationID)
	}
	key := [3]string{cid, vname, cat}
	if _, dup := b.seen[key]; dup {
		return errorf(b.file, line, 0, "", "profiles.error.duplicate", cid, vname, cat)
	}
	b.seen[key] = struct{}{}

	// The cluster.
	ci := -1
	if !isPop {
		var ok bool
		ci, ok = b.clusters[cid]
		if !ok {
			if len(b.e.Clusters) >= MaxClusters {
				return fail(colCluster, "profiles.error.too_many", MaxClusters)
			}
			ci = len(b.e.Clusters)
			b.clusters[cid] = ci
			b.e.Clusters = append(b.e.Clusters, Cluster{ID: cid})
			b.cluLine[ci] = line
		}
		if l := row[colClusterLabel]; l != "" {
			c := &b.e.Clusters[ci]
			if b.cluLabel[ci] && c.Label != l {
				return fail(colClusterLabel, "profiles.error.label_differs", cid)
			}
			c.Label, b.cluLabel[ci] = l, true
		}
	}

	// The figure.
	f := figure{line: line, present: true}
	switch row[colSuppress] {
	case "", "0":
	case "1":
		f.apriori = true
	default:
		return fail(colSuppress, "profiles.error.suppress")
	}
	if b.checked {
		switch Status(row[colStatus]) {
		case Published, Primary, Secondary:
			f.fileStatus = Status(row[colStatus])
		default:
			return fail(colStatus, "profiles.error.status")
		}
		f.fileReason = row[colReason]
	} else if row[colStatus] != "" || row[colReason] != "" {
		return fail(colStatus, "profiles.error.status")
	}
	hidden := b.checked && f.fileStatus != Published
	if hidden {
		for _, c := range []int{colCount, colSum, colContributors, colTop1, colTop2} {
			if row[c] != "" {
				return fail(c, "profiles.error.hidden_value")
			}
		}
	}
	f.known = !hidden

	needEmpty := func(cs ...int) error {
		for _, c := range cs {
			if row[c] != "" {
				return fail(c, "profiles.error.must_be_empty")
			}
		}
		return nil
	}
	readCount := func(c int, dst *int64) error {
		if hidden {
			return nil
		}
		if row[c] == "" {
			return fail(c, "profiles.error.required")
		}
		n, err := parseCount(row[c])
		if err != nil {
			return fail(c, "profiles.error.count")
		}
		*dst = n
		return nil
	}

	if vname == "" {
		// The cluster size.
		if err := needEmpty(colVariableLabel, colCategory, colSum, colContributors, colTop1, colTop2); err != nil {
			return err
		}
		if err := readCount(colCount, &f.count); err != nil {
			return err
		}
		if isPop {
			b.popSize = &f
		} else {
			b.sizes[ci] = f
		}
		return nil
	}

	// The variable.
	kind := Frequency
	if cat == "" {
		kind = Magnitude
	}
	vi, ok := b.vars[vname]
	if !ok {
		if len(b.e.Variables) >= MaxVariables {
			return fail(colVariable, "profiles.error.too_many", MaxVariables)
		}
		vi = len(b.e.Variables)
		b.vars[vname] = vi
		b.e.Variables = append(b.e.Variables, Variable{Name: vname, Kind: kind})
		b.cats = append(b.cats, map[string]int{})
		b.freq = append(b.freq, map[[2]int]figure{})
		b.mags = append(b.mags, map[int]figure{})
		b.popFreq = append(b.popFreq, map[int]figure{})
	}
	v := &b.e.Variables[vi]
	if v.Kind != kind {
		return fail(colCategory, "profiles.error.kind_mixed", vname)
	}
	if l := row[colVariableLabel]; l != "" {
		if b.varLabel[vi] && v.Label != l {
			return fail(colVariableLabel, "profiles.error.label_differs", vname)
		}
		v.Label, b.varLabel[vi] = l, true
	}
	if _, ok := b.firstRow[[2]int{vi, ci}]; !ok {
		b.firstRow[[2]int{vi, ci}] = line
	}

	if kind == Frequency {
		if err := needEmpty(colSum, colContributors, colTop1, colTop2); err != nil {
			return err
		}
		if err := readCount(colCount, &f.count); err != nil {
			return err
		}
		ki, ok := b.cats[vi][cat]
		if !ok {
			if len(v.Categories) >= MaxCategories {
				return fail(colCategory, "profiles.error.too_many", MaxCategories)
			}
			ki = len(v.Categories)
			b.cats[vi][cat] = ki
			v.Categories = append(v.Categories, cat)
		}
		if isPop {
			b.popFreq[vi][ki] = f
		} else {
			b.freq[vi][[2]int{ci, ki}] = f
		}
		return nil
	}

	// A magnitude row.
	if err := needEmpty(colCount); err != nil {
		return err
	}
	if !hidden {
		var err error
		if f.sum, err = b.amount(row, colSum, cols, line); err != nil {
			return err
		}
		if err := readCount(colContributors, &f.contributors); err != nil {
			return err
		}
		if !b.checked {
			if f.top1, err = b.amount(row, colTop1, cols, line); err != nil {
				return err
			}
			if f.top2, err = b.amount(row, colTop2, cols, line); err != nil {
				return err
			}
			f.hasTop = true
			const eps = 1e-9
			switch {
			case f.top2 > f.top1:
				return fail(colTop2, "profiles.error.top_order")
			case f.top1+f.top2 > f.sum*(1+eps)+eps:
				return fail(colTop1, "profiles.error.top_sum")
			case f.contributors == 0 && f.sum != 0:
				return fail(colContributors, "profiles.error.no_contributors")
			case f.contributors == 1 && f.top2 != 0:
				return fail(colTop2, "profiles.error.top_one")
			}
		}
	}
	if isPop {
		b.popMag[vi] = f
	} else {
		b.mags[vi][ci] = f
	}
	return nil
}

// amount parses a required non-negative magnitude.
func (b *builder) amount(row [numCols]string, c int, cols [numCols]int, line int) (float64, error) {
	fail := func(key string, args ...any) error {
		return errorf(b.file, line, cols[c], colNames[c], key, args...)
	}
	s := row[c]
	if s == "" {
		return 0, fail("profiles.error.required")
	}
	if b.decimalComma && strings.Contains(s, ",") {
		if strings.Contains(s, ".") || strings.Count(s, ",") > 1 {
			return 0, fail("profiles.error.number")
		}
		s = strings.Replace(s, ",", ".", 1)
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' {
			return 0, fail("profiles.error.number")
		}
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < 0 || x > maxNumber {
		return 0, fail("profiles.error.number")
	}
	return x, nil
}

// parseCount parses a non-negative whole number of units.
func parseCount(s string) (int64, error) {
	if s == "" || len(s) > 12 {
		return 0, errors.New("not a count")
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, errors.New("not a count")
		}
	}
	return strconv.ParseInt(s, 10, 64)
}

// finish checks what can only be checked on the whole file and builds the
// Export.
func (b *builder) finish() (*Export, error) {
	e := b.e
	if len(e.Clusters) == 0 {
		return nil, errorf(b.file, 0, 0, "", "profiles.error.no_clusters")
	}
	cells := 0
	for _, v := range e.Variables {
		if v.Kind == Frequency {
			cells += len(e.Clusters) * len(v.Categories)
		} else {
			cells += len(e.Clusters)
		}
	}
	if cells > MaxCells {
		err := errorf(b.file, 0, 0, "", "profiles.error.too_many_cells", MaxCells)
		err.Code = ETOOLARGE
		return nil, err
	}
	colAt := func(c int) (int, string) { return b.lateCols[c], colNames[c] }
	for ci := range e.Clusters {
		s, ok := b.sizes[ci]
		if !ok {
			col, name := colAt(colVariable)
			return nil, errorf(b.file, b.cluLine[ci], col, name, "profiles.error.no_size", e.Clusters[ci].ID)
		}
		e.Clusters[ci].size = s
	}
	for vi := range e.Variables {
		v := &e.Variables[vi]
		if v.Kind == Frequency {
			v.counts = make([][]figure, len(e.Clusters))
			for ci := range e.Clusters {
				row := make([]figure, len(v.Categories))
				var total int64
				allKnown := true
				for ki := range v.Categories {
					f, ok := b.freq[vi][[2]int{ci, ki}]
					if !ok {
						// A category without a row has no households in
						// this cluster.
						f = figure{known: true, fileStatus: Published}
					}
					row[ki] = f
					total += f.count
					allKnown = allKnown && f.known
				}
				v.counts[ci] = row
				size := e.Clusters[ci].size
				if _, given := b.firstRow[[2]int{vi, ci}]; !given {
					// A variable missing for a whole cluster is an error,
					// not a row of zeros.
					col, name := colAt(colVariable)
					return nil, errorf(b.file, b.cluLine[ci], col, name, "profiles.error.variable_missing", v.Name, e.Clusters[ci].ID)
				}
				if allKnown && size.known && total != size.count {
					col, name := colAt(colCount)
					return nil, errorf(b.file, b.firstRow[[2]int{vi, ci}], col, name, "profiles.error.partition", e.Clusters[ci].ID, v.Name)
				}
			}
		} else {
			v.mags = make([]figure, len(e.Clusters))
			for ci := range e.Clusters {
				f, ok := b.mags[vi][ci]
				if !ok {
					col, name := colAt(colVariable)
					return nil, errorf(b.file, b.cluLine[ci], col, name, "profiles.error.variable_missing", v.Name, e.Clusters[ci].ID)
				}
				size := e.Clusters[ci].size
				if f.known && size.known && f.contributors > size.count {
					col, name := colAt(colContributors)
					return nil, errorf(b.file, f.line, col, name, "profiles.error.contributors_size", e.Clusters[ci].ID)
				}
				v.mags[ci] = f
			}
		}
	}
	if !b.checked {
		return e, nil
	}
	// A checked file carries the population rows; they must be there and
	// agree with the cluster rows wherever both are known.
	if b.popSize == nil {
		return nil, errorf(b.file, 0, 0, "", "profiles.error.population_missing", PopulationID, "")
	}
	e.popSize = *b.popSize
	for vi := range e.Variables {
		v := &e.Variables[vi]
		if v.Kind == Frequency {
			v.pop = make([]figure, len(v.Categories))
			for ki := range v.Categories {
				f, ok := b.popFreq[vi][ki]
				if !ok {
					return nil, errorf(b.file, 0, 0, "", "profiles.error.population_missing", PopulationID, v.Name+" / "+v.Categories[ki])
				}
				v.pop[ki] = f
			}
		} else {
			f, ok := b.popMag[vi]
			if !ok {
				return nil, errorf(b.file, 0, 0, "", "profiles.error.population_missing", PopulationID, v.Name)
			}
			v.pop = []figure{f}
		}
	}
	return e, nil
}
