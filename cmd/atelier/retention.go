package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"atelier/accounts"
	"atelier/i18n"
	"atelier/profiles"
	"atelier/retention"
	"atelier/store"
)

const retentionUsage = `Usage: atelier retention run [-dry-run] [-now YYYY-MM-DD] [-data DIR]
       atelier retention extend -project SLUG -reason TEXT -by ADMIN-EMAIL [-data DIR]`

func runRetention(ctx context.Context, e env, args []string) error {
	return runSubcommand(ctx, e, "retention", retentionUsage, []subcommand{
		{"run", runRetentionRun}, {"extend", runRetentionExtend},
	}, args)
}

// parseDay reads -now: the end of that day in UTC, so that "what does 15
// June delete" includes everything whose period ends on 15 June, as the
// project page's dates do.
func parseDay(s string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, err
	}
	return d.Add(24*time.Hour - time.Second), nil
}

func runRetentionRun(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "retention run", "retention run [-dry-run] [-now YYYY-MM-DD] [-data DIR]")
	dry := fs.Bool("dry-run", false, "show what would be deleted; delete nothing")
	nowFlag := fs.String("now", "", "run as at the end of this day (UTC), YYYY-MM-DD: for tests, and to see what a date would delete")
	dataDir := fs.String("data", envOr(e, "ATELIER_DATA", "./data"), "data folder (env ATELIER_DATA)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := store.Open(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	if *nowFlag != "" {
		now, err := parseDay(*nowFlag)
		if err != nil {
			fmt.Fprintf(e.stderr, "retention run: -now %q: write the day as YYYY-MM-DD\n", *nowFlag)
			return errUsage
		}
		db.Clock = func() time.Time { return now }
	}
	res, err := retention.Run(ctx, db, retention.Options{DryRun: *dry, Origin: "cli", Actor: "cli"})
	if err != nil {
		return err
	}
	printRetention(e, res)
	return nil
}

// printRetention lists what a run deleted: per project, session and kind,
// how many, and why.
func printRetention(e env, res *retention.Result) {
	lang := cliLang(e)
	day := res.Now.UTC().Format(time.DateOnly)
	switch {
	case len(res.Deletions) == 0:
		fmt.Fprintln(e.stdout, i18n.T(lang, "cli.retention.none", day))
	case res.DryRun:
		fmt.Fprintln(e.stdout, i18n.T(lang, "cli.retention.dry", day))
	default:
		fmt.Fprintln(e.stdout, i18n.T(lang, "cli.retention.done", day))
	}
	if len(res.Deletions) > 0 {
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "PROJECT\tSESSION\tKIND\tCOUNT\tREASON")
		for _, d := range res.Deletions {
			session := "-"
			if d.Session != 0 {
				session = strconv.FormatInt(d.Session, 10)
			}
			project := d.Slug
			if project == "" {
				project = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", project, session, d.Kind, d.Count, d.Reason)
		}
		tw.Flush()
	}
	if b := res.AuditBroken; b != nil {
		fmt.Fprintln(e.stderr, i18n.T(lang, "cli.retention.broken", b.ID, string(b.Kind)))
	}
}

func runRetentionExtend(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "retention extend", "retention extend -project SLUG -reason TEXT -by ADMIN-EMAIL [-data DIR]")
	slug := fs.String("project", "", "the project's slug")
	reason := fs.String("reason", "", "why the archive is kept five years longer (goes into the audit trail)")
	by := fs.String("by", "", "e-mail address of the administrator who decides")
	dataDir := fs.String("data", envOr(e, "ATELIER_DATA", "./data"), "data folder (env ATELIER_DATA)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *slug == "" || *reason == "" || *by == "" {
		fs.Usage()
		return errUsage
	}
	lang := cliLang(e)
	db, err := store.Open(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := accounts.NewStore(db).UserByEmail(ctx, *by)
	if err != nil || u.Role != accounts.Admin {
		return exitError{code: 1, msg: i18n.T(lang, "cli.not_admin", *by)}
	}
	p, err := profiles.NewStore(db).ProjectBySlug(ctx, *slug)
	if err != nil {
		return err
	}
	if p == nil {
		return exitError{code: 1, msg: i18n.T(lang, "cli.retention.no_project", *slug)}
	}
	if err := retention.ExtendArchive(ctx, db, p.ID, *reason, "user:"+strconv.FormatInt(u.ID, 10)+":admin", "cli"); err != nil {
		return exitError{code: 1, msg: userMessage(err, lang)}
	}
	fmt.Fprintln(e.stdout, i18n.T(lang, "cli.retention.extended", p.Slug, p.ArchiveRetentionDays+retention.ExtensionDays))
	return nil
}
