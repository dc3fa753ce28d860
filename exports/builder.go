package exports

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"atelier/disclosure"
	"atelier/internal/apperr"
)

// row is one input row in the normalised column order (the export header
// plus status and reason), with where it came from.
type row struct {
	f    [numCols]string
	line int
	cols [numCols]int // 1-based position of each column in the file; 0 when the format has none
}

// fail returns an error at column c of the row.
func (r *row) fail(file string, c int, key string, args ...any) *apperr.Error {
	return errAt(file, r.line, r.cols[c], colNames[c], key, args...)
}

// builder collects validated rows into an Export. The CSV and JSON readers
// share it, so both apply exactly the same rules. add runs one small step
// per concern; each step names the line and column at fault.
type builder struct {
	file         string
	checked      bool
	decimalComma bool
	rows         int

	e        *disclosure.Export
	clusters map[string]int
	vars     map[string]int
	cats     []map[string]int
	sizes    map[int]entryAt        // cluster → size
	freq     []map[[2]int]entryAt   // variable → (cluster, category) → count
	mags     []map[int]entryAt      // variable → cluster → magnitude
	popFreq  []map[int]entryAt      // variable → category → population count
	popMag   map[int]entryAt        // variable → population magnitude
	popSize  *entryAt               // population size (checked files)
	firstRow map[[2]int]int         // (variable, cluster) → first line
	cluLine  map[int]int            // cluster → first line
	cluLabel map[int]bool           // cluster label was given
	varLabel map[int]bool           // variable label was given
	seen     map[[3]string]struct{} // duplicate detection
	lastCols [numCols]int           // column positions of the format, for whole-file errors
}

// entryAt is an entry with the line it was read from.
type entryAt struct {
	disclosure.Entry
	line int
}

func newBuilder(file string, checked, decimalComma bool) *builder {
	return &builder{
		file: file, checked: checked, decimalComma: decimalComma,
		e:        &disclosure.Export{Name: file, Checked: checked},
		clusters: map[string]int{}, vars: map[string]int{},
		sizes: map[int]entryAt{}, popMag: map[int]entryAt{},
		firstRow: map[[2]int]int{}, cluLine: map[int]int{},
		cluLabel: map[int]bool{}, varLabel: map[int]bool{},
		seen: map[[3]string]struct{}{},
	}
}

// add validates one row and records it.
func (b *builder) add(r *row) error {
	b.lastCols = r.cols
	if err := b.countRow(r); err != nil {
		return err
	}
	if err := b.checkFields(r); err != nil {
		return err
	}
	isPop, err := b.checkIdentity(r)
	if err != nil {
		return err
	}
	ci, err := b.cluster(r, isPop)
	if err != nil {
		return err
	}
	en, err := b.entry(r)
	if err != nil {
		return err
	}
	if r.f[colVariable] == "" {
		return b.sizeRow(r, ci, isPop, en)
	}
	vi, err := b.variable(r, ci)
	if err != nil {
		return err
	}
	if b.e.Variables[vi].Kind == disclosure.Frequency {
		return b.countEntry(r, vi, ci, isPop, en)
	}
	return b.magnitudeRow(r, vi, ci, isPop, en)
}

// countRow refuses a file with too many rows.
func (b *builder) countRow(r *row) error {
	b.rows++
	if b.rows > MaxRows {
		return tooLarge(errAt(b.file, r.line, 0, "", "profiles.error.too_many_rows", MaxRows))
	}
	return nil
}

// checkFields bounds every field's length and refuses control characters.
func (b *builder) checkFields(r *row) error {
	for c := 0; c < numCols; c++ {
		limit := MaxFieldLen
		if c == colClusterLabel || c == colVariableLabel || c == colReason {
			limit = MaxLabelLen
		}
		if utf8.RuneCountInString(r.f[c]) > limit {
			return r.fail(b.file, c, "profiles.error.too_long", limit)
		}
		if strings.IndexFunc(r.f[c], unicode.IsControl) >= 0 {
			return r.fail(b.file, c, "profiles.error.control")
		}
	}
	return nil
}

// checkIdentity checks the cluster id and refuses a second row for the same
// (cluster, variable, category). It reports whether the row is a
// population row.
func (b *builder) checkIdentity(r *row) (bool, error) {
	cid := r.f[colCluster]
	if cid == "" {
		return false, r.fail(b.file, colCluster, "profiles.error.required")
	}
	isPop := cid == disclosure.PopulationID
	if isPop && !b.checked {
		return false, r.fail(b.file, colCluster, "profiles.error.reserved", disclosure.PopulationID)
	}
	key := [3]string{cid, r.f[colVariable], r.f[colCategory]}
	if _, dup := b.seen[key]; dup {
		return false, errAt(b.file, r.line, 0, "", "profiles.error.duplicate", key[0], key[1], key[2])
	}
	b.seen[key] = struct{}{}
	return isPop, nil
}

// cluster finds or adds the row's cluster and takes its label; -1 for the
// population.
func (b *builder) cluster(r *row, isPop bool) (int, error) {
	if isPop {
		return -1, nil
	}
	cid := r.f[colCluster]
	ci, ok := b.clusters[cid]
	if !ok {
		if len(b.e.Clusters) >= MaxClusters {
			return 0, r.fail(b.file, colCluster, "profiles.error.too_many", MaxClusters)
		}
		ci = len(b.e.Clusters)
		b.clusters[cid] = ci
		b.e.Clusters = append(b.e.Clusters, disclosure.Cluster{ID: cid})
		b.cluLine[ci] = r.line
	}
	if l := r.f[colClusterLabel]; l != "" {
		c := &b.e.Clusters[ci]
		if b.cluLabel[ci] && c.Label != l {
			return 0, r.fail(b.file, colClusterLabel, "profiles.error.label_differs", cid)
		}
		c.Label, b.cluLabel[ci] = l, true
	}
	return ci, nil
}

// entry reads what every figure row has: the a-priori flag and, in a
// checked file, the status and reason. A figure suppressed in a checked
// file must not carry a value.
func (b *builder) entry(r *row) (entryAt, error) {
	en := entryAt{line: r.line}
	switch r.f[colSuppress] {
	case "", "0":
	case "1":
		en.Apriori = true
	default:
		return en, r.fail(b.file, colSuppress, "profiles.error.suppress")
	}
	if !b.checked {
		if r.f[colStatus] != "" || r.f[colReason] != "" {
			return en, r.fail(b.file, colStatus, "profiles.error.status")
		}
		en.Known = true
		return en, nil
	}
	switch st := disclosure.Status(r.f[colStatus]); st {
	case disclosure.Published, disclosure.Primary, disclosure.Secondary:
		en.FileStatus = st
	default:
		return en, r.fail(b.file, colStatus, "profiles.error.status")
	}
	en.FileReason = r.f[colReason]
	en.Known = en.FileStatus == disclosure.Published
	if !en.Known {
		for _, c := range []int{colCount, colSum, colContributors, colTop1, colTop2} {
			if r.f[c] != "" {
				return en, r.fail(b.file, c, "profiles.error.hidden_value")
			}
		}
	}
	return en, nil
}

// needEmpty refuses a value in columns that do not belong to the row's kind.
func (b *builder) needEmpty(r *row, cs ...int) error {
	for _, c := range cs {
		if r.f[c] != "" {
			return r.fail(b.file, c, "profiles.error.must_be_empty")
		}
	}
	return nil
}

// readCount reads a required count of a known figure.
func (b *builder) readCount(r *row, c int, known bool, dst *int64) error {
	if !known {
		return nil
	}
	if r.f[c] == "" {
		return r.fail(b.file, c, "profiles.error.required")
	}
	n, ok := parseCount(r.f[c])
	if !ok {
		return r.fail(b.file, c, "profiles.error.count")
	}
	*dst = n
	return nil
}

// sizeRow records a cluster's (or the population's) size.
func (b *builder) sizeRow(r *row, ci int, isPop bool, en entryAt) error {
	if err := b.needEmpty(r, colVariableLabel, colCategory, colSum, colContributors, colTop1, colTop2); err != nil {
		return err
	}
	if err := b.readCount(r, colCount, en.Known, &en.Count); err != nil {
		return err
	}
	if isPop {
		b.popSize = &en
	} else {
		b.sizes[ci] = en
	}
	return nil
}

// variable finds or adds the row's variable (a frequency variable when the
// row has a category, a magnitude otherwise) and takes its label.
func (b *builder) variable(r *row, ci int) (int, error) {
	vname := r.f[colVariable]
	kind := disclosure.Frequency
	if r.f[colCategory] == "" {
		kind = disclosure.Magnitude
	}
	vi, ok := b.vars[vname]
	if !ok {
		if len(b.e.Variables) >= MaxVariables {
			return 0, r.fail(b.file, colVariable, "profiles.error.too_many", MaxVariables)
		}
		vi = len(b.e.Variables)
		b.vars[vname] = vi
		b.e.Variables = append(b.e.Variables, disclosure.Variable{Name: vname, Kind: kind})
		b.cats = append(b.cats, map[string]int{})
		b.freq = append(b.freq, map[[2]int]entryAt{})
		b.mags = append(b.mags, map[int]entryAt{})
		b.popFreq = append(b.popFreq, map[int]entryAt{})
	}
	v := &b.e.Variables[vi]
	if v.Kind != kind {
		return 0, r.fail(b.file, colCategory, "profiles.error.kind_mixed", vname)
	}
	if l := r.f[colVariableLabel]; l != "" {
		if b.varLabel[vi] && v.Label != l {
			return 0, r.fail(b.file, colVariableLabel, "profiles.error.label_differs", vname)
		}
		v.Label, b.varLabel[vi] = l, true
	}
	if _, ok := b.firstRow[[2]int{vi, ci}]; !ok {
		b.firstRow[[2]int{vi, ci}] = r.line
	}
	return vi, nil
}

// countEntry records a category count of a frequency variable.
func (b *builder) countEntry(r *row, vi, ci int, isPop bool, en entryAt) error {
	if err := b.needEmpty(r, colSum, colContributors, colTop1, colTop2); err != nil {
		return err
	}
	if err := b.readCount(r, colCount, en.Known, &en.Count); err != nil {
		return err
	}
	v := &b.e.Variables[vi]
	cat := r.f[colCategory]
	ki, ok := b.cats[vi][cat]
	if !ok {
		if len(v.Categories) >= MaxCategories {
			return r.fail(b.file, colCategory, "profiles.error.too_many", MaxCategories)
		}
		ki = len(v.Categories)
		b.cats[vi][cat] = ki
		v.Categories = append(v.Categories, cat)
	}
	if isPop {
		b.popFreq[vi][ki] = en
	} else {
		b.freq[vi][[2]int{ci, ki}] = en
	}
	return nil
}

// magnitudeRow records a magnitude: sum and contributors, and in a raw
// export the two largest contributions, which must be consistent.
func (b *builder) magnitudeRow(r *row, vi, ci int, isPop bool, en entryAt) error {
	if err := b.needEmpty(r, colCount); err != nil {
		return err
	}
	if en.Known {
		var err error
		if en.Sum, err = b.amount(r, colSum); err != nil {
			return err
		}
		if err := b.readCount(r, colContributors, true, &en.Contributors); err != nil {
			return err
		}
		if !b.checked {
			if err := b.tops(r, &en); err != nil {
				return err
			}
		}
	}
	if isPop {
		b.popMag[vi] = en
	} else {
		b.mags[vi][ci] = en
	}
	return nil
}

// tops reads top1 and top2 and checks them against the sum and the number
// of contributors.
func (b *builder) tops(r *row, en *entryAt) error {
	var err error
	if en.Top1, err = b.amount(r, colTop1); err != nil {
		return err
	}
	if en.Top2, err = b.amount(r, colTop2); err != nil {
		return err
	}
	en.HasTop = true
	const eps = 1e-9
	switch {
	case en.Top2 > en.Top1:
		return r.fail(b.file, colTop2, "profiles.error.top_order")
	case en.Top1+en.Top2 > en.Sum*(1+eps)+eps:
		return r.fail(b.file, colTop1, "profiles.error.top_sum")
	case en.Contributors == 0 && en.Sum != 0:
		return r.fail(b.file, colContributors, "profiles.error.no_contributors")
	case en.Contributors == 1 && en.Top2 != 0:
		return r.fail(b.file, colTop2, "profiles.error.top_one")
	}
	return nil
}

// amount parses a required non-negative magnitude; a file with a semicolon
// separator may use a decimal comma.
func (b *builder) amount(r *row, c int) (float64, error) {
	s := r.f[c]
	if s == "" {
		return 0, r.fail(b.file, c, "profiles.error.required")
	}
	if b.decimalComma && strings.Contains(s, ",") {
		if strings.Contains(s, ".") || strings.Count(s, ",") > 1 {
			return 0, r.fail(b.file, c, "profiles.error.number")
		}
		s = strings.Replace(s, ",", ".", 1)
	}
	for _, ch := range s {
		if (ch < '0' || ch > '9') && ch != '.' {
			return 0, r.fail(b.file, c, "profiles.error.number")
		}
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < 0 || x > maxNumber {
		return 0, r.fail(b.file, c, "profiles.error.number")
	}
	return x, nil
}

// parseCount parses a non-negative whole number of units.
func parseCount(s string) (int64, bool) {
	if s == "" || len(s) > 12 {
		return 0, false
	}
	for _, ch := range s {
		if ch < '0' || ch > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}
