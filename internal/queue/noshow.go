package queue

import (
	"context"
	"slices"
	"strings"
	"time"

	"motcua/internal/apperr"
)

var (
	errNotNoShow   = apperr.New(apperr.Conflict, "queue.error.not_no_show")
	errNotToday    = apperr.New(apperr.Conflict, "queue.error.no_show_other_day")
	errNotThisDesk = apperr.New(apperr.Conflict, "queue.error.no_show_other_counter")
)

// NoShows are the day's no-shows a counter may call back, latest first:
// those of its services, and those it skipped itself.
func (m *Manager) noShows(ctx context.Context, c Counter, day string) ([]Ticket, error) {
	all, err := m.store.DayTickets(ctx, c.OfficeCode, day)
	if err != nil {
		return nil, err
	}
	var out []Ticket
	for _, t := range all {
		if t.Status == NoShow && mayCallBack(c, t) {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b Ticket) int {
		return compareTimes(b.DoneAt, a.DoneAt)
	})
	return out, nil
}

func compareTimes(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return a.Compare(*b)
}

// mayCallBack: the counter serves the ticket's service, or skipped it.
func mayCallBack(c Counter, t Ticket) bool {
	return t.CounterID == c.ID || slices.Contains(c.Services, t.Service)
}

// callBack calls a no-show of the same day to the counter again: the
// visitor who came back late is served without a new number. The counter
// must hold no other ticket.
func (m *Manager) callBack(ctx context.Context, counterID int64, ticketID string) (Ticket, error) {
	ticketID = strings.ToLower(strings.TrimSpace(ticketID))
	if !ValidTicketID(ticketID) {
		return Ticket{}, apperr.ErrNotFound
	}
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
		if _, ok, err := held(tx, c, ""); err != nil {
			return err
		} else if ok {
			return errFinishFirst
		}
		t, err := tx.Ticket(ticketID)
		switch {
		case err != nil:
			return err
		case t.OfficeCode != c.OfficeCode:
			return errOtherOffice
		case t.Status != NoShow:
			return errNotNoShow
		case t.Day != Day(m.now()):
			return errNotToday
		case !mayCallBack(c, t):
			return errNotThisDesk
		}
		now := m.stamp()
		t.Status, t.CounterID, t.CalledAt, t.DoneAt = Called, c.ID, &now, nil
		t.Recalls++
		out = t
		return tx.SaveTicket(t)
	})
	if err != nil {
		return Ticket{}, err
	}
	m.publish(ctx, o.Code, EventCalled, m.eventOf(out, &c, true))
	return out, nil
}
