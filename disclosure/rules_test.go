package disclosure

import "testing"

func TestRulesOnlyStricter(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Rules)
		ok   bool
	}{
		{"defaults", func(*Rules) {}, true},
		{"higher threshold", func(r *Rules) { r.MinFrequency = 15 }, true},
		{"lower threshold", func(r *Rules) { r.MinFrequency = 5 }, false},
		{"looser dominance", func(r *Rules) { r.Dominance1 = 60 }, false},
		{"smaller p", func(r *Rules) { r.P = 5 }, false},
		{"larger share", func(r *Rules) { r.MaxShare = 95 }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := DefaultRules()
			tt.edit(&r)
			if got, want := r.Validate() == nil, tt.ok; got != want {
				t.Fatalf("Validate() ok = %v, want %v", got, want)
			}
		})
	}
}
