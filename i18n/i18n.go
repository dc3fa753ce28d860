// Package i18n is Atelier's message catalogue and its locale formatting.
// Every string shown to a person comes from here, in Dutch first and English
// second, and so does every number and date written into one.
//
// Messages are Go maps, one file per area (ui, profiles, sessions), so that a
// missing translation is a compile-time-visible gap and a test can check that
// every key has both languages. Each file registers its own map, so that a
// new area adds a file and touches no other. A message that counts
// something has a form per plural category, key.one and key.other, and is
// asked for with N.
//
// Numbers (Fixed, Number, Int, Percent) are written with golang.org/x/text
// in each language's style, dates (Date, DateTime) with the month names of
// the catalogue.
package i18n

import (
	"fmt"
	"sort"
	"strings"

	"golang.org/x/text/language"
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

// tags are the language tags of Langs, in the same order.
var tags = []language.Tag{language.Dutch, language.English}

// tag returns lang's language tag; an unknown Lang is treated as Default.
func (lang Lang) tag() language.Tag {
	if lang == EN {
		return language.English
	}
	return language.Dutch
}

// Text is one message in every supported language. Format verbs may use
// explicit argument indexes (%[1]s) so that translations can reorder them.
type Text struct {
	NL string
	EN string
}

// messages is the whole catalogue, filled by register before main runs:
// package-level variables are initialised before any init function.
var messages = map[string]Text{}

// register adds one area's messages to the catalogue. Each messages_*.go
// file calls it from its own init. A key defined twice panics at start-up,
// so that two areas can never silently overwrite each other.
func register(area map[string]Text) {
	for k, v := range area {
		if _, dup := messages[k]; dup {
			panic("i18n: duplicate message key " + k)
		}
		messages[k] = v
	}
}

// Parse returns the supported language named by s ("nl", "en-GB", ...), or
// Default when s names none. It reads a cookie or a command-line value; a
// browser's Accept-Language header goes through FromAcceptLanguage.
func Parse(s string) Lang {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, l := range Langs {
		if s == string(l) || strings.HasPrefix(s, string(l)+"-") {
			return l
		}
	}
	return Default
}

// matcher picks the supported language closest to what a browser asks for.
// Its first tag, Dutch, is what it returns when nothing matches.
var matcher = language.NewMatcher(tags)

// FromAcceptLanguage picks the supported language that best fits an
// Accept-Language header, weighing its q-values: "en;q=0.9, nl;q=0.8" is
// English, "fr, en;q=0.5" is English, "de" and an unreadable header are
// Dutch.
func FromAcceptLanguage(header string) Lang {
	desired := parseAcceptLanguage(header)
	if len(desired) == 0 {
		return Default
	}
	_, i, conf := matcher.Match(desired...)
	if conf == language.No {
		return Default
	}
	return Langs[i]
}

// parseAcceptLanguage returns the tags of header, most wanted first. The
// language package rejects a whole header for one unknown or malformed
// entry; then each entry is read on its own and the bad ones are skipped,
// so that "xx-bogus, en;q=0.5" still finds English.
func parseAcceptLanguage(header string) []language.Tag {
	desired, _, err := language.ParseAcceptLanguage(header)
	if err == nil {
		return desired
	}
	type weighted struct {
		tag language.Tag
		q   float32
	}
	var all []weighted
	for _, part := range strings.Split(header, ",") {
		ts, qs, err := language.ParseAcceptLanguage(part)
		if err != nil || len(ts) != 1 {
			continue
		}
		all = append(all, weighted{ts[0], qs[0]})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].q > all[j].q })
	desired = make([]language.Tag, len(all))
	for i, w := range all {
		desired[i] = w.tag
	}
	return desired
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
