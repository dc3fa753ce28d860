package disclosure

import (
	"math"
)

// cellKind says which kind of figure a cell holds.
type cellKind uint8

const (
	kSize       cellKind = iota // a cluster's size
	kPopSize                    // the population size (sum of cluster sizes)
	kFreq                       // a category count in a cluster
	kPopFreq                    // a category count in the population
	kContrib                    // households with a value of a magnitude in a cluster: its contributors
	kPopContrib                 // contributors in the population
	kWithout                    // households without a value: size minus contributors, never shown
	kPopWithout                 // the same in the population
	kMag                        // a sum in a cluster
	kPopMag                     // a sum in the population
)

func (k cellKind) isCount() bool { return k <= kPopWithout }

// isContrib reports whether a cell belongs to a magnitude's contributors
// table (see newEngine).
func (k cellKind) isContrib() bool { return k >= kContrib && k <= kPopWithout }

// isWithout reports whether a cell is a "without a value" count: a
// variable of the attacker's system that no page shows.
func (k cellKind) isWithout() bool { return k == kWithout || k == kPopWithout }

// cell is one figure under disclosure control. Its value may be suppressed;
// it never leaves the engine except as published.
type cell struct {
	kind                        cellKind
	cluster, variable, category int // -1 when not applicable; cluster -1 is the population

	value        float64 // a count or a sum
	contributors int64
	known        bool // false for a value suppressed in a checked file
	hasTop       bool
	top1, top2   float64
	apriori      bool
	fileStatus   Status
	fileReason   string

	status  Status
	reasons []Message // the rules that made it primary
	need    float64   // the protection it needs, in value units

	audited bool
	lo, hi  float64
	safe    bool
	problem *Message

	// twin links a magnitude's sum and its contributors: one figure on
	// every page, published or hidden together. -1 for other cells.
	twin int
}

func (c *cell) hidden() bool { return c.status != Published }

// table is one frequency variable as a (clusters+1) × (categories+1) array
// of cell ids: the last row is the population, the last column holds the
// cluster sizes and the population size. In the signed form used for
// protection, margins count negative, so every row and column sums to zero.
type table struct {
	variable int
	rows     int // clusters + 1
	cols     int // categories + 1
	grid     [][]int
	// contrib marks a magnitude's contributors table: columns "with a
	// value" (published with the magnitude) and "without" (never shown).
	contrib bool
}

func (t *table) sign(i, j int) float64 {
	if (i == t.rows-1) != (j == t.cols-1) {
		return -1
	}
	return 1
}

// engine holds one check in progress.
type engine struct {
	e      *Export
	rules  Rules
	cells  []cell
	sizes  []int // cluster → cell id
	pop    int   // population size cell id
	tables []*table
	mags   [][]int // magnitude variable → cluster cells, then the population cell
	eqs    []equation

	forceLP bool // tests: solve every component with the simplex
	pruning bool // prune is trying a pattern: stop at the first failure
}

// equation is one published linear relation: Σ coef·cell = 0.
type equation struct {
	ids   []int
	coefs []float64
}

func (g *engine) add(c cell) int {
	c.twin = -1
	g.cells = append(g.cells, c)
	return len(g.cells) - 1
}

// build turns an export into cells, tables and equations.
func newEngine(e *Export, rules Rules) *engine {
	g := &engine{e: e, rules: rules}
	R := len(e.Clusters)

	// Cluster sizes and the population size.
	var total int64
	for ci, cl := range e.Clusters {
		id := g.add(fromEntry(cell{kind: kSize, cluster: ci, variable: -1, category: -1}, cl.Size, true))
		g.sizes = append(g.sizes, id)
		total += cl.Size.Count
	}
	popSize := Entry{Count: total, Known: true}
	if e.Checked {
		popSize = e.PopSize
	}
	g.pop = g.add(fromEntry(cell{kind: kPopSize, cluster: -1, variable: -1, category: -1}, popSize, true))
	sizeEq := equation{}
	for _, id := range g.sizes {
		sizeEq.ids, sizeEq.coefs = append(sizeEq.ids, id), append(sizeEq.coefs, 1)
	}
	sizeEq.ids, sizeEq.coefs = append(sizeEq.ids, g.pop), append(sizeEq.coefs, -1)
	g.eqs = append(g.eqs, sizeEq)

	for vi := range e.Variables {
		v := &e.Variables[vi]
		if v.Kind == Frequency {
			K := len(v.Categories)
			t := &table{variable: vi, rows: R + 1, cols: K + 1, grid: make([][]int, R+1)}
			for i := range t.grid {
				t.grid[i] = make([]int, K+1)
			}
			for ci := 0; ci < R; ci++ {
				for ki := 0; ki < K; ki++ {
					t.grid[ci][ki] = g.add(fromEntry(cell{kind: kFreq, cluster: ci, variable: vi, category: ki}, v.Counts[ci][ki], true))
				}
				t.grid[ci][K] = g.sizes[ci]
			}
			for ki := 0; ki < K; ki++ {
				f := Entry{Known: true}
				if e.Checked {
					f = v.Pop[ki]
				} else {
					for ci := 0; ci < R; ci++ {
						f.Count += v.Counts[ci][ki].Count
					}
				}
				t.grid[R][ki] = g.add(fromEntry(cell{kind: kPopFreq, cluster: -1, variable: vi, category: ki}, f, true))
			}
			t.grid[R][K] = g.pop
			g.tables = append(g.tables, t)
			g.addTableEquations(t)
			continue
		}
		g.addMagnitude(vi)
	}
	return g
}

// fromEntry fills a cell from an input entry: a count, or a magnitude with
// its contributors and largest contributions.
func fromEntry(c cell, f Entry, count bool) cell {
	c.known, c.apriori, c.fileStatus, c.fileReason = f.Known, f.Apriori, f.FileStatus, f.FileReason
	if count {
		c.value = float64(f.Count)
	} else {
		c.value, c.contributors = f.Sum, f.Contributors
		c.hasTop, c.top1, c.top2 = f.HasTop, f.Top1, f.Top2
	}
	return c
}

// addTableEquations adds the row equations of a table's clusters and the
// column equations of its categories. The population row's equation is
// left out: it follows from the others and the size equation, and the
// simplex needs a system of full rank.
func (g *engine) addTableEquations(t *table) {
	for ci := 0; ci < t.rows-1; ci++ {
		eq := equation{}
		for ki := 0; ki < t.cols; ki++ {
			eq.ids, eq.coefs = append(eq.ids, t.grid[ci][ki]), append(eq.coefs, t.sign(ci, ki))
		}
		g.eqs = append(g.eqs, eq)
	}
	for ki := 0; ki < t.cols-1; ki++ {
		eq := equation{}
		for ci := 0; ci < t.rows; ci++ {
			eq.ids, eq.coefs = append(eq.ids, t.grid[ci][ki]), append(eq.coefs, t.sign(ci, ki))
		}
		g.eqs = append(g.eqs, eq)
	}
}

// denominator returns the size of the group a count belongs to, if known.
func (g *engine) denominator(c *cell) (float64, bool) {
	switch c.kind {
	case kSize, kPopFreq:
		p := &g.cells[g.pop]
		return p.value, p.known
	case kFreq:
		s := &g.cells[g.sizes[c.cluster]]
		return s.value, s.known
	}
	return 0, false
}

// primary applies the rules to every cell and marks the cells that must not
// be published.
func (g *engine) primary() {
	r := g.rules
	for id := range g.cells {
		c := &g.cells[id]
		c.status = Published
		if c.kind.isContrib() {
			continue // follow their magnitude: see linkContributors
		}
		if !c.known {
			// A value suppressed in a checked file stays suppressed. Its
			// rule outcome cannot be recomputed: it is taken from the file.
			switch c.fileStatus {
			case Secondary:
				c.status = Secondary
			default:
				c.status = Primary
				c.reasons = append(c.reasons, Message{Key: "profiles.rule.from_file", Args: []any{c.fileReason}})
				if c.kind.isCount() {
					c.need = float64(r.MinFrequency)
				}
			}
			continue
		}
		var need float64
		hit := func(m Message, n float64) {
			c.reasons = append(c.reasons, m)
			need = math.Max(need, n)
		}
		if c.kind.isCount() {
			T := float64(r.MinFrequency)
			if c.value < T {
				hit(Message{Key: "profiles.rule.min_frequency", Args: []any{r.MinFrequency}}, T)
			}
			if d, ok := g.denominator(c); ok {
				if d-c.value < float64(r.MinComplement) && c.value >= T {
					hit(Message{Key: "profiles.rule.complement", Args: []any{r.MinComplement}}, T)
				}
				if c.kind != kSize && d > 0 && c.value > r.MaxShare/100*d && c.value >= T {
					hit(Message{Key: "profiles.rule.group", Args: []any{r.MaxShare}}, T)
				}
			}
			if c.apriori {
				hit(Message{Key: "profiles.rule.apriori"}, T)
			}
		} else {
			X := c.value
			pAmount := math.Max(r.P/100*X, 1)
			if c.contributors < r.MinFrequency {
				hit(Message{Key: "profiles.rule.min_contributors", Args: []any{r.MinFrequency}}, pAmount)
			}
			if c.hasTop && c.contributors >= r.MinFrequency {
				x1, x2 := c.top1, c.top2
				if x1 > r.Dominance1/100*X {
					hit(Message{Key: "profiles.rule.dominance", Args: []any{1, r.Dominance1}}, 100/r.Dominance1*x1-X)
				}
				if x1+x2 > r.Dominance2/100*X {
					hit(Message{Key: "profiles.rule.dominance", Args: []any{2, r.Dominance2}}, 100/r.Dominance2*(x1+x2)-X)
				}
				if X-x1-x2 < r.P/100*x1 {
					hit(Message{Key: "profiles.rule.p_percent", Args: []any{r.P}}, r.P/100*x1-(X-x1-x2))
				}
			}
			if c.apriori {
				hit(Message{Key: "profiles.rule.apriori"}, pAmount)
			}
			need = math.Max(need, 1)
		}
		if len(c.reasons) > 0 {
			c.status = Primary
			c.need = need
		}
	}
}

// Check applies the rules to an export: primary suppression, secondary
// suppression over all linked tables, and the attacker audit. The Result
// holds published values only. An error is returned for invalid rules or
// an inconsistent input; an input that cannot be protected gives a Result
// with Safe false and its problems.
func Check(e *Export, rules Rules) (*Result, error) {
	if err := rules.Validate(); err != nil {
		return nil, err
	}
	g := newEngine(e, rules)
	g.primary()
	g.linkContributors()
	// A checked file's own pattern is kept as it is when the audit accepts
	// it; suppressing more would hide figures without cause. New primary
	// cells (a rule that fails on a published figure) need secondaries.
	if !e.Checked || g.newPrimary() {
		g.secondary()
	}
	if err := g.audit(); err != nil {
		return nil, err
	}
	// Repair: where the audit finds a cell too narrowly bounded, protect it
	// again with what the audit learned, and audit again.
	for round := 0; round < 4 && g.repair(); round++ {
		if err := g.audit(); err != nil {
			return nil, err
		}
	}
	if g.safe() {
		if err := g.prune(); err != nil {
			return nil, err
		}
	}
	return g.result(), nil
}

// safe reports whether every hidden cell passed the audit.
func (g *engine) safe() bool {
	for id := range g.cells {
		if c := &g.cells[id]; c.hidden() && (!c.audited || !c.safe) {
			return false
		}
	}
	return true
}

// newPrimary reports whether a figure with a known value is primary: in a
// checked file, a published figure that fails a rule.
func (g *engine) newPrimary() bool {
	for id := range g.cells {
		if c := &g.cells[id]; c.known && c.status == Primary {
			return true
		}
	}
	return false
}
