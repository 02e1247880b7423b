package queue

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"motcua/internal/actor"
	"motcua/internal/apperr"
)

// Manager is the queue's service layer: set-up of offices, issuing numbers,
// the counters' actions, live views and the day's summary.
type Manager struct {
	store Store
	bus   Publisher
	now   func() time.Time
	log   *slog.Logger

	// TicketsPerHour limits the numbers one client address takes without
	// an enrolled kiosk or counter staff (MOTCUA_TICKETS_PER_HOUR); 0 turns
	// the limit off.
	TicketsPerHour int
}

// NewManager returns the queue service. Events are published on bus after
// each change is committed; a failed publish is logged, never returned,
// since the change itself stands and subscribers resync.
func NewManager(store Store, bus Publisher, now func() time.Time, log *slog.Logger) *Manager {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Manager{store: store, bus: bus, now: now, log: log}
}

// Layout is an office with its services (kiosk order) and counters.
type Layout struct {
	Office   Office
	Services []Service
	Counters []Counter
}

// Service returns the layout's service of code.
func (l Layout) Service(code string) (Service, bool) {
	for _, s := range l.Services {
		if s.Code == code {
			return s, true
		}
	}
	return Service{}, false
}

// CountersFor lists the counters that serve a service.
func (l Layout) CountersFor(service string) []Counter {
	var out []Counter
	for _, c := range l.Counters {
		if c.Serves(service) {
			out = append(out, c)
		}
	}
	return out
}

// Offices lists every office with its services and counters.
func (m *Manager) Offices(ctx context.Context) ([]Layout, error) {
	offices, err := m.store.Offices(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Layout, 0, len(offices))
	for _, o := range offices {
		l, err := m.layoutOf(ctx, o)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// Layout returns one office with its services and counters.
func (m *Manager) Layout(ctx context.Context, office string) (Layout, error) {
	o, err := m.store.Office(ctx, office)
	if err != nil {
		return Layout{}, err
	}
	return m.layoutOf(ctx, o)
}

func (m *Manager) layoutOf(ctx context.Context, o Office) (Layout, error) {
	svcs, err := m.store.Services(ctx, o.Code)
	if err != nil {
		return Layout{}, err
	}
	ctrs, err := m.store.Counters(ctx, o.Code)
	if err != nil {
		return Layout{}, err
	}
	return Layout{Office: o, Services: svcs, Counters: ctrs}, nil
}

// Office returns one office or apperr.ErrNotFound.
func (m *Manager) Office(ctx context.Context, code string) (Office, error) {
	return m.store.Office(ctx, code)
}

// Counter returns a counter and its office; the edge checks the office's
// unit against the caller before any counter action.
func (m *Manager) Counter(ctx context.Context, id int64) (Counter, Office, error) {
	c, err := m.store.Counter(ctx, id)
	if err != nil {
		return Counter{}, Office{}, err
	}
	o, err := m.store.Office(ctx, c.OfficeCode)
	return c, o, err
}

// MayAdminister reports whether a may set up the offices of the unit: its
// administrator, or the administrator of the whole portal (docs/domain.md,
// "Who does what").
func MayAdminister(a actor.Actor, unit string) bool { return a.Is(actor.RoleAdmin) && a.InUnit(unit) }

// administers checks that a may set up the existing office: an unknown
// office is not found, to those who may not see it as well.
func (m *Manager) administers(ctx context.Context, a actor.Actor, office string) error {
	if !a.Is(actor.RoleAdmin) {
		return a.Deny()
	}
	o, err := m.store.Office(ctx, strings.TrimSpace(office))
	if err != nil {
		return err
	}
	if !MayAdminister(a, o.UnitCode) {
		return a.Deny()
	}
	return nil
}

// CreateOffice adds an office. Unset policy fields take the defaults: every
// priority group, DefaultPriorityRun, DefaultMinutes.
func (m *Manager) CreateOffice(ctx context.Context, a actor.Actor, o Office) (Office, error) {
	if !MayAdminister(a, strings.TrimSpace(o.UnitCode)) {
		return Office{}, a.Deny()
	}
	if o.PriorityGroups == nil {
		o.PriorityGroups = AllPriorityKeys()
	}
	if o.PriorityRun == 0 {
		o.PriorityRun = DefaultPriorityRun
	}
	if o.DefaultMinutes == 0 {
		o.DefaultMinutes = DefaultMinutes
	}
	o.CreatedAt = m.now().UTC()
	if err := m.checkOffice(ctx, &o); err != nil {
		return Office{}, err
	}
	if err := m.store.CreateOffice(ctx, o); err != nil {
		return Office{}, err
	}
	return m.store.Office(ctx, o.Code)
}

// UpdateOffice changes an office's name, unit and policy.
func (m *Manager) UpdateOffice(ctx context.Context, a actor.Actor, o Office) (Office, error) {
	if err := m.administers(ctx, a, o.Code); err != nil {
		return Office{}, err
	}
	if !MayAdminister(a, strings.TrimSpace(o.UnitCode)) {
		return Office{}, a.Deny()
	}
	if o.PriorityGroups == nil {
		o.PriorityGroups = []string{}
	}
	if err := m.checkOffice(ctx, &o); err != nil {
		return Office{}, err
	}
	if err := m.store.UpdateOffice(ctx, o); err != nil {
		return Office{}, err
	}
	return m.store.Office(ctx, o.Code)
}

func (m *Manager) checkOffice(ctx context.Context, o *Office) error {
	o.Code = strings.TrimSpace(o.Code)
	o.Name = strings.TrimSpace(o.Name)
	o.UnitCode = strings.TrimSpace(o.UnitCode)
	slices.Sort(o.PriorityGroups)
	o.PriorityGroups = slices.Compact(o.PriorityGroups)
	if err := o.Validate(); err != nil {
		return err
	}
	if _, err := m.store.Unit(ctx, o.UnitCode); err != nil {
		if apperr.IsNotFound(err) {
			return apperr.Fields([]apperr.FieldError{{Field: "unit", MessageID: "queue.error.unit_unknown"}})
		}
		return err
	}
	return nil
}

// CreateService adds a queue service to an existing office.
func (m *Manager) CreateService(ctx context.Context, a actor.Actor, s Service) (Service, error) {
	if err := m.administers(ctx, a, s.OfficeCode); err != nil {
		return Service{}, err
	}
	if err := m.checkService(ctx, &s); err != nil {
		return Service{}, err
	}
	if err := m.store.CreateService(ctx, s); err != nil {
		return Service{}, err
	}
	return s, nil
}

// UpdateService changes a service's names, prefix, fields and position.
// Tickets already issued keep the prefix they were printed with.
func (m *Manager) UpdateService(ctx context.Context, a actor.Actor, s Service) (Service, error) {
	if err := m.administers(ctx, a, s.OfficeCode); err != nil {
		return Service{}, err
	}
	if err := m.checkService(ctx, &s); err != nil {
		return Service{}, err
	}
	if err := m.store.UpdateService(ctx, s); err != nil {
		return Service{}, err
	}
	return s, nil
}

func (m *Manager) checkService(ctx context.Context, s *Service) error {
	s.Code = strings.TrimSpace(s.Code)
	s.NameVi = strings.TrimSpace(s.NameVi)
	s.NameEn = strings.TrimSpace(s.NameEn)
	s.Prefix = strings.ToUpper(strings.TrimSpace(s.Prefix))
	var fields []string
	for _, f := range s.Fields {
		if f = strings.TrimSpace(f); f != "" && !slices.Contains(fields, f) {
			fields = append(fields, f)
		}
	}
	s.Fields = fields
	if s.Fields == nil {
		s.Fields = []string{}
	}
	if _, err := m.store.Office(ctx, s.OfficeCode); err != nil {
		return err
	}
	return s.Validate()
}

// CreateCounter adds a counter; every service it names must be the office's.
func (m *Manager) CreateCounter(ctx context.Context, a actor.Actor, c Counter) (Counter, error) {
	if err := m.administers(ctx, a, c.OfficeCode); err != nil {
		return Counter{}, err
	}
	if err := m.checkCounter(ctx, &c); err != nil {
		return Counter{}, err
	}
	return m.store.CreateCounter(ctx, c)
}

// UpdateCounter changes a counter's number, name and services. A counter
// never moves to another office: naming another office than its own (as a
// form of one office posting another's counter would) is not found.
func (m *Manager) UpdateCounter(ctx context.Context, a actor.Actor, c Counter) (Counter, error) {
	old, err := m.store.Counter(ctx, c.ID)
	if err != nil {
		return Counter{}, err
	}
	if err := m.administers(ctx, a, old.OfficeCode); err != nil {
		return Counter{}, err
	}
	if c.OfficeCode != "" && c.OfficeCode != old.OfficeCode {
		return Counter{}, apperr.ErrNotFound
	}
	c.OfficeCode = old.OfficeCode
	if err := m.checkCounter(ctx, &c); err != nil {
		return Counter{}, err
	}
	if err := m.store.UpdateCounter(ctx, c); err != nil {
		return Counter{}, err
	}
	return m.store.Counter(ctx, c.ID)
}

func (m *Manager) checkCounter(ctx context.Context, c *Counter) error {
	c.Name = strings.TrimSpace(c.Name)
	slices.Sort(c.Services)
	c.Services = slices.Compact(c.Services)
	svcs, err := m.store.Services(ctx, c.OfficeCode)
	if err != nil {
		return err
	}
	if _, err := m.store.Office(ctx, c.OfficeCode); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	for _, code := range c.Services {
		if !slices.ContainsFunc(svcs, func(s Service) bool { return s.Code == code }) {
			return apperr.Fields([]apperr.FieldError{{Field: "services", MessageID: "queue.error.service_unknown"}})
		}
	}
	return nil
}
