package store

import (
	"context"
	"database/sql"
	"time"

	"motcua/internal/queue"
)

type kioskRow struct {
	ID         int64        `db:"id"`
	OfficeCode string       `db:"office_code"`
	UnitCode   string       `db:"unit_code"`
	Name       string       `db:"name"`
	EnrolledBy string       `db:"enrolled_by"`
	EnrolledAt time.Time    `db:"enrolled_at"`
	RevokedAt  sql.NullTime `db:"revoked_at"`
	RevokedBy  string       `db:"revoked_by"`
}

const kioskColumns = `id, office_code, unit_code, name, enrolled_by, enrolled_at, revoked_at, revoked_by`

func (r kioskRow) decode() queue.Kiosk {
	return queue.Kiosk{ID: r.ID, OfficeCode: r.OfficeCode, UnitCode: r.UnitCode, Name: r.Name,
		EnrolledBy: r.EnrolledBy, EnrolledAt: r.EnrolledAt.UTC(), RevokedAt: timePtr(r.RevokedAt), RevokedBy: r.RevokedBy}
}

// CreateKiosk enrols a kiosk with its secret's hash.
func (db *DB) CreateKiosk(ctx context.Context, k queue.Kiosk, secretHash string) (queue.Kiosk, error) {
	err := db.x.GetContext(ctx, &k.ID, db.q(`INSERT INTO kiosks (office_code, unit_code, name, secret_hash, enrolled_by, enrolled_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), k.OfficeCode, k.UnitCode, k.Name, secretHash, k.EnrolledBy, k.EnrolledAt.UTC())
	return k, unavailable("enrol kiosk", err)
}

// KioskBySecret finds a kiosk by its secret's hash, or apperr.ErrNotFound.
func (db *DB) KioskBySecret(ctx context.Context, hash string) (queue.Kiosk, error) {
	var r kioskRow
	if err := db.x.GetContext(ctx, &r, db.q(`SELECT `+kioskColumns+` FROM kiosks WHERE secret_hash = ?`), hash); err != nil {
		return queue.Kiosk{}, notFound("get kiosk", err)
	}
	return r.decode(), nil
}

// Kiosks lists an office's kiosks, the working ones first, newest first.
func (db *DB) Kiosks(ctx context.Context, office string) ([]queue.Kiosk, error) {
	var rows []kioskRow
	if err := db.x.SelectContext(ctx, &rows, db.q(`SELECT `+kioskColumns+` FROM kiosks WHERE office_code = ?
		ORDER BY CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END, enrolled_at DESC, id DESC`), office); err != nil {
		return nil, unavailable("list kiosks", err)
	}
	out := make([]queue.Kiosk, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.decode())
	}
	return out, nil
}

// RevokeKiosk revokes one of the office's kiosks; revoking it again keeps
// the first revocation.
func (db *DB) RevokeKiosk(ctx context.Context, office string, id int64, by string, at time.Time) error {
	res, err := db.x.ExecContext(ctx, db.q(`UPDATE kiosks SET revoked_at = COALESCE(revoked_at, ?),
		revoked_by = CASE WHEN revoked_at IS NULL THEN ? ELSE revoked_by END WHERE id = ? AND office_code = ?`),
		at.UTC(), by, id, office)
	return queueOneRow("revoke kiosk", res, err)
}

// TakeQuota counts one ticket of client in the hour starting at window:
// the upsert increments and returns in one statement, so concurrent
// requests, on any number of instances, each see their own count. The
// first ticket of a window also clears windows older than a day.
func (db *DB) TakeQuota(ctx context.Context, client string, window time.Time) (int, error) {
	var n int
	err := db.x.GetContext(ctx, &n, db.q(`INSERT INTO ticket_quota (client, window_start, taken) VALUES (?, ?, 1)
		ON CONFLICT (client, window_start) DO UPDATE SET taken = ticket_quota.taken + 1 RETURNING taken`), client, window.UTC())
	if err != nil {
		return 0, unavailable("take ticket quota", err)
	}
	if n == 1 {
		if _, err := db.x.ExecContext(ctx, db.q(`DELETE FROM ticket_quota WHERE window_start < ?`), window.Add(-24*time.Hour).UTC()); err != nil {
			return 0, unavailable("clear ticket quota", err)
		}
	}
	return n, nil
}
