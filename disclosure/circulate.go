package disclosure

// Circulation through a two-way table: how the secondary suppression finds
// the cycles of suppressed cells that keep a primary cell's value open.

import "math"

// flowOpts steers circulate.
type flowOpts struct {
	shared []int // rows whose size-column cell may carry flow
	down   bool  // protect a fall of the target instead of a rise
	dry    bool  // use suppressed cells only; suppress nothing
	// caps overrides the capacities of cells (by id): inc and dec.
	caps map[int][2]float64
}

// circulation is one run of circulate: the flow so far through the cells
// of t, from src to snk (rows are nodes 0..rows-1, columns rows..).
type circulation struct {
	g        *engine
	t        *table
	pr, pc   int // the target cell
	o        flowOpts
	flow     []float64 // net rise of the signed entry per cell
	src, snk int
}

// circulate sends up to need units of circulation through cell (pr,pc) of
// t and returns how much it sent. Unless dry, it suppresses cells along the
// cheapest paths until need is met.
func (g *engine) circulate(t *table, pr, pc int, need float64, o flowOpts) (float64, bool) {
	c := &circulation{g: g, t: t, pr: pr, pc: pc, o: o, flow: make([]float64, t.rows*t.cols)}
	c.src, c.snk = flowEnds(t, pr, pc, o.down)
	const tiny = 1e-9
	total := 0.0
	for total < need-tiny {
		if path := c.search(true, tiny); path != nil {
			total += c.push(path, need-total)
			continue
		}
		if o.dry {
			return total, false
		}
		path := c.search(false, need-total)
		if path == nil {
			path = c.search(false, tiny)
		}
		if path == nil {
			return total, false
		}
		for _, s := range path {
			g.hide(t.grid[s.i][s.j])
		}
	}
	return total, true
}

// usable reports whether cell (i,j) may carry flow: not the target, and a
// size-column cell only in a shared row.
func (c *circulation) usable(i, j int) bool {
	if i == c.pr && j == c.pc {
		return false
	}
	if j == c.t.cols-1 {
		for _, r := range c.o.shared {
			if r == i && r != c.t.rows-1 {
				return true
			}
		}
		return false
	}
	return true
}

// residual is how much more flow step s can carry.
func (c *circulation) residual(s step) float64 {
	inc, dec := c.g.caps(c.t, s.i, s.j)
	if cp, ok := c.o.caps[c.t.grid[s.i][s.j]]; ok {
		inc, dec = cp[0], cp[1]
	}
	f := c.flow[s.i*c.t.cols+s.j]
	if s.up {
		return inc - f
	}
	return dec + f
}

// push sends as much of want as the path can carry along it and returns
// how much that was.
func (c *circulation) push(path []step, want float64) float64 {
	d := want
	for _, s := range path {
		d = math.Min(d, c.residual(s))
	}
	for _, s := range path {
		if s.up {
			c.flow[s.i*c.t.cols+s.j] += d
		} else {
			c.flow[s.i*c.t.cols+s.j] -= d
		}
	}
	return d
}

// search finds the cheapest path from src to snk whose arcs can carry at
// least minCap (Dijkstra over rows and columns); with onlyHidden it uses
// suppressed cells only.
func (c *circulation) search(onlyHidden bool, minCap float64) []step {
	nR, nC := c.t.rows, c.t.cols
	n := nR + nC
	dist := make([]float64, n)
	prev := make([]step, n)
	done := make([]bool, n)
	for k := range dist {
		dist[k] = math.Inf(1)
	}
	dist[c.src] = 0
	for {
		u := -1
		for k := 0; k < n; k++ {
			if !done[k] && !math.IsInf(dist[k], 1) && (u < 0 || dist[k] < dist[u]) {
				u = k
			}
		}
		if u < 0 || u == c.snk {
			break
		}
		done[u] = true
		relax := func(s step, v int) {
			if !c.usable(s.i, s.j) || c.residual(s) < minCap {
				return
			}
			id := c.t.grid[s.i][s.j]
			cost := 1e-6 // prefer short cycles among suppressed cells
			if !c.g.cells[id].hidden() {
				if onlyHidden {
					return
				}
				cost = c.g.weight(id)
			}
			if d := dist[u] + cost; d < dist[v] {
				dist[v], prev[v] = d, s
			}
		}
		if u < nR {
			for j := 0; j < nC; j++ {
				relax(step{i: u, j: j, up: true}, nR+j)
			}
		} else {
			j := u - nR
			for i := 0; i < nR; i++ {
				relax(step{i: i, j: j, up: false}, i)
			}
		}
	}
	return c.path(dist, prev)
}

// path walks prev back from snk to src, or returns nil when snk was not
// reached.
func (c *circulation) path(dist []float64, prev []step) []step {
	if math.IsInf(dist[c.snk], 1) {
		return nil
	}
	var path []step
	for v := c.snk; v != c.src; {
		s := prev[v]
		path = append(path, s)
		if s.up {
			v = s.i
		} else {
			v = c.t.rows + s.j
		}
	}
	return path
}
