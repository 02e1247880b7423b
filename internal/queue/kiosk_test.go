package queue_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

var (
	adminTB   = actor.Actor{Kind: actor.Staff, ID: 1, Name: "admin.tb", Role: actor.RoleAdmin, Unit: "TB"}
	adminQNA  = actor.Actor{Kind: actor.Staff, ID: 2, Name: "admin.qna", Role: actor.RoleAdmin, Unit: "QNA"}
	clerkTB   = actor.Actor{Kind: actor.Staff, ID: 3, Name: "clerk.tb", Role: actor.RoleClerk, Unit: "TB", Addr: "10.0.0.3"}
	clerkQNA  = actor.Actor{Kind: actor.Staff, ID: 4, Name: "clerk.qna", Role: actor.RoleClerk, Unit: "QNA", Addr: "10.0.0.4"}
	counterTB = actor.Actor{Kind: actor.Machine, ID: 5, Name: "quay", Unit: "TB", Scopes: []string{actor.ScopeCounter}, Addr: "10.0.0.5"}
	syncTB    = actor.Actor{Kind: actor.Machine, ID: 6, Name: "sync", Unit: "TB", Scopes: []string{actor.ScopeSync}, Addr: "10.0.0.6"}
	otherKios = actor.Actor{Kind: actor.Machine, ID: 7, Name: "kiosk:khác", Unit: "QNA", Office: "OTHER", Scopes: []string{actor.ScopeKiosk}, Addr: "10.0.0.7"}
)

func phone(addr string) actor.Actor { return actor.Actor{Addr: addr} }

// Anyone without an enrolled kiosk is held to TicketsPerHour per address;
// kiosks and counter staff are not.
func TestTicketsPerHourPerClient(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		h.m.TicketsPerHour = 3
		ctx := context.Background()
		for i := range 3 {
			if _, err := h.m.Issue(ctx, phone("203.0.113.1"), "TB-HCC", "hotich", ""); err != nil {
				t.Fatalf("ticket %d of the hour: %v", i+1, err)
			}
		}
		h.clock.Add(20 * time.Minute) // 08:20
		_, err := h.m.Issue(ctx, phone("203.0.113.1"), "TB-HCC", "datdai", "")
		wantErr(t, err, apperr.RateLimited, "queue.error.tickets_per_hour")
		if p := apperr.As(err).Params; p["Minutes"] != 40 || p["RetryAfter"] != 40*60 {
			t.Errorf("params %v, want 40 minutes to wait", p)
		}
		if _, err := h.m.Issue(ctx, phone("203.0.113.2"), "TB-HCC", "hotich", ""); err != nil {
			t.Errorf("another address: %v", err)
		}
		for _, a := range []actor.Actor{hallKiosk, clerkTB, counterTB} {
			for range 5 {
				if _, err := h.m.Issue(ctx, a, "TB-HCC", "hotich", ""); err != nil {
					t.Fatalf("%s is not limited: %v", a, err)
				}
			}
		}
		// A token without the counter scope, staff of another unit and
		// another office's kiosk are strangers here.
		for i, a := range []actor.Actor{syncTB, clerkQNA, otherKios} {
			a.Addr = "203.0.113.1"
			_, err := h.m.Issue(ctx, a, "TB-HCC", "hotich", "")
			if apperr.CodeOf(err) != apperr.RateLimited {
				t.Errorf("case %d, %s from a spent address: %v, want rate limited", i, a, err)
			}
		}
		h.clock.Add(40 * time.Minute) // 09:00, a new hour
		if _, err := h.m.Issue(ctx, phone("203.0.113.1"), "TB-HCC", "hotich", ""); err != nil {
			t.Errorf("the next hour: %v", err)
		}
		h.m.TicketsPerHour = 0
		for range 10 {
			if _, err := h.m.Issue(ctx, phone("203.0.113.1"), "TB-HCC", "hotich", ""); err != nil {
				t.Fatalf("with the limit off: %v", err)
			}
		}
	})
}

// Many requests from one address at once: exactly the limit get numbers.
func TestTicketsPerHourUnderConcurrency(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test: -short skips it (CI runs it)")
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		h.m.TicketsPerHour = 6
		var ok, limited atomic.Int32
		var wg sync.WaitGroup
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				service := []string{"hotich", "datdai"}[i%2]
				_, err := h.m.Issue(context.Background(), phone("198.51.100.66"), "TB-HCC", service, "")
				switch apperr.CodeOf(err) {
				case "":
					ok.Add(1)
				case apperr.RateLimited:
					limited.Add(1)
				default:
					t.Errorf("issue: %v", err)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 6 || limited.Load() != 34 {
			t.Errorf("%d issued and %d limited of 40 at once, want 6 and 34", ok.Load(), limited.Load())
		}
	})
}

// Only an enrolled kiosk of the office and counter staff of its unit may
// claim a priority group.
func TestPriorityOnlyFromKioskOrCounter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		ctx := context.Background()
		for _, a := range []actor.Actor{phone("203.0.113.9"), syncTB, clerkQNA, otherKios, adminQNA} {
			_, err := h.m.Issue(ctx, a, "TB-HCC", "hotich", "elderly")
			wantErr(t, err, apperr.Forbidden, "queue.error.priority_kiosk_only")
		}
		b, err := h.m.Board(ctx, "TB-HCC")
		must(t, err)
		for _, s := range b.Services {
			if s.Waiting != 0 {
				t.Fatalf("a refused priority ticket was stored: %+v", s)
			}
		}
		for _, a := range []actor.Actor{hallKiosk, clerkTB, counterTB, adminTB} {
			v, err := h.m.Issue(ctx, a, "TB-HCC", "hotich", "elderly")
			if err != nil || v.Ticket.Priority != "elderly" {
				t.Errorf("%s: %+v, %v; want a priority ticket", a, v.Ticket, err)
			}
		}
	})
}

// An administrator of the office's unit enrols and revokes kiosks; the
// kiosk's secret names it until it is revoked, at once.
func TestKioskEnrolAndRevoke(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHall(t, db, 3)
		ctx := context.Background()
		for _, a := range []actor.Actor{clerkTB, adminQNA, counterTB, phone("203.0.113.1")} {
			if _, _, err := h.m.EnrolKiosk(ctx, a, "TB-HCC", "Sảnh"); apperr.CodeOf(err) != apperr.Forbidden && apperr.CodeOf(err) != apperr.Unauthorized {
				t.Errorf("%s enrols a kiosk: %v, want refused", a, err)
			}
		}
		if _, _, err := h.m.EnrolKiosk(ctx, adminTB, "TB-HCC", "  "); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("no name: %v, want invalid", err)
		}
		if _, _, err := h.m.EnrolKiosk(ctx, adminTB, "NOPE", "Sảnh"); !apperr.IsNotFound(err) {
			t.Errorf("unknown office: %v, want not found", err)
		}
		k, secret, err := h.m.EnrolKiosk(ctx, adminTB, "TB-HCC", "Máy  sảnh A")
		must(t, err)
		k2, secret2, err := h.m.EnrolKiosk(ctx, adminTB, "TB-HCC", "Máy sảnh B")
		must(t, err)
		if k.Name != "Máy sảnh A" || len(secret) < 40 || secret == secret2 {
			t.Fatalf("enrolled %+v with a %d-character secret", k, len(secret))
		}
		a, err := h.m.KioskActor(ctx, secret)
		must(t, err)
		if !a.HasScope(actor.ScopeKiosk) || a.Office != "TB-HCC" || a.Unit != "TB" || a.ID != k.ID {
			t.Errorf("kiosk actor = %+v", a)
		}
		if _, err := h.m.Issue(ctx, a, "TB-HCC", "hotich", "pregnant"); err != nil {
			t.Errorf("the enrolled kiosk claims a priority: %v", err)
		}
		for _, bad := range []string{"", "x", secret + "x", fmt.Sprintf("%0200d", 1)} {
			if _, err := h.m.KioskActor(ctx, bad); apperr.CodeOf(err) != apperr.Unauthorized {
				t.Errorf("secret %.20q: %v, want unauthorized", bad, err)
			}
		}
		if _, err := h.m.Kiosks(ctx, clerkTB, "TB-HCC"); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a clerk lists kiosks: %v, want forbidden", err)
		}
		if err := h.m.RevokeKiosk(ctx, adminQNA, "TB-HCC", k.ID); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("another unit's admin revokes: %v, want forbidden", err)
		}
		if err := h.m.RevokeKiosk(ctx, adminTB, "OTHER", k.ID); apperr.CodeOf(err) == "" {
			t.Errorf("revoked through another office")
		}
		must(t, h.m.RevokeKiosk(ctx, adminTB, "TB-HCC", k.ID))
		if _, err := h.m.KioskActor(ctx, secret); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Errorf("revoked kiosk: %v, want unauthorized", err)
		}
		if _, err := h.m.KioskActor(ctx, secret2); err != nil {
			t.Errorf("the other kiosk stopped too: %v", err)
		}
		ks, err := h.m.Kiosks(ctx, adminTB, "TB-HCC")
		must(t, err)
		if len(ks) != 2 || ks[0].ID != k2.ID || ks[0].Revoked() || !ks[1].Revoked() || ks[1].RevokedBy != "admin.tb" {
			t.Errorf("kiosks = %+v", ks)
		}
		if err := h.m.RevokeKiosk(ctx, adminTB, "TB-HCC", 999999); !apperr.IsNotFound(err) {
			t.Errorf("unknown kiosk: %v, want not found", err)
		}
	})
}
