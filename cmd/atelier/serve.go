package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"

	"atelier/accounts"
	"atelier/i18n"
	"atelier/internal/demo"
	"atelier/server"
)

func runServe(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "serve", "serve [-addr HOST:PORT] [-data DIR] [-demo] [-tls-cert FILE -tls-key FILE | -tls-proxy]")
	addr := fs.String("addr", envOr(e, "ATELIER_ADDR", "127.0.0.1:8080"), "address to listen on (env ATELIER_ADDR)")
	dataDir := fs.String("data", envOr(e, "ATELIER_DATA", "./data"), "folder for the SQLite database (env ATELIER_DATA)")
	demoFlag := fs.Bool("demo", false, "on an empty database, create a demo project and demo accounts and print their logins")
	tlsCert := fs.String("tls-cert", envOr(e, "ATELIER_TLS_CERT", ""), "TLS certificate file (env ATELIER_TLS_CERT)")
	tlsKey := fs.String("tls-key", envOr(e, "ATELIER_TLS_KEY", ""), "TLS key file (env ATELIER_TLS_KEY)")
	tlsProxy := fs.Bool("tls-proxy", envOr(e, "ATELIER_TLS_PROXY", "") == "1",
		"a reverse proxy in front serves HTTPS and passes the Host header on: Secure cookies, HSTS, https origins, while Atelier listens on plain HTTP (env ATELIER_TLS_PROXY=1)")
	contact := fs.String("security-contact", envOr(e, "ATELIER_SECURITY_CONTACT", "mailto:security@localhost"),
		"contact URI for /.well-known/security.txt (env ATELIER_SECURITY_CONTACT)")
	organisation := fs.String("organisation", envOr(e, "ATELIER_ORGANISATION", ""),
		"the organisation that runs this Atelier, for the privacy statement and the Algoritmeregister (env ATELIER_ORGANISATION)")
	privacy := fs.String("privacy-contact", envOr(e, "ATELIER_PRIVACY_CONTACT", ""),
		"where people ask about their data: an e-mail address or https:// address (env ATELIER_PRIVACY_CONTACT; default: the security contact)")
	pprofAddr := fs.String("pprof", "", "serve Go's profiler on this loopback address, e.g. 127.0.0.1:6060 (for measuring; off by default)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *pprofAddr != "" {
		if err := servePprof(ctx, *pprofAddr); err != nil {
			return err
		}
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		fmt.Fprintln(e.stderr, "serve: give both -tls-cert and -tls-key, or neither")
		return errUsage
	}

	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	// Behind a proxy that terminates TLS, browsers see HTTPS: cookies,
	// HSTS and the origin checks must say so, whatever Atelier listens on.
	cfg := serveConfig(*tlsCert != "" || *tlsProxy, *contact, *organisation, *privacy, *demoFlag)
	inst, err := server.Open(ctx, cfg, *dataDir, log)
	if err != nil {
		return err
	}
	if e.passwordCost != (accounts.PasswordCost{}) {
		inst.Accounts.SetPasswordCost(e.passwordCost)
	}
	if *demoFlag {
		if err := seedDemo(ctx, e, inst); err != nil {
			inst.Close()
			return err
		}
	}

	// On a first start (no administrator, whether made by -demo, by
	// `atelier user add -role admin` or by an earlier setup) a one-time
	// setup link: its token exists only in the line printed below.
	setupToken, setupExpires, err := inst.Accounts.StartSetup(ctx)
	if err != nil {
		inst.Close()
		return fmt.Errorf("setup link: %w", err)
	}

	ln, scheme, err := listen(*addr, *tlsCert, *tlsKey)
	if err != nil {
		inst.Close()
		return err
	}
	return inst.Serve(ctx, ln, scheme, func(url string) {
		fmt.Fprintf(e.stdout, "Atelier %s draait op %s/ (data: %s)\n", version, url, *dataDir)
		if setupToken != "" {
			// On standard output only, never through the logger: the
			// token must not end up in collected logs.
			fmt.Fprintln(e.stdout, i18n.T(cliLang(e), "cli.setup", url+server.SetupPath(setupToken), setupExpires.Local().Format("15:04")))
		}
		if e.ready != nil {
			e.ready(url)
		}
	})
}

// serveConfig is the server's configuration from serve's flags.
func serveConfig(https bool, securityContact, organisation, privacyContact string, demo bool) server.Config {
	cfg := server.DefaultConfig()
	cfg.Version = version
	cfg.TLS = https
	cfg.SecurityContact = securityContact
	cfg.Organisation, cfg.PrivacyContact = organisation, privacyContact
	if demo && cfg.Organisation == "" {
		cfg.Organisation = "Gemeente Voorbeeld (demo)"
	}
	return cfg
}

// seedDemo fills an empty database with the demo project and accounts and
// prints their logins.
func seedDemo(ctx context.Context, e env, inst *server.Instance) error {
	logins, err := demo.Seed(ctx, inst.Accounts, inst.Profiles)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	printDemoLogins(e, logins)
	// Seeding hashed five passwords with argon2id (19 MiB each): give that
	// memory back now rather than carry it as the server's resting
	// footprint.
	debug.FreeOSMemory()
	return nil
}

// listen listens on addr, with TLS when a certificate is given (both or
// neither were checked), and returns the listener and its URL scheme.
// Listening before serving reports a taken port at once.
func listen(addr, tlsCert, tlsKey string) (net.Listener, string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("listen on %s: %w", addr, err)
	}
	if tlsCert == "" {
		return ln, "http", nil
	}
	cert, err := tls.LoadX509KeyPair(tlsCert, tlsKey)
	if err != nil {
		ln.Close()
		return nil, "", fmt.Errorf("load TLS certificate: %w", err)
	}
	return tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}), "https", nil
}

func printDemoLogins(e env, logins []demo.Login) {
	if len(logins) == 0 {
		fmt.Fprintln(e.stdout, "Demo: this database already has accounts and no demo accounts; nothing created.")
		return
	}
	fmt.Fprintln(e.stdout, "Demo logins (synthetic data; for trying Atelier out only):")
	for _, l := range logins {
		fmt.Fprintf(e.stdout, "  %-26s %-12s password: %s\n", l.Email, l.Role, l.Password)
	}
}
