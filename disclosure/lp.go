package disclosure

// The audit's general case: the interval of each suppressed cell of a
// component from linear programs over what a viewer sees.

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// solveLP solves a component with gonum's simplex.
func (g *engine) solveLP(comp component) error {
	col := make(map[int]int, len(comp.vars))
	for k, id := range comp.vars {
		col[id] = k
	}
	n := len(comp.vars)
	rows := make([][]float64, 0, len(comp.eqs))
	var b []float64
	for _, e := range comp.eqs {
		eq := g.eqs[e]
		row := make([]float64, n)
		rhs := 0.0
		for k, id := range eq.ids {
			if c := &g.cells[id]; c.hidden() {
				row[col[id]] += eq.coefs[k]
			} else {
				rhs -= eq.coefs[k] * c.value
			}
		}
		rows = append(rows, row)
		b = append(b, rhs)
	}
	rows, b, ok := independentRows(rows, b)
	if !ok {
		return errInconsistent
	}
	if len(rows) == 0 {
		// No relation binds these cells: they are free above.
		for _, id := range comp.vars {
			c := &g.cells[id]
			c.lo, c.hi, c.audited = 0, math.Inf(1), true
		}
		return nil
	}
	A := mat.NewDense(len(rows), n, nil)
	for i, r := range rows {
		A.SetRow(i, r)
	}
	obj := make([]float64, n)
	for k, id := range comp.vars {
		obj[k] = 1
		lo, _, err := lp.Simplex(obj, A, b, lpTol, nil)
		if err != nil {
			return lpError(err)
		}
		obj[k] = -1
		hi, _, err := lp.Simplex(obj, A, b, lpTol, nil)
		switch {
		case errors.Is(err, lp.ErrUnbounded):
			hi = math.Inf(1)
		case err != nil:
			return lpError(err)
		default:
			hi = -hi
		}
		obj[k] = 0
		c := &g.cells[id]
		if lo < 0 {
			lo = 0
		}
		if c.kind.isCount() {
			// Counts are whole numbers, and an intruder knows it.
			lo = math.Ceil(lo - 1e-6)
			if !math.IsInf(hi, 1) {
				hi = math.Floor(hi + 1e-6)
			}
		}
		c.lo, c.hi, c.audited = lo, hi, true
	}
	return nil
}

func lpError(err error) error {
	if errors.Is(err, lp.ErrInfeasible) {
		return errInconsistent
	}
	return fmt.Errorf("audit: %w", err)
}

// independentRows keeps a maximal set of linearly independent rows (the
// simplex rejects rank-deficient systems) and reports false when a dropped
// row contradicts the kept ones.
func independentRows(rows [][]float64, b []float64) ([][]float64, []float64, bool) {
	const eps = 1e-9
	type basisRow struct {
		v   []float64
		rhs float64
		piv int
	}
	var basis []basisRow
	var outRows [][]float64
	var outB []float64
	for i, row := range rows {
		r := append([]float64(nil), row...)
		rr := b[i]
		// Reduce by the basis in order: each basis row is zero in the
		// pivots of the rows before it, so earlier pivots stay zero.
		for _, br := range basis {
			if f := r[br.piv]; f != 0 {
				f /= br.v[br.piv]
				for k := range r {
					r[k] -= f * br.v[k]
				}
				rr -= f * br.rhs
			}
		}
		piv := 0
		for k := range r {
			if math.Abs(r[k]) > math.Abs(r[piv]) {
				piv = k
			}
		}
		if math.Abs(r[piv]) > eps {
			basis = append(basis, basisRow{v: r, rhs: rr, piv: piv})
			outRows = append(outRows, row)
			outB = append(outB, b[i])
			continue
		}
		// A dependent row must agree with the others: 0 = rhs.
		if math.Abs(rr) > 1e-6*(1+math.Abs(b[i])) {
			return nil, nil, false
		}
	}
	return outRows, outB, true
}
