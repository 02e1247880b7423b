package store

import (
	"context"
	"database/sql"
	"errors"
)

// RecountedCalendar returns the fingerprint of the working-day calendar the
// running dossiers' due dates were last counted with, or "" if they never
// were.
func (db *DB) RecountedCalendar(ctx context.Context) (string, error) {
	var fp string
	err := db.x.GetContext(ctx, &fp, `SELECT fingerprint FROM calendar_recount WHERE id = 1`)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return fp, unavailable("recounted calendar", err)
}

// SetRecountedCalendar records that every running dossier's due date was
// counted with the calendar of fingerprint fp.
func (db *DB) SetRecountedCalendar(ctx context.Context, fp string) error {
	_, err := db.x.ExecContext(ctx, db.q(`INSERT INTO calendar_recount (id, fingerprint, counted_at) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, counted_at = excluded.counted_at`), fp, db.stamp())
	return unavailable("set recounted calendar", err)
}
