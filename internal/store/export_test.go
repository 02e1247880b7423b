package store

import (
	"context"

	"github.com/jmoiron/sqlx"

	"motcua/internal/dossier"
)

// SQLx is the store's connection pool, for tests that change rows as an
// older version or an operator would.
func (db *DB) SQLx() *sqlx.DB { return db.x }

// Tracking's statements, from a dossier's view and from its own tables,
// for the test of their plans.
var (
	TrackViewQuery = trackViewQuery
	TrackFullQuery = trackFullQuery
)

// UnfoldedQuery is the look for names still to fold, for the test of its
// plan.
const UnfoldedQuery = unfoldedQuery

// TrackFull is tracking from a dossier's own tables, which its view must
// always agree with.
func (db *DB) TrackFull(ctx context.Context, code, phone string) (dossier.Tracked, error) {
	return db.trackFull(ctx, code, phone)
}
