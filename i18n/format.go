package i18n

import (
	"math"
	"strconv"
	"time"

	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// printers write numbers in each language's style. A Printer keeps no state
// between calls, so one per language serves every request.
var printers = map[Lang]*message.Printer{
	NL: message.NewPrinter(NL.tag()),
	EN: message.NewPrinter(EN.tag()),
}

func printer(lang Lang) *message.Printer {
	if p, ok := printers[lang]; ok {
		return p
	}
	return printers[Default]
}

// Round rounds x to the given number of decimals, halves away from zero,
// and never returns minus zero. Fixed and Number round this way, so a value
// rounded with Round and put beside its formatted text (a chart's data next
// to its table) is the number the text shows.
func Round(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	r := math.Round(x*p) / p
	if r == 0 {
		return 0 // math.Round(-0.01) is -0, which would print as "-0"
	}
	return r
}

// Fixed writes x with exactly decimals digits after the decimal mark, in
// the number style of lang: Fixed(NL, 1234.5, 1) is "1.234,5",
// Fixed(EN, 1234.5, 1) is "1,234.5".
func Fixed(lang Lang, x float64, decimals int) string {
	// Rounding first keeps x/text's own rounding (half to even on the
	// shortest decimal form) out of it: x then has no digits to drop.
	return printer(lang).Sprint(number.Decimal(Round(x, decimals), number.Scale(decimals)))
}

// Number writes x with at most maxDecimals digits after the decimal mark,
// dropping trailing zeros: Number(NL, 1234.5, 1) is "1.234,5" and
// Number(NL, 12.04, 1) is "12".
func Number(lang Lang, x float64, maxDecimals int) string {
	return printer(lang).Sprint(number.Decimal(Round(x, maxDecimals), number.MaxFractionDigits(maxDecimals)))
}

// Int writes a count with the thousands grouped: "1.234" in Dutch, "1,234"
// in English.
func Int(lang Lang, n int64) string {
	return printer(lang).Sprint(number.Decimal(n))
}

// Percent writes a percentage p (23.4 for 23.4%) with exactly decimals
// digits after the decimal mark: "23,4%" in Dutch, "23.4%" in English. Both
// languages put the sign right after the number.
func Percent(lang Lang, p float64, decimals int) string {
	return Fixed(lang, p, decimals) + "%"
}

// Date writes the day of t in lang, with the month written out:
// "25 november 2026", "25 November 2026". The zero time is "".
func Date(lang Lang, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return T(lang, "date.long", t.Day(), T(lang, monthKey("month.", t.Month())), strconv.Itoa(t.Year()))
}

// DateTime writes t briefly, for lists: "25 nov 2026, 14:05",
// "25 Nov 2026, 14:05". The zero time is "".
func DateTime(lang Lang, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return T(lang, "date.short_time", t.Day(), T(lang, monthKey("month.short.", t.Month())), strconv.Itoa(t.Year()), t.Format("15:04"))
}

// monthKey is the catalogue key of month m: "month.11", "month.short.11".
func monthKey(prefix string, m time.Month) string {
	return prefix + strconv.Itoa(int(m))
}
