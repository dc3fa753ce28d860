package disclosure

import "math"

// Result is the outcome of Check: every figure with its status, the
// reasons for each suppression, the audit interval of each suppressed
// figure, and the published values only. A Result never holds a suppressed
// value or a single household's value, so it can be stored and rendered as
// it is; value fields are pointers, set only when the figure is published.
type Result struct {
	Name       string           `json:"name"`
	Meta       Meta             `json:"meta"`
	Rules      Rules            `json:"rules"`
	Safe       bool             `json:"safe"`
	Problems   []Problem        `json:"problems,omitempty"`
	Variables  []VariableInfo   `json:"variables"`
	Clusters   []ClusterFigures `json:"clusters"`
	Population ClusterFigures   `json:"population"`
	Summary    Summary          `json:"summary"`
}

// VariableInfo describes one variable of a Result.
type VariableInfo struct {
	Name       string   `json:"name"`
	Label      string   `json:"label,omitempty"`
	Kind       Kind     `json:"kind"`
	Categories []string `json:"categories,omitempty"`
}

// ClusterFigures holds the figures of one cluster (or of the population,
// with ID PopulationID). Variables is aligned with Result.Variables.
type ClusterFigures struct {
	ID        string            `json:"id"`
	Label     string            `json:"label,omitempty"`
	Size      Figure            `json:"size"`
	Variables []VariableFigures `json:"variables"`
}

// VariableFigures holds one variable's figures in one cluster: a Figure per
// category for a frequency variable, one Figure for a magnitude.
type VariableFigures struct {
	Counts    []Figure `json:"counts,omitempty"`
	Magnitude *Figure  `json:"magnitude,omitempty"`
}

// FullyHidden reports whether none of the variable's figures in the cluster
// is published: pages say so in one line instead of drawing an empty chart.
func (vf VariableFigures) FullyHidden() bool {
	if vf.Magnitude != nil {
		return vf.Magnitude.Status != Published
	}
	for _, f := range vf.Counts {
		if f.Status == Published {
			return false
		}
	}
	return true
}

// Figure is one published or suppressed figure. Count, Sum and
// Contributors are set only when Status is Published; Audit only when it is
// not.
type Figure struct {
	Status       Status    `json:"status"`
	Reasons      []Message `json:"reasons,omitempty"`
	Apriori      bool      `json:"apriori,omitempty"`
	Count        *int64    `json:"count,omitempty"`
	Sum          *float64  `json:"sum,omitempty"`
	Contributors *int64    `json:"contributors,omitempty"`
	Audit        *Interval `json:"audit,omitempty"`
}

// Mean returns sum/contributors of a published magnitude.
func (f Figure) Mean() (float64, bool) {
	if f.Sum == nil || f.Contributors == nil || *f.Contributors == 0 {
		return 0, false
	}
	return *f.Sum / float64(*f.Contributors), true
}

// Interval is what an intruder can derive about a suppressed figure: its
// smallest and largest possible value given everything published. Max is
// nil when there is no upper bound. The interval itself follows from
// published figures, so it may be shown.
type Interval struct {
	Min       float64  `json:"min"`
	Max       *float64 `json:"max"`
	Protected bool     `json:"protected"`
}

// Problem says why a result is not safe.
type Problem struct {
	Cluster  string  `json:"cluster,omitempty"`
	Variable string  `json:"variable,omitempty"`
	Category string  `json:"category,omitempty"`
	Message  Message `json:"message"`
}

// Summary counts the figures by status.
type Summary struct {
	Figures   int  `json:"figures"`
	Published int  `json:"published"`
	Primary   int  `json:"primary"`
	Secondary int  `json:"secondary"`
	Safe      bool `json:"safe"`
	// Lost is the information the suppression cost, per variable (the
	// cluster sizes first, with Variable ""). Absent in results stored
	// before it was measured.
	Lost []Loss `json:"lost,omitempty"`
}

// Loss is what suppression hid of one variable: how many of its figures
// (clusters and population), and how many households those hidden counts
// hold, a number the published figures give anyway (the population's total
// minus what is shown). Households is nil when that total is hidden too,
// so that it would be news; for a magnitude it counts the hidden
// contributors.
type Loss struct {
	Variable   string `json:"variable"`
	Figures    int    `json:"figures"`
	Hidden     int    `json:"hidden"`
	Households *int64 `json:"households,omitempty"`
}

// figure turns a cell into its public form.
func (g *engine) figure(id int) Figure {
	c := &g.cells[id]
	f := Figure{Status: c.status, Apriori: c.apriori}
	if c.status == Published {
		if c.kind.isCount() {
			n := int64(c.value)
			f.Count = &n
		} else {
			s, n := c.value, c.contributors
			f.Sum, f.Contributors = &s, &n
		}
		return f
	}
	f.Reasons = append(f.Reasons, c.reasons...)
	if c.status == Secondary {
		key := "profiles.rule.secondary"
		if !c.known && c.fileStatus == Secondary {
			key = "profiles.rule.secondary_file"
		}
		f.Reasons = append(f.Reasons, Message{Key: key})
	}
	if c.audited {
		iv := &Interval{Min: c.lo, Protected: c.safe}
		if !math.IsInf(c.hi, 1) {
			hi := c.hi
			iv.Max = &hi
		}
		f.Audit = iv
	}
	return f
}

// result assembles the Result.
func (g *engine) result() *Result {
	e := g.e
	res := &Result{Name: e.Name, Meta: e.Meta, Rules: g.rules}
	for _, v := range e.Variables {
		res.Variables = append(res.Variables, VariableInfo{Name: v.Name, Label: v.Label, Kind: v.Kind, Categories: v.Categories})
	}
	for ci, cl := range e.Clusters {
		res.Clusters = append(res.Clusters, g.clusterFigures(ci, cl.ID, cl.Label, g.sizes[ci]))
	}
	res.Population = g.clusterFigures(-1, PopulationID, "", g.pop)
	g.tally(res)
	res.Summary.Safe = res.Safe
	res.Summary.Lost = g.losses()
	return res
}

// clusterFigures are the figures of one row of the tables: a cluster's,
// or with row -1 the population's (the last row).
func (g *engine) clusterFigures(row int, id, label string, size int) ClusterFigures {
	tableOf := map[int]*table{}
	for _, t := range g.tables {
		tableOf[t.variable] = t
	}
	magOf := map[int][]int{}
	for _, col := range g.mags {
		magOf[g.cells[col[0]].variable] = col
	}
	cf := ClusterFigures{ID: id, Label: label, Size: g.figure(size)}
	for vi, v := range g.e.Variables {
		var vf VariableFigures
		if v.Kind == Frequency {
			t := tableOf[vi]
			r := row
			if r < 0 {
				r = t.rows - 1
			}
			for k := range v.Categories {
				vf.Counts = append(vf.Counts, g.figure(t.grid[r][k]))
			}
		} else {
			col := magOf[vi]
			r := row
			if r < 0 {
				r = len(col) - 1
			}
			f := g.figure(col[r])
			vf.Magnitude = &f
		}
		cf.Variables = append(cf.Variables, vf)
	}
	return cf
}

// tally counts the figures by status and lists the problems: a suppressed
// figure the audit did not find safe makes the result unsafe.
func (g *engine) tally(res *Result) {
	res.Safe = true
	for id := range g.cells {
		c := &g.cells[id]
		if c.kind.isWithout() {
			continue // never shown, never judged
		}
		if c.kind.isContrib() {
			// Part of its magnitude's figure; it counts only when the
			// audit finds it too narrowly bounded.
			if c.hidden() && c.audited && !c.safe {
				res.Safe = false
				p := Problem{Message: *c.problem}
				p.Cluster, p.Variable, p.Category = g.where(c)
				res.Problems = append(res.Problems, p)
			}
			continue
		}
		res.Summary.Figures++
		switch c.status {
		case Published:
			res.Summary.Published++
		case Primary:
			res.Summary.Primary++
		case Secondary:
			res.Summary.Secondary++
		}
		if c.hidden() && (!c.audited || !c.safe) {
			res.Safe = false
			p := Problem{Message: Message{Key: "profiles.audit.not_audited"}}
			if c.problem != nil {
				p.Message = *c.problem
			}
			p.Cluster, p.Variable, p.Category = g.where(c)
			res.Problems = append(res.Problems, p)
		}
	}
}

// where names a cell: cluster id, variable name, category.
func (g *engine) where(c *cell) (cluster, variable, category string) {
	cluster = PopulationID
	if c.cluster >= 0 {
		cluster = g.e.Clusters[c.cluster].ID
	}
	if c.variable >= 0 {
		v := &g.e.Variables[c.variable]
		variable = v.Name
		switch {
		case c.kind.isContrib():
			category = "contributors"
		case c.category >= 0:
			category = v.Categories[c.category]
		}
	}
	return cluster, variable, category
}

// losses measures the information lost, per variable.
func (g *engine) losses() []Loss {
	tally := func(name string, clusters []int, pop int) Loss {
		l := Loss{Variable: name, Figures: len(clusters) + 1}
		var hidden int64
		known := true
		for _, id := range clusters {
			if c := &g.cells[id]; c.hidden() {
				l.Hidden++
				hidden += int64(c.value)
				known = known && c.known
			}
		}
		if g.cells[pop].hidden() || !known {
			l.Hidden++
		} else {
			l.Households = &hidden
		}
		return l
	}
	out := []Loss{tally("", g.sizes, g.pop)}
	for vi, v := range g.e.Variables {
		t := g.tableOf(vi)
		if v.Kind == Magnitude {
			var cl []int
			for i := 0; i < t.rows-1; i++ {
				cl = append(cl, t.grid[i][0])
			}
			out = append(out, tally(v.Name, cl, t.grid[t.rows-1][0]))
			continue
		}
		l := Loss{Variable: v.Name, Figures: t.rows * (t.cols - 1)}
		var hidden int64
		known := true
		for i := 0; i < t.rows; i++ {
			for j := 0; j < t.cols-1; j++ {
				c := &g.cells[t.grid[i][j]]
				if !c.hidden() {
					continue
				}
				l.Hidden++
				known = known && c.known
				if i < t.rows-1 {
					hidden += int64(c.value)
				}
			}
		}
		if known && !g.cells[g.pop].hidden() {
			l.Households = &hidden
		}
		out = append(out, l)
	}
	return out
}
