package store

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"
)

// chainDB opens a database with n audit records, one a day from
// 2024-01-01.
func chainDB(t *testing.T, n int) *DB {
	t.Helper()
	db, err := Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	start := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range n {
		e := Event{Action: "test.event", Object: fmt.Sprintf("thing:%d", i+1), Result: "ok", Origin: "system", Actor: "test",
			At: At(start.AddDate(0, 0, i))}
		if err := Audit(context.Background(), db.Write, e); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func mustVerify(t *testing.T, db *DB) ChainStatus {
	t.Helper()
	st, err := db.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func exec(t *testing.T, db *DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Write.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func TestAuditChainVerifies(t *testing.T) {
	db := chainDB(t, 10)
	st := mustVerify(t, db)
	if !st.OK() || st.Records != 10 || st.First != 1 || st.Last != 10 {
		t.Fatalf("fresh chain: %+v (break %+v)", st, st.Break)
	}
	// An empty trail verifies too.
	empty := chainDB(t, 0)
	if st := mustVerify(t, empty); !st.OK() || st.Records != 0 {
		t.Fatalf("empty chain: %+v", st)
	}
	// The first record follows the anchor: 32 random bytes made with the
	// chain, different in every database.
	var anchor, first, other []byte
	db.Read.QueryRow(`SELECT anchor FROM audit_chain`).Scan(&anchor)
	db.Read.QueryRow(`SELECT prev_hash FROM audit_log ORDER BY id LIMIT 1`).Scan(&first)
	empty.Read.QueryRow(`SELECT anchor FROM audit_chain`).Scan(&other)
	if len(anchor) != 32 || !bytes.Equal(first, anchor) || bytes.Equal(anchor, other) {
		t.Errorf("anchor %x, first record follows %x, another database's anchor %x", anchor, first, other)
	}
}

// TestAuditChainNamesTheRecord tampers with the trail the way someone with
// the sqlite3 shell would, and checks that verification names the first
// record that was changed, removed, reordered or added.
func TestAuditChainNamesTheRecord(t *testing.T) {
	tests := []struct {
		name   string
		tamper []string
		want   ChainBreak
	}{
		{"a changed object", []string{`UPDATE audit_log SET object = 'thing:99' WHERE id = 4`}, ChainBreak{4, Changed}},
		{"a changed time", []string{`UPDATE audit_log SET at = '2030-01-01T00:00:00Z' WHERE id = 6`}, ChainBreak{6, Changed}},
		{"a time that is no time", []string{`UPDATE audit_log SET at = 'yesterday' WHERE id = 6`}, ChainBreak{6, Changed}},
		{"a changed actor", []string{`UPDATE audit_log SET actor = 'someone else' WHERE id = 1`}, ChainBreak{1, Changed}},
		{"a removed record", []string{`DELETE FROM audit_log WHERE id = 5`}, ChainBreak{5, Removed}},
		{"the first record removed", []string{`DELETE FROM audit_log WHERE id = 1`}, ChainBreak{1, Removed}},
		{"the last record removed", []string{`DELETE FROM audit_log WHERE id = 10`}, ChainBreak{10, Removed}},
		{"every record removed", []string{`DELETE FROM audit_log`}, ChainBreak{1, Removed}},
		{"a removed record, the rest renumbered", []string{`DELETE FROM audit_log WHERE id = 5`,
			`UPDATE audit_log SET id = id - 1 WHERE id > 5`}, ChainBreak{5, Reordered}},
		{"two records swapped", []string{`UPDATE audit_log SET id = -3 WHERE id = 3`, `UPDATE audit_log SET id = 3 WHERE id = 4`,
			`UPDATE audit_log SET id = 4 WHERE id = -3`}, ChainBreak{3, Reordered}},
		{"a record added at the end", []string{`INSERT INTO audit_log (id, at, action, object, result, origin, actor)
			VALUES (11, '2024-02-01T00:00:00Z', 'x', 'y', 'ok', 'cli', 'z')`}, ChainBreak{11, Inserted}},
		{"the anchor changed", []string{`UPDATE audit_chain SET anchor = randomblob(32)`}, ChainBreak{1, Changed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := chainDB(t, 10)
			for _, q := range tt.tamper {
				exec(t, db, q)
			}
			st := mustVerify(t, db)
			if st.Break == nil || *st.Break != tt.want {
				t.Fatalf("break = %+v, want %+v", st.Break, tt.want)
			}
		})
	}
}

// TestAuditChainRecomputedHash: changing a record and giving it a fresh
// hash still breaks the link to the record after it, and the changed one
// is named.
func TestAuditChainRecomputedHash(t *testing.T) {
	db := chainDB(t, 5)
	ctx := context.Background()
	recs, err := db.AuditRecords(ctx, AuditFilter{Ascending: true})
	if err != nil {
		t.Fatal(err)
	}
	e := recs[2]
	e.Object = "thing:forged"
	exec(t, db, `UPDATE audit_log SET object = ?, hash = ? WHERE id = ?`, e.Object, recordHash(e.PrevHash, &e), e.ID)
	if st := mustVerify(t, db); st.Break == nil || *st.Break != (ChainBreak{3, Changed}) {
		t.Fatalf("break = %+v, want record 3 changed", st.Break)
	}
	// The last record forged the same way shows against the head.
	db = chainDB(t, 5)
	recs, _ = db.AuditRecords(ctx, AuditFilter{Ascending: true})
	e = recs[4]
	e.Result = "failure"
	exec(t, db, `UPDATE audit_log SET result = ?, hash = ? WHERE id = ?`, e.Result, recordHash(e.PrevHash, &e), e.ID)
	if st := mustVerify(t, db); st.Break == nil || *st.Break != (ChainBreak{5, Changed}) {
		t.Fatalf("break = %+v, want record 5 changed", st.Break)
	}
}

// TestAuditPruneKeepsChain: deleting old records anchors the chain on the
// first record kept; it verifies before and after new records, and a
// broken chain is not pruned.
func TestAuditPruneKeepsChain(t *testing.T) {
	db := chainDB(t, 10)
	ctx := context.Background()
	cutoff := At(time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC))
	var pruned int64
	err := db.Tx(ctx, func(tx *Tx) error {
		var err error
		pruned, err = PruneAudit(ctx, tx, cutoff)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if pruned != 4 {
		t.Fatalf("pruned %d, want 4 (1-4 January)", pruned)
	}
	st := mustVerify(t, db)
	if !st.OK() || st.First != 5 || st.Records != 6 {
		t.Fatalf("after pruning: %+v (break %+v)", st, st.Break)
	}
	if err := Audit(ctx, db.Write, Event{Action: "after", Object: "x", Result: "ok", Origin: "system", Actor: "t"}); err != nil {
		t.Fatal(err)
	}
	if st := mustVerify(t, db); !st.OK() || st.Records != 7 {
		t.Fatalf("after a new record: %+v (break %+v)", st, st.Break)
	}
	// Removing the new first record is still seen.
	exec(t, db, `DELETE FROM audit_log WHERE id = 5`)
	if st := mustVerify(t, db); st.Break == nil || *st.Break != (ChainBreak{5, Removed}) {
		t.Fatalf("break = %+v, want record 5 removed", st.Break)
	}
	err = db.Tx(ctx, func(tx *Tx) error {
		_, err := PruneAudit(ctx, tx, At(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)))
		return err
	})
	if _, ok := err.(*BrokenChainError); !ok {
		t.Fatalf("pruning a broken chain: %v, want a BrokenChainError", err)
	}

	// Everything old: the trail empties and the next record follows the
	// old head.
	db = chainDB(t, 3)
	if err := db.Tx(ctx, func(tx *Tx) error {
		_, err := PruneAudit(ctx, tx, At(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if st := mustVerify(t, db); !st.OK() || st.Records != 0 {
		t.Fatalf("emptied: %+v (break %+v)", st, st.Break)
	}
	if err := Audit(ctx, db.Write, Event{Action: "after", Object: "x", Result: "ok", Origin: "system", Actor: "t"}); err != nil {
		t.Fatal(err)
	}
	if st := mustVerify(t, db); !st.OK() || st.Records != 1 || st.First != 4 {
		t.Fatalf("after emptying and a new record: %+v (break %+v)", st, st.Break)
	}
}

// TestAuditChainSealsOldRecords: records written before the chain existed
// are hashed when it is created, and protected from then on.
func TestAuditChainSealsOldRecords(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	// A trail as it was before the chain: records without hashes and no
	// chain.
	exec(t, db, `DELETE FROM audit_chain`)
	for i := 1; i <= 3; i++ {
		exec(t, db, `INSERT INTO audit_log (at, action, object, result, origin, actor) VALUES (?, 'old', ?, 'ok', 'cli', 'x')`,
			fmt.Sprintf("2023-0%d-01T00:00:00Z", i), fmt.Sprintf("thing:%d", i))
	}
	db.Close()
	if db, err = Open(ctx, dir); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if st := mustVerify(t, db); !st.OK() || st.Records != 3 {
		t.Fatalf("sealed: %+v (break %+v)", st, st.Break)
	}
	exec(t, db, `UPDATE audit_log SET object = 'thing:7' WHERE id = 2`)
	if st := mustVerify(t, db); st.Break == nil || *st.Break != (ChainBreak{2, Changed}) {
		t.Fatalf("break = %+v, want record 2 changed", st.Break)
	}
}

// TestAuditFindsProjectAndDropsAddresses: the project comes from the
// object, and nothing that reads as a network address is stored.
func TestAuditFindsProjectAndDropsAddresses(t *testing.T) {
	db := chainDB(t, 0)
	ctx := context.Background()
	exec(t, db, `INSERT INTO projects (id, slug, name, purpose, created_at) VALUES (7, 'p7', 'P', 'x', '2024-01-01T00:00:00Z')`)
	for _, e := range []Event{
		{Action: "a", Object: "project:p7", Result: "ok", Origin: "web", Actor: "x"},
		{Action: "b", Object: "project:7 {}", Result: "ok", Origin: "web", Actor: "x"},
		{Action: "c", Object: "user:1 from 192.168.1.20", Result: "ok", Origin: "ip:10.0.0.1", Actor: "[2001:db8::1]:443"},
	} {
		if err := Audit(ctx, db.Write, e); err != nil {
			t.Fatal(err)
		}
	}
	recs, err := db.AuditRecords(ctx, AuditFilter{Ascending: true})
	if err != nil {
		t.Fatal(err)
	}
	if recs[0].Project != 7 || recs[1].Project != 7 || recs[2].Project != 0 {
		t.Errorf("projects = %d, %d, %d; want 7, 7, 0", recs[0].Project, recs[1].Project, recs[2].Project)
	}
	c := recs[2]
	if c.Object != "user:1 from [address removed]" || c.Origin != "[address removed]" || c.Actor != "[address removed]" {
		t.Errorf("addresses kept: %q %q %q", c.Object, c.Origin, c.Actor)
	}
	if st := mustVerify(t, db); !st.OK() {
		t.Fatalf("chain: %+v", st.Break)
	}
	// Filters: by project, by action prefix, by period.
	got, _ := db.AuditRecords(ctx, AuditFilter{Project: 7})
	if len(got) != 2 {
		t.Errorf("project filter: %d records, want 2", len(got))
	}
	got, _ = db.AuditRecords(ctx, AuditFilter{Action: "c"})
	if len(got) != 1 {
		t.Errorf("action filter: %d records, want 1", len(got))
	}
}
