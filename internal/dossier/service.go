package dossier

import (
	"context"
	"time"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/catalog"
	"motcua/internal/unit"
	"motcua/internal/workday"
)

// Store is what the dossier service needs from persistence.
type Store interface {
	// CreateDossier inserts a dossier with its events and messages in one
	// transaction. With a counter key, the code is the key's next number,
	// drawn in that same transaction; without, d.Code is used and a taken
	// code is a conflict (ErrExists).
	CreateDossier(ctx context.Context, d Dossier, key *CounterKey, msgs []Message) (Dossier, error)
	// CreateDossierForTicket is CreateDossier that also records the new
	// dossier on a queue ticket, in the same transaction, as link.Apply
	// allows; when it refuses, nothing is stored (not even a drawn code).
	CreateDossierForTicket(ctx context.Context, d Dossier, key *CounterKey, msgs []Message, link TicketLink) (Dossier, error)
	// UpdateDossier saves d, appends the added events and queues the
	// messages in one transaction, if the stored version is still d.Version
	// (ErrStale otherwise).
	UpdateDossier(ctx context.Context, d Dossier, added []Event, msgs []Message) error
	Dossier(ctx context.Context, code string) (Dossier, error)
	// TrackDossier is tracking's one read: the dossier with its events, its
	// unit's name and whether it was rated, only if phone (normalised) is
	// its applicant's; apperr.ErrNotFound for an unknown code and a wrong
	// phone alike, by the same work, and nothing of the dossier is loaded
	// before the phone matches. The papers, the applicant's identity number
	// and who recorded each event may be left out: tracking never shows
	// them.
	TrackDossier(ctx context.Context, code, phone string) (Tracked, error)
	Dossiers(ctx context.Context, sel Selection) ([]Dossier, int, error)
}

// Tracked is what tracking reads in one statement (the dossier's view,
// docs/architecture.md, "Tracking"): the dossier with its events, the name, address and phone of its unit ("" if unknown) and
// whether it was rated.
type Tracked struct {
	Dossier
	UnitName    string
	UnitAddress string
	UnitPhone   string
	Rated       bool
}

// Procedures finds procedures in the catalog.
type Procedures interface {
	Get(code string) (catalog.Procedure, error)
}

// Units finds administrative units.
type Units interface {
	Get(ctx context.Context, code string) (unit.Unit, error)
	List(ctx context.Context) ([]unit.Unit, error)
}

// Errors the store returns for the two races the service retries.
var (
	ErrStale  = apperr.New(apperr.Conflict, "dossier.error.stale")
	ErrExists = apperr.New(apperr.Conflict, "dossier.error.exists")
)

// Service runs the dossier rules.
type Service struct {
	store Store
	procs Procedures
	units Units
	cal   *workday.Calendar
	now   func() time.Time
	// contacts and ratings complete the citizen's view when set.
	contacts Contacts
	ratings  Rated
}

// NewService returns the dossier service.
func NewService(store Store, procs Procedures, units Units, cal *workday.Calendar, now func() time.Time) *Service {
	return &Service{store: store, procs: procs, units: units, cal: cal, now: now}
}

// UseContacts gives the citizen's view the offices to contact.
func (s *Service) UseContacts(c Contacts) { s.contacts = c }

// UseRatings lets the citizen's view tell whether a dossier was rated.
func (s *Service) UseRatings(r Rated) { s.ratings = r }

// Calendar is the working-day calendar deadlines are counted with.
func (s *Service) Calendar() *workday.Calendar { return s.cal }

// clock is now as stored: UTC, to the microsecond (PostgreSQL's precision),
// so that an event read back has the identity it was written with.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// fill computes what is derived from the stored dossier.
func (s *Service) fill(d Dossier) Dossier {
	d.Standing = standing(s.cal, &d, s.now())
	return d
}

// Get returns a whole dossier to staff of its unit.
func (s *Service) Get(ctx context.Context, a actor.Actor, code string) (Dossier, error) {
	if !ValidCode(code) {
		return Dossier{}, apperr.ErrNotFound
	}
	d, err := s.store.Dossier(ctx, code)
	if err != nil {
		return Dossier{}, err
	}
	if !mayRead(a, d.UnitCode) {
		return Dossier{}, readRefusal(a)
	}
	return s.fill(d), nil
}
