// Command atelier-barehub serves the bare reference hub (internal/barehub):
// the yardstick Atelier's live sessions are measured against with
// atelier-load, on the same machine, in the same run.
//
//	atelier-barehub -addr 127.0.0.1:0 [-coalesce] [-data DIR]
//
// The first line it prints is "listening on http://ADDR". It stops on
// SIGINT or SIGTERM. Without -data the database lives in a temporary
// directory that is removed on exit.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"syscall"
	"time"

	"atelier/internal/barehub"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "atelier-barehub:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("atelier-barehub", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "listen address (loopback)")
	coalesce := fs.Bool("coalesce", false, "send all queued messages of a connection as one batch frame")
	data := fs.String("data", "", "directory for the SQLite file (default: a temporary directory, removed on exit)")
	queue := fs.Int("queue", 1024, "per-connection send queue (messages)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile to this file until exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	raiseFileLimit()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}

	dir := *data
	if dir == "" {
		tmp, err := os.MkdirTemp("", "atelier-barehub-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	hub, err := barehub.New(barehub.Options{DBPath: filepath.Join(dir, "barehub.db"), Coalesce: *coalesce, QueueSize: *queue})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		hub.Close()
		return err
	}
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	srv := &http.Server{Handler: hub.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
	case err := <-errc:
		hub.Close()
		return err
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(sctx) // hijacked websockets are not closed by Shutdown:
	if err := hub.Close(); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// raiseFileLimit lifts the soft open-file limit to the hard one: a thousand
// websockets need a thousand descriptors.
func raiseFileLimit() {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) == nil && l.Cur < l.Max {
		l.Cur = l.Max
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
}
