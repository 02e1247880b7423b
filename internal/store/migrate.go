package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations
var migrations embed.FS

// Migrate applies the embedded migrations of this dialect. Several processes
// may start at once (a portal and a bot, or several portals): one migrates,
// the others wait and then find nothing left to do. PostgreSQL uses a session
// advisory lock; SQLite a lock on a file beside the database, since goose
// checks the version and applies a migration in separate transactions.
func (db *DB) Migrate(ctx context.Context) error {
	if db.dialect == SQLite {
		unlock, err := lockFile(db.path + ".migrate-lock")
		if err != nil {
			return fmt.Errorf("store: migration lock: %w", err)
		}
		defer unlock()
	}
	sub, err := fs.Sub(migrations, "migrations/"+string(db.dialect))
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	// Features are built in parallel and numbered apart; a database that
	// already has a later migration still takes an earlier one that arrives
	// after it.
	opts := []goose.ProviderOption{goose.WithAllowOutofOrder(true)}
	dialect := goose.DialectSQLite3
	if db.dialect == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
		if err != nil {
			return fmt.Errorf("store: migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, db.x.DB, sub, opts...)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}
