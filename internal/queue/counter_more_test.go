package queue_test

import (
	"context"
	"sync"
	"testing"

	"motcua/internal/apperr"
	"motcua/internal/queue"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

func TestConcurrentCallsNeverShareATicket(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test: -short skips it (CI runs it)")
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		ctx := context.Background()
		const n = 40
		for range n {
			h.issue(t, "hotich", "")
		}
		var mu sync.Mutex
		seen := map[string]int64{}
		var wg sync.WaitGroup
		for _, num := range []int{1, 2} {
			wg.Go(func() {
				cid, cur := h.counters[num].ID, ""
				for {
					tk, err := h.m.Act(ctx, operator, cid, queue.Action{Name: "next", Ticket: cur})
					if apperr.As(err).MessageID == "queue.error.empty" {
						return
					}
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					if prev, dup := seen[tk.ID]; dup {
						t.Errorf("%s called by counters %d and %d", tk.Number, prev, cid)
					}
					seen[tk.ID] = cid
					mu.Unlock()
					cur = tk.ID
				}
			})
		}
		wg.Wait()
		if len(seen) != n {
			t.Errorf("called %d tickets, want %d", len(seen), n)
		}
	})
}
