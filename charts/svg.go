package charts

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"atelier/i18n"
)

// The SVG image of a chart is for paper and for a policy memo: the same
// figures as the ECharts chart, drawn on the server, so it prints on A4,
// pastes into a document and needs no JavaScript. It is a standalone file
// (served as image/svg+xml and packed in a ZIP), not inline markup.
//
// Text is set with presentation attributes only, never a style attribute or
// a <style> element: the CSP (style-src 'self') would block those when the
// image is opened on its own. Nothing in it points anywhere: no links, no
// fonts, no images. The one URL-like string is the SVG namespace, which is
// a name that browsers need to treat the file as SVG, never fetched.

// svgNamespace names the SVG vocabulary. A standalone .svg file without it
// is not rendered as an image.
const svgNamespace = "http://www.w3.org/2000/svg"

// Sizes of the image, in SVG user units (CSS pixels at 100%). About 800
// wide: the width of an A4 text column at a legible scale.
const (
	svgWidth      = 800
	svgPad        = 24
	svgLabelWidth = 220 // the category labels, right-aligned
	svgValueRoom  = 90  // right of the longest bar, for its value label
	svgBarHeight  = 20
	svgBarGap     = 4
	svgCatPad     = 10 // above and below each category's bars
	svgTitleSize  = 18
	svgTextSize   = 14
	svgSmallSize  = 12
	svgLineHeight = 1.3
)

// svgFont is the system font stack of atelier.css: no web font to fetch.
const svgFont = `system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif`

// House colours from atelier.css beside the chart palette above.
const (
	svgPaper   = "#ffffff" // --card: memos are white
	svgInkSoft = "#47505c" // --ink-soft
)

// SVG returns the chart as a standalone SVG image: horizontal bars with
// their category labels, each published figure beside its bar, the
// suppression marker instead of a bar for a suppressed figure, the title, a
// legend when several groups are shown and, when figures are suppressed,
// the explanation. The chart's Title and Summary are its <title> and
// <desc>. Every text is XML-escaped; labels come from a data export.
func (c Chart) SVG() ([]byte, error) {
	if len(c.plot.series) == 0 {
		return nil, errors.New("charts: svg: chart has no data")
	}
	p := c.plot
	var b svgBuilder
	y := p.svgHeading(&b, c.Title)
	y = p.svgPlot(&b, y)

	// The explanation of the marker, so that the image stands on its own
	// in a memo.
	for _, note := range []string{c.Withheld, c.Note} {
		if note == "" {
			continue
		}
		y += 10
		for _, line := range wrap(note, svgSmallSize, svgWidth-2*svgPad) {
			y += svgSmallSize * svgLineHeight
			b.text(svgPad, y, svgSmallSize, svgInkSoft, `class="note"`, line)
		}
	}
	height := math.Ceil(y + svgPad)

	var out bytes.Buffer
	fmt.Fprintf(&out, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
		`<svg xmlns="%s" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="chart-title chart-desc" xml:lang="%s" font-family="%s">`+"\n",
		svgNamespace, svgWidth, int(height), svgWidth, int(height), esc(string(p.lang)), esc(svgFont))
	fmt.Fprintf(&out, "<title id=\"chart-title\">%s</title>\n<desc id=\"chart-desc\">%s</desc>\n", esc(c.Title), esc(c.Summary))
	fmt.Fprintf(&out, "<rect width=\"%d\" height=\"%d\" fill=\"%s\"/>\n", svgWidth, int(height), svgPaper)
	out.Write(b.out.Bytes())
	out.WriteString("</svg>\n")
	return out.Bytes(), nil
}

// svgHeading draws the title and, for several groups, the legend from the
// top of the image, and returns where the plot begins.
func (p plot) svgHeading(b *svgBuilder, title string) float64 {
	y := float64(svgPad)
	// Title, wrapped to the width (less a margin: bold glyphs are wider
	// than textWidth's average).
	for _, line := range wrap(title, svgTitleSize, svgWidth-2*svgPad-40) {
		y += svgTitleSize * svgLineHeight
		b.text(svgPad, y-4, svgTitleSize, inkColor, `class="title" font-weight="700"`, line)
	}

	// Legend: one swatch and name per group, wrapping like words.
	if len(p.series) > 1 {
		y += 10
		x := float64(svgPad)
		lineH := svgTextSize * svgLineHeight
		for _, s := range p.series {
			w := 14 + 6 + textWidth(s.name, svgTextSize) + 18
			if x > svgPad && x+w > svgWidth-svgPad {
				x = svgPad
				y += lineH + 4
			}
			b.rect(x, y+2, 14, 14, s.color)
			b.text(x+20, y+14, svgTextSize, inkColor, `class="legend"`, s.name)
			x += w
		}
		y += lineH
	}

	return y
}

// svgPlot draws the plot from y down: categories below each other, one bar
// per group, the grid and the value axis. It returns where it ends.
func (p plot) svgPlot(b *svgBuilder, y float64) float64 {
	// Lay the categories out first, so the grid can be drawn under the
	// bars.
	y += 12
	plotTop := y
	x0 := float64(svgPad + svgLabelWidth + 12)
	x1 := float64(svgWidth - svgPad - svgValueRoom)
	barsH := float64(len(p.series)*(svgBarHeight+svgBarGap) - svgBarGap)
	labels := make([][]string, len(p.categories))
	blockH := make([]float64, len(p.categories))
	plotBottom := plotTop
	for k, cat := range p.categories {
		labels[k] = wrap(cat, svgTextSize, svgLabelWidth)
		labelH := float64(len(labels[k])) * svgTextSize * svgLineHeight
		blockH[k] = math.Max(barsH, labelH) + 2*svgCatPad
		plotBottom += blockH[k]
	}
	top := 0.0
	for _, s := range p.series {
		for _, pt := range s.points {
			if pt.value != nil && *pt.value > top {
				top = *pt.value
			}
		}
	}
	ticks := niceTicks(top)
	scale := (x1 - x0) / ticks[len(ticks)-1]

	// Grid lines and the value axis.
	for _, t := range ticks {
		x := x0 + t*scale
		b.line(x, plotTop, x, plotBottom, gridColor)
		label := i18n.Fixed(p.lang, t, tickDecimals(ticks))
		if p.axisLabels {
			label += "%"
		}
		b.text(x, plotBottom+18, svgSmallSize, svgInkSoft, `class="tick" text-anchor="middle"`, label)
	}

	// Per category its label, centred on its bars, and the bars.
	for k := range p.categories {
		labelH := float64(len(labels[k])) * svgTextSize * svgLineHeight
		ly := y + (blockH[k]-labelH)/2
		for _, line := range labels[k] {
			ly += svgTextSize * svgLineHeight
			b.text(svgPad+svgLabelWidth, ly-4, svgTextSize, inkColor, `class="category" text-anchor="end"`, line)
		}
		by := y + (blockH[k]-barsH)/2
		for _, s := range p.series {
			pt := s.points[k]
			if pt.value == nil {
				// No bar and no number: the marker says why.
				b.text(x0+6, by+15, svgSmallSize+1, svgInkSoft, `class="suppressed" font-style="italic"`, marker(p.lang))
			} else {
				// A negative mean gets no bar to the left; its label
				// still gives the figure.
				w := math.Max(0, *pt.value) * scale
				color := s.color
				if pt.pop {
					color = populationColor
				}
				b.bar(x0, by, w, svgBarHeight, color)
				b.text(x0+w+6, by+15, svgSmallSize+1, inkColor, `class="value"`, pt.text)
			}
			by += svgBarHeight + svgBarGap
		}
		y += blockH[k]
	}
	b.line(x0, plotTop, x0, plotBottom, inkColor)
	y = plotBottom + 18 + svgSmallSize*svgLineHeight + 4
	b.text((x0+x1)/2, y, svgSmallSize, svgInkSoft, `class="axis" text-anchor="middle"`, p.axisName)
	return y
}

// svgBuilder collects SVG elements in out.
type svgBuilder struct {
	out bytes.Buffer
}

// text writes one line of text; attrs are extra attributes, written as
// given (constants only, never data). Every text has a class naming its
// part (title, legend, category, value, suppressed, tick, axis, note), for
// the tests.
func (b *svgBuilder) text(x, y float64, size int, fill, attrs, s string) {
	if attrs != "" {
		attrs = " " + attrs
	}
	fmt.Fprintf(&b.out, "<text x=\"%s\" y=\"%s\" font-size=\"%d\" fill=\"%s\"%s>%s</text>\n", num(x), num(y), size, fill, attrs, esc(s))
}

func (b *svgBuilder) rect(x, y, w, h float64, fill string) {
	fmt.Fprintf(&b.out, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\" stroke=\"%s\"/>\n", num(x), num(y), num(w), num(h), fill, inkColor)
}

// bar is a rect with the class the tests look for.
func (b *svgBuilder) bar(x, y, w, h float64, fill string) {
	fmt.Fprintf(&b.out, "<rect class=\"bar\" x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\" stroke=\"%s\"/>\n", num(x), num(y), num(w), num(h), fill, inkColor)
}

func (b *svgBuilder) line(x1, y1, x2, y2 float64, stroke string) {
	fmt.Fprintf(&b.out, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\"/>\n", num(x1), num(y1), num(x2), num(y2), stroke)
}

// num writes a coordinate with at most one decimal.
func num(x float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", x), ".0")
}

// esc escapes s for XML text and attribute values. Characters XML cannot
// hold become U+FFFD.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// textWidth estimates the width of s in the system font: no font metrics
// on the server, so a generous average glyph width keeps text in its box.
func textWidth(s string, size int) float64 {
	return float64(utf8.RuneCountInString(s)) * float64(size) * 0.58
}

// wrap breaks s into lines no wider than width (by textWidth), at spaces
// and at the line breaks in s; a word longer than a line is cut.
func wrap(s string, size int, width float64) []string {
	perLine := max(1, int(width/(float64(size)*0.58)))
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			for utf8.RuneCountInString(word) > perLine {
				if line != "" {
					lines = append(lines, line)
					line = ""
				}
				r := []rune(word)
				lines = append(lines, string(r[:perLine]))
				word = string(r[perLine:])
			}
			switch {
			case line == "":
				line = word
			case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) <= perLine:
				line += " " + word
			default:
				lines = append(lines, line)
				line = word
			}
		}
		lines = append(lines, line)
	}
	return lines
}

// niceTicks returns round values from 0 to at least top for the value
// axis: about five steps of 1, 2, 2.5 or 5 times a power of ten.
func niceTicks(top float64) []float64 {
	if top <= 0 {
		return []float64{0, 1}
	}
	raw := top / 5
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	step := pow * 10
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*pow >= raw {
			step = m * pow
			break
		}
	}
	var ticks []float64
	for t := 0.0; ; t += step {
		t = round(t, 6)
		ticks = append(ticks, t)
		if t >= top {
			return ticks
		}
	}
}

// tickDecimals is the number of decimals the ticks need (2.5 steps).
func tickDecimals(ticks []float64) int {
	for _, t := range ticks {
		if t != math.Trunc(t) {
			return 1
		}
	}
	return 0
}
