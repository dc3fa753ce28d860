package i18n

import (
	"testing"
	"time"
)

func TestFixed(t *testing.T) {
	tests := []struct {
		x        float64
		decimals int
		lang     Lang
		want     string
	}{
		{1234.5, 1, NL, "1.234,5"},
		{1234.5, 1, EN, "1,234.5"},
		{1234567, 0, NL, "1.234.567"},
		{1234567, 0, EN, "1,234,567"},
		{123, 0, NL, "123"},
		{1234, 0, NL, "1.234"},
		{0, 1, NL, "0,0"},
		{23.44, 1, NL, "23,4"},
		{-1234, 0, NL, "-1.234"},
		{-0.01, 1, NL, "0,0"},
		{999.96, 1, EN, "1,000.0"},
		{100, 1, NL, "100,0"},
		// Halves round away from zero, as Round does.
		{0.25, 1, NL, "0,3"},
		{2.5, 0, EN, "3"},
		{-2.5, 0, EN, "-3"},
	}
	for _, tt := range tests {
		if got := Fixed(tt.lang, tt.x, tt.decimals); got != tt.want {
			t.Errorf("Fixed(%s, %v, %d) = %q, want %q", tt.lang, tt.x, tt.decimals, got, tt.want)
		}
	}
}

func TestNumber(t *testing.T) {
	tests := []struct {
		x    float64
		lang Lang
		want string
	}{
		{1234.5, NL, "1.234,5"},
		{1234.5, EN, "1,234.5"},
		{1234, NL, "1.234"},
		{12.04, NL, "12"},
		{12.96, EN, "13"},
		{0.05, NL, "0,1"},
		{-0.04, NL, "0"},
		{-1234.56, EN, "-1,234.6"},
		{1e6, NL, "1.000.000"},
	}
	for _, tt := range tests {
		if got := Number(tt.lang, tt.x, 1); got != tt.want {
			t.Errorf("Number(%s, %v, 1) = %q, want %q", tt.lang, tt.x, got, tt.want)
		}
	}
}

func TestIntAndPercent(t *testing.T) {
	if got, want := Int(NL, 1234567), "1.234.567"; got != want {
		t.Errorf("Int(NL) = %q, want %q", got, want)
	}
	if got, want := Int(EN, -1234), "-1,234"; got != want {
		t.Errorf("Int(EN) = %q, want %q", got, want)
	}
	if got, want := Int(Lang("fr"), 1234), "1.234"; got != want {
		t.Errorf("Int(unknown language) = %q, want the default's %q", got, want)
	}
	if got, want := Percent(NL, 23.44, 1), "23,4%"; got != want {
		t.Errorf("Percent(NL) = %q, want %q", got, want)
	}
	if got, want := Percent(EN, 1234.5, 0), "1,235%"; got != want {
		t.Errorf("Percent(EN) = %q, want %q", got, want)
	}
}

func TestRound(t *testing.T) {
	tests := []struct {
		x        float64
		decimals int
		want     float64
	}{
		{23.44, 1, 23.4}, {23.45, 1, 23.5}, {-0.01, 1, 0}, {1234.5, 0, 1235}, {-2.5, 0, -3}, {0.123456789, 6, 0.123457},
	}
	for _, tt := range tests {
		got := Round(tt.x, tt.decimals)
		if got != tt.want {
			t.Errorf("Round(%v, %d) = %v, want %v", tt.x, tt.decimals, got, tt.want)
		}
		if got == 0 && 1/got < 0 {
			t.Errorf("Round(%v, %d) is minus zero", tt.x, tt.decimals)
		}
	}
}

func TestDate(t *testing.T) {
	day := time.Date(2026, 11, 25, 14, 5, 0, 0, time.UTC)
	tests := []struct {
		lang Lang
		t    time.Time
		want string
	}{
		{NL, day, "25 november 2026"},
		{EN, day, "25 November 2026"},
		{NL, time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), "1 maart 2027"},
		{EN, time.Date(2027, 5, 9, 0, 0, 0, 0, time.UTC), "9 May 2027"},
		{NL, time.Time{}, ""},
	}
	for _, tt := range tests {
		if got := Date(tt.lang, tt.t); got != tt.want {
			t.Errorf("Date(%s, %v) = %q, want %q", tt.lang, tt.t, got, tt.want)
		}
	}
}

func TestDateTime(t *testing.T) {
	tests := []struct {
		lang Lang
		t    time.Time
		want string
	}{
		{NL, time.Date(2026, 11, 25, 14, 5, 0, 0, time.UTC), "25 nov 2026, 14:05"},
		{EN, time.Date(2026, 11, 25, 14, 5, 0, 0, time.UTC), "25 Nov 2026, 14:05"},
		{NL, time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC), "1 mrt 2027, 09:00"},
		{EN, time.Time{}, ""},
	}
	for _, tt := range tests {
		if got := DateTime(tt.lang, tt.t); got != tt.want {
			t.Errorf("DateTime(%s, %v) = %q, want %q", tt.lang, tt.t, got, tt.want)
		}
	}
}

// TestEveryMonthIsInTheCatalogue guards Date and DateTime, which build
// their keys: a missing month would show its key on a page.
func TestEveryMonthIsInTheCatalogue(t *testing.T) {
	for m := time.January; m <= time.December; m++ {
		for _, prefix := range []string{"month.", "month.short."} {
			if !Has(monthKey(prefix, m)) {
				t.Errorf("no %q in the catalogue", monthKey(prefix, m))
			}
		}
	}
}
