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
	}
	for _, tt := range tests {
		if got := FromAcceptLanguage(tt.header); got != tt.want {
			t.Errorf("FromAcceptLanguage(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

func TestUnknownKeyIsVisible(t *testing.T) {
	if got := T(NL, "no.such.key"); got != "no.such.key" {
		t.Fatalf("T(unknown) = %q", got)
	}
}
