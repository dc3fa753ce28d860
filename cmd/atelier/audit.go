package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"atelier/i18n"
	"atelier/store"
)

const auditUsage = `Usage: atelier audit verify [-data DIR]
       atelier audit export [-from YYYY-MM-DD] [-to YYYY-MM-DD] [-out FILE] [-data DIR]
       atelier audit retention [-days N] [-data DIR]`

func runAudit(ctx context.Context, e env, args []string) error {
	return runSubcommand(ctx, e, "audit", auditUsage, []subcommand{
		{"verify", runAuditVerify}, {"export", runAuditExport}, {"retention", runAuditRetention},
	}, args)
}

// runAuditVerify checks the audit trail's hash chain: exit 0 when it
// holds, 1 naming the first record that was changed, removed, reordered
// or added.
func runAuditVerify(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "audit verify", "audit verify [-data DIR]")
	dataDir := fs.String("data", envOr(e, "ATELIER_DATA", "./data"), "data folder (env ATELIER_DATA)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := store.Open(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	lang := cliLang(e)
	if b := st.Break; b != nil {
		return exitError{code: 1, msg: i18n.T(lang, "audit.break."+string(b.Kind), b.ID)}
	}
	if st.Records == 0 {
		fmt.Fprintln(e.stdout, i18n.T(lang, "cli.audit.empty"))
	} else {
		fmt.Fprintln(e.stdout, i18n.T(lang, "cli.audit.ok", st.Records, st.First, st.Last))
	}
	return nil
}

// runAuditExport writes the trail, or a period of it, as JSON lines for a
// SIEM: to standard output, or to a file (mode 0600). The export is
// itself audited.
func runAuditExport(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "audit export", "audit export [-from YYYY-MM-DD] [-to YYYY-MM-DD] [-out FILE] [-data DIR]")
	from := fs.String("from", "", "first day (UTC), YYYY-MM-DD; default: the first record")
	to := fs.String("to", "", "last day (UTC), included, YYYY-MM-DD; default: the last record")
	out := fs.String("out", "", "file to write; default: standard output")
	dataDir := fs.String("data", envOr(e, "ATELIER_DATA", "./data"), "data folder (env ATELIER_DATA)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var f store.AuditFilter
	for _, d := range []struct {
		flag, value string
		into        *time.Time
		add         int
	}{{"-from", *from, &f.From, 0}, {"-to", *to, &f.To, 1}} {
		if d.value == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d.value)
		if err != nil {
			fmt.Fprintf(e.stderr, "audit export: %s %q: write the day as YYYY-MM-DD\n", d.flag, d.value)
			return errUsage
		}
		*d.into = t.AddDate(0, 0, d.add)
	}
	db, err := store.Open(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	var n int
	write := func(w io.Writer) error {
		var err error
		n, err = db.ExportAudit(ctx, w, f)
		return err
	}
	if *out == "" {
		err = write(e.stdout)
	} else {
		err = writeFileWith(*out, write)
	}
	if err != nil {
		return err
	}
	if err := store.Audit(ctx, db.Write, store.Event{Action: "audit.export", Object: "audit_log", Result: fmt.Sprintf("exported %d", n),
		Origin: "cli", Actor: "cli", Reason: "from=" + *from + " to=" + *to}); err != nil {
		return err
	}
	if *out != "" {
		fmt.Fprintln(e.stdout, i18n.T(cliLang(e), "cli.audit.exported", n))
	}
	return nil
}

// runAuditRetention shows, or with -days sets, how long the trail keeps
// its records.
func runAuditRetention(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "audit retention", "audit retention [-days N] [-data DIR]")
	days := fs.String("days", "", "keep records this many days (at least 365; default 2557, seven years)")
	dataDir := fs.String("data", envOr(e, "ATELIER_DATA", "./data"), "data folder (env ATELIER_DATA)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	lang := cliLang(e)
	db, err := store.Open(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	if *days != "" {
		n, err := strconv.Atoi(*days)
		if err != nil {
			n = -1
		}
		if err := db.SetAuditRetentionDays(ctx, n, "cli", "cli"); err != nil {
			return exitError{code: 1, msg: userMessage(err, lang)}
		}
	}
	n, err := db.AuditRetentionDays(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, i18n.T(lang, "cli.audit.retention", n))
	return nil
}
