package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"atelier/accounts"
	"atelier/i18n"
	"atelier/server"
	"atelier/store"
)

// The command line is the admin pages' peer: everything an administrator
// does to accounts in the browser it does here too, for scripted installs.
const userUsage = `Usage: atelier user add -email E -role R [-data DIR]      (password on standard input)
       atelier user invite -email E -role R [-url URL] [-data DIR]
       atelier user reset -email E [-url URL] [-data DIR]
       atelier user disable|enable -email E [-data DIR]
       atelier user list [-data DIR]`

func runUser(ctx context.Context, e env, args []string) error {
	return runSubcommand(ctx, e, "user", userUsage, []subcommand{
		{"add", runUserAdd}, {"invite", runUserInvite}, {"reset", runUserReset},
		{"disable", runUserActive(false)}, {"enable", runUserActive(true)}, {"list", runUserList},
	}, args)
}

// cliActor is the command line in the audit trail.
var cliActor = accounts.Actor{Name: "cli", Origin: "cli"}

// openAccounts opens the database and its accounts store.
func openAccounts(ctx context.Context, dataDir string) (*accounts.Store, func() error, error) {
	db, err := store.Open(ctx, dataDir)
	if err != nil {
		return nil, nil, err
	}
	return accounts.NewStore(db), db.Close, nil
}

// dataFlag is the -data flag every command that opens the database has.
func dataFlag(e env, fs interface {
	String(name, value, usage string) *string
}) *string {
	return fs.String("data", envOr(e, "ATELIER_DATA", "./data"), "data folder (env ATELIER_DATA)")
}

// urlFlag is where the server answers, for the links the command prints.
func urlFlag(e env, fs interface {
	String(name, value, usage string) *string
}) *string {
	return fs.String("url", envOr(e, "ATELIER_URL", "http://"+envOr(e, "ATELIER_ADDR", "127.0.0.1:8080")),
		"the server's address as people reach it, for the printed link (env ATELIER_URL)")
}

func runUserAdd(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "user add", "user add -email E -role admin|steward|facilitator|policymaker [-data DIR] < password")
	email := fs.String("email", "", "e-mail address of the account")
	role := fs.String("role", "", "admin, steward, facilitator or policymaker")
	dataDir := dataFlag(e, fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *email == "" || *role == "" {
		fs.Usage()
		return errUsage
	}
	password, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && password == "" {
		return fmt.Errorf("read password from standard input: %w", err)
	}
	password = strings.TrimRight(password, "\r\n")

	acc, closeDB, err := openAccounts(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer closeDB()
	u, err := acc.CreateUser(ctx, *email, accounts.Role(*role), password, cliActor)
	if err != nil {
		return exitError{code: 1, msg: userMessage(err, cliLang(e))}
	}
	fmt.Fprintln(e.stdout, i18n.T(cliLang(e), "cli.user_created", u.Email, u.Role))
	return nil
}

func runUserInvite(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "user invite", "user invite -email E -role admin|steward|facilitator|policymaker [-url URL] [-data DIR]")
	email := fs.String("email", "", "e-mail address of the account")
	role := fs.String("role", "", "admin, steward, facilitator or policymaker")
	base := urlFlag(e, fs)
	dataDir := dataFlag(e, fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *email == "" || *role == "" {
		fs.Usage()
		return errUsage
	}
	acc, closeDB, err := openAccounts(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer closeDB()
	lang := cliLang(e)
	u, tok, expires, err := acc.Invite(ctx, *email, accounts.Role(*role), cliActor)
	if err != nil {
		return exitError{code: 1, msg: userMessage(err, lang)}
	}
	fmt.Fprintln(e.stdout, i18n.T(lang, "cli.user_invited", u.Email, u.Role, day(expires)))
	fmt.Fprintln(e.stdout, strings.TrimRight(*base, "/")+server.InvitePath(tok))
	return nil
}

func runUserReset(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "user reset", "user reset -email E [-url URL] [-data DIR]")
	email := fs.String("email", "", "e-mail address of the account")
	base := urlFlag(e, fs)
	dataDir := dataFlag(e, fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *email == "" {
		fs.Usage()
		return errUsage
	}
	acc, closeDB, err := openAccounts(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer closeDB()
	lang := cliLang(e)
	u, err := acc.UserByEmail(ctx, *email)
	if err != nil {
		return exitError{code: 1, msg: userMessage(err, lang)}
	}
	_, tok, expires, err := acc.ResetLink(ctx, u.ID, cliActor)
	if err != nil {
		return exitError{code: 1, msg: userMessage(err, lang)}
	}
	fmt.Fprintln(e.stdout, i18n.T(lang, "cli.user_reset", u.Email, day(expires)))
	fmt.Fprintln(e.stdout, strings.TrimRight(*base, "/")+server.InvitePath(tok))
	return nil
}

// runUserActive is user disable and user enable.
func runUserActive(enable bool) func(context.Context, env, []string) error {
	name := "disable"
	if enable {
		name = "enable"
	}
	return func(ctx context.Context, e env, args []string) error {
		fs := newFlagSet(e, "user "+name, "user "+name+" -email E [-data DIR]")
		email := fs.String("email", "", "e-mail address of the account")
		dataDir := dataFlag(e, fs)
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		if *email == "" {
			fs.Usage()
			return errUsage
		}
		acc, closeDB, err := openAccounts(ctx, *dataDir)
		if err != nil {
			return err
		}
		defer closeDB()
		lang := cliLang(e)
		u, err := acc.UserByEmail(ctx, *email)
		if err == nil {
			if enable {
				err = acc.Enable(ctx, u.ID, cliActor)
			} else {
				err = acc.Disable(ctx, u.ID, cliActor)
			}
		}
		if err != nil {
			return exitError{code: 1, msg: userMessage(err, lang)}
		}
		fmt.Fprintln(e.stdout, i18n.T(lang, "cli.user_"+name+"d", u.Email))
		return nil
	}
}

func runUserList(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "user list", "user list [-data DIR]")
	dataDir := dataFlag(e, fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	acc, closeDB, err := openAccounts(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer closeDB()
	users, err := acc.Users(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tROLE\tSTATUS\tCREATED")
	for _, u := range users {
		status := "active"
		switch {
		case u.Disabled:
			status = "disabled"
		case u.Invited && u.LinkExpires.After(time.Now()):
			status = "invited until " + day(u.LinkExpires)
		case u.Invited:
			status = "link expired"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Email, u.Role, status, u.CreatedAt.Format("2006-01-02"))
	}
	return tw.Flush()
}

// day writes a date as the command line shows it.
func day(t time.Time) string { return t.Local().Format("2006-01-02") }
