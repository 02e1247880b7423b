package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"motcua/internal/apperr"
	"motcua/internal/queue"
)

// The queue's set-up: offices, their services and counters. Lists of codes
// are JSON text, the same on both databases.

type officeRow struct {
	queue.Office
	GroupsJSON string `db:"priority_groups"`
	HoursJSON  string `db:"hours"`
}

const officeColumns = `code, name, unit_code, priority_groups, priority_run, default_minutes, address, phone, hours,
	last_ticket_minutes, created_at`

func (r officeRow) decode() (queue.Office, error) {
	o := r.Office
	if err := json.Unmarshal([]byte(r.GroupsJSON), &o.PriorityGroups); err != nil {
		return o, fmt.Errorf("office %s: %w", o.Code, err)
	}
	o.Hours = &queue.Hours{}
	if err := json.Unmarshal([]byte(r.HoursJSON), o.Hours); err != nil {
		return o, fmt.Errorf("office %s hours: %w", o.Code, err)
	}
	if o.PriorityGroups == nil {
		o.PriorityGroups = []string{}
	}
	o.CreatedAt = o.CreatedAt.UTC()
	return o, nil
}

// CreateOffice adds an office; a taken code is a conflict.
func (db *DB) CreateOffice(ctx context.Context, o queue.Office) error {
	_, err := db.x.ExecContext(ctx, db.q(`INSERT INTO queue_offices (`+officeColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		o.Code, o.Name, o.UnitCode, encodeList(o.PriorityGroups), o.PriorityRun, o.DefaultMinutes,
		o.Address, o.Phone, encodeHours(o.Hours), o.LastTicketMinutes, o.CreatedAt.UTC())
	if err != nil && isUniqueViolation(err) {
		return queue.ErrOfficeExists
	}
	return unavailable("create office", err)
}

// UpdateOffice changes an office or reports it not found.
func (db *DB) UpdateOffice(ctx context.Context, o queue.Office) error {
	res, err := db.x.ExecContext(ctx, db.q(`UPDATE queue_offices SET name = ?, unit_code = ?, priority_groups = ?,
		priority_run = ?, default_minutes = ?, address = ?, phone = ?, hours = ?, last_ticket_minutes = ? WHERE code = ?`),
		o.Name, o.UnitCode, encodeList(o.PriorityGroups), o.PriorityRun, o.DefaultMinutes,
		o.Address, o.Phone, encodeHours(o.Hours), o.LastTicketMinutes, o.Code)
	return queueOneRow("update office", res, err)
}

// Office returns one office or apperr.ErrNotFound.
func (db *DB) Office(ctx context.Context, code string) (queue.Office, error) {
	var r officeRow
	if err := db.getP(ctx, nil, &r, `SELECT `+officeColumns+` FROM queue_offices WHERE code = ?`, code); err != nil {
		return queue.Office{}, notFound("get office", err)
	}
	o, err := r.decode()
	return o, unavailable("get office", err)
}

// Offices lists every office by code.
func (db *DB) Offices(ctx context.Context) ([]queue.Office, error) {
	var rows []officeRow
	if err := db.x.SelectContext(ctx, &rows, `SELECT `+officeColumns+` FROM queue_offices ORDER BY code`); err != nil {
		return nil, unavailable("list offices", err)
	}
	out := make([]queue.Office, 0, len(rows))
	for _, r := range rows {
		o, err := r.decode()
		if err != nil {
			return nil, unavailable("list offices", err)
		}
		out = append(out, o)
	}
	return out, nil
}

type serviceRow struct {
	queue.Service
	FieldsJSON string `db:"fields"`
}

const serviceColumns = `office_code, code, name_vi, name_en, prefix, fields, position`

// encodeHours is the hours column: {"mon": [...], ...}; none is {}.
func encodeHours(h *queue.Hours) string {
	if h == nil {
		return "{}"
	}
	b, _ := json.Marshal(h) // Hours marshal without failing
	return string(b)
}

// SetServiceRetired sets or clears when a service was retired.
func (db *DB) SetServiceRetired(ctx context.Context, office, code string, at *time.Time) error {
	res, err := db.x.ExecContext(ctx, db.q(`UPDATE queue_services SET retired_at = ? WHERE office_code = ? AND code = ?`),
		utcOrNil(at), office, code)
	return queueOneRow("retire service", res, err)
}

// SetCounterRetired sets or clears when a counter was retired.
func (db *DB) SetCounterRetired(ctx context.Context, id int64, at *time.Time) error {
	res, err := db.x.ExecContext(ctx, db.q(`UPDATE queue_counters SET retired_at = ? WHERE id = ?`), utcOrNil(at), id)
	return queueOneRow("retire counter", res, err)
}

func utcOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// CreateService adds a service; a taken code or prefix is a conflict. The
// check and the insert are one transaction, so that a race between two
// administrators ends in the right conflict, never in a half-known one.
func (db *DB) CreateService(ctx context.Context, s queue.Service) error {
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		var n int
		if err := tx.GetContext(ctx, &n, db.q(`SELECT COUNT(*) FROM queue_services WHERE office_code = ? AND code = ?`), s.OfficeCode, s.Code); err != nil {
			return unavailable("create service", err)
		}
		if n > 0 {
			return queue.ErrServiceExists
		}
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO queue_services (`+serviceColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`),
			s.OfficeCode, s.Code, s.NameVi, s.NameEn, s.Prefix, encodeList(s.Fields), s.Position)
		if err != nil && isUniqueViolation(err) {
			var same int
			if err := tx.GetContext(ctx, &same, db.q(`SELECT COUNT(*) FROM queue_services WHERE office_code = ? AND code = ?`), s.OfficeCode, s.Code); err == nil && same > 0 {
				return queue.ErrServiceExists
			}
			return queue.ErrPrefixTaken
		}
		return unavailable("create service", err)
	})
}

// UpdateService changes a service or reports it not found.
func (db *DB) UpdateService(ctx context.Context, s queue.Service) error {
	res, err := db.x.ExecContext(ctx, db.q(`UPDATE queue_services SET name_vi = ?, name_en = ?, prefix = ?, fields = ?, position = ?
		WHERE office_code = ? AND code = ?`), s.NameVi, s.NameEn, s.Prefix, encodeList(s.Fields), s.Position, s.OfficeCode, s.Code)
	if err != nil && isUniqueViolation(err) {
		return queue.ErrPrefixTaken
	}
	return queueOneRow("update service", res, err)
}

// Services lists an office's services in kiosk order.
func (db *DB) Services(ctx context.Context, office string) ([]queue.Service, error) {
	var rows []serviceRow
	if err := db.selectP(ctx, &rows, `SELECT `+serviceColumns+`, retired_at FROM queue_services
		WHERE office_code = ? ORDER BY position, code`, office); err != nil {
		return nil, unavailable("list services", err)
	}
	out := make([]queue.Service, 0, len(rows))
	for _, r := range rows {
		s := r.Service
		if err := queueDecodeList(r.FieldsJSON, &s.Fields); err != nil {
			return nil, unavailable("list services", err)
		}
		out = append(out, s)
	}
	return out, nil
}

type counterRow struct {
	queue.Counter
	ServicesJSON string `db:"services"`
}

const counterColumns = `id, office_code, number, name, services, priority_streak, retired_at`

func (r counterRow) decode() (queue.Counter, error) {
	c := r.Counter
	return c, queueDecodeList(r.ServicesJSON, &c.Services)
}

// CreateCounter adds a counter and returns it with its ID; a taken number
// in the office is a conflict.
func (db *DB) CreateCounter(ctx context.Context, c queue.Counter) (queue.Counter, error) {
	err := db.x.GetContext(ctx, &c.ID, db.q(`INSERT INTO queue_counters (office_code, number, name, services, priority_streak)
		VALUES (?, ?, ?, ?, 0) RETURNING id`), c.OfficeCode, c.Number, c.Name, encodeList(c.Services))
	if err != nil && isUniqueViolation(err) {
		return queue.Counter{}, queue.ErrCounterExists
	}
	return c, unavailable("create counter", err)
}

// UpdateCounter changes a counter's number, name and services.
func (db *DB) UpdateCounter(ctx context.Context, c queue.Counter) error {
	res, err := db.x.ExecContext(ctx, db.q(`UPDATE queue_counters SET number = ?, name = ?, services = ? WHERE id = ?`),
		c.Number, c.Name, encodeList(c.Services), c.ID)
	if err != nil && isUniqueViolation(err) {
		return queue.ErrCounterExists
	}
	return queueOneRow("update counter", res, err)
}

// Counter returns one counter or apperr.ErrNotFound.
func (db *DB) Counter(ctx context.Context, id int64) (queue.Counter, error) {
	var r counterRow
	if err := db.getP(ctx, nil, &r, `SELECT `+counterColumns+` FROM queue_counters WHERE id = ?`, id); err != nil {
		return queue.Counter{}, notFound("get counter", err)
	}
	c, err := r.decode()
	return c, unavailable("get counter", err)
}

// Counters lists an office's counters by number.
func (db *DB) Counters(ctx context.Context, office string) ([]queue.Counter, error) {
	var rows []counterRow
	if err := db.selectP(ctx, &rows, `SELECT `+counterColumns+` FROM queue_counters
		WHERE office_code = ? ORDER BY number`, office); err != nil {
		return nil, unavailable("list counters", err)
	}
	out := make([]queue.Counter, 0, len(rows))
	for _, r := range rows {
		c, err := r.decode()
		if err != nil {
			return nil, unavailable("list counters", err)
		}
		out = append(out, c)
	}
	return out, nil
}

func queueDecodeList(raw string, dst *[]string) error {
	if err := json.Unmarshal([]byte(raw), dst); err != nil {
		return err
	}
	if *dst == nil {
		*dst = []string{}
	}
	return nil
}

// queueOneRow turns an UPDATE that matched nothing into not found.
func queueOneRow(op string, res sql.Result, err error) error {
	if err != nil {
		return unavailable(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return unavailable(op, err)
	}
	if n == 0 {
		return apperr.ErrNotFound
	}
	return nil
}
