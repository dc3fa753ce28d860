package charts

import (
	"math"
	"strconv"
	"strings"

	"atelier/i18n"
)

// formatNumber writes x with the given number of decimals in the number
// style of lang: "1.234,5" in Dutch, "1,234.5" in English.
func formatNumber(x float64, decimals int, lang i18n.Lang) string {
	group, point := ".", ","
	if lang == i18n.EN {
		group, point = ",", "."
	}
	s := strconv.FormatFloat(math.Abs(x), 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if x < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(point)
		b.WriteString(frac)
	}
	return b.String()
}

// formatCount writes a count of households.
func formatCount(n int64, lang i18n.Lang) string { return formatNumber(float64(n), 0, lang) }

// formatShare writes a percentage with one decimal: "23,4%".
func formatShare(p float64, lang i18n.Lang) string { return formatNumber(p, 1, lang) + "%" }

// round rounds x to the given number of decimals, so that the number in the
// chart options is the number the table shows.
func round(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(x*p) / p
}

// meanDecimals chooses how precisely to show a mean: whole numbers for
// amounts such as incomes, one decimal for small means such as children.
func meanDecimals(x float64) int {
	if math.Abs(x) >= 100 {
		return 0
	}
	return 1
}
