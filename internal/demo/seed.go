// Package demo makes Atelier's synthetic demo: plausible Dutch household
// microdata that is labelled synthetic everywhere, and an install seeded with
// demo accounts and an approved profile set built from that data through the
// real pipeline (profile, check, import, four-eyes approval). It is never
// part of real work.
package demo

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"atelier/accounts"
	"atelier/disclosure"
	"atelier/exports"
	"atelier/profiles"
)

// Password is the password of every demo account. The demo runs on a
// laptop for trying Atelier out; `serve -demo` says so when it prints it.
const Password = "atelier-demo"

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

// Login is one demo account, for printing.
type Login struct {
	Email, Role, Password string
}

// Seed creates the demo project and accounts on an empty database. On a
// database that already has accounts it changes nothing and returns the demo
// logins that exist.
func Seed(ctx context.Context, acc *accounts.Store, prof *profiles.Store) ([]Login, error) {
	n, err := acc.CountUsers(ctx)
	if err != nil {
		return nil, err
	}
	var logins []Login
	if n > 0 {
		for _, d := range demoAccounts {
			if _, err := acc.UserByEmail(ctx, d.email); err == nil {
				logins = append(logins, Login{d.email, string(d.role), Password})
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
	users := map[string]*accounts.User{}
	for _, d := range demoAccounts {
		u, err := acc.CreateUser(ctx, d.email, d.role, Password, by)
		if err != nil {
			return nil, err
		}
		if err := prof.AddMember(ctx, project.ID, u.ID); err != nil {
			return nil, err
		}
		users[d.email] = u
		logins = append(logins, Login{d.email, string(d.role), Password})
	}
	if err := seedDemoProfiles(ctx, prof, project, users["steward@atelier.test"], users["steward2@atelier.test"]); err != nil {
		return nil, err
	}
	return logins, nil
}

// seedDemoProfiles runs the real pipeline on synthetic microdata: profile,
// check, import by one steward, approval by the other.
func seedDemoProfiles(ctx context.Context, prof *profiles.Store, project *profiles.Project, importer, approver *accounts.User) error {
	var micro bytes.Buffer
	if err := GenerateMicrodata(&micro, 1200, 2026); err != nil {
		return err
	}
	export, err := exports.BuildExport("smart-start-demo.csv", &micro, "cluster", demoVariables)
	if err != nil {
		return err
	}
	// What a researcher writes in cluster_label and variable_label.
	for i := range export.Clusters {
		c := &export.Clusters[i]
		if c.Label != "" {
			c.Label = strings.ToUpper(c.Label[:1]) + c.Label[1:]
		}
	}
	for i := range export.Variables {
		if label, ok := demoLabels[export.Variables[i].Name]; ok {
			export.Variables[i].Label = label
		}
	}
	export.Name = "Huishoudprofielen Smart Start (demo)"
	export.Meta = disclosure.Meta{
		Project:    "smart-start-demo",
		Source:     "Synthetische huishoudens, gemaakt met atelier demo-data (seed 2026); geen echte gegevens",
		Population: "1.200 synthetische huishoudens in een fictieve gemeente",
		ExportRef:  "DEMO-2026-001",
		Date:       "2026-11-01",
		Synthetic:  true,
	}
	res, err := disclosure.Check(export, disclosure.DefaultRules())
	if err != nil {
		return err
	}
	if !res.Safe {
		return fmt.Errorf("the demo export did not pass the check")
	}
	actor := func(u *accounts.User) profiles.Actor {
		return profiles.Actor{UserID: u.ID, Name: fmt.Sprintf("user:%d:steward", u.ID), Origin: "system"}
	}
	set, err := prof.Import(ctx, project.ID, res, actor(importer))
	if err != nil {
		return err
	}
	return prof.Approve(ctx, set.ID, actor(approver), "Demo: gecontroleerd door de tweede steward.")
}

var demoLabels = map[string]string{
	"household_type":    "Huishoudtype",
	"income_source":     "Belangrijkste inkomensbron",
	"rent_arrears":      "Huurachterstand",
	"problematic_debt":  "Problematische schulden",
	"youth_care":        "Jeugdzorg in het gezin",
	"food_bank":         "Klant bij de voedselbank",
	"school_absence":    "Schoolverzuim",
	"moves":             "Verhuizingen (gemiddeld aantal)",
	"disposable_income": "Besteedbaar inkomen (gemiddeld, euro)",
}

// demoVariables are the microdata columns the demo profiles.
var demoVariables = []string{"household_type", "income_source", "rent_arrears", "problematic_debt", "youth_care",
	"food_bank", "school_absence", "moves", "disposable_income"}
