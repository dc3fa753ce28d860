package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"atelier/accounts"
	"atelier/disclosure"
	"atelier/exports"
	"atelier/i18n"
	"atelier/profiles"
	"atelier/store"
)

// cliLang is the language of messages on the command line: ATELIER_LANG,
// else the locale's LANG (nl_NL.UTF-8), else Dutch.
func cliLang(e env) i18n.Lang {
	for _, key := range []string{"ATELIER_LANG", "LANG"} {
		if v := e.getenv(key); v != "" && v != "C" && v != "POSIX" {
			v = strings.ReplaceAll(strings.SplitN(v, ".", 2)[0], "_", "-")
			return i18n.Parse(v)
		}
	}
	return i18n.Default
}

// splitPositional lets a command take its file before or after the flags:
// `atelier check IN.csv -out X` and `atelier check -out X IN.csv`.
func splitPositional(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

// readExport reads a CSV or JSON export, with its NAME.meta.json sidecar
// when there is one.
func readExport(path string) (*disclosure.Export, error) {
	body, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	meta, err := os.ReadFile(exports.MetaPath(path))
	if errors.Is(err, os.ErrNotExist) {
		meta, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	return exports.ReadExport(filepath.Base(path), body, meta)
}

// userMessage renders an error for a person in lang: the message of an
// *apperr.Error, and the plain text of anything else (a missing file, say).
func userMessage(err error, lang i18n.Lang) string {
	return i18n.ErrorText(lang, err, err.Error())
}

func runCheck(ctx context.Context, e env, args []string) error {
	in, rest := splitPositional(args)
	fs := newFlagSet(e, "check", "check IN.csv|IN.json -out checked.csv [-report report.json]")
	out := fs.String("out", "", "where to write the checked CSV (status and reason per figure, suppressed values empty)")
	report := fs.String("report", "", "where to write the report JSON (rule outcomes and audit interval per figure)")
	rulesFile := fs.String("rules", "", "JSON file with stricter rules than the defaults (see docs/profile-format.md)")
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	if in == "" && fs.NArg() == 1 {
		in = fs.Arg(0)
	}
	if in == "" || *out == "" {
		fs.Usage()
		return errUsage
	}
	lang := cliLang(e)
	rules, err := readRules(*rulesFile)
	if err != nil {
		return exitError{code: 1, msg: userMessage(err, lang)}
	}
	res, err := checkFile(in, rules)
	if err != nil {
		return exitError{code: 1, msg: userMessage(err, lang)}
	}
	if err := writeFileWith(*out, func(w io.Writer) error { return exports.WriteCheckedCSV(w, res, lang) }); err != nil {
		return err
	}
	if *report != "" {
		if err := writeFileWith(*report, func(w io.Writer) error { return exports.WriteReport(w, res, lang) }); err != nil {
			return err
		}
	}
	printSummary(e, res, lang)
	if !res.Safe {
		return exitError{code: 1}
	}
	return nil
}

func checkFile(path string, rules disclosure.Rules) (*disclosure.Result, error) {
	export, err := readExport(path)
	if err != nil {
		return nil, err
	}
	return disclosure.Check(export, rules)
}

// readRules reads a rules JSON file (profiles.Rules); no file means the
// defaults. Rules looser than the defaults are refused.
func readRules(path string) (disclosure.Rules, error) {
	r := disclosure.DefaultRules()
	if path == "" {
		return r, nil
	}
	body, err := os.ReadFile(path)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return r, fmt.Errorf("%s: %w", path, err)
	}
	return r, r.Validate()
}

// runProjectRules shows or sets a project's disclosure rules.
func runProjectRules(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "rules", "rules -project SLUG [-set rules.json] [-data DIR]")
	project := fs.String("project", "", "project slug")
	set := fs.String("set", "", "JSON file with stricter rules (min_frequency, min_complement, max_share, dominance_1, dominance_2, p)")
	dataDir := fs.String("data", envOr(e, "ATELIER_DATA", "./data"), "data folder (env ATELIER_DATA)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *project == "" {
		fs.Usage()
		return errUsage
	}
	db, err := store.Open(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	ps := profiles.NewStore(db)
	p, err := ps.ProjectBySlug(ctx, *project)
	if err != nil {
		return err
	}
	if p == nil {
		return fmt.Errorf("no project %q", *project)
	}
	if *set != "" {
		r, err := readRules(*set)
		if err != nil {
			return exitError{code: 1, msg: userMessage(err, cliLang(e))}
		}
		if err := ps.SetRules(ctx, p.ID, r, "cli", "cli"); err != nil {
			return exitError{code: 1, msg: userMessage(err, cliLang(e))}
		}
		p.Rules = r
	}
	out, _ := json.MarshalIndent(p.Rules, "", "  ")
	fmt.Fprintln(e.stdout, string(out))
	return nil
}

func printSummary(e env, res *disclosure.Result, lang i18n.Lang) {
	s := res.Summary
	count := func(n int) string { return i18n.Int(lang, int64(n)) }
	fmt.Fprintln(e.stdout, i18n.N(lang, "set.summary", s.Figures, count(s.Published), count(s.Primary), count(s.Secondary)))
	for _, l := range s.Lost {
		if l.Hidden == 0 {
			continue
		}
		fmt.Fprintln(e.stdout, "  "+exports.LossText(l, lang))
	}
	if res.Safe {
		fmt.Fprintln(e.stdout, i18n.T(lang, "set.safe"))
		return
	}
	fmt.Fprintln(e.stdout, i18n.T(lang, "set.not_safe"))
	for _, p := range res.Problems {
		fmt.Fprintln(e.stdout, "  -", exports.ProblemText(p, lang))
	}
}

// writeFileWith writes a file through a temporary name, so that a failed
// write never leaves half a file where a good one was.
func writeFileWith(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// stewardActor looks up the account a command acts for; workflow steps are
// a steward's, and the four-eyes rule needs to know which one.
func stewardActor(ctx context.Context, db *store.DB, email string) (profiles.Actor, error) {
	u, err := accounts.NewStore(db).UserByEmail(ctx, email)
	if err != nil {
		return profiles.Actor{}, fmt.Errorf("no account %s", email)
	}
	if u.Role != accounts.Steward {
		return profiles.Actor{}, fmt.Errorf("%s is a %s, not a steward", email, u.Role)
	}
	return profiles.Actor{UserID: u.ID, Name: "user:" + strconv.FormatInt(u.ID, 10) + ":steward", Origin: "cli"}, nil
}

// openAsSteward opens the database and the profiles store for a workflow
// step by the steward with that e-mail address.
func openAsSteward(ctx context.Context, dataDir, email string) (*profiles.Store, profiles.Actor, func() error, error) {
	db, err := store.Open(ctx, dataDir)
	if err != nil {
		return nil, profiles.Actor{}, nil, err
	}
	actor, err := stewardActor(ctx, db, email)
	if err != nil {
		db.Close()
		return nil, profiles.Actor{}, nil, err
	}
	return profiles.NewStore(db), actor, db.Close, nil
}

func runImport(ctx context.Context, e env, args []string) error {
	in, rest := splitPositional(args)
	fs := newFlagSet(e, "import", "import FILE -project SLUG -by STEWARD_EMAIL [-data DIR]")
	project := fs.String("project", "", "project slug")
	by := fs.String("by", "", "e-mail address of the steward who imports")
	dataDir := fs.String("data", envOr(e, "ATELIER_DATA", "./data"), "data folder (env ATELIER_DATA)")
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	if in == "" && fs.NArg() == 1 {
		in = fs.Arg(0)
	}
	if in == "" || *project == "" || *by == "" {
		fs.Usage()
		return errUsage
	}
	lang := cliLang(e)
	ps, actor, closeDB, err := openAsSteward(ctx, *dataDir, *by)
	if err != nil {
		return err
	}
	defer closeDB()
	p, err := ps.ProjectBySlug(ctx, *project)
	if err != nil {
		return err
	}
	if p == nil {
		return fmt.Errorf("no project %q", *project)
	}
	// Re-checked here under the project's rules, whatever the file claims.
	res, err := checkFile(in, p.Rules)
	if err != nil {
		return exitError{code: 1, msg: userMessage(err, lang)}
	}
	set, err := ps.Import(ctx, p.ID, res, actor)
	if err != nil {
		return exitError{code: 1, msg: userMessage(err, lang)}
	}
	printSummary(e, res, lang)
	fmt.Fprintf(e.stdout, "set %d imported into %s: %s\n", set.ID, p.Slug, i18n.T(lang, "sets.state.pending"))
	return nil
}

// runDecision is approve, reject and withdraw.
func runDecision(action string) func(ctx context.Context, e env, args []string) error {
	return func(ctx context.Context, e env, args []string) error {
		fs := newFlagSet(e, action, action+" -set ID -by STEWARD_EMAIL [-reason TEXT] [-data DIR]")
		setID := fs.Int64("set", 0, "profile set id")
		by := fs.String("by", "", "e-mail address of the deciding steward")
		reason := fs.String("reason", "", "reason (required to reject or withdraw)")
		dataDir := fs.String("data", envOr(e, "ATELIER_DATA", "./data"), "data folder (env ATELIER_DATA)")
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		if *setID <= 0 || *by == "" {
			fs.Usage()
			return errUsage
		}
		ps, actor, closeDB, err := openAsSteward(ctx, *dataDir, *by)
		if err != nil {
			return err
		}
		defer closeDB()
		switch action {
		case "approve":
			err = ps.Approve(ctx, *setID, actor, *reason)
		case "reject":
			err = ps.Reject(ctx, *setID, actor, *reason)
		case "withdraw":
			err = ps.Withdraw(ctx, *setID, actor, *reason)
		}
		if err != nil {
			return exitError{code: 1, msg: userMessage(err, cliLang(e))}
		}
		fmt.Fprintf(e.stdout, "set %d: %s\n", *setID, action)
		return nil
	}
}
