package profiles

import (
	"bytes"
	"fmt"
	"strings"
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

// exportCSV writes a raw export with the given cluster sizes and variables.
func exportCSV(sizes []int64, freqs []freqVar, mags []magVar) string {
	var b strings.Builder
	b.WriteString(strings.Join(exportHeader, ",") + "\n")
	for ci, s := range sizes {
		fmt.Fprintf(&b, "c%d,Cluster %d,,,,%d,,,,,\n", ci, ci, s)
		for _, v := range freqs {
			for k, n := range v.counts[ci] {
				sup := ""
				if v.apriori[[2]int{ci, k}] {
					sup = "1"
				}
				fmt.Fprintf(&b, "c%d,,%s,,k%d,%d,,,,,%s\n", ci, v.name, k, n, sup)
			}
		}
		for _, v := range mags {
			m := v.cells[ci]
			sup := ""
			if v.apriori[ci] {
				sup = "1"
			}
			fmt.Fprintf(&b, "c%d,,%s,,,,%s,%d,%s,%s,%s\n", ci, v.name, formatAmount(m[0]), int64(m[1]), formatAmount(m[2]), formatAmount(m[3]), sup)
		}
	}
	return b.String()
}

// mustCheck reads and checks an export, failing the test on an error.
func mustCheck(tb testing.TB, csv string) *Result {
	tb.Helper()
	e, err := ReadCSV("test.csv", strings.NewReader(csv))
	if err != nil {
		tb.Fatalf("ReadCSV: %v", err)
	}
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

// outputs renders every output of a result, for leak checks.
func outputs(tb testing.TB, res *Result) string {
	tb.Helper()
	var buf bytes.Buffer
	for _, lang := range []string{"nl", "en"} {
		if err := WriteCheckedCSV(&buf, res, langOf(lang)); err != nil {
			tb.Fatal(err)
		}
		if err := WriteReport(&buf, res, langOf(lang)); err != nil {
			tb.Fatal(err)
		}
	}
	return buf.String()
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }
