// Package unit is the service layer for administrative units: a tree whose
// levels are data (province, district, commune), since the district level was
// removed in July 2025 and may be absent.
package unit

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"motcua/internal/apperr"
	"motcua/internal/catalog"
)

// Unit is an administrative unit with its one-stop department.
type Unit struct {
	Code       string        `json:"code" db:"code"`
	Name       string        `json:"name" db:"name"`
	Level      catalog.Level `json:"level" db:"level"`
	ParentCode string        `json:"parent,omitempty" db:"parent_code"`
	// AgencyCode is the agency's e-ID code that starts the codes of dossiers
	// received at its desk (000.00.31.H42).
	AgencyCode string    `json:"agency_code,omitempty" db:"agency_code"`
	CreatedAt  time.Time `json:"-" db:"created_at"`
}

// ErrExists: a unit of that code is stored already.
var ErrExists = apperr.New(apperr.Conflict, "error.unit.exists")

// rank orders levels from the top of the tree.
var rank = map[catalog.Level]int{catalog.LevelProvince: 0, catalog.LevelDistrict: 1, catalog.LevelCommune: 2}

// Store is what the unit service needs from persistence.
type Store interface {
	AddUnit(ctx context.Context, u Unit) error
	Unit(ctx context.Context, code string) (Unit, error)
	Units(ctx context.Context) ([]Unit, error)
}

// Service manages units.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns the unit service.
func NewService(s Store, now func() time.Time) *Service { return &Service{store: s, now: now} }

// Normalize trims the unit's text in place.
func (u *Unit) Normalize() {
	u.Code = strings.TrimSpace(u.Code)
	u.Name = strings.TrimSpace(u.Name)
	u.ParentCode = strings.TrimSpace(u.ParentCode)
	u.AgencyCode = strings.TrimSpace(u.AgencyCode)
}

// Validate lists what is wrong with the unit on its own, without looking at
// its parent.
func (u Unit) Validate() []apperr.FieldError {
	var errs []apperr.FieldError
	if !catalog.ValidCode(u.Code) || len(u.Code) > 32 {
		errs = append(errs, apperr.FieldError{Field: "code", MessageID: "error.field.code", Params: map[string]any{"Max": 32}})
	}
	if u.Name == "" || !utf8.ValidString(u.Name) || utf8.RuneCountInString(u.Name) > 200 {
		errs = append(errs, apperr.FieldError{Field: "name", MessageID: "error.field.required"})
	}
	if !u.Level.Valid() {
		errs = append(errs, apperr.FieldError{Field: "level", MessageID: "error.field.level"})
	}
	if u.AgencyCode != "" && !catalog.ValidCode(u.AgencyCode) {
		errs = append(errs, apperr.FieldError{Field: "agency_code", MessageID: "error.field.code", Params: map[string]any{"Max": catalog.MaxCodeLen}})
	}
	if u.ParentCode == "" && u.Level.Valid() && u.Level != catalog.LevelProvince {
		errs = append(errs, apperr.FieldError{Field: "parent", MessageID: "error.unit.parent_required"})
	}
	return errs
}

// checkParent checks the unit sits below a parent of a higher level;
// parents maps the codes already known (stored or earlier in a file).
func checkParent(u Unit, parent Unit, found bool) []apperr.FieldError {
	switch {
	case u.ParentCode == "":
		return nil
	case !found:
		return []apperr.FieldError{{Field: "parent", MessageID: "error.unit.parent_unknown"}}
	case rank[parent.Level] >= rank[u.Level]:
		return []apperr.FieldError{{Field: "parent", MessageID: "error.unit.parent_level"}}
	}
	return nil
}

// Add validates and creates a unit under its parent.
func (s *Service) Add(ctx context.Context, u Unit) (Unit, error) {
	u.Normalize()
	if errs := u.Validate(); len(errs) > 0 {
		return Unit{}, apperr.Fields(errs)
	}
	if u.ParentCode != "" {
		parent, err := s.store.Unit(ctx, u.ParentCode)
		if err != nil && !apperr.IsNotFound(err) {
			return Unit{}, err
		}
		if errs := checkParent(u, parent, err == nil); len(errs) > 0 {
			return Unit{}, apperr.Fields(errs)
		}
	}
	u.CreatedAt = s.now().UTC()
	if err := s.store.AddUnit(ctx, u); err != nil {
		return Unit{}, err
	}
	return u, nil
}

// AddAll adds the units of an import file, parents before children. Every
// unit is checked first and every problem reported (field names carry the
// unit's position, "units[3].parent"), so a bad file adds nothing. A unit
// already stored with the same name, level and parent is left as it is.
func (s *Service) AddAll(ctx context.Context, units []Unit) (added, kept int, err error) {
	stored, err := s.store.Units(ctx)
	if err != nil {
		return 0, 0, err
	}
	known := make(map[string]Unit, len(stored)+len(units))
	for _, u := range stored {
		known[u.Code] = u
	}
	var errs []apperr.FieldError
	var todo []Unit
	for i := range units {
		u := units[i]
		u.Normalize()
		bad := u.Validate()
		if len(bad) == 0 {
			parent, found := known[u.ParentCode]
			bad = checkParent(u, parent, found)
		}
		if old, dup := known[u.Code]; dup && len(bad) == 0 {
			if old.Name != u.Name || old.Level != u.Level || old.ParentCode != u.ParentCode {
				bad = append(bad, apperr.FieldError{Field: "code", MessageID: "error.unit.exists"})
			} else {
				kept++
				continue
			}
		}
		for _, f := range bad {
			f.Field = fmt.Sprintf("units[%d].%s", i+1, f.Field)
			errs = append(errs, f)
		}
		known[u.Code] = u
		todo = append(todo, u)
	}
	if len(errs) > 0 {
		return 0, 0, apperr.Fields(errs)
	}
	for _, u := range todo {
		u.CreatedAt = s.now().UTC()
		if err := s.store.AddUnit(ctx, u); err != nil {
			return added, kept, err
		}
		added++
	}
	return added, kept, nil
}

// Get returns one unit.
func (s *Service) Get(ctx context.Context, code string) (Unit, error) { return s.store.Unit(ctx, code) }

// List returns every unit, parents before children.
func (s *Service) List(ctx context.Context) ([]Unit, error) { return s.store.Units(ctx) }
