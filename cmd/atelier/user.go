package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"atelier/accounts"
	"atelier/store"
)

func runUser(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(e.stderr, "Usage: atelier user add -email E -role R [-data DIR]   (password on standard input)")
		fmt.Fprintln(e.stderr, "       atelier user list [-data DIR]")
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	switch args[0] {
	case "add":
		return runUserAdd(ctx, e, args[1:])
	case "list":
		return runUserList(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "atelier user: unknown subcommand %q (add, list)\n", args[0])
	return errUsage
}

func runUserAdd(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "user add", "user add -email E -role admin|steward|facilitator|policymaker [-data DIR] < password")
	email := fs.String("email", "", "e-mail address of the account")
	role := fs.String("role", "", "admin, steward, facilitator or policymaker")
	dataDir := fs.String("data", envOr(e, "ATELIER_DATA", "./data"), "data folder (env ATELIER_DATA)")
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

	db, err := store.Open(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := accounts.NewStore(db).CreateUser(ctx, *email, accounts.Role(*role), password, accounts.Actor{Name: "cli", Origin: "cli"})
	if err != nil {
		return exitError{code: 1, msg: userMessage(err, cliLang(e))}
	}
	fmt.Fprintf(e.stdout, "account %s (%s) created\n", u.Email, u.Role)
	return nil
}

func runUserList(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "user list", "user list [-data DIR]")
	dataDir := fs.String("data", envOr(e, "ATELIER_DATA", "./data"), "data folder (env ATELIER_DATA)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := store.Open(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := accounts.NewStore(db).Users(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tROLE\tCREATED")
	for _, u := range users {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", u.Email, u.Role, u.CreatedAt.Format("2006-01-02"))
	}
	return tw.Flush()
}
