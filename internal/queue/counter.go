package queue

import (
	"context"
	"time"

	"motcua/internal/apperr"
)

// Every counter action names the counter and, optionally, the ticket the
// console believes the counter holds. When it names one and the counter no
// longer holds it (another console finished it, it belongs to another office
// or counter) the action is a conflict and changes nothing. An empty ticket
// means "whatever the counter holds", for hardware buttons.

// Errors the store returns for the queue's conflicts; the service owns
// them, the store only reports which happened.
var (
	// ErrStale: a ticket changed since it was read.
	ErrStale = apperr.New(apperr.Conflict, "queue.error.stale")
	// ErrOfficeExists, ErrServiceExists, ErrPrefixTaken, ErrCounterExists:
	// a code, a prefix or a counter number already taken in the office.
	ErrOfficeExists  = apperr.New(apperr.Conflict, "queue.error.office_exists")
	ErrServiceExists = apperr.New(apperr.Conflict, "queue.error.service_exists")
	ErrPrefixTaken   = apperr.New(apperr.Conflict, "queue.error.prefix_taken")
	ErrCounterExists = apperr.New(apperr.Conflict, "queue.error.counter_exists")
)

var (
	errStale       = ErrStale
	errFinished    = apperr.New(apperr.Conflict, "queue.error.finished")
	errOtherOffice = apperr.New(apperr.Conflict, "queue.error.other_office")
	errNoCurrent   = apperr.New(apperr.Conflict, "queue.error.no_current")
	errEmpty       = apperr.New(apperr.Conflict, "queue.error.empty")
	errState       = apperr.New(apperr.Conflict, "queue.error.state")
	errFinishFirst = apperr.New(apperr.Conflict, "queue.error.finish_first")
)

// Target is where a ticket is transferred: another service of the office,
// a named counter, or both.
type Target struct {
	Service string
	Counter int64
}

// held returns the ticket the counter holds, checked against the ticket the
// console names.
func held(tx Tx, c Counter, ticketID string) (Ticket, bool, error) {
	cur, err := tx.Current(c.ID)
	if err != nil && !apperr.IsNotFound(err) {
		return Ticket{}, false, err
	}
	found := err == nil
	switch {
	case found && (ticketID == "" || ticketID == cur.ID):
		return cur, true, nil
	case ticketID == "":
		return Ticket{}, false, nil
	}
	if !ValidTicketID(ticketID) {
		return Ticket{}, false, apperr.ErrNotFound
	}
	t, err := tx.Ticket(ticketID)
	switch {
	case err != nil:
		return Ticket{}, false, err
	case t.OfficeCode != c.OfficeCode:
		return Ticket{}, false, errOtherOffice
	case t.Status.Final():
		return Ticket{}, false, errFinished
	}
	return Ticket{}, false, errStale
}

// mustHold is held for the actions that need a ticket at the counter.
func mustHold(tx Tx, c Counter, ticketID string) (Ticket, error) {
	t, ok, err := held(tx, c, ticketID)
	if err == nil && !ok {
		err = errNoCurrent
	}
	return t, err
}

// callNext calls the next ticket to the counter. If the counter holds one,
// the console must name it (current) and it is finished first, in the same
// transaction. Priority tickets go first, but after the office's
// PriorityRun priority calls in a row the longest-waiting ordinary ticket
// is called. With nobody waiting it is a conflict and nothing changes.
func (m *Manager) callNext(ctx context.Context, counterID int64, current string) (Ticket, error) {
	c, o, err := m.Counter(ctx, counterID)
	if err != nil {
		return Ticket{}, err
	}
	var called, finished Ticket
	err = m.store.QueueTx(ctx, func(tx Tx) error {
		c, err := tx.LockCounter(c.ID)
		if err != nil {
			return err
		}
		cur, ok, err := held(tx, c, current)
		if err != nil {
			return err
		}
		if ok && current == "" {
			// Finishing a visit nobody named could hide a double press.
			return errFinishFirst
		}
		now := m.stamp()
		if ok {
			if finished, err = finish(tx, cur, now); err != nil {
				return err
			}
		}
		next, priority, err := pickNext(tx, o, c, Day(now))
		if err != nil {
			return err
		}
		next.Status, next.CounterID, next.CalledAt = Called, c.ID, &now
		if next.FirstCalledAt == nil {
			next.FirstCalledAt = &now
		}
		if err := tx.SaveTicket(next); err != nil {
			return err
		}
		streak := 0
		if priority {
			streak = c.PriorityStreak + 1
		}
		called = next
		return tx.SetPriorityStreak(c.ID, streak)
	})
	if err != nil {
		return Ticket{}, err
	}
	if finished.ID != "" {
		m.publish(ctx, o.Code, EventDone, m.eventOf(finished, &c, false))
	}
	m.publish(ctx, o.Code, EventCalled, m.eventOf(called, &c, false))
	return called, nil
}

// pickNext applies the fairness rule: priority first unless the counter has
// called PriorityRun of them in a row, then whichever kind remains.
func pickNext(tx Tx, o Office, c Counter, day string) (Ticket, bool, error) {
	wantPriority := c.PriorityStreak < o.PriorityRun
	for _, priority := range []bool{wantPriority, !wantPriority} {
		t, err := tx.NextQueued(NextQuery{Office: o.Code, Day: day, Counter: c.ID, Services: c.Services, Priority: priority})
		if err == nil {
			return t, priority, nil
		}
		if !apperr.IsNotFound(err) {
			return Ticket{}, false, err
		}
	}
	return Ticket{}, false, errEmpty
}

// finish ends the visit of a ticket at a counter and measures it.
func finish(tx Tx, t Ticket, now time.Time) (Ticket, error) {
	start := t.CalledAt
	if t.ServedAt != nil {
		start = t.ServedAt
	}
	if start != nil {
		t.ServiceSeconds += int(now.Sub(*start) / time.Second)
	}
	t.Status, t.DoneAt = Done, &now
	return t, tx.SaveTicket(t)
}

// stamp is now in UTC at the stores' common precision.
func (m *Manager) stamp() time.Time { return m.now().UTC().Truncate(time.Microsecond) }

// act runs one action on the ticket the counter holds and publishes typ.
func (m *Manager) act(ctx context.Context, counterID int64, ticketID, typ string, recall bool,
	fn func(tx Tx, c Counter, t Ticket, now time.Time) (Ticket, error)) (Ticket, error) {
	c, o, err := m.Counter(ctx, counterID)
	if err != nil {
		return Ticket{}, err
	}
	var out Ticket
	err = m.store.QueueTx(ctx, func(tx Tx) error {
		c, err := tx.LockCounter(c.ID)
		if err != nil {
			return err
		}
		t, err := mustHold(tx, c, ticketID)
		if err != nil {
			return err
		}
		out, err = fn(tx, c, t, m.stamp())
		return err
	})
	if err != nil {
		return Ticket{}, err
	}
	m.publish(ctx, o.Code, typ, m.eventOf(out, &c, recall))
	return out, nil
}

// serve records that the called visitor has reached the counter; the visit
// is measured from here.
func (m *Manager) serve(ctx context.Context, counterID int64, ticketID string) (Ticket, error) {
	return m.act(ctx, counterID, ticketID, EventServing, false, func(tx Tx, c Counter, t Ticket, now time.Time) (Ticket, error) {
		if t.Status != Called {
			return Ticket{}, errState
		}
		t.Status, t.ServedAt = Serving, &now
		return t, tx.SaveTicket(t)
	})
}

// recall calls the held ticket again (the display repeats the call).
func (m *Manager) recall(ctx context.Context, counterID int64, ticketID string) (Ticket, error) {
	return m.act(ctx, counterID, ticketID, EventCalled, true, func(tx Tx, c Counter, t Ticket, now time.Time) (Ticket, error) {
		if t.Status != Called {
			return Ticket{}, errState
		}
		t.Recalls++
		t.CalledAt = &now
		return t, tx.SaveTicket(t)
	})
}

// skip marks the called visitor as not come (no-show).
func (m *Manager) skip(ctx context.Context, counterID int64, ticketID string) (Ticket, error) {
	return m.act(ctx, counterID, ticketID, EventSkipped, false, func(tx Tx, c Counter, t Ticket, now time.Time) (Ticket, error) {
		if t.Status != Called {
			return Ticket{}, errState
		}
		t.Status, t.DoneAt = NoShow, &now
		return t, tx.SaveTicket(t)
	})
}

// done finishes the visit. Finishing it again is a conflict.
func (m *Manager) done(ctx context.Context, counterID int64, ticketID string) (Ticket, error) {
	return m.act(ctx, counterID, ticketID, EventDone, false, func(tx Tx, c Counter, t Ticket, now time.Time) (Ticket, error) {
		return finish(tx, t, now)
	})
}
