package queue

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/workday"
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

	// Calendar holds the public holidays and days off that close every
	// office whatever its hours (app.Open passes the working-day calendar;
	// NewManager starts with the bundled one).
	Calendar DayOffs

	// FieldNames lists the catalog's fields, which a service's fields must
	// be chosen from; nil checks nothing (tests without a catalog).
	FieldNames func() []string

	// places is the cached directory of where procedures are filed.
	places places
	// layouts and stats cache the offices' layouts and their day's visit
	// figures (by office and day) for the kiosk's path.
	layouts ttlCache[string, Layout]
	stats   ttlCache[[2]string, []ServiceStat]
	// kiosks caches the enrolled kiosks' actors by secret hash.
	kiosks ttlCache[string, actor.Actor]
}

// NewManager returns the queue service. Events are published on bus after
// each change is committed; a failed publish is logged, never returned,
// since the change itself stands and subscribers resync.
func NewManager(store Store, bus Publisher, now func() time.Time, log *slog.Logger) *Manager {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := &Manager{store: store, bus: bus, now: now, log: log, Calendar: workday.Default()}
	m.layouts.ttl, m.stats.ttl = LayoutTTL, LayoutTTL
	m.kiosks.ttl, m.kiosks.max = KioskTTL, maxCachedKiosks
	return m
}

// Opening tells whether the office issues numbers now and, if not, when
// it next does.
func (m *Manager) Opening(o Office) Opening { return o.OpeningAt(m.Calendar, m.now()) }

// Layout is an office with its services (kiosk order) and counters in
// use; the retired ones are kept apart, for the records and the desk.
type Layout struct {
	Office          Office
	Services        []Service
	Counters        []Counter
	RetiredServices []Service
	RetiredCounters []Counter
}

// Service returns the layout's service of code, if in use.
func (l Layout) Service(code string) (Service, bool) {
	for _, s := range l.Services {
		if s.Code == code {
			return s, true
		}
	}
	return Service{}, false
}

// AnyService returns the service of code, retired or not: the name of an
// old ticket's service.
func (l Layout) AnyService(code string) (Service, bool) {
	if s, ok := l.Service(code); ok {
		return s, true
	}
	for _, s := range l.RetiredServices {
		if s.Code == code {
			return s, true
		}
	}
	return Service{}, false
}

// AnyCounter returns the counter of id, retired or not.
func (l Layout) AnyCounter(id int64) (Counter, bool) {
	for _, list := range [][]Counter{l.Counters, l.RetiredCounters} {
		for _, c := range list {
			if c.ID == id {
				return c, true
			}
		}
	}
	return Counter{}, false
}

// CounterNumbered returns the counter in use that bears number n.
func (l Layout) CounterNumbered(n int) (Counter, bool) {
	for _, c := range l.Counters {
		if c.Number == n {
			return c, true
		}
	}
	return Counter{}, false
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
	l := Layout{Office: o}
	for _, s := range svcs {
		if s.RetiredAt != nil {
			l.RetiredServices = append(l.RetiredServices, s)
		} else {
			l.Services = append(l.Services, s)
		}
	}
	for _, c := range ctrs {
		if c.RetiredAt != nil {
			l.RetiredCounters = append(l.RetiredCounters, c)
		} else {
			l.Counters = append(l.Counters, c)
		}
	}
	return l, nil
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
	if c.RetiredAt != nil { // retired: no console, no calls
		return Counter{}, Office{}, apperr.ErrNotFound
	}
	o, err := m.store.Office(ctx, c.OfficeCode)
	return c, o, err
}

// CounterNumbered returns the counter in use that bears number n in office:
// how staff name a counter ("Quầy 6" is /counter/{office}/6).
func (m *Manager) CounterNumbered(ctx context.Context, office string, n int) (Counter, error) {
	l, err := m.Layout(ctx, office)
	if err != nil {
		return Counter{}, err
	}
	c, ok := l.CounterNumbered(n)
	if !ok {
		return Counter{}, apperr.ErrNotFound
	}
	return c, nil
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
// priority group, DefaultPriorityRun, DefaultMinutes, and without hours
// DefaultHours with DefaultLastTicketMinutes.
func (m *Manager) CreateOffice(ctx context.Context, a actor.Actor, o Office) (Office, error) {
	defer m.ForgetPlaces()
	if !MayAdminister(a, strings.TrimSpace(o.UnitCode)) {
		return Office{}, a.Deny()
	}
	if o.Hours == nil {
		o.Hours = DefaultHours()
		o.LastTicketMinutes = DefaultLastTicketMinutes
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

// UpdateOffice changes an office's name, unit, policy, address, phone and
// hours (nil hours: kept as they are).
func (m *Manager) UpdateOffice(ctx context.Context, a actor.Actor, o Office) (Office, error) {
	defer m.ForgetPlaces()
	if err := m.administers(ctx, a, o.Code); err != nil {
		return Office{}, err
	}
	if !MayAdminister(a, strings.TrimSpace(o.UnitCode)) {
		return Office{}, a.Deny()
	}
	if o.PriorityGroups == nil {
		o.PriorityGroups = []string{}
	}
	if o.Hours == nil {
		old, err := m.store.Office(ctx, strings.TrimSpace(o.Code))
		if err != nil {
			return Office{}, err
		}
		o.Hours = old.Hours
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
	o.Address = strings.TrimSpace(o.Address)
	o.Phone = strings.TrimSpace(o.Phone)
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
	defer m.ForgetPlaces()
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
	defer m.ForgetPlaces()
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
	if err := s.Validate(); err != nil {
		return err
	}
	return m.checkFields(ctx, *s)
}

// checkFields keeps a service's fields to the catalog's, and to none that
// another service of the office in use already takes: the kiosk must know
// which queue a procedure belongs to.
func (m *Manager) checkFields(ctx context.Context, s Service) error {
	var f fieldErrs
	// An empty catalog (procedures not imported yet) has nothing to choose
	// from: the fields are checked once it has some.
	if known := m.fieldNames(); len(known) > 0 {
		for _, name := range s.Fields {
			if !slices.Contains(known, name) {
				f.add("fields", "queue.error.field_unknown", map[string]any{"Field": name})
			}
		}
	}
	others, err := m.store.Services(ctx, s.OfficeCode)
	if err != nil {
		return err
	}
	for _, o := range others {
		if o.Code == s.Code || o.RetiredAt != nil {
			continue
		}
		for _, name := range s.Fields {
			if slices.Contains(o.Fields, name) {
				f.add("fields", "queue.error.field_overlap", map[string]any{"Field": name, "Service": o.NameVi})
			}
		}
	}
	return f.err()
}

func (m *Manager) fieldNames() []string {
	if m.FieldNames == nil {
		return nil
	}
	return m.FieldNames()
}

// RetireService hides a service from the kiosk and the consoles (retired
// true) or brings it back; its tickets and history stay. Tickets already
// waiting are still called.
func (m *Manager) RetireService(ctx context.Context, a actor.Actor, office, code string, retired bool) error {
	defer m.ForgetPlaces()
	if err := m.administers(ctx, a, office); err != nil {
		return err
	}
	var at *time.Time
	if retired {
		now := m.now().UTC()
		at = &now
	} else {
		l, err := m.Layout(ctx, office)
		if err != nil {
			return err
		}
		s, ok := l.AnyService(code)
		if !ok {
			return apperr.ErrNotFound
		}
		// Back in use, its fields must not clash with another service's.
		s.RetiredAt = nil
		if err := m.checkFields(ctx, s); err != nil {
			return err
		}
	}
	return m.store.SetServiceRetired(ctx, office, code, at)
}

// RetireCounter retires a counter of office (or brings it back): its
// console closes, its number may be given to a new counter only once it is
// renumbered, and its history stays.
func (m *Manager) RetireCounter(ctx context.Context, a actor.Actor, office string, id int64, retired bool) error {
	defer m.forgetLayouts()
	if err := m.administers(ctx, a, office); err != nil {
		return err
	}
	c, err := m.store.Counter(ctx, id)
	if err != nil {
		return err
	}
	if c.OfficeCode != office {
		return apperr.ErrNotFound
	}
	var at *time.Time
	if retired {
		now := m.now().UTC()
		at = &now
	}
	return m.store.SetCounterRetired(ctx, id, at)
}

// CreateCounter adds a counter; every service it names must be the office's.
func (m *Manager) CreateCounter(ctx context.Context, a actor.Actor, c Counter) (Counter, error) {
	defer m.forgetLayouts()
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
	defer m.forgetLayouts()
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
