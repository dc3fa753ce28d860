package pii

import (
	"strings"

	"atelier/i18n"
)

// DescribeRedactions renders what was removed for the author, for example
// "Verwijderd: 1 e-mailadres, 2 telefoonnummers." It adds up repeated kinds
// (a caller may concatenate the lists of several fields) and returns "" when
// nothing was removed.
func DescribeRedactions(rs []Redaction, lang i18n.Lang) string {
	return describe(rs, lang, "privacy.removed")
}

// DescribeFindings warns the author before sending, for example "Dit lijkt
// persoonsgegevens te bevatten: 1 telefoonnummer. …", or returns "".
func DescribeFindings(rs []Redaction, lang i18n.Lang) string {
	return describe(rs, lang, "privacy.found")
}

func describe(rs []Redaction, lang i18n.Lang, key string) string {
	counts := make(map[Kind]int)
	for _, r := range rs {
		if r.Count > 0 {
			counts[r.Kind] += r.Count
		}
	}
	var parts []string
	for _, k := range Kinds {
		n := counts[k]
		if n == 0 {
			continue
		}
		parts = append(parts, i18n.N(lang, "privacy.count."+string(k), n))
	}
	if len(parts) == 0 {
		return ""
	}
	return i18n.T(lang, key, strings.Join(parts, ", "))
}

// DescribeNames asks the author about words that look like names, for
// example "Staat hier een naam in (Jansen)? …", or returns "".
func DescribeNames(names []string, lang i18n.Lang) string {
	if len(names) == 0 {
		return ""
	}
	return i18n.T(lang, "privacy.names", strings.Join(names, ", "))
}
