package store

import (
	"context"
	"database/sql"
	"sync"
)

// Prepared statements for the writer. Parsing SQL costs more than running
// it for the small statements of the live engine (a profile of 1,000 notes
// a second put an eighth of the server's time in SQLite's parser), so a
// write transaction's statements are prepared once on the writer
// connection and reused.

// maxStatements bounds the cache: statements built from a few fixed parts
// are cached, anything beyond is run unprepared.
const maxStatements = 256

type statements struct {
	mu     sync.Mutex
	byQL   map[string]*sql.Stmt
	wanted map[string]bool // seen in a transaction, to prepare after it
}

// get returns the prepared statement of query, or nil when it is not
// prepared yet. The writer pool has one connection, which a transaction
// holds: a statement can only be prepared between transactions, so a new
// one is noted here and prepared by prepareWanted after the commit.
func (s *statements) get(query string) *sql.Stmt {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.byQL[query]; ok {
		return st
	}
	if len(s.byQL)+len(s.wanted) < maxStatements {
		if s.wanted == nil {
			s.wanted = make(map[string]bool)
		}
		s.wanted[query] = true
	}
	return nil
}

// prepareWanted prepares the statements noted since the last call. It runs
// after a transaction, but another may have begun by then: preparing waits
// for the writer connection, so it must not hold mu meanwhile, or that
// transaction, asking get for a statement, and this one, waiting for its
// connection, would wait for each other forever.
func (s *statements) prepareWanted(ctx context.Context, db *sql.DB) {
	s.mu.Lock()
	wanted := s.wanted
	s.wanted = nil
	s.mu.Unlock()
	for q := range wanted {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			continue // it keeps running unprepared
		}
		s.mu.Lock()
		if _, ok := s.byQL[q]; ok {
			st.Close() // another prepareWanted was first
		} else {
			if s.byQL == nil {
				s.byQL = make(map[string]*sql.Stmt)
			}
			s.byQL[q] = st
		}
		s.mu.Unlock()
	}
}

func (s *statements) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.byQL {
		st.Close()
	}
	s.byQL = nil
}

// stmt returns query prepared for this transaction, or nil to run it as
// it is.
func (tx *Tx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if tx.stmts == nil {
		return nil, nil
	}
	st := tx.stmts.get(query)
	if st == nil {
		return nil, nil
	}
	return tx.Tx.StmtContext(ctx, st), nil
}

// ExecContext runs query in the transaction, prepared once per database.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return tx.Tx.ExecContext(ctx, query, args...)
	}
	return st.ExecContext(ctx, args...)
}

// QueryContext runs query in the transaction, prepared once per database.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return tx.Tx.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext runs query in the transaction, prepared once per
// database. A failure to prepare shows as the row's error.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := tx.stmt(ctx, query)
	if err != nil || st == nil {
		return tx.Tx.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}
