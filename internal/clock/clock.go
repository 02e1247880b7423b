// Package clock is the clock tests move by hand. Services take a
// func() time.Time (app.WithClock); a test passes a Manual's Now and sets or
// advances it, from any goroutine.
package clock

import (
	"sync"
	"time"
)

// Manual is a clock that moves only when told. It is safe for concurrent
// use.
type Manual struct {
	mu sync.Mutex
	t  time.Time
}

// At returns a clock standing at t.
func At(t time.Time) *Manual { return &Manual{t: t} }

// Now is the clock's time; pass c.Now where a service wants a clock.
func (c *Manual) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t, forward or back.
func (c *Manual) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Add moves the clock by d.
func (c *Manual) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
