package exports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"atelier/disclosure"
)

// Labels are readable names for what microdata call by a code: clusters
// ("3" → "Eenoudergezinnen in de bijstand"), variables ("hhtype" →
// "Huishoudtype") and the categories of a frequency variable ("hhtype":
// "1" → "eenoudergezin"). A researcher gives them to `atelier profile`
// (a labels file, or -label flags); a steward may give them in the
// metadata sidecar at import ("labels"). Labels change names only, never
// a figure.
type Labels struct {
	Clusters   map[string]string            `json:"clusters,omitempty"`
	Variables  map[string]string            `json:"variables,omitempty"`
	Categories map[string]map[string]string `json:"categories,omitempty"`
}

// Empty reports whether l names nothing.
func (l Labels) Empty() bool {
	return len(l.Clusters) == 0 && len(l.Variables) == 0 && len(l.Categories) == 0
}

// ReadLabels reads a labels file: the JSON object of Labels, nothing else.
func ReadLabels(name string, r io.Reader) (Labels, error) {
	data, err := readLimited(name, io.LimitReader(r, 1<<20))
	if err != nil {
		return Labels{}, err
	}
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	dec.DisallowUnknownFields()
	var l Labels
	if err := dec.Decode(&l); err != nil {
		line := 1
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line = 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		}
		return Labels{}, errAt(name, line, 0, "", "profiles.error.json", err.Error())
	}
	return l, nil
}

// Add reads one label from the command line: "VARIABLE=Label" names a
// variable, "VARIABLE:CODE=Label" one of its categories and
// "cluster:ID=Label" a cluster.
func (l *Labels) Add(spec string) error {
	key, label, ok := strings.Cut(spec, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		return fmt.Errorf("label %q: want NAME=Label, NAME:CODE=Label or cluster:ID=Label", spec)
	}
	variable, code, isCategory := strings.Cut(key, ":")
	switch {
	case isCategory && variable == "cluster":
		if l.Clusters == nil {
			l.Clusters = map[string]string{}
		}
		l.Clusters[code] = label
	case isCategory:
		if l.Categories == nil {
			l.Categories = map[string]map[string]string{}
		}
		if l.Categories[variable] == nil {
			l.Categories[variable] = map[string]string{}
		}
		l.Categories[variable][code] = label
	default:
		if l.Variables == nil {
			l.Variables = map[string]string{}
		}
		l.Variables[key] = label
	}
	return nil
}

// ApplyLabels gives e's clusters, variables and categories the labels of
// l. A label that names nothing in e, is empty, too long or holds a line
// break, or would give two categories of one variable the same name, is
// refused with the file and field at fault: a typo must not pass silently.
func ApplyLabels(e *disclosure.Export, l Labels, file string) error {
	check := func(field, label string, limit int) error {
		switch {
		case strings.TrimSpace(label) == "":
			return errAt(file, 0, 0, field, "profiles.error.required")
		case utf8.RuneCountInString(label) > limit:
			return errAt(file, 0, 0, field, "profiles.error.too_long", limit)
		case strings.IndexFunc(label, unicode.IsControl) >= 0:
			return errAt(file, 0, 0, field, "profiles.error.control")
		}
		return nil
	}
	for id, label := range l.Clusters {
		ci := clusterIndex(e, id)
		if ci < 0 {
			return errAt(file, 0, 0, "clusters."+id, "profiles.error.label_unknown", id)
		}
		if err := check("clusters."+id, label, MaxLabelLen); err != nil {
			return err
		}
		e.Clusters[ci].Label = strings.TrimSpace(label)
	}
	for name, label := range l.Variables {
		vi := variableIndex(e, name)
		if vi < 0 {
			return errAt(file, 0, 0, "variables."+name, "profiles.error.label_unknown", name)
		}
		if err := check("variables."+name, label, MaxLabelLen); err != nil {
			return err
		}
		e.Variables[vi].Label = strings.TrimSpace(label)
	}
	for name, codes := range l.Categories {
		vi := variableIndex(e, name)
		if vi < 0 || e.Variables[vi].Kind != disclosure.Frequency {
			return errAt(file, 0, 0, "categories."+name, "profiles.error.label_unknown", name)
		}
		cats := append([]string(nil), e.Variables[vi].Categories...)
		for code, label := range codes {
			k := indexOf(e.Variables[vi].Categories, code)
			if k < 0 {
				return errAt(file, 0, 0, "categories."+name+"."+code, "profiles.error.label_unknown", code)
			}
			if err := check("categories."+name+"."+code, label, MaxFieldLen); err != nil {
				return err
			}
			cats[k] = strings.TrimSpace(label)
		}
		// Pages know a category by its text: two may not read the same.
		seen := map[string]bool{}
		for _, c := range cats {
			if seen[c] {
				return errAt(file, 0, 0, "categories."+name, "profiles.error.label_twice", c)
			}
			seen[c] = true
		}
		e.Variables[vi].Categories = cats
	}
	return nil
}

// clusterIndex finds a cluster by its id, or else by its current label:
// `atelier profile` numbers clusters C1, C2, ... and labels them with the
// microdata's value, which is the name a researcher knows them by.
func clusterIndex(e *disclosure.Export, id string) int {
	for i, c := range e.Clusters {
		if c.ID == id {
			return i
		}
	}
	for i, c := range e.Clusters {
		if c.Label == id {
			return i
		}
	}
	return -1
}

func variableIndex(e *disclosure.Export, name string) int {
	for i, v := range e.Variables {
		if v.Name == name {
			return i
		}
	}
	return -1
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
