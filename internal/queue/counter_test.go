package queue_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/queue"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

func TestCallNextFairness(t *testing.T) {
	// Five ordinary tickets, then eight priority ones: the counter calls
	// priority first but never more than run in a row while others wait.
	cases := []struct {
		run  int
		want string
	}{
		{1, "PO PO PO PO PO P P P"},
		{3, "PPP O PPP O PP OOO"},
		{5, "PPPPP O PPP OOOO"},
	}
	for _, c := range cases {
		t.Run("run of "+strings.Repeat("P", c.run), func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				h := newHall(t, db, c.run)
				for range 5 {
					h.issue(t, "hotich", "")
				}
				for range 8 {
					h.issue(t, "hotich", "elderly")
				}
				var got strings.Builder
				cur := ""
				for range 13 {
					tk := h.next(t, 2, cur)
					cur = tk.ID
					if tk.Priority != "" {
						got.WriteByte('P')
					} else {
						got.WriteByte('O')
					}
				}
				if want := strings.ReplaceAll(c.want, " ", ""); got.String() != want {
					t.Errorf("call order: got %s, want %s", got.String(), want)
				}
			})
		})
	}
}

func TestCallNextOrderWithinKind(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		ctx := context.Background()
		a1 := h.issue(t, "hotich", "")
		b1 := h.issue(t, "datdai", "")
		a2 := h.issue(t, "hotich", "")
		// Counter 3 serves only B; counter 1 serves both, oldest first.
		if got := h.next(t, 3, ""); got.ID != b1.Ticket.ID {
			t.Errorf("counter 3: got %s, want B001", got.Number)
		}
		if got := h.next(t, 1, ""); got.ID != a1.Ticket.ID {
			t.Errorf("counter 1: got %s, want A001", got.Number)
		}
		con, err := h.m.Console(ctx, operator, h.counters[2].ID)
		must(t, err)
		if len(con.Queue) != 1 || con.Queue[0].ID != a2.Ticket.ID || con.Current != nil {
			t.Errorf("console of counter 2: got current %v, queue %v; want none, [A002]", con.Current, con.Queue)
		}
		b, err := h.m.Board(ctx, "TB-HCC")
		must(t, err)
		if n := b.Counters[0].Ticket; n == nil || n.Number != "A001" {
			t.Errorf("board: counter 1 serves %v, want A001", n)
		}
		if len(b.Recent) != 2 || b.Recent[0].Number != "A001" {
			t.Errorf("board: recent calls %v, want A001 then B001", b.Recent)
		}
	})
}

func TestCallNextWithNobodyWaitingChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		ctx := context.Background()
		_, err := h.m.Act(ctx, operator, h.counters[1].ID, queue.Action{Name: "next"})
		wantErr(t, err, apperr.Conflict, "queue.error.empty")
		a := h.issue(t, "hotich", "")
		h.next(t, 1, "")
		// Holding A001, "next" with an empty queue must not finish A001.
		_, err = h.m.Act(ctx, operator, h.counters[1].ID, queue.Action{Name: "next", Ticket: a.Ticket.ID})
		wantErr(t, err, apperr.Conflict, "queue.error.empty")
		if got := h.ticket(t, a.Ticket.ID); got.Status != queue.Called {
			t.Errorf("A001 after a refused next: got %s, want called", got.Status)
		}
		_, err = h.m.Act(ctx, operator, 99999, queue.Action{Name: "next"})
		wantErr(t, err, apperr.NotFound, "")
	})
}

func TestCounterActionRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		ctx := context.Background()
		c1 := h.counters[1].ID
		for range 4 {
			h.issue(t, "hotich", "")
		}
		a1 := h.next(t, 1, "")

		r, err := h.m.Act(ctx, operator, c1, queue.Action{Name: "recall", Ticket: a1.ID})
		must(t, err)
		if r.Recalls != 1 || r.Status != queue.Called {
			t.Errorf("recall: got %d recalls, %s; want 1, called", r.Recalls, r.Status)
		}
		h.clock.Add(time.Minute)
		s, err := h.m.Act(ctx, operator, c1, queue.Action{Name: "serve", Ticket: a1.ID})
		must(t, err)
		if s.Status != queue.Serving || s.ServedAt == nil {
			t.Errorf("serve: got %s at %v, want serving", s.Status, s.ServedAt)
		}
		_, err = h.m.Act(ctx, operator, c1, queue.Action{Name: "recall", Ticket: a1.ID})
		wantErr(t, err, apperr.Conflict, "queue.error.state")
		_, err = h.m.Act(ctx, operator, c1, queue.Action{Name: "skip", Ticket: a1.ID})
		wantErr(t, err, apperr.Conflict, "queue.error.state")
		h.clock.Add(4 * time.Minute)
		d, err := h.m.Act(ctx, operator, c1, queue.Action{Name: "done", Ticket: a1.ID})
		must(t, err)
		if d.Status != queue.Done || d.ServiceSeconds != 240 {
			t.Errorf("done: got %s after %ds, want done after 240s (from serve)", d.Status, d.ServiceSeconds)
		}
		_, err = h.m.Act(ctx, operator, c1, queue.Action{Name: "done", Ticket: a1.ID})
		wantErr(t, err, apperr.Conflict, "queue.error.finished")
		_, err = h.m.Act(ctx, operator, c1, queue.Action{Name: "done"})
		wantErr(t, err, apperr.Conflict, "queue.error.no_current")

		a2 := h.next(t, 1, "")
		sk, err := h.m.Act(ctx, operator, c1, queue.Action{Name: "skip"}) // a hardware button names no ticket
		must(t, err)
		if sk.ID != a2.ID || sk.Status != queue.NoShow {
			t.Errorf("skip: got %s %s, want %s no_show", sk.Number, sk.Status, a2.Number)
		}
		a3 := h.next(t, 1, "")
		_, err = h.m.Act(ctx, operator, c1, queue.Action{Name: "next"})
		wantErr(t, err, apperr.Conflict, "queue.error.finish_first")
		a4 := h.next(t, 1, a3.ID)
		if got := h.ticket(t, a3.ID); got.Status != queue.Done {
			t.Errorf("next naming the held ticket: A003 is %s, want done", got.Status)
		}
		if a4.Number != "A004" {
			t.Errorf("next: got %s, want A004", a4.Number)
		}
	})
}

func TestTransfer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		ctx := context.Background()
		h.issue(t, "hotich", "")
		h.issue(t, "datdai", "")
		h.issue(t, "datdai", "")
		a1 := h.next(t, 2, "")

		cases := []struct {
			name  string
			to    queue.Target
			field string
		}{
			{"no target is invalid", queue.Target{}, "service"},
			{"unknown service is invalid", queue.Target{Service: "nope"}, "service"},
			{"counter of another office is invalid", queue.Target{Counter: h.other.ID}, "counter"},
			{"its own counter is invalid", queue.Target{Counter: h.counters[2].ID}, "counter"},
			{"its own service is invalid", queue.Target{Service: "hotich"}, "service"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := h.m.Act(ctx, operator, h.counters[2].ID, queue.Action{Name: "transfer", Ticket: a1.ID, To: c.to})
				wantErr(t, err, apperr.Invalid, "")
				if f := apperr.As(err).Fields; len(f) == 0 || f[0].Field != c.field {
					t.Errorf("fields: got %+v, want %s", f, c.field)
				}
			})
		}
		if got := h.ticket(t, a1.ID); got.Status != queue.Called || got.Version != a1.Version+1 {
			t.Fatalf("after refused transfers: got %s v%d, want called, unchanged", got.Status, got.Version)
		}

		tr, err := h.m.Act(ctx, operator, h.counters[2].ID, queue.Action{Name: "transfer", Ticket: a1.ID, To: queue.Target{Service: "datdai"}})
		must(t, err)
		if tr.Status != queue.Transferred || tr.Service != "datdai" || tr.Number != "A001" || tr.CounterID != 0 {
			t.Errorf("transfer: got %+v", tr)
		}
		// It keeps its place: issued first, it is called before B001.
		if got := h.next(t, 3, ""); got.ID != a1.ID {
			t.Errorf("counter 3 after transfer: got %s, want A001", got.Number)
		}
		// To a named counter: only that counter calls it.
		_, err = h.m.Act(ctx, operator, h.counters[3].ID, queue.Action{Name: "transfer", Ticket: a1.ID, To: queue.Target{Counter: h.counters[2].ID}})
		must(t, err)
		if got := h.next(t, 1, ""); got.ID == a1.ID {
			t.Errorf("counter 1 called a ticket transferred to counter 2")
		}
		if got := h.next(t, 2, ""); got.ID != a1.ID {
			t.Errorf("counter 2: got %s, want A001 (transferred to it)", got.Number)
		}
		if got := h.ticket(t, a1.ID); got.Transfers != 2 {
			t.Errorf("transfers: got %d, want 2", got.Transfers)
		}
	})
}

func TestStaleConsoleChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		ctx := context.Background()
		c1 := h.counters[1].ID
		for range 3 {
			h.issue(t, "hotich", "")
		}
		other, err := h.m.Issue(ctx, actor.Anon(), "OTHER", "khac", "")
		must(t, err)
		a1 := h.next(t, 1, "")
		// A second console finishes A001 and calls A002.
		a2 := h.next(t, 1, a1.ID)

		cases := []struct {
			name string
			act  func() error
			id   string
		}{
			{"done on a finished ticket", func() error {
				_, err := h.m.Act(ctx, operator, c1, queue.Action{Name: "done", Ticket: a1.ID})
				return err
			}, "queue.error.finished"},
			{"next naming a finished ticket", func() error {
				_, err := h.m.Act(ctx, operator, c1, queue.Action{Name: "next", Ticket: a1.ID})
				return err
			}, "queue.error.finished"},
			{"recall of a ticket at another counter", func() error {
				_, err := h.m.Act(ctx, operator, h.counters[2].ID, queue.Action{Name: "recall", Ticket: a2.ID})
				return err
			}, "queue.error.stale"},
			{"counter acting on a ticket of another office", func() error {
				_, err := h.m.Act(ctx, operator, h.other.ID, queue.Action{Name: "done", Ticket: a2.ID})
				return err
			}, "queue.error.other_office"},
			{"skip naming a ticket of another office", func() error {
				_, err := h.m.Act(ctx, operator, c1, queue.Action{Name: "skip", Ticket: other.Ticket.ID})
				return err
			}, "queue.error.other_office"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				wantErr(t, c.act(), apperr.Conflict, c.id)
			})
		}
		if got := h.ticket(t, a2.ID); got.Status != queue.Called || got.CounterID != c1 || got.Version != a2.Version+1 {
			t.Errorf("A002 after stale actions: got %s at %d v%d, want called at counter 1, unchanged", got.Status, got.CounterID, got.Version)
		}
		if got := h.ticket(t, other.Ticket.ID); got.Status != queue.Waiting {
			t.Errorf("the other office's ticket: got %s, want waiting", got.Status)
		}
	})
}
