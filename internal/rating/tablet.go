package rating

import (
	"context"
	"strconv"
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

// PairTablet returns a short-lived pairing token for a counter's tablet:
// staff of the office's unit only.
func (s *Service) PairTablet(ctx context.Context, a actor.Actor, counterID int64) (string, error) {
	if !a.IsStaff() {
		return "", a.Deny()
	}
	if _, _, err := s.counter(ctx, a, counterID); err != nil {
		return "", err
	}
	return s.links.TabletToken(ctx, counterID, TabletPairTTL)
}

// TabletCredential trades a valid pairing token for the tablet's
// long-lived credential.
func (s *Service) TabletCredential(ctx context.Context, counterID int64, pairing string) (string, error) {
	if err := s.links.CheckTablet(ctx, counterID, pairing); err != nil {
		return "", err
	}
	return s.links.TabletToken(ctx, counterID, TabletTTL)
}

// TabletActor is the actor of a paired tablet: a machine of the counter's
// unit and office, allowed the counter's tablet only.
func (s *Service) TabletActor(ctx context.Context, counterID int64, credential string) (actor.Actor, error) {
	if err := s.links.CheckTablet(ctx, counterID, credential); err != nil {
		return actor.Anon(), err
	}
	c, err := s.store.Counter(ctx, counterID)
	if err != nil {
		return actor.Anon(), err
	}
	o, err := s.store.Office(ctx, c.OfficeCode)
	if err != nil {
		return actor.Anon(), err
	}
	return actor.Actor{Kind: actor.Machine, Name: "tablet:" + strconv.FormatInt(counterID, 10), Unit: o.UnitCode,
		Office: o.Code, Scopes: []string{actor.ScopeCounter}}, nil
}
