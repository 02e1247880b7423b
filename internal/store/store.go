// Package store persists motcua's data. It is one sqlx implementation over two
// drivers: SQLite (modernc, pure Go) by default and PostgreSQL (lib/pq) in
// production. Queries are written once with ? placeholders and rebound.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"  // PostgreSQL driver
	_ "modernc.org/sqlite" // SQLite driver

	"motcua/internal/apperr"
)

// Dialect names the SQL dialect where the two databases differ.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the store. It is safe for concurrent use.
type DB struct {
	x       *sqlx.DB
	dialect Dialect
	dsn     string
	path    string     // SQLite: the database file
	stmts   sync.Map   // query → *sqlx.Stmt: the queue's hot queries, prepared once
	writeMu sync.Mutex // SQLite: the queue's writers wait here, not in SQLite's busy polling
	issuer  issuer     // tickets asked for at once, issued together (IssueTicket)
	// now is the caller's clock, for the rows the store stamps itself
	// (created_at, updated_at); internal/app sets it to the services' clock.
	now func() time.Time
}

// SetClock makes the store stamp rows with now's time. Call it before use.
func (db *DB) SetClock(now func() time.Time) { db.now = now }

// stamp is the clock's time as stored: UTC.
func (db *DB) stamp() time.Time { return db.now().UTC() }

// Default pool sizes. One writer at a time is SQLite's rule; a small pool
// keeps readers concurrent under WAL without piling up writers on
// busy_timeout. On PostgreSQL every instance (and the bot) takes its pool
// from the server's max_connections (100 by default).
const (
	defaultSQLiteConns   = 8
	defaultPostgresConns = 20
)

// SetMaxConns caps the connections the store opens (MOTCUA_DB_MAX_CONNS);
// n = 0 is the dialect's default. As many stay idle as may be open: under
// load a connection closed for want of an idle slot is opened again at
// once, and its prepared statements (and on PostgreSQL its TCP connection
// and authentication) are made again; the load command's profiles showed
// SQLite parsing the tracking statement on nearly every request (README,
// "Performance"). Call it before the store is used.
func (db *DB) SetMaxConns(n int) {
	if n <= 0 {
		n = defaultPostgresConns
		if db.dialect == SQLite {
			n = defaultSQLiteConns
		}
	}
	db.x.SetMaxOpenConns(n)
	db.x.SetMaxIdleConns(n)
}

// Open connects to the database named by url: "sqlite:PATH" or
// "postgres://…". It does not migrate.
func Open(ctx context.Context, url string) (*DB, error) {
	var (
		x   *sqlx.DB
		err error
		d   Dialect
		dsn string

		sqlitePath string
	)
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		d = SQLite
		path := strings.TrimPrefix(url, "sqlite:")
		if path == "" {
			return nil, errors.New("store: sqlite: empty path")
		}
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("store: create data directory: %w", err)
			}
		}
		if err := privateFile(path); err != nil {
			return nil, err
		}
		dsn = sqliteDSN(path)
		sqlitePath = path
		x, err = sqlx.Open("sqlite", dsn)
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		d = Postgres
		dsn = url
		x, err = sqlx.Open("postgres", dsn)
	default:
		return nil, fmt.Errorf("store: unsupported database URL (want sqlite:PATH or postgres://…)")
	}
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	db := &DB{x: x, dialect: d, dsn: dsn, path: sqlitePath, now: time.Now}
	db.SetMaxConns(0)
	if err := x.PingContext(ctx); err != nil {
		x.Close()
		return nil, apperr.Wrap(apperr.Unavailable, "error.unavailable", fmt.Errorf("store: ping: %w", err))
	}
	return db, nil
}

// privateFile creates the SQLite database file readable by its owner only
// (0600), before SQLite does it with the umask's usual 0644: it holds
// citizens' names, phones and ID numbers. SQLite gives its -wal and -shm
// files the database file's mode. A file left 0644 by an older version is
// tightened.
func privateFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("store: create database file: %w", err)
	}
	defer f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(p)
		if err != nil {
			continue // no WAL yet
		}
		if st.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(p, st.Mode().Perm()&0o700); err != nil {
				return fmt.Errorf("store: make database file private: %w", err)
			}
		}
	}
	return nil
}

// sqliteDSN sets the pragmas on every pooled connection: WAL for concurrent
// readers, a busy timeout instead of immediate "database is locked", foreign
// keys, immediate transactions (they read then write), and plain time text.
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	return "file:" + path + "?" + q.Encode()
}

// Dialect reports which database this is.
func (db *DB) Dialect() Dialect { return db.dialect }

// Close releases the connections.
func (db *DB) Close() error { return db.x.Close() }

// Ping reports whether the database answers; readiness uses it.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.x.PingContext(ctx); err != nil {
		return apperr.Wrap(apperr.Unavailable, "error.unavailable", fmt.Errorf("store: ping: %w", err))
	}
	return nil
}

// SQL exposes the raw handle for the migration library and the event bus.
func (db *DB) SQL() *sql.DB { return db.x.DB }

// DSN is the driver's connection string (for PostgreSQL LISTEN connections).
func (db *DB) DSN() string { return db.dsn }

// q rebinds a query written with ? for this database.
func (db *DB) q(query string) string { return db.x.Rebind(query) }

// inTx runs fn in a transaction, committing when it returns nil.
func (db *DB) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := db.x.BeginTxx(ctx, nil)
	if err != nil {
		return unavailable("begin", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return unavailable("commit", err)
	}
	return nil
}

// unavailable wraps a database failure for the edge: a store that does not
// answer (no connection, a timeout, a database shutting down or locked too
// long) is Unavailable, 503, worth a retry; anything else is a bug or a
// broken invariant, Internal, 500. Both are logged once with their cause.
// An error the services own passes through unchanged.
func unavailable(op string, err error) error {
	if err == nil {
		return nil
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	wrapped := fmt.Errorf("store: %s: %w", op, err)
	if notAnswering(err) {
		return apperr.Wrap(apperr.Unavailable, "error.unavailable", wrapped)
	}
	return apperr.Wrap(apperr.Internal, "error.internal", wrapped)
}

// notFound turns sql.ErrNoRows into the domain's not-found error.
func notFound(op string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.ErrNotFound
	}
	return unavailable(op, err)
}
