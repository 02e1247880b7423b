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

// ttlCache keeps values read from the store by key for ttl on the
// manager's clock, and at most max of them (0: no bound; past it the cache
// starts afresh). Its changes are forgotten at once: gen counts them, and a
// read begun before one is not kept.
type ttlCache[K comparable, V any] struct {
	ttl time.Duration
	max int

	mu  sync.Mutex
	gen uint64
	m   map[K]ttlEntry[V]
}

type ttlEntry[V any] struct {
	at time.Time
	v  V
}

// load returns the value of k kept since less than ttl before now, or
// reads it and keeps it. A failed read is not kept.
func (c *ttlCache[K, V]) load(k K, now time.Time, read func() (V, error)) (V, error) {
	c.mu.Lock()
	e, ok := c.m[k]
	gen := c.gen
	c.mu.Unlock()
	if ok && now.Sub(e.at) < c.ttl && !now.Before(e.at) {
		return e.v, nil
	}
	v, err := read()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.gen == gen {
		if c.m == nil || (c.max > 0 && len(c.m) >= c.max) {
			c.m = make(map[K]ttlEntry[V])
		}
		c.m[k] = ttlEntry[V]{at: now, v: v}
	}
	c.mu.Unlock()
	return v, nil
}

// forget drops the values whose key match accepts; every value when match
// is nil.
func (c *ttlCache[K, V]) forget(match func(K) bool) {
	c.mu.Lock()
	c.gen++
	if match == nil {
		c.m = nil
	}
	for k := range c.m {
		if match(k) {
			delete(c.m, k)
		}
	}
	c.mu.Unlock()
}

// forgetLayouts drops every cached layout and figure (after a change of
// offices, services or counters made on this instance).
func (m *Manager) forgetLayouts() {
	m.layouts.forget(nil)
	m.stats.forget(nil)
}

// forgetStats drops the office's cached visit figures (after a ticket of
// the office changed on this instance).
func (m *Manager) forgetStats(office string) {
	m.stats.forget(func(k [2]string) bool { return k[0] == office })
}

// forgetLayout drops one office's cached layout: the store found it stale.
func (m *Manager) forgetLayout(office string) {
	m.layouts.forget(func(k string) bool { return k == office })
}

// cachedLayout is Layout served from memory for up to LayoutTTL: for the
// citizens' path (issuing, a ticket's page), never for set-up.
func (m *Manager) cachedLayout(ctx context.Context, office string) (Layout, error) {
	return m.layouts.load(office, m.now(), func() (Layout, error) { return m.Layout(ctx, office) })
}

// cachedStats is the store's ServiceStats served from memory for up to
// LayoutTTL: what a new ticket's estimated wait is computed from.
func (m *Manager) cachedStats(ctx context.Context, office, day string) ([]ServiceStat, error) {
	return m.stats.load([2]string{office, day}, m.now(), func() ([]ServiceStat, error) {
		return m.store.ServiceStats(ctx, office, day)
	})
}
