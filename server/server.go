// Package server is Atelier's HTTP face: routes, handlers, middleware and the
// websocket endpoint, on Fiber. Handlers read like short scripts; the rules
// about who may see what live in the domain stores, not here.
package server

import (
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"

	"atelier/accounts"
	"atelier/assets"
	"atelier/profiles"
	"atelier/sessions"
	"atelier/store"
)

// Config holds the settings that change between deployments and tests.
type Config struct {
	Version         string
	TLS             bool   // served over TLS: Secure cookies, HSTS
	SecurityContact string // for /.well-known/security.txt, e.g. "mailto:security@gemeente.nl"
	// Organisation runs this Atelier ("Gemeente Noorderhaaks"); the
	// privacy page and the Algoritmeregister entries name it.
	Organisation string
	// PrivacyContact is where people ask about their data: an e-mail
	// address or an https:// address. Empty: the security contact.
	PrivacyContact string
	// RetentionEvery is how often the retention job runs (0: daily;
	// negative: never, for tests that run it themselves).
	RetentionEvery time.Duration

	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	IdleTimeout  time.Duration
	BodyLimit    int

	// Websocket keep-alive: the server pings every PingInterval and drops a
	// peer that has sent nothing for PongWait.
	PingInterval time.Duration
	PongWait     time.Duration
	// SocketSendBuffer caps the kernel send buffer of a live connection,
	// in bytes (0: the operating system's default).
	SocketSendBuffer int
}

// DefaultConfig returns production settings.
func DefaultConfig() Config {
	return Config{
		Version:          "dev",
		SecurityContact:  "mailto:security@localhost",
		ReadTimeout:      15 * time.Second,
		WriteTimeout:     15 * time.Second,
		IdleTimeout:      60 * time.Second,
		BodyLimit:        16 << 20, // profile exports; forms limit themselves lower
		PingInterval:     25 * time.Second,
		PongWait:         60 * time.Second,
		SocketSendBuffer: 64 << 10,
	}
}

// Deps are the stores and services the handlers use.
type Deps struct {
	DB       *store.DB
	Accounts *accounts.Store
	Profiles *profiles.Store
	Sessions *sessions.Store
	Live     *sessions.Live
	Hub      *sessions.Hub
	Logger   *slog.Logger
	// Audit is the outcome of the last verification of the audit trail,
	// for /healthz and the administrator's audit page.
	Audit *AuditHealth
}

// server carries what every handler needs; handlers are maker functions on
// it so that their dependencies are explicit.
type server struct {
	cfg    Config
	deps   Deps
	log    *slog.Logger
	static *assets.Static
	pages  *pages

	// joins decides which join attempts have their code evaluated.
	joins *joinGate
}

// New returns the Fiber app with every route mounted.
func New(cfg Config, deps Deps) (*fiber.App, error) {
	static, err := assets.LoadStatic()
	if err != nil {
		return nil, err
	}
	pg, err := loadPages(static)
	if err != nil {
		return nil, err
	}
	log := deps.Logger
	if log == nil {
		log = slog.Default()
	}
	s := &server{cfg: cfg, deps: deps, log: log, static: static, pages: pg,
		joins: newJoinGate()}

	app := fiber.New(fiber.Config{
		AppName:               "Atelier",
		DisableStartupMessage: true,
		ErrorHandler:          s.handleError,
		ReadTimeout:           cfg.ReadTimeout,
		WriteTimeout:          cfg.WriteTimeout,
		IdleTimeout:           cfg.IdleTimeout,
		BodyLimit:             cfg.BodyLimit,
		// Fiber's default would answer with the server name; say nothing.
		ServerHeader: "",
	})
	app.Use(s.recoverPanics)
	app.Use(s.securityHeaders)
	app.Use(s.logRequests)
	app.Use(compress.New(compress.Config{
		// Static files are compressed once at start; websockets must not be.
		Next: func(c *fiber.Ctx) bool {
			return strings.HasPrefix(c.Path(), assets.Prefix) || strings.HasPrefix(c.Path(), "/ws/")
		},
		Level: compress.LevelBestSpeed,
	}))
	app.Use(s.language)
	app.Use(s.loadSession)
	app.Use(s.refuseInvalidText)
	// No catch-all: Fiber hands an unmatched path to the error handler as
	// a 404, which renders the friendly page.
	s.routes(app)
	return app, nil
}
