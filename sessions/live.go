package sessions

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"atelier/i18n"
	"atelier/internal/apperr"
	"atelier/store"
)

// Limits on what participants add.
const (
	MaxNote     = 500
	MaxExcerpt  = 2000
	MaxTags     = 8
	MaxTag      = 40
	replayLimit = 1000 // more missed events than this: send a snapshot
	batchLimit  = 256  // ops committed in one transaction at most
)

// Note kinds and excerpt sources.
var (
	NoteKinds      = []string{"kans", "zorg", "idee", "vraag"}
	ExcerptSources = []string{"interview", "vragenlijst", "observatie"}
)

// Actor is who sends an op: a participant, or a facilitator (an account,
// UserID).
type Actor struct {
	Participant *Participant
	Facilitator bool
	UserID      int64
	Name        string // for the audit trail of moderation
}

// key tells actors apart in the ops table: participants by id, accounts by
// their negated id.
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

	limits *limiter
}

// NewLive starts the engine. Close stops it.
func NewLive(db *store.DB, hub *Hub, log *slog.Logger) *Live {
	if log == nil {
		log = slog.Default()
	}
	l := &Live{db: db, hub: hub, log: log, ops: make(chan *Op, 8192), stop: make(chan struct{}), done: make(chan struct{}),
		limits: newLimiter()}
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
// per session, so a flood never reaches the database.
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

func (l *Live) run() {
	defer close(l.done)
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
		l.commit(batch)
	}
}

// outcome is what applying one op produced, to be sent after the commit.
type outcome struct {
	op    *Op
	err   error
	ack   *Ack
	event *published
}

type published struct {
	sessionID, author, seq int64
	audience               int
	own, others            []byte
}

// commit applies a batch in one transaction, each op under its own
// savepoint so that one bad op does not undo the others.
func (l *Live) commit(batch []*Op) {
	ctx := context.Background()
	outcomes := make([]outcome, len(batch))
	err := l.db.Tx(ctx, func(tx *store.Tx) error {
		// A batch usually holds many ops of few sessions: read each
		// session once. Its state does not change inside the batch.
		sessions := map[int64]*Session{}
		for i, op := range batch {
			outcomes[i].op = op
			if _, err := tx.ExecContext(ctx, `SAVEPOINT op`); err != nil {
				return err
			}
			ack, ev, err := l.apply(ctx, tx, op, sessions)
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
			outcomes[i].ack, outcomes[i].event, outcomes[i].err = ack, ev, err
		}
		return nil
	})
	if err != nil {
		l.log.Error("commit ops", "err", err.Error(), "ops", len(batch))
		for _, op := range batch {
			refuse(op, apperr.New(apperr.Internal, "sessions.internal"), 500)
		}
		return
	}
	// Committed: now, and only now, tell everyone.
	for _, o := range outcomes {
		if o.err != nil {
			e, _ := apperr.As(o.err)
			refuse(o.op, e, 0)
			continue
		}
		if o.event != nil {
			l.hub.publish(o.event.sessionID, o.event.author, o.event.seq, o.event.audience, o.event.own, o.event.others)
		}
		o.op.Reply(Reply{OpID: o.op.OpID, Ack: o.ack})
	}
}

// apply runs one op inside the batch transaction.
func (l *Live) apply(ctx context.Context, tx *store.Tx, op *Op, cache map[int64]*Session) (*Ack, *published, error) {
	actor := op.Actor.key()
	// A repeated op_id: acknowledge again what was done the first time.
	var seq int64
	var object, removed string
	err := tx.QueryRowContext(ctx, `SELECT seq, object, removed FROM ops WHERE session_id = ? AND actor = ? AND op_id = ?`,
		op.SessionID, actor, op.OpID).Scan(&seq, &object, &removed)
	if err == nil {
		ack := &Ack{Type: "ack", OpID: op.OpID, Seq: seq, ID: object}
		if removed != "" {
			json.Unmarshal([]byte(removed), &ack.Removed)
		}
		return ack, nil, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, nil, err
	}

	sess, ok := cache[op.SessionID]
	if !ok {
		if sess, err = getSession(ctx, tx, op.SessionID); err != nil {
			return nil, nil, err
		}
		cache[op.SessionID] = sess
	}
	if sess.State != Open {
		return nil, nil, apperr.New(apperr.Forbidden, "sessions.not_open")
	}
	ack := &Ack{Type: "ack", OpID: op.OpID}
	if op.Actor.Participant == nil {
		if !op.Actor.Facilitator {
			return nil, nil, apperr.New(apperr.Forbidden, "sessions.participants_only")
		}
		var (
			ev       *EventMessage
			id       string
			audience int
			removes  []Redaction
			err      error
		)
		if contains(ThemeOps, op.Name) {
			ev, id, audience, removes, err = l.theme(ctx, tx, sess, op)
		} else {
			ev, id, audience, err = l.facilitate(ctx, tx, sess, op)
		}
		if err != nil {
			return nil, nil, err
		}
		return l.finish(ctx, tx, sess, op, ack, ev, id, 0, audience, removes)
	}
	if sess.Locked {
		return nil, nil, apperr.New(apperr.Forbidden, "sessions.locked")
	}
	p := op.Actor.Participant

	var (
		ev       *EventMessage
		id       string
		removes  []Redaction
		audience = Everyone
	)
	switch op.Name {
	case "note.create":
		ev, id, removes, err = l.noteCreate(ctx, tx, sess, p, op.Data)
	case "note.update":
		ev, id, removes, err = l.noteUpdate(ctx, tx, sess, p, op.Data)
	case "note.delete":
		ev, id, err = l.noteDelete(ctx, tx, sess, p.ID, op.Data)
	case "vote.add", "vote.remove":
		var left int
		ev, id, left, err = l.vote(ctx, tx, sess, p, op.Name == "vote.add", op.Data)
		ack.VotesLeft = &left
		if sess.TalliesHidden {
			audience = FacilitatorsOnly
		}
	case "excerpt.create":
		ev, id, removes, err = l.excerptCreate(ctx, tx, sess, p, op.Data)
	default:
		err = apperr.New(apperr.Invalid, "sessions.op_unknown", op.Name)
		if contains(facilitatorOps, op.Name) {
			err = apperr.New(apperr.Forbidden, "sessions.facilitators_only")
		}
	}
	if err != nil {
		return nil, nil, err
	}
	if ev.Note != nil && ev.Note.Private {
		audience = AuthorFacilitators
	}
	if ev.Note != nil && ev.Note.Hidden {
		audience = FacilitatorsOnly
	}
	return l.finish(ctx, tx, sess, op, ack, ev, id, p.ID, audience, removes)
}

// finish sequences the event of an applied op and records the op for
// repeats.
func (l *Live) finish(ctx context.Context, tx *store.Tx, sess *Session, op *Op, ack *Ack, ev *EventMessage, id string, author int64, audience int, removes []Redaction) (*Ack, *published, error) {
	actor := op.Actor.key()
	pub, err := l.sequence(ctx, tx, sess.ID, author, audience, ev)
	if err != nil {
		return nil, nil, err
	}
	ack.Seq, ack.ID = pub.seq, id
	var removedJSON []byte
	if len(removes) > 0 {
		for _, r := range removes {
			ack.Removed = append(ack.Removed, RemovedView(r))
		}
		removedJSON = mustJSON(ack.Removed)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO ops (session_id, actor, op_id, seq, object, removed) VALUES (?, ?, ?, ?, ?, ?)`,
		sess.ID, actor, op.OpID, pub.seq, id, string(removedJSON)); err != nil {
		return nil, nil, err
	}
	return ack, pub, nil
}

// sequence gives ev the session's next sequence number and logs it for
// replay. Only ev's author sees it with mine = true.
func (l *Live) sequence(ctx context.Context, tx *store.Tx, sessionID, author int64, audience int, ev *EventMessage) (*published, error) {
	var seq int64
	if err := tx.QueryRowContext(ctx, `UPDATE sessions SET seq = seq + 1 WHERE id = ? RETURNING seq`, sessionID).Scan(&seq); err != nil {
		return nil, fmt.Errorf("next sequence: %w", err)
	}
	ev.Type, ev.Seq = "event", seq
	setMine(ev, false)
	others := mustJSON(ev)
	setMine(ev, true)
	own := mustJSON(ev)
	if _, err := tx.ExecContext(ctx, `INSERT INTO events (session_id, seq, author, audience, payload) VALUES (?, ?, ?, ?, ?)`,
		sessionID, seq, author, audience, string(others)); err != nil {
		return nil, fmt.Errorf("log event: %w", err)
	}
	return &published{sessionID: sessionID, author: author, seq: seq, audience: audience, own: own, others: others}, nil
}

func setMine(ev *EventMessage, mine bool) {
	if ev.Note != nil {
		ev.Note.Mine = mine
	}
	if ev.Excerpt != nil {
		ev.Excerpt.Mine = mine
	}
}

func decode(data json.RawMessage, v any) error {
	if len(data) == 0 || json.Unmarshal(data, v) != nil {
		return apperr.New(apperr.Invalid, "sessions.op_data_invalid")
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func noteID(id int64) string    { return "n" + strconv.FormatInt(id, 10) }
func excerptID(id int64) string { return "x" + strconv.FormatInt(id, 10) }
func themeID(id int64) string   { return "t" + strconv.FormatInt(id, 10) }

// themeRef is the wire id of a nullable theme column: "" for none.
func themeRef(id sql.NullInt64) string {
	if !id.Valid {
		return ""
	}
	return themeID(id.Int64)
}

// notFound is the message for an id of each kind that names nothing.
var notFound = map[string]string{"n": "sessions.note_not_found", "x": "sessions.excerpt_not_found", "t": "sessions.theme_not_found"}

func parseID(prefix, s string) (int64, error) {
	if !strings.HasPrefix(s, prefix) {
		return 0, apperr.New(apperr.NotFound, notFound[prefix])
	}
	id, err := strconv.ParseInt(s[len(prefix):], 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, notFound[prefix])
	}
	return id, nil
}

// cleanText trims, checks the length and passes the privacy guard.
func cleanText(text string, max int, lang i18n.Lang, key string) (string, []Redaction, error) {
	text = strings.TrimSpace(text)
	if !utf8.ValidString(text) {
		return "", nil, apperr.New(apperr.Invalid, "sessions.text_invalid")
	}
	if text == "" || utf8.RuneCountInString(text) > max {
		return "", nil, apperr.New(apperr.Invalid, key, max)
	}
	clean, removed := Redact(text, lang)
	return clean, removed, nil
}

func (l *Live) noteCreate(ctx context.Context, tx *store.Tx, sess *Session, p *Participant, data json.RawMessage) (*EventMessage, string, []Redaction, error) {
	var in struct{ Cluster, Kind, Text string }
	if err := decode(data, &in); err != nil {
		return nil, "", nil, err
	}
	if !sess.HasCluster(in.Cluster) {
		return nil, "", nil, apperr.New(apperr.Invalid, "sessions.cluster_unknown")
	}
	if !contains(NoteKinds, in.Kind) {
		return nil, "", nil, apperr.New(apperr.Invalid, "sessions.kind_invalid")
	}
	text, removed, err := cleanText(in.Text, MaxNote, sess.Lang, "sessions.note_length")
	if err != nil {
		return nil, "", nil, err
	}
	now := tx.Now.String()
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO notes (session_id, participant_id, cluster_id, kind, text, private, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, sess.ID, p.ID, in.Cluster, in.Kind, text, sess.Private, tx.Now, tx.Now).Scan(&id)
	if err != nil {
		return nil, "", nil, fmt.Errorf("insert note: %w", err)
	}
	note := &NoteView{ID: noteID(id), Cluster: in.Cluster, Kind: in.Kind, Text: text, Author: p.Pseudonym, Role: p.Role, Version: 1, CreatedAt: now,
		Private: sess.Private}
	return &EventMessage{Kind: "note.created", Note: note}, note.ID, removed, nil
}

func (l *Live) noteUpdate(ctx context.Context, tx *store.Tx, sess *Session, p *Participant, data json.RawMessage) (*EventMessage, string, []Redaction, error) {
	var in struct {
		ID      string
		Version int
		Text    *string
		Kind    *string
	}
	if err := decode(data, &in); err != nil {
		return nil, "", nil, err
	}
	note, author, err := loadNote(ctx, tx, sess.ID, in.ID)
	if err != nil {
		return nil, "", nil, err
	}
	if author != p.ID {
		return nil, "", nil, apperr.New(apperr.Forbidden, "sessions.not_your_note")
	}
	var removed []Redaction
	if in.Text != nil {
		if note.Text, removed, err = cleanText(*in.Text, MaxNote, sess.Lang, "sessions.note_length"); err != nil {
			return nil, "", nil, err
		}
	}
	if in.Kind != nil {
		if !contains(NoteKinds, *in.Kind) {
			return nil, "", nil, apperr.New(apperr.Invalid, "sessions.kind_invalid")
		}
		note.Kind = *in.Kind
	}
	// Last writer wins: the edit applies whatever version it was based on.
	note.Version++
	if _, err := tx.ExecContext(ctx, `UPDATE notes SET text = ?, kind = ?, version = ?, updated_at = ? WHERE id = ?`,
		note.Text, note.Kind, note.Version, tx.Now, strings.TrimPrefix(note.ID, "n")); err != nil {
		return nil, "", nil, fmt.Errorf("update note: %w", err)
	}
	return &EventMessage{Kind: "note.updated", Note: note}, note.ID, removed, nil
}

// noteDelete deletes a note for its author (by), or for a facilitator
// moderating (by 0).
func (l *Live) noteDelete(ctx context.Context, tx *store.Tx, sess *Session, by int64, data json.RawMessage) (*EventMessage, string, error) {
	var in struct{ ID string }
	if err := decode(data, &in); err != nil {
		return nil, "", err
	}
	note, author, err := loadNote(ctx, tx, sess.ID, in.ID)
	if err != nil {
		return nil, "", err
	}
	if by != 0 && author != by {
		return nil, "", apperr.New(apperr.Forbidden, "sessions.not_your_note")
	}
	// Deleting removes the text: nothing a participant took back is kept.
	if _, err := tx.ExecContext(ctx, `UPDATE notes SET deleted = 1, text = '', updated_at = ? WHERE id = ?`,
		tx.Now, strings.TrimPrefix(note.ID, "n")); err != nil {
		return nil, "", fmt.Errorf("delete note: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM votes WHERE note_id = ?`, strings.TrimPrefix(note.ID, "n")); err != nil {
		return nil, "", fmt.Errorf("delete votes: %w", err)
	}
	return &EventMessage{Kind: "note.deleted", NoteID: note.ID}, note.ID, nil
}

func (l *Live) vote(ctx context.Context, tx *store.Tx, sess *Session, p *Participant, add bool, data json.RawMessage) (*EventMessage, string, int, error) {
	var in struct{ Note string }
	if err := decode(data, &in); err != nil {
		return nil, "", 0, err
	}
	note, _, err := loadNote(ctx, tx, sess.ID, in.Note)
	if err != nil {
		return nil, "", 0, err
	}
	nid := strings.TrimPrefix(note.ID, "n")
	var used int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM votes WHERE session_id = ? AND participant_id = ?`, sess.ID, p.ID).Scan(&used); err != nil {
		return nil, "", 0, err
	}
	if add {
		if used >= sess.VoteBudget {
			return nil, "", 0, apperr.New(apperr.Budget, "sessions.no_votes_left", sess.VoteBudget)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO votes (session_id, note_id, participant_id, created_at) VALUES (?, ?, ?, ?)`,
			sess.ID, nid, p.ID, tx.Now); err != nil {
			return nil, "", 0, fmt.Errorf("insert vote: %w", err)
		}
		used++
	} else {
		res, err := tx.ExecContext(ctx, `DELETE FROM votes WHERE id = (SELECT id FROM votes WHERE note_id = ? AND participant_id = ? LIMIT 1)`, nid, p.ID)
		if err != nil {
			return nil, "", 0, fmt.Errorf("delete vote: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, "", 0, fmt.Errorf("delete vote: %w", err)
		} else if n == 0 {
			return nil, "", 0, apperr.New(apperr.NotFound, "sessions.no_vote")
		}
		used--
	}
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM votes WHERE note_id = ?`, nid).Scan(&total); err != nil {
		return nil, "", 0, err
	}
	return &EventMessage{Kind: "votes.changed", NoteID: note.ID, Votes: &total}, note.ID, sess.VoteBudget - used, nil
}

// excerptCreate adds an interview excerpt. Only professionals add them:
// excerpts come from their interviews, questionnaires and observations, and
// the report presents them as such.
func (l *Live) excerptCreate(ctx context.Context, tx *store.Tx, sess *Session, p *Participant, data json.RawMessage) (*EventMessage, string, []Redaction, error) {
	if p.Role != Professional {
		return nil, "", nil, apperr.New(apperr.Forbidden, "sessions.excerpt_professionals_only")
	}
	var in struct {
		Cluster, Text, Source string
		Tags                  []string
	}
	if err := decode(data, &in); err != nil {
		return nil, "", nil, err
	}
	if !sess.HasCluster(in.Cluster) {
		return nil, "", nil, apperr.New(apperr.Invalid, "sessions.cluster_unknown")
	}
	if !contains(ExcerptSources, in.Source) {
		return nil, "", nil, apperr.New(apperr.Invalid, "sessions.source_invalid")
	}
	text, removed, err := cleanText(in.Text, MaxExcerpt, sess.Lang, "sessions.excerpt_length")
	if err != nil {
		return nil, "", nil, err
	}
	if len(in.Tags) > MaxTags {
		return nil, "", nil, apperr.New(apperr.Invalid, "sessions.tags_invalid", MaxTags, MaxTag)
	}
	tags := []string{}
	for _, t := range in.Tags {
		t, r, err := cleanText(t, MaxTag, sess.Lang, "sessions.tags_invalid")
		if err != nil {
			return nil, "", nil, apperr.New(apperr.Invalid, "sessions.tags_invalid", MaxTags, MaxTag)
		}
		removed = append(removed, r...)
		tags = append(tags, strings.ToLower(t))
	}
	now := tx.Now.String()
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO excerpts (session_id, participant_id, cluster_id, text, source, tags, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, sess.ID, p.ID, in.Cluster, text, in.Source, string(mustJSON(tags)), tx.Now).Scan(&id)
	if err != nil {
		return nil, "", nil, fmt.Errorf("insert excerpt: %w", err)
	}
	ex := &ExcerptView{ID: excerptID(id), Cluster: in.Cluster, Text: text, Source: in.Source, Tags: tags, Author: p.Pseudonym, Role: p.Role, CreatedAt: now}
	return &EventMessage{Kind: "excerpt.created", Excerpt: ex}, ex.ID, removed, nil
}

// loadNote reads a live note and its author's id.
func loadNote(ctx context.Context, q queryer, sessionID int64, id string) (*NoteView, int64, error) {
	nid, err := parseID("n", id)
	if err != nil {
		return nil, 0, err
	}
	var n NoteView
	var author, num int64
	var theme sql.NullInt64
	err = q.QueryRowContext(ctx, `SELECT n.id, n.cluster_id, n.kind, n.text, n.version, n.created_at, n.participant_id, p.pseudonym, p.role,
		(SELECT COUNT(*) FROM votes v WHERE v.note_id = n.id), n.private, n.hidden, n.theme_id
		FROM notes n JOIN participants p ON p.id = n.participant_id
		WHERE n.id = ? AND n.session_id = ? AND n.deleted = 0`, nid, sessionID).
		Scan(&num, &n.Cluster, &n.Kind, &n.Text, &n.Version, &n.CreatedAt, &author, &n.Author, &n.Role, &n.Votes, &n.Private, &n.Hidden, &theme)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, apperr.New(apperr.NotFound, "sessions.note_not_found")
	}
	if err != nil {
		return nil, 0, err
	}
	n.ID, n.Theme = noteID(num), themeRef(theme)
	return &n, author, nil
}

// PublishSession sequences and publishes a change of the session itself
// (opened, closed), so that every connection learns of it in order.
func (l *Live) PublishSession(ctx context.Context, sessionID int64) error {
	var pub *published
	err := l.db.Tx(ctx, func(tx *store.Tx) error {
		sess, err := getSession(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		view := sess.View()
		pub, err = l.sequence(ctx, tx, sessionID, 0, Everyone, &EventMessage{Kind: "session.changed", Session: &view})
		return err
	})
	if err != nil {
		return err
	}
	l.hub.publish(pub.sessionID, 0, pub.seq, Everyone, pub.own, pub.others)
	return nil
}

// limiter holds token buckets per participant and per session, in memory.
type limiter struct {
	mu           sync.Mutex
	participants map[int64]*bucket
	sessions     map[int64]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// Rates of docs/protocol.md.
const (
	participantRate  = 10
	participantBurst = 30
	sessionRate      = 2000
	sessionBurst     = 4000
)

func newLimiter() *limiter {
	return &limiter{participants: map[int64]*bucket{}, sessions: map[int64]*bucket{}}
}

func (b *bucket) take(now time.Time, rate, burst float64) (time.Duration, bool) {
	if b.last.IsZero() {
		b.tokens = burst
	} else {
		b.tokens = min(burst, b.tokens+now.Sub(b.last).Seconds()*rate)
	}
	b.last = now
	if b.tokens < 1 {
		return time.Duration((1 - b.tokens) / rate * float64(time.Second)), false
	}
	b.tokens--
	return 0, true
}

func (l *limiter) allow(sessionID, participant int64, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	sb := l.sessions[sessionID]
	if sb == nil {
		sb = &bucket{}
		l.sessions[sessionID] = sb
	}
	pb := l.participants[participant]
	if pb == nil {
		pb = &bucket{}
		l.participants[participant] = pb
	}
	if wait, ok := pb.take(now, participantRate, participantBurst); !ok {
		return wait, false
	}
	if wait, ok := sb.take(now, sessionRate, sessionBurst); !ok {
		pb.tokens++ // not this participant's fault
		return wait, false
	}
	return 0, true
}
