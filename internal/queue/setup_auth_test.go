package queue_test

import (
	"context"
	"testing"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/queue"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

// Retiring and importing offices are the administrator's: a clerk, or the
// administrator of another unit, is refused and nothing changes.
func TestRetireAndImportAreTheAdministrators(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		ctx := context.Background()
		clerk := actor.Actor{Kind: actor.Staff, ID: 7, Name: "clerk", Role: actor.RoleClerk, Unit: "TB"}
		otherAdmin := actor.Actor{Kind: actor.Staff, ID: 8, Name: "admin2", Role: actor.RoleAdmin, Unit: "QNA-X"}
		for _, a := range []actor.Actor{clerk, otherAdmin} {
			if err := h.m.RetireService(ctx, a, "TB-HCC", "hotich", true); apperr.CodeOf(err) != apperr.Forbidden {
				t.Errorf("%s retires a service: %v", a.Name, err)
			}
			if err := h.m.RetireCounter(ctx, a, "TB-HCC", h.counters[1].ID, true); apperr.CodeOf(err) != apperr.Forbidden {
				t.Errorf("%s retires a counter: %v", a.Name, err)
			}
			f := queue.OfficesFile{Offices: []queue.OfficeEntry{{Code: "TB-HCC", Unit: "TB", Name: "Đổi tên"}}}
			if _, err := h.m.ImportOffices(ctx, a, f); apperr.CodeOf(err) != apperr.Forbidden {
				t.Errorf("%s imports offices: %v", a.Name, err)
			}
		}
		l, err := h.m.Layout(ctx, "TB-HCC")
		must(t, err)
		if len(l.RetiredServices) != 0 || len(l.RetiredCounters) != 0 || l.Office.Name == "Đổi tên" {
			t.Errorf("a refused caller changed the office: %+v", l)
		}
		must(t, h.m.RetireService(ctx, operator, "TB-HCC", "datdai", true))
		l, err = h.m.Layout(ctx, "TB-HCC")
		must(t, err)
		if len(l.RetiredServices) != 1 || len(l.Services) != 1 {
			t.Errorf("after retiring datdai: %d in use, %d retired", len(l.Services), len(l.RetiredServices))
		}
		if _, err := h.m.Issue(ctx, hallKiosk, "TB-HCC", "datdai", ""); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("a number of a retired service: %v", err)
		}
	})
}
