package barehub

// The single writer: ops go from the readers to the committer, which
// commits a batch in one transaction, and from there to the publisher,
// which acks and broadcasts in seq order.

import (
	"database/sql"
	"encoding/json"
	"strconv"
	"time"
)

// committer is the single writer: it takes every pending op that is
// waiting (up to MaxBatch), commits them in one transaction, assigns their
// seqs, and hands them to the publisher. Nothing is sent before the commit.
func (h *Hub) committer() {
	defer h.done.Done()
	defer close(h.publish)
	batch := make([]pendingOp, 0, h.opts.MaxBatch)
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
	Type      string `json:"type"`
	OpID      string `json:"op_id"`
	Seq       int64  `json:"seq"`
	ID        string `json:"id"`
	VotesLeft *int   `json:"votes_left,omitempty"`
}

type wireVotes struct {
	Type   string `json:"type"`
	Seq    int64  `json:"seq"`
	Kind   string `json:"kind"`
	NoteID string `json:"note_id"`
	Votes  int    `json:"votes"`
}

// commit writes one batch in one transaction and returns what to publish.
func (h *Hub) commit(batch []pendingOp) ([]committedOp, error) {
	now := time.Now().UTC().Format(time.RFC3339)
	tx, err := h.db.Begin()
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() // after Commit, a no-op
	notes, err := tx.Prepare(`INSERT INTO notes (session, seq, op_id, participant, cluster, kind, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	defer notes.Close()
	votes, err := tx.Prepare(`INSERT INTO votes (session, seq, op_id, participant, note, created_at) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	defer votes.Close()
	out := make([]committedOp, 0, len(batch))
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
		if p.vote != "" {
			_, err = votes.Exec(s.id, seq, p.opID, p.c.part.id, p.vote, now)
		} else {
			var res sql.Result
			if res, err = notes.Exec(s.id, seq, p.opID, p.c.part.id, p.cluster, p.kind, p.text, now); err == nil {
				ids[i], err = res.LastInsertId()
			}
		}
		if err != nil {
			return nil, err
		}
		out = append(out, committedOp{c: p.c, s: s, seq: seq})
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	// Committed: the seqs and the votes are taken for good.
	for s, seq := range seqs {
		s.assigned = seq
	}
	for i, p := range batch {
		out[i].ack, out[i].mine, out[i].event = messages(p, out[i], ids[i], now)
	}
	return out, nil
}

// messages returns the ack and the events of one committed op: the
// note.created event for its author and for everyone else, or the
// votes.changed event with the note's new total.
func messages(p pendingOp, c committedOp, id int64, now string) (ack, mine, event []byte) {
	if p.vote != "" {
		if c.s.tallies == nil {
			c.s.tallies = map[string]int{}
		}
		c.s.tallies[p.vote]++
		event, _ = json.Marshal(wireVotes{Type: "event", Seq: c.seq, Kind: "votes.changed", NoteID: p.vote, Votes: c.s.tallies[p.vote]})
		left := 5
		ack, _ = json.Marshal(wireAck{Type: "ack", OpID: p.opID, Seq: c.seq, ID: p.vote, VotesLeft: &left})
		return ack, event, event
	}
	noteID := "n" + strconv.FormatInt(id, 10)
	ev := wireEvent{Type: "event", Seq: c.seq, Kind: "note.created", Note: wireNote{
		ID: noteID, Cluster: p.cluster, Kind: p.kind, Text: p.text, Author: p.c.part.pseudonym,
		Role: p.c.part.role, Version: 1, CreatedAt: now}}
	event, _ = json.Marshal(ev)
	ev.Note.Mine = true
	mine, _ = json.Marshal(ev)
	ack, _ = json.Marshal(wireAck{Type: "ack", OpID: p.opID, Seq: c.seq, ID: noteID})
	return ack, mine, event
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
