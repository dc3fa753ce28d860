package disclosure

import "math"

// Secondary suppression.
//
// A frequency variable is a table clusters × categories whose margins (the
// cluster sizes and the population counts) are published too. Written with
// the margins negated, every row and column of such a table sums to zero,
// and any change an intruder may make to the suppressed cells without
// contradicting a published figure is a circulation: flow along a cycle of
// suppressed cells, alternately raising and lowering them. How far a cell
// can rise is then a maximum flow, bounded by the cells that must fall (a
// count cannot fall below zero). This is exact for one table, and the
// classic network heuristic for cell suppression builds on it: while a
// sensitive cell cannot rise by its protection level, find the cheapest
// path through the table (suppressed cells cost nothing, published ones
// their information loss) that closes a cycle, and suppress its cells.
//
// Cells shared by all tables (the cluster sizes and the population size)
// are not used to protect a table's own cells: a cycle inside one table
// leaves every other table untouched, so the protection it gives holds in
// the combined system too. A suppressed cluster size (a cluster under the
// threshold) is protected by pairing it with a partner cluster whose size
// is suppressed as well, and by a cycle through both rows in every table.
// The attacker audit (audit.go) then checks everything by linear
// programming over all linked tables at once.

const inf = 1e18

// weight is the information lost by suppressing a published cell: mostly
// the number of cells (few), then their size (small). Population figures
// are the baseline every cluster is compared with, so they cost more.
func (g *engine) weight(id int) float64 {
	c := &g.cells[id]
	if c.kind.isWithout() {
		// Hiding it hides the contributors and their magnitude.
		if t := g.tableOf(c.variable); t != nil {
			i, _ := g.position(t, c)
			return g.weight(t.grid[i][0])
		}
	}
	w := 1 + math.Log1p(c.value)/4
	if c.kind.isContrib() {
		w *= 2 // the sum goes with it
	}
	if c.kind == kPopFreq || c.kind == kPopMag || c.kind == kPopContrib {
		w *= 8
	}
	return w
}

// hide marks a published cell as a secondary suppression, with what goes
// with it: a magnitude's sum and contributors are one figure, hiding a
// "without" count (which no page shows) means hiding the contributors that
// reveal it, and the "without" counts follow whatever changed.
func (g *engine) hide(id int) {
	c := &g.cells[id]
	if c.kind.isWithout() {
		if t := g.tableOf(c.variable); t != nil {
			i, _ := g.position(t, c)
			g.hide(t.grid[i][0])
		}
		return
	}
	if c.status == Published {
		c.status = Secondary
	}
	if c.twin >= 0 && g.cells[c.twin].status == Published {
		g.cells[c.twin].status = Secondary
	}
	switch {
	case c.kind == kSize || c.kind == kPopSize:
		g.syncAllWithout()
	case c.kind.isContrib() || c.kind == kMag || c.kind == kPopMag:
		if t := g.tableOf(c.variable); t != nil {
			g.syncWithout(t)
		}
	}
}

// caps returns how far cell (i,j) of t can move in the signed form: inc for
// an increase of its signed entry, dec for a decrease. A count cannot fall
// below zero; nothing else bounds it.
func (g *engine) caps(t *table, i, j int) (inc, dec float64) {
	c := &g.cells[t.grid[i][j]]
	v := c.value
	if !c.known {
		v = 0 // unknown: assume it cannot fall at all
	}
	if t.sign(i, j) > 0 {
		return inf, v
	}
	return v, inf
}

// step is one arc of a path in a table's bipartite graph: from row i to
// column j (up: the signed entry rises) or back (down).
type step struct {
	i, j int
	up   bool
}

// protectInTable makes cell (pr,pc) of t able to rise by need through a
// circulation of suppressed cells of t, suppressing more cells when needed.
// Cells of the size column are not used, except the partner row's size
// (partner < 0 for none). With down it protects a fall instead of a rise;
// with dry it only reports whether the suppressed cells already suffice.
// It reports whether it succeeded.
func (g *engine) protectInTable(t *table, pr, pc int, need float64, partner int) bool {
	_, ok := g.circulate(t, pr, pc, need, flowOpts{shared: []int{partner}})
	return ok
}

// protectEither protects a secondary cell, which only has to move in some
// direction: a cell next to zeros may be unable to rise yet free to fall.
func (g *engine) protectEither(t *table, pr, pc int, need float64) bool {
	if _, ok := g.circulate(t, pr, pc, need, flowOpts{dry: true}); ok {
		return true
	}
	if _, ok := g.circulate(t, pr, pc, need, flowOpts{dry: true, down: true}); ok {
		return true
	}
	_, ok := g.circulate(t, pr, pc, need, flowOpts{})
	return ok
}

// protectColumn protects cell p of a magnitude column (the population total
// last): with the total published, a suppressed cell can rise by as much as
// the other suppressed cells can fall.
func (g *engine) protectColumn(col []int, p int, need float64) bool {
	last := len(col) - 1
	if p != last && g.cells[col[last]].hidden() {
		return true // the total is suppressed too: no upper bound
	}
	if p == last {
		for _, id := range col[:last] {
			if g.cells[id].hidden() {
				return true
			}
		}
		best := -1
		for _, id := range col[:last] {
			if best < 0 || g.cells[id].value < g.cells[best].value {
				best = id
			}
		}
		if best < 0 {
			return false
		}
		g.hide(best)
		return true
	}
	for {
		up := 0.0
		for k, id := range col[:last] {
			if c := &g.cells[id]; k != p && c.hidden() && c.known {
				up += c.value
			}
		}
		if up >= need {
			return true
		}
		// The smallest published cell that gives enough, else the largest.
		fit, largest := -1, -1
		for k, id := range col[:last] {
			c := &g.cells[id]
			if k == p || c.hidden() {
				continue
			}
			if c.value >= need-up && (fit < 0 || c.value < g.cells[fit].value) {
				fit = id
			}
			if largest < 0 || c.value > g.cells[largest].value {
				largest = id
			}
		}
		switch {
		case fit >= 0:
			g.hide(fit)
		case largest >= 0:
			g.hide(largest)
		default:
			g.hide(col[last])
			return true
		}
	}
}

// protectSize protects the suppressed size of cluster ci by a partner
// cluster whose size is suppressed as well, and a cycle through both rows
// in every frequency table. avoid lists partners already tried.
func (g *engine) protectSize(ci int, need float64, avoid map[int]bool) bool {
	if g.cells[g.pop].hidden() {
		return true
	}
	partner := -1
	better := func(k int) bool {
		v, best := g.cells[g.sizes[k]].value, g.cells[g.sizes[partner]].value
		if (v >= need) != (best >= need) {
			return v >= need
		}
		if v >= need {
			return v < best // enough, and small
		}
		return v > best
	}
	// Prefer a partner whose size is suppressed already.
	for pass := 0; pass < 2 && partner < 0; pass++ {
		for k := range g.sizes {
			c := &g.cells[g.sizes[k]]
			if k == ci || avoid[k] || !c.known || c.hidden() != (pass == 0) {
				continue
			}
			if pass == 0 && c.value < need {
				continue
			}
			if partner < 0 || better(k) {
				partner = k
			}
		}
	}
	if partner < 0 {
		return false
	}
	g.hide(g.sizes[partner])
	ok := true
	for _, t := range g.tables {
		if !g.protectInTable(t, ci, t.cols-1, need, partner) {
			ok = false
		}
	}
	return ok
}

// needOf is the protection a suppressed cell needs in the heuristic.
func (g *engine) needOf(id int) float64 {
	c := &g.cells[id]
	if c.status == Primary && c.need > 0 {
		return c.need
	}
	return 1
}

// secondary chooses the secondary suppressions.
func (g *engine) secondary() {
	// Until nothing changes: a suppression made for one table can require
	// more in another (a suppressed cluster size reaches every table).
	for round := 0; round < 8; round++ {
		before := g.countHidden()
		for ci, id := range g.sizes {
			if g.cells[id].hidden() {
				g.protectSize(ci, g.needOf(id), nil)
			}
		}
		for _, t := range g.tables {
			for _, id := range g.primaryOrder(t) {
				c := &g.cells[id]
				i, j := g.position(t, c)
				if c.status == Primary {
					g.protectInTable(t, i, j, g.needOf(id), -1)
				} else {
					g.protectEither(t, i, j, 1)
				}
			}
		}
		for _, col := range g.mags {
			for p, id := range col {
				if g.cells[id].hidden() {
					g.protectColumn(col, p, g.needOf(id))
				}
			}
		}
		if g.countHidden() == before {
			return
		}
	}
}

// primaryOrder lists the suppressed non-shared cells of t, the most
// demanding first, so that later cells can reuse their cycles.
func (g *engine) primaryOrder(t *table) []int {
	var ids []int
	for i := 0; i < t.rows; i++ {
		for j := 0; j < t.cols-1; j++ {
			id := t.grid[i][j]
			c := &g.cells[id]
			// In a contributors table only a count under the threshold
			// needs protecting; the rest moves with its magnitude.
			if !c.hidden() || t.contrib && c.need == 0 {
				continue
			}
			ids = append(ids, id)
		}
	}
	// Insertion sort keeps equal needs in table order (deterministic).
	for a := 1; a < len(ids); a++ {
		for b := a; b > 0 && g.needOf(ids[b]) > g.needOf(ids[b-1]); b-- {
			ids[b], ids[b-1] = ids[b-1], ids[b]
		}
	}
	return ids
}

// position returns the row and column of a cell in table t.
func (g *engine) position(t *table, c *cell) (int, int) {
	i := c.cluster
	if i < 0 {
		i = t.rows - 1
	}
	j := c.category
	if j < 0 {
		j = t.cols - 1
	}
	return i, j
}

func (g *engine) countHidden() int {
	n := 0
	for i := range g.cells {
		if g.cells[i].hidden() {
			n++
		}
	}
	return n
}

// repair acts on the cells the audit found unprotected. It reports whether
// it changed anything.
func (g *engine) repair() bool {
	before := g.countHidden()
	tried := map[int]map[int]bool{}
	for id := range g.cells {
		c := &g.cells[id]
		if !c.audited || c.safe {
			continue
		}
		need := g.needOf(id)
		switch c.kind {
		case kSize:
			if tried[c.cluster] == nil {
				tried[c.cluster] = map[int]bool{}
			}
			// Add another partner: the first one was not enough.
			for k := range g.sizes {
				if k != c.cluster && g.cells[g.sizes[k]].hidden() {
					tried[c.cluster][k] = true
				}
			}
			g.protectSize(c.cluster, need, tried[c.cluster])
		case kFreq, kPopFreq, kContrib, kPopContrib:
			if t := g.tableOf(c.variable); t != nil {
				i, j := g.position(t, c)
				g.protectInTable(t, i, j, 2*need, -1)
			}
		case kMag, kPopMag:
			col := g.mags[g.magIndex(c.variable)]
			p := len(col) - 1
			if c.cluster >= 0 {
				p = c.cluster
			}
			g.protectColumn(col, p, 2*need)
		}
	}
	return g.countHidden() != before
}

// magIndex maps a variable index to its magnitude column.
func (g *engine) magIndex(variable int) int {
	for k, col := range g.mags {
		if g.cells[col[0]].variable == variable {
			return k
		}
	}
	return -1
}
