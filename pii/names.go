package pii

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Names are not removed: no list tells a name from a word, a street or a
// shop, and a guard that removed "Roos" and "Bakker" would spoil ordinary
// notes. The guard helps the author instead: before a text is sent, the
// phone warns when it holds a capitalised word from a public list of common
// first names and surnames (names_nl.txt, built by scripts/names-nl.py), and
// the author decides. The list stays on the server: the phone asks
// /api/privacy-check, which it asks anyway, and gets back only words of its
// own text.

//go:embed names_nl.txt
var namesFile string

var (
	namesOnce sync.Once
	// names maps a lower-case name to whether it is also an ordinary word.
	names map[string]bool
)

func loadNames() {
	names = make(map[string]bool, 13000)
	for _, line := range strings.Split(namesFile, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		name, word := strings.CutSuffix(line, " *")
		names[name] = word
	}
}

// maxNames bounds how many words Names returns: a few are enough to warn.
const maxNames = 5

// Names returns the words of text that look like names, each once, in the
// order they appear, at most five: a word starting with a capital (and not
// all capitals, like "BSN") that is on the list. A name that is also an
// ordinary word ("Roos", "Bos", "Mark") counts only inside a sentence, where
// Dutch writes ordinary words in lower case.
func Names(text string) []string {
	namesOnce.Do(loadNames)
	var out []string
	start := true // at the start of a sentence
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			if strings.ContainsRune(".!?:;\n\r•*\"“(", r) {
				start = true
			}
			i += size
			continue
		}
		j := i + size
		for j < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsLetter(r2) {
				break
			}
			j += s2
		}
		word := text[i:j]
		if unicode.IsUpper(r) && word != strings.ToUpper(word) {
			if alsoWord, ok := names[strings.ToLower(word)]; ok && !(alsoWord && start) && !contains(out, word) {
				out = append(out, word)
				if len(out) == maxNames {
					break
				}
			}
		}
		start = false
		i = j
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
