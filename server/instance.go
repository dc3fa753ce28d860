package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
	"atelier/profiles"
	"atelier/sessions"
	"atelier/store"
)

// Instance is one Atelier: its database, the stores over it, the live
// engine and hub, and the HTTP app. `atelier serve` and every test that
// needs a real server wire it the same way, through Open.
type Instance struct {
	DB       *store.DB
	Accounts *accounts.Store
	Profiles *profiles.Store
	Sessions *sessions.Store
	Live     *sessions.Live
	Hub      *sessions.Hub
	App      *fiber.App
	Log      *slog.Logger
	// Audit holds the last verification of the audit trail: at start and
	// after every retention run.
	Audit *AuditHealth
	// retentionEvery is how often Serve runs retention (retention_job.go).
	retentionEvery time.Duration

	closeOnce sync.Once
	closeErr  error
}

// shutdownGrace is how long in-flight requests may take after a stop.
const shutdownGrace = 10 * time.Second

// Open opens (or creates) the database in dataDir, applies its migrations
// and wires the stores, the live engine and the HTTP app. Close it, or let
// Serve close it.
func Open(ctx context.Context, cfg Config, dataDir string, log *slog.Logger) (*Instance, error) {
	if log == nil {
		log = slog.Default()
	}
	db, err := store.Open(ctx, dataDir)
	if err != nil {
		return nil, err
	}
	in := &Instance{DB: db, Accounts: accounts.NewStore(db), Profiles: profiles.NewStore(db), Sessions: sessions.NewStore(db),
		Hub: sessions.NewHub(), Log: log, Audit: &AuditHealth{}, retentionEvery: cfg.RetentionEvery}
	in.Live = sessions.NewLive(db, in.Hub, log)
	in.Sessions.OnChange(in.Live.Invalidate)
	in.VerifyAudit(ctx)
	in.App, err = New(cfg, Deps{DB: db, Accounts: in.Accounts, Profiles: in.Profiles, Sessions: in.Sessions, Live: in.Live,
		Hub: in.Hub, Logger: log, Audit: in.Audit})
	if err != nil {
		in.Close()
		return nil, err
	}
	return in, nil
}

// Serve answers on ln until ctx ends or the listener fails, then shuts
// down in order: stop accepting and let in-flight requests finish, close
// the websockets (Fiber does not track hijacked connections), stop the
// live engine after the ops it already queued, and close the database.
// ready, when not nil, is called with the server's base URL once it
// listens.
func (in *Instance) Serve(ctx context.Context, ln net.Listener, scheme string, ready func(url string)) error {
	served := make(chan error, 1)
	go func() { served <- in.App.Listener(ln) }()
	stopRetention := in.startRetention(ctx)
	if ready != nil {
		ready(fmt.Sprintf("%s://%s", scheme, ln.Addr()))
	}
	in.Log.Info("server started")
	var serveErr error
	select {
	case serveErr = <-served:
	case <-ctx.Done():
		in.Log.Info("server stopping")
		serveErr = in.App.ShutdownWithTimeout(shutdownGrace)
		<-served
	}
	stopRetention()
	err := errors.Join(serveErr, in.Close())
	in.Log.Info("server stopped")
	return err
}

// Close closes the websockets, stops the live engine and closes the
// database, in that order.
func (in *Instance) Close() error {
	in.closeOnce.Do(func() {
		hubErr := in.Hub.Close()
		in.Live.Close()
		in.closeErr = errors.Join(hubErr, in.DB.Close())
	})
	return in.closeErr
}
