// Package charts turns checked cluster profiles (disclosure.Result) into chart
// options for ECharts, built with go-echarts, plus an accessible data table
// and a plain-language summary for every chart.
//
// The package is pure: no HTTP, no SQL. The server sends OptionsJSON to the
// page, where assets/static/js/charts.js calls echarts.init and setOption;
// go-echarts' own HTML rendering (and its CDN default) is never used.
// Chart.SVG draws the same figures as a standalone image for print and
// export.
//
// Only published figures reach a chart. A suppressed figure becomes a bar
// with a null value (never 0, never a number), a marker in the category
// label, and a "suppressed" cell in the table. Shares are computed only from
// a published count and a published group size; nothing is ever derived by
// subtraction.
package charts

import (
	"errors"
	"unicode"

	"atelier/disclosure"
	"atelier/i18n"
)

// ErrNotFound is returned (wrapped) when a cluster or variable is not in the
// Result.
var ErrNotFound = errors.New("not found")

// Chart is one chart ready for a page: its options for ECharts, a title, a
// data table with the same figures, a summary sentence for screen readers
// and, when figures are suppressed, a short explanation of why.
type Chart struct {
	// Title names what the chart shows, for the heading above it.
	Title string
	// Summary is one or two plain sentences describing the chart.
	Summary string
	// Note explains suppression; empty when nothing in the chart is
	// suppressed. It names the reasons that can apply to a chart of this
	// kind under the set's rules, never which figure had which reason:
	// that would tell a reader on which side of the rule a hidden figure
	// lies, and so narrow what it can be.
	Note string
	// Withheld is set when every figure of the cluster in a single-cluster
	// chart is suppressed: one line that says so, which a page shows
	// instead of a chart with nothing of the cluster in it.
	Withheld string
	// Table holds every figure of the chart, for a table beside it.
	Table Table

	height     int
	plot       plot // the figures, for the options and the SVG
	suppressed int  // how many points are suppressed
}

// OptionsJSON returns the ECharts options of c, as produced by go-echarts'
// JSON(). They are built on demand: a page that needs only a chart's
// title, summary or table (an image's alt text, a data table) never pays
// for them.
//
// The aria description carries the summary, and then the one-line
// withheld notice and the marker's explanation, so that the options say
// what the page beside them says.
func (c Chart) OptionsJSON() ([]byte, error) {
	description := c.Summary
	for _, s := range []string{c.Withheld, c.Note} {
		if s != "" {
			description += " " + s
		}
	}
	return c.plot.options(description)
}

// Height is a suggested height of the chart in CSS pixels, growing with the
// number of bars. The page may pass it as data-chart-height; charts.js sets
// it through the CSSOM (inline style attributes are blocked by the CSP).
func (c Chart) Height() int { return c.height }

// Table is an accessible data table: a caption, column headers (the first
// heads the row-header column) and rows.
type Table struct {
	Caption string
	Columns []string
	Rows    []Row
}

// Row is one table row: a row header and one cell per remaining column.
type Row struct {
	Header string
	Cells  []Cell
}

// Cell is one table cell. Text is a formatted published figure ("23,4%",
// "1.234") or, when Suppressed, the suppression marker.
type Cell struct {
	Text       string
	Suppressed bool
}

// Palette: Atelier's petrol first, then calm dark colours with at least 3:1
// contrast on white; the population is warm yellow with an ink border (the
// border gives it the contrast). Series also differ by decal pattern
// (aria.decal), so colour is never the only cue.
var (
	clusterColors   = []string{"#0f5c6e", "#7b3f61", "#4d6b1f", "#a3472a", "#3e5c99", "#8a5a00"}
	populationColor = "#f2b400"
	inkColor        = "#1c2430"
	gridColor       = "#d5dae0"
)

// group is one cluster or the population in a chart.
type group struct {
	name string
	fig  disclosure.ClusterFigures
}

// point is one bar: its value (nil when suppressed or not derivable from
// published figures) and its texts.
type point struct {
	value *float64
	text  string // the label on the bar and in the table
	tip   string // the tooltip
	pop   bool   // the population's bar in a single-series chart
}

// series is one named row of points, aligned with the category axis.
type series struct {
	name   string
	color  string
	points []point
}

// plot is everything needed to build the options of one bar chart.
type plot struct {
	categories []string
	series     []series
	axisName   string
	axisLabels bool // show value-axis numbers (only for percentages: ECharts formats other numbers in English)
	summary    string
	lang       i18n.Lang
}

// ClusterVariable returns the chart of one variable in one cluster, beside
// the whole population. A frequency variable shows each category's share of
// the group (or counts, when a group size is suppressed); a magnitude shows
// the mean per household with a value.
func ClusterVariable(res *disclosure.Result, cluster, variable string, lang i18n.Lang) (Chart, error) {
	vi, err := findVariable(res, variable)
	if err != nil {
		return Chart{}, err
	}
	cf, err := findCluster(res, cluster)
	if err != nil {
		return Chart{}, err
	}
	groups := []group{{name: clusterName(cf), fig: cf}, {name: i18n.T(lang, "charts.population"), fig: res.Population}}
	if err := aligned(res, vi, groups); err != nil {
		return Chart{}, err
	}
	v := res.Variables[vi]
	title := i18n.T(lang, "charts.title.cluster", variableName(v), clusterName(cf))
	var c Chart
	if v.Kind == disclosure.Magnitude {
		c = meanChart(v, vi, groups, title, lang)
	} else {
		// Shares need a published size for every group; otherwise the
		// chart shows counts only, so no share is ever derived from a
		// hidden size.
		shares := true
		for _, g := range groups {
			if _, ok := published(g.fig.Size); !ok {
				shares = false
			}
		}
		c = frequencyChart(v, vi, groups, title, shares, true, lang)
	}
	c.Note = note(c.suppressed > 0, v.Kind, lang)
	if cf.Variables[vi].FullyHidden() {
		c.Withheld = i18n.T(lang, "charts.withheld."+string(v.Kind), lowerFirst(variableName(v)))
	}
	return c, nil
}

// note explains the marker of a chart with suppressed figures: the reasons
// that can apply to a chart of its kind. It depends on nothing but the
// kind, which is public, so it tells nothing about any one figure.
func note(suppressed bool, kind disclosure.Kind, lang i18n.Lang) string {
	if !suppressed {
		return ""
	}
	return i18n.T(lang, "charts.note."+string(kind))
}

// lowerFirst starts a variable's label with a lower-case letter, for use
// inside a sentence ("Voor deze groep is huishoudtype afgeschermd").
// Labels that start with an acronym (two capitals) keep their case.
func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 || len(r) > 1 && unicode.IsUpper(r[1]) {
		return s
	}
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// Comparison returns the chart of one variable for several clusters and the
// whole population, as grouped bars. With no cluster ids it compares every
// cluster. Frequency variables are always shown as shares, so that groups
// of different sizes compare fairly; a group whose size is suppressed has
// no bars.
func Comparison(res *disclosure.Result, variable string, clusters []string, lang i18n.Lang) (Chart, error) {
	vi, err := findVariable(res, variable)
	if err != nil {
		return Chart{}, err
	}
	if len(clusters) == 0 {
		for _, cf := range res.Clusters {
			clusters = append(clusters, cf.ID)
		}
	}
	var groups []group
	seen := map[string]bool{}
	for _, id := range clusters {
		if seen[id] {
			continue
		}
		seen[id] = true
		cf, err := findCluster(res, id)
		if err != nil {
			return Chart{}, err
		}
		groups = append(groups, group{name: clusterName(cf), fig: cf})
	}
	groups = append(groups, group{name: i18n.T(lang, "charts.population"), fig: res.Population})
	if err := aligned(res, vi, groups); err != nil {
		return Chart{}, err
	}
	v := res.Variables[vi]
	title := i18n.T(lang, "charts.title.comparison", variableName(v))
	var c Chart
	if v.Kind == disclosure.Magnitude {
		c = meanChart(v, vi, groups, title, lang)
	} else {
		c = frequencyChart(v, vi, groups, title, true, false, lang)
	}
	c.Note = note(c.suppressed > 0, v.Kind, lang)
	return c, nil
}

// frequencyChart builds the chart of a frequency variable: categories on
// the axis, one series per group. withCounts adds count columns to the
// table (the single-cluster view); the comparison table holds shares only.
func frequencyChart(v disclosure.VariableInfo, vi int, groups []group, title string, shares, withCounts bool, lang i18n.Lang) Chart {
	var p plot
	p.lang = lang
	p.categories = append(p.categories, v.Categories...)
	table := Table{Columns: []string{i18n.T(lang, "charts.col.category")}}
	if shares {
		p.axisName, p.axisLabels = i18n.T(lang, "charts.axis.share"), true
		table.Caption = i18n.T(lang, "charts.caption.share", variableName(v))
	} else {
		p.axisName = i18n.T(lang, "charts.axis.count")
		table.Caption = i18n.T(lang, "charts.caption.count", variableName(v))
	}
	for gi, g := range groups {
		s := series{name: g.name, color: clusterColors[gi%len(clusterColors)]}
		if g.fig.ID == disclosure.PopulationID {
			s.color = populationColor
		}
		size, sizeOK := published(g.fig.Size)
		for k, cat := range v.Categories {
			f := g.fig.Variables[vi].Counts[k]
			n, ok := published(f)
			var pt point
			switch {
			case shares && ok && sizeOK && size > 0:
				share := round(100*float64(n)/float64(size), 1)
				pt.value = &share
				pt.text = formatShare(share, lang)
				pt.tip = i18n.T(lang, "charts.tip.share", g.name, cat, pt.text, formatCount(n, lang), formatCount(size, lang))
			case !shares && ok:
				x := float64(n)
				pt.value = &x
				pt.text = formatCount(n, lang)
				pt.tip = i18n.T(lang, "charts.tip.value", g.name, cat, pt.text)
			default:
				pt.text = marker(lang)
			}
			s.points = append(s.points, pt)
		}
		p.series = append(p.series, s)
	}

	// The table: per group a share column (or count column), and in the
	// single-cluster view the counts beside the shares.
	for _, g := range groups {
		if withCounts && shares {
			table.Columns = append(table.Columns, i18n.T(lang, "charts.col.count", g.name))
		}
		if shares {
			table.Columns = append(table.Columns, i18n.T(lang, "charts.col.share", g.name))
		} else {
			table.Columns = append(table.Columns, i18n.T(lang, "charts.col.count", g.name))
		}
	}
	for k, cat := range v.Categories {
		row := Row{Header: cat}
		for gi, g := range groups {
			if withCounts && shares {
				row.Cells = append(row.Cells, countCell(g.fig.Variables[vi].Counts[k], lang))
			}
			pt := p.series[gi].points[k]
			row.Cells = append(row.Cells, Cell{Text: pt.text, Suppressed: pt.value == nil})
		}
		table.Rows = append(table.Rows, row)
	}

	key := "charts.summary.share"
	if !shares {
		key = "charts.summary.count"
	}
	p.summary = i18n.T(lang, key, variableName(v), len(v.Categories), len(groups))
	c := p.build(title, table)
	c.height = 90 + len(v.Categories)*(44+24*len(groups))
	return c
}

// countCell is a table cell with a published count or the marker.
func countCell(f disclosure.Figure, lang i18n.Lang) Cell {
	if n, ok := published(f); ok {
		return Cell{Text: formatCount(n, lang)}
	}
	return Cell{Text: marker(lang), Suppressed: true}
}

// meanChart builds the chart of a magnitude variable: one bar per group
// (the groups on the category axis, so each is named beside its bar).
func meanChart(v disclosure.VariableInfo, vi int, groups []group, title string, lang i18n.Lang) Chart {
	p := plot{lang: lang, axisName: i18n.T(lang, "charts.axis.mean")}
	s := series{name: i18n.T(lang, "charts.mean"), color: clusterColors[0]}
	table := Table{
		Caption: i18n.T(lang, "charts.caption.mean", variableName(v)),
		Columns: []string{i18n.T(lang, "charts.col.group"), i18n.T(lang, "charts.col.mean"), i18n.T(lang, "charts.col.contributors")},
	}
	for _, g := range groups {
		p.categories = append(p.categories, g.name)
		f := *g.fig.Variables[vi].Magnitude
		pt := point{pop: g.fig.ID == disclosure.PopulationID}
		row := Row{Header: g.name}
		if mean, ok := f.Mean(); ok && f.Status == disclosure.Published {
			d := meanDecimals(mean)
			m := round(mean, d)
			pt.value = &m
			pt.text = i18n.Fixed(lang, m, d)
			pt.tip = i18n.T(lang, "charts.tip.value", g.name, variableName(v), pt.text)
			row.Cells = append(row.Cells, Cell{Text: pt.text}, Cell{Text: formatCount(*f.Contributors, lang)})
		} else {
			pt.text = marker(lang)
			row.Cells = append(row.Cells, Cell{Text: pt.text, Suppressed: true}, Cell{Text: pt.text, Suppressed: true})
		}
		s.points = append(s.points, pt)
		table.Rows = append(table.Rows, row)
	}
	p.series = []series{s}
	p.summary = i18n.T(lang, "charts.summary.mean", variableName(v), len(groups))
	c := p.build(title, table)
	c.height = 90 + 48*len(groups)
	return c
}

// build turns a plot into a Chart: the go-echarts options, the summary and
// the note.
func (p plot) build(title string, table Table) Chart {
	suppressed := 0
	for _, s := range p.series {
		for _, pt := range s.points {
			if pt.value == nil {
				suppressed++
			}
		}
	}
	c := Chart{Title: title, Table: table, Summary: p.summary, plot: p}
	if suppressed > 0 {
		c.Summary += " " + i18n.T(p.lang, "charts.summary.suppressed", suppressed)
		c.suppressed = suppressed
	}
	return c
}
