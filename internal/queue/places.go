package queue

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"motcua/internal/catalog"
	"motcua/internal/unit"
)

// Place is where a citizen files a procedure: an office whose queue
// services cover the procedure's field, or, when no office does, a unit's
// one-stop department (docs/domain.md, "Where to go").
type Place struct {
	// Office is the office's code; "" for a unit.
	Office   string
	Name     string
	UnitCode string
	Address  string
	Phone    string
	// Hours are the office's opening hours; nil for a unit, whose hours
	// are the office hours deadlines are counted in.
	Hours *Hours
	// Services are the office's services in use that cover the field: the
	// button to press at the kiosk.
	Services []Service
}

// MapURL is a map search link for the place's address, "" without one.
func (p Place) MapURL() string { return MapURL(p.Address) }

// PlacesTTL is how long a directory of places is served before it is read
// again: changes made on this instance are seen at once, those of other
// instances within this time.
const PlacesTTL = 5 * time.Second

// directory is the offices with their services in use, and the units, as
// read at one moment: what Places answers from, so that a procedure page
// costs no query.
type directory struct {
	at      time.Time
	offices []Layout
	units   []unit.Unit
	levels  map[string]catalog.Level // unit code → level
}

// places caches the directory; the zero value is empty.
type places struct {
	dir  atomic.Pointer[directory]
	load sync.Mutex
}

// ForgetPlaces drops the cached directory and layouts: the next Places
// reads the store (called after a change of offices, services or units).
func (m *Manager) ForgetPlaces() {
	m.places.dir.Store(nil)
	m.forgetLayouts()
}

func (m *Manager) directory(ctx context.Context) (*directory, error) {
	now := m.now()
	old := m.places.dir.Load()
	if old != nil && now.Sub(old.at) < PlacesTTL && !now.Before(old.at) {
		return old, nil
	}
	if old == nil {
		m.places.load.Lock()
	} else if !m.places.load.TryLock() {
		return old, nil // another request reads it: serve the expired one meanwhile
	}
	defer m.places.load.Unlock()
	if d := m.places.dir.Load(); d != nil && now.Sub(d.at) < PlacesTTL && !now.Before(d.at) {
		return d, nil // another request read it meanwhile
	}
	offices, err := m.Offices(ctx)
	if err != nil {
		return nil, err
	}
	units, err := m.store.Units(ctx)
	if err != nil {
		return nil, err
	}
	d := &directory{at: now, offices: offices, units: units, levels: make(map[string]catalog.Level, len(units))}
	for _, u := range units {
		d.levels[u.Code] = u.Level
	}
	m.places.dir.Store(d)
	return d, nil
}

// Places lists where a procedure of the field and level is filed: the
// offices whose services in use cover the field, those of a unit of the
// procedure's level first; else the units of that level with an address
// or a phone on record. Nil when neither is known. It reads a directory
// cached for PlacesTTL, not the store on every call.
func (m *Manager) Places(ctx context.Context, field string, level catalog.Level) ([]Place, error) {
	d, err := m.directory(ctx)
	if err != nil {
		return nil, err
	}
	var out []Place
	for _, l := range d.offices {
		var svcs []Service
		for _, s := range l.Services {
			if slices.Contains(s.Fields, field) {
				svcs = append(svcs, s)
			}
		}
		if len(svcs) == 0 {
			continue
		}
		o := l.Office
		out = append(out, Place{Office: o.Code, Name: o.Name, UnitCode: o.UnitCode, Address: o.Address,
			Phone: o.Phone, Hours: o.Hours, Services: svcs})
	}
	if len(out) > 0 {
		// Offices list in code order; those of the procedure's level first.
		slices.SortStableFunc(out, func(a, b Place) int {
			am, bm := d.levels[a.UnitCode] == level, d.levels[b.UnitCode] == level
			switch {
			case am && !bm:
				return -1
			case bm && !am:
				return 1
			}
			return 0
		})
		return out, nil
	}
	for _, u := range d.units {
		if u.Level == level && (u.Address != "" || u.Phone != "") {
			out = append(out, Place{Name: u.Name, UnitCode: u.Code, Address: u.Address, Phone: u.Phone})
		}
	}
	return out, nil
}

// UnitOffice is the one office of a unit, from the cached directory: the
// hall where its results are collected. ok is false when the unit has no
// office, or several (then the papers cannot tell which).
func (m *Manager) UnitOffice(ctx context.Context, unitCode string) (o Office, ok bool, err error) {
	d, err := m.directory(ctx)
	if err != nil {
		return Office{}, false, err
	}
	n := 0
	for _, l := range d.offices {
		if l.Office.UnitCode == unitCode {
			o, n = l.Office, n+1
		}
	}
	if n != 1 {
		return Office{}, false, nil
	}
	return o, true, nil
}
