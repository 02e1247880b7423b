package queue_test

import (
	"context"
	"testing"
	"time"

	"motcua/internal/apperr"
	"motcua/internal/queue"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

func TestNoShowIsCalledBackTheSameDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		ctx := context.Background()
		act := func(counter int, name, ticket string) (queue.Ticket, error) {
			return h.m.Act(ctx, operator, h.counters[counter].ID, queue.Action{Name: name, Ticket: ticket})
		}
		a1 := h.issue(t, "hotich", "")
		h.issue(t, "hotich", "")
		h.next(t, 2, "")
		if _, err := act(2, "skip", a1.Ticket.ID); err != nil {
			t.Fatal(err)
		}
		con, err := h.m.Console(ctx, operator, h.counters[1].ID)
		must(t, err)
		if len(con.NoShows) != 1 || con.NoShows[0].ID != a1.Ticket.ID {
			t.Fatalf("counter 1 (same service) no-shows: %+v", con.NoShows)
		}
		if con3, _ := h.m.Console(ctx, operator, h.counters[3].ID); len(con3.NoShows) != 0 {
			t.Errorf("counter 3 (another service) lists the no-show")
		}
		if _, err := act(3, "callback", a1.Ticket.ID); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("call back at a counter of another service: %v", err)
		}
		// Counter 2 holds A002 once it calls next: finish first.
		h.next(t, 2, "")
		if _, err := act(2, "callback", a1.Ticket.ID); apperr.As(err).MessageID != "queue.error.finish_first" {
			t.Errorf("call back while holding a ticket: %v", err)
		}
		got, err := act(1, "callback", a1.Ticket.ID)
		must(t, err)
		if got.Status != queue.Called || got.CounterID != h.counters[1].ID || got.Recalls != 1 || got.DoneAt != nil {
			t.Errorf("called back: %+v", got)
		}
		if _, err := act(1, "done", got.ID); err != nil {
			t.Errorf("the called-back visit cannot finish: %v", err)
		}
		// Another day, no call back.
		a3 := h.issue(t, "hotich", "")
		h.next(t, 1, "")
		_, err = act(1, "skip", a3.Ticket.ID)
		must(t, err)
		h.clock.Add(24 * time.Hour)
		if _, err := act(1, "callback", a3.Ticket.ID); apperr.As(err).MessageID != "queue.error.no_show_other_day" {
			t.Errorf("yesterday's no-show: %v", err)
		}
	})
}
