package disclosure

import (
	"fmt"
	"testing"
)

// freqVar is a frequency variable for building test exports:
// counts[cluster][category], and a-priori suppressions by (cluster, category).
type freqVar struct {
	name    string
	counts  [][]int64
	apriori map[[2]int]bool
}

// magVar is a magnitude variable: per cluster sum, contributors, top1, top2.
type magVar struct {
	name    string
	cells   [][4]float64
	apriori map[int]bool
}

// exportOf builds a raw export with the given cluster sizes and variables,
// as a reader would from the long CSV: clusters c0, c1, ..., categories k0,
// k1, ...
func exportOf(sizes []int64, freqs []freqVar, mags []magVar) *Export {
	e := &Export{Name: "test.csv"}
	for ci, s := range sizes {
		e.Clusters = append(e.Clusters, Cluster{ID: fmt.Sprintf("c%d", ci), Label: fmt.Sprintf("Cluster %d", ci), Size: Entry{Count: s, Known: true}})
	}
	for _, v := range freqs {
		ev := Variable{Name: v.name, Kind: Frequency}
		for k := range v.counts[0] {
			ev.Categories = append(ev.Categories, fmt.Sprintf("k%d", k))
		}
		for ci, row := range v.counts {
			var entries []Entry
			for k, n := range row {
				entries = append(entries, Entry{Count: n, Known: true, Apriori: v.apriori[[2]int{ci, k}]})
			}
			ev.Counts = append(ev.Counts, entries)
		}
		e.Variables = append(e.Variables, ev)
	}
	for _, v := range mags {
		ev := Variable{Name: v.name, Kind: Magnitude}
		for ci, m := range v.cells {
			ev.Mags = append(ev.Mags, Entry{Sum: m[0], Contributors: int64(m[1]), Top1: m[2], Top2: m[3], HasTop: true, Known: true, Apriori: v.apriori[ci]})
		}
		e.Variables = append(e.Variables, ev)
	}
	return e
}

// mustCheck checks an export, failing the test on an error.
func mustCheck(tb testing.TB, e *Export) *Result {
	tb.Helper()
	res, err := Check(e, DefaultRules())
	if err != nil {
		tb.Fatalf("Check: %v", err)
	}
	return res
}

// fromRows builds sizes from a single frequency table's rows.
func fromRows(rows [][]int64) []int64 {
	var sizes []int64
	for _, r := range rows {
		var s int64
		for _, n := range r {
			s += n
		}
		sizes = append(sizes, s)
	}
	return sizes
}
