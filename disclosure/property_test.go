package disclosure

import (
	"encoding/json"
	"math/rand"
	"strconv"
	"strings"
	"testing"
)

// randomExport builds a random export: nClusters clusters (one of them
// under ten households when small is set), nVars variables of up to
// maxCats categories; every fifth variable is a magnitude.
func randomExport(rng *rand.Rand, nClusters, nVars, maxCats int, small bool) *Export {
	sizes := make([]int64, nClusters)
	for i := range sizes {
		sizes[i] = int64(20 + rng.Intn(400))
	}
	if small {
		sizes[rng.Intn(nClusters)] = int64(1 + rng.Intn(9))
	}
	var freqs []freqVar
	var mags []magVar
	for v := 0; v < nVars; v++ {
		name := "v" + strconv.Itoa(v)
		if v%5 == 4 {
			m := magVar{name: name, apriori: map[int]bool{}}
			for _, s := range sizes {
				n := s - int64(rng.Intn(int(s)/4+1))
				sum, top1, top2 := 0.0, 0.0, 0.0
				for k := int64(0); k < n; k++ {
					x := float64(1000 + rng.Intn(30000))
					if rng.Intn(200) == 0 {
						x *= 40 // an occasional dominant household
					}
					sum += x
					if x > top1 {
						top1, top2 = x, top1
					} else if x > top2 {
						top2 = x
					}
				}
				m.cells = append(m.cells, [4]float64{sum, float64(n), top1, top2})
			}
			mags = append(mags, m)
			continue
		}
		k := 2 + rng.Intn(maxCats-1)
		weights := make([]float64, k)
		for j := range weights {
			weights[j] = rng.Float64() + 0.05
		}
		f := freqVar{name: name, apriori: map[[2]int]bool{}}
		for _, s := range sizes {
			row := make([]int64, k)
			left := s
			for j := 0; j < k-1; j++ {
				n := int64(float64(s) * weights[j] / float64(k) * 2 * rng.Float64())
				if n > left {
					n = left
				}
				row[j] = n
				left -= n
			}
			row[k-1] = left
			f.counts = append(f.counts, row)
		}
		freqs = append(freqs, f)
	}
	return exportOf(sizes, freqs, mags)
}

// TestRandomTables: after Check, every suppressed cell passes the audit and
// no suppressed value appears in any output.
func TestRandomTables(t *testing.T) {
	n := 60
	if testing.Short() {
		n = 15
	}
	for seed := 0; seed < n; seed++ {
		rng := rand.New(rand.NewSource(int64(seed)))
		clusters := 3 + rng.Intn(8)
		vars := 1 + rng.Intn(6)
		e := randomExport(rng, clusters, vars, 6, seed%3 == 0)
		res, err := Check(e, DefaultRules())
		if err != nil {
			t.Fatalf("seed %d: Check: %v", seed, err)
		}
		if !res.Safe {
			t.Errorf("seed %d: not safe: %v", seed, res.Problems)
		}
		assertNoLeak(t, e, res)
	}
}

// assertNoLeak checks that no suppressed figure holds a value and that no
// top1 or top2 appears anywhere in the Result.
func assertNoLeak(t *testing.T, e *Export, res *Result) {
	t.Helper()
	body, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	out := string(body)
	g := newEngine(e, DefaultRules())
	for _, c := range g.cells {
		if !c.hasTop || c.contributors == 0 {
			continue
		}
		for _, x := range []float64{c.top1, c.top2} {
			if x >= 1000 && strings.Contains(out, strconv.FormatFloat(x, 'f', -1, 64)) {
				t.Fatalf("top contribution %v appears in the result", x)
			}
		}
	}
	for ci, cf := range res.Clusters {
		check := func(f Figure, what string) {
			if f.Status != Published && (f.Count != nil || f.Sum != nil || f.Contributors != nil) {
				t.Fatalf("cluster %d %s: suppressed figure holds a value", ci, what)
			}
			if f.Status == Published && f.Audit != nil {
				t.Fatalf("cluster %d %s: published figure has an audit", ci, what)
			}
		}
		check(cf.Size, "size")
		for _, vf := range cf.Variables {
			for _, f := range vf.Counts {
				check(f, "count")
			}
			if vf.Magnitude != nil {
				check(*vf.Magnitude, "magnitude")
			}
		}
	}
}

// BenchmarkCheck50x40x8 checks an export of 50 clusters × 40 variables ×
// up to 8 categories (every fifth variable a magnitude), with one cluster
// under ten households, so that a suppressed cluster size links all tables.
func BenchmarkCheck50x40x8(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	e := randomExport(rng, 50, 40, 8, true)
	b.ResetTimer()
	var res *Result
	for i := 0; i < b.N; i++ {
		var err error
		res, err = Check(e, DefaultRules())
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.Summary.Primary), "primary")
	b.ReportMetric(float64(res.Summary.Secondary), "secondary")
	if !res.Safe {
		b.Fatalf("not safe: %d problems, first %v", len(res.Problems), res.Problems[0])
	}
}

// TestFlowMatchesSimplex: the audit solves large components by maximum
// flow; on random tables (with suppressed cluster sizes linking the tables)
// it must give the same intervals as gonum's simplex.
func TestFlowMatchesSimplex(t *testing.T) {
	for seed := 0; seed < 12; seed++ {
		rng := rand.New(rand.NewSource(int64(100 + seed)))
		e := randomExport(rng, 8+rng.Intn(6), 3, 5, seed%2 == 0)
		g := newEngine(e, DefaultRules())
		g.primary()
		g.secondary()
		if err := g.audit(); err != nil {
			t.Fatal(err)
		}
		flow := make([][2]float64, len(g.cells))
		for id, c := range g.cells {
			flow[id] = [2]float64{c.lo, c.hi}
		}
		g.forceLP = true
		if err := g.audit(); err != nil {
			t.Fatal(err)
		}
		for id, c := range g.cells {
			if !c.hidden() {
				continue
			}
			if flow[id][0] != c.lo || flow[id][1] != c.hi {
				t.Fatalf("seed %d cell %d: flow [%v,%v], simplex [%v,%v]", seed, id, flow[id][0], flow[id][1], c.lo, c.hi)
			}
		}
	}
}
