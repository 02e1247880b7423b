// Package unit is the service layer for administrative units: a tree whose
// levels are data (province, district, commune), since the district level was
// removed in July 2025 and may be absent.
package unit

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"motcua/internal/actor"
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
	AgencyCode string `json:"agency_code,omitempty" db:"agency_code"`
	// Address and Phone of the unit's one-stop department: where citizens
	// go and whom they call (set by the administrator).
	Address   string    `json:"address,omitempty" db:"address"`
	Phone     string    `json:"phone,omitempty" db:"phone"`
	CreatedAt time.Time `json:"-" db:"created_at"`
}

// MapURL is a map search link for the unit's address (OpenStreetMap; a
// link only, nothing is loaded from there), "" without address.
func (u Unit) MapURL() string {
	if u.Address == "" {
		return ""
	}
	return "https://www.openstreetmap.org/search?query=" + url.QueryEscape(u.Address)
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
	SetUnitContact(ctx context.Context, code, address, phone string) error
}

// Service manages units.
type Service struct {
	store Store
	now   func() time.Time
	// OnChange, when set, is called after a unit's record changed on this
	// instance (app.Open lets the queue forget its directory of places).
	OnChange func()
}

// NewService returns the unit service.
func NewService(s Store, now func() time.Time) *Service { return &Service{store: s, now: now} }

// Normalize trims the unit's text in place.
func (u *Unit) Normalize() {
	u.Code = strings.TrimSpace(u.Code)
	u.Name = strings.TrimSpace(u.Name)
	u.ParentCode = strings.TrimSpace(u.ParentCode)
	u.AgencyCode = strings.TrimSpace(u.AgencyCode)
	u.Address = strings.TrimSpace(u.Address)
	u.Phone = strings.TrimSpace(u.Phone)
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
	errs = append(errs, contactErrors(u.Address, u.Phone)...)
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
	var todo, contacts []Unit
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
				if (u.Address != "" || u.Phone != "") && (old.Address != u.Address || old.Phone != u.Phone) {
					contacts = append(contacts, u) // the file sets where to go
				}
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
	for _, u := range contacts {
		if err := s.store.SetUnitContact(ctx, u.Code, u.Address, u.Phone); err != nil {
			return added, kept, err
		}
	}
	if s.OnChange != nil && added+len(contacts) > 0 {
		s.OnChange()
	}
	return added, kept, nil
}

// MayEdit reports whether a may change a unit's record: an administrator
// of the whole portal, or of that unit (docs/domain.md, "Who does what").
func MayEdit(a actor.Actor, code string) bool { return a.Is(actor.RoleAdmin) && a.InUnit(code) }

// Editable lists the units a may change, parents before children.
func (s *Service) Editable(ctx context.Context, a actor.Actor) ([]Unit, error) {
	if !a.Is(actor.RoleAdmin) {
		return nil, a.Deny()
	}
	all, err := s.store.Units(ctx)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, u := range all {
		if MayEdit(a, u.Code) {
			out = append(out, u)
		}
	}
	return out, nil
}

// SetContact sets the address and phone of a unit's one-stop department,
// where citizens go and whom they call; only an administrator may.
func (s *Service) SetContact(ctx context.Context, a actor.Actor, code, address, phone string) (Unit, error) {
	code = strings.TrimSpace(code)
	if !MayEdit(a, code) {
		return Unit{}, a.Deny()
	}
	address, phone = strings.TrimSpace(address), strings.TrimSpace(phone)
	if errs := contactErrors(address, phone); len(errs) > 0 {
		return Unit{}, apperr.Fields(errs)
	}
	if err := s.store.SetUnitContact(ctx, code, address, phone); err != nil {
		return Unit{}, err
	}
	if s.OnChange != nil {
		s.OnChange()
	}
	return s.store.Unit(ctx, code)
}

// MaxAddress and MaxPhone bound a department's address and phone (a unit's
// or an office's).
const (
	MaxAddress = 300
	MaxPhone   = 40
)

// contactErrors checks an address and a phone, in the form's order.
func contactErrors(address, phone string) []apperr.FieldError {
	var errs []apperr.FieldError
	if !utf8.ValidString(address) || utf8.RuneCountInString(address) > MaxAddress {
		errs = append(errs, apperr.FieldError{Field: "address", MessageID: "error.field.too_long", Params: map[string]any{"Max": MaxAddress}})
	}
	if !ValidPhone(phone) {
		errs = append(errs, apperr.FieldError{Field: "phone", MessageID: "queue.error.phone"})
	}
	return errs
}

// ValidPhone is the one rule for the phone of a one-stop department, a
// unit's or an office's: written the usual ways (digits with spaces, dots,
// dashes, brackets, a leading +), at least 6 digits (a short hotline too,
// which a citizen's mobile rule would refuse); empty is no phone.
func ValidPhone(s string) bool {
	if s == "" {
		return true
	}
	if len(s) > MaxPhone {
		return false
	}
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		case r == '+' && i == 0:
		default:
			return false
		}
	}
	return digits >= 6
}

// Get returns one unit.
func (s *Service) Get(ctx context.Context, code string) (Unit, error) { return s.store.Unit(ctx, code) }

// List returns every unit, parents before children.
func (s *Service) List(ctx context.Context) ([]Unit, error) { return s.store.Units(ctx) }
