package queue

import (
	"context"
	"slices"
	"time"

	"motcua/internal/actor"
	"motcua/internal/apperr"
)

// Summary is an office's day for its head: tickets per service, waits,
// service time per counter and no-shows.
type Summary struct {
	Layout   Layout
	Day      string
	Services []ServiceDay
	Counters []CounterDay
	Total    ServiceDay
	// Hourly counts tickets issued per hour of the day (0–23, Vietnam time).
	Hourly [24]int
}

// ServiceDay is one service's day. Waits run from issue to first call.
type ServiceDay struct {
	Service  Service
	Issued   int
	Served   int // finished at a counter
	NoShows  int
	Left     int // still waiting or at a counter
	AvgWait  time.Duration
	LongWait time.Duration
	waited   int
	waitSum  time.Duration
}

// CounterDay is one counter's day.
type CounterDay struct {
	Counter    Counter
	Served     int
	NoShows    int
	AvgService time.Duration
	serviceSum time.Duration
}

// MaySeeSummary reports whether a may see the day's summary of the unit's
// offices: its head, its officers, its administrator.
func MaySeeSummary(a actor.Actor, unit string) bool {
	return a.StaffIn(unit, actor.RoleHead, actor.RoleOfficer)
}

// Summary computes the day (YYYY-MM-DD, Vietnam) of an office, for the
// head of its unit, its officers and its administrator.
func (m *Manager) Summary(ctx context.Context, who actor.Actor, office, day string) (Summary, error) {
	l, err := m.Layout(ctx, office)
	if err != nil {
		return Summary{}, err
	}
	if !MaySeeSummary(who, l.Office.UnitCode) {
		return Summary{}, who.Deny()
	}
	if _, err := DayStart(day); err != nil {
		return Summary{}, apperr.Fields([]apperr.FieldError{{Field: "day", MessageID: "queue.error.day"}})
	}
	tickets, err := m.store.DayTickets(ctx, l.Office.Code, day)
	if err != nil {
		return Summary{}, err
	}
	s := Summary{Layout: l, Day: day}
	bySvc := map[string]*ServiceDay{}
	// Retired services and counters still have the day's history.
	for _, svc := range append(slices.Clone(l.Services), l.RetiredServices...) {
		s.Services = append(s.Services, ServiceDay{Service: svc})
	}
	for i := range s.Services {
		bySvc[s.Services[i].Service.Code] = &s.Services[i]
	}
	byCtr := map[int64]*CounterDay{}
	for _, c := range append(slices.Clone(l.Counters), l.RetiredCounters...) {
		s.Counters = append(s.Counters, CounterDay{Counter: c})
	}
	for i := range s.Counters {
		byCtr[s.Counters[i].Counter.ID] = &s.Counters[i]
	}
	for _, t := range tickets {
		s.Hourly[t.IssuedAt.In(Zone()).Hour()]++
		sd := bySvc[t.Service]
		if sd == nil { // a service removed since: count it in the total only
			sd = &ServiceDay{}
		}
		for _, d := range []*ServiceDay{sd, &s.Total} {
			d.add(t)
		}
		if cd := byCtr[t.CounterID]; cd != nil {
			switch t.Status {
			case Done:
				cd.Served++
				cd.serviceSum += time.Duration(t.ServiceSeconds) * time.Second
			case NoShow:
				cd.NoShows++
			}
		}
	}
	for i := range s.Services {
		s.Services[i].finish()
	}
	s.Total.finish()
	for i := range s.Counters {
		if c := &s.Counters[i]; c.Served > 0 {
			c.AvgService = (c.serviceSum / time.Duration(c.Served)).Round(time.Second)
		}
	}
	return s, nil
}

func (d *ServiceDay) add(t Ticket) {
	d.Issued++
	switch {
	case t.Status == Done:
		d.Served++
	case t.Status == NoShow:
		d.NoShows++
	default:
		d.Left++
	}
	if w, ok := t.Wait(); ok {
		d.waited++
		d.waitSum += w
		d.LongWait = max(d.LongWait, w.Round(time.Second))
	}
}

func (d *ServiceDay) finish() {
	if d.waited > 0 {
		d.AvgWait = (d.waitSum / time.Duration(d.waited)).Round(time.Second)
	}
}
