// Package unit is the service layer for administrative units: a tree whose
// levels are data (province, district, commune), since the district level was
// removed in July 2025 and may be absent.
package unit

import (
	"context"
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

// Add validates and creates a unit under its parent.
func (s *Service) Add(ctx context.Context, u Unit) (Unit, error) {
	u.Code = strings.TrimSpace(u.Code)
	u.Name = strings.TrimSpace(u.Name)
	u.ParentCode = strings.TrimSpace(u.ParentCode)
	u.AgencyCode = strings.TrimSpace(u.AgencyCode)
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
	if len(errs) > 0 {
		return Unit{}, apperr.Fields(errs)
	}
	if u.ParentCode != "" {
		parent, err := s.store.Unit(ctx, u.ParentCode)
		if apperr.IsNotFound(err) {
			return Unit{}, apperr.Fields([]apperr.FieldError{{Field: "parent", MessageID: "error.unit.parent_unknown"}})
		}
		if err != nil {
			return Unit{}, err
		}
		if rank[parent.Level] >= rank[u.Level] {
			return Unit{}, apperr.Fields([]apperr.FieldError{{Field: "parent", MessageID: "error.unit.parent_level"}})
		}
	} else if u.Level != catalog.LevelProvince {
		return Unit{}, apperr.Fields([]apperr.FieldError{{Field: "parent", MessageID: "error.unit.parent_required"}})
	}
	u.CreatedAt = s.now().UTC()
	if err := s.store.AddUnit(ctx, u); err != nil {
		return Unit{}, err
	}
	return u, nil
}

// Get returns one unit.
func (s *Service) Get(ctx context.Context, code string) (Unit, error) { return s.store.Unit(ctx, code) }

// List returns every unit, parents before children.
func (s *Service) List(ctx context.Context) ([]Unit, error) { return s.store.Units(ctx) }
