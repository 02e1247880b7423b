package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jmoiron/sqlx"

	"motcua/internal/dossier"
)

// enqueue writes outbox messages inside the transaction of the change that
// causes them, so a notification is queued if and only if the change is.
func (db *DB) enqueue(ctx context.Context, tx *sqlx.Tx, code string, msgs []dossier.Message, now time.Time) error {
	for _, m := range msgs {
		m.Notice.Code = code // a desk code is only known once drawn
		payload, err := json.Marshal(m.Notice)
		if err != nil {
			return unavailable("encode outbox message", err)
		}
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO outbox (kind, dossier_code, payload, created_at, attempts)
			VALUES (?, ?, ?, ?, 0)`), m.Kind, code, string(payload), now); err != nil {
			return unavailable("insert outbox message", err)
		}
	}
	return nil
}

type outboxRow struct {
	ID          int64      `db:"id"`
	Kind        string     `db:"kind"`
	DossierCode string     `db:"dossier_code"`
	Payload     string     `db:"payload"`
	CreatedAt   time.Time  `db:"created_at"`
	DeliveredAt *time.Time `db:"delivered_at"`
	Attempts    int        `db:"attempts"`
}

// OutboxOf lists the messages queued about one dossier, oldest first.
func (db *DB) OutboxOf(ctx context.Context, code string) ([]dossier.OutboxRow, error) {
	var rows []outboxRow
	err := db.x.SelectContext(ctx, &rows, db.q(`SELECT id, kind, dossier_code, payload, created_at, delivered_at, attempts
		FROM outbox WHERE dossier_code = ? ORDER BY id`), code)
	if err != nil {
		return nil, unavailable("list outbox", err)
	}
	out := make([]dossier.OutboxRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, dossier.OutboxRow{ID: r.ID, Kind: r.Kind, DossierCode: r.DossierCode, Payload: r.Payload,
			CreatedAt: r.CreatedAt.UTC(), DeliveredAt: r.DeliveredAt, Attempts: r.Attempts})
	}
	return out, nil
}
