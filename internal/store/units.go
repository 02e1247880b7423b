package store

import (
	"context"

	"motcua/internal/unit"
)

// AddUnit creates a unit; a taken code is a conflict.
func (db *DB) AddUnit(ctx context.Context, u unit.Unit) error {
	var parent any
	if u.ParentCode != "" {
		parent = u.ParentCode
	}
	// The primary key decides a taken code, in one statement.
	_, err := db.x.ExecContext(ctx, db.q(`INSERT INTO units (code, name, level, parent_code, agency_code, address, phone, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), u.Code, u.Name, string(u.Level), parent, u.AgencyCode, u.Address, u.Phone, u.CreatedAt.UTC())
	if err != nil {
		if isUniqueViolation(err) {
			return unit.ErrExists
		}
		return unavailable("add unit", err)
	}
	return nil
}

const unitColumns = `code, name, level, COALESCE(parent_code, '') AS parent_code, agency_code, address, phone, created_at`

// SetUnitContact sets the address and phone of a unit, or reports it not
// found.
func (db *DB) SetUnitContact(ctx context.Context, code, address, phone string) error {
	res, err := db.x.ExecContext(ctx, db.q(`UPDATE units SET address = ?, phone = ? WHERE code = ?`), address, phone, code)
	return queueOneRow("set unit contact", res, err)
}

// Unit returns one unit or apperr.ErrNotFound.
func (db *DB) Unit(ctx context.Context, code string) (unit.Unit, error) {
	var u unit.Unit
	err := db.x.GetContext(ctx, &u, db.q(`SELECT `+unitColumns+` FROM units WHERE code = ?`), code)
	return u, notFound("get unit", err)
}

// Units lists every unit, from the top level down, then by code.
func (db *DB) Units(ctx context.Context) ([]unit.Unit, error) {
	var us []unit.Unit
	err := db.x.SelectContext(ctx, &us, `SELECT `+unitColumns+` FROM units
		ORDER BY CASE level WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END, code`)
	return us, unavailable("list units", err)
}
