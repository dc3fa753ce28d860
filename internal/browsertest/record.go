package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
)

// ConsoleError is one problem that a page reported while it ran: an uncaught
// exception or unhandled promise rejection, a call of console.error or
// console.assert that failed, or an error of the browser log, such as a
// Content Security Policy violation or a resource that failed to load.
type ConsoleError struct {
	// Source tells where the error came from: "exception", "console", or the
	// source of the browser log entry, such as "security" for a CSP violation
	// or "network" for a failed request.
	Source string
	// Text is the message, with the stack of an exception when there is one.
	Text string
	// URL and Line tell where the error happened, when the browser knows.
	// Line starts at 1; it is 0 when unknown.
	URL  string
	Line int64
}

// String returns the error as one readable line.
func (e ConsoleError) String() string {
	s := e.Source + ": " + e.Text
	switch {
	case e.URL != "" && e.Line > 0:
		s += fmt.Sprintf(" (%s:%d)", e.URL, e.Line)
	case e.URL != "":
		s += " (" + e.URL + ")"
	}
	return s
}

// recorderKey is the key of the recorder in a context from NewContext.
type recorderKey struct{}

// recorder collects the console errors and the requested URLs of one tab. Its
// handle method runs on the goroutine of chromedp that reads the events of the
// tab, so it must be fast and must not call chromedp.
type recorder struct {
	mu       sync.Mutex
	errors   []ConsoleError
	requests []string
}

func (r *recorder) handle(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		if d == nil {
			return
		}
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		r.addError(ConsoleError{Source: "exception", Text: text, URL: d.URL, Line: d.LineNumber + 1})
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		e := ConsoleError{Source: "console", Text: argsText(ev.Args)}
		if ev.StackTrace != nil && len(ev.StackTrace.CallFrames) > 0 {
			f := ev.StackTrace.CallFrames[0]
			e.URL, e.Line = f.URL, f.LineNumber+1
		}
		r.addError(e)
	case *log.EventEntryAdded:
		en := ev.Entry
		if en == nil || en.Level != log.EntryLevelError || isFaviconMiss(en) {
			return
		}
		e := ConsoleError{Source: string(en.Source), Text: en.Text, URL: en.URL}
		if en.LineNumber > 0 {
			// The browser log counts lines from 0; 0 also means unknown.
			e.Line = en.LineNumber + 1
		}
		r.addError(e)
	case *network.EventRequestWillBeSent:
		if ev.Request != nil {
			r.addRequest(ev.Request.URL)
		}
	case *network.EventWebSocketCreated:
		r.addRequest(ev.URL)
	}
}

// isFaviconMiss reports whether the entry is the failure of the browser's own
// request for /favicon.ico. The browser makes that request after the page
// loads, whether the page asks for it or not, so counting it would make tests
// fail at random on a server without a favicon.
func isFaviconMiss(en *log.Entry) bool {
	if en.Source != log.EntrySourceNetwork {
		return false
	}
	u, err := url.Parse(en.URL)
	return err == nil && u.Path == "/favicon.ico"
}

func (r *recorder) addError(e ConsoleError) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, e)
}

func (r *recorder) addRequest(u string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, u)
}

// argsText joins the arguments of a console call as the console shows them.
func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		var s string
		if a.Type == runtime.RemoteObjectTypeString && json.Unmarshal(a.Value, &s) == nil {
			parts = append(parts, s)
			continue
		}
		switch {
		case a.Description != "":
			parts = append(parts, a.Description)
		case len(a.Value) > 0:
			parts = append(parts, string(a.Value))
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

// recorderFrom returns the recorder of a context from NewContext, or fails the
// test.
func recorderFrom(ctx context.Context, t testing.TB) *recorder {
	t.Helper()
	r, ok := ctx.Value(recorderKey{}).(*recorder)
	if !ok {
		t.Fatal("browsertest: the context does not come from Browser.NewContext")
	}
	return r
}

// ConsoleErrors returns the errors that the tab of ctx reported since the
// context was made, in order. Events arrive as the page runs, so an error of a
// script that runs late (after a timer or a fetch) shows only once the page got
// there; wait for a visible result first, for example with WaitText.
func ConsoleErrors(ctx context.Context, t testing.TB) []ConsoleError {
	t.Helper()
	r := recorderFrom(ctx, t)
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]ConsoleError(nil), r.errors...)
}

// AssertNoConsoleErrors fails the test, listing every error, when the tab of
// ctx reported any error (see ConsoleErrors).
func AssertNoConsoleErrors(ctx context.Context, t testing.TB) {
	t.Helper()
	errs := ConsoleErrors(ctx, t)
	if len(errs) == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "the page reported %d console error(s):", len(errs))
	for _, e := range errs {
		b.WriteString("\n  - " + e.String())
	}
	t.Error(b.String())
}

// Requests returns every URL that the tab of ctx requested since the context
// was made, in order, including documents, scripts, images, fetches and
// WebSocket connections. A URL that was requested twice is there twice.
func Requests(ctx context.Context, t testing.TB) []string {
	t.Helper()
	r := recorderFrom(ctx, t)
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.requests...)
}

// AssertLocalRequests fails the test when the tab of ctx requested a URL that
// is not on the loopback interface (127.0.0.0/8, ::1 or localhost). The
// schemes data:, blob: and about: never leave the machine and are allowed.
func AssertLocalRequests(ctx context.Context, t testing.TB) {
	t.Helper()
	if bad := NonLocal(Requests(ctx, t)); len(bad) > 0 {
		t.Errorf("the page requested %d URL(s) outside 127.0.0.1:\n  - %s", len(bad), strings.Join(bad, "\n  - "))
	}
}

// NonLocal returns the URLs in urls that would leave the machine, in order.
// See AssertLocalRequests for what counts as local.
func NonLocal(urls []string) []string {
	var bad []string
	for _, raw := range urls {
		if !isLocal(raw) {
			bad = append(bad, raw)
		}
	}
	return bad
}

func isLocal(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "data", "blob", "about":
		return true
	case "http", "https", "ws", "wss":
		host := u.Hostname()
		if host == "localhost" {
			return true
		}
		ip := net.ParseIP(host)
		return ip != nil && ip.IsLoopback()
	}
	return false
}
