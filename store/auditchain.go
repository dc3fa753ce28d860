package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// The audit trail is a hash chain. Every record stores the hash of the
// record before it (prev_hash) and its own hash over that and every field
// it holds, its id included. The first record follows a random anchor made
// when the chain was created; audit_chain keeps the anchor, the first
// record's id and the last record (the head), so that a record removed at
// either end shows as well as one removed in the middle. Changing, removing
// or reordering a record with nothing but sqlite3 breaks the chain at that
// record, and VerifyAudit names it.
//
// A chain without a secret key does not stop someone who rewrites every
// hash after the record they changed. That is what the export is for
// (docs/operations.md): a SIEM that holds the hashes disagrees with such a
// rewrite.

// hashDomain separates Atelier's audit hashes from any other SHA-256 use.
const hashDomain = "atelier audit v1\x00"

// recordHash is the hash of one record following prev: the fields as
// stored, each prefixed with its length, so that no two records hash
// alike by moving text from one field to the next.
func recordHash(prev []byte, e *Event) []byte {
	at := e.storedAt
	if at == "" {
		at = e.At.String()
	}
	h := sha256.New()
	h.Write([]byte(hashDomain))
	h.Write(prev)
	var n [binary.MaxVarintLen64]byte
	for _, f := range []string{strconv.FormatInt(e.ID, 10), at, e.Action, e.Object, e.Result, e.Origin, e.Actor,
		strconv.FormatInt(e.Project, 10), e.Reason} {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(f)))])
		h.Write([]byte(f))
	}
	return h.Sum(nil)
}

// appendAudit adds e at the head of the chain inside q, a transaction.
func appendAudit(ctx context.Context, q execer, e Event) error {
	for _, f := range []*string{&e.Action, &e.Object, &e.Result, &e.Origin, &e.Actor, &e.Reason} {
		*f = scrubAddresses(*f)
	}
	if e.Project == 0 {
		p, err := projectOf(ctx, q, e.Object)
		if err != nil {
			return fmt.Errorf("audit %s: %w", e.Action, err)
		}
		e.Project = p
	}
	var headID, maxID int64
	var head []byte
	err := q.QueryRowContext(ctx, `SELECT head_id, head_hash, (SELECT COALESCE(MAX(id), 0) FROM audit_log) FROM audit_chain WHERE id = 1`).
		Scan(&headID, &head, &maxID)
	if err != nil {
		return fmt.Errorf("audit %s: read chain: %w", e.Action, err)
	}
	// The id is chosen here, not by SQLite, because it is part of the
	// hash. It follows the head, so that ids are never given twice, even
	// after every record was pruned, and the highest id in the table, so
	// that a record someone slipped in cannot make this insert fail (the
	// chain still shows the stranger).
	e.ID = max(headID, maxID) + 1
	e.PrevHash = head
	e.Hash = recordHash(head, &e)
	var project any
	if e.Project != 0 {
		project = e.Project
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO audit_log (id, at, action, object, result, origin, actor, project_id, reason, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.At, e.Action, e.Object, e.Result, e.Origin, e.Actor, project, e.Reason, e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	if _, err := q.ExecContext(ctx, `UPDATE audit_chain SET head_id = ?, head_hash = ?,
		first_id = CASE first_id WHEN 0 THEN ? ELSE first_id END WHERE id = 1`, e.ID, e.Hash, e.ID); err != nil {
		return fmt.Errorf("audit %s: move head: %w", e.Action, err)
	}
	return nil
}

// projectOf reads the project an audit object concerns from its first
// "project:", "session:" or "set:" part; 0 when it names none.
func projectOf(ctx context.Context, q execer, object string) (int64, error) {
	for _, part := range strings.Fields(object) {
		kind, ref, ok := strings.Cut(part, ":")
		if !ok || ref == "" {
			continue
		}
		var query string
		switch kind {
		case "project":
			if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
				return id, nil
			}
			query = `SELECT id FROM projects WHERE slug = ?`
		case "session":
			query = `SELECT project_id FROM sessions WHERE id = ?`
		case "set":
			query = `SELECT project_id FROM profile_sets WHERE id = ?`
		default:
			continue
		}
		var id int64
		err := q.QueryRowContext(ctx, query, ref).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, nil
		}
		return id, err
	}
	return 0, nil
}

// scrubAddresses replaces anything that reads as a network address with a
// marker. No caller should pass one; this is the last line that keeps one
// out of the trail.
func scrubAddresses(s string) string {
	if !strings.ContainsAny(s, ".:") {
		return s
	}
	fields := strings.Fields(s)
	changed := false
	for i, f := range fields {
		if looksLikeAddress(f) {
			fields[i], changed = "[address removed]", true
		}
	}
	if !changed {
		return s
	}
	return strings.Join(fields, " ")
}

func looksLikeAddress(f string) bool {
	f = strings.Trim(f, "(),;\"'")
	if host, _, err := net.SplitHostPort(f); err == nil && net.ParseIP(host) != nil {
		return true
	}
	f = strings.Trim(f, "[]")
	if net.ParseIP(f) != nil {
		return true
	}
	// "ip:10.0.0.1", "from=10.0.0.1"
	if i := strings.IndexAny(f, ":="); i > 0 && i < len(f)-1 {
		return looksLikeAddress(f[i+1:])
	}
	return false
}

// initAuditChain creates the chain the first time the database is opened
// with the chain's migration: a random anchor, and every record already in
// the trail hashed in order, so that they are protected from now on.
func initAuditChain(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("audit chain: begin: %w", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_chain`).Scan(&n); err != nil {
		return fmt.Errorf("audit chain: %w", err)
	}
	if n > 0 {
		return nil
	}
	anchor := make([]byte, sha256.Size)
	if _, err := rand.Read(anchor); err != nil {
		return fmt.Errorf("audit chain: anchor: %w", err)
	}
	records, err := readRecords(ctx, tx, `SELECT `+recordColumns+` FROM audit_log ORDER BY id`)
	if err != nil {
		return fmt.Errorf("audit chain: %w", err)
	}
	prev, first := anchor, int64(0)
	for i := range records {
		e := &records[i]
		if e.Project, err = projectOf(ctx, tx, e.Object); err != nil {
			return fmt.Errorf("audit chain: %w", err)
		}
		e.Hash = recordHash(prev, e)
		if _, err := tx.ExecContext(ctx, `UPDATE audit_log SET project_id = NULLIF(?, 0), prev_hash = ?, hash = ? WHERE id = ?`,
			e.Project, prev, e.Hash, e.ID); err != nil {
			return fmt.Errorf("audit chain: seal record %d: %w", e.ID, err)
		}
		if first == 0 {
			first = e.ID
		}
		prev = e.Hash
	}
	var headID int64
	if len(records) > 0 {
		headID = records[len(records)-1].ID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_chain (id, anchor, first_id, head_id, head_hash) VALUES (1, ?, ?, ?, ?)`,
		anchor, first, headID, prev); err != nil {
		return fmt.Errorf("audit chain: create: %w", err)
	}
	return tx.Commit()
}

// BreakKind says how the chain was broken at a record.
type BreakKind string

// The ways a chain breaks.
const (
	// Changed: the record's fields no longer match its hash, or its hash
	// was recomputed and no longer matches the record after it.
	Changed BreakKind = "changed"
	// Removed: the record is missing.
	Removed BreakKind = "removed"
	// Reordered: the record is not where the chain put it.
	Reordered BreakKind = "reordered"
	// Inserted: the chain never held the record.
	Inserted BreakKind = "inserted"
)

// ChainBreak is the first record at which the chain does not hold.
type ChainBreak struct {
	ID   int64
	Kind BreakKind
}

// ChainStatus is the outcome of a verification.
type ChainStatus struct {
	Records     int   // records checked
	First, Last int64 // their ids; 0 when the trail is empty
	Break       *ChainBreak
}

// OK reports whether the chain holds.
func (s ChainStatus) OK() bool { return s.Break == nil }

// chainState is the row of audit_chain.
type chainState struct {
	anchor, headHash []byte
	firstID, headID  int64
}

func readChain(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (chainState, error) {
	var c chainState
	err := q.QueryRowContext(ctx, `SELECT anchor, first_id, head_id, head_hash FROM audit_chain WHERE id = 1`).
		Scan(&c.anchor, &c.firstID, &c.headID, &c.headHash)
	if err != nil {
		return c, fmt.Errorf("read audit chain: %w", err)
	}
	return c, nil
}

// VerifyAudit walks the whole trail in order and reports the first record
// that was changed, removed, reordered or slipped in. The error is for a
// database that cannot be read; a broken chain is in the status.
func (db *DB) VerifyAudit(ctx context.Context) (ChainStatus, error) {
	tx, err := db.Read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return ChainStatus{}, fmt.Errorf("verify audit: %w", err)
	}
	defer tx.Rollback()
	return verifyChain(ctx, tx)
}

// verifyChain is VerifyAudit inside a transaction, which gives it one view
// of the records and the chain's state.
func verifyChain(ctx context.Context, tx *sql.Tx) (ChainStatus, error) {
	chain, err := readChain(ctx, tx)
	if err != nil {
		return ChainStatus{}, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+recordColumns+` FROM audit_log ORDER BY id`)
	if err != nil {
		return ChainStatus{}, fmt.Errorf("verify audit: %w", err)
	}
	defer rows.Close()
	v := verifier{chain: chain, expect: chain.anchor}
	for rows.Next() && v.status.Break == nil {
		e, err := scanRecord(rows)
		if err != nil {
			return ChainStatus{}, fmt.Errorf("verify audit: %w", err)
		}
		v.next(&e)
	}
	if err := rows.Err(); err != nil {
		return ChainStatus{}, fmt.Errorf("verify audit: %w", err)
	}
	if v.status.Break == nil {
		v.end()
	}
	return v.status, nil
}

// verifier follows the chain one record at a time.
type verifier struct {
	chain  chainState
	expect []byte // the hash the next record must follow
	prevID int64  // the last record seen; 0 before the first
	status ChainStatus
}

func (v *verifier) fail(id int64, kind BreakKind) { v.status.Break = &ChainBreak{ID: id, Kind: kind} }

func (v *verifier) next(e *Event) {
	switch {
	case v.prevID == 0 && v.chain.firstID == 0:
		v.fail(e.ID, Inserted) // the chain says the trail is empty
		return
	case v.prevID == 0 && e.ID > v.chain.firstID:
		v.fail(v.chain.firstID, Removed)
		return
	case v.prevID == 0 && e.ID < v.chain.firstID:
		v.fail(e.ID, Inserted)
		return
	case e.ID > v.chain.headID:
		v.fail(e.ID, Inserted) // after the head the chain recorded
		return
	case v.prevID != 0 && e.ID != v.prevID+1:
		// Ids are given one after another: a gap is a removal.
		v.fail(v.prevID+1, Removed)
		return
	}
	linked := bytes.Equal(e.PrevHash, v.expect)
	intact := bytes.Equal(recordHash(e.PrevHash, e), e.Hash)
	switch {
	case linked && !intact:
		v.fail(e.ID, Changed)
		return
	case !linked && intact && v.prevID != 0:
		// This record is whole and in its place (its id is in its hash),
		// so the record before it was changed and given a new hash.
		v.fail(v.prevID, Changed)
		return
	case !linked && intact:
		v.fail(e.ID, Changed)
		return
	case !linked && !intact:
		// Neither its content nor its place agree: a record moved here
		// from elsewhere in the chain.
		v.fail(e.ID, Reordered)
		return
	}
	v.expect, v.prevID = e.Hash, e.ID
	if v.status.First == 0 {
		v.status.First = e.ID
	}
	v.status.Last = e.ID
	v.status.Records++
}

// end checks that the walk stopped at the head the chain recorded.
func (v *verifier) end() {
	switch {
	case v.prevID == 0 && v.chain.firstID != 0:
		v.fail(v.chain.firstID, Removed)
	case v.prevID == 0:
		// An empty trail, as the chain says: every record was pruned.
	case v.prevID < v.chain.headID:
		v.fail(v.prevID+1, Removed)
	case v.prevID > v.chain.headID:
		v.fail(v.chain.headID+1, Inserted)
	case v.prevID != 0 && !bytes.Equal(v.expect, v.chain.headHash):
		v.fail(v.prevID, Changed)
	}
}

// PruneAudit deletes the records older than before, inside tx, and moves
// the chain's anchor to the first record kept, so that the rest still
// verifies. A chain that does not verify is left alone: deleting its old
// records would destroy the evidence. It returns how many records went.
func PruneAudit(ctx context.Context, tx *Tx, before Time) (int64, error) {
	status, err := verifyChain(ctx, tx.Tx)
	if err != nil {
		return 0, err
	}
	if !status.OK() {
		return 0, &BrokenChainError{Break: *status.Break}
	}
	chain, err := readChain(ctx, tx)
	if err != nil {
		return 0, err
	}
	var keep sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MIN(id) FROM audit_log WHERE at >= ?`, before).Scan(&keep); err != nil {
		return 0, fmt.Errorf("prune audit: %w", err)
	}
	var res sql.Result
	if keep.Valid {
		var anchor []byte
		if err := tx.QueryRowContext(ctx, `SELECT prev_hash FROM audit_log WHERE id = ?`, keep.Int64).Scan(&anchor); err != nil {
			return 0, fmt.Errorf("prune audit: %w", err)
		}
		if res, err = tx.ExecContext(ctx, `DELETE FROM audit_log WHERE id < ?`, keep.Int64); err != nil {
			return 0, fmt.Errorf("prune audit: %w", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE audit_chain SET anchor = ?, first_id = ? WHERE id = 1`, anchor, keep.Int64)
		if err != nil {
			return 0, fmt.Errorf("prune audit: %w", err)
		}
	} else {
		// Every record is old: the next one follows the head.
		if res, err = tx.ExecContext(ctx, `DELETE FROM audit_log`); err != nil {
			return 0, fmt.Errorf("prune audit: %w", err)
		}
		if _, err = tx.ExecContext(ctx, `UPDATE audit_chain SET anchor = ?, first_id = 0 WHERE id = 1`, chain.headHash); err != nil {
			return 0, fmt.Errorf("prune audit: %w", err)
		}
	}
	return res.RowsAffected()
}

// BrokenChainError is returned when an operation needs an intact chain.
type BrokenChainError struct{ Break ChainBreak }

func (e *BrokenChainError) Error() string {
	return fmt.Sprintf("audit trail broken at record %d (%s)", e.Break.ID, e.Break.Kind)
}
