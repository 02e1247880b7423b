package store

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/jmoiron/sqlx"

	"motcua/internal/catalog"
)

// procedureRow is a procedure as stored: its lists are JSON text, the same
// on both databases.
type procedureRow struct {
	catalog.Procedure
	DocumentsJSON  string `db:"documents"`
	LegalBasisJSON string `db:"legal_basis"`
	StepsJSON      string `db:"steps"`
	FormsJSON      string `db:"forms"`
}

const procedureColumns = `code, name, name_en, field, field_en, level, agency, processing_days,
	processing_note, fee, online, documents, legal_basis, steps, forms, verified, source, updated_at`

func (r *procedureRow) decode() (catalog.Procedure, error) {
	p := r.Procedure
	for _, l := range []struct {
		raw string
		dst *[]string
	}{{r.DocumentsJSON, &p.Documents}, {r.LegalBasisJSON, &p.LegalBasis}, {r.StepsJSON, &p.Steps}} {
		if err := json.Unmarshal([]byte(l.raw), l.dst); err != nil {
			return p, fmt.Errorf("procedure %s: %w", p.Code, err)
		}
		if *l.dst == nil {
			*l.dst = []string{}
		}
	}
	if err := json.Unmarshal([]byte(r.FormsJSON), &p.Forms); err != nil {
		return p, fmt.Errorf("procedure %s: forms: %w", p.Code, err)
	}
	if p.Forms == nil {
		p.Forms = []catalog.Form{}
	}
	p.UpdatedAt = p.UpdatedAt.UTC()
	return p, nil
}

func encodeList(l []string) string {
	if l == nil {
		l = []string{}
	}
	b, _ := json.Marshal(l) // a []string always marshals
	return string(b)
}

func encodeForms(l []catalog.Form) string {
	if l == nil {
		l = []catalog.Form{}
	}
	b, _ := json.Marshal(l) // a list of structs of strings always marshals
	return string(b)
}

// Procedures returns the whole catalog ordered by code; the search index is
// built from it.
func (db *DB) Procedures(ctx context.Context) ([]catalog.Procedure, error) {
	var rows []procedureRow
	if err := db.x.SelectContext(ctx, &rows, `SELECT `+procedureColumns+` FROM procedures ORDER BY code`); err != nil {
		return nil, unavailable("list procedures", err)
	}
	out := make([]catalog.Procedure, 0, len(rows))
	for i := range rows {
		p, err := rows[i].decode()
		if err != nil {
			return nil, unavailable("list procedures", err)
		}
		out = append(out, p)
	}
	return out, nil
}

// Procedure returns one procedure, or apperr.ErrNotFound.
func (db *DB) Procedure(ctx context.Context, code string) (catalog.Procedure, error) {
	var row procedureRow
	if err := db.x.GetContext(ctx, &row, db.q(`SELECT `+procedureColumns+` FROM procedures WHERE code = ?`), code); err != nil {
		return catalog.Procedure{}, notFound("get procedure", err)
	}
	p, err := row.decode()
	if err != nil {
		return p, unavailable("get procedure", err)
	}
	return p, nil
}

// CatalogVersion grows with every change to the catalog.
func (db *DB) CatalogVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := db.x.GetContext(ctx, &v, `SELECT version FROM catalog_version WHERE id = 1`); err != nil {
		return 0, unavailable("catalog version", err)
	}
	return v, nil
}

// SaveProcedures inserts or updates procedures in one transaction, leaving a
// record that has not changed untouched. progress, if not nil, is called
// after each record.
func (db *DB) SaveProcedures(ctx context.Context, procs []catalog.Procedure, now time.Time, progress func(done int)) (catalog.SaveResult, error) {
	var res catalog.SaveResult
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		res = catalog.SaveResult{}
		var existing []procedureRow
		if err := tx.SelectContext(ctx, &existing, `SELECT `+procedureColumns+` FROM procedures`); err != nil {
			return unavailable("save procedures: read", err)
		}
		old := make(map[string]catalog.Procedure, len(existing))
		for i := range existing {
			p, err := existing[i].decode()
			if err != nil {
				return unavailable("save procedures: decode", err)
			}
			old[p.Code] = p
		}
		ins, err := tx.PreparexContext(ctx, db.q(`INSERT INTO procedures (`+procedureColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,
			field = excluded.field, field_en = excluded.field_en, level = excluded.level,
			agency = excluded.agency, processing_days = excluded.processing_days,
			processing_note = excluded.processing_note, fee = excluded.fee, online = excluded.online,
			documents = excluded.documents, legal_basis = excluded.legal_basis, steps = excluded.steps,
			forms = excluded.forms, verified = excluded.verified, source = excluded.source, updated_at = excluded.updated_at`))
		if err != nil {
			return unavailable("save procedures: prepare", err)
		}
		defer ins.Close()
		for i, p := range procs {
			prev, found := old[p.Code]
			switch {
			case found && sameProcedure(prev, p):
				res.Unchanged++
			default:
				if _, err := ins.ExecContext(ctx, p.Code, p.Name, p.NameEn, p.Field, p.FieldEn, string(p.Level), p.Agency,
					p.ProcessingDays, p.ProcessingNote, p.Fee, string(p.Online), encodeList(p.Documents),
					encodeList(p.LegalBasis), encodeList(p.Steps), encodeForms(p.Forms), p.Verified, p.Source, now.UTC()); err != nil {
					return unavailable("save procedure "+p.Code, err)
				}
				if found {
					res.Updated++
				} else {
					res.Created++
				}
				old[p.Code] = p
			}
			if progress != nil {
				progress(i + 1)
			}
		}
		if res.Created+res.Updated > 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE catalog_version SET version = version + 1 WHERE id = 1`); err != nil {
				return unavailable("save procedures: bump version", err)
			}
		}
		return nil
	})
	return res, err
}

func sameProcedure(a, b catalog.Procedure) bool {
	a.UpdatedAt, b.UpdatedAt = time.Time{}, time.Time{}
	norm := func(p *catalog.Procedure) {
		for _, l := range []*[]string{&p.Documents, &p.LegalBasis, &p.Steps} {
			if *l == nil {
				*l = []string{}
			}
		}
		if p.Forms == nil {
			p.Forms = []catalog.Form{}
		}
	}
	norm(&a)
	norm(&b)
	return reflect.DeepEqual(a, b)
}
