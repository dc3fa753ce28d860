// Package i18n is Atelier's message catalogue. Every string shown to a person
// comes from here, in Dutch first and English second.
//
// Messages are Go maps, one file per area (ui, profiles, sessions), so that a
// missing translation is a compile-time-visible gap and a test can check that
// every key has both languages.
package i18n

import (
	"fmt"
	"strings"
)

// Lang is a supported language tag.
type Lang string

// Supported languages. Dutch is the default.
const (
	NL Lang = "nl"
	EN Lang = "en"
)

// Default is the language used when nothing else is known.
const Default = NL

// Langs lists the supported languages in order of preference.
var Langs = []Lang{NL, EN}

// Text is one message in every supported language. Format verbs may use
// explicit argument indexes (%[1]s) so that translations can reorder them.
type Text struct {
	NL string
	EN string
}

// catalogs are merged at init; each area owns one map in its own file.
var catalogs = []map[string]Text{uiMessages, profilesMessages, sessionsMessages, chartsMessages, privacyMessages, reportMessages, workshopMessages, retentionMessages}

var messages = func() map[string]Text {
	all := make(map[string]Text)
	for _, c := range catalogs {
		for k, v := range c {
			if _, dup := all[k]; dup {
				panic("i18n: duplicate message key " + k)
			}
			all[k] = v
		}
	}
	return all
}()

// Parse returns the supported language named by s ("nl", "en-GB", ...), or
// Default when s names none.
func Parse(s string) Lang {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, l := range Langs {
		if s == string(l) || strings.HasPrefix(s, string(l)+"-") {
			return l
		}
	}
	return Default
}

// FromAcceptLanguage picks the first supported language of an
// Accept-Language header, honouring its order (q-values are rarely used by
// browsers for anything but order, so they are not weighed).
func FromAcceptLanguage(header string) Lang {
	for _, part := range strings.Split(header, ",") {
		tag := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		tag = strings.ToLower(tag)
		for _, l := range Langs {
			if tag == string(l) || strings.HasPrefix(tag, string(l)+"-") {
				return l
			}
		}
	}
	return Default
}

// T returns the message for key in lang, formatted with args. An unknown key
// returns the key itself so that a gap is visible rather than silent.
func T(lang Lang, key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	s := m.NL
	if lang == EN {
		s = m.EN
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// Has reports whether key is in the catalogue.
func Has(key string) bool {
	_, ok := messages[key]
	return ok
}

// Keys returns every key in the catalogue, for tests.
func Keys() []string {
	keys := make([]string, 0, len(messages))
	for k := range messages {
		keys = append(keys, k)
	}
	return keys
}
