package charts

// The ECharts options of a chart, built with go-echarts, and what go-echarts
// has no field for.

import (
	"encoding/json"
	"fmt"
	"strings"

	gocharts "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"

	"atelier/i18n"
)

// labelSize is the font size of every text in a chart: large enough for a
// projector at the back of a room and for an old phone.
const labelSize = 15

// labelLineHeight is the line height of a category label that wraps (or
// carries the suppression marker on a second line). Without it ECharts
// estimates the height from the width of a CJK glyph, which on a machine
// without CJK fonts is a few pixels: the lines overlap. go-echarts types
// axisLabel.lineHeight as a string, which ECharts ignores, so the visitor
// below sets it as a number.
const labelLineHeight = 20

// options builds the ECharts options with go-echarts: horizontal bars, so
// that long Dutch category labels sit on the left, wrap, and stay readable on
// a phone and a projector alike.
func (p plot) options(description string) ([]byte, error) {
	bar := gocharts.NewBar()
	bar.SetGlobalOptions(p.globalOptions(description)...)
	bar.SetXAxis(p.categoryLabels()).XYReversal()
	for _, s := range p.series {
		style := opts.ItemStyle{Color: s.color, BorderColor: inkColor, BorderWidth: 1}
		bar.AddSeries(plain(s.name), s.barData(),
			gocharts.WithItemStyleOpts(style),
			gocharts.WithBarChartOpts(opts.BarChart{BarGap: "15%", BarCategoryGap: "30%"}),
		)
	}
	bar.Accept(visitor{})
	bar.Validate()
	b, err := json.Marshal(bar.JSON())
	if err != nil {
		return nil, fmt.Errorf("charts: encode options: %w", err)
	}
	return b, nil
}

// globalOptions are the chart's axes, legend, tooltip and accessibility
// settings.
func (p plot) globalOptions(description string) []gocharts.GlobalOpts {
	axisLabel := &opts.AxisLabel{Show: opts.Bool(p.axisLabels), Color: inkColor, FontSize: labelSize}
	if p.axisLabels {
		// Percentages only: whole-number ticks, no thousands separators
		// that ECharts would write the English way.
		axisLabel.Formatter = "{value}%"
	}
	return []gocharts.GlobalOpts{
		// AssetsHost is never used (we only take the JSON), but it must
		// not point to go-echarts' CDN.
		gocharts.WithInitializationOpts(opts.Initialization{AssetsHost: "/static/lib/", Renderer: "svg"}),
		gocharts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		gocharts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(p.series) > 1), Top: "top", TextStyle: &opts.TextStyle{Color: inkColor, FontSize: labelSize}}),
		gocharts.WithGridOpts(opts.Grid{ContainLabel: opts.Bool(true), Left: "2%", Right: "12%", Top: "40", Bottom: "40"}),
		gocharts.WithXAxisOpts(opts.XAxis{
			Type:         "value",
			Name:         p.axisName,
			NameLocation: "middle",
			NameGap:      25,
			MinInterval:  1,
			AxisLabel:    axisLabel,
			SplitLine:    &opts.SplitLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: gridColor}},
		}),
		// The category axis is always set explicitly: with empty data
		// ECharts would otherwise make a numeric axis that later updates
		// never fix.
		gocharts.WithYAxisOpts(opts.YAxis{
			Type:      "category",
			Inverse:   opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Color: inkColor, Width: 180, Overflow: "break", FontSize: labelSize},
			AxisLine:  &opts.AxisLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: inkColor}},
		}),
		gocharts.WithAriaOpts(&opts.Aria{
			Enabled: opts.Bool(true),
			Label:   &opts.AriaLabel{Enabled: opts.Bool(true), Description: description},
			Decal:   &opts.AriaDecal{Show: opts.Bool(true)},
		}),
	}
}

// categoryLabels marks each category in which a group is suppressed,
// naming the groups: a null bar draws nothing, so the marker goes in the
// label.
func (p plot) categoryLabels() []string {
	cats := make([]string, len(p.categories))
	for k, cat := range p.categories {
		var hidden []string
		for _, s := range p.series {
			if s.points[k].value == nil {
				hidden = append(hidden, s.name)
			}
		}
		switch {
		case len(hidden) == 0:
			cats[k] = plain(cat)
		case len(hidden) == len(p.series) || len(p.series) <= 2:
			// With one cluster beside the population the table says which
			// one is hidden; a short marker keeps the label readable.
			cats[k] = plain(cat) + "\n" + marker(p.lang)
		default:
			cats[k] = plain(cat) + "\n" + plain(i18n.T(p.lang, "charts.suppressed_in", strings.Join(hidden, ", ")))
		}
	}
	return cats
}

// barData is one series' bars: null where a figure is suppressed.
func (s series) barData() []opts.BarData {
	data := make([]opts.BarData, len(s.points))
	for k, pt := range s.points {
		var d opts.BarData
		if pt.value == nil {
			// null, never 0: ECharts draws no bar and no label.
			d.Value = json.RawMessage("null")
		} else {
			d.Value = *pt.value
			d.Label = &opts.Label{Show: opts.Bool(true), Position: "right", Color: inkColor, FontSize: labelSize, Formatter: plain(pt.text)}
			d.Tooltip = &opts.Tooltip{Formatter: types.FuncStr(plain(pt.tip))}
		}
		// Single-series (mean) charts colour the population bar itself.
		if pt.pop {
			d.ItemStyle = &opts.ItemStyle{Color: populationColor, BorderColor: inkColor, BorderWidth: 1}
		}
		data[k] = d
	}
	return data
}

// plain keeps ECharts from reading text as a template or rich-text markup:
// braces start placeholders ({c}) and rich styles ({name|text}).
func plain(s string) string {
	return strings.NewReplacer("{", "(", "}", ")").Replace(s)
}

// visitor adjusts what go-echarts emits for what it has no field for.
type visitor struct {
	gocharts.BaseConfigurationVisitor
}

// VisitTooltipOpt renders tooltips as rich text inside the chart: ECharts'
// default HTML tooltip writes inline style attributes, which the CSP
// (style-src 'self') blocks.
func (visitor) VisitTooltipOpt(t opts.Tooltip) interface{} {
	return struct {
		opts.Tooltip
		RenderMode string `json:"renderMode"`
		Confine    bool   `json:"confine"`
	}{t, "richText", true}
}

// lineHeightLabel is an axis label with a numeric lineHeight; the outer
// field hides go-echarts' string field of the same JSON name.
type lineHeightLabel struct {
	*opts.AxisLabel
	LineHeight int `json:"lineHeight,omitempty"`
}

// yAxis is a y axis whose label has a numeric lineHeight.
type yAxis struct {
	opts.YAxis
	AxisLabel *lineHeightLabel `json:"axisLabel,omitempty"`
}

// VisitYAxis gives the category labels a numeric line height (see
// labelLineHeight).
func (visitor) VisitYAxis(axes []opts.YAxis) interface{} {
	out := make([]yAxis, len(axes))
	for i, a := range axes {
		out[i] = yAxis{YAxis: a}
		if a.AxisLabel != nil {
			out[i].AxisLabel = &lineHeightLabel{AxisLabel: a.AxisLabel, LineHeight: labelLineHeight}
		}
	}
	return out
}

// Visit sets the palette and drops an empty toolbox.
func (visitor) Visit(obj map[string]interface{}) {
	obj["color"] = append(append([]string(nil), clusterColors...), populationColor)
	obj["textStyle"] = map[string]string{"color": inkColor}
	delete(obj, "toolbox")
}
