package queue_test

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"motcua/internal/apperr"
	"motcua/internal/events"
	"motcua/internal/queue"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

// twoInstances opens two stores on one database: two portal instances.
func twoInstances(t *testing.T, kind string) (a, b *store.DB) {
	t.Helper()
	ctx := context.Background()
	url := storetest.URL(t, kind)
	for _, p := range []**store.DB{&a, &b} {
		db, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		*p = db
	}
	must(t, a.Migrate(ctx))
	return a, b
}

// TestLayoutCacheSeesOwnChangesAtOnce: the kiosk's path serves the layout
// from memory, yet a change made through the same manager shows on the
// next ticket, and one made on another instance within LayoutTTL.
func TestLayoutCacheSeesOwnChangesAtOnce(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			dbA, dbB := twoInstances(t, kind)
			h := newHall(t, dbA, 3)
			other := queue.NewManager(dbB, nil, h.clock.Now, nil)
			ctx := context.Background()
			h.issue(t, "hotich", "") // the layout is cached now

			_, err := h.m.CreateService(ctx, operator, queue.Service{Code: "moi", OfficeCode: "TB-HCC", NameVi: "Mới", Prefix: "C", Position: 2})
			must(t, err)
			if v, err := h.m.Issue(ctx, hallKiosk, "TB-HCC", "moi", ""); err != nil || v.Ticket.Number != "C001" {
				t.Fatalf("new service of this instance: %v %v", v.Ticket.Number, err)
			}

			c, err := h.m.CreateCounter(ctx, operator, queue.Counter{OfficeCode: "TB-HCC", Number: 4, Name: "Quầy 4", Services: []string{"moi"}})
			must(t, err)
			v, err := h.m.Issue(ctx, hallKiosk, "TB-HCC", "moi", "")
			must(t, err)
			if len(v.Counters) != 1 || v.Counters[0].ID != c.ID {
				t.Fatalf("counters of the new service: got %+v, want the new counter", v.Counters)
			}

			must(t, h.m.RetireService(ctx, operator, "TB-HCC", "moi", true))
			_, err = h.m.Issue(ctx, hallKiosk, "TB-HCC", "moi", "")
			wantErr(t, err, apperr.Invalid, "")

			closed := h.office
			closed.Hours = &queue.Hours{}
			_, err = h.m.UpdateOffice(ctx, operator, closed)
			must(t, err)
			_, err = h.m.Issue(ctx, hallKiosk, "TB-HCC", "hotich", "")
			wantErr(t, err, apperr.Conflict, "")
			_, err = h.m.UpdateOffice(ctx, operator, h.office)
			must(t, err)
			h.issue(t, "hotich", "")

			// Another instance's new service: served from the cache (not
			// known yet) until LayoutTTL has passed.
			_, err = other.CreateService(ctx, operator, queue.Service{Code: "xa", OfficeCode: "TB-HCC", NameVi: "Xa", Prefix: "D", Position: 3})
			must(t, err)
			_, err = h.m.Issue(ctx, hallKiosk, "TB-HCC", "xa", "")
			wantErr(t, err, apperr.Invalid, "")
			h.clock.Add(queue.LayoutTTL)
			if v, err := h.m.Issue(ctx, hallKiosk, "TB-HCC", "xa", ""); err != nil || v.Ticket.Number != "D001" {
				t.Fatalf("another instance's service after %s: %v %v", queue.LayoutTTL, v.Ticket.Number, err)
			}
		})
	}
}

// TestIssueRefusesServiceRetiredThroughStaleCache: kiosks issue through an
// instance whose cached layout still lists a service while another instance
// retires it. Once the retirement has returned, no ticket is issued for the
// service: the transaction that takes the number refuses it. Numbers stay
// consecutive, without a gap or a duplicate.
func TestIssueRefusesServiceRetiredThroughStaleCache(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			dbA, dbB := twoInstances(t, kind)
			h := newHall(t, dbA, 3)
			other := queue.NewManager(dbB, nil, h.clock.Now, nil)
			ctx := context.Background()
			h.issue(t, "hotich", "") // the layout is cached now; the clock stands still from here

			var retired atomic.Bool
			var issued, after atomic.Int64
			var wg sync.WaitGroup
			for range 8 {
				wg.Go(func() {
					refused := 0
					for refused < 5 && after.Load() < 50 { // bounded should the refusal fail
						late := retired.Load()
						_, err := h.m.Issue(ctx, hallKiosk, "TB-HCC", "hotich", "")
						switch {
						case err == nil && late:
							after.Add(1)
						case err == nil:
							issued.Add(1)
						default:
							if f := apperr.As(err).Fields; len(f) != 1 || f[0].MessageID != "queue.error.service_unknown" {
								t.Errorf("refusal: %v", err)
								return
							}
							refused++
						}
					}
				})
			}
			for issued.Load() < 40 {
				time.Sleep(time.Millisecond)
			}
			must(t, other.RetireService(ctx, operator, "TB-HCC", "hotich", true))
			retired.Store(true)
			wg.Wait()
			if n := after.Load(); n > 0 {
				t.Errorf("%d tickets issued for a service retired before they were asked for", n)
			}
			tickets, err := dbA.DayTickets(ctx, "TB-HCC", "2026-04-29")
			must(t, err)
			seen := map[int]bool{}
			for _, tk := range tickets {
				if tk.Service != "hotich" {
					continue
				}
				if seen[tk.Seq] {
					t.Errorf("number %s given twice", tk.Number)
				}
				seen[tk.Seq] = true
			}
			for i := 1; i <= len(seen); i++ {
				if !seen[i] {
					t.Errorf("number %d skipped among %d tickets", i, len(seen))
				}
			}
			if want := int(issued.Load()+after.Load()) + 1; len(seen) != want {
				t.Errorf("%d tickets stored, %d issued", len(seen), want)
			}
		})
	}
}

// TestIssuedEventsSentInTheIssuingTransaction: on PostgreSQL the store sends
// a new ticket's event in the transaction that issues it: every ticket of
// concurrent kiosks reaches another instance's subscriber, with its number,
// and a refused ticket sends nothing.
func TestIssuedEventsSentInTheIssuingTransaction(t *testing.T) {
	if storetest.PostgresDSN(t) == "" {
		t.Skip("MOTCUA_TEST_POSTGRES is not set")
	}
	dbA, dbB := twoInstances(t, "postgres")
	h := newHall(t, dbA, 3)
	bus := events.NewPostgres(dbA.DSN(), dbA, nil)
	defer bus.Close()
	m := queue.NewManager(dbA, bus, h.clock.Now, nil)
	listener := events.NewPostgres(dbB.DSN(), dbB, nil)
	defer listener.Close()
	ctx := context.Background()
	ch, cancel := listener.Subscribe(ctx, queue.Topic("TB-HCC"))
	defer cancel()

	const n = 24
	// Read as they come: a subscriber that falls behind loses events.
	heard := make(chan string, 4*n)
	go func() {
		for e := range ch {
			var d queue.TicketEvent
			if e.Type == queue.EventIssued && json.Unmarshal(e.Data, &d) == nil {
				heard <- d.Number
			}
		}
	}()
	numbers := make(chan string, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			v, err := m.Issue(ctx, hallKiosk, "TB-HCC", "hotich", "")
			if err != nil {
				t.Error(err)
				return
			}
			numbers <- v.Ticket.Number
		})
	}
	wg.Wait()
	close(numbers)
	want := map[string]bool{}
	for num := range numbers {
		want[num] = true
	}
	must(t, h.m.RetireService(ctx, operator, "TB-HCC", "hotich", true))
	_, err := m.Issue(ctx, hallKiosk, "TB-HCC", "hotich", "") // m's layout still lists it
	wantErr(t, err, apperr.Invalid, "error.invalid_fields")

	got := map[string]bool{}
	timeout := time.After(5 * time.Second)
	for len(got) < len(want) {
		select {
		case num := <-heard:
			if got[num] || !want[num] {
				t.Errorf("event for %s: heard twice or not issued", num)
			}
			got[num] = true
		case <-timeout:
			t.Fatalf("%d of %d issue events after 5 s", len(got), len(want))
		}
	}
	select {
	case num := <-heard:
		t.Errorf("an event for a refused ticket: %s", num)
	case <-time.After(300 * time.Millisecond):
	}
}

// TestKioskRevokedOnAnotherInstanceWithinTTL: an instance trusts a kiosk it
// has seen for KioskTTL; a revocation made there holds at once, one made on
// another instance once KioskTTL has passed.
func TestKioskRevokedOnAnotherInstanceWithinTTL(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			dbA, dbB := twoInstances(t, kind)
			h := newHall(t, dbA, 3)
			other := queue.NewManager(dbB, nil, h.clock.Now, nil)
			ctx := context.Background()
			k1, secret1, err := h.m.EnrolKiosk(ctx, adminTB, "TB-HCC", "Sảnh 1")
			must(t, err)
			_, secret2, err := h.m.EnrolKiosk(ctx, adminTB, "TB-HCC", "Sảnh 2")
			must(t, err)
			for _, s := range []string{secret1, secret2} {
				_, err := h.m.KioskActor(ctx, s) // remembered from now
				must(t, err)
			}

			must(t, other.RevokeKiosk(ctx, adminTB, "TB-HCC", k1.ID))
			if _, err := h.m.KioskActor(ctx, secret1); err != nil {
				t.Fatalf("within %s of its last check: %v, want still trusted", queue.KioskTTL, err)
			}
			h.clock.Add(queue.KioskTTL)
			if _, err := h.m.KioskActor(ctx, secret1); apperr.CodeOf(err) != apperr.Unauthorized {
				t.Errorf("revoked on another instance, %s later: %v, want unauthorized", queue.KioskTTL, err)
			}

			ks, err := h.m.Kiosks(ctx, adminTB, "TB-HCC")
			must(t, err)
			_, err = h.m.KioskActor(ctx, secret2)
			must(t, err)
			for _, k := range ks {
				if !k.Revoked() {
					must(t, h.m.RevokeKiosk(ctx, adminTB, "TB-HCC", k.ID))
				}
			}
			if _, err := h.m.KioskActor(ctx, secret2); apperr.CodeOf(err) != apperr.Unauthorized {
				t.Errorf("revoked on this instance: %v, want unauthorized at once", err)
			}
		})
	}
}
