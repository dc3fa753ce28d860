package main

import (
	"context"
	"fmt"
	"os"

	"atelier/i18n"
	"atelier/store"
)

// runBackup writes a consistent copy of the database while the server may
// be running (docs/operations.md says how to keep and restore it).
func runBackup(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "backup", "backup -out FILE [-data DIR]")
	out := fs.String("out", "", "file to write (must not exist yet); mode 0600")
	dataDir := fs.String("data", envOr(e, "ATELIER_DATA", "./data"), "data folder (env ATELIER_DATA)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return errUsage
	}
	if err := store.Backup(ctx, *dataDir, *out); err != nil {
		return exitError{code: 1, msg: "atelier " + err.Error()}
	}
	fi, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, i18n.T(cliLang(e), "cli.backup.done", *out, byteSize(fi.Size())))
	return nil
}

// byteSize writes a file size for people: 12.3 MB.
func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
