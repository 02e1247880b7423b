package store

import (
	"context"

	"github.com/jmoiron/sqlx"
)

// prepared returns the prepared statement of a hot query (issuing a ticket
// runs about ten), preparing it once per DB: parsing the SQL was a third of
// the work of issuing on SQLite. query is already rebound.
func (db *DB) prepared(ctx context.Context, query string) (*sqlx.Stmt, error) {
	if st, ok := db.stmts.Load(query); ok {
		return st.(*sqlx.Stmt), nil
	}
	st, err := db.x.PreparexContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := db.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sqlx.Stmt), nil
	}
	return st, nil
}

// getP is GetContext through a prepared statement. In a transaction (tx
// not nil) only an already prepared statement is used: preparing would take
// a second connection while the transaction holds one, and a full pool of
// such transactions would wait for each other forever. Callers warm their
// statements with prepare before they begin.
func (db *DB) getP(ctx context.Context, tx *sqlx.Tx, dest any, query string, args ...any) error {
	query = db.q(query)
	if tx != nil {
		st, ok := db.stmts.Load(query)
		if !ok {
			return tx.GetContext(ctx, dest, query, args...)
		}
		tst := tx.StmtxContext(ctx, st.(*sqlx.Stmt))
		defer tst.Close()
		return tst.GetContext(ctx, dest, args...)
	}
	st, err := db.prepared(ctx, query)
	if err != nil {
		return err
	}
	return st.GetContext(ctx, dest, args...)
}

// prepare warms the statements a transaction will run, outside it.
func (db *DB) prepare(ctx context.Context, queries ...string) error {
	for _, q := range queries {
		if _, err := db.prepared(ctx, db.q(q)); err != nil {
			return err
		}
	}
	return nil
}

// selectP is SelectContext through a prepared statement.
func (db *DB) selectP(ctx context.Context, dest any, query string, args ...any) error {
	st, err := db.prepared(ctx, db.q(query))
	if err != nil {
		return err
	}
	return st.SelectContext(ctx, dest, args...)
}

// inQueueTx is inTx for the queue's busy writes. On SQLite only one
// transaction writes at a time anyway; making the others wait on a Go mutex
// instead of SQLite's busy handler (which sleeps up to 100 ms between
// tries) keeps many kiosks at full speed.
func (db *DB) inQueueTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	if db.dialect == SQLite {
		db.writeMu.Lock()
		defer db.writeMu.Unlock()
	}
	return db.inTx(ctx, fn)
}
