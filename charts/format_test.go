package charts

import (
	"testing"

	"atelier/i18n"
)

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		x        float64
		decimals int
		lang     i18n.Lang
		want     string
	}{
		{1234.5, 1, i18n.NL, "1.234,5"},
		{1234.5, 1, i18n.EN, "1,234.5"},
		{1234567, 0, i18n.NL, "1.234.567"},
		{123, 0, i18n.NL, "123"},
		{0, 1, i18n.NL, "0,0"},
		{23.44, 1, i18n.NL, "23,4"},
		{-1234, 0, i18n.NL, "-1.234"},
		{-0.01, 1, i18n.NL, "0,0"},
		{999.96, 1, i18n.EN, "1,000.0"},
	}
	for _, tt := range tests {
		if got, want := formatNumber(tt.x, tt.decimals, tt.lang), tt.want; got != want {
			t.Errorf("formatNumber(%v, %d, %s) = %q, want %q", tt.x, tt.decimals, tt.lang, got, want)
		}
	}
}

func TestFormatShare(t *testing.T) {
	tests := []struct {
		p    float64
		lang i18n.Lang
		want string
	}{
		{23.4, i18n.NL, "23,4%"},
		{23.4, i18n.EN, "23.4%"},
		{100, i18n.NL, "100,0%"},
	}
	for _, tt := range tests {
		if got, want := formatShare(tt.p, tt.lang), tt.want; got != want {
			t.Errorf("formatShare(%v, %s) = %q, want %q", tt.p, tt.lang, got, want)
		}
	}
}
