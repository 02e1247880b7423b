package dossier

import (
	"motcua/internal/textfold"

	"context"
	"strings"
	"time"
	"unicode/utf8"

	"motcua/internal/actor"
	"motcua/internal/apperr"
)

// Filter is one of the desk's ready-made lists.
type Filter string

const (
	FilterAll        Filter = ""
	FilterLate       Filter = "late"       // running and past the due date
	FilterDueSoon    Filter = "due_soon"   // running, due within one working day
	FilterSupplement Filter = "supplement" // waiting for the applicant's papers
)

// Filters lists the ready-made lists in the desk's order.
var Filters = []Filter{FilterAll, FilterLate, FilterDueSoon, FilterSupplement}

// Valid reports whether f is a known list.
func (f Filter) Valid() bool {
	return f == FilterAll || f == FilterLate || f == FilterDueSoon || f == FilterSupplement
}

// running are the statuses whose clock runs.
var running = []Status{Received, InProgress, Payment}

// Query is a desk search.
type Query struct {
	View   Filter
	Status Status
	Unit   string // one unit among those the staff member may see
	Q      string // a dossier code (or its start), a phone number, or part of the applicant's name
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
	// Name is a part of the applicant's name, folded (internal/textfold):
	// with CodePrefix, a dossier matching either is found.
	Name string
	// OverdueFirst, when set, puts first the dossiers whose apology's new
	// date is before it: overdue again, they come above every other late
	// one (docs/domain.md, "Late dossiers").
	OverdueFirst time.Time
	// ByDue lists the earliest due date first; otherwise the latest received.
	ByDue bool
	// ByCode lists by code, from the first code after After, and does not
	// count the matches (the total is 0): a pass over every match, a page
	// at a time, each page found by key however far the pass has gone.
	ByCode bool
	After  string
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
func (s *Service) List(ctx context.Context, a actor.Actor, q Query) (Page, error) {
	sel, err := s.selection(ctx, a, q)
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

func (s *Service) selection(ctx context.Context, a actor.Actor, q Query) (Selection, error) {
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
	units, err := s.visibleUnits(ctx, a, q.Unit)
	if err != nil {
		return Selection{}, err
	}
	sel.Units = units
	if q.Status != "" {
		sel.Statuses = []Status{q.Status}
	}
	now := s.now().UTC()
	switch q.View {
	case FilterLate:
		sel.Statuses, sel.DueBefore, sel.ByDue, sel.OverdueFirst = running, now, true, now
	case FilterDueSoon:
		sel.Statuses, sel.DueFrom, sel.ByDue = running, now, true
		sel.DueBefore = s.cal.AddWorkingTime(now, s.cal.DayLength())
	case FilterSupplement:
		sel.Statuses = []Status{Supplement}
	}
	if q.Q != "" {
		if p, ok := NormalizePhone(q.Q); ok {
			sel.Phone = p
		} else {
			// A name typed with or without diacritics; what could be the
			// start of a code is looked up as one too.
			sel.Name = textfold.Fold(q.Q)
			if ValidCode(q.Q) {
				sel.CodePrefix = q.Q
			}
		}
	}
	return sel, nil
}

// visibleUnits are the units whose dossiers a may list: nil for every unit.
func (s *Service) visibleUnits(ctx context.Context, a actor.Actor, only string) ([]string, error) {
	if !a.IsStaff() {
		return nil, a.Deny()
	}
	if only != "" {
		if !mayRead(a, only) {
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
		if mayRead(a, u.Code) {
			codes = append(codes, u.Code)
		}
	}
	if len(codes) == len(all) {
		return nil, nil
	}
	return codes, nil
}
