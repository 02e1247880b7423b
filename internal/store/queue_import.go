package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jmoiron/sqlx"

	"motcua/internal/queue"
)

// SaveOffices writes an offices file in one transaction: each office of the
// same code is updated (name, unit, address, phone, hours, last ticket),
// a new one created with its policy; services are matched by code and
// counters by number, updated or added and brought back from retirement.
// Services and counters the file does not name are left as they are.
func (db *DB) SaveOffices(ctx context.Context, layouts []queue.Layout) (created, updated int, err error) {
	err = db.inTx(ctx, func(tx *sqlx.Tx) error {
		created, updated = 0, 0
		for _, l := range layouts {
			o := l.Office
			var n int
			if err := tx.GetContext(ctx, &n, db.q(`SELECT COUNT(*) FROM queue_offices WHERE code = ?`), o.Code); err != nil {
				return unavailable("import offices", err)
			}
			if n == 0 {
				created++
				if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO queue_offices (`+officeColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
					o.Code, o.Name, o.UnitCode, encodeList(o.PriorityGroups), o.PriorityRun, o.DefaultMinutes,
					o.Address, o.Phone, encodeHours(o.Hours), o.LastTicketMinutes, o.CreatedAt.UTC()); err != nil {
					return unavailable("import offices", err)
				}
			} else {
				updated++
				if _, err := tx.ExecContext(ctx, db.q(`UPDATE queue_offices SET name = ?, unit_code = ?, address = ?, phone = ?,
					hours = ?, last_ticket_minutes = ? WHERE code = ?`),
					o.Name, o.UnitCode, o.Address, o.Phone, encodeHours(o.Hours), o.LastTicketMinutes, o.Code); err != nil {
					return unavailable("import offices", err)
				}
			}
			for _, s := range l.Services {
				if err := db.importService(ctx, tx, s); err != nil {
					return err
				}
			}
			for _, c := range l.Counters {
				if err := db.importCounter(ctx, tx, c); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return created, updated, err
}

func (db *DB) importService(ctx context.Context, tx *sqlx.Tx, s queue.Service) error {
	res, err := tx.ExecContext(ctx, db.q(`UPDATE queue_services SET name_vi = ?, name_en = ?, prefix = ?, fields = ?, position = ?,
		retired_at = NULL WHERE office_code = ? AND code = ?`), s.NameVi, s.NameEn, s.Prefix, encodeList(s.Fields), s.Position, s.OfficeCode, s.Code)
	if err != nil {
		return unavailable("import service", err)
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return unavailable("import service", err)
	}
	_, err = tx.ExecContext(ctx, db.q(`INSERT INTO queue_services (`+serviceColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`),
		s.OfficeCode, s.Code, s.NameVi, s.NameEn, s.Prefix, encodeList(s.Fields), s.Position)
	return unavailable("import service", err)
}

func (db *DB) importCounter(ctx context.Context, tx *sqlx.Tx, c queue.Counter) error {
	var id int64
	err := tx.GetContext(ctx, &id, db.q(`SELECT id FROM queue_counters WHERE office_code = ? AND number = ?`), c.OfficeCode, c.Number)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO queue_counters (office_code, number, name, services, priority_streak)
			VALUES (?, ?, ?, ?, 0)`), c.OfficeCode, c.Number, c.Name, encodeList(c.Services))
	case err == nil:
		_, err = tx.ExecContext(ctx, db.q(`UPDATE queue_counters SET name = ?, services = ?, retired_at = NULL WHERE id = ?`),
			c.Name, encodeList(c.Services), id)
	}
	return unavailable("import counter", err)
}
