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
//     welcome, an empty snapshot and synced; each note.create goes to a single
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
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

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

	pending chan pendingNote     // reader goroutines → committer
	publish chan []committedNote // committer → publisher
	quit    chan struct{}        // closed by Close
	done    sync.WaitGroup       // committer and publisher
}

type session struct {
	id       int64
	title    string
	question string
	clusters []cluster
	code     string
	state    string

	// assigned is the last seq handed out; only the committer touches it.
	assigned int64

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

// pendingNote is a note.create waiting for the committer.
type pendingNote struct {
	c       *conn
	opID    string
	cluster string
	kind    string
	text    string
}

// committedNote is a note that is in the database, with its seq and the
// bytes to send.
type committedNote struct {
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
		pending:      make(chan pendingNote, 4096),
		publish:      make(chan []committedNote, 64),
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

// ---- HTTP endpoints ----

func (h *Hub) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	token := randomToken(16)
	http.SetCookie(w, &http.Cookie{Name: "atelier_csrf", Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><html lang="nl"><title>Inloggen</title>
<form method="post" action="/login">
<input type="hidden" name="_csrf" value="%s">
<input name="email"><input name="password" type="password"><button>Inloggen</button>
</form></html>`, token)
}

func (h *Hub) handleLogin(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: "atelier_session", Value: randomToken(20), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (h *Hub) handleProjects(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"projects": []any{map[string]any{
		"slug": projectSlug, "name": "Smart Start (bare hub)", "clusters": fakeClusters,
	}}})
}

// sessionJSON is the session as the API returns it.
func (s *session) view() map[string]any {
	var code any
	if s.code != "" {
		code = s.code
	}
	return map[string]any{"id": s.id, "code": code, "state": s.state, "title": s.title,
		"question": s.question, "project": projectSlug, "clusters": s.clusters, "vote_budget": 5}
}

func (h *Hub) handleCreateSession(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Project  string   `json:"project"`
		Title    string   `json:"title"`
		Question string   `json:"question"`
		Clusters []string `json:"clusters"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid"})
		return
	}
	s := &session{title: req.Title, question: req.Question, state: "draft", subs: map[*conn]struct{}{}}
	for _, id := range req.Clusters {
		for _, c := range fakeClusters {
			if c.ID == id {
				s.clusters = append(s.clusters, cluster{ID: c.ID, Label: c.Label})
			}
		}
	}
	if len(s.clusters) == 0 {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid"})
		return
	}
	h.mu.Lock()
	h.nextSession++
	s.id = h.nextSession
	h.sessions[s.id] = s
	v := s.view()
	h.mu.Unlock()
	writeJSON(w, http.StatusCreated, v)
}

func (h *Hub) sessionOf(r *http.Request) *session {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.sessions[id]
}

func (h *Hub) handleOpenSession(w http.ResponseWriter, r *http.Request) {
	s := h.sessionOf(r)
	if s == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not_found"})
		return
	}
	h.mu.Lock()
	if s.code == "" {
		for {
			code := randomToken(5)[:6]
			if h.byCode[code] == nil {
				s.code = code
				h.byCode[code] = s
				break
			}
		}
	}
	s.state = "open"
	v := s.view()
	h.mu.Unlock()
	writeJSON(w, http.StatusOK, v)
}

func (h *Hub) handleGetSession(w http.ResponseWriter, r *http.Request) {
	s := h.sessionOf(r)
	if s == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not_found"})
		return
	}
	h.mu.Lock()
	v := s.view()
	h.mu.Unlock()
	writeJSON(w, http.StatusOK, v)
}

var colours = []string{"Blauwe", "Groene", "Oranje", "Rode", "Gele", "Paarse", "Grijze", "Witte"}
var animals = []string{"Reiger", "Das", "Vos", "Egel", "Uil", "Merel", "Haas", "Otter", "Zwaan", "Mol"}

func (h *Hub) handleJoin(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Code string `json:"code"`
		Role string `json:"role"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid"})
		return
	}
	if req.Role == "" {
		req.Role = "other"
	}
	token := randomToken(20)
	h.mu.Lock()
	s := h.byCode[req.Code]
	if s == nil || s.state != "open" {
		h.mu.Unlock()
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not_found"})
		return
	}
	h.nextPart++
	n := h.nextPart
	p := &participant{
		id:        "p" + strconv.FormatInt(n, 10),
		pseudonym: colours[n%int64(len(colours))] + " " + animals[(n/int64(len(colours)))%int64(len(animals))],
		role:      req.Role,
		session:   s,
	}
	h.participants[token] = p
	v := s.view()
	h.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: "atelier_participant", Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	writeJSON(w, http.StatusOK, map[string]any{"session": v,
		"participant": map[string]string{"pseudonym": p.pseudonym, "role": p.role}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

// ---- the committer and the publisher ----

// committer is the single writer: it takes every pending note that is
// waiting (up to MaxBatch), commits them in one transaction, assigns their
// seqs, and hands them to the publisher. Nothing is sent before the commit.
func (h *Hub) committer() {
	defer h.done.Done()
	defer close(h.publish)
	batch := make([]pendingNote, 0, h.opts.MaxBatch)
	for {
		batch = batch[:0]
		select {
		case p := <-h.pending:
			batch = append(batch, p)
		case <-h.quit:
			return
		}
	drain:
		for len(batch) < h.opts.MaxBatch {
			select {
			case p := <-h.pending:
				batch = append(batch, p)
			default:
				break drain
			}
		}
		out, err := h.commit(batch)
		if err != nil {
			// Nothing was applied: tell each sender (protocol: "internal",
			// keep the op pending and re-send).
			for _, p := range batch {
				msg, _ := json.Marshal(map[string]string{"type": "error", "op_id": p.opID, "code": "internal", "message": "opslaan mislukt"})
				p.c.send(msg)
			}
			continue
		}
		h.publish <- out
	}
}

type wireNote struct {
	ID        string `json:"id"`
	Cluster   string `json:"cluster"`
	Kind      string `json:"kind"`
	Text      string `json:"text"`
	Author    string `json:"author"`
	Role      string `json:"role"`
	Mine      bool   `json:"mine"`
	Version   int    `json:"version"`
	Votes     int    `json:"votes"`
	CreatedAt string `json:"created_at"`
}

type wireEvent struct {
	Type string   `json:"type"`
	Seq  int64    `json:"seq"`
	Kind string   `json:"kind"`
	Note wireNote `json:"note"`
}

type wireAck struct {
	Type string `json:"type"`
	OpID string `json:"op_id"`
	Seq  int64  `json:"seq"`
	ID   string `json:"id"`
}

// commit writes one batch in one transaction and returns what to publish.
func (h *Hub) commit(batch []pendingNote) ([]committedNote, error) {
	now := time.Now().UTC().Format(time.RFC3339)
	tx, err := h.db.Begin()
	if err != nil {
		return nil, err
	}
	stmt, err := tx.Prepare(`INSERT INTO notes (session, seq, op_id, participant, cluster, kind, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	out := make([]committedNote, 0, len(batch))
	seqs := make(map[*session]int64) // next seq per session within this batch
	ids := make([]int64, len(batch))
	for i, p := range batch {
		s := p.c.part.session
		seq, ok := seqs[s]
		if !ok {
			seq = s.assigned
		}
		seq++
		seqs[s] = seq
		res, err := stmt.Exec(s.id, seq, p.opID, p.c.part.id, p.cluster, p.kind, p.text, now)
		if err != nil {
			tx.Rollback()
			return nil, err
		}
		ids[i], _ = res.LastInsertId()
		out = append(out, committedNote{c: p.c, s: s, seq: seq})
	}
	stmt.Close()
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	// Committed: the seqs are taken for good.
	for s, seq := range seqs {
		s.assigned = seq
	}
	for i, p := range batch {
		id := "n" + strconv.FormatInt(ids[i], 10)
		ev := wireEvent{Type: "event", Seq: out[i].seq, Kind: "note.created", Note: wireNote{
			ID: id, Cluster: p.cluster, Kind: p.kind, Text: p.text, Author: p.c.part.pseudonym,
			Role: p.c.part.role, Version: 1, CreatedAt: now}}
		out[i].event, _ = json.Marshal(ev)
		ev.Note.Mine = true
		out[i].mine, _ = json.Marshal(ev)
		out[i].ack, _ = json.Marshal(wireAck{Type: "ack", OpID: p.opID, Seq: out[i].seq, ID: id})
	}
	return out, nil
}

// publisher acks each committed note to its sender and broadcasts its event
// to every connection of the session, in seq order. It runs beside the
// committer, so the next commit overlaps with this fan-out.
func (h *Hub) publisher() {
	defer h.done.Done()
	for batch := range h.publish {
		for _, n := range batch {
			n.c.send(n.ack)
			n.s.mu.Lock()
			for c := range n.s.subs {
				if c == n.c {
					c.send(n.mine)
				} else {
					c.send(n.event)
				}
			}
			n.s.published = n.seq
			n.s.mu.Unlock()
		}
	}
}
