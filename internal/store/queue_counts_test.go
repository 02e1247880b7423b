package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"motcua/internal/queue"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

// Two instances (two handles on one database) issue at once in one
// service: every number once, none skipped, and each ticket is told a
// different number of people ahead, 0 to n-1, as if issued one by one.
func TestIssueTicketAheadAcrossInstances(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			url := storetest.URL(t, kind)
			var dbs []*store.DB
			for range 2 {
				db, err := store.Open(ctx, url)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				if err := db.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				dbs = append(dbs, db)
			}
			queueOffice(t, dbs[0])
			stamp := func() time.Time { return time.Date(2026, 4, 29, 1, 0, 0, 0, time.UTC) }
			const n = 80
			var mu sync.Mutex
			seqs, aheads := map[int]bool{}, map[int]bool{}
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					tk := queue.Ticket{ID: idFor(i), OfficeCode: "Q", Service: "hotich", Day: "2026-04-29", Prefix: "A", Status: queue.Waiting}
					got, ahead, err := dbs[i%2].IssueTicket(ctx, tk, stamp, nil)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					defer mu.Unlock()
					if seqs[got.Seq] || aheads[ahead] {
						t.Errorf("number %d or ahead %d given twice", got.Seq, ahead)
					}
					seqs[got.Seq], aheads[ahead] = true, true
					if ahead != got.Seq-1 {
						t.Errorf("%s: %d ahead, want %d (every earlier ticket waits)", got.Number, ahead, got.Seq-1)
					}
				})
			}
			wg.Wait()
			for s := 1; s <= n; s++ {
				if !seqs[s] || !aheads[s-1] {
					t.Errorf("number %d or ahead %d never given", s, s-1)
				}
			}
		})
	}
}

// Tickets asked for at once are issued together; one that cannot be (its
// ID is taken) fails alone, and no number is skipped for it.
func TestIssueTicketOneFailureInABatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		queueOffice(t, db)
		stamp := func() time.Time { return time.Date(2026, 4, 29, 1, 0, 0, 0, time.UTC) }
		const n = 40
		var mu sync.Mutex
		var failed int
		seqs := map[int]bool{}
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				id := idFor(i)
				if i == n-1 {
					id = idFor(0) // taken by the first
				}
				got, _, err := db.IssueTicket(ctx, queue.Ticket{ID: id, OfficeCode: "Q", Service: []string{"hotich", "datdai"}[i%2],
					Day: "2026-04-29", Prefix: []string{"A", "B"}[i%2], Status: queue.Waiting}, stamp, nil)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					failed++
					return
				}
				seqs[got.Seq*2+i%2] = true
			})
		}
		wg.Wait()
		if failed != 1 {
			t.Errorf("%d tickets failed, want the one whose ID was taken", failed)
		}
		// Either of the two with one ID failed: each service's numbers run
		// from 1 without a gap.
		for svc := range 2 {
			k := 0
			for seqs[(k+1)*2+svc] {
				k++
			}
			if k < n/2-1 {
				t.Errorf("service %d: numbers 1 to %d, then a gap", svc, k)
			}
		}
		if len(seqs) != n-1 {
			t.Errorf("%d numbers given, want %d", len(seqs), n-1)
		}
	})
}

// The queue's kept counts follow every change of a ticket: calling one,
// transferring one to another service, a priority ticket; what issuing
// reads is what counting the queue finds.
func TestIssueTicketAheadFollowsTheQueue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		queueOffice(t, db)
		stamp := func() time.Time { return time.Date(2026, 4, 29, 1, 0, 0, 0, time.UTC) }
		i := 0
		issue := func(service, prefix, priority string) (queue.Ticket, int) {
			t.Helper()
			i++
			tk, ahead, err := db.IssueTicket(ctx, queue.Ticket{ID: idFor(i), OfficeCode: "Q", Service: service, Day: "2026-04-29",
				Prefix: prefix, Priority: priority, Status: queue.Waiting}, stamp, nil)
			if err != nil {
				t.Fatal(err)
			}
			counted, err := db.CountQueued(ctx, queue.QueuedFilter{Office: "Q", Day: "2026-04-29", Service: service, Before: tk,
				PriorityOnly: priority != "", LaterPriority: priority == ""})
			if err != nil {
				t.Fatal(err)
			}
			if ahead != counted {
				t.Errorf("%s: issuing read %d ahead, counting finds %d", tk.Number, ahead, counted)
			}
			return tk, ahead
		}
		save := func(tk queue.Ticket, change func(*queue.Ticket)) {
			t.Helper()
			if err := db.QueueTx(ctx, func(tx queue.Tx) error {
				cur, err := tx.Ticket(tk.ID)
				if err != nil {
					return err
				}
				change(&cur)
				return tx.SaveTicket(cur)
			}); err != nil {
				t.Fatal(err)
			}
		}
		a1, _ := issue("hotich", "A", "")
		a2, _ := issue("hotich", "A", "")
		if _, ahead := issue("hotich", "A", ""); ahead != 2 {
			t.Errorf("third ticket: %d ahead, want 2", ahead)
		}
		save(a1, func(t *queue.Ticket) { t.Status = queue.Called })
		if _, ahead := issue("hotich", "A", ""); ahead != 2 {
			t.Errorf("after a call: %d ahead, want 2", ahead)
		}
		if _, ahead := issue("hotich", "A", "elderly"); ahead != 0 {
			t.Errorf("first priority ticket: %d ahead, want 0", ahead)
		}
		if _, ahead := issue("hotich", "A", "elderly"); ahead != 1 {
			t.Errorf("second priority ticket: %d ahead, want 1", ahead)
		}
		// A transfer takes a waiting ticket to the land desk's queue.
		save(a2, func(t *queue.Ticket) { t.Service, t.Status = "datdai", queue.Transferred })
		if _, ahead := issue("datdai", "B", ""); ahead != 1 {
			t.Errorf("land desk after a transfer in: %d ahead, want 1", ahead)
		}
		if _, ahead := issue("hotich", "A", ""); ahead != 4 {
			t.Errorf("after a transfer out: %d ahead, want 4", ahead)
		}
		save(a1, func(t *queue.Ticket) { t.Status = queue.Done })
		if _, ahead := issue("hotich", "A", ""); ahead != 5 {
			t.Errorf("after a called ticket ended: %d ahead, want 5", ahead)
		}
	})
}
