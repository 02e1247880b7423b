package queue_test

import (
	"context"
	"testing"

	"motcua/internal/apperr"
	"motcua/internal/queue"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

func TestAct(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		ctx := context.Background()
		onlyTB := func(unit string) bool { return unit == "TB" }
		w := h.issue(t, "hotich", "")
		id := h.counters[1].ID

		t.Run("a counter of another unit is forbidden and calls nobody", func(t *testing.T) {
			_, err := h.m.Act(ctx, func(string) bool { return false }, id, queue.Action{Name: "next"})
			wantErr(t, err, apperr.Forbidden, "error.forbidden")
			if got := h.ticket(t, w.Ticket.ID).Status; got != queue.Waiting {
				t.Errorf("status = %s, want %s", got, queue.Waiting)
			}
		})
		t.Run("no caller check at all is forbidden", func(t *testing.T) {
			_, err := h.m.Act(ctx, nil, id, queue.Action{Name: "next"})
			wantErr(t, err, apperr.Forbidden, "")
		})
		t.Run("an unknown action is not found", func(t *testing.T) {
			_, err := h.m.Act(ctx, onlyTB, id, queue.Action{Name: "explode"})
			wantErr(t, err, apperr.NotFound, "")
		})
		t.Run("an unknown counter is not found", func(t *testing.T) {
			_, err := h.m.Act(ctx, onlyTB, 999999, queue.Action{Name: "next"})
			wantErr(t, err, apperr.NotFound, "")
		})
		t.Run("next then done at an own counter moves the ticket", func(t *testing.T) {
			got, err := h.m.Act(ctx, onlyTB, id, queue.Action{Name: "next"})
			must(t, err)
			if got.ID != w.Ticket.ID || got.Status != queue.Called {
				t.Fatalf("next = %s %s, want %s called", got.Number, got.Status, w.Ticket.Number)
			}
			got, err = h.m.Act(ctx, onlyTB, id, queue.Action{Name: "done", Ticket: got.ID})
			must(t, err)
			if got.Status != queue.Done {
				t.Errorf("done: status = %s, want %s", got.Status, queue.Done)
			}
		})
	})
}

func TestUpdateCounterOfAnotherOfficeIsNotFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		ctx := context.Background()
		moved := h.other
		moved.OfficeCode, moved.Name = "TB-HCC", "Quầy lạ"
		_, err := h.m.UpdateCounter(ctx, moved)
		wantErr(t, err, apperr.NotFound, "")
		got, _, err := h.m.Counter(ctx, h.other.ID)
		must(t, err)
		if got.OfficeCode != "OTHER" || got.Name != h.other.Name {
			t.Errorf("counter = %s in %s, want %s in OTHER unchanged", got.Name, got.OfficeCode, h.other.Name)
		}
	})
}
