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

func TestLinkDossier(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		ctx := context.Background()
		w := h.issue(t, "hotich", "")
		h.issue(t, "hotich", "")
		_, err := h.m.LinkDossier(ctx, operator, w.Ticket.ID, "000.00.31.H42-260429-0001")
		wantErr(t, err, apperr.Conflict, "queue.error.state")
		a := h.next(t, 1, "")
		_, err = h.m.Act(ctx, operator, h.counters[1].ID, queue.Action{Name: "done", Ticket: a.ID})
		must(t, err)
		got, err := h.m.LinkDossier(ctx, operator, a.ID, "000.00.31.H42-260429-0001")
		must(t, err)
		if got.DossierCode != "000.00.31.H42-260429-0001" {
			t.Errorf("dossier code: got %q", got.DossierCode)
		}
		_, err = h.m.LinkDossier(ctx, operator, a.ID, "000.00.31.H42-260429-0001")
		must(t, err)
		_, err = h.m.LinkDossier(ctx, operator, a.ID, "000.00.31.H42-260429-0002")
		wantErr(t, err, apperr.Conflict, "queue.error.linked")
		_, err = h.m.LinkDossier(ctx, operator, a.ID, "bad code!")
		wantErr(t, err, apperr.Invalid, "")
	})
}
