// Package barehub is the bare reference hub of the performance yardsticks
// (DESIGN.md, "Performance yardsticks"; issue 4, item 9): the least a
// websocket broadcast server with durable commits can do, to measure Atelier
// against on the same machine, with the same loader, in the same run.
//
// It speaks the subset of docs/protocol.md and of the HTTP flow that
// cmd/atelier-load uses, and nothing else:
//
//   - GET/POST /login accept anyone (a CSRF cookie and a session cookie are set
//     so that the loader's flow is the real one);
//   - GET /api/projects lists one fake project with clusters C1..C7;
//   - POST /api/sessions, POST /api/sessions/{id}/open keep sessions in memory
//     and give each open session a join code;
//   - POST /api/join gives a participant id and a cookie;
//   - GET /ws/sessions/{id} is a gorilla websocket: hello is answered with
//     welcome, an empty snapshot and synced; each note.create and vote.add
//     (counted per note, without a budget) goes to a single
//     writer goroutine that commits pending notes in one SQLite transaction
//     (WAL, synchronous=FULL), assigns per-session seqs, and only then acks the
//     sender and broadcasts the event.
//
// Every connection has its own writer goroutine and a bounded queue; a
// connection whose queue is full is closed with code 4008. By default each
// message is one websocket frame; with Options.Coalesce the writer sends all
// queued messages of a connection as one batch frame.
//
// No validation beyond what keeps the hub from crashing, no op_id dedup, no
// rate limits, no privacy guard, no authentication: it is a yardstick.
package barehub

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"

	"github.com/gorilla/websocket"
	_ "modernc.org/sqlite" // driver "sqlite"
)

// Options configure a Hub.
type Options struct {
	// DBPath is the SQLite file the notes are committed to (created if
	// missing). Required.
	DBPath string
	// Coalesce makes each connection's writer send all queued messages as one
	// batch frame instead of one frame per message.
	Coalesce bool
	// QueueSize is the per-connection send queue (default 1024, as in
	// docs/protocol.md).
	QueueSize int
	// MaxBatch caps the notes committed in one transaction (default 1024).
	MaxBatch int
}

// Hub is the bare reference server. Create it with New, serve Handler, and
// Close it when done.
type Hub struct {
	opts    Options
	db      *sql.DB
	upgrade websocket.Upgrader

	mu           sync.Mutex
	sessions     map[int64]*session
	byCode       map[string]*session
	participants map[string]*participant // by cookie token
	conns        map[*conn]struct{}
	nextSession  int64
	nextPart     int64
	closed       bool

	pending chan pendingOp     // reader goroutines → committer
	publish chan []committedOp // committer → publisher
	quit    chan struct{}      // closed by Close
	done    sync.WaitGroup     // committer and publisher
}

type session struct {
	id       int64
	title    string
	question string
	clusters []cluster
	code     string
	state    string

	// assigned is the last seq handed out, tallies the votes per note id;
	// only the committer touches them.
	assigned int64
	tallies  map[string]int

	mu        sync.Mutex
	published int64 // last seq broadcast; guarded by mu
	subs      map[*conn]struct{}
}

type cluster struct {
	Set   int    `json:"set,omitempty"`
	ID    string `json:"id"`
	Label string `json:"label"`
}

type participant struct {
	id        string
	pseudonym string
	role      string
	session   *session
}

// pendingOp is a note.create, or a vote.add (vote is the note's id),
// waiting for the committer.
type pendingOp struct {
	c       *conn
	opID    string
	cluster string
	kind    string
	text    string
	vote    string
}

// committedOp is a note or vote that is in the database, with its seq and
// the bytes to send.
type committedOp struct {
	c     *conn
	s     *session
	seq   int64
	ack   []byte
	mine  []byte // the event for its author ("mine": true)
	event []byte // the event for everyone else
}

// The fake project: one project, seven clusters.
var fakeClusters = []cluster{
	{1, "C1", "Eenoudergezinnen in de bijstand"},
	{1, "C2", "Jonge gezinnen met huurachterstand"},
	{1, "C3", "Werkende armen met schulden"},
	{1, "C4", "Gezinnen met een zorgvraag"},
	{1, "C5", "Jongeren die op zichzelf wonen"},
	{1, "C6", "Nieuwkomers met kinderen"},
	{1, "C7", "Gezinnen bij de voedselbank"},
}

const projectSlug = "smart-start-demo"

// New opens (or creates) the database and starts the committer.
func New(opts Options) (*Hub, error) {
	if opts.DBPath == "" {
		return nil, errors.New("barehub: DBPath is required")
	}
	if opts.QueueSize <= 0 {
		opts.QueueSize = 1024
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 1024
	}
	dsn := "file:" + (&url.URL{Path: opts.DBPath}).EscapedPath() +
		"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(5000)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1) // one writer, no SQLITE_BUSY
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS notes (
		id INTEGER PRIMARY KEY,
		session INTEGER NOT NULL,
		seq INTEGER NOT NULL,
		op_id TEXT NOT NULL,
		participant TEXT NOT NULL,
		cluster TEXT NOT NULL,
		kind TEXT NOT NULL,
		text TEXT NOT NULL,
		created_at TEXT NOT NULL,
		UNIQUE (session, seq));
	CREATE TABLE IF NOT EXISTS votes (
		id INTEGER PRIMARY KEY,
		session INTEGER NOT NULL,
		seq INTEGER NOT NULL,
		op_id TEXT NOT NULL,
		participant TEXT NOT NULL,
		note TEXT NOT NULL,
		created_at TEXT NOT NULL,
		UNIQUE (session, seq))`); err != nil {
		db.Close()
		return nil, fmt.Errorf("barehub: create schema: %w", err)
	}
	h := &Hub{
		opts:         opts,
		db:           db,
		sessions:     map[int64]*session{},
		byCode:       map[string]*session{},
		participants: map[string]*participant{},
		conns:        map[*conn]struct{}{},
		pending:      make(chan pendingOp, 4096),
		publish:      make(chan []committedOp, 64),
		quit:         make(chan struct{}),
	}
	// Sessions continue after the highest one in the file, so that a reused
	// database keeps (session, seq) unique.
	var maxSession sql.NullInt64
	if err := db.QueryRow(`SELECT MAX(session) FROM notes`).Scan(&maxSession); err != nil {
		db.Close()
		return nil, err
	}
	h.nextSession = maxSession.Int64
	h.upgrade = websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096, WriteBufferPool: &sync.Pool{}}
	h.done.Add(2)
	go h.committer()
	go h.publisher()
	return h, nil
}

// Close closes every websocket (code 1000), stops the committer and closes
// the database. Notes already acknowledged are in the database.
func (h *Hub) Close() error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil
	}
	h.closed = true
	conns := make([]*conn, 0, len(h.conns))
	for c := range h.conns {
		conns = append(conns, c)
	}
	h.mu.Unlock()
	for _, c := range conns {
		c.kill(websocket.CloseNormalClosure, "server shutting down")
	}
	close(h.quit)
	h.done.Wait()
	return h.db.Close()
}

// Handler serves the endpoints the loader uses.
func (h *Hub) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", h.handleLoginForm)
	mux.HandleFunc("POST /login", h.handleLogin)
	mux.HandleFunc("GET /api/projects", h.handleProjects)
	mux.HandleFunc("POST /api/sessions", h.handleCreateSession)
	mux.HandleFunc("POST /api/sessions/{id}/open", h.handleOpenSession)
	mux.HandleFunc("GET /api/sessions/{id}", h.handleGetSession)
	mux.HandleFunc("POST /api/join", h.handleJoin)
	mux.HandleFunc("GET /ws/sessions/{id}", h.handleSocket)
	return mux
}
