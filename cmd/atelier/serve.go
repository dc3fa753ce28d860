package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"time"

	"atelier/accounts"
	"atelier/profiles"
	"atelier/server"
	"atelier/sessions"
	"atelier/store"
)

// shutdownGrace is how long in-flight requests may take after a signal.
const shutdownGrace = 10 * time.Second

func runServe(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "serve", "serve [-addr HOST:PORT] [-data DIR] [-demo] [-tls-cert FILE -tls-key FILE]")
	addr := fs.String("addr", envOr(e, "ATELIER_ADDR", "127.0.0.1:8080"), "address to listen on (env ATELIER_ADDR)")
	dataDir := fs.String("data", envOr(e, "ATELIER_DATA", "./data"), "folder for the SQLite database (env ATELIER_DATA)")
	demo := fs.Bool("demo", false, "on an empty database, create a demo project and demo accounts and print their logins")
	tlsCert := fs.String("tls-cert", envOr(e, "ATELIER_TLS_CERT", ""), "TLS certificate file (env ATELIER_TLS_CERT)")
	tlsKey := fs.String("tls-key", envOr(e, "ATELIER_TLS_KEY", ""), "TLS key file (env ATELIER_TLS_KEY)")
	contact := fs.String("security-contact", envOr(e, "ATELIER_SECURITY_CONTACT", "mailto:security@localhost"),
		"contact URI for /.well-known/security.txt (env ATELIER_SECURITY_CONTACT)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		fmt.Fprintln(e.stderr, "serve: give both -tls-cert and -tls-key, or neither")
		return errUsage
	}

	log := slog.New(slog.NewTextHandler(e.stderr, nil))

	db, err := store.Open(ctx, *dataDir)
	if err != nil {
		return err
	}
	// Closed last: after the server has stopped and the sockets are gone.
	defer db.Close()

	acc := accounts.NewStore(db)
	prof := profiles.NewStore(db)
	hub := sessions.NewHub()
	live := sessions.NewLive(db, hub, log)
	// Stopped after the hub: ops already queued are committed before the
	// database closes.
	defer live.Close()

	if *demo {
		logins, err := seedDemo(ctx, db, acc, prof)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		printDemoLogins(e, logins)
		// Seeding hashed five passwords with argon2id (19 MiB each): give
		// that memory back now rather than carry it as the server's
		// resting footprint.
		debug.FreeOSMemory()
	}

	cfg := server.DefaultConfig()
	cfg.Version = version
	cfg.TLS = *tlsCert != ""
	cfg.SecurityContact = *contact
	app, err := server.New(cfg, server.Deps{DB: db, Accounts: acc, Profiles: prof, Sessions: sessions.NewStore(db), Live: live, Hub: hub, Logger: log})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	scheme := "http"
	if cfg.TLS {
		cert, err := tls.LoadX509KeyPair(*tlsCert, *tlsKey)
		if err != nil {
			ln.Close()
			return fmt.Errorf("load TLS certificate: %w", err)
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
		scheme = "https"
	}

	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	fmt.Fprintf(e.stdout, "Atelier %s draait op %s://%s/ (data: %s)\n", version, scheme, ln.Addr(), *dataDir)
	log.Info("server started", "version", version, "tls", cfg.TLS)

	select {
	case err := <-served:
		hub.Close()
		return err
	case <-ctx.Done():
	}

	// Shut down in order: stop accepting and let in-flight requests finish,
	// then close the websockets (Fiber does not track hijacked
	// connections), then the live engine and the database (deferred above).
	log.Info("server stopping")
	shutdownErr := app.ShutdownWithTimeout(shutdownGrace)
	hubErr := hub.Close()
	<-served
	log.Info("server stopped")
	return errors.Join(shutdownErr, hubErr)
}
