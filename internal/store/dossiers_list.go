package store

import (
	"context"
	"strings"

	"motcua/internal/dossier"
)

// Dossiers lists dossiers without their events, as the desk selects them,
// with the number of matches in all.
func (db *DB) Dossiers(ctx context.Context, sel dossier.Selection) ([]dossier.Dossier, int, error) {
	if sel.Units != nil && len(sel.Units) == 0 {
		return []dossier.Dossier{}, 0, nil // may see no unit at all
	}
	where, args := dossierWhere(sel)
	var total int
	if !sel.ByCode {
		if err := db.x.GetContext(ctx, &total, db.q(`SELECT COUNT(*) FROM dossiers`+where), args...); err != nil {
			return nil, 0, unavailable("count dossiers", err)
		}
	}
	order := ` ORDER BY received_at DESC, code DESC`
	switch {
	case sel.ByCode:
		order = ` ORDER BY code`
	case sel.ByDue:
		order = ` ORDER BY due_at, code`
	}
	if !sel.OverdueFirst.IsZero() {
		order = ` ORDER BY CASE WHEN apology_new_due IS NOT NULL AND apology_new_due < ? THEN 0 ELSE 1 END,` + order[len(` ORDER BY`):]
		args = append(args, sel.OverdueFirst.UTC())
	}
	var rows []dossierRow
	err := db.x.SelectContext(ctx, &rows, db.q(`SELECT `+dossierColumns+` FROM dossiers`+where+order+` LIMIT ? OFFSET ?`),
		append(args, sel.Limit, sel.Offset)...)
	if err != nil {
		return nil, 0, unavailable("list dossiers", err)
	}
	out := make([]dossier.Dossier, 0, len(rows))
	for i := range rows {
		out = append(out, rows[i].decode())
	}
	return out, total, nil
}

// dossierWhere builds the WHERE clause of a selection; every value is a
// parameter.
func dossierWhere(sel dossier.Selection) (string, []any) {
	var conds []string
	var args []any
	in := func(col string, vals []string) {
		conds = append(conds, col+` IN (?`+strings.Repeat(`, ?`, len(vals)-1)+`)`)
		for _, v := range vals {
			args = append(args, v)
		}
	}
	if len(sel.Units) > 0 {
		in("unit_code", sel.Units)
	}
	if len(sel.Statuses) > 0 {
		st := make([]string, len(sel.Statuses))
		for i, s := range sel.Statuses {
			st[i] = string(s)
		}
		in("status", st)
	}
	if !sel.DueFrom.IsZero() {
		conds = append(conds, `due_at >= ?`)
		args = append(args, sel.DueFrom.UTC())
	}
	if !sel.DueBefore.IsZero() {
		conds = append(conds, `due_at < ?`)
		args = append(args, sel.DueBefore.UTC())
	}
	if sel.Phone != "" {
		conds = append(conds, `applicant_phone = ?`)
		args = append(args, sel.Phone)
	}
	if sel.ByCode && sel.After != "" {
		conds = append(conds, `code > ?`)
		args = append(args, sel.After)
	}
	like := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	var either []string
	if sel.CodePrefix != "" {
		// Codes hold only letters, digits, '.', '-' and '_'; escape the
		// last, which LIKE reads as a wildcard. Matching ignores case.
		either = append(either, `UPPER(code) LIKE ? ESCAPE '\'`)
		args = append(args, like.Replace(strings.ToUpper(sel.CodePrefix))+"%")
	}
	if sel.Name != "" {
		// The folded name holds lower-case letters, digits and spaces.
		either = append(either, `applicant_fold LIKE ? ESCAPE '\'`)
		args = append(args, "%"+like.Replace(sel.Name)+"%")
	}
	if len(either) > 0 {
		conds = append(conds, `(`+strings.Join(either, ` OR `)+`)`)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args
}
