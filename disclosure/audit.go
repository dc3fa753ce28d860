package disclosure

import (
	"math"
	"runtime"
	"sync"
)

// The attacker audit. For every suppressed cell an intruder solves two
// linear programs: the smallest and the largest value the cell can take
// given every published figure, every published relation between figures
// (row, column and population totals of all linked tables) and
// non-negativity. The audit solves the same programs, with gonum's simplex,
// and checks the resulting interval against the cell's protection level.
//
// The suppressed cells fall apart into independent components (cells that
// share no relation with a suppressed partner); each is solved on its own,
// in parallel, which keeps large exports fast.

// lpTol is the simplex optimality tolerance.
const lpTol = 1e-10

// component is one independent linear system over suppressed cells.
type component struct {
	vars []int // cell ids
	eqs  []int // equation indexes
}

// components groups the suppressed cells by the relations that link them.
func (g *engine) components() []component { return g.componentsAmong(nil) }

// componentsAmong is components restricted to the cells of among (all
// hidden cells when nil).
func (g *engine) componentsAmong(among map[int]bool) []component {
	in := func(id int) bool { return g.cells[id].hidden() && (among == nil || among[id]) }
	parent := map[int]int{}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for id := range g.cells {
		if in(id) {
			parent[id] = id
		}
	}
	eqOwner := make([]int, len(g.eqs))
	for e, eq := range g.eqs {
		eqOwner[e] = -1
		for _, id := range eq.ids {
			if !in(id) {
				continue
			}
			if eqOwner[e] < 0 {
				eqOwner[e] = id
			} else {
				a, b := find(eqOwner[e]), find(id)
				if a != b {
					parent[a] = b
				}
			}
		}
	}
	index := map[int]int{}
	var comps []component
	for id := range g.cells {
		if !in(id) {
			continue
		}
		r := find(id)
		k, ok := index[r]
		if !ok {
			k = len(comps)
			index[r] = k
			comps = append(comps, component{})
		}
		comps[k].vars = append(comps[k].vars, id)
	}
	for e := range g.eqs {
		if eqOwner[e] >= 0 {
			k := index[find(eqOwner[e])]
			comps[k].eqs = append(comps[k].eqs, e)
		}
	}
	return comps
}

// audit computes the feasible interval of every suppressed cell and checks
// its protection.
func (g *engine) audit() error {
	comps := g.components()
	work := make(chan component)
	errs := make(chan error, len(comps))
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range work {
				if err := g.solve(c); err != nil {
					errs <- err
				}
			}
		}()
	}
	for _, c := range comps {
		work <- c
	}
	close(work)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	g.roundCounts()
	for id := range g.cells {
		c := &g.cells[id]
		if c.hidden() {
			g.judge(c)
		}
	}
	return nil
}

// solve computes the intervals of one component. Each component writes
// only its own cells, so components can be solved concurrently.
func (g *engine) solve(comp component) error {
	if g.forceLP {
		return g.solveLP(comp)
	}
	if len(comp.eqs) == 1 && g.solveOneEquation(comp) {
		return nil
	}
	var shared []int
	for _, id := range comp.vars {
		c := &g.cells[id]
		if !c.known || c.kind == kMag || c.kind == kPopMag || c.kind == kPopSize {
			return g.solveLP(comp)
		}
		if c.kind == kSize {
			shared = append(shared, id)
		}
	}
	switch len(shared) {
	case 0:
		return g.solveFlow(comp, nil, flowOpts{})
	case 2:
		return g.solveLinked(comp, shared)
	case 1:
		if g.pruning && !g.cells[g.pop].hidden() {
			// The only hidden size beside a published population size is
			// its difference with the others: exact. Pruning only needs to
			// know that the trial fails, not the rest of the component.
			c := &g.cells[shared[0]]
			c.lo, c.hi, c.audited = c.value, c.value, true
			return nil
		}
	}
	return g.solveLP(comp)
}

// solveOneEquation solves a component held by one relation Σ a·x = r with
// every a ±1 (a magnitude's column of sums, say) in closed form, as the
// simplex would: a cell is free to rise when another cell of the opposite
// sign is hidden, and free to fall to zero when one of the same sign is.
// It reports false for any other shape.
func (g *engine) solveOneEquation(comp component) bool {
	eq := g.eqs[comp.eqs[0]]
	coef := map[int]float64{}
	r := 0.0
	for k, id := range eq.ids {
		a := eq.coefs[k]
		if a != 1 && a != -1 {
			return false
		}
		if c := &g.cells[id]; c.hidden() {
			coef[id] += a
		} else {
			r -= a * c.value
		}
	}
	for _, id := range comp.vars {
		a, ok := coef[id]
		if !ok || a == 0 {
			return false
		}
		same, opposite := false, false
		for other, b := range coef {
			if other == id {
				continue
			}
			same = same || b == a
			opposite = opposite || b == -a
		}
		// x = a·(r − Σ others): its value alone is a·r when nothing else
		// moves.
		base := a * r
		c := &g.cells[id]
		c.lo, c.hi = math.Max(0, base), base
		if same {
			c.lo = 0
		}
		if opposite {
			c.hi = math.Inf(1)
		}
		if base < 0 && !opposite {
			return false // inconsistent: leave it to the simplex, which says so
		}
		c.audited = true
	}
	return true
}

// tableOf returns the frequency table of a variable.
func (g *engine) tableOf(variable int) *table {
	for _, t := range g.tables {
		if t.variable == variable {
			return t
		}
	}
	return nil
}

// flowInterval computes the interval of cell (i,j) of t by maximum flow:
// how far it can rise and fall through circulations of suppressed cells.
func (g *engine) flowInterval(t *table, i, j int, o flowOpts) (lo, hi float64) {
	o.down = false
	rise := g.maxFlowHidden(t, i, j, inf, o)
	o.down = true
	x := g.cells[t.grid[i][j]].value
	fall := g.maxFlowHidden(t, i, j, x, o)
	fall = math.Min(fall, x)
	hi = x + rise
	if rise >= inf/2 {
		hi = math.Inf(1)
	}
	return x - fall, hi
}

// solveFlow solves a component of frequency cells by maximum flow; skip
// lists cells already solved.
func (g *engine) solveFlow(comp component, skip map[int]bool, o flowOpts) error {
	for _, id := range comp.vars {
		if skip[id] {
			continue
		}
		c := &g.cells[id]
		t := g.tableOf(c.variable)
		i, j := g.position(t, c)
		c.lo, c.hi = g.flowInterval(t, i, j, o)
		c.audited = true
	}
	return nil
}

// solveLinked solves a component linked through exactly two suppressed
// cluster sizes (the population size published). Their sum is then known,
// so the pair has one degree of freedom: the size of the first can move
// within an interval, the intersection of what each table allows. Given
// that interval, the tables are independent again. This is exact: the
// projection of the joint feasible set onto one size is the intersection
// of the tables' projections, because the tables share nothing else.
func (g *engine) solveLinked(comp component, shared []int) error {
	a, b := &g.cells[shared[0]], &g.cells[shared[1]]
	ri, rk := a.cluster, b.cluster
	o := flowOpts{shared: []int{ri, rk}}
	loA, hiA := 0.0, a.value+b.value
	for _, t := range g.tables {
		lo, hi := g.flowInterval(t, ri, t.cols-1, o)
		loA, hiA = math.Max(loA, lo), math.Min(hiA, hi)
	}
	total := a.value + b.value
	a.lo, a.hi, a.audited = loA, hiA, true
	b.lo, b.hi, b.audited = total-hiA, total-loA, true
	// The first size's cell has sign −1: a rise of its value is a fall of
	// its signed entry.
	o.caps = map[int][2]float64{shared[0]: {a.value - loA, hiA - a.value}}
	return g.solveFlow(comp, map[int]bool{shared[0]: true, shared[1]: true}, o)
}

// roundCounts rounds the intervals of counts to whole numbers: an intruder
// knows that counts are whole.
func (g *engine) roundCounts() {
	for id := range g.cells {
		c := &g.cells[id]
		if c.audited && c.kind.isCount() {
			c.lo = math.Max(0, ceilTol(c.lo))
			if !isInf(c.hi) {
				c.hi = floorTol(c.hi)
			}
		}
	}
}

func ceilTol(x float64) float64  { return math.Ceil(x - 1e-6) }
func floorTol(x float64) float64 { return math.Floor(x + 1e-6) }
func isInf(x float64) bool       { return math.IsInf(x, 1) }

// judge decides whether a suppressed cell is protected by its interval.
func (g *engine) judge(c *cell) {
	width := c.hi - c.lo
	c.safe, c.problem = true, nil
	fail := func(key string, args ...any) {
		c.safe = false
		c.problem = &Message{Key: key, Args: args}
	}
	if c.kind.isContrib() {
		// Households without a value are never shown; contributors need
		// protecting only under the threshold (see linkContributors).
		if c.need > 0 && width < c.need-1e-9 {
			fail("profiles.audit.too_narrow", c.need)
		}
		return
	}
	switch {
	case width <= 1e-9:
		fail("profiles.audit.exact")
	case c.status != Primary:
		// A secondary suppression only has to be not exactly derivable.
	case c.kind.isCount():
		if width < c.need-1e-9 {
			fail("profiles.audit.too_narrow", c.need)
		}
	case c.known:
		// The upper protection level of the Handbook on SDC: the upper
		// bound must exceed the true value by the required amount.
		if c.hi-c.value < c.need-1e-6*math.Max(1, c.need) {
			fail("profiles.audit.upper")
		}
	default:
		// A magnitude suppressed in a checked file: its value is unknown,
		// so ask that the interval is at least p% of its upper end.
		if !math.IsInf(c.hi, 1) && width < g.rules.P/100*c.hi {
			fail("profiles.audit.upper")
		}
	}
}
