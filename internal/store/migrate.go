package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/jmoiron/sqlx"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"motcua/internal/textfold"
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
	if err := db.foldApplicantNames(ctx); err != nil {
		return err
	}
	return db.buildViewsOnce(ctx)
}

// unfoldedQuery finds dossiers whose name is still to fold, by the partial
// index dossiers_unfolded (migration 00017), which is empty once all are.
const unfoldedQuery = `SELECT code, applicant_name FROM dossiers
	WHERE applicant_fold = '' AND applicant_name <> '' ORDER BY code LIMIT 500`

// foldApplicantNames fills applicant_fold (migration 00014) for the
// dossiers stored before it, or by a loader that left it empty: folding
// Vietnamese needs Go, not SQL. It does nothing once every name is folded.
func (db *DB) foldApplicantNames(ctx context.Context) error {
	for {
		var rows []struct {
			Code string `db:"code"`
			Name string `db:"applicant_name"`
		}
		err := db.x.SelectContext(ctx, &rows, db.q(unfoldedQuery))
		if err != nil {
			return fmt.Errorf("store: fold applicant names: %w", err)
		}
		if len(rows) == 0 {
			return nil
		}
		folded := 0
		err = db.inTx(ctx, func(tx *sqlx.Tx) error {
			for _, r := range rows {
				f := textfold.Fold(r.Name)
				if f == "" {
					f = " " // a name of no letters: folded to nothing, but done
				}
				if _, err := tx.ExecContext(ctx, db.q(`UPDATE dossiers SET applicant_fold = ? WHERE code = ? AND applicant_fold = ''`), f, r.Code); err != nil {
					return err
				}
				folded++
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: fold applicant names: %w", err)
		}
		if folded < 500 {
			return nil
		}
	}
}
