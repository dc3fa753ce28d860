package pii

import (
	"reflect"
	"strings"
	"testing"
)

func TestNames(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Ik sprak met Jansen over de huur", []string{"Jansen"}},
		{"Mohamed en Fatima komen ook, met Mohamed zijn broer", []string{"Mohamed", "Fatima"}},
		{"Gisteren belde Roos van de Vries", []string{"Roos", "Vries"}},
		{"Jansen-Bakker woont hier", []string{"Jansen", "Bakker"}},
		{"Yilmaz zei dat", []string{"Yilmaz"}}, // not a word: a name at a sentence's start too
		// An ordinary word at the start of a sentence is not a name.
		{"Roos de kat. Bos en heide", nil},
		{"De buurvrouw zei:\n- Mark de weg", nil},
		// Lower case, all capitals, words not on the list.
		{"ik sprak met jansen", nil},
		{"De BSN en de IBAN", nil},
		{"Hoe kunnen we voorkomen dat gezinnen bij de voedselbank terechtkomen?", nil},
		{"We werken samen met de gemeente en het wijkteam", nil},
		{"", nil},
		{"Anna, Bram, Cor, Daan, Emma, Fenna, Gijs", []string{"Anna", "Bram", "Cor", "Daan", "Emma"}},
	}
	for _, tt := range tests {
		if got := Names(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Names(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The shipped list is what the hint stands on: big enough to be useful,
// lower case, one name a line, and the common names there.
func TestNamesList(t *testing.T) {
	namesOnce.Do(loadNames)
	if n := len(names); n < 10000 {
		t.Fatalf("%d names on the list, want over 10,000", n)
	}
	for name := range names {
		if name != strings.ToLower(name) || strings.ContainsAny(name, " \t") {
			t.Fatalf("name %q is not one lower-case word", name)
		}
	}
	for _, name := range []string{"jansen", "janssens", "vries", "jong", "bakker", "peeters", "yilmaz", "mohamed", "emma", "daan", "noah", "fatima"} {
		if _, ok := names[name]; !ok {
			t.Errorf("%q is not on the list", name)
		}
	}
	if _, ok := names["de"]; ok {
		t.Errorf("the particle %q is on the list", "de")
	}
	if !names["roos"] || names["yilmaz"] {
		t.Errorf("roos also a word: %v, yilmaz also a word: %v; want true, false", names["roos"], names["yilmaz"])
	}
}

func TestCheckText(t *testing.T) {
	for _, ok := range []string{"", "gewoon", "twee\nregels\tmet tab\r\n", "emoji 🙂 en é", "zero\u200bwidth is fine"} {
		if err := CheckText(ok); err != nil {
			t.Errorf("CheckText(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []string{"nul\x00", "bel\a", "esc\x1b[31m", "del\x7f", "c1\u0085", "ongeldig \xff", "half \xe2\x82", "vervangen \uFFFD"} {
		err := CheckText(bad)
		if err == nil || !strings.Contains(err.Error(), "privacy.text_invalid") {
			t.Errorf("CheckText(%q) = %v, want privacy.text_invalid", bad, err)
		}
	}
}
