package i18n

import (
	"strings"
	"testing"
)

func TestEveryMessageHasBothLanguages(t *testing.T) {
	for _, k := range Keys() {
		m := messages[k]
		if strings.TrimSpace(m.NL) == "" || strings.TrimSpace(m.EN) == "" {
			t.Errorf("message %q lacks a translation: %+v", k, m)
		}
		if strings.Count(m.NL, "%") != strings.Count(m.EN, "%") {
			t.Errorf("message %q: Dutch and English take different arguments: %+v", k, m)
		}
	}
}

// TestEveryPluralHasBothForms checks the counted messages of N: a ".one"
// form without its ".other" would show a key to everyone who counts two.
func TestEveryPluralHasBothForms(t *testing.T) {
	plurals := 0
	for _, k := range Keys() {
		base, ok := strings.CutSuffix(k, ".one")
		if !ok {
			continue
		}
		plurals++
		if !Has(base + ".other") {
			t.Errorf("message %q has no %q", k, base+".other")
		}
	}
	if plurals == 0 {
		t.Fatal("no counted message in the catalogue; the check above checked nothing")
	}
}

func TestRegisterPanicsOnDuplicateKey(t *testing.T) {
	key := Keys()[0]
	defer func() {
		if recover() == nil {
			t.Fatalf("register accepted a second %q", key)
		}
		if got := messages[key]; got.NL == "dubbel" {
			t.Fatalf("register overwrote %q before it panicked", key)
		}
	}()
	register(map[string]Text{key: {"dubbel", "double"}})
}

func TestFromAcceptLanguage(t *testing.T) {
	tests := []struct {
		header string
		want   Lang
	}{
		{"", NL},
		{"en-GB,en;q=0.9", EN},
		{"nl-NL,nl;q=0.9,en;q=0.8", NL},
		{"de-DE,en;q=0.5", EN},
		{"fr", NL},
		// q-values weigh, whatever the order.
		{"en;q=0.9, nl;q=0.8", EN},
		{"nl;q=0.4, en;q=0.8", EN},
		{"fr, en;q=0.5", EN},
		{"en;q=0, nl", NL},
		// A regional variant finds its language.
		{"nl-BE", NL},
		{"en-US", EN},
		// No supported language, or nothing readable: Dutch.
		{"de", NL},
		{"de, fr;q=0.9", NL},
		{"*", NL},
		{"garbage!!;;", NL},
		{"en;q=abc", NL},
		// One unreadable entry does not spoil the others.
		{"xx-bogus-tag-!, en;q=0.5", EN},
		{"zz, en;q=0.5", EN},
	}
	for _, tt := range tests {
		if got := FromAcceptLanguage(tt.header); got != tt.want {
			t.Errorf("FromAcceptLanguage(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		s    string
		want Lang
	}{
		{"nl", NL}, {"en", EN}, {" EN ", EN}, {"en-GB", EN}, {"nl-BE", NL},
		{"", NL}, {"de", NL}, {"english", NL}, {"en;q=0.9", NL},
	}
	for _, tt := range tests {
		if got := Parse(tt.s); got != tt.want {
			t.Errorf("Parse(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestUnknownKeyIsVisible(t *testing.T) {
	if got := T(NL, "no.such.key"); got != "no.such.key" {
		t.Fatalf("T(unknown) = %q", got)
	}
}
