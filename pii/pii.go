// Package pii is Atelier's privacy guard (DESIGN.md principle 3, "No
// personal data"): every free text is screened for personal identifiers
// before it is stored, and what is found is replaced by a marker, not kept
// aside. The live engine, session titles and questions, and
// /api/privacy-check all use this one guard, so a warning before sending
// and the removal after it cannot disagree.
//
// How a text is screened:
//   - normalise first (normalize.go): Unicode NFKC, format and zero-width
//     characters dropped, dashes, spaces, digits and apostrophes folded,
//     defanged forms ("hxxp", "[.]", "(at)") undone. Every byte of the
//     normalised text remembers the bytes of the original it came from;
//   - run the detectors (one file each: email.go, url.go, iban.go, bsn.go,
//     phone.go, postcode.go, birthdate.go) on the normalised text;
//   - map what they found back onto the original and replace it there, so
//     the rest of the text is stored exactly as it was written.
//
// Rules of the guard itself:
//   - Redact never logs, and a Redaction carries a kind and a count only,
//     never a removed substring, so the original text cannot leak through it.
//   - Detection is deliberately a little eager on strong patterns (an e-mail
//     address, a number that passes the elfproef or mod-97) and deliberately
//     strict on weak ones (ordinary numbers, years, amounts, percentages,
//     times, a postcode on its own), so that workshop notes full of numbers
//     survive intact.
//   - Markers contain no digits, '@', '.', ':' or '/', so no detector can
//     match a marker or part of one. Redact repeats its pass until nothing
//     more is found (each pass removes original text, so this ends); its
//     output is therefore a fixed point: Redact(Redact(x)) == Redact(x).
//   - All regular expressions are RE2 (linear time); the detectors with a
//     validation step retry only inside a rejected candidate, in a bounded
//     window, so the whole guard stays linear-ish in the text length.
//   - Names are not removed: a list of common first names and surnames can
//     only hint (names.go), and the author decides.
//
// Deliberately not detected (documented decisions):
//   - a postcode without house number ("1234 AB"): it names a street segment
//     of some 15–25 addresses, not a household, and the shape collides with
//     ordinary text ("1500 MB", "2024 en"); street names with numbers
//     ("Kerkstraat 12") are not detected either;
//   - "naam at domein.nl" (spoken "at" with a real dot): too close to English
//     "look at website.nl"; the bracketed "naam(at)domein.nl", the spaced
//     "naam @ domein . nl" and the fully spelled "naam at domein punt nl" are
//     detected;
//   - dates without a year ("op 12 maart"), a year alone, a month and year
//     ("maart 1985"), and two-digit-year dates whose day and month both have
//     one digit ("1-2-10", too close to scores and fractions);
//   - service numbers (0800, 0900).
package pii

import (
	"strings"
	"time"
	"unicode/utf8"

	"atelier/i18n"
)

// Kind names a kind of personal identifier.
type Kind string

// The kinds of personal identifier the guard detects.
const (
	Email     Kind = "email"
	Phone     Kind = "phone"
	BSN       Kind = "bsn"
	IBAN      Kind = "iban"
	Postcode  Kind = "postcode"
	Birthdate Kind = "birthdate"
	URL       Kind = "url"
)

// Kinds lists every kind in the order Redact reports them.
var Kinds = []Kind{Email, Phone, BSN, IBAN, Postcode, Birthdate, URL}

// Redaction reports what was removed from a text: a kind and how many, never
// the removed text itself.
type Redaction struct {
	Kind  Kind
	Count int
}

// Marker is the text that replaces an identifier of kind k, for example
// "[e-mailadres verwijderd]" or "[e-mail address removed]".
func (k Kind) Marker(lang i18n.Lang) string {
	return i18n.T(lang, "privacy.marker."+string(k))
}

// maxPasses bounds Redact's repeated passes. Markers are inert, so a text
// reaches its fixed point in a few passes; the bound only keeps a bug from
// becoming an endless loop.
const maxPasses = 64

// Redact returns text with every personal identifier replaced by a marker in
// lang, and what was removed (in the order of Kinds, counts > 0 only).
// Invalid UTF-8 is replaced by U+FFFD first, so the result is always valid.
// Callers that store text refuse invalid text with CheckText before.
func Redact(text string, lang i18n.Lang) (string, []Redaction) {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	maxYear := time.Now().Year()
	counts := make(map[Kind]int)
	for range maxPasses {
		n := normalize(text)
		spans := n.original(findPII(n.s, maxYear))
		if len(spans) == 0 {
			break
		}
		var b strings.Builder
		b.Grow(len(text) + 16*len(spans))
		last := 0
		for _, s := range spans {
			b.WriteString(text[last:s.start])
			b.WriteString(s.kind.Marker(lang))
			last = s.end
			counts[s.kind]++
		}
		b.WriteString(text[last:])
		text = b.String()
	}
	var rs []Redaction
	for _, k := range Kinds {
		if n := counts[k]; n > 0 {
			rs = append(rs, Redaction{Kind: k, Count: n})
		}
	}
	return text, rs
}

// span is one detected identifier: text[start:end].
type span struct {
	start, end int
	kind       Kind
}
