package dossier

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"motcua/internal/apperr"
)

// View is one of the desk's ready-made lists.
type View string

const (
	ViewAll        View = ""
	ViewLate       View = "late"       // running and past the due date
	ViewDueSoon    View = "due_soon"   // running, due within one working day
	ViewSupplement View = "supplement" // waiting for the applicant's papers
)

// Valid reports whether v is a known view.
func (v View) Valid() bool {
	return v == ViewAll || v == ViewLate || v == ViewDueSoon || v == ViewSupplement
}

// running are the statuses whose clock runs.
var running = []Status{Received, InProgress, Payment}

// Query is a desk search.
type Query struct {
	View   View
	Status Status
	Unit   string // one unit among those the staff member may see
	Q      string // a dossier code (or its start) or a phone number
	Limit  int
	Offset int
}

// Selection is a query as the store runs it.
type Selection struct {
	Units      []string // nil: every unit
	Statuses   []Status // nil: any status
	DueFrom    time.Time
	DueBefore  time.Time
	CodePrefix string
	Phone      string
	// ByDue lists the earliest due date first; otherwise the latest received.
	ByDue  bool
	Limit  int
	Offset int
}

// Page is one page of a list and the number of matches in all.
type Page struct {
	Items []Dossier
	Total int
}

// Desk list limits.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// List returns the dossiers of the units the staff member may see.
func (s *Service) List(ctx context.Context, by By, q Query) (Page, error) {
	sel, err := s.selection(ctx, by, q)
	if err != nil {
		return Page{}, err
	}
	items, total, err := s.store.Dossiers(ctx, sel)
	if err != nil {
		return Page{}, err
	}
	for i := range items {
		items[i] = s.fill(items[i])
	}
	return Page{Items: items, Total: total}, nil
}

func (s *Service) selection(ctx context.Context, by By, q Query) (Selection, error) {
	var errs []apperr.FieldError
	if !q.View.Valid() {
		errs = append(errs, apperr.FieldError{Field: "view", MessageID: "dossier.error.view"})
	}
	if q.Status != "" && !q.Status.Valid() {
		errs = append(errs, apperr.FieldError{Field: "status", MessageID: "dossier.error.status"})
	}
	q.Q = strings.TrimSpace(q.Q)
	if !utf8.ValidString(q.Q) || len(q.Q) > 100 {
		errs = append(errs, apperr.FieldError{Field: "q", MessageID: "error.field.too_long", Params: map[string]any{"Max": 100}})
	}
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	if q.Limit < 1 || q.Limit > MaxLimit || q.Offset < 0 {
		errs = append(errs, apperr.FieldError{Field: "limit", MessageID: "error.field.range", Params: map[string]any{"Min": 1, "Max": MaxLimit}})
	}
	if len(errs) > 0 {
		return Selection{}, apperr.Fields(errs)
	}
	sel := Selection{Limit: q.Limit, Offset: q.Offset}
	units, err := s.visibleUnits(ctx, by, q.Unit)
	if err != nil {
		return Selection{}, err
	}
	sel.Units = units
	if q.Status != "" {
		sel.Statuses = []Status{q.Status}
	}
	now := s.now().UTC()
	switch q.View {
	case ViewLate:
		sel.Statuses, sel.DueBefore, sel.ByDue = running, now, true
	case ViewDueSoon:
		sel.Statuses, sel.DueFrom, sel.ByDue = running, now, true
		sel.DueBefore = s.cal.AddWorkingTime(now, s.cal.DayLength())
	case ViewSupplement:
		sel.Statuses = []Status{Supplement}
	}
	if q.Q != "" {
		if p, ok := NormalizePhone(q.Q); ok {
			sel.Phone = p
		} else {
			sel.CodePrefix = q.Q
		}
	}
	return sel, nil
}

// visibleUnits are the units whose dossiers by may list: nil for every unit.
func (s *Service) visibleUnits(ctx context.Context, by By, only string) ([]string, error) {
	if only != "" {
		if !by.can(only) {
			return nil, errOtherUnit
		}
		return []string{only}, nil
	}
	all, err := s.units.List(ctx)
	if err != nil {
		return nil, err
	}
	codes := []string{}
	for _, u := range all {
		if by.can(u.Code) {
			codes = append(codes, u.Code)
		}
	}
	if len(codes) == len(all) {
		return nil, nil
	}
	return codes, nil
}
