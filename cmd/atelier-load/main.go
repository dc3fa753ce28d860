// Command atelier-load is Atelier's load generator (issue 4, item 8). It
// drives a live-session server (atelier serve, or the bare reference hub
// atelier-barehub) through the real flow: a facilitator logs in, creates and
// opens sessions, participants join by code and open websockets
// (docs/protocol.md), and notes are sent at a steady total rate. It checks
// that every participant received every note of its session exactly once and
// in sequence order, and prints as its last line
//
//	participants=N sessions=S sent=X acked=Y delivered=Z expected=E lost=L late=T dup=U dropped=C
//	votes_sent=… votes_acked=… votes_lost=… p50_ms=… p95_ms=… p99_ms=… max_ms=… server_rss_mb=… server_kb_per_conn=…
//
// lost is what never arrived: after the run, a participant still missing
// something reconnects with hello since its last seq, as the protocol
// says, and what arrives then counts as late. Joins answered 429 are sent
// again after the Retry-After the server gives.
//
// Usage:
//
//	ATELIER_LOAD_PASSWORD=… atelier-load -url http://127.0.0.1:8080 -email FACILITATOR \
//	    -participants N -sessions S -rate R -duration D [-vote-every V] [-warmup W] [-grace G] [-pid PID]
//	ATELIER_LOAD_PASSWORD=… atelier-load -url … -email … -join-storm K -prefill M [-pid PID]
//
// It only ever talks to loopback addresses (127.0.0.0/8, ::1, localhost) and
// is bounded in size and time; see the limits below.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Bounds: the loader refuses anything larger.
const (
	maxParticipants = 5000
	maxSessions     = 1000
	maxRate         = 20000 // notes per second, in total
	maxDuration     = 600 * time.Second
	maxWarmup       = 60 * time.Second
	maxGrace        = 60 * time.Second
	maxNotes        = 2_000_000   // notes in one run
	maxDeliveries   = 200_000_000 // notes × participants per session
	maxJoinStorm    = 5000
	maxPrefill      = 100_000
	maxConcurrency  = 200
)

// errCheckFailed is returned after the report when something was lost,
// duplicated, out of order or dropped.
var errCheckFailed = errors.New("delivery check failed")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "atelier-load:", err)
		if errors.Is(err, errCheckFailed) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// config is the parsed and checked command line.
type config struct {
	base         *url.URL // scheme://host, loopback only
	email        string
	password     string
	participants int
	sessions     int
	rate         float64
	duration     time.Duration
	warmup       time.Duration
	grace        time.Duration
	pid          int
	joinStorm    int
	prefill      int
	prefillRate  float64
	stormWindow  time.Duration
	concurrency  int
	cpuProfile   string
	voteEvery    time.Duration // 0: no votes
}

// run is the whole program; tests call it in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseArgs(args, getenv, stderr)
	if err != nil {
		return err
	}
	raiseFileLimit()
	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	// A hard stop whatever happens: setup, the run itself, the grace period.
	limit := cfg.warmup + cfg.duration + cfg.grace + 3*time.Minute
	if cfg.joinStorm > 0 {
		limit = time.Duration(float64(cfg.prefill)/cfg.prefillRate*float64(time.Second)) + cfg.stormWindow + 2*cfg.grace + 3*time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()

	l := newLoader(cfg, stderr)
	defer l.closeAll()
	if cfg.joinStorm > 0 {
		return l.runJoinStorm(ctx, stdout)
	}
	return l.runLoad(ctx, stdout)
}

// parseArgs reads the flags and enforces the loopback rule and the bounds
// before anything touches the network.
func parseArgs(args []string, getenv func(string) string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("atelier-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rawURL := fs.String("url", "http://127.0.0.1:8080", "server URL (loopback only)")
	email := fs.String("email", "", "facilitator's e-mail address (password in ATELIER_LOAD_PASSWORD)")
	participants := fs.Int("participants", 100, "participants, spread evenly over the sessions")
	sessions := fs.Int("sessions", 1, "sessions")
	rate := fs.Float64("rate", 100, "notes per second in total")
	duration := seconds(10 * time.Second)
	fs.Var(&duration, "duration", "how long to send notes (e.g. 60s or 60)")
	warmup := seconds(0)
	fs.Var(&warmup, "warmup", "send at the same rate this long first; those notes are checked but not in the latency figures")
	grace := seconds(5 * time.Second)
	fs.Var(&grace, "grace", "after sending, wait at most this long for acks and deliveries")
	pid := fs.Int("pid", 0, "the server's process id, to report its RSS")
	joinStorm := fs.Int("join-storm", 0, "join-storm mode: join this many participants within -storm-window into a session prefilled with -prefill notes")
	prefill := fs.Int("prefill", 2000, "join-storm mode: notes in the session before the storm")
	prefillRate := fs.Float64("prefill-rate", 200, "join-storm mode: notes per second while prefilling")
	stormWindow := seconds(10 * time.Second)
	fs.Var(&stormWindow, "storm-window", "join-storm mode: the joins are spread over this time")
	concurrency := fs.Int("concurrency", 50, "joins and websocket connects in flight at once")
	cpuProfile := fs.String("cpuprofile", "", "write the loader's own CPU profile to this file")
	voteEvery := seconds(0)
	fs.Var(&voteEvery, "vote-every", "each participant also sends vote.add this often, on its session's latest note (0: no votes)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	base, err := loopbackURL(*rawURL)
	if err != nil {
		return nil, err
	}
	cfg := &config{
		base: base, email: *email, password: getenv("ATELIER_LOAD_PASSWORD"),
		participants: *participants, sessions: *sessions, rate: *rate,
		duration: time.Duration(duration), warmup: time.Duration(warmup), grace: time.Duration(grace),
		pid: *pid, joinStorm: *joinStorm, prefill: *prefill, prefillRate: *prefillRate,
		stormWindow: time.Duration(stormWindow), concurrency: *concurrency, cpuProfile: *cpuProfile,
		voteEvery: time.Duration(voteEvery),
	}
	if cfg.email == "" {
		return nil, errors.New("-email is required")
	}
	if cfg.password == "" {
		return nil, errors.New("ATELIER_LOAD_PASSWORD is not set")
	}
	if err := cfg.checkBounds(); err != nil {
		return nil, err
	}
	return cfg, nil
}

func (c *config) checkBounds() error {
	switch {
	case c.concurrency < 1 || c.concurrency > maxConcurrency:
		return fmt.Errorf("-concurrency must be 1..%d", maxConcurrency)
	case c.grace < 0 || c.grace > maxGrace:
		return fmt.Errorf("-grace must be 0..%s", maxGrace)
	case c.pid < 0:
		return errors.New("-pid must be positive")
	}
	if c.joinStorm != 0 {
		switch {
		case c.joinStorm < 1 || c.joinStorm > maxJoinStorm:
			return fmt.Errorf("-join-storm must be 1..%d", maxJoinStorm)
		case c.prefill < 0 || c.prefill > maxPrefill:
			return fmt.Errorf("-prefill must be 0..%d", maxPrefill)
		case !(c.prefillRate >= 1 && c.prefillRate <= maxRate):
			return fmt.Errorf("-prefill-rate must be 1..%d", maxRate)
		case float64(c.prefill)/c.prefillRate > maxDuration.Seconds():
			return fmt.Errorf("-prefill / -prefill-rate must be at most %s", maxDuration)
		case c.stormWindow <= 0 || c.stormWindow > maxDuration:
			return fmt.Errorf("-storm-window must be 0..%s", maxDuration)
		}
		return nil
	}
	switch {
	case c.participants < 1 || c.participants > maxParticipants:
		return fmt.Errorf("-participants must be 1..%d", maxParticipants)
	case c.sessions < 1 || c.sessions > maxSessions || c.sessions > c.participants:
		return fmt.Errorf("-sessions must be 1..%d and at most -participants", maxSessions)
	case !(c.rate > 0 && c.rate <= maxRate):
		return fmt.Errorf("-rate must be above 0 and at most %d", maxRate)
	case c.duration <= 0 || c.duration > maxDuration:
		return fmt.Errorf("-duration must be above 0 and at most %s", maxDuration)
	case c.warmup < 0 || c.warmup > maxWarmup:
		return fmt.Errorf("-warmup must be 0..%s", maxWarmup)
	case c.voteEvery != 0 && (c.voteEvery < time.Second || c.voteEvery > maxDuration):
		return fmt.Errorf("-vote-every must be 0 or 1s..%s", maxDuration)
	}
	notes := c.totalNotes()
	if notes > maxNotes {
		return fmt.Errorf("-rate × (-warmup + -duration) = %d notes, more than %d", notes, maxNotes)
	}
	perSession := int(math.Ceil(float64(c.participants) / float64(c.sessions)))
	if int64(notes)/int64(c.sessions)*int64(perSession) > maxDeliveries {
		return fmt.Errorf("that run would deliver more than %d messages", maxDeliveries)
	}
	return nil
}

// totalVotes is how many votes a load run sends: one per participant per
// -vote-every that fits in -duration.
func (c *config) totalVotes() int {
	if c.voteEvery <= 0 {
		return 0
	}
	return c.participants * int(c.duration/c.voteEvery)
}

// totalNotes is how many notes a load run sends.
func (c *config) totalNotes() int {
	return int(math.Round(c.rate * (c.warmup + c.duration).Seconds()))
}

// loopbackURL accepts only http URLs whose host is a loopback address
// (127.0.0.0/8, ::1) or "localhost", and returns scheme://host. No name is
// resolved here: anything else is refused before any connection is made.
// The dialers check the resolved address again (loopbackOnly).
func loopbackURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("-url: %w", err)
	}
	if u.Scheme != "http" {
		return nil, fmt.Errorf("-url %q: only http:// on a loopback address is allowed", raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("-url %q: no user information, please", raw)
	}
	host := u.Hostname()
	if !isLoopbackHost(host) {
		return nil, fmt.Errorf("-url %q: refused: %q is not a loopback address (127.0.0.0/8, ::1 or localhost)", raw, host)
	}
	return &url.URL{Scheme: "http", Host: u.Host}, nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// loopbackOnly is the dialers' Control hook: it refuses to connect to any
// address that is not loopback, whatever a name resolved to or a redirect
// pointed at.
func loopbackOnly(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("refusing to connect to %s: not a loopback address", address)
	}
	return nil
}

// raiseFileLimit lifts the soft open-file limit to the hard one: every
// participant holds a websocket.
func raiseFileLimit() {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) == nil && l.Cur < l.Max {
		l.Cur = l.Max
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
}

// seconds is a duration flag that also accepts a plain number of seconds.
type seconds time.Duration

func (s *seconds) String() string { return time.Duration(*s).String() }

func (s *seconds) Set(v string) error {
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 1e6 {
			return errors.New("out of range")
		}
		*s = seconds(f * float64(time.Second))
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return err
	}
	*s = seconds(d)
	return nil
}
