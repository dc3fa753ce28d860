package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"atelier/disclosure"
	"atelier/exports"
	"atelier/internal/demo"
)

func runDemoData(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "demo-data", "demo-data -households N -seed S -out microdata.csv")
	households := fs.Int("households", 1200, "number of synthetic households")
	seed := fs.Int64("seed", 2026, "random seed; the same seed gives the same file")
	out := fs.String("out", "", "where to write the synthetic microdata CSV")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || *households < 1 {
		fs.Usage()
		return errUsage
	}
	if err := writeFileWith(*out, func(w io.Writer) error { return demo.GenerateMicrodata(w, *households, *seed) }); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d synthetic households written to %s (synthetic data, no real households)\n", *households, *out)
	return nil
}

// runProfile is what a researcher runs inside the secure environment:
// microdata in, the long export out (top1 and top2 included: they stay
// inside), and the check's verdict on it.
func runProfile(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "profile", "profile -in microdata.csv -cluster COLUMN [-vars a,b,c] [-labels labels.json] [-label NAME=Label ...] -out export.csv [-checked checked.csv] [-report report.json]")
	in := fs.String("in", "", "household-level microdata CSV")
	cluster := fs.String("cluster", "", "column that holds each household's cluster")
	vars := fs.String("vars", "", "comma-separated columns to profile (default: all but the cluster and id columns)")
	out := fs.String("out", "", "where to write the export (long CSV)")
	checked := fs.String("checked", "", "also write the checked file (what may leave the secure environment)")
	report := fs.String("report", "", "also write the check report JSON")
	labelsFile := fs.String("labels", "", "readable labels for clusters, variables and categories (JSON, see docs/profile-format.md)")
	var labels exports.Labels
	fs.Func("label", "one readable label: NAME=Label (variable), NAME:CODE=Label (category), cluster:ID=Label; repeatable, wins over -labels", func(spec string) error {
		return labels.Add(spec)
	})
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *in == "" || *cluster == "" || *out == "" {
		fs.Usage()
		return errUsage
	}
	lang := cliLang(e)
	body, err := os.ReadFile(*in)
	if err != nil {
		return err
	}
	var columns []string
	for _, v := range strings.Split(*vars, ",") {
		if v = strings.TrimSpace(v); v != "" {
			columns = append(columns, v)
		}
	}
	export, err := exports.BuildExport(filepath.Base(*in), bytes.NewReader(body), *cluster, columns)
	if err != nil {
		return exitError{code: 1, msg: userMessage(err, lang)}
	}
	// Labels from the file first, then the flags over them; both name
	// what the microdata call by a code, and a name that is not there is
	// an error, not a silent no-op.
	if *labelsFile != "" {
		f, err := os.Open(*labelsFile)
		if err != nil {
			return err
		}
		fromFile, err := exports.ReadLabels(filepath.Base(*labelsFile), f)
		f.Close()
		if err != nil {
			return exitError{code: 1, msg: userMessage(err, lang)}
		}
		if err := exports.ApplyLabels(export, fromFile, filepath.Base(*labelsFile)); err != nil {
			return exitError{code: 1, msg: userMessage(err, lang)}
		}
	}
	if err := exports.ApplyLabels(export, labels, "-label"); err != nil {
		return exitError{code: 1, msg: userMessage(err, lang)}
	}
	if err := writeFileWith(*out, func(w io.Writer) error { return exports.WriteExportCSV(w, export) }); err != nil {
		return err
	}
	res, err := disclosure.Check(export, disclosure.DefaultRules())
	if err != nil {
		return exitError{code: 1, msg: userMessage(err, lang)}
	}
	if *checked != "" {
		if err := writeFileWith(*checked, func(w io.Writer) error { return exports.WriteCheckedCSV(w, res, lang) }); err != nil {
			return err
		}
	}
	if *report != "" {
		if err := writeFileWith(*report, func(w io.Writer) error { return exports.WriteReport(w, res, lang) }); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "export written to %s (%d clusters, %d variables)\n", *out, len(export.Clusters), len(export.Variables))
	printSummary(e, res, lang)
	if !res.Safe {
		return exitError{code: 1}
	}
	return nil
}
