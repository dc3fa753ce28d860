package charts

import (
	"math"

	"atelier/i18n"
)

// Numbers are written by i18n in the style of the chart's language and
// rounded by i18n.Round, so that the number in the chart options is the
// number the table shows.

// formatCount writes a count of households: "1.234".
func formatCount(n int64, lang i18n.Lang) string { return i18n.Int(lang, n) }

// formatShare writes a percentage with one decimal: "23,4%".
func formatShare(p float64, lang i18n.Lang) string { return i18n.Percent(lang, p, 1) }

// round rounds x to the given number of decimals as the formatted text
// does, for the values in the chart options.
func round(x float64, decimals int) float64 { return i18n.Round(x, decimals) }

// meanDecimals chooses how precisely to show a mean: whole numbers for
// amounts such as incomes, one decimal for small means such as children.
func meanDecimals(x float64) int {
	if math.Abs(x) >= 100 {
		return 0
	}
	return 1
}
