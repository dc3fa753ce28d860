package main

import (
	"context"
	"fmt"

	"atelier/accounts"
	"atelier/profiles"
	"atelier/store"
)

// demoPassword is the password of every demo account. The demo runs on a
// laptop for trying Atelier out; `serve -demo` says so when it prints it.
const demoPassword = "atelier-demo"

// demoAccounts are created by `serve -demo`. Two stewards, because one may
// never approve their own import.
var demoAccounts = []struct {
	email string
	role  accounts.Role
}{
	{"facilitator@atelier.test", accounts.Facilitator},
	{"steward@atelier.test", accounts.Steward},
	{"steward2@atelier.test", accounts.Steward},
	{"policymaker@atelier.test", accounts.Policymaker},
	{"admin@atelier.test", accounts.Admin},
}

type demoLogin struct {
	email, role, password string
}

// seedDemo creates the demo project and accounts on an empty database. On a
// database that already has accounts it changes nothing and returns the demo
// logins that exist.
func seedDemo(ctx context.Context, db *store.DB, acc *accounts.Store, prof *profiles.Store) ([]demoLogin, error) {
	n, err := acc.CountUsers(ctx)
	if err != nil {
		return nil, err
	}
	var logins []demoLogin
	if n > 0 {
		for _, d := range demoAccounts {
			if _, err := acc.UserByEmail(ctx, d.email); err == nil {
				logins = append(logins, demoLogin{d.email, string(d.role), demoPassword})
			}
		}
		return logins, nil
	}
	by := accounts.Actor{Name: "demo", Origin: "system"}
	project, err := prof.CreateProject(ctx, "smart-start-demo", "Smart Start (demo, synthetische data)",
		"Oefenen met een co-creatiesessie over preventie van schulden en huurachterstand bij gezinnen, op synthetische gegevens.",
		by.Name, by.Origin)
	if err != nil {
		return nil, err
	}
	for _, d := range demoAccounts {
		u, err := acc.CreateUser(ctx, d.email, d.role, demoPassword, by)
		if err != nil {
			return nil, err
		}
		if err := prof.AddMember(ctx, project.ID, u.ID); err != nil {
			return nil, err
		}
		logins = append(logins, demoLogin{d.email, string(d.role), demoPassword})
	}
	return logins, nil
}

func printDemoLogins(e env, logins []demoLogin) {
	if len(logins) == 0 {
		fmt.Fprintln(e.stdout, "Demo: this database already has accounts and no demo accounts; nothing created.")
		return
	}
	fmt.Fprintln(e.stdout, "Demo logins (synthetic data; for trying Atelier out only):")
	for _, l := range logins {
		fmt.Fprintf(e.stdout, "  %-26s %-12s password: %s\n", l.email, l.role, l.password)
	}
}
