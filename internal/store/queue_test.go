package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"motcua/internal/apperr"
	"motcua/internal/catalog"
	"motcua/internal/queue"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
	"motcua/internal/unit"
)

// queueOffice adds unit TB and office Q with services A (hotich) and B.
func queueOffice(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	for _, u := range []struct{ code, parent string }{{"QNA", ""}, {"TB", "QNA"}} {
		level := catalog.LevelProvince
		if u.parent != "" {
			level = catalog.LevelDistrict
		}
		if _, err := db.Unit(ctx, u.code); err == nil {
			continue
		}
		if err := db.AddUnit(ctx, unit.Unit{Code: u.code, Name: u.code, Level: level, ParentCode: u.parent, CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	o := queue.Office{Code: "Q", Name: "Một cửa", UnitCode: "TB", PriorityGroups: []string{"elderly"}, PriorityRun: 3, DefaultMinutes: 8, CreatedAt: time.Now()}
	if err := db.CreateOffice(ctx, o); err != nil {
		t.Fatal(err)
	}
	for _, s := range []queue.Service{
		{Code: "hotich", OfficeCode: "Q", NameVi: "Hộ tịch", Prefix: "A", Fields: []string{"Hộ tịch"}},
		{Code: "datdai", OfficeCode: "Q", NameVi: "Đất đai", Prefix: "B", Position: 1},
	} {
		if err := db.CreateService(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
}

func TestQueueSetupConflicts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		queueOffice(t, db)
		cases := []struct {
			name string
			err  error
			id   string
		}{
			{"a taken office code", db.CreateOffice(ctx, queue.Office{Code: "Q", Name: "x", UnitCode: "TB", CreatedAt: time.Now()}), "queue.error.office_exists"},
			{"a taken service code", db.CreateService(ctx, queue.Service{Code: "hotich", OfficeCode: "Q", NameVi: "x", Prefix: "C"}), "queue.error.service_exists"},
			{"a taken prefix", db.CreateService(ctx, queue.Service{Code: "khac", OfficeCode: "Q", NameVi: "x", Prefix: "A"}), "queue.error.prefix_taken"},
			{"a taken prefix on update", db.UpdateService(ctx, queue.Service{Code: "datdai", OfficeCode: "Q", NameVi: "x", Prefix: "A"}), "queue.error.prefix_taken"},
			{"an unknown service on update", db.UpdateService(ctx, queue.Service{Code: "nope", OfficeCode: "Q", NameVi: "x", Prefix: "Z"}), "error.not_found"},
			{"an unknown office on update", db.UpdateOffice(ctx, queue.Office{Code: "NOPE"}), "error.not_found"},
		}
		for _, c := range cases {
			t.Run(c.name+" is refused", func(t *testing.T) {
				if got := apperr.As(c.err).MessageID; got != c.id {
					t.Errorf("got %s (%v), want %s", got, c.err, c.id)
				}
			})
		}
		c1, err := db.CreateCounter(ctx, queue.Counter{OfficeCode: "Q", Number: 1, Name: "Quầy 1", Services: []string{"hotich"}})
		if err != nil || c1.ID == 0 {
			t.Fatalf("create counter: %+v %v", c1, err)
		}
		_, err = db.CreateCounter(ctx, queue.Counter{OfficeCode: "Q", Number: 1, Name: "Quầy 1 bis", Services: []string{"hotich"}})
		if got := apperr.As(err).MessageID; got != "queue.error.counter_exists" {
			t.Errorf("a taken counter number: got %s, want counter_exists", got)
		}
		got, err := db.Counter(ctx, c1.ID)
		if err != nil || got.Number != 1 || len(got.Services) != 1 || got.Services[0] != "hotich" {
			t.Errorf("counter: got %+v %v", got, err)
		}
		if _, err := db.Counter(ctx, 424242); !apperr.IsNotFound(err) {
			t.Errorf("unknown counter: got %v, want not found", err)
		}
	})
}

func TestIssueTicketNumbersAtomically(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		queueOffice(t, db)
		stamp := func() time.Time { return time.Date(2026, 4, 29, 1, 0, 0, 0, time.UTC) }
		ticket := func(id string) queue.Ticket {
			return queue.Ticket{ID: id, OfficeCode: "Q", Service: "hotich", Day: "2026-04-29", Prefix: "A", Status: queue.Waiting}
		}
		first, _, err := db.IssueTicket(ctx, ticket("aaaaaaaaaaaaaaaaaaaaaaaaaa"), stamp, nil)
		if err != nil || first.Number != "A001" {
			t.Fatalf("first ticket: %+v %v", first, err)
		}
		// The same ID again fails on insert: the number it took is given back.
		if _, _, err := db.IssueTicket(ctx, ticket("aaaaaaaaaaaaaaaaaaaaaaaaaa"), stamp, nil); err == nil {
			t.Fatal("a duplicate ticket ID was accepted")
		}
		second, _, err := db.IssueTicket(ctx, ticket("bbbbbbbbbbbbbbbbbbbbbbbbbb"), stamp, nil)
		if err != nil || second.Number != "A002" {
			t.Errorf("after a failed insert: got %s %v, want A002 (no number skipped)", second.Number, err)
		}

		// Many at once: every number exactly once.
		const n = 60
		var mu sync.Mutex
		seen := map[int]bool{}
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				tk := ticket(idFor(i))
				got, _, err := db.IssueTicket(ctx, tk, stamp, nil)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if seen[got.Seq] {
					t.Errorf("number %d given twice", got.Seq)
				}
				seen[got.Seq] = true
			})
		}
		wg.Wait()
		for s := 3; s < 3+n; s++ {
			if !seen[s] {
				t.Errorf("number %d skipped", s)
			}
		}
	})
}

func idFor(i int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	b := []byte("cccccccccccccccccccccccccc")
	b[0], b[1] = alphabet[i%32], alphabet[i/32%32]
	return string(b)
}

func TestSaveTicketRefusesAStaleVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		queueOffice(t, db)
		tk, _, err := db.IssueTicket(ctx, queue.Ticket{ID: "dddddddddddddddddddddddddd", OfficeCode: "Q", Service: "hotich",
			Day: "2026-04-29", Prefix: "A", Status: queue.Waiting}, time.Now, nil)
		if err != nil {
			t.Fatal(err)
		}
		save := func(t0 queue.Ticket, s queue.Status) error {
			return db.QueueTx(ctx, func(tx queue.Tx) error {
				t0.Status = s
				return tx.SaveTicket(t0)
			})
		}
		if err := save(tk, queue.Called); err != nil {
			t.Fatal(err)
		}
		err = save(tk, queue.NoShow) // tk still has the version read before the first save
		if got := apperr.As(err).MessageID; got != "queue.error.stale" {
			t.Errorf("stale save: got %v, want queue.error.stale", err)
		}
		got, _ := db.Ticket(ctx, tk.ID)
		if got.Status != queue.Called || got.Version != 1 {
			t.Errorf("after a stale save: got %s v%d, want called v1", got.Status, got.Version)
		}
	})
}
