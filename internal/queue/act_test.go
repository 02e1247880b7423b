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

// TestActWho checks who may work a counter of unit TB, calling the use case
// directly with each kind of actor: those refused change nothing.
func TestActWho(t *testing.T) {
	staffOf := func(role actor.Role, unit string) actor.Actor {
		return actor.Actor{Kind: actor.Staff, ID: 7, Name: "x", Role: role, Unit: unit}
	}
	machine := func(unit string, scopes ...string) actor.Actor {
		return actor.Actor{Kind: actor.Machine, ID: 3, Name: "m", Unit: unit, Scopes: scopes}
	}
	cases := []struct {
		name string
		who  actor.Actor
		want apperr.Code // "" allowed
	}{
		{"a clerk of the unit may", staffOf(actor.RoleClerk, "TB"), ""},
		{"the unit's administrator may", staffOf(actor.RoleAdmin, "TB"), ""},
		{"the portal's administrator may", staffOf(actor.RoleAdmin, ""), ""},
		{"a machine of the unit with the counter scope may", machine("TB", actor.ScopeCounter), ""},
		{"an officer of the unit may not", staffOf(actor.RoleOfficer, "TB"), apperr.Forbidden},
		{"the unit's head may not", staffOf(actor.RoleHead, "TB"), apperr.Forbidden},
		{"a clerk of another unit may not", staffOf(actor.RoleClerk, "QNA"), apperr.Forbidden},
		{"an administrator of another unit may not", staffOf(actor.RoleAdmin, "QNA"), apperr.Forbidden},
		{"a machine of the unit without the scope may not", machine("TB", actor.ScopeSync), apperr.Forbidden},
		{"a machine of another unit may not", machine("QNA", actor.ScopeCounter), apperr.Forbidden},
		{"a citizen may not", actor.Actor{Kind: actor.Citizen, Phone: "+84912345678"}, apperr.Forbidden},
		{"a chat may not", actor.Actor{Kind: actor.Chat, ID: 42, Phone: "+84912345678"}, apperr.Forbidden},
		{"nobody signed in may not", actor.Anon(), apperr.Unauthorized},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				h := newHall(t, storetest.Open(t, string(db.Dialect())), 3)
				w := h.issue(t, "hotich", "")
				id := h.counters[1].ID
				if _, err := h.m.Console(ctx, tc.who, id); apperr.CodeOf(err) != tc.want {
					t.Errorf("console: err = %v, want %q", err, tc.want)
				}
				got, err := h.m.Act(ctx, tc.who, id, queue.Action{Name: "next"})
				if tc.want != "" {
					wantErr(t, err, tc.want, "")
					if st := h.ticket(t, w.Ticket.ID).Status; st != queue.Waiting {
						t.Errorf("status = %s, want %s: a refused actor changed the ticket", st, queue.Waiting)
					}
					return
				}
				must(t, err)
				if got.ID != w.Ticket.ID || got.Status != queue.Called {
					t.Fatalf("next = %s %s, want %s called", got.Number, got.Status, w.Ticket.Number)
				}
				if _, err := h.m.Act(ctx, tc.who, id, queue.Action{Name: "done", Ticket: got.ID}); err != nil {
					t.Errorf("done: %v", err)
				}
			})
		}
	})
}

func TestAct(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		ctx := context.Background()
		clerk := actor.Actor{Kind: actor.Staff, Name: "an", Role: actor.RoleClerk, Unit: "TB"}
		id := h.counters[1].ID

		t.Run("an unknown action is not found", func(t *testing.T) {
			_, err := h.m.Act(ctx, clerk, id, queue.Action{Name: "explode"})
			wantErr(t, err, apperr.NotFound, "")
		})
		t.Run("an unknown counter is not found, even to nobody", func(t *testing.T) {
			_, err := h.m.Act(ctx, actor.Anon(), 999999, queue.Action{Name: "next"})
			wantErr(t, err, apperr.NotFound, "")
		})
	})
}

func TestUpdateCounterOfAnotherOfficeIsNotFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		ctx := context.Background()
		moved := h.other
		moved.OfficeCode, moved.Name = "TB-HCC", "Quầy lạ"
		_, err := h.m.UpdateCounter(ctx, operator, moved)
		wantErr(t, err, apperr.NotFound, "")
		got, _, err := h.m.Counter(ctx, h.other.ID)
		must(t, err)
		if got.OfficeCode != "OTHER" || got.Name != h.other.Name {
			t.Errorf("counter = %s in %s, want %s in OTHER unchanged", got.Name, got.OfficeCode, h.other.Name)
		}
	})
}

// TestSetUpWho: offices, their services and counters are set up by an
// administrator of the office's unit (or of the whole portal), nobody else.
func TestSetUpWho(t *testing.T) {
	staffOf := func(role actor.Role, unit string) actor.Actor {
		return actor.Actor{Kind: actor.Staff, ID: 7, Name: "x", Role: role, Unit: unit}
	}
	cases := []struct {
		name string
		who  actor.Actor
		ok   bool
	}{
		{"the portal's administrator may", staffOf(actor.RoleAdmin, ""), true},
		{"the unit's administrator may", staffOf(actor.RoleAdmin, "TB"), true},
		{"another unit's administrator may not", staffOf(actor.RoleAdmin, "QNA"), false},
		{"the unit's head may not", staffOf(actor.RoleHead, "TB"), false},
		{"the unit's officer may not", staffOf(actor.RoleOfficer, "TB"), false},
		{"the unit's clerk may not", staffOf(actor.RoleClerk, "TB"), false},
		{"a machine of the unit may not", actor.Actor{Kind: actor.Machine, Unit: "TB", Scopes: []string{actor.ScopeCounter, actor.ScopeKiosk}}, false},
		{"a citizen may not", actor.Actor{Kind: actor.Citizen, Phone: "+84912345678"}, false},
		{"nobody may not", actor.Anon(), false},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h := newHall(t, db, 3)
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				check := func(what string, err error) {
					t.Helper()
					if tc.ok && err != nil {
						t.Errorf("%s: %v", what, err)
					}
					if !tc.ok && apperr.CodeOf(err) != apperr.Forbidden && apperr.CodeOf(err) != apperr.Unauthorized {
						t.Errorf("%s: err = %v, want a refusal", what, err)
					}
				}
				code := "N" + string(rune('A'+i))
				_, err := h.m.CreateOffice(ctx, tc.who, queue.Office{Code: code, Name: "Văn phòng", UnitCode: "TB"})
				check("create office", err)
				o := h.office
				o.Name = "Một cửa " + code
				_, err = h.m.UpdateOffice(ctx, tc.who, o)
				check("update office", err)
				_, err = h.m.CreateService(ctx, tc.who, queue.Service{Code: "s" + code, OfficeCode: "TB-HCC", NameVi: "Dịch vụ", Prefix: string(rune('C' + i))})
				check("create service", err)
				c := h.counters[1]
				c.Name = "Quầy " + code
				_, err = h.m.UpdateCounter(ctx, tc.who, c)
				check("update counter", err)
				_, err = h.m.CreateCounter(ctx, tc.who, queue.Counter{OfficeCode: "TB-HCC", Number: 10 + i, Name: "Quầy mới", Services: []string{"hotich"}})
				check("create counter", err)
			})
		}
		// Moving an office to a unit one does not administer is refused too.
		o := h.office
		o.UnitCode = "QNA"
		if _, err := h.m.UpdateOffice(ctx, cases[1].who, o); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("the unit's administrator moved its office to another unit: %v", err)
		}
	})
}

// TestSummaryWho: the day's summary of an office is for its unit's head,
// officers and administrator.
func TestSummaryWho(t *testing.T) {
	staffOf := func(role actor.Role, unit string) actor.Actor {
		return actor.Actor{Kind: actor.Staff, ID: 7, Name: "x", Role: role, Unit: unit}
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h := newHall(t, db, 3)
		day := queue.Day(h.clock.Now())
		for _, tc := range []struct {
			who  actor.Actor
			want apperr.Code
		}{
			{staffOf(actor.RoleHead, "TB"), ""},
			{staffOf(actor.RoleOfficer, "TB"), ""},
			{staffOf(actor.RoleAdmin, "TB"), ""},
			{staffOf(actor.RoleAdmin, ""), ""},
			{staffOf(actor.RoleClerk, "TB"), apperr.Forbidden},
			{staffOf(actor.RoleHead, "QNA"), apperr.Forbidden},
			{actor.Actor{Kind: actor.Machine, Unit: "TB", Scopes: []string{actor.ScopeCounter}}, apperr.Forbidden},
			{actor.Actor{Kind: actor.Chat, ID: 1, Phone: "+84912345678"}, apperr.Forbidden},
			{actor.Anon(), apperr.Unauthorized},
		} {
			if _, err := h.m.Summary(ctx, tc.who, "TB-HCC", day); apperr.CodeOf(err) != tc.want {
				t.Errorf("%s: err = %v, want %q", tc.who, err, tc.want)
			}
		}
	})
}
