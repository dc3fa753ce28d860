package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestPrepareWhileATransactionRuns: one request prepares the statements
// its transaction noted, while another's transaction, already holding the
// writer connection, runs a statement. Preparing waits for the connection;
// the transaction must still get its statement, finish, and let the
// preparing go on (they once waited for each other forever).
func TestPrepareWhileATransactionRuns(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "data"))
	if err != nil {
		t.Fatal(err)
	}
	// No deferred Close: after the deadlock this test looks for, Close
	// would wait for ever, and the failure would never be reported.
	if _, err := db.Write.ExecContext(ctx, `CREATE TABLE t (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	db.stmts.get(`INSERT INTO t (x) VALUES (1)`) // noted, to be prepared

	inTx, txDone, prepared := make(chan struct{}), make(chan error, 1), make(chan struct{})
	go func() {
		txDone <- db.Tx(ctx, func(tx *Tx) error {
			close(inTx)
			// Let the other request start preparing and wait for the
			// connection this transaction holds.
			time.Sleep(100 * time.Millisecond)
			_, err := tx.ExecContext(ctx, `INSERT INTO t (x) VALUES (2)`)
			return err
		})
	}()
	<-inTx
	go func() {
		db.stmts.prepareWanted(ctx, db.Write)
		close(prepared)
	}()
	for _, done := range []<-chan struct{}{waitErr(t, txDone), prepared} {
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("the transaction and the preparing wait for each other")
		}
	}
	if db.stmts.get(`INSERT INTO t (x) VALUES (1)`) == nil {
		t.Error("the noted statement was not prepared")
	}
	db.Close()
}

// waitErr closes the returned channel when errc delivers nil, and fails
// the test on an error.
func waitErr(t *testing.T, errc <-chan error) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		if err := <-errc; err != nil {
			t.Error(err)
		}
		close(done)
	}()
	return done
}
