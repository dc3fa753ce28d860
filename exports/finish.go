package exports

import (
	"atelier/disclosure"
)

// finish checks what can only be checked on the whole file and builds the
// Export.
func (b *builder) finish() (*disclosure.Export, error) {
	e := b.e
	if len(e.Clusters) == 0 {
		return nil, errAt(b.file, 0, 0, "", "profiles.error.no_clusters")
	}
	if err := b.checkCells(); err != nil {
		return nil, err
	}
	for ci := range e.Clusters {
		s, ok := b.sizes[ci]
		if !ok {
			return nil, b.failLate(b.cluLine[ci], colVariable, "profiles.error.no_size", e.Clusters[ci].ID)
		}
		e.Clusters[ci].Size = s.Entry
	}
	for vi := range e.Variables {
		var err error
		if e.Variables[vi].Kind == disclosure.Frequency {
			err = b.finishFrequency(vi)
		} else {
			err = b.finishMagnitude(vi)
		}
		if err != nil {
			return nil, err
		}
	}
	if !b.checked {
		return e, nil
	}
	return e, b.finishPopulation()
}

// failLate is an error found after reading, placed on line at column c of
// the file's format.
func (b *builder) failLate(line, c int, key string, args ...any) error {
	return errAt(b.file, line, b.lastCols[c], colNames[c], key, args...)
}

// checkCells bounds the size of the tables the file describes.
func (b *builder) checkCells() error {
	cells := 0
	for _, v := range b.e.Variables {
		if v.Kind == disclosure.Frequency {
			cells += len(b.e.Clusters) * len(v.Categories)
		} else {
			cells += len(b.e.Clusters)
		}
	}
	if cells > MaxCells {
		return tooLarge(errAt(b.file, 0, 0, "", "profiles.error.too_many_cells", MaxCells))
	}
	return nil
}

// finishFrequency fills a frequency variable's table. A category without a
// row has no households in that cluster; a variable without any row for a
// cluster is an error. Known counts must add up to the cluster's size.
func (b *builder) finishFrequency(vi int) error {
	e := b.e
	v := &e.Variables[vi]
	v.Counts = make([][]disclosure.Entry, len(e.Clusters))
	for ci := range e.Clusters {
		if _, given := b.firstRow[[2]int{vi, ci}]; !given {
			return b.failLate(b.cluLine[ci], colVariable, "profiles.error.variable_missing", v.Name, e.Clusters[ci].ID)
		}
		counts := make([]disclosure.Entry, len(v.Categories))
		var total int64
		allKnown := true
		for ki := range v.Categories {
			f, ok := b.freq[vi][[2]int{ci, ki}]
			if !ok {
				f = entryAt{Entry: disclosure.Entry{Known: true, FileStatus: disclosure.Published}}
			}
			counts[ki] = f.Entry
			total += f.Count
			allKnown = allKnown && f.Known
		}
		v.Counts[ci] = counts
		size := e.Clusters[ci].Size
		if allKnown && size.Known && total != size.Count {
			return b.failLate(b.firstRow[[2]int{vi, ci}], colCount, "profiles.error.partition", e.Clusters[ci].ID, v.Name)
		}
	}
	return nil
}

// finishMagnitude fills a magnitude variable's column. No more households
// can contribute to a sum than the cluster has.
func (b *builder) finishMagnitude(vi int) error {
	e := b.e
	v := &e.Variables[vi]
	v.Mags = make([]disclosure.Entry, len(e.Clusters))
	for ci := range e.Clusters {
		f, ok := b.mags[vi][ci]
		if !ok {
			return b.failLate(b.cluLine[ci], colVariable, "profiles.error.variable_missing", v.Name, e.Clusters[ci].ID)
		}
		size := e.Clusters[ci].Size
		if f.Known && size.Known && f.Contributors > size.Count {
			return b.failLate(f.line, colContributors, "profiles.error.contributors_size", e.Clusters[ci].ID)
		}
		v.Mags[ci] = f.Entry
	}
	return nil
}

// finishPopulation takes a checked file's population rows: they must all
// be there.
func (b *builder) finishPopulation() error {
	e := b.e
	if b.popSize == nil {
		return errAt(b.file, 0, 0, "", "profiles.error.population_missing", disclosure.PopulationID, "")
	}
	e.PopSize = b.popSize.Entry
	for vi := range e.Variables {
		v := &e.Variables[vi]
		if v.Kind == disclosure.Frequency {
			v.Pop = make([]disclosure.Entry, len(v.Categories))
			for ki := range v.Categories {
				f, ok := b.popFreq[vi][ki]
				if !ok {
					return errAt(b.file, 0, 0, "", "profiles.error.population_missing", disclosure.PopulationID, v.Name+" / "+v.Categories[ki])
				}
				v.Pop[ki] = f.Entry
			}
			continue
		}
		f, ok := b.popMag[vi]
		if !ok {
			return errAt(b.file, 0, 0, "", "profiles.error.population_missing", disclosure.PopulationID, v.Name)
		}
		v.Pop = []disclosure.Entry{f.Entry}
	}
	return nil
}
