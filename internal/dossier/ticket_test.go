package dossier_test

import (
	"context"
	"testing"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/dossier"
	"motcua/internal/events"
	"motcua/internal/queue"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

// TestReceiveFromTicket: a dossier opened for a visit of the queue and the
// ticket's link to it are one operation: both stored, or neither.
func TestReceiveFromTicket(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 4, 8, 0))
		bus := events.NewLocal()
		t.Cleanup(func() { bus.Close() })
		q := queue.NewManager(db, bus, f.clock.Now, nil)
		for _, o := range []queue.Office{{Code: "TB-MC", Name: "Một cửa", UnitCode: "TB"}, {Code: "HA-MC", Name: "Một cửa Hà Lam", UnitCode: "TB-HA"}} {
			if _, err := q.CreateOffice(ctx, admin, o); err != nil {
				t.Fatal(err)
			}
			if _, err := q.CreateService(ctx, admin, queue.Service{Code: "hotich", OfficeCode: o.Code, NameVi: "Hộ tịch", Prefix: "A"}); err != nil {
				t.Fatal(err)
			}
		}
		counter, err := q.CreateCounter(ctx, admin, queue.Counter{OfficeCode: "TB-MC", Number: 1, Name: "Quầy 1", Services: []string{"hotich"}})
		if err != nil {
			t.Fatal(err)
		}
		held := "" // the ticket counter 1 holds
		visit := func(t *testing.T, office string, call bool) string {
			t.Helper()
			v, err := q.Issue(ctx, actor.Anon(), office, "hotich", "")
			if err != nil {
				t.Fatal(err)
			}
			if call {
				tk, err := q.Act(ctx, clerkTB, counter.ID, queue.Action{Name: "next", Ticket: held})
				if err != nil {
					t.Fatal(err)
				}
				held = tk.ID
			}
			return v.Ticket.ID
		}
		reception := func(ticket string) dossier.Reception {
			return dossier.Reception{UnitCode: "TB", ProcedureCode: "P3", Ticket: ticket,
				Applicant: dossier.Applicant{Name: "Nguyễn Văn An", Phone: "0912345678"}}
		}
		refusedLeavesNothing := func(t *testing.T, who actor.Actor, ticket string, want apperr.Code) {
			t.Helper()
			before := count(t, f)
			if _, err := f.svc.Receive(ctx, who, reception(ticket)); apperr.CodeOf(err) != want {
				t.Fatalf("err = %v, want %s", err, want)
			}
			if n := count(t, f); n != before {
				t.Errorf("dossiers %d → %d: a refused link stored the dossier", before, n)
			}
		}

		t.Run("a visit at the counter: the dossier and the link are stored", func(t *testing.T) {
			id := visit(t, "TB-MC", true)
			d, err := f.svc.Receive(ctx, clerkTB, reception(id))
			if err != nil {
				t.Fatal(err)
			}
			v, err := q.Ticket(ctx, id)
			if err != nil || v.Ticket.DossierCode != d.Code {
				t.Fatalf("ticket linked to %q (%v), want %s", v.Ticket.DossierCode, err, d.Code)
			}
			t.Run("a second dossier for the same visit is a conflict and is not stored", func(t *testing.T) {
				refusedLeavesNothing(t, clerkTB, id, apperr.Conflict)
			})
		})
		t.Run("a visitor still waiting: conflict, nothing stored", func(t *testing.T) {
			refusedLeavesNothing(t, clerkTB, visit(t, "TB-MC", false), apperr.Conflict)
		})
		t.Run("a ticket of another unit's office is not found, nothing stored", func(t *testing.T) {
			refusedLeavesNothing(t, clerkTB, visit(t, "HA-MC", false), apperr.NotFound)
		})
		t.Run("an unknown ticket is not found", func(t *testing.T) {
			refusedLeavesNothing(t, clerkTB, "zzzzzzzzzzzzzzzzzzzzzzzzzz", apperr.NotFound)
		})
		t.Run("an officer may not open it at all", func(t *testing.T) {
			refusedLeavesNothing(t, officerTB, visit(t, "TB-MC", true), apperr.Forbidden)
		})
	})
}
