package sessions

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"atelier/i18n"
	"atelier/store"
)

// rig is a database with open sessions, their participants and the live
// engine, for tests and benchmarks of the engine itself (no websockets).
type rig struct {
	dir      string
	db       *store.DB
	sessions []*Session
	people   [][]*Participant // per session
	hub      *Hub
	live     *Live
}

func newRig(t testing.TB, sessions, perSession int) *rig {
	t.Helper()
	ctx := context.Background()
	r := &rig{dir: t.TempDir(), hub: NewHub()}
	f := newFixture(t, r.dir)
	db, user, project, set := f.db, f.user, f.project, f.set
	r.db = db
	s := NewStore(db)
	for i := 0; i < sessions; i++ {
		sess, _, err := s.Create(ctx, NewSession{ProjectID: project, Title: fmt.Sprintf("Sessie %d", i), Question: "Hoe helpen we eerder?",
			Clusters: []Cluster{{SetID: set, ID: "B", Label: "Werkende paren"}}, Lang: i18n.NL, CreatedBy: user})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Open(ctx, sess.ID, "test"); err != nil {
			t.Fatal(err)
		}
		code, err := s.Code(ctx, sess.ID)
		if err != nil {
			t.Fatal(err)
		}
		var people []*Participant
		for j := 0; j < perSession; j++ {
			_, p, _, err := s.Join(ctx, code, Professional)
			if err != nil {
				t.Fatal(err)
			}
			people = append(people, p)
		}
		r.sessions = append(r.sessions, sess)
		r.people = append(r.people, people)
	}
	r.live = NewLive(db, r.hub, nil)
	s.OnChange(r.live.Invalidate)
	t.Cleanup(func() {
		r.live.Close()
		r.db.Close()
	})
	return r
}

// listen subscribes a facilitator's connection to every session and
// collects the sequence numbers it receives, per session, until stop.
func (r *rig) listen(t testing.TB) (seqs func() map[int64][]int64, stop func()) {
	var mu sync.Mutex
	got := map[int64][]int64{}
	done := make(chan struct{})
	var wg sync.WaitGroup
	for _, sess := range r.sessions {
		sub := NewSubscriber(sess.ID, 0, true)
		if !r.hub.Subscribe(sub) {
			t.Fatal("subscribe refused")
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []Message
			for {
				select {
				case <-done:
					return
				case <-sub.Done():
					t.Errorf("session %d: subscriber dropped with %d", sess.ID, sub.CloseCode())
					return
				case <-sub.Ready():
					buf = sub.Take(buf)
					mu.Lock()
					for _, m := range buf {
						got[sess.ID] = append(got[sess.ID], m.Seq)
					}
					mu.Unlock()
				}
			}
		}()
	}
	seqs = func() map[int64][]int64 {
		mu.Lock()
		defer mu.Unlock()
		out := map[int64][]int64{}
		for k, v := range got {
			out[k] = append([]int64(nil), v...)
		}
		return out
	}
	return seqs, func() { close(done); wg.Wait() }
}

// replies counts the engine's answers per op id.
type replies struct {
	mu   sync.Mutex
	acks map[string][]*Ack
	errs map[string][]Reply
	n    int
	all  chan struct{}
	want int
}

func newReplies(want int) *replies {
	return &replies{acks: map[string][]*Ack{}, errs: map[string][]Reply{}, all: make(chan struct{}), want: want}
}

func (rs *replies) reply(key string) func(Reply) {
	return func(r Reply) {
		rs.mu.Lock()
		defer rs.mu.Unlock()
		if r.Ack != nil {
			rs.acks[key] = append(rs.acks[key], r.Ack)
		} else {
			rs.errs[key] = append(rs.errs[key], r)
		}
		if rs.n++; rs.n == rs.want {
			close(rs.all)
		}
	}
}

func (rs *replies) wait(t testing.TB, d time.Duration) {
	t.Helper()
	select {
	case <-rs.all:
	case <-time.After(d):
		rs.mu.Lock()
		defer rs.mu.Unlock()
		t.Fatalf("%d of %d ops answered after %s", rs.n, rs.want, d)
	}
}

func noteData(text string) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"cluster":"B","kind":"idee","text":%q}`, text))
}

// TestManySessionsCommitTogether has every participant of 40 sessions send
// notes, votes and one repeated op id at once, so that the engine commits
// ops of many sessions in one transaction. Every op is answered exactly
// once, every session's events arrive gap-free and in order with the
// sequence numbers of their acks, and after the engine stops and the
// database is reopened everything acknowledged is there.
func TestManySessionsCommitTogether(t *testing.T) {
	const sessions, perSession, notesEach = 40, 8, 3
	r := newRig(t, sessions, perSession)
	seqs, stopListening := r.listen(t)

	// Round 1: notes from everyone at once, each sent twice with the same
	// op id (a client re-sending after a reconnect).
	submissions := sessions * perSession * (notesEach + 1)
	rs := newReplies(submissions)
	var wg sync.WaitGroup
	for si, sess := range r.sessions {
		for pi, p := range r.people[si] {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := 0; k < notesEach; k++ {
					id := fmt.Sprintf("n-%d-%d", pi, k)
					op := &Op{SessionID: sess.ID, Actor: Actor{Participant: p}, OpID: id, Name: "note.create", Data: noteData(id)}
					op.Reply = rs.reply(fmt.Sprintf("%d/%s", sess.ID, id))
					r.live.Submit(op)
				}
				id := fmt.Sprintf("n-%d-0", pi)
				op := &Op{SessionID: sess.ID, Actor: Actor{Participant: p}, OpID: id, Name: "note.create", Data: noteData(id)}
				op.Reply = rs.reply(fmt.Sprintf("%d/%s", sess.ID, id))
				r.live.Submit(op)
			}()
		}
	}
	wg.Wait()
	rs.wait(t, 60*time.Second)

	// Round 2: everyone votes on the first note of their session.
	vs := newReplies(sessions * perSession)
	for si, sess := range r.sessions {
		first := rs.acks[fmt.Sprintf("%d/n-0-0", sess.ID)][0].ID
		for pi, p := range r.people[si] {
			id := fmt.Sprintf("v-%d", pi)
			op := &Op{SessionID: sess.ID, Actor: Actor{Participant: p}, OpID: id, Name: "vote.add",
				Data: json.RawMessage(fmt.Sprintf(`{"note":%q}`, first))}
			op.Reply = vs.reply(fmt.Sprintf("%d/%s", sess.ID, id))
			go r.live.Submit(op)
		}
	}
	vs.wait(t, 60*time.Second)

	for key, errs := range rs.errs {
		t.Errorf("%s refused: %+v", key, errs[0])
	}
	for key, errs := range vs.errs {
		t.Errorf("%s refused: %+v", key, errs[0])
	}
	// Per session: the acks' sequence numbers are 1..n without a gap, a
	// repeated op id has the same ack both times, and the listener got
	// exactly those numbers in order.
	for _, sess := range r.sessions {
		ackSeqs := map[int64]string{}
		for key, acks := range rs.acks {
			var sid int64
			var id string
			fmt.Sscanf(key, "%d/%s", &sid, &id)
			if sid != sess.ID {
				continue
			}
			repeats := 1
			if id[len(id)-2:] == "-0" {
				repeats = 2
			}
			if len(acks) != repeats {
				t.Fatalf("%s: %d acks, want %d", key, len(acks), repeats)
			}
			if repeats == 2 && (acks[0].Seq != acks[1].Seq || acks[0].ID != acks[1].ID) {
				t.Errorf("%s: repeated op acked as %+v and %+v", key, acks[0], acks[1])
			}
			ackSeqs[acks[0].Seq] = key
		}
		for key, acks := range vs.acks {
			var sid int64
			fmt.Sscanf(key, "%d/", &sid)
			if sid == sess.ID {
				if len(acks) != 1 {
					t.Fatalf("%s: %d acks", key, len(acks))
				}
				ackSeqs[acks[0].Seq] = key
			}
		}
		n := int64(perSession*notesEach + perSession)
		if int64(len(ackSeqs)) != n {
			t.Fatalf("session %d: %d distinct sequence numbers in acks, want %d", sess.ID, len(ackSeqs), n)
		}
		for seq := int64(1); seq <= n; seq++ {
			if _, ok := ackSeqs[seq]; !ok {
				t.Fatalf("session %d: no ack with sequence number %d", sess.ID, seq)
			}
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	want := int64(perSession*notesEach + perSession)
	for {
		got := seqs()
		complete := true
		for _, sess := range r.sessions {
			if int64(len(got[sess.ID])) < want {
				complete = false
			}
		}
		if complete || time.Now().After(deadline) {
			for _, sess := range r.sessions {
				if s := got[sess.ID]; int64(len(s)) != want {
					t.Fatalf("session %d: listener got %d events, want %d", sess.ID, len(s), want)
				}
				for i, seq := range got[sess.ID] {
					if seq != int64(i+1) {
						t.Fatalf("session %d: event %d has sequence number %d", sess.ID, i, seq)
					}
				}
			}
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	stopListening()

	// Stop, reopen: everything acknowledged is in the database.
	r.live.Close()
	r.db.Close()
	db, err := store.Open(context.Background(), r.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, sess := range r.sessions {
		var seq, events, notes, votes int64
		err := db.Read.QueryRow(`SELECT seq, (SELECT COUNT(*) FROM events WHERE session_id = s.id),
			(SELECT COUNT(*) FROM notes WHERE session_id = s.id), (SELECT COUNT(*) FROM votes WHERE session_id = s.id)
			FROM sessions s WHERE id = ?`, sess.ID).Scan(&seq, &events, &notes, &votes)
		if err != nil {
			t.Fatal(err)
		}
		if seq != want || events != want || notes != perSession*notesEach || votes != perSession {
			t.Errorf("session %d after reopening: seq %d, %d events, %d notes, %d votes; want %d, %d, %d, %d",
				sess.ID, seq, events, notes, votes, want, want, perSession*notesEach, perSession)
		}
	}
}

// TestSessionReadAgainInABatch commits, in one batch, ops of one session
// between which the engine reads the session again (an announcement reads
// it afresh, as a participant's op does once participantTTL has passed).
// The engine's sequence numbers must carry over the new read: the
// database's number is only saved at the end of the batch, and taking it
// gave two events one number and failed the whole batch.
func TestSessionReadAgainInABatch(t *testing.T) {
	r := newRig(t, 1, 2)
	r.live.Close() // the test is the engine now: it calls commit itself
	sess, p := r.sessions[0], r.people[0][0]
	var batch []*Op
	for i := 0; i < 5; i++ {
		op := &Op{SessionID: sess.ID, Actor: Actor{Participant: p}, OpID: fmt.Sprintf("n%d", i), Name: "note.create", Data: noteData("idee")}
		if i%2 == 1 {
			op = &Op{SessionID: sess.ID, publish: true}
		}
		op.Reply = func(Reply) {}
		batch = append(batch, op)
	}
	outcomes := r.live.commit(batch)
	for i, o := range outcomes {
		if o.err != nil {
			t.Fatalf("op %d refused: %v", i, o.err)
		}
		if o.ack.Seq != int64(i+1) {
			t.Errorf("op %d has sequence number %d, want %d", i, o.ack.Seq, i+1)
		}
	}
	var seq, events int64
	if err := r.db.Read.QueryRow(`SELECT seq, (SELECT COUNT(*) FROM events WHERE session_id = s.id) FROM sessions s WHERE id = ?`, sess.ID).
		Scan(&seq, &events); err != nil {
		t.Fatal(err)
	}
	if seq != 5 || events != 5 {
		t.Errorf("saved sequence %d with %d events, want 5 and 5", seq, events)
	}
}

// BenchmarkEngineManySessions measures the engine alone: 250 sessions of
// 20 participants (the tenant case of make bench-load), one op in three a
// note and the rest votes, sent from many goroutines at once, each op
// answered only after its commit. ns/op is the engine's cost per op
// when it is the bottleneck.
func BenchmarkEngineManySessions(b *testing.B) {
	const sessions, perSession = 250, 20
	r := newRig(b, sessions, perSession)
	_, stop := r.listen(b)
	defer stop()
	// Votes without end, and one note per session to vote on.
	if _, err := r.db.Write.Exec(`UPDATE sessions SET vote_budget = 1000000000`); err != nil {
		b.Fatal(err)
	}
	seed := newReplies(sessions)
	for si, sess := range r.sessions {
		op := &Op{SessionID: sess.ID, Actor: Actor{Participant: r.people[si][0]}, OpID: "seed", Name: "note.create", Data: noteData("zaad")}
		op.Reply = seed.reply(fmt.Sprint(sess.ID))
		r.live.Submit(op)
	}
	seed.wait(b, time.Minute)
	target := map[int64]string{}
	for key, acks := range seed.acks {
		var sid int64
		fmt.Sscan(key, &sid)
		target[sid] = acks[0].ID
	}
	b.ResetTimer()
	rs := newReplies(b.N)
	var wg sync.WaitGroup
	const senders = 64
	for g := 0; g < senders; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < b.N; i += senders {
				si := i % sessions
				p := r.people[si][(i/sessions)%perSession]
				sess := r.sessions[si]
				op := &Op{SessionID: sess.ID, Actor: Actor{Participant: p}, OpID: fmt.Sprintf("b%d", i)}
				if i%3 == 0 {
					op.Name, op.Data = "note.create", noteData("Een idee.")
				} else {
					op.Name, op.Data = "vote.add", json.RawMessage(fmt.Sprintf(`{"note":%q}`, target[sess.ID]))
				}
				op.Reply = rs.reply("")
				// The engine's queue, not the rate limits, is what is
				// measured: wait for room instead of being told to slow
				// down.
				r.live.ops <- op
			}
		}()
	}
	wg.Wait()
	rs.wait(b, 10*time.Minute)
	b.StopTimer()
	var refused int
	for _, errs := range rs.errs {
		refused += len(errs)
	}
	b.ReportMetric(float64(refused), "refused")
}
