package rating

import (
	"context"
	"time"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/queue"
)

// TabletWindow is how long after a visit ends the counter's tablet offers
// to rate it, before it returns to idle by itself.
const TabletWindow = 2 * time.Minute

// Pending is what a counter's tablet shows: the visit the officer has just
// finished there, not yet rated, or nothing (idle).
type Pending struct {
	Counter queue.Counter
	Office  queue.Office
	// Ticket is nil when the tablet is idle.
	Ticket *queue.Ticket
	// Until is when the tablet returns to idle by itself.
	Until time.Time
}

// Pending returns the tablet's screen for a counter: the last visit the
// counter finished within TabletWindow, unless it was rated already.
func (s *Service) Pending(ctx context.Context, a actor.Actor, counterID int64) (Pending, error) {
	c, o, err := s.counter(ctx, a, counterID)
	if err != nil {
		return Pending{}, err
	}
	p := Pending{Counter: c, Office: o}
	t, err := s.store.LastFinishedTicket(ctx, c.ID, s.now().Add(-TabletWindow))
	if apperr.IsNotFound(err) {
		return p, nil
	}
	if err != nil {
		return Pending{}, err
	}
	rated, err := s.RatedTicket(ctx, t.ID)
	if err != nil || rated {
		return p, err
	}
	p.Ticket = &t
	if t.DoneAt != nil {
		p.Until = t.DoneAt.Add(TabletWindow)
	}
	return p, nil
}
