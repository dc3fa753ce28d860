package exports

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"atelier/disclosure"
	"atelier/i18n"
)

// ProblemText renders p in lang, naming the figure it concerns.
func ProblemText(p disclosure.Problem, lang i18n.Lang) string {
	where := p.Cluster
	if p.Variable != "" {
		where += " / " + p.Variable
	}
	if p.Category != "" {
		where += " / " + p.Category
	}
	if where == "" {
		return MessageText(p.Message, lang)
	}
	return where + ": " + MessageText(p.Message, lang)
}

// MessageText renders a disclosure message in lang.
func MessageText(m disclosure.Message, lang i18n.Lang) string { return i18n.T(lang, m.Key, m.Args...) }

// ReasonText renders the reasons of a figure in lang, for the steward and
// the researcher (never for viewers: they see only that a figure is
// suppressed, not why).
func ReasonText(f disclosure.Figure, lang i18n.Lang) string {
	var parts []string
	for _, m := range f.Reasons {
		parts = append(parts, MessageText(m, lang))
	}
	return strings.Join(parts, "; ")
}

func formatAmount(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// WriteCheckedCSV writes the checked file: the export's rows without top1
// and top2, with status and reason (in lang), suppressed values left empty,
// and the population rows (cluster "_all") after the clusters.
func WriteCheckedCSV(w io.Writer, res *disclosure.Result, lang i18n.Lang) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(checkedHeader); err != nil {
		return err
	}
	write := func(cf disclosure.ClusterFigures, label string) error {
		row := func(variable, vlabel, category string, f disclosure.Figure) []string {
			rec := make([]string, len(checkedHeader))
			rec[0], rec[1], rec[2], rec[3], rec[4] = cf.ID, label, variable, vlabel, category
			if f.Count != nil {
				rec[5] = strconv.FormatInt(*f.Count, 10)
			}
			if f.Sum != nil {
				rec[6] = formatAmount(*f.Sum)
			}
			if f.Contributors != nil {
				rec[7] = strconv.FormatInt(*f.Contributors, 10)
			}
			if f.Apriori {
				rec[8] = "1"
			}
			rec[9] = string(f.Status)
			rec[10] = ReasonText(f, lang)
			return rec
		}
		if err := cw.Write(row("", "", "", cf.Size)); err != nil {
			return err
		}
		for vi, v := range res.Variables {
			vf := cf.Variables[vi]
			if v.Kind == disclosure.Frequency {
				for k, cat := range v.Categories {
					if err := cw.Write(row(v.Name, v.Label, cat, vf.Counts[k])); err != nil {
						return err
					}
				}
			} else if err := cw.Write(row(v.Name, v.Label, "", *vf.Magnitude)); err != nil {
				return err
			}
		}
		return nil
	}
	for _, cf := range res.Clusters {
		if err := write(cf, cf.Label); err != nil {
			return err
		}
	}
	if err := write(res.Population, ""); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// reportCell is one figure in report.json.
type reportCell struct {
	Cluster  string               `json:"cluster"`
	Variable string               `json:"variable,omitempty"`
	Category string               `json:"category,omitempty"`
	Status   disclosure.Status    `json:"status"`
	Rules    []string             `json:"rules,omitempty"`
	Reason   string               `json:"reason,omitempty"`
	Audit    *disclosure.Interval `json:"audit,omitempty"`
}

// WriteReport writes report.json: per figure its status, the rules that
// hit it (catalogue keys and words in lang) and, when suppressed, its audit
// interval; then the problems and a summary. Published values are not
// repeated here and suppressed ones are never present.
func WriteReport(w io.Writer, res *disclosure.Result, lang i18n.Lang) error {
	var cells []reportCell
	add := func(cf disclosure.ClusterFigures) {
		one := func(variable, category string, f disclosure.Figure) {
			rc := reportCell{Cluster: cf.ID, Variable: variable, Category: category, Status: f.Status, Audit: f.Audit}
			for _, m := range f.Reasons {
				rc.Rules = append(rc.Rules, m.Key)
			}
			rc.Reason = ReasonText(f, lang)
			cells = append(cells, rc)
		}
		one("", "", cf.Size)
		for vi, v := range res.Variables {
			vf := cf.Variables[vi]
			if v.Kind == disclosure.Frequency {
				for k, cat := range v.Categories {
					one(v.Name, cat, vf.Counts[k])
				}
			} else {
				one(v.Name, "", *vf.Magnitude)
			}
		}
	}
	for _, cf := range res.Clusters {
		add(cf)
	}
	add(res.Population)
	var problems []string
	for _, p := range res.Problems {
		problems = append(problems, ProblemText(p, lang))
	}
	doc := struct {
		Name     string             `json:"name"`
		Meta     disclosure.Meta    `json:"meta"`
		Rules    disclosure.Rules   `json:"rules"`
		Safe     bool               `json:"safe"`
		Verdict  string             `json:"verdict"`
		Summary  disclosure.Summary `json:"summary"`
		Problems []string           `json:"problems,omitempty"`
		Cells    []reportCell       `json:"cells"`
	}{res.Name, res.Meta, res.Rules, res.Safe, verdict(res, lang), res.Summary, problems, cells}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func verdict(res *disclosure.Result, lang i18n.Lang) string {
	if res.Safe {
		return i18n.N(lang, "profiles.report.safe", res.Summary.Primary, i18n.Int(lang, int64(res.Summary.Secondary)))
	}
	return i18n.N(lang, "profiles.report.unsafe", len(res.Problems))
}

// LossText says in lang what suppression hid of one variable: "huishoudtype:
// 3 van 24 cijfers afgeschermd (41 huishoudens)".
func LossText(l disclosure.Loss, lang i18n.Lang) string {
	name := l.Variable
	if name == "" {
		name = i18n.T(lang, "set.sizes")
	}
	if l.Households == nil {
		return i18n.T(lang, "set.lost", name, l.Hidden, l.Figures)
	}
	return i18n.T(lang, "set.lost_households", name, l.Hidden, l.Figures, *l.Households)
}
