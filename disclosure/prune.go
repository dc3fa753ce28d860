package disclosure

import (
	"sort"
)

// The fewest suppressions that hold. The secondary heuristic and its
// repairs find a safe pattern, not the smallest one: a cell hidden for an
// early primary may have become unnecessary once later cycles were laid.
// prune takes the pattern back cell by cell, the most informative first
// (largest published value), and keeps each cell published when the
// attacker audit still passes without it. Only the component the cell was
// in needs auditing again: no other interval depends on it.

// pruneMaxComponent is the largest component (in hidden cells) pruning
// re-audits. Larger ones arise where a hidden cluster size links every
// table of a big set; their cells stay as the heuristic laid them, so that
// such a set is still checked in seconds.
const pruneMaxComponent = 400

// prune publishes again every secondary suppression the audit can do
// without. It runs on a safe, audited pattern and leaves one.
func (g *engine) prune() error {
	var comps []map[int]bool
	owner := map[int]int{}
	track := func(cs []component) {
		for _, c := range cs {
			set := make(map[int]bool, len(c.vars))
			for _, v := range c.vars {
				set[v] = true
				owner[v] = len(comps)
			}
			comps = append(comps, set)
		}
	}
	track(g.components())
	for _, id := range g.pruneOrder() {
		comp := comps[owner[id]]
		if len(comp) > pruneMaxComponent {
			continue
		}
		ok, err := g.tryPublish(id, comp)
		if err != nil {
			return err
		}
		if ok {
			// Fewer hidden cells: the component may have fallen apart.
			track(g.componentsAmong(comp))
		}
	}
	return nil
}

// pruneOrder lists the secondary suppressions that may be taken back: the
// figures a page shows (sizes, counts, magnitudes), with known values,
// largest first.
func (g *engine) pruneOrder() []int {
	var ids []int
	for id := range g.cells {
		c := &g.cells[id]
		if c.status != Secondary || !c.known || c.kind.isContrib() {
			continue
		}
		if c.twin >= 0 && g.cells[c.twin].status == Primary {
			continue
		}
		ids = append(ids, id)
	}
	sort.SliceStable(ids, func(a, b int) bool { return g.information(ids[a]) > g.information(ids[b]) })
	return ids
}

// information is what publishing a cell again gives back: its weight as a
// suppression.
func (g *engine) information(id int) float64 { return g.weight(id) }

// saved is a cell's audit outcome, to put back when a trial fails.
type saved struct {
	status        Status
	audited, safe bool
	lo, hi        float64
	problem       *Message
}

// tryPublish publishes cell id (with its twin) and audits its former
// component again; when a cell there is no longer protected, it hides id
// again and restores the component as it was.
func (g *engine) tryPublish(id int, comp map[int]bool) (bool, error) {
	before := make(map[int]saved, len(comp))
	for v := range comp {
		c := &g.cells[v]
		before[v] = saved{status: c.status, audited: c.audited, safe: c.safe, lo: c.lo, hi: c.hi, problem: c.problem}
	}
	c := &g.cells[id]
	c.status = Published
	if c.twin >= 0 {
		g.cells[c.twin].status = Published
	}
	g.syncAllWithout()
	ok, err := g.auditAmong(comp)
	if err != nil {
		return false, err
	}
	if ok {
		return true, nil
	}
	for v, s := range before {
		c := &g.cells[v]
		c.status, c.audited, c.safe, c.lo, c.hi, c.problem = s.status, s.audited, s.safe, s.lo, s.hi, s.problem
	}
	g.syncAllWithout()
	return false, nil
}

// auditAmong solves and judges the hidden cells of among (a union of whole
// components) and reports whether all of them are protected.
func (g *engine) auditAmong(among map[int]bool) (bool, error) {
	g.pruning = true
	defer func() { g.pruning = false }()
	for _, comp := range g.componentsAmong(among) {
		if err := g.solve(comp); err != nil {
			return false, err
		}
		for _, v := range comp.vars {
			c := &g.cells[v]
			if c.kind.isCount() && c.audited {
				c.lo = max(0, ceilTol(c.lo))
				if !isInf(c.hi) {
					c.hi = floorTol(c.hi)
				}
			}
			if !c.audited {
				continue // solved only as far as needed to fail
			}
			g.judge(c)
			if !c.safe {
				return false, nil
			}
		}
	}
	return true, nil
}
