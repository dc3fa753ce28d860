package disclosure

import "sort"

// A magnitude variable (income, say) is published per cluster as a sum and
// its contributors: the households with a value, shown as "Huishoudens met
// een waarde" beside the mean. Both are one figure, published or hidden
// together. The contributors are a count of households, so they belong to
// the attacker's system like every other count: each cluster's
// contributors and the households without a value add up to its size, and
// the population's are the sum over clusters. That is a table of its own,
// clusters × {with, without}, with the cluster sizes as its margin: the
// contributors table. Its "without" column is never shown; it carries the
// relation contributors ≤ size (without ≥ 0) that a hidden size would
// otherwise lose, and with it the leak of issue 9: a published
// contributors count bounding a hidden cluster size from below.

// addMagnitude adds a magnitude variable: its column of sums (with the
// population's sum last, and their equation) and its contributors table.
func (g *engine) addMagnitude(vi int) {
	e := g.e
	v := &e.Variables[vi]
	R := len(e.Clusters)
	col := make([]int, 0, R+1)
	pf := Entry{Known: true}
	var tops []float64
	for ci := 0; ci < R; ci++ {
		f := v.Mags[ci]
		col = append(col, g.add(fromEntry(cell{kind: kMag, cluster: ci, variable: vi, category: -1}, f, false)))
		pf.Sum += f.Sum
		pf.Contributors += f.Contributors
		tops = append(tops, f.Top1, f.Top2)
	}
	if e.Checked {
		pf = v.Pop[0]
	} else {
		sort.Sort(sort.Reverse(sort.Float64Slice(tops)))
		pf.HasTop, pf.Top1, pf.Top2 = true, tops[0], tops[1]
	}
	col = append(col, g.add(fromEntry(cell{kind: kPopMag, cluster: -1, variable: vi, category: -1}, pf, false)))
	g.mags = append(g.mags, col)
	eq := equation{}
	for i, id := range col {
		c := 1.0
		if i == len(col)-1 {
			c = -1
		}
		eq.ids, eq.coefs = append(eq.ids, id), append(eq.coefs, c)
	}
	g.eqs = append(g.eqs, eq)
	g.addContributors(vi, col)
}

// addContributors adds the contributors table of a magnitude variable whose
// column of sums is col.
func (g *engine) addContributors(vi int, col []int) {
	R := len(g.e.Clusters)
	t := &table{variable: vi, rows: R + 1, cols: 3, grid: make([][]int, R+1), contrib: true}
	for i := range t.grid {
		t.grid[i] = make([]int, 3)
	}
	for i := 0; i <= R; i++ {
		mag := &g.cells[col[i]]
		kind, without, size := kContrib, kWithout, g.pop
		if i < R {
			size = g.sizes[i]
		} else {
			kind, without = kPopContrib, kPopWithout
		}
		n := cell{kind: kind, cluster: mag.cluster, variable: vi, category: 0, value: float64(mag.contributors), known: mag.known,
			apriori: mag.apriori, fileStatus: mag.fileStatus, fileReason: mag.fileReason}
		sz := &g.cells[size]
		w := cell{kind: without, cluster: mag.cluster, variable: vi, category: 1, value: sz.value - n.value, known: mag.known && sz.known}
		t.grid[i][0] = g.add(n)
		t.grid[i][1] = g.add(w)
		t.grid[i][2] = size
		g.cells[t.grid[i][0]].twin = col[i]
		g.cells[col[i]].twin = t.grid[i][0]
	}
	g.tables = append(g.tables, t)
	g.addTableEquations(t)
}

// linkContributors gives each contributors count the status of its
// magnitude, and the protection it needs as a count of its own: the
// threshold when it is under it (the magnitude is then primary by the
// contributors rule). A contributors count of a magnitude hidden for
// another reason (dominance, a secondary) needs no protection of its own:
// at least the threshold of households, it reveals no one.
func (g *engine) linkContributors() {
	T := float64(g.rules.MinFrequency)
	for _, t := range g.tables {
		if !t.contrib {
			continue
		}
		for i := 0; i < t.rows; i++ {
			n := &g.cells[t.grid[i][0]]
			mag := &g.cells[n.twin]
			n.status, n.need, n.reasons = mag.status, 0, nil
			if mag.status == Primary && (!n.known || n.value < T) {
				n.need = T
			}
		}
		g.syncWithout(t)
	}
}

// syncWithout hides every "without" count that cannot be computed from
// what is published: where the contributors or the size is hidden.
func (g *engine) syncWithout(t *table) {
	for i := 0; i < t.rows; i++ {
		n, w, size := &g.cells[t.grid[i][0]], &g.cells[t.grid[i][1]], &g.cells[t.grid[i][2]]
		w.status = Published
		if n.hidden() || size.hidden() {
			w.status = Secondary
		}
	}
}

// syncAllWithout runs syncWithout on every contributors table.
func (g *engine) syncAllWithout() {
	for _, t := range g.tables {
		if t.contrib {
			g.syncWithout(t)
		}
	}
}
