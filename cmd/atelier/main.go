// Command atelier is the Atelier server and its tools: serve the dashboard,
// manage accounts, and (for researchers and stewards) build, check and import
// cluster-profile exports.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"atelier/accounts"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		var ex exitError
		if errors.As(err, &ex) {
			if ex.msg != "" {
				fmt.Fprintln(os.Stderr, ex.msg)
			}
			os.Exit(ex.code)
		}
		fmt.Fprintln(os.Stderr, "atelier:", err)
		os.Exit(1)
	}
}

// exitError ends the program with a particular exit code: 2 for a usage
// error, 1 for a failed check.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return fmt.Sprintf("exit %d: %s", e.code, e.msg) }

// errUsage is returned after a usage message has been printed.
var errUsage = exitError{code: 2}

// env carries the process's surroundings, so tests can run the program in
// the same process with their own. stdin is there for `user add`, which
// reads a password from it rather than from a flag (flags end up in shell
// history and process lists).
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// ready, when set, learns the base URL of `serve` once it listens:
	// tests wait for it instead of reading the printed line.
	ready func(url string)
	// passwordCost, when set, is the cost of the password hashes `serve`
	// makes: tests lower it, as a hash at the default cost takes most of
	// a second under the race detector. The command line cannot set it.
	passwordCost accounts.PasswordCost
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "start the dashboard", runServe},
		{"user", "manage accounts (user add, invite, reset, disable, enable, list)", runUser},
		{"project", "manage projects and members (project add, list, member add, member remove)", runProject},
		{"demo-data", "write synthetic household microdata for trying Atelier out", runDemoData},
		{"profile", "build a cluster-profile export from microdata, and check it", runProfile},
		{"check", "check a cluster-profile export: suppression and attacker audit", runCheck},
		{"import", "import an export into a project as a pending profile set", runImport},
		{"approve", "approve a pending profile set (a steward other than the importer)", runDecision("approve")},
		{"reject", "reject a pending profile set, with a reason", runDecision("reject")},
		{"withdraw", "withdraw a profile set from view, with a reason", runDecision("withdraw")},
		{"rules", "show or tighten a project's disclosure rules", runProjectRules},
		{"retention", "delete what has expired (retention run), extend an archive once (retention extend)", runRetention},
		{"audit", "verify the audit trail's chain, export it for a SIEM, set its retention", runAudit},
		{"backup", "write a consistent copy of the database, also while the server runs", runBackup},
		{"version", "print the version", runVersion},
		{"help", "show this help", nil},
	}
}

// run is the whole program: it parses args, wires everything and returns
// when the command is done or ctx is cancelled.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	return runEnv(ctx, args, env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr})
}

// runEnv is run with the surroundings in one value.
func runEnv(ctx context.Context, args []string, e env) error {
	stdout, stderr := e.stdout, e.stderr
	if len(args) < 2 {
		usage(stderr)
		return errUsage
	}
	name, rest := args[1], args[2:]
	if name == "help" || name == "-h" || name == "--help" || name == "-help" {
		usage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			err := c.run(ctx, e, rest)
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return err
		}
	}
	fmt.Fprintf(stderr, "atelier: unknown command %q\n\n", name)
	usage(stderr)
	return errUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Atelier: a realtime dashboard for data-informed co-design workshops.")
	fmt.Fprintln(w, "\nUsage: atelier <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'atelier <command> -h' for the flags of a command.")
}

// newFlagSet returns a flag set that prints its usage to e.stderr and
// returns errors instead of exiting.
func newFlagSet(e env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: atelier %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// subcommand is one verb of a command that has several (atelier user add).
// A name of two words (project "member add") takes two arguments.
type subcommand struct {
	name string
	run  func(ctx context.Context, e env, args []string) error
}

// runSubcommand runs the subcommand that args name. No arguments, -h and a
// name it does not know print the command's usage; only -h is not an
// error.
func runSubcommand(ctx context.Context, e env, command, usage string, subs []subcommand, args []string) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprintln(e.stderr, usage)
		return nil
	}
	var names []string
	for _, sub := range subs {
		words := strings.Fields(sub.name)
		if len(args) >= len(words) && slices.Equal(args[:len(words)], words) {
			return sub.run(ctx, e, args[len(words):])
		}
		names = append(names, sub.name)
	}
	if len(args) > 0 {
		fmt.Fprintf(e.stderr, "atelier %s: unknown subcommand %q (%s)\n", command, args[0], strings.Join(names, ", "))
	}
	fmt.Fprintln(e.stderr, usage)
	return errUsage
}

// parseFlags parses args, turning a bad flag into a usage error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

func runVersion(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "version", "version")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "atelier", version)
	return nil
}

// envOr returns the environment variable key, or def when it is unset.
func envOr(e env, key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}
