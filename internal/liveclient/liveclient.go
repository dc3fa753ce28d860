// Package liveclient is a Go client of Atelier's live protocol
// (docs/protocol.md). It dials /ws/sessions/{id} with an account's or a
// participant's cookies and the server's own Origin, says hello with the
// last sequence number it applied, unpacks batch frames, decodes messages
// into the sessions package's types, tracks the session's sequence, keeps
// every op pending until its ack or error, re-sends ops the server asked to
// retry, and re-sends all pending ops after a reconnect.
//
// The server's tests, the kill -9 test and the load generator all speak
// through it. The load generator holds thousands of connections and times
// every delivered event, so the reader does no more per message than it
// must: frames are read into a reused buffer, batches are cut into their
// items without decoding, each message's type and seq are read by position,
// and the Raw hook sees every message, with its frame's arrival time, before
// anything is decoded.
package liveclient

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// writeWait bounds every write: a server that stops reading fails the
// write instead of holding the writer forever.
const writeWait = 10 * time.Second

// ErrClosed is returned when a connection has ended and no message is left
// to read; it wraps the reason, if the server ended it.
var ErrClosed = errors.New("liveclient: connection closed")

// Options say where to connect, as whom, and how messages are handed over.
type Options struct {
	// URL is the server's base URL, such as http://127.0.0.1:8080.
	URL string
	// Session is the id of the session to join.
	Session int64
	// Client's cookie jar gives the cookies for URL: an account's
	// atelier_session or a participant's atelier_participant. Cookies are
	// sent too, as they are (a test that restarts its server on another
	// port carries the old cookies over this way).
	Client  *http.Client
	Cookies []*http.Cookie
	// Origin is sent as the Origin header; empty means URL's own origin,
	// the only one the server accepts.
	Origin string
	// Since is the last sequence number the client applied, sent with the
	// first hello.
	Since int64
	// Dialer dials the websocket; nil means one with a 10 s handshake
	// timeout. Its Jar is not used: cookies come from Client and Cookies.
	Dialer *websocket.Dialer
	// OpPrefix starts the op ids that Send makes (prefix-1, prefix-2, …);
	// empty means a random prefix.
	OpPrefix string

	// Raw, when set, is called on the reader goroutine with every message
	// before it is decoded: its header, its bytes (valid during the call
	// only) and the time its frame arrived. When Raw returns true the
	// message is neither decoded nor delivered. Sequence numbers and synced
	// are tracked either way; acks and errors must be left to the Conn
	// (return false) for its pending ops to stay right.
	Raw func(h Header, msg []byte, at time.Time) bool
	// OnMessage, when set, receives every decoded message on the reader
	// goroutine, and Next, Until and WaitAck are not used. It must return
	// soon: the server drops a client that does not read.
	OnMessage func(Message)
	// Buffer is the capacity of the channel Next reads from; 0 means 1024.
	Buffer int
}

// Conn is one client of a live session. It outlives its websocket:
// Reconnect opens a new one with the same pending ops and sequence.
type Conn struct {
	opts   Options
	dialer *websocket.Dialer
	msgs   chan Message
	opSeq  atomic.Uint64

	// wmu makes writes one at a time; Reconnect holds it while it
	// replaces the websocket, so that no op goes to the old one.
	wmu sync.Mutex

	mu      sync.Mutex
	wsURL   string
	header  http.Header // Origin and Cookie
	link    *link       // the current websocket; replaced with wmu and mu held
	pending map[string]pendingOp
	order   uint64 // pendingOp.order of the last op sent
	closed  bool

	lastSeq atomic.Int64
	stale   atomic.Int64
	gaps    atomic.Int64

	// The reader's: at most one reader runs at a time.
	reader readerState
}

// link is one websocket and its reader.
type link struct {
	ws      *websocket.Conn
	done    chan struct{} // closed when the reader has stopped
	synced  chan struct{} // closed when synced arrives
	stop    chan struct{} // closed when we end it: the reader stops delivering
	closing atomic.Bool   // we end it: a read error then is no error
	helloAt time.Time

	// Written by the reader before it closes synced or done.
	syncedAt time.Time
	err      error
}

// pendingOp is an op sent and neither acknowledged nor refused.
type pendingOp struct {
	frame []byte
	order uint64 // to re-send in the order first sent
}

// Dial connects to the session, sends hello and starts reading. It does not
// wait for synced: see WaitSynced.
func Dial(ctx context.Context, opts Options) (*Conn, error) {
	c := &Conn{opts: opts, dialer: opts.Dialer, pending: map[string]pendingOp{}}
	if c.dialer == nil {
		c.dialer = &websocket.Dialer{HandshakeTimeout: 10 * time.Second}
	}
	if c.opts.OpPrefix == "" {
		b := make([]byte, 5)
		rand.Read(b)
		c.opts.OpPrefix = base32.StdEncoding.EncodeToString(b)
	}
	if opts.OnMessage == nil {
		size := opts.Buffer
		if size <= 0 {
			size = 1024
		}
		c.msgs = make(chan Message, size)
	}
	if err := c.target(opts.URL, opts.Origin); err != nil {
		return nil, err
	}
	c.lastSeq.Store(opts.Since)
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.connect(ctx, opts.Since); err != nil {
		return nil, err
	}
	return c, nil
}

// target sets the websocket URL and the headers for the server at base.
func (c *Conn) target(base, origin string) error {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return fmt.Errorf("liveclient: bad server URL %q", base)
	}
	scheme := "ws"
	if u.Scheme == "https" {
		scheme = "wss"
	}
	if origin == "" {
		origin = u.Scheme + "://" + u.Host
	}
	h := http.Header{"Origin": {origin}}
	var cookies []string
	if c.opts.Client != nil && c.opts.Client.Jar != nil {
		for _, ck := range c.opts.Client.Jar.Cookies(u) {
			cookies = append(cookies, ck.Name+"="+ck.Value)
		}
	}
	for _, ck := range c.opts.Cookies {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	if len(cookies) > 0 {
		h.Set("Cookie", strings.Join(cookies, "; "))
	}
	c.mu.Lock()
	c.wsURL = scheme + "://" + u.Host + "/ws/sessions/" + strconv.FormatInt(c.opts.Session, 10)
	c.header = h
	c.mu.Unlock()
	return nil
}

// DialError is a refused websocket upgrade: the server answered with an
// HTTP status (401, 403, 404) instead of switching protocols.
type DialError struct {
	StatusCode int
	Err        error
}

func (e *DialError) Error() string {
	return fmt.Sprintf("liveclient: dial: %v (status %d)", e.Err, e.StatusCode)
}

func (e *DialError) Unwrap() error { return e.Err }

// connect opens a websocket, says hello with since and starts its reader.
// c.wmu is held.
func (c *Conn) connect(ctx context.Context, since int64) error {
	c.mu.Lock()
	wsURL, header := c.wsURL, c.header
	c.mu.Unlock()
	ws, res, err := c.dialer.DialContext(ctx, wsURL, header)
	if err != nil {
		if res != nil {
			return &DialError{StatusCode: res.StatusCode, Err: err}
		}
		return fmt.Errorf("liveclient: dial: %w", err)
	}
	l := &link{ws: ws, done: make(chan struct{}), synced: make(chan struct{}), stop: make(chan struct{}), helloAt: time.Now()}
	hello := strconv.AppendInt([]byte(`{"type":"hello","since":`), since, 10)
	hello = append(hello, '}')
	ws.SetWriteDeadline(time.Now().Add(writeWait))
	if err := ws.WriteMessage(websocket.TextMessage, hello); err != nil {
		ws.Close()
		return fmt.Errorf("liveclient: hello: %w", err)
	}
	c.mu.Lock()
	c.link = l
	c.mu.Unlock()
	c.reader.seq = since // no reader runs now: Reconnect waited for the last
	go c.read(l)
	return nil
}

// Reconnect ends the current websocket, waits for its reader, opens a new
// one with hello since LastSeq, and re-sends every pending op with its own
// op id, in the order they were first sent. baseURL, when not empty, is
// where the server listens now (the Origin follows it); empty means the
// same server.
func (c *Conn) Reconnect(ctx context.Context, baseURL string) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.mu.Lock()
	old, closed := c.link, c.closed
	c.mu.Unlock()
	if closed {
		return ErrClosed
	}
	old.shut()
	<-old.done
	if baseURL != "" {
		if err := c.target(baseURL, ""); err != nil {
			return err
		}
	}
	if err := c.connect(ctx, c.lastSeq.Load()); err != nil {
		return err
	}
	for _, frame := range c.pendingFrames() {
		if err := c.writeLocked(frame); err != nil {
			return fmt.Errorf("liveclient: re-send: %w", err)
		}
	}
	return nil
}

// Close ends the connection for good. Its reader stops soon after: see
// Done.
func (c *Conn) Close() error {
	c.mu.Lock()
	c.closed = true
	l := c.link
	c.mu.Unlock()
	l.shut()
	return nil
}

// shut ends the websocket from our side, once.
func (l *link) shut() {
	if l.closing.Swap(true) {
		return
	}
	close(l.stop)
	l.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	l.ws.Close()
}

func (c *Conn) current() *link {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.link
}

// Done is closed when the current websocket's reader has stopped.
func (c *Conn) Done() <-chan struct{} { return c.current().done }

// Err says why the current websocket ended: nil while it is open or when
// we closed it, otherwise the read error (a *websocket.CloseError when the
// server sent a close frame).
func (c *Conn) Err() error {
	l := c.current()
	select {
	case <-l.done:
		return l.err
	default:
		return nil
	}
}

// CloseCode is the close code the server ended the current websocket with
// (docs/protocol.md: 1000, 1008, 1009, 4008), or 0.
func (c *Conn) CloseCode() int {
	var ce *websocket.CloseError
	if errors.As(c.Err(), &ce) {
		return ce.Code
	}
	return 0
}

// WaitSynced waits until the current websocket has received synced.
func (c *Conn) WaitSynced(ctx context.Context) error {
	l := c.current()
	select {
	case <-l.synced:
		return nil
	case <-l.done:
		select {
		case <-l.synced:
			return nil
		default:
		}
		return fmt.Errorf("liveclient: closed before synced: %w", closedError(l))
	case <-ctx.Done():
		return ctx.Err()
	}
}

// SyncLatency is the time from sending hello to the arrival of synced on
// the current websocket, or 0 before synced.
func (c *Conn) SyncLatency() time.Duration {
	l := c.current()
	select {
	case <-l.synced:
		return l.syncedAt.Sub(l.helloAt)
	default:
		return 0
	}
}

// LastSeq is the last sequence number applied: that of the latest event or
// snapshot, as of the last message delivered or frame read.
func (c *Conn) LastSeq() int64 { return c.lastSeq.Load() }

// Stats counts what breaks the protocol's order promise.
type Stats struct {
	Stale int64 // events whose seq was not above LastSeq: repeated or out of order
	Gaps  int64 // events whose seq skipped at least one
}

// Stats returns the counts so far.
func (c *Conn) Stats() Stats { return Stats{Stale: c.stale.Load(), Gaps: c.gaps.Load()} }

func closedError(l *link) error {
	if l.err != nil {
		return fmt.Errorf("%w: %w", ErrClosed, l.err)
	}
	return ErrClosed
}
