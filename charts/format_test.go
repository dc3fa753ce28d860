package charts

import (
	"testing"

	"atelier/i18n"
)

func TestFormatShare(t *testing.T) {
	tests := []struct {
		p    float64
		lang i18n.Lang
		want string
	}{
		{23.4, i18n.NL, "23,4%"},
		{23.4, i18n.EN, "23.4%"},
		{100, i18n.NL, "100,0%"},
		{1234.56, i18n.NL, "1.234,6%"},
		{-0.04, i18n.EN, "0.0%"},
	}
	for _, tt := range tests {
		if got, want := formatShare(tt.p, tt.lang), tt.want; got != want {
			t.Errorf("formatShare(%v, %s) = %q, want %q", tt.p, tt.lang, got, want)
		}
	}
}

func TestFormatCount(t *testing.T) {
	tests := []struct {
		n    int64
		lang i18n.Lang
		want string
	}{
		{0, i18n.NL, "0"},
		{999, i18n.NL, "999"},
		{1234, i18n.NL, "1.234"},
		{1234567, i18n.EN, "1,234,567"},
	}
	for _, tt := range tests {
		if got, want := formatCount(tt.n, tt.lang), tt.want; got != want {
			t.Errorf("formatCount(%d, %s) = %q, want %q", tt.n, tt.lang, got, want)
		}
	}
}

// TestRoundMatchesText checks the promise of round: a value rounded for the
// chart options reads back as the text the table shows, also on halves,
// where rounding to even and rounding away from zero differ.
func TestRoundMatchesText(t *testing.T) {
	for _, x := range []float64{0.25, 0.35, 2.45, 12.5, 23.44, 23.45, 99.95, 1234.55} {
		for _, d := range []int{0, 1} {
			text := i18n.Fixed(i18n.EN, x, d)
			if got := i18n.Fixed(i18n.EN, round(x, d), d); got != text {
				t.Errorf("Fixed(round(%v, %d)) = %q, but Fixed(%v) = %q", x, d, got, x, text)
			}
		}
	}
}
