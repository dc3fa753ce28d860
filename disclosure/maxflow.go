package disclosure

import "math"

// maxFlowHidden is circulate in dry mode, specialised for the audit: it
// builds the graph of suppressed cells once and finds augmenting paths by
// breadth-first search (Edmonds–Karp).
func (g *engine) maxFlowHidden(t *table, pr, pc int, limit float64, o flowOpts) float64 {
	h := g.hiddenGraph(t, pr, pc, o)
	src, snk := flowEnds(t, pr, pc, o.down)
	prev := make([]int, len(h.adj))
	queue := make([]int, 0, len(h.adj))
	total := 0.0
	for total < limit {
		if !h.augmentingPath(src, snk, prev, queue) {
			break
		}
		total += h.augment(src, snk, prev, limit-total)
	}
	return total
}

// flowEnds are the source and sink of a circulation through the target
// (pr,pc): a rise of its value is a rise of its signed entry when its sign
// is positive, flow from its row to its column through the target, so the
// rest of the cycle runs from the column back to the row; down reverses.
func flowEnds(t *table, pr, pc int, down bool) (src, snk int) {
	src, snk = t.rows+pc, pr
	if t.sign(pr, pc) < 0 {
		src, snk = pr, t.rows+pc
	}
	if down {
		src, snk = snk, src
	}
	return src, snk
}

// flowArc is a suppressed cell (i,j) as an arc between row i and column j,
// with its residual capacities.
type flowArc struct {
	i, j     int
	inc, dec float64
}

// hiddenGraph is the graph of a table's suppressed cells: nodes are rows
// (0..rows-1) and columns (rows..), adj lists each node's arcs.
type hiddenGraph struct {
	rows int
	arcs []flowArc
	adj  [][]int
}

// hiddenGraph builds the graph of the suppressed cells that may carry flow
// around the target (pr,pc).
func (g *engine) hiddenGraph(t *table, pr, pc int, o flowOpts) *hiddenGraph {
	nR, nC := t.rows, t.cols
	h := &hiddenGraph{rows: nR, adj: make([][]int, nR+nC)}
	for i := 0; i < nR; i++ {
		for j := 0; j < nC; j++ {
			id := t.grid[i][j]
			if (i == pr && j == pc) || !g.cells[id].hidden() {
				continue
			}
			if j == nC-1 {
				ok := false
				for _, r := range o.shared {
					ok = ok || (r == i && r != nR-1)
				}
				if !ok {
					continue
				}
			}
			inc, dec := g.caps(t, i, j)
			if c, ok := o.caps[id]; ok {
				inc, dec = c[0], c[1]
			}
			h.adj[i] = append(h.adj[i], len(h.arcs))
			h.adj[nR+j] = append(h.adj[nR+j], len(h.arcs))
			h.arcs = append(h.arcs, flowArc{i: i, j: j, inc: inc, dec: dec})
		}
	}
	return h
}

// augmentingPath finds, breadth first, a path from src to snk with room
// left on every arc; prev[v] is then the arc that reached v.
func (h *hiddenGraph) augmentingPath(src, snk int, prev, queue []int) bool {
	const tiny = 1e-9
	for k := range prev {
		prev[k] = -1
	}
	prev[src] = -2
	queue = append(queue[:0], src)
	for q := 0; q < len(queue) && prev[snk] == -1; q++ {
		u := queue[q]
		for _, a := range h.adj[u] {
			ar := &h.arcs[a]
			v, res := h.rows+ar.j, ar.inc
			if u >= h.rows {
				v, res = ar.i, ar.dec
			}
			if prev[v] == -1 && res > tiny {
				prev[v] = a
				queue = append(queue, v)
			}
		}
	}
	return prev[snk] != -1
}

// augment sends as much of want as the path in prev can carry and returns
// how much that was.
func (h *hiddenGraph) augment(src, snk int, prev []int, want float64) float64 {
	d := want
	for v := snk; v != src; {
		ar := &h.arcs[prev[v]]
		if v == ar.i { // reached the row from the column: a fall
			d = math.Min(d, ar.dec)
			v = h.rows + ar.j
		} else {
			d = math.Min(d, ar.inc)
			v = ar.i
		}
	}
	for v := snk; v != src; {
		ar := &h.arcs[prev[v]]
		if v == ar.i {
			ar.dec -= d
			ar.inc += d
			v = h.rows + ar.j
		} else {
			ar.inc -= d
			ar.dec += d
			v = ar.i
		}
	}
	return d
}
