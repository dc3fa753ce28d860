package i18n

import "testing"

func TestN(t *testing.T) {
	tests := []struct {
		lang Lang
		key  string
		n    int
		args []any
		want string
	}{
		{NL, "wall.waiting", 1, nil, "1 notitie wacht op onthullen"},
		{NL, "wall.waiting", 2, nil, "2 notities wachten op onthullen"},
		{NL, "wall.waiting", 0, nil, "0 notities wachten op onthullen"},
		{EN, "wall.waiting", 1, nil, "1 note waiting to be revealed"},
		{EN, "wall.waiting", 21, nil, "21 notes waiting to be revealed"},
		{NL, "home.days", 1, nil, "1 dag"},
		{NL, "home.days", 1826, nil, "1.826 dagen"},
		{EN, "home.days", 1826, nil, "1,826 days"},
		{EN, "vote", 1, nil, "1 vote"},
		{EN, "vote", -1, nil, "-1 vote"},
		{NL, "privacy.count.phone", 2, nil, "2 telefoonnummers"},
		{EN, "privacy.count.email", 1, nil, "1 e-mail address"},
		// Arguments after the count keep their places.
		{NL, "set.summary", 1, []any{"1", "0", "0"}, "1 cijfer: 1 gepubliceerd, 0 primair afgeschermd, 0 secundair afgeschermd."},
		{EN, "set.summary", 40, []any{"30", "6", "4"}, "40 figures: 30 published, 6 primarily suppressed, 4 secondarily suppressed."},
	}
	for _, tt := range tests {
		if got := N(tt.lang, tt.key, tt.n, tt.args...); got != tt.want {
			t.Errorf("N(%s, %q, %d) = %q, want %q", tt.lang, tt.key, tt.n, got, tt.want)
		}
	}
}

func TestNUnknownKeyIsVisible(t *testing.T) {
	if got := N(NL, "no.such.count", 2); got != "no.such.count.other" {
		t.Fatalf("N(unknown) = %q", got)
	}
}
