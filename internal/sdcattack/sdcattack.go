// Package sdcattack is the intruder of Atelier's disclosure tests: a linear
// programme over what a viewer can read, built without any code of the
// disclosure engine, so that the two check each other. Tests describe the
// published figures and the relations that hold by construction; the
// attacker computes, for every figure not published, the smallest and
// largest value it can take.
package sdcattack

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// Model is the attacker's system: figures, known (published) or unknown,
// all non-negative, and linear relations between them.
type Model struct {
	names []string
	value []*float64 // nil: unknown
	whole []bool     // counts: the attacker knows they are whole numbers
	index map[string]int
	rels  []relation
}

type relation struct {
	ids   []int
	coefs []float64
}

// New returns an empty model.
func New() *Model { return &Model{index: map[string]int{}} }

// Figure declares a figure by name: published with value, or unknown when
// value is nil. whole says that it is a count. Declaring a name twice
// returns the same figure.
func (m *Model) Figure(name string, value *float64, whole bool) string {
	if _, ok := m.index[name]; ok {
		return name
	}
	m.index[name] = len(m.names)
	m.names = append(m.names, name)
	m.value = append(m.value, value)
	m.whole = append(m.whole, whole)
	return name
}

// Known reports whether a figure is published.
func (m *Model) Known(name string) bool { return m.value[m.index[name]] != nil }

// Sum adds the relation Σ parts = total.
func (m *Model) Sum(parts []string, total string) {
	r := relation{}
	for _, p := range parts {
		r.ids, r.coefs = append(r.ids, m.index[p]), append(r.coefs, 1)
	}
	r.ids, r.coefs = append(r.ids, m.index[total]), append(r.coefs, -1)
	m.rels = append(m.rels, r)
}

// AtMost adds part ≤ whole, through a slack figure that is never reported.
func (m *Model) AtMost(part, whole string) {
	slack := m.Figure("slack:"+part+"≤"+whole, nil, false)
	m.Sum([]string{part, slack}, whole)
}

// Interval is what the attacker knows of one unknown figure. Hi is +Inf
// when nothing bounds it from above.
type Interval struct {
	Name   string
	Lo, Hi float64
}

// Width is Hi − Lo.
func (iv Interval) Width() float64 { return iv.Hi - iv.Lo }

// Attack returns the interval of every unknown figure (slacks left out),
// counts rounded inwards to whole numbers.
func (m *Model) Attack() ([]Interval, error) {
	var unknown []int
	col := map[int]int{}
	for i, v := range m.value {
		if v == nil {
			col[i] = len(unknown)
			unknown = append(unknown, i)
		}
	}
	var rows [][]float64
	var rhs []float64
	for _, r := range m.rels {
		row := make([]float64, len(unknown))
		b := 0.0
		any := false
		for k, id := range r.ids {
			if v := m.value[id]; v != nil {
				b -= r.coefs[k] * *v
			} else {
				row[col[id]] += r.coefs[k]
				any = true
			}
		}
		if !any {
			if math.Abs(b) > 1e-6*(1+math.Abs(b)) {
				return nil, fmt.Errorf("sdcattack: the published figures contradict each other (off by %v)", b)
			}
			continue
		}
		rows, rhs = append(rows, row), append(rhs, b)
	}
	rows, rhs, err := fullRank(rows, rhs)
	if err != nil {
		return nil, err
	}
	var out []Interval
	for k, id := range unknown {
		if len(m.names[id]) > 6 && m.names[id][:6] == "slack:" {
			continue
		}
		lo, hi, err := extremes(rows, rhs, len(unknown), k)
		if err != nil {
			return nil, fmt.Errorf("sdcattack: %s: %w", m.names[id], err)
		}
		if m.whole[id] {
			lo = math.Max(0, math.Ceil(lo-1e-6))
			if !math.IsInf(hi, 1) {
				hi = math.Floor(hi + 1e-6)
			}
		}
		out = append(out, Interval{Name: m.names[id], Lo: lo, Hi: hi})
	}
	return out, nil
}

// extremes minimises and maximises unknown k subject to rows·x = rhs, x ≥ 0.
func extremes(rows [][]float64, rhs []float64, n, k int) (float64, float64, error) {
	if len(rows) == 0 {
		return 0, math.Inf(1), nil
	}
	A := mat.NewDense(len(rows), n, nil)
	for i, r := range rows {
		A.SetRow(i, r)
	}
	c := make([]float64, n)
	c[k] = 1
	lo, _, err := lp.Simplex(c, A, rhs, 1e-10, nil)
	if err != nil {
		return 0, 0, err
	}
	c[k] = -1
	hi, _, err := lp.Simplex(c, A, rhs, 1e-10, nil)
	if errors.Is(err, lp.ErrUnbounded) {
		return lo, math.Inf(1), nil
	}
	if err != nil {
		return 0, 0, err
	}
	return lo, -hi, nil
}

// fullRank drops relations that follow from the others (the simplex wants
// a system of full rank), by Gaussian elimination, and fails when one
// contradicts them.
func fullRank(rows [][]float64, rhs []float64) ([][]float64, []float64, error) {
	var basis [][]float64
	var basisRHS []float64
	var pivots []int
	var keptRows [][]float64
	var keptRHS []float64
	for i, r0 := range rows {
		r := append([]float64(nil), r0...)
		b := rhs[i]
		for k, br := range basis {
			if f := r[pivots[k]]; f != 0 {
				f /= br[pivots[k]]
				for j := range r {
					r[j] -= f * br[j]
				}
				b -= f * basisRHS[k]
			}
		}
		p := -1
		for j := range r {
			if math.Abs(r[j]) > 1e-9 && (p < 0 || math.Abs(r[j]) > math.Abs(r[p])) {
				p = j
			}
		}
		if p < 0 {
			if math.Abs(b) > 1e-6*(1+math.Abs(rhs[i])) {
				return nil, nil, fmt.Errorf("sdcattack: the published figures contradict each other (relation %d)", i)
			}
			continue
		}
		basis, basisRHS, pivots = append(basis, r), append(basisRHS, b), append(pivots, p)
		keptRows, keptRHS = append(keptRows, r0), append(keptRHS, rhs[i])
	}
	return keptRows, keptRHS, nil
}
