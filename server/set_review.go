package server

import (
	"strings"

	"atelier/disclosure"
	"atelier/exports"
	"atelier/i18n"
)

// review is what the steward's review page shows of a checked set: the
// summary first (sizes of the set, figures published and hidden, the
// information lost, what is fully hidden per cluster, the rules), then
// every figure grouped per cluster and variable. It is built once per
// request from the stored Result; the template only lays it out.
type review struct {
	Clusters, Variables        int
	Figures, Published, Hidden int
	Primary, Secondary         int
	HiddenShare                string
	Lost                       []lossRow
	PerCluster                 []clusterRow
	Rules                      []ruleRow
	Groups                     []cellGroup
	Problems                   []string
	Labels                     labelForm
	Safe                       bool
}

type lossRow struct {
	Name       string
	Hidden     int
	Figures    int
	Households string // "" when the total it follows from is hidden too
}

type clusterRow struct {
	ID, Name    string
	Size        string
	Hidden      int
	Figures     int
	FullyHidden []string
}

type ruleRow struct{ Name, Value string }

// cellGroup is one cluster (or the population) in the per-figure table.
type cellGroup struct {
	ID, Name       string
	Figures, Count int // figures, and how many of them are hidden
	Vars           []cellVar
}

type cellVar struct {
	Name string
	Rows []cellRow
}

type cellRow struct {
	Category string
	Value    string
	Hidden   bool
	Status   string
	Reasons  string
	Audit    string
	Search   string // lower-case text the page's search matches
}

// labelForm holds the labels a steward may correct while a set is pending.
type labelForm struct {
	Name      string
	Clusters  []labelField
	Variables []variableLabels
}

type labelField struct {
	Index int
	ID    string
	Label string
}

type variableLabels struct {
	labelField
	Categories []labelField
}

// buildReview turns a result into the review page's data, in v's language.
func buildReview(res *disclosure.Result, v view) *review {
	lang := v.Lang
	r := &review{
		Clusters: len(res.Clusters), Variables: len(res.Variables), Safe: res.Safe,
		Figures: res.Summary.Figures, Published: res.Summary.Published,
		Primary: res.Summary.Primary, Secondary: res.Summary.Secondary,
	}
	r.Hidden = r.Primary + r.Secondary
	if r.Figures > 0 {
		r.HiddenShare = i18n.Percent(lang, 100*float64(r.Hidden)/float64(r.Figures), 1)
	}
	for _, p := range res.Problems {
		r.Problems = append(r.Problems, exports.ProblemText(p, lang))
	}
	for _, l := range res.Summary.Lost {
		row := lossRow{Name: variableTitle(res, l.Variable, lang), Hidden: l.Hidden, Figures: l.Figures}
		if l.Households != nil {
			row.Households = i18n.Int(lang, *l.Households)
		}
		r.Lost = append(r.Lost, row)
	}
	r.Rules = rulesRows(res.Rules, lang)
	groups := append(append([]disclosure.ClusterFigures{}, res.Clusters...), res.Population)
	for gi, cf := range groups {
		name := clusterTitle(cf, lang)
		g := cellGroup{ID: cf.ID, Name: name}
		cr := clusterRow{ID: cf.ID, Name: name, Size: v.Figure(cf.Size)}
		add := func(cv *cellVar, category string, f disclosure.Figure, value string) {
			row := cellRow{Category: category, Value: value, Hidden: f.Status != disclosure.Published}
			g.Figures++
			cr.Figures++
			if row.Hidden {
				g.Count++
				cr.Hidden++
				row.Status = i18n.T(lang, "set.status."+string(f.Status))
				var reasons []string
				for _, m := range f.Reasons {
					reasons = append(reasons, exports.MessageText(m, lang))
				}
				row.Reasons = strings.Join(reasons, "; ")
				row.Audit = v.Audit(f.Audit)
			} else {
				row.Status = i18n.T(lang, "steward.status.published")
			}
			row.Search = strings.ToLower(strings.Join([]string{name, cv.Name, category, row.Status, row.Reasons}, " "))
			cv.Rows = append(cv.Rows, row)
		}
		size := cellVar{Name: i18n.T(lang, "steward.size_row")}
		add(&size, "", cf.Size, v.Figure(cf.Size))
		g.Vars = append(g.Vars, size)
		for vi, vf := range cf.Variables {
			info := res.Variables[vi]
			cv := cellVar{Name: variableTitle(res, info.Name, lang)}
			for k, f := range vf.Counts {
				add(&cv, info.Categories[k], f, v.Figure(f))
			}
			if m := vf.Magnitude; m != nil {
				value := v.Figure(*m)
				if mean, ok := m.Mean(); ok {
					value = i18n.T(lang, "steward.mean_of", i18n.Number(lang, mean, 1), i18n.Int(lang, *m.Contributors))
				}
				add(&cv, "", *m, value)
			}
			if vf.FullyHidden() {
				cr.FullyHidden = append(cr.FullyHidden, cv.Name)
			}
			g.Vars = append(g.Vars, cv)
		}
		r.Groups = append(r.Groups, g)
		if gi < len(res.Clusters) {
			r.PerCluster = append(r.PerCluster, cr)
		}
	}
	r.Labels = labelFormOf(res)
	return r
}

func clusterTitle(cf disclosure.ClusterFigures, lang i18n.Lang) string {
	switch {
	case cf.ID == disclosure.PopulationID:
		return i18n.T(lang, "set.population")
	case cf.Label != "":
		return cf.Label
	}
	return cf.ID
}

// variableTitle names a variable by its label; "" is the cluster sizes.
func variableTitle(res *disclosure.Result, name string, lang i18n.Lang) string {
	if name == "" {
		return i18n.T(lang, "steward.size_row")
	}
	for _, v := range res.Variables {
		if v.Name == name && v.Label != "" {
			return v.Label
		}
	}
	return name
}

func rulesRows(r disclosure.Rules, lang i18n.Lang) []ruleRow {
	return []ruleRow{
		{i18n.T(lang, "steward.rule.min"), i18n.Int(lang, r.MinFrequency)},
		{i18n.T(lang, "steward.rule.complement"), i18n.Int(lang, r.MinComplement)},
		{i18n.T(lang, "steward.rule.share"), i18n.Percent(lang, r.MaxShare, 0)},
		{i18n.T(lang, "steward.rule.dominance"), i18n.T(lang, "steward.rule.dominance_v", i18n.Fixed(lang, r.Dominance1, 0), i18n.Fixed(lang, r.Dominance2, 0))},
		{i18n.T(lang, "steward.rule.p"), i18n.Percent(lang, r.P, 0)},
	}
}

func labelFormOf(res *disclosure.Result) labelForm {
	f := labelForm{Name: res.Name}
	for i, c := range res.Clusters {
		f.Clusters = append(f.Clusters, labelField{Index: i, ID: c.ID, Label: c.Label})
	}
	for i, v := range res.Variables {
		vl := variableLabels{labelField: labelField{Index: i, ID: v.Name, Label: v.Label}}
		for k, c := range v.Categories {
			vl.Categories = append(vl.Categories, labelField{Index: k, ID: c, Label: c})
		}
		f.Variables = append(f.Variables, vl)
	}
	return f
}
