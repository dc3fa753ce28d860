package sessions

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"atelier/internal/apperr"
	"atelier/store"
)

// Engine limits.
const (
	replayLimit = 1000 // more missed events than this: send a snapshot
	// batchLimit bounds the ops committed in one transaction. On a machine
	// short of CPU or disk a commit (its fsync) takes tens of milliseconds
	// and ops pile up meanwhile: the more of them one commit takes, the
	// sooner the queue empties (the bare hub takes 1,024 too).
	batchLimit = 1024
	queueLimit = 8192 // ops waiting for the engine; beyond it senders are told to slow down
)

// Actor is who sends an op: a participant, or a facilitator (an account,
// UserID).
type Actor struct {
	Participant *Participant
	Facilitator bool
	UserID      int64
	Name        string // for the audit trail of moderation
}

// key tells actors apart in the ops table and the rate limits:
// participants by id, accounts by their negated id.
func (a Actor) key() int64 {
	if a.Participant != nil {
		return a.Participant.ID
	}
	return -a.UserID
}

// Op is one client operation waiting to be committed.
type Op struct {
	SessionID int64
	Actor     Actor
	OpID      string
	Name      string
	Data      json.RawMessage
	// Reply receives the engine's answer for the sender. It must not
	// block.
	Reply func(Reply)

	// publish marks the engine's own op that announces a change of the
	// session made outside it (opened, closed): see PublishSession.
	publish bool
}

// Reply is the engine's answer to one op: its ack, or why it was refused.
// The sender's connection puts it into words in its own language and
// sends it; the engine knows nothing of languages.
type Reply struct {
	OpID         string
	Ack          *Ack          // the op was applied (now or before)
	Err          *apperr.Error // the op was refused
	RetryAfterMs int           // with Err: when to try again
}

// refuse answers op with err.
func refuse(op *Op, err *apperr.Error, retryMs int) {
	op.Reply(Reply{OpID: op.OpID, Err: err, RetryAfterMs: retryMs})
}

// Live is the engine of live sessions: it commits operations in order,
// several to a transaction, assigns each change its session sequence
// number, and only after the commit publishes it and acknowledges it.
type Live struct {
	db   *store.DB
	hub  *Hub
	log  *slog.Logger
	ops  chan *Op
	stop chan struct{}
	done chan struct{}

	limits *limiters

	// sessions are the open sessions as the engine last read them, with
	// their sequence numbers. Only the run goroutine touches it; every
	// sequence number is given out there.
	sessions map[int64]*cachedSession
	// dirty lists the sessions whose sequence number moved in the current
	// batch, so that the commit saves those and only those.
	dirty map[int64]bool
	// stale lists sessions changed outside the engine since the last batch.
	staleMu sync.Mutex
	stale   map[int64]bool
}

// NewLive starts the engine. Close stops it.
func NewLive(db *store.DB, hub *Hub, log *slog.Logger) *Live {
	if log == nil {
		log = slog.Default()
	}
	l := &Live{db: db, hub: hub, log: log, ops: make(chan *Op, queueLimit), stop: make(chan struct{}), done: make(chan struct{}),
		limits: newLimiters(), sessions: map[int64]*cachedSession{}, dirty: map[int64]bool{}, stale: map[int64]bool{}}
	go l.run()
	return l
}

// Close stops the engine after the operations already queued.
func (l *Live) Close() {
	select {
	case <-l.stop:
	default:
		close(l.stop)
	}
	<-l.done
}

// Submit queues an op. Rate limits are checked here, per participant and
// per session, so a flood never reaches the database; a full queue (an
// overloaded machine) is answered the same way: slow down, try again.
func (l *Live) Submit(op *Op) {
	if !ValidOpID(op.OpID) {
		refuse(op, apperr.New(apperr.Invalid, "sessions.op_id_invalid"), 0)
		return
	}
	if wait, ok := l.limits.allow(op.SessionID, op.Actor.key(), time.Now()); !ok {
		refuse(op, apperr.New(apperr.RateLimited, "sessions.rate_limited"), int(wait.Milliseconds())+1)
		return
	}
	select {
	case l.ops <- op:
	default:
		refuse(op, apperr.New(apperr.RateLimited, "sessions.rate_limited"), 100)
	}
}

// run is the engine. It takes every op waiting, of every session (at most
// batchLimit), and commits them in one transaction: one fsync for all of
// them, however many sessions they come from. A second goroutine publishes
// each committed batch, in commit order, while the next one commits: under
// load the fan-out to the connections took a third of a batch's time, and
// the ops queued behind it.
func (l *Live) run() {
	defer close(l.done)
	committed := make(chan []outcome, 4)
	published := make(chan struct{})
	go func() {
		defer close(published)
		for outcomes := range committed {
			l.publish(outcomes)
		}
	}()
	defer func() {
		close(committed)
		<-published
	}()
	for {
		var first *Op
		select {
		case first = <-l.ops:
		case <-l.stop:
			return
		}
		batch := []*Op{first}
	drain:
		for len(batch) < batchLimit {
			select {
			case op := <-l.ops:
				batch = append(batch, op)
			default:
				break drain
			}
		}
		committed <- l.commit(batch)
	}
}

// outcome is what applying one op produced, to be sent after the commit.
type outcome struct {
	op      *Op
	err     error
	retryMs int // with err: when the sender may try again
	ack     *Ack
	event   *published
	kick    int64
}

type published struct {
	sessionID, author, seq int64
	audience               int
	own, others            []byte
}

// commit applies a batch in one transaction, each op under its own
// savepoint so that one bad op does not undo the others, and returns what
// to publish. Nothing of it is published before the commit.
func (l *Live) commit(batch []*Op) []outcome {
	ctx := context.Background()
	outcomes := make([]outcome, len(batch))
	l.forgetStale()
	err := l.db.Tx(ctx, func(tx *store.Tx) error {
		for i, op := range batch {
			outcomes[i].op = op
			if _, err := tx.ExecContext(ctx, `SAVEPOINT op`); err != nil {
				return err
			}
			ack, ev, kick, err := l.apply(ctx, tx, op)
			if err != nil {
				if _, refused := apperr.As(err); !refused {
					return err // a database failure: the whole batch fails
				}
				if _, err := tx.ExecContext(ctx, `ROLLBACK TO op`); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `RELEASE op`); err != nil {
				return err
			}
			outcomes[i].ack, outcomes[i].event, outcomes[i].kick, outcomes[i].err = ack, ev, kick, err
		}
		return l.saveSequences(ctx, tx)
	})
	if err != nil {
		// Nothing of the batch happened: what the engine holds in memory
		// may be ahead of the database.
		clear(l.sessions)
		clear(l.dirty)
		l.log.Error("commit ops", "err", err.Error(), "ops", len(batch))
		for i, op := range batch {
			outcomes[i] = outcome{op: op, err: apperr.New(apperr.Internal, "sessions.internal"), retryMs: 500}
		}
	}
	return outcomes
}

// publish tells everyone what a committed batch did, op by op in commit
// order: the event to its session's connections, then the ack to the
// sender, then the connections of a removed participant close.
func (l *Live) publish(outcomes []outcome) {
	for _, o := range outcomes {
		if o.err != nil {
			e, _ := apperr.As(o.err)
			refuse(o.op, e, o.retryMs)
			continue
		}
		if o.event != nil {
			l.hub.publish(o.event.sessionID, o.event.author, o.event.seq, o.event.audience, o.event.own, o.event.others)
		}
		o.op.Reply(Reply{OpID: o.op.OpID, Ack: o.ack})
		if o.kick != 0 {
			l.hub.Remove(o.op.SessionID, o.kick)
		}
	}
}

// saveSequences writes, once per session of the batch, the sequence number
// its events reached.
func (l *Live) saveSequences(ctx context.Context, tx *store.Tx) error {
	for id := range l.dirty {
		cs, ok := l.sessions[id]
		if !ok {
			return fmt.Errorf("save sequence: session %d is no longer held", id)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET seq = ? WHERE id = ?`, cs.seq, id); err != nil {
			return fmt.Errorf("save sequence: %w", err)
		}
	}
	clear(l.dirty)
	return nil
}

// apply runs one op inside the batch transaction: a repeated op id is
// acknowledged again; otherwise the op table says who may send the op and
// which handler applies it.
func (l *Live) apply(ctx context.Context, tx *store.Tx, op *Op) (*Ack, *published, int64, error) {
	if op.publish {
		return l.announce(ctx, tx, op)
	}
	if ack, err := repeated(ctx, tx, op); ack != nil || err != nil {
		return ack, nil, 0, err
	}
	maxAge := sessionTTL
	if op.Actor.Participant != nil {
		maxAge = participantTTL
	}
	cs, err := l.session(ctx, tx, op.SessionID, maxAge)
	if err != nil {
		return nil, nil, 0, err
	}
	sess := cs.Session
	if sess.State != Open {
		return nil, nil, 0, apperr.New(apperr.Forbidden, "sessions.not_open")
	}
	spec, ok := opTable[op.Name]
	if !ok {
		return nil, nil, 0, apperr.New(apperr.Invalid, "sessions.op_unknown", op.Name)
	}
	c := &opContext{ctx: ctx, tx: tx, sess: sess, op: op, p: op.Actor.Participant}
	switch {
	case c.p != nil && spec.from&participants == 0:
		return nil, nil, 0, apperr.New(apperr.Forbidden, "sessions.facilitators_only")
	case c.p == nil && (!op.Actor.Facilitator || spec.from&facilitators == 0):
		return nil, nil, 0, apperr.New(apperr.Forbidden, "sessions.participants_only")
	case c.p != nil && sess.Locked:
		return nil, nil, 0, apperr.New(apperr.Forbidden, "sessions.locked")
	}
	// A refused op leaves the session as it found it, in memory too.
	saved := *sess
	r, err := spec.apply(c)
	if err != nil {
		*sess = saved
		return nil, nil, 0, err
	}
	ack, pub, err := l.finish(c, r)
	return ack, pub, r.kick, err
}

// repeated returns the ack of an op id this actor sent before, or nil.
func repeated(ctx context.Context, tx *store.Tx, op *Op) (*Ack, error) {
	var seq int64
	var object, removed string
	err := tx.QueryRowContext(ctx, `SELECT seq, object, removed FROM ops WHERE session_id = ? AND actor = ? AND op_id = ?`,
		op.SessionID, op.Actor.key(), op.OpID).Scan(&seq, &object, &removed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read op: %w", err)
	}
	ack := &Ack{Type: "ack", OpID: op.OpID, Seq: seq, ID: object}
	if removed != "" {
		if err := json.Unmarshal([]byte(removed), &ack.Removed); err != nil {
			return nil, fmt.Errorf("read op: %w", err)
		}
	}
	return ack, nil
}

// finish sequences the event of an applied op and records the op for
// repeats.
func (l *Live) finish(c *opContext, r *result) (*Ack, *published, error) {
	author := r.author
	if author == 0 && c.p != nil {
		author = c.p.ID
	}
	pub, err := l.sequence(c.ctx, c.tx, c.sess, author, r.audience, r.event)
	if err != nil {
		return nil, nil, err
	}
	ack := &Ack{Type: "ack", OpID: c.op.OpID, Seq: pub.seq, ID: r.object, VotesLeft: r.votesLeft}
	var removedJSON []byte
	if len(r.removed) > 0 {
		for _, rd := range r.removed {
			ack.Removed = append(ack.Removed, RemovedView(rd))
		}
		removedJSON = mustJSON(ack.Removed)
	}
	if _, err := c.tx.ExecContext(c.ctx, `INSERT INTO ops (session_id, actor, op_id, seq, object, removed) VALUES (?, ?, ?, ?, ?, ?)`,
		c.sess.ID, c.op.Actor.key(), c.op.OpID, pub.seq, r.object, string(removedJSON)); err != nil {
		return nil, nil, fmt.Errorf("record op: %w", err)
	}
	return ack, pub, nil
}

// sequence gives ev the session's next sequence number and logs it for
// replay. Only ev's author sees it with mine = true. The number is given
// out in memory (the run goroutine is the only one that does) and saved
// with the batch.
func (l *Live) sequence(ctx context.Context, tx *store.Tx, sess *Session, author int64, audience int, ev *EventMessage) (*published, error) {
	sess.seq++
	l.dirty[sess.ID] = true
	seq := sess.seq
	ev.Type, ev.Seq = "event", seq
	setMine(ev, false)
	others := mustJSON(ev)
	setMine(ev, true)
	own := mustJSON(ev)
	if _, err := tx.ExecContext(ctx, `INSERT INTO events (session_id, seq, author, audience, payload) VALUES (?, ?, ?, ?, ?)`,
		sess.ID, seq, author, audience, string(others)); err != nil {
		return nil, fmt.Errorf("log event: %w", err)
	}
	return &published{sessionID: sess.ID, author: author, seq: seq, audience: audience, own: own, others: others}, nil
}

func setMine(ev *EventMessage, mine bool) {
	if ev.Note != nil {
		ev.Note.Mine = mine
	}
	if ev.Excerpt != nil {
		ev.Excerpt.Mine = mine
	}
}

// PublishSession sequences and publishes a change of the session itself
// (opened, closed), so that every connection learns of it in order. It
// goes through the engine like any op: the engine gives out every
// sequence number.
func (l *Live) PublishSession(ctx context.Context, sessionID int64) error {
	done := make(chan Reply, 1)
	op := &Op{SessionID: sessionID, publish: true, Reply: func(r Reply) { done <- r }}
	select {
	case l.ops <- op:
	case <-l.stop:
		return fmt.Errorf("publish session %d: engine stopped", sessionID)
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case r := <-done:
		if r.Err != nil {
			return r.Err
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// announce is the engine's side of PublishSession: read the session afresh
// and tell everyone what it is now.
func (l *Live) announce(ctx context.Context, tx *store.Tx, op *Op) (*Ack, *published, int64, error) {
	cs, err := l.session(ctx, tx, op.SessionID, 0)
	if err != nil {
		return nil, nil, 0, err
	}
	view := cs.View()
	pub, err := l.sequence(ctx, tx, cs.Session, 0, Everyone, &EventMessage{Kind: "session.changed", Session: &view})
	if err != nil {
		return nil, nil, 0, err
	}
	return &Ack{Type: "ack", Seq: pub.seq}, pub, 0, nil
}
