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

func TestSummary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		ctx := context.Background()
		c2 := h.counters[2].ID
		// 08:00: A001, A002, A003 and B001 are issued a second apart.
		a1 := h.issue(t, "hotich", "")
		h.issue(t, "hotich", "")
		h.issue(t, "hotich", "")
		h.issue(t, "datdai", "")
		h.clock.Set(vn(2026, 4, 29, 8, 10))
		_, err := h.m.Act(ctx, operator, c2, queue.Action{Name: "next"}) // A001 waited 10 min
		must(t, err)
		h.clock.Add(6 * time.Minute)
		_, err = h.m.Act(ctx, operator, c2, queue.Action{Name: "next", Ticket: a1.Ticket.ID}) // A001 served 6 min; A002 waited 16 min −1 s
		must(t, err)
		h.clock.Add(time.Minute)
		_, err = h.m.Act(ctx, operator, c2, queue.Action{Name: "skip"})
		must(t, err)
		// Another day's tickets do not count (30 April and 1 May are
		// holidays: the office is closed).
		h.clock.Set(vn(2026, 5, 4, 9, 0))
		h.issue(t, "hotich", "")

		s, err := h.m.Summary(ctx, operator, "TB-HCC", "2026-04-29")
		must(t, err)
		a := s.Services[0]
		if a.Issued != 3 || a.Served != 1 || a.NoShows != 1 || a.Left != 1 {
			t.Errorf("A: got issued %d, served %d, no-shows %d, left %d; want 3, 1, 1, 1", a.Issued, a.Served, a.NoShows, a.Left)
		}
		wantAvg := (10*time.Minute + 16*time.Minute - time.Second) / 2
		if a.AvgWait != wantAvg.Round(time.Second) || a.LongWait != 16*time.Minute-time.Second {
			t.Errorf("A waits: got average %v, longest %v; want %v, %v", a.AvgWait, a.LongWait, wantAvg, 16*time.Minute-time.Second)
		}
		if s.Total.Issued != 4 || s.Services[1].Issued != 1 || s.Services[1].AvgWait != 0 {
			t.Errorf("totals: got %d issued (B %d, B wait %v), want 4 (1, 0)", s.Total.Issued, s.Services[1].Issued, s.Services[1].AvgWait)
		}
		var ctr = s.Counters[1]
		if ctr.Counter.ID != c2 || ctr.Served != 1 || ctr.NoShows != 1 || ctr.AvgService != 6*time.Minute {
			t.Errorf("counter 2: got %+v, want 1 served in 6 min and 1 no-show", ctr)
		}
		if s.Hourly[8] != 4 || s.Hourly[9] != 0 {
			t.Errorf("hourly: got %d at 08h and %d at 09h, want 4 and 0", s.Hourly[8], s.Hourly[9])
		}
		_, err = h.m.Summary(ctx, operator, "TB-HCC", "29/04/2026")
		wantErr(t, err, apperr.Invalid, "")
		_, err = h.m.Summary(ctx, operator, "NOPE", "2026-04-29")
		wantErr(t, err, apperr.NotFound, "")
	})
}
