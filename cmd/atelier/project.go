package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"atelier/accounts"
	"atelier/i18n"
	"atelier/profiles"
	"atelier/store"
)

const projectUsage = `Usage: atelier project add -slug S -name N -purpose P [-notes-days D] [-archive-days D] [-data DIR]
       atelier project list [-data DIR]
       atelier project member add -project S -email E [-role R] [-data DIR]
       atelier project member remove -project S -email E [-data DIR]`

func runProject(ctx context.Context, e env, args []string) error {
	return runSubcommand(ctx, e, "project", projectUsage, []subcommand{
		{"add", runProjectAdd}, {"list", runProjectList},
		{"member add", runProjectMember(true)}, {"member remove", runProjectMember(false)},
	}, args)
}

func runProjectAdd(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "project add", "project add -slug S -name N -purpose P [-notes-days D] [-archive-days D] [-data DIR]")
	slug := fs.String("slug", "", "short address: lower-case letters, digits and dashes (the project is at /p/SLUG)")
	name := fs.String("name", "", "the project's name")
	purpose := fs.String("purpose", "", "what the project's data and workshop material are used for")
	notes := fs.Int("notes-days", profiles.DefaultNotesRetentionDays, "days raw notes and excerpts are kept (at most 730)")
	archive := fs.Int("archive-days", profiles.DefaultArchiveRetentionDays, "days the project archive is kept (at most 1826)")
	dataDir := dataFlag(e, fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *slug == "" || *name == "" || *purpose == "" {
		fs.Usage()
		return errUsage
	}
	db, err := store.Open(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	lang := cliLang(e)
	p, err := profiles.NewStore(db).AddProject(ctx, profiles.ProjectInput{Slug: *slug, Name: *name, Purpose: *purpose,
		NotesRetentionDays: *notes, ArchiveRetentionDays: *archive}, "cli", "cli")
	if err != nil {
		return exitError{code: 1, msg: userMessage(err, lang)}
	}
	fmt.Fprintln(e.stdout, i18n.T(lang, "cli.project_created", p.Slug, p.Name))
	return nil
}

func runProjectList(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "project list", "project list [-data DIR]")
	dataDir := dataFlag(e, fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := store.Open(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	ps := profiles.NewStore(db)
	projects, err := ps.ProjectsFor(ctx, 0, true)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SLUG\tNAME\tMEMBERS\tNOTES DAYS\tARCHIVE DAYS\tSTATUS\tPURPOSE")
	for _, p := range projects {
		members, err := ps.Members(ctx, p.ID)
		if err != nil {
			return err
		}
		status := "active"
		if p.Archived() {
			status = "archived"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\t%s\n", p.Slug, p.Name, len(members), p.NotesRetentionDays, p.ArchiveRetentionDays, status, p.Purpose)
	}
	return tw.Flush()
}

// runProjectMember adds an account to a project (in its own role, or with
// -role policymaker to read only) or removes it.
func runProjectMember(add bool) func(context.Context, env, []string) error {
	return func(ctx context.Context, e env, args []string) error {
		return projectMember(ctx, e, add, args)
	}
}

func projectMember(ctx context.Context, e env, add bool, args []string) error {
	verb := "remove"
	if add {
		verb = "add"
	}
	fs := newFlagSet(e, "project member "+verb, "project member "+verb+" -project S -email E [-role R] [-data DIR]")
	project := fs.String("project", "", "project slug")
	email := fs.String("email", "", "e-mail address of the account")
	role := fs.String("role", "", "role in the project: the account's own (default) or policymaker, to read only")
	dataDir := dataFlag(e, fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *project == "" || *email == "" || !add && *role != "" {
		fs.Usage()
		return errUsage
	}
	db, err := store.Open(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	lang := cliLang(e)
	ps := profiles.NewStore(db)
	p, err := ps.ProjectBySlug(ctx, *project)
	if err != nil {
		return err
	}
	if p == nil {
		return exitError{code: 1, msg: i18n.T(lang, "cli.no_project", *project)}
	}
	u, err := accounts.NewStore(db).UserByEmail(ctx, *email)
	if err != nil {
		return exitError{code: 1, msg: userMessage(err, lang)}
	}
	if !add {
		if err := ps.RemoveMember(ctx, p.ID, u.ID, "cli", "cli"); err != nil {
			return exitError{code: 1, msg: userMessage(err, lang)}
		}
		fmt.Fprintln(e.stdout, i18n.T(lang, "cli.member_removed", u.Email, p.Slug))
		return nil
	}
	if err := ps.SetMember(ctx, p.ID, u.ID, *role, "cli", "cli"); err != nil {
		return exitError{code: 1, msg: userMessage(err, lang)}
	}
	shown := *role
	if shown == "" {
		shown = string(u.Role)
	}
	fmt.Fprintln(e.stdout, i18n.T(lang, "cli.member_added", u.Email, p.Slug, shown))
	return nil
}
