package queue

import (
	"context"
	"sync"
	"time"
)

// LayoutTTL is how long an office's layout, and its day's visit figures,
// are served from memory to the kiosk's path before they are read again:
// this instance's own changes are seen at once, another instance's within
// this time (docs/domain.md, "Issuing at scale"). The store still refuses
// a number for a service retired meanwhile, in the transaction that takes
// it.
const LayoutTTL = 2 * time.Second

type cachedLayout struct {
	at time.Time
	l  Layout
}

type cachedStats struct {
	at    time.Time
	stats []ServiceStat
}

// layouts caches the offices' layouts and visit figures; the zero value is
// empty. gen counts the changes: a read begun before one is not kept.
type layouts struct {
	mu     sync.Mutex
	gen    uint64
	byCode map[string]cachedLayout
	stats  map[[2]string]cachedStats // office, day
}

// forgetLayouts drops every cached layout and figure (after a change of
// offices, services or counters made on this instance).
func (m *Manager) forgetLayouts() {
	c := &m.layouts
	c.mu.Lock()
	c.gen++
	c.byCode, c.stats = nil, nil
	c.mu.Unlock()
}

// forgetStats drops the office's cached visit figures (after a ticket of
// the office changed on this instance).
func (m *Manager) forgetStats(office string) {
	c := &m.layouts
	c.mu.Lock()
	c.gen++
	for k := range c.stats {
		if k[0] == office {
			delete(c.stats, k)
		}
	}
	c.mu.Unlock()
}

func fresh(at, now time.Time) bool { return now.Sub(at) < LayoutTTL && !now.Before(at) }

// cachedLayout is Layout served from memory for up to LayoutTTL: for the
// citizens' path (issuing, a ticket's page), never for set-up.
func (m *Manager) cachedLayout(ctx context.Context, office string) (Layout, error) {
	c := &m.layouts
	now := m.now()
	c.mu.Lock()
	e, ok := c.byCode[office]
	gen := c.gen
	c.mu.Unlock()
	if ok && fresh(e.at, now) {
		return e.l, nil
	}
	l, err := m.Layout(ctx, office)
	if err != nil {
		return Layout{}, err
	}
	c.mu.Lock()
	if c.gen == gen {
		if c.byCode == nil {
			c.byCode = make(map[string]cachedLayout)
		}
		c.byCode[office] = cachedLayout{at: now, l: l}
	}
	c.mu.Unlock()
	return l, nil
}

// forgetLayout drops one office's cached layout: the store found it stale.
func (m *Manager) forgetLayout(office string) {
	c := &m.layouts
	c.mu.Lock()
	c.gen++
	delete(c.byCode, office)
	c.mu.Unlock()
}

// cachedStats is the store's ServiceStats served from memory for up to
// LayoutTTL: what a new ticket's estimated wait is computed from.
func (m *Manager) cachedStats(ctx context.Context, office, day string) ([]ServiceStat, error) {
	c := &m.layouts
	now := m.now()
	k := [2]string{office, day}
	c.mu.Lock()
	e, ok := c.stats[k]
	gen := c.gen
	c.mu.Unlock()
	if ok && fresh(e.at, now) {
		return e.stats, nil
	}
	stats, err := m.store.ServiceStats(ctx, office, day)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.gen == gen {
		if c.stats == nil {
			c.stats = make(map[[2]string]cachedStats)
		}
		c.stats[k] = cachedStats{at: now, stats: stats}
	}
	c.mu.Unlock()
	return stats, nil
}
