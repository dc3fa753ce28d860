package charts

// Finding a cluster's and a variable's figures in a Result, and naming
// them.

import (
	"fmt"

	"atelier/disclosure"
	"atelier/i18n"
)

// marker is the suppression marker in lang.
func marker(lang i18n.Lang) string { return i18n.T(lang, "charts.suppressed") }

// clusterName is the label of a cluster, or its id when it has none.
func clusterName(cf disclosure.ClusterFigures) string {
	if cf.Label != "" {
		return cf.Label
	}
	return cf.ID
}

// variableName is the label of a variable, or its name when it has none.
func variableName(v disclosure.VariableInfo) string {
	if v.Label != "" {
		return v.Label
	}
	return v.Name
}

// findVariable returns the index of the variable named name.
func findVariable(res *disclosure.Result, name string) (int, error) {
	for i, v := range res.Variables {
		if v.Name == name {
			return i, nil
		}
	}
	return 0, fmt.Errorf("charts: variable %q: %w", name, ErrNotFound)
}

// findCluster returns the cluster with the given id.
func findCluster(res *disclosure.Result, id string) (disclosure.ClusterFigures, error) {
	for _, cf := range res.Clusters {
		if cf.ID == id {
			return cf, nil
		}
	}
	return disclosure.ClusterFigures{}, fmt.Errorf("charts: cluster %q: %w", id, ErrNotFound)
}

// aligned checks that a cluster's figures match the Result's variables, so
// that indexing by variable cannot panic on a malformed Result.
func aligned(res *disclosure.Result, vi int, groups []group) error {
	v := res.Variables[vi]
	for _, g := range groups {
		if len(g.fig.Variables) != len(res.Variables) {
			return fmt.Errorf("charts: cluster %q has %d variables, want %d", g.fig.ID, len(g.fig.Variables), len(res.Variables))
		}
		vf := g.fig.Variables[vi]
		switch v.Kind {
		case disclosure.Frequency:
			if len(vf.Counts) != len(v.Categories) {
				return fmt.Errorf("charts: cluster %q, variable %q: %d counts for %d categories", g.fig.ID, v.Name, len(vf.Counts), len(v.Categories))
			}
		case disclosure.Magnitude:
			if vf.Magnitude == nil {
				return fmt.Errorf("charts: cluster %q, variable %q: no magnitude", g.fig.ID, v.Name)
			}
		default:
			return fmt.Errorf("charts: variable %q: unknown kind %q", v.Name, v.Kind)
		}
	}
	return nil
}

// published returns a figure's count when it is published.
func published(f disclosure.Figure) (int64, bool) {
	if f.Status != disclosure.Published || f.Count == nil {
		return 0, false
	}
	return *f.Count, true
}
